//! Stopping the server: a stop flag, and a throwaway connection that
//! wakes a blocked accept() so that the loop sees the flag.

use crate::roster::Roster;
use graceful::stop::Stopper;
use std::net::{SocketAddr, TcpStream};
use std::sync::Arc;
use std::time::Duration;

/// How long conversations may go on once a stop is asked: time to finish
/// the echo under way and to say goodbye.
pub const GRACE: Duration = Duration::from_secs(2);

/// The stopper of a server listening on `listening_on`. Every handler winds
/// its conversation up once the flag is set (each looks at it at least
/// every tick); the wake-up is for the accept loop.
pub fn stopper(listening_on: SocketAddr, roster: Arc<Roster>) -> Stopper {
    // A listener on 0.0.0.0 or :: is reached through loopback.
    let wake_at = shared::address::reachable(listening_on);
    Stopper::new(move || {
        // ANCHOR: wake
        // accept() cannot see a flag while it blocks: a throwaway
        // connection makes it return, and the loop then sees the flag.
        let _ = TcpStream::connect_timeout(&wake_at, Duration::from_secs(1));
        // ANCHOR_END: wake
        // A wait for a free slot (--max-clients) sees it too.
        roster.wake_waiters();
    })
}
