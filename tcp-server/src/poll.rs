//! The event-loop design, `tcp-server --poll`: one thread serves them all.
//!
//! The listener and every connection are non-blocking and registered with
//! mio, the readiness layer under tokio (epoll on Linux, kqueue on macOS).
//! Each turn of the loop waits in poll() until some sockets are ready, then
//! handles each: accept until WouldBlock, read until WouldBlock, send what
//! the kernel takes and keep the rest. No call ever waits, so one thread is
//! enough, and a client costs a few hundred bytes instead of a thread.

mod clocks;
mod conn;
mod explain;
mod options;
mod sockets;
mod tally;

use crate::ending::{self, Ending};
use conn::Conn;
use explain::{Io, Told};
use graceful::Stopper;
use lesson::console::Output;
use lesson::{Console, Failure, Narrator, Place, Step};
use mio::{Events, Interest, Poll, Token, Waker};
use options::Options;
use sockets::{Listener, Stream};
use std::collections::HashMap;
use std::io::{self, ErrorKind};
use std::sync::Arc;
use std::time::{Duration, Instant};
use tally::Tally;

/// The waker's token: a stop was asked for.
const WAKE: Token = Token(0);
/// The listening socket's token; connections get 2, 3, …
const LISTENER: Token = Token(1);
use crate::stopping::GRACE;
/// After a failed accept() (out of file descriptors, say), the next try.
const ACCEPT_RETRY: Duration = Duration::from_millis(100);
/// Events one poll() call can return; more wait for the next turn.
const EVENTS: usize = 1024;

/// Serves clients on `listener` (already listening on `local`) until
/// Ctrl-C, then prints the summary.
pub fn serve(
    listener: crate::family::Listener,
    local: Place,
    console: &Console,
    narrator: &'static Narrator,
    args: &crate::args::Args,
) -> Result<(), Failure> {
    let options = &Options::of(args);
    let cannot = explain::cannot_start;
    listener.set_nonblocking(true).map_err(cannot)?;
    let mut listener = Listener::from_std(listener).map_err(cannot)?;
    let poll = Poll::new().map_err(cannot)?;
    // The listener is readable when finished handshakes wait in its backlog.
    poll.registry()
        .register(&mut listener, LISTENER, Interest::READABLE)
        .map_err(cannot)?;
    // A stop comes from the signal thread: the waker makes poll() return.
    let waker = Waker::new(poll.registry(), WAKE).map_err(cannot)?;
    let stopper = Arc::new(Stopper::new(move || {
        let _ = waker.wake();
    }));
    let for_signal = Arc::clone(&stopper);
    if let Err(e) = graceful::signals::on_stop(move || for_signal.stop()) {
        crate::messages::no_signals(console, &e);
    }
    // Announced once Ctrl-C is ready to stop the server.
    let max_clients = Some(args.max_clients);
    crate::listening::announce(console, &local, args.backlog(), max_clients);
    let design = lesson::lang::lazy(|| lesson::lang::tr("poll-design", &[]));
    narrator.note(format_args!("{design}"));
    narrator.told_elsewhere(Step::Recv);
    narrator.told_elsewhere(Step::Send);
    let mut server = Server {
        poll,
        listener: Some(listener),
        local,
        conns: HashMap::new(),
        next: 2,
        buffer: vec![0; options.buffer],
        shown: String::new(),
        tally: Tally::default(),
        stopper,
        options,
        console,
        narrator,
        backlog: false,
        limit_told: false,
        accept_retry: None,
        told: Told::default(),
        winding_up: false,
        woken: false,
        again: Vec::new(),
    };
    server.run()?;
    console.status(format_args!("{}", server.tally.summary()));
    Ok(())
}

/// The event loop and everything it owns.
struct Server<'a> {
    poll: Poll,
    /// `None` once closed, when the server stops.
    listener: Option<Listener>,
    local: Place,
    conns: HashMap<Token, Conn>,
    /// The token of the next connection.
    next: usize,
    /// The one receive buffer, lent to each connection in turn.
    buffer: Vec<u8>,
    /// The text of the last read, as shown; the same buffer for every read.
    shown: String,
    tally: Tally,
    stopper: Arc<Stopper>,
    options: &'a Options,
    console: &'a Console,
    narrator: &'static Narrator,
    /// The listener was readable and accept() has not said WouldBlock since.
    backlog: bool,
    limit_told: bool,
    accept_retry: Option<Instant>,
    told: Told,
    winding_up: bool,
    woken: bool, // The waker's event was seen (and told).
    /// Connections with more to read, read again next turn.
    again: Vec<Token>,
}

impl Server<'_> {
    /// Turns of the loop until the server has stopped and every
    /// conversation has ended.
    fn run(&mut self) -> Result<(), Failure> {
        let mut events = Events::with_capacity(EVENTS);
        loop {
            if self.stop_heard() && !self.winding_up {
                self.wind_up();
            }
            if self.winding_up && self.conns.is_empty() {
                return Ok(());
            }
            self.wait(&mut events).map_err(explain::poll_failed)?;
            let again = std::mem::take(&mut self.again);
            let conns = &self.conns;
            let name = |token| conns.get(&token).map(Conn::name);
            explain::turn(
                self.narrator,
                &mut self.told,
                &events,
                &self.local,
                name,
            );
            for event in events.iter() {
                match event.token() {
                    WAKE => self.woken = true,
                    LISTENER => self.backlog = true,
                    token => self.ready(token, explain::readable(event)),
                }
            }
            // Those with more to read had no new event: read them anyway.
            again.into_iter().for_each(|token| self.ready(token, true));
            let retry = self.accept_retry.is_none_or(|at| at <= Instant::now());
            if self.backlog && retry {
                self.accept_all();
            }
            self.check_clocks();
        }
    }

    // ANCHOR: poll
    /// One turn's wait: poll() (epoll_wait on Linux) sleeps until a
    /// registered socket is ready, the waker is woken, or the nearest
    /// deadline passes, and fills `events` with what is ready, and for what.
    fn wait(&mut self, events: &mut Events) -> io::Result<()> {
        let timeout = self.timeout();
        match self.poll.poll(events, timeout) {
            // A signal arrived while waiting: no events this turn.
            Err(e) if e.kind() == ErrorKind::Interrupted => {
                events.clear();
                Ok(())
            }
            other => other,
        }
    }
    // ANCHOR_END: poll

    /// Accepts until WouldBlock, or until --max-clients are connected: the
    /// others wait in the backlog, and are accepted when a client leaves.
    fn accept_all(&mut self) {
        while self.conns.len() < self.options.max_clients {
            let Some(listener) = &self.listener else {
                return;
            };
            let token = Token(self.next);
            // ANCHOR: poll_accept
            // accept() takes one finished handshake off the backlog; with
            // none left it returns WouldBlock at once instead of waiting.
            let (mut stream, peer) = match listener.accept() {
                Ok(pair) => pair,
                Err(e) => return self.accept_stopped(&e),
            };
            // ANCHOR_END: poll_accept
            // ANCHOR: register
            // register() adds the new socket to those poll() watches: for
            // readable only, as it has no echo waiting yet.
            let registry = self.poll.registry();
            let registered =
                registry.register(&mut stream, token, Interest::READABLE);
            // ANCHOR_END: register
            self.next += 1;
            match registered {
                Ok(()) => self.welcome(stream, peer, token),
                Err(e) => self.refuse(peer, &e),
            }
        }
        if !self.limit_told && self.listener.is_some() {
            self.limit_told = true;
            crate::messages::limit(self.console, self.options.max_clients);
        }
    }

    /// accept() returned `e`: WouldBlock (the backlog is empty), or a
    /// failure after which the listener is still fine.
    fn accept_stopped(&mut self, e: &io::Error) {
        match e.kind() {
            ErrorKind::WouldBlock => {
                self.backlog = false;
                self.accept_retry = None;
                explain::accept_would_block(self.narrator, &mut self.told);
            }
            ErrorKind::Interrupted => {}
            _ => {
                explain::accept_failed(self.console, e);
                // Out of descriptors fails again at once: try again later.
                self.accept_retry = Some(Instant::now() + ACCEPT_RETRY);
            }
        }
    }

    /// Announces a new client and adds it to the loop.
    fn welcome(&mut self, stream: Stream, peer: Place, token: Token) {
        let turn = self.tally.arrive();
        let conn = Conn::new(stream, peer.clone(), turn);
        conn.traced.record(Step::Accept, None, 0, 0);
        let details = crate::messages::accepted(turn, &peer);
        self.narrator.did(Step::Accept, format_args!("{details}"));
        let label = conn.label(self.console, Output::Stderr);
        crate::messages::connected(self.console, &label);
        self.conns.insert(token, conn);
    }

    /// A connection poll() cannot watch is closed at once (dropped).
    fn refuse(&mut self, peer: Place, e: &io::Error) {
        self.tally.refuse();
        explain::cannot_watch(self.console, &peer, e);
    }

    /// Handles what poll() reported for one connection.
    fn ready(&mut self, token: Token, readable: bool) {
        let stopping = self.winding_up;
        let Some(conn) = self.conns.get_mut(&token) else {
            return; // Closed earlier in this turn.
        };
        let mut io = Io {
            buffer: &mut self.buffer,
            shown: &mut self.shown,
            console: self.console,
            narrator: self.narrator,
            hex: self.options.hex,
            stopping,
            told: &mut self.told,
        };
        let ending = conn.ready(readable, &mut io);
        if conn.more && ending.is_none() {
            self.again.push(token);
        }
        self.settle(token, ending);
    }

    /// Ends a conversation that has ended, or registers it again when it
    /// needs other events than before (writable only while echo waits).
    fn settle(&mut self, token: Token, ending: Option<Ending>) {
        let Some(conn) = self.conns.get_mut(&token) else {
            return;
        };
        let ending = ending.or_else(|| {
            let wanted = conn.wanted();
            if wanted == conn.registered {
                return None;
            }
            conn.registered = wanted;
            let registry = self.poll.registry();
            let again = registry.reregister(&mut conn.stream, token, wanted);
            again.err().map(|e| Ending::Failed(Step::Recv, e))
        });
        if let Some(ending) = ending {
            self.finish(token, ending);
        }
    }

    /// Says how the conversation ended, closes the connection and counts
    /// it.
    fn finish(&mut self, token: Token, ending: Ending) {
        let Some(mut conn) = self.conns.remove(&token) else {
            return;
        };
        let console = self.console;
        let label = conn.label(console, Output::Stderr);
        if let Ending::Failed(step, e) = &ending {
            conn.traced.failed(*step, e);
        }
        let rest = conn.rest_of_text();
        if !rest.is_empty() {
            let label_out = conn.label(console, Output::Stdout);
            console.data(format_args!("{label_out}: {rest}"));
        }
        let idle = self.options.idle_timeout.unwrap_or_default();
        let stopping = self.winding_up;
        ending::farewell(
            console,
            &label,
            &ending,
            &conn.echoed,
            idle,
            stopping,
        );
        let _ = self.poll.registry().deregister(&mut conn.stream);
        conn.traced.record(Step::Close, None, 0, 0);
        let (peer, echoed) = (conn.peer.clone(), conn.echoed);
        // Dropping the connection closes it: the kernel sends FIN.
        drop(conn);
        let details = lesson::lang::connection(&peer);
        self.narrator.did(Step::Close, format_args!("{details}"));
        self.tally.leave(&echoed);
        self.limit_told = false;
        if self.options.once {
            self.stopper.stop();
        }
    }
}
