//! How a conversation ends: why, the line the server says about it, and
//! how `--trace` names the connection. The same in every design.

use crate::roster::Echoed;
use lesson::lang::tr;
use lesson::{Console, Place, Step};
use std::io;
use std::time::Duration;

/// Why a conversation ended.
#[derive(Debug)]
pub enum Ending {
    /// The client closed its side (and all its echo was sent).
    Closed,
    /// No progress either way for --idle-timeout, waiting in this step.
    Idle(Step),
    /// The server is stopping; the last echo was sent.
    Stopping,
    /// The server is stopping, and the grace period ran out with echo the
    /// client did not take.
    CutOff,
    Failed(Step, io::Error),
}

/// The line that says how a conversation ended. `label` is the client's
/// painted address, `idle` the --idle-timeout; `stopping`: a failure does
/// not leave the server going on.
pub fn farewell(
    console: &Console,
    label: &str,
    ending: &Ending,
    echoed: &Echoed,
    idle: Duration,
    stopping: bool,
) {
    let counts = echoed.counts();
    let idle = format!("{idle:?}");
    let line = |id: &str| {
        let args = [
            ("client", label.into()),
            ("counts", counts.as_str().into()),
            ("idle", idle.as_str().into()),
        ];
        tr(id, &args)
    };
    match ending {
        Ending::Stopping => {
            console.status(format_args!("{}", line("server-farewell-stopping")))
        }
        Ending::CutOff => {
            console.status(format_args!("{}", line("server-farewell-cut-off")))
        }
        Ending::Closed => {
            console.status(format_args!("{}", line("server-farewell-closed")))
        }
        Ending::Idle(Step::Send) => console
            .status(format_args!("{}", line("server-farewell-idle-send"))),
        Ending::Idle(_) => {
            console.status(format_args!("{}", line("server-farewell-idle")))
        }
        Ending::Failed(step, e) => {
            let args = [
                ("client", label.into()),
                ("step", step.name().into()),
                ("why", lesson::failure::describe(e).into()),
                ("counts", counts.as_str().into()),
            ];
            let id = match stopping {
                true => "server-farewell-failed-stopping",
                false => "server-farewell-failed",
            };
            let warning = tr(id, &args);
            console.warn(format_args!("{warning}"));
        }
    }
}

/// One connection, as `--trace` names it.
#[derive(Debug)]
pub struct Traced {
    pub local: Option<Place>,
    pub peer: Place,
    pub conn: u64,
}

impl Traced {
    /// Records `step` on this connection: `bytes` at `offset` in its
    /// direction of the stream (nothing for a close); `start`: when a call
    /// that waited began.
    #[inline] // Twice a message: without --trace, only a test.
    pub fn record(
        &self,
        step: Step,
        start: Option<u64>,
        bytes: usize,
        offset: u64,
    ) {
        if lesson::trace::enabled() {
            self.write(step, start, None, bytes, offset);
        }
    }

    /// Records a send of `bytes` at `offset` that began `at`: the bytes
    /// may reach the client (and be traced there) before this returns.
    pub fn record_sent(&self, at: Option<u64>, bytes: usize, offset: u64) {
        self.write(Step::Send, None, at, bytes, offset);
    }

    /// Records a shutdown(Write) that sent FIN `at` (now if `None`).
    pub fn record_shutdown(&self, at: Option<u64>) {
        self.write(Step::Shutdown, None, at, 0, 0);
    }

    fn write(
        &self,
        step: Step,
        start: Option<u64>,
        at: Option<u64>,
        bytes: usize,
        offset: u64,
    ) {
        // Without --trace, nothing to build: this runs twice a message.
        if !lesson::trace::enabled() {
            return;
        }
        let data = !matches!(step, Step::Close | Step::Shutdown);
        lesson::trace::Event {
            at,
            start,
            local: self.local.clone(),
            peer: Some(self.peer.clone()),
            conn: Some(self.conn),
            bytes: data.then_some(bytes as u64),
            offset: data.then_some(offset),
            ..Default::default()
        }
        .record(step);
    }

    /// Records a failed `step`.
    pub fn failed(&self, step: Step, e: &io::Error) {
        lesson::trace::Event {
            local: self.local.clone(),
            peer: Some(self.peer.clone()),
            conn: Some(self.conn),
            error: Some(lesson::failure::describe(e)),
            ..Default::default()
        }
        .record(step);
    }
}
