//! Turning Ctrl-C and SIGTERM into a graceful stop.
//!
//! A server blocked in `accept()` or `recv()` cannot look at a flag. So a
//! thread of the `ctrlc` crate waits for the signal and calls the server's
//! stop function, which sets a flag and wakes the blocked call. A second
//! signal ends the process at once. `ctrlc` does the same with Ctrl-C on
//! Windows, and needs no `unsafe` code here.

/// Calls `stop` on a background thread when Ctrl-C (SIGINT) or SIGTERM
/// arrives; a second one exits at once with code 130.
pub fn on_stop(
    stop: impl FnOnce() + Send + 'static,
) -> Result<(), ctrlc::Error> {
    let mut stop = Some(stop);
    ctrlc::set_handler(move || match stop.take() {
        Some(stop) => {
            new_line_after_the_echo();
            // A --step pause must not hold the stop up.
            lesson::narrate::narrator().release();
            stop();
        }
        None => {
            new_line_after_the_echo();
            lesson::console::flush_data_soon();
            eprintln!("{}", lesson::lang::tr("error-second-signal", &[]));
            std::process::exit(130);
        }
    })
}

/// The terminal echoed `^C` where the cursor was: what the program prints
/// next starts on a line of its own.
fn new_line_after_the_echo() {
    if std::io::IsTerminal::is_terminal(&std::io::stderr()) {
        eprintln!();
    }
}
