//! tcp-server against clients that misbehave on purpose: clients that send
//! and never read, stops while a send is blocked, streams cut off by a stop,
//! and a machine short of memory. Real processes, loopback, port 0; every
//! loop is bounded in count and every wait in time. Unix only: most of it
//! stops servers with signals or limits their memory with ulimit.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::thread;
use std::time::{Duration, Instant};
use testkit::{PATIENCE, Program, start_server};

const BIN: &str = env!("CARGO_BIN_EXE_tcp-server");

/// A client that sends and never reads.
struct Hog {
    pushing: Option<thread::JoinHandle<()>>,
    done: Arc<AtomicBool>,
}

impl Hog {
    /// Connects and writes 64 KiB blocks until a write makes no progress
    /// for 300 ms: both directions are full, so the server is stuck sending
    /// an echo that will never be read. Then goes on pushing in the
    /// background, as a real flood would, until dropped or disconnected.
    fn stalled(addr: SocketAddr) -> Hog {
        let stream = testkit::connect(addr);
        // A small, fixed receive buffer: once it is full, the server's
        // send cannot make any progress at all.
        socket2::SockRef::from(&stream)
            .set_recv_buffer_size(64 * 1024)
            .unwrap();
        stream
            .set_write_timeout(Some(Duration::from_millis(300)))
            .unwrap();
        let block = vec![b'A'; 64 * 1024];
        // 16 GiB at most; loopback buffers fill after a few megabytes.
        let mut stalled = false;
        for _ in 0..(1 << 18) {
            match (&stream).write(&block) {
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    stalled = true;
                    break;
                }
                Err(e) => panic!("the hog could not send: {e}"),
            }
        }
        assert!(stalled, "the hog's writes never stalled");
        let done = Arc::new(AtomicBool::new(false));
        let pushing = {
            let done = Arc::clone(&done);
            thread::spawn(move || {
                let deadline = Instant::now() + PATIENCE;
                while !done.load(Ordering::SeqCst) && Instant::now() < deadline
                {
                    match (&stream).write(&block) {
                        Ok(_) => {}
                        Err(e) if e.kind() == ErrorKind::WouldBlock => {}
                        Err(_) => break, // Disconnected by the server.
                    }
                }
            })
        };
        Hog {
            pushing: Some(pushing),
            done,
        }
    }
}

impl Drop for Hog {
    fn drop(&mut self) {
        self.done.store(true, Ordering::SeqCst);
        if let Some(pushing) = self.pushing.take() {
            let _ = pushing.join();
        }
    }
}

/// Sends `message` on a new connection and reads the echo back.
fn round_trip(addr: SocketAddr, message: &[u8]) {
    let mut stream = testkit::connect(addr);
    stream.write_all(message).unwrap();
    let mut back = vec![0; message.len()];
    stream.read_exact(&mut back).unwrap();
    testkit::assert_echo(&back, message);
}

/// The last line on stderr, which must be the summary.
fn summary(server: &Program) -> String {
    let stderr = server.stderr.now();
    let last = stderr.lines().last().unwrap_or_default().to_string();
    assert!(last.starts_with("stopped: "), "{stderr}");
    last
}

/// The number after `echoed ` in a summary line.
fn echoed(summary: &str) -> u64 {
    let after = summary.split("echoed ").nth(1).unwrap();
    after.split(' ').next().unwrap().parse().unwrap()
}

/// `--idle-timeout 1` drops a client that sends and never reads, in both
/// modes: nothing is received and none of the echo is taken for a second.
/// The next client (waiting for the one slot) is then served.
#[test]
fn client_that_never_reads_is_idle() {
    for mode in [&[][..], &["--threaded", "--max-clients", "1"]] {
        let mut args = vec![":0", "--idle-timeout", "1"];
        args.extend_from_slice(mode);
        let (server, addr) = start_server(BIN, &args);
        let hog = Hog::stalled(addr);
        let stalled = Instant::now();
        round_trip(addr, b"next");
        let waited = stalled.elapsed();
        server.stderr.wait_for_text("took none of its echo for 1s");
        // About one second; the bound only catches "never".
        assert!(waited < Duration::from_secs(6), "{mode:?}: {waited:?}");
        drop(hog);
        server.assert_no_panic();
    }
}

/// SIGINT while the sequential server is blocked sending to a client that
/// never reads: a graceful stop within the grace period (2 s) plus 1 s,
/// exit 0 and a summary. Eight servers at once, every one must stop.
#[cfg(unix)]
#[test]
fn stop_while_blocked_sending() {
    let runs: Vec<_> = (0..8)
        .map(|_| {
            thread::spawn(|| {
                let (mut server, addr) = start_server(BIN, &[":0"]);
                let _hog = Hog::stalled(addr);
                // The hog keeps pushing for a while, as a flood would.
                thread::sleep(Duration::from_secs(1));
                let asked = Instant::now();
                server.signal(libc::SIGINT);
                assert_eq!(server.code(), 0, "{}", server.stderr.now());
                let took = asked.elapsed();
                assert!(took < Duration::from_secs(3), "took {took:?}");
                let summary = summary(&server);
                assert!(summary.contains("served 1 client"), "{summary}");
                server.assert_no_panic();
            })
        })
        .collect();
    for run in runs {
        run.join().unwrap();
    }
}

/// Four clients stream to a threaded server until SIGINT stops it: the
/// bytes echoed in the summary are exactly the bytes the four clients
/// received, and the summary is the last line printed.
#[cfg(unix)]
#[test]
fn summary_counts_what_streaming_clients_received() {
    let (mut server, addr) = start_server(BIN, &[":0", "--threaded"]);
    let received = Arc::new(AtomicU64::new(0));
    let clients: Vec<_> = (0..4)
        .map(|_| {
            let stream = testkit::connect(addr);
            let received = Arc::clone(&received);
            thread::spawn(move || stream_until_closed(stream, &received))
        })
        .collect();
    // Let every client see some echo before the stop.
    let deadline = Instant::now() + PATIENCE;
    while received.load(Ordering::SeqCst) < 32 << 20 {
        assert!(Instant::now() < deadline, "the echo never flowed");
        thread::sleep(Duration::from_millis(10));
    }
    server.signal(libc::SIGINT);
    assert_eq!(server.code(), 0);
    for client in clients {
        client.join().unwrap();
    }
    let summary = summary(&server);
    assert!(summary.contains("served 4 clients"), "{summary}");
    assert_eq!(
        echoed(&summary),
        received.load(Ordering::SeqCst),
        "{summary}"
    );
    server.assert_no_panic();
}

/// Sends 256 KiB blocks while a second thread reads and counts the echo,
/// until the server closes the connection; then closes its own side.
fn stream_until_closed(stream: TcpStream, received: &AtomicU64) {
    stream.set_write_timeout(Some(PATIENCE)).unwrap();
    let done = Arc::new(AtomicBool::new(false));
    let mut writer = stream.try_clone().unwrap();
    let writing = {
        let done = Arc::clone(&done);
        thread::spawn(move || {
            let block = vec![b's'; 256 * 1024];
            // 64 GiB at most: far more than a test run can move.
            for _ in 0..(1 << 18) {
                if done.load(Ordering::SeqCst)
                    || writer.write_all(&block).is_err()
                {
                    break;
                }
            }
        })
    };
    let mut buffer = vec![0; 1 << 20];
    loop {
        match (&stream).read(&mut buffer) {
            Ok(0) => break,
            Ok(n) => {
                received.fetch_add(n as u64, Ordering::SeqCst);
            }
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => panic!("the echo broke off: {e}"),
        }
    }
    done.store(true, Ordering::SeqCst);
    let _ = stream.shutdown(Shutdown::Write);
    writing.join().unwrap();
}

/// Under an address-space limit of 120 MiB, 200 clients at once against
/// the threaded server: each is served or refused with a warning, and the
/// server neither aborts nor stops serving.
#[cfg(target_os = "linux")]
#[test]
fn threaded_server_under_a_memory_limit() {
    under_a_memory_limit(122_880, 200, &[]);
}

/// The case: 40,000 KiB of address space, 300 clients. About 170
/// fit; the rest must be refused with a note, and the server must serve
/// on and stop with exit 0 (it used to abort: "memory allocation of 41
/// bytes failed", "failed to allocate an alternative stack").
#[cfg(target_os = "linux")]
#[test]
fn threaded_server_refuses_what_does_not_fit() {
    let refused = under_a_memory_limit(40_000, 300, &[]);
    assert!(
        refused > 0,
        "300 clients fit in 40,000 KiB: no limit reached"
    );
}

/// The same with a large `--buffer`: each handler's 1 MiB buffer is made
/// before its thread starts, where a failure refuses one client, and
/// counts before the next client's check (it used to be made by each new
/// thread, after a check that could not see the buffers of the threads
/// just started: a crowd of them then made the server abort).
#[cfg(target_os = "linux")]
#[test]
fn a_large_buffer_is_refused_not_an_abort() {
    let refused = under_a_memory_limit(40_000, 300, &["--buffer", "1048576"]);
    assert!(refused > 200, "300 clients with 1 MiB each in 40,000 KiB");
}

/// Runs the threaded server under `ulimit -v KIB` with `clients` at once;
/// checks that each is served or refused, that the server still serves
/// and stops cleanly. Returns how many were refused.
#[cfg(target_os = "linux")]
fn under_a_memory_limit(kib: u32, clients: usize, more: &[&str]) -> usize {
    let limit = format!("ulimit -v {kib} && exec \"$0\" \"$@\"");
    let mut args = vec!["-c", &limit, BIN, ":0", "--threaded"];
    args.extend(["--max-clients", "2000", "--backlog", "1024"]);
    args.extend_from_slice(more);
    let server = testkit::start("sh", &args, b"");
    let addr = server.listening_addr();
    let mut server = server;
    let streams: Vec<TcpStream> =
        (0..clients).map(|_| testkit::connect(addr)).collect();
    let mut served = 0;
    // Every client stays connected until all have been checked, so that
    // all of them are there at once.
    for stream in &streams {
        let mut stream = stream;
        // A refused client sees its connection closed instead of an echo.
        if stream.write_all(b"hi").is_ok() {
            let mut back = [0; 2];
            if stream.read_exact(&mut back).is_ok() {
                testkit::assert_echo(&back, b"hi");
                served += 1;
            }
        }
    }
    // Each client not served was refused with a note (which may reach us
    // a moment after its connection was closed).
    server
        .stderr
        .wait_for_count("cannot start a thread", clients - served);
    let refused = server.stderr.now().matches("cannot start a thread").count();
    assert_eq!(served + refused, clients, "{}", server.stderr.now());
    drop(streams);
    // Once every served client's handler has ended, there is room again.
    server
        .stderr
        .wait_for_count("closed the connection", served);
    // Still serving after all that.
    round_trip(addr, b"still here");
    server.signal(libc::SIGTERM);
    assert_eq!(server.code(), 0, "{}", server.stderr.now());
    server.assert_no_panic();
    refused
}

/// Starts the server under `ulimit -n LIMIT`: at most LIMIT descriptors.
#[cfg(target_os = "linux")]
fn start_with_descriptors(limit: u32, args: &[&str]) -> Program {
    let limit = format!("ulimit -n {limit} && exec \"$0\" \"$@\"");
    let mut command = vec!["-c", limit.as_str(), BIN];
    command.extend_from_slice(args);
    testkit::start("sh", &command, b"")
}

/// With no descriptor free for anything else (`ulimit -n 5`: stdin,
/// stdout, stderr, the listener, and the one a waiting accept() holds for
/// its next connection), Ctrl-C still stops the server within 3 s, with a
/// summary and exit 0, in both modes. (The wake-up's socket used to be made
/// at the stop, when there was no descriptor left for it.)
#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_stops_with_no_descriptor_free() {
    for mode in [&[":0"][..], &[":0", "--threaded"]] {
        let mut server = start_with_descriptors(5, mode);
        server.listening_addr();
        let asked = Instant::now();
        server.signal(libc::SIGINT);
        assert_eq!(server.code(), 0, "{mode:?}: {}", server.stderr.now());
        let took = asked.elapsed();
        assert!(took < Duration::from_secs(3), "{mode:?}: took {took:?}");
        let summary = summary(&server);
        assert!(summary.contains("served 0 clients"), "{summary}");
        server.assert_no_panic();
    }
}

/// With no descriptor left, accept() fails at once, again and again, with
/// nobody connecting: that is said once, not ten times a second, and the
/// first accept that works again says how many failed. Under `ulimit -n 7`
/// two clients take the descriptors (five are stdin, stdout, stderr, the
/// listener and the stop's wake-up; the roster's handle to a connection
/// shares its descriptor).
#[cfg(target_os = "linux")]
#[test]
fn accept_failures_are_said_once() {
    let mut server = start_with_descriptors(7, &[":0", "--threaded"]);
    let addr = server.listening_addr();
    let first = testkit::connect(addr);
    let mut check = &first;
    check.write_all(b"a").unwrap();
    check.read_exact(&mut [0; 1]).unwrap();
    let second = testkit::connect(addr);
    let mut check = &second;
    check.write_all(b"b").unwrap();
    check.read_exact(&mut [0; 1]).unwrap();
    server
        .stderr
        .wait_for_text("accept failed: too many open files");
    // Ten times a second it used to be: a second would show ten lines.
    thread::sleep(Duration::from_secs(1));
    let said = server.stderr.now().matches("accept failed").count();
    assert_eq!(said, 1, "{}", server.stderr.now());
    drop(first);
    round_trip(addr, b"third");
    server.stderr.wait_for_text("accept works again, after ");
    server.signal(libc::SIGINT);
    assert_eq!(server.code(), 0, "{}", server.stderr.now());
    server.assert_no_panic();
}

/// A threaded server spends one descriptor a client: the roster's handle
/// (to cut a stuck client off at the stop) shares the connection's
/// descriptor instead of duplicating it. Under `ulimit -n 10`, five for
/// the server itself, four clients are all served, and a descriptor is
/// still free for the next accept() (with two a client, the third failed).
#[cfg(target_os = "linux")]
#[test]
fn threaded_spends_one_descriptor_a_client() {
    let mut server = start_with_descriptors(10, &[":0", "--threaded"]);
    let addr = server.listening_addr();
    let clients: Vec<_> = (0..4).map(|_| testkit::connect(addr)).collect();
    for (i, client) in clients.iter().enumerate() {
        let mut client = client;
        let message = [b'a' + i as u8];
        client.write_all(&message).unwrap();
        let mut back = [0; 1];
        client.read_exact(&mut back).unwrap();
        assert_eq!(back, message);
    }
    server.stderr.wait_for_count(" connected", 4);
    assert!(
        !server.stderr.now().contains("accept failed"),
        "{}",
        server.stderr.now()
    );
    server.signal(libc::SIGINT);
    assert_eq!(server.code(), 0, "{}", server.stderr.now());
    assert!(
        server.stderr.now().contains("served 4 clients"),
        "{}",
        server.stderr.now()
    );
}
