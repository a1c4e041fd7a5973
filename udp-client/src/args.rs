//! What udp-client's command line accepts, and its defaults.

use clap::Parser;
use lesson::flags::{ClientFlags, Common};
use shared::{Endpoint, Host};

/// An interactive UDP client that shows every step of a socket's life.
#[derive(Debug, Parser)]
#[command(version, about, after_help = after_help())]
pub struct Args {
    #[command(flatten)]
    pub common: Common,

    #[command(flatten)]
    pub client: ClientFlags,

    /// Send a message again, up to N more times, when its reply times out
    #[arg(long, value_name = "N", default_value_t = 0,
          value_parser = clap::value_parser!(u32).range(0..=100))]
    pub retries: u32,
}

const EXAMPLES: &str = "\
Examples:
  udp-client                        talk to the default address; type bye to stop both
  udp-client :9000 --explain        another port, narrating every socket call
  printf 'a\\nbye\\n' | udp-client    send hello, a and bye, and exit";

/// The text after the options in `--help`, with the default address taken
/// from [`default_endpoint`], so that the two never disagree.
fn after_help() -> String {
    format!("Defaults: ADDRESS is {}.\n\n{EXAMPLES}", default_endpoint())
}

pub fn default_endpoint() -> Endpoint {
    Endpoint::new(Host::Name("localhost".into()), 3000)
}
