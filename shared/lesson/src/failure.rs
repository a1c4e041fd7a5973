//! Errors worth one line to the user, and the exit codes.
//!
//! A failure says what failed, why, and what to try next:
//! `cannot bind 127.0.0.1:80: permission denied (ports below 1024 …)`.
//! The program prints it once, on stderr, and exits with its code: 0 ok,
//! 1 runtime, 2 usage.

use crate::console::Console;
use crate::step::Step;
use std::fmt;
use std::io;
use std::path::Path;
use std::process::ExitCode;

/// The documented exit codes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Exit {
    /// Everything went as planned.
    Ok = 0,
    /// The network or the operating system said no.
    Runtime = 1,
    /// The command line asked for something impossible.
    Usage = 2,
}

/// An error worth one line to the user: what failed, why, and a hint.
#[derive(Debug)]
pub struct Failure {
    what: String,
    cause: Option<String>,
    hint: Option<String>,
    exit: Exit,
}

impl Failure {
    /// A runtime failure (exit code 1) described by `what`.
    pub fn new(what: impl Into<String>) -> Self {
        Self {
            what: what.into(),
            cause: None,
            hint: None,
            exit: Exit::Runtime,
        }
    }

    /// A usage failure (exit code 2) described by `what`.
    pub fn usage(what: impl Into<String>) -> Self {
        Self {
            exit: Exit::Usage,
            ..Self::new(what)
        }
    }

    /// The cause, as in `cannot bind X: <cause>`, if there is one.
    pub fn cause(&self) -> Option<&str> {
        self.cause.as_deref()
    }

    /// Adds the cause, as in `cannot bind X: <cause>`.
    pub fn because(mut self, cause: impl fmt::Display) -> Self {
        self.cause = Some(cause.to_string());
        self
    }

    /// Replaces the hint printed in parentheses at the end of the line.
    pub fn hint(mut self, hint: impl Into<String>) -> Self {
        self.hint = Some(hint.into());
        self
    }

    /// The exit code this failure ends the program with.
    pub fn exit(&self) -> Exit {
        self.exit
    }
}

impl fmt::Display for Failure {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}", self.what)?;
        if let Some(cause) = &self.cause {
            write!(f, ": {cause}")?;
        }
        if let Some(hint) = &self.hint {
            write!(f, " ({hint})")?;
        }
        Ok(())
    }
}

/// Turns the result of a socket call into a [`Failure`] that names the
/// step and its target: `cannot bind 127.0.0.1:80: permission denied (…)`.
pub trait StepResult<T> {
    fn during(
        self,
        step: Step,
        target: impl fmt::Display,
    ) -> Result<T, Failure>;
}

impl<T> StepResult<T> for io::Result<T> {
    fn during(
        self,
        step: Step,
        target: impl fmt::Display,
    ) -> Result<T, Failure> {
        self.map_err(|e| Failure::at(step, target, &e))
    }
}

impl Failure {
    /// The failure of `step` on `target` with error `e`, with a hint when
    /// there is a useful one.
    pub fn at(step: Step, target: impl fmt::Display, e: &io::Error) -> Self {
        let target = target.to_string();
        let failure = Failure::new(format!("cannot {} {target}", step.verb()))
            .because(describe(e));
        // A file name typed bare (`echo.sock`) reads as a host name. Only
        // a failed lookup asks the file system.
        let host = target.rsplit_once(':').map_or(&*target, |(host, _)| host);
        let file = || host.ends_with(".sock") || Path::new(host).exists();
        if step == Step::Resolve && file() {
            return failure.hint(format!(
                "a Unix socket's path needs ./ or unix: in front: ./{host}"
            ));
        }
        match hint(step, e.kind()) {
            Some(h) => failure.hint(h),
            None => failure,
        }
    }
}

/// An I/O error in lowercase words, without the `(os error N)` suffix
/// where the kind says it all.
pub fn describe(e: &io::Error) -> String {
    use io::ErrorKind::*;
    let words = match e.kind() {
        AddrInUse => "address already in use",
        AddrNotAvailable => "address not available on this machine",
        ConnectionRefused => "connection refused",
        ConnectionReset => "connection reset by peer",
        ConnectionAborted => "connection aborted",
        BrokenPipe => "broken pipe (the peer has closed the connection)",
        PermissionDenied => "permission denied",
        TimedOut | WouldBlock => "timed out",
        HostUnreachable => "host unreachable",
        NetworkUnreachable => "network unreachable",
        UnexpectedEof => "the peer closed the connection",
        NotFound => "no such file or directory",
        NotADirectory => "not a directory",
        _ => {
            // The operating system's words, or a resolver's: shown the way
            // network data is, in case they quote something odd.
            let text = shared::text::render(e.to_string().as_bytes());
            let mut chars = text.chars();
            let said: String = match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => text,
            };
            // Out of file descriptors: the one limit a user can raise.
            return match said.starts_with("too many open files") {
                true => format!("{said}; raise the limit with `ulimit -n`"),
                false => said,
            };
        }
    };
    words.to_string()
}

/// The most useful next step for a user who met `kind` at `step`.
fn hint(step: Step, kind: io::ErrorKind) -> Option<&'static str> {
    use io::ErrorKind::*;
    let hint = match (step, kind) {
        (Step::Bind, AddrInUse) => {
            "is another server running on that port? pick another port, or 0 for any free one"
        }
        (Step::Bind, PermissionDenied) => {
            "ports below 1024 need administrator rights; use a port above 1024"
        }
        (Step::Bind, AddrNotAvailable) => {
            "that IP address is not one of this machine's; try 127.0.0.1"
        }
        (Step::Resolve, _) => {
            "check the spelling, or use an IP address such as 127.0.0.1"
        }
        (Step::Connect, TimedOut) => {
            "no answer at all; is the address right, or is a firewall dropping packets?"
        }
        (_, ConnectionReset) => "the peer closed the connection abruptly",
        _ => return None,
    };
    Some(hint)
}

/// Writes out the data lines still gathered, prints `result`'s failure,
/// if any, and turns it into the exit code.
pub fn finish(result: Result<(), Failure>, console: &Console) -> ExitCode {
    crate::console::flush_data();
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            console.error(format_args!("{failure}"));
            ExitCode::from(failure.exit() as u8)
        }
    }
}

/// True when `e` is a socket timeout running out: WouldBlock on Unix,
/// TimedOut on Windows.
pub fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
    )
}

#[cfg(all(test, target_os = "linux"))]
mod tests {
    use super::*;

    /// Out of file descriptors, the words say which limit to raise.
    #[test]
    fn too_many_open_files_names_the_limit() {
        let said = describe(&io::Error::from_raw_os_error(24));
        assert_eq!(
            said,
            "too many open files (os error 24); raise the limit with `ulimit -n`"
        );
    }
}
