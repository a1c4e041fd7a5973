//! tcp-server --poll: the event-loop design, one thread for every client.
#![allow(clippy::unwrap_used, clippy::expect_used)]
#![cfg(target_os = "linux")] // RSS and the listening socket's owner: /proc.

use std::fs;
use std::io::{ErrorKind, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::{Arc, Barrier};
use std::thread;
use std::time::{Duration, Instant};
use testkit::{PATIENCE, Program, start_server};

const BIN: &str = env!("CARGO_BIN_EXE_tcp-server");

fn connect(addr: SocketAddr) -> TcpStream {
    let stream = testkit::connect(addr);
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream
}

fn round_trip(stream: &mut TcpStream, message: &[u8]) {
    stream.write_all(message).unwrap();
    let mut back = vec![0; message.len()];
    stream.read_exact(&mut back).unwrap();
    testkit::assert_echo(&back, message);
}

/// A message only client `id` sends in round `round`.
fn message(id: usize, round: usize) -> Vec<u8> {
    format!("client {id} round {round} ")
        .bytes()
        .cycle()
        .take(100 + id % 200)
        .collect()
}

/// Stops the server with SIGINT and returns its summary line.
fn stop(server: &mut Program) -> String {
    server.signal(libc::SIGINT);
    assert_eq!(server.code(), 0);
    server.assert_no_panic();
    let stderr = server.stderr.now();
    let line = stderr.lines().find(|l| l.starts_with("stopped: "));
    line.unwrap_or_else(|| panic!("no summary in:\n{stderr}"))
        .to_string()
}

/// The N of `echoed N bytes` in a summary line.
fn echoed_bytes(summary: &str) -> u64 {
    let after = summary.split("echoed ").nth(1).unwrap();
    after.split(' ').next().unwrap().parse().unwrap()
}

/// `clients` connections held at once by `threads` threads; each sends
/// `rounds` messages of its own and checks every byte of each echo.
fn echo_many(addr: SocketAddr, clients: usize, threads: usize, rounds: usize) {
    let all_connected = Arc::new(Barrier::new(threads));
    let workers: Vec<_> = (0..threads)
        .map(|t| {
            let all_connected = Arc::clone(&all_connected);
            thread::spawn(move || {
                let ids: Vec<usize> = (t..clients).step_by(threads).collect();
                let mut streams: Vec<_> =
                    ids.iter().map(|_| connect(addr)).collect();
                all_connected.wait();
                for round in 0..rounds {
                    for (id, stream) in ids.iter().zip(&mut streams) {
                        stream.write_all(&message(*id, round)).unwrap();
                    }
                    for (id, stream) in ids.iter().zip(&mut streams) {
                        let want = message(*id, round);
                        let mut back = vec![0; want.len()];
                        stream.read_exact(&mut back).unwrap();
                        testkit::assert_echo(&back, &want);
                    }
                }
                all_connected.wait(); // Nobody leaves before all are served.
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
}

fn sent_by_echo_many(clients: usize, rounds: usize) -> u64 {
    let per = |id| (0..rounds).map(move |r| message(id, r).len() as u64);
    (0..clients).flat_map(per).sum()
}

/// 1,000 clients connected at once, all echoed exactly by the one thread;
/// the summary counts every one of them and every byte.
#[test]
fn a_thousand_concurrent_clients() {
    let (mut server, addr) =
        start_server(BIN, &[":0", "--poll", "--max-clients", "5000"]);
    echo_many(addr, 1000, 10, 3);
    server.stderr.wait_for_count("closed the connection", 1000);
    let summary = stop(&mut server);
    let bytes = sent_by_echo_many(1000, 3);
    assert_eq!(
        summary,
        format!(
            "stopped: served 1000 clients, echoed {bytes} bytes from 3000 \
             reads, at most 1000 at once"
        )
    );
}

/// The pid of the process that holds the socket listening on `addr`.
fn pid_listening_on(addr: SocketAddr) -> u32 {
    let port = format!(":{:04X}", addr.port());
    let table = fs::read_to_string("/proc/net/tcp").unwrap();
    let inode = table
        .lines()
        .skip(1)
        .map(|l| l.split_whitespace().collect::<Vec<_>>())
        .find(|f| f[1].ends_with(&port) && f[3] == "0A")
        .map(|f| f[9].to_string())
        .unwrap();
    let socket = format!("socket:[{inode}]");
    for entry in fs::read_dir("/proc").unwrap().flatten() {
        let Ok(pid) = entry.file_name().to_string_lossy().parse::<u32>() else {
            continue;
        };
        let Ok(fds) = fs::read_dir(entry.path().join("fd")) else {
            continue;
        };
        for fd in fds.flatten() {
            if fs::read_link(fd.path())
                .is_ok_and(|l| l.to_string_lossy() == socket)
            {
                return pid;
            }
        }
    }
    panic!("nobody listens on {addr}");
}

/// A line of /proc/PID/status in KiB: `VmRSS`, `VmHWM` (the peak).
fn memory_kib(pid: u32, key: &str) -> u64 {
    let status = fs::read_to_string(format!("/proc/{pid}/status")).unwrap();
    let line = status.lines().find(|l| l.starts_with(key)).unwrap();
    line.split_whitespace().nth(1).unwrap().parse().unwrap()
}

/// Sends to `stream` and never reads, until the server has stopped taking
/// bytes (no progress for half a second); returns how many it took.
fn flood_until_stuck(stream: &mut TcpStream) -> u64 {
    stream
        .set_write_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let chunk = vec![b'x'; 64 * 1024];
    let mut sent = 0;
    let deadline = Instant::now() + PATIENCE;
    loop {
        assert!(
            Instant::now() < deadline,
            "the server never stopped reading"
        );
        match stream.write(&chunk) {
            Ok(n) => sent += n as u64,
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::WouldBlock | ErrorKind::TimedOut
                ) =>
            {
                return sent;
            }
            Err(e) => panic!("flood: {e}"),
        }
    }
}

/// A client that sends and never reads its echo: the server stops reading
/// from it (back-pressure) and holds a bounded amount for it, and all 999
/// others are echoed exactly while it is stuck.
#[test]
fn a_client_that_never_reads_stalls_nobody() {
    let (mut server, addr) =
        start_server(BIN, &[":0", "--poll", "--max-clients", "5000"]);
    let pid = pid_listening_on(addr);
    let mut stuck = connect(addr);
    round_trip(&mut stuck, b"warm up");
    let before = memory_kib(pid, "VmRSS");
    let taken = flood_until_stuck(&mut stuck);
    let held = memory_kib(pid, "VmHWM").saturating_sub(before);
    echo_many(addr, 999, 9, 2);
    // Still stuck: the server took nothing more meanwhile.
    assert_eq!(flood_until_stuck(&mut stuck), 0);
    eprintln!("the stuck client sent {taken} bytes; server peak +{held} KiB");
    assert!(taken > 64 * 1024, "back-pressure came too early: {taken}");
    assert!(held < 4 * 1024, "the stuck client cost {held} KiB");
    server.stderr.wait_for_count("closed the connection", 999);
    drop(stuck); // Unread echo: the kernel resets the connection.
    server.stderr.wait_for_text("send failed");
    let summary = stop(&mut server);
    assert!(summary.contains("served 1000 clients"), "{summary}");
}

/// With --max-clients 5, a flood of 20 connects: 5 are served, the others
/// wait in the backlog, and each is served as soon as a slot frees.
#[test]
fn connects_beyond_max_clients_wait_their_turn() {
    let (mut server, addr) =
        start_server(BIN, &[":0", "--poll", "--max-clients", "5"]);
    let mut streams: Vec<_> = (0..20).map(|_| connect(addr)).collect();
    for (id, stream) in streams.iter_mut().enumerate().take(5) {
        round_trip(stream, &message(id, 0));
    }
    server
        .stderr
        .wait_for_text("5 clients connected, the limit");
    for (id, stream) in streams.iter_mut().enumerate().skip(5) {
        stream.write_all(&message(id, 0)).unwrap();
    }
    let welcomed = |text: String| {
        text.lines().filter(|l| l.ends_with(" connected")).count()
    };
    assert_eq!(welcomed(server.stderr.now()), 5);
    // Each client that leaves lets exactly one more in.
    for id in 5..20 {
        drop(streams.remove(0));
        let want = message(id, 0);
        let mut back = vec![0; want.len()];
        let stream = &mut streams[4]; // The one just let in.
        stream.read_exact(&mut back).unwrap();
        testkit::assert_echo(&back, &want);
    }
    drop(streams);
    server.stderr.wait_for_count("closed the connection", 20);
    let summary = stop(&mut server);
    assert!(summary.contains("served 20 clients"), "{summary}");
    assert!(summary.ends_with("at most 5 at once"), "{summary}");
}

/// A reader slower than the writer: 8 MiB sent at once, read back in
/// small pieces at first. The server's writes are partial, and keep the
/// rest: every byte comes back, in order.
#[test]
fn a_slow_reader_loses_nothing() {
    let (mut server, addr) = start_server(BIN, &[":0", "--poll"]);
    let data: Vec<u8> = (0..8 << 20).map(|i: u32| (i % 251) as u8).collect();
    let mut stream = connect(addr);
    let mut writer = stream.try_clone().unwrap();
    let sent = data.clone();
    let writing = thread::spawn(move || {
        writer.write_all(&sent).unwrap();
        writer.shutdown(Shutdown::Write).unwrap();
    });
    let mut back = Vec::with_capacity(data.len());
    let mut small = [0; 512];
    for _ in 0..200 {
        let n = stream.read(&mut small).unwrap();
        back.extend_from_slice(&small[..n]);
        thread::sleep(Duration::from_millis(2));
    }
    stream.read_to_end(&mut back).unwrap();
    writing.join().unwrap();
    assert_eq!(back.len(), data.len());
    assert!(back == data, "the echo differs from what was sent");
    server.stderr.wait_for_text("closed the connection");
    let summary = stop(&mut server);
    assert_eq!(echoed_bytes(&summary), data.len() as u64);
}

/// Ctrl-C while 20 clients are mid-echo (each sends without pause): each
/// gets what was echoed so far and then FIN, and the summary's bytes are
/// exactly the bytes the clients received.
#[test]
fn ctrl_c_mid_echo_gives_an_exact_summary() {
    let (mut server, addr) = start_server(BIN, &[":0", "--poll"]);
    let clients: Vec<_> = (0..20)
        .map(|_| {
            let mut stream = connect(addr);
            let mut writer = stream.try_clone().unwrap();
            thread::spawn(move || {
                let _ = writer.write_all(&[b'z'; 1 << 20]);
            });
            thread::spawn(move || {
                let mut got = 0u64;
                let mut buffer = [0; 16 * 1024];
                loop {
                    match stream.read(&mut buffer) {
                        Ok(0) => break,
                        Ok(n) => got += n as u64,
                        Err(e) => panic!("client read: {e}"),
                    }
                }
                // Our FIN ends the server's goodbye.
                let _ = stream.shutdown(Shutdown::Both);
                got
            })
        })
        .collect();
    server.stderr.wait_for_count(" connected", 20);
    server.stdout.wait_for_count("zzz", 20);
    let summary = stop(&mut server);
    let received: u64 = clients.into_iter().map(|c| c.join().unwrap()).sum();
    assert_eq!(echoed_bytes(&summary), received, "{summary}");
    assert!(received > 0);
    let stderr = server.stderr.now();
    assert_eq!(
        stderr.matches("the server is stopping").count(),
        20,
        "{stderr}"
    );
}

/// --idle-timeout: poll()'s timeout wakes the loop for a silent client.
#[test]
fn idle_client_is_disconnected() {
    let (server, addr) =
        start_server(BIN, &[":0", "--poll", "--idle-timeout", "0.3"]);
    let mut busy = connect(addr);
    let mut silent = connect(addr);
    round_trip(&mut busy, b"still here");
    let mut rest = Vec::new();
    silent.read_to_end(&mut rest).unwrap(); // Ends when the server closes.
    assert!(rest.is_empty());
    server
        .stderr
        .wait_for_text("sent nothing for 300ms: disconnecting");
}

/// --explain tells each poll() and each WouldBlock; --once stops.
#[test]
fn explain_tells_each_poll_and_would_block() {
    let (mut server, addr) =
        start_server(BIN, &[":0", "--poll", "--once", "--explain"]);
    let mut client = connect(addr);
    round_trip(&mut client, b"hello");
    // Open until then, so the read after the echo finds nothing (no FIN).
    server
        .stderr
        .wait_for_text("nothing more for us: back to poll()");
    drop(client);
    assert_eq!(server.code(), 0);
    let stderr = server.stderr.now();
    for needle in [
        "poll: 1 event: listener 127.0.0.1:",
        "readable — a readable listener has handshakes waiting",
        "accept: WouldBlock — no more finished handshakes wait",
        "recv from 127.0.0.1:",
        ": WouldBlock — the kernel has nothing more for us: back to poll()",
        "stopped: served 1 client, echoed 5 bytes from 1 read, at most 1",
        "recv() then copies what has arrived and send() takes what fits",
    ] {
        assert!(stderr.contains(needle), "no {needle:?} in:\n{stderr}");
    }
    // The blocking designs' sentences are not the event loop's.
    for wrong in ["recv() waited for bytes", "like sendall()"] {
        assert!(!stderr.contains(wrong), "{wrong:?} in:\n{stderr}");
    }
}

/// Edge-triggered readiness: one readable event for a 26-byte message,
/// read 8 bytes at a time. The loop must read until WouldBlock, or the
/// last 18 bytes would wait for an event that never comes.
#[test]
fn reads_until_would_block_with_a_small_buffer() {
    let (mut server, addr) =
        start_server(BIN, &[":0", "--poll", "--buffer", "8", "--once"]);
    let mut client = connect(addr);
    round_trip(&mut client, b"a message of 26 characters");
    drop(client);
    assert_eq!(server.code(), 0);
    let stderr = server.stderr.now();
    assert!(stderr.contains("echoed 26 bytes from 4 reads"), "{stderr}");
}

/// Out of file descriptors (`prlimit --nofile`): accept() fails, the
/// server says so and keeps listening, and serves the waiting clients as
/// soon as descriptors are free again.
#[test]
fn out_of_descriptors_keeps_listening() {
    let mut server = testkit::start(
        "prlimit",
        &["--nofile=16", "--", BIN, ":0", "--poll"],
        b"",
    );
    let addr = server.listening_addr();
    // The handshakes succeed (the kernel queues them): more clients than
    // the server has descriptors for.
    let mut clients: Vec<_> = (0..20).map(|_| connect(addr)).collect();
    server.stderr.wait_for_text("accept failed: ");
    assert!(server.stderr.now().contains("still listening"));
    for (id, client) in clients.iter_mut().enumerate() {
        client.write_all(&message(id, 0)).unwrap();
    }
    // Served one by one as the earlier ones leave.
    for id in 0..20 {
        let mut client = clients.remove(0);
        let want = message(id, 0);
        let mut back = vec![0; want.len()];
        client.read_exact(&mut back).unwrap();
        testkit::assert_echo(&back, &want);
    }
    server.stderr.wait_for_count("closed the connection", 20);
    let summary = stop(&mut server);
    assert!(summary.contains("served 20 clients"), "{summary}");
}

/// A client that sends without a pause (and reads its echo as fast) never
/// runs out of bytes to read, so "read until WouldBlock" alone would keep
/// the loop on it: each client gets a few reads per turn, and another
/// client's round trips go on meanwhile.
#[test]
fn a_busy_client_does_not_starve_the_others() {
    let (mut server, addr) = start_server(BIN, &[":0", "--poll"]);
    let busy = connect(addr);
    let mut writer = busy.try_clone().unwrap();
    let done = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let stop_writing = Arc::clone(&done);
    let writing = thread::spawn(move || {
        let chunk = vec![b'b'; 64 * 1024];
        let mut sent = 0u64;
        // Bounded: 4 GiB at most, or until the other client is done.
        while !stop_writing.load(std::sync::atomic::Ordering::SeqCst)
            && sent < 4 << 30
        {
            writer.write_all(&chunk).unwrap();
            sent += chunk.len() as u64;
        }
        writer.shutdown(Shutdown::Write).unwrap();
        sent
    });
    let mut reader = busy;
    let reading = thread::spawn(move || {
        let mut buffer = vec![0; 64 * 1024];
        let mut got = 0u64;
        loop {
            match reader.read(&mut buffer).unwrap() {
                0 => return got,
                n => got += n as u64,
            }
        }
    });
    server.stdout.wait_for_text("bbbb"); // The flood is under way.
    let mut other = connect(addr);
    for round in 0..50 {
        round_trip(&mut other, &message(1, round));
    }
    done.store(true, std::sync::atomic::Ordering::SeqCst);
    let sent = writing.join().unwrap();
    assert!(
        sent < 4 << 30,
        "the other client waited for the flood to end"
    );
    assert_eq!(reading.join().unwrap(), sent);
    drop(other);
    server.stderr.wait_for_count("closed the connection", 2);
    stop(&mut server);
}

/// What --poll prints is what the sequential server prints, line for
/// line, for the same conversation: the data lines, the --hex dump with
/// its stream offsets, a character split across two reads, the closing
/// line and the summary.
#[test]
fn prints_what_the_sequential_server_prints() {
    let run = |design: &[&str]| {
        let mut args = vec![":0", "--hex", "--once"];
        args.extend_from_slice(design);
        let (mut server, addr) = start_server(BIN, &args);
        let mut client = connect(addr);
        for piece in [&b"tab\there, a\xe4\xbd"[..], b"\xa0!\n", b"\x1b[2J"] {
            round_trip(&mut client, piece);
        }
        drop(client);
        assert_eq!(server.code(), 0);
        let address = client_address(&server.stderr.now());
        let tidy = |text: String| {
            let text = text.replace(&address, "CLIENT");
            let lines = text.lines().filter(|l| !l.starts_with("listening"));
            lines.map(String::from).collect::<Vec<_>>()
        };
        (tidy(server.stdout.now()), tidy(server.stderr.now()))
    };
    let sequential = run(&[]);
    let event_loop = run(&["--poll"]);
    assert_eq!(event_loop, sequential);
    assert!(sequential.0.iter().any(|l| l.starts_with("0000000d  ")));
}

/// The client's address in a server's `ADDRESS connected` line.
fn client_address(stderr: &str) -> String {
    let line = stderr.lines().find(|l| l.ends_with(" connected")).unwrap();
    line.trim_end_matches(" connected").to_string()
}
