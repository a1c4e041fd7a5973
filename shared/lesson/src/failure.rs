//! Errors worth one line to the user, and the exit codes.
//!
//! A failure says what failed, why, and what to try next:
//! `cannot bind 127.0.0.1:80: permission denied (ports below 1024 …)`.
//! The program prints it once, on stderr, and exits with its code: 0 ok,
//! 1 runtime, 2 usage.

use crate::console::Console;
use crate::lang::tr;
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
        // Chinese punctuation in a Chinese line: `：` and `（…）`.
        let chinese = crate::lang::Lang::current() == crate::lang::Lang::Zh;
        write!(f, "{}", self.what)?;
        if let Some(cause) = &self.cause {
            match chinese {
                true => write!(f, "：{cause}")?,
                false => write!(f, ": {cause}")?,
            }
        }
        if let Some(hint) = &self.hint {
            match chinese {
                true => write!(f, "（{hint}）")?,
                false => write!(f, " ({hint})")?,
            }
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
        let what = tr(step.error_id(), &[("target", target.as_str().into())]);
        let failure = Failure::new(what).because(describe(e));
        // A file name typed bare (`echo.sock`) reads as a host name. Only
        // a failed lookup asks the file system.
        let host = target.rsplit_once(':').map_or(&*target, |(host, _)| host);
        let file = || host.ends_with(".sock") || Path::new(host).exists();
        if step == Step::Resolve && file() {
            let host = [("host", host.into())];
            return failure.hint(tr("error-hint-unix-path", &host));
        }
        match hint(step, e.kind()) {
            Some(id) => failure.hint(tr(id, &[])),
            None => failure,
        }
    }
}

/// An I/O error in lowercase words, without the `(os error N)` suffix
/// where the kind says it all.
pub fn describe(e: &io::Error) -> String {
    use io::ErrorKind::*;
    let id = match e.kind() {
        AddrInUse => "error-addr-in-use",
        AddrNotAvailable => "error-addr-not-available",
        ConnectionRefused => "error-refused",
        ConnectionReset => "error-reset",
        ConnectionAborted => "error-aborted",
        BrokenPipe => "error-broken-pipe",
        PermissionDenied => "error-permission",
        TimedOut | WouldBlock => "error-timed-out",
        HostUnreachable => "error-host-unreachable",
        NetworkUnreachable => "error-network-unreachable",
        UnexpectedEof => "error-eof",
        NotFound => "error-not-found",
        NotADirectory => "error-not-a-directory",
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
                true => tr("error-too-many-files", &[("said", said.into())]),
                false => said,
            };
        }
    };
    tr(id, &[])
}

/// The id of the most useful next step for a user who met `kind` at `step`.
fn hint(step: Step, kind: io::ErrorKind) -> Option<&'static str> {
    use io::ErrorKind::*;
    let hint = match (step, kind) {
        (Step::Bind, AddrInUse) => "error-hint-in-use",
        (Step::Bind, PermissionDenied) => "error-hint-low-port",
        (Step::Bind, AddrNotAvailable) => "error-hint-not-ours",
        (Step::Resolve, _) => "error-hint-resolve",
        (Step::Connect, TimedOut) => "error-hint-no-answer",
        (_, ConnectionReset) => "error-hint-reset",
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
