//! The event loop's sockets in either family: mio's non-blocking TCP and
//! Unix stream sockets behind one listener type and one stream type, so
//! that the loop serves a path as it serves an address.

use lesson::Place;
use lesson::socket_file::SocketFile;
use mio::event::Source;
use mio::net::{TcpListener, TcpStream};
#[cfg(unix)]
use mio::net::{UnixListener, UnixStream};
use mio::{Interest, Registry, Token};
use std::io::{self, Read, Write};
use std::net::Shutdown;

/// A non-blocking listener of either family.
#[derive(Debug)]
pub enum Listener {
    Tcp(TcpListener),
    #[cfg(unix)]
    Unix(UnixListener, Option<SocketFile>),
}

/// A non-blocking connection of either family.
#[derive(Debug)]
pub enum Stream {
    Tcp(TcpStream),
    #[cfg(unix)]
    Unix(UnixStream),
}

/// Does `$call` with the socket inside `$value`, whichever family it is.
macro_rules! either {
    ($value:expr, $kind:ident, $s:ident => $call:expr) => {
        match $value {
            $kind::Tcp($s) => $call,
            #[cfg(unix)]
            $kind::Unix($s, ..) => $call,
        }
    };
}

impl Listener {
    /// mio's listener over std's, already non-blocking.
    pub fn from_std(listener: crate::family::Listener) -> io::Result<Self> {
        use crate::family::Listener as Std;
        Ok(match listener {
            Std::Tcp(l) => Listener::Tcp(TcpListener::from_std(l)),
            #[cfg(unix)]
            Std::Unix(l, file) => {
                // Nobody else holds it here: no stop wake-up in this design.
                let l =
                    std::sync::Arc::try_unwrap(l).or_else(|l| l.try_clone())?;
                Listener::Unix(UnixListener::from_std(l), file)
            }
        })
    }

    /// accept(): a connection and its peer, or WouldBlock at once.
    pub fn accept(&self) -> io::Result<(Stream, Place)> {
        match self {
            Listener::Tcp(l) => {
                l.accept().map(|(s, peer)| (Stream::Tcp(s), peer.into()))
            }
            #[cfg(unix)]
            Listener::Unix(l, _) => l.accept().map(|(s, peer)| {
                (Stream::Unix(s), Place::unix(peer.as_pathname()))
            }),
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
}

impl Stream {
    /// Where our end of the connection is.
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

    /// shutdown(): ends one direction of the connection, or both.
    pub fn shutdown(&self, how: Shutdown) -> io::Result<()> {
        either!(self, Stream, s => s.shutdown(how))
    }
}

impl Read for Stream {
    fn read(&mut self, buffer: &mut [u8]) -> io::Result<usize> {
        either!(self, Stream, s => s.read(buffer))
    }
}

impl Write for Stream {
    fn write(&mut self, data: &[u8]) -> io::Result<usize> {
        either!(self, Stream, s => s.write(data))
    }

    fn flush(&mut self) -> io::Result<()> {
        either!(self, Stream, s => s.flush())
    }
}

/// Registers whichever socket is inside `$kind`, for poll() to watch.
macro_rules! source {
    ($kind:ident) => {
        impl Source for $kind {
            fn register(
                &mut self,
                registry: &Registry,
                token: Token,
                interests: Interest,
            ) -> io::Result<()> {
                either!(self, $kind, s => s.register(registry, token, interests))
            }

            fn reregister(
                &mut self,
                registry: &Registry,
                token: Token,
                interests: Interest,
            ) -> io::Result<()> {
                either!(self, $kind, s => s.reregister(registry, token, interests))
            }

            fn deregister(&mut self, registry: &Registry) -> io::Result<()> {
                either!(self, $kind, s => s.deregister(registry))
            }
        }
    };
}

source!(Listener);
source!(Stream);
