//! The client of a Unix domain socket (AF_UNIX, SOCK_STREAM), the client
//! of Python's `socketserver.UnixStreamServer`: when the ADDRESS is a
//! path, socket() and connect() take it instead of a host and a port, and
//! the conversation after them is the same.
//!
//! There is no resolve step: the path is the address, and the kernel
//! finds the server's socket by that name in the file system.

use crate::args::Args;
use crate::stream::Connected;
#[cfg(unix)]
use lesson::Place;
use lesson::{Console, Failure};
use std::path::Path;

/// Connects to the server whose socket file is at `path`.
#[cfg(unix)]
pub fn connect(
    path: &Path,
    args: &Args,
    console: &Console,
) -> Result<Connected, Failure> {
    use crate::stream::Stream;
    use lesson::narrate::Told;
    use lesson::{Step, StepResult};
    use socket2::{Domain, SockAddr, Socket, Type};
    use std::os::unix::net::UnixStream;

    let narrator = lesson::narrate::narrator();
    let server = Place::unix(Some(path));
    let shown = [("path", server.to_string().into())];
    let no_resolve = lesson::lang::tr("client-no-resolve", &shown);
    narrator.note(format_args!("{no_resolve}"));
    // ANCHOR: socket_unix
    // socket() creates a Unix stream socket: the family AF_UNIX, the
    // type SOCK_STREAM, as TCP's but for this machine alone.
    let socket = Socket::new(Domain::UNIX, Type::STREAM, None)
        .told(Step::Socket, &server)?;
    // ANCHOR_END: socket_unix

    // Parsing refused a path too long for sun_path: this cannot fail.
    let address = SockAddr::unix(path).during(Step::Connect, &server)?;
    // --connect-timeout: connect() waits for room in a full queue at
    // most this long (SO_SNDTIMEO bounds that wait).
    let limit = args.connect_timeout;
    socket
        .set_write_timeout(limit)
        .during(Step::Connect, &server)?;
    let waiting = crate::connecting::still_connecting(server.clone(), console);
    let waited = lesson::trace::start();
    // ANCHOR: connect_unix
    // connect() finds the socket file at the path and joins the server's
    // queue of connections: no handshake on a wire, so it is done at once
    // (unless that queue is full).
    let connected = socket.connect(&address);
    // ANCHOR_END: connect_unix
    drop(waiting);
    // Our end has no path: a client need not bind one (as with TCP's
    // ephemeral port, the kernel needs no name for it).
    let local = Place::Unnamed;
    let error = connected.as_ref().err().map(lesson::failure::describe);
    crate::connecting::trace(
        waited,
        Some(local.clone()),
        server.clone(),
        error,
    );
    if let Err(e) = connected {
        return Err(failed(path, &e));
    }
    socket
        .set_write_timeout(None)
        .during(Step::Connect, &server)?;
    let details = crate::messages::connect(&server, Some(&local));
    narrator.did(Step::Connect, format_args!("{details}"));
    drop(details);
    let stream = Stream::from(UnixStream::from(socket));
    Ok((stream, server, Some(local)))
}

/// Where the platform has no Unix domain sockets: a usage error.
#[cfg(not(unix))]
pub fn connect(
    path: &Path,
    _: &Args,
    _: &Console,
) -> Result<Connected, Failure> {
    Err(lesson::socket_file::unsupported(path))
}

/// The one-line failure of a connect() to `path` that failed with `e`,
/// with a hint that names what is (or is not) at the path.
#[cfg(unix)]
pub fn failed(path: &Path, e: &std::io::Error) -> Failure {
    use lesson::lang::tr;
    use std::io::ErrorKind;
    use std::os::unix::fs::FileTypeExt;
    let server = Place::unix(Some(path));
    let failure = Failure::at(lesson::Step::Connect, &server, e);
    let what = std::fs::symlink_metadata(path).map(|m| m.file_type());
    let id = match e.kind() {
        ErrorKind::NotFound => {
            let failure = failure.because(tr("client-unix-no-such-file", &[]));
            return failure.hint(hint("client-unix-hint-no-file", &server));
        }
        ErrorKind::NotADirectory => {
            let why = tr("client-unix-not-a-directory", &[]);
            let failure = failure.because(why);
            return failure
                .hint(hint("client-unix-hint-not-a-folder", &server));
        }
        ErrorKind::PermissionDenied => "client-unix-hint-permission",
        // --connect-timeout ran out with the listener's queue still full.
        ErrorKind::WouldBlock | ErrorKind::TimedOut => {
            "client-unix-hint-queue-full"
        }
        _ if what.as_ref().is_ok_and(|t| t.is_dir()) => {
            "client-unix-hint-folder"
        }
        _ if what.as_ref().is_ok_and(|t| !t.is_socket()) => {
            "client-unix-hint-not-socket"
        }
        ErrorKind::ConnectionRefused => "client-unix-hint-stale",
        _ if is_datagram(path) => "client-unix-hint-datagram",
        _ => return failure,
    };
    failure.hint(hint(id, &server))
}

/// The hint `id`, about the path `server`.
#[cfg(unix)]
fn hint(id: &str, server: &Place) -> String {
    lesson::lang::tr(id, &[("server", server.to_string().into())])
}

/// True if a datagram socket is bound at `path`.
#[cfg(unix)]
fn is_datagram(path: &Path) -> bool {
    std::os::unix::net::UnixDatagram::unbound()
        .and_then(|socket| socket.connect(path))
        .is_ok()
}
