//! Property tests: whatever a trace holds, reading and drawing it never
//! panics. Lines are made from the keys of the format with values near
//! the edges (0, 2^64 - 1, wrong types, odd addresses), then some are
//! broken (a key dropped, a value swapped for another JSON value, the line
//! cut short); events are also made by hand, past what `parse` lets
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
        Just(0u64),
        Just(1),
        Just(u64::MAX),
        Just(u64::MAX - 1),
        Just(1 << 63),
        0u64..20,
        any::<u64>(),
    ]
}

fn address() -> impl Strategy<Value = String> {
    prop_oneof![
        Just("127.0.0.1:1".to_string()),
        Just("127.0.0.1:2".to_string()),
        Just("[::ffff:127.0.0.1]:1".to_string()),
        Just("0.0.0.0:1".to_string()),
        Just("[::1]:2".to_string()),
        Just("127.0.0.1:0".to_string()),
        "\\PC{0,6}",
    ]
}

/// A JSON value for a field: null, a number, a string, or the wrong type.
fn value(
    numbers: impl Strategy<Value = String>,
) -> impl Strategy<Value = String> {
    prop_oneof![
        4 => numbers,
        1 => Just("null".to_string()),
        1 => Just("-1".to_string()),
        1 => Just("1.5".to_string()),
        1 => Just("18446744073709551616".to_string()),
        1 => Just("\"7\"".to_string()),
        1 => Just("[]".to_string()),
        1 => Just("{}".to_string()),
    ]
}

fn json(text: &str) -> String {
    serde_json::Value::String(text.to_string()).to_string()
}

fn numeric() -> impl Strategy<Value = String> {
    number().prop_map(|n| n.to_string())
}

fn stringy(s: impl Strategy<Value = String>) -> impl Strategy<Value = String> {
    s.prop_map(|s| json(&s))
}

/// One line of a trace, well formed or nearly.
fn line() -> impl Strategy<Value = String> {
    let step = prop::sample::select(
        Step::ALL.iter().map(|s| s.name()).collect::<Vec<_>>(),
    );
    let prog = prop::sample::select(vec![
        "tcp-client",
        "tcp-server",
        "udp-client",
        "udp-server",
        "x",
    ]);
    let thread =
        prop::sample::select(vec!["main", "receive", "handler-1", "handler-2"]);
    let fields = (
        (
            value(numeric()),
            value(numeric()),
            stringy(prog.prop_map(String::from)),
        ),
        (
            0u64..4,
            stringy(thread.prop_map(String::from)),
            stringy(step.prop_map(String::from)),
        ),
        (value(stringy(address())), value(stringy(address()))),
        (value(numeric()), value(numeric()), value(numeric())),
        (
            value(stringy(
                prop::sample::select(vec!["a", "b"]).prop_map(String::from),
            )),
            value(stringy(prop_oneof![
                Just("connection reset by peer".to_string()),
                Just("connection refused".to_string()),
                "\\PC{0,8}",
            ])),
        ),
    );
    let whole = fields.prop_map(
        |(
            (ts, start, prog),
            (pid, thread, step),
            (local, peer),
            (conn, bytes, offset),
            (digest, error),
        )| {
            format!(
                "{{\"v\":1,\"ts\":{ts},\"start\":{start},\"prog\":{prog},\
                 \"pid\":{pid},\"thread\":{thread},\"step\":{step},\
                 \"local\":{local},\"peer\":{peer},\"conn\":{conn},\
                 \"bytes\":{bytes},\"offset\":{offset},\"digest\":{digest},\
                 \"error\":{error}}}"
            )
        },
    );
    // Sometimes broken: cut short, or a key renamed.
    (whole, 0usize..12, any::<prop::sample::Index>()).prop_map(
        |(line, how, at)| match how {
            0 => {
                let cut = at.index(line.len() + 1);
                let cut = (0..=cut).rev().find(|&c| line.is_char_boundary(c));
                line[..cut.unwrap_or(0)].to_string()
            }
            1 => line.replacen("\"step\"", "\"stop\"", 1),
            2 => line.replacen("\"v\":1", "\"v\":2", 1),
            _ => line,
        },
    )
}

/// A trace of a few such lines, or of anything at all.
fn trace() -> impl Strategy<Value = String> {
    prop_oneof![
        8 => prop::collection::vec(line(), 1..30).prop_map(|l| l.join("\n")),
        1 => "\\PC{0,200}",
        1 => prop::collection::vec("[{}\\[\\]\":,0-9a-z ]{0,40}", 1..5)
            .prop_map(|l| l.join("\n")),
    ]
}

/// Draws `events` both ways: neither may panic, the SVG is whole, and
/// the text holds no control character but line ends.
fn draw(events: Vec<Event>) {
    let diagram = Diagram::new(events);
    let svg = diagram.svg("t");
    assert!(svg.starts_with("<svg ") && svg.ends_with("</svg>\n"));
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
