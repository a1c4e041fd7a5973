//! socketserver's UDPServer with threads, as `udp-server --threaded`.
//!
//! Python's `socketserver` splits a server in two. The *server* owns the
//! socket: it receives each datagram and makes it a *request*, the bytes
//! and the sender's address. A *request handler* answers one request: its
//! `handle()` method. UDP has no connections, so there is no accept() and
//! no socket per client: the handler replies on the server's own socket.
//!
//! Python's `ThreadingUDPServer` starts a thread per datagram. Here a fixed
//! pool of handler threads (`--handlers`) takes requests from a short
//! queue: a flood of datagrams then costs no thread each, and while every
//! handler is busy the datagrams wait in the socket's receive buffer.

use crate::buffer::{REAL_LENGTH, as_uninit};
use crate::echo::{Answer, ToldBack, again_if_interrupted};
use crate::request::{Intake, Request};
use crate::stopping;
use graceful::stop::Stopper;
use lesson::lang::tr;
use lesson::{Failure, Step};
use socket2::{MaybeUninitSlice, Socket};
use std::io::ErrorKind;
use std::sync::mpsc::{Receiver, SyncSender, sync_channel};
use std::sync::{Mutex, PoisonError};
use std::thread;

/// The stack of each handler thread: an echo needs little, and the
/// request's bytes are on the heap.
const HANDLER_STACK: usize = 128 * 1024;

// ANCHOR: handler
/// Answers one request: socketserver's `handle()`. Runs on a handler
/// thread, with the server's socket to reply on.
pub trait Handler: Sync {
    fn handle(&self, request: Request, socket: &Socket);
}
// ANCHOR_END: handler

/// The echo: shows the request and sends it back; a `bye` stops the
/// server instead (unless `--keep-open`).
struct EchoHandler<'a> {
    answer: &'a Answer<'a>,
    stopper: &'a Stopper,
}

impl Handler for EchoHandler<'_> {
    fn handle(&self, request: Request, socket: &Socket) {
        let (local, number) = (&self.answer.local, request.number);
        let (data, sender) = (&request.data, &request.sender);
        let address = &request.address;
        let narrator = lesson::narrate::narrator();
        let args = [
            ("number", number.into()),
            ("sender", sender.to_string().into()),
        ];
        narrator.note(format_args!("{}", tr("udp-takes", &args)));
        if self.answer.shows_bye(&request) {
            // Safe from a handler: stop() sets a flag and wakes the server
            // thread's recv_from(); it waits for nothing.
            self.stopper.stop();
            return;
        }
        if self.answer.unanswerable(&request) {
            return; // an AF_UNIX sender bound to no path
        }
        let at = lesson::trace::start(); // when the echo left, for --trace
        // ANCHOR: handler_send_to
        // The handler replies on the server's own socket, to the address
        // the request came from. Handlers may send on it at the same
        // time: each send_to() is one whole datagram, so none mix.
        let sent = again_if_interrupted(|| socket.send_to(data, address));
        let sent = sent.told_back(at, local, sender, data);
        // ANCHOR_END: handler_send_to
        self.answer.counted(sent, sender);
    }
}

/// Serves with `handlers` handler threads until a stop or a `bye`, and
/// returns once every request received has been answered.
pub fn serve(
    socket: &Socket,
    intake: &mut Intake,
    answer: &Answer,
    stopper: &Stopper,
    handlers: u16,
) -> Result<(), Failure> {
    let echo = EchoHandler { answer, stopper };
    // A short queue: when it is full, the server thread waits, and new
    // datagrams wait in the kernel (UDP's only backlog).
    let (hand_over, queue) = sync_channel::<Request>(usize::from(handlers));
    let queue = Mutex::new(queue);
    // Scoped threads may borrow the socket; the scope ends only when every
    // handler has returned, which is what makes the stop graceful.
    thread::scope(|scope| {
        let mut started: u64 = 0;
        for k in 1..=handlers {
            let (name, queue, echo) = (format!("handler-{k}"), &queue, &echo);
            // ANCHOR: pool_spawn
            // Each handler is a thread of its own, started once, before
            // the first datagram, and then fed request after request.
            let spawned = thread::Builder::new()
                .name(name)
                .stack_size(HANDLER_STACK)
                .spawn_scoped(scope, move || work(queue, echo, socket));
            // ANCHOR_END: pool_spawn
            match spawned {
                Ok(_) => started += 1,
                Err(e) => {
                    let args = [
                        ("number", k.into()),
                        ("why", e.to_string().into()),
                        ("started", started.into()),
                    ];
                    let warning = tr("udp-no-handler", &args);
                    answer.console.warn(format_args!("{warning}"));
                    break;
                }
            }
        }
        if started == 0 {
            return Err(Failure::new(tr("udp-no-handlers", &[])));
        }
        let pool = tr("udp-threaded", &[("handlers", started.into())]);
        answer.console.status(format_args!("{pool}"));
        let received = receive(socket, intake, stopper, &hand_over);
        // No more requests: each handler finishes what is queued, then
        // returns, and the scope waits for the last one.
        drop(hand_over);
        received
    })
}

/// The server thread's loop: receive a datagram, hand it over as a
/// request, and receive the next, until a stop.
fn receive(
    socket: &Socket,
    intake: &mut Intake,
    stopper: &Stopper,
    hand_over: &SyncSender<Request>,
) -> Result<(), Failure> {
    let local = intake.local.clone();
    let mut buffer = vec![0; intake.buffer];
    let narrator = lesson::narrate::narrator();
    loop {
        let waited = lesson::trace::start();
        // ANCHOR: server_recv_from
        // The server thread makes the sequential server's recv_from(), and
        // nothing else that waits for the network.
        let mut slices = [MaybeUninitSlice::new(as_uninit(&mut buffer))];
        let (size, flags, sender) = match socket
            .recv_from_vectored_with_flags(&mut slices, REAL_LENGTH)
        {
            Ok(result) => result,
            // A signal, a tick with no stop wake-up, or (Windows) an
            // earlier reply bounced.
            Err(e) if stopping::stopped_in_a_tick(&e, stopper) => return Ok(()),
            Err(e) if stopping::nothing_came(&e) => continue,
            Err(e) if e.kind() == ErrorKind::ConnectionReset => continue,
            Err(e) => return Err(Failure::at(Step::RecvFrom, &local, &e)),
        };
        // ANCHOR_END: server_recv_from
        if stopper.is_stopping() {
            intake.after_stop(size, &sender);
            return Ok(());
        }
        let got = (size, flags.is_truncated());
        let Some(request) = intake.take(&buffer, got, &sender, waited)? else {
            continue; // --drop threw it away
        };
        let number = request.number;
        let queues = tr("udp-queues", &[("number", number.into())]);
        narrator.note(format_args!("{queues}"));
        // Waits while the queue is full: every handler is busy.
        if hand_over.send(request).is_err() {
            return Err(Failure::new(tr("udp-handlers-ended", &[])));
        }
    }
}

/// A handler thread's life: take the next request, answer it, again,
/// until the server has stopped and the queue is empty.
fn work(
    queue: &Mutex<Receiver<Request>>,
    handler: &dyn Handler,
    socket: &Socket,
) {
    loop {
        // The lock is held only while taking a request, not while
        // answering it. (A handler never panics holding it, but if one
        // did, the queue itself would still be sound.)
        let next = queue.lock().unwrap_or_else(PoisonError::into_inner).recv();
        let Ok(request) = next else {
            return; // the server has stopped, and nothing is left
        };
        handler.handle(request, socket);
    }
}
