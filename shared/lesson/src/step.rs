//! The steps of a socket's life, named after the calls that perform them,
//! with the words the programs use for each: its name, the verb of an
//! error message, and one sentence about what the operating system does.

use std::fmt;

/// Which kind of socket a program uses, (family, type); some steps mean
/// different things.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    /// `AF_INET`/`AF_INET6` × `SOCK_STREAM`.
    Tcp,
    /// `AF_INET`/`AF_INET6` × `SOCK_DGRAM`.
    Udp,
    /// `AF_UNIX` × `SOCK_STREAM`.
    UnixStream,
    /// `AF_UNIX` × `SOCK_DGRAM`.
    UnixDatagram,
}

impl Transport {
    /// The same socket type in the Unix family.
    pub fn on_unix(self) -> Self {
        match self {
            Transport::Tcp | Transport::UnixStream => Transport::UnixStream,
            Transport::Udp | Transport::UnixDatagram => Transport::UnixDatagram,
        }
    }

    /// True for `AF_UNIX`.
    pub fn is_unix(self) -> bool {
        matches!(self, Transport::UnixStream | Transport::UnixDatagram)
    }
}

/// One step of a socket's life, named after the call that performs it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Step {
    Resolve,
    Socket,
    SetSockOpt,
    Bind,
    Listen,
    Accept,
    Connect,
    Recv,
    Send,
    RecvFrom,
    SendTo,
    Shutdown,
    Close,
}

impl Step {
    /// The name of the call, as students will meet it in the book.
    pub fn name(self) -> &'static str {
        match self {
            Step::Resolve => "resolve",
            Step::Socket => "socket",
            Step::SetSockOpt => "setsockopt",
            Step::Bind => "bind",
            Step::Listen => "listen",
            Step::Accept => "accept",
            Step::Connect => "connect",
            Step::Recv => "recv",
            Step::Send => "send",
            Step::RecvFrom => "recv_from",
            Step::SendTo => "send_to",
            Step::Shutdown => "shutdown",
            Step::Close => "close",
        }
    }

    /// How an error message names this step: `cannot <verb> <target>`.
    pub fn verb(self) -> &'static str {
        match self {
            Step::Resolve => "resolve",
            Step::Socket => "create a socket for",
            Step::SetSockOpt => "set an option on the socket for",
            Step::Bind => "bind",
            Step::Listen => "listen on",
            Step::Accept => "accept a connection on",
            Step::Connect => "connect to",
            Step::Recv => "receive from",
            Step::Send | Step::SendTo => "send to",
            Step::RecvFrom => "receive on",
            Step::Shutdown => "shut down the connection to",
            Step::Close => "close",
        }
    }

    /// One sentence: what the operating system does at this step.
    pub fn meaning(self, protocol: Transport) -> &'static str {
        use Transport::*;
        if let Some(meaning) = self.on_unix(protocol) {
            return meaning;
        }
        match (self, protocol) {
            (Step::Resolve, _) => {
                "the resolver turns the name into IP addresses (from the hosts \
                 file or DNS); nothing has been sent to the server yet"
            }
            (Step::Socket, Tcp) => {
                "the kernel creates a stream socket and hands back a file \
                 descriptor; it has no address and no peer yet"
            }
            (Step::Socket, _) => {
                "the kernel creates a datagram socket and hands back a file \
                 descriptor; it has no address yet"
            }
            (Step::SetSockOpt, _) => {
                "SO_REUSEADDR lets a restarted server bind its port again while \
                 connections of the old one still wait out TIME_WAIT"
            }
            (Step::Bind, _) => {
                "the kernel reserves this local address and port for the \
                 socket; packets sent there are now delivered to it"
            }
            (Step::Listen, _) => {
                "the socket now listens: the kernel answers handshakes by itself \
                 and queues finished ones, up to the backlog, until accept()"
            }
            (Step::Accept, _) => {
                "accept() took one finished handshake off the queue and returned \
                 a new socket for that client; the listening socket listens on"
            }
            (Step::Connect, Tcp) => {
                "the three-way handshake is done: our SYN, the server's SYN-ACK, \
                 our ACK; from now on both sides can send"
            }
            (Step::Connect, _) => {
                "nothing was sent: the kernel only noted the peer, so send() \
                 needs no address and datagrams from anyone else are dropped"
            }
            (Step::Recv, Tcp) => {
                "recv() waited for bytes and copied what had arrived, up to the \
                 buffer size; TCP decides how the stream is cut into pieces"
            }
            (Step::Recv, _) => {
                "recv() on a connected UDP socket returns one whole datagram \
                 from the peer, cut off if it is larger than the buffer"
            }
            (Step::Send, Tcp) => {
                "the bytes were copied into the kernel's send buffer; send() \
                 is called again for any rest until every byte is taken, like \
                 sendall()"
            }
            (Step::Send, _) => {
                "the kernel sent the bytes as one datagram to the connected peer; \
                 nobody confirms that it arrives"
            }
            (Step::RecvFrom, _) => {
                "recv_from() waited for one whole datagram and reports who sent \
                 it; a datagram longer than the buffer loses its end"
            }
            (Step::SendTo, _) => {
                "send_to() handed the kernel one datagram for that address; it \
                 travels as one piece or not at all, unconfirmed"
            }
            (Step::Shutdown, _) => {
                "shutdown(Write) sent FIN: the peer reads end-of-stream, while \
                 this side can still receive"
            }
            (Step::Close, Tcp) => {
                "the kernel released the socket; if the peer was still connected \
                 it was sent FIN and now reads end-of-stream (0 bytes)"
            }
            (Step::Close, _) => {
                "the kernel released the socket and its port; nothing is sent, \
                 since UDP has no connection to end"
            }
        }
    }

    /// What differs in the Unix family: no network, a path for an address.
    fn on_unix(self, protocol: Transport) -> Option<&'static str> {
        use Transport::*;
        Some(match (self, protocol) {
            (_, Tcp | Udp) => return None,
            (Step::Socket, UnixStream) => {
                "the kernel creates a Unix stream socket (AF_UNIX, SOCK_STREAM) \
                 and hands back a file descriptor; no path, no peer yet"
            }
            (Step::Socket, _) => {
                "the kernel creates a Unix datagram socket (AF_UNIX, \
                 SOCK_DGRAM) and hands back a file descriptor; no path yet"
            }
            (Step::Bind, _) => {
                "the kernel created the socket file at this path (bind fails if \
                 any file is there already); peers find the socket by its name"
            }
            (Step::Listen, _) => {
                "the socket now listens: the kernel queues each connect() to its \
                 path, up to the backlog, until accept(); nothing goes on a wire"
            }
            (Step::Accept, _) => {
                "accept() took one queued connection and returned a new socket \
                 for that client; the listening socket listens on"
            }
            (Step::Connect, UnixStream) => {
                "the kernel joined our socket to the listener's queue at once: \
                 no handshake on a wire, yet connect and accept pair up as in TCP"
            }
            (Step::Connect, _) => {
                "nothing was sent: the kernel only noted the peer's path, so \
                 send() needs no address"
            }
            (Step::Recv, UnixStream) => {
                "recv() waited for bytes and copied what had arrived, up to the \
                 buffer size; a stream keeps no message boundaries here either"
            }
            (Step::Recv | Step::RecvFrom, _) => {
                "one whole datagram, with its sender's path (unnamed if it bound \
                 none); AF_UNIX loses and reorders none, but a long one is cut"
            }
            (Step::Send, UnixStream) => {
                "the bytes were copied straight into the peer's receive queue; \
                 send() is called again for any rest, like sendall()"
            }
            (Step::Send | Step::SendTo, _) => {
                "the kernel queued one datagram for that path; if the peer's \
                 queue is full the call waits: nothing is dropped on the way"
            }
            (Step::Shutdown, _) => {
                "shutdown(Write) ended our direction: the peer reads \
                 end-of-stream (0 bytes), while this side can still receive"
            }
            (Step::Close, UnixStream) => {
                "the kernel released the socket; the peer reads end-of-stream \
                 (0 bytes); a socket file stays until someone removes it"
            }
            (Step::Close, _) => {
                "the kernel released the socket; a socket file stays in the \
                 file system until someone removes it"
            }
            _ => return None,
        })
    }

    pub(crate) fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}
