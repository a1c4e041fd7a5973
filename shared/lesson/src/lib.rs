//! The lesson harness: what the four programs do around their socket
//! calls, kept out of the binaries so that the calls stand out.
//!
//! - [`step`]: the lifecycle steps and what the operating system does at
//!   each;
//! - [`narrate`]: `--explain` and `--step`, and [`narrate::Told`], the one
//!   call that ends each step in a binary;
//! - [`trace`]: `--trace FILE`, one JSON line per lifecycle event;
//! - [`flags`]: the command-line flags all four programs share;
//! - [`failure`]: one-line errors with a hint, and the exit codes;
//! - [`hex`]: the `--hex` dump;
//! - [`place`]: a socket's address in either family, as it is shown;
//! - [`socket_file`]: a Unix socket's file: what blocks bind(), removal;
//! - [`lang`]: English or Chinese, and the Fluent catalogs of messages;
//! - [`console`]: stdout for data, stderr for everything else, colors only
//!   where that stream is a terminal.

pub mod console;
pub mod failure;
pub mod flags;
pub mod hex;
pub mod lang;
pub mod narrate;
pub mod place;
pub mod socket_file;
pub mod step;
pub mod trace;

pub use console::Console;
pub use failure::{Exit, Failure, StepResult};
pub use flags::Common;
pub use narrate::Narrator;
pub use place::Place;
pub use step::Step;
