//! Which characters are never printed as they are, decided by their
//! Unicode properties (from the `unicode-properties` crate) rather than by
//! a list of examples. A character is *hidden* when a terminal could act
//! on it or when it takes no room on the screen: controls (Cc), format
//! characters (Cf: bidi controls, zero-width marks, the tags U+E0000–E007F
//! used to smuggle ASCII past a reader), line and paragraph separators,
//! unassigned code points (the noncharacters such as U+FFFF among them)
//! and the rest of Default_Ignorable_Code_Point (variation selectors,
//! Hangul fillers).
//!
//! One exception keeps emoji whole: inside a complete emoji sequence (a
//! family is 👨, 👩 and 👧 joined by U+200D; 1️⃣ is `1`, U+FE0F and U+20E3;
//! Scotland's flag is 🏴 and tags spelling `gbsct`) the joiners, variation
//! selectors and tags are printed as they are, because a terminal draws the
//! sequence as one picture. [`Sequence`] decides that one character at a
//! time, so a stream cut anywhere renders the same.

use std::fmt::Write as _;
use unicode_properties::{
    GeneralCategory, UnicodeEmoji, UnicodeGeneralCategory,
};

/// True when `c` is never printed as it is outside an emoji sequence.
///
/// ```
/// use shared::invisible::is_hidden;
/// assert!(is_hidden('\u{e0041}')); // TAG LATIN CAPITAL LETTER A
/// assert!(is_hidden('\u{3164}')); // HANGUL FILLER
/// assert!(!is_hidden('你') && !is_hidden('\u{3000}')); // ideographic space
/// ```
pub fn is_hidden(c: char) -> bool {
    if c.is_ascii() {
        return c.is_ascii_control();
    }
    // Most of a Chinese or Korean text: blocks with no hidden character.
    if matches!(c, '\u{4e00}'..='\u{9fef}' | '\u{ac00}'..='\u{d7a3}') {
        return false;
    }
    use GeneralCategory::*;
    matches!(
        c.general_category(),
        Control
            | Format
            | LineSeparator
            | ParagraphSeparator
            | Unassigned
            | Surrogate
    ) || is_other_ignorable(c)
}

/// The default-ignorable code points that are neither format characters
/// nor unassigned, so that the general category does not find them: the
/// Variation_Selector property and the assigned part of
/// Other_Default_Ignorable_Code_Point (Unicode's PropList.txt).
fn is_other_ignorable(c: char) -> bool {
    matches!(
        c,
        '\u{34f}' // combining grapheme joiner
            | '\u{115f}' | '\u{1160}' | '\u{3164}' | '\u{ffa0}' // Hangul fillers
            | '\u{17b4}' | '\u{17b5}' // Khmer inherent vowels
            | '\u{180b}'..='\u{180d}' | '\u{180f}' // Mongolian variation selectors
            | '\u{fe00}'..='\u{fe0f}' // variation selectors 1-16
            | '\u{e0100}'..='\u{e01ef}' // variation selectors 17-256
    )
}

const ZWJ: char = '\u{200d}';
const TEXT_STYLE: char = '\u{fe0e}';
const EMOJI_STYLE: char = '\u{fe0f}';
const KEYCAP: char = '\u{20e3}';
const BLACK_FLAG: char = '\u{1f3f4}';
const CANCEL_TAG: char = '\u{e007f}';

/// The subdivision flags Unicode recommends for general interchange
/// (RGI_Emoji_Tag_Sequence): the tags after 🏴 spell one of these. Any
/// other run of tags is escaped, so tags cannot carry hidden text.
const FLAG_TAGS: [&str; 3] = ["gbeng", "gbsct", "gbwls"];

/// An emoji character that can start an element of an emoji sequence
/// (ASCII digits, `#` and `*` have the Emoji property too, but only as
/// keycaps; skin-tone modifiers and regional indicators only follow).
fn is_emoji_base(c: char) -> bool {
    !c.is_ascii()
        && c.is_emoji_char()
        && !matches!(c, '\u{1f3fb}'..='\u{1f3ff}' | '\u{1f1e6}'..='\u{1f1ff}')
}

/// True when a joiner after `c` (an emoji, a skin tone, a selector, a flag's
/// end) can continue an emoji sequence.
fn ends_element(c: char) -> bool {
    is_emoji_base(c)
        || matches!(c, '\u{1f3fb}'..='\u{1f3ff}')
        || matches!(c, TEXT_STYLE | EMOJI_STYLE | CANCEL_TAG)
}

/// The letter a tag character stands for: U+E0067 is `g`.
fn tag_letter(c: char) -> Option<char> {
    let tag = matches!(c, '\u{e0020}'..='\u{e007e}');
    tag.then(|| char::from_u32(c as u32 - 0xe0000)).flatten()
}

/// Decides, one character at a time, which hidden characters belong to a
/// complete emoji sequence. A hidden character that needs what follows to
/// decide (a joiner, a keycap's U+FE0F, a flag's tags) is held back until
/// the next character arrives; held back, it shows nothing either way.
#[derive(Debug, Default, Clone)]
pub(crate) struct Sequence {
    /// The last character printed as it is, while nothing escaped has
    /// come after it.
    last: Option<char>,
    /// Hidden characters that may still turn out to be part of a sequence.
    held: String,
}

impl Sequence {
    /// True when hidden characters wait for the next character.
    pub(crate) fn is_holding(&self) -> bool {
        !self.held.is_empty()
    }

    /// True when `c` needs [`push`](Self::push): a hidden character, one
    /// that a held character waits for, or a backslash (shown as `\\`).
    pub(crate) fn needs_care(&self, c: char) -> bool {
        is_hidden(c) || c == '\\' || self.is_holding()
    }

    /// Notes that `c` was copied as it is, where `needs_care` said no.
    pub(crate) fn copied(&mut self, c: char) {
        self.last = Some(c);
    }

    /// Appends `c`: escaped if it is hidden and not in an emoji sequence.
    pub(crate) fn push(&mut self, out: &mut String, c: char) {
        // The common case first: a control is never part of a sequence.
        if c.is_ascii_control() && !self.is_holding() {
            self.last = None;
            return escape(out, c);
        }
        if self.is_holding() {
            if self.completes(c) {
                out.push_str(&self.held);
                self.held.clear();
                if c == CANCEL_TAG {
                    out.push(c);
                    self.last = Some(c);
                    return;
                }
            } else if tag_letter(c).is_some() && self.extends_flag(c) {
                self.held.push(c);
                return;
            } else {
                self.interrupt(out);
            }
        }
        if !is_hidden(c) && c != '\\' {
            out.push(c);
            self.last = Some(c);
            return;
        }
        let last = self.last.unwrap_or('\0');
        let keycap_base = matches!(last, '0'..='9' | '#' | '*');
        match c {
            ZWJ if ends_element(last) => self.held.push(c),
            TEXT_STYLE | EMOJI_STYLE if is_emoji_base(last) => {
                out.push(c);
                self.last = Some(c);
            }
            EMOJI_STYLE if keycap_base => self.held.push(c),
            c if last == BLACK_FLAG && self.extends_flag(c) => {
                self.held.push(c)
            }
            c => {
                escape(out, c);
                self.last = None;
            }
        }
    }

    /// True when `c` makes the held characters part of a sequence.
    fn completes(&self, c: char) -> bool {
        match self.held.chars().next() {
            Some(ZWJ) => is_emoji_base(c),
            Some(EMOJI_STYLE) => c == KEYCAP,
            _ => {
                c == CANCEL_TAG
                    && FLAG_TAGS.contains(&self.held_letters().as_str())
            }
        }
    }

    /// True when `c` is a tag that, after 🏴 and the tags held so far, still
    /// spells the start of a recommended flag.
    fn extends_flag(&self, c: char) -> bool {
        let held_tags = self.held.chars().all(|h| tag_letter(h).is_some());
        let Some(letter) = tag_letter(c) else {
            return false;
        };
        let mut spelled = self.held_letters();
        spelled.push(letter);
        held_tags
            && spelled.len() <= 5
            && FLAG_TAGS.iter().any(|flag| flag.starts_with(&spelled))
    }

    fn held_letters(&self) -> String {
        self.held.chars().filter_map(tag_letter).collect()
    }

    /// Ends any sequence: what was held back is escaped after all. Called
    /// before bytes that are not UTF-8, and when the stream ends.
    pub(crate) fn interrupt(&mut self, out: &mut String) {
        for c in std::mem::take(&mut self.held).chars() {
            escape(out, c);
        }
        self.last = None;
    }
}

/// Writes one character that must not reach the terminal as it is.
pub(crate) fn escape(out: &mut String, c: char) {
    match c {
        '\n' => out.push_str("\\n"),
        '\r' => out.push_str("\\r"),
        '\t' => out.push_str("\\t"),
        '\0' => out.push_str("\\0"),
        '\\' => out.push_str("\\\\"),
        // C0 controls (ESC, bell, backspace, …) and DEL.
        '\x01'..='\x1f' | '\x7f' => escape_bytes(out, &[c as u8]),
        // Show the code point instead of a character a terminal acts on.
        c if is_hidden(c) => {
            let _ = write!(out, "\\u{{{:x}}}", c as u32);
        }
        _ => out.push(c),
    }
}

/// Writes bytes that are not UTF-8 (or control bytes) as `\\xNN`.
pub(crate) fn escape_bytes(out: &mut String, bytes: &[u8]) {
    const HEX: &[u8; 16] = b"0123456789abcdef";
    let hex = |n: u8| char::from(HEX[usize::from(n)]);
    for &b in bytes {
        out.extend(['\\', 'x', hex(b >> 4), hex(b & 0xf)]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The blocks `is_hidden` answers without a lookup are letters, all of
    /// them assigned: no hidden character among them.
    #[test]
    fn the_shortcut_blocks_hold_only_letters() {
        let blocks = ['\u{4e00}'..='\u{9fef}', '\u{ac00}'..='\u{d7a3}'];
        for c in blocks.into_iter().flatten() {
            let category = c.general_category();
            assert_eq!(category, GeneralCategory::OtherLetter, "{c:?}");
        }
    }

    /// One example of each class of hidden character, and visible
    /// neighbours that must stay as they are.
    #[test]
    fn hidden_by_property() {
        let hidden = [
            ('\u{9b}', "C1 control"),
            ('\u{ad}', "soft hyphen (Cf)"),
            ('\u{61c}', "Arabic letter mark (Cf)"),
            ('\u{200b}', "zero-width space (Cf)"),
            ('\u{200d}', "zero-width joiner (Cf)"),
            ('\u{202e}', "right-to-left override (Cf)"),
            ('\u{2066}', "left-to-right isolate (Cf)"),
            ('\u{2028}', "line separator (Zl)"),
            ('\u{2029}', "paragraph separator (Zp)"),
            ('\u{feff}', "byte order mark (Cf)"),
            ('\u{fff9}', "interlinear annotation anchor (Cf)"),
            ('\u{fffa}', "interlinear annotation separator (Cf)"),
            ('\u{fffb}', "interlinear annotation terminator (Cf)"),
            ('\u{e0001}', "language tag (Cf)"),
            ('\u{e0020}', "tag space (Cf)"),
            ('\u{e0041}', "tag A (Cf)"),
            ('\u{e007f}', "cancel tag (Cf)"),
            ('\u{1d173}', "musical symbol begin beam (Cf)"),
            ('\u{34f}', "combining grapheme joiner (DI)"),
            ('\u{115f}', "Hangul choseong filler (DI)"),
            ('\u{1160}', "Hangul jungseong filler (DI)"),
            ('\u{3164}', "Hangul filler (DI)"),
            ('\u{ffa0}', "halfwidth Hangul filler (DI)"),
            ('\u{17b4}', "Khmer vowel inherent AQ (DI)"),
            ('\u{180b}', "Mongolian variation selector (DI)"),
            ('\u{fe00}', "variation selector 1 (DI)"),
            ('\u{fe0f}', "variation selector 16 (DI)"),
            ('\u{e0100}', "variation selector 17 (DI)"),
            ('\u{e01ef}', "variation selector 256 (DI)"),
            ('\u{2065}', "reserved default-ignorable (Cn)"),
            ('\u{fff0}', "reserved default-ignorable (Cn)"),
            ('\u{e0fff}', "reserved default-ignorable (Cn)"),
            ('\u{ffff}', "noncharacter (Cn)"),
            ('\u{fdd0}', "noncharacter (Cn)"),
        ];
        for (c, what) in hidden {
            assert!(is_hidden(c), "{what} U+{:04X}", c as u32);
        }
        let visible = "a é 你好\u{3000}ｆ ﬁ – 🦀 \u{301} नमस्ते \u{e000}";
        for c in visible.chars() {
            assert!(!is_hidden(c), "U+{:04X} is visible", c as u32);
        }
    }
}
