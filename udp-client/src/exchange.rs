//! Sending datagrams, and receiving replies on a thread of their own.
//!
//! UDP promises nothing: a datagram or its reply may be lost, come late,
//! or come twice, and nobody says so. So the receiving thread prints every
//! reply the moment it arrives and says which line it answers: the line
//! whose text it echoes, when there is one (then it can also tell a late
//! reply), else it is marked as matching nothing sent. The sending side
//! waits a bounded time (`--timeout`) for each reply, and with `--retries`
//! sends again: reliability, if wanted, is the application's job.

use crate::Args;
use input::Waker;
use lesson::{Console, Failure, Narrator, Step};
use shared::datagram::{self, Received, is_bye};
use shared::text::{count, render_preview};
use socket2::Socket;
use std::collections::VecDeque;
use std::io::{self, ErrorKind};
use std::net::SocketAddr;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Lines kept for matching replies; older ones are forgotten, so memory
/// does not grow with the input.
const TRACKED: usize = 256;

/// How often the receiving thread looks whether it should stop.
const POLL: Duration = Duration::from_millis(100);

/// The largest UDP payload over IPv4: 65,535 (the IPv4 length field) minus
/// 20 bytes of IPv4 header minus 8 bytes of UDP header.
const MAX_PAYLOAD_V4: usize = 65_507;

/// The largest UDP payload over IPv6 without jumbograms: 65,535 (the IPv6
/// payload length, which does not count the IPv6 header) minus 8.
const MAX_PAYLOAD_V6: usize = 65_527;

/// A line sent, waiting for its reply.
#[derive(Debug)]
struct Request {
    line: u64,
    bytes: Vec<u8>,
    /// When it was last sent, and how many times.
    sent_at: Instant,
    sends: u32,
    answered: bool,
}

/// Which line a datagram answers.
#[derive(Debug, Clone, Copy)]
enum Match {
    /// The reply to a line, how long after its last send, how many sends
    /// it had, and whether the wait for it had run out (`--step` pauses
    /// not counted).
    Answer(u64, Duration, u32, bool),
    /// Another reply to a line already answered, and how many sends the
    /// line had.
    Again(u64, u32),
    /// A datagram that echoes no line, taken as the reply to this one: the
    /// line being waited for, else the oldest one still without a reply.
    Other(u64),
}

/// How often a wait looks at the Ctrl-C flag.
const LOOK_AGAIN: Duration = Duration::from_millis(50);

/// What both threads know.
#[derive(Debug, Default)]
struct State {
    requests: VecDeque<Request>,
    /// Datagrams received, and those that matched no line sent.
    reads: u64,
    /// The line whose reply the sender waits for, if any.
    waiting_for: Option<u64>,
    /// Datagrams already shown: a wait for a reply ends once its reply is
    /// on the screen, so the next line is told after it.
    shown: u64,
    answered: u64,
    unmatched: u64,
    /// Lines too long to send, and replies cut off: bytes lost.
    problems: u64,
    /// Datagrams sent, and those whose send() has been narrated: a reply
    /// is narrated after its send, never before.
    sends: u64,
    told: u64,
    failure: Option<Failure>,
    stdout_closed: bool,
    stopping: bool,
}

/// What the wait for a reply found.
#[derive(Debug, PartialEq, Eq)]
pub enum Reply {
    /// The reply came (or a datagram that matches nothing, which is as
    /// much of a reply as a non-echo server gives).
    Came,
    /// Nothing within the timeout.
    Missing,
    /// Receiving ended: refused, or stdout closed.
    Ended,
}

/// The client's side of the conversation, shared by both threads.
#[derive(Debug)]
pub struct Talk<'a> {
    /// For --trace: when receiving was set up, which is when the first
    /// recv() begins to wait (the thread starts right after).
    created: Option<u64>,
    socket: &'a Socket,
    server: SocketAddr,
    /// Our address, for the trace.
    local: Option<SocketAddr>,
    buffer: usize,
    timeout: Duration,
    retries: u32,
    hex: bool,
    /// The largest payload one datagram can carry to this server.
    largest: usize,
    console: &'a Console,
    narrator: &'static Narrator,
    waker: Waker,
    state: Mutex<State>,
    changed: Condvar,
    /// Set when the user pressed Ctrl-C at the prompt: no wait goes on.
    interrupted: Arc<AtomicBool>,
}

impl<'a> Talk<'a> {
    pub fn new(
        socket: &'a Socket,
        server: SocketAddr,
        args: &Args,
        console: &'a Console,
        waker: Waker,
        interrupted: Arc<AtomicBool>,
    ) -> Self {
        let largest = match server {
            SocketAddr::V4(_) => MAX_PAYLOAD_V4,
            SocketAddr::V6(_) => MAX_PAYLOAD_V6,
        };
        Self {
            created: lesson::trace::start(),
            socket,
            server,
            local: shared::local_address(socket),
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

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// Where status lines go.
    pub fn console(&self) -> &Console {
        self.console
    }

    /// Why receiving ended, in a few words.
    pub fn end_reason(&self) -> String {
        match self.state().failure {
            Some(_) => format!(
                "{} refused a datagram: nothing listens there now",
                self.server
            ),
            None => "the output was closed".to_string(),
        }
    }

    /// The largest payload one datagram can carry to this server.
    pub fn largest(&self) -> usize {
        self.largest
    }

    /// True when one datagram can carry a line of `size` bytes; else says
    /// why not.
    pub fn fits(&self, size: usize) -> bool {
        if size <= self.largest {
            return true;
        }
        self.state().problems += 1;
        self.console.error(format_args!(
            "not sent: the line is {size} bytes, but one UDP datagram carries \
             at most {} bytes of data (send shorter lines)",
            self.largest
        ));
        false
    }

    /// Sends line number `line`; with `wait`, waits for its reply and
    /// sends again, up to `--retries` times, while none comes.
    pub fn exchange(
        &self,
        line: u64,
        message: &[u8],
        wait: bool,
    ) -> Result<Reply, Failure> {
        let wait = wait && !is_bye(message);
        // Set before sending: the reply may come before the wait begins.
        self.state().waiting_for = wait.then_some(line);
        let reply = self.send_and_wait(line, message, wait);
        self.state().waiting_for = None;
        reply
    }

    /// Sends `line`, and with `wait` waits for its reply, sending again up
    /// to `--retries` times.
    fn send_and_wait(
        &self,
        line: u64,
        message: &[u8],
        wait: bool,
    ) -> Result<Reply, Failure> {
        let attempts = self.retries + 1;
        for attempt in 1..=attempts {
            self.send(line, message, attempt > 1)?;
            if !wait {
                return Ok(Reply::Came);
            }
            match self.wait_for_reply(line) {
                Reply::Missing => self.console.warn(format_args!(
                    "no reply to line {line} within {:?} (attempt {attempt} of \
                     {attempts}): the datagram or its reply may be lost, or \
                     nothing answers there{}",
                    self.timeout,
                    if attempt < attempts {
                        "; sending again"
                    } else {
                        "; carrying on (a late reply is still shown)"
                    }
                )),
                other => return Ok(other),
            }
        }
        Ok(Reply::Missing)
    }

    fn send(
        &self,
        line: u64,
        message: &[u8],
        again: bool,
    ) -> Result<(), Failure> {
        let server = self.server;
        self.track(line, message, again);
        self.state().sends += 1;
        let at = lesson::trace::start();
        // ANCHOR: send
        // send() hands the kernel one datagram for the connected server.
        let sent = self
            .socket
            .send(message)
            .map_err(|e| refused_or(e, server, Step::Send))?;
        // ANCHOR_END: send
        lesson::trace::Event {
            at,
            local: self.local,
            peer: Some(server),
            bytes: Some(message.len() as u64),
            datagram: Some(message),
            ..Default::default()
        }
        .record(Step::Send);
        self.narrator.explain(
            Step::Send,
            format_args!("{} to {server}", count(sent as u64, "byte")),
        );
        // With --step the send's pause comes before the reply's: the
        // receiving thread tells the reply once the send is told.
        self.narrator.pause(Step::Send);
        let mut state = self.state();
        state.told = state.sends;
        drop(state);
        self.changed.notify_all();
        Ok(())
    }

    /// Remembers a line sent, so its reply can be recognised.
    fn track(&self, line: u64, message: &[u8], again: bool) {
        let mut state = self.state();
        let now = Instant::now();
        if again
            && let Some(request) =
                state.requests.iter_mut().find(|r| r.line == line)
        {
            request.sent_at = now;
            request.sends += 1;
            return;
        }
        if state.requests.len() == TRACKED {
            state.requests.pop_front();
        }
        state.requests.push_back(Request {
            line,
            bytes: message.to_vec(),
            sent_at: now,
            sends: 1,
            answered: false,
        });
    }

    /// Waits at most `--timeout` for a reply to `line`.
    fn wait_for_reply(&self, line: u64) -> Reply {
        let since = Instant::now();
        let mut state = self.state();
        loop {
            if self.is_over(&state) {
                return Reply::Ended;
            }
            let answered =
                state.requests.iter().any(|r| r.line == line && r.answered);
            if answered && state.shown == state.reads {
                return Reply::Came;
            }
            let why = "the reply — the server may be paused at a step";
            self.narrator.waiting_for(since, format_args!("{why}"));
            // A --step pause holding the reply back does not lose it.
            let Some(left) = self.narrator.time_left(since, self.timeout)
            else {
                return Reply::Missing;
            };
            // Ctrl-C is only a flag: look at it now and then.
            let left = left.min(LOOK_AGAIN);
            state = match self.changed.wait_timeout(state, left) {
                Ok((state, _)) => state,
                Err(p) => p.into_inner().0,
            };
        }
    }

    /// At the end of input: waits for the replies still missing, at most
    /// `--timeout` after the last datagram was sent, and says which never
    /// came.
    pub fn wait_for_the_rest(&self) {
        let (missing, bye) = self.the_rest();
        if self.ended() {
            return; // Refused, or nobody reads: nothing more to say.
        }
        if missing > 0 {
            self.console.warn(format_args!(
                "{} missing after {:?}: lost, or nothing answers there",
                count(missing, "reply"),
                self.timeout
            ));
        }
        if bye {
            self.console.status(format_args!(
                "no reply to bye within {:?}: udp-server stops on bye without \
                 replying (unless it runs with --keep-open)",
                self.timeout
            ));
        }
    }

    /// Waits for the replies still missing; returns how many never came,
    /// and whether `bye` got no reply.
    fn the_rest(&self) -> (u64, bool) {
        let mut state = self.state();
        let last_sent = state.requests.iter().map(|r| r.sent_at).max();
        let Some(last_sent) = last_sent else {
            return (0, false);
        };
        loop {
            let missing = state
                .requests
                .iter()
                .filter(|r| !r.answered && !is_bye(&r.bytes))
                .count() as u64;
            let bye_waiting = state
                .requests
                .iter()
                .any(|r| !r.answered && is_bye(&r.bytes));
            let left = self.narrator.time_left(last_sent, self.timeout);
            let Some(left) = left.filter(|_| !self.is_over(&state)) else {
                return (missing, bye_waiting);
            };
            if missing == 0 && !bye_waiting {
                return (missing, bye_waiting);
            }
            let left = left.min(LOOK_AGAIN);
            state = match self.changed.wait_timeout(state, left) {
                Ok((state, _)) => state,
                Err(p) => p.into_inner().0,
            };
        }
    }

    /// The receiving thread: every datagram from the server, printed as it
    /// arrives, until the conversation is over.
    pub fn receive_all(&self) {
        let server = self.server;
        let mut buffer = vec![0; self.buffer];
        // A short timeout, so the thread notices when it should stop.
        let _ = self.socket.set_read_timeout(Some(POLL));
        // For --trace: when the recv() under way began (timeouts included).
        let mut waiting = self.created;
        loop {
            if self.state().stopping {
                return;
            }
            if waiting.is_none() {
                waiting = lesson::trace::start();
            }
            // ANCHOR: recv
            // recv() waits for one datagram from the server: a reply, a
            // late reply, or anything the server sends.
            let received = match datagram::recv(self.socket, &mut buffer) {
                Ok(received) => received,
                // Nothing yet: look whether to stop, then wait again.
                Err(e) if lesson::failure::is_timeout(&e) => continue,
                // ICMP "port unreachable" came back for a datagram we sent.
                Err(e) => {
                    self.failed(refused_or(e, server, Step::Recv), waiting);
                    break;
                }
            };
            // ANCHOR_END: recv
            let data = &buffer[..received.kept];
            lesson::trace::datagram(
                "recv",
                waiting.take(),
                self.local,
                server,
                data,
            );
            if !self.show(&buffer[..received.kept], received) {
                self.state().stdout_closed = true;
                break;
            }
        }
        self.changed.notify_all();
        self.waker.wake();
    }

    /// Receiving failed (refused): noted for the exit code and the trace.
    fn failed(&self, failure: Failure, started: Option<u64>) {
        lesson::trace::Event {
            start: started,
            local: self.local,
            peer: Some(self.server),
            error: failure.cause().map(str::to_string),
            ..Default::default()
        }
        .record(Step::Recv);
        self.state().failure = Some(failure);
    }

    /// Prints one datagram and says which line it answers; false once
    /// stdout is closed.
    fn show(&self, data: &[u8], received: Received) -> bool {
        let now = Instant::now();
        let mut state = self.state();
        // Under --explain, let the sender tell its send() first (briefly:
        // a send never waits for long).
        let deadline = now + Duration::from_secs(1);
        while self.narrator.explains() && state.told < state.sends {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            state = match self.changed.wait_timeout(state, left) {
                Ok((state, _)) => state,
                Err(p) => p.into_inner().0,
            };
        }
        state.reads += 1;
        let reads = state.reads;
        let waiting_for = state.waiting_for;
        let requests = &mut state.requests;
        let answers = if let Some(r) =
            requests.iter_mut().find(|r| !r.answered && r.bytes == data)
        {
            r.answered = true;
            let late =
                self.narrator.time_left(r.sent_at, self.timeout).is_none();
            Some(Match::Answer(r.line, now - r.sent_at, r.sends, late))
        } else if let Some(r) = requests.iter().find(|r| r.bytes == data) {
            Some(Match::Again(r.line, r.sends))
        } else {
            let awaited = requests
                .iter()
                .position(|r| !r.answered && Some(r.line) == waiting_for)
                .or_else(|| requests.iter().position(|r| !r.answered));
            awaited.map(|i| {
                requests[i].answered = true;
                Match::Other(requests[i].line)
            })
        };
        match answers {
            Some(Match::Answer(..) | Match::Other(_)) => state.answered += 1,
            Some(Match::Again(..)) => {}
            None => state.unmatched += 1,
        }
        if received.truncated {
            state.problems += 1;
        }
        drop(state);

        let server = self.server;
        let size = count(data.len() as u64, "byte");
        match answers {
            Some(Match::Answer(line, after, ..)) => self.narrator.did(
                Step::Recv,
                format_args!(
                    "#{reads}: {size} from {server} (the reply to line {line}, \
                     {:.2} ms after it was sent)",
                    after.as_secs_f64() * 1000.0
                ),
            ),
            _ => self.narrator.did(
                Step::Recv,
                format_args!("#{reads}: {size} from {server}"),
            ),
        }
        if let Some(warning) = received.truncation() {
            self.console
                .warn(format_args!("reply {warning} (try a larger --buffer)"));
        }
        let open = self.console.data(format_args!("{}", render_preview(data)))
            && (!self.hex || self.console.hex(data, 0));
        match answers {
            Some(Match::Answer(line, _, sends, true)) => {
                let which = match sends {
                    1 => String::new(),
                    n => format!(
                        "; it was sent {n} times, and UDP cannot tell which \
                         send this answers"
                    ),
                };
                self.console.status(format_args!(
                    "late: that was the reply to line {line}, which had \
                     already timed out{which}"
                ));
            }
            Some(Match::Again(line, 1)) => self.console.status(format_args!(
                "again: line {line} had its reply already, and was sent once: \
                 a duplicate (UDP may deliver a datagram twice) or a server \
                 that answers twice"
            )),
            Some(Match::Again(line, _)) => self.console.status(format_args!(
                "again: line {line} had its reply already; this one answers \
                 another send of it"
            )),
            Some(Match::Other(line)) if !received.truncated => {
                self.console.status(format_args!(
                    "not an echo: taken as the reply to line {line}, but it \
                     is not the same bytes (cut short or changed by the \
                     server, or not a reply at all: UDP cannot tell)"
                ));
            }
            None if !received.truncated => self.console.status(format_args!(
                "unmatched: that datagram echoes no line sent, and no line \
                 is waiting for a reply"
            )),
            _ => {}
        }
        self.state().shown = reads;
        self.changed.notify_all();
        open
    }

    /// Stops the receiving thread (it looks every [`POLL`]).
    pub fn stop(&self) {
        self.state().stopping = true;
    }

    /// With `--no-wait`: how many datagrams went out and came back.
    pub fn report(&self, lines: u64, no_wait: bool) {
        if no_wait {
            let state = self.state();
            self.console.status(format_args!(
                "sent {}; {} came back in {}",
                count(lines, "datagram"),
                count(state.answered, "reply"),
                count(state.reads, "read"),
            ));
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
            n => Err(Failure::new(format!(
                "{} could not be sent or received whole",
                count(n, "datagram")
            ))
            .hint("see the messages above")),
        }
    }

    /// True once stdout is closed or receiving failed.
    pub fn ended(&self) -> bool {
        state_ended(&self.state())
    }

    /// Ended, or Ctrl-C: no wait goes on.
    fn is_over(&self, state: &State) -> bool {
        state_ended(state) || self.interrupted.load(Ordering::SeqCst)
    }
}

/// "Connection refused" on a UDP socket means an ICMP port unreachable
/// came back: nothing listens on that port.
fn refused_or(e: io::Error, server: SocketAddr, step: Step) -> Failure {
    if e.kind() == ErrorKind::ConnectionRefused {
        Failure::new(format!("no server at {server}"))
            .because("connection refused")
            .hint(
                "nothing listens on that UDP port: the kernel there answered \
                 with ICMP port unreachable; is udp-server running?",
            )
    } else {
        Failure::at(step, server, &e)
    }
}

/// Receiving failed, or nobody reads our output: the conversation is over.
fn state_ended(state: &State) -> bool {
    state.failure.is_some() || state.stdout_closed
}
