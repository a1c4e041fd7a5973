//! What tcp-server says about its clients, in every design: the details
//! of its calls in `--explain` and its status lines, as messages of the
//! catalogs in `lesson::lang`. The details are written only when shown.

use lesson::lang::{lazy, tr};
use lesson::{Console, Place};
use std::fmt::Display;

/// recv's details: `#1: 5 bytes from PEER`, and whether the read ended
/// inside a character. Written only when narrated.
pub fn received<'a>(
    read: u64,
    bytes: usize,
    peer: &'a Place,
    held: bool,
) -> impl Display + 'a {
    lazy(move || {
        let id = if held {
            "server-recv-held"
        } else {
            "server-recv"
        };
        let peer = peer.to_string();
        let args = [
            ("read", read.into()),
            ("bytes", bytes.into()),
            ("peer", peer.into()),
        ];
        tr(id, &args)
    })
}

/// send's details: `5 bytes back to PEER`. Written only when narrated.
pub fn sent(bytes: usize, peer: &Place) -> impl Display + '_ {
    lazy(move || {
        let args = [("bytes", bytes.into()), ("peer", peer.to_string().into())];
        tr("server-sent", &args)
    })
}

/// The stop's shutdown(Write): `FIN to PEER: …`. Written only when narrated.
pub fn goodbye(peer: &Place) -> impl Display + '_ {
    lazy(move || tr("server-goodbye", &[("peer", peer.to_string().into())]))
}

/// accept's details: `client #1 from PEER`. Written only when narrated.
pub fn accepted(turn: u64, peer: &Place) -> impl Display + '_ {
    lazy(move || {
        let args = [("turn", turn.into()), ("peer", peer.to_string().into())];
        tr("server-accepted", &args)
    })
}

/// The status line of a client that has just connected.
pub fn connected(console: &Console, label: &str) {
    let line = tr("server-connected", &[("client", label.into())]);
    console.status(format_args!("{line}"));
}

/// The summary after `stopped:`, the same words in every design.
pub fn summary(clients: u64, bytes: u64, reads: u64, peak: usize) -> String {
    let args = [
        ("clients", clients.into()),
        ("bytes", bytes.into()),
        ("reads", reads.into()),
        ("peak", peak.into()),
    ];
    tr("server-stopped", &args)
}

/// The status line once `max` clients are connected, the limit.
pub fn limit(console: &Console, max: usize) {
    let line = tr("server-limit", &[("max", max.into())]);
    console.status(format_args!("{line}"));
}

/// The warning when Ctrl-C and SIGTERM cannot be caught.
pub fn no_signals(console: &Console, e: &impl Display) {
    let warning = tr("server-no-signals", &[("why", e.to_string().into())]);
    console.warn(format_args!("{warning}"));
}

/// The note of `--threaded` when a client is handed to its thread.
/// Written only when narrated.
pub fn hands_over<'a>(peer: &'a Place, thread: &'a str) -> impl Display + 'a {
    lazy(move || {
        let args =
            [("peer", peer.to_string().into()), ("thread", thread.into())];
        tr("server-hands-over", &args)
    })
}
