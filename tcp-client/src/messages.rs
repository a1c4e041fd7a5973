//! What tcp-client says about the conversation: the details of its calls
//! in `--explain` and its status lines, as messages of the catalogs in
//! `lesson::lang`. The details are written only when shown.

/// close()'s details, worded as the servers word them.
pub use lesson::lang::connection;
use lesson::lang::{lazy, tr};
use lesson::{Console, Place};
use std::fmt::Display;
use std::net::SocketAddr;
use std::time::Duration;

/// connect's details: the server, and our own address once we have one.
pub fn connect<'a>(
    server: &'a Place,
    local: Option<&'a Place>,
) -> impl Display + 'a {
    lazy(move || match local {
        Some(local) => {
            let args = [
                ("server", server.to_string().into()),
                ("local", local.to_string().into()),
            ];
            tr("client-connect", &args)
        }
        None => server.to_string(),
    })
}

/// The note after a connect() to one of the addresses failed with `e`.
pub fn connect_failed(
    address: SocketAddr,
    e: &std::io::Error,
) -> impl Display + use<> {
    let why = lesson::failure::describe(e);
    lazy(move || {
        let args = [
            ("address", address.to_string().into()),
            ("why", why.as_str().into()),
        ];
        tr("client-connect-failed", &args)
    })
}

/// The status line once connected.
pub fn connected(console: &Console, peer: &Place) {
    let line = tr("client-connected", &[("peer", peer.to_string().into())]);
    console.status(format_args!("{line}"));
}

/// send's details: `5 bytes to PEER`.
pub fn sent(bytes: usize, peer: &Place) -> impl Display + '_ {
    lazy(move || {
        let args = [("bytes", bytes.into()), ("peer", peer.to_string().into())];
        tr("client-sent", &args)
    })
}

/// recv's details: `#1: 5 bytes from PEER (NOTE)`.
pub fn received<'a>(
    read: u64,
    bytes: usize,
    peer: &'a Place,
    note: &'a impl Display,
) -> impl Display + 'a {
    lazy(move || {
        let args = [
            ("read", read.into()),
            ("bytes", bytes.into()),
            ("peer", peer.to_string().into()),
            ("note", note.to_string().into()),
        ];
        tr("client-recv", &args)
    })
}

/// What came back against what was sent, and the line that came back
/// with this read, `ms` after it was sent.
pub fn arrival(received: u64, sent: u64, line: Option<(u64, f64)>) -> String {
    let counts = [("received", received.into()), ("sent", sent.into())];
    let mut note = match received > sent {
        true => tr("client-arrival-more", &counts),
        false => tr("client-arrival-back", &counts),
    };
    if let Some((line, ms)) = line {
        let args = [("line", line.into()), ("ms", format!("{ms:.2}").into())];
        note += &tr("client-arrival-line", &args);
    }
    note
}

/// The status line once the server has closed its side too.
pub fn closed(console: &Console, peer: &Place, received: u64, sent: u64) {
    let args = [
        ("peer", peer.to_string().into()),
        ("received", received.into()),
        ("sent", sent.into()),
    ];
    let line = tr("client-closed", &args);
    console.status(format_args!("{line}"));
}

/// With --no-wait: what was sent, and what came back.
pub fn summary(
    lines: u64,
    writes: u64,
    bytes: u64,
    received: u64,
    reads: u64,
) -> String {
    let args = [
        ("lines", lines.into()),
        ("writes", writes.into()),
        ("bytes", bytes.into()),
        ("received", received.into()),
        ("reads", reads.into()),
    ];
    tr("client-summary", &args)
}

/// Why the wait for the server's FIN was given up: `received` of `sent`
/// bytes had come back; all of them, and it kept the connection open
/// `wait` more; or not, and it `kept_sending` for `wait`, or nothing
/// arrived for `wait`.
pub fn gave_up(
    received: u64,
    sent: u64,
    all_back: bool,
    kept_sending: bool,
    wait: Duration,
) -> String {
    let id = match (all_back, kept_sending) {
        (true, _) => "client-gave-up-all-back",
        (false, true) => "client-gave-up-kept-sending",
        (false, false) => "client-gave-up-quiet",
    };
    let args = [
        ("received", received.into()),
        ("sent", sent.into()),
        ("wait", format!("{wait:?}").into()),
    ];
    tr(id, &args)
}

/// The status line when the wait for the server's FIN was given up.
pub fn stopped_waiting(console: &Console, peer: &Place, why: &str) {
    let args = [("peer", peer.to_string().into()), ("why", why.into())];
    let line = tr("client-stopped-waiting", &args);
    console.status(format_args!("{line}"));
}

/// The status line when line `line` has had no echo for `timeout`; with
/// `--step` the server may be paused at a step, too.
pub fn echo_late(console: &Console, line: u64, timeout: Duration, steps: bool) {
    let id = match steps {
        true => "client-echo-late-step",
        false => "client-echo-late",
    };
    let args = [
        ("line", line.into()),
        ("timeout", format!("{timeout:?}").into()),
    ];
    console.status(format_args!("{}", tr(id, &args)));
}
