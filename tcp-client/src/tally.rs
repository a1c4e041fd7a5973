//! What both threads know about the conversation: how many bytes went out
//! and came back, which lines still await their echo, and how receiving
//! ended. The sending thread writes its side, the receiving thread its
//! own, and either waits here for the other.

use lesson::Failure;
use std::collections::VecDeque;
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Lines whose echo is still awaited, kept for the round-trip times; older
/// ones are forgotten, so memory does not grow with the input.
const TRACKED_LINES: usize = 1024;

/// How the conversation ended on the receiving side.
#[derive(Debug)]
pub enum End {
    /// recv() returned 0: the server closed its side (FIN).
    Closed,
    /// recv() failed, as when the server resets the connection.
    Failed(Failure),
    /// stdout is gone (`| head -1`): nobody reads what arrives.
    StdoutClosed,
    /// We stopped reading ourselves (Ctrl-C, or --wait-close ran out).
    Stopped,
}

/// How the receiving side ended, without the details.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndKind {
    Closed,
    StdoutClosed,
    Failed,
}

/// What a wait for an echo found.
#[derive(Debug, PartialEq, Eq)]
pub enum Echo {
    Back,
    Late,
    Ended,
}

/// The counters, behind the [`Tally`]'s lock.
#[derive(Debug)]
pub struct State {
    pub sent: u64,
    /// Bytes whose send() has been narrated: a read of their echo is
    /// narrated after that, never before.
    pub told: u64,
    pub received: u64,
    /// Bytes received and already shown: a wait for an echo ends on
    /// these, so the next line is sent (and told) after the echo is shown.
    pub shown: u64,
    pub reads: u64,
    /// (line number, stream offset of its last byte, when it was sent).
    lines: VecDeque<(u64, u64, Instant)>,
    pub last_arrival: Instant,
    /// When everything sent so far had come back.
    pub all_back_at: Option<Instant>,
    pub end: Option<End>,
    pub stopping: bool,
    /// The server's FIN has been narrated.
    pub told_fin: bool,
}

/// The counters, and a signal for whoever waits for them to change.
#[derive(Debug)]
pub struct Tally {
    state: Mutex<State>,
    changed: Condvar,
}

impl Tally {
    pub fn new() -> Self {
        Self {
            state: Mutex::new(State {
                sent: 0,
                told: 0,
                received: 0,
                shown: 0,
                reads: 0,
                lines: VecDeque::new(),
                last_arrival: Instant::now(),
                all_back_at: None,
                end: None,
                stopping: false,
                told_fin: false,
            }),
            changed: Condvar::new(),
        }
    }

    /// The counters. A thread that panicked holding them left them
    /// consistent (every update is a plain assignment), so they are used.
    pub fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Waits at most `left` for a change, with the counters unlocked.
    pub fn wait<'a>(
        &self,
        state: MutexGuard<'a, State>,
        left: Duration,
    ) -> MutexGuard<'a, State> {
        match self.changed.wait_timeout(state, left) {
            Ok((state, _)) => state,
            Err(p) => p.into_inner().0,
        }
    }

    /// Wakes every thread that waits for a change.
    pub fn changed(&self) {
        self.changed.notify_all();
    }

    /// Notes `n` bytes sent; `line` is the number of the line they end.
    pub fn sent(&self, n: usize, line: Option<u64>) {
        let mut state = self.lock();
        state.sent += n as u64;
        if state.received < state.sent {
            state.all_back_at = None;
        }
        if let Some(line) = line {
            if state.lines.len() == TRACKED_LINES {
                state.lines.pop_front();
            }
            let end = state.sent;
            state.lines.push_back((line, end, Instant::now()));
        }
    }

    /// Counts `n` bytes that arrived, and says how they compare with what
    /// was sent.
    pub fn arrived(&self, n: usize) -> Arrival {
        let mut state = self.lock();
        let now = Instant::now();
        let offset = state.received;
        state.received += n as u64;
        state.reads += 1;
        state.last_arrival = now;
        let mut completed = None;
        while let Some(&(line, end, sent_at)) = state.lines.front() {
            if end > state.received {
                break;
            }
            completed = Some((line, now - sent_at));
            state.lines.pop_front();
        }
        if state.received >= state.sent && state.all_back_at.is_none() {
            state.all_back_at = Some(now);
        }
        Arrival {
            reads: state.reads,
            offset: offset as usize,
            received: state.received,
            sent: state.sent,
            completed,
        }
    }

    /// Notes that the sends of the first `bytes` bytes have been narrated.
    pub fn told(&self, bytes: u64) {
        self.lock().told = bytes;
        self.changed();
    }

    /// Waits (briefly) until the sends whose echo may be in a read that
    /// brought the total to `received` are narrated, so that `--explain`
    /// tells send before recv.
    pub fn wait_until_told(&self, received: u64) {
        let deadline = Instant::now() + Duration::from_secs(1);
        let mut state = self.lock();
        while state.told < received.min(state.sent) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return; // A send still going on: tell the read anyway.
            }
            state = self.wait(state, left);
        }
    }

    /// Waits at most `timeout` until every byte sent so far has come back
    /// (what an echo server does), or the conversation ended.
    pub fn wait_for_echo(&self, timeout: Duration) -> Echo {
        let since = Instant::now();
        let narrator = lesson::narrate::narrator();
        let mut state = self.lock();
        let target = state.sent;
        loop {
            if state.end.is_some() {
                return Echo::Ended;
            }
            if state.shown >= target {
                return Echo::Back;
            }
            let why = lesson::lang::lazy(|| {
                lesson::lang::tr("client-waiting-echo", &[])
            });
            narrator.waiting_for(since, format_args!("{why}"));
            // A --step pause holding the echo back does not make it late.
            let Some(left) = narrator.time_left(since, timeout) else {
                return Echo::Late;
            };
            // Woken at least this often, to say what it waits for.
            let left = left.min(lesson::narrate::WAIT_WORTH_TELLING);
            state = self.wait(state, left);
        }
    }

    /// Waits at most `limit` for the receiving side to end: after a stop,
    /// it still reads (and shows) what the kernel had queued for it.
    pub fn wait_for_end(&self, limit: Duration) {
        let deadline = Instant::now() + limit;
        let mut state = self.lock();
        while state.end.is_none() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return;
            }
            state = self.wait(state, left);
        }
    }

    /// How the receiving side ended, if it has.
    pub fn ended(&self) -> Option<EndKind> {
        self.lock().end.as_ref().map(|end| match end {
            End::Closed => EndKind::Closed,
            End::StdoutClosed => EndKind::StdoutClosed,
            End::Failed(_) | End::Stopped => EndKind::Failed,
        })
    }

    /// What went wrong, when receiving failed.
    pub fn failure(&self) -> Option<String> {
        match &self.lock().end {
            Some(End::Failed(failure)) => Some(failure.to_string()),
            _ => None,
        }
    }

    /// Reads and bytes so far.
    pub fn totals(&self) -> (u64, u64) {
        let state = self.lock();
        (state.reads, state.received)
    }

    /// Exit 0 unless the connection failed.
    pub fn verdict(&self) -> Result<(), Failure> {
        match self.lock().end.take() {
            Some(End::Failed(failure)) => Err(failure),
            _ => Ok(()),
        }
    }
}

/// One read, compared with what was sent.
#[derive(Debug)]
pub struct Arrival {
    pub reads: u64,
    pub offset: usize,
    pub received: u64,
    sent: u64,
    /// The last line whose last byte came back with this read, and how
    /// long after it was sent.
    completed: Option<(u64, Duration)>,
}

impl std::fmt::Display for Arrival {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let line = self.completed.map(|(n, rtt)| (n, rtt.as_secs_f64() * 1e3));
        let note = crate::messages::arrival(self.received, self.sent, line);
        f.write_str(&note)
    }
}
