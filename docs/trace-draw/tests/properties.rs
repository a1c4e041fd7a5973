//! Property tests: whatever a trace holds, reading and drawing it never
//! panics. Lines are made from the keys of the format with values near
//! the edges (0, 2^64 - 1, wrong types, odd addresses, Unix sockets'
//! paths and unnamed ends), then some are broken (a key dropped, a value
//! swapped for another JSON value, the line cut short); events are also made by hand, past what `parse` lets
//! through. 2,000 cases each; `PROPTEST_CASES` overrides.
#![allow(clippy::unwrap_used)]

use proptest::prelude::*;
use trace_draw::{Diagram, Event, Step, parse};

fn config() -> ProptestConfig {
    let cases = std::env::var("PROPTEST_CASES")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(2_000);
    ProptestConfig {
        cases,
        failure_persistence: None,
        ..ProptestConfig::default()
    }
}

/// Numbers a field may hold, the edges most often.
fn number() -> impl Strategy<Value = u64> {
    prop_oneof![
        8 => 0u64..20,
        1 => Just(u64::MAX),
        1 => Just(u64::MAX - 1),
        1 => Just(1 << 63),
        1 => any::<u64>(),
    ]
}

fn address() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => Just("127.0.0.1:1".to_string()),
        6 => Just("127.0.0.1:2".to_string()),
        1 => Just("[::ffff:127.0.0.1]:1".to_string()),
        1 => Just("0.0.0.0:1".to_string()),
        1 => Just("[::1]:2".to_string()),
        1 => Just("127.0.0.1:0".to_string()),
        // Unix sockets: paths, odd ones among them, and unnamed ends.
        3 => Just("/tmp/x/echo.sock".to_string()),
        3 => Just("(unnamed)".to_string()),
        1 => Just("/tmp/udp-client-1.sock".to_string()),
        1 => Just("/tmp/y/echo.sock".to_string()),
        1 => Just("/".to_string()),
        1 => Just("//a/".to_string()),
        1 => Just("\u{fffe}<\u{ffff}&\u{1}".to_string()),
        1 => "\\PC{0,6}",
    ]
}

/// A JSON string.
fn json(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

fn numeric() -> impl Strategy<Value = String> {
    number().prop_map(|n| n.to_string())
}

/// A value that may be null, as the format allows for most keys.
fn or_null(
    value: impl Strategy<Value = String>,
) -> impl Strategy<Value = String> {
    prop_oneof![3 => value, 1 => Just("null".to_string())]
}

fn one_of(choices: &[&'static str]) -> impl Strategy<Value = String> + use<> {
    prop::sample::select(choices.to_vec()).prop_map(json)
}

/// One event of the format, with values near the edges.
fn event_line() -> impl Strategy<Value = String> {
    let steps: Vec<&'static str> = Step::ALL.iter().map(|s| s.name()).collect();
    let fields = (
        (numeric(), or_null(numeric())),
        one_of(&["tcp-client", "tcp-server", "udp-client", "udp-server", "x"]),
        (
            0u64..4,
            one_of(&["main", "receive", "handler-1", "handler-2"]),
        ),
        one_of(&steps),
        (
            or_null(address().prop_map(|a| json(&a))),
            or_null(address().prop_map(|a| json(&a))),
        ),
        (
            or_null((0u64..3).prop_map(|c| c.to_string())),
            or_null(numeric()),
            or_null(numeric()),
        ),
        prop_oneof![
            3 => Just("null".to_string()),
            1 => one_of(&["a", "b"]),
        ],
        prop_oneof![
            6 => Just("null".to_string()),
            1 => Just(json("connection reset by peer")),
            1 => Just(json("connection refused")),
            1 => Just(json("\u{0}\u{1f}\u{fffe}\u{ffff}")),
            1 => "\\PC{0,8}".prop_map(|e| json(&e)),
        ],
    );
    fields.prop_map(
        |(
            (ts, start),
            prog,
            (pid, thread),
            step,
            (local, peer),
            (conn, bytes, offset),
            digest,
            error,
        )| {
            format!(
                "{{\"v\":1,\"ts\":{ts},\"start\":{start},\"prog\":{prog},\
                 \"pid\":{pid},\"thread\":{thread},\"step\":{step},\
                 \"local\":{local},\"peer\":{peer},\"conn\":{conn},\
                 \"bytes\":{bytes},\"offset\":{offset},\"digest\":{digest},\
                 \"error\":{error}}}"
            )
        },
    )
}

const KEYS: [&str; 14] = [
    "v", "ts", "start", "prog", "pid", "thread", "step", "local", "peer",
    "conn", "bytes", "offset", "digest", "error",
];

/// An event line, broken now and then: cut short, a key renamed, or a
/// key's value swapped for a JSON value of the wrong kind (the old value
/// moves to a key the format does not know, which is ignored).
fn line() -> impl Strategy<Value = String> {
    let wrong = prop::sample::select(vec![
        "null",
        "-1",
        "1.5",
        "18446744073709551616",
        "\"7\"",
        "[]",
        "{}",
        "true",
        "\"\"",
    ]);
    (
        event_line(),
        0usize..40,
        any::<prop::sample::Index>(),
        wrong,
    )
        .prop_map(|(line, how, at, wrong)| match how {
            0 => {
                let cut = at.index(line.len() + 1);
                let cut = (0..=cut).rev().find(|&c| line.is_char_boundary(c));
                line[..cut.unwrap_or(0)].to_string()
            }
            1 => line.replacen("\"step\"", "\"stop\"", 1),
            2 => line.replacen("\"v\":1", "\"v\":2", 1),
            3 | 4 => {
                let key = KEYS[at.index(KEYS.len())];
                let from = format!("\"{key}\":");
                line.replacen(&from, &format!("{from}{wrong},\"_\":"), 1)
            }
            _ => line,
        })
}

/// A trace: events, events with a broken line now and then, or anything.
fn trace() -> impl Strategy<Value = String> {
    prop_oneof![
        6 => prop::collection::vec(event_line(), 1..30)
            .prop_map(|l| l.join("\n")),
        3 => prop::collection::vec(line(), 1..30).prop_map(|l| l.join("\n")),
        1 => "\\PC{0,200}",
        1 => prop::collection::vec("[{}\\[\\]\":,0-9a-z ]{0,40}", 1..5)
            .prop_map(|l| l.join("\n")),
    ]
}

/// Draws `events` both ways: neither may panic, the SVG is whole and
/// holds only characters XML allows, and the text holds no control
/// character but line ends.
fn draw(events: Vec<Event>) {
    let diagram = Diagram::new(events);
    let svg = diagram.svg("t");
    assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>\n"));
    let xml = |c: char| matches!(c, '\t' | '\n' | '\r' | ' '..='\u{fffd}' | '\u{10000}'..);
    assert!(svg.chars().all(xml), "a character XML forbids");
    let text = diagram.text();
    assert!(!text.chars().any(|c| c.is_control() && c != '\n'));
}

proptest! {
    #![proptest_config(config())]

    /// Reading any trace gives events or an error that names a line in
    /// it; what reads draws.
    #[test]
    fn any_trace_reads_and_draws_without_panic(text in trace()) {
        match parse(&text) {
            Ok(events) => draw(events),
            Err(e) => {
                prop_assert!(e.line >= 1 && e.line <= text.lines().count());
                prop_assert!(!e.message.is_empty());
            }
        }
    }

    /// Events made by hand, with ranges past 2^64 that `parse` refuses,
    /// draw too.
    #[test]
    fn events_past_what_parse_allows_draw(
        fields in prop::collection::vec(
            (0usize..14, 0u64..3, number(), number(), number(), 0u64..3, any::<bool>()),
            1..30,
        )
    ) {
        let events = fields
            .into_iter()
            .map(|(step, pid, ts, bytes, offset, conn, server)| Event {
                ts,
                start: Some(ts / 2),
                prog: match server {
                    true => "tcp-server".into(),
                    false => "tcp-client".into(),
                },
                pid,
                thread: "main".into(),
                step: Step::ALL[step],
                local: Some(format!("127.0.0.1:{}", 1 + u64::from(server))),
                peer: Some(format!("127.0.0.1:{}", 2 - u64::from(server))),
                conn: Some(conn),
                bytes: Some(bytes),
                offset: Some(offset),
                digest: None,
                error: None,
            })
            .collect();
        draw(events);
    }
}
