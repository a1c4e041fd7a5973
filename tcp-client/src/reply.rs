//! Sending messages and reading their echo back from a byte stream.
//!
//! TCP carries bytes, not messages: the echo of one `send` may arrive in
//! one `recv` or in several, and (with `--no-wait`) the echoes of several
//! sends may arrive in one `recv`. So the client counts bytes: it reads
//! until as many came back as it sent, or until the timeout, and says which.

use shared::text::{SHOW_LIMIT, not_shown};
use shared::{Console, Failure, Narrator, Step, StepResult, Utf8Stream};
use std::io::{ErrorKind, Read, Write};
use std::net::{SocketAddr, TcpStream};
use std::time::{Duration, Instant};

/// The client's side of the conversation, with its counters.
#[derive(Debug)]
pub struct Conversation<'a> {
    peer: SocketAddr,
    buffer: Vec<u8>,
    timeout: Duration,
    hex: bool,
    console: &'a Console,
    narrator: &'a Narrator,
    text: Utf8Stream,
    recv_calls: u64,
    bytes_in: usize,
    messages: u64,
    incomplete: u64,
}

/// How reads are printed: the whole echo of one message as one line, or
/// (for `--no-wait`) each read as its own line.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Lines {
    PerMessage,
    PerRead,
}

impl<'a> Conversation<'a> {
    pub fn new(
        peer: SocketAddr,
        buffer: usize,
        timeout: Duration,
        hex: bool,
        console: &'a Console,
        narrator: &'a Narrator,
    ) -> Self {
        Self {
            peer,
            buffer: vec![0; buffer],
            timeout,
            hex,
            console,
            narrator,
            text: Utf8Stream::default(),
            recv_calls: 0,
            bytes_in: 0,
            messages: 0,
            incomplete: 0,
        }
    }

    /// Sends `message` and prints its echo. Returns false when stdout is
    /// closed and the conversation should end quietly.
    pub fn exchange(
        &mut self,
        stream: &mut TcpStream,
        message: &[u8],
    ) -> Result<bool, Failure> {
        self.send(stream, message)?;
        self.read_echo(stream, message.len(), Lines::PerMessage)
    }

    /// `--no-wait`: sends every message at once, one write each, then reads
    /// all the echoes back, printing each read as it came.
    pub fn burst(
        &mut self,
        stream: &mut TcpStream,
        messages: &[Vec<u8>],
    ) -> Result<bool, Failure> {
        let reads_before = self.recv_calls;
        for message in messages {
            self.send(stream, message)?;
        }
        let total = messages.iter().map(Vec::len).sum();
        let open = self.read_echo(stream, total, Lines::PerRead)?;
        self.console.status(format_args!(
            "sent {} in {} ({total} bytes); the echo came back in {}",
            shared::text::count(messages.len() as u64, "message"),
            shared::text::count(messages.len() as u64, "write"),
            shared::text::count(self.recv_calls - reads_before, "read"),
        ));
        Ok(open)
    }

    fn send(
        &mut self,
        stream: &mut TcpStream,
        message: &[u8],
    ) -> Result<(), Failure> {
        let peer = self.peer;
        self.narrator.pause(
            Step::Send,
            format_args!("{} bytes to {peer}", message.len()),
        );
        // ANCHOR: send
        // write_all() calls send() until the kernel has taken every byte.
        stream.write_all(message).during(Step::Send, peer)?;
        // ANCHOR_END: send
        self.messages += 1;
        self.narrator.explain(
            Step::Send,
            format_args!("{} bytes to {peer}", message.len()),
        );
        Ok(())
    }

    /// Reads until `expected` bytes came back or the timeout expired.
    fn read_echo(
        &mut self,
        stream: &mut TcpStream,
        expected: usize,
        lines: Lines,
    ) -> Result<bool, Failure> {
        let peer = self.peer;
        let started = Instant::now();
        let deadline = started + self.timeout;
        let mut echoed = 0;
        let mut shown = String::new();
        let mut hidden = 0;
        while echoed < expected {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            stream
                .set_read_timeout(Some(left))
                .during(Step::Recv, peer)?;
            self.narrator.pause(Step::Recv, format_args!("from {peer}"));
            // ANCHOR: recv
            // recv() returns whatever part of the echo has arrived so far.
            let n = match stream.read(&mut self.buffer) {
                // 0 bytes: the server closed the connection.
                Ok(0) => {
                    return Err(Failure::new(format!(
                        "{peer} closed the connection before echoing everything"
                    ))
                    .hint("the server stopped; start it again and reconnect"));
                }
                Ok(n) => n,
                Err(e) if e.kind() == ErrorKind::Interrupted => continue,
                // The read timeout expired: stop waiting for the rest.
                Err(e) if is_timeout(e.kind()) => break,
                // Reset: the server went away without a proper close.
                Err(e) => return Err(Failure::at(Step::Recv, peer, &e)),
            };
            // ANCHOR_END: recv
            echoed += n;
            self.recv_calls += 1;
            let data = &self.buffer[..n];
            self.narrator.explain(
                Step::Recv,
                format_args!(
                    "#{}: {n} bytes from {peer} ({echoed} of {expected} so far, \
                     {:.2} ms after sending)",
                    self.recv_calls,
                    started.elapsed().as_secs_f64() * 1000.0
                ),
            );
            let budget = match lines {
                Lines::PerMessage => SHOW_LIMIT.saturating_sub(echoed - n),
                Lines::PerRead => SHOW_LIMIT,
            };
            let (text, more) = self.text.decode_preview(data, budget);
            shown.push_str(&text);
            hidden += more;
            if self.hex && !self.console.hex(data, self.bytes_in) {
                return Ok(false);
            }
            self.bytes_in += n;
            if lines == Lines::PerRead && !self.print(&mut shown, &mut hidden) {
                return Ok(false);
            }
        }

        if echoed < expected {
            self.incomplete += 1;
            self.console.warn(format_args!(
                "only {echoed} of {expected} bytes came back within {:?}; moving on",
                self.timeout
            ));
        }
        match lines {
            Lines::PerMessage => Ok(self.print(&mut shown, &mut hidden)),
            Lines::PerRead => Ok(true),
        }
    }

    /// Prints one data line and clears it; false when stdout is closed.
    fn print(&self, shown: &mut String, hidden: &mut usize) -> bool {
        let open = self
            .console
            .data(format_args!("{shown}{}", not_shown(*hidden)));
        shown.clear();
        *hidden = 0;
        open
    }

    /// After our FIN, waits (at most the timeout) for the server's FIN.
    pub fn wait_for_close(&mut self, stream: &mut TcpStream) {
        let _ = stream.set_read_timeout(Some(self.timeout));
        let mut rest = [0; 512];
        while let Ok(n) = stream.read(&mut rest) {
            if n == 0 {
                self.narrator.note(format_args!(
                    "recv returned 0 bytes: {} has closed its side too",
                    self.peer
                ));
                break;
            }
        }
    }

    /// Exit 0 when every echo came back whole, else a failure.
    pub fn verdict(&self) -> Result<(), Failure> {
        match self.incomplete {
            0 => Ok(()),
            n => Err(Failure::new(format!(
                "{n} of {} echoes did not come back whole",
                self.messages
            ))
            .hint(
                "is the server slow, or not an echo server? try --timeout 10",
            )),
        }
    }
}

/// A read timeout shows up as WouldBlock on Unix and TimedOut on Windows.
fn is_timeout(kind: ErrorKind) -> bool {
    matches!(kind, ErrorKind::WouldBlock | ErrorKind::TimedOut)
}
