//! A UDP echo server: every datagram that arrives is sent back to whoever
//! sent it, until a datagram says `bye`.
//!
//! This is the Rust counterpart of the tutorial's `socket_udp_server.py`:
//! socket, bind, then recv_from and send_to in a loop, and close. There is
//! no listen() and no accept(): UDP has no connections, so one socket
//! serves every client, and each datagram says who sent it.
//!
//! In one terminal `cargo run -p udp-server -- --explain`, and in another
//! `cargo run -p udp-client`.
//!
//! The server prints `waiting for datagrams on 127.0.0.1:3000`, then each
//! datagram with its sender on stdout. A client typing `bye` stops the
//! server, unless it runs with `--keep-open` (a room full of clients).
//! With `--threaded` the main thread only receives, and a pool of handler
//! threads answers, the way Python's `socketserver` does (`threaded.rs`).
//! An ADDRESS that is a path (`./echo.sock`) serves AF_UNIX (`unix.rs`).

mod args;
mod buffer;
mod echo;
mod loss;
mod request;
mod show;
mod stopping;
mod threaded;
mod totals;
mod unix;

use args::{Args, default_endpoint};
use buffer::{REAL_LENGTH, as_uninit};
use echo::{Answer, ToldBack, again_if_interrupted};
use graceful::stop::Stopper;
use lesson::narrate::{Told, Transport};
use lesson::{Console, Failure, Narrator, Step, StepResult};
use request::Intake;
use socket2::{Domain, MaybeUninitSlice, Protocol, Socket, Type};

use std::io::{self, ErrorKind};
use std::net::{SocketAddr, ToSocketAddrs};
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
    narrator.install();
    // A path is the Unix family's address (unix.rs), the rest is UDP's.
    let (socket, local, file) = match args.common.unix_path() {
        Some(path) => unix::open(path),
        None => open(args).map(|(socket, local)| (socket, local.into(), None)),
    }?;

    let stopper = Arc::new(stopping::stopper(&local, &socket));
    let for_signal = Arc::clone(&stopper);
    if let Err(e) = graceful::signals::on_stop(move || for_signal.stop()) {
        show::without_summary(console, &e);
    }
    // Said once Ctrl-C is ready to stop the server.
    show::waiting(console, &local, args.keep_open);

    let loss = args.drop.map(|rate| loss::start(console, rate, args.seed));
    let mut intake = Intake::new(local.clone(), console, loss, args.buffer);
    let answer = Answer::new(console, local, args.common.hex, args.keep_open);
    let served = if args.threaded {
        threaded::serve(&socket, &mut intake, &answer, &stopper, args.handlers)
    } else {
        serve(&socket, &mut intake, &answer, &stopper)
    };
    close(socket, &intake.local);
    // The socket file, if any, is removed whether or not the serving failed.
    unix::remove(file, console);
    served?;
    answer.summary(&intake.totals);
    Ok(())
}

/// socket() and bind() for UDP: the socket, and the address it is bound to.
fn open(args: &Args) -> Result<(Socket, SocketAddr), Failure> {
    let endpoint = args.common.endpoint(default_endpoint());
    let narrator = lesson::narrate::narrator();

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
    Ok((socket, local))
}

/// The sequential server: receives a datagram, answers it, and only then
/// receives the next, until a stop or a `bye`.
fn serve(
    socket: &Socket,
    intake: &mut Intake,
    answer: &Answer,
    stopper: &Stopper,
) -> Result<(), Failure> {
    let local = intake.local.clone();
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
            Err(e) => return Err(Failure::at(Step::RecvFrom, &local, &e)),
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
        if answer.unanswerable(&request) {
            continue; // an AF_UNIX sender bound to no path
        }
        let (data, sender, address) =
            (&request.data, &request.sender, &request.address);
        let at = lesson::trace::start(); // when the echo left, for --trace

        // ANCHOR: send_to
        // send_to() sends the same bytes back as one datagram, addressed to
        // the sender. If the sender is gone, nobody tells us (or a later
        // call reports it): UDP makes no promises. (On a path this call
        // fails at once, or waits while the sender's queue is full.)
        let sent = again_if_interrupted(|| socket.send_to(data, address));
        // (told_back() traces and narrates it, as .told() does elsewhere.)
        let sent = sent.told_back(at, &local, sender, data);
        // ANCHOR_END: send_to
        answer.counted(sent, sender);
    }
}

/// Closes the socket, once nothing uses it any more.
fn close(socket: Socket, local: &lesson::Place) {
    // ANCHOR: close
    // Dropping the socket closes it and frees the port (a path's socket
    // file stays: see unix.rs). Nothing is sent: there is no connection.
    drop(socket);
    // ANCHOR_END: close
    lesson::trace::close(Some(local.clone()), None, None);
    lesson::narrate::narrator().did(Step::Close, format_args!("{local}"));
}

/// The error of a name that resolves to no address at all.
fn unresolved() -> io::Error {
    io::Error::other(lesson::lang::tr("udp-unresolved", &[]))
}
