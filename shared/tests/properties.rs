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

/// A slow, obviously right renderer to compare the fast one against.
fn reference_render(bytes: &[u8]) -> String {
    let mut out = String::new();
    for chunk in bytes.utf8_chunks() {
        for c in chunk.valid().chars() {
            match c {
                '\n' => out.push_str("\\n"),
                '\r' => out.push_str("\\r"),
                '\t' => out.push_str("\\t"),
                '\0' => out.push_str("\\0"),
                '\\' => out.push_str("\\\\"),
                c if (c as u32) < 0x20 || c == '\x7f' => {
                    out.push_str(&format!("\\x{:02x}", c as u32))
                }
                c if matches!(c as u32, 0x80..=0x9f | 0xad | 0x61c | 0x180e
                    | 0x200b..=0x200f | 0x2028 | 0x2029 | 0x202a..=0x202e
                    | 0x2060..=0x2064 | 0x2066..=0x206f | 0xfeff) =>
                {
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
    /// 0x20 (not even newline or tab), no DEL, no ESC, no C1 control.
    #[test]
    fn rendered_text_is_terminal_safe(bytes in wire_bytes()) {
        let shown = render(&bytes);
        for c in shown.chars() {
            prop_assert!(!c.is_control(), "raw control {:?} in {:?}", c, shown);
        }
    }

    /// The fast renderer agrees with a slow, obviously right one.
    #[test]
    fn fast_render_matches_the_reference(bytes in wire_bytes()) {
        prop_assert_eq!(render(&bytes), reference_render(&bytes));
    }
}
