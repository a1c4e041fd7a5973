//! What `--explain` says about the event loop itself: each poll(), and
//! each WouldBlock. The first time, a line also says what it means.

use super::{LISTENER, WAKE};
use crate::roster::CLIENT_COLORS;
use lesson::Place;
use lesson::console::Output;
use lesson::count;
use lesson::lang::tr;
use lesson::{Console, Narrator};
use mio::event::Event;
use mio::{Events, Token};

/// Sockets named in one line about a poll().
const NAMED: usize = 6;

/// What every connection's turn needs from the loop: the one receive
/// buffer, the console, the narrator and the flags.
#[derive(Debug)]
pub struct Io<'a> {
    pub buffer: &'a mut [u8],
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
            WAKE => "the waker (a stop was asked for)".to_string(),
            LISTENER => format!("listener {local} readable"),
            token => match peer(token) {
                Some(peer) => format!("{peer} {}", readiness(event)),
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
        n => format!(", and {n} more"),
    };
    let meaning = told.meaning(Told::POLL, "meaning-poll-events");
    narrator.note(format_args!(
        "poll: {}: {}{more}{meaning}",
        count(total as u64, "event"),
        names.join(", ")
    ));
}

/// Whether a connection is to be read: readable, or an error or hang-up,
/// which the next read() reports.
pub fn readable(event: &Event) -> bool {
    event.is_readable() || event.is_error() || event.is_read_closed()
}

fn readiness(event: &Event) -> &'static str {
    match (event.is_readable(), event.is_writable()) {
        (true, true) => "readable and writable",
        (true, false) => "readable",
        (false, true) => "writable",
        (false, false) => "closed",
    }
}

/// accept() said WouldBlock: the backlog is empty.
pub fn accept_would_block(narrator: &Narrator, told: &mut Told) {
    let meaning = told
        .meaning(Told::ACCEPT_WOULD_BLOCK, "meaning-poll-accept-would-block");
    narrator.note(format_args!("accept: WouldBlock{meaning}"));
}

/// recv() said WouldBlock: everything that had arrived is read.
pub fn recv_would_block(io: &mut Io<'_>, peer: &Place) {
    let meaning = io
        .told
        .meaning(Told::RECV_WOULD_BLOCK, "meaning-poll-recv-would-block");
    io.narrator
        .note(format_args!("recv from {peer}: WouldBlock{meaning}"));
}

/// send() said WouldBlock with `pending` bytes of echo left.
pub fn send_would_block(io: &mut Io<'_>, peer: &Place, pending: usize) {
    let meaning = io
        .told
        .meaning(Told::SEND_WOULD_BLOCK, "meaning-poll-send-would-block");
    io.narrator.note(format_args!(
        "send to {peer}: WouldBlock, {} pending{meaning}",
        count(pending as u64, "byte")
    ));
}

/// Reading from `peer` stops: `pending` bytes of echo wait for it.
pub fn paused(io: &mut Io<'_>, peer: &Place, pending: usize) {
    let meaning = io.told.meaning(Told::PAUSED, "meaning-poll-paused");
    io.narrator.note(format_args!(
        "{} of echo wait for {peer}: not reading from it until it takes \
         some{meaning}",
        count(pending as u64, "byte")
    ));
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
    io.narrator.note(format_args!(
        "recv from {peer}: {reads} reads this turn{meaning}"
    ));
}
