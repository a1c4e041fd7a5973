//! How every conversation runs: what the command line asked for, the same
//! for every client.

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
}

impl Settings {
    /// How long a handler may wait in one recv() or send() before it looks
    /// at the clock and the stop flag again.
    pub fn tick(&self) -> Duration {
        self.idle_timeout.map_or(TICK, |idle| idle.min(TICK))
    }
}

/// How `listen` reads in narration and errors: `127.0.0.1:10888 with
/// backlog 1`.
pub struct Backlog(pub std::net::SocketAddr, pub i32);

impl std::fmt::Display for Backlog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{} with backlog {}", self.0, self.1)
    }
}

/// Prints the `listening on` line, and a note when that is everywhere.
pub fn announce(
    console: &lesson::Console,
    local: std::net::SocketAddr,
    backlog: &Backlog,
    mode: &str,
) {
    console.status(format_args!(
        "listening on {local} (backlog {}, {mode}; Ctrl-C stops)",
        backlog.1
    ));
    if local.ip().is_unspecified() {
        let loopback = if local.is_ipv4() { "127.0.0.1" } else { "::1" };
        console.status(format_args!(
            "note: {} means every network interface, so other machines can \
             connect too; {loopback} keeps the server to this machine",
            local.ip()
        ));
    }
}
