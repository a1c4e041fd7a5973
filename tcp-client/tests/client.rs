//! tcp-client, run as a real process, against std TcpListener peers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener, TcpStream};
use std::thread;
use testkit::{PATIENCE, assert_one_line, run};

const BIN: &str = env!("CARGO_BIN_EXE_tcp-client");

/// Starts a peer on a free loopback port that serves one connection with
/// `serve` on a thread of its own.
fn peer(serve: impl FnOnce(TcpStream) + Send + 'static) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        serve(stream);
    });
    addr
}

/// Echoes everything back, `piece` bytes per write.
fn echo_in_pieces(piece: usize) -> impl FnOnce(TcpStream) {
    move |mut stream| {
        let mut buffer = [0; 4096];
        while let Ok(n) = stream.read(&mut buffer) {
            if n == 0 {
                break;
            }
            for chunk in buffer[..n].chunks(piece) {
                if stream.write_all(chunk).is_err() {
                    return;
                }
            }
        }
    }
}

/// Piped input: hello, then one echo per line, then exit 0.
#[test]
fn piped_lines_are_sent_and_echoed() {
    let addr = peer(echo_in_pieces(4096));
    let (code, stdout, stderr) =
        run(BIN, &[&addr.to_string()], b"a\nzwei\r\n\xe4\xbd\xa0\n");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "hello\na\nzwei\n你\n");
}

/// An echo that comes back one byte per write is still put together whole,
/// including a character whose bytes arrive apart.
#[test]
fn echo_in_one_byte_pieces_is_reassembled() {
    let addr = peer(echo_in_pieces(1));
    let (code, stdout, stderr) = run(
        BIN,
        &[&addr.to_string(), "--explain"],
        "你好, world\n".as_bytes(),
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "hello\n你好, world\n");
    assert!(stderr.contains("(5 of 5 so far"), "{stderr}");
}

/// A server that reads and closes without echoing: exit 1, one clear line.
#[test]
fn server_closing_early_is_exit_1() {
    let addr = peer(|mut stream| {
        let mut buffer = [0; 16];
        let _ = stream.read(&mut buffer);
    });
    let (code, _, stderr) = run(BIN, &[&addr.to_string()], b"");
    assert_eq!(code, 1);
    assert_one_line(&stderr.replace(&format!("connected to {addr}\n"), ""));
    assert!(stderr.contains("closed the connection"), "{stderr}");
}

/// Nothing listening: exit 1 with "connection refused" and a hint.
#[test]
fn nothing_listening_is_connection_refused() {
    let free = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let (code, _, stderr) = run(BIN, &[&free.to_string()], b"");
    assert_eq!(code, 1);
    assert_one_line(&stderr);
    assert!(stderr.contains("connection refused"), "{stderr}");
    assert!(stderr.contains("is tcp-server running?"), "{stderr}");
}

/// A malformed address is a usage error: exit 2.
#[test]
fn bad_address_is_exit_2() {
    let (code, _, stderr) = run(BIN, &["host:abc"], b"");
    assert_eq!(code, 2);
    assert_one_line(&stderr);
    assert!(stderr.contains("`abc` is not a number"), "{stderr}");
}

/// A server that never echoes: the client says so and exits 1.
#[test]
fn missing_echo_times_out() {
    let addr = peer(|mut stream| {
        let mut sink = Vec::new();
        let _ = stream.read_to_end(&mut sink);
    });
    let (code, _, stderr) =
        run(BIN, &[&addr.to_string(), "--timeout", "0.2"], b"");
    assert_eq!(code, 1);
    assert!(stderr.contains("only 0 of 5 bytes came back"), "{stderr}");
}

/// --explain tells the client's steps in lifecycle order.
#[test]
fn explain_follows_the_lifecycle() {
    let addr = peer(echo_in_pieces(4096));
    let (code, _, stderr) = run(BIN, &[&addr.to_string(), "--explain"], b"");
    assert_eq!(code, 0, "{stderr}");
    let steps = testkit::explained_steps(&stderr);
    assert_eq!(
        steps,
        [
            "resolve", "socket", "connect", "send", "recv", "shutdown", "recv",
            "close"
        ]
    );
}

/// Through a real terminal: the prompt shows, a typed line is echoed, and
/// Ctrl-D ends the session with exit 0.
#[cfg(unix)]
#[test]
fn interactive_session_in_a_terminal() {
    let addr = peer(echo_in_pieces(4096));
    let mut pty = testkit::Pty::start(BIN, &[&addr.to_string()]);
    pty.screen.wait_for_text("> ");
    pty.type_keys("typed by hand\r");
    pty.screen.wait_for_count("typed by hand", 2); // as typed, then the echo
    pty.screen.wait_for_count("> ", 2);
    pty.type_keys("\x04");
    assert_eq!(pty.wait().code(), Some(0));
}

/// --no-wait sends every line in its own write, then reads the echoes: the
/// numbered reads add up to every byte sent.
#[test]
fn no_wait_reads_add_up_to_the_bytes_sent() {
    let addr = peer(echo_in_pieces(4096));
    let (code, stdout, stderr) = run(
        BIN,
        &[&addr.to_string(), "--no-wait", "--explain"],
        b"one\ntwo\nthree\n",
    );
    assert_eq!(code, 0, "{stderr}");
    let read_bytes: usize = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("explain: recv #"))
        .map(|l| {
            l.split_whitespace()
                .nth(1)
                .unwrap()
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    assert_eq!(read_bytes, "helloonetwothree".len());
    assert_eq!(stdout.replace('\n', ""), "helloonetwothree");
    assert!(
        stderr.contains("sent 4 messages in 4 writes (16 bytes)"),
        "{stderr}"
    );
}

/// --hex prints a dump of each read under the echo.
#[test]
fn hex_dump_of_the_echo() {
    let addr = peer(echo_in_pieces(4096));
    let (code, stdout, stderr) =
        run(BIN, &[&addr.to_string(), "--hex", "--message", "A\t"], b"");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "00000000  41 09                                             |A.|\nA\\t\n"
    );
}

/// --step without a terminal is a usage error.
#[test]
fn step_without_a_terminal_exits_2() {
    let (code, _, stderr) = run(BIN, &["--step"], b"");
    assert_eq!(code, 2);
    assert_one_line(&stderr);
}

/// Under --explain each echo reports its round-trip time.
#[test]
fn explain_reports_round_trip_time() {
    let addr = peer(echo_in_pieces(4096));
    let (_, _, stderr) = run(BIN, &[&addr.to_string(), "--explain"], b"");
    assert!(stderr.contains(" ms after sending)"), "{stderr}");
}

/// Ctrl-C at the prompt ends the session like Ctrl-D: exit 0, the server
/// sees a normal close.
#[cfg(unix)]
#[test]
fn ctrl_c_at_the_prompt_exits_0() {
    let addr = peer(echo_in_pieces(4096));
    let mut pty = testkit::Pty::start(BIN, &[&addr.to_string()]);
    pty.screen.wait_for_text("> ");
    pty.type_keys("\x03");
    assert_eq!(pty.wait().code(), Some(0));
}
