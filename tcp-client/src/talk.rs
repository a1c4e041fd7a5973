//! The sending side: the first message, then every line of input, each
//! sent as soon as it is read.
//!
//! With an echo server, the client keeps the script's rhythm: one line,
//! then its echo, then the next line. The wait for the echo is a courtesy
//! that keeps the screen in order, not a lock: it lasts at most
//! `--timeout`, and whatever arrives later is still shown by the receiving
//! thread. `--no-wait`, `--lf` and `--crlf` send lines as they come.

use crate::args::Args;
use crate::receive::Receiver;
use crate::stream::Stream;
use crate::tally::{Echo, EndKind};
use input::{Input, InputEvent};
use lesson::lang::tr;
use lesson::{Console, Failure, Place, Step, StepResult};
use std::io::{self, ErrorKind, Write};
use std::time::Duration;

/// Why sending stopped.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Ended {
    /// The end of input, or an empty line without a line ending.
    Input,
    /// The server closed the connection, or nobody reads our stdout.
    Receiver,
    /// Ctrl-C at the prompt.
    Interrupted,
}

/// The main thread's side of the conversation, with its counters.
#[derive(Debug)]
pub struct Sender<'a> {
    stream: &'a Stream,
    peer: &'a Place,
    receiver: &'a Receiver<'a>,
    console: &'a Console,
    ending: &'static [u8],
    first: Vec<u8>,
    /// Wait for each line's echo before sending the next.
    rhythm: bool,
    timeout: Duration,
    wait_close: Duration,
    no_wait: bool,
    /// Lines sent, writes made, bytes sent, bytes of the current line.
    lines: u64,
    writes: u64,
    bytes: u64,
    line_so_far: u64,
}

impl<'a> Sender<'a> {
    pub fn new(
        stream: &'a Stream,
        peer: &'a Place,
        receiver: &'a Receiver<'a>,
        args: &Args,
        console: &'a Console,
    ) -> Self {
        let ending = args.client.line_ending();
        Self {
            stream,
            peer,
            receiver,
            console,
            ending,
            first: args.client.message.clone().into_bytes(),
            rhythm: ending.is_empty() && !args.client.no_wait,
            timeout: args.client.timeout,
            wait_close: args.wait_close,
            no_wait: args.client.no_wait,
            lines: 0,
            writes: 0,
            bytes: 0,
            line_so_far: 0,
        }
    }

    /// Sends until the conversation ends, and says how it ended. True when
    /// the input ended with the connection still open: then it is our turn
    /// to send FIN.
    pub fn converse(&mut self, input: &Input) -> Result<bool, Failure> {
        let ended = match self.send_input(input) {
            Ok(ended) => ended,
            // Ctrl-C cut a send short: the stop the user asked for.
            Err(_) if input.was_interrupted() => Ended::Interrupted,
            Err(failure) => {
                let why = tr("client-end-send-failed", &[]);
                input.finish(self.console, &why);
                return Err(failure);
            }
        };
        // Lines typed or pasted beyond the end are counted, not lost.
        match ended {
            Ended::Interrupted => input.finish(self.console, "Ctrl-C"),
            Ended::Input => {
                input.finish(self.console, &tr("client-end-over", &[]))
            }
            Ended::Receiver => true,
        };
        // Ctrl-C stops at once; after a reset nothing is left to close.
        let tally = self.receiver.tally();
        if ended == Ended::Interrupted || tally.ended() == Some(EndKind::Failed)
        {
            return Ok(false);
        }
        // The server closed first: dropping the stream sends our FIN.
        if tally.ended() == Some(EndKind::Closed) {
            self.receiver.wait_for_close(self.stream, self.wait_close);
            self.report();
            return Ok(false);
        }
        Ok(true)
    }

    /// After our FIN, sent by the shutdown() that began `at`: waits for the
    /// server's, and with `--no-wait` reports how the lines went.
    pub fn after_fin(&self, at: Option<u64>) {
        self.receiver
            .trace_at(at, Step::Shutdown, None, None, 0, None);
        self.receiver.wait_for_close(self.stream, self.wait_close);
        self.report();
    }

    /// Sends `--message`, then the input, until the input ends or the
    /// server closes.
    fn send_input(&mut self, input: &Input) -> Result<Ended, Failure> {
        if !self.first.is_empty() {
            let first = std::mem::take(&mut self.first);
            self.send(&first, true)?;
        }
        loop {
            // Ctrl-C cut the connection itself: the end the receiving
            // thread saw is ours, not the server's.
            if input.was_interrupted() {
                return Ok(Ended::Interrupted);
            }
            match self.receiver.tally().ended() {
                None => {}
                Some(end) if input.is_terminal() => {
                    return Ok(self.ended_under_the_prompt(end, input));
                }
                // A pipe: what it still holds is counted, not sent.
                Some(end) => {
                    let why = match end {
                        EndKind::Closed => "client-end-server-closed",
                        EndKind::StdoutClosed => "client-end-output-closed",
                        EndKind::Failed => "client-end-failed",
                    };
                    input.finish(self.console, &tr(why, &[]));
                    return Ok(Ended::Receiver);
                }
            }
            match input.next() {
                InputEvent::Text { bytes, line_end } => {
                    // Without a line ending, an empty line ends the
                    // conversation, as in the Python script.
                    let empty = bytes.is_empty() && self.line_so_far == 0;
                    if line_end && empty && self.ending.is_empty() {
                        return Ok(Ended::Input);
                    }
                    self.send(&bytes, line_end)?;
                }
                InputEvent::End => return Ok(Ended::Input),
                InputEvent::Interrupted => return Ok(Ended::Interrupted),
                InputEvent::Failed(failure) => return Err(failure),
                InputEvent::Wake => {}
            }
        }
    }

    /// The conversation ended while the user was at the prompt.
    fn ended_under_the_prompt(&self, end: EndKind, input: &Input) -> Ended {
        let why = match end {
            EndKind::Closed => {
                self.receiver.closed();
                let args = [("peer", self.peer.to_string().into())];
                tr("client-end-peer-closed", &args)
            }
            EndKind::Failed => self
                .receiver
                .tally()
                .failure()
                .unwrap_or_else(|| tr("client-end-failed", &[])),
            EndKind::StdoutClosed => tr("client-end-output-closed", &[]),
        };
        match input.finish(self.console, &why) {
            true => Ended::Receiver,
            false => Ended::Interrupted,
        }
    }

    /// Sends one piece of a line, with the line ending when the line is
    /// complete; then, in rhythm, waits (at most `--timeout`) for its echo.
    fn send(&mut self, piece: &[u8], line_end: bool) -> Result<(), Failure> {
        let mut data = piece.to_vec();
        if line_end {
            data.extend_from_slice(self.ending);
        }
        let peer = self.peer;
        self.line_so_far += piece.len() as u64;
        // Counted before it goes out: the echo may come back before
        // write_all() returns.
        let line = line_end.then(|| {
            self.lines += 1;
            self.line_so_far = 0;
            self.lines
        });
        self.receiver.tally().sent(data.len(), line);
        if !data.is_empty() {
            let mut stream = self.stream;
            let at = lesson::trace::start();
            // ANCHOR: send
            // write_all() calls send() until the kernel has taken every
            // byte; meanwhile the receiving thread goes on reading.
            stream.write_all(&data).during(Step::Send, peer)?;
            // ANCHOR_END: send
            let offset = self.bytes as usize;
            let bytes = Some(data.len());
            self.receiver
                .trace_at(at, Step::Send, None, bytes, offset, None);
            self.writes += 1;
            self.bytes += data.len() as u64;
            let narrator = lesson::narrate::narrator();
            let details = crate::messages::sent(data.len(), peer);
            narrator.explain(Step::Send, format_args!("{details}"));
            // With --step the send's pause comes before the echo's: the
            // receiving thread tells the echo once the send is told.
            narrator.pause(Step::Send);
            self.receiver.tally().told(self.bytes);
        }
        if !line_end {
            return Ok(());
        }
        if self.rhythm
            && self.receiver.tally().wait_for_echo(self.timeout) == Echo::Late
        {
            let steps = lesson::narrate::narrator().steps();
            let (line, timeout) = (self.lines, self.timeout);
            crate::messages::echo_late(self.console, line, timeout, steps);
        }
        Ok(())
    }

    /// With `--no-wait`: how the lines went out and how the bytes came
    /// back, which is the point of that lab.
    fn report(&self) {
        if !self.no_wait {
            return;
        }
        // The counts once the receiving thread has read all it will.
        self.receiver.tally().wait_for_end(self.wait_close);
        let (reads, received) = self.receiver.tally().totals();
        let (lines, writes, bytes) = (self.lines, self.writes, self.bytes);
        let summary =
            crate::messages::summary(lines, writes, bytes, received, reads);
        self.console.status(format_args!("{summary}"));
    }
}

/// A shutdown() refused with "not connected" comes after the server reset
/// the connection: the kernel has already torn it down. Said as the reset
/// it is, `connection reset by peer`.
pub fn after_reset(e: io::Error) -> io::Error {
    match e.kind() {
        ErrorKind::NotConnected => io::Error::from(ErrorKind::ConnectionReset),
        _ => e,
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::after_reset;
    use lesson::Step;
    use lesson::narrate::Told;
    use std::io::{ErrorKind, Read, Write};
    use std::net::{Shutdown, TcpListener, TcpStream};
    use std::time::Duration;

    /// The server resets the connection before our FIN: shutdown() finds
    /// nothing left to shut down, and the client says what happened.
    #[test]
    fn shutdown_after_a_reset_says_the_server_reset_it() {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let peer = listener.local_addr().unwrap();
        let mut stream = TcpStream::connect(peer).unwrap();
        let (server, _) = listener.accept().unwrap();
        // A server that closes with bytes unread makes its kernel send RST.
        stream.write_all(b"unread\n").unwrap();
        server
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let mut peeked = [0; 16];
        for _ in 0..100 {
            if server.peek(&mut peeked).unwrap() == 7 {
                break;
            }
        }
        drop(server);
        // Our recv() sees the reset: it has arrived.
        stream
            .set_read_timeout(Some(Duration::from_secs(10)))
            .unwrap();
        let read = stream.read(&mut [0; 16]).unwrap_err();
        assert_eq!(read.kind(), ErrorKind::ConnectionReset);

        let said = stream
            .shutdown(Shutdown::Write)
            .map_err(after_reset)
            .told(Step::Shutdown, peer)
            .unwrap_err()
            .to_string();
        assert!(said.contains("connection reset by peer"), "{said}");
        assert!(!said.contains("not connected"), "{said}");
        assert!(said.starts_with("cannot shut down"), "{said}");
        assert!(said.contains(&peer.to_string()), "{said}");
    }
}
