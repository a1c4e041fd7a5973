//! udp-server speaks Chinese with `--lang zh` and English with `--lang en`:
//! its status lines, warnings and summary, on loopback.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::net::{SocketAddr, UdpSocket};
use testkit::{PATIENCE, start};

const BIN: &str = env!("CARGO_BIN_EXE_udp-server");

/// The address in the line the server waits with, in either language:
/// `waiting for datagrams on ADDRESS (…` or `在 ADDRESS 等待数据报（…`.
fn waiting_on(text: &str) -> Option<SocketAddr> {
    let rest = text
        .split("waiting for datagrams on ")
        .nth(1)
        .or_else(|| text.split("在 ").nth(1))?;
    rest.split_whitespace().next()?.parse().ok()
}

/// Runs a threaded server with simulated loss that drops nothing, sends it
/// an empty datagram, one longer than its 8-byte buffer and `bye`, and
/// returns what it wrote on stderr once it has stopped.
fn conversation(lang: &str) -> String {
    let args = [
        "127.0.0.1:0",
        "--lang",
        lang,
        "--buffer",
        "8",
        "--drop",
        "0",
        "--seed",
        "7",
        "--threaded",
        "--handlers",
        "2",
    ];
    let mut server = start(BIN, &args, b"");
    let address = server.stderr.wait_for("the waiting line", waiting_on);
    let peer = UdpSocket::bind("127.0.0.1:0").unwrap();
    peer.set_read_timeout(Some(PATIENCE)).unwrap();
    peer.connect(address).unwrap();
    let mut reply = [0; 64];
    peer.send(b"").unwrap();
    assert_eq!(peer.recv(&mut reply).unwrap(), 0);
    peer.send(b"twenty bytes, twenty").unwrap();
    assert_eq!(peer.recv(&mut reply).unwrap(), 8);
    peer.send(b"bye").unwrap();
    assert_eq!(server.code(), 0, "{}", server.stderr.now());
    server.assert_no_panic();
    server.stderr.now()
}

#[test]
fn lang_zh_speaks_chinese_and_lang_en_english() {
    let zh = conversation("zh");
    for line in [
        "（UDP：已绑定，不监听；收到内容为 bye 的数据报就停止；Ctrl-C 停止）",
        "模拟丢包：到达的数据报中约有 0% 会被丢弃（用 --seed 7 可以重现同样的丢包模式）",
        "threaded：主线程负责接收，由 2 个处理线程组成的线程池负责应答",
        "：空数据报（0 字节）",
        "：被截断：",
        "缓冲区只能容纳 8 字节，其余部分丢失",
        " 发来了 bye：停止",
        "已停止：来自 1 个发送者的 3 个数据报，回显 8 字节",
    ] {
        assert!(zh.contains(line), "{line:?} in:\n{zh}");
    }
    assert!(!zh.contains("datagram"), "{zh}");

    let en = conversation("en");
    for line in [
        "(UDP: bound, nothing listens; a datagram saying bye stops it; \
         Ctrl-C stops)",
        "simulating loss: about 0% of incoming datagrams will be dropped \
         (repeat this pattern with --seed 7)",
        "threaded: the main thread receives, a pool of 2 handler threads \
         answers",
        ": empty datagram (0 bytes)",
        ": truncated: ",
        "buffer holds 8, the rest is lost",
        " sent bye: stopping",
        "stopped: 3 datagrams from 1 sender, 8 bytes echoed",
    ] {
        assert!(en.contains(line), "{line:?} in:\n{en}");
    }
    assert!(!en.contains("数据报"), "{en}");
}
