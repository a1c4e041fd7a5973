//! What udp-server counts for its summary, and the seed of `--drop`.

use lesson::{Console, Step};
use shared::text::count;
use std::collections::HashSet;
use std::io;
use std::net::SocketAddr;

/// A seed for --drop when none is given: from the clock.
pub fn clock_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64 % 1_000_000)
}

/// What the summary line counts.
#[derive(Debug, Default)]
pub struct Totals {
    pub datagrams: u64,
    pub bytes: u64,
    pub senders: HashSet<SocketAddr>,
}

impl Totals {
    /// Counts what send_to() sent back, or reports why it could not.
    pub fn sent(
        &mut self,
        sent: io::Result<usize>,
        (local, to): (SocketAddr, SocketAddr),
        data: &[u8],
        console: &Console,
    ) {
        match sent {
            Ok(n) => {
                lesson::trace::datagram("send_to", None, Some(local), to, data);
                self.bytes += n as u64;
                let size = count(n as u64, "byte");
                let narrator = lesson::narrate::narrator();
                narrator.did(Step::SendTo, format_args!("{size} back to {to}"));
            }
            Err(e) => console.warn(format_args!(
                "cannot send to {to}: {}; still serving",
                lesson::failure::describe(&e)
            )),
        }
    }

    pub fn count(&mut self, sender: SocketAddr) {
        self.datagrams += 1;
        self.senders.insert(sender);
    }
}
