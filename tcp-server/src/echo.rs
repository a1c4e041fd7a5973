//! The conversation with one client: receive, print, send back, until the
//! client closes its side. This is the Python script's `while True` loop,
//! and the body of the `handle()` method in its socketserver version.

use crate::context::Context;
use crate::ending::{self, Ending, Traced};
use crate::messages;
use crate::roster::{Client, Echoed};
use lesson::Step;
use lesson::console::{Output, hex_lines};
use shared::Utf8Stream;
use shared::text::{SHOW_LIMIT, not_shown};
use std::io::{ErrorKind, Read, Write};
use std::net::Shutdown;
use std::time::Instant;

/// Echoes everything `client` sends until it closes the connection, then
/// closes our side. Problems with this client are reported and end only
/// this conversation.
pub fn converse(mut client: Client, context: &Context) {
    let settings = &context.settings;
    let console = &settings.console;
    let label_err = client.label(console, Output::Stderr);
    let label_out = client.label(console, Output::Stdout);
    let mut text = Utf8Stream::default();
    // What a read shows: one buffer for every read, no allocation each.
    let mut shown = String::new();
    let mut echoed = Echoed::default();
    let mut buffer = std::mem::take(&mut client.buffer);
    buffer.resize(settings.buffer, 0);
    // Neither recv() nor send() waits longer than a tick: then the loop
    // checks --idle-timeout and the stop flag, and calls again. A recv()
    // with nothing to check waits for good (a stop says goodbye for it).
    let tick = Some(settings.tick());
    let timeouts = client.stream.set_read_timeout(settings.recv_tick());
    if let Err(e) = timeouts.and(client.stream.set_write_timeout(tick)) {
        let why = lesson::failure::describe(&e);
        let args = [("client", label_err.as_str().into()), ("why", why.into())];
        let warning = lesson::lang::tr("server-no-timeouts", &args);
        console.warn(format_args!("{warning}"));
    }
    // For --idle-timeout: the last time anything moved either way, bytes
    // in or echo taken. Without it, the clock is never read.
    let timed = settings.idle_timeout.is_some();
    let mut progress = Instant::now();
    // For --trace: this connection, and when the recv() under way began.
    let traced = Traced {
        local: client.stream.local(),
        peer: client.peer.clone(),
        conn: client.turn,
    };
    let mut began = None;

    let ending = 'conversation: loop {
        // Stopping: say goodbye. Else note that we wait in recv(), which
        // may have no timeout and then sees no stop (see waiting.rs).
        if !client.waiting.start(&context.stopper) {
            break Ending::Stopping;
        }
        if began.is_none() {
            began = lesson::trace::start();
        }
        // ANCHOR: recv
        // recv() waits until the client has sent something and copies at
        // most `buffer.len()` bytes of it; read() on a TcpStream is recv().
        let read = client.stream.read(&mut buffer);
        // A stop said goodbye (FIN) while we waited: whatever came, this
        // conversation is over (see waiting.rs).
        if client.waiting.end() {
            break Ending::Stopping;
        }
        let received = match read {
            // 0 bytes: the client closed its side (its FIN arrived). No more
            // data will ever come on this connection.
            Ok(0) => break Ending::Closed,
            Ok(n) => Some(n),
            // A signal arrived while waiting: nothing happened.
            Err(e) if e.kind() == ErrorKind::Interrupted => None,
            // Nothing arrived for a tick (the socket's read timeout).
            Err(e) if lesson::failure::is_timeout(&e) => None,
            // The client's kernel sent RST instead of FIN: the connection
            // was torn down abruptly (SO_LINGER 0, or closed with unread
            // data). Only this conversation ends.
            Err(e) => break Ending::Failed(Step::Recv, e),
        };
        // ANCHOR_END: recv
        // Nothing yet: call again, unless the client has been silent for
        // --idle-timeout.
        let Some(received) = received else {
            if idle(context, progress) {
                break Ending::Idle(Step::Recv);
            }
            continue;
        };
        let data = &buffer[..received];
        traced.record(Step::Recv, began.take(), received, echoed.received);
        echoed.received += received as u64;
        if timed {
            progress = Instant::now();
        }
        echoed.reads += 1;
        // A character split between two reads is held back until the rest
        // arrives, so a read can have nothing to print yet.
        shown.clear();
        let hidden = text.decode_preview_into(&mut shown, data, SHOW_LIMIT);
        let held = text.is_holding();
        let details =
            messages::received(echoed.reads, received, &client.peer, held);
        settings.narrator.did(Step::Recv, format_args!("{details}"));
        // With --hex, the dump goes out with its line: with a thread per
        // client, another client's line could come in between.
        let dump = settings.hex.then(|| hex_lines(data, echoed.bytes as usize));
        if !shown.is_empty() || hidden > 0 {
            shown.push_str(&not_shown(hidden));
            match &dump {
                Some(dump) => {
                    console.data_parts(&[&label_out, ": ", &shown, "\n", dump])
                }
                None => console.data_parts(&[&label_out, ": ", &shown]),
            };
        } else if let Some(dump) = &dump {
            console.data_parts(&[dump]);
        }

        // Until every byte is taken, as Python's sendall() does.
        let mut sent = 0;
        while sent < data.len() {
            // ANCHOR: send
            // send() copies what the kernel's buffer has room for, which may
            // be only part of the bytes, and says how many it took.
            let took = match client.stream.write(&data[sent..]) {
                Ok(n) => n,
                // A signal arrived while waiting: nothing was sent.
                Err(e) if e.kind() == ErrorKind::Interrupted => 0,
                // The kernel could take nothing for a tick (the socket's
                // write timeout): the client is not reading, for now.
                Err(e) if lesson::failure::is_timeout(&e) => 0,
                // Broken pipe or reset: the client has gone.
                Err(e) => break 'conversation Ending::Failed(Step::Send, e),
            };
            // ANCHOR_END: send
            sent += took;
            echoed.bytes += took as u64;
            if took == 0 {
                // A client that takes none of its echo must not hold us
                // forever: --idle-timeout, or the stop's grace period.
                if let Some(ending) = stuck(context, progress) {
                    break 'conversation ending;
                }
            } else if timed {
                progress = Instant::now();
            }
        }
        traced.record(
            Step::Send,
            None,
            received,
            echoed.bytes - received as u64,
        );
        let details = messages::sent(received, &client.peer);
        settings.narrator.did(Step::Send, format_args!("{details}"));
    };

    match &ending {
        Ending::Closed => {
            traced.record(Step::Recv, began, 0, echoed.received);
            let details = lesson::lang::peer_closed(&client.peer);
            settings.narrator.did(Step::Recv, format_args!("{details}"));
        }
        Ending::Failed(step, e) => traced.failed(*step, e),
        _ => {}
    }
    let rest = text.finish();
    if !rest.is_empty() {
        console.data(format_args!("{label_out}: {rest}"));
    }
    let idle = settings.idle_timeout.unwrap_or_default();
    let stopping = context.stopper.is_stopping();
    ending::farewell(console, &label_err, &ending, &echoed, idle, stopping);
    if let Ending::Stopping = ending {
        goodbye(&client, &mut buffer, context, &traced);
    }

    let Client {
        stream, turn, peer, ..
    } = client;
    context.roster.let_go(turn);
    // ANCHOR: close
    // Dropping the stream closes our side of the connection: the kernel
    // sends FIN, and the client's next recv() returns 0 bytes.
    drop(stream);
    // ANCHOR_END: close
    traced.record(Step::Close, None, 0, 0);
    let details = lesson::lang::connection(&peer);
    settings
        .narrator
        .did(Step::Close, format_args!("{details}"));
    context.roster.leave(turn, echoed);
}

/// After a tick in which send() could hand nothing to the kernel: ends the
/// conversation if the client has made no progress for --idle-timeout, or
/// if the server is stopping and the grace period is over.
fn stuck(context: &Context, progress: Instant) -> Option<Ending> {
    if context.grace_over() {
        return Some(Ending::CutOff);
    }
    idle(context, progress).then_some(Ending::Idle(Step::Send))
}

/// True when nothing has moved either way since `progress` for longer
/// than --idle-timeout.
fn idle(context: &Context, progress: Instant) -> bool {
    context
        .settings
        .idle_timeout
        .is_some_and(|idle| progress.elapsed() >= idle)
}

/// Ends a conversation politely when the server stops: FIN after the last
/// echo, then whatever the client still sends is read and dropped until
/// its own FIN arrives (or the grace period ends). Closing with unread
/// bytes would make the kernel send RST, and throw away echo the client
/// has not received yet.
fn goodbye(
    client: &Client,
    buffer: &mut [u8],
    context: &Context,
    traced: &Traced,
) {
    // For a handler waiting in recv(), the stop has sent FIN already (see
    // waiting.rs); this shutdown() then changes nothing.
    let told = client.waiting.told_at();
    let at = told.or_else(lesson::trace::start);
    let stream = &client.stream;
    let shut = stream.shutdown(Shutdown::Write).is_ok();
    if shut || told.is_some() {
        traced.record_shutdown(at);
        let details = messages::goodbye(&client.peer);
        let narrator = &context.settings.narrator;
        narrator.did(Step::Shutdown, format_args!("{details}"));
    }
    if !shut {
        return;
    }
    // Each read returns within a tick, so the loop ends by the deadline.
    let _ = stream.set_read_timeout(Some(context.settings.tick()));
    while !context.grace_over() {
        match (&*stream).read(buffer) {
            Ok(0) => break,
            Ok(_) => {}
            Err(e)
                if e.kind() == ErrorKind::Interrupted
                    || lesson::failure::is_timeout(&e) => {}
            Err(_) => break,
        }
    }
}
