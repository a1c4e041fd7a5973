//! tcp-server in Chinese: `--lang zh` narrates the event loop (`--poll`)
//! and the threaded design's hand-over in Chinese; `--lang en` keeps the
//! English, whatever the locale.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::net::{Shutdown, SocketAddr};
use testkit::{PATIENCE, start};

const BIN: &str = env!("CARGO_BIN_EXE_tcp-server");

/// The address on the server's `listening on` line, in either language:
/// `listening on 127.0.0.1:PORT (…` or `正在监听 127.0.0.1:PORT（…`.
fn listening_addr(stderr: &str) -> Option<SocketAddr> {
    let rest = ["listening on ", "正在监听 "]
        .iter()
        .find_map(|before| stderr.split(before).nth(1))?;
    let end = rest.find([' ', '（', '(']).unwrap_or(rest.len());
    rest[..end].parse().ok()
}

/// One client served by a server started with `args` and `--once`: it
/// sends `hi`, reads the echo, and closes. Returns the server's stderr
/// and the address it listened on.
fn one_client(args: &[&str]) -> (String, SocketAddr) {
    let mut all = vec!["127.0.0.1:0", "--once", "--explain"];
    all.extend(args);
    let mut server = start(BIN, &all, b"");
    let addr = server.stderr.wait_for("a listening line", listening_addr);
    let mut stream = testkit::connect(addr);
    stream.set_read_timeout(Some(PATIENCE)).unwrap();
    stream.write_all(b"hi\n").unwrap();
    let mut back = [0; 3];
    stream.read_exact(&mut back).unwrap();
    testkit::assert_echo(&back, b"hi\n");
    // The event loop reads until WouldBlock: our FIN waits until it has
    // said so (after accept's), or it could come first.
    if args.contains(&"--poll") {
        server.stderr.wait_for_count("WouldBlock", 2);
    }
    stream.shutdown(Shutdown::Write).unwrap();
    assert_eq!(stream.read(&mut [0; 8]).unwrap(), 0);
    assert_eq!(server.code(), 0);
    server.assert_no_panic();
    (server.stderr.now(), addr)
}

#[test]
fn the_event_loop_narrates_in_chinese_and_in_english() {
    let (zh, addr) = one_client(&["--poll", "--lang", "zh"]);
    let listener = format!("poll: 1 个事件：监听套接字 {addr} 可读 — ");
    assert!(zh.contains(&listener), "{zh}");
    assert!(zh.contains("accept: WouldBlock — 没有更多"), "{zh}");
    let recv = " recv：WouldBlock — 内核暂时没有更多数据给我们";
    assert!(zh.contains(recv), "{zh}");
    assert!(zh.contains("explain: 从 127.0.0.1:"), "{zh}");
    assert!(
        zh.contains("poll: 1 个事件：唤醒器（有人要求停止）"),
        "{zh}"
    );
    assert!(!zh.contains("readable"), "{zh}");

    let (en, addr) = one_client(&["--poll", "--lang", "en"]);
    let listener = format!("poll: 1 event: listener {addr} readable — ");
    assert!(en.contains(&listener), "{en}");
    assert!(en.contains("accept: WouldBlock — no more"), "{en}");
    assert!(en.contains(": WouldBlock — the kernel has nothing"), "{en}");
    assert!(en.contains("explain: recv from 127.0.0.1:"), "{en}");
    let waker = "poll: 1 event: the waker (a stop was asked for)";
    assert!(en.contains(waker), "{en}");
}

#[test]
fn the_threaded_hand_over_is_told_in_chinese_and_in_english() {
    let (zh, _) = one_client(&["--threaded", "--lang", "zh"]);
    assert!(zh.contains("服务器线程把 127.0.0.1:"), "{zh}");
    assert!(zh.contains(" 交给线程 handler-1"), "{zh}");
    let (en, _) = one_client(&["--threaded", "--lang", "en"]);
    assert!(en.contains("server thread hands 127.0.0.1:"), "{en}");
    assert!(en.contains(" to thread handler-1"), "{en}");
}
