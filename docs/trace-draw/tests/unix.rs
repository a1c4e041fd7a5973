//! Runs over Unix domain sockets (tests/fixtures/unix-*.jsonl, written in
//! the format the programs write with a path for an address): unnamed
//! stream clients told apart by the accept queue's order, datagrams by
//! their paths, and connects to a path where nothing listens.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::path::PathBuf;
use trace_draw::{Arrow, ArrowKind, Diagram, Event, Step, Tip, parse};

fn here(path: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests")
        .join(path)
}

fn events(name: &str) -> Vec<Event> {
    let path = here(&format!("fixtures/{name}.jsonl"));
    parse(&std::fs::read_to_string(path).unwrap()).unwrap()
}

/// The text rendering, compared with tests/expected/NAME.txt (rewritten
/// with `TRACE_DRAW_BLESS=1`, as in draw.rs).
fn assert_text(name: &str, diagram: &Diagram) {
    let path = here(&format!("expected/{name}.txt"));
    let text = diagram.text();
    if std::env::var_os("TRACE_DRAW_BLESS").is_some() {
        std::fs::write(&path, &text).unwrap();
    }
    let expected = std::fs::read_to_string(&path).unwrap();
    assert_eq!(text, expected, "{name}: text differs from {path:?}");
}

fn of(diagram: &Diagram, kind: ArrowKind) -> Vec<&Arrow> {
    diagram.arrows().iter().filter(|a| a.kind == kind).collect()
}

/// The arrow's sending event and the events it reaches.
fn ends<'a>(
    diagram: &'a Diagram,
    arrow: &Arrow,
) -> (&'a Event, Vec<&'a Event>) {
    let events = diagram.events();
    let to = arrow.to.iter().filter_map(|t| t.event());
    (
        &events[arrow.from.event()],
        to.map(|t| &events[t]).collect(),
    )
}

/// Which client (pid) an event of the server's talks to: handler-1 serves
/// conn 1, the client whose connect came first (pid 9201).
fn client_of(server: &Event) -> u64 {
    match server.conn {
        Some(1) => 9201,
        Some(2) => 9202,
        other => panic!("no such connection: {other:?}"),
    }
}

/// Two unnamed clients of one threaded server, their conversations
/// interleaved, each with sends of the same size at the same offsets:
/// every arrow joins a client to the handler of its own connection, the
/// first connect to the first accept.
#[test]
fn unnamed_stream_clients_are_told_apart_by_the_accept_queue() {
    let diagram = Diagram::new(events("unix-stream"));
    let count = |kind| diagram.count(kind);
    assert_eq!(count(ArrowKind::Handshake), 2);
    assert_eq!(count(ArrowKind::Data), 6);
    assert_eq!(count(ArrowKind::Fin), 4);
    assert_eq!(count(ArrowKind::Rst) + count(ArrowKind::Refused), 0);
    for arrow in of(&diagram, ArrowKind::Handshake) {
        let (connect, accepts) = ends(&diagram, arrow);
        assert_eq!(connect.step, Step::Connect);
        assert_eq!(accepts.len(), 1);
        assert_eq!(accepts[0].step, Step::Accept);
        assert_eq!(client_of(accepts[0]), connect.pid, "{arrow:?}");
        assert_eq!(arrow.label, "accept queue (no handshake)");
    }
    for kind in [ArrowKind::Data, ArrowKind::Fin] {
        for arrow in of(&diagram, kind) {
            let (from, to) = ends(&diagram, arrow);
            assert_eq!(to.len(), 1, "{arrow:?}");
            let (client, server) = match from.prog.as_str() {
                "tcp-client" => (from, to[0]),
                _ => (to[0], from),
            };
            assert_eq!(client.prog, "tcp-client");
            assert_eq!(server.prog, "tcp-server");
            assert_eq!(client_of(server), client.pid, "{arrow:?}");
            assert_eq!(
                server.thread,
                format!("handler-{}", server.conn.unwrap())
            );
        }
    }
    assert_each_arrow_stays_in_its_connection("unix-stream", &diagram);
    let fins = of(&diagram, ArrowKind::Fin);
    assert!(fins.iter().all(|a| a.label == "end of stream"));
    // The legend names what the kernel did, not packets.
    let svg = diagram.svg("unix");
    for name in ["accept queue", "end of stream"] {
        assert!(svg.contains(&format!(">{name}</text>")), "{name}");
    }
    assert!(!svg.contains(">handshake</text>") && !svg.contains(">fin</text>"));
    // The labels show the path by its file name.
    let labels: Vec<&str> = (0..diagram.events().len())
        .map(|e| diagram.call_label(e))
        .collect();
    assert!(labels.contains(&"listen() on .../echo.sock"), "{labels:?}");
    assert!(labels.contains(&"connect(.../echo.sock)"), "{labels:?}");
    assert!(
        labels.contains(&"accept() = (unnamed) (conn 2)"),
        "{labels:?}"
    );
}

/// Each arrow of a stream run joins a client with the server connection
/// its handshake arrow gave it: `(server pid, conn)` to client pid.
fn assert_each_arrow_stays_in_its_connection(name: &str, diagram: &Diagram) {
    let mut client_of = std::collections::HashMap::new();
    for arrow in of(diagram, ArrowKind::Handshake) {
        let (connect, accepts) = ends(diagram, arrow);
        let accept = accepts[0];
        client_of.insert((accept.pid, accept.conn), connect.pid);
    }
    for arrow in diagram.arrows() {
        let (from, to) = ends(diagram, arrow);
        for to in to {
            let (client, server) = match from.prog.as_str() {
                "tcp-client" => (from, to),
                _ => (to, from),
            };
            let paired = client_of.get(&(server.pid, server.conn));
            assert_eq!(paired, Some(&client.pid), "{name}: {arrow:?}");
        }
    }
}

/// A real run (tcp-server ./x.sock, one client at a time, and two
/// tcp-clients, the second started while the first was being served, so
/// that it waited in the accept queue), both sending `hello` first: each
/// arrow stays in its connection, the second client's with conn 2.
#[test]
fn a_real_run_of_two_unnamed_clients_pairs_each_with_its_own() {
    let name = "unix-real-stream";
    let diagram = Diagram::new(events(name));
    assert_eq!(diagram.count(ArrowKind::Handshake), 2);
    assert_eq!(diagram.count(ArrowKind::Data), 10);
    assert_eq!(diagram.count(ArrowKind::Fin), 4);
    assert_eq!(diagram.arrows().len(), 16);
    assert_each_arrow_stays_in_its_connection(name, &diagram);
    let second = of(&diagram, ArrowKind::Handshake)[1];
    let (_, accept) = ends(&diagram, second);
    assert_eq!(accept[0].conn, Some(2));
}

/// The accept queue is first in, first out, whatever order the lines of
/// the file are in: with the second client's lines written first, it is
/// still the second accept's.
#[test]
fn the_queue_goes_by_the_time_a_connect_returned() {
    let all = events("unix-stream");
    let (mut second, rest): (Vec<_>, Vec<_>) =
        all.into_iter().partition(|e| e.pid == 9202);
    second.extend(rest);
    let diagram = Diagram::new(second);
    assert_eq!(diagram.count(ArrowKind::Handshake), 2);
    for arrow in diagram.arrows() {
        let (from, to) = ends(&diagram, arrow);
        for to in to {
            let (client, server) = match from.prog.as_str() {
                "tcp-client" => (from, to),
                _ => (to, from),
            };
            assert_eq!(client_of(server), client.pid, "{arrow:?}");
        }
    }
}

/// Two datagram clients, each bound to a path of its own, both sending
/// `hello` (one digest): each datagram reaches the server from its own
/// path, and each echo the client it was sent to. A datagram from an
/// unnamed sender draws no arrow, nor does the failed reply to it.
#[test]
fn datagrams_go_by_their_paths() {
    let diagram = Diagram::new(events("unix-datagram"));
    assert_eq!(diagram.count(ArrowKind::Datagram), 5);
    assert_eq!(diagram.arrows().len(), 5, "{:?}", diagram.arrows());
    for arrow in diagram.arrows() {
        let (from, to) = ends(&diagram, arrow);
        assert_eq!(to.len(), 1);
        let (client, server) = match from.prog.as_str() {
            "udp-client" => (from, to[0]),
            _ => (to[0], from),
        };
        assert_eq!(client.local, server.peer, "{arrow:?}");
        assert_eq!(client.peer, server.local, "{arrow:?}");
        assert_ne!(server.peer.as_deref(), Some("(unnamed)"));
    }
    let labels: Vec<&str> = (0..diagram.events().len())
        .map(|e| diagram.call_label(e))
        .collect();
    for label in [
        "bind(/tmp/udp-client-9301.sock)",
        "recv_from() = 5 bytes from /tmp/udp-client-9302.sock",
        "send_to(/tmp/udp-client-9301.sock, 5 bytes)",
        "bind(.../echo.sock)",
        "recv_from() = 3 bytes from (unnamed)",
    ] {
        assert!(labels.contains(&label), "{label} in {labels:?}");
    }
}

/// A stream client whose server is absent: no file at the path, or a
/// stale socket file that nobody listens on. Each connect ends in a
/// cross; there is no RST on a Unix socket, and no server lifeline.
#[test]
fn a_connect_to_a_path_nobody_listens_on_ends_in_a_cross() {
    let diagram = Diagram::new(events("unix-refused"));
    assert_eq!(diagram.lifelines().len(), 2);
    let refused = of(&diagram, ArrowKind::Refused);
    assert_eq!(refused.len(), 2);
    assert_eq!(diagram.arrows().len(), 2);
    for arrow in &refused {
        assert_eq!(arrow.to, [Tip::Cross { toward: None }]);
    }
    assert_eq!(refused[0].label, "no such file or directory (os error 2)");
    assert_eq!(refused[1].label, "refused");
    let svg = diagram.svg("absent");
    assert!(svg.contains("connect(.../stale.sock): connection refused"));
    assert!(!svg.contains("RST"));
}

/// Every Unix fixture draws with its arrows pointing down, says under
/// its lifelines (text) or its rows (SVG) what each shortened path
/// stands for, and draws as its expected text.
#[test]
fn unix_runs_draw_forward_and_name_their_paths() {
    let long = "/home/ada/socket-lessons";
    for (name, short) in [
        ("unix-stream", "echo.sock"),
        ("unix-datagram", "echo.sock"),
        ("unix-refused", "stale.sock"),
    ] {
        let diagram = Diagram::new(events(name));
        for arrow in diagram.arrows() {
            let from = diagram.row_of(arrow.from.event());
            for to in arrow.to.iter().filter_map(|t| t.event()) {
                assert!(diagram.row_of(to) > from, "{name}: {arrow:?}");
            }
        }
        let note = format!(".../{short} is {long}/{short}");
        assert_eq!(diagram.path_notes().join("\n"), note, "{name}");
        assert!(diagram.text().contains(&format!("\n{note}\n")), "{name}");
        let svg = diagram.svg(name);
        assert!(svg.contains(&format!(">{note}</text>")), "{name}");
        assert_eq!(svg.matches("class=\"path\"").count(), 1, "{name}");
        assert_text(name, &diagram);
    }
}
