//! The roster of clients: who is connected, what was echoed, and the most
//! at once, for the summary; the slots of `--max-clients`; and, when the
//! server stops, the wait until every conversation has ended.

use crate::family::Stream;
use crate::waiting::Waiting;
use colored::Color;
use graceful::stop::Stopper;
use lesson::console::Output;
use lesson::lang::tr;
use lesson::{Console, Place, Step};
use std::collections::HashMap;
use std::fmt;
use std::net::Shutdown;
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Colors handed out to clients in turn, so a teacher can tell 30 students
/// apart at a glance.
pub const CLIENT_COLORS: [Color; 6] = [
    Color::Cyan,
    Color::Magenta,
    Color::Green,
    Color::Yellow,
    Color::Blue,
    Color::BrightRed,
];

/// One connected client.
#[derive(Debug)]
pub struct Client {
    pub stream: Stream,
    /// Where the client is: an address, or for a Unix socket its path, or
    /// `(unnamed)` when it bound none (the usual case).
    pub peer: Place,
    /// 1 for the first client of this run, 2 for the next, …
    pub turn: u64,
    /// What its recv() calls fill: made by the thread that accepted it
    /// when that must be able to fail (--threaded), else by its handler.
    pub buffer: Vec<u8>,
    /// Whether its handler waits in recv(), for a stop to say goodbye.
    pub waiting: Arc<Waiting>,
}

impl Client {
    /// The client's address, painted for `output` in the color of its
    /// turn number. A Unix client's comes with its number, `#1 (unnamed)`:
    /// unnamed clients all look alike.
    pub fn label(&self, console: &Console, output: Output) -> String {
        let index = (self.turn % CLIENT_COLORS.len() as u64) as usize;
        let name = crate::family::name(&self.peer, self.turn);
        console.paint(output, &name, CLIENT_COLORS[index])
    }
}

/// How accept() narrates a client: `client #1 from 127.0.0.1:50001`.
impl fmt::Display for Client {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", crate::messages::accepted(self.turn, &self.peer))
    }
}

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

impl Echoed {
    /// `4 reads, 26 bytes echoed`.
    pub fn counts(&self) -> String {
        let args = [("reads", self.reads.into()), ("bytes", self.bytes.into())];
        tr("server-counts", &args)
    }
}

/// The clients of one server, live and gone, and who announces them.
#[derive(Debug)]
pub struct Roster {
    console: Console,
    entries: Mutex<Entries>,
    changed: Condvar,
}

/// A connected client, as the stop sees it.
#[derive(Debug)]
struct Live {
    /// A handle to say goodbye or cut it off with (`None` once the
    /// handler is closing the connection itself).
    stream: Option<Stream>,
    waiting: Arc<Waiting>,
}

/// What the roster knows, behind its lock.
#[derive(Debug, Default)]
struct Entries {
    /// Connected clients by turn number.
    live: HashMap<u64, Live>,
    turns: u64,
    served: u64,
    /// Clients turned away because no thread could be started for them.
    refused: u64,
    reads: u64,
    bytes_echoed: u64,
    peak: usize,
    /// accept() calls failed in a row: the first is reported, the rest
    /// are counted until one succeeds again.
    accept_failures: u64,
    /// A stop was asked for.
    stopping: bool,
}

impl Roster {
    /// An empty roster that announces clients on `console`.
    pub fn new(console: Console) -> Self {
        Self {
            console,
            entries: Mutex::new(Entries::default()),
            changed: Condvar::new(),
        }
    }

    fn entries(&self) -> MutexGuard<'_, Entries> {
        // A thread that panicked while holding the lock left plain counters
        // behind, still good enough for a summary.
        self.entries
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Registers a new client and returns its turn number (1, 2, …).
    fn arrive(&self, stream: &Stream, waiting: &Arc<Waiting>) -> u64 {
        let mut entries = self.entries();
        entries.turns += 1;
        let turn = entries.turns;
        let stream = Some(stream.share());
        let waiting = Arc::clone(waiting);
        entries.live.insert(turn, Live { stream, waiting });
        entries.peak = entries.peak.max(entries.live.len());
        turn
    }

    /// Registers a connection that accept() returned, with its turn
    /// number, and records it in the trace. `waited` is when accept() was
    /// called. The caller tells the step; [`Roster::greet`] then prints
    /// the `connected` line.
    pub fn welcome(
        &self,
        stream: Stream,
        peer: Place,
        waited: Option<u64>,
    ) -> Client {
        let waiting = Arc::default();
        let turn = self.arrive(&stream, &waiting);
        lesson::trace::Event {
            start: waited,
            local: stream.local(),
            peer: Some(peer.clone()),
            conn: Some(turn),
            ..Default::default()
        }
        .record(Step::Accept);
        Client {
            stream,
            peer,
            turn,
            buffer: Vec::new(),
            waiting,
        }
    }

    /// Prints the `connected` line of a client accept() has returned, and
    /// says so if accept() had been failing until now.
    pub fn greet(&self, client: &Client) {
        let failures = std::mem::take(&mut self.entries().accept_failures);
        if failures > 0 {
            let args = [("failures", failures.into())];
            let line = tr("server-accept-works-again", &args);
            self.console.status(format_args!("{line}"));
        }
        let label = client.label(&self.console, Output::Stderr);
        crate::messages::connected(&self.console, &label);
    }

    /// Reports a failed accept() and pauses briefly. The listening socket
    /// stays fine, but some causes (out of file descriptors) fail again at
    /// once: the pause keeps the loop from spinning, and only the first
    /// failure in a row is reported (the next success tells how many).
    pub fn accept_failed(&self, e: &std::io::Error) {
        let failures = {
            let mut entries = self.entries();
            if entries.stopping {
                return;
            }
            entries.accept_failures += 1;
            entries.accept_failures
        };
        if failures == 1 {
            let why = lesson::failure::describe(e);
            let warning = tr("server-accept-failed", &[("why", why.into())]);
            self.console.warn(format_args!("{warning}"));
        }
        std::thread::sleep(Duration::from_millis(100));
    }

    /// Lets go of the handle to a client's connection, which the handler
    /// is about to close: a socket is closed (and its FIN sent) only when
    /// its last descriptor is, and the handle is one.
    pub fn let_go(&self, turn: u64) {
        if let Some(live) = self.entries().live.get_mut(&turn) {
            live.stream = None;
        }
    }

    /// Records that a client has left, with what it sent.
    pub fn leave(&self, turn: u64, echoed: Echoed) {
        let mut entries = self.entries();
        entries.live.remove(&turn);
        entries.served += 1;
        entries.reads += echoed.reads;
        entries.bytes_echoed += echoed.bytes;
        self.changed.notify_all();
    }

    /// Turns away a client that cannot be served (no thread for it, for
    /// the reason `why`): its connection is closed, and the server goes on
    /// with the others.
    pub fn refuse(&self, turn: u64, peer: &Place, why: &str) {
        let args = [("peer", peer.to_string().into()), ("why", why.into())];
        let warning = tr("server-no-thread", &args);
        self.console.warn(format_args!("{warning}"));
        let mut entries = self.entries();
        entries.live.remove(&turn);
        entries.refused += 1;
        self.changed.notify_all();
    }

    /// Waits until fewer than `max` clients are connected. Returns false if
    /// the server is stopping instead.
    pub fn wait_for_slot(&self, max: usize, stopper: &Stopper) -> bool {
        let mut entries = self.entries();
        let mut told = false;
        while entries.live.len() >= max && !stopper.is_stopping() {
            if !told {
                crate::messages::limit(&self.console, max);
                told = true;
            }
            entries = self
                .changed
                .wait(entries)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        !stopper.is_stopping()
    }

    /// Wakes a wait for a free slot, so that it sees a stop; from now on
    /// a failed accept() is the stop's wake-up, not worth a warning. Says
    /// goodbye (FIN) for every handler waiting in recv().
    pub fn wake_waiters(&self) {
        // Taken, so a waiter that has just checked the stop flag is in its
        // wait() by now and cannot miss this.
        let mut entries = self.entries();
        entries.stopping = true;
        for live in entries.live.values() {
            if let Some(stream) = &live.stream {
                live.waiting.say_goodbye(stream);
            }
        }
        drop(entries);
        self.changed.notify_all();
    }

    /// Waits until every conversation has ended, so that the summary counts
    /// all of them. Handlers end by themselves by `grace_ends`, those told
    /// goodbye while waiting in recv() once it returns: at `grace_ends` it
    /// is made to, by shutdown(Read). One still there half a second later
    /// (stuck outside a socket call) is cut off here, both ways, and given
    /// another half second. Returns how many had to be cut off.
    pub fn drain(&self, grace_ends: Instant) -> usize {
        let cut_at = grace_ends + Duration::from_millis(500);
        let give_up = cut_at + Duration::from_millis(500);
        let (mut woken, mut cut) = (false, 0);
        let mut entries = self.entries();
        while !entries.live.is_empty() {
            let now = Instant::now();
            if now >= give_up {
                break;
            }
            let streams =
                entries.live.values().filter_map(|l| l.stream.as_ref());
            if now >= grace_ends && !woken {
                for stream in streams {
                    let _ = stream.shutdown(Shutdown::Read);
                }
                woken = true;
            } else if now >= cut_at && cut == 0 {
                for stream in streams {
                    let _ = stream.shutdown(Shutdown::Both);
                }
                cut = entries.live.len();
            }
            let until = match (woken, cut) {
                (false, _) => grace_ends,
                (true, 0) => cut_at,
                _ => give_up,
            };
            entries = self
                .changed
                .wait_timeout(entries, until.saturating_duration_since(now))
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
        cut
    }

    /// One line: clients served, bytes echoed and the reads they came in,
    /// most clients at once; clients refused or never accounted, if any.
    pub fn summary(&self) -> String {
        let entries = self.entries();
        let (served, bytes) = (entries.served, entries.bytes_echoed);
        let mut line = crate::messages::summary(
            served,
            bytes,
            entries.reads,
            entries.peak,
        );
        if entries.refused > 0 {
            let args = [("refused", entries.refused.into())];
            line += &tr("server-stopped-refused", &args);
        }
        if !entries.live.is_empty() {
            let args = [("clients", entries.live.len().into())];
            line += &tr("server-stopped-unfinished", &args);
        }
        line
    }
}
