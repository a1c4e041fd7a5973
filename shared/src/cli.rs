//! The command line all four programs share, exit codes, and errors.
//!
//! Every program takes one optional `ADDRESS` and the same flags with the
//! same meaning; each binary `#[command(flatten)]`s [`Common`] into its own
//! arguments and adds what only it needs.

use crate::address::{self, Endpoint, Host, PartialAddress};
use crate::console::Console;
use crate::narrate::{Narrator, Step};
use clap::Parser;
use std::fmt;
use std::io;
use std::net::{SocketAddr, ToSocketAddrs};
use std::process::ExitCode;

/// Flags every program has.
#[derive(Debug, Clone, clap::Args)]
pub struct Common {
    /// Address: HOST, HOST:PORT, :PORT, PORT, [IPV6]:PORT or an IPv6
    /// literal; missing parts take the defaults shown below
    #[arg(value_name = "ADDRESS", value_parser = address::parse_partial)]
    pub address: Option<PartialAddress>,

    /// Narrate each socket call as it happens: what the operating system
    /// does, with the real addresses and byte counts (on stderr)
    #[arg(long)]
    pub explain: bool,

    /// Pause before each socket call until you press Enter, with a command
    /// to watch it from another terminal (implies --explain)
    #[arg(long)]
    pub step: bool,

    /// Also show every chunk received as a hex dump (on stdout)
    #[arg(long)]
    pub hex: bool,
}

/// Flags both clients have.
#[derive(Debug, Clone, clap::Args)]
pub struct ClientFlags {
    /// Bytes to ask for in each recv(); a longer UDP reply is cut off
    #[arg(long, value_name = "BYTES", default_value_t = 512, value_parser = parse_buffer)]
    pub buffer: usize,

    /// The first message, sent before any typed line ("" sends none)
    #[arg(long, value_name = "TEXT", default_value = "hello")]
    pub message: String,

    /// Seconds to wait for each reply before saying it is late and going
    /// on; a reply that comes later is still shown
    #[arg(long, value_name = "SECS", default_value = "2", value_parser = parse_seconds)]
    pub timeout: std::time::Duration,

    /// Send every line as soon as it is read, without waiting for the
    /// reply to the one before: TCP's stream against UDP's datagrams
    #[arg(long)]
    pub no_wait: bool,

    /// End each line sent with LF (\n), for servers that read lines; an
    /// empty line is then sent as just LF, and only Ctrl-D or the end of
    /// the input ends the client
    #[arg(long, conflicts_with = "crlf")]
    pub lf: bool,

    /// End each line sent with CRLF (\r\n), as HTTP, SMTP and most
    /// Internet protocols want (like ncat -C)
    #[arg(short = 'C', long)]
    pub crlf: bool,
}

impl ClientFlags {
    /// The bytes that end each line sent: none, as in the Python scripts,
    /// unless `--lf` or `--crlf` asks for them.
    pub fn line_ending(&self) -> &'static [u8] {
        match (self.lf, self.crlf) {
            (_, true) => b"\r\n",
            (true, false) => b"\n",
            (false, false) => b"",
        }
    }
}

impl Common {
    /// The address the user gave, with missing parts taken from `defaults`.
    pub fn endpoint(&self, defaults: Endpoint) -> Endpoint {
        self.address.clone().unwrap_or_default().or(defaults)
    }
}

/// The address a server binds: an IP literal as it is, or the first
/// address a name such as `localhost` resolves to.
pub fn bind_address(
    endpoint: &Endpoint,
    narrator: &Narrator,
) -> Result<SocketAddr, Failure> {
    if let Host::Ip(ip) = endpoint.host {
        return Ok(SocketAddr::new(ip, endpoint.port));
    }
    let first = (endpoint.host_text(), endpoint.port)
        .to_socket_addrs()
        .during(Step::Resolve, endpoint)?
        .next()
        .ok_or_else(|| {
            Failure::new(format!("{endpoint} resolves to no address"))
        })?;
    narrator.explain(Step::Resolve, format_args!("{endpoint} → {first}"));
    Ok(first)
}

/// Bytes per read: `--buffer` accepts 1 to 1 MiB.
pub fn parse_buffer(text: &str) -> Result<usize, String> {
    const MAX: usize = 1 << 20;
    match text.parse::<usize>() {
        Ok(n) if (1..=MAX).contains(&n) => Ok(n),
        _ => Err(format!("expected a number of bytes from 1 to {MAX}")),
    }
}

/// Seconds, as a decimal number from one microsecond to a day: `2`, `0.5`.
/// Socket timeouts count whole microseconds, and a timeout of zero means
/// "wait forever": a shorter value would silently mean no timeout at all.
pub fn parse_seconds(text: &str) -> Result<std::time::Duration, String> {
    match text.parse::<f64>().map(|s| s * 1e6) {
        // `1e-6 * 1e6` may land a hair below 1.0: allow for that.
        Ok(us) if (1.0 - 1e-9..=86_400e6).contains(&us) => {
            Ok(std::time::Duration::from_micros(us.round() as u64))
        }
        _ => Err("expected a number of seconds from 0.000001 to 86400 \
                  (such as 2 or 0.5)"
            .into()),
    }
}

/// Parses the command line; on a usage error prints one line and exits
/// with code 2. `--help` and `--version` print as usual and exit 0.
pub fn parse<T: Parser>() -> T {
    // Plain styles, so that the message holds no escape codes of clap's
    // own: what the user typed then reaches the renderer untouched (clap's
    // plain text would strip an ESC, and let C1 controls and bidi overrides
    // through) and is shown the way network data is.
    let mut command = T::command().styles(clap::builder::Styles::plain());
    let parsed = command
        .try_get_matches_from_mut(std::env::args_os())
        .and_then(|mut matches| T::from_arg_matches_mut(&mut matches));
    match parsed {
        Ok(args) => args,
        Err(e) if e.use_stderr() => {
            let e = e.format(&mut command);
            // clap's message may go on over a few lines (a list of missing
            // arguments) before a blank line and the usage: join them.
            let rendered = e.render().ansi().to_string();
            let message: Vec<&str> = rendered
                .lines()
                .map(str::trim)
                .take_while(|l| !l.is_empty())
                .collect();
            let message = message.join(" ");
            let first = message.strip_prefix("error: ").unwrap_or(&message);
            let first = crate::text::render(first.as_bytes());
            Console::detect().error(format_args!("{first}; see --help"));
            std::process::exit(Exit::Usage as i32)
        }
        // --help and --version: clap prints them, in its usual styles.
        Err(_) => T::parse(),
    }
}

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
        let failure = Failure::new(format!("cannot {} {target}", step.verb()))
            .because(describe(e));
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
        _ => {
            // The operating system's words, or a resolver's: shown the way
            // network data is, in case they quote something odd.
            let text = crate::text::render(e.to_string().as_bytes());
            let mut chars = text.chars();
            return match chars.next() {
                Some(first) => first.to_lowercase().chain(chars).collect(),
                None => text,
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
        (Step::Connect, ConnectionRefused) => {
            "nothing is listening there; is the server running?"
        }
        (Step::Connect, TimedOut) => {
            "no answer at all; is the address right, or is a firewall dropping packets?"
        }
        (_, ConnectionReset) => "the peer closed the connection abruptly",
        _ => return None,
    };
    Some(hint)
}

/// Prints `result`'s failure, if any, and turns it into the exit code.
pub fn finish(result: Result<(), Failure>, console: &Console) -> ExitCode {
    match result {
        Ok(()) => ExitCode::SUCCESS,
        Err(failure) => {
            console.error(format_args!("{failure}"));
            ExitCode::from(failure.exit() as u8)
        }
    }
}
