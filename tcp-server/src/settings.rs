//! How every conversation runs: what the command line asked for, the same
//! for every client.

use crate::args::Args;
use lesson::{Console, Narrator};
use std::time::Duration;

/// The longest a handler waits inside one recv() or send(). It then looks
/// at the clock (`--idle-timeout`) and at the stop flag, and waits again.
const TICK: Duration = Duration::from_millis(200);

/// The settings every conversation runs with.
#[derive(Debug)]
pub struct Settings {
    pub console: Console,
    pub narrator: &'static Narrator,
    /// Bytes per `recv()`.
    pub buffer: usize,
    /// Disconnect a client that makes no progress either way for this
    /// long: nothing received, and none of its echo taken.
    pub idle_timeout: Option<Duration>,
    /// Show each chunk received as a hex dump too (`--hex`).
    pub hex: bool,
    /// A thread per client (`--threaded`): the main thread is free to end
    /// a wait in recv() at the stop.
    pub threaded: bool,
}

impl Settings {
    /// The settings the command line asks for.
    pub fn new(
        args: &Args,
        console: &Console,
        narrator: &'static Narrator,
    ) -> Self {
        Self {
            console: console.clone(),
            narrator,
            buffer: args.buffer,
            idle_timeout: args.idle_timeout,
            hex: args.common.hex,
            threaded: args.threaded,
        }
    }

    /// How long a handler may wait in one recv() or send() before it looks
    /// at the clock and the stop flag again.
    pub fn tick(&self) -> Duration {
        self.idle_timeout.map_or(TICK, |idle| idle.min(TICK))
    }

    /// The same for recv(), where `None` is no limit: with `--threaded`
    /// and no `--idle-timeout` nothing needs the clock, and the stop ends
    /// the wait (see `waiting.rs`). The sequential server talks on the
    /// main thread, the one that would end it: it keeps the tick.
    pub fn recv_tick(&self) -> Option<Duration> {
        let untimed = self.threaded && self.idle_timeout.is_none();
        (!untimed).then(|| self.tick())
    }
}
