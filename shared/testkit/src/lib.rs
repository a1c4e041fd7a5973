//! Test support shared by the integration tests of the four binaries.
//!
//! [`Program`] runs a real binary with its output collected in the
//! background, so a test can wait for a line (with a deadline) while the
//! program keeps running. [`Pty`] runs one inside a real pseudo-terminal,
//! as a student at a keyboard would. Everything waits on events with a
//! generous deadline; nothing relies on a sleep being long enough.
#![allow(clippy::unwrap_used, clippy::expect_used)] // Test support: a panic is a failed test.

use std::io::{Read, Write};
use std::net::SocketAddr;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::{Arc, Condvar, Mutex};
use std::thread;
use std::time::{Duration, Instant};

#[cfg(unix)]
mod pty;
#[cfg(unix)]
pub use pty::Pty;

/// How long a test waits for something that should happen at once.
pub const PATIENCE: Duration = Duration::from_secs(15);

/// Text collected from a stream, with a condition variable to wait on.
#[derive(Debug, Default)]
pub struct Collected {
    /// The bytes so far, and whether the stream has ended.
    text: Mutex<(Vec<u8>, bool)>,
    changed: Condvar,
}

impl Collected {
    fn push(&self, chunk: &[u8]) {
        self.text
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .0
            .extend_from_slice(chunk);
        self.changed.notify_all();
    }

    fn close(&self) {
        self.text.lock().unwrap_or_else(|p| p.into_inner()).1 = true;
        self.changed.notify_all();
    }

    /// Everything collected so far.
    pub fn now(&self) -> String {
        let guard = self.text.lock().unwrap_or_else(|p| p.into_inner());
        String::from_utf8_lossy(&guard.0).into_owned()
    }

    /// Waits until `found` returns something for the collected text, or
    /// panics after [`PATIENCE`] (or when the stream ends first).
    pub fn wait_for<T>(
        &self,
        what: &str,
        found: impl Fn(&str) -> Option<T>,
    ) -> T {
        self.wait_until(what, |text, _| found(text))
    }

    /// Waits until the stream has ended.
    pub fn wait_for_end(&self) {
        self.wait_until("the end of the stream", |_, ended| {
            ended.then_some(())
        });
    }

    fn wait_until<T>(
        &self,
        what: &str,
        found: impl Fn(&str, bool) -> Option<T>,
    ) -> T {
        let deadline = Instant::now() + PATIENCE;
        let mut guard = self.text.lock().unwrap_or_else(|p| p.into_inner());
        loop {
            if let Some(value) =
                found(&String::from_utf8_lossy(&guard.0), guard.1)
            {
                return value;
            }
            let now = Instant::now();
            if guard.1 || now >= deadline {
                panic!(
                    "never saw {what}; got:\n{}",
                    String::from_utf8_lossy(&guard.0)
                );
            }
            guard = self
                .changed
                .wait_timeout(guard, deadline - now)
                .unwrap_or_else(|p| p.into_inner())
                .0;
        }
    }

    /// Waits until the text contains `needle` `times` times.
    pub fn wait_for_count(&self, needle: &str, times: usize) {
        self.wait_for(&format!("{times}× {needle:?}"), |t| {
            (t.matches(needle).count() >= times).then_some(())
        });
    }

    /// Waits until the text contains `needle`.
    pub fn wait_for_text(&self, needle: &str) {
        self.wait_for_count(needle, 1);
    }
}

fn collect(reader: impl Read + Send + 'static) -> Arc<Collected> {
    let collected = Arc::new(Collected::default());
    let sink = Arc::clone(&collected);
    let mut reader = reader;
    thread::spawn(move || {
        // Raw reads, not lines: a prompt has no line ending.
        let mut chunk = [0; 4096];
        loop {
            match reader.read(&mut chunk) {
                Ok(0) => break,
                Ok(n) => sink.push(&chunk[..n]),
                Err(e) if e.kind() == std::io::ErrorKind::Interrupted => {}
                // A pseudo-terminal reports EIO once the program has exited.
                Err(_) => break,
            }
        }
        sink.close();
    });
    collected
}

/// A running binary with its stdout and stderr collected.
#[derive(Debug)]
pub struct Program {
    child: Child,
    /// Set once the program was waited for: its pid may then belong to
    /// another process, which a signal must never reach.
    reaped: std::sync::atomic::AtomicBool,
    /// Open only for programs started with [`start_open`].
    input: Option<std::process::ChildStdin>,
    pub stdout: Arc<Collected>,
    pub stderr: Arc<Collected>,
}

/// Starts `bin` with `args` with plain output (`NO_COLOR=1`) and stdin
/// piped from `stdin`; stdin is closed after it is written. The program
/// runs in a session of its own, without a controlling terminal, as under
/// CI, whichever way the tests themselves were started.
pub fn start(bin: &str, args: &[&str], stdin: &[u8]) -> Program {
    // A short input is all in the pipe, and the pipe closed, before the
    // program starts: it never sees a writer that is still writing.
    if stdin.len() <= PREFILLED {
        let (reader, mut writer) = std::io::pipe().unwrap();
        writer.write_all(stdin).unwrap();
        drop(writer);
        return spawn(bin, args, ENGLISH, reader.into());
    }
    let mut program = start_open(bin, args);
    let mut input = program.input.take().unwrap();
    let stdin = stdin.to_vec();
    // A writer thread, so a program that never reads cannot block the test.
    thread::spawn(move || {
        let _ = input.write_all(&stdin);
    });
    program
}

/// The longest input [`start`] writes into the pipe before the program
/// starts: well within what a pipe holds.
const PREFILLED: usize = 16 * 1024;

/// English, whatever the locale of the machine running the tests.
const ENGLISH: &[(&str, &str)] = &[("LC_ALL", "C.UTF-8")];

/// Like [`start`], but stdin stays open for [`Program::send_input`].
pub fn start_open(bin: &str, args: &[&str]) -> Program {
    start_open_in(bin, args, ENGLISH)
}

/// Like [`start_open`], with the locale's variables set as in `locale`.
pub fn start_open_in(
    bin: &str,
    args: &[&str],
    locale: &[(&str, &str)],
) -> Program {
    spawn(bin, args, locale, Stdio::piped())
}

fn spawn(
    bin: &str,
    args: &[&str],
    locale: &[(&str, &str)],
    stdin: Stdio,
) -> Program {
    let mut command = Command::new(bin);
    for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        command.env_remove(name);
    }
    command.envs(locale.iter().copied());
    #[cfg(unix)]
    {
        use std::os::unix::process::CommandExt;
        #[allow(unsafe_code)]
        // SAFETY: setsid() is async-signal-safe and touches no memory.
        unsafe {
            command.pre_exec(|| {
                libc::setsid();
                Ok(())
            });
        }
    }
    let mut child = command
        .args(args)
        .env("NO_COLOR", "1")
        .env_remove("CLICOLOR_FORCE")
        .env_remove("RUST_BACKTRACE")
        .stdin(stdin)
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap_or_else(|e| panic!("cannot start {bin}: {e}"));
    let input = child.stdin.take();
    let stdout = collect(child.stdout.take().unwrap());
    let stderr = collect(child.stderr.take().unwrap());
    Program {
        reaped: std::sync::atomic::AtomicBool::new(false),
        child,
        input,
        stdout,
        stderr,
    }
}

/// The path of one of the workspace's binaries, next to the test's own
/// executable. `cargo test --workspace` builds all four before any test
/// runs; a test of one package alone may find an old build, or none.
pub fn workspace_bin(name: &str) -> String {
    built(name)
}

/// The path of one of the workspace's examples (the minimal twins of the
/// tutorial scripts), in the `examples` folder next to the binaries; cargo
/// keeps the examples of every package there, so their names are unique.
pub fn workspace_example(name: &str) -> String {
    built(&format!("examples/{name}"))
}

/// `target/debug/deps/TEST-HASH` → `target/debug/NAME`, which must exist.
fn built(name: &str) -> String {
    let exe = std::env::current_exe().unwrap();
    let dir = exe.parent().and_then(|deps| deps.parent()).unwrap();
    let path = dir.join(format!("{name}{}", std::env::consts::EXE_SUFFIX));
    assert!(
        path.exists(),
        "{} is not built: run `cargo test --workspace`",
        path.display()
    );
    path.to_string_lossy().into_owned()
}

/// Starts a server on port 0 of `address` and returns it with the port it
/// reports on its `listening on` line.
pub fn start_server(bin: &str, args: &[&str]) -> (Program, SocketAddr) {
    let server = start(bin, args, b"");
    let addr = server.listening_addr();
    (server, addr)
}

impl Program {
    /// Writes `bytes` to the program's open stdin (see [`start_open`]).
    pub fn send_input(&mut self, bytes: &[u8]) {
        let input = self.input.as_mut().expect("started with start_open");
        input.write_all(bytes).unwrap();
        input.flush().unwrap();
    }

    /// Closes the program's stdin: end of input.
    pub fn close_input(&mut self) {
        self.input = None;
    }

    /// Kills the program at once (SIGKILL on Unix).
    pub fn kill(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
        self.reaped.store(true, std::sync::atomic::Ordering::SeqCst);
    }

    /// The address from the `listening on IP:PORT` line on stderr.
    pub fn listening_addr(&self) -> SocketAddr {
        self.stderr
            .wait_for("a `listening on` line", listening_addr_in)
    }

    /// Waits for the program to exit by itself, or kills it and panics.
    pub fn wait(&mut self) -> ExitStatus {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                self.reaped.store(true, std::sync::atomic::Ordering::SeqCst);
                // Let the collectors read to the end of the pipes.
                self.stdout.wait_for_end();
                self.stderr.wait_for_end();
                return status;
            }
            if Instant::now() >= deadline {
                let _ = self.child.kill();
                panic!(
                    "program did not exit; stderr:\n{}\nstdout:\n{}",
                    self.stderr.now(),
                    self.stdout.now()
                );
            }
            thread::sleep(Duration::from_millis(10));
        }
    }

    /// Waits for the exit and returns its code (panics on a signal).
    pub fn code(&mut self) -> i32 {
        let status = self.wait();
        status
            .code()
            .unwrap_or_else(|| panic!("killed by a signal: {status}"))
    }

    /// Sends a signal (SIGTERM, SIGINT) to the program.
    #[cfg(unix)]
    pub fn signal(&self, signal: i32) {
        if self.reaped.load(std::sync::atomic::Ordering::SeqCst) {
            return;
        }
        let pid = self.child.id() as libc::pid_t;
        #[allow(unsafe_code)]
        // SAFETY: kill() with a pid we started and still hold.
        unsafe {
            libc::kill(pid, signal);
        }
    }

    /// Asserts that nothing the program printed looks like a panic.
    pub fn assert_no_panic(&self) {
        for text in [self.stdout.now(), self.stderr.now()] {
            assert!(!text.contains("panicked"), "panic in output:\n{text}");
            assert!(
                !text.contains("RUST_BACKTRACE"),
                "panic in output:\n{text}"
            );
        }
    }
}

impl Drop for Program {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// Connects to `addr` with a read timeout of [`PATIENCE`]. This machine's
/// kernel sometimes answers a burst of simultaneous connects with EAGAIN
/// ("try again") instead of queueing them; that is retried, a bounded
/// number of times.
pub fn connect(addr: SocketAddr) -> std::net::TcpStream {
    let mut attempts = 0;
    loop {
        match std::net::TcpStream::connect(addr) {
            Ok(stream) => {
                stream.set_read_timeout(Some(PATIENCE)).unwrap();
                return stream;
            }
            Err(e)
                if e.kind() == std::io::ErrorKind::WouldBlock
                    && attempts < 100 =>
            {
                attempts += 1;
                thread::sleep(Duration::from_millis(10));
            }
            Err(e) => panic!("cannot connect to {addr}: {e}"),
        }
    }
}

/// The address in a server's `listening on IP:PORT …` line, if `text`
/// holds one.
pub fn listening_addr_in(text: &str) -> Option<SocketAddr> {
    // TCP servers listen; a UDP server only waits for datagrams. In
    // Chinese: `正在监听 ADDRESS（…` and `在 ADDRESS 等待数据报`.
    let end = |c: char| c.is_whitespace() || c == '（';
    [
        "listening on ",
        "waiting for datagrams on ",
        "正在监听 ",
        "在 ",
    ]
    .iter()
    .flat_map(|said| text.split(said).skip(1))
    .find_map(|rest| rest.split(end).next()?.parse().ok())
}

/// Runs `bin` to the end with `stdin` and returns (code, stdout, stderr).
pub fn run(bin: &str, args: &[&str], stdin: &[u8]) -> (i32, String, String) {
    let mut program = start(bin, args, stdin);
    let code = program.code();
    program.assert_no_panic();
    (code, program.stdout.now(), program.stderr.now())
}

/// The steps an `--explain` run narrated, in order: the first word after
/// `explain: ` (or `explain [thread]: `) on each line.
pub fn explained_steps(stderr: &str) -> Vec<String> {
    stderr
        .lines()
        .filter_map(|line| {
            // `explain: …`, or `explain [thread]: …` from another thread.
            let rest = line.strip_prefix("explain")?;
            let rest = match rest.strip_prefix(" [") {
                Some(named) => named.split_once("]").map(|(_, r)| r)?,
                None => rest,
            };
            rest.strip_prefix(": ")
        })
        .filter_map(|rest| rest.split_whitespace().next())
        .map(String::from)
        .collect()
}

/// Asserts that `text` holds exactly one line (a one-line error).
/// Asserts that bytes read from a socket are exactly `want`. Where `want`
/// is text, a failure shows both sides as text (`"HELLO"` against
/// `"hello"`), not as two arrays of numbers.
#[track_caller]
pub fn assert_echo(got: &[u8], want: &[u8]) {
    if let Ok(text) = std::str::from_utf8(want) {
        assert_eq!(String::from_utf8_lossy(got), text, "the echo, as text");
    }
    assert_eq!(got, want, "the echo, byte for byte");
}

pub fn assert_one_line(text: &str) {
    assert_eq!(
        text.trim_end().lines().count(),
        1,
        "expected one line:\n{text}"
    );
}
