//! What the four teaching programs share.
//!
//! This crate never opens a socket. (It still holds three calls on a
//! socket the binaries opened, `datagram::recv_from`/`recv` and
//! `local_address`, and the servers' name resolution: they belong in the
//! binaries, under anchors.) Here live the parts that would only distract
//! from the socket calls:
//!
//! - [`address`]: parsing `HOST`, `HOST:PORT`, `:PORT`, `PORT` and
//!   `[IPV6]:PORT` with per-program defaults;
//! - [`text`]: turning bytes that arrive in arbitrary pieces into text that
//!   is safe to print on a terminal, and hex dumps;
//! - [`invisible`]: which characters are shown escaped, by their Unicode
//!   properties, and the emoji sequences that stay whole;
//! - [`datagram`]: receiving a datagram and knowing whether it was cut off,
//!   and `bye`.

pub mod address;
pub mod datagram;
pub mod invisible;
pub mod text;

pub use address::{Endpoint, Host, PartialAddress};
pub use text::Utf8Stream;

/// The local address the kernel gave `socket`: after bind() to port 0, or
/// after connect(), this is where to find the port it picked.
pub fn local_address(socket: &socket2::Socket) -> Option<std::net::SocketAddr> {
    socket
        .local_addr()
        .ok()
        .and_then(|address| address.as_socket())
}
