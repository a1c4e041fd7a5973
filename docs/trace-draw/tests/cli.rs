//! The trace-draw binary, run as a real process: what it writes, and how
//! it refuses input that is not a trace.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::{Command, Output};

const BIN: &str = env!("CARGO_BIN_EXE_trace-draw");

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures")
        .join(name)
}

/// A file in cargo's scratch folder for tests.
fn scratch(name: &str, contents: &str) -> PathBuf {
    let path = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, contents).unwrap();
    path
}

/// trace-draw in English whatever the machine's locale (see lang.rs for
/// Chinese).
fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .env("NO_COLOR", "1")
        .env("LC_ALL", "C.UTF-8")
        .output()
        .unwrap()
}

fn stderr(output: &Output) -> String {
    String::from_utf8(output.stderr.clone()).unwrap()
}

/// A valid line and a broken one: exit 2, one line on stderr naming the
/// file and line, with a hint, and nothing drawn.
#[test]
fn an_invalid_line_is_one_error_with_its_place() {
    let good = std::fs::read_to_string(fixture("refused.jsonl")).unwrap();
    let first = good.lines().next().unwrap();
    let path =
        scratch("broken.jsonl", &format!("{first}\n{{\"v\":1,\"ts\":\n"));
    let output = run(&["--text", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    assert!(output.stdout.is_empty());
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.starts_with("error: "), "{err}");
    assert!(
        err.contains("broken.jsonl:2: not a trace event: not JSON"),
        "{err}"
    );
    assert!(err.contains("(each line must be one JSON object"), "{err}");
}

/// A line that is JSON but not an event names what is missing.
#[test]
fn a_line_without_a_step_says_so() {
    let path = scratch(
        "nostep.jsonl",
        "{\"v\":1,\"ts\":5,\"prog\":\"x\",\"pid\":1,\"thread\":\"main\"}\n",
    );
    let output = run(&[path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("nostep.jsonl:1: not a trace event: no key \"step\""),
        "{err}"
    );
}

/// A missing file and an empty one are usage errors (exit 2), one line each.
#[test]
fn missing_or_empty_input_exits_2() {
    let output = run(&["/nonexistent/trace.jsonl"]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(
        err.contains("cannot read /nonexistent/trace.jsonl: "),
        "{err}"
    );

    let empty = scratch("empty.jsonl", "\n");
    let output = run(&[empty.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2));
    let err = stderr(&output);
    assert_eq!(err.lines().count(), 1, "{err}");
    assert!(err.contains("no trace events in"), "{err}");

    let output = run(&[]);
    assert_eq!(output.status.code(), Some(2));
}

/// --text writes the expected text; the default is SVG with the files'
/// names as title; several files draw as one run.
#[test]
fn draws_text_and_svg() {
    let reset = fixture("reset.jsonl");
    let output = run(&["--text", reset.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    assert!(output.stderr.is_empty());
    let expected =
        Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expected/reset.txt");
    let expected = std::fs::read_to_string(expected).unwrap();
    assert_eq!(String::from_utf8(output.stdout).unwrap(), expected);

    let output = run(&[reset.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0));
    let svg = String::from_utf8(output.stdout).unwrap();
    assert!(svg.starts_with("<svg "));
    assert!(svg.contains("reset.jsonl</text>"), "the title");

    let refused = fixture("refused.jsonl");
    let output = run(&[
        "--title",
        "two runs",
        reset.to_str().unwrap(),
        refused.to_str().unwrap(),
    ]);
    let svg = String::from_utf8(output.stdout).unwrap();
    assert!(svg.contains(">two runs</text>"));
    // reset: the client's two threads and the server; refused: a client.
    assert_eq!(svg.matches("class=\"lifeline\"").count(), 4);

    let output = run(&["--svg", "--text", reset.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(2), "one format at a time");
}

/// Offsets near 2^64 (a fuzzer's favourite): a send or recv whose bytes
/// would run past the last offset is refused as a usage error (exit 2)
/// in one line that names the file, the line and the field; no panic, no
/// backtrace. The last byte a stream can number still draws.
#[test]
fn offsets_near_2_pow_64_are_one_error_with_line_and_field() {
    let good = std::fs::read_to_string(fixture("echo-buffer-3.jsonl")).unwrap();
    let big = "\"offset\":18446744073709551615";
    for (name, which) in
        [("send", "\"step\":\"send\""), ("recv", "\"step\":\"recv\"")]
    {
        let number = good.lines().position(|l| l.contains(which)).unwrap() + 1;
        let text: String = good
            .lines()
            .enumerate()
            .map(|(i, l)| match i + 1 == number {
                true => l.replace("\"offset\":0", big) + "\n",
                false => format!("{l}\n"),
            })
            .collect();
        let path = scratch(&format!("huge-{name}.jsonl"), &text);
        for mode in ["--text", "--svg"] {
            let output = Command::new(BIN)
                .args([mode, path.to_str().unwrap()])
                .env("NO_COLOR", "1")
                .env("LC_ALL", "C.UTF-8")
                .env("RUST_BACKTRACE", "1")
                .output()
                .unwrap();
            let err = stderr(&output);
            assert_eq!(output.status.code(), Some(2), "{name} {mode}: {err}");
            assert!(output.stdout.is_empty());
            assert_eq!(err.lines().count(), 1, "{err}");
            let place =
                format!("huge-{name}.jsonl:{number}: not a trace event: ");
            assert!(err.contains(&place), "{err}");
            assert!(
                err.contains("\"offset\" is 18446744073709551615, and"),
                "{err}"
            );
            assert!(!err.contains("panicked"), "{err}");
        }
    }
    // 2^64 - 2 plus one byte ends exactly at the largest offset: drawn.
    let edge = good.replacen(
        "\"bytes\":5,\"offset\":0",
        "\"bytes\":1,\"offset\":18446744073709551614",
        1,
    );
    let path = scratch("edge.jsonl", &edge);
    let output = run(&["--text", path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
}

/// Every character XML 1.0 forbids (C0 controls but tab, line feed and
/// carriage return; U+FFFE, U+FFFF), in every string of a trace and in
/// the title: the SVG is still XML (python3's parser, expat, reads it),
/// each is shown as a visible escape, and markup stays text.
#[test]
fn characters_xml_forbids_are_escaped_visibly() {
    let mut forbidden: Vec<char> = (0u8..0x20)
        .filter(|b| !matches!(b, b'\t' | b'\n' | b'\r'))
        .map(char::from)
        .collect();
    forbidden.extend(['\u{fffe}', '\u{ffff}']);
    let bad: String = forbidden.iter().collect();
    let bad = format!("{bad}\t\r\n<x>&");
    let json = |s: &str| serde_json::Value::String(s.to_string()).to_string();
    let line = |step: &str, thread: &str| {
        format!(
            "{{\"v\":1,\"ts\":1,\"start\":null,\"prog\":{},\"pid\":1,\
             \"thread\":{},\"step\":\"{step}\",\"local\":{},\"peer\":{},\
             \"conn\":1,\"bytes\":null,\"offset\":null,\"digest\":{},\
             \"error\":{}}}\n",
            json(&format!("tcp-client{bad}")),
            json(thread),
            json(&format!("l{bad}")),
            json(&format!("p{bad}")),
            json(&format!("d{bad}")),
            json(&format!("e{bad}")),
        )
    };
    let text =
        line("connect", "main") + &line("accept", &format!("handler-1{bad}"));
    let path = scratch("forbidden.jsonl", &text);
    // An argument cannot hold NUL; the title has all the others.
    let title = format!("title{}", bad.replace('\0', ""));
    let output = run(&["--title", &title, path.to_str().unwrap()]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let svg = String::from_utf8(output.stdout).unwrap();
    for c in &forbidden {
        assert!(!svg.contains(*c), "{:?} written raw", c);
    }
    assert!(svg.contains("\\u{fffe}") && svg.contains("\\u{ffff}"));
    assert!(!svg.contains("<x>"), "markup from the trace stays text");

    let parsed = Command::new("python3")
        .args([
            "-c",
            "import sys, xml.etree.ElementTree as ET\n\
             root = ET.fromstring(sys.stdin.buffer.read())\n\
             print(sum(1 for e in root.iter() if e.get('class') == 'call'))",
        ])
        .stdin(std::process::Stdio::piped())
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .and_then(|mut child| {
            use std::io::Write;
            child.stdin.take().unwrap().write_all(svg.as_bytes())?;
            child.wait_with_output()
        })
        .expect("python3 runs (it checks the SVG is XML)");
    let said = String::from_utf8_lossy(&parsed.stderr);
    assert!(parsed.status.success(), "not XML: {said}");
    assert_eq!(String::from_utf8_lossy(&parsed.stdout).trim(), "2");
}

/// A trace of one server and `n` clients taking turns, as a load test
/// writes it: each connects, sends 5 bytes, reads the echo and closes.
fn clients_trace(n: u32) -> String {
    let mut ts = 1_760_000_000_000_000_u64;
    let mut out = String::new();
    let server = "127.0.0.1:10888";
    let mut line =
        |prog: &str, pid: u32, thread: &str, step: &str, rest: &str| {
            ts += 10;
            out.push_str(&format!(
                "{{\"v\":1,\"ts\":{ts},\"prog\":\"{prog}\",\"pid\":{pid},\
             \"thread\":\"{thread}\",\"step\":\"{step}\"{rest}}}\n"
            ));
        };
    line(
        "tcp-server",
        1,
        "main",
        "listen",
        &format!(",\"local\":\"{server}\",\"conn\":0"),
    );
    for i in 1..=n {
        let pid = 1000 + i;
        let client = format!("10.0.{}.{}:5000", i / 256, i % 256);
        let c =
            format!(",\"local\":\"{client}\",\"peer\":\"{server}\",\"conn\":1");
        let s = format!(
            ",\"local\":\"{server}\",\"peer\":\"{client}\",\"conn\":{i}"
        );
        line("tcp-client", pid, "main", "connect", &c);
        line("tcp-server", 1, "main", "accept", &s);
        line(
            "tcp-client",
            pid,
            "main",
            "send",
            &format!("{c},\"bytes\":5,\"offset\":0"),
        );
        line(
            "tcp-server",
            1,
            "main",
            "recv",
            &format!("{s},\"bytes\":5,\"offset\":0"),
        );
        line(
            "tcp-server",
            1,
            "main",
            "send",
            &format!("{s},\"bytes\":5,\"offset\":0"),
        );
        line(
            "tcp-client",
            pid,
            "receive",
            "recv",
            &format!("{c},\"bytes\":5,\"offset\":0"),
        );
        line("tcp-client", pid, "main", "close", &c);
        line("tcp-server", 1, "main", "close", &s);
    }
    out
}

/// 150 clients in one trace (a load test): by default the first 100
/// lifelines are drawn, up to where the 101st begins, and a last line
/// says what is left out, in both drawings; --max-lifelines draws more;
/// 0 is a usage error.
#[test]
fn thousands_of_lifelines_are_cut_with_a_note() {
    let path = scratch("load.jsonl", &clients_trace(150));
    let path = path.to_str().unwrap();
    let output = run(&[path]);
    assert_eq!(output.status.code(), Some(0), "{}", stderr(&output));
    let svg = String::from_utf8(output.stdout).unwrap();
    // The server, then each client's main and receive threads: lifeline
    // 101 is the 50th client's receive thread. Its recv comes after that
    // client's connect and send and the server's accept, recv and send;
    // the server's close is as deep as the recv, and the server came
    // first: it is drawn too.
    assert_eq!(svg.matches("class=\"lifeline\"").count(), 100);
    assert_eq!(svg.matches("class=\"call\"").count(), 1 + 49 * 8 + 6);
    assert_eq!(svg.matches("class=\"arrow data\"").count(), 49 * 2 + 1);
    let note = "the drawing stops here, where lifeline 101 would begin: \
                201 more lifelines, 802 more calls (--max-lifelines N draws \
                more)";
    assert!(svg.contains("class=\"cut\""), "the note");
    assert!(svg.contains(note), "{note}");

    let output = run(&["--text", path]);
    let text = String::from_utf8(output.stdout).unwrap();
    assert_eq!(text.lines().last().map(str::trim), Some(note));
    let lane_widths: Vec<usize> = text
        .lines()
        .filter(|l| l.starts_with("   1  "))
        .map(str::len)
        .collect();
    assert_eq!(lane_widths.len(), 1, "one first row");
    assert!(lane_widths[0] < 6 * 101 + 80, "100 lanes wide, not 301");

    let output = run(&["--max-lifelines", "301", path]);
    let svg = String::from_utf8(output.stdout).unwrap();
    assert_eq!(svg.matches("class=\"lifeline\"").count(), 301);
    assert!(!svg.contains("class=\"cut\""));

    let output = run(&["--max-lifelines", "0", path]);
    assert_eq!(output.status.code(), Some(2));
}

/// The files the drawing chapter has a student write (`--trace FILE`,
/// `> FILE` in its commands) are ones .gitignore lists, so following the
/// book leaves `git status` clean.
#[test]
fn the_drawing_chapters_files_are_ignored_by_git() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("../..");
    let chapter =
        std::fs::read_to_string(root.join("docs/src/draw.md")).unwrap();
    let ignore = std::fs::read_to_string(root.join(".gitignore")).unwrap();
    let ignored: Vec<&str> = ignore
        .lines()
        .map(|l| l.trim().trim_start_matches('/'))
        .collect();
    let mut written = Vec::new();
    let mut in_console = false;
    for line in chapter.lines() {
        if line.starts_with("```") {
            in_console = line == "```console";
            continue;
        }
        let words: Vec<&str> = line.split_whitespace().collect();
        for pair in words.windows(2).filter(|_| in_console) {
            if pair[0] == "--trace" || pair[0] == ">" {
                written.push(pair[1]);
            }
        }
    }
    assert!(written.contains(&"run.jsonl") && written.contains(&"run.svg"));
    for file in written {
        assert!(ignored.contains(&file), "{file} is not in .gitignore");
    }
}
