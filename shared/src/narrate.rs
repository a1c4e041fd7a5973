//! The lifecycle steps, and narrating them with `--explain`.
//!
//! A binary calls [`Narrator::explain`] right after each socket call, with
//! the concrete details of that call. With `--explain` the narrator prints
//! one line on stderr: the step, the details, and (the first time the step
//! comes up) one sentence about what the operating system just did.
//! Without `--explain` nothing is formatted and nothing is printed.
//!
//! With `--step` the binary also calls [`Narrator::pause`] right before
//! each socket call: the narrator says which call comes next and how to
//! watch it from another terminal, and waits for Enter.

use crate::cli::{Common, Failure};
use crate::console::{Console, Stream};
use colored::Color;
use std::fmt;
use std::fs::File;
use std::io::{BufRead, BufReader};
use std::sync::Mutex;
use std::sync::atomic::{AtomicU32, Ordering};

/// Which transport a program uses; some steps mean different things.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protocol {
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
    pub fn meaning(self, protocol: Protocol) -> &'static str {
        use Protocol::*;
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
                "the bytes were copied into the kernel's send buffer; write_all \
                 repeats send() until every byte is taken, like sendall()"
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

    fn bit(self) -> u32 {
        1 << (self as u32)
    }
}

impl fmt::Display for Step {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.name())
    }
}

/// Prints the `--explain` lines of one program, and pauses for `--step`.
#[derive(Debug)]
pub struct Narrator {
    protocol: Protocol,
    explain: bool,
    console: Console,
    /// Steps whose meaning has been told already, as bits.
    told: AtomicU32,
    /// With `--step`: the terminal to read Enter from. `None` once the
    /// user ends stepping with Ctrl-D.
    terminal: Option<Mutex<Option<BufReader<File>>>>,
    /// The port to suggest watching with `ss`, plus one (0: none yet).
    watch: AtomicU32,
}

impl Narrator {
    /// A narrator that prints only when `explain` is true.
    pub fn new(protocol: Protocol, explain: bool, console: &Console) -> Self {
        Self {
            protocol,
            explain,
            console: console.clone(),
            told: AtomicU32::new(0),
            terminal: None,
            watch: AtomicU32::new(0),
        }
    }

    /// The narrator the common flags ask for. `--step` implies `--explain`
    /// and needs a terminal: without one it is a usage error.
    pub fn from_args(
        protocol: Protocol,
        common: &Common,
        console: &Console,
    ) -> Result<Self, Failure> {
        let mut narrator =
            Self::new(protocol, common.explain || common.step, console);
        if common.step {
            let terminal = open_terminal().map_err(|e| {
                Failure::usage("--step needs a terminal to read Enter from")
                    .because(e)
                    .hint("run it in a terminal, or use --explain alone")
            })?;
            narrator.terminal =
                Some(Mutex::new(Some(BufReader::new(terminal))));
        }
        Ok(narrator)
    }

    /// Sets the port that `--step` suggests watching.
    pub fn watch(&self, port: u16) {
        // Port 0 is "any free port": nothing to watch until bind() picks one.
        if port != 0 {
            self.watch.store(u32::from(port) + 1, Ordering::Relaxed);
        }
    }

    /// With `--step`: says which call comes next, how to watch it from
    /// another terminal, and waits for Enter. Without it, does nothing.
    pub fn pause(&self, step: Step, details: fmt::Arguments<'_>) {
        let Some(terminal) = &self.terminal else {
            return;
        };
        // One thread at a time asks; the others wait their turn.
        let mut terminal = terminal.lock().unwrap_or_else(|p| p.into_inner());
        let Some(reader) = terminal.as_mut() else {
            return;
        };
        let watch = match self.watch.load(Ordering::Relaxed) {
            0 => String::new(),
            port => {
                format!(" · watch: {}", watch_command(self.protocol, port - 1))
            }
        };
        let label = self.console.paint(Stream::Err, "step:", Color::Yellow);
        self.console.status(format_args!(
            "{label} next is {step} {details}{watch} · press Enter (Ctrl-D: run on)"
        ));
        let mut answer = String::new();
        match reader.read_line(&mut answer) {
            Ok(n) if n > 0 => {}
            // Ctrl-D or a closed terminal: stop pausing, keep running.
            _ => *terminal = None,
        }
    }

    /// True with `--explain` (or `--step`).
    pub fn explains(&self) -> bool {
        self.explain
    }

    /// Tells that `step` has just happened, with its details.
    pub fn explain(&self, step: Step, details: fmt::Arguments<'_>) {
        if !self.explain {
            return;
        }
        let first_time =
            self.told.fetch_or(step.bit(), Ordering::Relaxed) & step.bit() == 0;
        let meaning = if first_time {
            format!(" — {}", step.meaning(self.protocol))
        } else {
            String::new()
        };
        let name = self.console.paint(Stream::Err, step.name(), Color::Cyan);
        self.line(format_args!("{name} {details}{meaning}"));
    }

    /// Tells something that is not a socket call, such as handing a
    /// connection to a handler thread.
    pub fn note(&self, details: fmt::Arguments<'_>) {
        if self.explain {
            self.line(details);
        }
    }

    fn line(&self, text: fmt::Arguments<'_>) {
        if !self.explain {
            return;
        }
        let thread = std::thread::current();
        let label = match thread.name() {
            Some(name) if name != "main" => format!("explain [{name}]:"),
            _ => "explain:".to_string(),
        };
        let label = self.console.paint(Stream::Err, &label, Color::BrightBlack);
        self.console.status(format_args!("{label} {text}"));
    }
}

/// A command that shows this program's sockets from another terminal.
fn watch_command(protocol: Protocol, port: u32) -> String {
    let flags = match protocol {
        Protocol::Tcp => "-tan",
        Protocol::Udp => "-uan",
    };
    if cfg!(target_os = "linux") {
        format!("ss {flags} '( sport = :{port} or dport = :{port} )'")
    } else {
        format!("netstat -an | grep {port}")
    }
}

/// The terminal the program runs in, even when stdin is a pipe.
fn open_terminal() -> std::io::Result<File> {
    let name = if cfg!(windows) { "CONIN$" } else { "/dev/tty" };
    File::open(name)
}
