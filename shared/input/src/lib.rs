//! What the user gives the clients to send: lines typed at a terminal, with
//! line editing and history (rustyline), or bytes from a pipe or a file.
//! The editor draws on the terminal, never on stdout, which holds the data
//! alone even when it is redirected to a file.
//!
//! A thread of its own reads the input and hands it over in pieces, so
//! that reading input never waits for the network and the network never
//! waits for input: a line typed while an echo is awaited is kept in the
//! editor, and a 50 MB line from a pipe goes out in small pieces, never
//! whole in memory.

use lesson::console::{Console, Printer};
use lesson::failure::Failure;
use lesson::lang::tr;
use rustyline::config::{Behavior, Config};
use rustyline::error::ReadlineError;
use rustyline::{DefaultEditor, ExternalPrinter};
use std::collections::VecDeque;
use std::io::{self, IsTerminal, Read};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{self, Receiver, SyncSender};
use std::sync::{Arc, Mutex, OnceLock};
use std::time::{Duration, Instant};
use waited::Waited;

mod waited;

/// How much of a pipe is read at once; also the largest piece handed over.
const PIECE: usize = 16 * 1024;

/// How many pieces may wait between the input thread and the sender: the
/// input's memory is bounded by this, whatever its size.
const QUEUE: usize = 16;

/// How long the rest of a piped input is read to be counted, once the
/// conversation is over.
const PIPE_REST: Duration = Duration::from_millis(200);

/// One thing that happened on the input side.
#[derive(Debug)]
pub enum InputEvent {
    /// Bytes of the current line, without its line ending; `line_end` is
    /// true when the line is complete. A long line from a pipe comes in
    /// several pieces, the last with `line_end`.
    Text { bytes: Vec<u8>, line_end: bool },
    /// The end of the input: Ctrl-D, or the end of the pipe or file.
    End,
    /// Ctrl-C at the prompt: the user wants to stop at once.
    Interrupted,
    /// The input could not be read.
    Failed(Failure),
    /// Nothing from the input: another thread wants the reader of these
    /// events to look around (see [`Input::waker`]).
    Wake,
}

/// The input, read by a thread of its own.
#[derive(Debug)]
pub struct Input {
    events: Receiver<InputEvent>,
    waker: SyncSender<InputEvent>,
    terminal: bool,
    /// With `--step` the editor waits for a go before each line, so it
    /// never reads the terminal while a pause does.
    gate: Option<SyncSender<()>>,
    asked: std::cell::Cell<bool>,
    /// Set when the conversation is over: the editor reads no more lines.
    over: Arc<AtomicBool>,
    /// Set by the editor when the user pressed Ctrl-C at the prompt.
    interrupted: Arc<AtomicBool>,
    /// What the editor read, in order: every line of a paste at once, then
    /// its last word (End, Interrupted, Failed). Unbounded, as a person
    /// types or pastes it; a `Wake` on the channel says something came.
    typed: Typed,
    /// How the input ended, once it has: Some(false) after Ctrl-C.
    ended: std::cell::Cell<Option<bool>>,
}

/// The editor's side of [`Input::typed`].
type Typed = Arc<Mutex<VecDeque<InputEvent>>>;

/// Lets another thread wake up whoever waits for input.
#[derive(Debug, Clone)]
pub struct Waker(SyncSender<InputEvent>);

impl Waker {
    /// Wakes the reader of the input events, unless events are waiting
    /// anyway (then it will look around soon enough). Never blocks.
    pub fn wake(&self) {
        let _ = self.0.try_send(InputEvent::Wake);
    }
}

impl Input {
    /// Starts reading: with rustyline and `prompt` when stdin is a
    /// terminal, else plain bytes. On a terminal, `console` prints through
    /// the line editor from then on, so that text arriving while the user
    /// types never breaks the line being edited.
    ///
    /// With `gated`, a line is read from the terminal only when
    /// [`next`](Self::next) asks for one: `--step` pauses read Enter from
    /// the same terminal.
    ///
    /// `on_interrupt` runs on the input thread as soon as the user presses
    /// Ctrl-C at the prompt, even while the program is busy elsewhere
    /// (blocked in a send, say): it should make that wait end.
    ///
    /// `is_last` tells a line after which the program reads no more (an
    /// empty line, `bye`): the editor then gives the terminal back at once
    /// instead of showing another prompt.
    pub fn start(
        prompt: &str,
        console: &Console,
        gated: bool,
        on_interrupt: impl Fn() + Send + 'static,
        is_last: impl Fn(&[u8]) -> bool + Send + 'static,
    ) -> Result<Self, Failure> {
        let (sender, events) = mpsc::sync_channel(QUEUE);
        let waker = sender.clone();
        let terminal = io::stdin().is_terminal();
        let (gate, go) = match gated && terminal {
            true => {
                let (gate, go) = mpsc::sync_channel(1);
                (Some(gate), Some(go))
            }
            false => (None, None),
        };
        let over = Arc::new(AtomicBool::new(false));
        let interrupted = Arc::new(AtomicBool::new(false));
        let typed = Typed::default();
        if terminal {
            give_back_on_signal()?;
            // The editor draws on the terminal itself, never on stdout:
            // `tcp-client > log.txt` puts only the data into the file.
            let config = Config::builder().behavior(Behavior::PreferTerm);
            let mut editor = DefaultEditor::with_config(config.build())
                .map_err(|e| {
                    Failure::new(tr("error-line-editing", &[])).because(e)
                })?;
            // Without a terminal on stdout there is no line to protect.
            if let Ok(printer) = editor.create_external_printer() {
                console.print_through(Box::new(EditorPrinter(printer)));
            }
            let prompt = prompt.to_string();
            // With --step, lines typed while the program waited come first,
            // before the next prompt and before the next pause alike.
            let waited = go.as_ref().and_then(|_| Waited::open());
            if let Some(early) = go.as_ref().and_then(|_| Waited::open()) {
                let early = Mutex::new(early);
                let (typed, sender) = (Arc::clone(&typed), sender.clone());
                lesson::narrate::narrator().before_each_pause(Box::new(
                    move || {
                        let taken = early
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .take();
                        if !taken.is_empty() {
                            typed
                                .lock()
                                .unwrap_or_else(|p| p.into_inner())
                                .extend(taken);
                            let _ = sender.try_send(InputEvent::Wake);
                        }
                    },
                ));
            }
            let (over, interrupted) = (over.clone(), interrupted.clone());
            let typed = Arc::clone(&typed);
            std::thread::Builder::new()
                .name("input".into())
                .spawn(move || {
                    let hand_over = |events: Vec<InputEvent>| {
                        typed
                            .lock()
                            .unwrap_or_else(|p| p.into_inner())
                            .extend(events);
                        // The reader looks at `typed` when woken; a full
                        // channel wakes it anyway.
                        let _ = sender.try_send(InputEvent::Wake);
                    };
                    let gate = Gate { go, waited };
                    let ended = read_terminal(
                        editor, &prompt, &hand_over, gate, &over, &is_last,
                    );
                    if matches!(ended, Some(InputEvent::Interrupted)) {
                        interrupted.store(true, Ordering::SeqCst);
                        // Stopping at once: no --step pause waits for Enter.
                        lesson::narrate::narrator().release();
                        on_interrupt();
                    }
                    if let Some(last) = ended {
                        hand_over(vec![last]);
                    }
                })
                .map_err(|e| {
                    Failure::new(tr("error-start-reading", &[])).because(e)
                })?;
        } else {
            std::thread::Builder::new()
                .name("input".into())
                .spawn(move || read_pipe(io::stdin().lock(), &sender))
                .map_err(|e| {
                    Failure::new(tr("error-start-reading", &[])).because(e)
                })?;
        }
        Ok(Input {
            events,
            waker,
            terminal,
            gate,
            asked: std::cell::Cell::new(false),
            over,
            interrupted,
            typed,
            ended: std::cell::Cell::new(None),
        })
    }

    /// The conversation ended from the network's side. With a pipe that
    /// is all. At a terminal the line editor holds the terminal in raw
    /// mode while it waits for a line, and the program must not end before
    /// it gives the terminal back: so this says `why`, asks for Enter or
    /// Ctrl-D, and waits for it. Lines typed ahead are not sent. Returns
    /// false when the user pressed Ctrl-C instead.
    pub fn finish(&self, console: &Console, why: &str) -> bool {
        if !self.terminal {
            self.count_the_rest_of_the_pipe(console, why);
            return true;
        }
        // Lines read already (the rest of a paste) will not be sent.
        let mut unsent = 0;
        while let Some(event) = self.read_already() {
            if let InputEvent::Text { line_end: true, .. } = self.got(event) {
                unsent += 1;
            }
        }
        // Ctrl-C ended the editor's last line already: it holds nothing,
        // whether or not its word of it has arrived.
        let mut ended = self
            .ended
            .get()
            .or_else(|| self.was_interrupted().then_some(false));
        // With a gate, the editor reads only when asked: not asked, it
        // holds nothing. Without one, it holds the terminal until its
        // last word: End (or Ctrl-C, or a failure).
        if ended.is_none() && (self.gate.is_none() || self.asked.get()) {
            self.over.store(true, Ordering::SeqCst);
            let why = [("why", why.into())];
            console.status(format_args!("{}", tr("input-finish", &why)));
            // The Enter that finishes is not a line: an empty line just
            // before the end is not counted.
            let mut empty_last = false;
            ended = loop {
                match self.next() {
                    InputEvent::Text { line_end, bytes } => {
                        unsent += u64::from(line_end);
                        empty_last = line_end && bytes.is_empty();
                    }
                    InputEvent::Wake => {}
                    InputEvent::Interrupted => break Some(false),
                    InputEvent::End | InputEvent::Failed(_) => {
                        break Some(true);
                    }
                }
            };
            unsent -= u64::from(empty_last);
        }
        if unsent > 0 {
            let args = [("lines", unsent.into()), ("why", why.into())];
            let line = tr("input-typed-unsent", &args);
            console.warn(format_args!("{line}"));
        }
        ended.unwrap_or(true)
    }

    /// A pipe is read no further once the conversation is over, but the
    /// lines it still holds are counted, not dropped in silence. A writer
    /// that is done (`printf … |`) gives the rest at once; from one still
    /// writing, what comes within [`PIPE_REST`] is counted, as "at least".
    fn count_the_rest_of_the_pipe(&self, console: &Console, why: &str) {
        let deadline = Instant::now() + PIPE_REST;
        let (mut lines, mut partial) = (0, false);
        while self.ended.get().is_none() {
            let event = match self.read_already() {
                Some(event) => event,
                None => {
                    let left =
                        deadline.saturating_duration_since(Instant::now());
                    match self.events.recv_timeout(left) {
                        Ok(event) => self.or_typed(event),
                        Err(_) => break,
                    }
                }
            };
            if let InputEvent::Text { bytes, line_end } = self.got(event) {
                lines += u64::from(line_end);
                partial = !line_end && (partial || !bytes.is_empty());
            }
        }
        // A last line without a line ending is a line all the same.
        lines += u64::from(partial);
        if lines > 0 {
            let id = if self.ended.get().is_some() {
                "input-rest-unsent"
            } else {
                "input-rest-unsent-at-least"
            };
            let args = [("lines", lines.into()), ("why", why.into())];
            console.warn(format_args!("{}", tr(id, &args)));
        }
    }

    /// With a gate: lets the editor read one more line, once.
    fn ask(&self) {
        if let Some(gate) = &self.gate
            && !self.asked.replace(true)
        {
            let _ = gate.try_send(());
        }
    }

    /// Notes that an event came, so the next wait asks again, and when
    /// the input has ended.
    fn got(&self, event: InputEvent) -> InputEvent {
        match &event {
            InputEvent::Wake => return event,
            InputEvent::End | InputEvent::Failed(_) => {
                self.ended.set(Some(true));
            }
            InputEvent::Interrupted => self.ended.set(Some(false)),
            InputEvent::Text { .. } => {}
        }
        self.asked.set(false);
        event
    }

    /// The next event read already, if any: the editor's first, then the
    /// channel's (a pipe's pieces, wakes).
    fn read_already(&self) -> Option<InputEvent> {
        self.take_typed()
            .or_else(|| self.events.try_recv().ok().map(|e| self.or_typed(e)))
    }

    fn take_typed(&self) -> Option<InputEvent> {
        self.typed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .pop_front()
    }

    /// A wake may be the editor's: then what it read comes first.
    fn or_typed(&self, event: InputEvent) -> InputEvent {
        match event {
            InputEvent::Wake => self.take_typed().unwrap_or(InputEvent::Wake),
            other => other,
        }
    }

    /// True once the user pressed Ctrl-C at the prompt.
    pub fn was_interrupted(&self) -> bool {
        self.interrupted.load(Ordering::SeqCst)
    }

    /// A line taken from the input but not sent after all (Ctrl-C came
    /// first): it goes back, to be counted by [`finish`](Self::finish).
    pub fn give_back(&self, line: Vec<u8>) {
        let event = InputEvent::Text {
            bytes: line,
            line_end: true,
        };
        self.typed
            .lock()
            .unwrap_or_else(|p| p.into_inner())
            .push_front(event);
    }

    /// A flag that is set the moment the user presses Ctrl-C at the
    /// prompt, for waits on other threads to look at.
    pub fn interruption(&self) -> Arc<AtomicBool> {
        Arc::clone(&self.interrupted)
    }

    /// True when a person types the input at a terminal.
    pub fn is_terminal(&self) -> bool {
        self.terminal
    }

    /// A handle that wakes [`next`](Self::next) from another thread.
    pub fn waker(&self) -> Waker {
        Waker(self.waker.clone())
    }

    /// Waits for the next event.
    pub fn next(&self) -> InputEvent {
        // Lines read already (a paste gives several at once) come first:
        // the editor is asked for more only when none are left.
        if let Some(event) = self.read_already() {
            return self.got(event);
        }
        // Once the input has ended, nothing more comes: the reader thread
        // is gone, and the channel stays open for wakes. Asked again (a
        // last line without a line ending is sent after the end came),
        // the end is said again instead of waiting for ever.
        match self.ended.get() {
            Some(true) => return InputEvent::End,
            Some(false) => return InputEvent::Interrupted,
            None => {}
        }
        self.ask();
        // The sender side is kept in `self.waker`, so the channel never
        // closes while `self` exists.
        let event = self.events.recv().unwrap_or(InputEvent::End);
        self.got(self.or_typed(event))
    }
}

/// What to do before a signal ends the program at once: see [`at_signal`].
static AT_SIGNAL: OnceLock<Box<dyn Fn() + Send + Sync>> = OnceLock::new();

/// Runs `cleanup` (removing a socket file, say) before a signal at the
/// terminal ends the program at once; the first one set stays.
pub fn at_signal(cleanup: impl Fn() + Send + Sync + 'static) {
    let _ = AT_SIGNAL.set(Box::new(cleanup));
}

/// Ctrl-C at the prompt is a key the editor reads; SIGTERM and SIGHUP
/// (and SIGINT sent by `kill`) are not, and would end the program with
/// the terminal still raw. So a signal puts back the terminal's mode from
/// before the editor (echo, whole lines, signal keys), turns bracketed
/// paste off, and ends the program at once with 130, as a stop at once
/// does in the servers.
fn give_back_on_signal() -> Result<(), Failure> {
    #[cfg(unix)]
    {
        use nix::sys::termios::{SetArg, tcgetattr, tcsetattr};
        use std::io::Write;
        use std::os::fd::AsFd;
        // The terminal the editor uses: /dev/tty, else stdin.
        let tty = std::fs::OpenOptions::new()
            .read(true)
            .write(true)
            .open("/dev/tty");
        let stdin = io::stdin();
        let fd = match &tty {
            Ok(tty) => tty.as_fd(),
            Err(_) => stdin.as_fd(),
        };
        // Not a terminal after all: nothing to give back.
        let Ok(mode) = tcgetattr(fd) else {
            return Ok(());
        };
        let fd = fd.try_clone_to_owned().map_err(|e| {
            Failure::new(tr("error-keep-terminal", &[])).because(e)
        })?;
        let mut terminal = std::fs::File::from(fd);
        ctrlc::set_handler(move || {
            // Nothing more can be done if the terminal is gone (SIGHUP).
            let _ = tcsetattr(&terminal, SetArg::TCSANOW, &mode);
            // End a drawing under way, bracketed paste off, a new line.
            let _ = terminal.write_all(b"\x1b[?2026l\x1b[?2004l\r\n");
            if let Some(cleanup) = AT_SIGNAL.get() {
                cleanup();
            }
            eprintln!("{}", tr("error-stopped-by-signal", &[]));
            std::process::exit(130);
        })
        .map_err(|e| Failure::new(tr("error-signals", &[])).because(e))?;
    }
    Ok(())
}

/// The line editor's printer, as the console wants it.
struct EditorPrinter<P>(P);

impl<P: ExternalPrinter + Send> Printer for EditorPrinter<P> {
    fn print(&mut self, text: String) -> bool {
        self.0.print(text).is_ok()
    }
}

/// With `--step`: the go for each line, and the lines typed while the
/// program waited.
struct Gate {
    go: Option<Receiver<()>>,
    waited: Option<Waited>,
}

/// The terminal reader: one `readline` after another, at once, so that
/// the editor is always there for the user's keys. A paste of several
/// lines (bracketed or not) comes back as several lines.
fn read_terminal(
    mut editor: DefaultEditor,
    prompt: &str,
    hand_over: &dyn Fn(Vec<InputEvent>),
    mut gate: Gate,
    over: &AtomicBool,
    is_last: &dyn Fn(&[u8]) -> bool,
) -> Option<InputEvent> {
    loop {
        if let Some(go) = &gate.go
            && go.recv().is_err()
        {
            return None;
        }
        // With --step, a pause does not read the terminal while the
        // editor does.
        let line = {
            let _turn = lesson::narrate::narrator().terminal_turn();
            let early = gate.waited.as_mut().map(Waited::take);
            if let Some(early) = early.filter(|early| !early.is_empty()) {
                // Typed while the program waited: these lines first, as a
                // paste's; the prompt comes when the next line is asked for.
                let last = early.iter().any(|event| match event {
                    InputEvent::Text { bytes, line_end } => {
                        *line_end && is_last(bytes)
                    }
                    _ => true,
                });
                let ended = early.iter().any(|e| matches!(e, InputEvent::End));
                hand_over(early);
                if last && !ended {
                    hand_over(vec![InputEvent::End]);
                }
                if last {
                    return None;
                }
                continue;
            }
            editor.readline(prompt)
        };
        let event = match line {
            Ok(text) => {
                // History is a convenience; failing to add is harmless.
                let _ = editor.add_history_entry(text.as_str());
                let mut lines: Vec<&str> = text.split('\n').collect();
                // A paste that ends with a line ending adds no empty line.
                if lines.len() > 1 && lines.last() == Some(&"") {
                    lines.pop();
                }
                // All lines at once, even those after a last one: what is
                // not sent is then counted, not lost.
                let lines: Vec<&str> = lines
                    .into_iter()
                    .map(|line| line.strip_suffix('\r').unwrap_or(line))
                    .collect();
                // After a last line (or once the conversation is over) no
                // new prompt: the terminal is given back now, and the end
                // comes with the lines, so nobody sees the lines without it.
                let last = lines.iter().any(|line| is_last(line.as_bytes()))
                    || over.load(Ordering::SeqCst);
                let mut events: Vec<InputEvent> = lines
                    .into_iter()
                    .map(|line| InputEvent::Text {
                        bytes: line.as_bytes().to_vec(),
                        line_end: true,
                    })
                    .collect();
                if last {
                    events.push(InputEvent::End);
                }
                hand_over(events);
                if last {
                    return None;
                }
                continue;
            }
            Err(ReadlineError::Eof) => InputEvent::End,
            Err(ReadlineError::Interrupted) => InputEvent::Interrupted,
            Err(e) => InputEvent::Failed(
                Failure::new(tr("error-read-terminal", &[])).because(e),
            ),
        };
        return Some(event);
    }
}

/// The pipe reader: pieces of at most [`PIECE`] bytes, cut at line ends.
/// A `\r` before `\n` belongs to the line ending and is not sent on.
fn read_pipe(mut stdin: impl Read, events: &SyncSender<InputEvent>) {
    let mut chunk = vec![0; PIECE];
    // A `\r` at the end of a chunk: part of a `\r\n`, or of the line.
    let mut held_cr = false;
    loop {
        let n = match stdin.read(&mut chunk) {
            Ok(0) => break,
            Ok(n) => n,
            Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
            Err(e) => {
                let failure =
                    Failure::new(tr("error-read-stdin", &[])).because(e);
                let _ = events.send(InputEvent::Failed(failure));
                return;
            }
        };
        let mut rest = &chunk[..n];
        while !rest.is_empty() {
            let (mut bytes, line_end) =
                match rest.iter().position(|&b| b == b'\n') {
                    Some(at) => {
                        let line = rest[..at].to_vec();
                        rest = &rest[at + 1..];
                        (line, true)
                    }
                    None => {
                        let line = rest.to_vec();
                        rest = &[];
                        (line, false)
                    }
                };
            if held_cr {
                bytes.insert(0, b'\r');
                held_cr = false;
            }
            if line_end {
                if bytes.last() == Some(&b'\r') {
                    bytes.pop();
                }
            } else if bytes.last() == Some(&b'\r') {
                bytes.pop();
                held_cr = true;
            }
            if (bytes.is_empty() && !line_end)
                || events.send(InputEvent::Text { bytes, line_end }).is_ok()
            {
                continue;
            }
            return; // Nobody listens any more.
        }
    }
    if held_cr {
        let bytes = vec![b'\r'];
        let _ = events.send(InputEvent::Text {
            bytes,
            line_end: false,
        });
    }
    let _ = events.send(InputEvent::End);
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Runs the pipe reader over `input` read in `chunk`-byte reads and
    /// returns the lines it hands over, with `+` after a complete line.
    fn pieces(input: &[u8], chunk: usize) -> String {
        struct Slow<'a>(&'a [u8], usize);
        impl Read for Slow<'_> {
            fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
                let n = self.1.min(buf.len()).min(self.0.len());
                buf[..n].copy_from_slice(&self.0[..n]);
                self.0 = &self.0[n..];
                Ok(n)
            }
        }
        let (sender, events) = mpsc::sync_channel(1000);
        read_pipe(Slow(input, chunk), &sender);
        let mut out = String::new();
        while let Ok(event) = events.try_recv() {
            match event {
                InputEvent::Text { bytes, line_end } => {
                    out.push_str(&String::from_utf8_lossy(&bytes));
                    out.push(if line_end { '+' } else { '|' });
                }
                InputEvent::End => out.push('.'),
                other => out.push_str(&format!("{other:?}")),
            }
        }
        out
    }

    /// Lines come out whole or in pieces, \r\n and \n alike, whatever the
    /// size of each read; a last line without an ending still counts.
    #[test]
    fn pipe_pieces() {
        for chunk in [1, 2, 3, 100] {
            let joined: String = pieces(b"ab\r\ncd\n\nlast", chunk)
                .replace('|', "")
                .to_string();
            assert_eq!(joined, "ab+cd++last.", "chunk {chunk}");
        }
        assert_eq!(pieces(b"a\rb\n", 100), "a\rb+.");
        assert_eq!(pieces(b"a\r", 1), "a|\r|.");
    }
}
