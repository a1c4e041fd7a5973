//! `--step` and `--hex` on tcp-server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::TcpStream;
#[cfg(unix)]
use std::time::{Duration, Instant};
use testkit::start_server;

const BIN: &str = env!("CARGO_BIN_EXE_tcp-server");

/// In a terminal, --step stops after each call and goes on at Enter: the
/// server is not listening until the fourth Enter (socket, setsockopt,
/// bind, listen); then it waits in accept(), and stops again after it.
#[cfg(unix)]
#[test]
fn step_waits_for_enter_in_a_terminal() {
    let mut pty = testkit::Pty::start(BIN, &[":0", "--step"]);
    for (presses, step) in
        [(1, "socket"), (2, "setsockopt"), (3, "bind"), (4, "listen")]
    {
        pty.screen.wait_for_count("press Enter", presses);
        assert!(pty.screen.now().contains(&format!("that was {step}")));
        assert!(!pty.screen.now().contains("listening on"));
        pty.type_keys("\r");
    }
    let addr = pty.screen.wait_for("the listening line", |text| {
        testkit::listening_addr_in(text)
    });
    assert!(pty.screen.now().contains("watch: ss -tan"));
    let _client = TcpStream::connect(addr).unwrap();
    pty.screen.wait_for_text("that was accept");
}

/// Ctrl-C (SIGINT) while --step waits for Enter stops the server at once,
/// gracefully: no more pauses, a summary, exit 0. "At once" is measured:
/// the client closes as soon as it sees the server's FIN, so neither the
/// pause nor the 2 s grace period may hold the stop up; the bound is under
/// the grace period and far above the few hundred milliseconds it takes.
#[cfg(unix)]
#[test]
fn ctrl_c_at_a_step_prompt_stops() {
    let mut pty = testkit::Pty::start(BIN, &[":0", "--step"]);
    pty.step_through(1..=4);
    let addr = pty.screen.wait_for("the listening line", |text| {
        testkit::listening_addr_in(text)
    });
    let mut client = TcpStream::connect(addr).unwrap();
    client.set_read_timeout(Some(testkit::PATIENCE)).unwrap();
    let closing = std::thread::spawn(move || {
        let mut rest = Vec::new();
        let _ = client.read_to_end(&mut rest);
    });
    pty.screen.wait_for_text("that was accept");
    let asked = Instant::now();
    pty.signal(libc::SIGINT);
    assert_eq!(pty.wait().code(), Some(0), "{}", pty.screen.now());
    let took = asked.elapsed();
    assert!(took < Duration::from_millis(1800), "took {took:?}");
    closing.join().unwrap();
    let screen = pty.screen.now();
    assert!(screen.contains("stopped: served 1 client"), "{screen}");
    assert_eq!(screen.matches("press Enter").count(), 5, "{screen}");
}

/// --step without a terminal is a usage error with one line.
#[test]
fn step_without_a_terminal_exits_2() {
    let (code, _, stderr) = testkit::run(BIN, &[":0", "--step"], b"");
    assert_eq!(code, 2);
    testkit::assert_one_line(&stderr);
}

/// --hex shows each chunk with its offset in the stream.
#[test]
fn hex_dump_counts_stream_offsets() {
    let (server, addr) = start_server(BIN, &[":0", "--hex", "--explain"]);
    let mut client = TcpStream::connect(addr).unwrap();
    let from = client.local_addr().unwrap();
    client.write_all(b"0123456789abcdefXY").unwrap();
    let mut back = [0; 18];
    client.read_exact(&mut back).unwrap();
    server.stderr.wait_for_text("recv #1: 18 bytes");
    client.write_all(b"\xe4").unwrap();
    client.read_exact(&mut back[..1]).unwrap();
    server.stdout.wait_for_text("00000012  e4");
    let expected = format!(
        "{from}: 0123456789abcdefXY\n\
         00000000  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  |0123456789abcdef|\n\
         00000010  58 59                                             |XY|\n\
         00000012  e4                                                |.|\n"
    );
    assert_eq!(server.stdout.now(), expected);
}

/// At the pause after a connection's close, the connection is closed: the
/// client has read the server's FIN (what `ss` would show is true).
#[cfg(unix)]
#[test]
fn step_close_has_happened_at_its_pause() {
    let mut pty = testkit::Pty::start(BIN, &[":0", "--step", "--once"]);
    pty.step_through(1..=4);
    let addr = pty.screen.wait_for("the listening line", |text| {
        testkit::listening_addr_in(text)
    });
    let mut client = TcpStream::connect(addr).unwrap();
    client.set_read_timeout(Some(testkit::PATIENCE)).unwrap();
    client.write_all(b"x").unwrap();
    client.shutdown(std::net::Shutdown::Write).unwrap();
    // accept, recv, send, recv of 0 bytes (the client's FIN)
    pty.step_through(5..=8);
    pty.screen.wait_for_text("that was close");
    let mut echo = Vec::new();
    client.read_to_end(&mut echo).unwrap();
    testkit::assert_echo(&echo, b"x");
    pty.type_keys("\r");
    pty.screen.wait_for_count("that was close", 2); // the listener
    pty.type_keys("\r");
    assert_eq!(pty.wait().code(), Some(0), "{}", pty.screen.now());
}

/// After the pause at a connection's close, the server goes back to
/// accept() and says so: a student pressing Enter there learns that the
/// server now waits for the next client, not for them.
#[cfg(unix)]
#[test]
fn back_in_accept_after_a_close_pause_says_so() {
    let mut pty = testkit::Pty::start(BIN, &[":0", "--step"]);
    pty.step_through(1..=4);
    let addr = pty.screen.wait_for("the listening line", |text| {
        testkit::listening_addr_in(text)
    });
    let mut client = TcpStream::connect(addr).unwrap();
    client.write_all(b"x").unwrap();
    client.shutdown(std::net::Shutdown::Write).unwrap();
    // accept, recv, send, recv of 0 bytes (the client's FIN), close
    pty.step_through(5..=9);
    pty.screen
        .wait_for_text("back in accept(): waiting for the next client");
    let screen = pty.screen.now();
    let close = screen.find("that was close").unwrap();
    let back = screen.find("back in accept()").unwrap();
    assert!(close < back, "{screen}");
    pty.signal(libc::SIGINT);
    assert_eq!(pty.wait().code(), Some(0), "{}", pty.screen.now());
}

/// --step with --poll pauses the one thread, so it pauses every client:
/// while the server waits for Enter after accepting the first client, a
/// second one connects (the kernel finishes its handshake) but is not
/// accepted, and nothing of the first is read. Ctrl-D runs on without
/// pauses, and both are echoed.
#[cfg(unix)]
#[test]
fn step_with_poll_pauses_the_whole_loop() {
    let mut pty = testkit::Pty::start(BIN, &[":0", "--poll", "--step"]);
    pty.step_through(1..=4);
    let addr = pty.screen.wait_for("the listening line", |text| {
        testkit::listening_addr_in(text)
    });
    let mut first = TcpStream::connect(addr).unwrap();
    first.write_all(b"first\n").unwrap();
    pty.screen.wait_for_text("that was accept");
    let mut second = TcpStream::connect(addr).unwrap();
    second.write_all(b"second\n").unwrap();
    let paused = pty.screen.now();
    assert_eq!(paused.matches("accept client").count(), 1, "{paused}");
    assert!(!paused.contains("that was recv"), "{paused}");
    pty.type_keys("\x04");
    for (stream, line) in
        [(&mut first, &b"first\n"[..]), (&mut second, b"second\n")]
    {
        stream.set_read_timeout(Some(testkit::PATIENCE)).unwrap();
        let mut echo = vec![0; line.len()];
        stream.read_exact(&mut echo).unwrap();
        assert_eq!(echo, line);
    }
    pty.screen.wait_for_text("accept client #2");
    pty.signal(libc::SIGINT);
    assert_eq!(pty.wait().code(), Some(0), "{}", pty.screen.now());
    assert!(
        pty.screen.now().contains("stopped: served 2 clients"),
        "{}",
        pty.screen.now()
    );
}
