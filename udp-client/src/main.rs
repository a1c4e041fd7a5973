//! An interactive UDP client: sends `hello`, then every line you type, each
//! as one datagram, and prints the reply.
//!
//! This is the Rust counterpart of the tutorial's `socket_udp_client.py`:
//! socket, bind, connect (which for UDP only sets the default peer), then
//! send and recv in a loop, and close. `bye` is the last line sent: it
//! stops a udp-server not run with `--keep-open`, and the client still
//! waits up to `--timeout` for a reply (a `--keep-open` server echoes it)
//! before it closes.
//!
//! In one terminal:
//!
//! ```text
//! cargo run -p udp-server
//! ```
//!
//! In another terminal:
//!
//! ```text
//! cargo run -p udp-client -- --explain
//! ```
//!
//! UDP promises nothing: a reply that does not come within `--timeout` is
//! reported and the client carries on; at the end it counts the replies
//! that never came. A lost reply is UDP's normal life: the exit code is 0.
//! It is 1 only when the network said no (connection refused), a line was
//! too long for one datagram, or a reply was cut off by `--buffer`.

mod args;
mod buffer;
mod conversation;
mod messages;
mod receive;
mod talk;
mod unix;

use args::{Args, default_endpoint};
use conversation::Talk;
use input::Input;
use lesson::narrate::Told;
use lesson::narrate::Transport;
use lesson::{Console, Failure, Narrator, Step, StepResult};
use shared::datagram::is_bye;
use socket2::{Domain, Protocol, Socket, Type};
use std::net::{Ipv4Addr, Ipv6Addr, SocketAddr, ToSocketAddrs};
use std::process::ExitCode;
use unix::{Opened, OwnFile};

fn main() -> ExitCode {
    let args: Args = lesson::flags::parse();
    let console = Console::detect();
    let result = run(&args, &console);
    lesson::failure::finish(result, &console)
}

/// socket, bind and connect for a UDP server: its name resolved first.
fn open_udp(args: &Args, narrator: &Narrator) -> Result<Opened, Failure> {
    let server_name = args.common.endpoint(default_endpoint());

    // ANCHOR: resolve
    // UDP has no handshake that could tell which of several addresses
    // answers, so we pick one: IPv4 first, like the Python script's
    // AF_INET socket, else whatever the name resolves to first.
    let candidates: Vec<SocketAddr> =
        (server_name.host_text(), server_name.port)
            .to_socket_addrs()
            .told(Step::Resolve, &server_name)?
            .collect();
    let ipv4 = candidates.iter().find(|a| a.is_ipv4());
    let server = ipv4.or(candidates.first()).copied();
    let server = server.ok_or_else(|| messages::no_address(&server_name))?;
    // ANCHOR_END: resolve

    // ANCHOR: socket
    // socket() creates a datagram socket of the server's address family.
    let domain = Domain::for_address(server);
    let socket = Socket::new(domain, Type::DGRAM, Some(Protocol::UDP))
        .told(Step::Socket, server)?;
    // ANCHOR_END: socket

    // ANCHOR: bind
    // bind() to port 0: the kernel picks a free port for our replies to
    // come back to. (sendto() without bind() would do the same silently.)
    let any: SocketAddr = match server {
        SocketAddr::V4(_) => (Ipv4Addr::UNSPECIFIED, 0).into(),
        SocketAddr::V6(_) => (Ipv6Addr::UNSPECIFIED, 0).into(),
    };
    socket.bind(&any.into()).told(Step::Bind, any)?;
    // ANCHOR_END: bind
    // `ss` matches the socket once it is connected to the server's port:
    // --step suggests watching from then on.
    narrator.watch(server.port());

    // ANCHOR: connect
    // connect() on a UDP socket sends nothing. The kernel just remembers the
    // server: send() needs no address, datagrams from anyone else are
    // dropped, and an ICMP "port unreachable" comes back as an error.
    socket.connect(&server.into()).told(Step::Connect, server)?;
    // ANCHOR_END: connect

    // ANCHOR: local_addr
    // getsockname(): connected, the socket's own address names the
    // interface the kernel chose to reach the server, and our port.
    let local = socket.local_addr().ok().and_then(|a| a.as_socket());
    // ANCHOR_END: local_addr
    Ok(Opened {
        socket,
        local: local.unwrap_or(any).into(),
        server: server.into(),
        own: OwnFile::default(),
    })
}

fn run(args: &Args, console: &Console) -> Result<(), Failure> {
    let own_path = args::own_path(args)?;
    let narrator =
        Narrator::from_args(Transport::Udp, &watched(args), console)?;
    let narrator = narrator.install();
    let Opened {
        socket,
        local,
        server,
        own,
    } = match (args.common.unix_path(), own_path) {
        (Some(path), Some(own_path)) => unix::open(path, &own_path)?,
        _ => open_udp(args, narrator)?,
    };
    console.status(format_args!("{}", messages::sending(&server, &local)));

    // An empty line (without a line ending) and `bye` are the last lines.
    let plain = args.client.line_ending().is_empty();
    let on_signal = unix::remove_on_signal(&own);
    let input = Input::start(
        "> ",
        console,
        narrator.steps(),
        || {},
        move |line| (plain && line.is_empty()) || is_bye(line),
    )?;
    on_signal.with(&input)?;
    let talk = Talk::new(
        &socket,
        (local.clone(), server.clone()),
        args,
        console,
        input.waker(),
        input.interruption(),
    );
    let sent = std::thread::scope(|scope| {
        // ANCHOR: receive
        // Replies are received on a thread of their own, so each one is
        // shown the moment it arrives, even one that comes late.
        let receiving = std::thread::Builder::new().name("receive".into());
        receiving
            .spawn_scoped(scope, || talk.receive_all())
            .during(Step::Recv, &server)?;
        // ANCHOR_END: receive
        let sent = talk::send_input(&talk, &input, args);
        // The line editor must give the terminal back first; lines typed
        // beyond the end are counted, not lost.
        match &sent {
            Err(failure) => input.finish(console, &format!("{failure}")),
            Ok(None) => input.finish(console, "Ctrl-C"),
            Ok(Some(_)) => {
                talk.wait_for_the_rest();
                input.finish(console, &messages::over())
            }
        };
        talk.stop();
        sent
    })?;
    if let Some(lines) = sent {
        talk.report(lines, args.client.no_wait);
    }
    let verdict = talk.verdict();
    drop(talk);

    // ANCHOR: close
    // Dropping the socket closes it and frees our port (or path); the
    // server is not told, because there is no connection to end.
    drop(socket);
    // ANCHOR_END: close
    narrator.did(Step::Close, format_args!("{local}"));
    lesson::trace::close(Some(local), Some(server), None);
    // A Unix socket's file outlives close(): ours goes now.
    own.remove();
    verdict
}

/// The common flags, with our own path for `--step` to watch when we bind
/// one: `ss -xa src SERVER` would list the server's socket, not ours.
fn watched(args: &Args) -> lesson::Common {
    let mut common = args.common.clone();
    if let (Some(_), Ok(Some(own))) = (common.unix_path(), args::own_path(args))
    {
        common.address = Some(shared::Address::Unix(own));
    }
    common
}
