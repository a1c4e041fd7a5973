//! tcp-client in Chinese: `--lang zh` says in Chinese why a connect()
//! failed, that an echo is late, and that it gave up waiting for the
//! server's FIN; `--lang en` keeps the English, whatever the locale.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::Read;
use std::net::{SocketAddr, TcpListener};
use std::sync::mpsc;
use std::thread;
use testkit::{PATIENCE, run};

const BIN: &str = env!("CARGO_BIN_EXE_tcp-client");

/// A port on loopback where nothing listens.
fn closed_port() -> SocketAddr {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    listener.local_addr().unwrap()
}

/// A server that never echoes and never closes: it reads to the client's
/// FIN, then holds the connection until `done` is sent.
fn silent_server() -> (SocketAddr, mpsc::Sender<()>) {
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let addr = listener.local_addr().unwrap();
    let (done, wait) = mpsc::channel::<()>();
    thread::spawn(move || {
        let (mut stream, _) = listener.accept().unwrap();
        stream.set_read_timeout(Some(PATIENCE)).unwrap();
        let mut buffer = [0; 64];
        while stream.read(&mut buffer).is_ok_and(|n| n > 0) {}
        let _ = wait.recv_timeout(PATIENCE);
    });
    (addr, done)
}

/// stderr of a client of the silent server, in `lang`: the echo of
/// `hello` is late after 0.2 s, and the FIN after ours never comes.
fn against_a_silent_server(lang: &str) -> String {
    let (addr, done) = silent_server();
    let addr = addr.to_string();
    let args = [
        &addr,
        "--lang",
        lang,
        "--timeout",
        "0.2",
        "--wait-close",
        "0.2",
    ];
    let (code, _, stderr) = run(BIN, &args, b"");
    let _ = done.send(());
    assert_eq!(code, 0, "{stderr}");
    stderr
}

#[test]
fn a_refused_connect_is_explained_in_chinese_and_in_english() {
    let addr = closed_port();
    let target = addr.to_string();
    let port = addr.port();
    let (code, _, zh) = run(BIN, &[&target, "--explain", "--lang", "zh"], b"");
    assert_eq!(code, 1, "{zh}");
    assert!(zh.contains(&format!("connect {target} 失败：")), "{zh}");
    let hint =
        format!("端口 {port} 上没有程序在监听；tcp-server 在那里运行了吗？");
    assert!(zh.contains(&hint), "{zh}");

    let (code, _, en) = run(BIN, &[&target, "--explain", "--lang", "en"], b"");
    assert_eq!(code, 1, "{en}");
    assert!(en.contains(&format!("connect {target} failed: ")), "{en}");
    let hint = format!("nothing listens on port {port}; is tcp-server running");
    assert!(en.contains(&hint), "{en}");
}

#[test]
fn a_late_echo_and_a_missing_fin_are_told_in_chinese_and_in_english() {
    let zh = against_a_silent_server("zh");
    let late =
        "等了 200ms 仍未收到第 1 行的回显：服务器是不是正忙于另一个客户端？";
    assert!(zh.contains(late), "{zh}");
    assert!(zh.contains("不再等待 127.0.0.1:"), "{zh}");
    let gave_up = "200ms 内什么也没有收到，已发送的 5 字节中只回来了 0 字节（见 --wait-close）";
    assert!(zh.contains(gave_up), "{zh}");

    let en = against_a_silent_server("en");
    let late = "still waiting for the echo of line 1 after 200ms: is the server \
                busy with another client?";
    assert!(en.contains(late), "{en}");
    let gave_up = "nothing arrived for 200ms, and 0 of 5 bytes sent came back \
                   (see --wait-close)";
    assert!(en.contains(gave_up), "{en}");
}
