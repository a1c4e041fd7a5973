//! The arrows between programs: which event's packet reached which event,
//! by the matching rules of the trace format.
//!
//! Every rule compares addresses, so they are compared in one form first:
//! an IPv4 address mapped into IPv6 (`[::ffff:127.0.0.1]:80`, what a
//! server on `::` sees) is the IPv4 address it carries. Connected sockets
//! whose events lack `local` or `peer` (a `close`, say) take them from the
//! other events of the same connection in the same process. A Unix
//! socket's address is its path, or `(unnamed)`: see [`unix`] for how
//! unnamed clients of one server are told apart.

mod unix;
pub(crate) use unix::is_inet;

use crate::event::{Event, Step};
use lesson::lang::{Lang, tr, tr_in};
use std::collections::{BTreeMap, HashMap, HashSet};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

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
    let mut addresses = Addresses::of(events);
    let time = TimeOrder::of(events);
    let mut found = Matches::default();
    let accepted = unix::accepted(events, &addresses);
    unix::name_ends(events, &mut addresses, &accepted);
    handshakes(events, &time, &addresses, &accepted, &mut found);
    data(events, &time, &addresses, &mut found);
    fins(events, &time, &addresses, &mut found);
    resets(events, &time, &addresses, &mut found);
    datagrams(events, &time, &addresses, lifeline, &mut found);
    refused(events, &time, &mut found);
    found
}

/// `5 bytes`, `1 byte`, in the drawing's language.
pub(crate) fn bytes(n: u64) -> String {
    crate::messages::bytes(n)
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

/// An address a socket is bound to, as datagrams find it: an IP and a
/// port, or the text of an address that does not parse.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
enum Bound<'a> {
    Ip(IpAddr, u16),
    Text(&'a str),
}

fn bound(address: &str) -> Bound<'_> {
    match address.parse::<SocketAddr>() {
        Ok(a) => Bound::Ip(a.ip(), a.port()),
        Err(_) => Bound::Text(address),
    }
}

/// Where a socket must be bound to get what is sent to `to`: the same
/// port, and the same IP or a wildcard one (0.0.0.0, ::); an address that
/// does not parse only by itself.
fn bound_to_receive(to: &str) -> Vec<Bound<'_>> {
    match bound(to) {
        Bound::Ip(ip, port) => {
            let mut all = vec![Bound::Ip(ip, port)];
            for any in
                [Ipv4Addr::UNSPECIFIED.into(), Ipv6Addr::UNSPECIFIED.into()]
            {
                if any != ip {
                    all.push(Bound::Ip(any, port));
                }
            }
            all
        }
        // Nothing can be sent to a socket bound to no path.
        Bound::Text(unix::UNNAMED) => Vec::new(),
        text => vec![text],
    }
}

/// True when a socket bound to `bound` gets what is sent to `to`.
#[cfg(test)]
fn receives(bound: &str, to: &str) -> bool {
    bound_to_receive(to).contains(&self::bound(bound))
}

/// The labels of a Unix stream's arrows, with what the legend calls
/// them, as the catalog's ids: no SYN, FIN or RST goes anywhere, the
/// kernel does it all.
pub(crate) const UNIX_LABELS: [(ArrowKind, &str, &str); 3] = [
    (
        ArrowKind::Handshake,
        "draw-unix-queued",
        "draw-legend-queue",
    ),
    (ArrowKind::Fin, "draw-unix-end", "draw-legend-end"),
    (ArrowKind::Rst, "draw-unix-reset", "draw-legend-reset"),
];

/// The label `tcp` for a connection between IP addresses, the message
/// `unix` for one between Unix sockets (a path at least at one end).
fn family(local: &str, peer: &str, tcp: &str, unix: &str) -> String {
    match unix::is_inet(local) || unix::is_inet(peer) {
        true => tcp.to_string(),
        false => tr(unix, &[]),
    }
}

/// True when a call's error (as a program wrote it into the trace, in
/// the language it spoke) is the catalog's message `id`, or holds
/// `english`: `connection reset by peer`, `连接被对端重置`.
fn error_is(error: &str, id: &str, english: &str) -> bool {
    error.contains(english) || error.contains(&tr_in(Lang::Zh, id, &[]))
}

/// True for a TCP event: it belongs to a connection (UDP's `conn` is null).
fn tcp(e: &Event) -> bool {
    e.conn.is_some() && !e.is_datagram()
}

/// All events, process by process, each process's in the order they
/// happened (by time, then by their place in the input). Timestamps are
/// compared only within a process: clocks of two machines may disagree,
/// and the arrows must not depend on that. Sorted once, for every rule.
struct TimeOrder(Vec<usize>);

impl TimeOrder {
    fn of(events: &[Event]) -> Self {
        let mut all: Vec<usize> = (0..events.len()).collect();
        all.sort_by_key(|&i| (&events[i].prog, events[i].pid, events[i].ts, i));
        Self(all)
    }
}

/// The events `which` picks, in [`TimeOrder`].
fn in_time_order(
    time: &TimeOrder,
    events: &[Event],
    which: impl Fn(&Event) -> bool,
) -> Vec<usize> {
    time.0
        .iter()
        .copied()
        .filter(|&i| which(&events[i]))
        .collect()
}

/// Events in time order that are matched one by one, earliest first:
/// the ones taken are always a prefix, so taking the next is a step.
#[derive(Debug)]
struct Queue<T> {
    taken: usize,
    list: Vec<T>,
}

impl<T: Copy> Queue<T> {
    fn peek(&self) -> Option<T> {
        self.list.get(self.taken).copied()
    }

    fn take(&mut self) -> Option<T> {
        let next = self.peek()?;
        self.taken += 1;
        Some(next)
    }
}

impl<T> Default for Queue<T> {
    fn default() -> Self {
        Self {
            taken: 0,
            list: Vec::new(),
        }
    }
}

/// connect ↔ accept: a client's connect (local A, peer B) with the accept
/// whose local has B's port and whose peer is A; over a Unix socket, the
/// pairs `unix` found (`accepted`). The connect can return only once the
/// server listens.
fn handshakes(
    events: &[Event],
    time: &TimeOrder,
    addresses: &Addresses,
    accepted: &[(usize, usize)],
    found: &mut Matches,
) {
    // The accepts by the client they took (their peer) and the port they
    // listen on, each list in time order; the ones taken are a prefix.
    // (An accept on a path is `unix`'s.)
    let mut accepts: HashMap<(&str, Option<u16>), Queue<usize>> =
        HashMap::new();
    for x in in_time_order(time, events, |e| e.step == Step::Accept) {
        if addresses.local[x].as_deref().is_some_and(unix::is_path) {
            continue;
        }
        if let Some(peer) = addresses.peer[x].as_deref() {
            let listens_on = addresses.local[x].as_deref().and_then(port);
            accepts.entry((peer, listens_on)).or_default().list.push(x);
        }
    }
    // Each process's listens, by program, in time order.
    let mut listens: HashMap<(u64, &str), Vec<usize>> = HashMap::new();
    for l in in_time_order(time, events, |e| e.step == Step::Listen) {
        listens
            .entry((events[l].pid, &events[l].prog))
            .or_default()
            .push(l);
    }
    let mut pairs = Vec::new();
    for c in in_time_order(time, events, |e| e.step == Step::Connect) {
        let e = &events[c];
        if e.error.is_some() || !tcp(e) {
            continue;
        }
        let Some((a, b)) = addresses.pair(c) else {
            continue;
        };
        if unix::is_path(b) {
            continue;
        }
        let accept = accepts.get_mut(&(a, port(b))).and_then(Queue::take);
        if let Some(x) = accept {
            pairs.push((c, x, "SYN, SYN-ACK, ACK"));
        }
    }
    // A Unix connect sends no packet: the kernel puts it in the queue.
    let queued = tr(UNIX_LABELS[0].1, &[]);
    pairs.extend(accepted.iter().map(|&(c, x)| (c, x, queued.as_str())));
    for (c, x, label) in pairs {
        // The client's connect returns once the handshake is done, which is
        // before the server's accept can hand the connection over.
        found.before.push((c, x));
        found.arrows.push(Arrow {
            kind: ArrowKind::Handshake,
            from: Tail::Start(c),
            to: vec![Tip::Event(x)],
            label: label.into(),
        });
        // The server's last listen before its accept returned.
        let server = &events[x];
        if let Some(list) = listens.get(&(server.pid, server.prog.as_str())) {
            let after = list.partition_point(|&l| events[l].ts <= server.ts);
            if let Some(&l) = after.checked_sub(1).and_then(|i| list.get(i)) {
                found.before.push((l, c));
            }
        }
    }
}

/// Data: each send (local A, peer B, bytes [o, o+n)) to every recv on the
/// other side (local B, peer A) whose bytes overlap.
fn data(
    events: &[Event],
    time: &TimeOrder,
    addresses: &Addresses,
    found: &mut Matches,
) {
    let mut recvs: BTreeMap<(&str, &str), Vec<usize>> = BTreeMap::new();
    for r in in_time_order(time, events, |e| e.step == Step::Recv && tcp(e)) {
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
    for s in in_time_order(time, events, |e| e.step == Step::Send && tcp(e)) {
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
fn fins(
    events: &[Event],
    time: &TimeOrder,
    addresses: &Addresses,
    found: &mut Matches,
) {
    let ends = in_time_order(time, events, |e| {
        tcp(e)
            && e.conn.unwrap_or(0) >= 1
            && matches!(e.step, Step::Shutdown | Step::Close)
    });
    let zeros = in_time_order(time, events, |e| {
        tcp(e)
            && e.step == Step::Recv
            && e.bytes == Some(0)
            && e.error.is_none()
    });
    // The recvs of 0 bytes by connection, each list in time order; the
    // ones taken are a prefix.
    let mut zeros_of: HashMap<(&str, &str), Queue<usize>> = HashMap::new();
    for z in zeros {
        if let Some(pair) = addresses.pair(z) {
            zeros_of.entry(pair).or_default().list.push(z);
        }
    }
    let mut sent: HashSet<(u64, u64)> = HashSet::new();
    for f in ends {
        let e = &events[f];
        if !sent.insert((e.pid, e.conn.unwrap_or(0))) {
            continue; // A close after shutdown sends no second FIN.
        }
        let Some((a, b)) = addresses.pair(f) else {
            continue;
        };
        if let Some(z) = zeros_of.get_mut(&(b, a)).and_then(Queue::take) {
            found.arrows.push(Arrow {
                kind: ArrowKind::Fin,
                from: Tail::Event(f),
                to: vec![Tip::Event(z)],
                label: family(a, b, "FIN", UNIX_LABELS[1].1),
            });
        }
    }
}

/// Reset: a recv or send that failed with `connection reset by peer`,
/// from the peer's last event on that connection.
fn resets(
    events: &[Event],
    time: &TimeOrder,
    addresses: &Addresses,
    found: &mut Matches,
) {
    // The last event of each connection, seen from its side.
    let mut last: HashMap<(&str, &str), usize> = HashMap::new();
    for p in in_time_order(time, events, |p| {
        tcp(p) && p.conn.unwrap_or(0) >= 1 && p.step != Step::Accept
    }) {
        if let Some(pair) = addresses.pair(p) {
            last.insert(pair, p);
        }
    }
    for (i, e) in events.iter().enumerate() {
        let reset = e
            .error
            .as_deref()
            .is_some_and(|m| error_is(m, "error-reset", "reset"));
        if !(reset && tcp(e) && matches!(e.step, Step::Recv | Step::Send)) {
            continue;
        }
        let Some((a, b)) = addresses.pair(i) else {
            continue;
        };
        if let Some(&p) = last.get(&(b, a)) {
            found.arrows.push(Arrow {
                kind: ArrowKind::Rst,
                from: Tail::Event(p),
                to: vec![Tip::Event(i)],
                label: family(a, b, "RST", UNIX_LABELS[2].1),
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
    time: &TimeOrder,
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
    for i in in_time_order(time, events, |e| e.is_datagram()) {
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
    // The receives, by sender, digest and the address they were bound to,
    // each list in time order (with its place among them all); the ones
    // taken are a prefix of each list.
    type Sender<'a> = (&'a str, &'a str, Bound<'a>);
    let mut receivers: HashMap<Sender, Queue<(usize, usize)>> = HashMap::new();
    let in_order = in_time_order(time, events, |_| true);
    for (place, &r) in in_order.iter().enumerate() {
        if !receives_datagram(r) || superseded[r] {
            continue;
        }
        if let (Some(peer), Some(digest), Some(local)) = (
            addresses.peer[r].as_deref(),
            events[r].digest.as_deref(),
            addresses.local[r].as_deref(),
        ) {
            let key = (peer, digest, bound(local));
            receivers.entry(key).or_default().list.push((place, r));
        }
    }
    // The first socket in the input bound to each address (not TCP's).
    let mut first_bound: HashMap<Bound, usize> = HashMap::new();
    for (o, event) in events.iter().enumerate() {
        if let (false, Some(l)) = (tcp(event), addresses.local[o].as_deref()) {
            if l == unix::UNNAMED {
                continue;
            }
            first_bound.entry(bound(l)).or_insert(o);
        }
    }
    for s in in_time_order(time, events, |e| {
        e.is_datagram()
            && e.error.is_none()
            && matches!(e.step, Step::Send | Step::SendTo)
    }) {
        let e = &events[s];
        let Some((a, b)) = addresses.pair(s) else {
            continue;
        };
        let digest = e.digest.as_deref().unwrap_or_default();
        // The earliest receive not yet taken, of those bound where `b` is.
        let mut received: Option<(usize, usize)> = None;
        let mut from_key = None;
        for key in bound_to_receive(b) {
            let next = receivers.get(&(a, digest, key)).and_then(Queue::peek);
            if let Some(head) = next {
                if received.is_none_or(|r| head.0 < r.0) {
                    received = Some(head);
                    from_key = Some(key);
                }
            }
        }
        if let Some(key) = from_key {
            receivers.get_mut(&(a, digest, key)).and_then(Queue::take);
        }
        let received = received.map(|(_, r)| r);
        let size = bytes(e.bytes.unwrap_or(0));
        let arrow = match received {
            Some(r) if events[r].step == Step::Drop => Arrow {
                kind: ArrowKind::Lost,
                from: Tail::Event(s),
                to: vec![Tip::Crossed(r)],
                label: tr("draw-dropped", &[]),
            },
            Some(r) => Arrow {
                kind: ArrowKind::Datagram,
                from: Tail::Event(s),
                to: vec![Tip::Event(r)],
                label: size,
            },
            None => {
                // Lost, if the trace holds a socket at the destination.
                let owner = bound_to_receive(b)
                    .into_iter()
                    .filter_map(|key| first_bound.get(&key).copied())
                    .min();
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
                    label: tr("draw-lost", &[]),
                }
            }
        };
        if let Some(r) = received {
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
fn refused(events: &[Event], time: &TimeOrder, found: &mut Matches) {
    for c in in_time_order(time, events, |e| e.step == Step::Connect) {
        let Some(error) = &events[c].error else {
            continue;
        };
        // A Unix connect is refused by the kernel at once: no RST.
        let on_path = events[c].peer.as_deref().is_some_and(unix::is_path);
        let refused = error_is(error, "error-refused", "refused");
        let label = match (refused, on_path) {
            (true, false) => tr("draw-refused-rst", &[]),
            (true, true) => tr("draw-refused", &[]),
            (false, _) => shared::text::render(error.as_bytes()),
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

    /// A Unix socket's path is an address of its own: no port, no
    /// wildcard, and nothing reaches a socket bound to no path.
    #[test]
    fn a_path_receives_only_for_itself() {
        assert_eq!(canonical("/tmp/a.sock"), "/tmp/a.sock");
        assert_eq!(port("/tmp/a.sock"), None);
        assert_eq!(port(unix::UNNAMED), None);
        assert!(receives("/tmp/a.sock", "/tmp/a.sock"));
        assert!(!receives("/tmp/a.sock", "/tmp/b.sock"));
        assert!(!receives("0.0.0.0:3000", "/tmp/a.sock"));
        assert!(!receives(unix::UNNAMED, unix::UNNAMED));
        let unix_end = UNIX_LABELS[1].1;
        let end = family("/tmp/a.sock", unix::UNNAMED, "FIN", unix_end);
        assert_eq!(end, "end of stream");
        let fin = family("127.0.0.1:1", "127.0.0.1:2", "FIN", unix_end);
        assert_eq!(fin, "FIN");
    }
}
