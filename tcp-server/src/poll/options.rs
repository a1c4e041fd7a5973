//! What the command line asked of the event loop.

use crate::args::Args;
use std::time::Duration;

/// What the command line asked of the event loop.
#[derive(Debug, Clone)]
pub struct Options {
    /// Bytes per recv().
    pub buffer: usize,
    pub idle_timeout: Option<Duration>,
    pub hex: bool,
    pub max_clients: usize,
    /// Stop after the first client leaves.
    pub once: bool,
}

impl Options {
    pub fn of(args: &Args) -> Self {
        Options {
            buffer: args.buffer,
            idle_timeout: args.idle_timeout,
            hex: args.common.hex,
            max_clients: args.max_clients as usize,
            once: args.once,
        }
    }
}
