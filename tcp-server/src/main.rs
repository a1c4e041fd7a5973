//! A TCP echo server: whatever a client sends, it sends back.
//!
//! This is the Rust counterpart of the tutorial's `socket_server.py`, one
//! visible call per lifecycle step: socket, setsockopt, bind, listen, then
//! accept one client after another, and for each recv, send until the
//! client leaves, and close.
//!
//! Run `cargo run -p tcp-server -- --explain` in one terminal and
//! `cargo run -p tcp-client` in another. The server prints `listening on
//! 127.0.0.1:10888`, then one line per client that connects, and what each
//! recv() returned on stdout. With `--explain` it also tells what the
//! operating system does at each step. With `--threaded` it serves many
//! clients at once, the way Python's `socketserver` does (`threaded.rs`);
//! given a path (`./echo.sock`), a Unix domain socket (`unix.rs`).

mod args;
mod context;
mod echo;
mod ending;
mod family;
mod listening;
mod messages;
mod poll;
mod roster;
mod settings;
mod stopping;
mod threaded;
mod unix;
mod waiting;

use args::Args;
use context::Context;
use family::{Listener, Listening};
use lesson::narrate::{Told, Transport};
use lesson::{Console, Failure, Narrator, Place, Step, StepResult};
use listening::Backlog;
use settings::Settings;
use socket2::{Domain, Protocol, Socket, Type};
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
    let narrator = Narrator::from_args(Transport::Tcp, &args.common, console)?;
    let narrator = narrator.install();
    console.gather_data()?; // to a pipe or a file, data lines in batches
    let (listener, local) = open(args, narrator)?;
    if args.poll {
        return poll::serve(listener, local, console, narrator, args);
    }

    let settings = Settings::new(args, console, narrator);
    let context = Arc::new(Context::new(settings, &listener, &local)?);
    context.stop_on_signals();
    // Announced once Ctrl-C is ready to stop the server.
    let max_clients = args.threaded.then_some(args.max_clients);
    listening::announce(console, &local, args.backlog(), max_clients);

    if let Some(limit) = max_clients {
        let for_server = Arc::clone(&context);
        threaded::Server::new(&listener, for_server, limit as usize, args.once)
            .serve_forever(Arc::new(threaded::EchoHandler));
    } else {
        serve_one_at_a_time(&listener, &context, args.once);
    }
    close(listener, local, &context);
    Ok(())
}

/// resolve, socket, setsockopt, bind for TCP: the socket, and its address.
fn open_inet(
    args: &Args,
    narrator: &Narrator,
) -> Result<(Socket, Place), Failure> {
    let endpoint = args.common.endpoint(args::default_endpoint());
    // ANCHOR: resolve
    // The address to bind: an IP as it is, or the first address a name
    // such as `localhost` stands for (the resolver asks the hosts file or
    // DNS).
    let address = (endpoint.host_text(), endpoint.port)
        .to_socket_addrs()
        .and_then(|mut all| all.next().ok_or_else(listening::no_address))
        .during(Step::Resolve, &endpoint)?;
    // ANCHOR_END: resolve

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
    // ANCHOR: local_addr
    // With port 0 the kernel picked a free port: getsockname() says which.
    let local = socket.local_addr().ok().and_then(|a| a.as_socket());
    // ANCHOR_END: local_addr
    let local = local.unwrap_or(address);
    // `ss` lists a TCP socket once it listens: --step suggests watching.
    narrator.watch(local.port());
    Ok((socket, local.into()))
}

/// The steps up to a listening socket: resolve, socket, setsockopt, bind
/// (for a path, those of `unix.rs`), listen. Returns it and its address.
fn open(args: &Args, narrator: &Narrator) -> Result<Listening, Failure> {
    let (socket, local) = match args.common.unix_path() {
        Some(path) => unix::open(path, narrator)?,
        None => open_inet(args, narrator)?,
    };
    let backlog = args.backlog();
    // ANCHOR: listen
    // listen() makes it a listening socket. From now on the kernel answers
    // handshakes by itself and queues up to `backlog` finished connections
    // until accept() takes them.
    socket
        .listen(backlog)
        .told(Step::Listen, Backlog(local.clone(), backlog))?;
    // ANCHOR_END: listen

    // std's TcpListener (UnixListener for a path) wraps the same file
    // descriptor, with the friendly accept(). (TcpListener::bind() would
    // have done socket, setsockopt, bind and listen in one, backlog 128.)
    Ok((Listener::new(socket, &local), local))
}

/// The tutorial's loop: accept a client, talk with it until it leaves, and
/// only then accept the next one. Others wait in the backlog meanwhile.
fn serve_one_at_a_time(listener: &Listener, context: &Context, once: bool) {
    let (roster, narrator) = (&context.roster, context.settings.narrator);
    while !context.stopper.is_stopping() {
        let waited = lesson::trace::start();
        // ANCHOR: accept
        // accept() waits until a client has finished its handshake, then
        // returns a new socket for talking to that client alone, and the
        // client's address.
        let (stream, peer) = match listener.accept() {
            // The wake-up connection of stop(): nobody to serve.
            Ok(_) if context.stopper.is_stopping() => break,
            Ok(pair) => pair,
            // The listening socket stays fine after a failed accept (say the
            // client gave up while queued, or we ran out of descriptors).
            Err(e) => {
                roster.accept_failed(&e);
                continue;
            }
        };
        let client = roster.welcome(stream, peer, waited);
        narrator.did(Step::Accept, format_args!("{client}"));
        // ANCHOR_END: accept
        roster.greet(&client);
        echo::converse(client, context);
        if once || context.stopper.is_stopping() {
            break;
        }
        if narrator.steps() {
            // After the close pause: where the server is now, and why.
            let back = lesson::lang::tr("server-back-in-accept", &[]);
            narrator.note(format_args!("{back}"));
        }
    }
}

/// The end: closes the listening socket, waits for the conversations
/// still going on, and prints the summary.
fn close(mut listener: Listener, local: Place, context: &Context) {
    let file = listener.take_socket_file();
    // ANCHOR: close_listener
    // Dropping the listener closes it: the port is free again, and clients
    // still waiting in the backlog are reset.
    drop(listener);
    // ANCHOR_END: close_listener
    let narrator = context.settings.narrator;
    narrator.did(Step::Close, format_args!("{}", listening::closed(&local)));
    lesson::trace::close(Some(local), None, Some(0));
    // bind() made the socket file of a path, and close() leaves it.
    unix::remove(file, context);
    context.finish();
}
