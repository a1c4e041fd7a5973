//! Stopping the server: a stop flag, and a throwaway connection that
//! wakes a blocked accept() so that the loop sees the flag.

use crate::roster::Roster;
use graceful::stop::Stopper;
use lesson::lang::tr;
use lesson::{Console, Failure, Place, Step, StepResult};
use socket2::{Socket, Type};
use std::sync::Arc;
use std::time::Duration;

/// How long conversations may go on once a stop is asked: time to finish
/// the echo under way and to say goodbye.
pub const GRACE: Duration = Duration::from_secs(2);

/// The stopper of a server listening on `listening_on` (an address, or a
/// Unix socket's path). Every handler winds
/// its conversation up once the flag is set (each looks at it at least
/// every tick); the wake-up is for the accept loop.
///
/// The wake-up's socket is made now, while descriptors are free: at the
/// stop every one may be taken (a full `--max-clients`, say), and connect()
/// on a socket that exists needs none.
pub fn stopper(
    listener: &crate::family::Listener,
    listening_on: &Place,
    roster: Arc<Roster>,
    console: Console,
) -> Result<Stopper, Failure> {
    // A listener on 0.0.0.0 or :: is reached through loopback.
    let target = tr("server-wake-target", &[]);
    let wake_at =
        crate::family::reach(listening_on).during(Step::Socket, &target)?;
    let waker = Socket::new(wake_at.domain(), Type::STREAM, None)
        .during(Step::Socket, &target)?;
    #[cfg(target_os = "linux")]
    let unix = listener.unix();
    #[cfg(not(target_os = "linux"))]
    let _ = listener;
    Ok(Stopper::new(move || {
        roster.wake_waiters();
        // On Linux, shutdown() of a listening socket wakes its accept():
        // a Unix one is reached so even if its path was moved or replaced.
        #[cfg(target_os = "linux")]
        if let Some(unix) = &unix {
            if let Some(listener) = unix.upgrade() {
                let _ = socket2::SockRef::from(&*listener)
                    .shutdown(std::net::Shutdown::Both);
            }
            return;
        }
        // ANCHOR: wake
        // accept() cannot see a flag while it blocks: a throwaway
        // connection makes it return, and the loop then sees the flag.
        let woken = waker.connect_timeout(&wake_at, Duration::from_secs(1));
        // ANCHOR_END: wake
        // Refused, or no socket file: the loop saw the flag first (a
        // signal can end its accept() early) and closed the listener
        // already, so there is nothing to wake; reset, or aborted: it
        // closed the listener while this connect was under way.
        let closed = |e: &std::io::Error| {
            use std::io::ErrorKind::*;
            let kinds = [
                ConnectionRefused,
                NotFound,
                ConnectionReset,
                ConnectionAborted,
            ];
            kinds.contains(&e.kind())
        };
        if let Err(e) = woken
            && !closed(&e)
        {
            let why = lesson::failure::describe(&e);
            let warning = tr("server-wake-failed", &[("why", why.into())]);
            console.warn(format_args!("{warning}"));
        }
    }))
}
