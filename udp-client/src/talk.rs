//! The sending side: `--message`, then every line of input, one datagram
//! each, and the wait for each reply.

use crate::args::Args;
use crate::conversation::{Request, Talk, refused_or};
use crate::messages;
use input::{Input, InputEvent};
use lesson::{Failure, Place, Step};
use shared::datagram::is_bye;
use std::time::{Duration, Instant};

/// Lines kept for matching replies; older ones are forgotten, so memory
/// does not grow with the input.
const TRACKED: usize = 256;

/// How often a wait looks at the Ctrl-C flag.
const LOOK_AGAIN: Duration = Duration::from_millis(50);

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

impl Talk<'_> {
    /// True when one datagram can carry a line of `size` bytes; else says
    /// why not.
    pub fn fits(&self, size: usize) -> bool {
        if size <= self.largest {
            return true;
        }
        self.state().problems += 1;
        let unix = matches!(self.server, Place::Path(_));
        let error = messages::too_long(size, self.largest, unix);
        self.console.error(format_args!("{error}"));
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
                Reply::Missing => {
                    let tries = (attempt, attempts);
                    let warning = messages::no_reply(line, self.timeout, tries);
                    self.console.warn(format_args!("{warning}"));
                }
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
        let server = &self.server;
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
            local: self.local.clone(),
            peer: Some(server.clone()),
            bytes: Some(message.len() as u64),
            datagram: Some(message),
            ..Default::default()
        }
        .record(Step::Send);
        let details = messages::sent(sent, server);
        self.narrator.explain(Step::Send, format_args!("{details}"));
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
            let why = messages::waiting();
            self.narrator.waiting_for(since, format_args!("{why}"));
            // A --step pause holding the reply back does not lose it.
            let Some(left) = self.narrator.time_left(since, self.timeout)
            else {
                return Reply::Missing;
            };
            // Ctrl-C is only a flag: look at it now and then.
            let left = left.min(LOOK_AGAIN);
            state = self.wait(state, left);
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
            let warning = messages::missing(missing, self.timeout);
            self.console.warn(format_args!("{warning}"));
        }
        if bye {
            let line = messages::no_reply_to_bye(self.timeout);
            self.console.status(format_args!("{line}"));
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
            state = self.wait(state, left);
        }
    }
}

/// Sends `--message`, then every line of input as one datagram, until the
/// input ends, an empty line, or `bye`. Returns the number of datagrams
/// sent (a line too long for one is not), or `None` after Ctrl-C.
pub fn send_input(
    talk: &Talk<'_>,
    input: &Input,
    args: &Args,
) -> Result<Option<u64>, Failure> {
    let ending = args.client.line_ending();
    // The script's rhythm (one line, then its reply) unless told otherwise.
    let wait = ending.is_empty() && !args.client.no_wait;
    let mut lines = 0;
    let mut sent = 0;
    let mut line = args.client.message.clone().into_bytes();
    let mut size = line.len();
    let mut complete = !line.is_empty();
    // The first message goes out whatever happens, as tcp-client's does.
    let mut typed = false;
    loop {
        if typed && input.was_interrupted() {
            // Ctrl-C: at once, whatever is still queued, and a line taken
            // already goes back to be counted as not sent.
            if complete {
                input.give_back(line);
            }
            return Ok(None);
        }
        typed = true;
        if complete {
            // Without a line ending, an empty line ends, as in the script.
            if size == 0 && ending.is_empty() {
                return Ok(Some(sent));
            }
            lines += 1;
            line.extend_from_slice(ending);
            size += ending.len();
            if talk.fits(size) {
                talk.exchange(lines, &line, wait)?;
                sent += 1;
            }
            if is_bye(&line) {
                return Ok(Some(sent)); // The Python client stops here too.
            }
            line.clear();
            size = 0;
            complete = false;
        }
        if talk.ended() {
            // Refused, or nobody reads: the editor must let go first.
            let finished = input.finish(talk.console(), &talk.end_reason());
            return Ok(finished.then_some(sent));
        }
        match input.next() {
            InputEvent::Text { bytes, line_end } => {
                // A line longer than a datagram is counted, not kept.
                size += bytes.len();
                let room = talk.largest().saturating_sub(line.len());
                line.extend_from_slice(&bytes[..bytes.len().min(room)]);
                complete = line_end;
            }
            // A last line without a line ending is a line all the same.
            InputEvent::End if size > 0 => complete = true,
            InputEvent::End => return Ok(Some(sent)),
            InputEvent::Interrupted => return Ok(None),
            InputEvent::Failed(failure) => return Err(failure),
            InputEvent::Wake => {}
        }
    }
}
