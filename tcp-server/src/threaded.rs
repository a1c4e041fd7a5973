//! The socketserver design, as `tcp-server --threaded`.
//!
//! Python's `socketserver` splits a server in two. The *server* owns the
//! communication: bind, listen, and a loop that accepts one connection
//! after another. A *request handler* owns the conversation with one
//! client: its `handle()` method. Here [`Server`] is the first and the
//! [`Handler`] trait the second; [`EchoHandler`] is the script's
//! `handle()`. Each connection gets its own thread, as with Python's
//! `ThreadingTCPServer`, so one slow client no longer holds up the rest.

use crate::context::Context;
use crate::echo;
use crate::family::Listener;
use crate::roster::Client;
use lesson::Step;
use std::io::ErrorKind;
use std::sync::{Arc, OnceLock};
use std::thread;

/// The stack of each handler thread. The conversation keeps its buffer on
/// the heap; this leaves ample room for formatting and the narration.
const HANDLER_STACK: usize = 128 * 1024;

// ANCHOR: handler
/// Owns the conversation with one client; runs on that client's thread.
pub trait Handler: Send + Sync + 'static {
    /// Talks with `client` until the conversation is over.
    fn handle(&self, client: Client, context: &Context);
}

/// The echo conversation, the same one the sequential server has.
#[derive(Debug)]
pub struct EchoHandler;

impl Handler for EchoHandler {
    fn handle(&self, client: Client, context: &Context) {
        echo::converse(client, context);
    }
}
// ANCHOR_END: handler

/// Owns the communication: accepts connections and hands each to a
/// handler on a new thread.
#[derive(Debug)]
pub struct Server<'a> {
    listener: &'a Listener,
    context: Arc<Context>,
    max_clients: usize,
    once: bool,
}

impl<'a> Server<'a> {
    /// A server on an already listening socket. At most `max_clients` are
    /// served at once; with `once`, the first client to leave stops it.
    pub fn new(
        listener: &'a Listener,
        context: Arc<Context>,
        max_clients: usize,
        once: bool,
    ) -> Self {
        Self {
            listener,
            context,
            max_clients,
            once,
        }
    }

    /// Accepts clients until a stop is asked for (Ctrl-C, SIGTERM, or the
    /// first client leaving with `--once`).
    pub fn serve_forever(&self, handler: Arc<dyn Handler>) {
        let context = &self.context;
        let (roster, narrator) = (&context.roster, context.settings.narrator);
        // Past the limit we stop calling accept(): new clients still finish
        // their handshake, but wait in the kernel's backlog queue.
        while roster.wait_for_slot(self.max_clients, &context.stopper) {
            let waited = lesson::trace::start();
            // ANCHOR: threaded_accept
            // The server thread does only this: accept, and hand over.
            let (stream, peer) = match self.listener.accept() {
                // The wake-up connection of stop(): nobody to serve.
                Ok(_) if context.stopper.is_stopping() => break,
                Ok(pair) => pair,
                Err(e) => {
                    roster.accept_failed(&e);
                    continue;
                }
            };
            let mut client = roster.welcome(stream, peer.clone(), waited);
            narrator.did(Step::Accept, format_args!("{client}"));
            // ANCHOR_END: threaded_accept
            roster.greet(&client);
            let (turn, name) =
                (client.turn, format!("handler-{}", client.turn));
            let hands = crate::messages::hands_over(&peer, &name);
            narrator.note(format_args!("{hands}"));
            drop(hands);
            // A thread needs memory for its stack, its recv() buffer and
            // more: with too little left, std would abort the whole server
            // while starting it. The buffer is made here, where failing
            // can refuse one client, and counts before the next check.
            let size = context.settings.buffer;
            if client.buffer.try_reserve_exact(size).is_err() {
                roster.refuse(turn, &peer, &no_room());
                continue;
            }
            client.buffer.resize(size, 0);
            if let Err(why) = room_for_a_thread() {
                roster.refuse(turn, &peer, &why);
                continue;
            }
            let (handler, for_handler, once) =
                (Arc::clone(&handler), Arc::clone(context), self.once);
            // ANCHOR: threaded_spawn
            // Each client gets a thread of its own, which runs the handler.
            // An echo needs little stack: a small one, asked for explicitly,
            // lets a thousand clients fit where the default (2 MiB each)
            // would run out of address space.
            let spawned = thread::Builder::new()
                .name(name)
                .stack_size(HANDLER_STACK)
                .spawn(move || {
                    handler.handle(client, &for_handler);
                    if once {
                        // Stopping from inside a handler is safe here: stop()
                        // sets a flag and wakes accept(), it waits for nothing.
                        // (Python's shutdown() waits for serve_forever() to end,
                        // which waits for this handler: a deadlock.)
                        for_handler.stopper.stop();
                    }
                });
            // ANCHOR_END: threaded_spawn
            if let Err(e) = spawned {
                // The closure, and with it the connection, is dropped: the
                // client is refused, and the server goes on.
                roster.refuse(turn, &peer, &no_thread(&e));
            }
        }
    }
}

/// Address space a new handler thread needs besides its stack: the guard
/// page and signal stack std maps for it, its first allocations, and what
/// every live conversation may still allocate, up to its goodbye.
const HEADROOM: usize = 4 * 1024 * 1024;

/// Why a client is refused when the address space has no room left.
fn no_room() -> String {
    lesson::lang::tr("server-no-room", &[])
}

/// Checks that the address space (`ulimit -v`) has room for one more
/// handler thread and the headroom. std cannot report every allocation a
/// new thread makes (its signal stack, its first strings): one that fails
/// aborts the whole process. So a client is refused before that point.
fn room_for_a_thread() -> Result<(), String> {
    match address_space_left() {
        Some(left) if left < HANDLER_STACK + HEADROOM => Err(no_room()),
        _ => Ok(()),
    }
}

/// How much address space this process may still map: its limit minus
/// what it has mapped, as Linux counts them (`/proc/self/limits`, read
/// once, and `/proc/self/status`). `None` without a limit, or when
/// unknown: then nothing is read again.
fn address_space_left() -> Option<usize> {
    static LIMIT: OnceLock<Option<usize>> = OnceLock::new();
    let limit = (*LIMIT.get_or_init(|| {
        let limits = std::fs::read_to_string("/proc/self/limits").ok()?;
        limits
            .lines()
            .find(|l| l.starts_with("Max address space"))?
            .split_whitespace()
            .nth(3)?
            .parse()
            .ok() // "unlimited" does not parse: no limit.
    }))?;
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let kib: usize = status
        .lines()
        .find(|l| l.starts_with("VmSize:"))?
        .split_whitespace()
        .nth(1)?
        .parse()
        .ok()?;
    Some(limit.saturating_sub(kib * 1024))
}

/// Why a thread could not be started, in words: EAGAIN from the kernel
/// means it would not start another thread (a limit on threads or on
/// memory), not that anything timed out.
fn no_thread(e: &std::io::Error) -> String {
    match e.kind() {
        ErrorKind::WouldBlock => {
            lesson::lang::tr("server-no-more-threads", &[])
        }
        _ => lesson::failure::describe(e),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// EAGAIN from a thread's start is the system saying no, not a timeout.
    #[test]
    fn a_thread_refused_is_not_a_timeout() {
        let words = no_thread(&ErrorKind::WouldBlock.into());
        assert!(words.contains("would not start another thread"), "{words}");
        assert!(!words.contains("timed out"), "{words}");
    }
}
