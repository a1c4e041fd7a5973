//! Bookkeeping shared by everything that serves clients: who is connected,
//! what was echoed, and how the server stops.
//!
//! None of this is part of the socket lifecycle; it is kept here so that
//! `main.rs` and `echo.rs` show only the calls a student should follow.

use shared::console::Stream;
use shared::{Console, Narrator, Step};
use std::collections::HashMap;
use std::net::{Ipv4Addr, Ipv6Addr, Shutdown, SocketAddr, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Settings and state that every conversation can see.
#[derive(Debug)]
pub struct Shared {
    pub console: Console,
    pub narrator: Narrator,
    /// Bytes per `recv()`.
    pub buffer: usize,
    /// Disconnect a client that sends nothing for this long.
    pub idle_timeout: Option<Duration>,
    /// Show each chunk received as a hex dump too (`--hex`).
    pub hex: bool,
    /// Where a throwaway connection wakes up a blocked `accept()`.
    wake_at: SocketAddr,
    stopping: AtomicBool,
    roster: Mutex<Roster>,
    changed: Condvar,
}

#[derive(Debug, Default)]
struct Roster {
    /// Connected clients by turn number, with a handle to cut them off.
    live: HashMap<u64, TcpStream>,
    turns: u64,
    served: u64,
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
    pub messages: u64,
    pub bytes: u64,
}

impl Shared {
    pub fn new(
        console: Console,
        narrator: Narrator,
        buffer: usize,
        idle_timeout: Option<Duration>,
        hex: bool,
        listening_on: SocketAddr,
    ) -> Self {
        // A listener on 0.0.0.0 or :: is reached through loopback.
        let mut wake_at = listening_on;
        if wake_at.ip().is_unspecified() {
            wake_at.set_ip(match wake_at {
                SocketAddr::V4(_) => Ipv4Addr::LOCALHOST.into(),
                SocketAddr::V6(_) => Ipv6Addr::LOCALHOST.into(),
            });
        }
        Self {
            console,
            narrator,
            buffer,
            idle_timeout,
            hex,
            wake_at,
            stopping: AtomicBool::new(false),
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
            .explain(Step::Accept, format_args!("client #{turn} from {peer}"));
        let label =
            self.console
                .paint_client(Stream::Err, &peer.to_string(), turn);
        self.console.status(format_args!("{label} connected"));
        Client { stream, peer, turn }
    }

    /// Reports a failed accept() and pauses briefly. The listening socket
    /// stays fine, but some causes (out of file descriptors) fail again at
    /// once: the pause keeps the loop from spinning.
    pub fn accept_failed(&self, e: &std::io::Error) {
        self.console.warn(format_args!(
            "accept failed: {}; still listening",
            shared::cli::describe(e)
        ));
        std::thread::sleep(Duration::from_millis(100));
    }

    /// Records that a client has left, with what it sent.
    pub fn leave(&self, turn: u64, tally: Tally) {
        let mut roster = self.roster();
        roster.live.remove(&turn);
        roster.served += 1;
        roster.bytes_echoed += tally.bytes;
        self.changed.notify_all();
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
    /// Asks the server to stop: no more `accept()`, and every client's
    /// next `recv()` reads end-of-stream. Safe to call from any thread,
    /// including a handler's; it waits for nothing.
    pub fn stop(&self) {
        if self.stopping.swap(true, Ordering::SeqCst) {
            return;
        }
        // accept() cannot see a flag while it blocks: a throwaway
        // connection makes it return, and the loop then sees the flag.
        let _ =
            TcpStream::connect_timeout(&self.wake_at, Duration::from_secs(1));
        // Closing the read side makes a blocked recv() return 0 bytes; an
        // echo already under way can still be sent back.
        for stream in self.roster().live.values() {
            let _ = stream.shutdown(Shutdown::Read);
        }
        self.changed.notify_all();
    }
    // ANCHOR_END: stop

    /// Gives connected clients up to `grace` to finish, then cuts off the
    /// rest. Returns how many had to be cut off.
    pub fn drain(&self, grace: Duration) -> usize {
        let deadline = Instant::now() + grace;
        let mut roster = self.roster();
        while !roster.live.is_empty() {
            let now = Instant::now();
            if now >= deadline {
                for stream in roster.live.values() {
                    let _ = stream.shutdown(Shutdown::Both);
                }
                return roster.live.len();
            }
            roster = self
                .changed
                .wait_timeout(roster, deadline - now)
                .unwrap_or_else(|poisoned| poisoned.into_inner())
                .0;
        }
        0
    }

    /// One line: clients served, bytes echoed, most clients at once.
    pub fn summary(&self) -> String {
        let roster = self.roster();
        let plural = if roster.served == 1 { "" } else { "s" };
        format!(
            "served {} client{plural}, echoed {} bytes, at most {} at once",
            roster.served, roster.bytes_echoed, roster.peak
        )
    }
}
