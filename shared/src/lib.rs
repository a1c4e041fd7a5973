//! What the four teaching programs share.
//!
//! This crate never opens a socket: every socket call lives in the
//! binaries, where a student can read it. Here live the parts that would
//! only distract from those calls:
//!
//! - [`address`]: parsing `HOST`, `HOST:PORT`, `:PORT`, `PORT` and
//!   `[IPV6]:PORT` with per-program defaults;
//! - [`text`]: turning bytes that arrive in arbitrary pieces into text that
//!   is safe to print on a terminal, and hex dumps;
//! - [`invisible`]: which characters are shown escaped, by their Unicode
//!   properties, and the emoji sequences that stay whole;
//! - [`step`]: the lifecycle steps and what the operating system does at
//!   each;
//! - [`narrate`]: the `--explain` / `--step` machinery, and
//!   [`narrate::Told`], the one call that ends each step in a binary;
//! - [`flags`]: the command-line flags all four programs share;
//! - [`failure`]: one-line errors with a hint, and the exit codes;
//! - [`console`]: stdout for data, stderr for everything else, colors only
//!   where that stream is a terminal;
//! - [`input`]: the clients' input, typed or piped, read on a thread of
//!   its own;
//! - [`datagram`]: receiving a datagram and knowing whether it was cut off,
//!   and `bye`;
//! - [`trace`]: `--trace FILE`, one JSON line per lifecycle event;
//! - [`signals`]: turning Ctrl-C and SIGTERM into a graceful stop;
//! - [`stop`]: a stop flag with the wake-up that makes a blocked socket
//!   call see it (the wake-up itself, a socket call, is the binary's).

pub mod address;
pub mod console;
pub mod datagram;
pub mod failure;
pub mod flags;
pub mod input;
pub mod invisible;
pub mod narrate;
pub mod signals;
pub mod step;
pub mod stop;
pub mod text;
pub mod trace;

pub use address::{Endpoint, Host, PartialAddress};
pub use console::Console;
pub use failure::{Exit, Failure, StepResult};
pub use flags::Common;
pub use narrate::Narrator;
pub use step::Step;
pub use text::Utf8Stream;

/// The local address the kernel gave `socket`: after bind() to port 0, or
/// after connect(), this is where to find the port it picked.
pub fn local_address(socket: &socket2::Socket) -> Option<std::net::SocketAddr> {
    socket
        .local_addr()
        .ok()
        .and_then(|address| address.as_socket())
}
