//! tcp-client's input and terminal: stdout redirected from a terminal,
//! signals at the prompt, and the `--step` Enter trap. Real processes in
//! a real pseudo-terminal; peers are std sockets.
#![cfg(unix)]
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{SocketAddr, TcpListener};
use std::thread;
use testkit::{PATIENCE, Pty};

const BIN: &str = env!("CARGO_BIN_EXE_tcp-client");

/// The signal numbers, the same on Linux, macOS and the BSDs.
const SIGHUP: i32 = 1;
const SIGTERM: i32 = 15;

/// A peer on a free loopback port that echoes one connection until the
/// client's FIN, then closes.
fn echo_peer() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        let mut buf = vec![0; 4096];
        while let Ok(n) = stream.read(&mut buf) {
            if n == 0 || stream.write_all(&buf[..n]).is_err() {
                break;
            }
        }
    });
    addr
}

/// A file in the system's temporary folder, unique to this test run.
fn temp_file(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("{name}-{}", std::process::id()))
}

/// `tcp-client > log.txt` at a terminal: the prompt, the typed text and
/// the editor's escape sequences stay on the terminal; the file holds
/// the echoes alone.
#[test]
fn stdout_to_a_file_holds_only_the_echoes() {
    let addr = echo_peer().to_string();
    let log = temp_file("tcp-client-stdout");
    let script = format!("exec \"$0\" \"$@\" > '{}'", log.display());
    let mut pty = Pty::start("sh", &["-c", &script, BIN, &addr]);
    pty.wait_for_prompt(1);
    pty.type_keys("abc\r");
    pty.wait_for_prompt(2);
    pty.type_keys("\x04");
    let status = pty.wait();
    let data = std::fs::read(&log).unwrap();
    let _ = std::fs::remove_file(&log);
    let screen = pty.screen.now();
    assert_eq!(status.code(), Some(0), "{screen}");
    assert_eq!(String::from_utf8_lossy(&data), "hello\nabc\n", "{screen}");
    // The editor drew the prompt and the typed line on the terminal.
    assert!(screen.contains("> ") && screen.contains("abc"), "{screen}");
}

/// SIGTERM or SIGHUP while the line editor holds the terminal raw: the
/// client gives the terminal back (echo, lines, signal keys, bracketed
/// paste off) before it ends, as Ctrl-C and Ctrl-D do.
#[test]
fn a_signal_at_the_prompt_gives_the_terminal_back() {
    for signal in [SIGTERM, SIGHUP] {
        let addr = echo_peer().to_string();
        let mut pty = Pty::start(BIN, &[&addr]);
        pty.wait_for_prompt(1);
        assert!(!pty.terminal_is_sane(), "the editor holds it raw");
        pty.signal(signal);
        let status = pty.wait();
        let screen = pty.screen.now();
        assert!(
            pty.terminal_is_sane(),
            "signal {signal}, {status}: {screen}"
        );
        let on = screen.rfind("\x1b[?2004h").unwrap();
        let off = screen.rfind("\x1b[?2004l");
        assert!(off > Some(on), "bracketed paste still on: {screen:?}");
        assert_eq!(status.code(), Some(130), "signal {signal}: {screen}");
        assert!(screen.contains("stopped by a signal"), "{screen}");
    }
}

/// The --step Enter trap: the echo is held back (the server is paused at
/// a step of its own), the client says what it waits for, and Enters
/// pressed meanwhile answer neither the pause that comes next nor the
/// prompt: they are dropped with a note, the recv's pause waits for an
/// Enter of its own, and the next line typed is sent and echoed.
#[test]
fn step_enters_pressed_while_waiting_do_not_end_it() {
    let (go, gate) = std::sync::mpsc::channel::<()>();
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap().to_string();
    thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        let mut buf = vec![0; 4096];
        // Each piece is echoed once the test says go.
        while let Ok(n) = stream.read(&mut buf) {
            if n == 0 || gate.recv_timeout(PATIENCE).is_err() {
                break;
            }
            if stream.write_all(&buf[..n]).is_err() {
                break;
            }
        }
    });
    let mut pty = Pty::start(BIN, &[&addr, "--step", "--message", ""]);
    // resolve, socket, connect
    pty.step_through(1..=3);
    pty.wait_for_prompt(1);
    pty.type_keys("abc\r");
    pty.step_through(4..=4); // send
    pty.screen
        .wait_for_text("waiting for the echo — the server may be paused");
    // An Enter while nothing asks for one (the terminal echoes it once
    // it holds it); then the echo comes.
    let before = pty.screen.now().len();
    pty.type_keys("\r");
    pty.screen.wait_for("the Enter's echo", |text| {
        (text.len() > before).then_some(())
    });
    go.send(()).unwrap();
    // It does not answer the recv's pause, which came later: the pause
    // drops it, says so, and waits for an Enter of its own.
    pty.screen
        .wait_for_text("1 Enter pressed while the program waited");
    pty.step_through(5..=5); // recv
    pty.wait_for_prompt(2);
    pty.type_keys("def\r");
    pty.step_through(6..=6); // send
    go.send(())
        .expect("the peer is still there: the conversation goes on");
    pty.step_through(7..=7); // recv
    pty.wait_for_prompt(3);
    pty.type_keys("\x04");
    // shutdown, recv of the end, close
    pty.step_through(8..=10);
    let status = pty.wait();
    let screen = pty.screen.now();
    assert_eq!(status.code(), Some(0), "{screen}");
    assert!(!screen.contains("Enters pressed"), "one, once: {screen}");
    assert_eq!(
        screen.matches("def").count(),
        2,
        "sent and echoed: {screen}"
    );
}
