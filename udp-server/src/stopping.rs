//! Stopping a server that is blocked in recv_from().
//!
//! recv_from() cannot look at a flag while it waits, so stopping sets the
//! flag and then sends the server an empty datagram: recv_from() returns,
//! and the loop sees the flag before it handles the datagram.

use graceful::stop::Stopper;
use lesson::lang::tr;
use lesson::{Console, Place};
use socket2::Socket;
use std::io;
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, UdpSocket};
use std::time::Duration;

/// How often a server with no wake-up looks at the stop flag.
const TICK: Duration = Duration::from_millis(200);

/// A stopper for the server `socket` on `local`: its wake-up sends an
/// empty datagram from a throwaway socket (of the server's family) to the
/// blocked recv_from().
///
/// The throwaway socket is bound now, while a descriptor is free, so that
/// a stop still works when none is left by then. If none is free even now,
/// `socket`'s receive calls are given a read timeout instead: they return
/// every tick with nothing, and the loop looks at the stop flag.
pub fn stopper(local: &Place, socket: &Socket) -> Stopper {
    let console = Console::detect();
    let ready = Waker::new(local);
    if let Err(e) = &ready {
        let ticking = socket.set_read_timeout(Some(TICK));
        let id = match ticking {
            Ok(()) => "udp-no-waker",
            Err(_) => "udp-no-waker-no-timeout",
        };
        let args = [
            ("why", lesson::failure::describe(e).into()),
            ("ms", (TICK.as_millis() as u64).into()),
        ];
        console.warn(format_args!("{}", tr(id, &args)));
    }
    Stopper::new(move || {
        let Ok(waker) = &ready else {
            return; // The read timeout lets recv_from() see the flag.
        };
        if let Err(e) = waker.wake() {
            let why = ("why", lesson::failure::describe(&e).into());
            let warning = tr("udp-cannot-wake", &[why]);
            console.warn(format_args!("{warning}"));
        }
    })
}

/// True when a receive call returned with no datagram and nothing wrong: a
/// signal interrupted it, or the tick of a server with no wake-up passed.
pub fn nothing_came(e: &io::Error) -> bool {
    e.kind() == io::ErrorKind::Interrupted || lesson::failure::is_timeout(e)
}

/// True when a receive call returned with no datagram because a tick
/// passed, and the server has been asked to stop meanwhile.
pub fn stopped_in_a_tick(e: &io::Error, stopper: &Stopper) -> bool {
    lesson::failure::is_timeout(e) && stopper.is_stopping()
}

/// The throwaway socket that sends the wake-up, and where to.
#[derive(Debug)]
enum Waker {
    Udp(UdpSocket, SocketAddr),
    #[cfg(unix)]
    Unix(std::os::unix::net::UnixDatagram),
}

impl Waker {
    /// A UDP socket of `local`'s family on any free port, or an unbound
    /// AF_UNIX one: it sends a single empty datagram, which needs no reply.
    /// The AF_UNIX one is connected now, to the socket rather than its
    /// file, so that the stop still works if someone removes the file.
    fn new(local: &Place) -> io::Result<Self> {
        let target = match local {
            Place::Inet(local) => shared::address::reachable(*local),
            #[cfg(unix)]
            Place::Path(path) => {
                let socket = std::os::unix::net::UnixDatagram::unbound()?;
                socket.connect(path)?;
                // A full queue at the server would make send() wait; then
                // the server has datagrams to read and sees the stop anyway.
                socket.set_nonblocking(true)?;
                return Ok(Waker::Unix(socket));
            }
            _ => return Err(io::ErrorKind::Unsupported.into()),
        };
        let any: SocketAddr = match target {
            SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
            SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
        };
        Ok(Waker::Udp(UdpSocket::bind(any)?, target))
    }

    /// Sends the empty datagram that makes recv_from() return.
    fn wake(&self) -> io::Result<()> {
        match self {
            Waker::Udp(socket, target) => socket.send_to(&[], target),
            #[cfg(unix)]
            Waker::Unix(socket) => match socket.send(&[]) {
                Err(e) if e.kind() == io::ErrorKind::WouldBlock => Ok(0),
                sent => sent,
            },
        }
        .map(drop)
    }
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
        let socket = Socket::from(server.try_clone().unwrap());
        let local = server.local_addr().unwrap().into();
        let stopper = stopper(&local, &socket);
        stopper.stop();
        let mut buffer = [0; 8];
        let (n, _) = server.recv_from(&mut buffer).unwrap();
        assert_eq!(n, 0);
        assert!(stopper.is_stopping());
    }

    /// On a path, the wake-up is an empty datagram from an unnamed socket;
    /// with the server's queue full it is not sent, and the stop still
    /// returns at once (the server has datagrams to read, and sees it).
    #[cfg(unix)]
    #[test]
    fn stop_on_a_path_never_waits() {
        use std::os::unix::net::UnixDatagram;
        let dir = std::env::temp_dir()
            .join(format!("us-stopping-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let path = dir.join("echo.sock");
        let _ = std::fs::remove_file(&path);
        let server = UnixDatagram::bind(&path).unwrap();
        let socket = Socket::from(server.try_clone().unwrap());
        let stopper = stopper(&Place::unix(Some(&path)), &socket);
        stopper.stop();
        let mut buffer = [0; 8];
        let (n, from) = server.recv_from(&mut buffer).unwrap();
        assert_eq!((n, from.as_pathname()), (0, None));
        // Fill the queue (a bounded number of tries), then stop again.
        let filler = UnixDatagram::unbound().unwrap();
        filler.set_nonblocking(true).unwrap();
        let full = (0..100_000).any(|_| filler.send_to(b"x", &path).is_err());
        assert!(full, "the queue never filled");
        stopper.stop();
        assert!(stopper.is_stopping());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
