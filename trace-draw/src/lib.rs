//! Draws what really happened: one or more `--trace` files of the four
//! socket programs as a sequence diagram.
//!
//! [`parse`] reads a trace (JSON Lines, format version 1);
//! [`Diagram::new`] finds the lifelines (a program each, and a connection
//! thread of the threaded server each), the arrows between them (by the
//! matching rules of the format: handshake, data by byte offset, FIN,
//! reset, datagrams by digest, and crosses for what got nowhere) and an
//! order of the events in which every arrow points down, whatever the
//! clocks say.

mod arrows;
mod diagram;
mod event;
mod layout;

pub use arrows::{Arrow, ArrowKind, Tail, Tip};
pub use diagram::Diagram;
pub use event::{Event, ParseError, Step, parse};
pub use layout::Lifeline;
