//! How the listening socket is described: `listen`'s target in narration
//! and errors, and the `listening on` line.

use lesson::count;
use lesson::{Console, Place};
use std::fmt;

/// How `listen` reads in narration and errors: `127.0.0.1:10888 with
/// backlog 1`, or `./echo.sock with backlog 1`.
pub struct Backlog(pub Place, pub i32);

impl fmt::Display for Backlog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{} with backlog {}", self.0, self.1)
    }
}

/// Prints the `listening on` line, and a note when that is everywhere.
/// `max_clients` is the limit of `--threaded`, `None` one at a time.
pub fn announce(
    console: &Console,
    local: &Place,
    backlog: i32,
    max_clients: Option<u32>,
) {
    let mode = match max_clients {
        Some(max) => {
            format!("up to {} at once", count(u64::from(max), "client"))
        }
        None => "one client at a time".to_string(),
    };
    console.status(format_args!(
        "listening on {local} (backlog {backlog}, {mode}; Ctrl-C stops)"
    ));
    if let Place::Inet(local) = local
        && local.ip().is_unspecified()
    {
        let loopback = if local.is_ipv4() { "127.0.0.1" } else { "::1" };
        console.status(format_args!(
            "note: {} means every network interface, so other machines can \
             connect too; {loopback} keeps the server to this machine",
            local.ip()
        ));
    }
}

/// A name that the resolver knows but that stands for no address.
pub fn no_address() -> std::io::Error {
    std::io::Error::other("the name resolves to no address")
}
