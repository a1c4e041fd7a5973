//! The lab features of udp-server: simulated loss, numbered receives, hex.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::{SocketAddr, UdpSocket};
use testkit::{PATIENCE, start_server};

const BIN: &str = env!("CARGO_BIN_EXE_udp-server");

fn client(server: SocketAddr) -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.set_read_timeout(Some(PATIENCE)).unwrap();
    socket.connect(server).unwrap();
    socket
}

/// Which of 30 datagrams a server with `--drop 0.5 --seed 7` drops.
#[cfg(unix)]
fn dropped_with_seed_7() -> Vec<String> {
    let (mut server, addr) =
        start_server(BIN, &[":0", "--explain", "--drop", "0.5", "--seed", "7"]);
    let peer = client(addr);
    for i in 0..30 {
        peer.send(format!("d{i}").as_bytes()).unwrap();
    }
    server.stderr.wait_for_text("recv_from #30:");
    // Stopping makes the server finish the datagram it is on, so every
    // line about the 30 datagrams is out when it exits.
    server.signal(libc::SIGTERM);
    assert_eq!(server.code(), 0);
    server
        .stderr
        .now()
        .lines()
        .filter(|l| l.contains("simulated loss"))
        .map(|l| l.split("datagram ").nth(1).unwrap().to_string())
        .collect()
}

/// The same seed drops the same datagrams every run, about half of them.
#[cfg(unix)]
#[test]
fn drop_with_a_seed_is_repeatable() {
    let first = dropped_with_seed_7();
    assert_eq!(first, dropped_with_seed_7());
    assert!((5..=25).contains(&first.len()), "{first:?}");
}

/// Three datagrams sent back to back are three numbered recv_from events:
/// a datagram is never merged with another.
#[test]
fn three_datagrams_are_three_receives() {
    let (server, addr) = start_server(BIN, &[":0", "--explain"]);
    let peer = client(addr);
    for message in [&b"one"[..], b"two", b"three"] {
        peer.send(message).unwrap();
    }
    server.stderr.wait_for_text("recv_from #3: 5 bytes");
    let stderr = server.stderr.now();
    for (n, len) in [(1, 3), (2, 3), (3, 5)] {
        assert!(
            stderr.contains(&format!("recv_from #{n}: {len} bytes")),
            "{stderr}"
        );
    }
}

/// --hex prints a dump of each datagram under its text line.
#[test]
fn hex_dump_of_a_datagram() {
    let (server, addr) = start_server(BIN, &[":0", "--hex"]);
    let peer = client(addr);
    peer.send(b"hi\x1b\n").unwrap();
    let from = peer.local_addr().unwrap();
    server.stdout.wait_for_text("|hi..|");
    assert_eq!(
        server.stdout.now(),
        format!(
            "{from}: hi\\x1b\\n\n\
             00000000  68 69 1b 0a                                       |hi..|\n"
        )
    );
}

/// --step without a terminal is a usage error.
#[test]
fn step_needs_a_terminal() {
    let (code, _, stderr) = testkit::run(BIN, &[":0", "--step"], b"");
    assert_eq!(code, 2);
    testkit::assert_one_line(&stderr);
    assert!(stderr.contains("--step needs a terminal"), "{stderr}");
}
