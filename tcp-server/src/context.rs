//! What every conversation can see, in three parts: the settings it runs
//! with, the roster of clients it joins, and the stopper that ends it.
//!
//! None of this is part of the socket lifecycle; it is kept apart so that
//! `main.rs` and `echo.rs` show only the calls a student should follow.

use crate::roster::Roster;
use crate::settings::Settings;
use crate::stopping::{self, GRACE};
use graceful::stop::Stopper;
use lesson::Failure;
use lesson::Place;
use std::sync::Arc;
use std::time::Instant;

/// The settings, the roster and the stopper of one server.
#[derive(Debug)]
pub struct Context {
    pub settings: Settings,
    pub roster: Arc<Roster>,
    pub stopper: Stopper,
}

impl Context {
    /// The context of a server listening on `listening_on`, with no
    /// clients yet.
    pub fn new(
        settings: Settings,
        listener: &crate::family::Listener,
        listening_on: &Place,
    ) -> Result<Self, Failure> {
        let console = settings.console.clone();
        let roster = Arc::new(Roster::new(console.clone()));
        let stopper = stopping::stopper(
            listener,
            listening_on,
            Arc::clone(&roster),
            console,
        )?;
        Ok(Self {
            settings,
            roster,
            stopper,
        })
    }

    /// Makes Ctrl-C and SIGTERM stop the server: the accept loop ends, and
    /// [`Context::finish`] waits for the conversations (a second one stops
    /// at once).
    pub fn stop_on_signals(self: &Arc<Self>) {
        let for_signal = Arc::clone(self);
        let stop = move || for_signal.stopper.stop();
        if let Err(e) = graceful::signals::on_stop(stop) {
            crate::messages::no_signals(&self.settings.console, &e);
        }
    }

    /// True once the grace period after a stop is over: conversations
    /// still going on are cut off.
    pub fn grace_over(&self) -> bool {
        self.stopper
            .stopped_at()
            .is_some_and(|at| at.elapsed() >= GRACE)
    }

    /// Once the accept loop has ended: waits for every conversation to
    /// end, so that the summary counts every byte echoed, and prints it.
    pub fn finish(&self) {
        let stopped_at = self.stopper.stopped_at().unwrap_or_else(Instant::now);
        let cut_off = self.roster.drain(stopped_at + GRACE);
        let console = &self.settings.console;
        if cut_off > 0 {
            let args = [("clients", cut_off.into())];
            let line = lesson::lang::tr("server-cut-off", &args);
            console.status(format_args!("{line}"));
        }
        console.status(format_args!("{}", self.roster.summary()));
    }
}
