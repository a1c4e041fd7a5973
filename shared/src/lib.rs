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
//! - [`narrate`]: the names of the lifecycle steps, one sentence about what
//!   the operating system does at each, and the `--explain` / `--step`
//!   machinery;
//! - [`cli`]: the command-line flags all four programs share, exit codes
//!   and one-line errors;
//! - [`console`]: stdout for data, stderr for everything else, colors only
//!   where that stream is a terminal;
//! - [`signals`]: turning Ctrl-C and SIGTERM into a graceful stop.

pub mod address;
pub mod cli;
pub mod console;
pub mod datagram;
pub mod input;
pub mod narrate;
pub mod signals;
pub mod text;

pub use address::{Endpoint, Host, PartialAddress};
pub use cli::{Common, Exit, Failure, StepResult};
pub use console::Console;
pub use narrate::{Narrator, Step};
pub use text::Utf8Stream;
