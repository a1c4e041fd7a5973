//! Where output goes: data to stdout, everything else to stderr.
//!
//! A student can then keep the conversation apart from the commentary
//! (`tcp-server 2>/dev/null` shows only what arrived). Colors are decided
//! for each stream on its own: a stream gets color only when it is a
//! terminal and `NO_COLOR` is unset; `CLICOLOR_FORCE=1` forces color.
//!
//! Every line is written whole, so lines printed by different threads
//! never mix mid-line. A line is one write(2) straight to the descriptor:
//! threads printing at once do not wait for each other. A server with
//! many clients gathers its data lines for a pipe or a file instead
//! ([`Console::gather_data`]).

mod gathered;

use colored::{Color, Colorize};
use std::cell::RefCell;
use std::fmt::{self, Write as _};
use std::io::{self, IsTerminal, Write};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, PoisonError, RwLock};

/// The most bytes one write(2) to a pipe puts there whole, even while
/// other threads or programs write to it too (PIPE_BUF). Writes to a file
/// or a terminal are whole at any length.
const WHOLE_WRITE: usize = if cfg!(target_os = "linux") { 4096 } else { 512 };

/// Turns at each output, stdout's and stderr's: lines up to
/// [`WHOLE_WRITE`] bytes are written side by side (shared turns, which cost
/// no wait); a longer one, which a pipe may take in pieces, waits to be
/// written alone (the only exclusive turn). When stdout and stderr are the
/// same pipe or file (`2>&1`), they share stdout's turns.
static TURNS: [RwLock<()>; 2] = [RwLock::new(()), RwLock::new(())];

/// How long a line of stderr waits for the data lines before it.
const STDOUT_PATIENCE: std::time::Duration =
    std::time::Duration::from_millis(100);

/// Which of [`TURNS`] `output` takes.
fn turn_of(output: Output) -> usize {
    static SAME: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    let same = *SAME.get_or_init(|| same_file(io::stdout(), io::stderr()));
    if same { 0 } else { output as usize }
}

/// True when both are the same open file: one pipe, file or terminal.
#[cfg(unix)]
fn same_file(a: impl std::os::fd::AsFd, b: impl std::os::fd::AsFd) -> bool {
    use std::os::unix::fs::MetadataExt;
    let meta = |fd: std::os::fd::BorrowedFd<'_>| {
        let file = std::fs::File::from(fd.try_clone_to_owned().ok()?);
        file.metadata().ok().map(|m| (m.dev(), m.ino()))
    };
    let (a, b) = (meta(a.as_fd()), meta(b.as_fd()));
    a.is_some() && a == b
}

#[cfg(not(unix))]
fn same_file<A, B>(_: A, _: B) -> bool {
    false
}

/// Writes `bytes` (whole lines) to `output`, unbuffered, so that a reader
/// at the other end of a pipe sees each line as it happens. std's `Stdout`
/// and `Stderr` would do the same, but under a lock that every printing
/// thread queues for: with many clients, a futex call per message.
fn write_whole(output: Output, bytes: &[u8]) -> io::Result<()> {
    // Data lines gathered before this line of stderr go out first, unless
    // stdout is stuck (nobody reads it): a status line must not wait.
    if output == Output::Stderr {
        let _ = gathered::flush_within(STDOUT_PATIENCE);
    }
    let turns = &TURNS[turn_of(output)];
    let mut done = 0;
    if bytes.len() <= WHOLE_WRITE {
        // A read guard is never poisoned.
        let _shared = turns.read().unwrap_or_else(PoisonError::into_inner);
        match write_once(output, bytes) {
            Ok(n) if n == bytes.len() => return Ok(()),
            Ok(n) => done = n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    // A long line, or the rest of one the kernel took only part of (a full
    // disk, a signal): written alone, in as many writes as it takes.
    let _alone = turns.write().unwrap_or_else(PoisonError::into_inner);
    while done < bytes.len() {
        match write_once(output, &bytes[done..]) {
            Ok(0) => return Err(io::ErrorKind::WriteZero.into()),
            Ok(n) => done += n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => {}
            Err(e) => return Err(e),
        }
    }
    Ok(())
}

/// One write(2) of `bytes` to `output`'s descriptor, past std's lock and
/// buffer (which stays empty: nothing else here writes through it). A
/// failed write is tried again by std, which judges it as it always has:
/// a descriptor that was never open, for one, takes anything.
#[cfg(unix)]
fn write_once(output: Output, bytes: &[u8]) -> io::Result<usize> {
    use std::fs::File;
    use std::mem::ManuallyDrop;
    use std::os::fd::{AsRawFd, FromRawFd};
    let fd = match output {
        Output::Stdout => io::stdout().as_raw_fd(),
        Output::Stderr => io::stderr().as_raw_fd(),
    };
    #[allow(unsafe_code)]
    // SAFETY: the descriptor is stdout's or stderr's, which std itself
    // writes to for the whole run; ManuallyDrop never closes it, so the
    // file only borrows it for this one write.
    let file = ManuallyDrop::new(unsafe { File::from_raw_fd(fd) });
    (&*file).write(bytes).or_else(|_| std_write(output, bytes))
}

/// Elsewhere, std's own (locked) write.
#[cfg(not(unix))]
fn write_once(output: Output, bytes: &[u8]) -> io::Result<usize> {
    std_write(output, bytes)
}

/// One write of `bytes` to `output` through std.
fn std_write(output: Output, bytes: &[u8]) -> io::Result<usize> {
    match output {
        Output::Stdout => io::stdout().write(bytes),
        Output::Stderr => io::stderr().write(bytes),
    }
}

/// The rows [`Console::hex`] writes, without the last line's end: for a
/// caller that writes them in one go with the line they belong to.
pub fn hex_lines(bytes: &[u8], offset: usize) -> String {
    let shown = bytes.len().min(shared::text::SHOW_LIMIT);
    let mut dump = crate::hex::hex_dump(&bytes[..shown], offset);
    dump.pop(); // A data line's end is added when it is written.
    dump + &shared::text::not_shown(bytes.len() - shown)
}

thread_local! {
    /// The data line being written, formatted here first.
    static LINE: RefCell<String> = const { RefCell::new(String::new()) };
}

/// How much room [`LINE`] keeps between lines: a line of a short message.
const LINE_KEPT: usize = 256;

/// The two output streams and their color settings.
#[derive(Clone)]
pub struct Console {
    color_out: bool,
    color_err: bool,
    /// Which streams are terminals.
    tty_out: bool,
    tty_err: bool,
    stdout_closed: Arc<AtomicBool>,
    /// While a client's line editor owns the terminal, lines for the
    /// terminal go through it, so the line being edited stays intact.
    editor: Arc<Mutex<Option<Box<dyn Printer>>>>,
}

/// Prints whole lines above the line a user is editing, and draws that
/// line again: what a line editor offers while it owns the terminal.
/// The clients' input crate installs one with [`Console::print_through`].
pub trait Printer: Send {
    /// Prints `text` (whole lines); false when it could not.
    fn print(&mut self, text: String) -> bool;
}

impl fmt::Debug for Console {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Console")
            .field("color_out", &self.color_out)
            .field("color_err", &self.color_err)
            .finish_non_exhaustive()
    }
}

/// Which of the program's two outputs a piece of text is meant for.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Output {
    Stdout,
    Stderr,
}

impl Console {
    /// Decides colors from the environment and from which streams are
    /// terminals.
    pub fn detect() -> Self {
        // `colored` looks only at stdout; the decision is made here instead,
        // per stream, so its own check is switched off.
        colored::control::set_override(true);
        let env_on = |name: &str| {
            std::env::var_os(name).is_some_and(|v| !v.is_empty() && v != "0")
        };
        let no_color =
            std::env::var_os("NO_COLOR").is_some_and(|v| !v.is_empty());
        let force = env_on("CLICOLOR_FORCE");
        let wanted = |is_tty: bool| !no_color && (force || is_tty);
        let tty_out = io::stdout().is_terminal();
        let tty_err = io::stderr().is_terminal();
        Self {
            color_out: wanted(tty_out),
            color_err: wanted(tty_err),
            tty_out,
            tty_err,
            stdout_closed: Arc::new(AtomicBool::new(false)),
            editor: Arc::default(),
        }
    }

    /// From now on, lines meant for the terminal go through the line
    /// editor's `printer`: it prints them above the line being edited and
    /// draws that line again.
    pub fn print_through(&self, printer: Box<dyn Printer>) {
        *self.editor.lock().unwrap_or_else(|p| p.into_inner()) = Some(printer);
    }

    /// Writes `text` (whole lines) to the terminal through the line
    /// editor, when one owns it; false when there is none.
    fn through_editor(&self, text: &str) -> bool {
        let mut editor = self.editor.lock().unwrap_or_else(|p| p.into_inner());
        match editor.as_mut() {
            Some(printer) => printer.print(text.to_string()),
            None => false,
        }
    }

    /// Paints `text` for `output`, or leaves it as it is when that output
    /// gets no color.
    pub fn paint(&self, output: Output, text: &str, color: Color) -> String {
        let on = match output {
            Output::Stdout => self.color_out,
            Output::Stderr => self.color_err,
        };
        if on {
            text.color(color).to_string()
        } else {
            text.to_string()
        }
    }

    /// Writes one line of data to stdout. Returns false once stdout is
    /// closed (`| head -1` has read enough): the caller decides whether
    /// that ends the program.
    pub fn data(&self, line: fmt::Arguments<'_>) -> bool {
        self.data_with(|text| {
            let _ = text.write_fmt(line);
        })
    }

    /// Like [`data`](Self::data), for a line of `parts` one after the
    /// other, put together without formatting: the line a server prints
    /// for every message, where formatting would cost more than the rest.
    /// Gathered, the parts go straight into the batch.
    pub fn data_parts(&self, parts: &[&str]) -> bool {
        if self.tty_out || !gathered::is_on() {
            let fill = |text: &mut String| {
                parts.iter().for_each(|part| text.push_str(part));
            };
            return self.data_with(fill);
        }
        self.stdout_open() && self.wrote(gathered::add(parts))
    }

    /// Writes the line `fill` puts in an empty buffer.
    fn data_with(&self, fill: impl FnOnce(&mut String)) -> bool {
        if !self.stdout_open() {
            return false;
        }
        // Made first, so that the line goes out in one write; in a buffer
        // of this thread's, so that a line costs no allocation.
        let written = LINE.with_borrow_mut(|text| {
            text.clear();
            fill(text);
            let written = if gathered::is_on() && !self.tty_out {
                gathered::add(&[text])
            } else {
                text.push('\n');
                match self.tty_out && self.through_editor(text) {
                    true => Ok(()),
                    false => write_whole(Output::Stdout, text.as_bytes()),
                }
            };
            // A long line's room is not kept (a thread per client).
            text.shrink_to(LINE_KEPT);
            written
        });
        self.wrote(written)
    }

    /// False once a write to stdout has failed: nobody reads it any more.
    fn stdout_open(&self) -> bool {
        !self.stdout_closed.load(Ordering::Relaxed)
    }

    /// True when a data line went out; notes a failed write.
    fn wrote(&self, written: io::Result<()>) -> bool {
        if written.is_err() {
            self.stdout_closed.store(true, Ordering::Relaxed);
        }
        written.is_ok()
    }

    /// From now on, when stdout is a pipe or a file, data lines are
    /// gathered and written out together every few milliseconds, in order
    /// with stderr; a terminal still gets each line at once. For a server
    /// that prints a line for every message of many clients.
    pub fn gather_data(&self) -> Result<(), crate::Failure> {
        if self.tty_out {
            return Ok(());
        }
        gathered::start().map_err(|e| {
            let what = crate::lang::tr("error-stdout-thread", &[]);
            crate::Failure::new(what).because(e)
        })
    }

    /// Writes a hex dump of `bytes` to stdout (`--hex`), at most
    /// [`SHOW_LIMIT`](shared::text::SHOW_LIMIT) bytes of it; `offset` is
    /// where `bytes` starts in the stream. Returns false once stdout is
    /// closed.
    pub fn hex(&self, bytes: &[u8], offset: usize) -> bool {
        self.data_parts(&[&hex_lines(bytes, offset)])
    }

    /// Writes one status line to stderr.
    pub fn status(&self, line: fmt::Arguments<'_>) {
        // stderr is unbuffered: formatted straight into it, a line would go
        // out in several writes, and a reader could see half of it. So the
        // line is formatted first and written in one go.
        let mut text = line.to_string();
        text.push('\n');
        if self.tty_err && self.through_editor(&text) {
            return;
        }
        // Nobody to tell if stderr itself is gone.
        let _ = write_whole(Output::Stderr, text.as_bytes());
    }

    /// Writes one `warning:` line to stderr.
    pub fn warn(&self, line: fmt::Arguments<'_>) {
        let label = self.paint(Output::Stderr, "warning:", Color::Yellow);
        self.status(format_args!("{label} {line}"));
    }

    /// Writes one `error:` line to stderr.
    pub fn error(&self, line: fmt::Arguments<'_>) {
        let label = self.paint(Output::Stderr, "error:", Color::Red);
        self.status(format_args!("{label} {line}"));
    }
}

/// Writes out the data lines still gathered: at the end of the program,
/// and before a stop at once.
pub fn flush_data() {
    // A closed stdout was reported with the line that found it closed.
    let _ = gathered::flush();
}

/// Like [`flush_data`], but gives up after a moment if stdout is stuck
/// (nobody reads it): for a stop at once, which must stop.
pub fn flush_data_soon() {
    let _ = gathered::flush_within(STDOUT_PATIENCE);
}
