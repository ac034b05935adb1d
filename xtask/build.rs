//! Links the `xtask` executable as a position-dependent (non-PIE) binary.
//!
//! `cargo xtask validate` runs in about 10 ms, and a PIE build of this 25 MB binary spent
//! about a millisecond of that before `main`: the dynamic loader applied 34,818 relative
//! relocations and copied the 141 pages of `.data.rel.ro` they land in (292 page faults
//! for `xtask --version`, 141 without PIE; docs/performance.md). xtask is a development
//! tool run from the workspace, never a service exposed to input from a network, so the
//! address randomisation of its own image is not worth that; its libraries, stack and
//! heap are still randomised. Only the binary's final link changes: no crate is compiled
//! differently, and test executables stay PIE.

fn main() {
    println!("cargo:rustc-link-arg-bins=-no-pie");
}
