//! udp-server on a socket path: AF_UNIX datagrams, Python's
//! `socketserver.UnixDatagramServer`, run as a real process, with std's
//! UnixDatagram, Python and socat as clients, each bound to a path of its
//! own in a fresh temp folder.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{ErrorKind, Read, Write};
use std::os::unix::fs::{FileTypeExt, PermissionsExt};
use std::os::unix::net::UnixDatagram;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};
use testkit::{PATIENCE, Program};

const BIN: &str = env!("CARGO_BIN_EXE_udp-server");

/// A fresh temp folder for one test, removed at its end.
struct Folder(PathBuf);

impl Folder {
    fn new(test: &str) -> Folder {
        let name = format!("us-{test}-{}", std::process::id());
        let dir = std::env::temp_dir().join(name);
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Folder(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        // A folder made read-only by a test must be writable to empty it.
        let _ = std::fs::set_permissions(
            &self.0,
            std::fs::Permissions::from_mode(0o755),
        );
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn text(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn is_socket(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_socket())
}

/// Starts the server on `path` and waits for its `waiting for datagrams`
/// line.
fn serve(path: &Path, more: &[&str]) -> Program {
    let mut args = vec![text(path)];
    args.extend_from_slice(more);
    let server = testkit::start(BIN, &args, b"");
    let waiting = format!("waiting for datagrams on {}", text(path));
    server.stderr.wait_for_text(&waiting);
    server
}

/// A client socket bound to `path`, with a read timeout of PATIENCE.
fn client(path: &Path) -> UnixDatagram {
    let socket = UnixDatagram::bind(path).unwrap();
    socket.set_read_timeout(Some(PATIENCE)).unwrap();
    socket
}

/// Sends `message` to `server` and waits for the one reply, which must
/// come from the server's path.
fn ask(socket: &UnixDatagram, server: &Path, message: &[u8]) -> Vec<u8> {
    socket.send_to(message, server).unwrap();
    let mut reply = vec![0; 8192];
    let (n, from) = socket.recv_from(&mut reply).unwrap();
    assert_eq!(from.as_pathname(), Some(server), "the reply's sender");
    reply.truncate(n);
    reply
}

/// The summary line of a server that has exited.
fn summary(server: &Program) -> String {
    let stderr = server.stderr.now();
    let line = stderr.lines().find(|l| l.starts_with("stopped: "));
    line.unwrap_or_else(|| panic!("no summary in:\n{stderr}"))
        .to_string()
}

/// Fails, with what to install, when `tool` cannot be run.
fn require(tool: &str, install: &str) {
    let ran = Command::new(tool)
        .arg(if tool == "socat" { "-V" } else { "--version" })
        .stdout(Stdio::null())
        .stderr(Stdio::null())
        .status();
    assert!(
        ran.is_ok_and(|s| s.success()),
        "{tool} is needed for this test and cannot be run: {install}"
    );
}

/// Each datagram comes back byte for byte, to each of three clients, and
/// each line on stdout names its sender's path.
#[test]
fn std_clients_are_echoed_exactly() {
    let dir = Folder::new("std");
    let path = dir.path("echo.sock");
    let server = serve(&path, &[]);
    let clients: Vec<_> = (0..3)
        .map(|k| client(&dir.path(&format!("c{k}.sock"))))
        .collect();
    let all: Vec<u8> = (0..=255).collect();
    for (k, peer) in clients.iter().enumerate() {
        let hello = format!("hello {k} 你好");
        testkit::assert_echo(
            &ask(peer, &path, hello.as_bytes()),
            hello.as_bytes(),
        );
        testkit::assert_echo(&ask(peer, &path, &all), &all);
        testkit::assert_echo(&ask(peer, &path, b""), b"");
    }
    let from = dir.path("c2.sock");
    server
        .stdout
        .wait_for_text(&format!("{}: hello 2 你好", text(&from)));
    server.stderr.wait_for_text("empty datagram (0 bytes)");
    server.assert_no_panic();
}

/// A Python client (socket.AF_UNIX, SOCK_DGRAM, bound to its own path)
/// gets back exactly what it sent, from the server's path.
#[test]
fn python_client_gets_exact_bytes() {
    require("python3", "install Python 3 (apt-get install -y python3)");
    let dir = Folder::new("python");
    let path = dir.path("echo.sock");
    let mut server = serve(&path, &[]);
    let script = r#"
import socket, sys
server, mine = sys.argv[1], sys.argv[2]
s = socket.socket(socket.AF_UNIX, socket.SOCK_DGRAM)
s.bind(mine)
s.settimeout(15)
for message in [b"hello from python", bytes(range(256)), "\u4f60\u597d".encode()]:
    s.sendto(message, server)
    data, sender = s.recvfrom(4096)
    print(data.hex(), sender)
s.sendto(b"bye", server)
s.close()
"#;
    let mine = dir.path("py.sock");
    let args = ["-c", script, text(&path), text(&mine)];
    let (code, stdout, stderr) = testkit::run("python3", &args, b"");
    assert_eq!(code, 0, "{stderr}");
    let all: Vec<u8> = (0..=255).collect();
    let want: Vec<String> =
        [&b"hello from python"[..], &all, "你好".as_bytes()]
            .iter()
            .map(|m| {
                let hex: String =
                    m.iter().map(|b| format!("{b:02x}")).collect();
                format!("{hex} {}", text(&path))
            })
            .collect();
    assert_eq!(stdout.lines().collect::<Vec<_>>(), want);
    assert_eq!(server.code(), 0);
    assert_eq!(
        summary(&server),
        "stopped: 4 datagrams from 1 sender, 279 bytes echoed"
    );
    assert!(!path.exists(), "the socket file is removed");
}

/// Reads exactly `n` bytes from `reader` within PATIENCE, on a thread.
fn read_exactly(
    reader: &mpsc::Receiver<Vec<u8>>,
    got: &mut Vec<u8>,
    n: usize,
) -> Vec<u8> {
    let deadline = Instant::now() + PATIENCE;
    while got.len() < n {
        let left = deadline.saturating_duration_since(Instant::now());
        match reader.recv_timeout(left) {
            Ok(chunk) => got.extend_from_slice(&chunk),
            Err(_) => panic!("only {} of {n} bytes came: {got:?}", got.len()),
        }
    }
    got.drain(..n).collect()
}

/// socat, bound to a path of its own (`UNIX-SENDTO:server,bind=client`),
/// sends each chunk of its stdin as a datagram and prints the replies:
/// exactly the bytes sent, invalid UTF-8 and all.
#[test]
fn socat_gets_exact_bytes() {
    require("socat", "install socat (apt-get install -y socat)");
    let dir = Folder::new("socat");
    let path = dir.path("echo.sock");
    let server = serve(&path, &["--keep-open"]);
    let mine = dir.path("socat.sock");
    let address = format!("UNIX-SENDTO:{},bind={}", text(&path), text(&mine));
    let mut socat = Command::new("socat")
        .args(["-", &address])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut stdout = socat.stdout.take().unwrap();
    let (chunks, reader) = mpsc::channel();
    thread::spawn(move || {
        let mut buffer = [0; 4096];
        while let Ok(n @ 1..) = stdout.read(&mut buffer) {
            let _ = chunks.send(buffer[..n].to_vec());
        }
    });
    let mut input = socat.stdin.take().unwrap();
    let mut got = Vec::new();
    // One write each, of less than a pipe's atomic size: one datagram.
    for message in [&b"hello socat\n"[..], b"\xff\x00\x1b[2J raw\n", b"bye\n"] {
        input.write_all(message).unwrap();
        let echo = read_exactly(&reader, &mut got, message.len());
        testkit::assert_echo(&echo, message);
    }
    drop(input);
    let deadline = Instant::now() + PATIENCE;
    while socat.try_wait().unwrap().is_none() {
        assert!(Instant::now() < deadline, "socat did not exit");
        thread::sleep(Duration::from_millis(10));
    }
    let sender = format!("{}: hello socat\\n", text(&mine));
    server.stdout.wait_for_text(&sender);
    server.stdout.wait_for_text(r"\xff\0\x1b[2J raw\n");
    server.assert_no_panic();
}

/// A datagram longer than the buffer is reported cut off, with its real
/// length (Linux reports it with MSG_TRUNC for AF_UNIX as for UDP), and
/// what fitted is echoed.
#[test]
fn long_datagram_is_reported_truncated() {
    let dir = Folder::new("truncated");
    let path = dir.path("echo.sock");
    let server = serve(&path, &[]);
    let mine = dir.path("c.sock");
    let peer = client(&mine);
    let big = vec![b'x'; 4000];
    assert_eq!(ask(&peer, &path, &big), vec![b'x'; 1024]);
    #[cfg(any(target_os = "linux", target_os = "android"))]
    let cut =
        "truncated: 4000 bytes arrived, buffer holds 1024, the rest is lost";
    #[cfg(not(any(target_os = "linux", target_os = "android")))]
    let cut = "truncated: more than 1024 bytes arrived, buffer holds 1024, the rest is lost";
    let warning = format!("warning: {}: {cut}", text(&mine));
    server.stderr.wait_for_text(&warning);
    let short = ask(&peer, &path, b"short");
    assert_eq!(short, b"short");
}

/// 100 clients at once, 200 datagrams each, every one different, over a
/// path, with --threaded: each reply is the client's own datagram, byte
/// for byte, and the summary counts exactly what was sent. Each client
/// waits (at most PATIENCE) for each echo before sending the next.
#[test]
fn threaded_hundred_clients_two_hundred_datagrams_each() {
    let dir = Folder::new("hundred");
    let path = dir.path("echo.sock");
    let mut server = serve(&path, &["--threaded", "--handlers", "8"]);
    let clients: Vec<_> = (0..100)
        .map(|c| {
            let (server, mine) = (path.clone(), dir.path(&format!("{c}.sock")));
            thread::spawn(move || {
                let peer = client(&mine);
                let mut bytes = 0;
                for i in 0..200 {
                    let message = format!("client {c:03} datagram {i:03} 你好");
                    let echo = ask(&peer, &server, message.as_bytes());
                    testkit::assert_echo(&echo, message.as_bytes());
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
    assert!(!path.exists(), "the socket file is removed");
    server.assert_no_panic();
}

/// A sender that bound no path cannot be answered: one warning, naming the
/// fix, however many come; the server goes on, and the summary counts
/// them. In both designs.
#[test]
fn an_unnamed_sender_is_warned_about_once() {
    for design in [&[][..], &["--threaded"]] {
        let dir = Folder::new("unnamed");
        let path = dir.path("echo.sock");
        let mut server = serve(&path, design);
        let unnamed = UnixDatagram::unbound().unwrap();
        unnamed.send_to(b"anon 1", &path).unwrap();
        unnamed.send_to(b"anon 2", &path).unwrap();
        server.stdout.wait_for_text("(unnamed): anon 2");
        let peer = client(&dir.path("named.sock"));
        assert_eq!(ask(&peer, &path, b"named"), b"named");
        peer.send_to(b"bye", &path).unwrap();
        assert_eq!(server.code(), 0, "{design:?}");
        let stderr = server.stderr.now();
        // Handler threads race: either datagram may be answered first.
        let warning = " came from a socket bound to no path: no reply can \
                       reach it (such datagrams are counted in the \
                       summary); the client must bind a path of its own";
        let warnings: Vec<&str> = stderr
            .lines()
            .filter(|l| l.starts_with("warning:"))
            .collect();
        let first = ["#1", "#2"]
            .map(|n| format!("warning: (unnamed): datagram {n}{warning}"));
        assert_eq!(warnings.len(), 1, "{stderr}");
        assert!(first.iter().any(|w| w == warnings[0]), "{stderr}");
        assert_eq!(
            summary(&server),
            "stopped: 4 datagrams from 1 sender, 5 bytes echoed; 2 \
             datagrams from a socket bound to no path not answered"
        );
        server.assert_no_panic();
    }
}

/// `bye` stops the server, in both designs: exit 0, not echoed, and the
/// socket file is removed (and --explain says so, in order).
#[test]
fn bye_stops_and_removes_the_socket_file() {
    for design in [&["--explain"][..], &["--explain", "--threaded"]] {
        let dir = Folder::new("bye");
        let path = dir.path("echo.sock");
        let mut server = serve(&path, design);
        assert!(is_socket(&path));
        let peer = client(&dir.path("c.sock"));
        assert_eq!(ask(&peer, &path, b"hi"), b"hi");
        peer.send_to(b"bye\n", &path).unwrap();
        assert_eq!(server.code(), 0, "{design:?}");
        assert!(!path.exists(), "{design:?}: the socket file is removed");
        let stderr = server.stderr.now();
        assert!(stderr.contains("sent bye: stopping"), "{stderr}");
        let steps = testkit::explained_steps(&stderr);
        let steps: Vec<&str> = steps.iter().map(String::as_str).collect();
        let (first, last) = (&steps[..2], &steps[steps.len() - 2..]);
        assert_eq!(
            (first, last),
            (&["socket", "bind"][..], &["close", "removed"][..])
        );
        let removed = format!(
            "removed the socket file {}: bind() created it, close() does \
             not remove it",
            text(&path)
        );
        assert!(stderr.contains(&removed), "{stderr}");
        assert!(stderr.contains("(AF_UNIX, SOCK_DGRAM)"), "{stderr}");
        assert_eq!(
            summary(&server),
            "stopped: 2 datagrams from 1 sender, 2 bytes echoed"
        );
        peer.set_nonblocking(true).unwrap();
        let got = peer.recv(&mut [0; 16]).map_err(|e| e.kind());
        assert_eq!(got, Err(ErrorKind::WouldBlock), "bye was echoed");
    }
}

/// Ctrl-C stops the server gracefully, in both designs, with the exact
/// summary, and removes the socket file.
#[test]
fn sigint_stops_with_the_summary_and_removes_the_file() {
    for design in [&[][..], &["--threaded"]] {
        let dir = Folder::new("sigint");
        let path = dir.path("echo.sock");
        let mut server = serve(&path, design);
        let peer = client(&dir.path("c.sock"));
        assert_eq!(ask(&peer, &path, b"abc"), b"abc");
        server.signal(libc::SIGINT);
        assert_eq!(server.code(), 0, "{design:?}");
        assert_eq!(
            summary(&server),
            "stopped: 1 datagram from 1 sender, 3 bytes echoed"
        );
        assert!(!path.exists(), "{design:?}: the socket file is removed");
        server.assert_no_panic();
    }
}

/// --drop still simulates loss on AF_UNIX (which loses nothing itself),
/// and --hex dumps what came.
#[test]
fn drop_and_hex_work_on_a_path() {
    let dir = Folder::new("drop");
    let path = dir.path("echo.sock");
    let mut server = serve(&path, &["--drop", "1", "--seed", "1", "--hex"]);
    let mine = dir.path("c.sock");
    let peer = client(&mine);
    peer.send_to(b"lost", &path).unwrap();
    let lost = format!(
        "{}: simulated loss: datagram #1 (4 bytes) dropped",
        text(&mine)
    );
    server.stderr.wait_for_text(&lost);
    server.signal(libc::SIGINT);
    assert_eq!(server.code(), 0);
    assert_eq!(
        summary(&server),
        "stopped: 1 datagram from 1 sender, 0 bytes echoed"
    );
    assert!(!path.exists());

    let mut server = serve(&path, &["--hex"]);
    assert_eq!(ask(&peer, &path, b"hi\x1b\n"), b"hi\x1b\n");
    server.stdout.wait_for_text("|hi..|");
    assert_eq!(
        server.stdout.now(),
        format!(
            "{}: hi\\x1b\\n\n\
             00000000  68 69 1b 0a                                       |hi..|\n",
            text(&mine),
        )
    );
    server.signal(libc::SIGTERM);
    assert_eq!(server.code(), 0);
}

/// Runs the server on `address` to its end: (code, stderr), stderr one
/// line.
fn refused(address: &Path) -> (i32, String) {
    let (code, stdout, stderr) = testkit::run(BIN, &[text(address)], b"");
    assert_eq!(stdout, "");
    testkit::assert_one_line(&stderr);
    (code, stderr.trim_end().to_string())
}

/// What is in the way of bind(), each a one-line error with a hint and
/// exit 1 (a path too long: exit 2), and nothing is deleted.
#[test]
fn bad_paths_are_refused_and_nothing_is_deleted() {
    let dir = Folder::new("bad");
    // Too long for sun_path (a usage error), with a file of that name.
    let long = dir.path(&"a".repeat(120));
    std::fs::write(&long, "long").unwrap();
    let (code, stderr) = refused(&long);
    let bytes = text(&long).len();
    assert_eq!(code, 2, "{stderr}");
    assert!(
        stderr.contains(&format!(
            "the socket path is {bytes} bytes long, and a Unix socket's \
             path can have at most 107: use a shorter one, such as \
             /tmp/echo.sock; see --help"
        )),
        "{stderr}"
    );
    assert_eq!(std::fs::read_to_string(&long).unwrap(), "long");
    // A folder.
    let folder = dir.path("folder");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("inside.txt"), "keep").unwrap();
    let (code, stderr) = refused(&folder);
    let f = text(&folder);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        format!(
            "error: cannot bind {f}: address already in use ({f} is a \
             folder: name a file inside it, such as {f}/echo.sock)"
        )
    );
    assert_eq!(
        std::fs::read_to_string(folder.join("inside.txt")).unwrap(),
        "keep"
    );
    // A regular file, kept intact.
    let file = dir.path("notes.txt");
    std::fs::write(&file, "my notes").unwrap();
    let (code, stderr) = refused(&file);
    let f = text(&file);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        format!(
            "error: cannot bind {f}: address already in use ({f} is a file \
             that is no socket: pick another path (this program deletes no \
             file it did not create))"
        )
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "my notes");
    // A folder that does not exist.
    let nowhere = dir.path("nowhere/echo.sock");
    let (code, stderr) = refused(&nowhere);
    assert_eq!(code, 1);
    assert!(stderr.contains("(its folder does not exist: create it first"));
}

/// A server killed with SIGKILL leaves its socket file: the next server
/// says it is stale and how to remove it, and removes nothing itself.
#[test]
fn a_stale_socket_file_is_named_and_kept() {
    let dir = Folder::new("stale");
    let path = dir.path("echo.sock");
    let mut killed = serve(&path, &[]);
    killed.kill();
    assert!(is_socket(&path), "SIGKILL leaves the file");
    let (code, stderr) = refused(&path);
    let p = text(&path);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        format!(
            "error: cannot bind {p}: address already in use ({p} is a stale \
             socket file, left by a program that ended without removing it \
             (killed?): remove it with `rm {p}`)"
        )
    );
    assert!(is_socket(&path), "the stale file is left alone");
    // After `rm`, the path is free again.
    std::fs::remove_file(&path).unwrap();
    let mut server = serve(&path, &[]);
    server.signal(libc::SIGINT);
    assert_eq!(server.code(), 0);
}

/// A second server on a live server's path is refused; the first goes on
/// serving, its file still there.
#[test]
fn a_live_server_keeps_its_path() {
    let dir = Folder::new("live");
    let path = dir.path("echo.sock");
    let mut first = serve(&path, &[]);
    let (code, stderr) = refused(&path);
    let p = text(&path);
    assert_eq!(code, 1);
    assert_eq!(
        stderr,
        format!(
            "error: cannot bind {p}: address already in use (another \
             program is bound to {p}: stop it, or pick another path)"
        )
    );
    assert!(is_socket(&path));
    let peer = client(&dir.path("c.sock"));
    assert_eq!(ask(&peer, &path, b"still here"), b"still here");
    peer.send_to(b"bye", &path).unwrap();
    assert_eq!(first.code(), 0);
    assert!(!path.exists());
}

/// A folder the user may not write in: permission denied, with a hint. As
/// root, who may write anywhere, the server binds there and serves (and
/// the test says which of the two it checked).
#[test]
fn a_folder_without_write_permission() {
    let dir = Folder::new("denied");
    let locked = dir.path("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::write(locked.join("keep.txt"), "keep").unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555))
        .unwrap();
    let path = locked.join("echo.sock");
    let id = Command::new("id").arg("-u").output().unwrap();
    let root = String::from_utf8_lossy(&id.stdout).trim() == "0";
    if root {
        eprintln!("running as root: checking that root may bind there");
        let mut server = serve(&path, &[]);
        let peer = client(&dir.path("c.sock"));
        assert_eq!(ask(&peer, &path, b"root"), b"root");
        server.signal(libc::SIGINT);
        assert_eq!(server.code(), 0);
        assert!(!path.exists(), "the socket file is removed");
    } else {
        let (code, stderr) = refused(&path);
        let p = text(&path);
        assert_eq!(code, 1);
        assert_eq!(
            stderr,
            format!(
                "error: cannot bind {p}: permission denied (that folder is \
                 not yours to write in: pick a path in one that is, such as \
                 /tmp/echo.sock)"
            )
        );
        assert!(!path.exists());
    }
    assert_eq!(
        std::fs::read_to_string(locked.join("keep.txt")).unwrap(),
        "keep"
    );
}

/// AF_UNIX loses no datagram: a client that reads none of its replies
/// fills its receive queue, and then the server's send_to() waits. It
/// waits a second at most, says so, and serves the others meanwhile; and
/// Ctrl-C still stops it with the exact summary. (Linux's behaviour: macOS
/// refuses such a send at once instead, with ENOBUFS.)
#[cfg(target_os = "linux")]
#[test]
fn a_client_that_reads_nothing_holds_the_server_a_second_at_most() {
    let dir = Folder::new("full");
    let path = dir.path("echo.sock");
    let mut server = serve(&path, &["--explain"]);
    let mine = dir.path("deaf.sock");
    let deaf = client(&mine);
    let warning = format!(
        "warning: cannot send to {}: its receive queue stayed full for 1 s \
         (does it read its replies?); not answered, still serving",
        text(&mine)
    );
    // One datagram at a time, each echoed into the queue, until it is full
    // (at most 5,000: a queue of the default 10 fills after 11).
    let mut sent = 0;
    let full = (1..=5000).find(|&k| {
        deaf.send_to(b"fill", &path).unwrap();
        sent = k;
        server.stderr.wait_for("the echo or the warning", |t| {
            let echoes = t.matches("send_to 4 bytes back to").count();
            match (t.contains(&warning), echoes >= k) {
                (true, _) => Some(true),
                (false, true) => Some(false),
                _ => None,
            }
        })
    });
    assert!(full.is_some(), "the queue never filled");
    let peer = client(&dir.path("reader.sock"));
    assert_eq!(ask(&peer, &path, b"other"), b"other");
    server.signal(libc::SIGINT);
    assert_eq!(server.code(), 0);
    assert_eq!(server.stderr.now().matches(&warning).count(), 1);
    assert_eq!(
        summary(&server),
        format!(
            "stopped: {} datagrams from 2 senders, {} bytes echoed",
            sent + 1,
            (sent - 1) * 4 + 5
        )
    );
    assert!(!path.exists());
}

/// --step pauses after each call, suggesting `ss -xa src PATH` to watch
/// the socket, and still removes the file at the end.
#[cfg(target_os = "linux")]
#[test]
fn step_suggests_watching_the_path() {
    let dir = Folder::new("step");
    let path = dir.path("echo.sock");
    let mut pty = testkit::Pty::start(BIN, &[text(&path), "--step"]);
    let watch = format!("watch: ss -xa src {}", text(&path));
    pty.screen.wait_for_text(&watch);
    pty.step_through(1..=2);
    pty.screen.wait_for_text("waiting for datagrams on");
    let peer = client(&dir.path("c.sock"));
    peer.send_to(b"bye", &path).unwrap();
    pty.step_through(3..=4);
    assert!(pty.wait().success(), "{}", pty.screen.now());
    let screen = pty.screen.now();
    assert!(screen.contains("removed the socket file"), "{screen}");
    assert!(!path.exists());
}

/// --trace names both ends by their paths: the server's, and the client's
/// it replied to.
#[test]
fn trace_names_both_paths() {
    let dir = Folder::new("trace");
    let (path, trace) = (dir.path("echo.sock"), dir.path("run.jsonl"));
    let mut server = serve(&path, &["--trace", text(&trace)]);
    let mine = dir.path("c.sock");
    let peer = client(&mine);
    assert_eq!(ask(&peer, &path, b"traced"), b"traced");
    peer.send_to(b"bye", &path).unwrap();
    assert_eq!(server.code(), 0);
    let lines = std::fs::read_to_string(&trace).unwrap();
    let ends =
        format!("\"local\":\"{}\",\"peer\":\"{}\"", text(&path), text(&mine));
    for step in ["recv_from", "send_to"] {
        let line = lines
            .lines()
            .find(|l| l.contains(&format!("\"step\":\"{step}\"")))
            .unwrap_or_else(|| panic!("no {step} in:\n{lines}"));
        assert!(line.contains(&ends), "{line}");
    }
}

/// Someone replaces the socket file while the server runs: Ctrl-C still
/// stops it with its summary, and the file that is no longer its own is
/// left alone, with a warning.
#[test]
fn a_replaced_socket_file_is_left_alone() {
    let dir = Folder::new("replaced");
    let path = dir.path("echo.sock");
    let mut server = serve(&path, &[]);
    std::fs::remove_file(&path).unwrap();
    std::fs::write(&path, "someone else's").unwrap();
    server.signal(libc::SIGINT);
    assert_eq!(server.code(), 0);
    assert_eq!(
        summary(&server),
        "stopped: 0 datagrams from 0 senders, 0 bytes echoed"
    );
    let warning = format!(
        "warning: {} is no longer the socket file this server created: left \
         alone",
        text(&path)
    );
    assert!(
        server.stderr.now().contains(&warning),
        "{}",
        server.stderr.now()
    );
    assert_eq!(std::fs::read_to_string(&path).unwrap(), "someone else's");
}

/// Ctrl-C during a burst of 100 datagrams on a path: every datagram the
/// server counted was answered, and one read after the stop is reported
/// as not answered, never dropped in silence. (The sender waits whenever
/// the server's queue is full; the client reads its replies meanwhile.)
#[test]
fn ctrl_c_during_a_burst_loses_nothing_silently() {
    let dir = Folder::new("burst");
    let path = dir.path("echo.sock");
    let mut server = serve(&path, &["--keep-open", "--explain"]);
    let peer = client(&dir.path("c.sock"));
    let reader = peer.try_clone().unwrap();
    reader
        .set_read_timeout(Some(Duration::from_millis(500)))
        .unwrap();
    let replies = thread::spawn(move || {
        // Until the server has stopped and half a second passed in silence.
        let mut got = 0;
        while got < 100 && reader.recv(&mut [0; 64]).is_ok() {
            got += 1;
        }
        got
    });
    let sender = {
        let (peer, path) = (peer.try_clone().unwrap(), path.clone());
        thread::spawn(move || {
            // A send fails once the server is gone: the burst ends there.
            (0..100)
                .take_while(|i| {
                    let message = format!("burst {i:03}");
                    peer.send_to(message.as_bytes(), &path).is_ok()
                })
                .count()
        })
    };
    server.stderr.wait_for_text("send_to 9 bytes back to");
    server.signal(libc::SIGINT);
    assert_eq!(server.code(), 0);
    let sent = sender.join().unwrap();
    let got = replies.join().unwrap();
    let stderr = server.stderr.now();
    let counted = stderr.matches("recv_from #").count();
    let answered = stderr.matches("send_to 9 bytes back to").count();
    let late = stderr.matches("came after the stop: not answered").count();
    assert_eq!(answered, counted, "{stderr}");
    assert_eq!(got, answered, "replies received");
    assert!(
        late <= 1 && counted + late <= sent,
        "{sent} sent:\n{stderr}"
    );
    let plural = if counted == 1 { "" } else { "s" };
    let summary_line = format!(
        "stopped: {counted} datagram{plural} from 1 sender, {} bytes echoed",
        9 * counted
    );
    assert_eq!(summary(&server), summary_line, "{stderr}");
    assert!(!path.exists());
}

/// Linux's abstract names (no file at all) are addresses too: a client
/// bound to one is answered, and shown as `@name`.
#[cfg(target_os = "linux")]
#[test]
fn a_client_with_an_abstract_name_is_answered() {
    use std::os::linux::net::SocketAddrExt;
    let dir = Folder::new("abstract");
    let path = dir.path("echo.sock");
    let server = serve(&path, &[]);
    let name = format!("us-abstract-{}", std::process::id());
    let address =
        std::os::unix::net::SocketAddr::from_abstract_name(&name).unwrap();
    let peer = UnixDatagram::bind_addr(&address).unwrap();
    peer.set_read_timeout(Some(PATIENCE)).unwrap();
    assert_eq!(ask(&peer, &path, b"abstract"), b"abstract");
    server.stdout.wait_for_text(&format!("@{name}: abstract"));
}
