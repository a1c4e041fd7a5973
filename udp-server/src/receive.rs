//! Receiving one datagram, and showing it.
//!
//! A plain recv_from() silently drops the end of a datagram larger than the
//! buffer; here the kernel is asked to say so. What arrived is then printed
//! the way all four programs print data: escaped, one line per datagram.

use shared::Console;
use shared::datagram::{self, Received};
use shared::text::render_preview;
use socket2::{MaybeUninitSlice, Socket};
use std::io::{self, ErrorKind};
use std::net::SocketAddr;

/// recv_from() that also tells whether the datagram was cut off.
///
/// A plain recv_from() silently drops the end of a datagram larger than the
/// buffer. recvmsg() reports it with the MSG_TRUNC flag, and on Linux,
/// asked with MSG_TRUNC, returns the datagram's real length too.
pub fn recv_from(
    socket: &Socket,
    buffer: &mut [u8],
) -> io::Result<(Received, SocketAddr)> {
    let size = buffer.len();
    let mut slices = [MaybeUninitSlice::new(datagram::uninit(buffer))];
    let (returned, flags, sender) = socket.recv_from_vectored_with_flags(
        &mut slices,
        datagram::REAL_LENGTH_FLAG,
    )?;
    let sender = sender.as_socket().ok_or_else(|| {
        io::Error::new(ErrorKind::InvalidData, "sender is not an IP address")
    })?;
    Ok((Received::new(returned, flags.is_truncated(), size), sender))
}

/// Prints one datagram: its text on stdout, anything unusual on stderr.
pub fn show(
    console: &Console,
    sender: SocketAddr,
    data: &[u8],
    received: &Received,
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
}
