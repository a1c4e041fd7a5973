//! socket_udp_server.py in plain std: echo every datagram until one says bye.
//! Run it, then `cargo run -p udp-client` in another terminal.
use std::env::args;
use std::net::UdpSocket;

fn main() -> std::io::Result<()> {
    let addr = args().nth(1).unwrap_or_else(|| "127.0.0.1:3000".into());
    // socket() and bind() are one call in std.
    let s = UdpSocket::bind(addr)?;
    eprintln!("waiting for datagrams on {}", s.local_addr()?);
    let mut data = [0; 1024];
    loop {
        // recvfrom() waits for one datagram (up to 1024 bytes) and its sender.
        let (n, address) = s.recv_from(&mut data)?;
        // The script compares bytes with the str 'bye', which is never equal,
        // so bye never stopped it; here bytes are compared with bytes.
        if &data[..n] == b"bye" {
            break;
        }
        // The script's decode() crashes on invalid UTF-8 or on a character
        // cut at 1024 bytes; escaping the bytes cannot fail.
        println!("receive string: {}", data[..n].escape_ascii());
        // sendto() sends the same bytes back to the address they came from.
        s.send_to(&data[..n], address)?;
        // As in the script's `while data`, an empty datagram ends the loop.
        if n == 0 {
            break;
        }
    }
    // close(): dropping the socket closes it.
    drop(s);
    Ok(())
}
