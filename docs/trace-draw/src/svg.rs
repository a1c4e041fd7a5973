//! The diagram as SVG, in the visual language of the book's pictures: a
//! box per lifeline at the top, dashed lifelines, a dot per call with its
//! text beside it, orange bars where a call waited, arrows with labels,
//! and a cross where a datagram or a connect got nowhere.
//!
//! The file stands alone (no script, no font, nothing fetched), so it
//! renders the same in the book, a browser and on a repository host. The
//! parts tests count carry classes: `lifeline`, `arrow <kind>`, `call`,
//! `wait`.

use crate::arrows::{ArrowKind, Tail, Tip, UNIX_LABELS};
use crate::diagram::Diagram;
use crate::layout::Lifeline;
use lesson::lang::tr;
use std::fmt::Write as _;

/// Pixels between rows.
const ROW: i64 = 30;
/// The y of row 0.
const Y0: i64 = 124;
/// The top and height of the lifeline boxes.
const BOX_Y: i64 = 40;
const BOX_H: i64 = 38;
/// How far a cross in the air is from its lifeline when nothing is there.
const SHORT: i64 = 90;
/// The smallest distance between two lifelines.
const MIN_GAP: i64 = 200;

/// The estimated width of text in the 13 px font; generous for digits.
/// A Chinese character (any wide one) takes a whole em.
fn width(text: &str, size: i64) -> i64 {
    let (wide, narrow) = text.chars().fold((0, 0), |(w, n), c| {
        match crate::messages::is_wide(c) {
            true => (w + 1, n),
            false => (w, n + 1),
        }
    });
    (narrow * 57 + wide * 100) * size / 100 + 2
}

/// Text made safe for XML: markup characters as entities, and what XML
/// 1.0 does not allow in a document at all (C0 controls but tab, line
/// feed and carriage return; U+FFFE and U+FFFF) as a visible `\u{fffe}`,
/// since not even an entity may stand for those. Everything the SVG says
/// in words goes through here.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if !allowed_in_xml(c) => {
                let _ = write!(out, "\\u{{{:x}}}", u32::from(c));
            }
            c => out.push(c),
        }
    }
    out
}

/// XML 1.0's `Char`, for what a Rust `char` can be (no surrogates).
fn allowed_in_xml(c: char) -> bool {
    matches!(c, '\t' | '\n' | '\r' | ' '..='\u{fffd}' | '\u{10000}'..)
}

fn color(kind: ArrowKind) -> &'static str {
    match kind {
        ArrowKind::Handshake => "#2a7a2a",
        ArrowKind::Fin => "#1f5fbf",
        ArrowKind::Rst | ArrowKind::Lost | ArrowKind::Refused => "#c0392b",
        ArrowKind::Data | ArrowKind::Datagram => "#333",
    }
}

/// Where things go: x of each lifeline, y of each row.
struct Geometry {
    x: Vec<i64>,
    width: i64,
    height: i64,
}

impl Geometry {
    fn y(row: usize) -> i64 {
        Y0 + row as i64 * ROW
    }

    fn of(d: &Diagram, title: &str) -> Self {
        let n = d.lifelines().len();
        let mut label = vec![0; n];
        for (e, _) in d.events().iter().enumerate() {
            let l = d.lifeline_of(e);
            label[l] = label[l].max(width(d.call_label(e), 13));
        }
        let boxes: Vec<i64> = d
            .lifelines()
            .iter()
            .map(|l| box_width(&l.prog, &l.detail()))
            .collect();
        // Labels of arrows between neighbours need room between them.
        let mut between = vec![0; n];
        let mut air = vec![0; n];
        for arrow in d.arrows() {
            let from = d.lifeline_of(arrow.from.event());
            for tip in &arrow.to {
                match tip {
                    Tip::Event(t) | Tip::Crossed(t) => {
                        let to = d.lifeline_of(*t);
                        if from.abs_diff(to) == 1 {
                            let gap = from.max(to);
                            let w = width(&arrow.label, 12) + 40;
                            between[gap] = between[gap].max(w);
                        }
                    }
                    Tip::Cross { toward: None } => {
                        air[from] =
                            air[from].max(SHORT + 12 + width(&arrow.label, 12));
                    }
                    Tip::Cross { .. } => {}
                }
            }
        }
        // Call labels go on the side away from the traffic: a client's on
        // its left, a server's on its right, as in the book.
        let (mut left, mut right) = (vec![0; n], vec![0; n]);
        for (i, l) in d.lifelines().iter().enumerate() {
            match labels_left(l) {
                true => left[i] = label[i],
                false => right[i] = label[i],
            }
        }
        let mut x = Vec::with_capacity(n);
        let first_box = boxes.first().copied().unwrap_or(140);
        x.push((first_box / 2 + 20).max(left.first().map_or(0, |w| w + 32)));
        for i in 1..n {
            let gap = MIN_GAP
                .max((boxes[i - 1] + boxes[i]) / 2 + 30)
                .max(between[i])
                .max(air[i - 1] + 20)
                .max(right[i - 1] + left[i] + 48);
            x.push(x[i - 1] + gap);
        }
        let last = n.saturating_sub(1);
        let last_x = x.last().copied().unwrap_or(0);
        let right = [
            boxes.get(last).map_or(0, |b| b / 2 + 20),
            right.get(last).map_or(0, |w| w + 32),
            air.get(last).map_or(0, |w| w + 20),
        ];
        let right = right.into_iter().max().unwrap_or(0);
        // A cut diagram says so on a row of its own under the last one.
        let note = d.cut().map_or(0, |cut| width(&cut.note(), 13) + 40);
        // So does each shortened path, with what it stands for.
        let paths = d.path_notes();
        let path_note = paths.iter().map(|p| width(p, 13) + 40).max();
        let width = (last_x + right)
            .max(width(title, 16) + 40)
            .max(note)
            .max(path_note.unwrap_or(0))
            .max(420);
        let rows = d.rows().len() as i64
            + i64::from(d.cut().is_some())
            + paths.len() as i64;
        let height = Y0 + rows.max(1) * ROW + 40;
        Self { x, width, height }
    }
}

/// True when a lifeline's call labels go on its left.
fn labels_left(lifeline: &Lifeline) -> bool {
    lifeline.is_client()
}

fn box_width(name: &str, detail: &str) -> i64 {
    (width(name, 14) + 24).max(width(detail, 11) + 24).max(140)
}

/// A text element with a white halo, so that lines behind it do not cross
/// out its letters.
fn text(
    out: &mut String,
    class: Option<&str>,
    x: i64,
    y: i64,
    style: &str,
    words: &str,
) {
    let class = class.map(|c| format!(" class=\"{c}\"")).unwrap_or_default();
    let _ = writeln!(
        out,
        "<text{class} x=\"{x}\" y=\"{y}\" {style} stroke=\"white\" \
         stroke-width=\"3\" paint-order=\"stroke\">{}</text>",
        escape(words)
    );
}

fn cross(out: &mut String, x: i64, y: i64) {
    let _ = writeln!(
        out,
        "<path d=\"M{} {} L{} {} M{} {} L{} {}\" stroke=\"#c0392b\" \
         stroke-width=\"2.5\"/>",
        x - 6,
        y - 6,
        x + 6,
        y + 6,
        x - 6,
        y + 6,
        x + 6,
        y - 6
    );
}

pub(crate) fn svg(d: &Diagram, title: &str) -> String {
    let title = shared::text::render(title.as_bytes());
    let g = Geometry::of(d, &title);
    let (w, h) = (g.width, g.height);
    let mut out = String::new();
    let _ = writeln!(
        out,
        "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"{w}\" \
         height=\"{h}\" viewBox=\"0 0 {w} {h}\" \
         font-family=\"Helvetica, Arial, sans-serif\">"
    );
    let _ =
        writeln!(out, "<rect width=\"{w}\" height=\"{h}\" fill=\"white\"/>");
    out.push_str("<defs>\n");
    for kind in ArrowKind::ALL {
        let _ = writeln!(
            out,
            "<marker id=\"head-{}\" markerWidth=\"10\" markerHeight=\"8\" \
             refX=\"9\" refY=\"4\" orient=\"auto\"><path d=\"M0,0 L10,4 \
             L0,8 z\" fill=\"{}\"/></marker>",
            kind.class(),
            color(kind)
        );
    }
    out.push_str("</defs>\n");
    text(
        &mut out,
        None,
        w / 2,
        24,
        "text-anchor=\"middle\" font-size=\"16\" font-weight=\"bold\" fill=\"#222\"",
        &title,
    );
    lifelines(&mut out, d, &g);
    waits(&mut out, d, &g);
    for arrow_index in 0..d.arrows().len() {
        arrow(&mut out, d, &g, arrow_index);
    }
    calls(&mut out, d, &g);
    if let Some(cut) = d.cut() {
        let y = Geometry::y(d.rows().len()) + 4;
        let style = "text-anchor=\"start\" font-size=\"13\" fill=\"#c0392b\"";
        text(&mut out, Some("cut"), 20, y, style, &cut.note());
    }
    let below = d.rows().len() + usize::from(d.cut().is_some());
    for (k, note) in d.path_notes().iter().enumerate() {
        let y = Geometry::y(below + k) + 4;
        let style = "text-anchor=\"start\" font-size=\"13\" fill=\"#456\"";
        text(&mut out, Some("path"), 20, y, style, note);
    }
    legend(&mut out, d, &g);
    out.push_str("</svg>\n");
    out
}

fn lifelines(out: &mut String, d: &Diagram, g: &Geometry) {
    for (i, l) in d.lifelines().iter().enumerate() {
        let x = g.x[i];
        let prog = shared::text::render(l.prog.as_bytes());
        let detail = shared::text::render(l.detail().as_bytes());
        let bw = box_width(&prog, &detail);
        let _ = writeln!(out, "<g class=\"lifeline\">");
        let _ = writeln!(
            out,
            "<rect x=\"{}\" y=\"{BOX_Y}\" width=\"{bw}\" height=\"{BOX_H}\" \
             rx=\"4\" fill=\"#e8eef7\" stroke=\"#456\"/>",
            x - bw / 2
        );
        let _ = writeln!(
            out,
            "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-size=\"14\" \
             font-weight=\"bold\" fill=\"#222\">{}</text>",
            BOX_Y + 17,
            escape(&prog)
        );
        let _ = writeln!(
            out,
            "<text x=\"{x}\" y=\"{}\" text-anchor=\"middle\" font-size=\"11\" \
             fill=\"#456\">{}</text>",
            BOX_Y + 32,
            escape(&detail)
        );
        let _ = writeln!(
            out,
            "<line x1=\"{x}\" y1=\"{}\" x2=\"{x}\" y2=\"{}\" stroke=\"#999\" \
             stroke-dasharray=\"4 3\"/>",
            BOX_Y + BOX_H,
            g.height - 40
        );
        out.push_str("</g>\n");
    }
}

/// The y where a call that waited began: just under the event before it
/// on its lifeline.
fn start_y(d: &Diagram, e: usize) -> i64 {
    match d.waits_after(e) {
        Some(Some(row)) => Geometry::y(row) + ROW / 2,
        Some(None) => Y0 - ROW / 2,
        None => Geometry::y(d.row_of(e)) - ROW / 2,
    }
}

fn waits(out: &mut String, d: &Diagram, g: &Geometry) {
    for &e in d.rows() {
        if d.waits_after(e).is_none() {
            continue;
        }
        let x = g.x[d.lifeline_of(e)];
        let top = start_y(d, e);
        let bottom = Geometry::y(d.row_of(e));
        let _ = writeln!(
            out,
            "<rect class=\"wait\" x=\"{}\" y=\"{top}\" width=\"10\" \
             height=\"{}\" fill=\"#f0a030\" opacity=\"0.8\"/>",
            x - 5,
            (bottom - top).max(4)
        );
    }
}

fn arrow(out: &mut String, d: &Diagram, g: &Geometry, index: usize) {
    let arrow = &d.arrows()[index];
    let kind = arrow.kind;
    let x1 = g.x[d.lifeline_of(arrow.from.event())];
    let y1 = match arrow.from {
        Tail::Event(e) => Geometry::y(d.row_of(e)),
        Tail::Start(e) => start_y(d, e),
    };
    let stroke = color(kind);
    let _ = writeln!(out, "<g class=\"arrow {}\">", kind.class());
    let mut label_at: Option<(i64, i64, &str)> = None;
    for tip in &arrow.to {
        let (x2, y2, head, dashed) = match *tip {
            Tip::Event(t) => {
                (g.x[d.lifeline_of(t)], Geometry::y(d.row_of(t)), true, false)
            }
            Tip::Crossed(t) => {
                (g.x[d.lifeline_of(t)], Geometry::y(d.row_of(t)), false, true)
            }
            Tip::Cross { toward } => {
                let x2 = match toward {
                    Some(l) if g.x[l] != x1 => (x1 + g.x[l]) / 2,
                    _ => x1 + SHORT,
                };
                (x2, y1 + ROW / 2, false, true)
            }
        };
        let marker = match head {
            true => format!(" marker-end=\"url(#head-{})\"", kind.class()),
            false => String::new(),
        };
        let dash = match dashed {
            true => " stroke-dasharray=\"6 4\"",
            false => "",
        };
        let _ = writeln!(
            out,
            "<line x1=\"{x1}\" y1=\"{y1}\" x2=\"{x2}\" y2=\"{y2}\" \
             stroke=\"{stroke}\" stroke-width=\"1.5\"{dash}{marker}/>"
        );
        if !head {
            cross(out, x2, y2);
        }
        if label_at.is_none() {
            label_at = Some(match tip {
                Tip::Cross { .. } if x2 >= x1 => (x2 + 10, y2 + 4, "start"),
                Tip::Cross { .. } => (x2 - 10, y2 + 4, "end"),
                _ => ((x1 + x2) / 2, (y1 + y2) / 2 - 6, "middle"),
            });
        }
    }
    if let Some((x, y, anchor)) = label_at {
        let style = format!(
            "text-anchor=\"{anchor}\" font-size=\"12\" fill=\"{stroke}\""
        );
        text(out, None, x, y, &style, &arrow.label);
    }
    out.push_str("</g>\n");
}

fn calls(out: &mut String, d: &Diagram, g: &Geometry) {
    for &e in d.rows() {
        let lane = d.lifeline_of(e);
        let (x, y) = (g.x[lane], Geometry::y(d.row_of(e)));
        let _ = writeln!(
            out,
            "<circle cx=\"{x}\" cy=\"{y}\" r=\"4\" fill=\"#456\"/>"
        );
        let (tx, anchor) = match labels_left(&d.lifelines()[lane]) {
            true => (x - 12, "end"),
            false => (x + 12, "start"),
        };
        let fill = match d.events()[e].error {
            Some(_) => "#c0392b",
            None => "#222",
        };
        let style = format!(
            "text-anchor=\"{anchor}\" font-size=\"13\" fill=\"{fill}\""
        );
        text(out, Some("call"), tx, y + 4, &style, d.call_label(e));
    }
}

fn legend(out: &mut String, d: &Diagram, g: &Geometry) {
    let y = g.height - 14;
    let _ = writeln!(
        out,
        "<rect x=\"20\" y=\"{}\" width=\"10\" height=\"10\" fill=\"#f0a030\"/>",
        y - 10
    );
    let style = "text-anchor=\"start\" font-size=\"11\" fill=\"#222\"";
    text(out, None, 36, y, style, &tr("draw-legend-wait", &[]));
    let mut x = 170;
    for kind in ArrowKind::ALL {
        if d.count(kind) == 0 {
            continue;
        }
        let c = color(kind);
        let y = y - 4;
        let crossed = matches!(kind, ArrowKind::Lost | ArrowKind::Refused);
        let end = match crossed {
            true => " stroke-dasharray=\"6 4\"".to_string(),
            false => format!(" marker-end=\"url(#head-{})\"", kind.class()),
        };
        let _ = writeln!(
            out,
            "<line x1=\"{x}\" y1=\"{y}\" x2=\"{}\" y2=\"{y}\" \
             stroke=\"{c}\" stroke-width=\"1.5\"{end}/>",
            x + 24
        );
        if crossed {
            cross(out, x + 24, y);
        }
        let y = y + 4;
        let name = legend_name(d, kind);
        text(out, None, x + 30, y, style, &name);
        x += 44 + width(&name, 11);
    }
}

/// What the legend calls arrows of `kind`: over Unix sockets alone, what
/// their labels say instead of a packet's name.
fn legend_name(d: &Diagram, kind: ArrowKind) -> String {
    let unix = UNIX_LABELS.iter().find(|(k, _, _)| *k == kind);
    if let Some(&(_, label, name)) = unix {
        let label = tr(label, &[]);
        let mut all = d.arrows().iter().filter(|a| a.kind == kind);
        if all.all(|a| a.label == label) {
            return tr(name, &[]);
        }
    }
    let id = match kind {
        ArrowKind::Handshake => "draw-legend-handshake",
        ArrowKind::Data => "draw-legend-data",
        ArrowKind::Fin => "draw-legend-fin",
        ArrowKind::Rst => "draw-legend-rst",
        ArrowKind::Datagram => "draw-legend-datagram",
        ArrowKind::Lost => "draw-legend-lost",
        ArrowKind::Refused => "draw-legend-refused",
    };
    tr(id, &[])
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Markup becomes entities; what XML forbids becomes a visible escape.
    #[test]
    fn escape_keeps_the_document_xml() {
        assert_eq!(escape("<a & \"b\">"), "&lt;a &amp; &quot;b&quot;&gt;");
        assert_eq!(escape("\u{fffe}\u{ffff}\u{1}"), "\\u{fffe}\\u{ffff}\\u{1}");
        assert_eq!(
            escape("tab\there \u{fffd}\u{10000}"),
            "tab\there \u{fffd}\u{10000}"
        );
    }
}
