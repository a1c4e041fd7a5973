//! socket_server.py in plain std: serve one TCP client, echo what it sends.
//! Run it, then `cargo run -p tcp-client` in another terminal.
use std::io::{ErrorKind::InvalidInput, Read, Write};
use std::{env::args, net::TcpListener};

fn run(addr: &str) -> std::io::Result<()> {
    // socket(), bind() and listen() are one call in std (backlog 128, not 1).
    let listener = TcpListener::bind(addr)?;
    eprintln!("listening on {}", listener.local_addr()?);
    // accept() waits for a client and returns its connection and address.
    let (mut conn, addr) = listener.accept()?;
    println!("address: {addr}");
    let mut data = [0; 1024];
    loop {
        // recv() reads up to 1024 bytes; 0 means the client has closed.
        let n = conn.read(&mut data)?;
        if n == 0 {
            break;
        }
        // decode() crashes on bytes that are not UTF-8 (half a character);
        // these show as �, and controls (ESC, CR, …) escaped: \u{1b}, \r.
        let text = String::from_utf8_lossy(&data[..n]);
        println!("receive data: {}", text.escape_debug());
        // send() may send only part; write_all() sends it all, like sendall().
        conn.write_all(&data[..n])?;
    }
    // close(): dropping the connection closes it.
    drop(conn);
    Ok(())
}

fn main() {
    // On loopback only, unlike the script: other machines cannot connect.
    let addr = args().nth(1).unwrap_or_else(|| "127.0.0.1:10888".into());
    if let Err(e) = run(&addr) {
        let hint = (e.kind() == InvalidInput).then_some(" (give HOST:PORT)");
        eprintln!("error: {addr}: {e}{}", hint.unwrap_or_default());
        std::process::exit(if hint.is_some() { 2 } else { 1 });
    }
}
