//! A TCP echo server: whatever a client sends, it sends back.
//!
//! This is the Rust counterpart of the tutorial's `socket_server.py`, one
//! visible call per lifecycle step: socket, setsockopt, bind, listen, then
//! accept one client after another, and for each recv, send until the
//! client leaves, and close.
//!
//! In one terminal:
//!
//! ```text
//! cargo run -p tcp-server -- --explain
//! ```
//!
//! In another terminal:
//!
//! ```text
//! cargo run -p tcp-client
//! ```
//!
//! The server prints `listening on 127.0.0.1:10888`, then one line per
//! client that connects, and what each recv() returned on stdout. With
//! `--explain` it also tells what the operating system does at each step.
//! With `--threaded` it serves many clients at once, the way Python's
//! `socketserver` does (see `threaded.rs`).

mod context;
mod echo;
mod poll;
mod roster;
mod settings;

use settings::Backlog;
mod stopping;
mod threaded;

use clap::Parser;
use context::Context;
use lesson::flags::{Common, parse_buffer, parse_seconds};
use lesson::narrate::Protocol as Narrate;
use lesson::narrate::Told;
use lesson::{Console, Failure, Narrator, Step, StepResult};
use settings::Settings;
use shared::text::count;
use shared::{Endpoint, Host};
use socket2::{Domain, Protocol, Socket, Type};
use std::net::{Ipv4Addr, TcpListener};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

/// A TCP echo server that shows every step of a socket's life.
#[derive(Debug, Parser)]
#[command(version, about, after_help = after_help())]
struct Args {
    #[command(flatten)]
    common: Common,

    /// Bytes to ask for in each recv() call
    #[arg(long, value_name = "BYTES", default_value_t = 1024, value_parser = parse_buffer)]
    buffer: usize,

    /// Finished handshakes the kernel may queue before accept() takes them
    /// [default: 1 as in the script, 128 with --threaded]
    #[arg(long, value_name = "N",
          value_parser = clap::value_parser!(i32).range(0..=4096))]
    backlog: Option<i32>,

    /// Stop after the first client leaves, as the Python script does
    #[arg(long)]
    once: bool,

    /// Serve many clients at once, one thread each (socketserver's design)
    #[arg(long, group = "design")]
    threaded: bool,

    /// Serve many clients at once from one thread: an event loop over
    /// non-blocking sockets
    #[arg(long, group = "design")]
    poll: bool,

    /// With --threaded or --poll: clients served at once; more wait in the
    /// backlog
    #[arg(long, value_name = "N", default_value_t = 64, requires = "design",
          value_parser = clap::value_parser!(u32).range(1..=100_000))]
    max_clients: u32,

    /// Disconnect a client that makes no progress for this many seconds:
    /// it sends nothing, and reads none of its echo
    #[arg(long, value_name = "SECS", value_parser = parse_seconds)]
    idle_timeout: Option<Duration>,
}

const EXAMPLES: &str = "\
Examples:
  tcp-server                     listen on the default address, one at a time
  tcp-server :0 --explain        any free port, narrating every socket call
  tcp-server 0.0.0.0 --threaded  every interface, many clients at once";

/// The default address: loopback, so only this machine can connect.
/// The text after the options in `--help`, with the default address taken
/// from [`default_endpoint`], so that the two never disagree.
fn after_help() -> String {
    let default = default_endpoint();
    format!(
        "Defaults: ADDRESS is {default}; port 0 means any free port.\n\n{EXAMPLES}"
    )
}

fn default_endpoint() -> Endpoint {
    Endpoint::new(Host::Ip(Ipv4Addr::LOCALHOST.into()), 10888)
}

fn main() -> ExitCode {
    let args: Args = lesson::flags::parse();
    let console = Console::detect();
    let result = run(&args, &console);
    lesson::failure::finish(result, &console)
}

fn run(args: &Args, console: &Console) -> Result<(), Failure> {
    let narrator = Narrator::from_args(Narrate::Tcp, &args.common, console)?;
    let narrator = narrator.install();
    let endpoint = args.common.endpoint(default_endpoint());
    // The address to bind: an IP as it is, or the first address of a name.
    let address = endpoint.first_address().during(Step::Resolve, &endpoint)?;
    // One waiting client is plenty when clients are served one at a time;
    // a threaded server takes a whole classroom at once.
    let many = args.threaded || args.poll;
    let backlog = args.backlog.unwrap_or(if many { 128 } else { 1 });

    // ANCHOR: socket
    // socket() asks the kernel for a new TCP endpoint: a stream socket of
    // the same family (IPv4 or IPv6) as the address we will bind.
    let domain = Domain::for_address(address);
    let socket = Socket::new(domain, Type::STREAM, Some(Protocol::TCP))
        .told(Step::Socket, address)?;
    // ANCHOR_END: socket

    // ANCHOR: setsockopt
    // SO_REUSEADDR lets us bind the port again right after a restart, while
    // the last run's connections still sit in TIME_WAIT. (On Windows the
    // option means something riskier, so it is left off there.)
    #[cfg(unix)]
    socket
        .set_reuse_address(true)
        .told(Step::SetSockOpt, "SO_REUSEADDR")?;
    // ANCHOR_END: setsockopt

    // ANCHOR: bind
    // bind() gives the socket its local address: this IP and this port.
    socket.bind(&address.into()).told(Step::Bind, address)?;
    // ANCHOR_END: bind
    // With port 0 the kernel picked a free port: ask which. `ss` lists a
    // TCP socket once it listens: --step suggests watching from then on.
    let local = shared::local_address(&socket).unwrap_or(address);
    narrator.watch(local.port());

    // ANCHOR: listen
    // listen() makes it a listening socket. From now on the kernel answers
    // handshakes by itself and queues up to `backlog` finished connections
    // until accept() takes them.
    socket
        .listen(backlog)
        .told(Step::Listen, Backlog(local, backlog))?;
    // ANCHOR_END: listen

    // std's TcpListener wraps the same file descriptor and has the friendly
    // accept() that returns a TcpStream. (TcpListener::bind() would have done
    // socket, setsockopt, bind and listen in one call, backlog 128.)
    let listener = TcpListener::from(socket);
    let mode = match many {
        true => format!(
            "up to {} at once",
            count(u64::from(args.max_clients), "client")
        ),
        false => "one client at a time".to_string(),
    };
    settings::announce(console, local, &Backlog(local, backlog), &mode);
    if args.poll {
        let options = poll::Options {
            buffer: args.buffer,
            idle_timeout: args.idle_timeout,
            hex: args.common.hex,
            max_clients: args.max_clients as usize,
            once: args.once,
        };
        return poll::serve(listener, local, console, narrator, &options);
    }

    let settings = Settings {
        console: console.clone(),
        narrator,
        buffer: args.buffer,
        idle_timeout: args.idle_timeout,
        hex: args.common.hex,
    };
    let context = Arc::new(Context::new(settings, local));
    let for_signal = Arc::clone(&context);
    let stop = move || for_signal.stopper.stop();
    if let Err(e) = graceful::signals::on_stop(stop) {
        console.warn(format_args!("Ctrl-C will stop without a summary: {e}"));
    }

    if args.threaded {
        let limit = args.max_clients as usize;
        let for_server = Arc::clone(&context);
        threaded::Server::new(&listener, for_server, limit, args.once)
            .serve_forever(Arc::new(threaded::EchoHandler));
    } else {
        serve_one_at_a_time(&listener, &context, args.once);
    }

    // ANCHOR: close_listener
    // Dropping the listener closes it: the port is free again, and clients
    // still waiting in the backlog are reset.
    drop(listener);
    // ANCHOR_END: close_listener
    lesson::trace::close(Some(local), None, Some(0));
    narrator.did(Step::Close, format_args!("listening socket {local}"));

    // The summary waits for every conversation to end, so that it counts
    // every byte echoed.
    let cut_off = context.roster.drain(context.stopper.stopped_at());
    if cut_off > 0 {
        console.status(format_args!(
            "cut off {} still connected",
            count(cut_off as u64, "client")
        ));
    }
    console.status(format_args!("stopped: {}", context.roster.summary()));
    Ok(())
}

/// The tutorial's loop: accept a client, talk with it until it leaves, and
/// only then accept the next one. Others wait in the backlog meanwhile.
fn serve_one_at_a_time(listener: &TcpListener, context: &Context, once: bool) {
    let roster = &context.roster;
    while !context.stopper.is_stopping() {
        let waited = lesson::trace::start();
        // ANCHOR: accept
        // accept() waits until a client has finished its handshake, then
        // returns a new socket for talking to that client alone, and the
        // client's address.
        let (stream, peer) = match listener.accept() {
            Ok(pair) => pair,
            // The listening socket stays fine after a failed accept (say the
            // client gave up while queued, or we ran out of descriptors).
            Err(e) => {
                roster.accept_failed(&e);
                continue;
            }
        };
        // ANCHOR_END: accept
        if context.stopper.is_stopping() {
            break; // That was the wake-up connection of stop().
        }
        let client = roster.welcome(stream, peer, waited);
        echo::converse(client, context);
        if once {
            break;
        }
    }
}
