//! socket_udp_client.py in plain std: send hello, then each line you type,
//! one datagram each, until bye. Start `cargo run -p udp-server` first.
use std::env::args;
use std::io::{ErrorKind, stdin};
use std::net::{ToSocketAddrs, UdpSocket};

fn main() -> std::io::Result<()> {
    let addr = args().nth(1).unwrap_or_else(|| "localhost:3000".into());
    // The script's socket is AF_INET, IPv4 only: take the first IPv4 address.
    let to = addr.to_socket_addrs()?.find(|a| a.is_ipv4());
    let to = to.ok_or(ErrorKind::NotFound)?;
    // socket(): std binds at once, to any free port, as sendto() would.
    let s = UdpSocket::bind("0.0.0.0:0")?;
    let mut data = String::from("hello");
    let mut reply = [0; 512];
    while !data.is_empty() {
        // sendto() sends the message as one datagram to the server.
        s.send_to(data.as_bytes(), to)?;
        if data == "bye" {
            break;
        }
        // recvfrom() waits for one datagram of up to 512 bytes.
        let (n, _) = s.recv_from(&mut reply)?;
        // The script's decode() crashes on invalid UTF-8 or on a character
        // cut at 512 bytes; escaping the bytes cannot fail.
        println!("receive from server: {}", reply[..n].escape_ascii());
        // input(): the next line without its line ending; none at the end.
        eprint!("message: ");
        data.clear();
        stdin().read_line(&mut data)?;
        data.truncate(data.trim_end_matches(['\r', '\n']).len());
    }
    // close(): dropping the socket closes it.
    drop(s);
    Ok(())
}
