//! Draws what really happened: one or more `--trace` files of the four
//! socket programs as a sequence diagram, in SVG or as plain text.
//!
//! ```text
//! tcp-server --trace run.jsonl          # in one terminal
//! tcp-client --trace run.jsonl          # in another
//! trace-draw run.jsonl > run.svg        # the picture of that run
//! trace-draw --text run.jsonl           # the same, in the terminal
//! ```
//!
//! [`parse`] reads a trace (JSON Lines, format version 1);
//! [`Diagram::new`] finds the lifelines (a program each, and a connection
//! thread of the threaded server each), the arrows between them (by the
//! matching rules of the format: handshake, data by byte offset, FIN,
//! reset, datagrams by digest, and crosses for what got nowhere) and an
//! order of the events in which every arrow points down, whatever the
//! clocks say; [`Diagram::svg`] and [`Diagram::text`] draw it.

mod arrows;
mod diagram;
mod event;
mod layout;
mod messages;
mod places;
mod svg;
mod text;

pub use arrows::{Arrow, ArrowKind, Tail, Tip};
pub use diagram::{Cut, Diagram};
pub use event::{Event, ParseError, Step, parse};
pub use layout::Lifeline;

impl Diagram {
    /// The diagram as a self-contained SVG document with `title` on top.
    pub fn svg(&self, title: &str) -> String {
        svg::svg(self, title)
    }

    /// The diagram as plain text (ASCII, one row per event).
    pub fn text(&self) -> String {
        text::text(self)
    }
}
