//! socketserver.py in plain std: a server part that accepts clients and a
//! handler part that echoes one. Run it, then `cargo run -p tcp-client`.
use std::io::{ErrorKind::InvalidInput, Read, Write};
use std::{env::args, net::TcpListener, net::TcpStream};

/// The handler part, like handle(): one client; returning closes `request`.
fn handle(mut request: TcpStream) -> std::io::Result<()> {
    let mut data = [0; 1024];
    loop {
        // recv() reads up to 1024 bytes; 0 means the client has closed.
        let n = request.read(&mut data)?;
        if n == 0 {
            return Ok(());
        }
        // decode() crashes on bad UTF-8; bad bytes show as �, ESC as \u{1b}.
        let text = String::from_utf8_lossy(&data[..n]);
        println!("receive data: {}", text.escape_debug());
        // send() may send only part; write_all() sends it all, like sendall().
        request.write_all(&data[..n])?;
    }
}

/// The server part, TCPServer: bind and listen (on loopback), then serve.
fn serve(addr: &str) -> std::io::Result<()> {
    let server = TcpListener::bind(addr)?;
    eprintln!("listening on {}", server.local_addr()?);
    // serve_forever() deadlocks if handle() calls shutdown(): accept just one.
    let (request, _address) = server.accept()?;
    handle(request)?;
    Ok(()) // close(): the listening socket closes as `server` goes.
}

fn main() {
    let addr = args().nth(1).unwrap_or_else(|| "127.0.0.1:10888".into());
    if let Err(e) = serve(&addr) {
        let hint = (e.kind() == InvalidInput).then_some(" (give HOST:PORT)");
        eprintln!("error: {addr}: {e}{}", hint.unwrap_or_default());
        std::process::exit(if hint.is_some() { 2 } else { 1 });
    }
}
