//! Sending one message and reading its echo back from a byte stream.
//!
//! TCP carries bytes, not messages: the echo of one `send` may arrive in
//! one `recv` or in several. So the client counts bytes: it reads until as
//! many came back as it sent, or until the timeout, and says which.

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
    console: &'a Console,
    narrator: &'a Narrator,
    text: Utf8Stream,
    recv_calls: u64,
    messages: u64,
    incomplete: u64,
}

impl<'a> Conversation<'a> {
    pub fn new(
        peer: SocketAddr,
        buffer: usize,
        timeout: Duration,
        console: &'a Console,
        narrator: &'a Narrator,
    ) -> Self {
        Self {
            peer,
            buffer: vec![0; buffer],
            timeout,
            console,
            narrator,
            text: Utf8Stream::default(),
            recv_calls: 0,
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
        let peer = self.peer;
        // ANCHOR: send
        // write_all() calls send() until the kernel has taken every byte.
        stream.write_all(message).during(Step::Send, peer)?;
        // ANCHOR_END: send
        self.messages += 1;
        self.narrator.explain(
            Step::Send,
            format_args!("{} bytes to {peer}", message.len()),
        );

        let started = Instant::now();
        let deadline = started + self.timeout;
        let mut echoed = 0;
        let mut shown = String::new();
        let mut hidden = 0;
        while echoed < message.len() {
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() {
                break;
            }
            stream
                .set_read_timeout(Some(left))
                .during(Step::Recv, peer)?;
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
                Err(e)
                    if matches!(
                        e.kind(),
                        ErrorKind::WouldBlock | ErrorKind::TimedOut
                    ) =>
                {
                    break;
                }
                // Reset: the server went away without a proper close.
                Err(e) => return Err(Failure::at(Step::Recv, peer, &e)),
            };
            // ANCHOR_END: recv
            echoed += n;
            self.recv_calls += 1;
            self.narrator.explain(
                Step::Recv,
                format_args!(
                    "#{}: {n} bytes from {peer} ({echoed} of {} so far)",
                    self.recv_calls,
                    message.len()
                ),
            );
            let budget = SHOW_LIMIT.saturating_sub(echoed - n);
            let (text, more) =
                self.text.decode_preview(&self.buffer[..n], budget);
            shown.push_str(&text);
            hidden += more;
        }

        if echoed < message.len() {
            self.incomplete += 1;
            self.console.warn(format_args!(
                "only {echoed} of {} bytes came back within {:?}; moving on",
                message.len(),
                self.timeout
            ));
        }
        Ok(self
            .console
            .data(format_args!("{shown}{}", not_shown(hidden))))
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
