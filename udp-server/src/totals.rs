//! What udp-server counts for its summary line.

use lesson::Place;
use std::collections::HashSet;
use std::sync::atomic::{AtomicU64, Ordering};

/// What the summary line counts. The server thread counts datagrams and
/// senders; the bytes echoed are added by whoever sends the echo (with
/// `--threaded`, several handler threads at once). Unnamed AF_UNIX
/// sockets are not told apart, so they count as no sender.
#[derive(Debug, Default)]
pub struct Totals {
    pub datagrams: u64,
    pub senders: HashSet<Place>,
}

impl Totals {
    /// Counts a datagram received from `sender`.
    pub fn count(&mut self, sender: &Place) {
        self.datagrams += 1;
        if *sender != Place::Unnamed {
            self.senders.insert(sender.clone());
        }
    }
}

/// The bytes echoed, counted by every thread that sends an echo.
#[derive(Debug, Default)]
pub struct Echoed(AtomicU64);

impl Echoed {
    pub fn add(&self, bytes: usize) {
        self.0.fetch_add(bytes as u64, Ordering::Relaxed);
    }

    pub fn total(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}

/// The datagrams no reply could go to: their AF_UNIX sender bound no
/// path. Counted by whoever answers, as [`Echoed`] is.
#[derive(Debug, Default)]
pub struct Unanswered(AtomicU64);

impl Unanswered {
    /// Counts one; true for the first.
    pub fn add(&self) -> bool {
        self.0.fetch_add(1, Ordering::Relaxed) == 0
    }

    pub fn total(&self) -> u64 {
        self.0.load(Ordering::Relaxed)
    }
}
