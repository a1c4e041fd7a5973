//! `udp-server --threaded`, run as a real process: the server thread
//! receives, a pool of handler threads answers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::ErrorKind;
use std::net::{SocketAddr, UdpSocket};
#[cfg(unix)]
use std::thread;
#[cfg(unix)]
use std::time::{Duration, Instant};
use testkit::{PATIENCE, Program, start_server};

const BIN: &str = env!("CARGO_BIN_EXE_udp-server");

fn client(server: SocketAddr) -> UdpSocket {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.set_read_timeout(Some(PATIENCE)).unwrap();
    socket.connect(server).unwrap();
    socket
}

/// Sends `message` and waits (at most PATIENCE) for the one reply.
fn ask(socket: &UdpSocket, message: &[u8]) -> Vec<u8> {
    socket.send(message).unwrap();
    let mut reply = vec![0; 2048];
    let n = socket.recv(&mut reply).unwrap();
    reply.truncate(n);
    reply
}

/// Every reply already waiting in `socket`'s receive buffer. (On loopback
/// a send_to() puts the datagram there before it returns, so once the
/// server has exited, all its replies are there.)
fn waiting_replies(socket: &UdpSocket) -> Vec<Vec<u8>> {
    socket.set_nonblocking(true).unwrap();
    let mut replies = Vec::new();
    let mut buffer = [0; 2048];
    for _ in 0..100_000 {
        match socket.recv(&mut buffer) {
            Ok(n) => replies.push(buffer[..n].to_vec()),
            Err(e) if e.kind() == ErrorKind::WouldBlock => return replies,
            Err(e) => panic!("recv: {e}"),
        }
    }
    panic!("more replies than were sent");
}

/// The summary line of a server that has exited.
fn summary(server: &Program) -> String {
    let stderr = server.stderr.now();
    let line = stderr.lines().find(|l| l.starts_with("stopped: "));
    line.unwrap_or_else(|| panic!("no summary in:\n{stderr}"))
        .to_string()
}

/// 100 clients at once, 200 datagrams each, every one different: each
/// reply is the client's own datagram, byte for byte, and the summary
/// counts exactly what was sent. Each client waits for a reply before it
/// sends the next datagram, so at most 100 are queued anywhere: loopback
/// loses nothing then, and a missing reply fails the test (after
/// PATIENCE) instead of being retried.
#[cfg(unix)]
#[test]
fn hundred_clients_two_hundred_datagrams_each() {
    let (mut server, addr) =
        start_server(BIN, &[":0", "--threaded", "--handlers", "8"]);
    let clients: Vec<_> = (0..100)
        .map(|c| {
            thread::spawn(move || {
                let peer = client(addr);
                let mut bytes = 0;
                for i in 0..200 {
                    let message = format!("client {c:03} datagram {i:03} 你好");
                    assert_eq!(
                        ask(&peer, message.as_bytes()),
                        message.as_bytes()
                    );
                    bytes += message.len() as u64;
                }
                bytes
            })
        })
        .collect();
    let bytes: u64 = clients.into_iter().map(|c| c.join().unwrap()).sum();
    server.signal(libc::SIGINT);
    assert_eq!(server.code(), 0);
    assert_eq!(
        summary(&server),
        format!(
            "stopped: 20000 datagrams from 100 senders, {bytes} bytes echoed"
        )
    );
    server.assert_no_panic();
}

/// `bye` stops the threaded server too: not echoed, exit 0, and the
/// handler that took it is named in the narration.
#[test]
fn bye_stops_the_threaded_server() {
    let (mut server, addr) =
        start_server(BIN, &[":0", "--threaded", "--explain"]);
    let peer = client(addr);
    assert_eq!(ask(&peer, b"first"), b"first");
    peer.send(b"bye").unwrap();
    assert_eq!(server.code(), 0);
    let stderr = server.stderr.now();
    assert!(stderr.contains("sent bye: stopping"), "{stderr}");
    assert!(
        stderr.contains("explain [handler-")
            && stderr.contains("]: send_to 5 bytes back to"),
        "{stderr}"
    );
    assert_eq!(
        summary(&server),
        "stopped: 2 datagrams from 1 sender, 5 bytes echoed"
    );
    assert_eq!(waiting_replies(&peer), Vec::<Vec<u8>>::new(), "bye echoed");
}

/// With --keep-open, `bye` is echoed like anything else.
#[test]
fn keep_open_echoes_bye() {
    let (server, addr) =
        start_server(BIN, &[":0", "--threaded", "--keep-open"]);
    let peer = client(addr);
    assert_eq!(ask(&peer, b"bye"), b"bye");
    assert_eq!(ask(&peer, b"still"), b"still");
    server.assert_no_panic();
}

/// Which of 30 datagrams, sent one after the other (each answered or
/// announced dropped before the next), a server with `--drop 0.5 --seed 7`
/// drops, and what came back.
#[cfg(unix)]
fn dropped(extra: &[&str]) -> (Vec<String>, Vec<Vec<u8>>) {
    let mut args = vec![":0", "--drop", "0.5", "--seed", "7"];
    args.extend_from_slice(extra);
    let (mut server, addr) = start_server(BIN, &args);
    let peer = client(addr);
    peer.set_read_timeout(Some(Duration::from_millis(20)))
        .unwrap();
    let mut echoes = Vec::new();
    for i in 1..=30 {
        let message = format!("d{i}");
        peer.send(message.as_bytes()).unwrap();
        let size = message.len();
        let announced = format!("datagram #{i} ({size} bytes) dropped");
        let deadline = Instant::now() + PATIENCE;
        let mut buffer = [0; 64];
        loop {
            if let Ok(n) = peer.recv(&mut buffer) {
                echoes.push(buffer[..n].to_vec());
                break;
            }
            if server.stderr.now().contains(&announced) {
                break;
            }
            assert!(Instant::now() < deadline, "neither echo nor drop of {i}");
        }
    }
    peer.send(b"bye").unwrap();
    // bye may be dropped too: then SIGTERM stops the server.
    server.stderr.wait_for("bye received", |t| {
        (t.contains("sent bye") || t.contains("#31 (3 bytes) dropped"))
            .then_some(())
    });
    if !server.stderr.now().contains("sent bye") {
        server.signal(libc::SIGTERM);
    }
    assert_eq!(server.code(), 0);
    let lost = server
        .stderr
        .now()
        .lines()
        .filter(|l| l.contains("simulated loss") && !l.contains("#31 "))
        .map(|l| l.split("datagram ").nth(1).unwrap().to_string())
        .collect();
    (lost, echoes)
}

/// --drop applies to the threaded server as to the sequential one: the
/// same seed drops the same datagrams, and every other one is echoed.
#[cfg(unix)]
#[test]
fn drop_applies_as_in_the_sequential_server() {
    let (sequential, _) = dropped(&[]);
    let (threaded, echoes) = dropped(&["--threaded"]);
    assert_eq!(threaded, sequential);
    assert!((5..=25).contains(&threaded.len()), "{threaded:?}");
    assert_eq!(threaded.len() + echoes.len(), 30);
}

/// Ctrl-C while requests are in flight: a burst of 100 datagrams, and
/// Ctrl-C as soon as the first has been answered. Every request the server
/// received is answered before it exits, and the summary counts exactly
/// the replies the client holds, byte for byte.
#[cfg(unix)]
#[test]
fn ctrl_c_lets_requests_in_flight_finish() {
    let (mut server, addr) = start_server(
        BIN,
        &[
            ":0",
            "--threaded",
            "--keep-open",
            "--handlers",
            "2",
            "--explain",
        ],
    );
    let peer = client(addr);
    let sent: Vec<Vec<u8>> = (0..100)
        .map(|i| format!("burst {i:03}").into_bytes())
        .collect();
    for message in &sent {
        peer.send(message).unwrap();
    }
    server.stderr.wait_for_text("send_to 9 bytes back to");
    server.signal(libc::SIGINT);
    assert_eq!(server.code(), 0);
    let replies = waiting_replies(&peer);
    let stderr = server.stderr.now();
    let queued = stderr.matches("server thread queues request #").count();
    let answered = stderr.matches("send_to 9 bytes back to").count();
    assert!(!replies.is_empty());
    assert_eq!(answered, queued, "a queued request was not answered");
    // The burst was queued in the kernel before the stop's wake-up, so
    // unless the server had received all 100, the first datagram after
    // the stop is one of ours: said to be not answered, not dropped
    // silently.
    let late = stderr.matches("came after the stop: not answered").count();
    assert_eq!(late, usize::from(queued < 100), "{stderr}");
    assert_eq!(replies.len(), queued);
    for reply in &replies {
        assert!(sent.contains(reply), "not one of ours: {reply:?}");
    }
    let bytes = 9 * replies.len();
    assert_eq!(
        summary(&server),
        format!(
            "stopped: {} from 1 sender, {bytes} bytes echoed",
            match queued {
                1 => "1 datagram".to_string(),
                n => format!("{n} datagrams"),
            }
        )
    );
}

/// --handlers belongs to --threaded: alone it is a usage error (exit 2).
#[test]
fn handlers_needs_threaded() {
    let (code, _, stderr) = testkit::run(BIN, &[":0", "--handlers", "3"], b"");
    assert_eq!(code, 2, "{stderr}");
    assert!(stderr.contains("--threaded"), "{stderr}");
}

/// --trace under --threaded: the server thread records each recv_from, a
/// handler thread each send_to, under its own name, and as of the moment
/// the call began.
#[test]
fn trace_names_the_handler_threads() {
    let file = std::env::temp_dir()
        .join(format!("udp-threaded-trace-{}.jsonl", std::process::id()));
    let _ = std::fs::remove_file(&file);
    let path = file.to_str().unwrap();
    let (mut server, addr) =
        start_server(BIN, &[":0", "--threaded", "--trace", path]);
    let peer = client(addr);
    assert_eq!(ask(&peer, b"traced"), b"traced");
    let answered = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .unwrap()
        .as_micros();
    peer.send(b"bye").unwrap();
    assert_eq!(server.code(), 0);
    let trace = std::fs::read_to_string(&file).unwrap();
    let _ = std::fs::remove_file(&file);
    let line = |step: &str| {
        trace
            .lines()
            .find(|l| l.contains(&format!("\"step\":\"{step}\"")))
            .unwrap_or_else(|| panic!("no {step} in:\n{trace}"))
            .to_string()
    };
    assert!(line("recv_from").contains("\"thread\":\"main\""), "{trace}");
    let send_to = line("send_to");
    assert!(send_to.contains("\"thread\":\"handler-"), "{trace}");
    // The send_to is recorded as of when it began, so never after the
    // client had its echo: a drawing puts the arrow the right way round.
    let ts: u128 = send_to
        .split("\"ts\":")
        .nth(1)
        .unwrap()
        .split(',')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    assert!(
        ts <= answered,
        "send_to at {ts}, echo received at {answered}"
    );
    assert!(line("close").contains("\"thread\":\"main\""), "{trace}");
}
