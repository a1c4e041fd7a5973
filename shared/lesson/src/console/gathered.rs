//! Data lines gathered for a pipe or a file: a server with many clients
//! prints a line for every message, and one write(2) each would cost as
//! much as the echo itself. Gathered, the lines of up to
//! [`GATHER_FOR`] go out in one write, as C's stdio and Python do when
//! stdout is not a terminal. A terminal still gets each line at once.
//!
//! Nothing is reordered or lost: every line of stderr first writes out
//! the data lines before it, and so do the end of the program and a stop
//! at once (see [`flush`]). Only a stdout that nobody reads (a full pipe)
//! lets stderr and a stop at once go ahead without it ([`flush_within`]).

use super::{Output, WHOLE_WRITE, write_whole};
use std::io;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Condvar, Mutex, MutexGuard, PoisonError, TryLockError};
use std::time::{Duration, Instant};

/// How long a data line may wait for others: too short to notice.
pub const GATHER_FOR: Duration = Duration::from_millis(10);

/// True once [`start`] has been called.
static ON: AtomicBool = AtomicBool::new(false);
/// The data lines not written yet, at most [`WHOLE_WRITE`] bytes: a pipe
/// takes them whole, never mixed with another program's writes. Held
/// only to add a line or to take the batch.
static LINES: Mutex<Vec<u8>> = Mutex::new(Vec::new());
/// Held while a batch is written, so that batches keep their order.
static WRITING: Mutex<()> = Mutex::new(());
/// Wakes the writer when the first line arrives in an empty batch.
static ARRIVED: Condvar = Condvar::new();
/// True once a write failed: stdout is closed (`| head -1` read enough).
static CLOSED: AtomicBool = AtomicBool::new(false);
/// True while a write to stdout has taken longer than a flush would wait.
static STUCK: AtomicBool = AtomicBool::new(false);

fn lines() -> MutexGuard<'static, Vec<u8>> {
    LINES.lock().unwrap_or_else(PoisonError::into_inner)
}

/// From now on, data lines are gathered, and a thread of its own writes
/// them out [`GATHER_FOR`] after the first of them.
pub fn start() -> io::Result<()> {
    if ON.swap(true, Ordering::SeqCst) {
        return Ok(());
    }
    let writer = std::thread::Builder::new().name("stdout".into());
    writer.spawn(|| {
        loop {
            let mut waiting = lines();
            while waiting.is_empty() {
                waiting = ARRIVED
                    .wait(waiting)
                    .unwrap_or_else(PoisonError::into_inner);
            }
            drop(waiting);
            std::thread::sleep(GATHER_FOR);
            // Stdout closed: `data()` hears it with its next line.
            let _ = flush();
        }
    })?;
    Ok(())
}

/// True while data lines are gathered.
pub fn is_on() -> bool {
    ON.load(Ordering::Relaxed)
}

/// Adds the line made of `parts` (and an end of line) to the batch;
/// writes the batch first when the line would not fit. Adding waits for
/// no write.
pub fn add(parts: &[&str]) -> io::Result<()> {
    if CLOSED.load(Ordering::Relaxed) {
        return Err(io::ErrorKind::BrokenPipe.into());
    }
    let len = parts.iter().map(|part| part.len()).sum::<usize>() + 1;
    let mut batch = lines();
    if batch.len() + len <= WHOLE_WRITE {
        let first = batch.is_empty();
        if first {
            // Room for the whole batch at once, not grown line by line.
            batch.reserve(WHOLE_WRITE);
        }
        parts
            .iter()
            .for_each(|part| batch.extend_from_slice(part.as_bytes()));
        batch.push(b'\n');
        drop(batch);
        if first {
            ARRIVED.notify_one();
        }
        return Ok(());
    }
    drop(batch);
    write_out()?;
    match len > WHOLE_WRITE {
        true => write_whole(Output::Stdout, (parts.concat() + "\n").as_bytes()),
        false => add(parts),
    }
}

/// Writes out the data lines gathered so far. Cheap when there are none.
pub fn flush() -> io::Result<()> {
    match is_on() {
        true => write_out(),
        false => Ok(()),
    }
}

/// Like [`flush`], but waits at most `patience` for a write under way: a
/// stdout nobody reads (a full pipe) must not hold up a line of stderr
/// or a stop at once. Once a wait has run out, later calls do not wait
/// until a write to stdout has gone through again.
pub fn flush_within(patience: Duration) -> io::Result<()> {
    if !is_on() {
        return Ok(());
    }
    let deadline = Instant::now() + patience;
    let turn = loop {
        match WRITING.try_lock() {
            Ok(turn) => break turn,
            Err(TryLockError::Poisoned(p)) => break p.into_inner(),
            Err(TryLockError::WouldBlock)
                if !STUCK.load(Ordering::Relaxed)
                    && Instant::now() < deadline =>
            {
                std::thread::sleep(Duration::from_millis(1));
            }
            Err(TryLockError::WouldBlock) => {
                STUCK.store(true, Ordering::Relaxed);
                return Ok(());
            }
        }
    };
    write_taken(turn)
}

/// Takes the batch and writes it, one writer at a time: batches go out in
/// the order they were taken, while new lines start the next one.
fn write_out() -> io::Result<()> {
    write_taken(WRITING.lock().unwrap_or_else(PoisonError::into_inner))
}

/// [`write_out`] with the writer's turn in hand.
fn write_taken(_turn: MutexGuard<'_, ()>) -> io::Result<()> {
    let batch = std::mem::take(&mut *lines());
    if batch.is_empty() {
        return Ok(());
    }
    let result = write_whole(Output::Stdout, &batch);
    match result {
        Ok(()) => STUCK.store(false, Ordering::Relaxed),
        Err(_) => CLOSED.store(true, Ordering::Relaxed),
    }
    result
}
