//! Turning bytes from the network into text that is safe to print.
//!
//! Two problems meet here. First, TCP delivers a byte stream in pieces of
//! its own choosing, so one UTF-8 character (`你` is `e4 bd a0`) can be
//! split across two `recv` calls; decoding each piece on its own would show
//! garbage, or crash as Python's `decode` does. [`Utf8Stream`] holds back an
//! unfinished character until the rest arrives.
//!
//! Second, the bytes come from someone else. Printed raw, `\x1b[2J`
//! clears the teacher's screen and `\r` overwrites a line. So whatever
//! would move the cursor, change the terminal or take no room on the
//! screen is shown escaped (`\n`, `\x1b`, `\u{202e}`, `\xff` for a byte
//! that is not UTF-8; [`crate::invisible`] says which characters, by their
//! Unicode properties), whole emoji sequences stay whole, and the rendered
//! text always fits on one line. The bytes echoed on the wire are never
//! touched; only what is printed is escaped.

use crate::invisible::{Sequence, escape_bytes};

/// How many bytes of one read (or datagram) are shown; the rest is counted:
/// the default buffers show all, a flood through a big `--buffer` is short.
pub const SHOW_LIMIT: usize = 1024;

/// ` … (+N bytes not shown)` after a preview, or nothing.
pub fn not_shown(hidden: usize) -> String {
    match hidden {
        0 => String::new(),
        1 => " … (+1 byte not shown)".to_string(),
        n => format!(" … (+{n} bytes not shown)"),
    }
}

/// Renders at most [`SHOW_LIMIT`] bytes of a complete message.
pub fn render_preview(bytes: &[u8]) -> String {
    let mut stream = Utf8Stream::default();
    let mut out = String::new();
    let hidden = stream.decode_preview_into(&mut out, bytes, SHOW_LIMIT);
    out.push_str(&stream.finish());
    out.push_str(&not_shown(hidden));
    out
}

/// A UTF-8 decoder for a stream that arrives in pieces.
///
/// ```
/// let mut stream = shared::Utf8Stream::default();
/// assert_eq!(stream.decode(b"\xe4\xbd"), ""); // half of 你: held back
/// assert_eq!(stream.decode(b"\xa0!"), "你!");
/// assert_eq!(stream.finish(), "");
/// ```
#[derive(Debug, Default, Clone)]
pub struct Utf8Stream {
    /// The start of a character whose last bytes have not arrived yet
    /// (at most three bytes).
    pending: Vec<u8>,
    /// Whether the characters just shown are part of an emoji sequence.
    shown: Sequence,
}

impl Utf8Stream {
    /// Renders every complete character of `chunk` (after any held-back
    /// bytes) and holds back an unfinished character at the end.
    pub fn decode(&mut self, chunk: &[u8]) -> String {
        let mut out = String::with_capacity(chunk.len() + 8); // and a `\\n`
        self.decode_into(&mut out, chunk);
        out
    }

    /// Like [`decode`](Self::decode), but appends to `out`: a buffer used
    /// for every read costs no allocation per message.
    pub fn decode_into(&mut self, out: &mut String, chunk: &[u8]) {
        let joined;
        let mut rest = if self.pending.is_empty() {
            chunk
        } else {
            joined =
                [std::mem::take(&mut self.pending).as_slice(), chunk].concat();
            joined.as_slice()
        };
        loop {
            match std::str::from_utf8(rest) {
                Ok(text) => return self.push_text(out, text),
                Err(error) => {
                    let (valid, after) = rest.split_at(error.valid_up_to());
                    // from_utf8 has just said that these bytes are UTF-8.
                    let valid = std::str::from_utf8(valid).unwrap_or_default();
                    self.push_text(out, valid);
                    match error.error_len() {
                        // Bytes that can never start a character: escape them.
                        Some(bad) => {
                            self.shown.interrupt(out);
                            escape_bytes(out, &after[..bad]);
                            rest = &after[bad..];
                        }
                        // A character cut short by the end of the chunk.
                        None => return self.pending = after.to_vec(),
                    }
                }
            }
        }
    }

    /// Like [`decode_into`](Self::decode_into), but renders at most `limit`
    /// bytes of a large chunk and returns how many bytes it left unshown.
    /// A flood then costs one short line per read instead of a screenful.
    /// The stream stays in step: an unfinished character at the very end
    /// of the chunk is still held back for the next one.
    pub fn decode_preview_into(
        &mut self,
        out: &mut String,
        chunk: &[u8],
        limit: usize,
    ) -> usize {
        // The few bytes held back from the last read do not count.
        if chunk.len() <= limit {
            self.decode_into(out, chunk);
            return 0;
        }
        let cut = limit;
        // Never cut a valid character in two: it would show as bytes that
        // are not UTF-8. Stop before it, and count it as not shown.
        let shown_part = cut - valid_tail_cut_at(chunk, cut).len();
        self.decode_into(out, &chunk[..shown_part]);
        out.push_str(&self.finish());
        let tail = unfinished_tail(chunk);
        self.pending = tail.to_vec();
        (chunk.len() - shown_part).saturating_sub(tail.len())
    }

    /// Ends the stream: a character still unfinished will never be
    /// completed, so its bytes are shown escaped, and so is a joiner or a
    /// tag held back for an emoji sequence that will not come.
    pub fn finish(&mut self) -> String {
        let mut out = String::new();
        self.shown.interrupt(&mut out);
        escape_bytes(&mut out, &std::mem::take(&mut self.pending));
        out
    }

    /// True when part of a character is held back: a character's first
    /// bytes, or a joiner or tags the next bytes may make an emoji.
    pub fn is_holding(&self) -> bool {
        !self.pending.is_empty() || self.shown.is_holding()
    }

    /// Appends `text`: each run of characters shown as they are is copied
    /// in one go; any other character goes through the emoji logic.
    fn push_text(&mut self, out: &mut String, text: &str) {
        // `text[start..at]` is shown as it is, and not copied yet.
        let (mut start, mut at) = (0, 0);
        while at < text.len() {
            if is_plain(text.as_bytes()[at]) && !self.shown.is_holding() {
                at += plain_run(&text.as_bytes()[at..]);
                continue;
            }
            let Some(c) = text[at..].chars().next() else {
                break;
            };
            if self.shown.needs_care(c) {
                self.copy(out, &text[start..at]);
                self.shown.push(out, c);
                start = at + c.len_utf8();
            }
            at += c.len_utf8();
        }
        self.copy(out, &text[start..]);
    }

    /// Appends characters that are shown as they are.
    fn copy(&mut self, out: &mut String, run: &str) {
        if let Some(last) = run.chars().next_back() {
            out.push_str(run);
            self.shown.copied(last);
        }
    }
}

/// Printable ASCII but `\`: shown as it is, whatever comes around it.
fn is_plain(b: u8) -> bool {
    matches!(b, b' '..=b'~') && b != b'\\'
}

/// How many bytes at the start of `bytes` are plain, looked at sixteen at
/// a time (a few vector instructions), then one by one.
fn plain_run(bytes: &[u8]) -> usize {
    let all_plain =
        |c: &&[u8]| c.iter().fold(true, |all, &b| all & is_plain(b));
    let whole = bytes.chunks_exact(16).take_while(all_plain).count() * 16;
    whole + bytes[whole..].iter().take_while(|&&b| is_plain(b)).count()
}

/// The last bytes of `bytes` when they start a character that is not
/// finished yet (at most three bytes), else nothing.
fn unfinished_tail(bytes: &[u8]) -> &[u8] {
    let from = bytes.len().saturating_sub(3);
    let unfinished = |start: &usize| match std::str::from_utf8(&bytes[*start..])
    {
        Err(e) => e.valid_up_to() == 0 && e.error_len().is_none(),
        Ok(_) => false,
    };
    (from..bytes.len())
        .find(unfinished)
        .map_or(&[], |start| &bytes[start..])
}

/// The start of a valid character that `chunk[..at]` cuts short: its first
/// bytes, before `at`. Empty when `at` is a character boundary, or when the
/// bytes there are not UTF-8 anyway (those are shown escaped).
fn valid_tail_cut_at(chunk: &[u8], at: usize) -> &[u8] {
    let tail = unfinished_tail(&chunk[..at]);
    let start = at - tail.len();
    let window = &chunk[start..chunk.len().min(start + 4)];
    // Valid, or valid so far: the chunk ends before the character does.
    let complete = std::str::from_utf8(window).map_or_else(
        |e| e.valid_up_to() > 0 || e.error_len().is_none(),
        |_| true,
    );
    if complete { tail } else { &[] }
}

/// Renders a complete message (a datagram, say) in one go.
pub fn render(bytes: &[u8]) -> String {
    let mut stream = Utf8Stream::default();
    let mut out = stream.decode(bytes);
    out.push_str(&stream.finish());
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const MIXED: &str = "hi 你好, wörld 🦀!\n";

    fn chunked(bytes: &[u8], cuts: &[usize]) -> String {
        let mut stream = Utf8Stream::default();
        let mut out = String::new();
        let mut start = 0;
        for &cut in cuts {
            out.push_str(&stream.decode(&bytes[start..cut]));
            start = cut;
        }
        out.push_str(&stream.decode(&bytes[start..]));
        out.push_str(&stream.finish());
        out
    }

    /// Splitting a mixed ASCII, Chinese and emoji string at any one or two
    /// places gives the same text as decoding it whole.
    #[test]
    fn split_anywhere_gives_the_same_text() {
        let bytes = MIXED.as_bytes();
        let whole = render(bytes);
        assert_eq!(whole, "hi 你好, wörld 🦀!\\n");
        for a in 0..=bytes.len() {
            assert_eq!(chunked(bytes, &[a]), whole, "cut at {a}");
            for b in a..=bytes.len() {
                assert_eq!(chunked(bytes, &[a, b]), whole, "cuts {a}, {b}");
            }
        }
    }

    /// A preview shows the start of a large chunk, counts the rest, and
    /// still completes a character split at the chunk's end.
    #[test]
    fn preview_of_a_large_chunk() {
        let mut stream = Utf8Stream::default();
        let mut chunk = vec![b'a'; 100];
        chunk.extend_from_slice(&[0xe4, 0xbd]);
        let mut shown = String::new();
        let hidden = stream.decode_preview_into(&mut shown, &chunk, 10);
        assert_eq!((shown.as_str(), hidden), ("aaaaaaaaaa", 90));
        let hidden = stream.decode_preview_into(&mut shown, &[0xa0], 10);
        assert_eq!((shown.as_str(), hidden), ("aaaaaaaaaa你", 0));
        assert_eq!(unfinished_tail(b"ab\xf0\x9f\xa6"), b"\xf0\x9f\xa6");
        assert_eq!(unfinished_tail(b"ab\xff"), b"");
        assert_eq!(unfinished_tail("你".as_bytes()), b"");
    }

    /// A read no longer than the limit is shown whole, however many bytes
    /// the last read held back; a character that a large read cuts short
    /// at the limit and the next read finishes is not shown as bad bytes.
    #[test]
    fn a_preview_never_shows_a_good_character_as_bad_bytes() {
        let mut stream = Utf8Stream::default();
        let mut shown = String::new();
        let mut read = |bytes: &[u8], limit| {
            shown.clear();
            let hidden = stream.decode_preview_into(&mut shown, bytes, limit);
            (shown.clone(), hidden)
        };
        assert_eq!(read(b"\xe4\xbd", 10), (String::new(), 0));
        let ten = b"\xa0aaaaaa\xf0\x9f\xa6"; // 10 bytes: the end of 你, a 🦀 cut short
        assert_eq!(read(ten, 10), ("你aaaaaa".to_string(), 0));
        assert_eq!(read(b"\x80", 10), ("🦀".to_string(), 0));
        let large = b"aaaaaaaa\xf0\x9f\xa6"; // 11 bytes, cut inside the 🦀
        assert_eq!(read(large, 10), ("aaaaaaaa".to_string(), 0));
        assert_eq!(read(b"\x80", 10), ("🦀".to_string(), 0));
        let bad = b"aaaaaaaaa\xff\xffz"; // not UTF-8 at the cut: shown
        assert_eq!(read(bad, 10), ("aaaaaaaaa\\xff".to_string(), 2));
    }

    /// 你 sent as `e4 bd` and then `a0` is held back and then printed whole.
    #[test]
    fn holds_back_a_split_character() {
        let mut stream = Utf8Stream::default();
        assert_eq!(stream.decode(&[0xe4, 0xbd]), "");
        assert!(stream.is_holding());
        assert_eq!(stream.decode(&[0xa0]), "你");
        assert!(!stream.is_holding());
    }

    /// Bytes that are not UTF-8 are shown as `\xNN`, and so is a character
    /// still unfinished when the stream ends.
    #[test]
    fn invalid_bytes_are_escaped() {
        assert_eq!(render(b"a\xffb\xc3"), "a\\xffb\\xc3");
        assert_eq!(render(b"\xe4\xbdA"), "\\xe4\\xbdA");
        assert_eq!(render(b"\xed\xa0\x80"), "\\xed\\xa0\\x80"); // a surrogate
    }

    /// A preview never cuts a valid character: 1,022 × `b` and then a crab
    /// (4 bytes) shows the `b`s only, and counts the crab as not shown.
    #[test]
    fn preview_stops_at_a_character_boundary() {
        let mut chunk = vec![b'b'; SHOW_LIMIT - 2];
        chunk.extend_from_slice("🦀".as_bytes());
        chunk.extend_from_slice(&[b'c'; 8]);
        let shown = render_preview(&chunk);
        assert_eq!(
            shown,
            format!("{} … (+12 bytes not shown)", "b".repeat(1022))
        );
        // Invalid bytes at the cut are still shown escaped, as before.
        let mut bad = vec![b'b'; SHOW_LIMIT - 1];
        bad.extend_from_slice(b"\xf0\x41zz");
        assert!(
            render_preview(&bad).ends_with("b\\xf0 … (+3 bytes not shown)")
        );
    }

    /// Zero-width and invisible format characters are shown as code points,
    /// so two lines that look the same but differ can be told apart.
    #[test]
    fn invisible_characters_are_escaped() {
        for c in [
            '\u{ad}', '\u{200b}', '\u{200c}', '\u{200d}', '\u{2060}',
            '\u{2064}', '\u{206a}', '\u{206f}', '\u{feff}', '\u{180e}',
        ] {
            let text = format!("a{c}b");
            assert_eq!(
                render(text.as_bytes()),
                format!("a\\u{{{:x}}}b", c as u32)
            );
        }
        // Visible neighbours stay as they are.
        assert_eq!(render("é – ﬁ ｆ".as_bytes()), "é – ﬁ ｆ");
    }

    /// Each class of hidden character is escaped wherever it is not part
    /// of an emoji sequence: tags smuggling ASCII, variation selectors
    /// after text, Hangul fillers, interlinear annotation, the combining
    /// grapheme joiner, noncharacters.
    #[test]
    fn hidden_characters_are_escaped_by_property() {
        let cases = [
            ("hi\u{e0068}\u{e0069}!", "hi\\u{e0068}\\u{e0069}!"),
            (
                "\u{e0001}\u{e0065}\u{e006e}",
                "\\u{e0001}\\u{e0065}\\u{e006e}",
            ),
            ("x\u{fe0f}y\u{fe0e}", "x\\u{fe0f}y\\u{fe0e}"),
            ("葛\u{e0100}", "葛\\u{e0100}"),
            ("\u{3164}\u{ffa0}\u{115f}", "\\u{3164}\\u{ffa0}\\u{115f}"),
            (
                "\u{fff9}a\u{fffa}b\u{fffb}",
                "\\u{fff9}a\\u{fffa}b\\u{fffb}",
            ),
            ("a\u{34f}b\u{2028}", "a\\u{34f}b\\u{2028}"),
            ("\u{fffe}\u{ffff}", "\\u{fffe}\\u{ffff}"),
        ];
        for (text, shown) in cases {
            assert_eq!(render(text.as_bytes()), shown, "{text:?}");
        }
    }

    /// Whole emoji sequences print as they are: ZWJ sequences, emoji and
    /// text presentation, skin tones, keycaps, a subdivision flag.
    #[test]
    fn emoji_sequences_stay_whole() {
        for emoji in [
            "👨\u{200d}👩\u{200d}👧",
            "❤\u{fe0f}\u{200d}🔥",
            "🏳\u{fe0f}\u{200d}🌈",
            "👩🏽\u{200d}💻",
            "🕵\u{fe0f}\u{200d}♂\u{fe0f}",
            "❤\u{fe0e}",
            "1\u{fe0f}\u{20e3}#\u{fe0f}\u{20e3}",
            "🏴\u{e0067}\u{e0062}\u{e0065}\u{e006e}\u{e0067}\u{e007f}",
            "🏴\u{e0067}\u{e0062}\u{e0073}\u{e0063}\u{e0074}\u{e007f}\u{200d}🔥",
            "🇨🇳",
        ] {
            let text = format!("a {emoji} b");
            assert_eq!(render(text.as_bytes()), text);
        }
    }

    /// The invisible parts of a sequence that is not whole are escaped: a
    /// joiner with no emoji on one side, a second variation selector, a
    /// keycap without its cap, tags after a flag that spell no flag.
    #[test]
    fn broken_emoji_sequences_are_escaped() {
        let g = "\u{e0067}\u{e0062}"; // tags `gb`
        let cases = [
            ("👨\u{200d}".to_string(), "👨\\u{200d}".to_string()),
            ("👨\u{200d}a".into(), "👨\\u{200d}a".into()),
            ("a\u{200d}👩".into(), "a\\u{200d}👩".into()),
            (
                "👨\u{200d}\u{200d}👩".into(),
                "👨\\u{200d}\\u{200d}👩".into(),
            ),
            ("❤\u{fe0f}\u{fe0f}".into(), "❤\u{fe0f}\\u{fe0f}".into()),
            ("1\u{fe0f}!".into(), "1\\u{fe0f}!".into()),
            (
                format!("🏴{g}\u{e0068}\u{e0069}\u{e007f}"),
                "🏴\\u{e0067}\\u{e0062}\\u{e0068}\\u{e0069}\\u{e007f}".into(),
            ),
            (
                format!("🏴{g}\u{e0065}\u{e006e}\u{e0067}"),
                "🏴\\u{e0067}\\u{e0062}\\u{e0065}\\u{e006e}\\u{e0067}".into(),
            ),
            (
                format!("x{g}\u{e007f}"),
                "x\\u{e0067}\\u{e0062}\\u{e007f}".into(),
            ),
        ];
        for (text, shown) in cases {
            assert_eq!(render(text.as_bytes()), shown, "{text:?}");
        }
    }

    /// A family emoji cut anywhere, even right after a joiner, prints the
    /// same as whole: the joiner waits for what follows it.
    #[test]
    fn an_emoji_sequence_split_anywhere_stays_whole() {
        let family = "👨\u{200d}👩\u{200d}👧 🏴\u{e0067}\u{e0062}\u{e0077}\u{e006c}\u{e0073}\u{e007f}";
        let bytes = family.as_bytes();
        for cut in 0..=bytes.len() {
            assert_eq!(chunked(bytes, &[cut]), family, "cut at {cut}");
        }
        let mut stream = Utf8Stream::default();
        assert_eq!(stream.decode("👨\u{200d}".as_bytes()), "👨");
        assert!(stream.is_holding());
        assert_eq!(stream.decode("👩".as_bytes()), "\u{200d}👩");
        assert!(!stream.is_holding());
        assert_eq!(stream.decode("\u{200d}".as_bytes()), "");
        assert_eq!(stream.finish(), "\\u{200d}");
    }

    /// Escape sequences, carriage returns, backspace and bell never reach
    /// the terminal raw.
    #[test]
    fn control_bytes_are_escaped() {
        assert_eq!(render(b"\x1b[2J\x1b[31mred"), "\\x1b[2J\\x1b[31mred");
        assert_eq!(render(b"a\rb\x08c\x07\x7f"), "a\\rb\\x08c\\x07\\x7f");
        assert_eq!(render(b"tab\there\\n"), "tab\\there\\\\n");
        assert_eq!(render("\u{9b}31m".as_bytes()), "\\u{9b}31m");
        assert_eq!(render("abc\u{202e}def".as_bytes()), "abc\\u{202e}def");
    }
}
