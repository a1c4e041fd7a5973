//! Showing what arrives: each read becomes lines on the terminal.

use lesson::Console;
use shared::Utf8Stream;
use shared::text::{SHOW_LIMIT, not_shown};

/// Turns reads into lines on the terminal: a line break in the data (`\n`
/// or `\r\n`) starts a new line, and so does the end of each read. Text is
/// made terminal-safe; a character split across reads is held back.
#[derive(Debug, Default)]
pub struct Show {
    text: Utf8Stream,
}

impl Show {
    /// Prints one read; false once stdout is closed. A flood through a
    /// large `--buffer` shows the first [`SHOW_LIMIT`] bytes of each read
    /// and counts the rest.
    pub fn read(&mut self, console: &Console, data: &[u8]) -> bool {
        match self.lines(data) {
            Some(lines) => console.data(format_args!("{lines}")),
            None => true,
        }
    }

    /// The lines one read shows, without the last line break; `None` when
    /// it shows nothing yet (it held back all it had: part of a character).
    fn lines(&mut self, data: &[u8]) -> Option<String> {
        let mut lines = String::new();
        let mut start = 0;
        let mut ended = 0;
        loop {
            let rest = &data[start..];
            let room = SHOW_LIMIT.saturating_sub(start);
            match rest.iter().position(|&b| b == b'\n') {
                // A whole line within the limit: shown, and ended here.
                Some(end) if end < room => {
                    let piece = &rest[..end];
                    let piece = piece.strip_suffix(b"\r").unwrap_or(piece);
                    self.text.decode_into(&mut lines, piece);
                    // A character cut short by a line break never completes.
                    lines.push_str(&self.text.finish());
                    lines.push('\n');
                    start += end + 1;
                    ended += 1;
                }
                // The last piece of a read that fits: shown whole, with an
                // unfinished character held back for the next read.
                _ if data.len() <= SHOW_LIMIT => {
                    self.text.decode_into(&mut lines, rest);
                    break;
                }
                // The limit falls in this piece: shown up to it, the rest
                // counted.
                _ => {
                    let text = &mut self.text;
                    let hidden =
                        text.decode_preview_into(&mut lines, rest, room);
                    lines.push_str(&not_shown(hidden));
                    break;
                }
            }
        }
        // The read ended on a line break: no empty line after it. A read of
        // just a line break is an empty line, not nothing.
        if start == data.len() && !data.is_empty() {
            lines.pop();
        }
        (!lines.is_empty() || ended > 0).then_some(lines)
    }

    /// The end of the stream: the start of a character still held back
    /// will never be finished, so its bytes are shown escaped, not lost.
    pub fn end(&mut self, console: &Console) {
        let rest = self.text.finish();
        if !rest.is_empty() {
            console.data(format_args!("{rest}"));
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// An empty line that arrives in a read of its own is shown, and the
    /// first bytes of a character alone show nothing yet.
    #[test]
    fn an_empty_line_alone_is_still_a_line() {
        let mut show = Show::default();
        let reads: [&[u8]; 5] =
            [b"one\r\n", b"\r\n", b"\n", b"\xe4\xbd", b"\xa0\r\n"];
        let shown: Vec<Option<String>> =
            reads.iter().map(|read| show.lines(read)).collect();
        let want = [Some("one"), Some(""), Some(""), None, Some("你")];
        assert_eq!(shown, want.map(|w| w.map(String::from)));
    }
}
