//! tcp-server --threaded: the socketserver design, with limits and stops.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
#[cfg(unix)]
use std::net::Shutdown;
use std::net::{SocketAddr, TcpStream};
use std::thread;
#[cfg(unix)]
use std::time::{Duration, Instant};
use testkit::{PATIENCE, start_server};

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

/// 50 clients at once, each checking every byte of its own echoes.
#[test]
fn fifty_concurrent_clients() {
    let (server, addr) = start_server(BIN, &[":0", "--threaded"]);
    let clients: Vec<_> = (0..50u8)
        .map(|id| {
            thread::spawn(move || {
                let mut stream = connect(addr);
                for round in 0..20u8 {
                    let message: Vec<u8> =
                        (0..300).map(|i| id ^ round ^ (i as u8)).collect();
                    round_trip(&mut stream, &message);
                }
            })
        })
        .collect();
    for client in clients {
        client.join().unwrap();
    }
    server.stderr.wait_for_count("closed the connection", 50);
    server.assert_no_panic();
}

/// With --max-clients 2, a third client waits in the backlog and is served
/// as soon as one of the first two leaves.
#[test]
fn max_clients_makes_the_third_wait() {
    let (server, addr) =
        start_server(BIN, &[":0", "--threaded", "--max-clients", "2"]);
    let mut first = connect(addr);
    let mut second = connect(addr);
    round_trip(&mut first, b"one");
    round_trip(&mut second, b"two");
    server
        .stderr
        .wait_for_text("2 clients connected, the limit");
    // The handshake succeeds (the kernel queues it), but nobody reads yet.
    let mut third = connect(addr);
    third.write_all(b"three").unwrap();
    let welcomed = |text: String| {
        text.lines().filter(|l| l.ends_with(" connected")).count()
    };
    assert_eq!(welcomed(server.stderr.now()), 2);
    drop(first);
    let mut back = [0; 5];
    third.read_exact(&mut back).unwrap();
    assert_eq!(&back, b"three");
    round_trip(&mut second, b"still two");
    server.stderr.wait_for("the third welcome", |text| {
        (welcomed(text.to_string()) == 3).then_some(())
    });
}

/// --idle-timeout disconnects a client that sends nothing.
#[test]
fn idle_client_is_disconnected() {
    let (server, addr) =
        start_server(BIN, &[":0", "--threaded", "--idle-timeout", "0.3"]);
    let mut silent = connect(addr);
    let mut rest = Vec::new();
    silent.read_to_end(&mut rest).unwrap(); // Ends when the server closes.
    assert!(rest.is_empty());
    server
        .stderr
        .wait_for_text("sent nothing for 300ms: disconnecting");
}

/// --threaded --once stops the whole server, from the handler's thread,
/// when the first client leaves: exit 0, no deadlock.
#[test]
fn once_stops_from_the_handler() {
    let (mut server, addr) = start_server(BIN, &[":0", "--threaded", "--once"]);
    let mut client = connect(addr);
    round_trip(&mut client, b"only");
    drop(client);
    assert_eq!(server.code(), 0);
    assert!(
        server
            .stderr
            .now()
            .contains("stopped: served 1 client, echoed 4 bytes from 1 read")
    );
}

/// Lines from many threads never mix: every stdout line is one whole
/// `ADDRESS: text` line from one client.
#[test]
fn concurrent_output_lines_are_whole() {
    let (server, addr) = start_server(BIN, &[":0", "--threaded"]);
    let clients: Vec<_> = (0..16u8)
        .map(|id| {
            thread::spawn(move || {
                let mut stream = connect(addr);
                let letter = b'a' + id;
                for _ in 0..20 {
                    round_trip(&mut stream, &[letter; 200]);
                }
            })
        })
        .collect();
    for client in clients {
        client.join().unwrap();
    }
    // Every echo came back, so every line was printed; wait until the
    // reader of the server's stdout has caught up with all of them.
    server.stdout.wait_for_count("\n", 16 * 20);
    let stdout = server.stdout.now();
    let mut letters = 0;
    for line in stdout.lines() {
        let (who, text) = line.split_once(": ").unwrap();
        assert!(who.parse::<SocketAddr>().is_ok(), "{line:?}");
        let first = text.as_bytes()[0];
        assert!(text.bytes().all(|b| b == first), "mixed line {line:?}");
        letters += text.len();
    }
    assert_eq!(letters, 16 * 20 * 200);
}

/// The summary counts the most clients served at once.
#[cfg(unix)]
#[test]
fn summary_counts_peak_clients() {
    let (mut server, addr) = start_server(BIN, &[":0", "--threaded"]);
    let mut streams: Vec<_> = (0..3).map(|_| connect(addr)).collect();
    for stream in &mut streams {
        round_trip(stream, b"hi");
    }
    server.signal(libc::SIGTERM);
    assert_eq!(server.code(), 0);
    let stderr = server.stderr.now();
    assert!(
        stderr.contains(
            "served 3 clients, echoed 6 bytes from 3 reads, at most 3 at once"
        ),
        "{stderr}"
    );
}

/// The summary is exact with 20 clients echoing at the same time: every
/// read and every byte of every conversation is counted once.
#[cfg(unix)]
#[test]
fn summary_is_exact_with_twenty_concurrent_clients() {
    let (mut server, addr) = start_server(BIN, &[":0", "--threaded"]);
    // All 20 are connected and served before any leaves: the peak is 20.
    let mut streams: Vec<_> = (0..20).map(|_| connect(addr)).collect();
    for stream in &mut streams {
        round_trip(stream, b"hi");
    }
    // Client `id` then sends `id` more messages of `id * 10` bytes.
    let clients: Vec<_> = streams
        .into_iter()
        .enumerate()
        .map(|(id, mut stream)| {
            thread::spawn(move || {
                for round in 0..id {
                    let message = vec![b'a' + (round % 26) as u8; id * 10];
                    round_trip(&mut stream, &message);
                }
            })
        })
        .collect();
    for client in clients {
        client.join().unwrap();
    }
    server.stderr.wait_for_count("closed the connection", 20);
    server.signal(libc::SIGTERM);
    assert_eq!(server.code(), 0);
    let reads = 20 + (0..20).sum::<usize>();
    let bytes = 20 * 2 + (0..20).map(|id| id * id * 10).sum::<usize>();
    let stderr = server.stderr.now();
    let want = format!(
        "served 20 clients, echoed {bytes} bytes from {reads} reads, at most \
         20 at once"
    );
    assert!(stderr.contains(&want), "wanted {want:?} in:\n{stderr}");
}

/// A --hex dump longer than a pipe takes in one piece (a 1024-byte read
/// makes 64 rows, about 5 KB) still comes out whole while other clients
/// print, right under its own line: no line of another client lands
/// inside it or between the two.
#[test]
fn long_hex_dumps_stay_whole() {
    let (server, addr) = start_server(BIN, &[":0", "--threaded", "--hex"]);
    let clients: Vec<_> = (0..8u8)
        .map(|id| {
            thread::spawn(move || {
                let mut stream = connect(addr);
                for _ in 0..10 {
                    round_trip(&mut stream, &[b'a' + id; 1024]);
                }
            })
        })
        .collect();
    for client in clients {
        client.join().unwrap();
    }
    // One text line and 64 rows of dump for each of the 80 echoes.
    server.stdout.wait_for_count("\n", 80 * 65);
    let stdout = server.stdout.now();
    // Dumps in the order printed: (first offset, letter, rows).
    let mut dumps: Vec<(usize, u8, usize)> = Vec::new();
    let mut in_dump = false;
    // The letter of the data line just before, if the last line was one.
    let mut line_of = None;
    for line in stdout.lines() {
        let Some((offset, letter)) = hex_row(line) else {
            let (who, text) = line.split_once(": ").unwrap();
            assert!(who.parse::<SocketAddr>().is_ok(), "{line:?}");
            assert_eq!(text.len(), 1024, "{line:?}");
            in_dump = false;
            line_of = text.bytes().next();
            continue;
        };
        let under_its_line = line_of.take() == Some(letter);
        match dumps.last_mut() {
            // The next row of the dump under way.
            Some((first, was, rows)) if in_dump && offset % 1024 != 0 => {
                assert_eq!(letter, *was, "mixed dump at {line:?}");
                assert_eq!(offset, *first + *rows * 16, "{line:?}");
                *rows += 1;
            }
            _ => {
                assert_eq!(offset % 1024, 0, "dump cut at {line:?}");
                assert!(under_its_line, "a dump away from its line: {line:?}");
                dumps.push((offset, letter, 1));
                in_dump = true;
            }
        }
    }
    assert_eq!(dumps.len(), 80);
    assert!(dumps.iter().all(|&(_, _, rows)| rows == 64), "{dumps:?}");
}

/// The offset and the one letter of a full hex row of 16 equal letters,
/// as `--hex` prints them; `None` for any other line.
fn hex_row(line: &str) -> Option<(usize, u8)> {
    let (offset, rest) = line.split_once("  ")?;
    let offset = usize::from_str_radix(offset, 16).ok()?;
    let (_, text) = rest.split_once('|')?;
    let text = text.strip_suffix('|')?.as_bytes();
    let letter = *text.first()?;
    let hex = format!("{letter:02x} ").repeat(8);
    let row = format!("{}  {}  |", hex.trim_end(), hex.trim_end());
    let whole = text.len() == 16 && text.iter().all(|&b| b == letter);
    (whole && rest.starts_with(&row)).then_some((offset, letter))
}

/// `tcp-server --threaded` on a free port, in English, with its stdout
/// and stderr where a test wants them.
#[cfg(unix)]
fn threaded_server(
    args: &[&str],
    stdout: std::process::Stdio,
    stderr: std::process::Stdio,
) -> std::process::Child {
    std::process::Command::new(BIN)
        .args(["127.0.0.1:0", "--threaded"])
        .args(args)
        .env("NO_COLOR", "1")
        .env("LC_ALL", "C.UTF-8")
        .stdout(stdout)
        .stderr(stderr)
        .spawn()
        .unwrap()
}

/// Data lines to a pipe are gathered, yet each one arrives on its own
/// (no later line pushes it out) and in order with stderr on the same
/// pipe: a client's lines come after its `connected` and before its
/// `closed`, and none is lost when the server stops.
#[cfg(unix)]
#[test]
fn gathered_data_lines_keep_their_place() {
    let (reader, writer) = std::io::pipe().unwrap();
    let both = writer.try_clone().unwrap();
    let mut server = threaded_server(&[], both.into(), writer.into());
    // Both ends of the pipe's writing side now belong to the server.
    let lines = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let collected = std::sync::Arc::clone(&lines);
    let collecting = thread::spawn(move || {
        let mut reader = reader;
        let mut chunk = [0; 4096];
        while let Ok(n @ 1..) = reader.read(&mut chunk) {
            let text = String::from_utf8_lossy(&chunk[..n]);
            collected.lock().unwrap().push_str(&text);
        }
    });
    let seen = || lines.lock().unwrap().clone();
    let wait_for_count = |needle: &str, count: usize| {
        let deadline = std::time::Instant::now() + PATIENCE;
        while seen().matches(needle).count() < count {
            assert!(std::time::Instant::now() < deadline, "{}", seen());
            thread::sleep(std::time::Duration::from_millis(5));
        }
    };
    let wait_for = |needle: &str| wait_for_count(needle, 1);
    wait_for("Ctrl-C stops");
    let addr = testkit::listening_addr_in(&seen()).unwrap();
    for client in 0..3 {
        let mut stream = connect(addr);
        // The line arrives with nothing after it to push it out.
        round_trip(&mut stream, format!("c{client} first\n").as_bytes());
        wait_for(&format!("c{client} first"));
        for n in 0..40 {
            round_trip(&mut stream, format!("c{client} {n}\n").as_bytes());
        }
        drop(stream);
        // Closed before the next one connects: their lines cannot mix.
        wait_for_count(" closed the connection", client + 1);
    }
    let pid = server.id().to_string();
    let mut kill = std::process::Command::new("kill");
    assert!(kill.args(["-INT", &pid]).status().unwrap().success());
    assert!(server.wait().unwrap().success());
    collecting.join().unwrap();
    let text = seen();
    let mut at = 0;
    let mut next = |needle: &str| match text[at..].find(needle) {
        Some(i) => at += i + needle.len(),
        None => panic!("{needle:?} not in order in:\n{text}"),
    };
    for client in 0..3 {
        next(" connected\n");
        next(&format!("c{client} first"));
        // One read can hold several lines; each line appears, in order.
        for n in 0..40 {
            next(&format!("c{client} {n}\\n"));
        }
        next(" closed the connection");
    }
    next("stopped: served 3 clients");
}

/// Bytes waiting in a pipe, not yet read.
#[cfg(unix)]
fn unread(pipe: &std::io::PipeReader) -> usize {
    use std::os::fd::AsRawFd;
    let mut waiting: libc::c_int = 0;
    #[allow(unsafe_code)]
    // SAFETY: FIONREAD writes one int to a pointer to a live int.
    unsafe {
        libc::ioctl(pipe.as_raw_fd(), libc::FIONREAD, &mut waiting);
    }
    waiting as usize
}

/// A stdout nobody reads (a full pipe) holds up neither stderr nor the
/// stop: a new client is still greeted, and a second Ctrl-C stops at once.
#[cfg(unix)]
#[test]
fn a_stuck_stdout_holds_up_neither_stderr_nor_the_stop() {
    let (reader, writer) = std::io::pipe().unwrap();
    let piped = std::process::Stdio::piped();
    let mut server = threaded_server(&[], writer.into(), piped);
    let stderr = server.stderr.take().unwrap();
    let said = std::sync::Arc::new(std::sync::Mutex::new(String::new()));
    let heard = std::sync::Arc::clone(&said);
    thread::spawn(move || {
        let mut stderr = stderr;
        let mut chunk = [0; 4096];
        while let Ok(n @ 1..) = stderr.read(&mut chunk) {
            let text = String::from_utf8_lossy(&chunk[..n]);
            heard.lock().unwrap().push_str(&text);
        }
    });
    let wait_for = |needle: &str, count: usize| {
        let deadline = std::time::Instant::now() + PATIENCE;
        loop {
            let text = said.lock().unwrap().clone();
            if text.matches(needle).count() >= count {
                return text;
            }
            assert!(std::time::Instant::now() < deadline, "{needle}: {text}");
            thread::sleep(std::time::Duration::from_millis(5));
        }
    };
    let text = wait_for("Ctrl-C stops", 1);
    let addr = testkit::listening_addr_in(&text).unwrap();
    // A flood of lines until the pipe is full: its data lines stop there.
    let flood = connect(addr);
    let mut sending = flood.try_clone().unwrap();
    thread::spawn(move || {
        let line = [b'x'; 200];
        for _ in 0..20_000 {
            if sending.write_all(&line).is_err() {
                return;
            }
        }
    });
    let mut draining = flood;
    thread::spawn(move || {
        let mut sink = [0; 65536];
        while let Ok(1..) = draining.read(&mut sink) {}
    });
    // Full: most of its 64 KiB hold lines, and no more come while the
    // flood goes on (a write of a batch waits for room for all of it).
    let deadline = std::time::Instant::now() + PATIENCE;
    let mut before = 0;
    loop {
        thread::sleep(std::time::Duration::from_millis(300));
        let now = unread(&reader);
        if now > 40_000 && now == before {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "{now} bytes");
        before = now;
    }
    // With stdout stuck, a new client is still greeted on stderr.
    let _idle = connect(addr);
    wait_for(" connected", 2);
    let pid = server.id().to_string();
    let interrupt = || {
        let mut kill = std::process::Command::new("kill");
        assert!(kill.args(["-INT", &pid]).status().unwrap().success());
    };
    interrupt();
    wait_for("the server is stopping", 1);
    interrupt();
    let deadline = std::time::Instant::now() + PATIENCE;
    let status = loop {
        if let Some(status) = server.try_wait().unwrap() {
            break status;
        }
        if std::time::Instant::now() > deadline {
            let _ = server.kill();
            panic!("a second Ctrl-C did not stop it: {}", said.lock().unwrap());
        }
        thread::sleep(std::time::Duration::from_millis(5));
    };
    assert_eq!(status.code(), Some(130), "{}", said.lock().unwrap());
    drop(reader);
}

/// Lines longer than a pipe takes whole (1,024 control bytes are 4 KiB
/// escaped) are not torn by stderr lines on the same pipe (`2>&1`).
#[cfg(unix)]
#[test]
fn long_lines_are_not_torn_by_stderr_on_the_same_pipe() {
    let (mut reader, writer) = std::io::pipe().unwrap();
    let both = writer.try_clone().unwrap();
    let args = ["--buffer", "1024"];
    let mut server = threaded_server(&args, both.into(), writer.into());
    let mut first = [0; 200];
    let n = reader.read(&mut first).unwrap();
    let addr =
        testkit::listening_addr_in(&String::from_utf8_lossy(&first[..n]))
            .unwrap();
    let collecting = thread::spawn(move || {
        let mut all = Vec::new();
        reader.read_to_end(&mut all).unwrap();
        String::from_utf8(all).unwrap()
    });
    let message = [1u8; 1024];
    let floods: Vec<_> = (0..4)
        .map(|_| {
            thread::spawn(move || {
                let mut stream = connect(addr);
                for _ in 0..100 {
                    round_trip(&mut stream, &message);
                }
            })
        })
        .collect();
    // Meanwhile, clients that come and go: two stderr lines each.
    for _ in 0..200 {
        drop(connect(addr));
    }
    for flood in floods {
        flood.join().unwrap();
    }
    let pid = server.id().to_string();
    let mut kill = std::process::Command::new("kill");
    assert!(kill.args(["-INT", &pid]).status().unwrap().success());
    assert!(server.wait().unwrap().success());
    let text = collecting.join().unwrap();
    // Each line with data is a client's address, then only escapes; all
    // 409,600 bytes are there (a read may bring less than 1,024).
    let mut shown = 0;
    for line in text.lines().filter(|l| l.contains("\\x01")) {
        let data = line.split_once(": ").map_or("", |(_, data)| data);
        let rest = data.replace("\\x01", "");
        assert!(
            rest.is_empty() && line.starts_with("127.0.0.1:"),
            "torn: {line:.100}"
        );
        shown += data.len() / 4;
    }
    assert_eq!(shown, 400 * 1024);
}

/// What a client gets from `read()` after a stop, within `within`: `Ok(0)`
/// is the server's FIN.
#[cfg(unix)]
fn read_after_stop(stream: &mut TcpStream, within: Duration) -> usize {
    stream.set_read_timeout(Some(within)).unwrap();
    let mut rest = [0; 64];
    match stream.read(&mut rest) {
        Ok(n) => n,
        Err(e) => panic!("no FIN within {within:?} of the stop: {e}"),
    }
}

/// A threaded server with one client that sent `hello` and now waits, and
/// Ctrl-C: returns them once the client has the stop's FIN (within 1.5 s,
/// long before the grace period ends), with when Ctrl-C was pressed.
#[cfg(unix)]
fn stopped_after_hello() -> (testkit::Program, TcpStream, Instant) {
    let (server, addr) = start_server(BIN, &[":0", "--threaded"]);
    let mut stream = connect(addr);
    round_trip(&mut stream, b"hello");
    let asked = Instant::now();
    server.signal(libc::SIGINT);
    assert_eq!(read_after_stop(&mut stream, Duration::from_millis(1500)), 0);
    (server, stream, asked)
}

/// Ctrl-C while a client is connected and silent: its handler waits in a
/// recv() with no timeout, and the stop says goodbye for it at once (FIN,
/// long before the 2 s grace period is over). The client does not close:
/// it is let go at the end of the grace period, not cut off, and the
/// server exits 0 with the farewell and an exact summary.
#[cfg(unix)]
#[test]
fn ctrl_c_says_goodbye_to_a_waiting_client_at_once() {
    let (mut server, _stream, asked) = stopped_after_hello();
    assert_eq!(server.code(), 0);
    let took = asked.elapsed();
    assert!(took < Duration::from_secs(3), "took {took:?}");
    let stderr = server.stderr.now();
    for line in [
        "disconnected, the server is stopping (1 read, 5 bytes echoed)",
        "stopped: served 1 client, echoed 5 bytes from 1 read",
    ] {
        assert!(stderr.contains(line), "no {line:?} in:\n{stderr}");
    }
    assert!(!stderr.contains("still connected"), "{stderr}");
    server.assert_no_panic();
}

/// After the stop's FIN a client may still send, then close: what it sends
/// is read and not echoed, its FIN ends the goodbye, and it never gets a
/// reset. The server does not wait out the grace period for it.
#[cfg(unix)]
#[test]
fn a_client_that_answers_the_goodbye_ends_it() {
    let (mut server, mut stream, asked) = stopped_after_hello();
    stream.write_all(b"one more line\n").unwrap();
    stream.shutdown(Shutdown::Write).unwrap();
    assert_eq!(server.code(), 0);
    let took = asked.elapsed();
    assert!(took < Duration::from_millis(1500), "took {took:?}");
    // Both sides have closed: a reset would show here as an error.
    assert_eq!(read_after_stop(&mut stream, PATIENCE), 0);
    let stderr = server.stderr.now();
    let want = "stopped: served 1 client, echoed 5 bytes from 1 read";
    assert!(stderr.contains(want), "{stderr}");
    server.assert_no_panic();
}

/// A client that leaves with a reset while the server is stopping: its
/// handler's warning says the server is stopping, not that it goes on.
/// The client first sends without reading until the server takes nothing
/// for a second: both sides' buffers are full, and its handler is stuck
/// in send() when the stop comes. An idle client's FIN tells that the
/// stop has begun.
#[cfg(unix)]
#[test]
fn a_failure_during_the_stop_does_not_say_the_server_goes_on() {
    let (mut server, addr) = start_server(BIN, &[":0", "--threaded"]);
    let mut idle = connect(addr);
    round_trip(&mut idle, b"hi");
    let mut flood = connect(addr);
    flood
        .set_write_timeout(Some(Duration::from_secs(1)))
        .unwrap();
    let chunk = vec![b'f'; 64 * 1024];
    let full = (0..16 * 1024).any(|_| flood.write_all(&chunk).is_err());
    assert!(full, "1 GiB went through a client that never reads");
    server.signal(libc::SIGINT);
    assert_eq!(read_after_stop(&mut idle, PATIENCE), 0);
    // SO_LINGER 0: close() sends RST.
    let linger = socket2::SockRef::from(&flood);
    linger.set_linger(Some(Duration::ZERO)).unwrap();
    drop(flood);
    assert_eq!(server.code(), 0);
    let stderr = server.stderr.now();
    let failed = stderr.lines().find(|l| l.contains("send failed"));
    let failed = failed.unwrap_or_else(|| panic!("no failure in {stderr}"));
    assert!(failed.ends_with("the server is stopping"), "{failed}");
    assert!(!stderr.contains("the server goes on"), "{stderr}");
    server.assert_no_panic();
}
