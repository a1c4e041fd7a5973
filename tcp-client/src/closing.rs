//! After our FIN: how long to wait for the server's. A server may never
//! close, or never stop sending, so the wait has limits, and says which
//! one ran out.

use crate::tally::{End, Tally};
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
            let (received, sent) = (state.received, state.sent);
            // Not all back, and the cap ran out: it kept sending that long.
            let kept_sending = !all_back && capped.is_none();
            let wait = match kept_sending {
                true => wait_close * WAIT_CLOSE_CAP,
                false => wait_close,
            };
            let why = crate::messages::gave_up(
                received,
                sent,
                all_back,
                kept_sending,
                wait,
            );
            return Closing::GaveUp(why);
        };
        state = tally.wait(state, quiet.min(capped));
    }
}
