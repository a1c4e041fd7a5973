//! `--hex`: a received chunk as `hexdump -C` shows it.

use std::fmt::Write as _;

/// A hex dump of `bytes` in the style of `hexdump -C`: an offset, sixteen
/// bytes in hex, and the same bytes as text with anything unprintable shown
/// as `.`. `offset` is where `bytes` starts in the whole stream.
///
/// ```
/// assert_eq!(
///     lesson::hex::hex_dump(b"hi\n", 0),
///     "00000000  68 69 0a                                          |hi.|\n"
/// );
/// ```
pub fn hex_dump(bytes: &[u8], offset: usize) -> String {
    let mut out = String::new();
    for (row, line) in bytes.chunks(16).enumerate() {
        let _ = write!(out, "{:08x} ", offset + row * 16);
        for i in 0..16 {
            if i == 8 {
                out.push(' ');
            }
            match line.get(i) {
                Some(b) => {
                    let _ = write!(out, " {b:02x}");
                }
                None => out.push_str("   "),
            }
        }
        out.push_str("  |");
        for &b in line {
            let printable = b.is_ascii_graphic() || b == b' ';
            out.push(if printable { b as char } else { '.' });
        }
        out.push_str("|\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A dump of more than sixteen bytes wraps and counts offsets.
    #[test]
    fn hex_dump_rows() {
        let dump = hex_dump(b"0123456789abcdef\x1b!", 32);
        assert_eq!(
            dump,
            "00000020  30 31 32 33 34 35 36 37  38 39 61 62 63 64 65 66  \
             |0123456789abcdef|\n\
             00000030  1b 21                                             |.!|\n"
        );
    }
}
