//! An interactive TCP client: sends `hello`, then every line you type, and
//! prints what the server sends back.
//!
//! This is the Rust counterpart of the tutorial's `socket_client.py`:
//! resolve the server's name, socket and connect, then send and recv in a
//! loop, and close.
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
//! is sent and its echo printed. An empty line, Ctrl-D or Ctrl-C ends the
//! conversation. Piped input works too: `printf 'a\nb\n' | tcp-client`.

mod reply;

use clap::Parser;
use shared::cli::{ClientFlags, Common};
use shared::input::Input;
use shared::narrate::Protocol as Narrate;
use shared::{Console, Endpoint, Failure, Host, Narrator, Step, StepResult};
use socket2::{Domain, Protocol, Socket, Type};
use std::io::{ErrorKind, Write};
use std::net::{Shutdown, SocketAddr, TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use std::time::Duration;

/// An interactive TCP client that shows every step of a socket's life.
#[derive(Debug, Parser)]
#[command(version, about, after_help = EXAMPLES)]
struct Args {
    #[command(flatten)]
    common: Common,

    #[command(flatten)]
    client: ClientFlags,
}

const EXAMPLES: &str = "\
Defaults: ADDRESS is localhost:10888.

Examples:
  tcp-client                        connect to localhost:10888 and chat
  tcp-client :9000 --explain        another port, narrating every socket call
  printf 'a\\nb\\n' | tcp-client      send two lines, print the echoes, exit";

fn default_endpoint() -> Endpoint {
    Endpoint::new(Host::Name("localhost".into()), 10888)
}

fn main() -> ExitCode {
    let args: Args = shared::cli::parse();
    let console = Console::detect();
    let result = run(&args, &console);
    shared::cli::finish(result, &console)
}

fn run(args: &Args, console: &Console) -> Result<(), Failure> {
    let narrator = Narrator::from_args(Narrate::Tcp, &args.common, console)?;
    let server = args.common.endpoint(default_endpoint());
    narrator.watch(server.port);

    narrator.pause(Step::Resolve, format_args!("{server}"));
    // ANCHOR: resolve
    // A name like `localhost` can stand for several addresses (often ::1
    // and 127.0.0.1). The resolver lists them; we will try each in turn.
    let candidates: Vec<SocketAddr> = (server.host_text(), server.port)
        .to_socket_addrs()
        .during(Step::Resolve, &server)?
        .collect();
    // ANCHOR_END: resolve
    narrator.explain(Step::Resolve, format_args!("{server} → {candidates:?}"));

    let mut stream =
        connect_to_any(&candidates, &server, args.client.timeout, &narrator)?;
    let peer = stream.peer_addr().during(Step::Connect, &server)?;
    console.status(format_args!("connected to {peer}"));

    let mut conversation = reply::Conversation::new(
        peer,
        args.client.buffer,
        args.client.timeout,
        args.common.hex,
        console,
        &narrator,
    );
    let mut input = Input::open("> ")?;
    let mut message = args.client.message.clone().into_bytes();
    if args.client.no_wait {
        // Everything at once: the lab that shows TCP's byte stream.
        let messages = input.all_lines(std::mem::take(&mut message))?;
        conversation.burst(&mut stream, &messages)?;
    }
    // The first message is --message; after that, each line typed. An
    // empty line ends the conversation, as in the Python script.
    while !message.is_empty() {
        if !conversation.exchange(&mut stream, &message)? {
            break; // stdout was closed (`| head -1`): nobody is reading.
        }
        message = match input.next_line()? {
            Some(line) => line,
            None => break,
        };
    }

    narrator.pause(Step::Shutdown, format_args!("write side, to {peer}"));
    // ANCHOR: close
    // shutdown(Write) sends FIN: "I will send no more". The server reads 0
    // bytes, closes its side, and we read 0 bytes in turn. Dropping the
    // stream then releases the socket.
    if stream.shutdown(Shutdown::Write).is_ok() {
        narrator.explain(Step::Shutdown, format_args!("write side, to {peer}"));
        conversation.wait_for_close(&mut stream);
    }
    drop(stream);
    // ANCHOR_END: close
    narrator.explain(Step::Close, format_args!("connection to {peer}"));
    let _ = std::io::stdout().flush();
    conversation.verdict()
}

/// Tries each address in turn until one accepts the connection.
fn connect_to_any(
    candidates: &[SocketAddr],
    server: &Endpoint,
    timeout: Duration,
    narrator: &Narrator,
) -> Result<TcpStream, Failure> {
    let mut last_error = None;
    for &address in candidates {
        narrator.pause(Step::Socket, format_args!("for {address}"));
        // ANCHOR: socket
        // socket() creates a stream socket of this address's family.
        let domain = Domain::for_address(address);
        let socket = Socket::new(domain, Type::STREAM, Some(Protocol::TCP))
            .during(Step::Socket, address)?;
        // ANCHOR_END: socket
        narrator
            .explain(Step::Socket, format_args!("{domain:?} stream socket"));

        narrator.pause(Step::Connect, format_args!("{address}"));
        // ANCHOR: connect
        // connect() performs the three-way handshake with the server: SYN,
        // SYN-ACK, ACK. The kernel picks our local port. A refusal means
        // no program listens there; we then try the next address.
        match socket.connect_timeout(&address.into(), timeout) {
            Ok(()) => {
                let stream = TcpStream::from(socket);
                if let Ok(local) = stream.local_addr() {
                    narrator.explain(
                        Step::Connect,
                        format_args!("{address} from {local}"),
                    );
                }
                return Ok(stream);
            }
            Err(e) => {
                narrator.note(format_args!(
                    "connect {address} failed: {}",
                    shared::cli::describe(&e)
                ));
                last_error = Some(e);
            }
        }
        // ANCHOR_END: connect
    }
    Err(match last_error {
        Some(e) if e.kind() == ErrorKind::ConnectionRefused => {
            Failure::at(Step::Connect, server, &e).hint(
                "is tcp-server running? start it with: cargo run -p tcp-server",
            )
        }
        Some(e) => Failure::at(Step::Connect, server, &e),
        None => Failure::new(format!("{server} resolves to no address")),
    })
}
