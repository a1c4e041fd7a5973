//! Lifelines, and the order of events from top to bottom.
//!
//! Causality wins over clocks. Clocks of two machines (or two programs
//! traced apart) can differ by seconds, so timestamps are compared only
//! within one process, where they share a clock. The order is a
//! topological order of three kinds of "happened before":
//!
//! - hard: the calls of one thread, in the order of their timestamps; and
//!   a thread's first call comes after the call of the main thread that
//!   last returned before it began (the thread was started then);
//! - arrows: a packet is sent before it is received, a connect begins
//!   before its accept returns, and returns after the server listens;
//! - soft: the threads of one timeline (a client's main and `receive`
//!   threads, drawn as two lifelines) in the order of their timestamps.
//!
//! Each event then gets its depth: the length of the longest chain of
//! "happened before" that leads to it. Events are drawn by depth, so that
//! what two clients do at the same time is drawn side by side; events of
//! equal depth go by the timeline that appears first in the input (a
//! server started before its client draws its setup first), then by input
//! order. None of this depends on the moment two unrelated calls happened
//! to be written, so the same run draws the same picture every time, and
//! no clock is compared across programs: a trace whose clocks disagree
//! draws exactly like one whose clocks agree. Should
//! the rules contradict each other (timestamps of two threads taken a hair
//! apart), a soft rule gives way first, then an arrow; never a thread's own
//! order.

use crate::event::Event;
use std::collections::{BTreeMap, BTreeSet, HashMap};

/// One vertical line of the diagram: one thread of a program (its main
/// thread, a client's `receive` thread, a connection thread of the
/// threaded server).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Lifeline {
    pub prog: String,
    pub pid: u64,
    /// The thread this lifeline is (`receive`, `handler-2`); `None` for the
    /// program's main thread.
    pub thread: Option<String>,
    /// True when the same process has other lifelines (its threads).
    pub has_threads: bool,
}

impl Lifeline {
    /// `tcp-client`, `tcp-client receive`, `tcp-server handler-2`.
    pub fn name(&self) -> String {
        match &self.thread {
            Some(thread) => format!("{} {thread}", self.prog),
            None => self.prog.clone(),
        }
    }

    /// `pid 4100`, `handler-2, pid 4100`, or `main, pid 4100` for a
    /// program that has lifelines for other threads too.
    /// (In the language of the drawing: `主线程，pid 4100`.)
    pub fn detail(&self) -> String {
        crate::messages::lifeline(
            self.thread.as_deref(),
            self.has_threads,
            self.pid,
        )
    }

    /// Clients are drawn left of servers, as in the book.
    pub fn is_client(&self) -> bool {
        self.prog.ends_with("-client")
    }
}

/// True for a thread with a clock line of its own (see [`timelines`]).
fn is_handler(thread: &str) -> bool {
    thread.starts_with("handler-")
}

/// The lifelines in the order they first appear in the input, and each
/// event's lifeline: one per thread of each program.
pub(crate) fn lifelines(events: &[Event]) -> (Vec<Lifeline>, Vec<usize>) {
    let mut lifelines: Vec<Lifeline> = Vec::new();
    let mut index: HashMap<(&str, u64, &str), usize> = HashMap::new();
    let mut lane = Vec::with_capacity(events.len());
    for e in events {
        let key = (e.prog.as_str(), e.pid, e.thread.as_str());
        let next = lifelines.len();
        let i = *index.entry(key).or_insert(next);
        if i == next {
            lifelines.push(Lifeline {
                prog: e.prog.clone(),
                pid: e.pid,
                thread: Some(e.thread.clone()).filter(|t| t != "main"),
                has_threads: false,
            });
        }
        lane.push(i);
    }
    let mut threads: HashMap<(&str, u64), usize> = HashMap::new();
    for l in &lifelines {
        *threads.entry((l.prog.as_str(), l.pid)).or_default() += 1;
    }
    let many: Vec<bool> = lifelines
        .iter()
        .map(|l| threads[&(l.prog.as_str(), l.pid)] > 1)
        .collect();
    for (l, many) in lifelines.iter_mut().zip(many) {
        l.has_threads = many;
    }
    (lifelines, lane)
}

/// Each event's timeline: the threads whose calls the layout orders by
/// their common clock where nothing else does. A program's main and
/// `receive` threads are one timeline (a client's receiving thread prints
/// what its sends brought back); each handler of the threaded server is
/// one of its own, as its clients are independent. Numbered in the order
/// they first appear.
pub(crate) fn timelines(events: &[Event]) -> Vec<usize> {
    let mut index: HashMap<(&str, u64, Option<&str>), usize> = HashMap::new();
    events
        .iter()
        .map(|e| {
            let thread = Some(e.thread.as_str()).filter(|t| is_handler(t));
            let next = index.len();
            *index
                .entry((e.prog.as_str(), e.pid, thread))
                .or_insert(next)
        })
        .collect()
}

/// The calls of each thread in order: each event's predecessor in its
/// thread, and for the first call of a thread other than `main`, the call
/// of the main thread that last returned before it began (the thread was
/// started then, by that call or soon after it).
pub(crate) struct Threads {
    pub previous: Vec<Option<usize>>,
    pub parent: Vec<Option<usize>>,
}

impl Threads {
    pub fn of(events: &[Event]) -> Self {
        let mut chains: HashMap<(u64, &str, &str), Vec<usize>> = HashMap::new();
        for (i, e) in events.iter().enumerate() {
            let key = (e.pid, e.prog.as_str(), e.thread.as_str());
            chains.entry(key).or_default().push(i);
        }
        let mut previous = vec![None; events.len()];
        for chain in chains.values_mut() {
            chain.sort_by_key(|&i| (events[i].ts, i));
            for pair in chain.windows(2) {
                previous[pair[1]] = Some(pair[0]);
            }
        }
        let mut parent = vec![None; events.len()];
        for (&(pid, prog, thread), chain) in &chains {
            let main = chains.get(&(pid, prog, "main"));
            let (Some(main), Some(&first)) = (main, chain.first()) else {
                continue;
            };
            if thread != "main" {
                // The main chain is sorted by time: the last call that
                // returned by then is just before the first one after.
                let born = events[first].start.unwrap_or(events[first].ts);
                let after = main.partition_point(|&m| events[m].ts <= born);
                parent[first] = after.checked_sub(1).map(|m| main[m]);
            }
        }
        Self { previous, parent }
    }
}

/// The events from top to bottom. `lane` is each event's timeline (see
/// [`timelines`]); `arrows` are the "happened before" pairs that the
/// arrows imply.
pub(crate) fn causal_order(
    events: &[Event],
    lane: &[usize],
    threads: &Threads,
    arrows: &[(usize, usize)],
) -> Vec<usize> {
    graph(events, lane, threads, arrows).order()
}

/// The "happened before" graph of [`causal_order`]: its edges grow with
/// the events, not with the pairs of programs.
fn graph(
    events: &[Event],
    lane: &[usize],
    threads: &Threads,
    arrows: &[(usize, usize)],
) -> Graph {
    let mut graph = Graph::new(events.len());
    // Hard: each thread in its own order.
    for (i, previous) in threads.previous.iter().enumerate() {
        if let Some(p) = previous {
            graph.add(Rule::Hard, *p, i);
        }
    }
    // Hard: a thread starts after the main thread's last call before it.
    for (i, parent) in threads.parent.iter().enumerate() {
        if let Some(p) = parent {
            graph.add(Rule::Hard, *p, i);
        }
    }
    // Soft: the threads of one timeline by their common clock.
    let mut by_lane: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (i, &l) in lane.iter().enumerate() {
        by_lane.entry(l).or_default().push(i);
    }
    for list in by_lane.values_mut() {
        list.sort_by_key(|&i| (events[i].ts, i));
        for pair in list.windows(2) {
            if events[pair[0]].thread != events[pair[1]].thread {
                graph.add(Rule::Soft, pair[0], pair[1]);
            }
        }
    }
    for &(from, to) in arrows {
        if from != to {
            graph.add(Rule::Arrow, from, to);
        }
    }
    // Soft: a program's main thread shares one clock with its handler
    // threads, so each of its calls comes after the handlers' calls that
    // returned before it (a threaded server closes its listener after the
    // conversations that ended before). Handlers are not ordered among
    // themselves: what two handlers do at once is drawn side by side.
    let mut of_pid: BTreeMap<u64, Vec<usize>> = BTreeMap::new();
    for (i, e) in events.iter().enumerate() {
        if e.thread == "main" || is_handler(&e.thread) {
            of_pid.entry(e.pid).or_default().push(i);
        }
    }
    for list in of_pid.values_mut() {
        list.sort_by_key(|&i| (events[i].ts, i));
        graph.all_before_along(
            Rule::Soft,
            list,
            |i| is_handler(&events[i].thread),
            |i| events[i].thread == "main",
        );
    }
    // Soft: a program that starts later in the file started after what the
    // other programs had written by then (a client started once its server
    // listens). Programs append as things happen; a few microseconds apart
    // the file may say either, which is why this rule is soft.
    let mut seen = BTreeSet::new();
    let starts: Vec<bool> = (0..events.len())
        .map(|i| seen.insert(lane[i]) && events[i].thread == "main")
        .collect();
    graph.all_before(Rule::Soft, |_| true, |i| starts[i]);
    // Soft: what a client does after another client has finished (its
    // last event) came after that: people start and stop clients one after
    // the other. (Servers are left out: a server's last steps and a
    // client's may be written a hair apart either way.) The rule binds
    // every client event written after such an end, not only the first:
    // a client's threads write their lines in any order, so the first line
    // after the end need not be its thread's first call after it.
    let client = |i: usize| events[i].prog.ends_with("-client");
    let mut last_of_pid: BTreeMap<u64, usize> = BTreeMap::new();
    for (i, e) in events.iter().enumerate() {
        if client(i) {
            last_of_pid.insert(e.pid, i);
        }
    }
    let mut end = vec![false; events.len()];
    for &last in last_of_pid.values() {
        end[last] = true;
    }
    let mut after_end = vec![false; events.len()];
    let mut ended = false;
    for i in 0..events.len() {
        if client(i) {
            after_end[i] = ended;
            ended |= end[i];
        }
    }
    graph.all_before(Rule::Soft, |i| end[i], |i| after_end[i]);
    // Ties: the timeline that appears first in the input, then input order.
    let mut first_of_lane: BTreeMap<usize, usize> = BTreeMap::new();
    for (i, &l) in lane.iter().enumerate() {
        first_of_lane.entry(l).or_insert(i);
    }
    for (i, l) in lane.iter().enumerate() {
        graph.rank[i] = first_of_lane[l];
    }
    graph
}

/// The kinds of "happened before", from the one that never gives way.
#[derive(Debug, Clone, Copy)]
enum Rule {
    Hard = 0,
    Arrow = 1,
    Soft = 2,
}

/// Events and their "happened before" pairs, for a topological order.
/// Nodes from `events` on are barriers: not events, only a way to say
/// "all of these before all of those" in few edges. They take no row and
/// add nothing to a depth.
struct Graph {
    after: Vec<Vec<(Rule, usize)>>,
    /// For each node: how many of its predecessors under each rule are
    /// not placed yet.
    waiting: Vec<[usize; 3]>,
    /// For each event: where its timeline first appears in the input (ties
    /// go to the smaller).
    rank: Vec<usize>,
    /// How many nodes are events.
    events: usize,
}

impl Graph {
    fn new(n: usize) -> Self {
        Self {
            after: vec![Vec::new(); n],
            waiting: vec![[0; 3]; n],
            rank: vec![0; n],
            events: n,
        }
    }

    fn add(&mut self, rule: Rule, before: usize, after: usize) {
        self.after[before].push((rule, after));
        self.waiting[after][rule as usize] += 1;
    }

    /// Adds a barrier node and returns it.
    fn barrier(&mut self) -> usize {
        self.after.push(Vec::new());
        self.waiting.push([0; 3]);
        self.after.len() - 1
    }

    /// `rule` from every `source` to every `target` later in the input,
    /// in few edges: the sources met since the last target go into a new
    /// barrier, which follows the barrier before it, and each target
    /// follows the newest barrier. One edge per source, per target and per
    /// barrier, however many pairs that stands for.
    fn all_before(
        &mut self,
        rule: Rule,
        source: impl Fn(usize) -> bool,
        target: impl Fn(usize) -> bool,
    ) {
        let input: Vec<usize> = (0..self.events).collect();
        self.all_before_along(rule, &input, source, target);
    }

    /// [`all_before`](Self::all_before) with "later" meaning later in
    /// `order` instead of later in the input.
    fn all_before_along(
        &mut self,
        rule: Rule,
        order: &[usize],
        source: impl Fn(usize) -> bool,
        target: impl Fn(usize) -> bool,
    ) {
        let mut newest: Option<usize> = None;
        let mut pending: Vec<usize> = Vec::new();
        for &i in order {
            if target(i) {
                if !pending.is_empty() {
                    let b = self.barrier();
                    if let Some(older) = newest {
                        self.add(rule, older, b);
                    }
                    for s in pending.drain(..) {
                        self.add(rule, s, b);
                    }
                    newest = Some(b);
                }
                if let Some(b) = newest {
                    self.add(rule, b, i);
                }
            }
            if source(i) {
                pending.push(i);
            }
        }
    }

    /// How many "happened before" pairs hold the graph together (for the
    /// test that they grow no faster than the events).
    #[cfg(test)]
    fn edges(&self) -> usize {
        self.after.iter().map(Vec::len).sum()
    }

    /// Which queue an event is in: 0 when nothing holds it back, 1 when
    /// only soft rules do, 2 when arrows do; `None` while its thread's
    /// previous call is not placed.
    fn queue(&self, i: usize) -> Option<usize> {
        match self.waiting[i] {
            [0, 0, 0] => Some(0),
            [0, 0, _] => Some(1),
            [0, _, _] => Some(2),
            _ => None,
        }
    }

    /// A topological order that takes the earliest event in the input
    /// among those that may come next, breaking a soft rule, then an arrow,
    /// only where the rules form a cycle.
    fn order(mut self) -> Vec<usize> {
        let n = self.waiting.len();
        let mut queues: [BTreeSet<(usize, usize)>; 3] = Default::default();
        let mut placed = vec![false; n];
        for i in 0..n {
            if let Some(q) = self.queue(i) {
                queues[q].insert(self.key(i, q));
            }
        }
        let mut order = Vec::with_capacity(n);
        while order.len() < n {
            let next = queues
                .iter_mut()
                .find_map(BTreeSet::pop_first)
                .map(|(_, i)| i);
            // The hard rules never form a cycle (each thread is a chain,
            // and threads hang off their main thread), so a queue always
            // holds something; should that fail, go on in input order.
            let next = match next {
                Some(i) => i,
                None => match (0..n).find(|&i| !placed[i]) {
                    Some(i) => i,
                    None => break,
                },
            };
            placed[next] = true;
            order.push(next);
            for k in 0..self.after[next].len() {
                let (rule, later) = self.after[next][k];
                if placed[later] {
                    continue;
                }
                let old = self.queue(later);
                self.waiting[later][rule as usize] -= 1;
                let new = self.queue(later);
                if old != new {
                    if let Some(q) = old {
                        queues[q].remove(&self.key(later, q));
                    }
                    if let Some(q) = new {
                        queues[q].insert(self.key(later, q));
                    }
                }
            }
        }
        // Depth along that order: every rule kept in it counts, a step
        // into a barrier adds nothing.
        let mut position = vec![0; n];
        for (p, &e) in order.iter().enumerate() {
            position[e] = p;
        }
        let mut depth = vec![0; n];
        for &e in &order {
            for &(_, later) in &self.after[e] {
                if position[later] > position[e] {
                    let step = usize::from(later < self.events);
                    depth[later] = depth[later].max(depth[e] + step);
                }
            }
        }
        order.retain(|&e| e < self.events);
        order.sort_by_key(|&e| (depth[e], self.rank[e], e));
        order
    }

    /// Where a node sorts in queue `q`: an event by its rank; a barrier
    /// first while nothing holds it back (placing it only frees others),
    /// and last when a rule must give way (better one event's rule than
    /// all those behind the barrier).
    fn key(&self, i: usize, q: usize) -> (usize, usize) {
        match (i < self.events, q) {
            (true, _) => (self.rank[i], i),
            (false, 0) => (0, i),
            (false, _) => (usize::MAX, i),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::event::Step;

    fn event(prog: &str, pid: u64, thread: &str, step: Step) -> Event {
        Event {
            ts: 0,
            start: None,
            prog: prog.into(),
            pid,
            thread: thread.into(),
            step,
            local: None,
            peer: None,
            conn: None,
            bytes: None,
            offset: None,
            digest: None,
            error: None,
        }
    }

    /// A server and `n` clients one after another, each with a receiving
    /// thread, all in one file: the tester's 8,000 programs, smaller.
    fn many_clients(n: u64) -> Vec<Event> {
        let mut events = vec![
            event("tcp-server", 1, "main", Step::Socket),
            event("tcp-server", 1, "main", Step::Listen),
        ];
        for pid in 2..n + 2 {
            events.push(event("tcp-client", pid, "main", Step::Connect));
            events.push(event("tcp-server", 1, "main", Step::Accept));
            events.push(event("tcp-client", pid, "main", Step::Send));
            events.push(event("tcp-server", 1, "main", Step::Recv));
            events.push(event("tcp-client", pid, "receive", Step::Recv));
            events.push(event("tcp-client", pid, "main", Step::Close));
            events.push(event("tcp-server", 1, "main", Step::Close));
        }
        for (ts, e) in events.iter_mut().enumerate() {
            e.ts = ts as u64;
        }
        events
    }

    fn edges(events: &[Event]) -> usize {
        let lane = timelines(events);
        graph(events, &lane, &Threads::of(events), &[]).edges()
    }

    /// The guard against drawing time that grows with the square of the
    /// programs: the ordering edges grow with the events (a few per
    /// event), whether 50 clients or 1,000 take turns; one edge between
    /// every pair of them would be ~500,000.
    #[test]
    fn ordering_edges_grow_with_the_events() {
        for n in [50, 1000] {
            let events = many_clients(n);
            let edges = edges(&events);
            assert!(edges <= 4 * events.len(), "{n} clients: {edges} edges");
        }
    }

    /// The rules the barriers stand for still hold: each client starts
    /// after the one before it ended, and after the server listened.
    #[test]
    fn clients_taking_turns_are_drawn_in_turn() {
        let events = many_clients(3);
        let lane = timelines(&events);
        let order = causal_order(&events, &lane, &Threads::of(&events), &[]);
        let mut row = vec![0; events.len()];
        for (r, &e) in order.iter().enumerate() {
            row[e] = r;
        }
        let connects: Vec<usize> = (0..events.len())
            .filter(|&i| events[i].step == Step::Connect)
            .collect();
        let closes: Vec<usize> = (0..events.len())
            .filter(|&i| events[i].prog == "tcp-client")
            .filter(|&i| events[i].step == Step::Close)
            .collect();
        assert!(row[1] < row[connects[0]], "after listen");
        for k in 1..connects.len() {
            assert!(row[closes[k - 1]] < row[connects[k]], "client {k}");
        }
    }
}
