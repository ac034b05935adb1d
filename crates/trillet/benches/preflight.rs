//! How fast the CSV pre-flight checks a 100,000-row batch file (generated here: E.164
//! numbers, the three known columns and two variables, one row in a thousand bad),
//! from memory and from a file on disk. Criterion reports rows/s; the MB/s figure is
//! rows/s times the size printed first.
//!
//! `cargo bench -p trillet --bench preflight -- --warm-up-time 1 --measurement-time 5`

use std::hint::black_box;
use std::io::Write;

use criterion::{criterion_group, criterion_main, Criterion, Throughput};
use trillet::preflight::{check_batch_csv, check_batch_csv_file};

const ROWS: u64 = 100_000;

fn batch_csv() -> Vec<u8> {
    let mut csv = b"phone_number,first_name,last_name,email,plan,note\n".to_vec();
    for i in 0..ROWS {
        let number = if i % 1000 == 999 {
            format!("{}", 4_155_550_000 + i)
        } else {
            format!("+1415{:07}", i)
        };
        writeln!(
            csv,
            "{number},Ada{i},Lovelace,ada{i}@example.com,gold,\"Prefers calls after 5pm, weekdays\""
        )
        .expect("writing to a Vec never fails");
    }
    csv
}

fn preflight(c: &mut Criterion) {
    let csv = batch_csv();
    let report = check_batch_csv(csv.as_slice()).expect("reading a slice never fails");
    assert_eq!(report.rows, ROWS);
    assert_eq!(
        report.problems.len() as u64,
        ROWS / 1000,
        "one row in a thousand is bad"
    );
    println!(
        "pre-flight input: {ROWS} rows, {} bytes ({:.2} MB)",
        csv.len(),
        csv.len() as f64 / 1e6
    );

    let path = std::env::temp_dir().join(format!(
        "trillet-preflight-bench-{}.csv",
        std::process::id()
    ));
    std::fs::write(&path, &csv).expect("the temporary directory is writable");

    let mut group = c.benchmark_group("preflight");
    group.throughput(Throughput::Elements(ROWS));
    group.bench_function("100k rows from memory (rows)", |b| {
        b.iter(|| check_batch_csv(black_box(csv.as_slice())).expect("slice"));
    });
    group.bench_function("100k rows from a file (rows)", |b| {
        b.iter(|| check_batch_csv_file(black_box(&path)).expect("the file was just written"));
    });
    group.throughput(Throughput::Bytes(csv.len() as u64));
    group.bench_function("100k rows from memory (bytes)", |b| {
        b.iter(|| check_batch_csv(black_box(csv.as_slice())).expect("slice"));
    });
    group.finish();
    let _ = std::fs::remove_file(&path);
}

criterion_group!(benches, preflight);
criterion_main!(benches);
