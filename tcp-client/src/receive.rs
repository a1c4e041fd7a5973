//! The receiving side: recv() in a loop on a thread of its own, from
//! connect until the server closes, printing every read as it arrives.
//!
//! TCP carries bytes, not messages: the echo of one send may arrive in one
//! recv or in several, the echoes of several sends may arrive in one, and a
//! server may send what it likes, when it likes (a greeting first, a web
//! page after a request). So the receiver never waits for "the reply to a
//! line": it shows what comes, and keeps count of how many of the bytes
//! sent have come back, which is what an echo server's reply looks like.

use crate::args::Args;
use crate::closing::{self, Closing};
use crate::show::Show;
use crate::stream::Stream;
use crate::tally::{End, Tally};
use input::Waker;
use lesson::{Console, Failure, Narrator, Place, Step};
use std::io::{ErrorKind, Read};
use std::net::Shutdown;
use std::time::Duration;

/// The receiving side, shared by the receiving thread and the main one.
#[derive(Debug)]
pub struct Receiver<'a> {
    /// For --trace: when the receiving side was set up, which is when its
    /// first recv() begins to wait (the thread starts right after).
    created: Option<u64>,
    peer: Place,
    /// Our end of the connection, for the trace.
    local: Option<Place>,
    buffer: usize,
    hex: bool,
    console: &'a Console,
    narrator: &'static Narrator,
    waker: Waker,
    tally: Tally,
}

impl<'a> Receiver<'a> {
    pub fn new(
        peer: &Place,
        local: &Option<Place>,
        args: &Args,
        console: &'a Console,
        waker: Waker,
    ) -> Self {
        Self {
            created: lesson::trace::start(),
            peer: peer.clone(),
            local: local.clone(),
            buffer: args.client.buffer,
            hex: args.common.hex,
            console,
            narrator: lesson::narrate::narrator(),
            waker,
            tally: Tally::new(),
        }
    }

    /// What both threads know about the conversation.
    pub fn tally(&self) -> &Tally {
        &self.tally
    }

    /// The receiving thread: reads until the server closes, the connection
    /// fails, or we stop it. It reads through a shared reference to the
    /// stream: the main thread writes through another one at the same time.
    pub fn run(&self, mut stream: &Stream) {
        let peer = &self.peer;
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
            let note = self.tally.arrived(n);
            self.trace(Step::Recv, waited, Some(n), note.offset, None);
            if self.narrator.explains() {
                self.tally.wait_until_told(note.received);
            }
            let details = crate::messages::received(note.reads, n, peer, &note);
            self.narrator.did(Step::Recv, format_args!("{details}"));
            let open = show.read(self.console, data)
                && (!self.hex || self.console.hex(data, note.offset));
            // Counted as shown only now, so the sender's next line is
            // narrated after this read's output, never in the middle of it.
            self.tally.lock().shown = note.received;
            self.tally.changed();
            if !open {
                break End::StdoutClosed;
            }
        };
        if !matches!(end, End::StdoutClosed) {
            show.end(self.console);
        }
        let mut state = self.tally.lock();
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
        self.tally.changed();
        self.waker.wake();
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
            local: self.local.clone(),
            peer: Some(self.peer.clone()),
            conn: Some(1),
            bytes: bytes.map(|n| n as u64),
            offset: bytes.map(|_| offset as u64),
            error,
            ..Default::default()
        }
        .record(step);
    }

    /// Stops the receiving thread at once: Ctrl-C, or waiting ran out.
    pub fn stop(&self, stream: &Stream) {
        let mut state = self.tally.lock();
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
    pub fn wait_for_close(&self, stream: &Stream, wait_close: Duration) {
        match closing::wait_for_close(&self.tally, wait_close) {
            Closing::Closed { received, sent } => {
                self.closed();
                crate::messages::closed(
                    self.console,
                    &self.peer,
                    received,
                    sent,
                );
            }
            Closing::Ended => {}
            Closing::GaveUp(why) => {
                crate::messages::stopped_waiting(
                    self.console,
                    &self.peer,
                    &why,
                );
                self.stop(stream);
            }
        }
    }

    /// Narrates the server's FIN: the recv() that returned 0. Told by the
    /// main thread, so that it comes after our own steps in order.
    pub fn closed(&self) {
        if std::mem::replace(&mut self.tally.lock().told_fin, true) {
            return;
        }
        let details = lesson::lang::peer_closed(&self.peer);
        self.narrator.did(Step::Recv, format_args!("{details}"));
    }
}
