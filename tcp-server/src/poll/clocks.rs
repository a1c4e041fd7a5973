//! The event loop's clocks: the stop and its grace period, and
//! --idle-timeout. A blocking server waits in each call with a timeout;
//! here poll() is the only wait, so its timeout is the nearest deadline.

use super::{GRACE, Server};
use crate::ending::Ending;
use lesson::Step;
use mio::Token;
use std::time::{Duration, Instant};

/// How long a stop waits for the waker's event before it goes on anyway.
const WAKE_OR_NOT: Duration = Duration::from_millis(100);

impl Server<'_> {
    /// The stop: closes the listener, and has each conversation send its
    /// last echo and say goodbye.
    pub(super) fn wind_up(&mut self) {
        self.winding_up = true;
        if let Some(mut listener) = self.listener.take() {
            let _ = self.poll.registry().deregister(&mut listener);
            let file = listener.take_socket_file();
            // Dropping the listener closes it: the port is free again.
            drop(listener);
            lesson::trace::close(Some(self.local.clone()), None, Some(0));
            let details = crate::listening::closed(&self.local);
            self.narrator.did(Step::Close, format_args!("{details}"));
            // bind() made the socket file of a path, and close() leaves it.
            crate::unix::removed(file, self.narrator, self.console);
        }
        let tokens: Vec<Token> = self.conns.keys().copied().collect();
        for token in tokens {
            self.ready(token, false);
        }
    }

    /// How long poll() may wait: until the next idle deadline, the end of
    /// the grace period, or the next accept() try; forever if none.
    /// True once a stop is asked and the waker's event has been seen, so
    /// that the narration tells it first; should it never come, 100 ms
    /// after the stop all the same.
    pub(super) fn stop_heard(&self) -> bool {
        self.stopper
            .stopped_at()
            .is_some_and(|at| self.woken || at.elapsed() >= WAKE_OR_NOT)
    }

    pub(super) fn timeout(&self) -> Option<Duration> {
        let now = Instant::now();
        let mut until: Option<Instant> = None;
        let mut sooner = |at: Instant| {
            until = Some(until.map_or(at, |u| u.min(at)));
        };
        if !self.again.is_empty() {
            sooner(now);
        }
        if self.backlog && self.conns.len() < self.options.max_clients {
            sooner(self.accept_retry.unwrap_or(now));
        }
        if let Some(at) = self.stopper.stopped_at() {
            sooner(at + GRACE);
            sooner(at + WAKE_OR_NOT);
        }
        if let Some(idle) = self.options.idle_timeout {
            self.conns.values().for_each(|c| sooner(c.progress + idle));
        }
        until.map(|at| at.saturating_duration_since(now))
    }

    /// Ends the conversations whose time is up: idle for --idle-timeout,
    /// or still going at the end of the grace period.
    pub(super) fn check_clocks(&mut self) {
        let grace_over = self
            .stopper
            .stopped_at()
            .is_some_and(|at| at.elapsed() >= GRACE);
        let idle = self.options.idle_timeout;
        let late: Vec<(Token, Ending)> = self
            .conns
            .iter()
            .filter_map(|(token, conn)| match idle {
                _ if grace_over => Some((*token, conn.cut_off())),
                Some(idle) if conn.progress.elapsed() >= idle => {
                    Some((*token, Ending::Idle(conn.idle_in())))
                }
                _ => None,
            })
            .collect();
        for (token, ending) in late {
            self.finish(token, ending);
        }
    }
}
