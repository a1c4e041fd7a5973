//! Facts about datagrams that both UDP programs need.

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
    /// it reported, `truncated` its MSG_TRUNC flag, `buffer` the buffer's
    /// size. `real_length`: the call was asked for the real length (the
    /// MSG_TRUNC flag on Linux), so `returned` is the datagram's size even
    /// when it was cut off; elsewhere only the buffer's worth is known.
    pub fn new(
        returned: usize,
        truncated: bool,
        buffer: usize,
        real_length: bool,
    ) -> Self {
        let real = (real_length || !truncated).then_some(returned);
        let truncated = truncated || returned > buffer;
        let kept = returned.min(buffer);
        Self {
            kept,
            real,
            truncated,
        }
    }

    /// The warning for a truncated datagram, or `None`.
    pub fn truncation(&self) -> Option<String> {
        self.truncated.then(|| match self.real {
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

    /// A datagram larger than the buffer is reported with its real size
    /// where the system tells it (Linux), and as "more than" elsewhere.
    #[test]
    fn truncation_report() {
        let cut = Received::new(4000, true, 1024, true);
        assert_eq!(cut.kept, 1024);
        assert_eq!(
            cut.truncation().as_deref(),
            Some(
                "truncated: 4000 bytes arrived, buffer holds 1024, the rest is lost"
            )
        );
        let cut = Received::new(1024, true, 1024, false);
        assert_eq!(
            cut.truncation().as_deref(),
            Some(
                "truncated: more than 1024 bytes arrived, buffer holds 1024, the rest is lost"
            )
        );
        assert_eq!(Received::new(10, false, 1024, true).truncation(), None);
        assert_eq!(Received::new(10, false, 1024, false).truncation(), None);
    }
}
