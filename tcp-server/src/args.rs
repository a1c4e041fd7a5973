//! The command line: what `tcp-server --help` lists, and the default
//! address it shows.

use clap::Parser;
use lesson::flags::{Common, parse_buffer, parse_seconds};
use shared::{Endpoint, Host};
use std::net::Ipv4Addr;
use std::time::Duration;

/// A TCP echo server that shows every step of a socket's life.
#[derive(Debug, Parser)]
#[command(version, about, after_help = after_help())]
pub struct Args {
    #[command(flatten)]
    pub common: Common,

    /// Bytes to ask for in each recv() call
    #[arg(long, value_name = "BYTES", default_value_t = 1024, value_parser = parse_buffer)]
    pub buffer: usize,

    /// Finished handshakes the kernel may queue before accept() takes them
    /// [default: 1 as in the script, 128 with --threaded or --poll]
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(i32).range(0..=4096))]
    pub backlog: Option<i32>,

    /// Stop after the first client leaves, as the Python script does
    #[arg(long)]
    pub once: bool,

    /// Serve many clients at once, one thread each (socketserver's design)
    #[arg(long, group = "design")]
    pub threaded: bool,

    /// Serve many clients at once from one thread: an event loop over
    /// non-blocking sockets
    #[arg(long, group = "design")]
    pub poll: bool,

    /// With --threaded or --poll: clients served at once; more wait in the
    /// backlog
    #[arg(long, value_name = "N", default_value_t = 64, requires = "design",
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    pub max_clients: u32,

    /// Disconnect a client that makes no progress for this many seconds:
    /// it sends nothing, and reads none of its echo
    #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
    pub idle_timeout: Option<Duration>,
}

impl Args {
    /// The listen backlog: one waiting client is plenty when clients are
    /// served one at a time; a threaded server takes a whole classroom.
    pub fn backlog(&self) -> i32 {
        let many = self.threaded || self.poll;
        self.backlog.unwrap_or(if many { 128 } else { 1 })
    }
}

/// The text after the options in `--help`, with the default address taken
/// from [`default_endpoint`], so that the two never disagree.
fn after_help() -> String {
    lesson::flags::after_help("tcp-server", default_endpoint())
}

/// The default address: loopback, so only this machine can connect.
pub fn default_endpoint() -> Endpoint {
    Endpoint::new(Host::Ip(Ipv4Addr::LOCALHOST.into()), 10888)
}
