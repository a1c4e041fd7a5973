//! The arrows between programs: which event's packet reached which event,
//! by the matching rules of the trace format.
//!
//! Every rule compares addresses, so they are compared in one form first:
//! an IPv4 address mapped into IPv6 (`[::ffff:127.0.0.1]:80`, what a
//! server on `::` sees) is the IPv4 address it carries. Connected sockets
//! whose events lack `local` or `peer` (a `close`, say) take them from the
//! other events of the same connection in the same process.

use crate::event::{Event, Step};
use std::collections::{BTreeMap, HashMap};
use std::net::SocketAddr;

/// What an arrow carries; each kind is drawn in its own way, and is the
/// arrow's class in the SVG (`class="arrow data"`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ArrowKind {
    /// connect ↔ accept: SYN, SYN-ACK, ACK.
    Handshake,
    /// TCP bytes, from a send to the recvs that got them.
    Data,
    /// shutdown or close to the peer's recv of 0 bytes.
    Fin,
    /// The peer's last event on a connection to the call that saw the reset.
    Rst,
    /// A UDP datagram from its send to its receive.
    Datagram,
    /// A datagram that never arrived, or that `--drop` threw away: it ends
    /// in a cross (the label says which).
    Lost,
    /// A failed connect: nothing listens, the SYN is answered with RST.
    Refused,
}

impl ArrowKind {
    /// Every kind, in the order of the legend.
    pub const ALL: [ArrowKind; 7] = [
        ArrowKind::Handshake,
        ArrowKind::Data,
        ArrowKind::Fin,
        ArrowKind::Rst,
        ArrowKind::Datagram,
        ArrowKind::Lost,
        ArrowKind::Refused,
    ];

    /// The kind's name: the SVG class after `arrow`.
    pub fn class(self) -> &'static str {
        match self {
            ArrowKind::Handshake => "handshake",
            ArrowKind::Data => "data",
            ArrowKind::Fin => "fin",
            ArrowKind::Rst => "rst",
            ArrowKind::Datagram => "datagram",
            ArrowKind::Lost => "lost",
            ArrowKind::Refused => "refused",
        }
    }
}

/// Where an arrow begins: at an event, or where a call that waited began
/// (a connect's SYN leaves when connect() is called, not when it returns).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tail {
    Event(usize),
    Start(usize),
}

impl Tail {
    /// The event the arrow belongs to on its sending side.
    pub fn event(self) -> usize {
        match self {
            Tail::Event(e) | Tail::Start(e) => e,
        }
    }
}

/// Where an arrow ends.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Tip {
    /// At an event on another lifeline, with an arrow head.
    Event(usize),
    /// At an event, with a cross instead of a head: the datagram arrived
    /// and was thrown away there (`drop`).
    Crossed(usize),
    /// In the air, with a cross: half a row below the tail, part of the
    /// way toward this lifeline (or to the right when it is unknown).
    Cross { toward: Option<usize> },
}

impl Tip {
    /// The event the arrow reaches, if it reaches one.
    pub fn event(self) -> Option<usize> {
        match self {
            Tip::Event(e) | Tip::Crossed(e) => Some(e),
            Tip::Cross { .. } => None,
        }
    }
}

/// One arrow: a packet (or a few, for the handshake) from one lifeline to
/// another. A send cut into several recvs is one arrow with several tips.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Arrow {
    pub kind: ArrowKind,
    pub from: Tail,
    pub to: Vec<Tip>,
    pub label: String,
}

/// The arrows, and the causal orderings that are not arrows (a connect
/// returns only after the server listens: `(listen, connect)`).
#[derive(Debug, Default)]
pub(crate) struct Matches {
    pub arrows: Vec<Arrow>,
    pub before: Vec<(usize, usize)>,
}

/// Finds every arrow. `lifeline` gives each event's lifeline (for the
/// direction of a lost datagram's cross).
pub(crate) fn find(events: &[Event], lifeline: &[usize]) -> Matches {
    let addresses = Addresses::of(events);
    let mut found = Matches::default();
    handshakes(events, &addresses, &mut found);
    data(events, &addresses, &mut found);
    fins(events, &addresses, &mut found);
    resets(events, &addresses, &mut found);
    datagrams(events, &addresses, lifeline, &mut found);
    refused(events, &mut found);
    found
}

/// `5 bytes`, `1 byte`.
pub(crate) fn bytes(n: u64) -> String {
    match n {
        1 => "1 byte".into(),
        n => format!("{n} bytes"),
    }
}

/// Each event's `local` and `peer` in one comparable form, filled in from
/// the same connection where the event lacks them.
struct Addresses {
    local: Vec<Option<String>>,
    peer: Vec<Option<String>>,
}

impl Addresses {
    fn of(events: &[Event]) -> Self {
        let mut local: Vec<_> = events
            .iter()
            .map(|e| e.local.as_deref().map(canonical))
            .collect();
        let mut peer: Vec<_> = events
            .iter()
            .map(|e| e.peer.as_deref().map(canonical))
            .collect();
        // A connected socket's addresses, from its events that have both
        // (an accept's local is the listening address: not those).
        let mut known: HashMap<(u64, u64), (String, String)> = HashMap::new();
        for (i, e) in events.iter().enumerate() {
            if let (Some(conn @ 1..), Some(l), Some(p), false) =
                (e.conn, &local[i], &peer[i], e.step == Step::Accept)
            {
                known
                    .entry((e.pid, conn))
                    .or_insert_with(|| (l.clone(), p.clone()));
            }
        }
        for (i, e) in events.iter().enumerate() {
            let Some(conn @ 1..) = e.conn else { continue };
            if e.step == Step::Accept {
                continue;
            }
            if let Some((l, p)) = known.get(&(e.pid, conn)) {
                local[i].get_or_insert_with(|| l.clone());
                peer[i].get_or_insert_with(|| p.clone());
            }
        }
        Self { local, peer }
    }

    /// The connection as `(local, peer)` seen from event `i`.
    fn pair(&self, i: usize) -> Option<(&str, &str)> {
        Some((self.local[i].as_deref()?, self.peer[i].as_deref()?))
    }
}

/// One form for an address: `[::ffff:127.0.0.1]:80` is `127.0.0.1:80`;
/// what does not parse stays as it is.
fn canonical(address: &str) -> String {
    match address.parse::<SocketAddr>() {
        Ok(SocketAddr::V6(v6)) => match v6.ip().to_ipv4_mapped() {
            Some(v4) => SocketAddr::from((v4, v6.port())).to_string(),
            None => v6.to_string(),
        },
        Ok(other) => other.to_string(),
        Err(_) => address.to_string(),
    }
}

/// The port of an address in canonical form.
fn port(address: &str) -> Option<u16> {
    address.parse::<SocketAddr>().ok().map(|a| a.port())
}

/// True when a socket bound to `bound` gets what is sent to `to`: same
/// port, and the same IP or a wildcard one (0.0.0.0, ::).
fn receives(bound: &str, to: &str) -> bool {
    match (bound.parse::<SocketAddr>(), to.parse::<SocketAddr>()) {
        (Ok(b), Ok(t)) => {
            b.port() == t.port()
                && (b.ip() == t.ip() || b.ip().is_unspecified())
        }
        _ => bound == to,
    }
}

/// True for a TCP event: it belongs to a connection (UDP's `conn` is null).
fn tcp(e: &Event) -> bool {
    e.conn.is_some() && !e.is_datagram()
}

/// The events `which` picks, process by process, each process's in the
/// order they happened (by time, then by their place in the input).
/// Timestamps are compared only within a process: clocks of two machines
/// may disagree, and the arrows must not depend on that.
fn in_time_order(
    events: &[Event],
    which: impl Fn(&Event) -> bool,
) -> Vec<usize> {
    let mut chosen: Vec<usize> =
        (0..events.len()).filter(|&i| which(&events[i])).collect();
    chosen.sort_by_key(|&i| (&events[i].prog, events[i].pid, events[i].ts, i));
    chosen
}

/// connect ↔ accept: a client's connect (local A, peer B) with the accept
/// whose local has B's port and whose peer is A. The connect can return
/// only once the server listens.
fn handshakes(events: &[Event], addresses: &Addresses, found: &mut Matches) {
    let accepts = in_time_order(events, |e| e.step == Step::Accept);
    let mut taken = vec![false; events.len()];
    for c in in_time_order(events, |e| e.step == Step::Connect) {
        let e = &events[c];
        if e.error.is_some() || !tcp(e) {
            continue;
        }
        let Some((a, b)) = addresses.pair(c) else {
            continue;
        };
        let accept = accepts.iter().copied().find(|&x| {
            !taken[x]
                && addresses.peer[x].as_deref() == Some(a)
                && addresses.local[x].as_deref().and_then(port) == port(b)
        });
        let Some(x) = accept else { continue };
        taken[x] = true;
        // The client's connect returns once the handshake is done, which is
        // before the server's accept can hand the connection over.
        found.before.push((c, x));
        found.arrows.push(Arrow {
            kind: ArrowKind::Handshake,
            from: Tail::Start(c),
            to: vec![Tip::Event(x)],
            label: "SYN, SYN-ACK, ACK".into(),
        });
        let server = &events[x];
        let listen = in_time_order(events, |l| {
            l.step == Step::Listen && l.pid == server.pid && l.ts <= server.ts
        });
        if let Some(&l) = listen.last() {
            found.before.push((l, c));
        }
    }
}

/// Data: each send (local A, peer B, bytes [o, o+n)) to every recv on the
/// other side (local B, peer A) whose bytes overlap.
fn data(events: &[Event], addresses: &Addresses, found: &mut Matches) {
    let mut recvs: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for r in in_time_order(events, |e| e.step == Step::Recv && tcp(e)) {
        let e = &events[r];
        if e.error.is_none() && e.bytes.unwrap_or(0) > 0 && e.offset.is_some() {
            if let Some(pair) = addresses.pair(r) {
                recvs.entry(pair).or_default().push(r);
            }
        }
    }
    // The recvs of one direction of a connection hold disjoint ranges:
    // sorted by offset, the ones a send reaches are one run. (A range
    // cannot pass 2^64 in a parsed trace; events made by hand stop there.)
    let range = |r: usize| {
        let o = events[r].offset.unwrap_or(0);
        (o, o.saturating_add(events[r].bytes.unwrap_or(0)))
    };
    for list in recvs.values_mut() {
        list.sort_by_key(|&r| (range(r), r));
    }
    for s in in_time_order(events, |e| e.step == Step::Send && tcp(e)) {
        let e = &events[s];
        let (Some(n @ 1..), Some(o), None) = (e.bytes, e.offset, &e.error)
        else {
            continue;
        };
        let Some((a, b)) = addresses.pair(s) else {
            continue;
        };
        let Some(candidates) = recvs.get(&(b, a)) else {
            continue;
        };
        let first = candidates.partition_point(|&r| range(r).1 <= o);
        let to: Vec<Tip> = candidates[first..]
            .iter()
            .copied()
            .take_while(|&r| range(r).0 < o.saturating_add(n))
            .filter(|&r| range(r).1 > o)
            .map(Tip::Event)
            .collect();
        if !to.is_empty() {
            found.arrows.push(Arrow {
                kind: ArrowKind::Data,
                from: Tail::Event(s),
                to,
                label: bytes(n),
            });
        }
    }
}

/// FIN: a connection's first shutdown or close (with conn ≥ 1) to the
/// first recv of 0 bytes on the other side.
fn fins(events: &[Event], addresses: &Addresses, found: &mut Matches) {
    let ends = in_time_order(events, |e| {
        tcp(e)
            && e.conn.unwrap_or(0) >= 1
            && matches!(e.step, Step::Shutdown | Step::Close)
    });
    let zeros = in_time_order(events, |e| {
        tcp(e)
            && e.step == Step::Recv
            && e.bytes == Some(0)
            && e.error.is_none()
    });
    let mut sent: Vec<(u64, u64)> = Vec::new();
    let mut taken = vec![false; events.len()];
    for f in ends {
        let e = &events[f];
        let end = (e.pid, e.conn.unwrap_or(0));
        if sent.contains(&end) {
            continue; // A close after shutdown sends no second FIN.
        }
        sent.push(end);
        let Some((a, b)) = addresses.pair(f) else {
            continue;
        };
        let zero = zeros
            .iter()
            .copied()
            .find(|&z| !taken[z] && addresses.pair(z) == Some((b, a)));
        if let Some(z) = zero {
            taken[z] = true;
            found.arrows.push(Arrow {
                kind: ArrowKind::Fin,
                from: Tail::Event(f),
                to: vec![Tip::Event(z)],
                label: "FIN".into(),
            });
        }
    }
}

/// Reset: a recv or send that failed with `connection reset by peer`,
/// from the peer's last event on that connection.
fn resets(events: &[Event], addresses: &Addresses, found: &mut Matches) {
    let connected = in_time_order(events, |p| {
        tcp(p) && p.conn.unwrap_or(0) >= 1 && p.step != Step::Accept
    });
    for (i, e) in events.iter().enumerate() {
        let reset = e.error.as_deref().is_some_and(|m| m.contains("reset"));
        if !(reset && tcp(e) && matches!(e.step, Step::Recv | Step::Send)) {
            continue;
        }
        let Some((a, b)) = addresses.pair(i) else {
            continue;
        };
        let last = connected
            .iter()
            .copied()
            .rev()
            .find(|&p| addresses.pair(p) == Some((b, a)));
        if let Some(p) = last {
            found.arrows.push(Arrow {
                kind: ArrowKind::Rst,
                from: Tail::Event(p),
                to: vec![Tip::Event(i)],
                label: "RST".into(),
            });
        }
    }
}

/// Datagrams: a send (local A, peer B, digest d) to the receive on B (the
/// same port, and the same or a wildcard IP) from A with the same digest;
/// equal datagrams pair up in order. What is never received ends in a
/// cross, if the trace holds B at all: otherwise nobody can say.
fn datagrams(
    events: &[Event],
    addresses: &Addresses,
    lifeline: &[usize],
    found: &mut Matches,
) {
    let receives_datagram = |i: usize| {
        let e = &events[i];
        e.is_datagram()
            && e.error.is_none()
            && matches!(e.step, Step::Recv | Step::RecvFrom | Step::Drop)
    };
    // A recv_from followed by the drop of the same datagram is one
    // receive: the drop (the format allows both ways of writing it).
    let mut by_thread: BTreeMap<(u64, &str), Vec<usize>> = BTreeMap::new();
    for i in in_time_order(events, |e| e.is_datagram()) {
        by_thread
            .entry((events[i].pid, &events[i].thread))
            .or_default()
            .push(i);
    }
    let mut superseded = vec![false; events.len()];
    let mut dropped_after: HashMap<usize, usize> = HashMap::new();
    for list in by_thread.values() {
        for pair in list.windows(2) {
            let (r, d) = (&events[pair[0]], &events[pair[1]]);
            if r.step == Step::RecvFrom
                && d.step == Step::Drop
                && r.digest == d.digest
                && addresses.peer[pair[0]] == addresses.peer[pair[1]]
            {
                superseded[pair[0]] = true;
                dropped_after.insert(pair[1], pair[0]);
            }
        }
    }
    // The receives, by sender and digest, each group in its order.
    let mut receivers: HashMap<(&str, &str), Vec<usize>> = HashMap::new();
    for r in in_time_order(events, |_| true) {
        if !receives_datagram(r) || superseded[r] {
            continue;
        }
        if let (Some(peer), Some(digest)) =
            (addresses.peer[r].as_deref(), events[r].digest.as_deref())
        {
            receivers.entry((peer, digest)).or_default().push(r);
        }
    }
    let mut taken = vec![false; events.len()];
    let mut owners: HashMap<&str, Option<usize>> = HashMap::new();
    for s in in_time_order(events, |e| {
        e.is_datagram()
            && e.error.is_none()
            && matches!(e.step, Step::Send | Step::SendTo)
    }) {
        let e = &events[s];
        let Some((a, b)) = addresses.pair(s) else {
            continue;
        };
        let digest = e.digest.as_deref().unwrap_or_default();
        let group = receivers.get(&(a, digest)).map_or(&[][..], Vec::as_slice);
        let received = group.iter().copied().find(|&r| {
            !taken[r]
                && addresses.local[r]
                    .as_deref()
                    .is_some_and(|l| receives(l, b))
        });
        let size = bytes(e.bytes.unwrap_or(0));
        let arrow = match received {
            Some(r) if events[r].step == Step::Drop => Arrow {
                kind: ArrowKind::Lost,
                from: Tail::Event(s),
                to: vec![Tip::Crossed(r)],
                label: "dropped (--drop)".into(),
            },
            Some(r) => Arrow {
                kind: ArrowKind::Datagram,
                from: Tail::Event(s),
                to: vec![Tip::Event(r)],
                label: size,
            },
            None => {
                // Lost, if the trace holds a socket at the destination.
                let owner = *owners.entry(b).or_insert_with(|| {
                    (0..events.len()).find(|&o| {
                        !tcp(&events[o])
                            && addresses.local[o]
                                .as_deref()
                                .is_some_and(|l| receives(l, b))
                    })
                });
                let Some(owner) = owner.filter(|&o| events[o].pid != e.pid)
                else {
                    continue;
                };
                Arrow {
                    kind: ArrowKind::Lost,
                    from: Tail::Event(s),
                    to: vec![Tip::Cross {
                        toward: Some(lifeline[owner]),
                    }],
                    label: "lost".into(),
                }
            }
        };
        if let Some(r) = received {
            taken[r] = true;
            // The datagram arrived at the recv_from that the drop follows.
            if let Some(&arrived) = dropped_after.get(&r) {
                found.before.push((s, arrived));
            }
        }
        found.arrows.push(arrow);
    }
}

/// A connect that failed: a short arrow from where it began, ending in a
/// cross (nothing listens there to draw a lifeline for).
fn refused(events: &[Event], found: &mut Matches) {
    for c in in_time_order(events, |e| e.step == Step::Connect) {
        let Some(error) = &events[c].error else {
            continue;
        };
        let label = match error.contains("refused") {
            true => "refused (RST)".to_string(),
            false => shared::text::render(error.as_bytes()),
        };
        found.arrows.push(Arrow {
            kind: ArrowKind::Refused,
            from: Tail::Start(c),
            to: vec![Tip::Cross { toward: None }],
            label,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn mapped_addresses_are_their_ipv4() {
        assert_eq!(canonical("[::ffff:127.0.0.1]:80"), "127.0.0.1:80");
        assert_eq!(canonical("[::1]:80"), "[::1]:80");
        assert_eq!(canonical("not an address"), "not an address");
    }

    #[test]
    fn a_wildcard_receives_for_its_port() {
        assert!(receives("0.0.0.0:3000", "127.0.0.1:3000"));
        assert!(receives("127.0.0.1:3000", "127.0.0.1:3000"));
        assert!(!receives("127.0.0.1:3000", "127.0.0.2:3000"));
        assert!(!receives("0.0.0.0:3001", "127.0.0.1:3000"));
    }
}
