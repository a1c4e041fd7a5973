//! Stopping a server that is blocked in recv_from().
//!
//! recv_from() cannot look at a flag while it waits, so stopping sets the
//! flag and then sends the server an empty datagram: recv_from() returns,
//! and the loop sees the flag before it handles the datagram.

use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::sync::atomic::{AtomicBool, Ordering};

/// Stops the loop: sets the flag, then wakes the blocked recv_from() with
/// an empty datagram from a throwaway socket.
pub fn wake(stopping: &AtomicBool, local: SocketAddr) {
    stopping.store(true, Ordering::SeqCst);
    let target = shared::address::reachable(local);
    let any: SocketAddr = match target {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    if let Ok(waker) = UdpSocket::bind(any) {
        let _ = waker.send_to(&[], target);
    }
}
