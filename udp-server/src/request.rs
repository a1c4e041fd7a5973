//! What the server does with a datagram before anyone answers it: it
//! becomes a *request* (socketserver's word): the bytes and who sent them.
//!
//! Both designs share this half: the sequential server answers the request
//! itself, `--threaded` hands it to a handler thread (see `threaded.rs`).

use crate::buffer::REAL_LENGTH;
use crate::loss::Loss;
use crate::totals::Totals;
use lesson::lang::{lazy, tr};
use lesson::{Console, Failure, Place, Step};
use shared::datagram::Received;
use socket2::SockAddr;

/// One datagram to answer: its bytes, its sender as shown and as the
/// address to reply to, and its number in the order the server received
/// them.
#[derive(Debug)]
pub struct Request {
    pub number: u64,
    pub data: Vec<u8>,
    pub sender: Place,
    pub address: SockAddr,
    pub received: Received,
}

/// The sender of a datagram as narration shows it: an IP address and
/// port, a path, or (an AF_UNIX socket that bound none) unnamed.
pub fn place_of(address: &SockAddr) -> Place {
    if let Some(inet) = address.as_socket() {
        return Place::Inet(inet);
    }
    #[cfg(unix)]
    if let Some(path) = address.as_pathname() {
        return Place::unix(Some(path));
    }
    // Linux's abstract names (no file; Python binds them with "\0name").
    #[cfg(any(target_os = "linux", target_os = "android"))]
    if let Some(name) = address.as_abstract_namespace() {
        let name = String::from_utf8_lossy(name);
        return Place::Path(format!("@{name}").into());
    }
    Place::Unnamed
}

/// The server's side of each datagram: counting, tracing and telling its
/// recv_from(), and the simulated loss of `--drop`.
#[derive(Debug)]
pub struct Intake {
    pub local: Place,
    /// Bytes to ask for in each recv_from() (`--buffer`).
    pub buffer: usize,
    pub totals: Totals,
    console: Console,
    loss: Option<Loss>,
}

impl Intake {
    pub fn new(
        local: Place,
        console: &Console,
        loss: Option<Loss>,
        buffer: usize,
    ) -> Self {
        let console = console.clone();
        let totals = Totals::default();
        Self {
            local,
            buffer,
            totals,
            console,
            loss,
        }
    }

    /// Says so when the datagram that came in after a stop was a real one,
    /// not the stop's empty wake-up: it is neither answered nor counted.
    pub fn after_stop(&self, size: usize, sender: &SockAddr) {
        if size > 0 {
            let args = [
                ("sender", place_of(sender).to_string().into()),
                ("bytes", size.into()),
            ];
            let line = tr("udp-after-stop", &args);
            self.console.status(format_args!("{line}"));
        }
    }

    /// Turns what a recv_from() returned into a request: `size` and
    /// `truncated` as the call reported them, `buffer` the bytes it filled
    /// in. `None` when `--drop` throws the datagram away.
    pub fn take(
        &mut self,
        buffer: &[u8],
        (size, truncated): (usize, bool),
        sender: &SockAddr,
        waited: Option<u64>,
    ) -> Result<Option<Request>, Failure> {
        // Linux, asked with MSG_TRUNC, returns the real size, even if cut.
        let received =
            Received::new(size, truncated, buffer.len(), REAL_LENGTH != 0);
        let (address, sender) = (sender.clone(), place_of(sender));
        let data = &buffer[..received.kept];
        self.totals.count(&sender);
        let number = self.totals.datagrams;
        let dropped = self.loss.as_mut().is_some_and(Loss::drops_next);
        let step = match dropped {
            true => lesson::trace::DROP,
            false => Step::RecvFrom.name(),
        };
        let (local, from) = (Some(self.local.clone()), sender.clone());
        lesson::trace::datagram(step, waited, local, from, data);
        let narrator = lesson::narrate::narrator();
        let args = || {
            [
                ("number", number.into()),
                ("bytes", data.len().into()),
                ("sender", sender.to_string().into()),
            ]
        };
        let details = lazy(|| tr("udp-received", &args()));
        narrator.did(Step::RecvFrom, format_args!("{details}"));
        if dropped {
            let line = tr("udp-dropped", &args());
            self.console.status(format_args!("{line}"));
            return Ok(None);
        }
        let data = data.to_vec();
        Ok(Some(Request {
            number,
            data,
            sender,
            address,
            received,
        }))
    }
}
