//! `cargo xtask` run as a program, as a user runs it: one module per command, one test
//! binary (the commands' own units are tested inside `xtask/src`).

mod bundle;
mod contract;
mod diff;
mod gen;
mod validate;
