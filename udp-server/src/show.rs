//! What udp-server prints: the line it waits with, and each datagram the
//! way all four programs print data (escaped, one line per datagram, with a
//! warning when it was cut off).

use lesson::{Console, Place};
use shared::datagram::Received;
use shared::text::render_preview;

/// Prints one datagram: its text on stdout, anything unusual on stderr.
pub fn datagram(
    console: &Console,
    sender: &Place,
    data: &[u8],
    received: &Received,
    hex: bool,
) {
    if let Some(warning) = received.truncation() {
        console.warn(format_args!("{sender}: {warning}"));
    }
    if data.is_empty() {
        // Legal in UDP: a datagram with no payload. (Python's `while data:`
        // took it for the end and stopped the server.)
        console.status(format_args!("{sender}: empty datagram (0 bytes)"));
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
        Place::Inet(_) => "UDP",
        _ => "AF_UNIX datagrams",
    };
    let args = [("address", local.to_string().into()), ("kind", kind.into())];
    console.status(format_args!("{}", lesson::lang::tr(id, &args)));
}
