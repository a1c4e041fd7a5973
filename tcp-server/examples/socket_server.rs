//! socket_server.py in plain std: serve one TCP client, echo what it sends.
//! Run it, then `cargo run -p tcp-client` in another terminal.
use std::env::args;
use std::io::{Read, Write};
use std::net::TcpListener;

fn main() -> std::io::Result<()> {
    // The script listens on every interface; this listens on loopback only,
    // so that no other machine can reach a teaching echo server.
    let addr = args().nth(1).unwrap_or_else(|| "127.0.0.1:10888".into());
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
        // The script's decode() crashes on invalid UTF-8 or on a character
        // split across two reads; escaping the bytes cannot fail.
        println!("receive data: {}", data[..n].escape_ascii());
        // send() may send only part; write_all() sends it all, like sendall().
        conn.write_all(&data[..n])?;
    }
    // close(): dropping the connection closes it.
    drop(conn);
    Ok(())
}
