//! The steps of a socket's life, named after the calls that perform them,
//! with the words the programs use for each: its name, the verb of an
//! error message, and one sentence about what the operating system does
//! (in the catalogs of [`crate::lang`]).

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

    /// The catalog's id of the error that names this step:
    /// `cannot bind <target>`, `cannot connect to <target>`.
    pub fn error_id(self) -> &'static str {
        match self {
            Step::Resolve => "error-resolve",
            Step::Socket => "error-socket",
            Step::SetSockOpt => "error-setsockopt",
            Step::Bind => "error-bind",
            Step::Listen => "error-listen",
            Step::Accept => "error-accept",
            Step::Connect => "error-connect",
            Step::Recv => "error-recv",
            Step::Send | Step::SendTo => "error-send",
            Step::RecvFrom => "error-recv-from",
            Step::Shutdown => "error-shutdown",
            Step::Close => "error-close",
        }
    }

    /// One sentence: what the operating system does at this step, in the
    /// program's language (see [`crate::lang`]).
    pub fn meaning(self, protocol: Transport) -> String {
        crate::lang::tr(self.meaning_id(protocol), &[])
    }

    /// The id of [`meaning`](Self::meaning)'s message in the catalogs.
    pub fn meaning_id(self, protocol: Transport) -> &'static str {
        use Transport::*;
        if let Some(id) = self.on_unix(protocol) {
            return id;
        }
        match (self, protocol) {
            (Step::Resolve, _) => "meaning-resolve",
            (Step::Socket, Tcp) => "meaning-socket-stream",
            (Step::Socket, _) => "meaning-socket-datagram",
            (Step::SetSockOpt, _) => "meaning-setsockopt",
            (Step::Bind, _) => "meaning-bind",
            (Step::Listen, _) => "meaning-listen",
            (Step::Accept, _) => "meaning-accept",
            (Step::Connect, Tcp) => "meaning-connect-stream",
            (Step::Connect, _) => "meaning-connect-datagram",
            (Step::Recv, Tcp) => "meaning-recv-stream",
            (Step::Recv, _) => "meaning-recv-datagram",
            (Step::Send, Tcp) => "meaning-send-stream",
            (Step::Send, _) => "meaning-send-datagram",
            (Step::RecvFrom, _) => "meaning-recv-from",
            (Step::SendTo, _) => "meaning-send-to",
            (Step::Shutdown, _) => "meaning-shutdown",
            (Step::Close, Tcp) => "meaning-close-stream",
            (Step::Close, _) => "meaning-close-datagram",
        }
    }

    /// What differs in the Unix family: no network, a path for an address.
    fn on_unix(self, protocol: Transport) -> Option<&'static str> {
        use Transport::*;
        Some(match (self, protocol) {
            (_, Tcp | Udp) => return None,
            (Step::Socket, UnixStream) => "meaning-unix-socket-stream",
            (Step::Socket, _) => "meaning-unix-socket-datagram",
            (Step::Bind, _) => "meaning-unix-bind",
            (Step::Listen, _) => "meaning-unix-listen",
            (Step::Accept, _) => "meaning-unix-accept",
            (Step::Connect, UnixStream) => "meaning-unix-connect-stream",
            (Step::Connect, _) => "meaning-unix-connect-datagram",
            (Step::Recv, UnixStream) => "meaning-unix-recv-stream",
            (Step::Recv | Step::RecvFrom, _) => "meaning-unix-recv-datagram",
            (Step::Send, UnixStream) => "meaning-unix-send-stream",
            (Step::Send | Step::SendTo, _) => "meaning-unix-send-datagram",
            (Step::Shutdown, _) => "meaning-unix-shutdown",
            (Step::Close, UnixStream) => "meaning-unix-close-stream",
            (Step::Close, _) => "meaning-unix-close-datagram",
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
