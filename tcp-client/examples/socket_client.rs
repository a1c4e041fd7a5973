//! socket_client.py in plain std: send hello, then each line you type, and
//! print each echo. Start `cargo run -p tcp-server` first; an empty line ends.
use std::env::args;
use std::io::{Read, Write, stdin};
use std::net::TcpStream;

fn main() -> std::io::Result<()> {
    let addr = args().nth(1).unwrap_or_else(|| "localhost:10888".into());
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
        // The script's decode() crashes on invalid UTF-8 or on a character
        // split across two reads; escaping the bytes cannot fail.
        println!("receive from server: {}", reply[..n].escape_ascii());
        // input(): the next line without its line ending; none at the end.
        eprint!("message: ");
        data.clear();
        stdin().read_line(&mut data)?;
        data.truncate(data.trim_end_matches(['\r', '\n']).len());
    }
    // close(): dropping the stream closes the connection.
    drop(s);
    Ok(())
}
