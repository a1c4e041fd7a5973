//! tcp-client on a Unix domain socket (an ADDRESS that is a path), run as
//! a real process against peers nobody here wrote: Python's
//! `socketserver.UnixStreamServer` and socat. Every socket path is in a
//! fresh folder of the test's own, removed at the end.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::os::unix::fs::PermissionsExt;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};
use testkit::{PATIENCE, Program, Pty, assert_one_line, run, start};

const BIN: &str = env!("CARGO_BIN_EXE_tcp-client");

/// A fresh folder for one test's socket files, removed when dropped.
struct Folder(PathBuf);

impl Folder {
    fn new(name: &str) -> Folder {
        let dir = std::env::temp_dir()
            .join(format!("tcp-client-unix-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        // Open to every user: one test runs the client as `nobody`.
        let open = std::fs::Permissions::from_mode(0o755);
        std::fs::set_permissions(&dir, open).unwrap();
        Folder(dir)
    }

    /// `name` inside the folder, as text for the command line.
    fn path(&self, name: &str) -> String {
        self.0.join(name).to_string_lossy().into_owned()
    }
}

impl Drop for Folder {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

/// Fails with what to install when a peer program is missing.
fn need(program: &str, version_flag: &str, install: &str) {
    let found = std::process::Command::new(program)
        .arg(version_flag)
        .output()
        .is_ok();
    assert!(found, "{program} is missing: install it ({install})");
}

/// Python's socketserver.UnixStreamServer with a StreamRequestHandler:
/// echoes each connection until the client's end-of-stream, then prints
/// `got <hex>` with every byte it received. `greet` first sends a
/// greeting line; `flood` never reads and sends `z`s for 15 s; `silent`
/// reads but never answers, and keeps the connection open for 15 s.
const PYTHON_SERVER: &str = r#"
import socketserver, sys, time
path, mode = sys.argv[1], sys.argv[2]
class Echo(socketserver.StreamRequestHandler):
    def handle(self):
        if mode == "flood":
            stop = time.monotonic() + 15
            while time.monotonic() < stop:
                try:
                    self.wfile.write(b"z" * 1000)
                except OSError:
                    break
            return
        if mode == "greet":
            self.wfile.write(b"220 welcome\r\n")
        got = bytearray()
        # A client gone before its echo (a slow machine) still gets its
        # `got` line: what arrived is what the test asks about.
        while True:
            try:
                data = self.rfile.read1(65536)
            except OSError:
                break
            if not data:
                break
            got += data
            if mode != "silent":
                try:
                    self.wfile.write(data)
                except OSError:
                    pass
        shown = got.hex() if len(got) < 4096 else "%d bytes" % len(got)
        print("got", shown, flush=True)
        if mode == "silent":
            time.sleep(15)
with socketserver.UnixStreamServer(path, Echo) as server:
    print("ready", flush=True)
    server.serve_forever()
"#;

/// Starts the Python server at `path` in `mode` and waits until it has
/// bound and listens.
fn python_server(path: &str, mode: &str) -> Program {
    need(
        "python3",
        "--version",
        "python3 from your system's packages",
    );
    let server = start("python3", &["-c", PYTHON_SERVER, path, mode], b"");
    server.stdout.wait_for_text("ready\n");
    server
}

/// What the Python server received on its next connection.
fn python_got(server: &Program) -> Vec<u8> {
    let hex = server.stdout.wait_for("a `got` line", |text| {
        let line = text.lines().find(|l| l.starts_with("got "))?;
        text.contains(&format!("{line}\n"))
            .then(|| line[4..].to_string())
    });
    (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect()
}

/// Piped lines through Python's UnixStreamServer: the echoes on stdout
/// and the bytes the server got are exactly what was sent, both ways.
#[test]
fn python_unix_stream_server_echoes_exact_bytes() {
    let folder = Folder::new("python");
    let path = folder.path("echo.sock");
    let server = python_server(&path, "echo");
    let input = "a\nzwei\r\n\u{4f60}\n";
    let (code, stdout, stderr) = run(BIN, &[&path], input.as_bytes());
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "hello\na\nzwei\n你\n", "{stderr}");
    // As in the script: each line is sent without its line ending.
    assert_eq!(python_got(&server), "helloazwei你".as_bytes());
    assert!(stderr.contains(&format!("connected to {path}")), "{stderr}");
    assert!(
        stderr.contains(&format!(
            "{path} closed the connection (13 bytes received, 13 bytes sent)"
        )),
        "{stderr}"
    );
}

/// --crlf through the same server: every line ending goes out as CRLF,
/// an empty line too, and comes back as it went.
#[test]
fn crlf_lines_reach_python_exactly() {
    let folder = Folder::new("crlf");
    let path = folder.path("echo.sock");
    let server = python_server(&path, "echo");
    let (code, stdout, stderr) = run(BIN, &[&path, "--crlf"], b"one\n\ntwo\n");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "hello\none\n\ntwo\n", "{stderr}");
    assert_eq!(python_got(&server), b"hello\r\none\r\n\r\ntwo\r\n");
}

/// At a real terminal, with stdout to a file: the file holds the echoes
/// alone, and the server got the typed line exactly.
#[test]
fn typed_lines_at_a_terminal_reach_python() {
    let folder = Folder::new("pty");
    let path = folder.path("echo.sock");
    let server = python_server(&path, "echo");
    let log = folder.path("stdout.txt");
    let script = format!("exec \"$0\" \"$@\" > '{log}'");
    let mut pty = Pty::start("sh", &["-c", &script, BIN, &path]);
    pty.wait_for_prompt(1);
    pty.type_keys("abc 你好\r");
    pty.wait_for_prompt(2);
    pty.type_keys("\x04");
    let status = pty.wait();
    let screen = pty.screen.now();
    assert_eq!(status.code(), Some(0), "{screen}");
    let data = std::fs::read(&log).unwrap();
    assert_eq!(
        String::from_utf8_lossy(&data),
        "hello\nabc 你好\n",
        "{screen}"
    );
    assert_eq!(python_got(&server), "helloabc 你好".as_bytes());
}

/// Starts `socat UNIX-LISTEN:path,fork EXEC:cat`, an echo server in one
/// line, and waits until it listens.
fn socat_echo(path: &str) -> Program {
    need("socat", "-V", "apt-get install -y socat");
    let listen = format!("UNIX-LISTEN:{path},fork");
    let socat = start("socat", &["-d", "-d", &listen, "EXEC:cat"], b"");
    socat.stderr.wait_for_text("listening on");
    socat
}

/// socat with cat behind it: lines with LF come back byte for byte.
#[test]
fn socat_echoes_lines() {
    let folder = Folder::new("socat");
    let path = folder.path("cat.sock");
    let _socat = socat_echo(&path);
    let (code, stdout, stderr) = run(BIN, &[&path, "--lf"], b"one\ntwo\n");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "hello\none\ntwo\n", "{stderr}");
}

/// A 5 MB line through socat and cat, sent while the echo comes back:
/// every byte arrives, and nothing locks up.
#[test]
fn a_big_line_through_socat_comes_back_whole() {
    let folder = Folder::new("big");
    let path = folder.path("cat.sock");
    let _socat = socat_echo(&path);
    let mut input = vec![b'x'; 5_000_000];
    input.push(b'\n');
    let (code, stdout, stderr) = run(BIN, &[&path, "--message", ""], &input);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.replace('\n', "").len(), 5_000_000, "{stderr}");
    assert!(stdout.bytes().all(|b| b == b'x' || b == b'\n'));
}

/// A server that talks first: its greeting is shown before the echo.
#[test]
fn a_server_that_talks_first_is_heard() {
    let folder = Folder::new("greet");
    let path = folder.path("smtp.sock");
    let server = python_server(&path, "greet");
    let (code, stdout, stderr) =
        run(BIN, &[&path, "--crlf", "--message", ""], b"HELO me\n");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "220 welcome\nHELO me\n", "{stderr}");
    assert_eq!(python_got(&server), b"HELO me\r\n");
}

/// A server that never stops sending: after the end of input the client
/// stops waiting within --wait-close, exit 0, and every byte it read was
/// shown: the count it reports is the count on stdout.
#[test]
fn a_server_that_never_stops_is_cut_off_and_nothing_is_lost() {
    let folder = Folder::new("flood");
    let path = folder.path("flood.sock");
    let _server = python_server(&path, "flood");
    let started = Instant::now();
    let args = [&path, "--wait-close", "1", "--message", "", "--no-wait"];
    let (code, stdout, stderr) = run(BIN, &args, b"");
    let took = started.elapsed();
    assert_eq!(code, 0, "{stderr}");
    assert!(took < Duration::from_secs(5), "took {took:?}: {stderr}");
    assert!(stderr.contains("stopped waiting for"), "{stderr}");
    let shown = stdout.bytes().filter(|&b| b == b'z').count();
    assert!(shown > 0, "{stderr}");
    assert!(stdout.bytes().all(|b| b == b'z' || b == b'\n'));
    let said = format!("; {shown} bytes came back in");
    assert!(stderr.contains(&said), "{said} in:\n{stderr}");
}

/// A server that reads but never answers: the echo is late after
/// --timeout, the wait for the close ends after --wait-close, exit 0.
#[test]
fn a_silent_server_is_awaited_then_given_up() {
    let folder = Folder::new("silent");
    let path = folder.path("silent.sock");
    let server = python_server(&path, "silent");
    let args = [path.as_str(), "--timeout", "0.2", "--wait-close", "0.5"];
    let (code, stdout, stderr) = run(BIN, &args, b"");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "");
    let late = "still waiting for the echo of line 1 after 200ms";
    assert!(stderr.contains(late), "{stderr}");
    assert!(stderr.contains("stopped waiting for"), "{stderr}");
    assert!(stderr.contains("0 of 5 bytes sent came back"), "{stderr}");
    assert_eq!(python_got(&server), b"hello");
}

/// --explain, --hex, --buffer and --trace on a path: the steps are the
/// stream's without a resolve, the echo comes in 3-byte reads, and the
/// trace names the server's socket file and our unnamed end.
#[test]
fn explain_hex_buffer_and_trace_on_a_path() {
    let folder = Folder::new("explain");
    let path = folder.path("echo.sock");
    let _server = python_server(&path, "echo");
    let trace = folder.path("run.jsonl");
    let args = [
        &path,
        "--explain",
        "--hex",
        "--buffer",
        "3",
        "--trace",
        &trace,
    ];
    let (code, stdout, stderr) = run(BIN, &args, b"");
    assert_eq!(code, 0, "{stderr}");
    let steps = testkit::explained_steps(&stderr);
    assert_eq!(steps[..3], ["no", "socket", "connect"], "{stderr}");
    assert!(!steps.contains(&"resolve".to_string()), "{stderr}");
    assert!(stderr.contains("no resolve step"), "{stderr}");
    assert!(stderr.contains("AF_UNIX, SOCK_STREAM"), "{stderr}");
    assert!(stderr.contains("from (unnamed)"), "{stderr}");
    assert!(steps.contains(&"shutdown".to_string()), "{stderr}");
    assert_eq!(steps.last().map(String::as_str), Some("close"), "{stderr}");
    // `hello` in two reads of at most 3 bytes, each dumped in hex.
    assert!(stderr.contains("recv #2: 2 bytes"), "{stderr}");
    assert!(stdout.contains("68 65 6c"), "{stdout}");
    assert!(stdout.contains("6c 6f"), "{stdout}");
    let traced = std::fs::read_to_string(&trace).unwrap();
    assert!(traced.contains(&path), "{traced}");
    assert!(traced.contains("(unnamed)"), "{traced}");
    assert!(traced.contains("\"connect\""), "{traced}");
}

/// --step on a path: a pause after socket and after connect, each with
/// the `ss -x` command that shows the server's socket file.
#[test]
fn step_suggests_ss_for_the_path() {
    let folder = Folder::new("step");
    let path = folder.path("echo.sock");
    let _server = python_server(&path, "echo");
    let mut pty = Pty::start(BIN, &[&path, "--step", "--message", ""]);
    pty.step_through(1..=2); // socket, connect
    pty.wait_for_prompt(1);
    pty.type_keys("\x04");
    pty.step_through(3..=5); // shutdown, recv of the end, close
    let status = pty.wait();
    let screen = pty.screen.now();
    assert_eq!(status.code(), Some(0), "{screen}");
    assert!(screen.contains(&format!("ss -xa src {path}")), "{screen}");
}

/// Ctrl-C at the prompt on a path stops at once with exit 0, and gives
/// the terminal back; the server sees the connection end.
#[test]
fn ctrl_c_at_the_prompt_on_a_path_exits_0() {
    let folder = Folder::new("ctrl-c");
    let path = folder.path("echo.sock");
    let server = python_server(&path, "echo");
    let mut pty = Pty::start(BIN, &[&path]);
    pty.wait_for_prompt(1);
    // The echo of `hello` is on the screen: the server has read it.
    pty.screen.wait_for_text("hello");
    pty.type_keys("\x03");
    let status = pty.wait();
    let screen = pty.screen.now();
    assert_eq!(status.code(), Some(0), "{screen}");
    assert!(pty.terminal_is_sane(), "{screen}");
    // The server read `hello`, then the end of the stream.
    assert_eq!(python_got(&server), b"hello");
}

/// A connect that fails on a path: exit 1, one line naming the path, the
/// reason and the hint.
fn refused(args: &[&str], reason: &str, hint: &str) {
    let (code, stdout, stderr) = run(BIN, args, b"");
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout, "");
    assert_one_line(&stderr);
    let said = format!("error: cannot connect to {}: {reason} (", args[0]);
    assert!(stderr.starts_with(&said), "{said} in:\n{stderr}");
    assert!(stderr.contains(hint), "{hint} in:\n{stderr}");
}

/// No file at the path: the server is not running (yet).
#[test]
fn no_socket_file_asks_whether_the_server_runs() {
    let folder = Folder::new("missing");
    let path = folder.path("echo.sock");
    let hint = format!("is the server running? it creates {path} when it");
    refused(&[&path], "no such file", &hint);
}

/// A socket file left behind by a server that was killed: refused, named
/// stale, and left where it is.
#[test]
fn a_killed_servers_socket_file_is_stale() {
    let folder = Folder::new("stale");
    let path = folder.path("echo.sock");
    let mut server = python_server(&path, "echo");
    server.kill();
    refused(&[&path], "connection refused", "is a stale socket file");
    refused(&[&path], "connection refused", "start the server again");
    assert!(Path::new(&path).exists(), "nothing is deleted");
}

/// A regular file or a folder at the path: the OS says connection
/// refused for both, as for a stale socket; the hint says what is there,
/// and nothing is touched. A file where a folder should be is named too.
#[test]
fn a_file_or_a_folder_is_no_socket() {
    let folder = Folder::new("not-a-socket");
    let file = folder.path("notes.txt");
    std::fs::write(&file, "keep me").unwrap();
    refused(
        &[&file],
        "connection refused",
        "is a file that is no socket",
    );
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");

    let inside = folder.path("notes.txt/echo.sock");
    refused(&[&inside], "not a directory", "is a file, not a folder");

    let dir = folder.path("sockets");
    std::fs::create_dir(&dir).unwrap();
    refused(&[&dir], "connection refused", "is a folder, not a socket");
    assert!(Path::new(&dir).is_dir());
}

/// A datagram socket at the path (udp-server's kind): the wrong type, and
/// the hint names the client that fits.
#[test]
fn a_datagram_socket_needs_udp_client() {
    let folder = Folder::new("dgram");
    let path = folder.path("udp.sock");
    let _socket = std::os::unix::net::UnixDatagram::bind(&path).unwrap();
    let (code, _, stderr) = run(BIN, &[&path], b"");
    assert_eq!(code, 1, "{stderr}");
    assert_one_line(&stderr);
    assert!(stderr.contains("talk to it with udp-client"), "{stderr}");
}

/// A socket file the user may not write to: permission denied. Root may
/// write anywhere, so as root the client runs as `nobody`.
#[test]
fn a_socket_without_permission_is_denied() {
    use std::os::unix::fs::MetadataExt;
    use std::os::unix::process::CommandExt;
    let folder = Folder::new("denied");
    let path = folder.path("echo.sock");
    let _server = python_server(&path, "echo");
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o000))
        .unwrap();
    // Who we are: the owner of a file we just made.
    let probe = folder.path("whoami");
    std::fs::write(&probe, "").unwrap();
    let root = std::fs::metadata(&probe).unwrap().uid() == 0;
    let mut command = std::process::Command::new(BIN);
    command
        .arg(&path)
        .env("NO_COLOR", "1")
        .env("LC_ALL", "C.UTF-8");
    if root {
        command.uid(65534).gid(65534);
    }
    let child = command
        .stdin(std::process::Stdio::null())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let (done, wait) = std::sync::mpsc::channel();
    std::thread::spawn(move || done.send(child.wait_with_output()));
    let output = wait.recv_timeout(PATIENCE).unwrap().unwrap();
    let stderr = String::from_utf8_lossy(&output.stderr);
    assert_eq!(output.status.code(), Some(1), "{stderr}");
    assert_one_line(&stderr);
    let said = format!("cannot connect to {path}: permission denied");
    assert!(stderr.contains(&said), "{stderr}");
    assert!(stderr.contains("is not yours to use"), "{stderr}");
}

/// A listener whose queue is full (backlog 0, one connection already
/// waiting, nobody accepting): --connect-timeout gives up, exit 1, with
/// the reason.
#[test]
fn a_full_queue_times_out_with_connect_timeout() {
    let folder = Folder::new("full");
    let path = folder.path("full.sock");
    let listener = socket2::Socket::new(
        socket2::Domain::UNIX,
        socket2::Type::STREAM,
        None,
    )
    .unwrap();
    listener
        .bind(&socket2::SockAddr::unix(&path).unwrap())
        .unwrap();
    listener.listen(0).unwrap();
    let _waiting = std::os::unix::net::UnixStream::connect(&path).unwrap();
    let started = Instant::now();
    let args = [path.as_str(), "--connect-timeout", "0.5"];
    refused(&args, "timed out", "queue of connections stayed full");
    let took = started.elapsed();
    assert!(took >= Duration::from_millis(500), "took {took:?}");
    assert!(took < Duration::from_secs(5), "took {took:?}");
}

/// A path longer than a Unix socket's address can hold: a usage error
/// from parsing, before any socket is made.
#[test]
fn a_path_too_long_is_a_usage_error() {
    let path = format!("/tmp/{}.sock", "a".repeat(120));
    let (code, _, stderr) = run(BIN, &[&path], b"");
    assert_eq!(code, 2, "{stderr}");
    assert_one_line(&stderr);
    assert!(stderr.contains("bytes long"), "{stderr}");
    assert!(!Path::new(&path).exists());
}
