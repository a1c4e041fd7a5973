//! tcp-server on a Unix domain socket: an ADDRESS that is a path, served
//! as Python's `socketserver.UnixStreamServer` serves one. Clients are std's
//! UnixStream, Python's socket module and socat; bad paths each end in a
//! one-line error with a hint, and delete nothing.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::os::unix::fs::{FileTypeExt, MetadataExt, PermissionsExt};
use std::os::unix::net::UnixStream;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use testkit::{PATIENCE, Program, assert_echo, assert_one_line, start};

const BIN: &str = env!("CARGO_BIN_EXE_tcp-server");

/// A fresh, empty folder for one test's socket files, removed on drop.
struct Folder(PathBuf);

impl Folder {
    fn new(name: &str) -> Self {
        let dir = std::env::temp_dir()
            .join(format!("tcp-server-unix-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Folder(dir)
    }

    fn join(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
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

/// Starts the server on `path` and waits for its `listening on` line.
fn serve(path: &Path, flags: &[&str]) -> Program {
    let mut args = vec![text(path)];
    args.extend_from_slice(flags);
    let server = start(BIN, &args, b"");
    server
        .stderr
        .wait_for_text(&format!("listening on {}", path.display()));
    server
}

fn connect(path: &Path) -> UnixStream {
    let stream = UnixStream::connect(path).unwrap();
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream
}

fn is_socket(path: &Path) -> bool {
    std::fs::symlink_metadata(path).is_ok_and(|m| m.file_type().is_socket())
}

/// Ctrl-C (SIGINT): exit 0, and the socket file is gone.
fn stop(server: &mut Program, path: &Path) {
    server.signal(libc::SIGINT);
    assert_eq!(server.code(), 0, "{}", server.stderr.now());
    server.assert_no_panic();
    assert!(!path.exists(), "the socket file is still there");
}

/// Runs the server on `path` to its end: (exit code, stderr).
fn refused(path: &Path, flags: &[&str]) -> (i32, String) {
    let mut args = vec![text(path)];
    args.extend_from_slice(flags);
    let (code, _, stderr) = testkit::run(BIN, &args, b"");
    assert_one_line(&stderr);
    (code, stderr)
}

/// Every byte value, then a 50 MB line, comes back byte for byte over a
/// path; the narration shows the path and the unnamed client, numbered.
#[test]
fn echoes_exactly_over_a_path() {
    let dir = Folder::new("echo");
    let path = dir.join("echo.sock");
    let mut server = serve(&path, &["--explain"]);
    assert!(is_socket(&path));
    let mut client = connect(&path);
    let all: Vec<u8> = (0..=255).cycle().take(5000).collect();
    client.write_all(&all).unwrap();
    let mut got = vec![0; all.len()];
    client.read_exact(&mut got).unwrap();
    assert_echo(&got, &all);

    // 50 MB in one line: written on a thread while this one reads.
    let line: Vec<u8> = (0..50_000_000u32)
        .map(|i| b'a' + (i % 26) as u8)
        .chain([b'\n'])
        .collect();
    let mut writer = client.try_clone().unwrap();
    let sent = line.clone();
    let writing = std::thread::spawn(move || writer.write_all(&sent));
    let mut got = vec![0; line.len()];
    client.read_exact(&mut got).unwrap();
    writing.join().unwrap().unwrap();
    assert!(got == line, "the 50 MB line came back changed");
    drop(client);

    let echoed = all.len() + line.len();
    server
        .stderr
        .wait_for_text("#1 (unnamed) closed the connection (");
    let stderr = server.stderr.now();
    assert!(
        stderr.contains("accept client #1 from (unnamed)"),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("bind {}", path.display())),
        "{stderr}"
    );
    stop(&mut server, &path);
    let stderr = server.stderr.now();
    assert!(
        stderr.contains(&format!(
            "removed the socket file {}: bind() created it, close() does not \
             remove it",
            path.display()
        )),
        "{stderr}"
    );
    let summary = format!("stopped: served 1 client, echoed {echoed} bytes");
    assert!(stderr.contains(&summary), "{stderr}");
}

/// --explain tells the Unix steps in the TCP order, without setsockopt.
#[test]
fn explains_the_same_steps_without_setsockopt() {
    let dir = Folder::new("steps");
    let path = dir.join("echo.sock");
    let mut server = serve(&path, &["--explain", "--once", "--hex"]);
    let mut client = connect(&path);
    client.write_all(b"hi\n").unwrap();
    let mut got = [0; 3];
    client.read_exact(&mut got).unwrap();
    assert_echo(&got, b"hi\n");
    drop(client);
    assert_eq!(server.code(), 0);
    let steps = testkit::explained_steps(&server.stderr.now());
    let want = [
        "socket", "bind", "listen", "accept", "recv", "send", "recv", "close",
        "close", "removed",
    ];
    assert_eq!(steps, want, "{}", server.stderr.now());
    // The server wrote stdout before it exited; its reader may lag.
    server.stdout.wait_for_text("#1 (unnamed): hi");
    server.stdout.wait_for_text("68 69 0a"); // --hex
    assert!(!path.exists());
}

/// A client nobody here wrote: Python's socket module, AF_UNIX.
#[test]
fn a_python_client_gets_its_bytes_back() {
    let dir = Folder::new("python");
    let path = dir.join("echo.sock");
    let mut server = serve(&path, &[]);
    let script = "\
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.connect(sys.argv[1])
s.sendall(b'hello from python\\n\\xff\\x00')
s.shutdown(socket.SHUT_WR)
got = b''
while True:
    chunk = s.recv(4096)
    if not chunk:
        break
    got += chunk
s.close()
sys.stdout.buffer.write(got)
";
    let out = Command::new("python3")
        .args(["-c", script, text(&path)])
        .stderr(Stdio::inherit())
        .output()
        .expect("python3 is needed for this test: install python3");
    assert!(out.status.success());
    assert_echo(&out.stdout, b"hello from python\n\xff\x00");
    server.stderr.wait_for_text("closed the connection");
    stop(&mut server, &path);
}

/// A client that bound a path of its own is shown by that path, with its
/// number, in the roster's lines and the narration.
#[test]
fn a_client_with_a_path_is_shown_by_it() {
    let dir = Folder::new("named");
    let path = dir.join("echo.sock");
    let own = dir.join("client.sock");
    let mut server = serve(&path, &["--explain"]);
    let script = "\
import socket, sys
s = socket.socket(socket.AF_UNIX, socket.SOCK_STREAM)
s.bind(sys.argv[2])
s.connect(sys.argv[1])
s.sendall(b'named')
sys.stdout.buffer.write(s.recv(100))
s.close()
";
    let out = Command::new("python3")
        .args(["-c", script, text(&path), text(&own)])
        .stderr(Stdio::inherit())
        .output()
        .expect("python3 is needed for this test: install python3");
    assert!(out.status.success());
    assert_echo(&out.stdout, b"named");
    let shown = own.display();
    server
        .stderr
        .wait_for_text(&format!("#1 {shown} closed the connection"));
    let stderr = server.stderr.now();
    assert!(
        stderr.contains(&format!("#1 {shown} connected")),
        "{stderr}"
    );
    assert!(
        stderr.contains(&format!("client #1 from {shown}")),
        "{stderr}"
    );
    // Written before that line of stderr, but read by another thread.
    server.stdout.wait_for_text(&format!("#1 {shown}: named"));
    stop(&mut server, &path);
}

/// socat's UNIX-CONNECT against the server: the bytes it reads from stdin
/// come back on its stdout.
#[test]
fn socat_gets_its_bytes_back() {
    let dir = Folder::new("socat");
    let path = dir.join("echo.sock");
    let mut server = serve(&path, &[]);
    let mut socat = Command::new("socat")
        .args(["-t", "10", "-", &format!("UNIX-CONNECT:{}", path.display())])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .expect("socat is needed for this test: apt-get install socat");
    socat
        .stdin
        .take()
        .unwrap()
        .write_all(b"hello socat\n\x1b[31m\n")
        .unwrap();
    let out = socat.wait_with_output().unwrap();
    assert!(out.status.success());
    assert_echo(&out.stdout, b"hello socat\n\x1b[31m\n");
    server.stderr.wait_for_text("closed the connection");
    stop(&mut server, &path);
}

/// --threaded: 20 clients at once, each echoed exactly; Ctrl-C then
/// prints the exact summary and removes the socket file.
#[test]
fn threaded_serves_twenty_at_once_and_stops_on_ctrl_c() {
    let dir = Folder::new("threaded");
    let path = dir.join("echo.sock");
    let mut server = serve(&path, &["--threaded", "--max-clients", "20"]);
    let clients: Vec<UnixStream> = (0..20).map(|_| connect(&path)).collect();
    server.stderr.wait_for_count("connected", 20);
    let talks: Vec<_> = clients
        .into_iter()
        .enumerate()
        .map(|(k, mut client)| {
            std::thread::spawn(move || {
                let message = format!("client {k:02} says hello\n");
                client.write_all(message.as_bytes()).unwrap();
                let mut got = vec![0; message.len()];
                client.read_exact(&mut got).unwrap();
                assert_echo(&got, message.as_bytes());
            })
        })
        .collect();
    for talk in talks {
        talk.join().unwrap();
    }
    server.stderr.wait_for_count("closed the connection", 20);
    assert!(server.stderr.now().contains("#20 (unnamed) connected"));
    stop(&mut server, &path);
    let stderr = server.stderr.now();
    let summary = "stopped: served 20 clients, echoed 420 bytes from 20 \
                   reads, at most 20 at once";
    assert!(stderr.lines().any(|l| l == summary), "{stderr}");
}

/// Ctrl-C with a client still connected: it is told goodbye (FIN), and
/// the summary counts its echo; the socket file is removed.
#[test]
fn ctrl_c_with_a_client_connected_stops_gracefully() {
    let dir = Folder::new("ctrl-c");
    let path = dir.join("echo.sock");
    let mut server = serve(&path, &["--threaded"]);
    let mut client = connect(&path);
    client.write_all(b"still here\n").unwrap();
    let mut got = [0; 11];
    client.read_exact(&mut got).unwrap();
    server.signal(libc::SIGINT);
    let mut rest = Vec::new();
    client.read_to_end(&mut rest).unwrap();
    assert!(rest.is_empty());
    drop(client);
    assert_eq!(server.code(), 0);
    assert!(!path.exists());
    let stderr = server.stderr.now();
    assert!(stderr.contains("disconnected, the server is stopping"));
    assert!(stderr.contains(
        "stopped: served 1 client, echoed 11 bytes from 1 read, at most 1 \
         at once"
    ));
}

/// --once stops after the first client, and removes the socket file.
#[test]
fn once_stops_after_the_first_client() {
    let dir = Folder::new("once");
    let path = dir.join("echo.sock");
    let mut server = serve(&path, &["--once"]);
    let mut client = connect(&path);
    client.write_all(b"once\n").unwrap();
    let mut got = [0; 5];
    client.read_exact(&mut got).unwrap();
    assert_echo(&got, b"once\n");
    drop(client);
    assert_eq!(server.code(), 0);
    assert!(!path.exists());
    assert!(server.stderr.now().contains(
        "stopped: served 1 client, echoed 5 bytes from 1 read, at most 1 at \
         once"
    ));
}

/// --idle-timeout and --max-clients work on a path too.
#[test]
fn idle_timeout_and_max_clients_on_a_path() {
    let dir = Folder::new("idle");
    let path = dir.join("echo.sock");
    let flags = ["--threaded", "--max-clients", "1", "--idle-timeout", "0.3"];
    let mut server = serve(&path, &flags);
    let mut first = connect(&path);
    server.stderr.wait_for_text("#1 (unnamed) connected");
    let mut second = connect(&path);
    second.write_all(b"waits\n").unwrap();
    server.stderr.wait_for_text("1 client connected, the limit");
    let mut rest = Vec::new();
    first.read_to_end(&mut rest).unwrap();
    server
        .stderr
        .wait_for_text("#1 (unnamed) sent nothing for 300ms");
    let mut got = [0; 6];
    second.read_exact(&mut got).unwrap();
    assert_echo(&got, b"waits\n");
    drop(second);
    server
        .stderr
        .wait_for_text("#2 (unnamed) closed the connection");
    stop(&mut server, &path);
}

/// --trace names the socket by its path on both ends of each event.
#[test]
fn trace_shows_the_path() {
    let dir = Folder::new("trace");
    let path = dir.join("echo.sock");
    let trace = dir.join("run.jsonl");
    let mut server = serve(&path, &["--once", "--trace", text(&trace)]);
    let mut client = connect(&path);
    client.write_all(b"traced").unwrap();
    let mut got = [0; 6];
    client.read_exact(&mut got).unwrap();
    drop(client);
    assert_eq!(server.code(), 0);
    let lines = std::fs::read_to_string(&trace).unwrap();
    let accept = lines.lines().find(|l| l.contains("\"accept\"")).unwrap();
    assert!(accept.contains(&format!("{}", path.display())), "{accept}");
    assert!(accept.contains("(unnamed)"), "{accept}");
    assert!(lines.contains("\"bind\""), "{lines}");
}

/// 108 bytes and more do not fit sun_path: a usage error, nothing made.
#[test]
fn a_path_too_long_is_a_usage_error() {
    let dir = Folder::new("long");
    let path = dir.join(&format!("{}.sock", "a".repeat(110)));
    let (code, stderr) = refused(&path, &[]);
    assert_eq!(code, 2, "{stderr}");
    let n = text(&path).len();
    assert_eq!(
        stderr.trim_end(),
        format!(
            "error: invalid value '{}' for '[ADDRESS]': the socket path is \
             {n} bytes long, and a Unix socket's path can have at most 107: \
             use a shorter one, such as /tmp/echo.sock; see --help",
            path.display()
        )
    );
    assert_eq!(std::fs::read_dir(&dir.0).unwrap().count(), 0);
}

/// A folder at the path: named, with a hint; the folder is untouched.
#[test]
fn a_folder_at_the_path_is_left_alone() {
    let dir = Folder::new("folder");
    let folder = dir.join("taken");
    std::fs::create_dir(&folder).unwrap();
    std::fs::write(folder.join("notes.txt"), "mine").unwrap();
    let (code, stderr) = refused(&folder, &[]);
    assert_eq!(code, 1);
    let shown = folder.display();
    assert_eq!(
        stderr.trim_end(),
        format!(
            "error: cannot bind {shown}: address already in use ({shown} is \
             a folder: name a file inside it, such as {shown}/echo.sock)"
        )
    );
    let notes = std::fs::read_to_string(folder.join("notes.txt")).unwrap();
    assert_eq!(notes, "mine");
}

/// A regular file at the path: refused, and kept with its content.
#[test]
fn a_regular_file_at_the_path_is_kept() {
    let dir = Folder::new("file");
    let file = dir.join("echo.sock");
    std::fs::write(&file, "not a socket").unwrap();
    let (code, stderr) = refused(&file, &[]);
    assert_eq!(code, 1);
    let shown = file.display();
    assert_eq!(
        stderr.trim_end(),
        format!(
            "error: cannot bind {shown}: address already in use ({shown} is \
             a file that is no socket: pick another path (this program \
             deletes no file it did not create))"
        )
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "not a socket");
}

fn is_root() -> bool {
    let out = Command::new("id").arg("-u").output().unwrap();
    String::from_utf8_lossy(&out.stdout).trim() == "0"
}

/// A folder without write permission: refused with a hint. Root may write
/// anywhere, so as root the server binds there (and cleans up), and the
/// missing folder below stands in for a path that cannot be bound.
#[test]
fn a_folder_without_write_permission() {
    let dir = Folder::new("perm");
    let locked = dir.join("locked");
    std::fs::create_dir(&locked).unwrap();
    std::fs::set_permissions(&locked, std::fs::Permissions::from_mode(0o555))
        .unwrap();
    let path = locked.join("echo.sock");
    if is_root() {
        // Permission checks do not apply to root: the bind succeeds.
        let mut server = serve(&path, &[]);
        assert!(is_socket(&path));
        stop(&mut server, &path);
        a_missing_folder(&dir);
        return;
    }
    let (code, stderr) = refused(&path, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr.trim_end(),
        format!(
            "error: cannot bind {}: permission denied (that folder is not \
             yours to write in: pick a path in one that is, such as \
             /tmp/echo.sock)",
            path.display()
        )
    );
    assert_eq!(std::fs::read_dir(&locked).unwrap().count(), 0);
}

/// A path in a folder that does not exist: refused, nothing created.
fn a_missing_folder(dir: &Folder) {
    let path = dir.join("missing").join("echo.sock");
    let (code, stderr) = refused(&path, &[]);
    assert_eq!(code, 1);
    assert_eq!(
        stderr.trim_end(),
        format!(
            "error: cannot bind {}: no such file or directory \
             (its folder does not exist: create it first, or pick a path in \
             an existing folder)",
            path.display()
        )
    );
    assert!(!dir.join("missing").exists());
}

#[test]
fn a_path_in_a_missing_folder() {
    a_missing_folder(&Folder::new("missing"));
}

/// A server killed with SIGKILL leaves its socket file: the next start
/// names it stale, with the `rm` to run, and deletes nothing.
#[test]
fn a_stale_socket_file_is_reported_not_deleted() {
    let dir = Folder::new("stale");
    let path = dir.join("echo.sock");
    let mut killed = serve(&path, &[]);
    killed.kill();
    assert!(is_socket(&path), "SIGKILL leaves the socket file");
    let inode = std::fs::symlink_metadata(&path).unwrap().ino();
    let (code, stderr) = refused(&path, &[]);
    assert_eq!(code, 1);
    let shown = path.display();
    assert_eq!(
        stderr.trim_end(),
        format!(
            "error: cannot bind {shown}: address already in use ({shown} is \
             a stale socket file, left by a program that ended without \
             removing it (killed?): remove it with `rm {shown}`)"
        )
    );
    assert_eq!(std::fs::symlink_metadata(&path).unwrap().ino(), inode);
}

/// A second server on the path of a live one: refused; the first goes on
/// and never sees the second's look at the path (a --once server that
/// took it for a client would stop after it).
#[test]
fn a_live_server_on_the_path_is_left_alone() {
    let dir = Folder::new("live");
    let path = dir.join("echo.sock");
    let mut first = serve(&path, &["--once"]);
    let (code, stderr) = refused(&path, &[]);
    assert_eq!(code, 1);
    let shown = path.display();
    assert_eq!(
        stderr.trim_end(),
        format!(
            "error: cannot bind {shown}: address already in use (another \
             program is bound to {shown}: stop it, or pick another path)"
        )
    );
    // The first server still echoes its first and only client.
    let mut client = connect(&path);
    client.write_all(b"still mine\n").unwrap();
    let mut got = [0; 11];
    client.read_exact(&mut got).unwrap();
    assert_echo(&got, b"still mine\n");
    drop(client);
    assert_eq!(first.code(), 0, "{}", first.stderr.now());
    let said = first.stderr.now();
    assert_eq!(said.matches(" connected").count(), 1, "{said}");
    assert!(said.contains("served 1 client, echoed 11 bytes"), "{said}");
    assert!(!path.exists(), "the socket file is still there");
}

/// --poll serves a path too: three clients at once on one thread, each
/// echoed exactly; Ctrl-C then prints the exact summary and removes the
/// socket file.
#[test]
fn poll_serves_a_path() {
    let dir = Folder::new("poll");
    let path = dir.join("echo.sock");
    let mut server = serve(&path, &["--poll", "--explain"]);
    let mut clients: Vec<UnixStream> = (0..3).map(|_| connect(&path)).collect();
    server.stderr.wait_for_text("#3 (unnamed) connected");
    for (k, client) in clients.iter_mut().enumerate() {
        let message = format!("poll {k}\n");
        client.write_all(message.as_bytes()).unwrap();
        let mut got = vec![0; message.len()];
        client.read_exact(&mut got).unwrap();
        assert_echo(&got, message.as_bytes());
    }
    drop(clients);
    server.stderr.wait_for_count("closed the connection", 3);
    stop(&mut server, &path);
    let stderr = server.stderr.now();
    assert!(stderr.contains("#1 (unnamed) readable"), "{stderr}");
    assert!(stderr.contains("removed the socket file"), "{stderr}");
    let summary = "stopped: served 3 clients, echoed 21 bytes from 3 reads, \
                   at most 3 at once";
    assert!(stderr.lines().any(|l| l == summary), "{stderr}");
}

/// --step on a path: three pauses before listening (socket, bind, listen:
/// no setsockopt), each with the `ss -x` command that watches the path.
#[test]
fn step_pauses_at_each_unix_step() {
    let dir = Folder::new("step");
    let path = dir.join("echo.sock");
    let mut pty = testkit::Pty::start(BIN, &[text(&path), "--step"]);
    for (presses, step) in [(1, "socket"), (2, "bind"), (3, "listen")] {
        pty.screen.wait_for_count("press Enter", presses);
        assert!(pty.screen.now().contains(&format!("that was {step}")));
        assert!(!pty.screen.now().contains("listening on"));
        pty.type_keys("\r");
    }
    pty.screen
        .wait_for_text(&format!("listening on {}", path.display()));
    let screen = pty.screen.now();
    assert!(!screen.contains("setsockopt"), "{screen}");
    assert!(
        screen.contains(&format!("ss -xa src {}", path.display())),
        "{screen}"
    );
    let _client = connect(&path);
    pty.screen.wait_for_text("that was accept");
    pty.signal(libc::SIGINT);
    assert_eq!(pty.wait().code(), Some(0), "{}", pty.screen.now());
    assert!(!path.exists());
}

/// Ctrl-C stops the server even when its socket file was moved away (or
/// replaced) while it ran: the stop wakes accept() without the path.
/// The moved file is not the server's to remove any more, and stays.
#[cfg(target_os = "linux")]
#[test]
fn ctrl_c_stops_after_the_socket_file_was_moved() {
    for flags in [&[][..], &["--threaded"]] {
        let dir = Folder::new("moved");
        let path = dir.join("echo.sock");
        let mut server = serve(&path, flags);
        let moved = dir.join("moved.sock");
        std::fs::rename(&path, &moved).unwrap();
        server.signal(libc::SIGINT);
        assert_eq!(server.code(), 0, "{}", server.stderr.now());
        server.assert_no_panic();
        let said = server.stderr.now();
        assert!(said.contains("stopped: served 0 clients"), "{said}");
        assert!(!said.contains("accept failed"), "{said}");
        assert!(is_socket(&moved), "the moved file was removed");
    }
}

/// A client that sends and is gone before its echo: the echo's send fails
/// (broken pipe, over a path at once), and --poll says it was the send, as
/// the other designs do. The server is paused (SIGSTOP) while the client
/// connects, sends and closes, so the client is gone before the server
/// even reads, however busy the machine.
#[test]
fn poll_names_the_send_that_failed() {
    let dir = Folder::new("gone");
    let path = dir.join("echo.sock");
    let mut server = serve(&path, &["--poll"]);
    server.signal(libc::SIGSTOP);
    let mut client = connect(&path);
    client.write_all(b"abc").unwrap();
    drop(client);
    server.signal(libc::SIGCONT);
    server.stderr.wait_for_text(" failed: ");
    let said = server.stderr.now();
    let last = said.lines().rfind(|l| l.contains(" failed: "));
    let last = last.unwrap_or_default();
    assert!(last.contains("send failed: broken pipe"), "{said}");
    stop(&mut server, &path);
}
