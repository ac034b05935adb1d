//! Identifiers that look like the real ones (24 lowercase hex digits, as MongoDB's
//! ObjectIds), deterministic for a seed.

/// A seeded generator of ids (SplitMix64: the same seed gives the same ids, run after run).
#[derive(Debug, Clone)]
pub struct IdGenerator {
    state: u64,
}

impl IdGenerator {
    /// A generator whose ids follow from `seed`.
    pub fn new(seed: u64) -> IdGenerator {
        IdGenerator { state: seed }
    }

    /// The next 64 pseudo-random bits.
    pub fn next_u64(&mut self) -> u64 {
        self.state = self.state.wrapping_add(0x9e37_79b9_7f4a_7c15);
        let mut z = self.state;
        z = (z ^ (z >> 30)).wrapping_mul(0xbf58_476d_1ce4_e5b9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94d0_49bb_1331_11eb);
        z ^ (z >> 31)
    }

    /// The next id: 24 lowercase hex digits.
    pub fn next_id(&mut self) -> String {
        let high = self.next_u64();
        let low = self.next_u64() as u32;
        format!("{high:016x}{low:08x}")
    }
}

#[cfg(test)]
mod tests {
    use super::IdGenerator;

    #[test]
    fn ids_are_24_hex_digits_and_follow_from_the_seed() {
        let (mut a, mut b) = (IdGenerator::new(7), IdGenerator::new(7));
        let first = a.next_id();
        assert_eq!(first.len(), 24);
        assert!(first
            .bytes()
            .all(|c| c.is_ascii_hexdigit() && !c.is_ascii_uppercase()));
        assert_eq!(first, b.next_id());
        assert_ne!(a.next_id(), first);
        assert_ne!(IdGenerator::new(8).next_id(), first);
    }
}
