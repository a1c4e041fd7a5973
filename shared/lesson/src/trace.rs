//! `--trace FILE`: one JSON object per line for every lifecycle event, so
//! that `trace-draw` can draw what really happened.
//!
//! The format is an interface, described in the book (chapter *Draw your
//! own run*). Each line is written with one `write` on a file opened for
//! appending, so several programs can share one file. Without `--trace`
//! recording costs one check of a flag that was never set.

use crate::place::Place;
use crate::step::Step;
use std::fmt::Write as _;
use std::fs::{File, OpenOptions};
use std::io::{self, Write};
use std::path::Path;
use std::sync::OnceLock;
use std::time::{SystemTime, UNIX_EPOCH};

/// The format's version, the `v` of every line.
pub const VERSION: u64 = 1;

/// The keys of a line, in the order they are written. The format is
/// defined here once: trace-draw reads a line by these names.
pub mod key {
    pub const VERSION: &str = "v";
    pub const TS: &str = "ts";
    pub const START: &str = "start";
    pub const PROG: &str = "prog";
    pub const PID: &str = "pid";
    pub const THREAD: &str = "thread";
    pub const STEP: &str = "step";
    pub const LOCAL: &str = "local";
    pub const PEER: &str = "peer";
    pub const CONN: &str = "conn";
    pub const BYTES: &str = "bytes";
    pub const OFFSET: &str = "offset";
    pub const DIGEST: &str = "digest";
    pub const ERROR: &str = "error";
}

/// Every key, in the order of a line.
pub const KEYS: [&str; 14] = [
    key::VERSION,
    key::TS,
    key::START,
    key::PROG,
    key::PID,
    key::THREAD,
    key::STEP,
    key::LOCAL,
    key::PEER,
    key::CONN,
    key::BYTES,
    key::OFFSET,
    key::DIGEST,
    key::ERROR,
];

/// The `step` of a datagram udp-server's `--drop` threw away: no call, so
/// not a [`Step`]; every other `step` is a [`Step::name`].
pub const DROP: &str = "drop";

/// The program's trace file, once `--trace` opened it.
static TRACE: OnceLock<Tracer> = OnceLock::new();

#[derive(Debug)]
struct Tracer {
    file: File,
    program: &'static str,
    pid: u32,
}

/// Opens `path` for appending and traces this program, `program`, into it.
pub fn install(path: &Path, program: &'static str) -> io::Result<()> {
    let file = OpenOptions::new().create(true).append(true).open(path)?;
    let _ = TRACE.set(Tracer {
        file,
        program,
        pid: std::process::id(),
    });
    Ok(())
}

/// True with `--trace`.
#[inline]
pub fn enabled() -> bool {
    TRACE.get().is_some()
}

/// Microseconds since the Unix epoch.
pub fn now() -> u64 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_micros() as u64)
}

/// The time a call that may wait begins, when tracing.
pub fn start() -> Option<u64> {
    enabled().then(now)
}

/// One lifecycle event; fields that do not apply stay `None`.
#[derive(Debug, Clone, Default)]
pub struct Event<'a> {
    /// When the event happened, if not now: for a call whose effect the
    /// other side may record before this side does (a send, a shutdown),
    /// the moment just before the call.
    pub at: Option<u64>,
    pub start: Option<u64>,
    pub local: Option<Place>,
    pub peer: Option<Place>,
    pub conn: Option<u64>,
    pub bytes: Option<u64>,
    pub offset: Option<u64>,
    /// A datagram's bytes, hashed into `digest`.
    pub datagram: Option<&'a [u8]>,
    pub error: Option<String>,
}

impl Event<'_> {
    /// Records this event as `step` (written as its name).
    pub fn record(&self, step: Step) {
        self.record_as(step.name());
    }

    /// Records this event under the name `step` ([`DROP`], which is no call).
    pub fn record_as(&self, step: &str) {
        let Some(tracer) = TRACE.get() else {
            return;
        };
        let thread = std::thread::current();
        let values = [
            VERSION.to_string(),
            self.at.unwrap_or_else(now).to_string(),
            number(self.start),
            string(Some(tracer.program)),
            tracer.pid.to_string(),
            string(Some(thread.name().unwrap_or("unnamed"))),
            string(Some(step)),
            string(self.local.as_ref().map(absolute).as_deref()),
            string(self.peer.as_ref().map(absolute).as_deref()),
            number(self.conn),
            number(self.bytes),
            number(self.offset),
            string(self.datagram.map(digest).as_deref()),
            string(self.error.as_deref()),
        ];
        let mut line = String::from("{");
        for (k, (key, value)) in KEYS.iter().zip(values).enumerate() {
            let comma = if k == 0 { "" } else { "," };
            let _ = write!(line, "{comma}\"{key}\":{value}");
        }
        line.push('}');
        line.push('\n');
        // One write per line: lines from several programs never mix.
        let _ = (&tracer.file).write_all(line.as_bytes());
    }
}

/// Records the close of a socket: TCP connection `conn` (0: a listening
/// socket) between `local` and `peer`, or a UDP socket (`conn` None).
pub fn close(local: Option<Place>, peer: Option<Place>, conn: Option<u64>) {
    Event {
        local,
        peer,
        conn,
        ..Event::default()
    }
    .record(Step::Close);
}

/// Records one datagram, `data`, sent or received (`step` is `send`,
/// `recv`, `send_to`, `recv_from`, or `drop` for simulated loss).
pub fn datagram(
    step: &str,
    start: Option<u64>,
    local: Option<Place>,
    peer: Place,
    data: &[u8],
) {
    Event {
        start,
        local,
        peer: Some(peer),
        bytes: Some(data.len() as u64),
        datagram: Some(data),
        ..Event::default()
    }
    .record_as(step);
}

/// Records a step that a narration told: its target, when that is an
/// address (`bind 127.0.0.1:10888`), is the local address, or the peer's
/// for steps aimed at the other end.
pub(crate) fn told(step: Step, target: &dyn std::fmt::Display) {
    if !enabled() {
        return;
    }
    let text = target.to_string();
    // The address is the target's first word; in Chinese, a full-width
    // comma or bracket may end it (`127.0.0.1:10888，backlog 为 1`).
    let end =
        |c: char| c.is_whitespace() || matches!(c, '，' | '（' | '：' | '；');
    let address = text.split(end).next().and_then(Place::parse);
    let mut event = Event::default();
    match step {
        // These are recorded where the whole connection is known.
        Step::Shutdown | Step::Send | Step::Recv | Step::Accept => return,
        // A UDP connect: the peer it names.
        Step::Connect => event.peer = address,
        // What a socket is bound to, or listens on.
        Step::Bind | Step::Listen => event.local = address,
        // Resolve and socket name the server they are for: no socket's
        // own address.
        _ => {}
    }
    event.record(step);
}

/// A place as a trace line writes it: a relative socket path made
/// absolute, so that programs started in different folders, one bound to
/// `./echo.sock` and one connected to `/tmp/x/echo.sock`, name the same
/// socket the same way.
fn absolute(place: &Place) -> String {
    match place {
        // `@name`: a Linux abstract name, no file and so no folder.
        Place::Path(path)
            if path.is_relative()
                && !path.to_string_lossy().starts_with('@') =>
        {
            let path = path.strip_prefix(".").unwrap_or(path);
            let here = std::env::current_dir().unwrap_or_default();
            Place::Path(here.join(path)).to_string()
        }
        place => place.to_string(),
    }
}

fn number(n: Option<u64>) -> String {
    n.map_or_else(|| "null".to_string(), |n| n.to_string())
}

/// A JSON string, or `null`.
fn string(text: Option<&str>) -> String {
    let Some(text) = text else {
        return "null".to_string();
    };
    let mut out = String::with_capacity(text.len() + 2);
    out.push('"');
    for c in text.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            c if (c as u32) < 0x20 => {
                let _ = write!(out, "\\u{:04x}", c as u32);
            }
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// FNV-1a, 64 bits, as 16 hex digits: enough to tell datagrams apart.
fn digest(data: &[u8]) -> String {
    let mut hash: u64 = 0xcbf2_9ce4_8422_2325;
    for &byte in data {
        hash ^= u64::from(byte);
        hash = hash.wrapping_mul(0x0100_0000_01b3);
    }
    format!("{hash:016x}")
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Strings are valid JSON whatever they hold.
    #[test]
    fn strings_are_escaped() {
        assert_eq!(string(Some("a\"b\\c\n")), "\"a\\\"b\\\\c\\u000a\"");
        assert_eq!(string(None), "null");
    }

    /// A line has the format's keys in order.
    #[test]
    fn a_line_has_every_key_in_order() {
        let path = std::env::temp_dir()
            .join(format!("lesson-trace-{}.jsonl", std::process::id()));
        let _ = std::fs::remove_file(&path);
        assert!(install(&path, "tcp-client").is_ok());
        Event {
            bytes: Some(3),
            ..Event::default()
        }
        .record(Step::Send);
        let text = std::fs::read_to_string(&path).unwrap_or_default();
        let _ = std::fs::remove_file(&path);
        let mut at = 0;
        for key in KEYS {
            let found = text[at..].find(&format!("\"{key}\":"));
            assert!(found.is_some(), "{key} missing or out of order in {text}");
            at += found.unwrap_or(0);
        }
        assert!(
            text.starts_with("{\"v\":1,") && text.ends_with("}\n"),
            "{text}"
        );
    }

    /// The digest is FNV-1a: the empty input gives the offset basis.
    #[test]
    fn digest_is_fnv1a() {
        assert_eq!(digest(b""), "cbf29ce484222325");
        assert_eq!(digest(b"a"), "af63dc4c8601ec8c");
    }
}
