//! Around connect(): a status line after a second, saying why a handshake
//! can take long (a full backlog, or nothing answering), the trace of the
//! call, and the error when every address failed.

use lesson::lang::tr;
use lesson::{Console, Failure, Place, Step};
use shared::Endpoint;
use std::io::ErrorKind;
use std::sync::mpsc;
use std::time::Duration;

/// Says, after a second without an answer, why connect() is taking long.
/// The message is cancelled when the returned sender is dropped.
pub fn still_connecting(address: Place, console: &Console) -> mpsc::Sender<()> {
    let (done, wait) = mpsc::channel::<()>();
    let console = console.clone();
    // If the thread cannot start, the only loss is the status line.
    let _ =
        std::thread::Builder::new()
            .name("connect".into())
            .spawn(move || {
                if wait
                    .recv_timeout(Duration::from_secs(1))
                    .is_err_and(|e| e == mpsc::RecvTimeoutError::Timeout)
                {
                    let args = [("address", address.to_string().into())];
                    let line = tr(why_so_long(&address), &args);
                    console.status(format_args!("{line}"));
                }
            });
    done
}

/// The message that says why a connect() to `address` may take long.
fn why_so_long(address: &Place) -> &'static str {
    match address {
        // A Unix socket's connect() waits while the listener's queue is
        // full, until the server accepts someone.
        Place::Path(_) | Place::Unnamed => "client-still-connecting-path",
        Place::Inet(_) => "client-still-connecting",
    }
}

/// Records a connect() that began at `start` for `--trace`, with its
/// error if it failed.
pub fn trace(
    start: Option<u64>,
    local: Option<Place>,
    peer: Place,
    error: Option<String>,
) {
    lesson::trace::Event {
        start,
        local,
        peer: Some(peer),
        conn: Some(1),
        error,
        ..Default::default()
    }
    .record(Step::Connect);
}

/// The error for a connect that failed on every address: the last
/// address's reason, with the hint that fits it.
pub fn failed(
    last_error: Option<std::io::Error>,
    server: &Endpoint,
) -> Failure {
    match last_error {
        Some(e) if e.kind() == ErrorKind::ConnectionRefused => {
            let args = [("port", server.port.into())];
            Failure::at(Step::Connect, server, &e)
                .hint(tr("client-hint-refused", &args))
        }
        Some(e) if matches!(e.kind(), ErrorKind::TimedOut) => {
            Failure::at(Step::Connect, server, &e)
                .hint(tr("client-hint-no-syn-ack", &[]))
        }
        Some(e) => Failure::at(Step::Connect, server, &e),
        None => {
            let args = [("server", server.to_string().into())];
            Failure::new(tr("client-no-address", &args))
        }
    }
}
