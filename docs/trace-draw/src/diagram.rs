//! The diagram: lifelines left to right, one row per event top to bottom,
//! the arrows between them, and where each call waited.

use crate::arrows::{self, Arrow, ArrowKind, Tail, Tip};
use crate::event::{Event, Step};
use crate::layout::{self, Lifeline, Threads};
use crate::places::Places;
use std::collections::HashMap;

/// A sequence diagram of one or more traces, ready to draw.
#[derive(Debug)]
pub struct Diagram {
    events: Vec<Event>,
    lifelines: Vec<Lifeline>,
    /// Each event's lifeline (an index into `lifelines`).
    lane: Vec<usize>,
    /// The events from top to bottom.
    order: Vec<usize>,
    /// Each event's row.
    row: Vec<usize>,
    /// For a call that waited (it has `start`): the row under which its
    /// wait begins; `Some(None)` when it waited from the top.
    waits_after: Vec<Option<Option<usize>>>,
    arrows: Vec<Arrow>,
    labels: Vec<String>,
    /// How addresses are shown: Unix sockets' paths shortened.
    places: Places,
    /// What [`Diagram::first_lifelines`] left out.
    cut: Option<Cut>,
}

/// What a diagram cut after its first lifelines leaves out: it stops at
/// the row where one more would begin.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Cut {
    /// The most lifelines it draws.
    pub max: usize,
    /// How many lifelines, events and arrows are not drawn.
    pub lifelines: usize,
    pub events: usize,
    pub arrows: usize,
}

impl Cut {
    /// The line under the drawing that says so.
    pub fn note(&self) -> String {
        crate::messages::cut(self.max, self.lifelines, self.events)
    }
}

impl Diagram {
    /// Lays out `events`, given in input order (files in the order given,
    /// lines in file order): the input order breaks ties, so the same
    /// input always gives the same diagram.
    pub fn new(events: Vec<Event>) -> Self {
        let (lifelines, lane) = layout::lifelines(&events);
        let threads = Threads::of(&events);
        let matches = arrows::find(&events, &lane);
        let mut before = matches.before.clone();
        for arrow in &matches.arrows {
            let from = match arrow.from {
                Tail::Event(e) => Some(e),
                // A call's start sits just under the call before it.
                Tail::Start(e) => threads.previous[e],
            };
            let Some(from) = from else { continue };
            for tip in &arrow.to {
                if let Some(to) = tip.event() {
                    before.push((from, to));
                }
            }
        }
        let timeline = layout::timelines(&events);
        let order = layout::causal_order(&events, &timeline, &threads, &before);
        let mut row = vec![0; events.len()];
        for (r, &e) in order.iter().enumerate() {
            row[e] = r;
        }

        // A call that waited began just under its thread's previous call
        // (or the call that started its thread): a thread goes straight on
        // to its next call. (Clocks could place it finer, but a few
        // microseconds either way would move the bar from run to run.)
        let mut waits_after = vec![None; events.len()];
        for &e in &order {
            if events[e].start.is_some() {
                let thread = threads.previous[e].or(threads.parent[e]);
                waits_after[e] = Some(thread.map(|t| row[t]));
            }
        }

        // Left to right: clients before servers, programs by their first
        // appearance (a lifeline appears where its first call begins), and
        // the threads of a program side by side, in the same way.
        let mut first = vec![usize::MAX; lifelines.len()];
        for &e in &order {
            let begins = match waits_after[e] {
                Some(Some(after)) => 2 * after + 1,
                Some(None) => 0,
                None => 2 * row[e],
            };
            first[lane[e]] = first[lane[e]].min(begins);
        }
        let mut program_first: HashMap<(&str, u64), usize> = HashMap::new();
        for (l, line) in lifelines.iter().enumerate() {
            let at = program_first
                .entry((line.prog.as_str(), line.pid))
                .or_insert(first[l]);
            *at = (*at).min(first[l]);
        }
        let program = |l: usize| {
            let line = &lifelines[l];
            program_first[&(line.prog.as_str(), line.pid)]
        };
        let mut sorted: Vec<usize> = (0..lifelines.len()).collect();
        sorted.sort_by_key(|&l| {
            (!lifelines[l].is_client(), program(l), first[l], l)
        });
        let mut place = vec![0; lifelines.len()];
        for (x, &l) in sorted.iter().enumerate() {
            place[l] = x;
        }
        let lifelines: Vec<Lifeline> =
            sorted.iter().map(|&l| lifelines[l].clone()).collect();
        let lane: Vec<usize> = lane.iter().map(|&l| place[l]).collect();
        let mut arrows = matches.arrows;
        for arrow in &mut arrows {
            for tip in &mut arrow.to {
                if let Tip::Cross { toward: Some(l) } = tip {
                    *l = place[*l];
                }
            }
        }

        let places = Places::of(&events);
        let labels = events.iter().map(|e| call_label(e, &places)).collect();
        Self {
            events,
            lifelines,
            lane,
            order,
            row,
            waits_after,
            arrows,
            labels,
            places,
            cut: None,
        }
    }

    /// The diagram up to where lifeline `max + 1` would begin: what came
    /// before is drawn whole (rows are in causal order, so every arrow into
    /// it starts in it), arrows that leave it end there, and [`Cut`] says
    /// what is left out. Thousands of lifelines (a load test) cannot be
    /// read side by side, and a text drawing grows with lifelines × rows.
    pub fn first_lifelines(self, max: usize) -> Self {
        let max = max.max(1);
        if self.lifelines.len() <= max {
            return self;
        }
        let mut seen = vec![false; self.lifelines.len()];
        let mut count = 0;
        let mut rows = self.order.len();
        for (r, &e) in self.order.iter().enumerate() {
            let l = self.lane[e];
            if !seen[l] {
                if count == max {
                    rows = r;
                    break;
                }
                seen[l] = true;
                count += 1;
            }
        }
        let kept = |e: usize| self.row[e] < rows;
        // New numbers for what is kept, in the old order.
        let mut event_to = vec![None; self.events.len()];
        let mut next = 0;
        for (e, number) in event_to.iter_mut().enumerate() {
            if kept(e) {
                *number = Some(next);
                next += 1;
            }
        }
        let mut lane_to = vec![None; self.lifelines.len()];
        let mut next = 0;
        for (l, number) in lane_to.iter_mut().enumerate() {
            if seen[l] {
                *number = Some(next);
                next += 1;
            }
        }
        let renumber = |e: usize| event_to[e].unwrap_or(0);
        let mut arrows = Vec::new();
        let mut arrows_left_out = 0;
        for mut arrow in self.arrows {
            let tail = arrow.from.event();
            arrow.to.retain(|tip| tip.event().is_none_or(kept));
            if !kept(tail) || arrow.to.is_empty() {
                arrows_left_out += 1;
                continue;
            }
            arrow.from = match arrow.from {
                Tail::Event(e) => Tail::Event(renumber(e)),
                Tail::Start(e) => Tail::Start(renumber(e)),
            };
            for tip in &mut arrow.to {
                *tip = match *tip {
                    Tip::Event(t) => Tip::Event(renumber(t)),
                    Tip::Crossed(t) => Tip::Crossed(renumber(t)),
                    Tip::Cross { toward } => Tip::Cross {
                        toward: toward.and_then(|l| lane_to[l]),
                    },
                };
            }
            arrows.push(arrow);
        }
        let cut = Cut {
            max,
            lifelines: self.lifelines.len() - count,
            events: self.events.len() - rows,
            arrows: arrows_left_out,
        };
        let kept: Vec<bool> = (0..self.events.len()).map(kept).collect();
        let lane = self
            .lane
            .iter()
            .enumerate()
            .filter(|&(e, _)| kept[e])
            .map(|(_, &l)| lane_to[l].unwrap_or(0))
            .collect();
        let lifelines = self
            .lifelines
            .into_iter()
            .zip(&seen)
            .filter(|(_, seen)| **seen)
            .map(|(l, _)| l)
            .collect();
        let order = self.order[..rows].iter().map(|&e| renumber(e)).collect();
        let mut places = self.places;
        let events = only(self.events, &kept);
        places.keep_only(&events);
        Self {
            row: only(self.row, &kept),
            waits_after: only(self.waits_after, &kept),
            labels: only(self.labels, &kept),
            events,
            lifelines,
            lane,
            order,
            arrows,
            places,
            cut: Some(cut),
        }
    }

    /// What [`Diagram::first_lifelines`] left out, if it did.
    pub fn cut(&self) -> Option<&Cut> {
        self.cut.as_ref()
    }

    /// The events, in input order.
    pub fn events(&self) -> &[Event] {
        &self.events
    }

    /// The lifelines, left to right.
    pub fn lifelines(&self) -> &[Lifeline] {
        &self.lifelines
    }

    /// The arrows, in the order they are drawn.
    pub fn arrows(&self) -> &[Arrow] {
        &self.arrows
    }

    /// How many arrows of `kind` there are.
    pub fn count(&self, kind: ArrowKind) -> usize {
        self.arrows.iter().filter(|a| a.kind == kind).count()
    }

    /// The events from top to bottom (indices into [`Diagram::events`]).
    pub fn rows(&self) -> &[usize] {
        &self.order
    }

    /// The row of event `e`, from 0 at the top.
    pub fn row_of(&self, e: usize) -> usize {
        self.row[e]
    }

    /// The lifeline of event `e` (an index into [`Diagram::lifelines`]).
    pub fn lifeline_of(&self, e: usize) -> usize {
        self.lane[e]
    }

    /// The text beside event `e`'s dot: `recv() = 3 bytes`.
    pub fn call_label(&self, e: usize) -> &str {
        &self.labels[e]
    }

    /// The Unix sockets' paths that the labels show shortened, as
    /// (whole path, how it is shown), by whole path.
    pub fn paths(&self) -> impl Iterator<Item = (&str, &str)> {
        self.places.shortened()
    }

    /// A line for each shortened path, saying what it stands for:
    /// `.../echo.sock is /home/ada/echo.sock`, safe to print.
    pub fn path_notes(&self) -> Vec<String> {
        self.paths()
            .map(|(whole, short)| crate::messages::path(short, whole))
            .map(|note| shared::text::render(note.as_bytes()))
            .collect()
    }

    /// For a call that waited: the row its wait begins just under (the
    /// last event on its lifeline that returned before the call began, or
    /// its thread's previous call, or the call that started its thread,
    /// whichever is lowest), `Some(None)` when nothing came before; `None`
    /// for a call that did not wait.
    pub fn waits_after(&self, e: usize) -> Option<Option<usize>> {
        self.waits_after[e]
    }
}

/// The items of `list` whose place is `true` in `kept`.
fn only<T>(list: Vec<T>, kept: &[bool]) -> Vec<T> {
    list.into_iter()
        .zip(kept)
        .filter(|(_, kept)| **kept)
        .map(|(x, _)| x)
        .collect()
}

/// The text beside a call: `accept() = 127.0.0.1:50000 (conn 1)`, an
/// address shown as `places` says, in the drawing's language. Every part
/// that comes from the trace is made safe to print.
fn call_label(e: &Event, places: &Places) -> String {
    use crate::messages;
    use lesson::lang::tr;
    let safe = |s: Option<&String>| match s {
        Some(s) => shared::text::render(places.show(s).as_bytes()),
        None => "?".into(),
    };
    let (local, peer) = (safe(e.local.as_ref()), safe(e.peer.as_ref()));
    let size = messages::bytes(e.bytes.unwrap_or(0));
    let call = match e.step {
        Step::Resolve => "resolve()".to_string(),
        Step::Socket => "socket()".into(),
        Step::Setsockopt => "setsockopt()".into(),
        Step::Bind => format!("bind({local})"),
        Step::Listen => "listen()".into(),
        Step::Accept => "accept()".into(),
        Step::Connect => format!("connect({peer})"),
        Step::Send => format!("send({size})"),
        Step::Recv => "recv()".into(),
        Step::SendTo => format!("send_to({peer}, {size})"),
        Step::RecvFrom => "recv_from()".into(),
        Step::Shutdown => "shutdown(write)".into(),
        Step::Close if e.conn == Some(0) => tr("draw-close-listener", &[]),
        Step::Close => "close()".into(),
        Step::Drop => format!("drop({size})"),
    };
    if let Some(error) = &e.error {
        return messages::failed(
            &call,
            &shared::text::render(error.as_bytes()),
        );
    }
    match e.step {
        Step::Resolve => match e.peer.as_ref().or(e.local.as_ref()) {
            Some(target) => format!("{call} = {}", safe(Some(target))),
            // The programs record the name's resolution, not its result.
            None => call,
        },
        Step::Listen => messages::listen(&local),
        Step::Accept => match e.conn {
            Some(conn) => messages::accept(&peer, conn),
            None => format!("{call} = {peer}"),
        },
        Step::Recv if e.bytes == Some(0) => tr("draw-recv-end", &[]),
        Step::Recv => format!("{call} = {size}"),
        Step::RecvFrom => messages::recv_from(&size, &peer),
        Step::Drop => messages::with("draw-drop", "call", &call),
        _ => call,
    }
}
