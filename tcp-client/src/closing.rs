//! After our FIN: how long to wait for the server's. A server may never
//! close, or never stop sending, so the wait has limits, and says which
//! one ran out.

use crate::tally::{End, Tally};
use lesson::count;
use std::time::{Duration, Instant};

/// After the end of input, the longest wait for the server's FIN, in units
/// of `--wait-close`.
const WAIT_CLOSE_CAP: u32 = 10;

/// How the wait for the server's FIN ended.
#[derive(Debug)]
pub enum Closing {
    /// recv() returned 0: the server closed, after `received` bytes of
    /// ours `sent`.
    Closed { received: u64, sent: u64 },
    /// Receiving ended otherwise (a reset, stdout closed).
    Ended,
    /// We gave up waiting, for this reason.
    GaveUp(String),
}

/// Waits for the receiving side to end: at most `wait_close` after as
/// many bytes as were sent have arrived, or after nothing at all arrived
/// for that long, and at most [`WAIT_CLOSE_CAP`] times that in any case.
pub fn wait_for_close(tally: &Tally, wait_close: Duration) -> Closing {
    let input_ended = Instant::now();
    let narrator = lesson::narrate::narrator();
    let mut state = tally.lock();
    loop {
        match state.end {
            Some(End::Closed) => {
                let (received, sent) = (state.received, state.sent);
                return Closing::Closed { received, sent };
            }
            Some(_) => return Closing::Ended,
            None => {}
        }
        let all_back = state.received >= state.sent;
        let since = match state.all_back_at {
            Some(at) if all_back => at,
            _ => state.last_arrival,
        };
        // However the bytes trickle in, ten times --wait-close is the
        // most a server can keep us after the end of input (--step
        // pauses not counted).
        let quiet = narrator.time_left(since.max(input_ended), wait_close);
        let capped =
            narrator.time_left(input_ended, wait_close * WAIT_CLOSE_CAP);
        let (Some(quiet), Some(capped)) = (quiet, capped) else {
            let why = if all_back {
                format!(
                    "{} had arrived for {} sent, and it kept the \
                     connection open {wait_close:?} more",
                    count(state.received, "byte"),
                    count(state.sent, "byte"),
                )
            } else if capped.is_none() {
                format!(
                    "it kept sending for {:?} without closing, and {} of \
                     {} bytes sent came back",
                    wait_close * WAIT_CLOSE_CAP,
                    state.received,
                    state.sent
                )
            } else {
                format!(
                    "nothing arrived for {wait_close:?}, and {} of {} \
                     bytes sent came back",
                    state.received, state.sent
                )
            };
            return Closing::GaveUp(why);
        };
        state = tally.wait(state, quiet.min(capped));
    }
}
