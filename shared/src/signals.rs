//! Turning Ctrl-C and SIGTERM into a graceful stop.
//!
//! A server blocked in `accept()` or `recv()` cannot look at a flag. So the
//! signals are blocked in every thread and one thread waits for them with
//! `sigwait()`; when one arrives, it calls the server's stop function, which
//! sets a flag and wakes the blocked call. A second signal ends the process
//! at once.

/// Calls `stop` on a background thread when SIGINT or SIGTERM arrives.
///
/// Call it before starting any other thread: threads inherit the blocked
/// signal mask from the thread that starts them.
#[cfg(unix)]
#[allow(unsafe_code)] // Plain libc calls on a sigset_t owned by this function.
pub fn on_stop(stop: impl FnOnce() + Send + 'static) -> std::io::Result<()> {
    use std::io;
    use std::mem::MaybeUninit;

    let mut set = MaybeUninit::<libc::sigset_t>::uninit();
    // SAFETY: sigemptyset initialises the set; sigaddset and pthread_sigmask
    // only read and write that initialised set.
    let set = unsafe {
        libc::sigemptyset(set.as_mut_ptr());
        libc::sigaddset(set.as_mut_ptr(), libc::SIGINT);
        libc::sigaddset(set.as_mut_ptr(), libc::SIGTERM);
        let set = set.assume_init();
        let rc =
            libc::pthread_sigmask(libc::SIG_BLOCK, &set, std::ptr::null_mut());
        if rc != 0 {
            return Err(io::Error::from_raw_os_error(rc));
        }
        set
    };
    let wait = move || {
        let mut signal: libc::c_int = 0;
        // SAFETY: `set` is an initialised sigset_t and `signal` a valid
        // place for the result.
        unsafe { libc::sigwait(&set, &mut signal) };
        signal
    };
    std::thread::Builder::new()
        .name("signals".into())
        .spawn(move || {
            wait();
            stop();
            wait();
            eprintln!("second signal: stopping at once");
            std::process::exit(130);
        })?;
    Ok(())
}

/// On platforms without POSIX signals Ctrl-C keeps its default effect: the
/// process ends at once, without a summary.
#[cfg(not(unix))]
pub fn on_stop(_stop: impl FnOnce() + Send + 'static) -> std::io::Result<()> {
    Ok(())
}
