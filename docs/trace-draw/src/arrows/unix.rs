//! Unix stream sockets: which connect an accept took, and a name for each
//! connection whose client is unnamed.
//!
//! A client of a Unix stream server usually binds no path, so every one
//! of them is `(unnamed)`: the addresses cannot tell two clients of one
//! server apart, as TCP's ports do. The kernel queues each connect() to a
//! path in the listener's accept queue, first in, first out, and accept()
//! takes the oldest. So the connects to a path, in the order they
//! returned, pair with that server's accepts in the order they returned.
//! Times of different programs may be compared here: a Unix socket joins
//! programs of one machine, which share one clock. Each paired connection
//! then gets a name of its own in place of `(unnamed)`, made of the
//! client's pid and conn, on both sides; the rules for data, FIN and reset
//! go on comparing addresses as for TCP.

use super::{Addresses, Queue, tcp};
use crate::event::{Event, Step};
use std::collections::HashMap;
use std::net::SocketAddr;

/// How the traces write a Unix socket bound to no path.
pub(super) const UNNAMED: &str = "(unnamed)";

/// True for an address of the IP family: `IP:PORT`.
pub(crate) fn is_inet(address: &str) -> bool {
    address.parse::<SocketAddr>().is_ok()
}

/// True for a Unix socket's path: neither an IP address nor unnamed.
pub(super) fn is_path(address: &str) -> bool {
    address != UNNAMED && !is_inet(address)
}

/// The Unix stream connects and the accepts that took them, as
/// `(connect, accept)` pairs.
pub(super) fn accepted(
    events: &[Event],
    addresses: &Addresses,
) -> Vec<(usize, usize)> {
    let ok = |e: &Event, step| e.step == step && e.error.is_none() && tcp(e);
    // Who listened on each path, and from when: (ts, pid), in time order.
    let mut listens: HashMap<&str, Vec<(u64, u64)>> = HashMap::new();
    // The accepts of each server on each path, by the name of the client
    // they took (usually unnamed), each list in time order.
    let mut accepts: HashMap<(&str, u64, &str), Queue<usize>> = HashMap::new();
    let mut connects = Vec::new();
    for (i, e) in events.iter().enumerate() {
        let local = addresses.local[i].as_deref();
        let peer = addresses.peer[i].as_deref();
        if e.step == Step::Listen && e.error.is_none() {
            if let Some(path) = local.filter(|l| is_path(l)) {
                listens.entry(path).or_default().push((e.ts, e.pid));
            }
        } else if ok(e, Step::Accept) {
            if let Some(path) = local.filter(|l| is_path(l)) {
                let client = peer.unwrap_or(UNNAMED);
                let key = (path, e.pid, client);
                accepts.entry(key).or_default().list.push(i);
            }
        } else if ok(e, Step::Connect) && peer.is_some_and(is_path) {
            connects.push(i);
        }
    }
    let by_time = |i: &usize| (events[*i].ts, *i);
    for list in listens.values_mut() {
        list.sort();
    }
    for queue in accepts.values_mut() {
        queue.list.sort_by_key(by_time);
    }
    connects.sort_by_key(by_time);
    // The servers that accepted on each path, for a trace without listens.
    let mut accepted_on: HashMap<(&str, &str), Vec<u64>> = HashMap::new();
    for &(path, pid, client) in accepts.keys() {
        accepted_on.entry((path, client)).or_default().push(pid);
    }
    for pids in accepted_on.values_mut() {
        pids.sort_unstable();
    }
    let mut pairs = Vec::new();
    for c in connects {
        let (Some(path), client) =
            (addresses.peer[c].as_deref(), addresses.local[c].as_deref())
        else {
            continue;
        };
        let client = client.unwrap_or(UNNAMED);
        let ts = events[c].ts;
        // The server that listened on the path when the connect returned:
        // the last to begin listening by then (one may stop, and another
        // listen on the same path later; a connect to a server that
        // stopped before accepting it is accepted by no one). Failing
        // that, any of them.
        let list = listens.get(path).map_or(&[][..], Vec::as_slice);
        let since = list.partition_point(|&(at, _)| at <= ts);
        let mut servers: Vec<u64> = match since.checked_sub(1) {
            Some(last) => vec![list[last].1],
            None => list.iter().map(|s| s.1).collect(),
        };
        if servers.is_empty() {
            // No listen in the trace: the servers that accepted there.
            servers = accepted_on
                .get(&(path, client))
                .cloned()
                .unwrap_or_default();
        }
        let taken = servers.iter().find_map(|&pid| {
            accepts.get_mut(&(path, pid, client)).and_then(Queue::take)
        });
        if let Some(x) = taken {
            pairs.push((c, x));
        }
    }
    pairs
}

/// Gives each unnamed end of a stream connection a name of its own, the
/// same on both sides for the `pairs` [`accepted`] found: the client's
/// pid and conn. An unpaired connection's name is its own pid and conn,
/// which no other socket has.
pub(super) fn name_ends(
    events: &[Event],
    addresses: &mut Addresses,
    pairs: &[(usize, usize)],
) {
    let name = |pid: u64, conn: u64| format!("{UNNAMED}\0{pid}\0{conn}");
    let mut names: HashMap<(u64, u64), String> = HashMap::new();
    for &(c, x) in pairs {
        let (client, server) = (&events[c], &events[x]);
        let (Some(k), Some(n)) = (client.conn, server.conn) else {
            continue;
        };
        let both = name(client.pid, k);
        names.insert((server.pid, n), both.clone());
        names.insert((client.pid, k), both);
    }
    for (i, e) in events.iter().enumerate() {
        let Some(conn @ 1..) = e.conn.filter(|_| tcp(e)) else {
            continue;
        };
        // An end that is unnamed, or not written beside a path.
        let (local, peer) = (&addresses.local[i], &addresses.peer[i]);
        let unnamed = |place: &Option<String>, other: &Option<String>| {
            place.as_deref() == Some(UNNAMED)
                || (place.is_none() && other.as_deref().is_some_and(is_path))
        };
        let which = [unnamed(local, peer), unnamed(peer, local)];
        let places = [&mut addresses.local[i], &mut addresses.peer[i]];
        for (place, unnamed) in places.into_iter().zip(which) {
            if unnamed {
                let own = names
                    .entry((e.pid, conn))
                    .or_insert_with(|| name(e.pid, conn));
                *place = Some(own.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::{ArrowKind, find};
    use super::*;

    const P: &str = "/run/echo.sock";

    /// An event of a stream connection: `at` is (ts, pid, conn).
    fn stream(
        (ts, pid, conn): (u64, u64, u64),
        step: Step,
        local: Option<&str>,
        peer: Option<&str>,
    ) -> Event {
        let prog = match peer == Some(P) {
            true => "tcp-client",
            false => "tcp-server",
        };
        Event {
            ts,
            start: None,
            prog: prog.into(),
            pid,
            thread: "main".into(),
            step,
            local: local.map(str::to_string),
            peer: peer.map(str::to_string),
            conn: Some(conn),
            bytes: None,
            offset: None,
            digest: None,
            error: None,
        }
    }

    fn listen(ts: u64, pid: u64) -> Event {
        let mut e = stream((ts, pid, 0), Step::Listen, Some(P), None);
        e.conn = None;
        e
    }

    fn accept(ts: u64, pid: u64, conn: u64) -> Event {
        stream((ts, pid, conn), Step::Accept, Some(P), Some(UNNAMED))
    }

    fn connect(ts: u64, pid: u64) -> Event {
        stream((ts, pid, 1), Step::Connect, Some(UNNAMED), Some(P))
    }

    /// The pairs as (client pid, (server pid, conn)).
    fn pairs(events: &[Event]) -> Vec<(u64, (u64, Option<u64>))> {
        let addresses = Addresses::of(events);
        let found = accepted(events, &addresses);
        let server = |x: usize| (events[x].pid, events[x].conn);
        found
            .iter()
            .map(|&(c, x)| (events[c].pid, server(x)))
            .collect()
    }

    /// A server that served one client and stopped, and one started on
    /// the same path later: a connect queued at the first one, never
    /// accepted, is not the second one's; the later connect is.
    #[test]
    fn a_connect_goes_to_the_server_listening_then() {
        let events = [
            listen(0, 1),
            connect(10, 10),
            connect(15, 12),
            accept(20, 1, 1),
            listen(40, 2),
            connect(50, 11),
            accept(60, 2, 1),
        ];
        assert_eq!(pairs(&events), [(10, (1, Some(1))), (11, (2, Some(1)))]);
    }

    /// Two clients of one server; the second's recv fails with a reset:
    /// the RST comes from the close of its own connection (conn 2), and
    /// data goes by connection, though every client is unnamed and one
    /// client wrote no `local` at all.
    #[test]
    fn a_reset_comes_from_the_right_connection() {
        let mut events = vec![
            listen(0, 1),
            connect(10, 10),
            connect(11, 11),
            accept(20, 1, 1),
            accept(21, 1, 2),
        ];
        let data = |at, step, local, peer| {
            let mut e = stream(at, step, local, peer);
            e.bytes = Some(4);
            e.offset = Some(0);
            e
        };
        events[2].local = None;
        events.push(data((30, 11, 1), Step::Send, None, Some(P)));
        events.push(data((31, 1, 2), Step::Recv, Some(P), Some(UNNAMED)));
        events.push(data((32, 10, 1), Step::Send, Some(UNNAMED), Some(P)));
        events.push(data((33, 1, 1), Step::Recv, Some(P), Some(UNNAMED)));
        events.push(stream((40, 1, 2), Step::Close, Some(P), Some(UNNAMED)));
        events.push(stream((50, 1, 1), Step::Close, Some(P), Some(UNNAMED)));
        let mut reset = data((60, 11, 1), Step::Recv, None, Some(P));
        reset.bytes = None;
        reset.error = Some("connection reset by peer".into());
        events.push(reset);
        let found = find(&events, &vec![0; events.len()]);
        let of = |kind| found.arrows.iter().filter(move |a| a.kind == kind);
        let rst: Vec<_> = of(ArrowKind::Rst).collect();
        assert_eq!(rst.len(), 1);
        assert_eq!(rst[0].from.event(), 9, "conn 2's close");
        assert_eq!(rst[0].label, "reset");
        let data: Vec<_> = of(ArrowKind::Data)
            .map(|a| (a.from.event(), a.to[0].event()))
            .collect();
        assert_eq!(data, [(7, Some(8)), (5, Some(6))]);
    }

    #[test]
    fn a_path_is_neither_an_ip_address_nor_unnamed() {
        assert!(is_path("/tmp/echo.sock"));
        assert!(is_path("echo.sock"));
        assert!(is_path("@lesson"), "a Linux abstract name");
        assert!(!is_path(UNNAMED));
        assert!(!is_path("127.0.0.1:80"));
        assert!(!is_path("[::1]:80"));
        assert!(is_inet("[::1]:80") && !is_inet("/tmp/echo.sock"));
    }
}
