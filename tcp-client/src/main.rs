//! An interactive TCP client: sends `hello`, then every line you type, and
//! prints whatever the server sends, as it arrives.
//!
//! This is the Rust counterpart of the tutorial's `socket_client.py`:
//! resolve the server's name, socket and connect, then send and recv, and
//! close. TCP is full-duplex, so sending and receiving run side by side: a
//! thread of its own calls recv() from connect until the server closes,
//! while the main thread sends what you type.
//!
//! Run `cargo run -p tcp-server` in one terminal and
//! `cargo run -p tcp-client -- --explain` in another. You will see `hello`
//! come back, then a `> ` prompt: each line you type is sent and its echo
//! printed. An empty line or Ctrl-D ends the conversation; Ctrl-C stops at
//! once. Piped input works too: `printf 'a\nb\n' | tcp-client`. Against a
//! real server, pick a line ending: `tcp-client :8000 --crlf` speaks HTTP
//! by hand. An ADDRESS that is a path (`./echo.sock`) makes it a Unix
//! domain socket's client instead, with the same steps (see `unix.rs`).

mod args;
mod closing;
mod connecting;
mod messages;
mod receive;
mod show;
mod stream;
mod talk;
mod tally;
mod unix;

use args::Args;
use input::Input;
use lesson::narrate::{Told, Transport};
use lesson::{Console, Failure, Narrator, Place, Step, StepResult};
use receive::Receiver;
use socket2::{Domain, Protocol, Socket, Type};
use std::io::Write;
use std::net::{Shutdown, SocketAddr, TcpStream, ToSocketAddrs};
use std::process::ExitCode;
use stream::{Connected, Stream};

fn main() -> ExitCode {
    let args: Args = lesson::flags::parse();
    let console = Console::detect();
    let result = run(&args, &console);
    lesson::failure::finish(result, &console)
}

fn run(args: &Args, console: &Console) -> Result<(), Failure> {
    let narrator = Narrator::from_args(Transport::Tcp, &args.common, console)?;
    let narrator = narrator.install();
    let (stream, peer, local) = match args.common.unix_path() {
        // A path is the address itself: there is nothing to resolve.
        Some(path) => unix::connect(path, args, console)?,
        None => connect_by_name(args, console)?,
    };
    messages::connected(console, &peer);
    converse(stream, peer, local, args, console, narrator)
}

/// Resolves the server's name and tries each address in turn until one
/// accepts; returns the stream, the server's address and ours.
fn connect_by_name(
    args: &Args,
    console: &Console,
) -> Result<Connected, Failure> {
    let server = args.common.endpoint(args::default_endpoint());

    // ANCHOR: resolve
    // A name like `localhost` can stand for several addresses (often ::1
    // and 127.0.0.1). The resolver lists them; we will try each in turn.
    let candidates: Vec<SocketAddr> = (server.host_text(), server.port)
        .to_socket_addrs()
        .told(Step::Resolve, &server)?
        .collect();
    // ANCHOR_END: resolve

    let narrator = lesson::narrate::narrator();
    let mut last_error = None;
    for address in candidates {
        // ANCHOR: socket
        // socket() creates a stream socket of this address's family.
        let domain = Domain::for_address(address);
        let socket = Socket::new(domain, Type::STREAM, Some(Protocol::TCP))
            .told(Step::Socket, address)?;
        // ANCHOR_END: socket

        // `ss` lists the socket once it connects: --step suggests watching.
        narrator.watch(address.port());
        let waiting = connecting::still_connecting(address.into(), console);
        let waited = lesson::trace::start();
        let connected = match args.connect_timeout {
            // --connect-timeout: the same handshake, given up sooner.
            Some(limit) => socket.connect_timeout(&address.into(), limit),
            None => {
                // ANCHOR: connect
                // connect() performs the three-way handshake with the
                // server: SYN, SYN-ACK, ACK. The kernel picks our local
                // port, and resends an unanswered SYN (1 s, 3 s, 7 s, ...
                // after the first) for about two minutes.
                socket.connect(&address.into())
                // ANCHOR_END: connect
            }
        };
        drop(waiting);
        // ANCHOR: local_addr
        // getsockname(): the address and port the kernel gave our end.
        let local = socket.local_addr().ok().and_then(|a| a.as_socket());
        // ANCHOR_END: local_addr
        let error = connected.as_ref().err().map(lesson::failure::describe);
        let local = local.map(Place::from);
        connecting::trace(waited, local.clone(), address.into(), error);
        match connected {
            Ok(()) => {
                let server = Place::from(address);
                let details = messages::connect(&server, local.as_ref());
                narrator.did(Step::Connect, format_args!("{details}"));
                drop(details);
                let stream = Stream::from(TcpStream::from(socket));
                return Ok((stream, address.into(), local));
            }
            // A refusal means no program listens there: try the next one.
            Err(e) => {
                let failed = messages::connect_failed(address, &e);
                narrator.note(format_args!("{failed}"));
                last_error = Some(e);
            }
        }
    }
    Err(connecting::failed(last_error, &server))
}

/// The conversation: a thread receives, this one sends what you type, then
/// half-closes and closes.
fn converse(
    stream: Stream,
    peer: Place,
    local: Option<Place>,
    args: &Args,
    console: &Console,
    narrator: &Narrator,
) -> Result<(), Failure> {
    // Ctrl-C at the prompt cuts the connection at once, even while a send
    // waits for a server that reads nothing.
    let cut = stream.try_clone().during(Step::Connect, &peer)?;
    let cut = move || {
        let _ = cut.shutdown(Shutdown::Both);
    };
    // Without a line ending, an empty line is the last, as in the script.
    let plain = args.client.line_ending().is_empty();
    let last = move |line: &[u8]| plain && line.is_empty();
    let input = Input::start("> ", console, narrator.steps(), cut, last)?;
    let waker = input.waker();
    let receiver = Receiver::new(&peer, &local, args, console, waker);
    std::thread::scope(|scope| {
        // ANCHOR: receive
        // recv() runs on a thread of its own, from now until the server
        // closes: TCP is full-duplex, so whatever the server sends is
        // shown as it arrives, while this thread sends what you type.
        let receiving = std::thread::Builder::new().name("receive".into());
        receiving
            .spawn_scoped(scope, || receiver.run(&stream))
            .during(Step::Recv, &peer)?;
        // ANCHOR_END: receive
        let mut sender =
            talk::Sender::new(&stream, &peer, &receiver, args, console);
        let talked = (|| {
            if !sender.converse(&input)? {
                return Ok(());
            }
            let at = lesson::trace::start();
            // ANCHOR: shutdown
            // shutdown(Write) sends FIN: "I will send no more". The server
            // reads 0 bytes, closes its side, and our recv() reads 0 too.
            stream
                .shutdown(Shutdown::Write)
                .map_err(talk::after_reset)
                .told(Step::Shutdown, &peer)?;
            // ANCHOR_END: shutdown
            sender.after_fin(at);
            Ok(())
        })();
        // However the conversation ended, the receiving thread ends too.
        receiver.stop(&stream);
        talked
    })?;

    // ANCHOR: close
    // Dropping the stream closes the socket and frees our port.
    drop(stream);
    // ANCHOR_END: close
    lesson::trace::close(local, Some(peer.clone()), Some(1));
    narrator.did(Step::Close, format_args!("{}", messages::connection(&peer)));
    let _ = std::io::stdout().flush();
    // After Ctrl-C, what became of the connection is the stop the user
    // asked for (a peer may answer our cut with a reset): exit 0.
    if input.was_interrupted() {
        return Ok(());
    }
    receiver.tally().verdict()
}
