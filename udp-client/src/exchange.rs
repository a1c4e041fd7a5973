//! Sending one datagram and waiting (a bounded time) for one reply.

use crate::Args;
use shared::datagram::{self, Received, is_bye};
use shared::text::render_preview;
use shared::{Console, Failure, Narrator, Step, StepResult};
use socket2::{MaybeUninitSlice, Socket};
use std::io::{self, ErrorKind};
use std::net::SocketAddr;
use std::time::Duration;

/// What became of one message.
#[derive(Debug, PartialEq, Eq)]
pub enum Outcome {
    /// A reply came back (or none was expected, for `bye`).
    Replied,
    /// No reply within the timeout.
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
    console: &'a Console,
    narrator: &'a Narrator,
    sent: u64,
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
        Self {
            socket,
            server,
            buffer: vec![0; args.buffer],
            timeout: args.timeout,
            console,
            narrator,
            sent: 0,
            problems: 0,
        }
    }

    /// Sends `message` as one datagram and prints the reply, if one comes.
    pub fn exchange(&mut self, message: &[u8]) -> Result<Outcome, Failure> {
        let server = self.server;
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
        if is_bye(message) {
            return Ok(Outcome::Replied);
        }

        self.socket
            .set_read_timeout(Some(self.timeout))
            .during(Step::Recv, server)?;
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
                self.problems += 1;
                self.console.warn(format_args!(
                    "no reply from {server} within {:?}: the datagram or its reply \
                     may be lost, or nothing answers there; carrying on",
                    self.timeout
                ));
                return Ok(Outcome::Lost);
            }
            Err(e) => return Err(refused_or(e, server, Step::Recv)),
        };
        // ANCHOR_END: recv
        let data = &self.buffer[..received.kept];
        self.narrator.explain(
            Step::Recv,
            format_args!("{} bytes from {server}", data.len()),
        );
        if let Some(warning) = received.truncation() {
            self.problems += 1;
            self.console
                .warn(format_args!("reply {warning} (try a larger --buffer)"));
        }
        match self.console.data(format_args!("{}", render_preview(data))) {
            true => Ok(Outcome::Replied),
            false => Ok(Outcome::StdoutClosed),
        }
    }

    /// Reports a line too long for one datagram; nothing is sent.
    pub fn too_long(&mut self, len: usize, largest: usize) {
        self.problems += 1;
        self.console.error(format_args!(
            "not sent: the line is {len} bytes, but one UDP datagram carries at \
             most {largest} bytes of data (send shorter lines)"
        ));
    }

    /// Exit 0 when every message got its whole reply, else a failure.
    pub fn verdict(&self) -> Result<(), Failure> {
        match self.problems {
            0 => Ok(()),
            n => Err(Failure::new(format!(
                "{n} of {} messages had no complete reply",
                self.sent.max(n)
            ))
            .hint("UDP does not resend; see the warnings above")),
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
