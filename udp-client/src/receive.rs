//! The receiving side: a thread of its own that prints every datagram
//! from the server the moment it arrives, and says which line it answers:
//! the line whose text it echoes, when there is one (then it can also tell
//! a late reply), else it is marked as matching nothing sent.

use crate::buffer::{REAL_LENGTH, as_uninit};
use crate::conversation::{Talk, refused_or};
use crate::messages;
use lesson::{Failure, Step};
use shared::datagram::Received;
use shared::text::render_preview;
use socket2::MaybeUninitSlice;
use std::time::{Duration, Instant};

/// How often the receiving thread looks whether it should stop.
const POLL: Duration = Duration::from_millis(100);

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

impl Talk<'_> {
    /// The receiving thread: every datagram from the server, printed as it
    /// arrives, until the conversation is over.
    pub fn receive_all(&self) {
        let server = &self.server;
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
            // late reply, or anything the server sends. socket2 makes it a
            // recvmsg(), whose flags say when the buffer was too small.
            let mut slices = [MaybeUninitSlice::new(as_uninit(&mut buffer))];
            let (size, flags) = match self
                .socket
                .recv_vectored_with_flags(&mut slices, REAL_LENGTH)
            {
                Ok(result) => result,
                // Nothing yet: look whether to stop, then wait again.
                Err(e) if lesson::failure::is_timeout(&e) => continue,
                // ICMP "port unreachable" came back for a datagram we sent.
                Err(e) => {
                    self.failed(refused_or(e, server, Step::Recv), waiting);
                    break;
                }
            };
            // ANCHOR_END: recv
            let received = Received::new(
                size,
                flags.is_truncated(),
                buffer.len(),
                REAL_LENGTH != 0,
            );
            let data = &buffer[..received.kept];
            lesson::trace::datagram(
                "recv",
                waiting.take(),
                self.local.clone(),
                server.clone(),
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
            local: self.local.clone(),
            peer: Some(self.server.clone()),
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
            state = self.wait(state, left);
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

        let line = match answers {
            Some(Match::Answer(line, after, ..)) => {
                Some((line, after.as_secs_f64() * 1000.0))
            }
            _ => None,
        };
        let details = messages::received(reads, data.len(), &self.server, line);
        self.narrator.did(Step::Recv, format_args!("{details}"));
        if let Some(warning) = messages::truncation(&received) {
            self.console.warn(format_args!("{warning}"));
        }
        let open = self.console.data(format_args!("{}", render_preview(data)))
            && (!self.hex || self.console.hex(data, 0));
        let status = match answers {
            Some(Match::Answer(line, _, sends, true)) => {
                Some(messages::late(line, sends))
            }
            Some(Match::Again(line, sends)) => {
                Some(messages::again(line, sends))
            }
            Some(Match::Other(line)) if !received.truncated => {
                Some(messages::not_an_echo(line))
            }
            None if !received.truncated => Some(messages::unmatched()),
            _ => None,
        };
        if let Some(status) = status {
            self.console.status(format_args!("{status}"));
        }
        self.state().shown = reads;
        self.changed.notify_all();
        open
    }
}
