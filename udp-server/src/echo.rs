//! The echo's half of a request: showing it, the send_to() told at its
//! call the way `.told(…)` tells the other steps, and counting what went
//! back. Both designs answer a request this way.

use crate::request::Request;
use crate::show;
use crate::totals::{Echoed, Totals, Unanswered};
use lesson::lang::{lazy, tr};
use lesson::{Console, Place, Step};
use shared::datagram::is_bye;
use std::io;

/// Tells a send_to() that went out: traced with its bytes, and narrated
/// with `--explain`. `at` is when the call began (from
/// `lesson::trace::start()`): the client may record its receive before
/// this call returns. A failure is left to the caller, which warns and
/// goes on serving.
pub trait ToldBack {
    fn told_back(
        self,
        at: Option<u64>,
        local: &Place,
        to: &Place,
        data: &[u8],
    ) -> Self;
}

impl ToldBack for io::Result<usize> {
    fn told_back(
        self,
        at: Option<u64>,
        local: &Place,
        to: &Place,
        data: &[u8],
    ) -> Self {
        if let Ok(sent) = &self {
            let event = lesson::trace::Event {
                at,
                local: Some(local.clone()),
                peer: Some(to.clone()),
                bytes: Some(*sent as u64),
                datagram: Some(data),
                ..Default::default()
            };
            event.record_as(Step::SendTo.name());
            let bytes = *sent;
            let details = lazy(|| {
                let args =
                    [("bytes", bytes.into()), ("peer", to.to_string().into())];
                tr("udp-sent", &args)
            });
            let narrator = lesson::narrate::narrator();
            narrator.did(Step::SendTo, format_args!("{details}"));
        }
        self
    }
}

/// Makes a call again if a signal interrupted it. On a path, send_to()
/// may wait for room in the client's queue, and Ctrl-C then interrupts it:
/// the reply is still to be sent (the stop comes at the next receive).
pub fn again_if_interrupted(
    mut call: impl FnMut() -> io::Result<usize>,
) -> io::Result<usize> {
    loop {
        match call() {
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            done => return done,
        }
    }
}

/// What answering a request needs besides the socket: where to print,
/// how, and where to count the bytes echoed.
#[derive(Debug)]
pub struct Answer<'a> {
    pub console: &'a Console,
    pub local: Place,
    pub hex: bool,
    pub keep_open: bool,
    pub echoed: Echoed,
    pub unanswered: Unanswered,
}

impl<'a> Answer<'a> {
    /// Answers printed on `console`, for a server bound to `local`.
    pub fn new(
        console: &'a Console,
        local: Place,
        hex: bool,
        keep_open: bool,
    ) -> Self {
        Self {
            console,
            local,
            hex,
            keep_open,
            echoed: Echoed::default(),
            unanswered: Unanswered::default(),
        }
    }

    /// Shows a request; true when it is a `bye` that stops the server.
    pub fn shows_bye(&self, request: &Request) -> bool {
        let (sender, data) = (&request.sender, &request.data);
        show::datagram(self.console, sender, data, &request.received, self.hex);
        let stops = is_bye(data) && !self.keep_open;
        if stops {
            let args = [("sender", sender.to_string().into())];
            let line = tr("udp-bye", &args);
            self.console.status(format_args!("{line}"));
        }
        stops
    }

    /// True when no reply can reach the request's sender: an AF_UNIX
    /// socket that bound no path has no address to send to. Counted for
    /// the summary; the first one is explained in a warning.
    pub fn unanswerable(&self, request: &Request) -> bool {
        if request.sender != Place::Unnamed {
            return false;
        }
        if self.unanswered.add() {
            let args = [
                ("sender", Place::Unnamed.to_string().into()),
                ("number", request.number.into()),
            ];
            let warning = tr("udp-unnamed", &args);
            self.console.warn(format_args!("{warning}"));
        }
        true
    }

    /// Counts what a send_to() sent, or warns that it failed: the server
    /// goes on serving either way.
    pub fn counted(&self, sent: io::Result<usize>, to: &Place) {
        // The peer is written out only for a warning: not per echo.
        let peer = || ("peer", to.to_string().into());
        let warning = match sent {
            Ok(n) => return self.echoed.add(n),
            // AF_UNIX: the client's receive queue stayed full (see unix.rs).
            Err(e)
                if lesson::failure::is_timeout(&e)
                    && matches!(to, Place::Path(_)) =>
            {
                let seconds = crate::unix::SEND_PATIENCE.as_secs();
                tr("udp-queue-full", &[peer(), ("seconds", seconds.into())])
            }
            Err(e) => {
                let why = lesson::failure::describe(&e);
                tr("udp-send-failed", &[peer(), ("why", why.into())])
            }
        };
        self.console.warn(format_args!("{warning}"));
    }

    /// Prints the summary line of a server that has stopped.
    pub fn summary(&self, totals: &Totals) {
        let unanswered = match self.unanswered.total() {
            0 => String::new(),
            n => tr("udp-stopped-unanswered", &[("datagrams", n.into())]),
        };
        let args = [
            ("datagrams", totals.datagrams.into()),
            ("senders", totals.senders.len().into()),
            ("bytes", self.echoed.total().into()),
        ];
        let stopped = tr("udp-stopped", &args);
        self.console.status(format_args!("{stopped}{unanswered}"));
    }
}
