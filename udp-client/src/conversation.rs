//! The conversation both threads share: the lines sent, the replies seen,
//! and how it ended.
//!
//! UDP promises nothing: a datagram or its reply may be lost, come late,
//! or come twice, and nobody says so. The sending side ([`crate::talk`])
//! waits a bounded time (`--timeout`) for each reply, and with `--retries`
//! sends again: reliability, if wanted, is the application's job. The
//! receiving side ([`crate::receive`]) prints every reply the moment it
//! arrives and says which line it answers.

use crate::args::Args;
use crate::messages::{self, about, plain};
use input::Waker;
use lesson::{Console, Failure, Narrator, Place, Step};
use socket2::Socket;
use std::collections::VecDeque;
use std::io::{self, ErrorKind};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// The largest UDP payload over IPv4: 65,535 (the IPv4 length field) minus
/// 20 bytes of IPv4 header minus 8 bytes of UDP header.
const MAX_PAYLOAD_V4: usize = 65_507;

/// The largest UDP payload over IPv6 without jumbograms: 65,535 (the IPv6
/// payload length, which does not count the IPv6 header) minus 8.
const MAX_PAYLOAD_V6: usize = 65_527;

/// A line sent, waiting for its reply.
#[derive(Debug)]
pub struct Request {
    pub line: u64,
    pub bytes: Vec<u8>,
    /// When it was last sent, and how many times.
    pub sent_at: Instant,
    pub sends: u32,
    pub answered: bool,
}

/// What both threads know.
#[derive(Debug, Default)]
pub struct State {
    pub requests: VecDeque<Request>,
    /// Datagrams received, and those that matched no line sent.
    pub reads: u64,
    /// The line whose reply the sender waits for, if any.
    pub waiting_for: Option<u64>,
    /// Datagrams already shown: a wait for a reply ends once its reply is
    /// on the screen, so the next line is told after it.
    pub shown: u64,
    pub answered: u64,
    pub unmatched: u64,
    /// Lines too long to send, and replies cut off: bytes lost.
    pub problems: u64,
    /// Datagrams sent, and those whose send() has been narrated: a reply
    /// is narrated after its send, never before.
    pub sends: u64,
    pub told: u64,
    pub failure: Option<Failure>,
    pub stdout_closed: bool,
    pub stopping: bool,
}

/// The client's side of the conversation, shared by both threads.
#[derive(Debug)]
pub struct Talk<'a> {
    /// For --trace: when receiving was set up, which is when the first
    /// recv() begins to wait (the thread starts right after).
    pub created: Option<u64>,
    pub socket: &'a Socket,
    pub server: Place,
    /// Our address, for the trace.
    pub local: Option<Place>,
    pub buffer: usize,
    pub timeout: Duration,
    pub retries: u32,
    pub hex: bool,
    /// The largest payload one datagram can carry to this server.
    pub largest: usize,
    pub console: &'a Console,
    pub narrator: &'static Narrator,
    pub waker: Waker,
    pub state: Mutex<State>,
    pub changed: Condvar,
    /// Set when the user pressed Ctrl-C at the prompt: no wait goes on.
    pub interrupted: Arc<AtomicBool>,
}

impl<'a> Talk<'a> {
    pub fn new(
        socket: &'a Socket,
        (local, server): (Place, Place),
        args: &Args,
        console: &'a Console,
        waker: Waker,
        interrupted: Arc<AtomicBool>,
    ) -> Self {
        let largest = match server {
            Place::Inet(SocketAddr::V4(_)) => MAX_PAYLOAD_V4,
            Place::Inet(SocketAddr::V6(_)) => MAX_PAYLOAD_V6,
            _ => unix_largest(socket),
        };
        Self {
            created: lesson::trace::start(),
            socket,
            server,
            local: Some(local),
            buffer: args.client.buffer,
            timeout: args.client.timeout,
            retries: args.retries,
            hex: args.common.hex,
            largest,
            console,
            narrator: lesson::narrate::narrator(),
            waker,
            interrupted,
            state: Mutex::default(),
            changed: Condvar::new(),
        }
    }

    pub fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Where status lines go.
    pub fn console(&self) -> &Console {
        self.console
    }

    /// Why receiving ended, in a few words.
    pub fn end_reason(&self) -> String {
        let refused = self.state().failure.is_some();
        messages::end_reason(refused, &self.server)
    }

    /// The largest payload one datagram can carry to this server.
    pub fn largest(&self) -> usize {
        self.largest
    }

    /// Stops the receiving thread (it looks every `receive::POLL`).
    pub fn stop(&self) {
        self.state().stopping = true;
    }

    /// With `--no-wait`: how many datagrams went out and came back.
    pub fn report(&self, lines: u64, no_wait: bool) {
        if no_wait {
            let state = self.state();
            let report = messages::report(lines, state.answered, state.reads);
            self.console.status(format_args!("{report}"));
        }
    }

    /// Exit 0 unless the network said no, or bytes were lost here: a
    /// line too long to send, or a reply cut off by the buffer. A reply
    /// that never came is UDP's normal life, not a failure.
    pub fn verdict(&self) -> Result<(), Failure> {
        let mut state = self.state();
        if let Some(failure) = state.failure.take() {
            return Err(failure);
        }
        match state.problems {
            0 => Ok(()),
            n => Err(messages::not_whole(n)),
        }
    }

    /// True once stdout is closed or receiving failed.
    pub fn ended(&self) -> bool {
        state_ended(&self.state())
    }

    /// Ended, or Ctrl-C: no wait goes on.
    pub fn is_over(&self, state: &State) -> bool {
        state_ended(state) || self.interrupted.load(Ordering::SeqCst)
    }

    /// Waits on `state` until a change is signalled or `left` has passed.
    /// A thread that panicked holding the lock leaves data still worth
    /// reading: the wait goes on with it.
    pub fn wait<'s>(
        &self,
        state: MutexGuard<'s, State>,
        left: Duration,
    ) -> MutexGuard<'s, State> {
        match self.changed.wait_timeout(state, left) {
            Ok((state, _)) => state,
            Err(p) => p.into_inner().0,
        }
    }
}

/// The largest datagram a Unix datagram socket sends: its send buffer
/// (SO_SNDBUF), less what Linux keeps for its own bookkeeping.
fn unix_largest(socket: &Socket) -> usize {
    let bookkeeping = match cfg!(target_os = "linux") {
        true => 32,
        false => 0,
    };
    let buffer = socket.send_buffer_size().unwrap_or(MAX_PAYLOAD_V4);
    buffer.saturating_sub(bookkeeping)
}

/// "Connection refused" on a UDP socket means an ICMP port unreachable
/// came back: nothing listens on that port. On a Unix socket's path the
/// kernel knows at once: no file there, or no socket bound to the file.
pub fn refused_or(e: io::Error, server: &Place, step: Step) -> Failure {
    let no_server = || Failure::new(about("uclient-no-server", server));
    match (server, e.kind()) {
        (Place::Inet(_), ErrorKind::ConnectionRefused) => no_server()
            .because(plain("uclient-refused"))
            .hint(plain("uclient-refused-hint")),
        (Place::Path(path), ErrorKind::NotFound) => no_server()
            .because(plain("uclient-no-file"))
            .hint(about(folder_hint(path), server)),
        (Place::Path(path), ErrorKind::ConnectionRefused) => no_server()
            .because(plain("uclient-refused"))
            .hint(what_is_there(path, server)),
        #[cfg(any(target_os = "linux", target_os = "android"))]
        (Place::Path(_), _) if e.raw_os_error() == Some(libc::EPROTOTYPE) => {
            Failure::new(about("uclient-cannot-connect", server))
                .because(plain("uclient-wrong-type"))
                .hint(about("uclient-stream-socket", server))
        }
        _ => Failure::at(step, server, &e),
    }
}

/// The hint for a path not found: with "its folder does not exist
/// either" when that is why.
fn folder_hint(path: &std::path::Path) -> &'static str {
    match path
        .parent()
        .map(|p| p.as_os_str().is_empty() || p.is_dir())
    {
        Some(false) => "uclient-no-folder-hint",
        _ => "uclient-no-file-hint",
    }
}

/// Why a path refused a datagram: a stale socket file, or no socket.
fn what_is_there(path: &std::path::Path, server: &Place) -> String {
    match std::fs::symlink_metadata(path) {
        Ok(meta) if meta.is_dir() => about("uclient-is-folder", server),
        Ok(meta) if !is_socket(&meta) => about("uclient-not-socket", server),
        Ok(_) => about("uclient-stale", server),
        Err(_) => plain("uclient-gone"),
    }
}

#[cfg(unix)]
fn is_socket(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_socket()
}

#[cfg(not(unix))]
fn is_socket(_: &std::fs::Metadata) -> bool {
    false
}

/// Receiving failed, or nobody reads our output: the conversation is over.
fn state_ended(state: &State) -> bool {
    state.failure.is_some() || state.stdout_closed
}
