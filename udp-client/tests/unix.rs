//! udp-client over AF_UNIX SOCK_DGRAM, as a real process, against peers
//! nobody here wrote: Python's socketserver.UnixDatagramServer and
//! ThreadingUDPServer, and socat; and the bad inputs a socket path brings.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::os::unix::fs::FileTypeExt;
use std::path::{Path, PathBuf};
use testkit::{Program, assert_one_line, run};

const BIN: &str = env!("CARGO_BIN_EXE_udp-client");

/// A fresh folder for one test's socket paths, removed at the end.
struct Dir(PathBuf);

impl Dir {
    fn new(name: &str) -> Dir {
        let dir = std::env::temp_dir()
            .join(format!("uc-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).unwrap();
        Dir(dir)
    }

    fn path(&self, name: &str) -> PathBuf {
        self.0.join(name)
    }
}

impl Drop for Dir {
    fn drop(&mut self) {
        let _ = std::fs::remove_dir_all(&self.0);
    }
}

fn text(path: &Path) -> String {
    path.to_str().unwrap().to_string()
}

/// Python's UnixDatagramServer with a DatagramRequestHandler: `echo`
/// answers each datagram with its bytes, `once` does so for one datagram
/// and exits (its socket file stays behind, as Python leaves it), `long`
/// answers with 600 bytes. Each datagram is printed with its sender.
const UNIX_SERVER: &str = r#"
import socketserver, sys
path, mode = sys.argv[1], sys.argv[2]
class Echo(socketserver.DatagramRequestHandler):
    def handle(self):
        data = self.rfile.read()
        print("from", self.client_address, "data", data.hex(), flush=True)
        self.wfile.write(b"y" * 600 if mode == "long" else data)
with socketserver.UnixDatagramServer(path, Echo) as server:
    print("ready", flush=True)
    if mode == "once":
        server.handle_request()
    else:
        server.serve_forever()
"#;

/// Python's ThreadingUDPServer on a free loopback port, echoing with a
/// BaseRequestHandler.
const UDP_SERVER: &str = r#"
import socketserver
class Echo(socketserver.BaseRequestHandler):
    def handle(self):
        data, sock = self.request
        print("from", self.client_address, "data", data.hex(), flush=True)
        sock.sendto(data, self.client_address)
with socketserver.ThreadingUDPServer(("127.0.0.1", 0), Echo) as server:
    print("ready", server.server_address[1], flush=True)
    server.serve_forever()
"#;

/// Starts a tool nobody here wrote; a missing one fails the test, saying
/// what to install.
fn tool(bin: &str, args: &[&str], install: &str) -> Program {
    let found = std::process::Command::new(bin)
        .arg(if bin == "socat" { "-V" } else { "--version" })
        .output();
    assert!(found.is_ok(), "{bin} is missing: install it ({install})");
    testkit::start(bin, args, b"")
}

fn python(script: &str, args: &[&str]) -> Program {
    let mut all = vec!["-c", script];
    all.extend_from_slice(args);
    let server = tool("python3", &all, "apt-get install -y python3");
    server.stdout.wait_for_text("ready");
    server
}

/// What the Python server saw, once it has printed `n` whole lines:
/// (sender, bytes) per datagram.
fn seen(server: &Program, n: usize) -> Vec<(String, Vec<u8>)> {
    server.stdout.wait_for("the server's lines", |text| {
        let lines: Vec<&str> = text
            .split_inclusive('\n')
            .filter(|l| l.ends_with('\n'))
            .filter_map(|l| l.trim_end().strip_prefix("from "))
            .collect();
        (lines.len() >= n).then(|| lines.into_iter().map(datagram).collect())
    })
}

/// `SENDER data HEX`, read back.
fn datagram(line: &str) -> (String, Vec<u8>) {
    let (from, hex) = line.rsplit_once(" data ").unwrap();
    let bytes = (0..hex.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&hex[i..i + 2], 16).unwrap())
        .collect();
    (from.to_string(), bytes)
}

/// The path our client bound, from its status line.
fn own_path_in(stderr: &str) -> PathBuf {
    let line = stderr
        .lines()
        .find(|l| l.starts_with("sending to "))
        .unwrap();
    PathBuf::from(line.rsplit_once(" from ").unwrap().1)
}

/// Exact bytes both ways; the replies come back to the client's own
/// path, the one the server saw as the sender; that file is gone after.
#[test]
fn unix_datagram_server_echoes_to_our_own_path() {
    let dir = Dir::new("python");
    let sock = text(&dir.path("echo.sock"));
    let server = python(UNIX_SERVER, &[&sock, "echo"]);
    let (code, stdout, stderr) = run(BIN, &[&sock], "a\n你好\r\n".as_bytes());
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "hello\na\n你好\n");
    let own = own_path_in(&stderr);
    let name = own.file_name().unwrap().to_str().unwrap();
    assert!(name.starts_with("udp-client-") && name.ends_with(".sock"));
    assert_eq!(own.parent(), Some(std::env::temp_dir().as_path()));
    let from = format!("{}", own.display());
    let want = [
        (from.clone(), b"hello".to_vec()),
        (from.clone(), b"a".to_vec()),
        (from, "你好".as_bytes().to_vec()),
    ];
    assert_eq!(seen(&server, 3), want);
    assert!(!own.exists(), "{} left behind", own.display());
}

/// `--bind PATH` is the path the server sees and replies to; removed at
/// the end; --explain tells each step, and why we bind.
#[test]
fn bind_chooses_our_path_and_it_is_removed() {
    let dir = Dir::new("bind");
    let sock = text(&dir.path("echo.sock"));
    let mine = text(&dir.path("me.sock"));
    let server = python(UNIX_SERVER, &[&sock, "echo"]);
    // `unix:` in front means in --bind what it means in ADDRESS.
    let bind = format!("unix:{mine}");
    let args = [sock.as_str(), "--bind", &bind, "--explain", "--hex"];
    let (code, stdout, stderr) = run(BIN, &args, b"bye\n");
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.starts_with("hello\n"), "{stdout}");
    assert!(stdout.contains("68 65 6c 6c 6f"), "the hex dump: {stdout}");
    let got = seen(&server, 2);
    assert_eq!(
        got,
        [
            (mine.clone(), b"hello".to_vec()),
            (mine.clone(), b"bye".to_vec())
        ]
    );
    assert!(!Path::new(&mine).exists());
    let steps = testkit::explained_steps(&stderr);
    assert_eq!(
        steps,
        [
            "socket", "bind", "connect", "send", "recv", "send", "recv",
            "close", "removed"
        ],
        "{stderr}"
    );
    assert!(stderr.contains("binds none has no address"), "{stderr}");
}

/// Python's ThreadingUDPServer over loopback: the same client, exact bytes.
#[test]
fn threading_udp_server_echoes() {
    let server = python(UDP_SERVER, &[]);
    // The port, once its line is whole.
    let port = server.stdout.wait_for("the server's port", |text| {
        let line = text.split_inclusive('\n').find(|l| l.ends_with('\n'))?;
        line.strip_prefix("ready ")?.trim().parse::<u16>().ok()
    });
    let address = format!("127.0.0.1:{port}");
    let (code, stdout, stderr) = run(BIN, &[&address], b"x y\n\xce\xbb\n");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "hello\nx y\nλ\n");
    let bytes: Vec<Vec<u8>> =
        seen(&server, 3).into_iter().map(|s| s.1).collect();
    assert_eq!(bytes, [b"hello".to_vec(), b"x y".to_vec(), "λ".into()]);
}

/// socat as a datagram echo on a path: each datagram goes through `cat`
/// and back to the sender's path.
#[test]
fn socat_echoes_on_a_path() {
    let dir = Dir::new("socat");
    let sock = text(&dir.path("echo.sock"));
    let listen = format!("UNIX-RECVFROM:{sock},fork");
    let socat = tool(
        "socat",
        &["-d", "-d", &listen, "EXEC:cat"],
        "apt-get install -y socat",
    );
    socat.stderr.wait_for_text("receiving on");
    let mine = text(&dir.path("me.sock"));
    let args = [sock.as_str(), "--bind", &mine];
    let (code, stdout, stderr) = run(BIN, &args, b"one\ntwo three\n");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "hello\none\ntwo three\n");
    assert!(!Path::new(&mine).exists());
}

/// A reply longer than --buffer is reported cut, with its real length
/// (MSG_TRUNC works on AF_UNIX too); exit 1.
#[test]
fn long_reply_is_reported_truncated() {
    let dir = Dir::new("long");
    let sock = text(&dir.path("echo.sock"));
    let _server = python(UNIX_SERVER, &[&sock, "long"]);
    let (code, stdout, stderr) = run(BIN, &[&sock, "--buffer", "512"], b"");
    assert_eq!(code, 1, "{stderr}");
    assert_eq!(stdout.trim_end().len(), 512);
    let cut = if cfg!(any(target_os = "linux", target_os = "android")) {
        "truncated: 600 bytes arrived, buffer holds 512"
    } else {
        "truncated: more than 512 bytes arrived, buffer holds 512"
    };
    assert!(stderr.contains(cut), "{stderr}");
    assert!(!own_path_in(&stderr).exists());
}

/// The last line of stderr, which must be the one-line error.
fn error_line(stderr: &str) -> &str {
    let last = stderr.lines().last().unwrap_or("");
    assert!(last.starts_with("error: "), "{stderr}");
    last
}

/// Nothing at the path: one line naming it, a hint, exit 1; our own
/// socket file is removed even so.
#[test]
fn no_server_at_the_path() {
    let dir = Dir::new("none");
    let sock = text(&dir.path("nobody.sock"));
    let mine = text(&dir.path("me.sock"));
    let (code, _, stderr) = run(BIN, &[&sock, "--bind", &mine], b"a\n");
    assert_eq!(code, 1, "{stderr}");
    assert_one_line(&stderr);
    let want = format!(
        "error: no server at {sock}: no such file (no socket file at that \
         path: is the server running? start it first, such as `udp-server \
         {sock}`)"
    );
    assert_eq!(error_line(&stderr), want);
    assert!(!Path::new(&mine).exists(), "our own file left behind");
}

/// A stream server at the path (a student's mix-up): one line that says
/// which program talks to it; the stream server sees no client.
#[cfg(target_os = "linux")]
#[test]
fn a_stream_socket_at_the_path() {
    let dir = Dir::new("stream");
    let path = dir.path("stream.sock");
    let listener = std::os::unix::net::UnixListener::bind(&path).unwrap();
    listener.set_nonblocking(true).unwrap();
    let sock = text(&path);
    let mine = text(&dir.path("me.sock"));
    let (code, _, stderr) = run(BIN, &[&sock, "--bind", &mine], b"a\n");
    assert_eq!(code, 1, "{stderr}");
    assert_one_line(&stderr);
    let want = format!(
        "error: cannot connect to {sock}: protocol wrong type for socket \
         ({sock} is a stream socket (SOCK_STREAM), such as tcp-server's: talk \
         to it with tcp-client)"
    );
    assert_eq!(error_line(&stderr), want);
    assert!(listener.accept().is_err(), "the stream server saw a client");
    assert!(!Path::new(&mine).exists(), "our own file left behind");
}

/// A socket file nobody is bound to: named stale, with how to remove it;
/// the client deletes nothing of it.
#[test]
fn stale_socket_file() {
    let dir = Dir::new("stale");
    let stale = dir.path("stale.sock");
    drop(std::os::unix::net::UnixDatagram::bind(&stale).unwrap());
    let sock = text(&stale);
    let mine = text(&dir.path("me.sock"));
    let (code, _, stderr) = run(BIN, &[&sock, "--bind", &mine], b"");
    assert_eq!(code, 1, "{stderr}");
    assert_one_line(&stderr);
    let want = format!(
        "error: no server at {sock}: connection refused (nothing is bound to \
         the socket file {sock}: is the server running? a file left by a \
         server that ended without removing it is stale: remove it with `rm \
         {sock}`)"
    );
    assert_eq!(error_line(&stderr), want);
    assert!(
        std::fs::symlink_metadata(&stale)
            .unwrap()
            .file_type()
            .is_socket()
    );
    assert!(!Path::new(&mine).exists());
}

/// The server goes away mid-conversation (its file stays, as Python
/// leaves it): the next send is refused; exit 1, our file removed.
#[test]
fn server_gone_before_a_send() {
    let dir = Dir::new("gone");
    let sock = text(&dir.path("echo.sock"));
    let mine = text(&dir.path("me.sock"));
    let mut server = python(UNIX_SERVER, &[&sock, "once"]);
    let mut client = testkit::start_open(BIN, &[&sock, "--bind", &mine]);
    client.stdout.wait_for_text("hello\n");
    assert_eq!(server.code(), 0);
    client.send_input(b"again\n");
    client.close_input();
    assert_eq!(client.code(), 1);
    let stderr = client.stderr.now();
    let last = error_line(&stderr);
    assert!(
        last.starts_with(&format!(
            "error: no server at {sock}: connection refused"
        )),
        "{stderr}"
    );
    assert!(last.contains("is the server running?"), "{stderr}");
    assert!(!Path::new(&mine).exists());
}

/// Our own path cannot be created: its folder is missing. One line with
/// the hint to use --bind; exit 1.
#[test]
fn own_path_in_a_missing_folder() {
    let dir = Dir::new("nofolder");
    let sock = text(&dir.path("echo.sock"));
    let _server = python(UNIX_SERVER, &[&sock, "echo"]);
    let folder = text(&dir.path("missing"));
    let mine = format!("{folder}/me.sock");
    let (code, _, stderr) = run(BIN, &[&sock, "--bind", &mine], b"");
    assert_eq!(code, 1, "{stderr}");
    assert_one_line(&stderr);
    let want = format!(
        "error: cannot create our own socket file {mine}: its folder {folder} \
         does not exist (the server's replies need a path to come back to: \
         create the folder, or choose another path with --bind PATH)"
    );
    assert_eq!(error_line(&stderr), want);
}

/// Our own path is taken by a regular file: refused, and the file is
/// left as it was.
#[test]
fn own_path_taken_by_a_regular_file() {
    let dir = Dir::new("regular");
    let sock = text(&dir.path("echo.sock"));
    let _server = python(UNIX_SERVER, &[&sock, "echo"]);
    let notes = dir.path("notes.txt");
    std::fs::write(&notes, "keep me").unwrap();
    let mine = text(&notes);
    let (code, _, stderr) = run(BIN, &[&sock, "--bind", &mine], b"");
    assert_eq!(code, 1, "{stderr}");
    assert_one_line(&stderr);
    let want = format!(
        "error: cannot bind {mine}: address already in use ({mine} is a file \
         that is no socket: pick another path (this program deletes no file \
         it did not create))"
    );
    assert_eq!(error_line(&stderr), want);
    assert_eq!(std::fs::read_to_string(&notes).unwrap(), "keep me");
}

/// `--bind` with a UDP address is a usage error: exit 2.
#[test]
fn bind_with_a_udp_address_is_a_usage_error() {
    let (code, _, stderr) =
        run(BIN, &["127.0.0.1:9", "--bind", "./me.sock"], b"");
    assert_eq!(code, 2, "{stderr}");
    assert_one_line(&stderr);
    assert!(
        stderr.starts_with("error: --bind PATH names our own socket's path"),
        "{stderr}"
    );
    assert!(
        stderr.contains("over UDP the kernel picks our port"),
        "{stderr}"
    );
}

/// Ctrl-C with piped input (a signal, no line editor): the conversation
/// ends as at the prompt, and our file is removed.
#[test]
fn a_signal_with_piped_input_removes_our_file() {
    const SIGINT: i32 = 2;
    let dir = Dir::new("sigint");
    let sock = text(&dir.path("echo.sock"));
    let mine = text(&dir.path("me.sock"));
    let _server = python(UNIX_SERVER, &[&sock, "echo"]);
    let mut client = testkit::start_open(BIN, &[&sock, "--bind", &mine]);
    client.stdout.wait_for_text("hello\n");
    assert!(Path::new(&mine).exists());
    client.signal(SIGINT);
    let code = client.code();
    assert_eq!(code, 0, "{}", client.stderr.now());
    assert!(!Path::new(&mine).exists());
}

/// In a real terminal: the prompt, a typed line echoed, Ctrl-D; then
/// Ctrl-C at the prompt; our file is gone after each.
#[test]
fn interactive_session_in_a_terminal() {
    let dir = Dir::new("pty");
    let sock = text(&dir.path("echo.sock"));
    let server = python(UNIX_SERVER, &[&sock, "echo"]);
    for (n, end) in ["\x04", "\x03"].into_iter().enumerate() {
        let mine = text(&dir.path(&format!("me{n}.sock")));
        let mut pty = testkit::Pty::start(BIN, &[&sock, "--bind", &mine]);
        pty.wait_for_prompt(1);
        pty.type_keys("over unix\r");
        pty.screen.wait_for_count("over unix", 2);
        pty.wait_for_prompt(2);
        pty.type_keys(end);
        assert_eq!(pty.wait().code(), Some(0), "{}", pty.screen.now());
        assert!(pty.terminal_is_sane());
        assert!(!Path::new(&mine).exists(), "{}", pty.screen.now());
    }
    let lines: Vec<Vec<u8>> =
        seen(&server, 4).into_iter().map(|s| s.1).collect();
    let typed = lines.iter().filter(|l| l.as_slice() == b"over unix");
    assert_eq!(typed.count(), 2, "{lines:?}");
}

/// `--step` pauses at each step with the command that shows our socket:
/// `ss -xa src` our own path, the one that is ours (the server's path
/// would list the server's socket).
#[test]
fn step_watches_our_own_path() {
    let dir = Dir::new("step");
    let sock = text(&dir.path("echo.sock"));
    let mine = text(&dir.path("me.sock"));
    let _server = python(UNIX_SERVER, &[&sock, "echo"]);
    let args = [sock.as_str(), "--bind", &mine, "--step", "--message", "hi"];
    let mut pty = testkit::Pty::start(BIN, &args);
    // socket, bind, connect, send, recv
    pty.step_through(1..=5);
    pty.wait_for_prompt(1);
    pty.type_keys("\x04");
    pty.step_through(6..=6); // close
    assert_eq!(pty.wait().code(), Some(0), "{}", pty.screen.now());
    let screen = pty.screen.now();
    let watch = format!("that was bind · watch: ss -xa src {mine} ·");
    assert!(screen.contains(&watch), "{screen}");
    assert!(!Path::new(&mine).exists(), "{screen}");
}

/// --no-wait sends each line at once, one datagram each, and counts the
/// replies; --timeout on a peer that never answers: said, exit 0.
#[test]
fn no_wait_and_timeout_keep_working() {
    let dir = Dir::new("nowait");
    let sock = text(&dir.path("echo.sock"));
    let _server = python(UNIX_SERVER, &[&sock, "echo"]);
    let (code, stdout, stderr) = run(BIN, &[&sock, "--no-wait"], b"1\n2\n");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "hello\n1\n2\n");
    assert!(
        stderr.contains("sent 3 datagrams; 3 replies came back in 3 reads"),
        "{stderr}"
    );
    let silent = dir.path("silent.sock");
    let _peer = std::os::unix::net::UnixDatagram::bind(&silent).unwrap();
    let silent = text(&silent);
    let args = [silent.as_str(), "--timeout", "0.2", "--message", "ping"];
    let (code, stdout, stderr) = run(BIN, &args, b"");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("no reply to line 1 within 200ms"),
        "{stderr}"
    );
    assert!(!own_path_in(&stderr).exists());
}

/// SIGTERM or SIGHUP while the line editor holds the terminal stops at
/// once (130), with the terminal given back and our file removed.
#[test]
fn a_signal_at_the_prompt_removes_our_file() {
    const SIGHUP: i32 = 1;
    const SIGTERM: i32 = 15;
    let dir = Dir::new("sigterm");
    let sock = text(&dir.path("echo.sock"));
    let _server = python(UNIX_SERVER, &[&sock, "echo"]);
    for signal in [SIGTERM, SIGHUP] {
        let mine = text(&dir.path(&format!("me{signal}.sock")));
        let mut pty = testkit::Pty::start(BIN, &[&sock, "--bind", &mine]);
        pty.wait_for_prompt(1);
        assert!(Path::new(&mine).exists());
        pty.signal(signal);
        let status = pty.wait();
        let screen = pty.screen.now();
        assert_eq!(status.code(), Some(130), "signal {signal}: {screen}");
        assert!(pty.terminal_is_sane(), "signal {signal}: {screen}");
        assert!(!Path::new(&mine).exists(), "signal {signal}: {screen}");
    }
}

/// Our own path in a folder that is a file, or one we may not write in
/// (/sys refuses even root): one line each, with the hint, exit 1.
#[test]
fn own_path_that_cannot_be_created() {
    let dir = Dir::new("cannot");
    let sock = text(&dir.path("echo.sock"));
    let file = dir.path("file");
    std::fs::write(&file, "keep me").unwrap();
    let file = text(&file);
    let mut cases = vec![(
        format!("{file}/me.sock"),
        format!("its folder {file} is a file, not a folder"),
        "choose a path in a folder with --bind PATH",
    )];
    if cfg!(target_os = "linux") {
        cases.push((
            "/sys/me.sock".to_string(),
            "its folder /sys is not writable for us".to_string(),
            "choose a path in a folder of yours with --bind PATH",
        ));
    }
    for (mine, why, hint) in cases {
        let (code, _, stderr) = run(BIN, &[&sock, "--bind", &mine], b"");
        assert_eq!(code, 1, "{stderr}");
        assert_one_line(&stderr);
        let want = format!(
            "error: cannot create our own socket file {mine}: {why} (the \
             server's replies need a path to come back to: {hint})"
        );
        assert_eq!(error_line(&stderr), want);
    }
    assert_eq!(std::fs::read_to_string(&file).unwrap(), "keep me");
}
