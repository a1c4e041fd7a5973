//! Draws what really happened: one or more `--trace` files of the four
//! socket programs as a sequence diagram.
//!
//! [`parse`] reads a trace (JSON Lines, format version 1).

mod event;

pub use event::{Event, ParseError, Step, parse};
