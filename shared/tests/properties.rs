//! Property tests for the pure parts of `shared`: parsing and rendering
//! must hold for any input, not just the examples in the unit tests.
//! 10,000 cases each; `PROPTEST_CASES` overrides.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use shared::address::{Endpoint, Host, PartialAddress};
use shared::text::{Utf8Stream, render};
use std::net::IpAddr;

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(10_000);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

fn host() -> impl Strategy<Value = Host> {
    prop_oneof![
        any::<[u8; 4]>().prop_map(|b| Host::Ip(IpAddr::from(b))),
        any::<[u16; 8]>().prop_map(|s| Host::Ip(IpAddr::from(s))),
        "[a-z][a-z0-9-]{0,20}(\\.[a-z0-9_][a-z0-9-]{0,10}){0,3}"
            .prop_filter("not all digits", |n| !n
                .bytes()
                .all(|b| b.is_ascii_digit()))
            .prop_map(Host::Name),
    ]
}

/// Hidden by property, written out from the definitions: Cc, Cf, Zl, Zp,
/// Cn (and Cs), and the rest of Default_Ignorable_Code_Point.
fn reference_hidden(c: char) -> bool {
    use unicode_properties::{GeneralCategory as G, UnicodeGeneralCategory};
    let category = c.general_category();
    let other_ignorable = matches!(c as u32, 0x34f | 0x115f | 0x1160
        | 0x17b4 | 0x17b5 | 0x180b..=0x180d | 0x180f | 0x3164 | 0xfe00..=0xfe0f
        | 0xffa0 | 0xe0100..=0xe01ef);
    other_ignorable
        || matches!(
            category,
            G::Control
                | G::Format
                | G::LineSeparator
                | G::ParagraphSeparator
                | G::Unassigned
                | G::Surrogate
        )
}

fn emoji(c: char) -> bool {
    use unicode_properties::UnicodeEmoji;
    !c.is_ascii()
        && c.is_emoji_char()
        && !matches!(c as u32, 0x1f3fb..=0x1f3ff | 0x1f1e6..=0x1f1ff)
}

/// Which characters of `chars` belong to a whole emoji sequence, found by
/// looking both ways (the fast renderer looks only back, and holds back).
fn in_sequence(chars: &[char]) -> Vec<bool> {
    let mut keep = vec![false; chars.len()];
    let tag = |c: char| (0xe0020..=0xe007f).contains(&(c as u32));
    for i in 0..chars.len() {
        // A flag: 🏴, tags spelling gbeng, gbsct or gbwls, a cancel tag.
        if chars[i] == '\u{1f3f4}' {
            let run: String = chars[i + 1..]
                .iter()
                .take_while(|&&c| tag(c))
                .map(|&c| char::from_u32(c as u32 - 0xe0000).unwrap())
                .collect();
            for flag in ["gbeng", "gbsct", "gbwls"] {
                if run.starts_with(&format!("{flag}\u{7f}")) {
                    keep[i + 1..i + 7].fill(true);
                }
            }
        }
    }
    for i in 0..chars.len() {
        let before = i.checked_sub(1).map(|b| chars[b]);
        let after = chars.get(i + 1).copied();
        keep[i] = match chars[i] {
            '\u{fe0e}' | '\u{fe0f}' if before.is_some_and(emoji) => true,
            '\u{fe0f}' => {
                before.is_some_and(|b| "0123456789#*".contains(b))
                    && after == Some('\u{20e3}')
            }
            '\u{200d}' => {
                let ends = before.is_some_and(|b| {
                    emoji(b)
                        || (0x1f3fb..=0x1f3ff).contains(&(b as u32))
                        || keep[i - 1]
                });
                ends && after.is_some_and(emoji)
            }
            _ => keep[i],
        };
    }
    keep
}

/// A slow, obviously right renderer to compare the fast one against.
fn reference_render(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        let chars: Vec<char> = chunk.valid().chars().collect();
        let keep = in_sequence(&chars);
        for (&c, keep) in chars.iter().zip(keep) {
            match c {
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\0' => out.push_str("\\0"),
                '\\' => out.push_str("\\\\"),
                c if (c as u32) < 0x20 || c == '\x7f' => {
                    out.push_str(&format!("\\x{:02x}", c as u32))
                }
                c if reference_hidden(c) && !keep => {
                    out.push_str(&format!("\\u{{{:x}}}", c as u32))
                }
                c => out.push(c),
            }
        }
        for b in chunk.invalid() {
            out.push_str(&format!("\\x{b:02x}"));
        }
    }
    out
}

/// Bytes that are mostly text, with the awkward cases mixed in.
fn wire_bytes() -> impl Strategy<Value = Vec<u8>> {
    let piece = prop_oneof![
        any::<u8>().prop_map(|b| vec![b]),
        any::<char>().prop_map(|c| c.to_string().into_bytes()),
        Just("你".as_bytes().to_vec()),
        Just(b"\x1b[2J".to_vec()),
        Just("\u{9b}\u{202e}".as_bytes().to_vec()),
        Just("\u{200b}\u{feff}\u{ad}\u{2060}".as_bytes().to_vec()),
        Just("\u{e0041}\u{fe0f}\u{3164}\u{fff9}".as_bytes().to_vec()),
        // Emoji sequences and their parts: a joiner, a variation selector,
        // a keycap, a flag's tags, all of which may meet anything.
        Just("👨\u{200d}👩\u{200d}👧".as_bytes().to_vec()),
        Just("\u{200d}".as_bytes().to_vec()),
        Just("❤\u{fe0f}".as_bytes().to_vec()),
        Just("\u{fe0f}".as_bytes().to_vec()),
        Just("1\u{fe0f}\u{20e3}".as_bytes().to_vec()),
        Just("🏴".as_bytes().to_vec()),
        Just("\u{e0067}\u{e0062}".as_bytes().to_vec()),
        Just("\u{e0065}\u{e006e}\u{e0067}\u{e007f}".as_bytes().to_vec()),
        Just("\u{e0073}\u{e0063}\u{e0074}\u{e007f}".as_bytes().to_vec()),
    ];
    prop::collection::vec(piece, 0..40).prop_map(|v| v.concat())
}

proptest! {
    #![proptest_config(config())]

    /// Parsing any string returns a value or an error, never a panic.
    #[test]
    fn parsing_never_panics(text in "\\PC{0,40}") {
        let _ = text.parse::<PartialAddress>();
    }

    /// Printing an endpoint and parsing it back gives the same endpoint.
    #[test]
    fn display_round_trips(host in host(), port in any::<u16>()) {
        let endpoint = Endpoint::new(host, port);
        let text = endpoint.to_string();
        let back = text.parse::<PartialAddress>().unwrap();
        prop_assert_eq!(back.or(Endpoint::new(Host::Name("x".into()), 1)), endpoint);
    }

    /// Decoding a stream in pieces cut anywhere gives the same text as
    /// decoding it whole.
    #[test]
    fn pieces_decode_like_the_whole(
        bytes in wire_bytes(),
        cuts in prop::collection::vec(any::<prop::sample::Index>(), 0..6),
    ) {
        let mut cuts: Vec<usize> = cuts.iter().map(|i| i.index(bytes.len() + 1)).collect();
        cuts.sort_unstable();
        let mut stream = Utf8Stream::default();
        let mut pieces = String::new();
        let mut start = 0;
        for cut in cuts {
            pieces.push_str(&stream.decode(&bytes[start..cut]));
            start = cut;
        }
        pieces.push_str(&stream.decode(&bytes[start..]));
        pieces.push_str(&stream.finish());
        prop_assert_eq!(pieces, render(&bytes));
    }

    /// Rendered text never holds a raw control character: nothing below
    /// 0x20 (not even newline or tab), no DEL, no ESC, no C1 control; and
    /// no hidden character but the joiners, emoji variation selectors and
    /// tags of an emoji sequence.
    #[test]
    fn rendered_text_is_terminal_safe(bytes in wire_bytes()) {
        let shown = render(&bytes);
        for c in shown.chars() {
            prop_assert!(!c.is_control(), "raw control {:?} in {:?}", c, shown);
            let in_emoji = matches!(c as u32, 0x200d | 0xfe0e | 0xfe0f | 0xe0020..=0xe007f);
            prop_assert!(!reference_hidden(c) || in_emoji, "raw {:?} in {:?}", c, shown);
        }
    }

    /// The fast renderer agrees with a slow, obviously right one.
    #[test]
    fn fast_render_matches_the_reference(bytes in wire_bytes()) {
        prop_assert_eq!(render(&bytes), reference_render(&bytes));
    }
}
