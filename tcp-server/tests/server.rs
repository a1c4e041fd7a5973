//! tcp-server, run as a real process, with a std TcpStream as the client.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::time::Duration;
use testkit::{PATIENCE, assert_one_line, start, start_server};

const BIN: &str = env!("CARGO_BIN_EXE_tcp-server");

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = testkit::connect(addr);
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream
}

/// Reads exactly `n` bytes (or panics after the patience runs out).
fn read_n(stream: &mut TcpStream, n: usize) -> Vec<u8> {
    let mut got = vec![0; n];
    stream.read_exact(&mut got).unwrap();
    got
}

/// Every byte value comes back exactly as it was sent.
#[test]
fn echoes_bytes_exactly() {
    let (server, addr) = start_server(BIN, &[":0"]);
    let mut client = connect(addr);
    let all: Vec<u8> = (0..=255).cycle().take(5000).collect();
    client.write_all(&all).unwrap();
    assert_eq!(read_n(&mut client, all.len()), all);
    drop(client);
    server.stderr.wait_for_text("closed the connection");
    server.assert_no_panic();
}

/// 你好 written in two pieces, split inside 你, prints whole.
#[test]
fn prints_a_split_character_whole() {
    let (server, addr) = start_server(BIN, &[":0", "--explain"]);
    let mut client = connect(addr);
    let bytes = "你好".as_bytes();
    client.write_all(&bytes[..2]).unwrap();
    // Wait until the server has received the first piece on its own.
    server.stderr.wait_for_text("recv #1: 2 bytes");
    client.write_all(&bytes[2..]).unwrap();
    assert_eq!(read_n(&mut client, 6), bytes);
    server.stdout.wait_for_text("你好");
    server.stderr.wait_for_text("held back");
    assert!(!server.stdout.now().contains('\u{fffd}'));
}

/// An escape sequence is shown escaped and never reaches stdout raw, but is
/// echoed on the wire unchanged.
#[test]
fn escapes_control_bytes_in_output() {
    let (server, addr) = start_server(BIN, &[":0"]);
    let mut client = connect(addr);
    client.write_all(b"\x1b[31mred\x07\r").unwrap();
    testkit::assert_echo(&read_n(&mut client, 10), b"\x1b[31mred\x07\r");
    server.stdout.wait_for_text(r"\x1b[31mred\x07\r");
    let out = server.stdout.now();
    assert!(
        !out.bytes().any(|b| b == 0x1b || b == 0x07 || b == b'\r'),
        "{out:?}"
    );
}

/// With --once the server exits 0 as soon as its first client leaves.
#[test]
fn once_exits_after_the_first_client() {
    let (mut server, addr) = start_server(BIN, &[":0", "--once"]);
    let mut client = connect(addr);
    client.write_all(b"bye").unwrap();
    testkit::assert_echo(&read_n(&mut client, 3), b"bye");
    drop(client);
    assert_eq!(server.code(), 0);
    assert!(
        server
            .stderr
            .now()
            .contains("served 1 client, echoed 3 bytes from 1 read")
    );
}

/// The counts say what is true: reads (not messages: `--buffer 8` cuts
/// one 26-byte line into several), bytes and clients, and `1 byte`.
#[test]
fn counts_reads_bytes_and_clients() {
    let (mut server, addr) =
        start_server(BIN, &[":0", "--once", "--buffer", "8"]);
    let mut client = connect(addr);
    let line = b"a message of 26 characters";
    client.write_all(line).unwrap();
    testkit::assert_echo(&read_n(&mut client, 26), line);
    drop(client);
    assert_eq!(server.code(), 0);
    let stderr = server.stderr.now();
    let summary = stderr.lines().last().unwrap();
    assert!(
        summary.starts_with("stopped: served 1 client, echoed 26 bytes from "),
        "{stderr}"
    );
    let reads: u64 = summary
        .split("from ")
        .nth(1)
        .unwrap()
        .split(' ')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(reads >= 4, "{summary}");
    assert!(
        stderr.contains(&format!("({reads} reads, 26 bytes echoed)")),
        "{stderr}"
    );
    assert!(!stderr.contains("message"), "{stderr}");

    let (mut server, addr) = start_server(BIN, &[":0", "--once", "--explain"]);
    let mut client = connect(addr);
    client.write_all(b"x").unwrap();
    assert_eq!(read_n(&mut client, 1), b"x");
    drop(client);
    assert_eq!(server.code(), 0);
    let stderr = server.stderr.now();
    assert!(stderr.contains("(1 read, 1 byte echoed)"), "{stderr}");
    assert!(stderr.contains("echoed 1 byte from 1 read"), "{stderr}");
    assert!(!stderr.contains(" 1 bytes"), "{stderr}");
}

/// A second server on a port in use fails with exit 1 and one clear line.
#[test]
fn port_in_use_is_a_one_line_error() {
    let (_first, addr) = start_server(BIN, &[":0"]);
    let (code, _, stderr) = testkit::run(BIN, &[&addr.to_string()], b"");
    assert_eq!(code, 1);
    assert_one_line(&stderr);
    assert!(
        stderr.contains(&format!("cannot bind {addr}: address already in use"))
    );
    assert!(stderr.contains("port"), "{stderr}");
}

/// Bad command lines exit 2 with one line.
#[test]
fn usage_errors_exit_2() {
    for args in [
        &[":99999"][..],
        &["host:abc"],
        &["[::1"],
        &[""],
        &["--buffer", "0"],
    ] {
        let (code, _, stderr) = testkit::run(BIN, args, b"");
        assert_eq!(code, 2, "{args:?}: {stderr}");
        assert_one_line(&stderr);
    }
}

/// A client that resets its connection is reported; the next is served.
#[test]
fn survives_a_reset_and_serves_the_next_client() {
    let (server, addr) = start_server(BIN, &[":0"]);
    let rude = socket2::Socket::from(connect(addr));
    rude.set_linger(Some(Duration::ZERO)).unwrap();
    server.stderr.wait_for_text("connected");
    drop(rude); // With SO_LINGER 0, close() sends RST.
    server.stderr.wait_for_text("connection reset by peer");
    let mut next = connect(addr);
    next.write_all(b"still here").unwrap();
    testkit::assert_echo(&read_n(&mut next, 10), b"still here");
    server.assert_no_panic();
}

/// A client that half-closes still gets its echo, then sees the close.
#[test]
fn half_close_still_gets_the_echo() {
    let (_server, addr) = start_server(BIN, &[":0"]);
    let mut client = connect(addr);
    client.write_all(b"last words").unwrap();
    client.shutdown(Shutdown::Write).unwrap();
    let mut all = Vec::new();
    client.read_to_end(&mut all).unwrap();
    testkit::assert_echo(&all, b"last words");
}

/// --explain narrates the lifecycle steps in the order they happen.
#[test]
fn explain_follows_the_lifecycle() {
    let (mut server, addr) = start_server(BIN, &[":0", "--explain", "--once"]);
    let mut client = connect(addr);
    client.write_all(b"hi").unwrap();
    read_n(&mut client, 2);
    drop(client);
    assert_eq!(server.code(), 0);
    let steps = testkit::explained_steps(&server.stderr.now());
    let expected = [
        "socket",
        "setsockopt",
        "bind",
        "listen",
        "accept",
        "recv",
        "send",
        "recv", // 0 bytes: the client's FIN
        "close",
        "close",
    ];
    assert_eq!(steps, expected);
}

/// SIGTERM stops the server with a summary and exit 0, in both modes,
/// even with a client still connected.
#[cfg(unix)]
#[test]
fn sigterm_prints_a_summary() {
    for mode in [&[":0"][..], &[":0", "--threaded"]] {
        let (mut server, addr) = start_server(BIN, mode);
        let mut client = connect(addr);
        client.write_all(b"abc").unwrap();
        read_n(&mut client, 3);
        server.signal(libc::SIGTERM);
        assert_eq!(server.code(), 0, "{mode:?}");
        let stderr = server.stderr.now();
        assert!(
            stderr.contains(
                "stopped: served 1 client, echoed 3 bytes from 1 read, at most 1 at \
                 once"
            ),
            "{stderr}"
        );
        // Our side sees the server close the connection.
        let mut rest = Vec::new();
        client.read_to_end(&mut rest).unwrap();
        assert!(rest.is_empty());
    }
}

/// A stop says goodbye to a connected client in every design, and tells
/// it: with --explain, a `shutdown` (the FIN) after the last echo and
/// before that connection's close; with --trace, a shutdown event.
#[cfg(unix)]
#[test]
fn a_stop_tells_its_fin() {
    for (mode, design) in [(None, "one"), (Some("--threaded"), "threaded")]
        .into_iter()
        .chain([(Some("--poll"), "poll")])
    {
        let trace = std::env::temp_dir().join(format!(
            "tcp-server-fin-{design}-{}.jsonl",
            std::process::id()
        ));
        let trace_arg = trace.to_str().unwrap();
        let mut args = vec![":0", "--explain", "--trace", trace_arg];
        args.extend(mode);
        let (mut server, addr) = start_server(BIN, &args);
        let mut client = connect(addr);
        client.write_all(b"hi").unwrap();
        read_n(&mut client, 2);
        server.signal(libc::SIGINT);
        // The FIN: end of stream, nothing more.
        let mut rest = Vec::new();
        client.read_to_end(&mut rest).unwrap();
        assert!(rest.is_empty(), "{design}: {rest:?}");
        drop(client);
        assert_eq!(server.code(), 0, "{design}");
        let stderr = server.stderr.now();
        let steps = testkit::explained_steps(&stderr);
        let at = |name: &str| steps.iter().rposition(|s| s == name);
        let shutdown = at("shutdown").unwrap_or_else(|| panic!("{stderr}"));
        assert_eq!(steps.iter().filter(|s| *s == "shutdown").count(), 1);
        assert!(at("send") < Some(shutdown), "{design}: {steps:?}");
        assert!(at("close") > Some(shutdown), "{design}: {steps:?}");
        assert!(stderr.contains("the server is stopping; what the client"));
        let events = std::fs::read_to_string(&trace).unwrap();
        let _ = std::fs::remove_file(&trace);
        let shut = events.lines().filter(|l| l.contains("\"shutdown\""));
        assert_eq!(shut.count(), 1, "{design}: {events}");
    }
}

/// Listening on 0.0.0.0 prints a hint about every interface.
#[test]
fn all_interfaces_get_a_note() {
    let server = start(BIN, &["0.0.0.0:0"], b"");
    server.stderr.wait_for_text("every network interface");
}
