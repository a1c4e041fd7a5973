//! One trace event, and reading a trace file (JSON Lines, format version 1).
//!
//! Every line is one JSON object with the keys of the format; `null` where
//! a key does not apply. Keys this version does not know are ignored, so a
//! later version can add some; a missing key that may be `null` reads as
//! `null`. Everything else that is not an event of version 1 is an error
//! that names the line.

use crate::messages;
use lesson::lang::tr;
use lesson::trace::{self, key};
use serde_json::{Map, Value};
use std::fmt;

/// The lifecycle steps a trace records, as the format spells them.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Step {
    Resolve,
    Socket,
    Setsockopt,
    Bind,
    Listen,
    Accept,
    Connect,
    Send,
    Recv,
    SendTo,
    RecvFrom,
    Shutdown,
    Close,
    /// udp-server `--drop`: a datagram that arrived and was thrown away.
    Drop,
}

impl Step {
    /// Every step, in the order of the format's table.
    pub const ALL: [Step; 14] = [
        Step::Resolve,
        Step::Socket,
        Step::Setsockopt,
        Step::Bind,
        Step::Listen,
        Step::Accept,
        Step::Connect,
        Step::Send,
        Step::Recv,
        Step::SendTo,
        Step::RecvFrom,
        Step::Shutdown,
        Step::Close,
        Step::Drop,
    ];

    /// The step's name in a trace: `recv_from`. The names are the
    /// writer's, so that reader and writer cannot disagree.
    pub fn name(self) -> &'static str {
        use lesson::Step as Call;
        let call = match self {
            Step::Resolve => Call::Resolve,
            Step::Socket => Call::Socket,
            Step::Setsockopt => Call::SetSockOpt,
            Step::Bind => Call::Bind,
            Step::Listen => Call::Listen,
            Step::Accept => Call::Accept,
            Step::Connect => Call::Connect,
            Step::Send => Call::Send,
            Step::Recv => Call::Recv,
            Step::SendTo => Call::SendTo,
            Step::RecvFrom => Call::RecvFrom,
            Step::Shutdown => Call::Shutdown,
            Step::Close => Call::Close,
            Step::Drop => return trace::DROP,
        };
        call.name()
    }

    fn from_name(name: &str) -> Option<Step> {
        Step::ALL.into_iter().find(|step| step.name() == name)
    }
}

/// One line of a trace: one socket call of one program.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// Microseconds since the Unix epoch when the call returned.
    pub ts: u64,
    /// When a call that can wait began (microseconds since the epoch).
    pub start: Option<u64>,
    /// `tcp-server`, `tcp-client`, `udp-server` or `udp-client`.
    pub prog: String,
    pub pid: u64,
    /// `main`, `handler-3`, `receive`.
    pub thread: String,
    pub step: Step,
    /// This socket's address: `IP:PORT`, a Unix socket's path, or
    /// `(unnamed)` for a Unix socket bound to none.
    pub local: Option<String>,
    /// The other end's address.
    pub peer: Option<String>,
    /// A stream's connection within the process (0: the listening socket).
    pub conn: Option<u64>,
    pub bytes: Option<u64>,
    /// TCP: where these bytes start in this direction's byte stream.
    pub offset: Option<u64>,
    /// A datagram's FNV-1a 64, 16 hex digits.
    pub digest: Option<String>,
    /// The failure, worded like the programs' errors.
    pub error: Option<String>,
}

impl Event {
    /// True for a datagram event, UDP or Unix (it carries a digest).
    pub fn is_datagram(&self) -> bool {
        self.digest.is_some()
    }
}

/// A line that is not an event: where, what, and what to try.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ParseError {
    /// The line, counting from 1.
    pub line: usize,
    /// What is wrong, in lowercase words: `no key "step"`.
    pub message: String,
}

impl ParseError {
    /// The hint printed after the message.
    pub fn hint(&self) -> String {
        messages::format_hint()
    }
}

impl fmt::Display for ParseError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&messages::parse_error(self.line, &self.message))
    }
}

impl std::error::Error for ParseError {}

/// Reads a whole trace: one event per line, blank lines skipped. The first
/// line that is not an event is the error.
pub fn parse(text: &str) -> Result<Vec<Event>, ParseError> {
    let mut events = Vec::new();
    for (number, line) in text.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let event = parse_line(line).map_err(|message| ParseError {
            line: number + 1,
            message,
        })?;
        events.push(event);
    }
    Ok(events)
}

/// One line; the error is the message of a [`ParseError`].
fn parse_line(line: &str) -> Result<Event, String> {
    let value: Value =
        serde_json::from_str(line).map_err(|e| json_error(&e))?;
    let Value::Object(object) = value else {
        return Err(tr("draw-parse-not-object", &[]));
    };
    let fields = Fields(&object);
    match fields.number(key::VERSION)? {
        trace::VERSION => {}
        v => return Err(messages::other_version(v)),
    }
    let step_name = fields.string(key::STEP)?;
    let step = Step::from_name(&step_name).ok_or_else(|| {
        messages::with("draw-parse-step", "step", &format!("{step_name:?}"))
    })?;
    let bytes = fields.optional_number(key::BYTES)?;
    let offset = fields.optional_number(key::OFFSET)?;
    // A stream's bytes are numbered from 0 in 64 bits: a range that runs
    // past the last number was not written by --trace.
    if let (Some(o), Some(n)) = (offset, bytes) {
        if o.checked_add(n).is_none() {
            return Err(messages::past_the_end(o, &messages::bytes(n)));
        }
    }
    Ok(Event {
        ts: fields.number(key::TS)?,
        start: fields.optional_number(key::START)?,
        prog: fields.string(key::PROG)?,
        pid: fields.number(key::PID)?,
        thread: fields.string(key::THREAD)?,
        step,
        local: fields.optional_string(key::LOCAL)?,
        peer: fields.optional_string(key::PEER)?,
        conn: fields.optional_number(key::CONN)?,
        bytes,
        offset,
        digest: fields.optional_string(key::DIGEST)?,
        error: fields.optional_string(key::ERROR)?,
    })
}

/// `not JSON:` and serde_json's message (its words, in English) without
/// its own `at line 1 column 7` suffix, which would count within the
/// line: the column alone is kept.
fn json_error(e: &serde_json::Error) -> String {
    let text = e.to_string();
    let words = match text.find(" at line ") {
        Some(at) => &text[..at],
        None => &text,
    };
    messages::not_json(words, e.column())
}

/// The keys of one object, read with the type the format gives them.
struct Fields<'a>(&'a Map<String, Value>);

impl Fields<'_> {
    fn present(&self, key: &str) -> Result<&Value, String> {
        match self.0.get(key) {
            Some(Value::Null) | None => Err(messages::with(
                "draw-parse-no-key",
                "key",
                &format!("{key:?}"),
            )),
            Some(value) => Ok(value),
        }
    }

    fn number(&self, key: &str) -> Result<u64, String> {
        let value = self.present(key)?;
        value.as_u64().ok_or_else(|| {
            let value = value.to_string();
            messages::wrong_value("draw-parse-not-number", key, &value)
        })
    }

    fn string(&self, key: &str) -> Result<String, String> {
        match self.present(key)? {
            Value::String(text) => Ok(text.clone()),
            value => Err(messages::wrong_value(
                "draw-parse-not-string",
                key,
                &value.to_string(),
            )),
        }
    }

    fn optional_number(&self, key: &str) -> Result<Option<u64>, String> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(_) => self.number(key).map(Some),
        }
    }

    fn optional_string(&self, key: &str) -> Result<Option<String>, String> {
        match self.0.get(key) {
            None | Some(Value::Null) => Ok(None),
            Some(_) => self.string(key).map(Some),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const LINE: &str = r#"{"v":1,"ts":10,"start":4,"prog":"tcp-client","pid":7,"thread":"receive","step":"recv","local":"127.0.0.1:5","peer":"[::1]:6","conn":1,"bytes":3,"offset":0,"digest":null,"error":null}"#;

    #[test]
    fn reads_every_key() {
        let events = parse(LINE).unwrap_or_default();
        assert_eq!(events.len(), 1);
        let e = &events[0];
        assert_eq!(
            (e.ts, e.start, e.pid, e.step),
            (10, Some(4), 7, Step::Recv)
        );
        assert_eq!(e.peer.as_deref(), Some("[::1]:6"));
        assert_eq!((e.conn, e.bytes, e.offset), (Some(1), Some(3), Some(0)));
    }

    #[test]
    fn names_the_bad_line() {
        let text = format!("{LINE}\n\n{LINE}\n{{\"v\":1,\n");
        let error = parse(&text).err();
        assert_eq!(error.as_ref().map(|e| e.line), Some(4));
        let wrong = LINE.replace(r#""step":"recv""#, r#""step":"listne""#);
        let error = parse(&wrong).err().map(|e| e.message);
        assert_eq!(error.as_deref(), Some(r#"unknown step "listne""#));
        let error = parse(&LINE.replace(r#""v":1"#, r#""v":2"#)).err();
        assert!(error.is_some_and(|e| e.message.contains("version 2")));
        let error = parse(&LINE.replace(r#""ts":10"#, r#""ts":-1"#)).err();
        assert!(error.is_some_and(|e| e.message.contains("\"ts\" is -1")));
        let huge =
            LINE.replace(r#""offset":0"#, r#""offset":18446744073709551614"#);
        let error = parse(&huge).err().map(|e| e.message);
        assert_eq!(
            error.as_deref(),
            Some(
                "\"offset\" is 18446744073709551614, and 3 bytes from there \
                 run past the largest offset, 2^64 - 1"
            )
        );
        let last = huge.replace(r#""bytes":3"#, r#""bytes":1"#);
        assert!(parse(&last).is_ok(), "the last byte of a stream is fine");
    }

    /// The reader knows every key the writer writes: a line with one key
    /// taken out is an error, or reads that key as absent.
    #[test]
    fn reads_every_key_the_writer_writes() {
        // Every key with a value: an absent one would read like null.
        let line = LINE
            .replace(r#""digest":null"#, r#""digest":"00ff""#)
            .replace(r#""error":null"#, r#""error":"refused""#);
        let full = parse(&line).unwrap_or_default();
        assert_eq!(full.len(), 1);
        for key in lesson::trace::KEYS {
            let value = line.split(&format!("\"{key}\":")).nth(1).unwrap_or("");
            let value = value.split([',', '}']).next().unwrap_or("");
            assert!(!value.is_empty(), "the line lacks {key}");
            let without = line.replace(
                &format!("\"{key}\":{value}"),
                &format!("\"other\":{value}"),
            );
            let fewer = parse(&without);
            assert!(
                fewer.as_ref().map_or(true, |events| *events != full),
                "the reader ignores {key}"
            );
        }
    }

    #[test]
    fn every_step_round_trips_its_name() {
        for step in Step::ALL {
            assert_eq!(Step::from_name(step.name()), Some(step));
        }
    }
}
