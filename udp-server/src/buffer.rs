//! The receive buffer as socket2's recvmsg()-based calls take it, and the
//! flag that asks the kernel for a datagram's real length.

use std::ffi::c_int;
use std::mem::MaybeUninit;

/// The flag for a receive call that reports a datagram's real length even
/// when the buffer was too small: MSG_TRUNC, which only Linux honours this
/// way, for UDP and AF_UNIX datagrams alike. Elsewhere the call still
/// says *that* the datagram was cut off.
#[cfg(any(target_os = "linux", target_os = "android"))]
pub const REAL_LENGTH: c_int = libc::MSG_TRUNC;
#[cfg(not(any(target_os = "linux", target_os = "android")))]
pub const REAL_LENGTH: c_int = 0;

/// Views an initialised buffer as the `MaybeUninit` bytes socket2's receive
/// calls take. socket2 0.6 has no safe receive call that takes `&mut [u8]`
/// and also returns the MSG_TRUNC flag, so this cast stays, here.
#[allow(unsafe_code)]
pub fn as_uninit(buffer: &mut [u8]) -> &mut [MaybeUninit<u8>] {
    // SAFETY: MaybeUninit<u8> has the layout of u8. socket2's receive calls
    // promise to write only initialised bytes (the kernel's copy of the
    // datagram), and nothing else gets hold of the slice, so `buffer` stays
    // fully initialised for safe code to read afterwards.
    unsafe { &mut *(buffer as *mut [u8] as *mut [MaybeUninit<u8>]) }
}
