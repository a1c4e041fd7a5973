//! The lifecycle steps, and narrating them with `--explain`.
//!
//! A binary calls [`Narrator::explain`] right after each socket call, with
//! the concrete details of that call. With `--explain` the narrator prints
//! one line on stderr: the step, the details, and (the first time the step
//! comes up) one sentence about what the operating system just did.
//! Without `--explain` nothing is formatted and nothing is printed.
//!
//! A lifecycle step in a binary is one call and one narration, chained:
//! `socket.bind(&address.into()).told(Step::Bind, address)?`. [`Told`]
//! turns a failed call into a one-line [`Failure`], and narrates a
//! successful one through the program's narrator (see
//! [`Narrator::install`]). With `--step` the narrator then says how to
//! watch the socket from another terminal, and waits for Enter before the
//! program goes on to the next step.

use crate::console::{Console, Output};
use crate::failure::Failure;
use crate::flags::Common;
use crate::lang::tr;
pub use crate::step::{Step, Transport};
use colored::Color;
use std::fmt;
use std::fs::File;
use std::io;
use std::io::{BufRead, BufReader};
use std::sync::atomic::{AtomicBool, AtomicU32, AtomicUsize, Ordering};
use std::sync::mpsc::{self, RecvTimeoutError};
use std::sync::{Mutex, MutexGuard, OnceLock, TryLockError};
use std::time::{Duration, Instant};

/// How long a wait lasts before `--step` says what it waits for: an echo
/// that comes at once needs no word.
pub const WAIT_WORTH_TELLING: Duration = Duration::from_millis(500);

/// What runs before each pause: see [`Narrator::before_each_pause`].
struct BeforePause(Box<dyn Fn() + Send + Sync>);

impl fmt::Debug for BeforePause {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("BeforePause")
    }
}

/// The program's narrator, once installed.
static PROGRAM: OnceLock<Narrator> = OnceLock::new();

/// The program's narrator: the one [`Narrator::install`] set, or a silent
/// one.
pub fn narrator() -> &'static Narrator {
    PROGRAM.get_or_init(|| {
        Narrator::new(Transport::Tcp, false, &Console::detect())
    })
}

/// Ends one lifecycle step: chained on the result of the call that
/// performs it.
pub trait Told<T> {
    /// A failed call becomes a one-line [`Failure`] naming the step and
    /// its target (`cannot bind 127.0.0.1:80: permission denied …`); a
    /// successful one is narrated with `--explain`, and with `--step` the
    /// program waits for Enter before it goes on.
    fn told(self, step: Step, target: impl fmt::Display) -> Result<T, Failure>;
}

impl<T> Told<T> for io::Result<T> {
    fn told(self, step: Step, target: impl fmt::Display) -> Result<T, Failure> {
        match self {
            Ok(value) => {
                crate::trace::told(step, &target);
                let narrator = narrator();
                narrator.explain(step, format_args!("{target}"));
                narrator.pause(step);
                Ok(value)
            }
            Err(e) => Err(Failure::at(step, target, &e)),
        }
    }
}

/// Prints the `--explain` lines of one program, and pauses for `--step`.
#[derive(Debug)]
pub struct Narrator {
    protocol: Transport,
    explain: bool,
    console: Console,
    /// Steps whose meaning has been told already, as bits.
    told: AtomicU32,
    /// With `--step`: the thread that reads Enter from the terminal. `None`
    /// once the user ends stepping with Ctrl-D.
    terminal: Option<Mutex<Option<Keyboard>>>,
    /// Set when the program is stopping: no more pauses.
    released: AtomicBool,
    /// The port to suggest watching with `ss` (0: none yet).
    watch: AtomicU32,
    /// The Unix socket's path to suggest watching with `ss -x` instead.
    watch_path: OnceLock<String>,
    /// With `--step`: pauses under way, and when the last one ended.
    pausing: AtomicUsize,
    /// With `--step`: set while the line editor has the terminal.
    editing: AtomicBool,
    last_pause_end: Mutex<Option<Instant>>,
    /// With `--step`: when the wait last told by [`Narrator::waiting_for`]
    /// began.
    wait_told: Mutex<Option<Instant>>,
    /// With `--step`: what to do before a pause asks for Enter (the
    /// clients' input takes what was typed while nothing asked).
    before_pause: OnceLock<BeforePause>,
}

impl Narrator {
    /// A narrator that prints only when `explain` is true.
    pub fn new(protocol: Transport, explain: bool, console: &Console) -> Self {
        Self {
            protocol,
            explain,
            console: console.clone(),
            told: AtomicU32::new(0),
            terminal: None,
            released: AtomicBool::new(false),
            watch: AtomicU32::new(0),
            watch_path: OnceLock::new(),
            pausing: AtomicUsize::new(0),
            editing: AtomicBool::new(false),
            last_pause_end: Mutex::new(None),
            wait_told: Mutex::new(None),
            before_pause: OnceLock::new(),
        }
    }

    /// The narrator the common flags ask for. `--step` implies `--explain`
    /// and needs a terminal: without one it is a usage error. An address
    /// that is a path makes `protocol` its Unix family's counterpart.
    pub fn from_args(
        protocol: Transport,
        common: &Common,
        console: &Console,
    ) -> Result<Self, Failure> {
        if let Some(path) = &common.trace {
            crate::trace::install(path, program_name()).map_err(|e| {
                let path =
                    shared::text::render(path.to_string_lossy().as_bytes());
                let what = tr("error-trace-file", &[("path", path.into())]);
                Failure::new(what)
                    .because(crate::failure::describe(&e))
                    .hint(tr("error-trace-file-hint", &[]))
            })?;
        }
        let protocol = match common.unix_path() {
            Some(_) => protocol.on_unix(),
            None => protocol,
        };
        let mut narrator =
            Self::new(protocol, common.explain || common.step, console);
        if let Some(path) = common.unix_path() {
            let _ = narrator
                .watch_path
                .set(crate::Place::unix(Some(path)).to_string());
        }
        if common.step {
            let terminal = open_terminal().map_err(|e| {
                Failure::usage(tr("error-step-terminal", &[]))
                    .because(e)
                    .hint(tr("error-step-terminal-hint", &[]))
            })?;
            narrator.terminal = Some(Mutex::new(Some(Keyboard::new(terminal))));
        }
        Ok(narrator)
    }

    /// Makes this the program's narrator, the one [`Told::told`] uses, and
    /// returns it. The first narrator installed stays.
    pub fn install(self) -> &'static Narrator {
        let _ = PROGRAM.set(self);
        narrator()
    }

    /// Narrates a step that is not a call with a result, such as closing
    /// a socket by dropping it; with `--step`, then waits for Enter.
    #[inline] // A server calls this twice a message: skipped, it costs a test.
    pub fn did(&self, step: Step, details: fmt::Arguments<'_>) {
        if self.explain || self.terminal.is_some() {
            self.explain(step, details);
            self.pause(step);
        }
    }

    /// With `--step`: the terminal for the line editor alone, as long as
    /// the returned turn lives; it waits for a pause under way to end. A
    /// step that happens meanwhile (the receiving thread's recv, say) is
    /// told but not paused: the program is already waiting for the user at
    /// the prompt, and a pause there would read keys the editor's raw mode
    /// leaves unrecognised.
    pub fn terminal_turn(&self) -> Option<TerminalTurn<'_>> {
        let terminal = self.terminal.as_ref()?;
        let keyboard = terminal.lock().unwrap_or_else(|p| p.into_inner());
        self.editing.store(true, Ordering::SeqCst);
        Some(TerminalTurn {
            narrator: self,
            _keyboard: keyboard,
        })
    }

    /// True with `--step`.
    pub fn steps(&self) -> bool {
        self.terminal.is_some()
    }

    /// The kind of socket narrated: (family, type).
    pub fn transport(&self) -> Transport {
        self.protocol
    }

    /// Sets the port that `--step` suggests watching.
    pub fn watch(&self, port: u16) {
        // Port 0 is "any free port": nothing to watch until bind() picks one.
        if port != 0 {
            self.watch.store(u32::from(port), Ordering::Relaxed);
        }
    }

    /// With `--step`: after `step`, says how to watch the socket from
    /// another terminal and waits for Enter. Without it, does nothing.
    pub fn pause(&self, step: Step) {
        let Some(terminal) = &self.terminal else {
            return;
        };
        // One thread at a time asks; the others wait their turn, unless the
        // line editor has the terminal: then the user is at the prompt,
        // and the program goes on without a pause.
        let mut terminal = loop {
            if self.editing.load(Ordering::SeqCst)
                || self.released.load(Ordering::SeqCst)
            {
                return;
            }
            match terminal.try_lock() {
                Ok(guard) => break guard,
                Err(TryLockError::Poisoned(p)) => break p.into_inner(),
                Err(TryLockError::WouldBlock) => {
                    std::thread::sleep(Duration::from_millis(20));
                }
            }
        };
        let Some(keyboard) = terminal.as_mut() else {
            return;
        };
        if self.released.load(Ordering::SeqCst) {
            return;
        }
        let watch = match self.watch.load(Ordering::Relaxed) {
            _ if self.watch_path.get().is_some() => {
                let path = self.watch_path.get().map_or("", String::as_str);
                Some(watch_path_command(path))
            }
            0 => None,
            port => Some(watch_command(self.protocol, port)),
        };
        let step = step.to_string();
        let pause = match watch {
            Some(command) => tr(
                "step-pause-watch",
                &[("step", step.into()), ("command", command.into())],
            ),
            None => tr("step-pause", &[("step", step.into())]),
        };
        // Keys pressed before the pause is shown are no answer to it.
        if let Some(BeforePause(take_what_was_typed)) = self.before_pause.get()
        {
            take_what_was_typed();
        }
        let label = self.console.paint(Output::Stderr, "step:", Color::Yellow);
        self.console.status(format_args!("{label} {pause}"));
        // Waits for Enter, but gives up the moment the program stops
        // (Ctrl-C): a stopping server must not wait for a key.
        let _pausing = Pausing::start(self);
        if keyboard.ask.send(()).is_err() {
            *terminal = None;
            return;
        }
        while !self.released.load(Ordering::SeqCst) {
            match keyboard.answers.recv_timeout(Duration::from_millis(50)) {
                Ok(Some(line)) => {
                    let typed = line.trim_end_matches(['\r', '\n']);
                    if !typed.is_empty() {
                        let shown = shared::text::render(typed.as_bytes());
                        let args = [("typed", shown.into())];
                        let warning = tr("step-typed", &args);
                        self.console.warn(format_args!("{warning}"));
                    }
                    return;
                }
                Err(RecvTimeoutError::Timeout) => {}
                // Ctrl-D or a closed terminal: stop pausing, keep running.
                Ok(None) | Err(RecvTimeoutError::Disconnected) => {
                    *terminal = None;
                    return;
                }
            }
        }
    }

    /// How much longer a wait that began at `since` may last, if it may
    /// last at most `timeout`; `None` once the time is up.
    ///
    /// With `--step`, the time a user spends at a pause is not the
    /// network's: a wait never runs out while a pause is under way, and
    /// its clock starts again when a pause ends. An echo held back by a
    /// pause is not late.
    pub fn time_left(
        &self,
        since: Instant,
        timeout: Duration,
    ) -> Option<Duration> {
        let mut since = since;
        if self.steps() {
            if self.pausing.load(Ordering::SeqCst) > 0 {
                // Look again soon: the pause may end at any moment.
                return Some(Duration::from_millis(50));
            }
            let last = self
                .last_pause_end
                .lock()
                .unwrap_or_else(|p| p.into_inner());
            since = since.max(last.unwrap_or(since));
        }
        Some(timeout.saturating_sub(since.elapsed()))
            .filter(|left| !left.is_zero())
    }

    /// With `--step`: says once, for the wait that began at `since` and
    /// has lasted [`WAIT_WORTH_TELLING`], what the program waits for (`the
    /// echo — the server may be paused at a step`), unless a pause is under
    /// way or Ctrl-D turned the pauses off. The other program may be
    /// stopped at a pause of its own: without a word, the wait looks like
    /// a hang, and Enters pressed to move it on pile up in the terminal.
    /// The caller looks again at least every [`WAIT_WORTH_TELLING`].
    pub fn waiting_for(&self, since: Instant, what: fmt::Arguments<'_>) {
        // A pause holds the keyboard's lock; Ctrl-D took the keyboard away.
        let stepping = self.terminal.as_ref().is_some_and(|keyboard| {
            keyboard.try_lock().is_ok_and(|keyboard| keyboard.is_some())
        });
        if !stepping
            || since.elapsed() < WAIT_WORTH_TELLING
            || self.released.load(Ordering::SeqCst)
            || self.pausing.load(Ordering::SeqCst) > 0
        {
            return;
        }
        let mut told = self.wait_told.lock().unwrap_or_else(|p| p.into_inner());
        if *told == Some(since) {
            return;
        }
        *told = Some(since);
        drop(told);
        let what = [("what", what.to_string().into())];
        self.aside(format_args!("{}", tr("step-waiting", &what)));
    }

    /// With `--step`: `hook` runs before each pause asks for Enter, so
    /// that an Enter pressed while the program waited (for an echo, say)
    /// does not answer a pause that came later. Set once.
    pub fn before_each_pause(&self, hook: Box<dyn Fn() + Send + Sync>) {
        let _ = self.before_pause.set(BeforePause(hook));
    }

    /// With `--step`: one `step:` line about the stepping itself.
    pub fn aside(&self, text: fmt::Arguments<'_>) {
        if self.steps() {
            let label =
                self.console.paint(Output::Stderr, "step:", Color::Yellow);
            self.console.status(format_args!("{label} {text}"));
        }
    }

    /// The program is stopping: `--step` pauses no more, and a pause under
    /// way ends at once.
    pub fn release(&self) {
        self.released.store(true, Ordering::SeqCst);
    }

    /// True with `--explain` (or `--step`).
    pub fn explains(&self) -> bool {
        self.explain
    }

    /// Marks `step`'s meaning as told, for a design whose calls mean
    /// something else (the event loop's recv() and send() never wait) and
    /// which says so in words of its own.
    pub fn told_elsewhere(&self, step: Step) {
        self.told.fetch_or(step.bit(), Ordering::Relaxed);
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
        let name = self.console.paint(Output::Stderr, step.name(), Color::Cyan);
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
        let label =
            self.console
                .paint(Output::Stderr, &label, Color::BrightBlack);
        self.console.status(format_args!("{label} {text}"));
    }
}

/// The terminal, lent to one reader: see [`Narrator::terminal_turn`].
#[derive(Debug)]
pub struct TerminalTurn<'a> {
    narrator: &'a Narrator,
    _keyboard: MutexGuard<'a, Option<Keyboard>>,
}

impl Drop for TerminalTurn<'_> {
    fn drop(&mut self) {
        self.narrator.editing.store(false, Ordering::SeqCst);
    }
}

/// A pause under way, for [`Narrator::time_left`]: counted while it lasts,
/// and its end noted when it is dropped.
struct Pausing<'a>(&'a Narrator);

impl<'a> Pausing<'a> {
    fn start(narrator: &'a Narrator) -> Self {
        narrator.pausing.fetch_add(1, Ordering::SeqCst);
        Self(narrator)
    }
}

impl Drop for Pausing<'_> {
    fn drop(&mut self) {
        let narrator = self.0;
        *narrator
            .last_pause_end
            .lock()
            .unwrap_or_else(|p| p.into_inner()) = Some(Instant::now());
        narrator.pausing.fetch_sub(1, Ordering::SeqCst);
    }
}

/// This program's name as it was started (`tcp-server`), for the trace.
fn program_name() -> &'static str {
    static NAME: OnceLock<String> = OnceLock::new();
    NAME.get_or_init(|| {
        std::env::args_os()
            .next()
            .as_deref()
            .map(std::path::Path::new)
            .and_then(|path| path.file_stem())
            .map_or_else(|| "unknown".into(), |s| s.to_string_lossy().into())
    })
}

/// The terminal's keyboard for `--step`: a thread reads one line each time
/// it is asked, so that a pause can stop waiting without it.
#[derive(Debug)]
struct Keyboard {
    ask: mpsc::SyncSender<()>,
    /// The line typed at a pause (`None`: Ctrl-D or no terminal).
    answers: mpsc::Receiver<Option<String>>,
}

impl Keyboard {
    fn new(terminal: File) -> Self {
        let (ask, asked) = mpsc::sync_channel::<()>(1);
        let (answer, answers) = mpsc::sync_channel(1);
        let mut reader = BufReader::new(terminal);
        // Without the thread, --step cannot pause; the program runs on.
        let _ =
            std::thread::Builder::new()
                .name("step".into())
                .spawn(move || {
                    while asked.recv().is_ok() {
                        let mut line = String::new();
                        let pressed = match reader.read_line(&mut line) {
                            Ok(n) if n > 0 => Some(line),
                            _ => None,
                        };
                        let done = pressed.is_none();
                        if answer.send(pressed).is_err() || done {
                            return;
                        }
                    }
                });
        Self { ask, answers }
    }
}

/// A command that shows this program's sockets from another terminal.
fn watch_command(protocol: Transport, port: u32) -> String {
    let flags = match protocol {
        Transport::Tcp => "-tan",
        _ => "-uan",
    };
    if cfg!(target_os = "linux") {
        format!("ss {flags} '( sport = :{port} or dport = :{port} )'")
    } else {
        format!("netstat -an | grep {port}")
    }
}

/// The command that lists the Unix sockets bound to `path`.
fn watch_path_command(path: &str) -> String {
    let quoted = match path.contains(|c: char| !c.is_ascii_graphic()) {
        true => format!("'{}'", path.replace('\'', "'\\''")),
        false => path.to_string(),
    };
    if cfg!(target_os = "linux") {
        format!("ss -xa src {quoted}")
    } else {
        format!("netstat -an | grep {quoted}")
    }
}

/// The terminal the program runs in, even when stdin is a pipe.
fn open_terminal() -> std::io::Result<File> {
    let name = if cfg!(windows) { "CONIN$" } else { "/dev/tty" };
    File::open(name)
}
