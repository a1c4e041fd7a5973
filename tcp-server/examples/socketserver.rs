//! socketserver.py in plain std: a server part that accepts clients and a
//! handler part that echoes one. Run it, then `cargo run -p tcp-client`.
use std::env::args;
use std::io::{Read, Write};
use std::net::{TcpListener, TcpStream};

/// The handler part, like handle(): one client; returning closes `request`.
fn handle(mut request: TcpStream) -> std::io::Result<()> {
    let mut data = [0; 1024];
    loop {
        // recv() reads up to 1024 bytes; 0 means the client has closed.
        let n = request.read(&mut data)?;
        if n == 0 {
            return Ok(());
        }
        // The script's decode() crashes on invalid UTF-8 or on a character
        // split across two reads; escaping the bytes cannot fail.
        println!("receive data: {}", data[..n].escape_ascii());
        // send() may send only part; write_all() sends it all, like sendall().
        request.write_all(&data[..n])?;
    }
}

fn main() -> std::io::Result<()> {
    let addr = args().nth(1).unwrap_or_else(|| "127.0.0.1:10888".into());
    // The server part, TCPServer, binds and listens: on loopback only, not on
    // every interface as in the script, so no other machine can reach it.
    let server = TcpListener::bind(addr)?;
    eprintln!("listening on {}", server.local_addr()?);
    // serve_forever() hands each client to the handler. The script's handler
    // calls shutdown() there, which waits for serve_forever() to return: it
    // never does (deadlock). This loop instead ends after the first client.
    for request in server.incoming().take(1) {
        handle(request?)?;
    }
    // close(): the listening socket closes when `server` goes out of scope.
    Ok(())
}
