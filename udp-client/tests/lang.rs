//! udp-client speaks Chinese with `--lang zh` and English with `--lang en`:
//! its narration, what it says about each reply, and its error, against a
//! std UdpSocket peer on loopback.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::{SocketAddr, UdpSocket};
use std::thread;
use testkit::{PATIENCE, run};

const BIN: &str = env!("CARGO_BIN_EXE_udp-client");

/// A peer that answers `a` twice, `b` with other bytes, `long` with 600
/// bytes, `bye` not at all, and anything else with its echo.
fn peer() -> SocketAddr {
    let socket = UdpSocket::bind("127.0.0.1:0").unwrap();
    socket.set_read_timeout(Some(PATIENCE)).unwrap();
    let address = socket.local_addr().unwrap();
    thread::spawn(move || {
        let mut buffer = [0; 1024];
        while let Ok((n, from)) = socket.recv_from(&mut buffer) {
            let replies = match &buffer[..n] {
                b"a" => vec![b"a".to_vec(), b"a".to_vec()],
                b"b" => vec![b"xyz".to_vec()],
                b"long" => vec![vec![b'x'; 600]],
                b"bye" => vec![],
                other => vec![other.to_vec()],
            };
            for reply in replies {
                let _ = socket.send_to(&reply, from);
            }
        }
    });
    address
}

/// Runs the client with `--explain` against a fresh peer: hello, then
/// `a`, `b`, `long` and `bye`, with a 512-byte buffer. Returns the exit
/// code, the peer's address and stderr.
fn conversation(lang: &str) -> (i32, String, String) {
    let server = peer().to_string();
    let args = [
        server.as_str(),
        "--lang",
        lang,
        "--explain",
        "--buffer",
        "512",
        "--timeout",
        "1",
    ];
    let (code, _, stderr) = run(BIN, &args, b"a\nb\nlong\nbye\n");
    (code, server, stderr)
}

#[test]
fn lang_zh_speaks_chinese_and_lang_en_english() {
    let (code, server, zh) = conversation("zh");
    assert_eq!(code, 1, "{zh}");
    for line in [
        format!("explain: send 向 {server} 发送 5 字节"),
        format!("recv 第 1 次：从 {server} 收到 5 字节（第 1 行的回复，发出 "),
        " 毫秒后收到）".to_string(),
        "重复：第 2 行已经收到过回复，而且只发送过一次：".to_string(),
        "不是回显：当作第 3 行的回复，但字节并不相同".to_string(),
        "回复被截断：".to_string(),
        "缓冲区只能容纳 512 字节，其余部分丢失（试试更大的 --buffer）"
            .to_string(),
        "bye 在 1s 内没有收到回复：udp-server 收到 bye 就停止，不回复"
            .to_string(),
        "有 1 个数据报没能完整地发送或接收".to_string(),
    ] {
        assert!(zh.contains(&line), "{line:?} in:\n{zh}");
    }
    let sending = format!("发送到 {server}");
    assert!(
        zh.lines()
            .any(|l| l.starts_with("从 ") && l.ends_with(&sending)),
        "{zh}"
    );

    let (code, server, en) = conversation("en");
    assert_eq!(code, 1, "{en}");
    for line in [
        format!("explain: send 5 bytes to {server}"),
        format!("recv #1: 5 bytes from {server} (the reply to line 1, "),
        " ms after it was sent)".to_string(),
        "again: line 2 had its reply already, and was sent once: ".to_string(),
        "not an echo: taken as the reply to line 3, but it is not the same \
         bytes"
            .to_string(),
        "reply truncated: ".to_string(),
        "buffer holds 512, the rest is lost (try a larger --buffer)"
            .to_string(),
        "no reply to bye within 1s: udp-server stops on bye without replying"
            .to_string(),
        "1 datagram could not be sent or received whole (see the messages \
         above)"
            .to_string(),
    ] {
        assert!(en.contains(&line), "{line:?} in:\n{en}");
    }
    let sending = format!("sending to {server} from 127.0.0.1:");
    assert!(en.contains(&sending), "{en}");
}

/// The errors of our own path, in each language: `--bind` over UDP, and a
/// path in a folder that does not exist (no server is needed for either).
#[cfg(unix)]
#[test]
fn own_path_errors_in_each_language() {
    let missing = std::env::temp_dir()
        .join(format!("uc-lang-missing-{}", std::process::id()));
    let mine = missing.join("me.sock");
    let mine = mine.to_str().unwrap();
    let folder = missing.to_str().unwrap();
    let server = "./uc-lang-no-server.sock";
    let udp = ["127.0.0.1:9", "--bind", mine, "--lang"];
    let path = [server, "--bind", mine, "--lang"];

    let (code, _, zh) = run(BIN, &[&udp[..], &["zh"]].concat(), b"");
    assert_eq!(code, 2, "{zh}");
    assert!(
        zh.contains("--bind PATH 指定的是我们自己套接字的路径"),
        "{zh}"
    );
    let (code, _, zh) = run(BIN, &[&path[..], &["zh"]].concat(), b"");
    assert_eq!(code, 1, "{zh}");
    // How the parts join (`: `, ` (…)`) is the errors' own affair.
    for part in [
        format!("无法创建我们自己的套接字文件 {mine}"),
        format!("它所在的文件夹 {folder} 不存在"),
    ] {
        assert!(zh.contains(&part), "{part:?} in {zh}");
    }
    assert!(zh.contains("请创建这个文件夹，或者用 --bind PATH"), "{zh}");

    let (code, _, en) = run(BIN, &[&udp[..], &["en"]].concat(), b"");
    assert_eq!(code, 2, "{en}");
    assert!(
        en.contains("--bind PATH names our own socket's path"),
        "{en}"
    );
    let (code, _, en) = run(BIN, &[&path[..], &["en"]].concat(), b"");
    assert_eq!(code, 1, "{en}");
    let want = format!(
        "cannot create our own socket file {mine}: its folder {folder} does \
         not exist (the server's replies need a path to come back to: create \
         the folder, or choose another path with --bind PATH)"
    );
    assert!(en.contains(&want), "{en}");
}
