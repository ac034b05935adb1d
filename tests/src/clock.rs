//! A fast clock for the tests that wait: tokio's paused clock, moved forward by the test
//! itself in small steps, so that a `Retry-After: 1` or a backoff passes in a few
//! milliseconds while real sockets keep working.
//!
//! Why not `#[tokio::test(start_paused = true)]` alone: a paused clock jumps straight to
//! the next timer whenever the runtime is idle, and it is idle while it waits for the
//! mock server's answer on a real socket (the server runs on its own threads), so the
//! attempt timeout would fire at once. Here the clock only moves by [`STEP`], at most once
//! every [`PACE`] of real time: it runs at most 20 times faster than real time, so an
//! attempt timeout of 60 s still leaves the server 3 real seconds to answer.
//!
//! The client reads the overall deadline of a call from the real clock
//! (`std::time::Instant`), which this does not speed up: tests of deadlines use real time.

use std::future::Future;
use std::time::Duration;

/// How far the clock moves in one step.
pub const STEP: Duration = Duration::from_millis(2);
/// The real time between two steps, at least.
pub const PACE: Duration = Duration::from_micros(100);

/// Runs `future` with the clock of the current runtime paused and moved forward by
/// [`STEP`] every [`PACE`] of real time; the clock runs on its own again afterwards.
/// Measure the waits inside with `tokio::time::Instant`.
///
/// Needs a current-thread runtime (`#[tokio::test]`), as tokio's paused clock does.
pub async fn with_fast_clock<F: Future>(future: F) -> F::Output {
    tokio::time::pause();
    let steps = tokio::spawn(async {
        loop {
            // Blocks the runtime's only thread for a moment: the socket's peers (the mock
            // server's threads, the kernel) get real time between two steps.
            std::thread::sleep(PACE);
            tokio::time::advance(STEP).await;
        }
    });
    let output = future.await;
    steps.abort();
    // Cancelled before the clock resumes: a step after `resume` would panic.
    let _ = steps.await;
    tokio::time::resume();
    output
}
