//! What udp-client says about the conversation: the details of its calls
//! in `--explain`, its status lines and warnings, and its errors, as
//! messages of the catalogs in `lesson::lang`. The details are written
//! only when shown.

use lesson::lang::{lazy, tr};
use lesson::{Failure, Place};
use shared::datagram::Received;
use std::fmt::Display;
use std::time::Duration;

/// A message with one argument.
fn one(id: &str, name: &str, value: &impl Display) -> String {
    tr(id, &[(name, value.to_string().into())])
}

/// A timeout as the programs show it: `2s`, `500ms`.
fn seconds(timeout: Duration) -> String {
    format!("{timeout:?}")
}

/// The failure of a name that resolves to no address at all.
pub fn no_address(server: &impl Display) -> Failure {
    Failure::new(one("uclient-no-address", "server", server))
}

/// The status line once the socket is ready: where to, and from where.
pub fn sending(server: &Place, local: &Place) -> String {
    let args = [
        ("server", server.to_string().into()),
        ("local", local.to_string().into()),
    ];
    tr("uclient-sending", &args)
}

/// Why the line editor lets go once every reply is in.
pub fn over() -> String {
    tr("uclient-over", &[])
}

/// send's details: `5 bytes to SERVER`. Written only when narrated.
pub fn sent(bytes: usize, server: &Place) -> impl Display + '_ {
    lazy(move || {
        let args = [
            ("bytes", bytes.into()),
            ("server", server.to_string().into()),
        ];
        tr("uclient-sent", &args)
    })
}

/// What `--step` says the client waits for when a reply is slow. Written
/// only when said.
pub fn waiting() -> impl Display {
    lazy(|| tr("uclient-waiting", &[]))
}

/// recv's details: `#1: 5 bytes from SERVER`, and with `line` the line it
/// answers, `ms` after that line was sent. Written only when narrated.
pub fn received(
    read: u64,
    bytes: usize,
    server: &Place,
    line: Option<(u64, f64)>,
) -> impl Display + '_ {
    lazy(move || {
        let mut args = vec![
            ("read", read.into()),
            ("bytes", bytes.into()),
            ("server", server.to_string().into()),
        ];
        let Some((line, ms)) = line else {
            return tr("uclient-recv", &args);
        };
        args.push(("line", line.into()));
        args.push(("ms", format!("{ms:.2}").into()));
        tr("uclient-recv-reply", &args)
    })
}

/// The warning for a reply cut off by `--buffer`, if it was.
pub fn truncation(received: &Received) -> Option<String> {
    if !received.truncated {
        return None;
    }
    let kept = ("kept", received.kept.into());
    Some(match received.real {
        Some(real) => tr("uclient-truncated", &[("real", real.into()), kept]),
        None => tr("uclient-truncated-unknown", &[kept]),
    })
}

/// A late reply: the line had timed out already, and it was sent `sends`
/// times.
pub fn late(line: u64, sends: u32) -> String {
    let args = [("line", line.into()), ("sends", sends.into())];
    match sends {
        1 => tr("uclient-late", &args),
        _ => tr("uclient-late-resent", &args),
    }
}

/// Another reply to a line answered already, which was sent `sends` times.
pub fn again(line: u64, sends: u32) -> String {
    match sends {
        1 => one("uclient-again-once", "line", &line),
        _ => one("uclient-again", "line", &line),
    }
}

/// A datagram that echoes no line, taken as the reply to `line`.
pub fn not_an_echo(line: u64) -> String {
    one("uclient-not-echo", "line", &line)
}

/// A datagram that echoes no line, with no line waiting for a reply.
pub fn unmatched() -> String {
    tr("uclient-unmatched", &[])
}

/// A line too long for one datagram, which carries at most `largest`
/// bytes (on a Unix socket, as much as its send buffer holds).
pub fn too_long(size: usize, largest: usize, unix: bool) -> String {
    let args = [("size", size.into()), ("largest", largest.into())];
    match unix {
        true => tr("uclient-too-long-unix", &args),
        false => tr("uclient-too-long", &args),
    }
}

/// No reply to `line` within the timeout, at attempt `attempt`.
pub fn no_reply(
    line: u64,
    timeout: Duration,
    (attempt, attempts): (u32, u32),
) -> String {
    let args = [
        ("line", line.into()),
        ("timeout", seconds(timeout).into()),
        ("attempt", attempt.into()),
        ("attempts", attempts.into()),
    ];
    match attempt < attempts {
        true => tr("uclient-no-reply", &args),
        false => tr("uclient-no-reply-last", &args),
    }
}

/// At the end: `replies` replies that never came within the timeout.
pub fn missing(replies: u64, timeout: Duration) -> String {
    let args = [
        ("replies", replies.into()),
        ("timeout", seconds(timeout).into()),
    ];
    tr("uclient-missing", &args)
}

/// At the end: `bye` had no reply, as udp-server gives none.
pub fn no_reply_to_bye(timeout: Duration) -> String {
    one("uclient-bye", "timeout", &seconds(timeout))
}

/// With `--no-wait`: how many datagrams went out and came back.
pub fn report(datagrams: u64, replies: u64, reads: u64) -> String {
    let args = [
        ("datagrams", datagrams.into()),
        ("replies", replies.into()),
        ("reads", reads.into()),
    ];
    tr("uclient-report", &args)
}

/// Why receiving ended: the server refused a datagram, or stdout closed.
pub fn end_reason(refused: bool, server: &Place) -> String {
    match refused {
        true => one("uclient-end-refused", "server", server),
        false => tr("uclient-end-closed", &[]),
    }
}

/// The failure of a conversation that lost bytes: `datagrams` lines too
/// long to send or replies cut off.
pub fn not_whole(datagrams: u64) -> Failure {
    let what = tr("uclient-not-whole", &[("datagrams", datagrams.into())]);
    Failure::new(what).hint(tr("uclient-see-above", &[]))
}

/// A message of the catalog that names the server: the failures of a
/// server that is not there (`uclient-no-server`, …).
pub fn about(id: &str, server: &Place) -> String {
    one(id, "server", server)
}

/// A message of the catalog with no arguments (a cause such as
/// `uclient-refused`).
pub fn plain(id: &str) -> String {
    tr(id, &[])
}

/// The Unix family's messages about a path: our socket file, its removal.
pub fn path(id: &str, path: &Place) -> String {
    one(id, "path", path)
}

/// A socket file that could not be removed, and why.
pub fn cannot_remove(path: &Place, why: String) -> String {
    let args = [("path", path.to_string().into()), ("why", why.into())];
    tr("uclient-cannot-remove", &args)
}

/// Why our own path could not be created: `with` names its folder, when
/// there is one; `bare` is the same words without it.
#[cfg(unix)]
pub fn folder((with, bare): (&str, &str), folder: Option<&Place>) -> String {
    match folder {
        Some(f) => one(with, "folder", f),
        None => tr(bare, &[]),
    }
}

/// `--bind PATH`: a path longer than a Unix socket's address holds.
pub fn bind_too_long(length: usize, max: usize) -> String {
    tr(
        "uclient-bind-long",
        &[("length", length.into()), ("max", max.into())],
    )
}
