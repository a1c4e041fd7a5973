//! What `--explain` says about the event loop itself: each poll(), and
//! each WouldBlock. The first time, a line also says what it means.

use super::{LISTENER, WAKE};
use crate::roster::CLIENT_COLORS;
use lesson::Place;
use lesson::console::Output;
use lesson::lang::{lazy, tr};
use lesson::{Console, Failure, Narrator, Step};
use mio::event::Event;
use mio::{Events, Token};
use std::io;

/// Sockets named in one line about a poll().
const NAMED: usize = 6;

/// What every connection's turn needs from the loop: the one receive
/// buffer, the console, the narrator and the flags.
#[derive(Debug)]
pub struct Io<'a> {
    pub buffer: &'a mut [u8],
    pub shown: &'a mut String,
    pub console: &'a Console,
    pub narrator: &'a Narrator,
    pub hex: bool,
    /// The server is stopping: echo what was received, then say goodbye.
    pub stopping: bool,
    pub told: &'a mut Told,
}

/// The explanations given only the first time.
#[derive(Debug, Default)]
pub struct Told(u8);

impl Told {
    pub const POLL: u8 = 1;
    pub const ACCEPT_WOULD_BLOCK: u8 = 2;
    pub const RECV_WOULD_BLOCK: u8 = 4;
    pub const SEND_WOULD_BLOCK: u8 = 8;
    pub const PAUSED: u8 = 16;
    pub const BUDGET: u8 = 32;

    /// The meaning of `what`, the first time; nothing later.
    /// (the message `id` of the catalogs in `lesson::lang`).
    fn meaning(&mut self, what: u8, id: &str) -> String {
        let first = self.0 & what == 0;
        self.0 |= what;
        match first {
            true => format!(" {}", tr(id, &[])),
            false => String::new(),
        }
    }
}

/// What one poll() returned: how many events, for which sockets (the
/// connection's peer address from `peer`), readable or writable.
pub fn turn(
    narrator: &Narrator,
    told: &mut Told,
    events: &Events,
    local: &Place,
    peer: impl Fn(Token) -> Option<String>,
) {
    if !narrator.explains() {
        return;
    }
    let mut names = Vec::new();
    let mut total = 0;
    for event in events.iter() {
        total += 1;
        let name = match event.token() {
            _ if names.len() == NAMED => continue,
            WAKE => tr("poll-waker", &[]),
            LISTENER => {
                let address = local.to_string();
                tr("poll-listener-readable", &[("address", address.into())])
            }
            token => match peer(token) {
                Some(peer) => tr(readiness(event), &[("peer", peer.into())]),
                None => continue,
            },
        };
        names.push(name);
    }
    // A deadline passed, or a signal arrived: nothing to tell.
    if total == 0 {
        return;
    }
    let more = match total - names.len() {
        0 => String::new(),
        n => tr("poll-more", &[("n", n.into())]),
    };
    let names = names.join(&tr("poll-list-separator", &[]));
    let args = [
        ("events", total.into()),
        ("names", names.into()),
        ("more", more.into()),
    ];
    let line = tr("poll-events", &args);
    let meaning = told.meaning(Told::POLL, "meaning-poll-events");
    narrator.note(format_args!("{line}{meaning}"));
}

/// Whether a connection is to be read: readable, or an error or hang-up,
/// which the next read() reports.
pub fn readable(event: &Event) -> bool {
    event.is_readable() || event.is_error() || event.is_read_closed()
}

/// The message that names a connection with what it is ready for.
fn readiness(event: &Event) -> &'static str {
    match (event.is_readable(), event.is_writable()) {
        (true, true) => "poll-conn-both",
        (true, false) => "poll-conn-readable",
        (false, true) => "poll-conn-writable",
        (false, false) => "poll-conn-closed",
    }
}

/// accept() said WouldBlock: the backlog is empty.
pub fn accept_would_block(narrator: &Narrator, told: &mut Told) {
    let meaning = told
        .meaning(Told::ACCEPT_WOULD_BLOCK, "meaning-poll-accept-would-block");
    let line = lazy(|| tr("poll-accept-would-block", &[]));
    narrator.note(format_args!("{line}{meaning}"));
}

/// recv() said WouldBlock: everything that had arrived is read.
pub fn recv_would_block(io: &mut Io<'_>, peer: &Place) {
    let meaning = io
        .told
        .meaning(Told::RECV_WOULD_BLOCK, "meaning-poll-recv-would-block");
    let line = lazy(|| {
        tr(
            "poll-recv-would-block",
            &[("peer", peer.to_string().into())],
        )
    });
    io.narrator.note(format_args!("{line}{meaning}"));
}

/// The stop's shutdown(Write) on the connection to `peer`: FIN, sent.
pub fn goodbye(io: &Io<'_>, peer: &Place) {
    let details = crate::messages::goodbye(peer);
    io.narrator.did(Step::Shutdown, format_args!("{details}"));
}

/// send() said WouldBlock with `pending` bytes of echo left.
pub fn send_would_block(io: &mut Io<'_>, peer: &Place, pending: usize) {
    let meaning = io
        .told
        .meaning(Told::SEND_WOULD_BLOCK, "meaning-poll-send-would-block");
    let line = lazy(|| {
        let args = [
            ("peer", peer.to_string().into()),
            ("pending", pending.into()),
        ];
        tr("poll-send-would-block", &args)
    });
    io.narrator.note(format_args!("{line}{meaning}"));
}

/// Reading from `peer` stops: `pending` bytes of echo wait for it.
pub fn paused(io: &mut Io<'_>, peer: &Place, pending: usize) {
    let meaning = io.told.meaning(Told::PAUSED, "meaning-poll-paused");
    let line = lazy(|| {
        let args = [
            ("peer", peer.to_string().into()),
            ("pending", pending.into()),
        ];
        tr("poll-paused", &args)
    });
    io.narrator.note(format_args!("{line}{meaning}"));
}

/// A client's address, painted for `output` in the color of its turn.
pub fn label(
    console: &Console,
    output: Output,
    peer: &Place,
    turn: u64,
) -> String {
    let index = (turn % CLIENT_COLORS.len() as u64) as usize;
    let name = crate::family::name(peer, turn);
    console.paint(output, &name, CLIENT_COLORS[index])
}

/// `peer` has had its reads for this turn; the others go first.
pub fn budget_spent(io: &mut Io<'_>, peer: &Place, reads: usize) {
    let meaning = io.told.meaning(Told::BUDGET, "meaning-poll-budget");
    let line = lazy(|| {
        let args = [("peer", peer.to_string().into()), ("reads", reads.into())];
        tr("poll-budget", &args)
    });
    io.narrator.note(format_args!("{line}{meaning}"));
}

/// The failure of a call that sets up the event loop.
pub fn cannot_start(e: io::Error) -> Failure {
    Failure::new(tr("poll-cannot-start", &[]))
        .because(lesson::failure::describe(&e))
}

/// The failure of poll() itself.
pub fn poll_failed(e: io::Error) -> Failure {
    Failure::new(tr("poll-failed", &[])).because(lesson::failure::describe(&e))
}

/// The warning of an accept() that failed otherwise than WouldBlock.
pub fn accept_failed(console: &Console, e: &io::Error) {
    let why = lesson::failure::describe(e);
    let warning = tr("poll-accept-failed", &[("why", why.into())]);
    console.warn(format_args!("{warning}"));
}

/// The warning of a connection from `peer` that poll() cannot watch.
pub fn cannot_watch(console: &Console, peer: &Place, e: &io::Error) {
    let why = lesson::failure::describe(e);
    let args = [("peer", peer.to_string().into()), ("why", why.into())];
    let warning = tr("poll-cannot-watch", &args);
    console.warn(format_args!("{warning}"));
}

#[cfg(test)]
mod tests {
    use lesson::lang::{Lang, tr_in};

    /// The pieces of a poll() line keep their spaces and commas: Fluent
    /// trims a message's leading blanks, not a quoted `", "`.
    #[test]
    fn a_list_of_sockets_reads_as_before() {
        assert_eq!(tr_in(Lang::En, "poll-list-separator", &[]), ", ");
        let more = tr_in(Lang::En, "poll-more", &[("n", 2.into())]);
        assert_eq!(more, ", and 2 more");
        assert_eq!(tr_in(Lang::Zh, "poll-list-separator", &[]), "、");
        let more = tr_in(Lang::Zh, "poll-more", &[("n", 2.into())]);
        assert_eq!(more, "，另有 2 个");
    }
}
