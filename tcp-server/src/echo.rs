//! The conversation with one client: receive, print, send back, until the
//! client closes its side. This is the Python script's `while True` loop,
//! and the body of the `handle()` method in its socketserver version.

use crate::clients::{Client, Shared, Tally};
use shared::console::Stream;
use shared::text::{SHOW_LIMIT, count, not_shown};
use shared::{Step, Utf8Stream};
use std::io::{ErrorKind, Read, Write};

/// Echoes everything `client` sends until it closes the connection, then
/// closes our side. Problems with this client are reported and end only
/// this conversation.
pub fn converse(mut client: Client, shared: &Shared) {
    let console = &shared.console;
    let label_err = console.paint_client(
        Stream::Err,
        &client.peer.to_string(),
        client.turn,
    );
    let label_out = console.paint_client(
        Stream::Out,
        &client.peer.to_string(),
        client.turn,
    );
    let mut text = Utf8Stream::default();
    let mut tally = Tally::default();
    let mut buffer = vec![0; shared.buffer];
    if let Err(e) = client.stream.set_read_timeout(shared.idle_timeout) {
        console.warn(format_args!(
            "{label_err}: cannot set the idle timeout: {e}"
        ));
    }

    let ending = loop {
        // ANCHOR: recv
        // recv() waits until the client has sent something and copies at
        // most `buffer.len()` bytes of it; read() on a TcpStream is recv().
        let received = match client.stream.read(&mut buffer) {
            // 0 bytes: the client closed its side (its FIN arrived). No more
            // data will ever come on this connection.
            Ok(0) => break Ending::Closed,
            Ok(n) => n,
            // A signal arrived while waiting; nothing happened, try again.
            Err(e) if e.kind() == ErrorKind::Interrupted => continue,
            // The read timeout (--idle-timeout) expired with nothing sent.
            Err(e) if is_timeout(&e) => break Ending::Idle,
            // The client's kernel sent RST instead of FIN: the connection
            // was torn down abruptly (SO_LINGER 0, or closed with unread
            // data). Only this conversation ends.
            Err(e) => break Ending::Failed(Step::Recv, e),
        };
        let data = &buffer[..received];
        // ANCHOR_END: recv
        tally.messages += 1;
        tally.bytes += received as u64;
        // A character split between two reads is held back until the rest
        // arrives, so a read can have nothing to print yet.
        let (shown, hidden) = text.decode_preview(data, SHOW_LIMIT);
        let held = match text.is_holding() {
            true => " (ends inside a character: held back for the rest)",
            false => "",
        };
        shared.narrator.explain(
            Step::Recv,
            format_args!(
                "#{}: {received} bytes from {}{held}",
                tally.messages, client.peer
            ),
        );
        if !shown.is_empty() || hidden > 0 {
            console.data(format_args!(
                "{label_out}: {shown}{}",
                not_shown(hidden)
            ));
        }
        if shared.hex {
            console.hex(data, (tally.bytes - received as u64) as usize);
        }

        shared.narrator.pause(
            Step::Send,
            format_args!("{received} bytes to {}", client.peer),
        );
        // ANCHOR: send
        // send() may take only part of the bytes when the kernel's buffer is
        // full; write_all() calls it again until every byte is on its way,
        // as Python's sendall() does.
        if let Err(e) = client.stream.write_all(data) {
            break Ending::Failed(Step::Send, e);
        }
        // ANCHOR_END: send
        shared.narrator.explain(
            Step::Send,
            format_args!("{received} bytes back to {}", client.peer),
        );
    };

    let rest = text.finish();
    if !rest.is_empty() {
        console.data(format_args!("{label_out}: {rest}"));
    }
    let counts = format!(
        "{}, {} echoed",
        count(tally.messages, "message"),
        count(tally.bytes, "byte")
    );
    match ending {
        Ending::Closed if shared.is_stopping() => console.status(format_args!(
            "{label_err}: disconnected, the server is stopping ({counts})"
        )),
        Ending::Closed => console.status(format_args!(
            "{label_err} closed the connection ({counts})"
        )),
        Ending::Idle => console.status(format_args!(
            "{label_err} sent nothing for {:?}: disconnecting (--idle-timeout) ({counts})",
            shared.idle_timeout.unwrap_or_default()
        )),
        Ending::Failed(step, e) => console.warn(format_args!(
            "{label_err}: {step} failed: {} ({counts}); serving the next client",
            shared::cli::describe(&e)
        )),
    }

    let Client {
        stream, turn, peer, ..
    } = client;
    shared
        .narrator
        .pause(Step::Close, format_args!("connection to {peer}"));
    // ANCHOR: close
    // Dropping the stream closes our side of the connection: the kernel
    // sends FIN, and the client's next recv() returns 0 bytes.
    drop(stream);
    // ANCHOR_END: close
    shared
        .narrator
        .explain(Step::Close, format_args!("connection to {peer}"));
    shared.leave(turn, tally);
}

/// Why a conversation ended.
#[derive(Debug)]
enum Ending {
    Closed,
    Idle,
    Failed(Step, std::io::Error),
}

/// A read timeout shows up as WouldBlock on Unix and TimedOut on Windows.
fn is_timeout(e: &std::io::Error) -> bool {
    matches!(e.kind(), ErrorKind::WouldBlock | ErrorKind::TimedOut)
}
