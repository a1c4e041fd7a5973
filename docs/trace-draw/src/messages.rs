//! Every word the drawing and trace-draw's errors show, as messages of the
//! catalogs in `lesson::lang` (`draw-*` in
//! `shared/lesson/locales/*/trace-draw.ftl`), in the language that
//! `--lang` or the locale chose. Call names (`recv()`), packet names
//! (`SYN`, `FIN`), flags, addresses and what comes from the trace stay as
//! they are in either language.

use lesson::lang::tr;

/// The largest whole number that Fluent, which keeps numbers as `f64`,
/// writes digit for digit.
const EXACT: u64 = 1 << 53;

/// A number for a message: a number up to [`EXACT`], above that its
/// digits as text (a trace's counts may be anything up to 2^64 - 1; the
/// plural rules read text as "other", as they would such a number).
fn number<T: From<u64> + From<String>>(n: u64) -> T {
    match n <= EXACT {
        true => T::from(n),
        false => T::from(n.to_string()),
    }
}

/// `5 bytes`, `1 byte`.
pub(crate) fn bytes(n: u64) -> String {
    tr("draw-bytes", &[("n", number(n))])
}

/// The message `id` with the one argument `name` set to `value`.
pub(crate) fn with(id: &str, name: &str, value: &str) -> String {
    tr(id, &[(name, value.into())])
}

/// `listen() on 127.0.0.1:10888`.
pub(crate) fn listen(local: &str) -> String {
    with("draw-listen", "local", local)
}

/// `accept() = 127.0.0.1:50000 (conn 1)`.
pub(crate) fn accept(peer: &str, conn: u64) -> String {
    tr(
        "draw-accept",
        &[("peer", peer.into()), ("conn", number(conn))],
    )
}

/// `recv_from() = 5 bytes from 127.0.0.1:40001`.
pub(crate) fn recv_from(size: &str, peer: &str) -> String {
    tr(
        "draw-recv-from",
        &[("size", size.into()), ("peer", peer.into())],
    )
}

/// `connect(127.0.0.1:1): connection refused`: a call that failed.
pub(crate) fn failed(call: &str, error: &str) -> String {
    tr(
        "draw-failed",
        &[("call", call.into()), ("error", error.into())],
    )
}

/// `pid 4100`, `handler-2, pid 4100`, `main, pid 4100`.
pub(crate) fn lifeline(thread: Option<&str>, main: bool, pid: u64) -> String {
    match (thread, main) {
        (Some(thread), _) => tr(
            "draw-thread-pid",
            &[("thread", thread.into()), ("pid", number(pid))],
        ),
        (None, true) => tr("draw-main-pid", &[("pid", number(pid))]),
        (None, false) => tr("draw-pid", &[("pid", number(pid))]),
    }
}

/// The line under a drawing cut after its first `max` lifelines.
pub(crate) fn cut(max: usize, lifelines: usize, calls: usize) -> String {
    let args = [
        ("next", number(max as u64 + 1)),
        ("lifelines", number(lifelines as u64)),
        ("calls", number(calls as u64)),
    ];
    tr("draw-cut", &args)
}

/// `.../echo.sock is /home/ada/echo.sock`.
pub(crate) fn path(short: &str, whole: &str) -> String {
    tr(
        "draw-path",
        &[("short", short.into()), ("whole", whole.into())],
    )
}

/// `<- 5 bytes from A10`: what an arrow brought, and from where.
pub(crate) fn from(label: &str, sender: &str) -> String {
    tr(
        "draw-from",
        &[("label", label.into()), ("sender", sender.into())],
    )
}

/// `tcp-server (pid 4100)`: a lifeline in the text drawing's list.
pub(crate) fn text_lifeline(prog: &str, detail: &str) -> String {
    tr(
        "draw-text-lifeline",
        &[("prog", prog.into()), ("detail", detail.into())],
    )
}

/// The hint after a line that is not an event.
pub(crate) fn format_hint() -> String {
    tr(
        "draw-hint-format",
        &[("version", number(lesson::trace::VERSION))],
    )
}

/// `line 3: no key "step"`.
pub(crate) fn parse_error(line: usize, message: &str) -> String {
    let args = [("line", number(line as u64)), ("message", message.into())];
    tr("draw-parse-line", &args)
}

/// `not JSON: EOF while parsing a value (column 7)`; serde_json's words
/// stay its own.
pub(crate) fn not_json(error: &str, column: usize) -> String {
    let args = [("error", error.into()), ("column", number(column as u64))];
    tr("draw-parse-not-json", &args)
}

/// `trace format version 2; this trace-draw reads version 1`.
pub(crate) fn other_version(found: u64) -> String {
    let args = [
        ("found", number(found)),
        ("version", number(lesson::trace::VERSION)),
    ];
    tr("draw-parse-version", &args)
}

/// A range of bytes that runs past the last offset of a stream.
pub(crate) fn past_the_end(offset: u64, size: &str) -> String {
    let args = [("offset", number(offset)), ("size", size.into())];
    tr("draw-parse-offset", &args)
}

/// `"ts" is -1, not a whole number from 0`, and the like: `id` with the
/// key (quoted) and the value found.
pub(crate) fn wrong_value(id: &str, key: &str, value: &str) -> String {
    tr(
        id,
        &[("key", format!("{key:?}").into()), ("value", value.into())],
    )
}

/// True for a character a terminal shows two columns wide and a font
/// draws about one em wide: CJK ideographs and syllables, full-width
/// forms and punctuation, and the like (East Asian Wide and Fullwidth).
pub(crate) fn is_wide(c: char) -> bool {
    matches!(u32::from(c),
        0x1100..=0x115f
        | 0x2e80..=0x303e
        | 0x3041..=0x33ff
        | 0x3400..=0x4dbf
        | 0x4e00..=0x9fff
        | 0xa000..=0xa4cf
        | 0xac00..=0xd7a3
        | 0xf900..=0xfaff
        | 0xfe30..=0xfe4f
        | 0xff00..=0xff60
        | 0xffe0..=0xffe6
        | 0x1f300..=0x1f64f
        | 0x1f900..=0x1f9ff
        | 0x20000..=0x3fffd)
}

/// The columns `text` takes in a terminal: two for a wide character.
pub(crate) fn columns(text: &str) -> usize {
    text.chars().map(|c| 1 + usize::from(is_wide(c))).sum()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A count past what an `f64` holds exactly keeps its digits.
    #[test]
    fn counts_keep_every_digit() {
        assert_eq!(bytes(1), "1 byte");
        assert_eq!(bytes(0), "0 bytes");
        assert_eq!(bytes(u64::MAX), "18446744073709551615 bytes");
        assert_eq!(bytes(EXACT + 1), "9007199254740993 bytes");
        assert_eq!(
            other_version(u64::MAX).split(';').next(),
            Some("trace format version 18446744073709551615")
        );
    }

    #[test]
    fn wide_characters_take_two_columns() {
        assert_eq!(columns("recv() = 5"), 10);
        assert_eq!(columns("流结束，好"), 10);
        assert_eq!(columns("wörld 🦀"), 8);
    }
}
