//! A server's graceful stop, in two small parts with no ties to the rest
//! of the program (like mini-redis's `shutdown.rs`):
//!
//! - [`signals`]: Ctrl-C and SIGTERM call the server's stop function; a
//!   second signal exits at once;
//! - [`stop`]: a stop flag with the wake-up that makes a blocked socket
//!   call see it (the wake-up itself, a socket call, is the binary's).

pub mod signals;
pub mod stop;

pub use stop::Stopper;
