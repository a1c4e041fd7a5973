//! The client of a Unix datagram server (Python's UnixDatagramServer):
//! when ADDRESS is a path, the same steps as over UDP in the family whose
//! addresses are paths in the file system (AF_UNIX).
//!
//! One step differs in what it means: bind(). A UDP socket gets a port
//! at its first sendto() whether it binds one or not, so the server can
//! always answer. An AF_UNIX datagram socket that binds no path has no
//! address at all: the server would get our datagrams and could send
//! nothing back. So the client binds a path of its own (`--bind PATH`, by
//! default `udp-client-PID.sock` in the temporary folder), and removes
//! that file at the end, however the conversation ends: close() does not.

#[cfg(unix)]
use crate::conversation::refused_or;
use crate::messages;
use input::Input;
#[cfg(unix)]
use lesson::Step;
use lesson::failure::describe;
#[cfg(unix)]
use lesson::narrate::Told;
use lesson::socket_file::SocketFile;
use lesson::{Console, Failure, Place};
#[cfg(unix)]
use std::io;
use std::path::Path;
use std::sync::atomic::Ordering;
use std::sync::{Arc, Mutex};

/// The socket file our own bind() created, removed when this is dropped:
/// at the end, or on the way out after an error.
#[derive(Debug, Default)]
pub struct OwnFile(Option<SocketFile>);

impl OwnFile {
    /// Removes our socket file now, and says so.
    pub fn remove(mut self) {
        self.remove_now();
    }

    fn remove_now(&mut self) {
        let Some(file) = self.0.take() else {
            return;
        };
        let shown = Place::unix(Some(file.path()));
        match file.remove() {
            Ok(true) => {
                let note = messages::path("uclient-removed", &shown);
                lesson::narrate::narrator().note(format_args!("{note}"));
            }
            Ok(false) => {
                let warning = messages::path("uclient-left-alone", &shown);
                Console::detect().warn(format_args!("{warning}"));
            }
            Err(e) => {
                let warning = messages::cannot_remove(&shown, describe(&e));
                Console::detect().warn(format_args!("{warning}"));
            }
        }
    }
}

impl Drop for OwnFile {
    fn drop(&mut self) {
        self.remove_now();
    }
}

/// What the Unix family's steps give the conversation.
#[derive(Debug)]
pub struct Opened {
    pub socket: socket2::Socket,
    pub local: Place,
    pub server: Place,
    pub own: OwnFile,
}

#[cfg(unix)]
/// A step's result told as `Told::told` does, or failed in words of the
/// Unix family's own (`fail`).
trait ToldOr<T> {
    fn told_or(
        self,
        step: Step,
        target: impl std::fmt::Display,
        fail: impl FnOnce(io::Error) -> Failure,
    ) -> Result<T, Failure>;
}

#[cfg(unix)]
impl<T> ToldOr<T> for io::Result<T> {
    fn told_or(
        self,
        step: Step,
        target: impl std::fmt::Display,
        fail: impl FnOnce(io::Error) -> Failure,
    ) -> Result<T, Failure> {
        match self {
            Ok(value) => io::Result::Ok(value).told(step, target),
            Err(e) => Err(fail(e)),
        }
    }
}

/// socket, bind and connect for a server at `server_path`, with our own
/// socket at `own_path`.
#[cfg(unix)]
pub fn open(server_path: &Path, own_path: &Path) -> Result<Opened, Failure> {
    use socket2::{Domain, SockAddr, Socket, Type};
    let server = Place::unix(Some(server_path));
    let local = Place::unix(Some(own_path));

    // ANCHOR: socket_unix
    // socket() in the Unix family: the same datagram socket type, with
    // paths for addresses; there is no protocol to name.
    let socket = Socket::new(Domain::UNIX, Type::DGRAM, None)
        .told(Step::Socket, &server)?;
    // ANCHOR_END: socket_unix

    let own = SockAddr::unix(own_path).map_err(|e| own_failed(own_path, &e))?;
    // Our path, and why we bind one: the target --explain shows.
    let ours = messages::path("uclient-own-path", &local);
    // ANCHOR: bind_unix
    // bind() to a path of our own. UDP got a port at the first sendto()
    // anyway; here, without a path, the server's replies have nowhere to
    // go. No SO_REUSEADDR: there is no TIME_WAIT, a leftover file is the
    // trouble instead, and bind() fails if any file is at the path.
    socket
        .bind(&own)
        .told_or(Step::Bind, format_args!("{ours}"), |e| {
            own_failed(own_path, &e)
        })?;
    // ANCHOR_END: bind_unix
    // From now on the file is ours to remove, whatever happens.
    let own = OwnFile(SocketFile::created(own_path).ok());

    let to = SockAddr::unix(server_path)
        .map_err(|e| refused_or(e, &server, Step::Connect))?;
    // ANCHOR: connect_unix
    // connect() sends nothing here either: the kernel finds the socket
    // bound at the server's path and remembers it. Unlike UDP, it knows at
    // once when there is none: no file, or a file nobody is bound to.
    socket.connect(&to).told_or(Step::Connect, &server, |e| {
        refused_or(e, &server, Step::Connect)
    })?;
    // ANCHOR_END: connect_unix
    Ok(Opened {
        socket,
        local,
        server,
        own,
    })
}

/// Where this build has no Unix domain sockets: a usage error.
#[cfg(not(unix))]
pub fn open(server_path: &Path, _own_path: &Path) -> Result<Opened, Failure> {
    Err(lesson::socket_file::unsupported(server_path))
}

#[cfg(unix)]
/// Our own path could not be bound: a missing folder, or one we may not
/// write in, is said in the client's words; the rest as any bind() says.
fn own_failed(path: &Path, e: &io::Error) -> Failure {
    use messages::{folder, plain};
    let shown = Place::unix(Some(path));
    let parent = path.parent().map(|p| Place::unix(Some(p)));
    let parent = parent.as_ref();
    let what = || Failure::new(messages::path("uclient-own-cannot", &shown));
    match e.kind() {
        io::ErrorKind::NotFound => {
            let ids = ("uclient-folder-missing", "uclient-folder-missing-bare");
            let why = folder(ids, parent);
            what().because(why).hint(plain("uclient-hint-create"))
        }
        io::ErrorKind::NotADirectory => {
            let ids = ("uclient-folder-file", "uclient-folder-file-bare");
            let why = folder(ids, parent);
            what().because(why).hint(plain("uclient-hint-folder"))
        }
        io::ErrorKind::PermissionDenied | io::ErrorKind::ReadOnlyFilesystem => {
            let ids = ("uclient-folder-locked", "uclient-folder-locked-bare");
            let why = folder(ids, parent);
            what().because(why).hint(plain("uclient-hint-yours"))
        }
        io::ErrorKind::InvalidInput => what()
            .because(describe(e))
            .hint(plain("uclient-hint-shorter")),
        _ => lesson::socket_file::bind_failed(path, e),
    }
}

/// A signal removes our socket file on the way out. At a terminal the
/// line editor reads Ctrl-C as a key, and another signal (SIGTERM,
/// SIGHUP) stops at once: the file goes first. With piped input there is
/// no editor: a signal (Ctrl-C too) ends the conversation as Ctrl-C at the
/// prompt does, and a second one stops at once, the file removed first.
///
/// Call it before the editor starts: its prompt is on the screen the
/// moment it starts, and a signal then must find the removal in place.
/// The returned [`StopOnSignal`] is for piped input, once it has started.
pub fn remove_on_signal(own: &OwnFile) -> StopOnSignal {
    // Over UDP there is no file: signals keep their usual meaning.
    let Some(ours) = &own.0 else {
        return StopOnSignal(None);
    };
    // A second handle on the same file, for the signal's thread.
    #[cfg(unix)]
    let file = SocketFile::created(ours.path()).ok();
    #[cfg(not(unix))]
    let file: Option<SocketFile> = {
        let _ = ours;
        None
    };
    let file = Mutex::new(file);
    let remove: Arc<dyn Fn() + Send + Sync> = Arc::new(move || {
        let taken = file.lock().map(|mut f| f.take());
        if let Ok(Some(file)) = taken {
            let _ = file.remove();
        }
    });
    let at_terminal = Arc::clone(&remove);
    input::at_signal(move || at_terminal());
    StopOnSignal(Some(remove))
}

/// The removal of our socket file, for a signal with piped input.
pub struct StopOnSignal(Option<Arc<dyn Fn() + Send + Sync>>);

impl StopOnSignal {
    /// With piped input, the first signal ends the conversation and a
    /// second one removes our file and stops at once; at a terminal the
    /// editor's own handling (see [`remove_on_signal`]) is in place.
    pub fn with(self, input: &Input) -> Result<(), Failure> {
        let Some(remove) = self.0 else {
            return Ok(());
        };
        if input.is_terminal() {
            return Ok(());
        }
        let interrupted = input.interruption();
        let waker = input.waker();
        ctrlc::set_handler(move || {
            if !interrupted.swap(true, Ordering::SeqCst) {
                waker.wake();
                return;
            }
            remove();
            eprintln!("{}", messages::plain("uclient-signal"));
            std::process::exit(130);
        })
        .map_err(|e| {
            Failure::new(messages::plain("uclient-no-signals")).because(e)
        })
    }
}
