//! What every conversation can see, in three parts: the settings it runs
//! with, the roster of clients it joins, and the stopper that ends it.
//!
//! None of this is part of the socket lifecycle; it is kept apart so that
//! `main.rs` and `echo.rs` show only the calls a student should follow.

use crate::roster::Roster;
use crate::settings::Settings;
use crate::stopping;
use graceful::stop::Stopper;
use std::net::SocketAddr;
use std::sync::Arc;

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
    pub fn new(settings: Settings, listening_on: SocketAddr) -> Self {
        let roster =
            Arc::new(Roster::new(settings.console.clone(), settings.narrator));
        let stopper = stopping::stopper(listening_on, Arc::clone(&roster));
        Self {
            settings,
            roster,
            stopper,
        }
    }

    /// True once the grace period after a stop is over: conversations
    /// still going on are cut off.
    pub fn grace_over(&self) -> bool {
        self.stopper
            .stopped_at()
            .is_some_and(|at| at.elapsed() >= stopping::GRACE)
    }
}
