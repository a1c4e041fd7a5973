//! How the listening socket is described: `listen`'s target in narration
//! and errors, and the `listening on` line.

use lesson::lang::tr;
use lesson::{Console, Place};
use std::fmt;

/// How `listen` reads in narration and errors: `127.0.0.1:10888 with
/// backlog 1`, or `./echo.sock with backlog 1`.
pub struct Backlog(pub Place, pub i32);

impl fmt::Display for Backlog {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let (address, backlog) = (self.0.to_string(), self.1);
        let args = [("address", address.into()), ("backlog", backlog.into())];
        f.write_str(&tr("server-backlog", &args))
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
    let address = local.to_string();
    let line = match max_clients {
        Some(max) => tr(
            "server-listening-many",
            &[
                ("address", address.into()),
                ("backlog", backlog.into()),
                ("max", max.into()),
            ],
        ),
        None => tr(
            "server-listening-one",
            &[("address", address.into()), ("backlog", backlog.into())],
        ),
    };
    console.status(format_args!("{line}"));
    if let Place::Inet(local) = local
        && local.ip().is_unspecified()
    {
        let loopback = if local.is_ipv4() { "127.0.0.1" } else { "::1" };
        let ip = local.ip().to_string();
        let args = [("ip", ip.into()), ("loopback", loopback.into())];
        console.status(format_args!("{}", tr("server-everywhere", &args)));
    }
}

/// close's details for the listening socket.
pub fn closed(local: &Place) -> String {
    tr(
        "server-close-listener",
        &[("address", local.to_string().into())],
    )
}

/// A name that the resolver knows but that stands for no address.
pub fn no_address() -> std::io::Error {
    std::io::Error::other(tr("server-no-address", &[]))
}
