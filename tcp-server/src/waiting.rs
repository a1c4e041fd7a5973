//! A handler that waits in `recv()` for a client who sends nothing cannot
//! look at the stop flag. A timeout on every `recv()` would let it look
//! now and then, but the kernel then starts and cancels a timer for every
//! message, a few per cent of a `--threaded` echo. So a handler says when
//! it waits, and a stop says goodbye for it: FIN, at once. The client's
//! answer (its FIN, or more data) ends that `recv()`; without a timeout,
//! so does `shutdown(Read)` from the main thread when the grace period
//! ends.
//!
//! The handler sets "waiting" and then reads the stop flag; the stop sets
//! the flag and then reads "waiting" (all `SeqCst`). So at least one of
//! the two sees the other: a handler never starts a wait that nobody will
//! end, and a stop never sends FIN while the handler is sending.

use crate::family::Stream;
use graceful::stop::Stopper;
use std::net::Shutdown;
use std::sync::atomic::{AtomicU8, AtomicU64, Ordering::SeqCst};

/// Busy with the conversation: a stop is seen before the next `recv()`.
const BUSY: u8 = 0;
/// In `recv()`, or about to be, and may wait there for good.
const WAITING: u8 = 1;
/// The stop said goodbye (FIN) while the handler waited; this stays.
const TOLD: u8 = 2;

/// Whether a handler is waiting in `recv()`, shared with the roster, and
/// when the stop said goodbye for it (for `--trace` and `--explain`).
#[derive(Debug, Default)]
pub struct Waiting(AtomicU8, AtomicU64);

impl Waiting {
    /// Before a `recv()` that may wait for good. False when the server is
    /// stopping: then the handler says goodbye itself instead.
    pub fn start(&self, stopper: &Stopper) -> bool {
        let _ = self.0.compare_exchange(BUSY, WAITING, SeqCst, SeqCst);
        !stopper.is_stopping()
    }

    /// After the `recv()`: true when a stop has said goodbye meanwhile, so
    /// what it returned ends the conversation.
    pub fn end(&self) -> bool {
        let _ = self.0.compare_exchange(WAITING, BUSY, SeqCst, SeqCst);
        self.0.load(SeqCst) == TOLD
    }

    /// For the stop, after its flag is set: sends FIN on `stream` if its
    /// handler is waiting in `recv()` (or about to).
    pub fn say_goodbye(&self, stream: &Stream) {
        if self
            .0
            .compare_exchange(WAITING, TOLD, SeqCst, SeqCst)
            .is_ok()
        {
            self.1.store(lesson::trace::now(), SeqCst);
            let _ = stream.shutdown(Shutdown::Write);
        }
    }

    /// When the stop sent FIN for this handler (microseconds since the
    /// epoch, as traced), or `None` if it did not.
    pub fn told_at(&self) -> Option<u64> {
        (self.0.load(SeqCst) == TOLD).then(|| self.1.load(SeqCst))
    }
}
