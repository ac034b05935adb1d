//! The simulated clock batches and calls advance on: real time times a speed, plus
//! whatever a test has added, starting at a fixed epoch so that runs are reproducible.

use std::sync::atomic::{AtomicU64, Ordering};
use std::time::Instant;

/// Where the simulated clock starts: 2026-01-01T00:00:00Z, in epoch milliseconds.
pub const START_EPOCH_MS: u64 = 1_767_225_600_000;

/// A clock in epoch milliseconds that runs `speed` times faster than real time and can be
/// moved forward ([`SimClock::advance`]).
#[derive(Debug)]
pub struct SimClock {
    started: Instant,
    speed: f64,
    advanced_ms: AtomicU64,
}

impl SimClock {
    /// A clock at [`START_EPOCH_MS`], running at `speed` (1.0 is real time, 0.0 stands still
    /// until advanced).
    pub fn new(speed: f64) -> SimClock {
        SimClock {
            started: Instant::now(),
            speed: if speed.is_finite() && speed >= 0.0 {
                speed
            } else {
                1.0
            },
            advanced_ms: AtomicU64::new(0),
        }
    }

    /// The simulated time, in epoch milliseconds.
    pub fn now_ms(&self) -> u64 {
        let real = self.started.elapsed().as_secs_f64() * 1000.0 * self.speed;
        START_EPOCH_MS + real as u64 + self.advanced_ms.load(Ordering::SeqCst)
    }

    /// Moves the clock forward by `ms` simulated milliseconds.
    pub fn advance(&self, ms: u64) {
        self.advanced_ms.fetch_add(ms, Ordering::SeqCst);
    }
}

/// `ms` epoch milliseconds as RFC 3339 UTC (`2026-01-01T00:00:00Z`).
pub fn rfc3339(ms: u64) -> String {
    let secs = ms / 1000;
    let (days, rest) = (secs / 86_400, secs % 86_400);
    // Civil date from days since 1970-01-01 (Howard Hinnant's algorithm).
    let z = days as i64 + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!(
        "{year:04}-{month:02}-{day:02}T{:02}:{:02}:{:02}Z",
        rest / 3600,
        rest % 3600 / 60,
        rest % 60
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_clock_starts_at_its_epoch_and_advances_on_request() {
        let clock = SimClock::new(0.0);
        assert_eq!(clock.now_ms(), START_EPOCH_MS);
        clock.advance(1500);
        assert_eq!(clock.now_ms(), START_EPOCH_MS + 1500);
        assert_eq!(rfc3339(START_EPOCH_MS), "2026-01-01T00:00:00Z");
        assert_eq!(
            rfc3339(START_EPOCH_MS + 86_400_000 * 59 + 3_723_000),
            "2026-03-01T01:02:03Z"
        );
    }
}
