//! The echo's send_to(), told at its call the way `.told(…)` tells the
//! other steps.

use lesson::Step;
use lesson::count;
use std::io;
use std::net::SocketAddr;

/// Tells a send_to() that went out: traced with its bytes, and narrated
/// with `--explain`. A failure is left to the caller, which warns and goes
/// on serving.
pub trait ToldBack {
    fn told_back(self, local: SocketAddr, to: SocketAddr, data: &[u8]) -> Self;
}

impl ToldBack for io::Result<usize> {
    fn told_back(self, local: SocketAddr, to: SocketAddr, data: &[u8]) -> Self {
        if let Ok(sent) = &self {
            lesson::trace::datagram("send_to", None, Some(local), to, data);
            let size = count(*sent as u64, "byte");
            let narrator = lesson::narrate::narrator();
            narrator.did(Step::SendTo, format_args!("{size} back to {to}"));
        }
        self
    }
}
