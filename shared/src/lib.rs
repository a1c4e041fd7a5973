//! The card's small crate: what the four teaching programs share that is
//! no socket call. It never touches a socket or the network:
//!
//! - [`address`]: parsing `HOST`, `HOST:PORT`, `:PORT`, `PORT` and
//!   `[IPV6]:PORT` with per-program defaults, or a Unix socket's path;
//! - [`text`]: bytes that arrive in arbitrary pieces, as text that is safe
//!   to print on a terminal;
//! - [`invisible`]: which characters are shown escaped, by their Unicode
//!   properties, and the emoji sequences that stay whole;
//! - [`datagram`]: what a receive call's result means for a datagram (cut
//!   off or whole), and `bye`.

pub mod address;
pub mod datagram;
pub mod invisible;
pub mod text;

pub use address::{Address, Endpoint, Host, PartialAddress};
pub use text::Utf8Stream;
