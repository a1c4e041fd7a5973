//! socket_udp_server.py in plain std: echo every datagram until one says bye.
//! Run it, then `cargo run -p udp-client` in another terminal.
use std::{env::args, io::ErrorKind::InvalidInput, net::UdpSocket};

fn run(addr: &str) -> std::io::Result<()> {
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
        // decode() crashes on bad UTF-8; bad bytes show as �, ESC as \u{1b}.
        let text = String::from_utf8_lossy(&data[..n]);
        println!("receive string: {}", text.escape_debug());
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

fn main() {
    let addr = args().nth(1).unwrap_or_else(|| "127.0.0.1:3000".into());
    if let Err(e) = run(&addr) {
        let hint = (e.kind() == InvalidInput).then_some(" (give HOST:PORT)");
        eprintln!("error: {addr}: {e}{}", hint.unwrap_or_default());
        std::process::exit(if hint.is_some() { 2 } else { 1 });
    }
}
