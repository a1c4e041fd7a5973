//! The same server in the Unix family: when ADDRESS is a path, the socket
//! is AF_UNIX × SOCK_DGRAM, Python's `socketserver.UnixDatagramServer`.
//!
//! Only socket() and bind() differ from UDP: recv_from(), send_to() and
//! close() are the very same calls on the same `Socket`, and a sender's
//! address is a path instead of an IP address and port. What is new is
//! the file bind() creates, which the server removes when it stops.

use lesson::lang::tr;
use lesson::socket_file::{self, SocketFile};
use lesson::{Console, Failure, Place};
use socket2::Socket;
use std::path::Path;
use std::time::Duration;

/// How long a send_to() may wait for room in a client's receive queue.
/// AF_UNIX drops no datagram: a full queue makes the sender wait, and a
/// client that never reads would hold the server up for good.
pub const SEND_PATIENCE: Duration = Duration::from_secs(1);

/// The socket, where it is, and the file bind() created (to remove).
type Opened = (Socket, Place, Option<SocketFile>);

/// socket() and bind() on `path`.
#[cfg(unix)]
pub fn open(path: &Path) -> Result<Opened, Failure> {
    use lesson::narrate::Told;
    use lesson::{Step, StepResult};
    use socket2::{Domain, SockAddr, Type};
    let place = Place::unix(Some(path));

    // ANCHOR: socket_unix
    // socket() asks for a Unix datagram socket (AF_UNIX, SOCK_DGRAM): one
    // message per send, as in UDP, but between programs on this machine.
    let socket = Socket::new(Domain::UNIX, Type::DGRAM, None)
        .told(Step::Socket, &place)?;
    // ANCHOR_END: socket_unix

    // ANCHOR: bind_unix
    // bind() creates the socket file at the path; datagrams sent to that
    // path now queue up for this socket. Any file already there, even a
    // stale socket, makes it fail: bind() replaces nothing.
    let address = SockAddr::unix(path).during(Step::Bind, &place)?;
    let bound = socket.bind(&address);
    if let Err(e) = &bound {
        return Err(socket_file::bind_failed(path, e));
    }
    bound.told(Step::Bind, &place)?;
    // ANCHOR_END: bind_unix

    // Remembered now, so that only this very file is removed at the end.
    let file = SocketFile::created(path).during(Step::Bind, &place);
    let remove_it =
        || tr("udp-remove-it", &[("path", place.to_string().into())]);
    let file = file.map_err(|f| f.hint(remove_it()))?;
    // No SO_REUSEADDR (nor in UDP here): AF_UNIX has no ports and no
    // TIME_WAIT; a file left behind is what blocks a bind() instead.
    if let Err(e) = socket.set_write_timeout(Some(SEND_PATIENCE)) {
        let why = ("why", lesson::failure::describe(&e).into());
        let warning = tr("udp-no-send-timeout", &[why]);
        Console::detect().warn(format_args!("{warning}"));
    }
    Ok((socket, place, Some(file)))
}

/// Where the platform has no AF_UNIX: a usage error.
#[cfg(not(unix))]
pub fn open(path: &Path) -> Result<Opened, Failure> {
    Err(socket_file::unsupported(path))
}

/// Removes the socket file after close(), and says so: close() leaves the
/// file behind, and the next bind() to the path would fail on it.
pub fn remove(file: Option<SocketFile>, console: &Console) {
    let Some(file) = file else {
        return; // UDP: no file
    };
    let shown = Place::unix(Some(file.path()));
    let narrator = lesson::narrate::narrator();
    let path = ("path", shown.to_string().into());
    match file.remove() {
        Ok(true) => {
            let note = tr("udp-removed", &[path]);
            narrator.note(format_args!("{note}"));
        }
        Ok(false) => {
            let warning = tr("udp-not-ours", &[path]);
            console.warn(format_args!("{warning}"));
        }
        Err(e) => {
            let why = ("why", lesson::failure::describe(&e).into());
            let warning = tr("udp-cannot-remove", &[path, why]);
            console.warn(format_args!("{warning}"));
        }
    }
}
