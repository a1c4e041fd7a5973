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

/// The text after the options in `--help`, with the default address taken
/// from [`default_endpoint`], so that the two never disagree.
fn after_help() -> String {
    // The package's name, not a literal: a literal udp-… would read as a
    // message id of the catalog's `udp-` family.
    lesson::flags::after_help(env!("CARGO_PKG_NAME"), default_endpoint())
}

pub fn default_endpoint() -> Endpoint {
    Endpoint::new(Host::Ip(Ipv4Addr::LOCALHOST.into()), 3000)
}
