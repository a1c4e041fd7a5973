//! What udp-server's command line accepts, and its defaults.

use crate::loss::parse_rate;
use clap::Parser;
use lesson::flags::{Common, parse_buffer};
use shared::{Endpoint, Host};
use std::net::Ipv4Addr;

/// A UDP echo server that shows every step of a socket's life.
#[derive(Debug, Parser)]
#[command(version, about, after_help = after_help())]
pub struct Args {
    #[command(flatten)]
    pub common: Common,

    /// Bytes to ask for in each recv_from(); longer datagrams are cut off
    #[arg(long, value_name = "BYTES", default_value_t = 1024, value_parser = parse_buffer)]
    pub buffer: usize,

    /// Keep serving when a client sends `bye` (for a room of many clients)
    #[arg(long)]
    pub keep_open: bool,

    /// Simulate loss: throw away this fraction (0.0 to 1.0) of incoming
    /// datagrams, announcing each
    #[arg(long, value_name = "RATE", value_parser = parse_rate)]
    pub drop: Option<f64>,

    /// With --drop: the seed of the loss pattern; the same seed drops the
    /// same datagrams every run [default: from the clock, and printed]
    #[arg(long, value_name = "N", requires = "drop")]
    pub seed: Option<u64>,

    /// Answer the datagrams on a pool of handler threads while the main
    /// thread receives (socketserver's UDPServer with threads)
    #[arg(long)]
    pub threaded: bool,

    /// With --threaded: handler threads in the pool; while all are busy,
    /// new datagrams wait in the socket's receive buffer
    #[arg(long, value_name = "N", default_value_t = 4, requires = "threaded",
          value_parser = clap::value_parser!(u16).range(1..=1024))]
    pub handlers: u16,
}

const EXAMPLES: &str = "\
Examples:
  udp-server                      echo on the default address until bye
  udp-server :0 --explain         any free port, narrating every socket call
  udp-server --keep-open --buffer 8  a whole class, and see truncation
  udp-server --threaded --explain    handler threads answer, one request each
  udp-server ./echo.sock          AF_UNIX datagrams on a socket path (the
                                  client binds a path of its own to get
                                  replies; the file is removed at the end)";

/// The text after the options in `--help`, with the default address taken
/// from [`default_endpoint`], so that the two never disagree.
fn after_help() -> String {
    let default = default_endpoint();
    format!(
        "Defaults: ADDRESS is {default}; port 0 means any free port.\n\n{EXAMPLES}"
    )
}

pub fn default_endpoint() -> Endpoint {
    Endpoint::new(Host::Ip(Ipv4Addr::LOCALHOST.into()), 3000)
}
