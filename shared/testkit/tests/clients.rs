//! The clients against the real servers when the servers are busy: the
//! situations of the backlog lab, where a client waits its turn.
//!
//! The binaries are found next to this test; `cargo test --workspace`
//! builds them all first.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::io::{Read, Write};
use std::thread;
use std::time::Duration;
use testkit::{start, start_server, workspace_bin};

/// How long client A keeps the sequential server busy.
const BUSY: Duration = Duration::from_secs(3);

/// The sequential server is busy with client A for 3 s. Client B connects
/// (its handshake is done by the kernel, in the backlog), says its echo is
/// still awaited, prints it when the server gets to it, and exits 0, with
/// no warning and no "timed out".
#[test]
fn client_waits_its_turn_on_a_busy_server() {
    let (_server, addr) = start_server(&workspace_bin("tcp-server"), &[":0"]);
    let mut a = testkit::connect(addr);
    a.write_all(b"a").unwrap();
    let mut echo = [0; 1];
    a.read_exact(&mut echo).unwrap(); // The server is serving A now.

    let mut b = start(&workspace_bin("tcp-client"), &[&addr.to_string()], b"");
    b.stderr.wait_for_text("connected to");
    b.stderr
        .wait_for_text("still waiting for the echo of line 1");
    thread::sleep(BUSY); // A keeps the server busy: the scenario itself.
    drop(a);

    assert_eq!(b.code(), 0, "{}", b.stderr.now());
    assert_eq!(b.stdout.now(), "hello\n");
    let stderr = b.stderr.now();
    for word in ["moving on", "timed out", "warning", "error"] {
        assert!(!stderr.contains(word), "{word}: {stderr}");
    }
    assert!(stderr.contains("closed the connection"), "{stderr}");
}

/// With the server busy and its backlog full, a further client's SYN is
/// dropped: connect() keeps waiting (the kernel resends the SYN), the
/// client says why after about a second, and connects once there is room.
#[cfg(target_os = "linux")]
#[test]
fn full_backlog_makes_connect_wait_not_fail() {
    let (_server, addr) =
        start_server(&workspace_bin("tcp-server"), &[":0", "--backlog", "1"]);
    let mut a = testkit::connect(addr);
    a.write_all(b"a").unwrap();
    let mut echo = [0; 1];
    a.read_exact(&mut echo).unwrap(); // Served: A is out of the queue.
    // Linux queues backlog + 1 finished handshakes: two more fill it.
    let queued = [testkit::connect(addr), testkit::connect(addr)];

    let mut d = start(&workspace_bin("tcp-client"), &[&addr.to_string()], b"");
    d.stderr.wait_for_text("still connecting to");
    assert!(
        !d.stderr.now().contains("connected to"),
        "{}",
        d.stderr.now()
    );
    drop(queued);
    drop(a);

    assert_eq!(d.code(), 0, "{}", d.stderr.now());
    assert_eq!(d.stdout.now(), "hello\n");
    assert!(d.stderr.now().contains("connected to"));
}
