//! Stopping a server that is blocked in recv_from().
//!
//! recv_from() cannot look at a flag while it waits, so stopping sets the
//! flag and then sends the server an empty datagram: recv_from() returns,
//! and the loop sees the flag before it handles the datagram.

use graceful::stop::Stopper;
use lesson::Console;
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};

/// A stopper for the server on `local`: its wake-up sends an empty
/// datagram from a throwaway socket to the blocked recv_from().
///
/// The throwaway socket is bound now, while a descriptor is free, so that
/// a stop still works when none is left by then. If none is free even now,
/// the server says so at once, and a failed wake-up is reported too: the
/// server then stops at the next datagram, or at a second Ctrl-C.
pub fn stopper(local: SocketAddr) -> Stopper {
    let target = shared::address::reachable(local);
    let console = Console::detect();
    let ready = bind_waker(target);
    if let Err(e) = &ready {
        console.warn(format_args!(
            "no descriptor for the stop's wake-up ({}): Ctrl-C will stop \
             the server at the next datagram (a second Ctrl-C at once)",
            lesson::failure::describe(e)
        ));
    }
    Stopper::new(move || {
        let sent = match &ready {
            Ok(waker) => waker.send_to(&[], target),
            // Perhaps a descriptor is free by now.
            Err(_) => bind_waker(target).and_then(|w| w.send_to(&[], target)),
        };
        if let Err(e) = sent {
            console.warn(format_args!(
                "cannot wake recv_from() for the stop: {}; it stops at the \
                 next datagram (a second Ctrl-C stops at once)",
                lesson::failure::describe(&e)
            ));
        }
    })
}

/// A socket of `target`'s family on any free port, to send the wake-up.
fn bind_waker(target: SocketAddr) -> io::Result<UdpSocket> {
    let any: SocketAddr = match target {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    UdpSocket::bind(any)
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;
    use std::time::Duration;

    /// A stop sends one empty datagram to the server, from the socket
    /// bound when the stopper was made.
    #[test]
    fn stop_sends_an_empty_datagram() {
        let server = UdpSocket::bind((Ipv4Addr::LOCALHOST, 0)).unwrap();
        server
            .set_read_timeout(Some(Duration::from_secs(15)))
            .unwrap();
        let stopper = stopper(server.local_addr().unwrap());
        stopper.stop();
        let mut buffer = [0; 8];
        let (n, _) = server.recv_from(&mut buffer).unwrap();
        assert_eq!(n, 0);
        assert!(stopper.is_stopping());
    }
}
