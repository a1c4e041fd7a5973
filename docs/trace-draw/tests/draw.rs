//! Hand-written traces (tests/fixtures/, in the format of version 1) drawn:
//! the SVG has exactly the lifelines, arrows and labels the run implies,
//! and the text rendering is exactly tests/expected/NAME.txt.
//!
//! The expected files were written from the output once, after checking
//! them by eye; `TRACE_DRAW_BLESS=1 cargo test -p trace-draw` rewrites them
//! after a deliberate change (then read the diff).
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use trace_draw::{ArrowKind, Diagram, Event, parse};

fn here(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(path)
}

fn events(name: &str) -> Vec<Event> {
    let path = here(&format!("fixtures/{name}.jsonl"));
    parse(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The text rendering of a fixture, compared with its expected file.
fn assert_text(name: &str, diagram: &Diagram) {
    let path = here(&format!("expected/{name}.txt"));
    let text = diagram.text();
    if std::env::var_os("TRACE_DRAW_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text, expected, "{name}: text differs from {path:?}");
}

/// An arrow group of the SVG: its kind and its lines.
#[derive(Debug)]
struct SvgArrow {
    kind: String,
    lines: Vec<[f64; 4]>,
    heads: usize,
    body: String,
}

fn attribute(element: &str, name: &str) -> f64 {
    let start = element.find(&format!(" {name}=\"")).unwrap() + name.len() + 3;
    let end = start + element[start..].find('"').unwrap();
    element[start..end].parse().unwrap()
}

fn svg_arrows(svg: &str) -> Vec<SvgArrow> {
    let mut found = Vec::new();
    for part in svg.split("<g class=\"arrow ").skip(1) {
        let kind = part[..part.find('"').unwrap()].to_string();
        let body = part[..part.find("</g>").unwrap()].to_string();
        let lines = body
            .split("<line ")
            .skip(1)
            .map(|l| format!(" {l}"))
            .map(|l| ["x1", "y1", "x2", "y2"].map(|a| attribute(&l, a)))
            .collect();
        let heads = body.matches("marker-end=").count();
        found.push(SvgArrow {
            kind,
            lines,
            heads,
            body,
        });
    }
    found
}

fn count(svg: &str, class: &str) -> usize {
    svg.matches(&format!("class=\"{class}\"")).count()
}

/// The counts of arrows by kind, in the SVG and in the model alike.
fn assert_arrows(
    diagram: &Diagram,
    svg: &str,
    expected: &[(ArrowKind, usize)],
) {
    for kind in ArrowKind::ALL {
        let n = expected
            .iter()
            .find(|(k, _)| *k == kind)
            .map_or(0, |(_, n)| *n);
        assert_eq!(diagram.count(kind), n, "{kind:?} arrows");
        let class = format!("arrow {}", kind.class());
        assert_eq!(count(svg, &class), n, "class=\"{class}\" in the SVG");
    }
}

fn has_label(svg: &str, label: &str) -> bool {
    svg.contains(&format!(">{label}</text>"))
}

fn names(diagram: &Diagram) -> Vec<String> {
    diagram.lifelines().iter().map(|l| l.name()).collect()
}

/// A TCP echo whose server reads with --buffer 3: the client's one 5-byte
/// send is cut into recvs of 3 and 2, one arrow forking into two. The
/// client's receiving thread has a lifeline of its own, next to its main
/// thread, so its waits are not drawn on the sends.
#[test]
fn a_send_cut_into_two_recvs_is_one_arrow_forking() {
    let diagram = Diagram::new(events("echo-buffer-3"));
    let svg = diagram.svg("--buffer 3");
    assert_eq!(count(&svg, "lifeline"), 3);
    assert_eq!(
        names(&diagram),
        ["tcp-client", "tcp-client receive", "tcp-server"]
    );
    for e in 0..diagram.events().len() {
        let thread = &diagram.events()[e].thread;
        let lifeline = &diagram.lifelines()[diagram.lifeline_of(e)];
        let expected = Some(thread).filter(|t| *t != "main");
        assert_eq!(lifeline.thread.as_ref(), expected, "event {e}");
    }
    assert!(svg.contains(">main, pid 4200</text>"));
    assert!(svg.contains(">receive, pid 4200</text>"));
    assert_arrows(
        &diagram,
        &svg,
        &[
            (ArrowKind::Handshake, 1),
            (ArrowKind::Data, 3),
            (ArrowKind::Fin, 2),
        ],
    );
    let fork: Vec<_> = svg_arrows(&svg)
        .into_iter()
        .filter(|a| a.body.contains(">5 bytes</text>"))
        .collect();
    assert_eq!(fork.len(), 1, "one arrow carries the 5 bytes");
    assert_eq!(fork[0].heads, 2, "and it has two heads");
    let starts: Vec<_> = fork[0].lines.iter().map(|l| (l[0], l[1])).collect();
    assert_eq!(starts[0], starts[1], "from one start");
    for label in ["SYN, SYN-ACK, ACK", "3 bytes", "2 bytes", "FIN"] {
        assert!(has_label(&svg, label), "{label}");
    }
    assert_eq!(count(&svg, "call"), 22, "one label per event");
    assert_eq!(count(&svg, "wait"), 8, "accept, connect and six recvs");
    assert!(has_label(&svg, "recv() = 3 bytes"));
    assert!(has_label(&svg, "recv() = 0: end of stream"));
    assert!(!svg.contains("receive: "), "the lifeline says which thread");
    assert_text("echo-buffer-3", &diagram);
}

/// --no-wait: two sends of 5 bytes read by one recv of 10: two arrows
/// meeting at one point.
#[test]
fn two_sends_coalesced_are_two_arrows_meeting() {
    let diagram = Diagram::new(events("no-wait"));
    let svg = diagram.svg("--no-wait");
    assert_eq!(count(&svg, "lifeline"), 3);
    assert_arrows(
        &diagram,
        &svg,
        &[
            (ArrowKind::Handshake, 1),
            (ArrowKind::Data, 3),
            (ArrowKind::Fin, 2),
        ],
    );
    let fives: Vec<_> = svg_arrows(&svg)
        .into_iter()
        .filter(|a| a.body.contains(">5 bytes</text>"))
        .collect();
    assert_eq!(fives.len(), 2);
    let end = |a: &SvgArrow| (a.lines[0][2], a.lines[0][3]);
    assert_eq!(end(&fives[0]), end(&fives[1]), "both end at the one recv");
    assert_ne!(fives[0].lines[0][1], fives[1].lines[0][1], "from two sends");
    assert!(has_label(&svg, "10 bytes"));
    assert!(has_label(&svg, "recv() = 10 bytes"));
    assert_text("no-wait", &diagram);
}

/// UDP with --drop: one datagram thrown away by the server, one echo never
/// read; both end in a cross, the others are plain datagrams.
#[test]
fn dropped_and_lost_datagrams_end_in_a_cross() {
    let diagram = Diagram::new(events("udp-drop"));
    let svg = diagram.svg("--drop");
    assert_eq!(count(&svg, "lifeline"), 3);
    assert_eq!(
        names(&diagram),
        ["udp-client", "udp-client receive", "udp-server"]
    );
    assert_arrows(
        &diagram,
        &svg,
        &[(ArrowKind::Datagram, 4), (ArrowKind::Lost, 2)],
    );
    let lost: Vec<_> = svg_arrows(&svg)
        .into_iter()
        .filter(|a| a.kind == "lost")
        .collect();
    assert!(lost[0].body.contains(">dropped (--drop)</text>"));
    assert!(lost[1].body.contains(">lost</text>"));
    for arrow in &lost {
        assert_eq!(arrow.heads, 0, "a cross, not a head");
        assert!(arrow.body.contains("<path d=\"M"), "the cross");
    }
    assert!(has_label(&svg, "drop(5 bytes): --drop"));
    assert_text("udp-drop", &diagram);
}

/// tcp-server --threaded with two overlapping clients: both clients on the
/// left, each with its receiving thread beside it, then the server's main
/// thread and one lifeline per handler.
#[test]
fn a_threaded_server_has_a_lifeline_per_handler() {
    let diagram = Diagram::new(events("threaded"));
    let svg = diagram.svg("--threaded");
    assert_eq!(count(&svg, "lifeline"), 7);
    assert_eq!(
        names(&diagram),
        [
            "tcp-client",
            "tcp-client receive",
            "tcp-client",
            "tcp-client receive",
            "tcp-server",
            "tcp-server handler-1",
            "tcp-server handler-2"
        ]
    );
    let pids: Vec<u64> = diagram.lifelines().iter().map(|l| l.pid).collect();
    assert_eq!(pids, [6201, 6201, 6202, 6202, 6100, 6100, 6100]);
    assert_arrows(
        &diagram,
        &svg,
        &[
            (ArrowKind::Handshake, 2),
            (ArrowKind::Data, 4),
            (ArrowKind::Fin, 4),
        ],
    );
    for label in [
        "main, pid 6100",
        "handler-1, pid 6100",
        "4 bytes",
        "6 bytes",
    ] {
        assert!(has_label(&svg, label) || svg.contains(label), "{label}");
    }
    assert_text("threaded", &diagram);
}

/// A refused connect: no server lifeline, a short arrow ending in a cross
/// for each address tried.
#[test]
fn a_refused_connect_ends_in_a_cross() {
    let diagram = Diagram::new(events("refused"));
    let svg = diagram.svg("refused");
    assert_eq!(count(&svg, "lifeline"), 1);
    assert_arrows(&diagram, &svg, &[(ArrowKind::Refused, 2)]);
    assert_eq!(svg.matches(">refused (RST)</text>").count(), 2);
    assert!(has_label(&svg, "connect([::1]:10888): connection refused"));
    assert_text("refused", &diagram);
}

/// A reset: the server closes with the client's bytes unread, and the
/// client's recv fails; the arrow goes from that close.
#[test]
fn a_reset_comes_from_the_peers_last_call() {
    let diagram = Diagram::new(events("reset"));
    let svg = diagram.svg("reset");
    assert_eq!(count(&svg, "lifeline"), 3);
    assert_arrows(
        &diagram,
        &svg,
        &[(ArrowKind::Handshake, 1), (ArrowKind::Rst, 1)],
    );
    assert!(has_label(&svg, "RST"));
    assert!(has_label(&svg, "recv(): connection reset by peer"));
    let rst = &diagram.arrows()[1];
    let close = rst.from.event();
    assert_eq!(diagram.call_label(close), "close()");
    assert_text("reset", &diagram);
}

/// Every arrow of an SVG goes down (or straight across), never up.
fn assert_forward(svg: &str) {
    let arrows = svg_arrows(svg);
    assert!(!arrows.is_empty());
    for arrow in arrows {
        for [_, y1, _, y2] in &arrow.lines {
            assert!(y2 >= y1, "{} arrow goes up: {}", arrow.kind, arrow.body);
        }
    }
}

/// `events` with the clock of `prog` moved by `shift` microseconds.
fn shifted(mut events: Vec<Event>, prog: &str, shift: i64) -> Vec<Event> {
    for e in events.iter_mut().filter(|e| e.prog == prog) {
        e.ts = e.ts.saturating_add_signed(shift);
        e.start = e.start.map(|s| s.saturating_add_signed(shift));
    }
    events
}

/// Causality wins over clocks: with the client's clock 5 s ahead (or
/// behind), every arrow still goes down, and the drawing is the same.
#[test]
fn clock_skew_changes_nothing() {
    for name in ["echo-buffer-3", "udp-drop", "reset"] {
        let plain = Diagram::new(events(name));
        for prog in ["tcp-client", "udp-client"] {
            for shift in [5_000_000, -5_000_000] {
                let moved = Diagram::new(shifted(events(name), prog, shift));
                assert_eq!(moved.text(), plain.text(), "{name} {shift}");
                assert_eq!(moved.svg("t"), plain.svg("t"), "{name} {shift}");
                assert_forward(&moved.svg("t"));
            }
        }
    }
}

/// Traces recorded apart and given one after the other (server first, or
/// client first), with a skewed clock: still every arrow goes down.
#[test]
fn separate_files_with_skewed_clocks_draw_forward() {
    for name in ["echo-buffer-3", "no-wait", "threaded", "udp-drop", "reset"] {
        let moved = shifted(events(name), "tcp-client", 5_000_000);
        let moved = shifted(moved, "udp-client", -5_000_000);
        for clients_first in [false, true] {
            let (mut clients, servers): (Vec<_>, Vec<_>) = moved
                .iter()
                .cloned()
                .partition(|e| e.prog.ends_with("-client"));
            if clients_first {
                clients.extend(servers);
            } else {
                let mut all = servers;
                all.extend(clients);
                clients = all;
            }
            let diagram = Diagram::new(clients);
            assert_forward(&diagram.svg(name));
            for arrow in diagram.arrows() {
                let from = diagram.row_of(arrow.from.event());
                for to in arrow.to.iter().filter_map(|t| t.event()) {
                    if matches!(arrow.from, trace_draw::Tail::Event(_)) {
                        assert!(diagram.row_of(to) > from, "{name}: {arrow:?}");
                    }
                }
            }
        }
    }
}

/// The same input gives the same bytes, and the SVG stands alone.
#[test]
fn output_is_deterministic_and_self_contained() {
    for name in ["echo-buffer-3", "threaded", "udp-drop"] {
        let svg = Diagram::new(events(name)).svg(name);
        assert_eq!(svg, Diagram::new(events(name)).svg(name));
        assert!(svg.starts_with("<svg xmlns=\"http://www.w3.org/2000/svg\""));
        for outside in ["<script", "href", "@import", "url(http", "<image"] {
            assert!(!svg.contains(outside), "{name}: {outside}");
        }
    }
}

/// Text from a trace cannot inject markup into the SVG or escape codes
/// into the terminal.
#[test]
fn trace_text_is_escaped() {
    let line = r#"{"v":1,"ts":1,"start":null,"prog":"tcp-client","pid":1,"thread":"main","step":"connect","local":null,"peer":"<b>&\u001b[2J","conn":1,"bytes":null,"offset":null,"digest":null,"error":"x</text><script>"}"#;
    let diagram = Diagram::new(parse(line).unwrap());
    let svg = diagram.svg("a <title> \u{1b}[31m");
    assert!(!svg.contains("<script>") && !svg.contains("<b>"));
    assert!(svg.contains("&lt;b&gt;&amp;\\x1b[2J"));
    assert!(!svg.contains('\u{1b}') && !diagram.text().contains('\u{1b}'));
}

/// A diagram cut after its first lifelines is the uncut one's first rows,
/// call for call, up to where one more lifeline would begin; its arrows
/// point at what it kept, and the cut counts what it left out.
#[test]
fn a_cut_diagram_is_the_first_rows_of_the_whole() {
    for name in ["echo-buffer-3", "threaded", "udp-drop", "refused"] {
        let whole = Diagram::new(events(name));
        let n = whole.lifelines().len();
        assert!(whole.cut().is_none());
        for max in 1..=n {
            let cut = Diagram::new(events(name)).first_lifelines(max);
            let rows = cut.rows().len();
            assert!(cut.lifelines().len() <= max, "{name} {max}");
            for r in 0..rows {
                let (a, b) = (cut.rows()[r], whole.rows()[r]);
                assert_eq!(cut.call_label(a), whole.call_label(b), "{name}");
                assert_eq!(cut.row_of(a), r);
            }
            for arrow in cut.arrows() {
                assert!(arrow.from.event() < rows, "{name} {max}");
                for tip in &arrow.to {
                    assert!(tip.event().is_none_or(|t| t < rows));
                }
            }
            match (max == n, cut.cut()) {
                (true, None) => assert_eq!(rows, whole.rows().len()),
                (false, Some(left)) => {
                    assert_eq!(left.max, max);
                    assert_eq!(rows + left.events, whole.rows().len());
                    assert_eq!(
                        cut.lifelines().len() + left.lifelines,
                        n,
                        "{name} {max}"
                    );
                    assert_eq!(
                        cut.arrows().len() + left.arrows,
                        whole.arrows().len()
                    );
                    // The next row of the whole is on a lifeline not drawn.
                    let next = whole.rows()[rows];
                    let lifeline = &whole.lifelines()[whole.lifeline_of(next)];
                    assert!(!cut.lifelines().contains(lifeline));
                    assert!(
                        cut.text().ends_with(&format!("{}\n", left.note()))
                    );
                    assert!(cut.svg(name).contains(&left.note()));
                }
                other => panic!("{name} {max}: {other:?}"),
            }
        }
    }
}

/// A client's threads write their lines in any order: here the held
/// client's receive thread wrote its `recv() = 0` before its main thread
/// wrote the shutdown that caused it, both after the other client ended.
/// The shutdown is still drawn after the other client's close (a real run
/// under load, which once drew it before the other client even started).
#[test]
fn a_late_line_of_a_held_client_stays_after_the_other_clients_end() {
    let text = Diagram::new(events("threaded-late-line")).text();
    let row = |needle: &str| {
        text.lines()
            .position(|line| line.ends_with(needle))
            .unwrap_or_else(|| panic!("no row {needle:?} in\n{text}"))
    };
    assert!(row("A  shutdown(write)") > row("C  close()"), "{text}");
    assert!(row("C  resolve()") > row("B  recv() = 6 bytes"), "{text}");
}

/// A threaded server's main thread and its handlers share one clock: the
/// listener closed last is drawn after both conversations' closes, not
/// beside the second accept.
#[test]
fn a_threaded_servers_last_close_is_drawn_after_its_handlers() {
    let text = Diagram::new(events("threaded-late-line")).text();
    let row = |needle: &str| {
        text.lines()
            .position(|line| line.ends_with(needle))
            .unwrap_or_else(|| panic!("no row {needle:?} in\n{text}"))
    };
    assert!(row("E  close() listener") > row("F  close()"), "{text}");
    assert!(row("E  close() listener") > row("G  close()"), "{text}");
}
