//! One listener and one connection type for both families the server
//! speaks: TCP (`AF_INET`, `AF_INET6`) and Unix stream sockets
//! (`AF_UNIX`). The calls are the same in both; only the address differs,
//! so the lesson code serves either through these two enums.

use lesson::Place;
use lesson::socket_file::SocketFile;
use socket2::{SockAddr, Socket};
use std::io::{self, Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
#[cfg(unix)]
use std::os::unix::net::{UnixListener, UnixStream};
use std::sync::Arc;
use std::time::Duration;

/// A listening socket of either family. A Unix one keeps the socket file
/// its bind() created, to remove once it is closed.
#[derive(Debug)]
pub enum Listener {
    Tcp(TcpListener),
    /// Shared only with the stop's wake-up, which holds it weakly.
    #[cfg(unix)]
    Unix(Arc<UnixListener>, Option<SocketFile>),
}

/// A listener, and the address it listens on.
pub type Listening = (Listener, Place);

/// A connection accepted from a [`Listener`]. Its socket is shared, not
/// duplicated, with the roster's handle ([`Stream::share`]): one file
/// descriptor a client, so that `ulimit -n` counts clients, not twice them.
#[derive(Debug)]
pub enum Stream {
    Tcp(Arc<TcpStream>),
    #[cfg(unix)]
    Unix(Arc<UnixStream>),
}

impl Listener {
    /// std's listener over a socket that listens on `local`: the same file
    /// descriptor, with the friendly accept() of its family.
    pub fn new(socket: Socket, local: &Place) -> Self {
        match local {
            #[cfg(unix)]
            Place::Path(path) => {
                // The file is ours: only this one is removed at the end.
                let file = SocketFile::created(path).ok();
                Listener::Unix(Arc::new(socket.into()), file)
            }
            #[cfg(unix)]
            Place::Unnamed => Listener::Unix(Arc::new(socket.into()), None),
            _ => Listener::Tcp(socket.into()),
        }
    }

    /// A Unix listener, for the stop's wake-up to reach without its path
    /// (which may have been moved or replaced meanwhile).
    #[cfg(target_os = "linux")]
    pub fn unix(&self) -> Option<std::sync::Weak<UnixListener>> {
        match self {
            Listener::Unix(l, _) => Some(Arc::downgrade(l)),
            Listener::Tcp(_) => None,
        }
    }

    /// The socket file to remove once the listener is closed, if any.
    pub fn take_socket_file(&mut self) -> Option<SocketFile> {
        match self {
            Listener::Tcp(_) => None,
            #[cfg(unix)]
            Listener::Unix(_, file) => file.take(),
        }
    }

    /// Makes accept() return WouldBlock instead of waiting (the event
    /// loop's listener).
    pub fn set_nonblocking(&self, yes: bool) -> io::Result<()> {
        match self {
            Listener::Tcp(l) => l.set_nonblocking(yes),
            #[cfg(unix)]
            Listener::Unix(l, _) => l.set_nonblocking(yes),
        }
    }

    /// accept(): the next connection, and where its peer is (a Unix
    /// client that bound no path is unnamed).
    pub fn accept(&self) -> io::Result<(Stream, Place)> {
        match self {
            Listener::Tcp(l) => l
                .accept()
                .map(|(s, peer)| (Stream::Tcp(Arc::new(s)), peer.into())),
            #[cfg(unix)]
            Listener::Unix(l, _) => l.accept().map(|(s, peer)| {
                (Stream::Unix(Arc::new(s)), Place::unix(peer.as_pathname()))
            }),
        }
    }
}

/// Calls `$call` on the stream inside, whichever family it is.
macro_rules! either {
    ($stream:expr, $s:ident => $call:expr) => {
        match $stream {
            Stream::Tcp($s) => $call,
            #[cfg(unix)]
            Stream::Unix($s) => $call,
        }
    };
}

impl Stream {
    /// Where our end of the connection is: the listener's address or path.
    pub fn local(&self) -> Option<Place> {
        match self {
            Stream::Tcp(s) => s.local_addr().ok().map(Place::from),
            #[cfg(unix)]
            Stream::Unix(s) => {
                let local = s.local_addr().ok()?;
                Some(Place::unix(local.as_pathname()))
            }
        }
    }

    /// The longest one read() waits.
    pub fn set_read_timeout(&self, tick: Option<Duration>) -> io::Result<()> {
        either!(self, s => s.set_read_timeout(tick))
    }

    /// The longest one write() waits.
    pub fn set_write_timeout(&self, tick: Option<Duration>) -> io::Result<()> {
        either!(self, s => s.set_write_timeout(tick))
    }

    /// shutdown(): ends one direction of the connection, or both.
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        either!(self, s => s.shutdown(how))
    }

    /// A second handle to the same connection, on the same descriptor:
    /// the socket is closed when the last handle is dropped.
    pub fn share(&self) -> Stream {
        match self {
            Stream::Tcp(s) => Stream::Tcp(Arc::clone(s)),
            #[cfg(unix)]
            Stream::Unix(s) => Stream::Unix(Arc::clone(s)),
        }
    }
}

impl Read for &Stream {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        either!(*self, s => (&**s).read(buffer))
    }
}

impl Read for Stream {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        (&*self).read(buffer)
    }
}

impl Write for &Stream {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        either!(*self, s => (&**s).write(data))
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

impl Write for Stream {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        (&*self).write(data)
    }

    fn flush(&mut self) -> io::Result<()> {
        Ok(())
    }
}

/// The address a connection to `place` goes to: a listener on 0.0.0.0 or
/// :: is reached through loopback, a Unix one through its path.
pub fn reach(place: &Place) -> io::Result<SockAddr> {
    match place {
        Place::Inet(address) => Ok(shared::address::reachable(*address).into()),
        Place::Path(path) => SockAddr::unix(path),
        Place::Unnamed => Err(io::ErrorKind::AddrNotAvailable.into()),
    }
}

/// How a client is named in the server's lines: by its address, or for
/// a Unix client by its number and path, `#1 (unnamed)`, since unnamed
/// clients all look alike.
pub fn name(peer: &Place, turn: u64) -> String {
    match peer {
        Place::Inet(address) => address.to_string(),
        place => format!("#{turn} {place}"),
    }
}
