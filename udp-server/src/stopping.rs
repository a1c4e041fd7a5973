//! Stopping a server that is blocked in recv_from().
//!
//! recv_from() cannot look at a flag while it waits, so stopping sets the
//! flag and then sends the server an empty datagram: recv_from() returns,
//! and the loop sees the flag before it handles the datagram.

use graceful::stop::Stopper;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};

/// A stopper for the server on `local`: its wake-up sends an empty
/// datagram from a throwaway socket to the blocked recv_from().
pub fn stopper(local: SocketAddr) -> Stopper {
    let target = shared::address::reachable(local);
    Stopper::new(move || {
        let any: SocketAddr = match target {
            SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
            SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
        };
        if let Ok(waker) = UdpSocket::bind(any) {
            let _ = waker.send_to(&[], target);
        }
    })
}
