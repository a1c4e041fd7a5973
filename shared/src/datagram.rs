//! Facts about datagrams that both UDP programs need.

use socket2::{MaybeUninitSlice, Socket};
use std::io;
use std::mem::MaybeUninit;
use std::net::SocketAddr;

/// The flag to pass to a receive call so that it reports the real length
/// of a datagram even when the buffer was too small. Only Linux returns
/// the real length; elsewhere the call still says *that* it was cut off.
#[cfg(any(target_os = "linux", target_os = "android"))]
const REAL_LENGTH_FLAG: std::ffi::c_int = libc::MSG_TRUNC;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
const REAL_LENGTH_FLAG: std::ffi::c_int = 0;

/// recv_from() that also tells whether the datagram was cut off.
///
/// A plain recv_from() silently drops the end of a datagram larger than the
/// buffer. recvmsg() reports it with the MSG_TRUNC flag, and on Linux,
/// asked with MSG_TRUNC, returns the datagram's real length too.
pub fn recv_from(
    socket: &Socket,
    buffer: &mut [u8],
) -> io::Result<(Received, SocketAddr)> {
    let size = buffer.len();
    let mut slices = [MaybeUninitSlice::new(as_uninit(buffer))];
    let (returned, flags, sender) =
        socket.recv_from_vectored_with_flags(&mut slices, REAL_LENGTH_FLAG)?;
    let sender = sender.as_socket().ok_or_else(|| {
        io::Error::new(
            io::ErrorKind::InvalidData,
            "sender is not an IP address",
        )
    })?;
    Ok((Received::new(returned, flags.is_truncated(), size), sender))
}

/// recv() on a connected socket that also tells whether the datagram was
/// cut off, like [`recv_from`].
pub fn recv(socket: &Socket, buffer: &mut [u8]) -> io::Result<Received> {
    let size = buffer.len();
    let mut slices = [MaybeUninitSlice::new(as_uninit(buffer))];
    let (returned, flags) =
        socket.recv_vectored_with_flags(&mut slices, REAL_LENGTH_FLAG)?;
    Ok(Received::new(returned, flags.is_truncated(), size))
}

/// Views an initialised buffer as the `MaybeUninit` slice socket2's
/// receive calls take. Private: only the two calls above use it, and they
/// only ever write initialised bytes into it.
#[allow(unsafe_code)]
fn as_uninit(buffer: &mut [u8]) -> &mut [MaybeUninit<u8>] {
    // SAFETY: MaybeUninit<u8> has the layout of u8. The kernel only writes
    // initialised bytes into the slice, and nothing else gets hold of it,
    // so `buffer` stays fully initialised for safe code to read afterwards.
    unsafe { &mut *(buffer as *mut [u8] as *mut [MaybeUninit<u8>]) }
}

/// The size of a datagram that was received into a buffer.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Received {
    /// Bytes now in the buffer.
    pub kept: usize,
    /// The datagram's real size, when the system tells it.
    pub real: Option<usize>,
    /// True when the datagram was larger than the buffer.
    pub truncated: bool,
}

impl Received {
    /// Interprets what a receive call returned: `returned` is the length
    /// it reported (with MSG_TRUNC on Linux, the real length).
    pub fn new(returned: usize, truncated: bool, buffer: usize) -> Self {
        let kept = returned.min(buffer);
        let real = if REAL_LENGTH_FLAG != 0 || !truncated {
            Some(returned)
        } else {
            None
        };
        Self {
            kept,
            real,
            truncated: truncated || returned > buffer,
        }
    }

    /// The warning for a truncated datagram, or `None`.
    pub fn truncation(&self) -> Option<String> {
        if !self.truncated {
            return None;
        }
        Some(match self.real {
            Some(real) => format!(
                "truncated: {real} bytes arrived, buffer holds {}, the rest is lost",
                self.kept
            ),
            None => format!(
                "truncated: more than {} bytes arrived, buffer holds {}, the rest is lost",
                self.kept, self.kept
            ),
        })
    }
}

/// True for a datagram that says `bye`, with or without a line ending.
/// (Python's `data == 'bye'` compared bytes with a str, so it never was.)
pub fn is_bye(data: &[u8]) -> bool {
    let data = data.strip_suffix(b"\n").unwrap_or(data);
    let data = data.strip_suffix(b"\r").unwrap_or(data);
    data == b"bye"
}

#[cfg(test)]
mod tests {
    use super::*;

    /// `bye` matches with \n or \r\n and nothing else.
    #[test]
    fn bye_matching() {
        for yes in [&b"bye"[..], b"bye\n", b"bye\r\n"] {
            assert!(is_bye(yes), "{yes:?}");
        }
        for no in [&b"Bye"[..], b"bye ", b" bye", b"byebye", b"", b"bye\n\n"] {
            assert!(!is_bye(no), "{no:?}");
        }
    }

    /// A datagram larger than the buffer is reported with its real size.
    #[test]
    fn truncation_report() {
        let cut = Received::new(4000, true, 1024);
        assert_eq!(cut.kept, 1024);
        if REAL_LENGTH_FLAG != 0 {
            assert_eq!(
                cut.truncation().as_deref(),
                Some(
                    "truncated: 4000 bytes arrived, buffer holds 1024, the rest is lost"
                )
            );
        }
        assert_eq!(Received::new(10, false, 1024).truncation(), None);
    }
}
