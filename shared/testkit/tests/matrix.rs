//! Bad input and faults, against all four real binaries.
//!
//! The first test is a table: each row runs one binary with one bad input
//! and expects an exit code and one line on stderr containing some words.
//! The tests after it are the faults that need a peer to misbehave on
//! purpose. Every case also checks that nothing printed `panicked`.
//!
//! The binaries are found next to this test; `cargo test --workspace`
//! builds them all first.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream, UdpSocket};
use std::process::{Command, Stdio};
use std::thread;
use std::time::Duration;
use testkit::{PATIENCE, assert_one_line, start_open, workspace_bin};

const ALL: [&str; 4] = ["tcp-server", "tcp-client", "udp-server", "udp-client"];

/// A loopback port with nothing listening on it (TCP and UDP).
fn closed_port() -> String {
    let tcp = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = tcp.local_addr().unwrap().port();
    let free = UdpSocket::bind(("127.0.0.1", port)).is_ok();
    assert!(free, "port {port} is busy for UDP");
    format!("127.0.0.1:{port}")
}

/// One row: a binary, its arguments, the exit code and words of the one
/// line it must print on stderr.
struct Row {
    bin: &'static str,
    args: Vec<String>,
    code: i32,
    says: &'static str,
}

fn row(bin: &'static str, args: &[&str], code: i32, says: &'static str) -> Row {
    Row {
        bin,
        args: args.iter().map(|a| a.to_string()).collect(),
        code,
        says,
    }
}

/// Every malformed command line, unresolvable host and refused address
/// gets a one-line error with the documented exit code.
#[test]
fn bad_input_table() {
    let mut rows = Vec::new();
    for bin in ALL {
        rows.push(row(bin, &[":99999"], 2, "out of range"));
        rows.push(row(bin, &["host:abc"], 2, "`abc` is not a number"));
        rows.push(row(bin, &["[::1"], 2, "`[` is never closed"));
        rows.push(row(bin, &["::1:10888"], 2, "write [::1]:10888"));
        rows.push(row(bin, &[""], 2, "the address is empty"));
        rows.push(row(bin, &["--buffer", "0"], 2, "from 1 to"));
        rows.push(row(bin, &["--no-such-flag"], 2, "--no-such-flag"));
        rows.push(row(bin, &["--step"], 2, "--step needs a terminal"));
        rows.push(row(bin, &["no-such-host.invalid:1"], 1, "cannot resolve"));
        // A socket file's name typed bare reads as a host name.
        rows.push(row(bin, &["no-such.sock"], 1, "in front: ./no-such.sock"));
        // What the user typed is shown like network data: a C1 CSI and a
        // right-to-left override escaped, an ESC escaped rather than dropped.
        rows.push(row(
            bin,
            &["\u{9b}2J\u{202e}ab"],
            2,
            r"`\u{9b}2J\u{202e}ab` is not a valid host",
        ));
        rows.push(row(bin, &["\x1b[31mevil"], 2, r"`\x1b[31mevil` is not"));
        rows.push(row(bin, &["--buffer=\x1b]0;x\x07"], 2, r"'\x1b]0;x\x07'"));
    }
    let closed = closed_port();
    rows.push(row("tcp-client", &[&closed], 1, "connection refused"));
    rows.push(row("udp-client", &[&closed], 1, "connection refused"));
    rows.push(row(
        "tcp-server",
        &["192.0.2.1:0"],
        1,
        "not one of this machine's",
    ));
    rows.push(row("udp-server", &["--drop", "1.5"], 2, "fraction"));
    rows.push(row("udp-server", &["--seed", "3"], 2, "--drop"));
    rows.push(row("tcp-server", &["--max-clients", "5"], 2, "--threaded"));
    rows.push(row("tcp-client", &["--timeout=0"], 2, "seconds"));
    // Below a microsecond a socket timeout rounds to zero, which means "no
    // timeout at all": refused, like zero.
    for (bin, flag) in [
        ("tcp-server", "--idle-timeout"),
        ("tcp-client", "--timeout"),
        ("udp-client", "--timeout"),
    ] {
        for tiny in ["1e-320", "0.0000009", "-1", "NaN", "inf", "86401"] {
            let arg = format!("{flag}={tiny}");
            rows.push(row(bin, &[&arg], 2, "0.000001 to 86400"));
        }
    }

    for Row {
        bin,
        args,
        code,
        says,
    } in rows
    {
        let args: Vec<&str> = args.iter().map(String::as_str).collect();
        let (got, _, stderr) = testkit::run(&workspace_bin(bin), &args, b"");
        assert_eq!(got, code, "{bin} {args:?}: {stderr}");
        // One error line, the last one; a status line such as udp-client's
        // `sending to …` may come before it.
        let errors: Vec<&str> =
            stderr.lines().filter(|l| l.starts_with("error:")).collect();
        assert_eq!(errors.len(), 1, "{bin} {args:?}: {stderr}");
        assert_eq!(stderr.lines().last(), Some(errors[0]), "{stderr}");
        assert!(errors[0].contains(says), "{bin} {args:?}: {stderr}");
        assert_terminal_safe(&stderr);
    }
}

/// A port in use is a one-line runtime error for both servers.
#[test]
fn port_already_in_use() {
    for bin in ["tcp-server", "udp-server"] {
        let bin = workspace_bin(bin);
        let (_first, addr) = testkit::start_server(&bin, &[":0"]);
        let (code, _, stderr) = testkit::run(&bin, &[&addr.to_string()], b"");
        assert_eq!(code, 1, "{stderr}");
        assert_one_line(&stderr);
        assert!(stderr.contains("address already in use"), "{stderr}");
    }
}

/// Clients whose stdin is closed at once send `hello` and exit 0.
#[test]
fn stdin_closed_at_once() {
    for (server, client) in
        [("tcp-server", "tcp-client"), ("udp-server", "udp-client")]
    {
        let (_server, addr) =
            testkit::start_server(&workspace_bin(server), &[":0"]);
        let (code, stdout, stderr) =
            testkit::run(&workspace_bin(client), &[&addr.to_string()], b"");
        assert_eq!(code, 0, "{client}: {stderr}");
        assert_eq!(stdout, "hello\n");
    }
}

/// A reader that takes one byte of stdout and closes it (`| head -c1`):
/// clients stop quietly with exit 0; servers keep serving.
#[test]
fn stdout_closed_early() {
    for (server, client) in
        [("tcp-server", "tcp-client"), ("udp-server", "udp-client")]
    {
        let args: &[&str] = match server {
            "udp-server" => &[":0", "--keep-open"],
            _ => &[":0", "--threaded"],
        };
        let (running, addr) =
            testkit::start_server(&workspace_bin(server), args);

        // The client, its stdout read for one byte and then closed.
        let mut child = Command::new(workspace_bin(client))
            .arg(addr.to_string())
            .env("NO_COLOR", "1")
            .env("LC_ALL", "C.UTF-8")
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let mut stdin = child.stdin.take().unwrap();
        let mut stdout = child.stdout.take().unwrap();
        let mut first = [0; 1];
        stdout.read_exact(&mut first).unwrap();
        drop(stdout);
        // Lines keep coming: the next echo hits the closed pipe.
        let _ = stdin.write_all("more\n".repeat(50).as_bytes());
        drop(stdin);
        let mut stderr = String::new();
        child
            .stderr
            .take()
            .unwrap()
            .read_to_string(&mut stderr)
            .unwrap();
        let status = child.wait().unwrap();
        assert_eq!(status.code(), Some(0), "{client}: {stderr}");
        assert!(!stderr.contains("panicked"), "{stderr}");

        running.assert_no_panic();
    }
    // A server whose own stdout is closed still echoes.
    for server in ["tcp-server", "udp-server"] {
        let mut child = Command::new(workspace_bin(server))
            .arg(":0")
            .env("NO_COLOR", "1")
            .env("LC_ALL", "C.UTF-8")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        drop(child.stdout.take()); // stdout closed before anything arrives
        let stderr = child.stderr.take().unwrap();
        let mut lines = std::io::BufReader::new(stderr);
        let mut line = String::new();
        std::io::BufRead::read_line(&mut lines, &mut line).unwrap();
        let addr = testkit::listening_addr_in(&line).unwrap();
        for round in 0..3 {
            let message = format!("round {round}");
            if server == "tcp-server" {
                let mut stream = testkit::connect(addr);
                stream.set_read_timeout(Some(PATIENCE)).unwrap();
                stream.write_all(message.as_bytes()).unwrap();
                let mut back = vec![0; message.len()];
                stream.read_exact(&mut back).unwrap();
                assert_eq!(back, message.as_bytes());
            } else {
                let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
                socket.set_read_timeout(Some(PATIENCE)).unwrap();
                socket.send_to(message.as_bytes(), addr).unwrap();
                let mut back = [0; 64];
                let n = socket.recv(&mut back).unwrap();
                assert_eq!(&back[..n], message.as_bytes());
            }
        }
        assert!(child.try_wait().unwrap().is_none(), "{server} died");
        child.kill().unwrap();
        child.wait().unwrap();
    }
}

/// A server killed in the middle of a session. TCP: the kernel closes the
/// server's socket with FIN, which the client reports as the server
/// closing, and stops (exit 0). UDP: nothing tells the client until a
/// datagram is refused: it says so in one line and exits 1.
#[test]
fn server_killed_mid_session() {
    let (mut running, addr) =
        testkit::start_server(&workspace_bin("tcp-server"), &[":0"]);
    let mut talking =
        start_open(&workspace_bin("tcp-client"), &[&addr.to_string()]);
    talking.stdout.wait_for_text("hello\n");
    running.kill();
    talking.stderr.wait_for_text("closed the connection");
    assert_eq!(talking.code(), 0, "{}", talking.stderr.now());
    talking.assert_no_panic();

    let (mut running, addr) =
        testkit::start_server(&workspace_bin("udp-server"), &[":0"]);
    let mut talking =
        start_open(&workspace_bin("udp-client"), &[&addr.to_string()]);
    talking.stdout.wait_for_text("hello\n");
    running.kill();
    talking.send_input(b"anyone there?\n");
    talking.close_input();
    assert_eq!(talking.code(), 1);
    let stderr = talking.stderr.now();
    let last = stderr.lines().last().unwrap();
    assert!(last.contains("connection refused"), "{stderr}");
    talking.assert_no_panic();
}

/// Hostile bytes from both kinds of client: the servers print them
/// escaped, and echo them exactly.
#[test]
fn hostile_bytes_are_escaped_everywhere() {
    let cases: [(&[u8], &str); 7] = [
        (b"\xff\xfe invalid", r"\xff\xfe invalid"),
        (
            "zero\u{200b}width\u{200d}join\u{feff}bom".as_bytes(),
            r"zero\u{200b}width\u{200d}join\u{feff}bom",
        ),
        (
            "soft\u{ad}hy\u{2060}wj\u{206a}\u{206f}".as_bytes(),
            r"soft\u{ad}hy\u{2060}wj\u{206a}\u{206f}",
        ),
        (b"\x1b[31mred\x1b[0m", r"\x1b[31mred\x1b[0m"),
        (b"over\rwrite", r"over\rwrite"),
        (b"back\x08space", r"back\x08space"),
        (b"bell\x07", r"bell\x07"),
    ];
    let tcp = testkit::start_server(&workspace_bin("tcp-server"), &[":0"]);
    let udp = testkit::start_server(&workspace_bin("udp-server"), &[":0"]);
    for (bytes, shown) in cases {
        let mut stream = testkit::connect(tcp.1);
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        stream.write_all(bytes).unwrap();
        let mut back = vec![0; bytes.len()];
        stream.read_exact(&mut back).unwrap();
        assert_eq!(back, bytes);
        drop(stream);
        tcp.0.stdout.wait_for_text(shown);

        let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
        socket.set_read_timeout(Some(PATIENCE)).unwrap();
        socket.send_to(bytes, udp.1).unwrap();
        let mut back = [0; 64];
        let n = socket.recv(&mut back).unwrap();
        assert_eq!(&back[..n], bytes);
        udp.0.stdout.wait_for_text(shown);
    }
    for program in [&tcp.0, &udp.0] {
        assert_terminal_safe(&program.stdout.now());
        program.assert_no_panic();
    }
}

/// Invisible Unicode, found by property: tags that smuggle ASCII past a
/// reader, variation selectors after text, Hangul fillers, interlinear
/// annotation. The servers print it escaped, and so do the clients when
/// it comes back as the echo; a whole emoji sequence (a family: three
/// people and two joiners) is printed as it is by all four.
#[test]
fn invisible_unicode_is_escaped_and_emoji_stay_whole() {
    let cases = [
        ("hi\u{e0068}\u{e0069}!", r"hi\u{e0068}\u{e0069}!"),
        ("x\u{fe0f}\u{3164}\u{ffa0}", r"x\u{fe0f}\u{3164}\u{ffa0}"),
        ("\u{fff9}a\u{fffa}b\u{fffb}", r"\u{fff9}a\u{fffa}b\u{fffb}"),
        ("👨\u{200d}👩\u{200d}👧", "👨\u{200d}👩\u{200d}👧"),
    ];
    let typed: String = cases
        .iter()
        .map(|(text, _)| text.to_string() + "\n")
        .collect();
    let shown: String = cases
        .iter()
        .map(|(_, shown)| shown.to_string() + "\n")
        .collect();
    for (server, client) in
        [("tcp-server", "tcp-client"), ("udp-server", "udp-client")]
    {
        let (mut running, addr) =
            testkit::start_server(&workspace_bin(server), &[":0"]);
        let mut talking = testkit::start(
            &workspace_bin(client),
            &[&addr.to_string(), "--timeout", "10"],
            typed.as_bytes(),
        );

        assert_eq!(talking.code(), 0, "{client}: {}", talking.stderr.now());
        assert_eq!(talking.stdout.now(), format!("hello\n{shown}"), "{client}");
        for (_, shown) in cases {
            running.stdout.wait_for_text(&format!(": {shown}\n"));
        }
        running.kill();
        talking.assert_no_panic();
        running.assert_no_panic();
    }
}

/// No raw control byte except the line endings the program writes itself,
/// and no raw invisible format character either.
fn assert_terminal_safe(text: &str) {
    for c in text.chars() {
        assert!(c == '\n' || !c.is_control(), "raw {c:?} in output");
        let invisible = matches!(
            c,
            '\u{ad}' | '\u{200b}'..='\u{200f}' | '\u{2060}'..='\u{206f}'
                | '\u{feff}'
        );
        assert!(!invisible, "raw {c:?} in output");
    }
}

/// A read longer than the 1,024-byte preview, with a 4-byte character
/// right at the cut: the preview stops before the character instead of
/// showing half of it as `\xf0\x9f` (tcp-server and udp-server).
#[test]
fn preview_stops_before_a_character() {
    let mut bytes = vec![b'b'; 1022];
    bytes.extend_from_slice("🦀".as_bytes());
    bytes.extend_from_slice(&[b'c'; 8]);
    let expected = format!("{} … (+12 bytes not shown)\n", "b".repeat(1022));
    let args = [":0", "--buffer", "2048"];
    let udp = testkit::start_server(&workspace_bin("udp-server"), &args);
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.set_read_timeout(Some(PATIENCE)).unwrap();
    socket.send_to(&bytes, udp.1).unwrap();
    let mut back = [0; 2048];
    let n = socket.recv(&mut back).unwrap();
    assert_eq!(&back[..n], &bytes[..]);
    udp.0.stdout.wait_for_text(&expected);

    // One write of 1,034 bytes on loopback arrives as one segment, so the
    // server reads it in one recv; a split read would print no preview at
    // all, and would still never show half a character.
    let tcp = testkit::start_server(&workspace_bin("tcp-server"), &args);
    let mut stream = testkit::connect(tcp.1);
    stream.write_all(&bytes).unwrap();
    let mut back = vec![0; bytes.len()];
    stream.read_exact(&mut back).unwrap();
    assert_eq!(back, bytes);
    drop(stream);
    tcp.0.stderr.wait_for_text("closed the connection");
    for program in [&tcp.0, &udp.0] {
        let out = program.stdout.now();
        assert!(!out.contains(r"\xf0"), "{out}");
        program.assert_no_panic();
    }
}

/// A multi-byte character split across three reads prints whole, and
/// comes back byte for byte. (tcp-client's own test of a split echo is
/// `echo_in_one_byte_pieces_arrives_whole`.)
#[test]
fn split_character_across_reads() {
    let (server, addr) = testkit::start_server(
        &workspace_bin("tcp-server"),
        &[":0", "--explain"],
    );
    let mut stream = testkit::connect(addr);
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let bytes = "🦀".as_bytes();
    stream.write_all(&bytes[..1]).unwrap();
    server.stderr.wait_for_text("recv #1: 1 byte from");
    stream.write_all(&bytes[1..3]).unwrap();
    server.stderr.wait_for_text("recv #2: 2 bytes");
    stream.write_all(&bytes[3..]).unwrap();
    server.stdout.wait_for_text("🦀");
    let mut back = [0; 4];
    stream.read_exact(&mut back).unwrap();
    assert_eq!(&back, bytes);
    assert!(
        !server.stdout.now().contains("\\x"),
        "{}",
        server.stdout.now()
    );
}

/// A peer that resets the connection in the middle of a message: the
/// server reports it in one line and serves the next client.
#[test]
fn reset_mid_message() {
    let (server, addr) =
        testkit::start_server(&workspace_bin("tcp-server"), &[":0"]);
    let rude = socket2::Socket::new(
        socket2::Domain::IPV4,
        socket2::Type::STREAM,
        None,
    )
    .unwrap();
    rude.connect(&addr.into()).unwrap();
    rude.set_linger(Some(Duration::ZERO)).unwrap();
    let mut rude = TcpStream::from(rude);
    rude.write_all(&[b'x'; 100_000]).unwrap();
    drop(rude); // Closed with unread echo and SO_LINGER 0: RST.
    server
        .stderr
        .wait_for_text("failed: connection reset by peer");
    let warnings: Vec<String> = server
        .stderr
        .now()
        .lines()
        .filter(|l| l.contains("reset"))
        .map(String::from)
        .collect();
    assert_eq!(warnings.len(), 1, "{warnings:?}");
    let mut next = testkit::connect(addr);
    next.set_read_timeout(Some(PATIENCE)).unwrap();
    next.write_all(b"next").unwrap();
    let mut back = [0; 4];
    next.read_exact(&mut back).unwrap();
    assert_eq!(&back, b"next");
    server.assert_no_panic();
}

/// A client that half-closes still gets its whole echo, then end of stream.
#[test]
fn half_close() {
    let (server, addr) =
        testkit::start_server(&workspace_bin("tcp-server"), &[":0"]);
    let mut stream = testkit::connect(addr);
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(b"all I have").unwrap();
    stream.shutdown(Shutdown::Write).unwrap();
    let mut back = Vec::new();
    stream.read_to_end(&mut back).unwrap();
    assert_eq!(back, b"all I have");
    server.stderr.wait_for_text("closed the connection");
}

/// Deterministic pseudo-random bytes (xorshift), so a failure repeats.
fn random_bytes(len: usize, mut state: u64) -> Vec<u8> {
    (0..len)
        .map(|_| {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            (state >> 24) as u8
        })
        .collect()
}

/// 1 MB of random bytes comes back byte for byte, and the server's output
/// holds no raw control byte.
#[test]
fn one_megabyte_of_random_bytes() {
    let (server, addr) =
        testkit::start_server(&workspace_bin("tcp-server"), &[":0"]);
    let data = random_bytes(1 << 20, 0x9e37_79b9);
    let stream = testkit::connect(addr);
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut writer = stream.try_clone().unwrap();
    let sending = data.clone();
    let writing = thread::spawn(move || {
        writer.write_all(&sending).unwrap();
        writer.shutdown(Shutdown::Write).unwrap();
    });
    let mut back = Vec::new();
    (&stream).read_to_end(&mut back).unwrap();
    writing.join().unwrap();
    assert!(
        back == data,
        "echo differs ({} of {} bytes back)",
        back.len(),
        data.len()
    );
    server.stderr.wait_for_text("closed the connection");
    assert_terminal_safe(&server.stdout.now());
    server.assert_no_panic();
}

/// Datagram edge cases: empty; 65,507 bytes (the IPv4 maximum) whole with
/// a large enough buffer, reported truncated with the default one.
#[test]
fn datagram_sizes() {
    let bin = workspace_bin("udp-server");
    let largest = vec![b'u'; 65_507];
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut back = vec![0; 70_000];

    let (server, addr) =
        testkit::start_server(&bin, &[":0", "--buffer", "65507"]);
    socket.send_to(b"", addr).unwrap();
    assert_eq!(socket.recv(&mut back).unwrap(), 0);
    server.stderr.wait_for_text("empty datagram (0 bytes)");
    socket.send_to(&largest, addr).unwrap();
    let n = socket.recv(&mut back).unwrap();
    assert!(back[..n] == largest[..], "{n} bytes back");

    let (server, addr) = testkit::start_server(&bin, &[":0"]);
    socket.send_to(&largest, addr).unwrap();
    assert_eq!(socket.recv(&mut back).unwrap(), 1024);
    server
        .stderr
        .wait_for_text("truncated: 65507 bytes arrived, buffer holds 1024");
    server.assert_no_panic();
}

/// 500 connections against `--threaded --max-clients 64`: every one is
/// served, 64 at a time at most, and the server lives on.
#[test]
fn flood_of_connections() {
    let (server, addr) = testkit::start_server(
        &workspace_bin("tcp-server"),
        &[
            ":0",
            "--threaded",
            "--max-clients",
            "64",
            "--backlog",
            "1024",
        ],
    );
    // 100 clients at once, each connecting five times in a row: more than
    // the limit, so some wait in the backlog until a slot frees.
    let workers: Vec<_> = (0..100)
        .map(|worker| {
            thread::spawn(move || {
                for i in 0..5 {
                    let mut stream = testkit::connect(addr);
                    let message = format!("w{worker}c{i}");
                    stream.write_all(message.as_bytes()).unwrap();
                    let mut back = vec![0; message.len()];
                    stream.read_exact(&mut back).unwrap();
                    assert_eq!(back, message.as_bytes());
                }
            })
        })
        .collect();
    for worker in workers {
        worker.join().unwrap();
    }
    server.stderr.wait_for_count("closed the connection", 500);
    server.assert_no_panic();
    #[cfg(unix)]
    {
        let mut server = server;
        server.signal(libc::SIGTERM);
        assert_eq!(server.code(), 0);
        let stderr = server.stderr.now();
        let summary = stderr.lines().last().unwrap();
        assert!(summary.contains("served 500 clients"), "{summary}");
        let peak: usize = summary
            .rsplit("at most ")
            .next()
            .unwrap()
            .split_whitespace()
            .next()
            .unwrap()
            .parse()
            .unwrap();
        assert!(peak <= 64, "peak {peak}");
    }
}

/// A silent client is disconnected by `--idle-timeout`; others are served.
#[test]
fn silent_client_and_idle_timeout() {
    let (server, addr) = testkit::start_server(
        &workspace_bin("tcp-server"),
        &[":0", "--threaded", "--idle-timeout", "0.5"],
    );
    let mut silent = testkit::connect(addr);
    silent.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut talker = testkit::connect(addr);
    talker.set_read_timeout(Some(PATIENCE)).unwrap();
    talker.write_all(b"hi").unwrap();
    let mut back = [0; 2];
    talker.read_exact(&mut back).unwrap();
    let mut rest = Vec::new();
    silent.read_to_end(&mut rest).unwrap();
    server
        .stderr
        .wait_for_text("disconnecting (--idle-timeout)");
    server.assert_no_panic();
}
