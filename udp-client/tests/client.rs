//! udp-client, run as a real process, against std UdpSocket peers.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::{SocketAddr, UdpSocket};
use std::sync::mpsc;
use std::thread;
use testkit::{PATIENCE, assert_one_line, run};

const BIN: &str = env!("CARGO_BIN_EXE_udp-client");

/// A peer on a free loopback port that answers each datagram with what
/// `answer` returns (or nothing), and reports every datagram it saw.
fn peer(
    mut answer: impl FnMut(&[u8]) -> Option<Vec<u8>> + Send + 'static,
) -> (SocketAddr, mpsc::Receiver<Vec<u8>>) {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.set_read_timeout(Some(PATIENCE)).unwrap();
    let addr = socket.local_addr().unwrap();
    let (seen, datagrams) = mpsc::channel();
    thread::spawn(move || {
        let mut buf = vec![0; 70_000];
        while let Ok((n, from)) = socket.recv_from(&mut buf) {
            let _ = seen.send(buf[..n].to_vec());
            if let Some(reply) = answer(&buf[..n]) {
                let _ = socket.send_to(&reply, from);
            }
        }
    });
    (addr, datagrams)
}

fn echo(data: &[u8]) -> Option<Vec<u8>> {
    Some(data.to_vec())
}

/// Piped input: hello, then each line as one datagram; exit 0.
#[test]
fn piped_lines_are_echoed() {
    let (addr, seen) = peer(echo);
    let (code, stdout, stderr) =
        run(BIN, &[&addr.to_string()], "a\n你好\r\n".as_bytes());
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "hello\na\n你好\n");
    let got: Vec<Vec<u8>> = seen.try_iter().collect();
    assert_eq!(
        got,
        [b"hello".to_vec(), b"a".to_vec(), "你好".as_bytes().to_vec()]
    );
}

/// A peer that never answers: a message per line, and a summary at the
/// end; a lost reply is UDP's normal life, so exit 0.
#[test]
fn silent_peer_times_out() {
    let (addr, _seen) = peer(|_| None);
    let (code, _, stderr) =
        run(BIN, &[&addr.to_string(), "--timeout", "0.2"], b"x\n");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stderr.matches("no reply to line").count(), 2, "{stderr}");
    assert!(stderr.contains("may be lost"), "{stderr}");
    assert!(stderr.contains("2 replies missing after 200ms"), "{stderr}");
}

/// Nothing on the port: "connection refused" explained, exit 1.
#[test]
fn no_server_is_connection_refused() {
    let free = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let (code, _, stderr) = run(BIN, &[&free.to_string()], b"");
    assert_eq!(code, 1);
    let last = stderr.lines().last().unwrap();
    assert!(last.contains("connection refused"), "{stderr}");
    assert!(last.contains("ICMP port unreachable"), "{stderr}");
}

/// `bye` is the last line sent; a server that stops on it does not reply,
/// and the client says so after --timeout and exits 0.
#[test]
fn bye_is_the_last_line() {
    let (addr, seen) = peer(|_| None);
    let args = [&addr.to_string(), "--message", "bye", "--timeout", "0.3"];
    let (code, stdout, stderr) = run(BIN, &args, b"never sent\n");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "");
    assert!(stderr.contains("no reply to bye within 300ms"), "{stderr}");
    assert!(
        stderr.contains("1 line of input not sent: the conversation is over"),
        "a piped line after bye is counted, not dropped in silence: {stderr}"
    );
    assert_eq!(seen.recv_timeout(PATIENCE).unwrap(), b"bye");
    assert!(seen.try_recv().is_err(), "nothing after bye");
}

/// A server that does answer `bye` (udp-server --keep-open): its reply is
/// read and printed before the client leaves.
#[test]
fn bye_with_a_reply() {
    let (addr, _seen) = peer(echo);
    let (code, stdout, stderr) =
        run(BIN, &[&addr.to_string(), "--message", "bye"], b"");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "bye\n");
    assert!(!stderr.contains("no reply"), "{stderr}");
}

/// A reply delayed past --timeout is still printed when it comes, and
/// marked late with the line it answers. The peer holds the reply to
/// `slow` back until `release` arrives, so it is late for sure.
#[test]
fn late_reply_is_printed_and_marked() {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.set_read_timeout(Some(PATIENCE)).unwrap();
    let addr = socket.local_addr().unwrap();
    thread::spawn(move || {
        let mut buf = [0; 100];
        let mut held = None;
        while let Ok((n, from)) = socket.recv_from(&mut buf) {
            match &buf[..n] {
                b"slow" => held = Some(from),
                b"release" => {
                    if let Some(to) = held.take() {
                        let _ = socket.send_to(b"slow", to);
                    }
                    let _ = socket.send_to(b"release", from);
                }
                _ => {}
            }
        }
    });
    let (code, stdout, stderr) = run(
        BIN,
        &[&addr.to_string(), "--timeout", "0.2", "--message", "slow"],
        b"release\n",
    );
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("no reply to line 1 within 200ms"),
        "{stderr}"
    );
    assert!(
        stderr.contains("late: that was the reply to line 1"),
        "{stderr}"
    );
    assert_eq!(stdout, "slow\nrelease\n");
    assert!(!stderr.contains("missing"), "{stderr}");
}

/// A reply that is not the echo of the line sent is shown and taken as
/// its reply, marked as such.
#[test]
fn reply_that_is_not_an_echo_is_marked() {
    let (addr, _seen) = peer(|_| Some(b"something else".to_vec()));
    let (code, stdout, stderr) = run(BIN, &[&addr.to_string()], b"");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "something else\n");
    assert!(
        stderr.contains("not an echo: taken as the reply to line 1"),
        "{stderr}"
    );
    assert!(!stderr.contains("missing"), "{stderr}");
}

/// A reply that is no echo never makes the count of missing replies wrong:
/// every line given up on is warned about, and the total says as many.
#[test]
fn other_reply_and_lost_replies_add_up() {
    let (addr, _seen) = peer({
        let mut first = true;
        move |data| {
            if !first {
                return None;
            }
            first = false;
            let mut both = data.to_vec();
            both.extend_from_slice(b"|zzz");
            Some(both)
        }
    });
    let (code, _, stderr) =
        run(BIN, &[&addr.to_string(), "--timeout", "0.3"], b"a\nb\nc\n");
    assert_eq!(code, 0, "{stderr}");
    let given_up = stderr.matches("; carrying on").count();
    let missing = format!(
        "{} missing after",
        match given_up {
            1 => "1 reply".to_string(),
            n => format!("{n} replies"),
        }
    );
    assert!(stderr.contains(&missing), "{missing}: {stderr}");
    let taken = stderr.matches("not an echo: taken as the reply").count();
    assert_eq!(given_up + taken, 4, "{stderr}");
}

/// A reply longer than --buffer is reported as truncated.
#[test]
fn long_reply_is_reported_truncated() {
    let (addr, _seen) = peer(|_| Some(vec![b'y'; 600]));
    let (code, stdout, stderr) = run(BIN, &[&addr.to_string()], b"");
    assert_eq!(code, 1);
    assert_eq!(stdout.trim_end().len(), 512);
    // Linux tells the real length (recvmsg with MSG_TRUNC); other systems
    // only that it was more.
    let cut = if cfg!(any(target_os = "linux", target_os = "android")) {
        "truncated: 600 bytes arrived, buffer holds 512"
    } else {
        "truncated: more than 512 bytes arrived, buffer holds 512"
    };
    assert!(stderr.contains(cut), "{stderr}");
}

/// A line longer than one IPv4 datagram can carry is refused before sending.
#[test]
fn oversized_line_is_refused() {
    let (addr, seen) = peer(echo);
    let mut input = vec![b'z'; 65_508];
    input.push(b'\n');
    let (code, _, stderr) = run(BIN, &[&addr.to_string()], &input);
    assert_eq!(code, 1);
    assert!(stderr.contains("at most 65507 bytes"), "{stderr}");
    assert_eq!(seen.try_iter().count(), 1, "only hello was sent");
}

/// Bad addresses are usage errors.
#[test]
fn bad_address_is_exit_2() {
    let (code, _, stderr) = run(BIN, &["[::1"], b"");
    assert_eq!(code, 2);
    assert_one_line(&stderr);
}

/// --explain tells the client's steps in order.
#[test]
fn explain_follows_the_lifecycle() {
    let (addr, _seen) = peer(echo);
    let (code, _, stderr) = run(BIN, &[&addr.to_string(), "--explain"], b"");
    assert_eq!(code, 0, "{stderr}");
    let steps = testkit::explained_steps(&stderr);
    assert_eq!(
        steps,
        [
            "resolve", "socket", "bind", "connect", "send", "recv", "close"
        ]
    );
}

/// Through a real terminal: prompt, a typed line echoed, Ctrl-D exits 0.
#[cfg(unix)]
#[test]
fn interactive_session_in_a_terminal() {
    let (addr, _seen) = peer(echo);
    let mut pty = testkit::Pty::start(BIN, &[&addr.to_string()]);
    pty.screen.wait_for_text("> ");
    pty.type_keys("over udp\r");
    pty.screen.wait_for_count("over udp", 2);
    pty.wait_for_prompt(2);
    pty.type_keys("\x04");
    assert_eq!(pty.wait().code(), Some(0));
}

/// With --retries 3, a peer that ignores the first two sends is answered
/// on the third attempt: exit 0.
#[test]
fn retries_recover_from_loss() {
    let mut seen = 0;
    let (addr, _datagrams) = peer(move |data| {
        seen += 1;
        (seen >= 3).then(|| data.to_vec())
    });
    let (code, stdout, stderr) = run(
        BIN,
        &[&addr.to_string(), "--retries", "3", "--timeout", "0.2"],
        b"",
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "hello\n");
    assert!(stderr.contains("(attempt 1 of 4)"), "{stderr}");
    assert!(stderr.contains("(attempt 2 of 4)"), "{stderr}");
    assert!(!stderr.contains("(attempt 3 of 4)"), "{stderr}");
}

/// --no-wait sends each line as its own datagram before reading: every
/// datagram gets its own reply, one read each.
#[test]
fn no_wait_keeps_datagrams_apart() {
    let (addr, seen) = peer(echo);
    let (code, stdout, stderr) =
        run(BIN, &[&addr.to_string(), "--no-wait"], b"one\ntwo\n");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "hello\none\ntwo\n");
    assert!(
        stderr.contains("sent 3 datagrams; 3 replies came back in 3 reads"),
        "{stderr}"
    );
    assert_eq!(seen.try_iter().count(), 3);
}

/// The --no-wait summary counts what was sent: a line too long for one
/// datagram is refused, not counted as sent.
#[test]
fn no_wait_summary_leaves_a_refused_line_out() {
    let (addr, seen) = peer(echo);
    let mut input = b"one\n".to_vec();
    input.extend(vec![b'x'; 70_000]);
    input.extend(b"\ntwo\n");
    let (code, stdout, stderr) =
        run(BIN, &[&addr.to_string(), "--no-wait"], &input);
    assert_eq!(code, 1, "the refused line is a failure: {stderr}");
    assert_eq!(stdout, "hello\none\ntwo\n");
    assert!(
        stderr.contains("not sent: the line is 70000 bytes"),
        "{stderr}"
    );
    assert!(
        stderr.contains("sent 3 datagrams; 3 replies came back in 3 reads"),
        "{stderr}"
    );
    assert_eq!(seen.try_iter().count(), 3);
}

/// Ctrl-C at the prompt exits 0 without sending anything more.
#[cfg(unix)]
#[test]
fn ctrl_c_at_the_prompt_exits_0() {
    let (addr, seen) = peer(echo);
    let mut pty = testkit::Pty::start(BIN, &[&addr.to_string()]);
    pty.screen.wait_for_text("> ");
    pty.type_keys("\x03");
    assert_eq!(pty.wait().code(), Some(0));
    assert_eq!(seen.try_iter().count(), 1, "only hello was sent");
}

/// Refused in the middle of a paste at the terminal: the line editor gives
/// the terminal back first (the user presses Enter), then the error is
/// shown and the exit code is 1.
#[cfg(unix)]
#[test]
fn refused_while_typing_gives_the_terminal_back() {
    let free = UdpSocket::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut pty = testkit::Pty::start(
        BIN,
        &[&free.to_string(), "--no-wait", "--message", ""],
    );
    pty.screen.wait_for_text("> ");
    pty.type_keys("a\rb\rc\r");
    // The refusal may come while the editor still reads the pasted lines:
    // then it ends with them, and no Enter is asked for.
    let asked = pty.screen.wait_for("the question or the error", |text| {
        (text.contains("Press Enter or Ctrl-D") || text.contains("error:"))
            .then(|| text.contains("Press Enter or Ctrl-D"))
    });
    if asked {
        pty.type_keys("\r");
    }
    assert_eq!(pty.wait().code(), Some(1));
    let screen = pty.screen.now();
    assert!(screen.contains("error: no server at"), "{screen}");
}

/// `bye` typed at the prompt is the last line: with a server that echoes
/// it, the echo is shown before the client leaves.
#[cfg(unix)]
#[test]
fn bye_at_the_prompt_shows_its_echo() {
    let (addr, _seen) = peer(echo);
    let mut pty = testkit::Pty::start(BIN, &[&addr.to_string()]);
    pty.screen.wait_for_text("> ");
    pty.type_keys("bye\r");
    assert_eq!(pty.wait().code(), Some(0));
    let screen = pty.screen.now();
    assert_eq!(screen.matches("bye").count(), 2, "{screen}");
}

/// With --step, a reply that arrives while the send's pause is still on
/// the screen is not late: the pause held the wait up, not the network.
#[cfg(unix)]
#[test]
fn step_reply_during_a_pause_is_not_late() {
    let (go, gate) = mpsc::channel::<()>();
    let (addr, seen) = peer(move |data| {
        let _ = gate.recv_timeout(PATIENCE);
        Some(data.to_vec())
    });
    let mut pty = testkit::Pty::start(
        BIN,
        &[&addr.to_string(), "--step", "--timeout", "0.2"],
    );
    // resolve, socket, bind, connect
    pty.step_through(1..=4);
    pty.screen.wait_for_text("that was send");
    seen.recv_timeout(PATIENCE).unwrap();
    // Longer than --timeout at the pause; then the reply leaves.
    thread::sleep(std::time::Duration::from_millis(400));
    go.send(()).unwrap();
    pty.screen.wait_for_text("recv #1");
    pty.type_keys("\r"); // the send's pause
    pty.screen.wait_for_text("that was recv");
    pty.type_keys("\r");
    pty.screen.wait_for_text("> ");
    pty.type_keys("\x04");
    pty.screen.wait_for_text("that was close");
    pty.type_keys("\r");
    assert_eq!(pty.wait().code(), Some(0), "{}", pty.screen.now());
    let screen = pty.screen.now();
    assert!(!screen.contains("late:"), "{screen}");
    assert!(!screen.contains("no reply"), "{screen}");
}

/// A second reply to a line sent once is a duplicate, and the client says
/// so instead of blaming a resend that never happened.
#[test]
fn a_reply_twice_to_one_send_is_a_duplicate() {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.set_read_timeout(Some(PATIENCE)).unwrap();
    let addr = socket.local_addr().unwrap();
    thread::spawn(move || {
        let mut buf = [0; 1500];
        while let Ok((n, from)) = socket.recv_from(&mut buf) {
            for _ in 0..2 {
                let _ = socket.send_to(&buf[..n], from);
            }
        }
    });
    // `x` is sent after hello's reply, so its own reply comes after the
    // duplicate of hello's: the client has seen that one before it ends.
    let (code, _, stderr) = run(BIN, &[&addr.to_string()], b"x\n");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr
            .contains("again: line 1 had its reply already, and was sent once"),
        "{stderr}"
    );
}

/// `--message bye` is the last message before the prompt was ever used:
/// the client asks for Enter before it gives the terminal back, and the
/// terminal is a shell's again when it has exited.
#[cfg(unix)]
#[test]
fn bye_as_the_first_message_gives_the_terminal_back() {
    let (addr, _seen) = peer(|_| None);
    let mut pty = testkit::Pty::start(
        BIN,
        &[&addr.to_string(), "--message", "bye", "--timeout", "0.2"],
    );
    pty.screen.wait_for_text("Press Enter or Ctrl-D to finish");
    pty.type_keys("\r");
    assert_eq!(pty.wait().code(), Some(0), "{}", pty.screen.now());
    assert!(pty.terminal_is_sane(), "{}", pty.screen.now());
}

/// A paste whose second line is `bye`: the line after it is not sent, and
/// the client says so.
#[cfg(unix)]
#[test]
fn lines_pasted_after_bye_are_counted() {
    let (addr, seen) = peer(echo);
    let mut pty = testkit::Pty::start(BIN, &[&addr.to_string()]);
    pty.screen.wait_for_text("> ");
    pty.type_keys("\x1b[200~aa\nbye\ncc\x1b[201~\r");
    assert_eq!(pty.wait().code(), Some(0), "{}", pty.screen.now());
    let screen = pty.screen.now();
    assert!(screen.contains("1 line typed but not sent"), "{screen}");
    let sent: Vec<Vec<u8>> = seen.try_iter().collect();
    assert_eq!(sent, [b"hello".to_vec(), b"aa".to_vec(), b"bye".to_vec()]);
}

/// Ctrl-C at the prompt stops at once, even while the client waits for a
/// reply: no timeout runs out, nothing is sent again.
#[cfg(unix)]
#[test]
fn ctrl_c_stops_a_reply_wait_at_once() {
    let (addr, seen) = peer(|_| None);
    let mut pty = testkit::Pty::start(
        BIN,
        &[&addr.to_string(), "--timeout", "30", "--retries", "2"],
    );
    pty.screen.wait_for_text("> ");
    seen.recv_timeout(PATIENCE).unwrap(); // hello
    let asked = std::time::Instant::now();
    pty.type_keys("\x03");
    assert_eq!(pty.wait().code(), Some(0), "{}", pty.screen.now());
    // At once: far below the 30 s a reply is waited for.
    let took = asked.elapsed();
    assert!(took < std::time::Duration::from_secs(3), "took {took:?}");
    let screen = pty.screen.now();
    assert!(!screen.contains("no reply"), "{screen}");
    assert!(seen.try_recv().is_err(), "sent again after Ctrl-C");
}

/// Ctrl-C while a pasted line's reply is awaited: the lines of the paste
/// not sent yet are counted, none is sent after the Ctrl-C.
#[cfg(unix)]
#[test]
fn ctrl_c_counts_the_rest_of_a_paste() {
    // Answers hello only; the rest waits for a reply that never comes.
    let (addr, seen) = peer(|data| (data == b"hello").then(|| data.to_vec()));
    let mut pty =
        testkit::Pty::start(BIN, &[&addr.to_string(), "--timeout", "30"]);
    pty.screen.wait_for_text("> ");
    assert_eq!(seen.recv_timeout(PATIENCE).unwrap(), b"hello");
    pty.type_keys("\x1b[200~a\nb\nc\x1b[201~\r");
    assert_eq!(seen.recv_timeout(PATIENCE).unwrap(), b"a");
    pty.wait_for_prompt(2);
    pty.type_keys("\x03");
    assert_eq!(pty.wait().code(), Some(0), "{}", pty.screen.now());
    let screen = pty.screen.now();
    assert!(
        screen.contains("2 lines typed but not sent: Ctrl-C"),
        "{screen}"
    );
    assert!(!screen.contains("Press Enter"), "{screen}");
    assert!(seen.try_recv().is_err(), "sent after Ctrl-C");
    assert!(pty.terminal_is_sane());
}
