//! The four programs narrate in Chinese when the locale says so, and in
//! English with `--lang en`; `--lang zh` wins over an English locale.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use testkit::{start_open_in, workspace_bin};

const CHINESE: &[(&str, &str)] = &[("LANG", "zh_CN.UTF-8")];
const ENGLISH: &[(&str, &str)] = &[("LANG", "en_US.UTF-8")];

/// The socket() line of `program --explain`, under `locale`, with `extra`
/// flags: a server is stopped once it has said it; a client's server is
/// a port where nothing listens.
fn socket_line(
    program: &str,
    locale: &[(&str, &str)],
    extra: &[&str],
) -> String {
    let closed = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let port = closed.local_addr().unwrap().port().to_string();
    drop(closed);
    let address = match program {
        "tcp-server" | "udp-server" => "127.0.0.1:0".to_string(),
        _ => format!("127.0.0.1:{port}"),
    };
    let mut args = vec![address.as_str(), "--explain"];
    if program == "udp-client" {
        args.extend(["--timeout", "0.1", "--message", "ping"]);
    }
    args.extend(extra);
    let mut run = start_open_in(&workspace_bin(program), &args, locale);
    run.close_input();
    let text = run.stderr.wait_for("the socket() line", |text| {
        let from = text.find("explain: socket")?;
        let line = text[from..].split_once('\n')?.0;
        Some(line.to_string())
    });
    run.kill();
    text
}

#[test]
fn chinese_locale_narrates_in_chinese_and_lang_en_in_english() {
    for program in ["tcp-server", "tcp-client", "udp-server", "udp-client"] {
        let zh = socket_line(program, CHINESE, &[]);
        assert!(zh.contains("— 内核创建一个"), "{program}: {zh}");
        let en = socket_line(program, CHINESE, &["--lang", "en"]);
        assert!(en.contains("— the kernel creates a"), "{program}: {en}");
        let flag = socket_line(program, ENGLISH, &["--lang=zh"]);
        assert!(flag.contains("— 内核创建一个"), "{program}: {flag}");
    }
}
