//! The steps of a socket's life, named after the calls that perform them,
//! with the words the programs use for each: its name, the verb of an
//! error message, and one sentence about what the operating system does.

use std::fmt;

/// Which transport a program uses; some steps mean different things.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Transport {
    Tcp,
    Udp,
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
        match (self, protocol) {
            (Step::Resolve, _) => {
                "the resolver turns the name into IP addresses (from the hosts \
                 file or DNS); nothing has been sent to the server yet"
            }
            (Step::Socket, Tcp) => {
                "the kernel creates a stream socket and hands back a file \
                 descriptor; it has no address and no peer yet"
            }
            (Step::Socket, Udp) => {
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
            (Step::Connect, Udp) => {
                "nothing was sent: the kernel only noted the peer, so send() \
                 needs no address and datagrams from anyone else are dropped"
            }
            (Step::Recv, Tcp) => {
                "recv() waited for bytes and copied what had arrived, up to the \
                 buffer size; TCP decides how the stream is cut into pieces"
            }
            (Step::Recv, Udp) => {
                "recv() on a connected UDP socket returns one whole datagram \
                 from the peer, cut off if it is larger than the buffer"
            }
            (Step::Send, Tcp) => {
                "the bytes were copied into the kernel's send buffer; send() \
                 is called again for any rest until every byte is taken, like \
                 sendall()"
            }
            (Step::Send, Udp) => {
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
            (Step::Close, Udp) => {
                "the kernel released the socket and its port; nothing is sent, \
                 since UDP has no connection to end"
            }
        }
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
