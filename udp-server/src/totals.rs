//! What udp-server counts for its summary line.

use std::collections::HashSet;
use std::net::SocketAddr;
use std::sync::atomic::{AtomicU64, Ordering};

/// What the summary line counts. The server thread counts datagrams and
/// senders; the bytes echoed are added by whoever sends the echo (with
/// `--threaded`, several handler threads at once).
#[derive(Debug, Default)]
pub struct Totals {
    pub datagrams: u64,
    pub senders: HashSet<SocketAddr>,
}

impl Totals {
    /// Counts a datagram received from `sender`.
    pub fn count(&mut self, sender: SocketAddr) {
        self.datagrams += 1;
        self.senders.insert(sender);
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
