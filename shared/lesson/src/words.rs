//! How the programs word a number of things.

use std::fmt;

/// `1 message`, `2 messages`, `2 replies`: a count with its noun, written
/// when it is shown (a narration that is off costs no allocation).
pub fn count(n: u64, noun: &str) -> Count<'_> {
    Count { n, noun }
}

/// A count with its noun, from [`count`].
#[derive(Debug, Clone, Copy)]
pub struct Count<'a> {
    n: u64,
    noun: &'a str,
}

impl fmt::Display for Count<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let Count { n, noun } = *self;
        if n == 1 {
            return write!(f, "1 {noun}");
        }
        match noun.strip_suffix('y') {
            Some(stem) if !stem.ends_with(['a', 'e', 'o', 'u']) => {
                write!(f, "{n} {stem}ies")
            }
            _ => write!(f, "{n} {noun}s"),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nouns_take_their_plural() {
        assert_eq!(count(1, "reply").to_string(), "1 reply");
        assert_eq!(count(2, "reply").to_string(), "2 replies");
        assert_eq!(count(2, "day").to_string(), "2 days");
        assert_eq!(count(0, "byte").to_string(), "0 bytes");
    }
}
