//! The file a Unix domain socket is bound to: what stands in bind()'s way,
//! and removing the file when the program is done with it.
//!
//! bind() creates the file and close() leaves it behind, so a program
//! removes its own socket file at the end, and only that one: a path that
//! is no longer the socket it created is left alone.

use crate::failure::Failure;
use crate::lang::tr;
use crate::place::Place;
use crate::step::Step;
use std::io;
use std::path::{Path, PathBuf};

/// The socket file a bind() created, to remove at the end.
#[derive(Debug)]
pub struct SocketFile {
    path: PathBuf,
    #[cfg(unix)]
    id: (u64, u64),
}

impl SocketFile {
    /// The socket file bind() has just created at `path`.
    #[cfg(unix)]
    pub fn created(path: &Path) -> io::Result<Self> {
        use std::os::unix::fs::MetadataExt;
        let meta = std::fs::symlink_metadata(path)?;
        Ok(Self {
            path: path.to_path_buf(),
            id: (meta.dev(), meta.ino()),
        })
    }

    /// Removes the file, if it is still the socket bind() created; false
    /// when it was gone or replaced (then nothing is deleted).
    pub fn remove(self) -> io::Result<bool> {
        #[cfg(unix)]
        {
            use std::os::unix::fs::{FileTypeExt, MetadataExt};
            match std::fs::symlink_metadata(&self.path) {
                Ok(meta)
                    if meta.file_type().is_socket()
                        && (meta.dev(), meta.ino()) == self.id =>
                {
                    std::fs::remove_file(&self.path).map(|()| true)
                }
                Ok(_) => Ok(false),
                Err(e) if e.kind() == io::ErrorKind::NotFound => Ok(false),
                Err(e) => Err(e),
            }
        }
        #[cfg(not(unix))]
        Ok(false)
    }

    /// Where the file is.
    pub fn path(&self) -> &Path {
        &self.path
    }
}

/// The one-line failure of a bind() to `path` that failed with `e`: what
/// is in the way, and what to do about it.
pub fn bind_failed(path: &Path, e: &io::Error) -> Failure {
    let shown = Place::unix(Some(path));
    let failure = Failure::at(Step::Bind, &shown, e);
    let hint = match e.kind() {
        io::ErrorKind::AddrInUse => in_the_way(path),
        io::ErrorKind::PermissionDenied => tr("error-path-not-yours", &[]),
        io::ErrorKind::NotFound => tr("error-path-no-folder", &[]),
        _ => return failure,
    };
    failure.hint(hint)
}

/// Why a path is taken: a live socket, a stale one, or another file.
fn in_the_way(path: &Path) -> String {
    let shown = Place::unix(Some(path));
    let meta = match std::fs::symlink_metadata(path) {
        Ok(meta) => meta,
        Err(_) => return tr("error-path-taken-now", &[]),
    };
    let path_arg = ("path", shown.to_string().into());
    if meta.is_dir() {
        let inside = Place::unix(Some(&path.join("echo.sock")));
        let inside = ("inside", inside.to_string().into());
        return tr("error-path-folder", &[path_arg, inside]);
    }
    let id = if meta.file_type().is_symlink() {
        "error-path-symlink"
    } else if !is_socket(&meta) {
        "error-path-file"
    } else if someone_listens(path) {
        "error-path-bound"
    } else {
        "error-path-stale"
    };
    tr(id, &[path_arg])
}

#[cfg(unix)]
fn is_socket(meta: &std::fs::Metadata) -> bool {
    use std::os::unix::fs::FileTypeExt;
    meta.file_type().is_socket()
}

#[cfg(not(unix))]
fn is_socket(_: &std::fs::Metadata) -> bool {
    false
}

/// True if a socket is bound at `path`. The probe is a datagram socket's
/// connect(), which a live server never sees (a stream connect would be
/// accepted as a client): it succeeds on a datagram socket, is refused as
/// the wrong type by a stream one, and refused outright on a stale file.
#[cfg(unix)]
fn someone_listens(path: &Path) -> bool {
    use std::os::unix::net::UnixDatagram;
    let probe = UnixDatagram::unbound().and_then(|s| s.connect(path));
    !matches!(probe, Err(e) if e.kind() == io::ErrorKind::ConnectionRefused)
}

#[cfg(not(unix))]
fn someone_listens(_: &Path) -> bool {
    false
}

/// The usage error where the platform has no Unix domain sockets.
pub fn unsupported(path: &Path) -> Failure {
    Failure::usage(format!(
        "{} is a Unix domain socket's path, and this build has no AF_UNIX",
        Place::unix(Some(path))
    ))
    .hint("use HOST:PORT here, or run the program on Linux or macOS")
}

#[cfg(all(test, unix))]
#[allow(clippy::expect_used)] // A panic is a failed test.
mod tests {
    use super::*;

    fn folder(name: &str) -> PathBuf {
        let dir = std::env::temp_dir()
            .join(format!("lesson-{name}-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        std::fs::create_dir_all(&dir).expect("a temp folder");
        dir
    }

    #[test]
    fn what_is_in_the_way_is_named() {
        use std::os::unix::net::UnixListener;
        let dir = folder("in-the-way");
        let regular = dir.join("notes.txt");
        std::fs::write(&regular, "keep me").expect("a file");
        assert!(in_the_way(&regular).contains("no socket"));
        assert!(in_the_way(&dir).contains("is a folder"));
        let live = dir.join("live.sock");
        let listener = UnixListener::bind(&live).expect("bind");
        assert!(in_the_way(&live).contains("another program"));
        drop(listener);
        assert!(in_the_way(&live).contains("stale"), "{}", in_the_way(&live));
        let link = dir.join("link.sock");
        std::os::unix::fs::symlink(&live, &link).expect("a symbolic link");
        assert!(in_the_way(&link).contains("symbolic link"));
        assert!(std::fs::symlink_metadata(&link).is_ok(), "the link is kept");
        assert_eq!(
            std::fs::read_to_string(&regular).ok().as_deref(),
            Some("keep me")
        );
        let _ = std::fs::remove_dir_all(&dir);
    }

    #[test]
    fn only_the_file_bind_created_is_removed() {
        use std::os::unix::net::UnixDatagram;
        let dir = folder("remove");
        let path = dir.join("echo.sock");
        let socket = UnixDatagram::bind(&path).expect("bind");
        let file = SocketFile::created(&path).expect("created");
        drop(socket);
        assert_eq!(file.remove().ok(), Some(true));
        assert!(!path.exists());
        // Replaced by a regular file: left alone.
        let _socket = UnixDatagram::bind(&path).expect("bind again");
        let file = SocketFile::created(&path).expect("created");
        std::fs::remove_file(&path).expect("rm");
        std::fs::write(&path, "not a socket").expect("a file");
        assert_eq!(file.remove().ok(), Some(false));
        assert!(path.exists());
        let _ = std::fs::remove_dir_all(&dir);
    }
}
