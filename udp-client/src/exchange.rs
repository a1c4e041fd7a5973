//! Sending datagrams and waiting (a bounded time) for their replies.
//!
//! UDP promises nothing: a datagram or its reply may be lost, and nobody
//! says so. The client waits `--timeout` for each reply, reports a loss as
//! normal life, and with `--retries` sends again: reliability, if wanted,
//! is the application's job.

use crate::Args;
use shared::datagram::{self, Received, is_bye};
use shared::text::{count, render_preview};
use shared::{Console, Failure, Narrator, Step, StepResult};
use socket2::{MaybeUninitSlice, Socket};
use std::io::{self, ErrorKind};
use std::net::SocketAddr;
use std::time::{Duration, Instant};

/// What became of one message.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A reply came back, or none was expected (`bye`), or the message
    /// could not be sent as one datagram.
    Done,
    /// No reply within the timeout, after every retry.
    Lost,
    /// stdout is gone (`| head -1`): time to stop quietly.
    StdoutClosed,
}

/// The client's side of the conversation, with its counters.
#[derive(Debug)]
pub struct Talk<'a> {
    socket: &'a Socket,
    server: SocketAddr,
    buffer: Vec<u8>,
    timeout: Duration,
    retries: u32,
    hex: bool,
    /// The largest payload one datagram can carry to this server.
    largest: usize,
    console: &'a Console,
    narrator: &'a Narrator,
    /// Messages to send, datagrams sent (retries included), replies read.
    messages: u64,
    sent: u64,
    reads: u64,
    problems: u64,
}

impl<'a> Talk<'a> {
    pub fn new(
        socket: &'a Socket,
        server: SocketAddr,
        args: &Args,
        console: &'a Console,
        narrator: &'a Narrator,
    ) -> Self {
        let largest = match server {
            SocketAddr::V4(_) => datagram::MAX_PAYLOAD_V4,
            SocketAddr::V6(_) => datagram::MAX_PAYLOAD_V6,
        };
        Self {
            socket,
            server,
            buffer: vec![0; args.client.buffer],
            timeout: args.client.timeout,
            retries: args.retries,
            hex: args.common.hex,
            largest,
            console,
            narrator,
            messages: 0,
            sent: 0,
            reads: 0,
            problems: 0,
        }
    }

    /// Sends `message` as one datagram and prints the reply, sending again
    /// up to `--retries` times while no reply comes.
    pub fn exchange(&mut self, message: &[u8]) -> Result<Outcome, Failure> {
        self.messages += 1;
        if !self.fits(message) {
            return Ok(Outcome::Done);
        }
        let attempts = self.retries + 1;
        for attempt in 1..=attempts {
            let started = Instant::now();
            self.send(message)?;
            if is_bye(message) {
                return Ok(Outcome::Done);
            }
            match self.receive(started)? {
                Some(open) => return Ok(open),
                None => self.console.warn(format_args!(
                    "no reply from {} within {:?} (attempt {attempt} of {attempts}): \
                     the datagram or its reply may be lost, or nothing answers there{}",
                    self.server,
                    self.timeout,
                    if attempt < attempts { "; sending again" } else { "; carrying on" }
                )),
            }
        }
        self.problems += 1;
        Ok(Outcome::Lost)
    }

    /// `--no-wait`: sends every message at once, one datagram each, then
    /// collects the replies.
    pub fn burst(&mut self, messages: &[Vec<u8>]) -> Result<Outcome, Failure> {
        let started = Instant::now();
        let reads_before = self.reads;
        let mut expected = 0;
        for message in messages {
            self.messages += 1;
            if self.fits(message) {
                self.send(message)?;
                expected += u64::from(!is_bye(message));
            }
        }
        let mut replies = 0;
        while replies < expected {
            match self.receive(started)? {
                Some(Outcome::StdoutClosed) => {
                    return Ok(Outcome::StdoutClosed);
                }
                Some(_) => replies += 1,
                None => break,
            }
        }
        self.console.status(format_args!(
            "sent {}; {} came back in {}",
            count(expected, "datagram"),
            count(replies, "reply"),
            count(self.reads - reads_before, "read"),
        ));
        if replies < expected {
            self.problems += expected - replies;
            self.console.warn(format_args!(
                "{} missing after {:?}: lost, or nothing answers there",
                count(expected - replies, "reply"),
                self.timeout
            ));
            return Ok(Outcome::Lost);
        }
        Ok(Outcome::Done)
    }

    /// A line too long for one datagram is reported, not sent.
    fn fits(&mut self, message: &[u8]) -> bool {
        if message.len() <= self.largest {
            return true;
        }
        self.problems += 1;
        self.console.error(format_args!(
            "not sent: the line is {} bytes, but one UDP datagram carries at \
             most {} bytes of data (send shorter lines)",
            message.len(),
            self.largest
        ));
        false
    }

    fn send(&mut self, message: &[u8]) -> Result<(), Failure> {
        let server = self.server;
        self.narrator.pause(
            Step::Send,
            format_args!("{} bytes to {server}", message.len()),
        );
        // ANCHOR: send
        // send() hands the kernel one datagram for the connected server.
        let sent = self
            .socket
            .send(message)
            .map_err(|e| refused_or(e, server, Step::Send))?;
        // ANCHOR_END: send
        self.sent += 1;
        self.narrator
            .explain(Step::Send, format_args!("{sent} bytes to {server}"));
        Ok(())
    }

    /// Waits for one reply and prints it. `None` when none came in time;
    /// otherwise whether stdout is still open.
    fn receive(
        &mut self,
        started: Instant,
    ) -> Result<Option<Outcome>, Failure> {
        let server = self.server;
        self.socket
            .set_read_timeout(Some(self.timeout))
            .during(Step::Recv, server)?;
        self.narrator
            .pause(Step::Recv, format_args!("from {server}"));
        // ANCHOR: recv
        // recv() waits for one datagram from the server. UDP may lose the
        // message or the reply, so the wait is bounded by --timeout.
        let received = match recv(self.socket, &mut self.buffer) {
            Ok(received) => received,
            // Nothing within the timeout: lost, or nobody answered.
            Err(e)
                if matches!(
                    e.kind(),
                    ErrorKind::WouldBlock | ErrorKind::TimedOut
                ) =>
            {
                return Ok(None);
            }
            Err(e) => return Err(refused_or(e, server, Step::Recv)),
        };
        // ANCHOR_END: recv
        self.reads += 1;
        let data = &self.buffer[..received.kept];
        self.narrator.explain(
            Step::Recv,
            format_args!(
                "#{}: {} bytes from {server} ({:.2} ms after sending)",
                self.reads,
                data.len(),
                started.elapsed().as_secs_f64() * 1000.0
            ),
        );
        if let Some(warning) = received.truncation() {
            self.problems += 1;
            self.console
                .warn(format_args!("reply {warning} (try a larger --buffer)"));
        }
        let open = self.console.data(format_args!("{}", render_preview(data)))
            && (!self.hex || self.console.hex(data, 0));
        Ok(Some(if open {
            Outcome::Done
        } else {
            Outcome::StdoutClosed
        }))
    }

    /// Exit 0 when every message got its whole reply, else a failure.
    pub fn verdict(&self) -> Result<(), Failure> {
        match self.problems {
            0 => Ok(()),
            n => Err(Failure::new(format!(
                "{n} of {} messages had no complete reply",
                self.messages.max(n)
            ))
            .hint("UDP does not resend by itself; see the warnings above")),
        }
    }
}

/// recv() on the connected socket that also tells whether the reply was
/// cut off (see udp-server's recv_from for the details).
fn recv(socket: &Socket, buffer: &mut [u8]) -> io::Result<Received> {
    let size = buffer.len();
    let mut slices = [MaybeUninitSlice::new(datagram::uninit(buffer))];
    let (returned, flags) = socket
        .recv_vectored_with_flags(&mut slices, datagram::REAL_LENGTH_FLAG)?;
    Ok(Received::new(returned, flags.is_truncated(), size))
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
