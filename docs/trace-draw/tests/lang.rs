//! trace-draw in the language `--lang` or the locale chose: the words of
//! its drawings, its errors and its `--help` in Chinese with `--lang zh`
//! (or a Chinese locale), and exactly the English of the book with
//! `--lang en`, whatever the locale. Call names, packet names, flags and
//! addresses stay as a student types them.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::{Path, PathBuf};
use std::process::Command;

const BIN: &str = env!("CARGO_BIN_EXE_trace-draw");
const CHINESE: &[(&str, &str)] = &[("LANG", "zh_CN.UTF-8")];
const ENGLISH: &[(&str, &str)] = &[("LC_ALL", "C.UTF-8")];

fn fixture(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures");
    path.join(name).to_string_lossy().into_owned()
}

fn expected(name: &str) -> String {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/expected");
    std::fs::read_to_string(path.join(name)).unwrap()
}

/// A file in cargo's scratch folder for tests.
fn scratch(name: &str, contents: &str) -> String {
    let path: PathBuf = Path::new(env!("CARGO_TARGET_TMPDIR")).join(name);
    std::fs::write(&path, contents).unwrap();
    path.to_string_lossy().into_owned()
}

/// trace-draw with `args` under `locale` (and no other locale variable):
/// its exit code, stdout and stderr.
fn run(args: &[&str], locale: &[(&str, &str)]) -> (i32, String, String) {
    let mut command = Command::new(BIN);
    command.args(args).env("NO_COLOR", "1");
    for name in ["LC_ALL", "LC_MESSAGES", "LANG"] {
        command.env_remove(name);
    }
    for (name, value) in locale {
        command.env(name, value);
    }
    let output = command.output().unwrap();
    let text = |bytes: Vec<u8>| String::from_utf8(bytes).unwrap();
    let code = output.status.code().unwrap_or(-1);
    (code, text(output.stdout), text(output.stderr))
}

/// The drawing of `args`, which must succeed and say nothing on stderr.
fn drawn(args: &[&str], locale: &[(&str, &str)]) -> String {
    let (code, out, err) = run(args, locale);
    assert_eq!((code, err.as_str()), (0, ""), "{args:?}");
    out
}

fn is_chinese(c: char) -> bool {
    ('\u{4e00}'..='\u{9fff}').contains(&c)
}

/// Each line of `text` that should be there, is.
fn assert_lines(text: &str, lines: &[&str]) {
    for line in lines {
        let found = text.lines().any(|l| l.contains(line));
        assert!(found, "no line with {line:?} in\n{text}");
    }
}

/// A TCP run (a send cut into two recvs, a half-close) drawn as text: in
/// Chinese with `--lang zh` or a Chinese locale, row for row the English
/// drawing's lanes and calls; in English, byte for byte the expected file,
/// even in a Chinese locale.
#[test]
fn the_text_drawing_speaks_chinese_and_english() {
    let file = fixture("echo-buffer-3.jsonl");
    let zh = drawn(&["--lang", "zh", "--text", &file], ENGLISH);
    assert_lines(
        &zh,
        &[
            "A  tcp-client（主线程，pid 4200）",
            "B  tcp-client（receive 线程，pid 4200）",
            "C  tcp-server（pid 4100）",
            "* 调用返回   # 调用等待中   -> <- 数据包   x 途中丢失",
            "C  listen() 于 127.0.0.1:10888",
            "C  accept() = 127.0.0.1:50000（连接 1）",
            "   <- SYN, SYN-ACK, ACK，来自 A",
            "A  send(5 字节)",
            "C  recv() = 3 字节  <- 5 字节，来自 A10",
            "C  recv() = 0：流结束  <- FIN，来自 A17",
            "C  close() 监听套接字",
        ],
    );
    for english in [
        "bytes",
        "from",
        "end of stream",
        "listener",
        "a call",
        "main,",
    ] {
        assert!(!zh.contains(english), "{english:?} in\n{zh}");
    }
    let en = drawn(&["--lang", "en", "--text", &file], CHINESE);
    assert_eq!(en, expected("echo-buffer-3.txt"));
    // The same rows, lanes and arrows: only the words differ.
    let lanes = |text: &str| -> Vec<String> {
        let rows = text.lines().skip_while(|l| !l.starts_with("      A"));
        rows.map(|l| l.chars().take(18).collect()).collect()
    };
    assert_eq!(lanes(&zh), lanes(&en));
    // The locale alone chooses Chinese.
    assert_eq!(drawn(&["--text", &file], CHINESE), zh);
    assert_eq!(drawn(&["--text", &file], ENGLISH), en);
}

/// What only Unix sockets and datagrams show: messages instead of packets,
/// the accept queue, the end of stream, a shortened path's note, a
/// datagram dropped or lost, a refused connect.
#[test]
fn unix_sockets_and_datagrams_in_chinese() {
    let unix = drawn(
        &["--lang", "zh", "--text", &fixture("unix-stream.jsonl")],
        ENGLISH,
    );
    assert_lines(
        &unix,
        &[
            "F  tcp-server（handler-1 线程，pid 9100）",
            ".../echo.sock 即 /home/ada/socket-lessons/echo.sock",
            "* 调用返回   # 调用等待中   -> <- 消息   x 途中丢失",
            "E  accept() = (unnamed)（连接 1）",
            "<- 全连接队列（无握手），来自 A",
            "<- 流结束，来自 C18",
        ],
    );
    let udp = drawn(
        &["--lang", "zh", "--text", &fixture("udp-drop.jsonl")],
        ENGLISH,
    );
    assert_lines(
        &udp,
        &[
            "C  recv_from() = 5 字节，来自 127.0.0.1:40001",
            "C  drop(5 字节)：--drop  <- 被丢弃（--drop），来自 A11",
            "C  send_to(127.0.0.1:40001, 4 字节)  -> 丢失",
        ],
    );
    let refused = drawn(
        &["--lang", "zh", "--text", &fixture("refused.jsonl")],
        ENGLISH,
    );
    assert_lines(
        &refused,
        &["A  connect(127.0.0.1:10888)：connection refused  -> 被拒绝（RST）"],
    );
    let en = drawn(
        &["--lang", "en", "--text", &fixture("udp-drop.jsonl")],
        CHINESE,
    );
    assert_eq!(en, expected("udp-drop.txt"));
}

/// The picture: the legend, the lifelines' boxes and the labels in
/// Chinese; in English, not one Chinese character.
#[test]
fn the_picture_speaks_chinese_and_english() {
    let file = fixture("udp-drop.jsonl");
    let zh =
        drawn(&["--lang", "zh", "--title", "丢失的数据报", &file], ENGLISH);
    for label in [
        ">调用在此等待</text>",
        ">数据报</text>",
        ">丢失</text>",
        ">主线程，pid 5200</text>",
        ">receive 线程，pid 5200</text>",
        ">5 字节</text>",
        ">被丢弃（--drop）</text>",
        ">recv_from() = 5 字节，来自 127.0.0.1:40001</text>",
    ] {
        assert!(zh.contains(label), "{label} not in the SVG");
    }
    let en = drawn(&["--lang", "en", &file], CHINESE);
    assert!(en.contains(">the call waits here</text>"));
    assert!(en.contains(">dropped (--drop)</text>"));
    assert!(!en.chars().any(is_chinese), "Chinese in the English SVG");
    // Wide characters take more room: the picture is at least as wide.
    let width = |svg: &str| -> u32 {
        let at = svg.find(" width=\"").unwrap() + 8;
        svg[at..].split('"').next().unwrap().parse().unwrap()
    };
    assert!(
        width(&zh) + 20 >= width(&en),
        "{} {}",
        width(&zh),
        width(&en)
    );
}

/// A trace that programs wrote in Chinese (`--lang zh --trace`) holds
/// their errors in Chinese: a refused connect and a reset are still
/// drawn as such.
#[test]
fn a_trace_written_in_chinese_draws_refusals_and_resets() {
    let refused = std::fs::read_to_string(fixture("refused.jsonl")).unwrap();
    let refused = refused.replace("connection refused", "连接被拒绝");
    let path = scratch("refused-zh.jsonl", &refused);
    let text = drawn(&["--lang", "en", "--text", &path], ENGLISH);
    assert_lines(
        &text,
        &["A  connect([::1]:10888): 连接被拒绝  -> refused (RST)"],
    );

    let reset = std::fs::read_to_string(fixture("reset.jsonl")).unwrap();
    let reset = reset.replace("connection reset by peer", "连接被对端重置");
    let path = scratch("reset-zh.jsonl", &reset);
    let text = drawn(&["--lang", "zh", "--text", &path], ENGLISH);
    assert_lines(&text, &["B  recv()：连接被对端重置  <- RST，来自 C9"]);
}

/// Errors and their hints in Chinese; with `--lang en`, as before.
#[test]
fn errors_speak_chinese_and_english() {
    let empty = scratch("empty-zh.jsonl", "\n");
    let (code, _, err) = run(&["--lang", "zh", &empty], ENGLISH);
    assert_eq!(code, 2);
    assert!(err.contains("empty-zh.jsonl 中没有追踪事件"), "{err}");
    assert!(err.contains("请先用 --trace FILE 记录一次运行"), "{err}");

    let line = "{\"v\":1,\"ts\":1,\"prog\":\"x\",\"pid\":1,\"thread\":\"main\",\
                \"step\":\"listne\"}\n";
    let bad = scratch("bad-step-zh.jsonl", line);
    let (code, _, err) = run(&[&bad], CHINESE);
    assert_eq!((code, err.lines().count()), (2, 1), "{err}");
    assert!(
        err.contains(
            "bad-step-zh.jsonl:1：不是追踪事件：未知的步骤 \"listne\""
        ),
        "{err}"
    );
    assert!(
        err.contains("每一行都必须是追踪格式版本 1 的一个 JSON 对象"),
        "{err}"
    );
    let (_, _, err) = run(&["--lang", "en", &bad], CHINESE);
    assert!(err.contains(
        "bad-step-zh.jsonl:1: not a trace event: unknown step \"listne\""
    ));
    assert!(err.contains(
        "(each line must be one JSON object of trace format version 1"
    ));

    let version = scratch("version-zh.jsonl", "{\"v\":2}\n");
    let (_, _, err) = run(&["--lang", "zh", &version], ENGLISH);
    assert!(
        err.contains("追踪格式版本为 2，而这个 trace-draw 只能读取版本 1"),
        "{err}"
    );
}

/// The flags `--help` lists, one per line of the options' column.
fn flags_of(help: &str) -> Vec<&str> {
    let column = help
        .lines()
        .map(str::trim_start)
        .filter(|l| l.starts_with('-'));
    column
        .filter_map(|l| l.split([' ', ',']).find(|w| w.starts_with("--")))
        .collect()
}

/// `--help` in Chinese, every flag's help from the catalog; in English,
/// clap's text from the doc comments, which the catalog's English repeats.
#[test]
fn help_speaks_chinese_and_the_catalog_holds_the_english() {
    let (code, zh, _) = run(&["--lang", "zh", "--help"], ENGLISH);
    assert_eq!(code, 0);
    assert!(
        zh.starts_with("把套接字程序的 --trace 文件画成时序图"),
        "{zh}"
    );
    for words in [
        "用法：",
        "示例：",
        "（默认：100）",
        "生成图片，用浏览器查看",
    ] {
        assert!(zh.contains(words), "{words} not in\n{zh}");
    }
    for english in ["Usage:", "Print help", "[default:", "Examples:"] {
        assert!(!zh.contains(english), "{english} in\n{zh}");
    }
    let options = zh
        .lines()
        .filter(|l| l.trim_start().starts_with(['-', '<']));
    for line in options {
        assert!(line.chars().any(is_chinese), "{line}");
    }
    let (_, en, _) = run(&["--help"], ENGLISH);
    assert_eq!(flags_of(&zh), flags_of(&en));
    assert!(flags_of(&en).contains(&"--lang"), "{en}");

    let top = concat!(env!("CARGO_MANIFEST_DIR"), "/../..");
    let catalog = format!("{top}/shared/lesson/locales/en/trace-draw.ftl");
    let catalog = std::fs::read_to_string(catalog).unwrap();
    let message = |id: &str| {
        let start = format!("\n{id} = ");
        let from = catalog.find(&start)? + start.len();
        Some(catalog[from..].lines().next()?.to_string())
    };
    let (_, short, _) = run(&["-h"], ENGLISH);
    assert!(
        short.starts_with(&message("help-trace-draw").unwrap()),
        "{short}"
    );
    for flag in flags_of(&en).into_iter().chain(["--files"]) {
        if ["--help", "--version"].contains(&flag) {
            continue;
        }
        let id = format!("help-trace-draw-{}", &flag[2..]);
        let text = message(&id).unwrap_or_else(|| panic!("no {id}"));
        assert!(en.contains(&text), "{flag}: the catalog says {text:?}");
    }
    let examples = catalog.split("\nhelp-trace-draw-after =\n").nth(1).unwrap();
    let examples: Vec<&str> = examples.lines().map(|l| &l[4..]).collect();
    assert!(
        short.ends_with(&format!("{}\n", examples.join("\n"))),
        "{short}"
    );
}
