//! socket_udp_client.py in plain std: send hello, then each line you type,
//! one datagram each, until bye. Start `cargo run -p udp-server` first.
use std::io::{ErrorKind::InvalidInput, stdin};
use std::{env::args, net::ToSocketAddrs, net::UdpSocket};

fn run(addr: &str) -> std::io::Result<()> {
    // The script's socket is AF_INET, IPv4 only: take the first IPv4 address.
    let to = addr.to_socket_addrs()?.find(|a| a.is_ipv4());
    let to = to.ok_or(std::io::ErrorKind::AddrNotAvailable)?;
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
        // decode() crashes on bad UTF-8; bad bytes show as �, ESC as \u{1b}.
        let text = String::from_utf8_lossy(&reply[..n]);
        println!("receive from server: {}", text.escape_debug());
        // input(): the next line without its line ending; "" at the end.
        eprint!("message: ");
        data = stdin().lines().next().unwrap_or(Ok(String::new()))?;
    }
    drop(s); // close(): dropping the socket closes it.
    Ok(())
}

fn main() {
    let addr = args().nth(1).unwrap_or_else(|| "localhost:3000".into());
    if let Err(e) = run(&addr) {
        let hint = (e.kind() == InvalidInput).then_some(" (give HOST:PORT)");
        eprintln!("error: {addr}: {e}{}", hint.unwrap_or_default());
        std::process::exit(if hint.is_some() { 2 } else { 1 });
    }
}
