//! socket_client.py in plain std: send hello, then each line you type, and
//! print each echo. Start `cargo run -p tcp-server` first; an empty line ends.
use std::io::{ErrorKind::InvalidInput, Read, Write, stdin};
use std::{env::args, net::TcpStream};

fn run(addr: &str) -> std::io::Result<()> {
    // socket() and connect() are one call in std: it resolves the name and
    // tries each address until one accepts the connection.
    let mut s = TcpStream::connect(addr)?;
    let mut data = String::from("hello");
    let mut reply = [0; 512];
    while !data.is_empty() {
        // sendall(): write_all() sends every byte of the message.
        s.write_all(data.as_bytes())?;
        // recv() reads up to 512 bytes of the echo; 0 means the server closed.
        let n = s.read(&mut reply)?;
        // decode() crashes on bytes that are not UTF-8 (half a character);
        // these show as �, and controls (ESC, CR, …) escaped: \u{1b}, \r.
        let text = String::from_utf8_lossy(&reply[..n]);
        println!("receive from server: {}", text.escape_debug());
        // input(): the next line without its line ending; "" at the end.
        eprint!("message: ");
        data = stdin().lines().next().unwrap_or(Ok(String::new()))?;
    }
    // close(): dropping the stream closes the connection.
    drop(s);
    Ok(())
}

fn main() {
    let addr = args().nth(1).unwrap_or_else(|| "localhost:10888".into());
    if let Err(e) = run(&addr) {
        let hint = (e.kind() == InvalidInput).then_some(" (give HOST:PORT)");
        eprintln!("error: {addr}: {e}{}", hint.unwrap_or_default());
        std::process::exit(if hint.is_some() { 2 } else { 1 });
    }
}
