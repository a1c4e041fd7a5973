//! The echo's half of a request: showing it, the send_to() told at its
//! call the way `.told(…)` tells the other steps, and counting what went
//! back. Both designs answer a request this way.

use crate::request::Request;
use crate::show;
use crate::totals::Echoed;
use lesson::count;
use lesson::{Console, Step};
use shared::datagram::is_bye;
use std::io;
use std::net::SocketAddr;

/// Tells a send_to() that went out: traced with its bytes, and narrated
/// with `--explain`. `at` is when the call began (from
/// `lesson::trace::start()`): the client may record its receive before
/// this call returns. A failure is left to the caller, which warns and
/// goes on serving.
pub trait ToldBack {
    fn told_back(
        self,
        at: Option<u64>,
        local: SocketAddr,
        to: SocketAddr,
        data: &[u8],
    ) -> Self;
}

impl ToldBack for io::Result<usize> {
    fn told_back(
        self,
        at: Option<u64>,
        local: SocketAddr,
        to: SocketAddr,
        data: &[u8],
    ) -> Self {
        if let Ok(sent) = &self {
            let event = lesson::trace::Event {
                at,
                local: Some(local.into()),
                peer: Some(to.into()),
                bytes: Some(*sent as u64),
                datagram: Some(data),
                ..Default::default()
            };
            event.record_as(Step::SendTo.name());
            let size = count(*sent as u64, "byte");
            let narrator = lesson::narrate::narrator();
            narrator.did(Step::SendTo, format_args!("{size} back to {to}"));
        }
        self
    }
}

/// What answering a request needs besides the socket: where to print,
/// how, and where to count the bytes echoed.
#[derive(Debug)]
pub struct Answer<'a> {
    pub console: &'a Console,
    pub local: SocketAddr,
    pub hex: bool,
    pub keep_open: bool,
    pub echoed: Echoed,
}

impl<'a> Answer<'a> {
    /// Answers printed on `console`, for a server bound to `local`.
    pub fn new(
        console: &'a Console,
        local: SocketAddr,
        hex: bool,
        keep_open: bool,
    ) -> Self {
        let echoed = Echoed::default();
        Self {
            console,
            local,
            hex,
            keep_open,
            echoed,
        }
    }

    /// Shows a request; true when it is a `bye` that stops the server.
    pub fn shows_bye(&self, request: &Request) -> bool {
        let (sender, data) = (request.sender, &request.data);
        show::datagram(self.console, sender, data, &request.received, self.hex);
        let stops = is_bye(data) && !self.keep_open;
        if stops {
            self.console
                .status(format_args!("{sender} sent bye: stopping"));
        }
        stops
    }

    /// Counts what a send_to() sent, or warns that it failed: the server
    /// goes on serving either way.
    pub fn counted(&self, sent: io::Result<usize>, to: SocketAddr) {
        match sent {
            Ok(n) => self.echoed.add(n),
            Err(e) => self.console.warn(format_args!(
                "cannot send to {to}: {}; still serving",
                lesson::failure::describe(&e)
            )),
        }
    }
}
