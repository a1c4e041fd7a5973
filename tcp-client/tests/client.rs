//! tcp-client, run as a real process, against std TcpListener peers and
//! Python's http.server.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::{Shutdown, SocketAddr, TcpListener, TcpStream};
use std::process::{Command, Stdio};
use std::thread;
use std::time::{Duration, Instant};
use testkit::{PATIENCE, assert_one_line, run};

const BIN: &str = env!("CARGO_BIN_EXE_tcp-client");

/// Starts a peer on a free loopback port that serves one connection with
/// `serve` on a thread of its own.
fn peer(serve: impl FnOnce(TcpStream) + Send + 'static) -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    thread::spawn(move || {
        let (stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        serve(stream);
    });
    addr
}

/// Echoes everything back, `piece` bytes per write, until the client's
/// FIN; then closes.
fn echo_in_pieces(piece: usize) -> impl FnOnce(TcpStream) {
    move |mut stream| {
        let mut buffer = vec![0; 64 * 1024];
        while let Ok(n) = stream.read(&mut buffer) {
            if n == 0 {
                break;
            }
            for chunk in buffer[..n].chunks(piece) {
                if stream.write_all(chunk).is_err() {
                    return;
                }
            }
        }
    }
}

/// Piped input: hello, then one echo per line, then exit 0.
#[test]
fn piped_lines_are_sent_and_echoed() {
    let addr = peer(echo_in_pieces(4096));
    let (code, stdout, stderr) =
        run(BIN, &[&addr.to_string()], b"a\nzwei\r\n\xe4\xbd\xa0\n");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "hello\na\nzwei\n你\n");
    assert!(stderr.contains("closed the connection"), "{stderr}");
}

/// An empty line ends the conversation, as in the script; the piped lines
/// after it are not sent, and the client says how many, a last line
/// without a line ending included.
#[test]
fn piped_lines_after_an_empty_line_are_counted() {
    let addr = peer(echo_in_pieces(4096));
    let (code, stdout, stderr) = run(BIN, &[&addr.to_string()], b"a\n\nb\nc");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "hello\na\n");
    assert!(
        stderr.contains("2 lines of input not sent: the conversation is over"),
        "{stderr}"
    );
}

/// The start of a character that the server's close cuts off is shown
/// escaped, not dropped: every byte received is shown.
#[test]
fn a_character_cut_off_by_the_close_is_shown() {
    let addr = peer(|mut stream| {
        let _ = stream.write_all(b"ab\xe2\x82");
    });
    let (code, stdout, stderr) =
        run(BIN, &[&addr.to_string(), "--message", ""], b"");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "ab\n\\xe2\\x82\n", "{stderr}");
}

/// A server that closes while piped lines are still to come: the client
/// stops sending and says how many lines were not sent.
#[test]
fn piped_lines_after_the_servers_close_are_counted() {
    let addr = peer(|mut stream| {
        let mut hello = [0; 5];
        let _ = stream.read_exact(&mut hello);
    });
    let (code, stdout, stderr) = run(BIN, &[&addr.to_string()], b"a\nb\nc\n");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.contains(
            "3 lines of input not sent: the server closed the connection"
        ),
        "{stderr}"
    );
}

/// An echo that comes back one byte per write is shown read by read, as
/// TCP delivers it: every byte arrives, and a character whose bytes
/// arrive apart is put together before it is shown.
#[test]
fn echo_in_one_byte_pieces_arrives_whole() {
    let addr = peer(echo_in_pieces(1));
    let (code, stdout, stderr) = run(
        BIN,
        &[&addr.to_string(), "--explain"],
        "你好, world\n".as_bytes(),
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.replace('\n', ""), "hello你好, world");
    assert!(!stdout.contains("\n\n"), "{stdout}");
    assert!(stderr.contains("(18 of 18 bytes sent are back"), "{stderr}");
}

/// A server that reads and closes without echoing: its FIN is reported,
/// with how much came back; closing is not an error.
#[test]
fn server_closing_early_is_reported() {
    let addr = peer(|mut stream| {
        let mut buffer = [0; 5];
        let _ = stream.read_exact(&mut buffer);
    });
    let (code, stdout, stderr) =
        run(BIN, &[&addr.to_string()], b"never sent\n");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr
            .contains("closed the connection (0 bytes received, 5 bytes sent)"),
        "{stderr}"
    );
}

/// A server that resets the connection: exit 1 with one error line.
#[test]
fn reset_is_exit_1() {
    let addr = peer(|stream| {
        // Closing with unread data makes the kernel send RST, not FIN.
        thread::sleep(Duration::from_millis(200));
        socket2::SockRef::from(&stream)
            .set_linger(Some(Duration::ZERO))
            .unwrap();
        drop(stream);
    });
    let (code, _, stderr) = run(BIN, &[&addr.to_string()], b"");
    assert_eq!(code, 1, "{stderr}");
    assert!(stderr.contains("connection reset by peer"), "{stderr}");
    let errors = stderr.lines().filter(|l| l.starts_with("error:")).count();
    assert_eq!(errors, 1, "{stderr}");
}

/// Nothing listening: exit 1 with "connection refused" and a hint that
/// names the port the client was aimed at.
#[test]
fn nothing_listening_is_connection_refused() {
    let free = TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let (code, _, stderr) = run(BIN, &[&free.to_string()], b"");
    assert_eq!(code, 1);
    assert_one_line(&stderr);
    assert!(stderr.contains("connection refused"), "{stderr}");
    let hint = format!("nothing listens on port {}", free.port());
    assert!(stderr.contains(&hint), "{stderr}");
}

/// A malformed address is a usage error: exit 2.
#[test]
fn bad_address_is_exit_2() {
    let (code, _, stderr) = run(BIN, &["host:abc"], b"");
    assert_eq!(code, 2);
    assert_one_line(&stderr);
    assert!(stderr.contains("`abc` is not a number"), "{stderr}");
}

/// A server that never answers: the client says the echo is still
/// awaited, then gives up waiting for the close after --wait-close, and
/// exits 0: silence is not a failure of the connection.
#[test]
fn missing_echo_is_awaited_then_given_up() {
    let addr = peer(|mut stream| {
        let mut sink = Vec::new();
        let _ = stream.read_to_end(&mut sink);
        thread::sleep(PATIENCE);
    });
    let (code, stdout, stderr) = run(
        BIN,
        &[&addr.to_string(), "--timeout", "0.2", "--wait-close", "0.5"],
        b"",
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "");
    assert!(
        stderr.contains("still waiting for the echo of line 1 after 200ms"),
        "{stderr}"
    );
    assert!(stderr.contains("stopped waiting for"), "{stderr}");
    assert!(stderr.contains("0 of 5 bytes sent came back"), "{stderr}");
}

/// --explain tells the client's steps in lifecycle order.
#[test]
fn explain_follows_the_lifecycle() {
    let addr = peer(echo_in_pieces(4096));
    let (code, _, stderr) = run(BIN, &[&addr.to_string(), "--explain"], b"");
    assert_eq!(code, 0, "{stderr}");
    let steps = testkit::explained_steps(&stderr);
    assert_eq!(
        steps,
        [
            "resolve", "socket", "connect", "send", "recv", "shutdown", "recv",
            "close"
        ]
    );
}

/// Through a real terminal: the prompt shows, a typed line is echoed, and
/// Ctrl-D ends the session with exit 0.
#[cfg(unix)]
#[test]
fn interactive_session_in_a_terminal() {
    let addr = peer(echo_in_pieces(4096));
    let mut pty = testkit::Pty::start(BIN, &[&addr.to_string()]);
    pty.screen.wait_for_text("> ");
    pty.type_keys("typed by hand\r");
    pty.screen.wait_for_count("typed by hand", 2); // as typed, then the echo
    pty.wait_for_prompt(2);
    pty.type_keys("\x04");
    assert_eq!(pty.wait().code(), Some(0));
}

/// A peer that records every byte it receives and echoes it.
fn recording_echo() -> (SocketAddr, std::sync::mpsc::Receiver<Vec<u8>>) {
    let (tx, rx) = std::sync::mpsc::channel();
    let addr = peer(move |mut stream| {
        let mut all = Vec::new();
        let mut buffer = [0; 4096];
        while let Ok(n) = stream.read(&mut buffer) {
            if n == 0 {
                break;
            }
            all.extend_from_slice(&buffer[..n]);
            if stream.write_all(&buffer[..n]).is_err() {
                break;
            }
        }
        let _ = tx.send(all);
    });
    (addr, rx)
}

/// Five lines in one terminal write (a paste, or fast typing) are five
/// messages, in order: rustyline's read-ahead is not lost.
#[cfg(unix)]
#[test]
fn five_lines_in_one_write_are_five_messages() {
    let (addr, received) = recording_echo();
    let mut pty = testkit::Pty::start(BIN, &[&addr.to_string()]);
    pty.screen.wait_for_text("> ");
    pty.type_keys("one\rtwo\rthree\rfour\rfive\r");
    pty.screen.wait_for_count("five", 2); // as typed, then the echo
    pty.wait_for_prompt(6);
    pty.type_keys("\x04");
    assert_eq!(pty.wait().code(), Some(0));
    let got = received.recv_timeout(PATIENCE).unwrap();
    assert_eq!(got, b"helloonetwothreefourfive");
    let screen = pty.screen.now();
    // Each line as typed and as echoed; the editor may draw a line being
    // edited again when an echo arrives, so more is no error.
    for word in ["one", "two", "three", "four", "five"] {
        assert!(screen.matches(word).count() >= 2, "{word}:\n{screen}");
    }
}

/// A line typed while an echo is awaited is kept, and the late echo is
/// printed on a line of its own, not glued to the text being typed.
#[cfg(unix)]
#[test]
fn typing_while_an_echo_is_awaited() {
    let (release, gate) = std::sync::mpsc::channel::<()>();
    let addr = peer(move |mut stream| {
        let mut buffer = [0; 4096];
        let mut first = true;
        while let Ok(n) = stream.read(&mut buffer) {
            if n == 0 {
                break;
            }
            if first {
                // Hold the echo of `hello` back until the test says so.
                let _ = gate.recv_timeout(PATIENCE);
                first = false;
            }
            let _ = stream.write_all(&buffer[..n]);
        }
    });
    let mut pty = testkit::Pty::start(BIN, &[&addr.to_string()]);
    pty.screen.wait_for_text("> ");
    pty.type_keys("half a li");
    pty.screen.wait_for_text("half a li");
    release.send(()).unwrap();
    pty.screen.wait_for_text("hello");
    pty.type_keys("ne\r");
    // The echo: the typed line itself was drawn in pieces.
    pty.screen.wait_for_text("half a line");
    pty.wait_for_prompt(2);
    pty.type_keys("\x04");
    assert_eq!(pty.wait().code(), Some(0));
    let screen = pty.screen.now();
    // The echo starts a line of its own; the typed text is drawn again
    // after it, whole.
    assert!(!screen.contains("lihello"), "{screen}");
    assert!(!screen.contains("hellohalf"), "{screen}");
}

/// --no-wait sends every line as it is read: the reads add up to every
/// byte sent, however TCP cut them.
#[test]
fn no_wait_reads_add_up_to_the_bytes_sent() {
    let addr = peer(echo_in_pieces(4096));
    let (code, stdout, stderr) = run(
        BIN,
        &[&addr.to_string(), "--no-wait", "--explain"],
        b"one\ntwo\nthree\n",
    );
    assert_eq!(code, 0, "{stderr}");
    let read_bytes: usize = stderr
        .lines()
        .filter_map(|l| l.strip_prefix("explain [receive]: recv #"))
        .map(|l| {
            l.split_whitespace()
                .nth(1)
                .unwrap()
                .parse::<usize>()
                .unwrap()
        })
        .sum();
    assert_eq!(read_bytes, "helloonetwothree".len());
    assert_eq!(stdout.replace('\n', ""), "helloonetwothree");
    assert!(
        stderr.contains("sent 4 lines in 4 writes (16 bytes)"),
        "{stderr}"
    );
}

/// --hex prints a dump of each read after its text.
#[test]
fn hex_dump_of_the_echo() {
    let addr = peer(echo_in_pieces(4096));
    let (code, stdout, stderr) =
        run(BIN, &[&addr.to_string(), "--hex", "--message", "A\t"], b"");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout,
        "A\\t\n00000000  41 09                                             |A.|\n"
    );
}

/// --step without a terminal is a usage error.
#[test]
fn step_without_a_terminal_exits_2() {
    let (code, _, stderr) = run(BIN, &["--step"], b"");
    assert_eq!(code, 2);
    assert_one_line(&stderr);
}

/// Under --explain each echo reports its round-trip time.
#[test]
fn explain_reports_round_trip_time() {
    let addr = peer(echo_in_pieces(4096));
    let (code, _, stderr) = run(BIN, &[&addr.to_string(), "--explain"], b"");
    assert_eq!(code, 0, "{stderr}");
    assert!(
        stderr.contains("line 1 came back ")
            && stderr.contains(" ms after sending"),
        "{stderr}"
    );
}

/// Ctrl-C at the prompt stops at once with exit 0.
#[cfg(unix)]
#[test]
fn ctrl_c_at_the_prompt_exits_0() {
    let addr = peer(echo_in_pieces(4096));
    let mut pty = testkit::Pty::start(BIN, &[&addr.to_string()]);
    pty.screen.wait_for_text("> ");
    pty.type_keys("\x03");
    assert_eq!(pty.wait().code(), Some(0));
}

/// --message "" sends no first message, then the piped lines as usual.
#[test]
fn empty_message_then_piped_lines() {
    let (addr, received) = recording_echo();
    let (code, stdout, stderr) =
        run(BIN, &[&addr.to_string(), "--message", ""], b"a\nb\n");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "a\nb\n");
    assert_eq!(received.recv_timeout(PATIENCE).unwrap(), b"ab");
}

/// With --crlf each line ends in \r\n, and an empty line is sent as just
/// that, instead of ending the conversation.
#[test]
fn crlf_line_endings_and_empty_lines() {
    let (addr, received) = recording_echo();
    let (code, stdout, stderr) =
        run(BIN, &[&addr.to_string(), "--crlf"], b"a\n\nb\n");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        received.recv_timeout(PATIENCE).unwrap(),
        b"hello\r\na\r\n\r\nb\r\n"
    );
    // \r\n in what arrives is shown as a line break.
    assert_eq!(stdout.replace("\n\n", "\n"), "hello\na\nb\n");
    let (addr, received) = recording_echo();
    let (code, _, stderr) = run(BIN, &[&addr.to_string(), "--lf"], b"a\n");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(received.recv_timeout(PATIENCE).unwrap(), b"hello\na\n");
}

/// A server that talks first (a banner) and answers with other lengths
/// than it got: everything is shown as it arrives, and none of it is an
/// error.
#[test]
fn banner_and_replies_of_other_lengths() {
    let addr = peer(|mut stream| {
        stream
            .write_all(b"220 welcome to the test server\r\n")
            .unwrap();
        let reader = BufReader::new(stream.try_clone().unwrap());
        for line in reader.lines() {
            let Ok(line) = line else { break };
            let reply =
                format!("250 you said {} bytes: {line}\r\n", line.len());
            if stream.write_all(reply.as_bytes()).is_err() {
                break;
            }
        }
    });
    let (code, stdout, stderr) = run(
        BIN,
        &[&addr.to_string(), "--crlf", "--message", "HELO me"],
        b"x\n",
    );
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout.lines().filter(|l| !l.is_empty()).collect::<Vec<_>>(),
        [
            "220 welcome to the test server",
            "250 you said 7 bytes: HELO me",
            "250 you said 1 bytes: x",
        ]
    );
    assert!(!stderr.contains("warning"), "{stderr}");
    assert!(!stderr.contains("error"), "{stderr}");
}

/// A server that never stops sending cannot keep the client alive: after
/// the end of input it stops waiting within --wait-close, exit 0.
#[test]
fn endless_sender_is_cut_off_after_wait_close() {
    let addr = peer(|mut stream| {
        let line = [b'z'; 1000];
        let started = Instant::now();
        while started.elapsed() < PATIENCE {
            if stream.write_all(&line).is_err() {
                break;
            }
        }
    });
    let started = Instant::now();
    let (code, _, stderr) = run(
        BIN,
        &[&addr.to_string(), "--wait-close", "1", "--message", ""],
        b"",
    );
    let took = started.elapsed();
    assert_eq!(code, 0, "{stderr}");
    assert!(took < Duration::from_secs(5), "took {took:?}: {stderr}");
    assert!(stderr.contains("stopped waiting for"), "{stderr}");
}

/// A single 50 MB line, and 100,000 lines with --no-wait, come back byte
/// for byte: sending and receiving never block each other.
#[test]
fn huge_input_does_not_deadlock() {
    let line = vec![b'x'; 50_000_000];
    let mut input = line.clone();
    input.push(b'\n');
    let addr = peer(echo_in_pieces(64 * 1024));
    let (code, stdout, stderr) =
        run(BIN, &[&addr.to_string(), "--message", ""], &input);
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout.replace('\n', "").len(), line.len());
    assert!(stdout.bytes().all(|b| b == b'x' || b == b'\n'));

    let input: String = (0..100_000).map(|i| format!("{i}\n")).collect();
    let addr = peer(echo_in_pieces(4096));
    let (code, stdout, stderr) =
        run(BIN, &[&addr.to_string(), "--no-wait"], input.as_bytes());
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(
        stdout.replace('\n', ""),
        format!("hello{}", input.replace('\n', ""))
    );
}

/// HTTP by hand: a GET through --crlf to a real `python3 -m http.server`
/// prints the status line, the headers and the exact body, exit 0.
#[test]
fn http_get_by_hand() {
    let dir = std::env::temp_dir()
        .join(format!("tcp-client-http-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let body = "<h1>Sockets</h1>\n<p>fetched by hand</p>\n";
    std::fs::write(dir.join("page.html"), body).unwrap();
    let mut server = Command::new("python3")
        .args(["-u", "-m", "http.server", "0", "--bind", "127.0.0.1"])
        .current_dir(&dir)
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .expect("python3 is needed for this test");
    let mut first = String::new();
    BufReader::new(server.stdout.take().unwrap())
        .read_line(&mut first)
        .unwrap();
    // "Serving HTTP on 127.0.0.1 port 43210 (http://…) ..."
    let port = first.split_whitespace().nth(5).unwrap().to_string();
    let (code, stdout, stderr) = run(
        BIN,
        &[&format!("127.0.0.1:{port}"), "--crlf", "--message", ""],
        b"GET /page.html HTTP/1.0\n\n",
    );
    let _ = server.kill();
    let _ = server.wait();
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(code, 0, "{stderr}");
    let (head, got_body) = stdout.split_once("\n\n").unwrap();
    assert!(head.starts_with("HTTP/1.0 200 OK\n"), "{stdout}");
    assert!(
        head.contains(&format!("Content-Length: {}\n", body.len())),
        "{stdout}"
    );
    assert_eq!(got_body, body);
    assert!(stderr.contains("closed the connection"), "{stderr}");
}

/// The half-close: after our FIN the server can still send, and what it
/// sends is shown before the client leaves.
#[test]
fn server_sends_after_our_fin() {
    let addr = peer(|mut stream| {
        let mut all = Vec::new();
        let _ = stream.read_to_end(&mut all);
        let reply = format!("you sent {} bytes in all\n", all.len());
        let _ = stream.write_all(reply.as_bytes());
        let _ = stream.shutdown(Shutdown::Write);
    });
    let (code, stdout, stderr) =
        run(BIN, &[&addr.to_string(), "--no-wait"], b"abc\n");
    assert_eq!(code, 0, "{stderr}");
    assert_eq!(stdout, "you sent 8 bytes in all\n");
}

/// The server closes while the user sits at the prompt: the client says
/// so, and the next Enter ends the session with exit 0 (the line editor
/// gives the terminal back first).
#[cfg(unix)]
#[test]
fn server_closes_under_the_prompt() {
    let addr = peer(|mut stream| {
        let mut hello = [0; 5];
        stream.read_exact(&mut hello).unwrap();
        stream.write_all(b"bye for now\n").unwrap();
    });
    let mut pty = testkit::Pty::start(BIN, &[&addr.to_string()]);
    pty.screen.wait_for_text("Press Enter or Ctrl-D to finish");
    pty.type_keys("\r");
    assert_eq!(pty.wait().code(), Some(0));
    let screen = pty.screen.now();
    assert!(screen.contains("bye for now"), "{screen}");
}

/// A server that never reads and trickles a byte now and then cannot keep
/// the client waiting for its close longer than ten times --wait-close.
#[test]
fn trickling_server_is_cut_off_too() {
    let addr = peer(|mut stream| {
        let started = Instant::now();
        while started.elapsed() < PATIENCE {
            if stream.write_all(b".").is_err() {
                break;
            }
            thread::sleep(Duration::from_millis(50));
        }
    });
    // 100 bytes sent: the dots never add up to as many in time.
    let message = "m".repeat(100);
    let started = Instant::now();
    let (code, _, stderr) = run(
        BIN,
        &[
            &addr.to_string(),
            "--wait-close",
            "0.2",
            "--message",
            &message,
        ],
        b"",
    );
    let took = started.elapsed();
    assert_eq!(code, 0, "{stderr}");
    assert!(took < Duration::from_secs(6), "took {took:?}: {stderr}");
    assert!(stderr.contains("it kept sending for 2s"), "{stderr}");
}

/// An empty line at the prompt ends the conversation like Ctrl-D: the
/// editor shows no new prompt, and the closing lines are all printed.
#[cfg(unix)]
#[test]
fn empty_line_at_the_prompt_ends_cleanly() {
    let addr = peer(echo_in_pieces(4096));
    let mut pty = testkit::Pty::start(BIN, &[&addr.to_string()]);
    pty.screen.wait_for_text("> ");
    pty.type_keys("abc\r");
    pty.screen.wait_for_count("abc", 2);
    pty.type_keys("\r");
    assert_eq!(pty.wait().code(), Some(0));
    let screen = pty.screen.now();
    assert!(
        screen
            .contains("closed the connection (8 bytes received, 8 bytes sent)"),
        "{screen}"
    );
}

/// With --step, the receiving thread's pause and the prompt take turns at
/// the keyboard: while the pause after the first recv waits for Enter, no
/// prompt takes the terminal and the echo is not called late (the pause
/// holds it, not the server); Enter goes on, and Ctrl-C at the prompt then
/// still stops the client.
#[cfg(unix)]
#[test]
fn step_pause_and_prompt_take_turns() {
    let addr = peer(echo_in_pieces(4096));
    let mut pty = testkit::Pty::start(
        BIN,
        &[&addr.to_string(), "--step", "--timeout", "0.2"],
    );
    // resolve, socket, connect, send: Enter at each.
    pty.step_through(1..=4);
    pty.screen.wait_for_count("that was recv", 1);
    // Longer than --timeout: the sender would have given up on the echo.
    std::thread::sleep(Duration::from_millis(600));
    let screen = pty.screen.now();
    assert!(!screen.contains("still waiting"), "{screen}");
    assert!(!screen.contains("> "), "a prompt during a pause:\n{screen}");
    pty.type_keys("\r");
    pty.screen.wait_for_text("hello");
    pty.screen.wait_for_text("> ");
    pty.type_keys("\x03");
    assert_eq!(pty.wait().code(), Some(0), "{}", pty.screen.now());
}

/// With --step, lines pasted at once are sent one by one, each with its
/// pauses, and no prompt comes back while lines of the paste are still
/// waiting: the Enter each pause asks for moves on a step and never
/// becomes an empty line that ends the conversation.
#[cfg(unix)]
#[test]
fn step_pastes_are_sent_line_by_line() {
    let (addr, received) = recording_echo();
    let mut pty = testkit::Pty::start(
        BIN,
        &[&addr.to_string(), "--step", "--message", ""],
    );
    // resolve, socket, connect
    pty.step_through(1..=3);
    pty.screen.wait_for_text("> ");
    // A bracketed paste of three lines, then Enter to submit it.
    pty.type_keys("\x1b[200~aa\nbb\ncc\x1b[201~\r");
    // send and recv of each line: six pauses.
    pty.step_through(4..=9);
    pty.screen.wait_for_count("cc", 2); // the paste, then the echo
    pty.wait_for_prompt(2);
    pty.type_keys("\x04");
    // shutdown, recv 0, close
    pty.step_through(10..=12);
    assert_eq!(pty.wait().code(), Some(0), "{}", pty.screen.now());
    assert_eq!(received.recv_timeout(PATIENCE).unwrap(), b"aabbcc");
}

/// With --step, a server that closes while the user is at the prompt is
/// reported at once (a pause would have to wait for the prompt), and Enter
/// then ends the client.
#[cfg(unix)]
#[test]
fn step_close_at_the_prompt_is_told_at_once() {
    let (close, closing) = std::sync::mpsc::channel::<()>();
    let addr = peer(move |mut stream| {
        let mut buffer = [0; 64];
        let n = stream.read(&mut buffer).unwrap();
        stream.write_all(&buffer[..n]).unwrap();
        // Closes once the test sees the prompt.
        let _ = closing.recv_timeout(PATIENCE);
    });
    let mut pty = testkit::Pty::start(BIN, &[&addr.to_string(), "--step"]);
    // resolve, socket, connect, send, recv
    pty.step_through(1..=5);
    pty.screen.wait_for_text("> ");
    close.send(()).unwrap();
    pty.screen
        .wait_for_text("closed the connection: it will send nothing");
    pty.type_keys("\r");
    // close, after the Enter that finished
    pty.screen.wait_for_text("that was close");
    pty.type_keys("\r");
    assert_eq!(pty.wait().code(), Some(0), "{}", pty.screen.now());
}

/// Ctrl-C while the client waits for an echo ends it without saying the
/// server closed: the connection was cut by the client itself.
#[cfg(unix)]
#[test]
fn ctrl_c_during_the_echo_wait_blames_nobody() {
    let addr = peer(|mut stream| {
        // Reads and never answers.
        let mut buffer = [0; 64];
        while matches!(stream.read(&mut buffer), Ok(n) if n > 0) {}
    });
    let mut pty =
        testkit::Pty::start(BIN, &[&addr.to_string(), "--message", ""]);
    pty.screen.wait_for_text("> ");
    pty.type_keys("x\r");
    pty.wait_for_prompt(2);
    pty.type_keys("\x03");
    assert_eq!(pty.wait().code(), Some(0));
    let screen = pty.screen.now();
    assert!(!screen.contains("closed the connection"), "{screen}");
}

/// A paste with an empty line in it: the conversation ends there, as an
/// empty line ends it, and the line after it is counted as not sent.
#[cfg(unix)]
#[test]
fn lines_pasted_after_an_empty_line_are_counted() {
    let (addr, received) = recording_echo();
    let mut pty = testkit::Pty::start(BIN, &[&addr.to_string()]);
    pty.screen.wait_for_text("> ");
    pty.type_keys("\x1b[200~aa\n\nbb\x1b[201~\r");
    assert_eq!(pty.wait().code(), Some(0), "{}", pty.screen.now());
    let screen = pty.screen.now();
    assert!(screen.contains("1 line typed but not sent"), "{screen}");
    assert_eq!(received.recv_timeout(PATIENCE).unwrap(), b"helloaa");
    assert!(pty.terminal_is_sane());
}

/// A read longer than the 1,024-byte preview (with `--buffer 2048`):
/// its whole lines are shown, then the preview stops before a character
/// it would cut in two (a 4-byte 🦀 at bytes 1022-1025) and counts the
/// rest, line breaks included.
#[test]
fn long_read_preview_stops_before_a_character() {
    let mut reply = b"one\r\ntwo\n".to_vec();
    reply.extend_from_slice(&[b'b'; 1013]);
    reply.extend_from_slice("🦀".as_bytes());
    reply.extend_from_slice(b"c\nd\n");
    assert_eq!(reply.len(), 1030);
    let addr = peer(move |mut stream| {
        let mut all = Vec::new();
        let _ = stream.read_to_end(&mut all);
        // One write after the client's FIN: it arrives in one read.
        let _ = stream.write_all(&reply);
        let _ = stream.shutdown(Shutdown::Write);
    });
    let args = [&addr.to_string(), "--buffer", "2048", "--message", ""];
    let (code, stdout, stderr) = run(BIN, &args, b"");
    assert_eq!(code, 0, "{stderr}");
    let preview = format!("{} … (+8 bytes not shown)", "b".repeat(1013));
    assert_eq!(stdout, format!("one\ntwo\n{preview}\n"));
}
