//! The event loop's counts for the summary: one thread owns them all, so
//! they are plain numbers, with no lock and no atomics.

use crate::roster::Echoed;

/// Clients served, what was echoed, and the most at once.
#[derive(Debug, Default)]
pub struct Tally {
    turns: u64,
    live: usize,
    served: u64,
    /// Clients closed at once because poll() could not watch them.
    refused: u64,
    reads: u64,
    bytes_echoed: u64,
    peak: usize,
}

impl Tally {
    /// A new client: returns its turn number (1, 2, …).
    pub fn arrive(&mut self) -> u64 {
        self.turns += 1;
        self.live += 1;
        self.peak = self.peak.max(self.live);
        self.turns
    }

    /// A client has left, with what was echoed to it.
    pub fn leave(&mut self, echoed: &Echoed) {
        self.live -= 1;
        self.served += 1;
        self.reads += echoed.reads;
        self.bytes_echoed += echoed.bytes;
    }

    /// A connection closed at once because it could not be registered.
    pub fn refuse(&mut self) {
        self.turns += 1;
        self.refused += 1;
    }

    /// The summary line, worded as the other designs word it.
    pub fn summary(&self) -> String {
        let (served, bytes) = (self.served, self.bytes_echoed);
        let mut line =
            crate::messages::summary(served, bytes, self.reads, self.peak);
        if self.refused > 0 {
            let args = [("refused", self.refused.into())];
            line += &lesson::lang::tr("server-stopped-refused-poll", &args);
        }
        line
    }
}
