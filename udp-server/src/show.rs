//! What udp-server prints: the line it waits with, and each datagram the
//! way all four programs print data (escaped, one line per datagram, with a
//! warning when it was cut off).

use lesson::lang::tr;
use lesson::{Console, Place};
use shared::datagram::Received;
use shared::text::render_preview;
use std::fmt::Display;

/// Prints one datagram: its text on stdout, anything unusual on stderr.
pub fn datagram(
    console: &Console,
    sender: &Place,
    data: &[u8],
    received: &Received,
    hex: bool,
) {
    let sender_text = || ("sender", sender.to_string().into());
    if received.truncated {
        let kept = ("kept", received.kept.into());
        let warning = match received.real {
            Some(real) => {
                let args = [sender_text(), ("real", real.into()), kept];
                tr("udp-truncated", &args)
            }
            None => tr("udp-truncated-unknown", &[sender_text(), kept]),
        };
        console.warn(format_args!("{warning}"));
    }
    if data.is_empty() {
        // Legal in UDP: a datagram with no payload. (Python's `while data:`
        // took it for the end and stopped the server.)
        let line = tr("udp-empty", &[sender_text()]);
        console.status(format_args!("{line}"));
    }
    console.data(format_args!("{sender}: {}", render_preview(data)));
    if hex {
        console.hex(data, 0);
    }
}

/// Prints the line that says where the server waits for datagrams.
pub fn waiting(console: &Console, local: &Place, keep_open: bool) {
    let id = match keep_open {
        true => "udp-waiting-keep-open",
        false => "udp-waiting",
    };
    let kind = match local {
        Place::Inet(_) => tr("udp-kind-udp", &[]),
        _ => tr("udp-kind-unix", &[]),
    };
    let args = [("address", local.to_string().into()), ("kind", kind.into())];
    console.status(format_args!("{}", tr(id, &args)));
}

/// The warning of a server whose Ctrl-C could not be set up.
pub fn without_summary(console: &Console, why: &impl Display) {
    let line = tr("udp-no-summary", &[("why", why.to_string().into())]);
    console.warn(format_args!("{line}"));
}
