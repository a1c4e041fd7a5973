//! udp-client's input and terminal: piped input that ends without a line
//! ending, signals at the prompt, stdout redirected from a terminal, and
//! the `--step` Enter trap. Real processes; peers are std sockets.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::{SocketAddr, UdpSocket};
use std::sync::mpsc;
use std::thread;
use std::time::{Duration, Instant};
use testkit::PATIENCE;

const BIN: &str = env!("CARGO_BIN_EXE_udp-client");

/// A peer on a free loopback port that echoes every datagram, and
/// reports each one it saw.
fn echo_peer() -> (SocketAddr, mpsc::Receiver<Vec<u8>>) {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.set_read_timeout(Some(PATIENCE)).unwrap();
    let addr = socket.local_addr().unwrap();
    let (seen, datagrams) = mpsc::channel();
    thread::spawn(move || {
        let mut buf = vec![0; 70_000];
        while let Ok((n, from)) = socket.recv_from(&mut buf) {
            let _ = seen.send(buf[..n].to_vec());
            let _ = socket.send_to(&buf[..n], from);
        }
    });
    (addr, datagrams)
}

/// Piped input whose last line has no line ending: the client sends it
/// and exits at once, as tcp-client does (it used to ask the ended
/// input for more and wait forever).
#[test]
fn piped_input_without_a_last_line_ending_exits_at_once() {
    let long = vec![b'x'; 70_000];
    // An over-long last line is refused, not sent: exit 1, but at once.
    let cases: [(&[u8], &[&str], i32); 4] = [
        (b"abc", &[], 0),
        (b"abc", &["--lf"], 0),
        (b"a\nbc", &[], 0),
        (&long, &[], 1),
    ];
    for (input, flags, want) in cases {
        let (addr, _seen) = echo_peer();
        let addr = addr.to_string();
        let mut args = vec![addr.as_str(), "--timeout", "1"];
        args.extend_from_slice(flags);
        let started = Instant::now();
        let mut client = testkit::start(BIN, &args, input);
        let code = client.code();
        let took = started.elapsed();
        let stderr = client.stderr.now();
        assert_eq!(code, want, "{flags:?}, {} bytes: {stderr}", input.len());
        // One --timeout at most for the last reply, then the end.
        assert!(
            took < Duration::from_secs(4),
            "{flags:?}, {} bytes: took {took:?}\n{stderr}",
            input.len()
        );
        client.assert_no_panic();
    }
}

/// A file in the system's temporary folder, unique to this test run.
#[cfg(unix)]
fn temp_file(name: &str) -> std::path::PathBuf {
    std::env::temp_dir().join(format!("{name}-{}", std::process::id()))
}

/// `udp-client > log.txt` at a terminal: the prompt, the typed text and
/// the editor's escape sequences stay on the terminal; the file holds
/// the replies alone.
#[cfg(unix)]
#[test]
fn stdout_to_a_file_holds_only_the_replies() {
    let (addr, _seen) = echo_peer();
    let addr = addr.to_string();
    let log = temp_file("udp-client-stdout");
    let script = format!("exec \"$0\" \"$@\" > '{}'", log.display());
    let mut pty = testkit::Pty::start("sh", &["-c", &script, BIN, &addr]);
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
#[cfg(unix)]
#[test]
fn a_signal_at_the_prompt_gives_the_terminal_back() {
    // The signal numbers, the same on Linux, macOS and the BSDs.
    const SIGHUP: i32 = 1;
    const SIGTERM: i32 = 15;
    for signal in [SIGTERM, SIGHUP] {
        let (addr, _seen) = echo_peer();
        let mut pty = testkit::Pty::start(BIN, &[&addr.to_string()]);
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

/// The --step Enter trap: the reply is held back (the server is paused at
/// a step of its own), the client says what it waits for, and Enters
/// pressed meanwhile never become the empty line that ends the
/// conversation: the next line typed is sent and answered.
#[cfg(unix)]
#[test]
fn step_enters_pressed_while_waiting_do_not_end_it() {
    let (go, gate) = mpsc::channel::<()>();
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.set_read_timeout(Some(PATIENCE)).unwrap();
    let addr = socket.local_addr().unwrap().to_string();
    let (seen, datagrams) = mpsc::channel();
    thread::spawn(move || {
        let mut buf = vec![0; 70_000];
        // Each datagram is answered once the test says go.
        while let Ok((n, from)) = socket.recv_from(&mut buf) {
            let _ = seen.send(buf[..n].to_vec());
            if gate.recv_timeout(PATIENCE).is_err() {
                break;
            }
            let _ = socket.send_to(&buf[..n], from);
        }
    });
    let mut pty = testkit::Pty::start(
        BIN,
        &[&addr, "--step", "--message", "", "--timeout", "30"],
    );
    // resolve, socket, bind, connect
    pty.step_through(1..=4);
    pty.wait_for_prompt(1);
    pty.type_keys("abc\r");
    pty.step_through(5..=5); // send
    pty.screen
        .wait_for_text("waiting for the reply — the server may be paused");
    // Two Enters while nothing asks for one (the terminal echoes them
    // once it holds them); then the reply comes.
    let before = pty.screen.now().len();
    pty.type_keys("\r\r");
    pty.screen.wait_for("the Enters' echo", |text| {
        (text.get(before..).unwrap_or("").matches('\n').count() >= 2)
            .then_some(())
    });
    go.send(()).unwrap();
    // Neither answers the recv's pause, which came later: it drops them,
    // says so, and waits for an Enter of its own.
    pty.screen
        .wait_for_text("2 Enters pressed while the program waited");
    pty.step_through(6..=6); // recv
    pty.wait_for_prompt(2);
    pty.type_keys("def\r");
    pty.step_through(7..=7); // send
    go.send(()).unwrap();
    pty.step_through(8..=8); // recv
    pty.wait_for_prompt(3);
    pty.type_keys("\x04");
    pty.step_through(9..=9); // close
    let status = pty.wait();
    let screen = pty.screen.now();
    assert_eq!(status.code(), Some(0), "{screen}");
    assert!(screen.contains("not taken as an empty line"), "{screen}");
    let sent: Vec<Vec<u8>> = datagrams.try_iter().collect();
    assert_eq!(sent, [b"abc".to_vec(), b"def".to_vec()], "{screen}");
}
