//! The event loop's counts for the summary: one thread owns them all, so
//! they are plain numbers, with no lock and no atomics.

use lesson::count;
use lesson::{Console, Step};
use std::io;
use std::net::SocketAddr;
use std::time::Duration;

/// How one conversation went, for the summary.
#[derive(Debug, Default, Clone, Copy)]
pub struct Echoed {
    /// recv() calls that returned data (not messages: TCP has none).
    pub reads: u64,
    /// Bytes the kernel took from our send() calls.
    pub bytes: u64,
    /// Bytes received, for the trace's stream offsets.
    pub received: u64,
}

/// Why a conversation ended.
#[derive(Debug)]
pub enum Ending {
    /// The client closed its side, and all its echo was sent.
    Closed,
    /// No progress either way for --idle-timeout, waiting in this step.
    Idle(Step),
    /// The server is stopping; the last echo was sent.
    Stopping,
    /// The server is stopping, and the grace period ran out with echo
    /// still pending.
    CutOff,
    Failed(Step, io::Error),
}

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
        let mut line = format!(
            "served {}, echoed {} from {}, at most {} at once",
            count(self.served, "client"),
            count(self.bytes_echoed, "byte"),
            count(self.reads, "read"),
            self.peak
        );
        if self.refused > 0 {
            line += &format!(
                ", refused {} (poll() could not watch them)",
                self.refused
            );
        }
        line
    }
}

/// `4 reads, 26 bytes echoed`.
pub fn counts(echoed: &Echoed) -> String {
    format!(
        "{}, {} echoed",
        count(echoed.reads, "read"),
        count(echoed.bytes, "byte")
    )
}

/// The line that says how a conversation ended, worded as the other
/// designs word it. `label` is the client's painted address.
pub fn farewell(
    console: &Console,
    label: &str,
    ending: &Ending,
    echoed: &Echoed,
    idle: Duration,
) {
    let counts = counts(echoed);
    match &ending {
        Ending::Stopping => console.status(format_args!(
            "{label}: disconnected, the server is stopping ({counts})"
        )),
        Ending::CutOff => console.status(format_args!(
            "{label}: cut off, the server is stopping and the client \
                 took none of its echo in the grace period ({counts})"
        )),
        Ending::Closed => console
            .status(format_args!("{label} closed the connection ({counts})")),
        Ending::Idle(Step::Send) => console.status(format_args!(
            "{label} took none of its echo for {idle:?} (it is not \
                 reading): disconnecting (--idle-timeout) ({counts})"
        )),
        Ending::Idle(_) => console.status(format_args!(
            "{label} sent nothing for {idle:?}: disconnecting \
                 (--idle-timeout) ({counts})"
        )),
        Ending::Failed(step, e) => console.warn(format_args!(
            "{label}: {step} failed: {} ({counts}); serving the others",
            lesson::failure::describe(e)
        )),
    }
}

/// One connection, as --trace names it.
#[derive(Debug)]
pub struct Traced {
    pub local: Option<SocketAddr>,
    pub peer: SocketAddr,
    pub conn: u64,
}

impl Traced {
    /// Records `step`: `bytes` at `offset` in its direction of the stream
    /// (nothing for a close), the call begun at `at`.
    pub fn record(
        &self,
        step: Step,
        at: Option<u64>,
        bytes: usize,
        offset: u64,
    ) {
        let data = step != Step::Close;
        lesson::trace::Event {
            at,
            local: self.local,
            peer: Some(self.peer),
            conn: Some(self.conn),
            bytes: data.then_some(bytes as u64),
            offset: data.then_some(offset),
            ..Default::default()
        }
        .record(step);
    }

    /// Records a failed `step`.
    pub fn failed(&self, step: Step, e: &io::Error) {
        lesson::trace::Event {
            local: self.local,
            peer: Some(self.peer),
            conn: Some(self.conn),
            error: Some(lesson::failure::describe(e)),
            ..Default::default()
        }
        .record(step);
    }
}
