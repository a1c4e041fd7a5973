//! The Unix family's opening steps, for an ADDRESS that is a path: the
//! counterpart of Python's `socketserver.UnixStreamServer`. The socket is
//! a stream socket as with TCP, and listen, accept, recv, send and close
//! are the same calls; what differs is its family, and that its address is
//! a file that bind() creates and that the server removes at the end.

use crate::context::Context;
use lesson::socket_file::{self, SocketFile};
use lesson::{Console, Failure, Narrator, Place};
use socket2::Socket;
use std::path::Path;

/// socket and bind on the path `path`: returns the socket, and the path
/// as narration shows it. (listen, in `main.rs`, is the same for both.)
#[cfg(unix)]
pub fn open(
    path: &Path,
    narrator: &Narrator,
) -> Result<(Socket, Place), Failure> {
    use lesson::{Step, narrate::Told};
    use socket2::{Domain, SockAddr, Type};
    let place = Place::unix(Some(path));
    // ANCHOR: socket_unix
    // The same call with another family: AF_UNIX instead of AF_INET. The
    // type is still SOCK_STREAM, a stream of bytes; the address to bind
    // will be a path in the file system instead of an IP and a port.
    let socket = Socket::new(Domain::UNIX, Type::STREAM, None)
        .told(Step::Socket, &place)?;
    // ANCHOR_END: socket_unix

    // No setsockopt(SO_REUSEADDR) here: a Unix socket has no TIME_WAIT to
    // wait out. What keeps a restart from binding is the socket file the
    // last run left behind, and bind() below reports it.
    let address =
        SockAddr::unix(path).map_err(|e| socket_file::bind_failed(path, &e))?;
    // ANCHOR: bind_unix
    // bind() gives the socket its path: the kernel creates a socket file
    // there, and refuses if any file has that name already (it replaces
    // none, not even a socket file left behind).
    if let Err(e) = socket.bind(&address) {
        return Err(socket_file::bind_failed(path, &e));
    }
    narrator.did(Step::Bind, format_args!("{place}"));
    // ANCHOR_END: bind_unix
    lesson::trace::Event {
        local: Some(place.clone()),
        ..Default::default()
    }
    .record(Step::Bind);
    Ok((socket, place))
}

/// Where the platform has no AF_UNIX: a usage error, before any step.
#[cfg(not(unix))]
pub fn open(path: &Path, _: &Narrator) -> Result<(Socket, Place), Failure> {
    Err(socket_file::unsupported(path))
}

/// After the listening socket is closed: removes the socket file bind()
/// created, since close() leaves it behind, and says so.
pub fn remove(file: Option<SocketFile>, context: &Context) {
    let settings = &context.settings;
    removed(file, settings.narrator, &settings.console);
}

/// Removes the socket file `file`, if any, and says so: with `--explain`
/// when it is gone, always when it cannot be removed or is not ours.
pub fn removed(
    file: Option<SocketFile>,
    narrator: &Narrator,
    console: &Console,
) {
    let Some(file) = file else {
        return;
    };
    let shown = Place::unix(Some(file.path())).to_string();
    let line = |id: &str, why: String| {
        let args = [("path", shown.as_str().into()), ("why", why.into())];
        lesson::lang::tr(id, &args)
    };
    match file.remove() {
        Ok(true) => {
            let removed = line("server-socket-file-removed", String::new());
            narrator.note(format_args!("{removed}"));
        }
        Ok(false) => {
            let left = line("server-socket-file-left", String::new());
            console.warn(format_args!("{left}"));
        }
        Err(e) => {
            let why = lesson::failure::describe(&e);
            let stuck = line("server-socket-file-stuck", why);
            console.warn(format_args!("{stuck}"));
        }
    }
}
