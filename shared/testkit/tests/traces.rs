//! `--trace` on real runs, drawn by `trace-draw`: each run's picture has
//! exactly the lifelines and arrows the run implies, and its text drawing
//! is compared with the expected one (ports and process ids replaced by
//! placeholders; `TESTKIT_BLESS=1` rewrites the expected files).
#![cfg(unix)] // Servers are stopped with SIGTERM.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use testkit::{start, start_server, workspace_bin};
use trace_draw::{ArrowKind, Diagram};

/// Waits until every recv with data of `prog` in the trace has been
/// answered by its send: a program records a send right after the call,
/// which can be a moment after the other side already has the bytes.
fn settled(path: &Path, prog: &str) {
    let is = |line: &str, step: &str| {
        line.contains(&format!("\"prog\":\"{prog}\""))
            && line.contains(&format!("\"step\":\"{step}\""))
    };
    let deadline = std::time::Instant::now() + testkit::PATIENCE;
    loop {
        let text = std::fs::read_to_string(path).unwrap_or_default();
        let recvs = text
            .lines()
            .filter(|l| is(l, "recv") && !l.contains("\"bytes\":0"))
            .count();
        let sends = text.lines().filter(|l| is(l, "send")).count();
        if sends >= recvs {
            return;
        }
        assert!(std::time::Instant::now() < deadline, "trace never settled");
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
}

/// A fresh trace file for one test.
fn trace_file(name: &str) -> PathBuf {
    let path = std::env::temp_dir().join(format!(
        "socket-lessons-{}-{name}.jsonl",
        std::process::id()
    ));
    let _ = std::fs::remove_file(&path);
    path
}

/// The diagram of a trace file.
fn draw(path: &Path) -> Diagram {
    let text = std::fs::read_to_string(path).unwrap();
    Diagram::new(trace_draw::parse(&text).unwrap())
}

/// Ports and process ids as placeholders, numbered in order of appearance.
fn placeholders(text: &str) -> String {
    let mut out = String::new();
    let mut ports: Vec<String> = Vec::new();
    let mut pids: Vec<String> = Vec::new();
    let mut rest = text;
    while let Some(at) = rest.find([':', 'p']) {
        out.push_str(&rest[..at]);
        rest = &rest[at..];
        let (prefix, list, name) = if rest.starts_with("pid ") {
            ("pid ", &mut pids, "PID")
        } else if rest.starts_with(':') {
            (":", &mut ports, "PORT")
        } else {
            out.push_str(&rest[..1]);
            rest = &rest[1..];
            continue;
        };
        let digits: String = rest[prefix.len()..]
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        if digits.len() < 2 {
            out.push_str(&rest[..1]);
            rest = &rest[1..];
            continue;
        }
        let n = match list.iter().position(|d| *d == digits) {
            Some(n) => n,
            None => {
                list.push(digits.clone());
                list.len() - 1
            }
        };
        out.push_str(&format!("{prefix}{name}{}", n + 1));
        rest = &rest[prefix.len() + digits.len()..];
    }
    out.push_str(rest);
    out
}

/// Compares the text drawing with tests/expected/NAME.txt, or only the
/// part before the line that starts with `until`.
fn assert_drawn_as(diagram: &Diagram, name: &str, until: Option<&str>) {
    let cut =
        |text: &str| match until.and_then(|u| text.find(&format!("\n{u}"))) {
            Some(at) => text[..at].to_string(),
            None => text.to_string(),
        };
    let text = placeholders(&diagram.text());
    let path = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/expected")
        .join(format!("{name}.txt"));
    if std::env::var_os("TESTKIT_BLESS").is_some() {
        std::fs::create_dir_all(path.parent().unwrap()).unwrap();
        std::fs::write(&path, &text).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap_or_default();
    assert!(until.is_none_or(|u| expected.contains(&format!("\n{u}"))));
    assert_eq!(cut(&text), cut(&expected), "{name}: the drawing changed");
}

/// How many SVG elements carry `class`.
fn count(svg: &str, class: &str) -> usize {
    svg.matches(&format!("class=\"{class}\"")).count()
}

/// A TCP echo read three bytes at a time: the client's one send of 5
/// bytes forks into the server's recvs of 3 and 2.
#[test]
fn tcp_echo_with_buffer_3() {
    let file = trace_file("buffer-3");
    let trace = file.to_str().unwrap();
    let (mut server, addr) = start_server(
        &workspace_bin("tcp-server"),
        &[":0", "--once", "--buffer", "3", "--trace", trace],
    );
    let mut client = start(
        &workspace_bin("tcp-client"),
        &[&addr.to_string(), "--buffer", "3", "--trace", trace],
        b"",
    );
    assert_eq!(client.code(), 0);
    assert_eq!(server.code(), 0);
    let diagram = draw(&file);
    let svg = diagram.svg("buffer 3");
    // The client's main and receiving threads, the server.
    assert_eq!(count(&svg, "lifeline"), 3);
    assert_eq!(diagram.count(ArrowKind::Handshake), 1);
    // hello out (forking into 3 + 2), two echoes back.
    assert_eq!(diagram.count(ArrowKind::Data), 3);
    assert_eq!(count(&svg, "arrow data"), 3);
    assert_eq!(diagram.count(ArrowKind::Fin), 2);
    let fork = diagram
        .arrows()
        .iter()
        .find(|a| a.kind == ArrowKind::Data && a.to.len() == 2);
    assert!(fork.is_some(), "no send forks into two recvs");
    assert!(
        svg.contains("recv() = 3 bytes") && svg.contains("recv() = 2 bytes")
    );
    assert_drawn_as(&diagram, "buffer-3", None);
    let _ = std::fs::remove_file(&file);
}

/// A run narrated in Chinese traces the same events: the addresses come
/// from the calls, not from the words around them.
#[test]
fn a_chinese_run_traces_the_same_addresses() {
    let file = trace_file("buffer-3-zh");
    let trace = file.to_str().unwrap();
    let zh = ["--lang", "zh"];
    let server_args = [":0", "--once", "--buffer", "3", "--trace", trace];
    let (mut server, addr) = start_server(
        &workspace_bin("tcp-server"),
        &[&server_args[..], &zh].concat(),
    );
    let address = addr.to_string();
    let client_args = [address.as_str(), "--buffer", "3", "--trace", trace];
    let mut client = start(
        &workspace_bin("tcp-client"),
        &[&client_args[..], &zh].concat(),
        b"",
    );
    assert_eq!(client.code(), 0);
    assert_eq!(server.code(), 0);
    let text = std::fs::read_to_string(&file).unwrap();
    let listen = text
        .lines()
        .find(|l| l.contains("\"step\":\"listen\""))
        .unwrap();
    assert!(
        listen.contains(&format!("\"local\":\"{addr}\"")),
        "{listen}"
    );
    assert_drawn_as(&draw(&file), "buffer-3", None);
    let _ = std::fs::remove_file(&file);
}

/// --no-wait against a server busy with another client: the four sends
/// wait in the kernel, and the server reads all 16 bytes with one recv.
#[test]
fn tcp_no_wait_coalesces() {
    let file = trace_file("no-wait");
    let trace = file.to_str().unwrap();
    let (mut server, addr) =
        start_server(&workspace_bin("tcp-server"), &[":0", "--trace", trace]);
    // Client A (not traced) keeps the sequential server busy.
    let mut a = testkit::connect(addr);
    a.write_all(b"a").unwrap();
    let mut one = [0; 1];
    a.read_exact(&mut one).unwrap();
    settled(&file, "tcp-server");
    let mut b = start(
        &workspace_bin("tcp-client"),
        &[&addr.to_string(), "--no-wait", "--trace", trace],
        b"one\ntwo\nthree\n",
    );
    // Wait until B has written its last line, then let the server go on.
    let sent = || {
        std::fs::read_to_string(&file)
            .unwrap_or_default()
            .lines()
            .filter(|l| l.contains("\"tcp-client\"") && l.contains("\"send\""))
            .count()
    };
    let deadline = std::time::Instant::now() + testkit::PATIENCE;
    while sent() < 4 && std::time::Instant::now() < deadline {
        std::thread::sleep(std::time::Duration::from_millis(10));
    }
    drop(a);
    assert_eq!(b.code(), 0, "{}", b.stderr.now());
    server.signal(libc::SIGTERM);
    assert_eq!(server.code(), 0);
    let diagram = draw(&file);
    let svg = diagram.svg("no wait");
    assert_eq!(count(&svg, "lifeline"), 3);
    // Four sends meet in one recv: four arrows to one event.
    let into_one: Vec<_> = diagram
        .arrows()
        .iter()
        .filter(|a| a.kind == ArrowKind::Data && a.label.contains("bytes"))
        .collect();
    assert!(into_one.len() >= 5, "{}", diagram.text());
    assert!(svg.contains("recv() = 16 bytes"), "{}", diagram.text());
    assert_drawn_as(&diagram, "no-wait", None);
    let _ = std::fs::remove_file(&file);
}

/// UDP with --drop 0.5 --seed 7: the dropped datagrams end in a cross, the
/// others arrive and come back.
#[test]
fn udp_with_drop() {
    let file = trace_file("udp-drop");
    let trace = file.to_str().unwrap();
    let (mut server, addr) = start_server(
        &workspace_bin("udp-server"),
        &[
            ":0",
            "--keep-open",
            "--drop",
            "0.5",
            "--seed",
            "7",
            "--trace",
            trace,
        ],
    );
    let mut client = start(
        &workspace_bin("udp-client"),
        &[
            &addr.to_string(),
            "--timeout",
            "0.3",
            "--retries",
            "3",
            "--trace",
            trace,
        ],
        b"a\nb\n",
    );
    assert_eq!(client.code(), 0, "{}", client.stderr.now());
    server.signal(libc::SIGTERM);
    assert_eq!(server.code(), 0);
    let diagram = draw(&file);
    let svg = diagram.svg("drop");
    assert_eq!(count(&svg, "lifeline"), 3);
    // The seed drops the same datagrams every time (see Lab 3).
    assert_eq!(diagram.count(ArrowKind::Lost), 6, "{}", diagram.text());
    assert_eq!(diagram.count(ArrowKind::Datagram), 4, "{}", diagram.text());
    assert!(svg.contains("dropped (--drop)"));
    assert_drawn_as(&diagram, "udp-drop", None);
    let _ = std::fs::remove_file(&file);
}

/// The threaded server with two overlapping clients: one lifeline for the
/// server's main thread and one per connection thread, and two for each
/// client.
#[test]
fn threaded_with_two_clients() {
    let file = trace_file("threaded");
    let trace = file.to_str().unwrap();
    let (mut server, addr) = start_server(
        &workspace_bin("tcp-server"),
        &[":0", "--threaded", "--trace", trace],
    );
    let mut a = testkit::start_open(
        &workspace_bin("tcp-client"),
        &[&addr.to_string(), "--message", "from A", "--trace", trace],
    );
    a.stdout.wait_for_text("from A");
    settled(&file, "tcp-server");
    // A records its recv just after it prints the echo: B starts after
    // that, so the file says A's recv came before B began.
    let deadline = std::time::Instant::now() + testkit::PATIENCE;
    while !std::fs::read_to_string(&file)
        .unwrap_or_default()
        .lines()
        .any(|l| {
            l.contains("\"prog\":\"tcp-client\"")
                && l.contains("\"step\":\"recv\"")
                && l.contains("\"bytes\":6")
        })
    {
        assert!(
            std::time::Instant::now() < deadline,
            "A's recv never traced"
        );
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    let mut b = start(
        &workspace_bin("tcp-client"),
        &[&addr.to_string(), "--message", "from B", "--trace", trace],
        b"",
    );
    assert_eq!(b.code(), 0);
    a.close_input();
    assert_eq!(a.code(), 0);
    server.signal(libc::SIGTERM);
    assert_eq!(server.code(), 0);
    let diagram = draw(&file);
    let svg = diagram.svg("threaded");
    // Clients A and B (each its main and receiving thread), the server's
    // main thread, handler-1, handler-2.
    assert_eq!(count(&svg, "lifeline"), 7, "{}", diagram.text());
    assert_eq!(diagram.count(ArrowKind::Handshake), 2);
    assert_eq!(diagram.count(ArrowKind::Data), 4);
    assert_eq!(diagram.count(ArrowKind::Fin), 4);
    assert!(svg.contains("handler-1") && svg.contains("handler-2"));
    // Up to A's echo the order is fixed: B starts after it. After that, A's
    // end (its shutdown, the server's FIN) is tied to B's run by no call or
    // packet, and under load the layout sometimes draws it before B
    // (2 runs in 15 with both cores busy): only the fixed part is compared.
    assert_drawn_as(&diagram, "threaded", Some("  13  "));
    let _ = std::fs::remove_file(&file);
}

/// A refused connect: one call that fails, drawn with a cross.
#[test]
fn refused_connect() {
    let file = trace_file("refused");
    let trace = file.to_str().unwrap();
    let free = std::net::TcpListener::bind("127.0.0.1:0")
        .unwrap()
        .local_addr()
        .unwrap();
    let mut client = start(
        &workspace_bin("tcp-client"),
        &[&free.to_string(), "--trace", trace],
        b"",
    );
    assert_eq!(client.code(), 1);
    let diagram = draw(&file);
    let svg = diagram.svg("refused");
    assert_eq!(count(&svg, "lifeline"), 1);
    assert_eq!(diagram.count(ArrowKind::Refused), 1);
    assert!(svg.contains("connection refused"), "{svg}");
    assert_drawn_as(&diagram, "refused", None);
    let _ = std::fs::remove_file(&file);
}

/// Two trace files, one program's clock 5 s ahead: the same picture, and
/// every arrow still goes forward.
#[test]
fn clocks_that_disagree() {
    let file = trace_file("clocks");
    let trace = file.to_str().unwrap();
    let (mut server, addr) = start_server(
        &workspace_bin("tcp-server"),
        &[":0", "--once", "--buffer", "3", "--trace", trace],
    );
    let client_file = trace_file("clocks-client");
    let mut client = start(
        &workspace_bin("tcp-client"),
        &[&addr.to_string(), "--trace", client_file.to_str().unwrap()],
        b"hi\n",
    );
    assert_eq!(client.code(), 0);
    assert_eq!(server.code(), 0);
    let server_text = std::fs::read_to_string(&file).unwrap();
    let client_text = std::fs::read_to_string(&client_file).unwrap();
    // The client's clock 5 s ahead: every time in its file moves.
    let shifted = shift_times(&client_text, 5_000_000);
    let together =
        trace_draw::parse(&format!("{server_text}{client_text}")).unwrap();
    let skewed = trace_draw::parse(&format!("{server_text}{shifted}")).unwrap();
    let (plain, skewed) = (Diagram::new(together), Diagram::new(skewed));
    assert_eq!(plain.text(), skewed.text());
    for arrow in skewed.arrows() {
        let from = match arrow.from {
            trace_draw::Tail::Event(e) | trace_draw::Tail::Start(e) => e,
        };
        for tip in &arrow.to {
            if let Some(to) = tip.event() {
                assert!(
                    skewed.row_of(to) > skewed.row_of(from),
                    "{}",
                    skewed.text()
                );
            }
        }
    }
    let _ = std::fs::remove_file(&file);
    let _ = std::fs::remove_file(&client_file);
}

/// Adds `micros` to every `ts` and `start` in a trace.
fn shift_times(trace: &str, micros: u64) -> String {
    let mut out = String::new();
    for line in trace.lines() {
        let mut line = line.to_string();
        for key in ["\"ts\":", "\"start\":"] {
            if let Some(at) = line.find(key) {
                let from = at + key.len();
                let digits: String = line[from..]
                    .chars()
                    .take_while(char::is_ascii_digit)
                    .collect();
                if let Ok(n) = digits.parse::<u64>() {
                    line.replace_range(
                        from..from + digits.len(),
                        &(n + micros).to_string(),
                    );
                }
            }
        }
        out.push_str(&line);
        out.push('\n');
    }
    out
}
