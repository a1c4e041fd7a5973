//! A UDP echo server: every datagram that arrives is sent back to whoever
//! sent it, until a datagram says `bye`.
//!
//! This is the Rust counterpart of the tutorial's `socket_udp_server.py`:
//! socket, bind, then recv_from and send_to in a loop, and close. There is
//! no listen() and no accept(): UDP has no connections, so one socket
//! serves every client, and each datagram says who sent it.
//!
//! In one terminal:
//!
//! ```text
//! cargo run -p udp-server -- --explain
//! ```
//!
//! In another terminal:
//!
//! ```text
//! cargo run -p udp-client
//! ```
//!
//! The server prints `waiting for datagrams on 127.0.0.1:3000`, then each
//! datagram with
//! its sender on stdout. A client typing `bye` stops the server, unless it
//! runs with `--keep-open` (a room full of clients).

mod buffer;
mod echo;
mod loss;
mod receive;
mod stopping;
mod totals;

use buffer::{REAL_LENGTH, as_uninit};
use echo::ToldBack;

use clap::Parser;
use lesson::flags::{Common, parse_buffer};
use lesson::narrate::Protocol as Narrate;
use lesson::narrate::Told;
use lesson::{Console, Failure, Narrator, Step, StepResult};
use loss::Loss;
use shared::datagram::{Received, is_bye};
use shared::text::count;
use shared::{Endpoint, Host};
use socket2::{Domain, MaybeUninitSlice, Protocol, Socket, Type};
use totals::Totals;

use std::io::{self, ErrorKind};
use std::net::{Ipv4Addr, SocketAddr, ToSocketAddrs};
use std::process::ExitCode;
use std::sync::Arc;

/// A UDP echo server that shows every step of a socket's life.
#[derive(Debug, Parser)]
#[command(version, about, after_help = after_help())]
struct Args {
    #[command(flatten)]
    common: Common,

    /// Bytes to ask for in each recv_from(); longer datagrams are cut off
    #[arg(long, value_name = "BYTES", default_value_t = 1024, value_parser = parse_buffer)]
    buffer: usize,

    /// Keep serving when a client sends `bye` (for a room of many clients)
    #[arg(long)]
    keep_open: bool,

    /// Simulate loss: throw away this fraction (0.0 to 1.0) of incoming
    /// datagrams, announcing each
    #[arg(long, value_name = "RATE", value_parser = loss::parse_rate)]
    drop: Option<f64>,

    /// With --drop: the seed of the loss pattern; the same seed drops the
    /// same datagrams every run [default: from the clock, and printed]
    #[arg(long, value_name = "N", requires = "drop")]
    seed: Option<u64>,
}

const EXAMPLES: &str = "\
Examples:
  udp-server                      echo on the default address until bye
  udp-server :0 --explain         any free port, narrating every socket call
  udp-server --keep-open --buffer 8  a whole class, and see truncation";

/// The text after the options in `--help`, with the default address taken
/// from [`default_endpoint`], so that the two never disagree.
fn after_help() -> String {
    let default = default_endpoint();
    format!(
        "Defaults: ADDRESS is {default}; port 0 means any free port.\n\n{EXAMPLES}"
    )
}

fn default_endpoint() -> Endpoint {
    Endpoint::new(Host::Ip(Ipv4Addr::LOCALHOST.into()), 3000)
}

fn main() -> ExitCode {
    let args: Args = lesson::flags::parse();
    let console = Console::detect();
    let result = run(&args, &console);
    lesson::failure::finish(result, &console)
}

fn run(args: &Args, console: &Console) -> Result<(), Failure> {
    let narrator = Narrator::from_args(Narrate::Udp, &args.common, console)?;
    let narrator = narrator.install();
    let endpoint = args.common.endpoint(default_endpoint());

    // ANCHOR: resolve
    // The address to bind: an IP as it is, or the first address a name
    // resolves to (`localhost` may resolve to 127.0.0.1 and ::1).
    let address = (endpoint.host_text(), endpoint.port)
        .to_socket_addrs()
        .and_then(|mut all| all.next().ok_or_else(unresolved))
        .during(Step::Resolve, &endpoint)?;
    // ANCHOR_END: resolve

    // ANCHOR: socket
    // socket() asks the kernel for a datagram socket (SOCK_DGRAM): each
    // send is one message, delivered whole or not at all.
    let domain = Domain::for_address(address);
    let socket = Socket::new(domain, Type::DGRAM, Some(Protocol::UDP))
        .told(Step::Socket, address)?;
    // ANCHOR_END: socket
    // `ss` lists the socket once it is bound: --step suggests watching.
    narrator.watch(endpoint.port);

    // ANCHOR: bind
    // bind() gives the socket its address. That is all a UDP server needs:
    // datagrams sent to this address now queue up for this socket.
    socket.bind(&address.into()).told(Step::Bind, address)?;
    // ANCHOR_END: bind

    // ANCHOR: local_addr
    // getsockname() says which address the socket is bound to: with port 0
    // the kernel picked a free port, and this is how to learn which.
    let local = socket.local_addr().ok().and_then(|a| a.as_socket());
    // ANCHOR_END: local_addr
    let local = local.unwrap_or(address);
    narrator.watch(local.port());
    announce(console, args, local);

    let stopper = Arc::new(stopping::stopper(local));
    let for_signal = Arc::clone(&stopper);
    if let Err(e) = graceful::signals::on_stop(move || for_signal.stop()) {
        console.warn(format_args!("Ctrl-C will stop without a summary: {e}"));
    }

    let mut loss = args.drop.map(|rate| simulated_loss(console, args, rate));
    let mut buffer = vec![0; args.buffer];
    let mut totals = Totals::default();
    loop {
        let waited = lesson::trace::start();
        // ANCHOR: recv_from
        // recv_from() waits for the next datagram, from anyone, and says who
        // sent it. One call, one datagram: never half of one, never two.
        // socket2 makes it a recvmsg(), whose flags say when the datagram
        // was larger than the buffer (the rest of it is then lost).
        let mut slices = [MaybeUninitSlice::new(as_uninit(&mut buffer))];
        let (size, flags, sender) = match socket
            .recv_from_vectored_with_flags(&mut slices, REAL_LENGTH)
        {
            Ok(result) => result,
            // A signal interrupted the wait; nothing arrived.
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            // Windows reports an earlier send_to() that bounced (ICMP
            // port unreachable) on the next receive: not about this one.
            Err(e) if e.kind() == ErrorKind::ConnectionReset => continue,
            Err(e) => return Err(Failure::at(Step::RecvFrom, local, &e)),
        };
        // ANCHOR_END: recv_from
        if stopper.is_stopping() {
            break;
        }
        // With MSG_TRUNC, Linux returns the real size, even beyond the buffer.
        let received = Received::new(size, flags.is_truncated(), buffer.len());
        let Some(sender) = sender.as_socket() else {
            return Err(Failure::new("a datagram came from no IP address"));
        };
        let data = &buffer[..received.kept];
        totals.count(sender);
        let size = count(data.len() as u64, "byte");
        let number = totals.datagrams;
        let dropped = loss.as_mut().is_some_and(Loss::drops_next);
        let step = if dropped { "drop" } else { "recv_from" };
        lesson::trace::datagram(step, waited, Some(local), sender, data);
        narrator.did(
            Step::RecvFrom,
            format_args!("#{number}: {size} from {sender}"),
        );
        if dropped {
            console.status(format_args!(
                "{sender}: simulated loss: datagram #{number} ({size}) dropped"
            ));
            continue;
        }
        receive::show(console, sender, data, &received, args.common.hex);
        if is_bye(data) && !args.keep_open {
            console.status(format_args!("{sender} sent bye: stopping"));
            break;
        }

        // ANCHOR: send_to
        // send_to() sends the same bytes back as one datagram, addressed to
        // the sender. If the sender is gone, nobody tells us (or a later
        // call reports it): UDP makes no promises.
        let sent = socket.send_to(data, &sender.into());
        // (told_back() traces and narrates it, as .told() does elsewhere.)
        let sent = sent.told_back(local, sender, data);
        // ANCHOR_END: send_to
        match sent {
            Ok(n) => totals.bytes += n as u64,
            Err(e) => console.warn(format_args!(
                "cannot send to {sender}: {}; still serving",
                lesson::failure::describe(&e)
            )),
        }
    }

    // ANCHOR: close
    // Dropping the socket closes it and frees the port. Nothing is sent:
    // there is no connection to end.
    drop(socket);
    // ANCHOR_END: close
    lesson::trace::close(Some(local), None, None);
    narrator.did(Step::Close, format_args!("{local}"));
    console.status(format_args!(
        "stopped: {} from {}, {} echoed",
        count(totals.datagrams, "datagram"),
        count(totals.senders.len() as u64, "sender"),
        count(totals.bytes, "byte"),
    ));
    Ok(())
}

/// The error of a name that resolves to no address at all.
fn unresolved() -> io::Error {
    io::Error::other("the name resolves to no address")
}

/// Prints the line that says where the server waits for datagrams.
fn announce(console: &Console, args: &Args, local: SocketAddr) {
    let ending = match args.keep_open {
        true => "--keep-open: bye is echoed like anything else",
        false => "a datagram saying bye stops it",
    };
    console.status(format_args!(
        "waiting for datagrams on {local} (UDP: bound, nothing listens; \
         {ending}; Ctrl-C stops)"
    ));
}

/// `--drop`: the loss pattern, with its seed printed so it can be repeated.
fn simulated_loss(console: &Console, args: &Args, rate: f64) -> Loss {
    let seed = args.seed.unwrap_or_else(loss::clock_seed);
    console.status(format_args!(
        "simulating loss: about {:.0}% of incoming datagrams will be \
         dropped (repeat this pattern with --seed {seed})",
        rate * 100.0
    ));
    Loss::new(rate, seed)
}
