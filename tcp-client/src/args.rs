//! The command line: what `tcp-client --help` lists, and the default
//! address it shows.

use clap::Parser;
use lesson::flags::{ClientFlags, Common};
use shared::{Endpoint, Host};
use std::time::Duration;

/// An interactive TCP client that shows every step of a socket's life.
#[derive(Debug, Parser)]
#[command(version, about, after_help = after_help())]
pub struct Args {
    #[command(flatten)]
    pub common: Common,

    #[command(flatten)]
    pub client: ClientFlags,

    /// After the end of input: stop waiting for the server to close this
    /// many seconds after as many bytes as were sent have arrived (an echo
    /// is back), or after nothing at all has arrived for this long, and
    /// after ten times this long in any case
    #[arg(long, value_name = "SECS", default_value = "5",
          value_parser = lesson::flags::parse_seconds)]
    pub wait_close: Duration,

    /// Give up connecting after this many seconds (default: as long as
    /// the kernel retries, about two minutes)
    #[arg(long, value_name = "SECS", value_parser = lesson::flags::parse_seconds)]
    pub connect_timeout: Option<Duration>,
}

/// The text after the options in `--help`, with the default address taken
/// from [`default_endpoint`], so that the two never disagree.
fn after_help() -> String {
    lesson::flags::after_help("tcp-client", default_endpoint())
}

pub fn default_endpoint() -> Endpoint {
    Endpoint::new(Host::Name("localhost".into()), 10888)
}
