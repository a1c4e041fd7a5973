//! Showing one datagram the way all four programs print data: escaped, one
//! line per datagram, with a warning when it was cut off.

use lesson::Console;
use shared::datagram::Received;
use shared::text::render_preview;
use std::net::SocketAddr;

/// Prints one datagram: its text on stdout, anything unusual on stderr.
pub fn show(
    console: &Console,
    sender: SocketAddr,
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
