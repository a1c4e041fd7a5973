//! The minimal twins of the five tutorial scripts (the packages'
//! `examples/`) against their full counterparts, in both directions, and
//! against a plain std socket that sends what the scripts cannot decode.
//!
//! Bytes on the wire are compared exactly: the full programs show what they
//! receive as a hex dump (`--hex`). The twins print each read as text:
//! bytes that are not UTF-8 as `�`, control characters escaped as Rust
//! writes them (`\u{1b}`, `\r`). `cargo test --workspace` builds the
//! binaries and the examples before any test runs.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{Shutdown, UdpSocket};
use std::time::Duration;
use testkit::{
    PATIENCE, start, start_server, workspace_bin, workspace_example,
};

/// Every twin, as a path from the workspace root.
const TWINS: [&str; 5] = [
    "tcp-server/examples/socket_server.rs",
    "tcp-server/examples/socketserver.rs",
    "tcp-client/examples/socket_client.rs",
    "udp-server/examples/socket_udp_server.rs",
    "udp-client/examples/socket_udp_client.rs",
];

/// The bytes in the hex dump lines (`OFFSET  HEX…  |TEXT|`) of `stdout`.
fn hex_bytes(stdout: &str) -> Vec<u8> {
    let mut bytes = Vec::new();
    for line in stdout.lines() {
        let mut words = line.split('|').next().unwrap().split_whitespace();
        let is_dump = words.next().is_some_and(|offset| {
            offset.len() == 8 && offset.chars().all(|c| c.is_ascii_hexdigit())
        });
        if is_dump {
            bytes.extend(words.map(|h| u8::from_str_radix(h, 16).unwrap()));
        }
    }
    bytes
}

/// What a twin printed after `prefix`, all its reads joined: the text it
/// received.
fn twin_bytes(stdout: &str, prefix: &str) -> String {
    stdout
        .lines()
        .filter_map(|line| line.strip_prefix(prefix))
        .collect()
}

/// Each twin is at most 40 lines and uses std alone: no `shared`, no clap,
/// no socket2, and every `use` names std.
#[test]
fn twins_are_short_and_std_only() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    for twin in TWINS {
        let source = std::fs::read_to_string(root.join(twin)).unwrap();
        let lines = source.lines().count();
        assert!(lines <= 40, "{twin} has {lines} lines");
        for word in ["shared::", "clap", "socket2"] {
            assert!(!source.contains(word), "{twin} mentions {word}");
        }
        for line in source.lines().filter(|l| l.starts_with("use ")) {
            assert!(line.starts_with("use std::"), "{twin}: {line}");
        }
    }
}

/// The full tcp-client talks to both TCP twin servers: the twin receives
/// and echoes exactly the bytes sent (hello, then each line without its
/// line ending), and stops by itself once the client has left, which the
/// socketserver script never does (its shutdown() deadlocks).
#[test]
fn tcp_twin_servers_echo_the_full_client() {
    for twin in ["socket_server", "socketserver"] {
        let (mut server, addr) =
            start_server(&workspace_example(twin), &["127.0.0.1:0"]);
        let mut client = start(
            &workspace_bin("tcp-client"),
            &[&addr.to_string(), "--hex"],
            "a\né\n".as_bytes(),
        );

        assert_eq!(client.code(), 0, "{twin}: {}", client.stderr.now());
        assert_eq!(hex_bytes(&client.stdout.now()), b"helloa\xc3\xa9");
        assert_eq!(server.code(), 0, "{twin}: {}", server.stderr.now());
        let received = server.stdout.now();
        assert_eq!(twin_bytes(&received, "receive data: "), "helloaé");
        if twin == "socket_server" {
            let first = received.lines().next().unwrap();
            assert!(first.starts_with("address: 127.0.0.1:"), "{received}");
        }
        server.assert_no_panic();
        client.assert_no_panic();
    }
}

/// The socket_client twin against the full tcp-server, sequential and
/// threaded: it sends hello and each line until an empty line or the end
/// of input, and prints exactly the bytes of each echo.
#[test]
fn full_tcp_server_echoes_the_client_twin() {
    // What the client reads, what it prints, and what the server receives.
    let cases: [(&str, &str, &[u8]); 2] = [
        (
            "a\né\n\nnever sent\n",
            "receive from server: hello\nreceive from server: a\n\
             receive from server: é\n",
            b"helloa\xc3\xa9",
        ),
        (
            "a",
            "receive from server: hello\nreceive from server: a\n",
            b"helloa",
        ),
    ];
    for mode in ["--once", "--threaded"] {
        for (input, printed, wire) in cases {
            let (server, addr) = start_server(
                &workspace_bin("tcp-server"),
                &[":0", "--hex", mode],
            );
            let mut client = start(
                &workspace_example("socket_client"),
                &[&addr.to_string()],
                input.as_bytes(),
            );

            assert_eq!(client.code(), 0, "{}", client.stderr.now());
            assert_eq!(client.stdout.now(), printed, "{mode} {input:?}");
            server.stdout.wait_for("the bytes sent", |text| {
                (hex_bytes(text) == wire).then_some(())
            });
            client.assert_no_panic();
        }
    }
}

/// The full udp-client talks to the UDP twin server: each datagram is
/// echoed exactly, and `bye` stops the twin without a reply, which the
/// script never did (it compared bytes with a str).
#[test]
fn udp_twin_server_echoes_the_full_client() {
    let (mut server, addr) =
        start_server(&workspace_example("socket_udp_server"), &["127.0.0.1:0"]);
    // After bye the client waits --timeout for a reply that will not come.
    let mut client = start(
        &workspace_bin("udp-client"),
        &[&addr.to_string(), "--hex", "--timeout", "1"],
        "a\né\nbye\n".as_bytes(),
    );

    assert_eq!(client.code(), 0, "{}", client.stderr.now());
    assert_eq!(hex_bytes(&client.stdout.now()), b"helloa\xc3\xa9");
    assert_eq!(server.code(), 0, "{}", server.stderr.now());
    assert_eq!(
        server.stdout.now(),
        "receive string: hello\nreceive string: a\n\
         receive string: é\n"
    );
    server.assert_no_panic();
    client.assert_no_panic();
}

/// The socket_udp_client twin against the full udp-server: one datagram
/// per message, each echo printed exactly; it stops after sending `bye`
/// (which stops the server too), or at an empty line, or at the end of
/// input, without sending what follows.
#[test]
fn full_udp_server_echoes_the_client_twin() {
    let hello_a = "receive from server: hello\nreceive from server: a\n";
    // What the client reads, and what the server receives.
    let cases: [(&str, &[u8]); 3] = [
        ("a\nbye\nnever sent\n", b"helloabye"),
        ("a\n\nbye\n", b"helloa"),
        ("a", b"helloa"),
    ];
    for (input, wire) in cases {
        let (mut server, addr) =
            start_server(&workspace_bin("udp-server"), &[":0", "--hex"]);
        let mut client = start(
            &workspace_example("socket_udp_client"),
            &[&addr.to_string()],
            input.as_bytes(),
        );

        assert_eq!(client.code(), 0, "{input:?}: {}", client.stderr.now());
        assert_eq!(client.stdout.now(), hello_a, "{input:?}");
        if wire.ends_with(b"bye") {
            assert_eq!(server.code(), 0, "{}", server.stderr.now());
            assert_eq!(hex_bytes(&server.stdout.now()), wire);
        } else {
            server.stdout.wait_for("the bytes sent", |text| {
                (hex_bytes(text) == wire).then_some(())
            });
        }
        client.assert_no_panic();
    }
}

/// Both TCP twin servers echo exactly what a plain std client sends, and
/// print it where the scripts' decode() would crash: the two halves of `é`
/// in two writes (hence two reads), then invalid UTF-8, each shown as `�`.
#[test]
fn tcp_twin_servers_echo_split_and_invalid_utf8() {
    let pieces: [&[u8]; 3] = [b"\xc3", b"\xa9", b"\xff\xfe bad\n"];
    for twin in ["socket_server", "socketserver"] {
        let (mut server, addr) =
            start_server(&workspace_example(twin), &["127.0.0.1:0"]);
        let mut stream = testkit::connect(addr);
        for piece in pieces {
            stream.write_all(piece).unwrap();
            // Waiting for the echo puts the next piece in a read of its own.
            let mut echo = vec![0; piece.len()];
            stream.read_exact(&mut echo).unwrap();
            assert_eq!(echo, piece, "{twin}");
        }
        stream.shutdown(Shutdown::Write).unwrap();
        let mut rest = Vec::new();
        stream.read_to_end(&mut rest).unwrap();
        assert_eq!(rest, b"", "{twin}");

        assert_eq!(server.code(), 0, "{twin}: {}", server.stderr.now());
        let mut expected = String::new();
        if twin == "socket_server" {
            expected = format!("address: {}\n", stream.local_addr().unwrap());
        }
        expected += "receive data: �\nreceive data: �\n\
                     receive data: �� bad\\n\n";
        assert_eq!(server.stdout.now(), expected, "{twin}");
    }
}

/// The UDP twin server echoes each datagram exactly, even half a
/// character or invalid UTF-8; `bye\n` and `BYE` are not `bye` and are
/// echoed; the three bytes `bye` stop it with no reply.
#[test]
fn udp_twin_server_echoes_exactly_and_stops_on_bye() {
    let (mut server, addr) =
        start_server(&workspace_example("socket_udp_server"), &["127.0.0.1:0"]);
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.connect(addr).unwrap();
    socket.set_read_timeout(Some(PATIENCE)).unwrap();
    let mut buf = [0; 2048];
    let datagrams: [&[u8]; 5] =
        [b"\xc3", b"\xa9", b"\xff\xfe", b"bye\n", b"BYE"];
    for datagram in datagrams {
        socket.send(datagram).unwrap();
        let n = socket.recv(&mut buf).unwrap();
        assert_eq!(&buf[..n], datagram);
    }
    socket.send(b"bye").unwrap();

    assert_eq!(server.code(), 0, "{}", server.stderr.now());
    assert_eq!(
        server.stdout.now(),
        "receive string: �\nreceive string: �\n\
         receive string: ��\nreceive string: bye\\n\n\
         receive string: BYE\n"
    );
    // The server has exited: a reply to bye would be waiting by now.
    socket
        .set_read_timeout(Some(Duration::from_millis(100)))
        .unwrap();
    assert!(socket.recv(&mut buf).is_err(), "bye was answered");
}

/// As in the script's `while data`, an empty datagram is echoed (as an
/// empty datagram) and then ends the UDP twin server.
#[test]
fn udp_twin_server_stops_after_an_empty_datagram() {
    let (mut server, addr) =
        start_server(&workspace_example("socket_udp_server"), &["127.0.0.1:0"]);
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.connect(addr).unwrap();
    socket.set_read_timeout(Some(PATIENCE)).unwrap();
    socket.send(b"").unwrap();
    assert_eq!(socket.recv(&mut [0; 16]).unwrap(), 0);

    assert_eq!(server.code(), 0, "{}", server.stderr.now());
    assert_eq!(server.stdout.now(), "receive string: \n");
}

/// The twins print text as text: a Chinese greeting is printed as it is,
/// where they used to print `\xe4\xbd\xa0…`; control characters are still
/// escaped (`\u{1b}`, `\r`), so the terminal is safe. Both TCP servers and
/// the UDP server, then both clients reading the full servers' echo.
#[test]
fn twins_print_text_as_text() {
    let sent = "你好 \x1b[2J\r!";
    let shown = r"你好 \u{1b}[2J\r!";
    for twin in ["socket_server", "socketserver"] {
        let (mut server, addr) =
            start_server(&workspace_example(twin), &["127.0.0.1:0"]);
        let mut stream = testkit::connect(addr);
        stream.write_all(sent.as_bytes()).unwrap();
        let mut echo = vec![0; sent.len()];
        stream.read_exact(&mut echo).unwrap();
        drop(stream);
        assert_eq!(server.code(), 0, "{twin}: {}", server.stderr.now());
        let printed = server.stdout.now();
        assert!(
            printed.ends_with(&format!("receive data: {shown}\n")),
            "{printed}"
        );
    }
    let (mut server, addr) =
        start_server(&workspace_example("socket_udp_server"), &["127.0.0.1:0"]);
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.set_read_timeout(Some(PATIENCE)).unwrap();
    socket.send_to(sent.as_bytes(), addr).unwrap();
    socket.recv(&mut [0; 64]).unwrap();
    socket.send_to(b"bye", addr).unwrap();
    assert_eq!(server.code(), 0, "{}", server.stderr.now());
    assert_eq!(server.stdout.now(), format!("receive string: {shown}\n"));

    for (bin, twin) in [
        ("tcp-server", "socket_client"),
        ("udp-server", "socket_udp_client"),
    ] {
        let (_server, addr) = start_server(&workspace_bin(bin), &[":0"]);
        let input = format!("{sent}\n");
        let mut client = start(
            &workspace_example(twin),
            &[&addr.to_string()],
            input.as_bytes(),
        );
        assert_eq!(client.code(), 0, "{twin}: {}", client.stderr.now());
        assert_eq!(
            client.stdout.now(),
            format!(
                "receive from server: hello\nreceive from server: {shown}\n"
            ),
            "{twin}"
        );
    }
}

/// A twin given a bare port (std wants HOST:PORT) says so in one line with
/// a hint, and exits 2 as a usage error; a refused connection is one line
/// too, and exit code 1. Never the error's fields (`Error { kind: … }`).
#[test]
fn twins_report_errors_in_one_line() {
    let names = [
        "socket_server",
        "socketserver",
        "socket_client",
        "socket_udp_server",
        "socket_udp_client",
    ];
    for twin in names {
        let mut run = start(&workspace_example(twin), &["10888"], b"");
        assert_eq!(run.code(), 2, "{twin}");
        assert_eq!(
            run.stderr.now(),
            "error: 10888: invalid socket address (give HOST:PORT)\n",
            "{twin}"
        );
        assert_eq!(run.stdout.now(), "", "{twin}");
    }
    // A port with nothing listening on it, on loopback.
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let closed = listener.local_addr().unwrap().to_string();
    drop(listener);
    let mut run = start(&workspace_example("socket_client"), &[&closed], b"");
    assert_eq!(run.code(), 1);
    let stderr = run.stderr.now();
    assert!(
        stderr.starts_with(&format!("error: {closed}: ")),
        "{stderr}"
    );
    assert!(stderr.to_lowercase().contains("refused"), "{stderr}");
    testkit::assert_one_line(&stderr);
    assert!(!stderr.contains("kind:"), "{stderr}");
}
