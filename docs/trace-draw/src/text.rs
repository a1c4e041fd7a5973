//! The diagram as plain text, for a terminal of 80 columns or more.
//!
//! ```text
//! A  tcp-client (pid 4200)
//! B  tcp-server (pid 4100)
//! * a call returns   # a call waits   -> <- packets   x lost on the way
//!
//!       A     B
//!    7  *     #     A  socket()
//!    8  *     #     A  connect(127.0.0.1:10888)
//!    9  |---->*     B  accept() = 127.0.0.1:50000 (conn 1)
//!       |     |        <- SYN, SYN-ACK, ACK from A
//!   10  *     #     A  send(5 bytes)
//!   11  #---->*     B  recv() = 3 bytes  <- 5 bytes from A10
//! ```
//!
//! One lane per lifeline, six columns apart, with a letter; one numbered
//! row per event. In its lane an event is `*` (`x` for a datagram thrown
//! away), a call that waits is `#`, an idle lifeline `|`. An arrow is drawn
//! on the row where it arrives, from the sender's lane to the event, and
//! the text after the call says what it carried and the sender's lane and
//! row (`<- 5 bytes from A8`); where that would pass 80 columns, it goes on
//! a line of its own under the call. A packet that arrives nowhere is drawn
//! on its sender's row, ending in `x` halfway (`-> lost`). ASCII only in
//! English (a Chinese character counts two columns).

use crate::arrows::{Tail, Tip};
use crate::diagram::Diagram;
use crate::event::Step;
use crate::messages;
use lesson::lang::tr;
use std::fmt::Write as _;

/// Columns from one lane to the next.
const LANE: usize = 6;
/// Columns before the first lane (room for the row number).
const MARGIN: usize = 6;
/// The width of the terminal the text is made for.
const COLUMNS: usize = 80;

/// `A`, `B`, … `Z`, `AA`, `AB`, …
fn letter(lane: usize) -> String {
    let mut name = String::new();
    let mut n = lane;
    loop {
        name.insert(0, char::from(b'A' + (n % 26) as u8));
        if n < 26 {
            return name;
        }
        n = n / 26 - 1;
    }
}

pub(crate) fn text(d: &Diagram) -> String {
    let lanes = d.lifelines().len();
    let mut out = String::new();
    for (i, l) in d.lifelines().iter().enumerate() {
        let prog = shared::text::render(l.prog.as_bytes());
        let detail = shared::text::render(l.detail().as_bytes());
        let line = messages::text_lifeline(&prog, &detail);
        let _ = writeln!(out, "{}  {line}", letter(i));
    }
    for note in d.path_notes() {
        let _ = writeln!(out, "{note}");
    }
    // Between Unix sockets nothing goes on a wire: the arrows are what one
    // socket hands the other inside the kernel, not packets.
    let addresses = d.events().iter().flat_map(|e| [&e.local, &e.peer]);
    let inet = addresses.flatten().any(|a| crate::arrows::is_inet(a));
    let legend = if inet || d.events().is_empty() {
        "draw-text-legend-packets"
    } else {
        "draw-text-legend-messages"
    };
    let _ = writeln!(out, "{}\n", tr(legend, &[]));
    let mut header = " ".repeat(MARGIN);
    for i in 0..lanes {
        let name = letter(i);
        header.push_str(&name);
        header.push_str(&" ".repeat(LANE.saturating_sub(name.len())));
    }
    let _ = writeln!(out, "{}", header.trim_end());

    // Where each lane waits: on the rows strictly between the event a
    // call's wait begins under and the call's return (`on`), and between
    // each of those rows and the next (`between`, for continuation lines).
    // Kept as where waits begin and end, and counted row by row below, so
    // that memory grows with rows plus lanes, not with their product.
    let rows = d.rows().len();
    let mut on = Waits::new(rows, lanes);
    let mut between = Waits::new(rows, lanes);
    for &e in d.rows() {
        if let Some(after) = d.waits_after(e) {
            let lane = d.lifeline_of(e);
            on.add(lane, after.map_or(0, |r| r + 1), d.row_of(e));
            between.add(lane, after.unwrap_or(0), d.row_of(e));
        }
    }
    // The width of the lanes, with room for a cross right of the last.
    let width = MARGIN + lanes.saturating_sub(1) * LANE + 1 + 3;
    let idle = |waits: &Waits| {
        let mut line = vec![b' '; width];
        for (lane, &waiting) in waits.now.iter().enumerate() {
            line[column(lane)] = if waiting > 0 { b'#' } else { b'|' };
        }
        line
    };
    // The arrows that end at each event, and those that end in the air
    // from it.
    let mut at: Vec<Vec<(usize, Tip)>> = vec![Vec::new(); d.events().len()];
    for (i, arrow) in d.arrows().iter().enumerate() {
        for &tip in &arrow.to {
            let e = tip.event().unwrap_or(arrow.from.event());
            at[e].push((i, tip));
        }
    }
    for (r, &e) in d.rows().iter().enumerate() {
        on.at(r);
        between.at(r);
        let mut line = idle(&on);
        let own = d.lifeline_of(e);
        line[column(own)] = match d.events()[e].step {
            Step::Drop => b'x',
            _ => b'*',
        };
        let mut notes: Vec<String> = Vec::new();
        for &(i, tip) in &at[e] {
            let arrow = &d.arrows()[i];
            let from = d.lifeline_of(arrow.from.event());
            match tip {
                Tip::Event(_) | Tip::Crossed(_) => {
                    let head = matches!(tip, Tip::Event(_));
                    draw(&mut line, from, own, head);
                    let sender = match arrow.from {
                        Tail::Event(s) => {
                            format!("{}{}", letter(from), d.row_of(s) + 1)
                        }
                        Tail::Start(_) => letter(from),
                    };
                    notes.push(messages::from(&arrow.label, &sender));
                }
                Tip::Cross { toward } => {
                    air(&mut line, own, toward);
                    notes.push(format!("-> {}", arrow.label));
                }
            }
        }
        let number = format!("{:>4}", r + 1);
        line[..number.len()].copy_from_slice(number.as_bytes());
        let lanes_text = String::from_utf8_lossy(&line).into_owned();
        let call =
            format!("{lanes_text}  {}  {}", letter(own), d.call_label(e));
        let whole = match notes.is_empty() {
            true => call.clone(),
            false => format!("{call}  {}", notes.join("; ")),
        };
        if messages::columns(&whole) <= COLUMNS {
            let _ = writeln!(out, "{}", whole.trim_end());
            continue;
        }
        // Too wide: each note on a line of its own, under the call.
        let _ = writeln!(out, "{}", call.trim_end());
        let indent = " ".repeat(2 + letter(own).len() + 2);
        let lanes_text = String::from_utf8_lossy(&idle(&between)).into_owned();
        for note in notes {
            let _ = writeln!(out, "{lanes_text}{indent}{note}");
        }
    }
    if let Some(cut) = d.cut() {
        let _ = writeln!(out, "{}{}", " ".repeat(MARGIN), cut.note());
    }
    out
}

/// Which lanes wait on which rows: the waits, as the rows where each
/// begins and ends, and how many wait on each lane at the row reached.
struct Waits {
    /// For each row: the lanes whose waits begin there (+1) or end (-1).
    changes: Vec<Vec<(usize, i32)>>,
    now: Vec<i32>,
}

impl Waits {
    fn new(rows: usize, lanes: usize) -> Self {
        Self {
            changes: vec![Vec::new(); rows + 1],
            now: vec![0; lanes],
        }
    }

    /// Lane `lane` waits on rows `from..to`.
    fn add(&mut self, lane: usize, from: usize, to: usize) {
        if from < to {
            self.changes[from].push((lane, 1));
            self.changes[to].push((lane, -1));
        }
    }

    /// Moves on to row `r` (rows are visited in order, each once).
    fn at(&mut self, r: usize) {
        for &(lane, change) in &self.changes[r] {
            self.now[lane] += change;
        }
    }
}

fn column(lane: usize) -> usize {
    MARGIN + lane * LANE
}

/// An arrow on one row from lane `from` to lane `to`, with a head (`>` or
/// `<`) or, for a datagram thrown away, straight into the `x`.
fn draw(line: &mut [u8], from: usize, to: usize, head: bool) {
    let (a, b) = (column(from), column(to));
    if a == b {
        return;
    }
    let (low, high) = (a.min(b), a.max(b));
    for c in &mut line[low + 1..high] {
        *c = b'-';
    }
    if head && b > a {
        line[b - 1] = b'>';
    } else if head {
        line[b + 1] = b'<';
    }
}

/// A packet that arrives nowhere: from lane `from`, halfway toward lane
/// `toward` (or a few columns right), ending in `x`.
fn air(line: &mut [u8], from: usize, toward: Option<usize>) {
    let a = column(from);
    let end = match toward.map(column) {
        Some(b) if b > a + 2 => a + (b - a) / 2,
        Some(b) if b + 2 < a => a - (a - b) / 2,
        _ => a + 3,
    };
    let (low, high) = (a.min(end), a.max(end));
    for c in &mut line[low + 1..high] {
        *c = b'-';
    }
    line[end] = b'x';
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn letters_go_on_after_z() {
        let names: Vec<String> = [0, 1, 25, 26, 27, 52].map(letter).into();
        assert_eq!(names, ["A", "B", "Z", "AA", "AB", "BA"]);
    }
}
