//! How the programs word a number of things.

/// `1 message`, `2 messages`, `2 replies`: a count with its noun.
pub fn count(n: u64, noun: &str) -> String {
    if n == 1 {
        return format!("1 {noun}");
    }
    match noun.strip_suffix('y') {
        Some(stem) if !stem.ends_with(['a', 'e', 'o', 'u']) => {
            format!("{n} {stem}ies")
        }
        _ => format!("{n} {noun}s"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nouns_take_their_plural() {
        assert_eq!(count(1, "reply"), "1 reply");
        assert_eq!(count(2, "reply"), "2 replies");
        assert_eq!(count(2, "day"), "2 days");
        assert_eq!(count(0, "byte"), "0 bytes");
    }
}
