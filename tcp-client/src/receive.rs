//! The receiving side: recv() in a loop on a thread of its own, from
//! connect until the server closes, printing every read as it arrives.
//!
//! TCP carries bytes, not messages: the echo of one send may arrive in one
//! recv or in several, the echoes of several sends may arrive in one, and a
//! server may send what it likes, when it likes (a greeting first, a web
//! page after a request). So the receiver never waits for "the reply to a
//! line": it shows what comes, and keeps count of how many of the bytes
//! sent have come back, which is what an echo server's reply looks like.

use crate::Args;
use input::Waker;
use lesson::{Console, Failure, Narrator, Step};
use shared::Utf8Stream;
use shared::text::{SHOW_LIMIT, count, not_shown};
use std::collections::VecDeque;
use std::io::{ErrorKind, Read};
use std::net::{Shutdown, SocketAddr, TcpStream};
use std::sync::{Condvar, Mutex, MutexGuard};
use std::time::{Duration, Instant};

/// Lines whose echo is still awaited, kept for the round-trip times; older
/// ones are forgotten, so memory does not grow with the input.
const TRACKED_LINES: usize = 1024;

/// After the end of input, the longest wait for the server's FIN, in units
/// of `--wait-close`.
const WAIT_CLOSE_CAP: u32 = 10;

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

/// What both threads know about the conversation.
#[derive(Debug)]
struct State {
    sent: u64,
    /// Bytes whose send() has been narrated: a read of their echo is
    /// narrated after that, never before.
    told: u64,
    received: u64,
    /// Bytes received and already shown: a wait for an echo ends on
    /// these, so the next line is sent (and told) after the echo is shown.
    shown: u64,
    reads: u64,
    /// (line number, stream offset of its last byte, when it was sent).
    lines: VecDeque<(u64, u64, Instant)>,
    last_arrival: Instant,
    /// When everything sent so far had come back.
    all_back_at: Option<Instant>,
    end: Option<End>,
    stopping: bool,
    /// The server's FIN has been narrated.
    told_fin: bool,
}

/// The receiving side, shared by the receiving thread and the main one.
#[derive(Debug)]
pub struct Receiver<'a> {
    /// For --trace: when the receiving side was set up, which is when its
    /// first recv() begins to wait (the thread starts right after).
    created: Option<u64>,
    peer: SocketAddr,
    /// Our end of the connection, for the trace.
    local: Option<SocketAddr>,
    buffer: usize,
    hex: bool,
    console: &'a Console,
    narrator: &'static Narrator,
    waker: Waker,
    state: Mutex<State>,
    changed: Condvar,
}

/// What a wait for an echo found.
#[derive(Debug, PartialEq, Eq)]
pub enum Echo {
    Back,
    Late,
    Ended,
}

impl<'a> Receiver<'a> {
    pub fn new(
        stream: &TcpStream,
        peer: SocketAddr,
        args: &Args,
        console: &'a Console,
        waker: Waker,
    ) -> Self {
        Self {
            created: lesson::trace::start(),
            peer,
            local: stream.local_addr().ok(),
            buffer: args.client.buffer,
            hex: args.common.hex,
            console,
            narrator: lesson::narrate::narrator(),
            waker,
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

    fn state(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }

    /// The receiving thread: reads until the server closes, the connection
    /// fails, or we stop it.
    pub fn run(&self, mut stream: TcpStream) {
        let peer = self.peer;
        let mut buffer = vec![0; self.buffer];
        let mut show = Show::default();
        let mut first = self.created;
        let mut waited;
        let end = loop {
            waited = first.take().or_else(lesson::trace::start);
            // ANCHOR: recv
            // recv() waits until some bytes have arrived and returns them:
            // part of an echo, several echoes, or anything the server sent.
            let n = match stream.read(&mut buffer) {
                // 0 bytes: the server has closed its side (FIN).
                Ok(0) => break End::Closed,
                Ok(n) => n,
                // A signal interrupted the wait: wait again.
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                // Reset: the server went away without a proper close.
                Err(e) => break End::Failed(Failure::at(Step::Recv, peer, &e)),
            };
            // ANCHOR_END: recv
            let data = &buffer[..n];
            let note = self.arrived(n);
            self.trace(Step::Recv, waited, Some(n), note.offset, None);
            if self.narrator.explains() {
                self.wait_until_told(note.received);
            }
            self.narrator.did(
                Step::Recv,
                format_args!(
                    "#{}: {} from {peer} ({note})",
                    note.reads,
                    count(n as u64, "byte")
                ),
            );
            let open = show.read(self.console, data)
                && (!self.hex || self.console.hex(data, note.offset));
            // Counted as shown only now, so the sender's next line is
            // narrated after this read's output, never in the middle of it.
            self.state().shown = note.received;
            self.changed.notify_all();
            if !open {
                break End::StdoutClosed;
            }
        };
        let mut state = self.state();
        let received = state.received as usize;
        match &end {
            _ if state.stopping => {}
            End::Closed => {
                self.trace(Step::Recv, waited, Some(0), received, None)
            }
            End::Failed(failure) => {
                let error =
                    Some(failure.cause().unwrap_or_default().to_string());
                self.trace(Step::Recv, None, None, received, error);
            }
            _ => {}
        }
        state.end = Some(match end {
            _ if state.stopping => End::Stopped,
            other => other,
        });
        drop(state);
        self.changed.notify_all();
        self.waker.wake();
    }

    /// Counts `n` bytes that arrived, and says how they compare with what
    /// was sent.
    fn arrived(&self, n: usize) -> Arrival {
        let mut state = self.state();
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

    /// Waits (briefly) until the sends whose echo may be in this read are
    /// narrated, so that `--explain` tells send before recv.
    fn wait_until_told(&self, received: u64) {
        let deadline = Instant::now() + Duration::from_secs(1);
        let mut state = self.state();
        while state.told < received.min(state.sent) {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                return; // A send still going on: tell the read anyway.
            }
            state = match self.changed.wait_timeout(state, left) {
                Ok((state, _)) => state,
                Err(p) => p.into_inner().0,
            };
        }
    }

    /// Notes that the sends of the first `bytes` bytes have been narrated.
    pub fn told(&self, bytes: u64) {
        self.state().told = bytes;
        self.changed.notify_all();
    }

    /// Our end of the connection.
    pub fn local(&self) -> Option<SocketAddr> {
        self.local
    }

    /// Records `step` on this connection for `--trace`: `bytes` at
    /// `offset` in its direction of the stream.
    pub fn trace(
        &self,
        step: Step,
        start: Option<u64>,
        bytes: Option<usize>,
        offset: usize,
        error: Option<String>,
    ) {
        self.trace_at(None, step, start, bytes, offset, error);
    }

    /// Like [`trace`](Self::trace), for a call that began `at`: the time
    /// recorded for it, since its effect may reach the peer (and come back
    /// to our receiving thread) before this thread records it.
    pub fn trace_at(
        &self,
        at: Option<u64>,
        step: Step,
        start: Option<u64>,
        bytes: Option<usize>,
        offset: usize,
        error: Option<String>,
    ) {
        lesson::trace::Event {
            at,
            start,
            local: self.local,
            peer: Some(self.peer),
            conn: Some(1),
            bytes: bytes.map(|n| n as u64),
            offset: bytes.map(|_| offset as u64),
            error,
            ..Default::default()
        }
        .record(step);
    }

    /// Notes `n` bytes sent; `line` is the number of the line they end.
    pub fn sent(&self, n: usize, line: Option<u64>) {
        let mut state = self.state();
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

    /// Waits at most `timeout` until every byte sent so far has come back
    /// (what an echo server does), or the conversation ended.
    pub fn wait_for_echo(&self, timeout: Duration) -> Echo {
        let since = Instant::now();
        let narrator = lesson::narrate::narrator();
        let mut state = self.state();
        let target = state.sent;
        loop {
            if state.end.is_some() {
                return Echo::Ended;
            }
            if state.shown >= target {
                return Echo::Back;
            }
            let why = "the echo — the server may be paused at a step";
            narrator.waiting_for(since, format_args!("{why}"));
            // A --step pause holding the echo back does not make it late.
            let Some(left) = narrator.time_left(since, timeout) else {
                return Echo::Late;
            };
            state = match self.changed.wait_timeout(state, left) {
                Ok((state, _)) => state,
                Err(p) => p.into_inner().0,
            };
        }
    }

    /// How the receiving side ended, if it has.
    pub fn ended(&self) -> Option<EndKind> {
        self.state().end.as_ref().map(|end| match end {
            End::Closed => EndKind::Closed,
            End::StdoutClosed => EndKind::StdoutClosed,
            End::Failed(_) | End::Stopped => EndKind::Failed,
        })
    }

    /// What went wrong, when receiving failed.
    pub fn failure(&self) -> Option<String> {
        match &self.state().end {
            Some(End::Failed(failure)) => Some(failure.to_string()),
            _ => None,
        }
    }

    /// Stops the receiving thread at once: Ctrl-C, or waiting ran out.
    pub fn stop(&self, stream: &TcpStream) {
        let mut state = self.state();
        if state.end.is_some() {
            return;
        }
        state.stopping = true;
        drop(state);
        // Wakes the blocked recv(), which then returns 0.
        let _ = stream.shutdown(Shutdown::Both);
    }

    /// After our FIN: waits for the server's, as long as `--wait-close`
    /// allows, and says how the conversation ended.
    pub fn wait_for_close(&self, stream: &TcpStream, wait_close: Duration) {
        let input_ended = Instant::now();
        let narrator = lesson::narrate::narrator();
        let mut state = self.state();
        loop {
            if state.end.is_some() {
                break;
            }
            let all_back = state.received >= state.sent;
            let since = match state.all_back_at {
                Some(at) if all_back => at,
                _ => state.last_arrival,
            };
            // However the bytes trickle in, ten times --wait-close is the
            // most a server can keep us after the end of input (--step
            // pauses not counted).
            let quiet = narrator.time_left(since.max(input_ended), wait_close);
            let capped =
                narrator.time_left(input_ended, wait_close * WAIT_CLOSE_CAP);
            let (Some(quiet), Some(capped)) = (quiet, capped) else {
                let why = if all_back {
                    format!(
                        "{} had arrived for {} sent, and it kept the \
                         connection open {wait_close:?} more",
                        count(state.received, "byte"),
                        count(state.sent, "byte"),
                    )
                } else if capped.is_none() {
                    format!(
                        "it kept sending for {:?} without closing, and {} of \
                         {} bytes sent came back",
                        wait_close * WAIT_CLOSE_CAP,
                        state.received,
                        state.sent
                    )
                } else {
                    format!(
                        "nothing arrived for {wait_close:?}, and {} of {} \
                         bytes sent came back",
                        state.received, state.sent
                    )
                };
                drop(state);
                self.console.status(format_args!(
                    "stopped waiting for {} to close: {why} (see --wait-close)",
                    self.peer
                ));
                self.stop(stream);
                return;
            };
            state = match self.changed.wait_timeout(state, quiet.min(capped)) {
                Ok((state, _)) => state,
                Err(p) => p.into_inner().0,
            };
        }
        if matches!(state.end, Some(End::Closed)) {
            let (received, sent) = (state.received, state.sent);
            drop(state);
            self.closed();
            self.console.status(format_args!(
                "{} closed the connection ({} received, {} sent)",
                self.peer,
                count(received, "byte"),
                count(sent, "byte"),
            ));
        }
    }

    /// Narrates the server's FIN: the recv() that returned 0. Told by the
    /// main thread, so that it comes after our own steps in order.
    pub fn closed(&self) {
        if std::mem::replace(&mut self.state().told_fin, true) {
            return;
        }
        self.narrator.did(
            Step::Recv,
            format_args!("0 bytes: {} has closed its side", self.peer),
        );
    }

    /// Reads and bytes so far.
    pub fn totals(&self) -> (u64, u64) {
        let state = self.state();
        (state.reads, state.received)
    }

    /// Exit 0 unless the connection failed.
    pub fn verdict(&self) -> Result<(), Failure> {
        match self.state().end.take() {
            Some(End::Failed(failure)) => Err(failure),
            _ => Ok(()),
        }
    }
}

/// How the receiving side ended, without the details.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EndKind {
    Closed,
    StdoutClosed,
    Failed,
}

/// One read, compared with what was sent.
#[derive(Debug)]
struct Arrival {
    reads: u64,
    offset: usize,
    received: u64,
    sent: u64,
    /// The last line whose last byte came back with this read, and how
    /// long after it was sent.
    completed: Option<(u64, Duration)>,
}

impl std::fmt::Display for Arrival {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let (received, sent) = (self.received, self.sent);
        if received > sent {
            write!(f, "{received} received in all, {sent} sent")?;
        } else {
            write!(f, "{received} of {sent} bytes sent are back")?;
        }
        if let Some((line, rtt)) = self.completed {
            let ms = rtt.as_secs_f64() * 1000.0;
            write!(f, "; line {line} came back {ms:.2} ms after sending")?;
        }
        Ok(())
    }
}

/// Turns reads into lines on the terminal: a line break in the data (`\n`
/// or `\r\n`) starts a new line, and so does the end of each read. Text is
/// made terminal-safe; a character split across reads is held back.
#[derive(Debug, Default)]
struct Show {
    text: Utf8Stream,
}

impl Show {
    /// Prints one read; false once stdout is closed. A flood through a
    /// large `--buffer` shows the first [`SHOW_LIMIT`] bytes of each read
    /// and counts the rest.
    fn read(&mut self, console: &Console, data: &[u8]) -> bool {
        let (visible, rest) = data.split_at(preview_cut(data));
        let mut lines = String::new();
        let mut pieces = visible.split(|&b| b == b'\n').peekable();
        while let Some(piece) = pieces.next() {
            if pieces.peek().is_none() {
                lines.push_str(&self.text.decode(piece));
                break;
            }
            let piece = piece.strip_suffix(b"\r").unwrap_or(piece);
            lines.push_str(&self.text.decode(piece));
            // A character cut short by a line break never completes.
            lines.push_str(&self.text.finish());
            lines.push('\n');
        }
        // The read ended on a line break: no empty line after it.
        if visible.ends_with(b"\n") && rest.is_empty() {
            lines.pop();
        }
        if !rest.is_empty() {
            let (text, hidden) = self.text.decode_preview(rest, 0);
            lines.push_str(&text);
            lines.push_str(&not_shown(hidden));
        }
        // A read that held back all it had (part of a character) shows
        // nothing yet: its bytes come with the next read.
        if lines.is_empty() {
            return true;
        }
        console.data(format_args!("{lines}"))
    }
}

/// Where the preview of a read ends: all of it when it is short enough,
/// else [`SHOW_LIMIT`] bytes, moved back so no character is cut.
fn preview_cut(data: &[u8]) -> usize {
    if data.len() <= SHOW_LIMIT {
        return data.len();
    }
    let mut cut = SHOW_LIMIT;
    // Continuation bytes (10xxxxxx) belong to the character before them.
    while cut > SHOW_LIMIT - 3 && data[cut] & 0xc0 == 0x80 {
        cut -= 1;
    }
    cut
}
