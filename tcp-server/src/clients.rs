//! Bookkeeping shared by everything that serves clients: who is connected,
//! what was echoed, and how the server stops.
//!
//! None of this is part of the socket lifecycle; it is kept here so that
//! `main.rs` and `echo.rs` show only the calls a student should follow.

use shared::console::Output;
use shared::text::count;
use shared::{Console, Narrator, Step};
use std::collections::HashMap;
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, OnceLock};
use std::time::{Duration, Instant};

/// How long conversations may go on once a stop is asked: time to finish
/// the echo under way and to say goodbye.
pub const GRACE: Duration = Duration::from_secs(2);

/// The longest a handler waits inside one recv() or send(). It then looks
/// at the clock (`--idle-timeout`) and at the stop flag, and waits again.
const TICK: Duration = Duration::from_millis(200);

/// Settings and state that every conversation can see.
#[derive(Debug)]
pub struct Shared {
    pub console: Console,
    pub narrator: &'static Narrator,
    /// Bytes per `recv()`.
    pub buffer: usize,
    /// Disconnect a client that makes no progress either way for this
    /// long: nothing received, and none of its echo taken.
    pub idle_timeout: Option<Duration>,
    /// Show each chunk received as a hex dump too (`--hex`).
    pub hex: bool,
    /// Where a throwaway connection wakes up a blocked `accept()`.
    wake_at: SocketAddr,
    stopping: AtomicBool,
    /// When the stop was asked for; the grace period counts from here.
    stopped_at: OnceLock<Instant>,
    roster: Mutex<Roster>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct Roster {
    /// Connected clients by turn number, with a handle to cut them off.
    live: HashMap<u64, TcpStream>,
    turns: u64,
    served: u64,
    /// Clients turned away because no thread could be started for them.
    refused: u64,
    reads: u64,
    bytes_echoed: u64,
    peak: usize,
}

/// One connected client.
#[derive(Debug)]
pub struct Client {
    pub stream: TcpStream,
    pub peer: SocketAddr,
    /// 1 for the first client of this run, 2 for the next, …
    pub turn: u64,
}

/// How one conversation went, for the summary.
#[derive(Debug, Default, Clone, Copy)]
pub struct Tally {
    /// recv() calls that returned data (not messages: TCP has none).
    pub reads: u64,
    /// Bytes the kernel took from our send() calls.
    pub bytes: u64,
}

impl Tally {
    /// `4 reads, 26 bytes echoed`.
    pub fn counts(&self) -> String {
        format!(
            "{}, {} echoed",
            count(self.reads, "read"),
            count(self.bytes, "byte")
        )
    }
}

impl Shared {
    pub fn new(
        console: Console,
        narrator: &'static Narrator,
        buffer: usize,
        idle_timeout: Option<Duration>,
        hex: bool,
        listening_on: SocketAddr,
    ) -> Self {
        // A listener on 0.0.0.0 or :: is reached through loopback.
        let wake_at = shared::address::reachable(listening_on);
        Self {
            console,
            narrator,
            buffer,
            idle_timeout,
            hex,
            wake_at,
            stopping: AtomicBool::new(false),
            stopped_at: OnceLock::new(),
            roster: Mutex::new(Roster::default()),
            changed: Condvar::new(),
        }
    }

    fn roster(&self) -> MutexGuard<'_, Roster> {
        // A thread that panicked while holding the lock left plain counters
        // behind, still good enough for a summary.
        self.roster
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }

    /// Registers a new client and returns its turn number (1, 2, …).
    fn arrive(&self, stream: &TcpStream) -> u64 {
        let mut roster = self.roster();
        roster.turns += 1;
        let turn = roster.turns;
        if let Ok(handle) = stream.try_clone() {
            roster.live.insert(turn, handle);
        }
        roster.peak = roster.peak.max(roster.live.len());
        turn
    }

    /// Registers a connection that accept() returned, and announces it.
    pub fn welcome(&self, stream: TcpStream, peer: SocketAddr) -> Client {
        let turn = self.arrive(&stream);
        self.narrator
            .did(Step::Accept, format_args!("client #{turn} from {peer}"));
        let label =
            self.console
                .paint_client(Output::Stderr, &peer.to_string(), turn);
        self.console.status(format_args!("{label} connected"));
        Client { stream, peer, turn }
    }

    /// Reports a failed accept() and pauses briefly. The listening socket
    /// stays fine, but some causes (out of file descriptors) fail again at
    /// once: the pause keeps the loop from spinning.
    pub fn accept_failed(&self, e: &std::io::Error) {
        self.console.warn(format_args!(
            "accept failed: {}; still listening",
            shared::failure::describe(e)
        ));
        std::thread::sleep(Duration::from_millis(100));
    }

    /// Records that a client has left, with what it sent.
    pub fn leave(&self, turn: u64, tally: Tally) {
        let mut roster = self.roster();
        roster.live.remove(&turn);
        roster.served += 1;
        roster.reads += tally.reads;
        roster.bytes_echoed += tally.bytes;
        self.changed.notify_all();
    }

    /// Turns away a client that cannot be served (no thread for it): its
    /// connection is closed, and the server goes on with the others.
    pub fn refuse(&self, turn: u64, peer: SocketAddr, e: &std::io::Error) {
        self.console.warn(format_args!(
            "cannot start a thread for {peer}: {}; closing its connection, \
             still serving the others",
            shared::failure::describe(e)
        ));
        let mut roster = self.roster();
        roster.live.remove(&turn);
        roster.refused += 1;
        self.changed.notify_all();
    }

    /// How long a handler may wait in one recv() or send() before it looks
    /// at the clock and the stop flag again.
    pub fn tick(&self) -> Duration {
        self.idle_timeout.map_or(TICK, |idle| idle.min(TICK))
    }

    /// True once the grace period after a stop is over: conversations
    /// still going on are cut off.
    pub fn grace_over(&self) -> bool {
        self.stopped_at
            .get()
            .is_some_and(|at| at.elapsed() >= GRACE)
    }

    /// Waits until fewer than `max` clients are connected. Returns false if
    /// the server is stopping instead.
    pub fn wait_for_slot(&self, max: usize) -> bool {
        let mut roster = self.roster();
        let mut told = false;
        while roster.live.len() >= max && !self.is_stopping() {
            if !told {
                self.console.status(format_args!(
                    "{max} clients connected, the limit: new clients wait in \
                     the listen backlog until one leaves"
                ));
                told = true;
            }
            roster = self
                .changed
                .wait(roster)
                .unwrap_or_else(|poisoned| poisoned.into_inner());
        }
        !self.is_stopping()
    }

    /// True once a stop was asked for.
    pub fn is_stopping(&self) -> bool {
        self.stopping.load(Ordering::SeqCst)
    }

    // ANCHOR: stop
    /// Asks the server to stop: no more `accept()`, and every handler
    /// winds its conversation up (each looks at the flag at least every
    /// `TICK`). Safe to call from any thread, including a handler's; it
    /// waits for nothing.
    pub fn stop(&self) {
        if self.stopping.swap(true, Ordering::SeqCst) {
            return;
        }
        let _ = self.stopped_at.set(Instant::now());
        // accept() cannot see a flag while it blocks: a throwaway
        // connection makes it return, and the loop then sees the flag.
        let _ =
            TcpStream::connect_timeout(&self.wake_at, Duration::from_secs(1));
        self.changed.notify_all();
    }
    // ANCHOR_END: stop

    /// Waits until every conversation has ended, so that the summary counts
    /// all of them. Handlers end by themselves within the grace period; one
    /// still there half a second later (stuck outside a socket call) is cut
    /// off here, both ways, and given another half second. Returns how many
    /// had to be cut off.
    pub fn drain(&self) -> usize {
        let start = self.stopped_at.get().copied().unwrap_or_else(Instant::now);
        let cut_at = start + GRACE + Duration::from_millis(500);
        let give_up = cut_at + Duration::from_millis(500);
        let mut cut = 0;
        let mut roster = self.roster();
        while !roster.live.is_empty() {
            let now = Instant::now();
            if now >= give_up {
                break;
            }
            if now >= cut_at && cut == 0 {
                for stream in roster.live.values() {
                    let _ = stream.shutdown(Shutdown::Both);
                }
                cut = roster.live.len();
            }
            let until = if cut == 0 { cut_at } else { give_up };
            roster = self
                .changed
                .wait_timeout(roster, until.saturating_duration_since(now))
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
        cut
    }

    /// One line: clients served, bytes echoed and the reads they came in,
    /// most clients at once; clients refused or never accounted, if any.
    pub fn summary(&self) -> String {
        let roster = self.roster();
        let mut line = format!(
            "served {}, echoed {} from {}, at most {} at once",
            count(roster.served, "client"),
            count(roster.bytes_echoed, "byte"),
            count(roster.reads, "read"),
            roster.peak
        );
        if roster.refused > 0 {
            line += &format!(", refused {} (no thread)", roster.refused);
        }
        if !roster.live.is_empty() {
            line += &format!(
                "; {} never finished and {} not counted",
                count(roster.live.len() as u64, "client"),
                if roster.live.len() == 1 { "is" } else { "are" }
            );
        }
        line
    }
}
