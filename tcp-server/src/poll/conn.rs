//! One connection of the event loop, and what it does when poll() says it
//! is ready. Nothing here waits: a call that would have to returns
//! WouldBlock at once. What a blocking handler keeps on its stack (echo not
//! yet sent, where it is in the conversation) lives in [`Conn`] instead.

use super::explain::{self, Io};
use super::sockets::Stream;
use crate::ending::{Ending, Traced};
use crate::messages;
use crate::roster::Echoed;
use lesson::Place;
use lesson::console::Output;
use lesson::{Console, Step};
use mio::Interest;
use shared::Utf8Stream;
use shared::text::{SHOW_LIMIT, not_shown};
use std::io::{self, ErrorKind, Read, Write};
use std::net::Shutdown;
use std::time::Instant;

/// Back-pressure: once this much echo waits for a client that does not
/// read it, the loop stops reading from that client until it has taken
/// some. A client that never reads holds at most this much of our memory.
pub const PENDING_LIMIT: usize = 64 * 1024;

/// Reads from one client in one turn: then the others get their turn, and
/// this one is read again in the next turn (there is no new event for it).
pub const READS_PER_TURN: usize = 16;

/// A pending buffer larger than this is given back once all sent.
const KEEP: usize = 4096;

/// One client's connection and the state of its conversation.
#[derive(Debug)]
pub struct Conn {
    pub stream: Stream,
    pub peer: Place,
    /// This connection as --trace names it.
    pub traced: Traced,
    /// 1 for the first client of this run, 2 for the next, …
    pub turn: u64,
    /// Echo the kernel has not taken yet, oldest byte first.
    pending: Vec<u8>,
    text: Utf8Stream,
    pub echoed: Echoed,
    /// The last time anything moved either way, for --idle-timeout.
    pub progress: Instant,
    /// The client's FIN has arrived.
    fin: bool,
    /// Reading is paused: too much echo waits (back-pressure).
    paused: bool,
    /// It used up its reads for this turn: more may wait unread.
    pub more: bool,
    /// Stopping: our FIN is sent, and what still comes is read and dropped.
    goodbye: bool,
    /// What the connection is registered for with poll().
    pub registered: Interest,
}

impl Conn {
    /// A connection accept() has just returned, registered as readable.
    pub fn new(stream: Stream, peer: Place, turn: u64) -> Self {
        Self {
            traced: Traced {
                local: stream.local(),
                peer: peer.clone(),
                conn: turn,
            },
            stream,
            peer,
            turn,
            pending: Vec::new(),
            text: Utf8Stream::default(),
            echoed: Echoed::default(),
            progress: Instant::now(),
            fin: false,
            paused: false,
            more: false,
            goodbye: false,
            registered: Interest::READABLE,
        }
    }

    /// How the server's lines name this client: `127.0.0.1:50001`, or
    /// `#1 (unnamed)` on a path.
    pub fn name(&self) -> String {
        crate::family::name(&self.peer, self.turn)
    }

    /// The client's address, painted in the color of its turn number.
    pub fn label(&self, console: &Console, output: Output) -> String {
        explain::label(console, output, &self.peer, self.turn)
    }

    /// What poll() should watch for now: readable unless reading is
    /// paused, writable only while echo is pending.
    pub fn wanted(&self) -> Interest {
        match (self.paused, self.pending.is_empty()) {
            (false, true) => Interest::READABLE,
            (false, false) => Interest::READABLE | Interest::WRITABLE,
            (true, _) => Interest::WRITABLE,
        }
    }

    /// The step a client silent for --idle-timeout is stuck in.
    pub fn idle_in(&self) -> Step {
        if self.pending.is_empty() {
            Step::Recv
        } else {
            Step::Send
        }
    }

    /// The grace period is over: how this conversation ends.
    pub fn cut_off(&self) -> Ending {
        if self.pending.is_empty() {
            Ending::Stopping
        } else {
            Ending::CutOff
        }
    }

    /// Handles what poll() reported: sends pending echo (writable or not:
    /// with none pending that costs nothing), then, if it was `readable`,
    /// reads until WouldBlock (unless paused or stopping). Returns how the
    /// conversation ended, if it did.
    pub fn ready(&mut self, readable: bool, io: &mut Io<'_>) -> Option<Ending> {
        if let Err(e) = self.flush(io) {
            return Some(Ending::Failed(Step::Send, e));
        }
        if self.goodbye {
            return self.discard(io);
        }
        // A paused connection is not reported readable again (no new
        // edge): it is read as soon as its echo has room.
        let resume = self.paused && self.pending.len() < PENDING_LIMIT;
        if (readable || resume) && !self.fin && !io.stopping {
            if let Err((step, e)) = self.receive(io) {
                return Some(Ending::Failed(step, e));
            }
        }
        self.settle(io)
    }

    /// With all echo sent: ends the conversation once the client has closed
    /// its side; when stopping, sends FIN and starts the goodbye.
    pub fn settle(&mut self, io: &mut Io<'_>) -> Option<Ending> {
        if !self.pending.is_empty() {
            return None;
        }
        if self.fin {
            return Some(Ending::Closed);
        }
        if io.stopping && !self.goodbye {
            let at = lesson::trace::start();
            if self.stream.shutdown(Shutdown::Write).is_err() {
                return Some(Ending::Stopping);
            }
            self.traced.record_shutdown(at);
            explain::goodbye(io, &self.peer);
            self.goodbye = true;
            return self.discard(io);
        }
        None
    }

    /// Reads until the kernel has nothing more (WouldBlock), the client's
    /// FIN, or too much pending echo. mio reports readiness once per change
    /// (edge-triggered): bytes left unread now would not be reported again.
    /// A failure comes with its step: the recv, or the send of the echo.
    fn receive(&mut self, io: &mut Io<'_>) -> Result<(), (Step, io::Error)> {
        (self.paused, self.more) = (false, false);
        let mut reads = 0;
        loop {
            if reads == READS_PER_TURN {
                self.more = true;
                break explain::budget_spent(io, &self.peer, reads);
            }
            reads += 1;
            if self.pending.len() >= PENDING_LIMIT {
                self.paused = true;
                let waiting = self.pending.len();
                break explain::paused(io, &self.peer, waiting);
            }
            // ANCHOR: readable
            // Readable: bytes, or the client's FIN, wait in the kernel's
            // receive buffer. read() copies them and never waits: with
            // nothing left it returns WouldBlock, and we go back to poll().
            let received = match self.stream.read(io.buffer) {
                Ok(0) => break self.closed_by_client(io),
                Ok(n) => n,
                Err(e) if e.kind() == ErrorKind::WouldBlock => {
                    break explain::recv_would_block(io, &self.peer);
                }
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                Err(e) => return Err((Step::Recv, e)),
            };
            // ANCHOR_END: readable
            self.took(received, io);
            self.echo(received, io).map_err(|e| (Step::Send, e))?;
        }
        Ok(())
    }

    /// Echoes the `received` bytes at the start of the buffer: straight
    /// from there if nothing is pending, and keeps what the kernel does not
    /// take. Bytes always go out in the order they came in.
    fn echo(&mut self, received: usize, io: &mut Io<'_>) -> io::Result<()> {
        let data = &io.buffer[..received];
        if !self.pending.is_empty() {
            self.pending.extend_from_slice(data);
            return self.flush(io);
        }
        let at = lesson::trace::start();
        let (sent, result) = write_some(&mut self.stream, data);
        self.pending.extend_from_slice(&data[sent..]);
        self.sent(sent, at, io);
        self.told_pending(0, io);
        result
    }

    /// Sends as much pending echo as the kernel takes. What it cannot take
    /// now stays pending; poll() then watches for writable.
    fn flush(&mut self, io: &mut Io<'_>) -> io::Result<()> {
        if self.pending.is_empty() {
            return Ok(());
        }
        let before = self.pending.len();
        let at = lesson::trace::start();
        let (sent, result) = write_some(&mut self.stream, &self.pending);
        self.pending.drain(..sent);
        self.sent(sent, at, io);
        if self.pending.is_empty() && self.pending.capacity() > KEEP {
            self.pending = Vec::new();
        }
        self.told_pending(before, io);
        result
    }

    /// With --explain: echo is left pending (and there was `before`).
    fn told_pending(&self, before: usize, io: &mut Io<'_>) {
        if !self.pending.is_empty() && self.pending.len() != before {
            explain::send_would_block(io, &self.peer, self.pending.len());
        }
    }

    /// Counts, shows and traces `received` bytes just read into the buffer.
    fn took(&mut self, received: usize, io: &mut Io<'_>) {
        self.traced
            .record(Step::Recv, None, received, self.echoed.received);
        let offset = self.echoed.received as usize;
        self.echoed.received += received as u64;
        self.echoed.reads += 1;
        self.progress = Instant::now();
        let data = &io.buffer[..received];
        io.shown.clear();
        let hidden = self.text.decode_preview_into(io.shown, data, SHOW_LIMIT);
        let held = self.text.is_holding();
        let reads = self.echoed.reads;
        let details = messages::received(reads, received, &self.peer, held);
        io.narrator.did(Step::Recv, format_args!("{details}"));
        if !io.shown.is_empty() || hidden > 0 {
            io.shown.push_str(&not_shown(hidden));
            let label = self.label(io.console, Output::Stdout);
            io.console.data_parts(&[&label, ": ", io.shown]);
        }
        if io.hex {
            io.console.hex(data, offset);
        }
    }

    /// Counts and traces `sent` bytes the kernel took, from `at`.
    fn sent(&mut self, sent: usize, at: Option<u64>, io: &mut Io<'_>) {
        if sent == 0 {
            return;
        }
        let offset = self.echoed.bytes;
        self.echoed.bytes += sent as u64;
        self.progress = Instant::now();
        self.traced.record_sent(at, sent, offset);
        let details = messages::sent(sent, &self.peer);
        io.narrator.did(Step::Send, format_args!("{details}"));
    }

    fn closed_by_client(&mut self, io: &mut Io<'_>) {
        self.fin = true;
        self.traced
            .record(Step::Recv, None, 0, self.echoed.received);
        let details = lesson::lang::peer_closed(&self.peer);
        io.narrator.did(Step::Recv, format_args!("{details}"));
    }

    /// The goodbye after our FIN: reads and drops what the client still
    /// sends, until its FIN. Closing with unread bytes would make the
    /// kernel send RST and throw away echo the client has not read yet.
    fn discard(&mut self, io: &mut Io<'_>) -> Option<Ending> {
        loop {
            match self.stream.read(io.buffer) {
                Ok(0) => return Some(Ending::Stopping),
                Ok(_) => {}
                Err(e) if e.kind() == ErrorKind::WouldBlock => return None,
                Err(e) if e.kind() == ErrorKind::Interrupted => {}
                Err(_) => return Some(Ending::Stopping),
            }
        }
    }

    /// What is left of a character cut off by the end of the stream.
    pub fn rest_of_text(&mut self) -> String {
        self.text.finish()
    }
}

/// Writes `data` until the kernel has taken all of it or has no room
/// left. Returns how many bytes it took, and the error that stopped it.
fn write_some(stream: &mut Stream, data: &[u8]) -> (usize, io::Result<()>) {
    let mut sent = 0;
    while sent < data.len() {
        // ANCHOR: writable
        // write() copies into the kernel's send buffer what fits there,
        // perhaps only part. WouldBlock: no room at all. The rest stays
        // pending until poll() says the socket is writable again.
        match stream.write(&data[sent..]) {
            Ok(0) => return (sent, Err(ErrorKind::WriteZero.into())),
            Ok(n) => sent += n,
            Err(e) if e.kind() == ErrorKind::WouldBlock => break,
            Err(e) if e.kind() == ErrorKind::Interrupted => {}
            Err(e) => return (sent, Err(e)),
        }
        // ANCHOR_END: writable
    }
    (sent, Ok(()))
}
