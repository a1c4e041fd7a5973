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
//! datagram with its sender on stdout. A client typing `bye` stops the
//! server, unless it runs with `--keep-open` (a room full of clients).
//! With `--threaded` the main thread only receives, and a pool of handler
//! threads answers, the way Python's `socketserver` does (`threaded.rs`).

mod args;
mod buffer;
mod echo;
mod loss;
mod request;
mod show;
mod stopping;
mod threaded;
mod totals;

use args::{Args, default_endpoint};
use buffer::{REAL_LENGTH, as_uninit};
use echo::{Answer, ToldBack};
use graceful::stop::Stopper;
use lesson::count;
use lesson::narrate::Told;
use lesson::narrate::Transport;
use lesson::{Console, Failure, Narrator, Step, StepResult};
use request::Intake;
use socket2::{Domain, MaybeUninitSlice, Protocol, Socket, Type};

use std::io::{self, ErrorKind};
use std::net::ToSocketAddrs;
use std::process::ExitCode;
use std::sync::Arc;

fn main() -> ExitCode {
    let args: Args = lesson::flags::parse();
    let console = Console::detect();
    let result = run(&args, &console);
    lesson::failure::finish(result, &console)
}

fn run(args: &Args, console: &Console) -> Result<(), Failure> {
    let narrator = Narrator::from_args(Transport::Udp, &args.common, console)?;
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

    let stopper = Arc::new(stopping::stopper(local, &socket));
    let for_signal = Arc::clone(&stopper);
    if let Err(e) = graceful::signals::on_stop(move || for_signal.stop()) {
        console.warn(format_args!("Ctrl-C will stop without a summary: {e}"));
    }
    // Said once Ctrl-C is ready to stop the server.
    show::waiting(console, local, args.keep_open);

    let loss = args.drop.map(|rate| loss::start(console, rate, args.seed));
    let mut intake = Intake::new(local, console, loss, args.buffer);
    let answer = Answer::new(console, local, args.common.hex, args.keep_open);
    let served = if args.threaded {
        threaded::serve(&socket, &mut intake, &answer, &stopper, args.handlers)
    } else {
        serve(&socket, &mut intake, &answer, &stopper)
    };
    served?;
    close(socket, &intake, &answer);
    Ok(())
}

/// The sequential server: receives a datagram, answers it, and only then
/// receives the next, until a stop or a `bye`.
fn serve(
    socket: &Socket,
    intake: &mut Intake,
    answer: &Answer,
    stopper: &Stopper,
) -> Result<(), Failure> {
    let local = intake.local;
    let mut buffer = vec![0; intake.buffer];
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
            // A signal, or a tick with no wake-up for the stop: look again.
            Err(e) if stopping::stopped_in_a_tick(&e, stopper) => return Ok(()),
            Err(e) if stopping::nothing_came(&e) => continue,
            // Windows reports an earlier send_to() that bounced (ICMP
            // port unreachable) on the next receive: not about this one.
            Err(e) if e.kind() == ErrorKind::ConnectionReset => continue,
            Err(e) => return Err(Failure::at(Step::RecvFrom, local, &e)),
        };
        // ANCHOR_END: recv_from
        if stopper.is_stopping() {
            intake.after_stop(size, &sender);
            return Ok(());
        }
        let got = (size, flags.is_truncated());
        let Some(request) = intake.take(&buffer, got, &sender, waited)? else {
            continue; // --drop threw it away
        };
        if answer.shows_bye(&request) {
            return Ok(());
        }
        let (data, sender) = (&request.data, request.sender);
        let at = lesson::trace::start(); // when the echo left, for --trace

        // ANCHOR: send_to
        // send_to() sends the same bytes back as one datagram, addressed to
        // the sender. If the sender is gone, nobody tells us (or a later
        // call reports it): UDP makes no promises.
        let sent = socket.send_to(data, &sender.into());
        // (told_back() traces and narrates it, as .told() does elsewhere.)
        let sent = sent.told_back(at, local, sender, data);
        // ANCHOR_END: send_to
        answer.counted(sent, sender);
    }
}

/// Closes the socket, once nothing uses it any more, and prints the
/// summary.
fn close(socket: Socket, intake: &Intake, answer: &Answer) {
    let local = intake.local;
    // ANCHOR: close
    // Dropping the socket closes it and frees the port. Nothing is sent:
    // there is no connection to end.
    drop(socket);
    // ANCHOR_END: close
    lesson::trace::close(Some(local.into()), None, None);
    lesson::narrate::narrator().did(Step::Close, format_args!("{local}"));
    let totals = &intake.totals;
    answer.console.status(format_args!(
        "stopped: {} from {}, {} echoed",
        count(totals.datagrams, "datagram"),
        count(totals.senders.len() as u64, "sender"),
        count(answer.echoed.total(), "byte"),
    ));
}

/// The error of a name that resolves to no address at all.
fn unresolved() -> io::Error {
    io::Error::other("the name resolves to no address")
}
