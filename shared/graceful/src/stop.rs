//! Stopping a server that is blocked in a socket call.
//!
//! A server waiting in `accept()` or `recv_from()` cannot look at a flag.
//! So a stop does two things: it sets a flag, and it wakes the blocked
//! call, which then returns and lets the loop see the flag. How to wake
//! the call is the server's business (a throwaway connection, an empty
//! datagram), so each binary hands its own wake-up to [`Stopper::new`].

use std::fmt;
use std::sync::OnceLock;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Instant;

/// A stop flag, with the time it was set and the wake-up that makes a
/// blocked call see it.
pub struct Stopper {
    stopping: AtomicBool,
    /// When the stop was asked for; a grace period counts from here.
    stopped_at: OnceLock<Instant>,
    wake: Box<dyn Fn() + Send + Sync>,
}

impl fmt::Debug for Stopper {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Stopper")
            .field("stopping", &self.stopping)
            .field("stopped_at", &self.stopped_at)
            .finish_non_exhaustive()
    }
}

impl Stopper {
    /// A stopper that calls `wake` once, on the first stop.
    pub fn new(wake: impl Fn() + Send + Sync + 'static) -> Self {
        Self {
            stopping: AtomicBool::new(false),
            stopped_at: OnceLock::new(),
            wake: Box::new(wake),
        }
    }

    /// True once a stop was asked for.
    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    /// When the stop was asked for, once it was.
    pub fn stopped_at(&self) -> Option<Instant> {
        self.stopped_at.get().copied()
    }

    // ANCHOR: stop
    /// Asks the server to stop: sets the flag, then wakes the blocked
    /// call so that the loop sees it. Safe to call from any thread,
    /// including a handler's, and more than once; it waits for no handler.
    pub fn stop(&self) {
        if self.stopping.swap(true, Ordering::SeqCst) {
            return;
        }
        let _ = self.stopped_at.set(Instant::now());
        (self.wake)();
    }
    // ANCHOR_END: stop
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;
    use std::sync::atomic::AtomicUsize;

    /// The first stop sets the flag, notes the time and wakes; later stops
    /// change nothing.
    #[test]
    fn wakes_once() {
        let wakes = Arc::new(AtomicUsize::new(0));
        let counter = Arc::clone(&wakes);
        let stopper = Stopper::new(move || {
            counter.fetch_add(1, Ordering::SeqCst);
        });
        assert!(!stopper.is_stopping());
        assert_eq!(stopper.stopped_at(), None);
        stopper.stop();
        let at = stopper.stopped_at();
        stopper.stop();
        assert!(stopper.is_stopping());
        assert!(at.is_some());
        assert_eq!(stopper.stopped_at(), at);
        assert_eq!(wakes.load(Ordering::SeqCst), 1);
    }
}
