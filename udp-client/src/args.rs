//! What udp-client's command line accepts, and its defaults.

use clap::Parser;
use lesson::Failure;
use lesson::flags::{ClientFlags, Common};
use shared::address::MAX_PATH;
use shared::{Endpoint, Host};
use std::path::PathBuf;

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

    /// With a Unix socket's ADDRESS (a path): the path our own socket binds,
    /// so the server's replies can reach it (default: udp-client-PID.sock
    /// in the temporary folder); removed at the end. Not for UDP, where the
    /// kernel picks our port
    #[arg(long, value_name = "PATH", value_parser = parse_own_path)]
    pub bind: Option<PathBuf>,
}

/// The text after the options in `--help`, with the default address taken
/// from [`default_endpoint`], so that the two never disagree.
fn after_help() -> String {
    // The package's name, not a literal: a literal udp-… would read as a
    // message id of the catalog's `udp-` family.
    lesson::flags::after_help(env!("CARGO_PKG_NAME"), default_endpoint())
}

pub fn default_endpoint() -> Endpoint {
    Endpoint::new(Host::Name("localhost".into()), 3000)
}

/// `--bind PATH`: a path that fits in a Unix socket's address; `unix:`
/// in front means what it means in ADDRESS (`unix:me.sock` is `./me.sock`).
fn parse_own_path(text: &str) -> Result<PathBuf, String> {
    if text.starts_with("unix:") {
        return match text.parse::<shared::Address>() {
            Ok(shared::Address::Unix(path)) => Ok(path),
            Ok(_) => Err(crate::messages::plain("uclient-bind-after-unix")),
            Err(e) => Err(e.to_string()),
        };
    }
    match text.len() {
        0 => Err(crate::messages::plain("uclient-bind-empty")),
        n if n > MAX_PATH => Err(crate::messages::bind_too_long(n, MAX_PATH)),
        _ => Ok(PathBuf::from(text)),
    }
}

/// The path our own socket binds, when ADDRESS is a Unix socket's path;
/// `--bind` with a UDP address is a usage error: the kernel picks our
/// port there, and a path means nothing to UDP.
pub fn own_path(args: &Args) -> Result<Option<PathBuf>, Failure> {
    match (args.common.unix_path(), &args.bind) {
        (Some(_), Some(path)) => Ok(Some(path.clone())),
        (Some(_), None) => Ok(Some(default_path())),
        (None, Some(_)) => {
            let what = crate::messages::plain("uclient-bind-udp");
            let hint = crate::messages::plain("uclient-bind-udp-hint");
            Err(Failure::usage(what).hint(hint))
        }
        (None, None) => Ok(None),
    }
}

/// Where our own socket binds unless `--bind` says: the temporary folder,
/// a name with our process id, so that two clients never share one.
pub fn default_path() -> PathBuf {
    let name = format!("udp-client-{}.sock", std::process::id());
    std::env::temp_dir().join(name)
}
