//! What udp-server counts for its summary line.

use std::collections::HashSet;
use std::net::SocketAddr;

/// What the summary line counts.
#[derive(Debug, Default)]
pub struct Totals {
    pub datagrams: u64,
    pub bytes: u64,
    pub senders: HashSet<SocketAddr>,
}

impl Totals {
    /// Counts a datagram received from `sender`.
    pub fn count(&mut self, sender: SocketAddr) {
        self.datagrams += 1;
        self.senders.insert(sender);
    }
}
