//! A real pseudo-terminal, so a test can be the student at the keyboard.

use crate::{Collected, PATIENCE, collect};
use std::fs::File;
use std::io::Write;
use std::os::fd::{FromRawFd, OwnedFd};
use std::os::unix::process::CommandExt;
use std::process::{Child, Command, ExitStatus, Stdio};
use std::sync::Arc;
use std::thread;
use std::time::{Duration, Instant};

/// A program running inside a pseudo-terminal, as its controlling terminal.
#[derive(Debug)]
pub struct Pty {
    child: Child,
    /// Set once the program was waited for: its pid may then belong to
    /// another process, which a signal must never reach.
    reaped: std::sync::atomic::AtomicBool,
    keyboard: File,
    /// What appeared on the screen: stdout and stderr, escape codes and all.
    pub screen: Arc<Collected>,
}

impl Pty {
    /// Starts `bin` with `args` on a new 80×24 pseudo-terminal.
    #[allow(unsafe_code)]
    pub fn start(bin: &str, args: &[&str]) -> Pty {
        let (mut master, mut slave) = (-1, -1);
        let mut size = libc::winsize {
            ws_row: 24,
            ws_col: 80,
            ws_xpixel: 0,
            ws_ypixel: 0,
        };
        // SAFETY: openpty writes two descriptors into the given places.
        let rc = unsafe {
            libc::openpty(
                &mut master,
                &mut slave,
                std::ptr::null_mut(),
                // `*mut` on macOS, `*const` on Linux: `*mut` fits both.
                std::ptr::null_mut(),
                &raw mut size,
            )
        };
        assert_eq!(
            rc,
            0,
            "openpty failed: {}",
            std::io::Error::last_os_error()
        );
        // SAFETY: both descriptors were just opened and are owned here.
        let (master, slave) = unsafe {
            (OwnedFd::from_raw_fd(master), OwnedFd::from_raw_fd(slave))
        };
        let mut command = Command::new(bin);
        command
            .args(args)
            .env("NO_COLOR", "1")
            .env("LC_ALL", "C.UTF-8")
            .env("TERM", "xterm")
            .env_remove("RUST_BACKTRACE")
            .stdin(Stdio::from(slave.try_clone().unwrap()))
            .stdout(Stdio::from(slave.try_clone().unwrap()))
            .stderr(Stdio::from(slave));
        // SAFETY: setsid and ioctl are async-signal-safe; they make the
        // terminal the child's controlling terminal, as a login shell would.
        unsafe {
            command.pre_exec(|| {
                if libc::setsid() < 0
                    || libc::ioctl(0, libc::TIOCSCTTY as _, 0) < 0
                {
                    return Err(std::io::Error::last_os_error());
                }
                Ok(())
            });
        }
        let child = command
            .spawn()
            .unwrap_or_else(|e| panic!("cannot start {bin}: {e}"));
        drop(command); // Closes our copies of the slave side.
        let keyboard = File::from(master.try_clone().unwrap());
        let screen = collect(File::from(master));
        Pty {
            reaped: std::sync::atomic::AtomicBool::new(false),
            child,
            keyboard,
            screen,
        }
    }

    /// Types `keys` (use `\r` for Enter, `\x04` for Ctrl-D).
    pub fn type_keys(&mut self, keys: &str) {
        self.keyboard.write_all(keys.as_bytes()).unwrap();
        self.keyboard.flush().unwrap();
    }

    /// Waits until the line editor has begun reading its `n`-th line: it
    /// turns bracketed paste on (and the terminal raw) each time. A key
    /// typed before that (a redrawn `> ` is no sign) would go to the
    /// terminal's own line discipline instead of the editor.
    pub fn wait_for_prompt(&self, n: usize) {
        self.screen.wait_for_count("\x1b[?2004h", n);
    }

    /// Presses Enter at `--step` pauses number `pauses` (counted from the
    /// program's start), each once it is on the screen.
    pub fn step_through(&mut self, pauses: std::ops::RangeInclusive<usize>) {
        for pause in pauses {
            self.screen.wait_for_count("press Enter", pause);
            self.type_keys("\r");
        }
    }

    /// True when the terminal is in the mode a shell expects: lines
    /// (canonical mode), echo and signal keys on. A program that exits
    /// while its line editor holds the terminal leaves it raw.
    #[allow(unsafe_code)]
    pub fn terminal_is_sane(&self) -> bool {
        use std::os::fd::AsRawFd;
        // SAFETY: tcgetattr fills the zeroed struct; the descriptor is
        // the terminal's master end, open as long as `self`.
        let mut mode: libc::termios = unsafe { std::mem::zeroed() };
        let rc =
            unsafe { libc::tcgetattr(self.keyboard.as_raw_fd(), &mut mode) };
        assert_eq!(rc, 0, "tcgetattr: {}", std::io::Error::last_os_error());
        let wanted = libc::ICANON | libc::ECHO | libc::ISIG;
        mode.c_lflag & wanted == wanted
    }

    /// Sends a signal (SIGINT, SIGTERM) to the program.
    #[allow(unsafe_code)]
    pub fn signal(&self, signal: i32) {
        if self.reaped.load(std::sync::atomic::Ordering::SeqCst) {
            return;
        }
        let pid = self.child.id() as libc::pid_t;
        // SAFETY: kill() with a pid we started and still hold.
        unsafe {
            libc::kill(pid, signal);
        }
    }

    /// Waits for the program to exit, or kills it and panics; then for
    /// the screen to hold everything it wrote.
    pub fn wait(&mut self) -> ExitStatus {
        let deadline = Instant::now() + PATIENCE;
        loop {
            if let Some(status) = self.child.try_wait().unwrap() {
                self.reaped.store(true, std::sync::atomic::Ordering::SeqCst);
                // The last output may still be on its way to `screen`.
                self.screen.wait_for_end();
                return status;
            }
            if Instant::now() >= deadline {
                let _ = self.child.kill();
                panic!("program did not exit; screen:\n{}", self.screen.now());
            }
            thread::sleep(Duration::from_millis(10));
        }
    }
}

impl Drop for Pty {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
