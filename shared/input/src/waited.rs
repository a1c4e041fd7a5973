//! With `--step`, what was typed while the program waited.
//!
//! Between two lines the terminal is in its normal line mode, and nobody
//! reads it while the program waits for an echo that a server paused at
//! a step holds back. An Enter pressed meanwhile to move things on stays
//! in the terminal, and the next prompt would read it as an empty line,
//! which ends the conversation. So before that prompt, the lines waiting
//! in the terminal are taken first: a bare Enter is dropped (and said so),
//! any other line is handed over as typed.

use crate::InputEvent;
use std::fs::File;
use std::io::Read;

/// How many waiting lines are looked at, at most, before each prompt.
const AT_MOST: usize = 1000;

/// The terminal, to take the lines typed while the program waited.
#[derive(Debug)]
pub(crate) struct Waited {
    terminal: File,
}

impl Waited {
    /// The terminal the line editor reads (`/dev/tty`, else stdin); `None`
    /// when neither can be opened again or on a system without `poll`.
    pub(crate) fn open() -> Option<Self> {
        #[cfg(unix)]
        {
            use std::os::fd::AsFd;
            let terminal = match File::open("/dev/tty") {
                Ok(file) => file,
                Err(_) => File::from(
                    std::io::stdin().as_fd().try_clone_to_owned().ok()?,
                ),
            };
            Some(Self { terminal })
        }
        #[cfg(not(unix))]
        {
            None
        }
    }

    /// The lines waiting in the terminal, without their line endings;
    /// `End` last when Ctrl-D was among them. Bare Enters are dropped.
    pub(crate) fn take(&mut self) -> Vec<InputEvent> {
        let mut events = Vec::new();
        let mut dropped = 0;
        let mut line = vec![0; 4096];
        for _ in 0..AT_MOST {
            if !self.ready() {
                break;
            }
            // In line mode one read gives one line (or 0 for Ctrl-D).
            let n = match self.terminal.read(&mut line) {
                Ok(0) => {
                    events.push(InputEvent::End);
                    break;
                }
                Ok(n) => n,
                Err(_) => break, // The editor will meet the failure.
            };
            let mut bytes = line[..n].to_vec();
            let line_end = bytes.last() == Some(&b'\n');
            if line_end {
                bytes.pop();
                if bytes.last() == Some(&b'\r') {
                    bytes.pop();
                }
            }
            if bytes.is_empty() && line_end {
                dropped += 1;
                continue;
            }
            events.push(InputEvent::Text { bytes, line_end });
        }
        if dropped > 0 {
            let enters = [("enters", dropped.into())];
            let line = lesson::lang::tr("input-enters-dropped", &enters);
            lesson::narrate::narrator().aside(format_args!("{line}"));
        }
        events
    }

    /// True when a whole line (or Ctrl-D) waits in the terminal.
    fn ready(&self) -> bool {
        #[cfg(unix)]
        {
            use nix::poll::{PollFd, PollFlags, PollTimeout, poll};
            use std::os::fd::AsFd;
            let mut fds =
                [PollFd::new(self.terminal.as_fd(), PollFlags::POLLIN)];
            matches!(poll(&mut fds, PollTimeout::ZERO), Ok(n) if n > 0)
        }
        #[cfg(not(unix))]
        {
            false
        }
    }
}
