//! An interactive TCP client: sends `hello`, then every line you type, and
//! prints whatever the server sends, as it arrives.
//!
//! This is the Rust counterpart of the tutorial's `socket_client.py`:
//! resolve the server's name, socket and connect, then send and recv, and
//! close. TCP is full-duplex, so sending and receiving run side by side: a
//! thread of its own calls recv() from connect until the server closes,
//! while the main thread sends what you type.
//!
//! In one terminal:
//!
//! ```text
//! cargo run -p tcp-server
//! ```
//!
//! In another terminal:
//!
//! ```text
//! cargo run -p tcp-client -- --explain
//! ```
//!
//! You will see `hello` come back, then a `> ` prompt: each line you type
//! is sent and its echo printed. An empty line or Ctrl-D ends the
//! conversation; Ctrl-C stops at once. Piped input works too:
//! `printf 'a\nb\n' | tcp-client`. Against a real server, pick a line
//! ending: `tcp-client :8000 --crlf` speaks HTTP by hand.

mod connecting;
mod receive;
mod talk;

use clap::Parser;
use input::Input;
use lesson::flags::{ClientFlags, Common};
use lesson::narrate::Protocol as Narrate;
use lesson::narrate::Told;
use lesson::{Console, Failure, Narrator, Step, StepResult};
use shared::{Endpoint, Host};
use socket2::{Domain, Protocol, Socket, Type};
use std::io::Write;
use std::net::{Shutdown, SocketAddr, TcpStream, ToSocketAddrs};
use std::process::ExitCode;

use std::time::Duration;

/// An interactive TCP client that shows every step of a socket's life.
#[derive(Debug, Parser)]
#[command(version, about, after_help = after_help())]
struct Args {
    #[command(flatten)]
    common: Common,

    #[command(flatten)]
    client: ClientFlags,

    /// After the end of input: stop waiting for the server to close this
    /// many seconds after as many bytes as were sent have arrived (an echo
    /// is back), or after nothing at all has arrived for this long, and
    /// after ten times this long in any case
    #[arg(long, value_name = "SECS", default_value = "5",
          value_parser = lesson::flags::parse_seconds)]
    wait_close: Duration,

    /// Give up connecting after this many seconds (default: as long as
    /// the kernel retries, about two minutes)
    #[arg(long, value_name = "SECS", value_parser = lesson::flags::parse_seconds)]
    connect_timeout: Option<Duration>,
}

const EXAMPLES: &str = "\
Examples:
  tcp-client                        connect to the default address and chat
  tcp-client :9000 --explain        another port, narrating every socket call
  printf 'a\\nb\\n' | tcp-client      send two lines, print the echoes, exit
  tcp-client :8000 --crlf --message ''
                                    type an HTTP request by hand";

/// The text after the options in `--help`, with the default address taken
/// from [`default_endpoint`], so that the two never disagree.
fn after_help() -> String {
    format!("Defaults: ADDRESS is {}.\n\n{EXAMPLES}", default_endpoint())
}

fn default_endpoint() -> Endpoint {
    Endpoint::new(Host::Name("localhost".into()), 10888)
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
    let server = args.common.endpoint(default_endpoint());

    // ANCHOR: resolve
    // A name like `localhost` can stand for several addresses (often ::1
    // and 127.0.0.1). The resolver lists them; we will try each in turn.
    let candidates: Vec<SocketAddr> = (server.host_text(), server.port)
        .to_socket_addrs()
        .told(Step::Resolve, &server)?
        .collect();
    // ANCHOR_END: resolve

    let stream = connect_to_any(&candidates, &server, args, console)?;
    let peer = stream.peer_addr().during(Step::Connect, &server)?;
    console.status(format_args!("connected to {peer}"));

    // Ctrl-C at the prompt cuts the connection at once, even while a send
    // waits for a server that reads nothing.
    let cut = stream.try_clone().during(Step::Connect, peer)?;
    // Without a line ending, an empty line is the last, as in the script.
    let plain = args.client.line_ending().is_empty();
    let input = Input::start(
        "> ",
        console,
        narrator.steps(),
        move || {
            let _ = cut.shutdown(Shutdown::Both);
        },
        move |line| plain && line.is_empty(),
    )?;
    let receiver =
        receive::Receiver::new(&stream, peer, args, console, input.waker());
    std::thread::scope(|scope| {
        // ANCHOR: receive
        // recv() runs on a thread of its own, from now until the server
        // closes: TCP is full-duplex, so whatever the server sends is
        // shown as it arrives, while this thread sends what you type.
        let reading = stream.try_clone().during(Step::Recv, peer)?;
        let receiving = std::thread::Builder::new().name("receive".into());
        receiving
            .spawn_scoped(scope, || receiver.run(reading))
            .during(Step::Recv, peer)?;
        // ANCHOR_END: receive
        let talked = (|| {
            let mut sender =
                talk::Sender::new(&stream, peer, &receiver, args, console);
            let ended = match sender.send_input(&input) {
                Ok(ended) => ended,
                // Ctrl-C cut a send short: the stop the user asked for.
                Err(_) if input.was_interrupted() => talk::Ended::Interrupted,
                Err(failure) => {
                    input.finish(console, "sending failed (see below)");
                    return Err(failure);
                }
            };
            // Lines typed or pasted beyond the end are counted, not lost.
            match ended {
                talk::Ended::Interrupted => input.finish(console, "Ctrl-C"),
                talk::Ended::Input => input.finish(console, "the input ended"),
                talk::Ended::Receiver => true,
            };
            // Ctrl-C stops at once; after a reset nothing is left to close.
            if ended == talk::Ended::Interrupted
                || receiver.ended() == Some(receive::EndKind::Failed)
            {
                return Ok(());
            }
            // The server closed first: dropping the stream sends our FIN.
            if receiver.ended() == Some(receive::EndKind::Closed) {
                receiver.wait_for_close(&stream, args.wait_close);
                sender.report();
                return Ok(());
            }
            let at = lesson::trace::start();
            // ANCHOR: close
            // shutdown(Write) sends FIN: "I will send no more". The server
            // reads 0 bytes, closes its side, and our recv() reads 0 too.
            stream
                .shutdown(Shutdown::Write)
                .told(Step::Shutdown, peer)?;
            // ANCHOR_END: close
            receiver.trace_at(at, Step::Shutdown, None, None, 0, None);
            receiver.wait_for_close(&stream, args.wait_close);
            sender.report();
            Ok(())
        })();
        // However the conversation ended, the receiving thread ends too.
        receiver.stop(&stream);
        talked
    })?;

    // ANCHOR: drop
    // Dropping the stream closes the socket and frees our port.
    drop(stream);
    // ANCHOR_END: drop
    lesson::trace::close(receiver.local(), Some(peer), Some(1));
    narrator.did(Step::Close, format_args!("connection to {peer}"));
    let _ = std::io::stdout().flush();
    // After Ctrl-C, what became of the connection is the stop the user
    // asked for (a peer may answer our cut with a reset): exit 0.
    if input.was_interrupted() {
        return Ok(());
    }
    receiver.verdict()
}

/// Tries each address in turn until one accepts the connection.
fn connect_to_any(
    candidates: &[SocketAddr],
    server: &Endpoint,
    args: &Args,
    console: &Console,
) -> Result<TcpStream, Failure> {
    let narrator = lesson::narrate::narrator();
    let mut last_error = None;
    for &address in candidates {
        // ANCHOR: socket
        // socket() creates a stream socket of this address's family.
        let domain = Domain::for_address(address);
        let socket = Socket::new(domain, Type::STREAM, Some(Protocol::TCP))
            .told(Step::Socket, address)?;
        // ANCHOR_END: socket

        // `ss` lists the socket once it connects: --step suggests watching.
        narrator.watch(address.port());
        let waiting = connecting::still_connecting(address, console);
        let waited = lesson::trace::start();
        // ANCHOR: connect
        // connect() performs the three-way handshake with the server: SYN,
        // SYN-ACK, ACK. The kernel picks our local port, and resends an
        // unanswered SYN (1 s, 3 s, 7 s, ... after the first) for about two
        // minutes.
        let connected = match args.connect_timeout {
            None => socket.connect(&address.into()),
            Some(limit) => socket.connect_timeout(&address.into(), limit),
        };
        // ANCHOR_END: connect
        drop(waiting);
        lesson::trace::Event {
            start: waited,
            local: shared::local_address(&socket),
            peer: Some(address),
            conn: Some(1),
            error: connected.as_ref().err().map(lesson::failure::describe),
            ..Default::default()
        }
        .record(Step::Connect);
        match connected {
            Ok(()) => {
                let local = shared::local_address(&socket);
                let from = local.map(|l| format!(" from {l}"));
                narrator.did(
                    Step::Connect,
                    format_args!("{address}{}", from.unwrap_or_default()),
                );
                return Ok(TcpStream::from(socket));
            }
            // A refusal means no program listens there: try the next one.
            Err(e) => {
                narrator.note(format_args!(
                    "connect {address} failed: {}",
                    lesson::failure::describe(&e)
                ));
                last_error = Some(e);
            }
        }
    }
    Err(connecting::failed(last_error, server))
}
