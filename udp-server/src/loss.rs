//! Simulated loss for `--drop`: datagrams thrown away on purpose, the way
//! a real network might lose them, so that a lab can watch a client cope.

use lesson::Console;
use lesson::lang::tr;

/// Decides, datagram by datagram, which to throw away. The same rate and
/// seed give the same pattern, so a lab can be repeated exactly.
#[derive(Debug, Clone)]
pub struct Loss {
    rate: f64,
    state: u64,
}

impl Loss {
    /// Drops about `rate` (0.0 to 1.0) of the datagrams, in the pattern
    /// that `seed` picks.
    pub fn new(rate: f64, seed: u64) -> Self {
        Self { rate, state: seed }
    }

    /// True when the next datagram is to be dropped.
    pub fn drops_next(&mut self) -> bool {
        // splitmix64: a tiny, well-known generator; plenty for a lab.
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^= z >> 31;
        // The top 53 bits as a fraction in [0, 1).
        let fraction = (z >> 11) as f64 / (1u64 << 53) as f64;
        fraction < self.rate
    }
}

/// `--drop`: the loss pattern, with its seed printed so it can be repeated.
pub fn start(console: &Console, rate: f64, seed: Option<u64>) -> Loss {
    let seed = seed.unwrap_or_else(clock_seed);
    let args = [
        ("percent", format!("{:.0}", rate * 100.0).into()),
        ("seed", seed.into()),
    ];
    console.status(format_args!("{}", tr("udp-loss", &args)));
    Loss::new(rate, seed)
}

/// A seed for --drop when none is given: from the clock.
fn clock_seed() -> u64 {
    std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.as_nanos() as u64 % 1_000_000)
}

/// A drop rate for `--drop`: a fraction from 0.0 to 1.0.
pub fn parse_rate(text: &str) -> Result<f64, String> {
    match text.parse::<f64>() {
        Ok(rate) if (0.0..=1.0).contains(&rate) => Ok(rate),
        _ => Err(tr("udp-rate", &[])),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The same seed drops the same datagrams; rates 0 and 1 are exact,
    /// and 0.5 drops about half.
    #[test]
    fn loss_is_repeatable() {
        let pattern = |seed| {
            let mut loss = Loss::new(0.5, seed);
            (0..64).map(|_| loss.drops_next()).collect::<Vec<_>>()
        };
        assert_eq!(pattern(7), pattern(7));
        assert_ne!(pattern(7), pattern(8));
        let dropped = pattern(7).iter().filter(|d| **d).count();
        assert!((16..=48).contains(&dropped), "{dropped}");
        let mut never = Loss::new(0.0, 1);
        let mut always = Loss::new(1.0, 1);
        assert!((0..100).all(|_| !never.drops_next() && always.drops_next()));
    }
}
