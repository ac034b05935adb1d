//! Export the call history of one day (UTC) to a JSON Lines file, page by page.
//!
//! ```text
//! TRILLET_API_KEY=... TRILLET_WORKSPACE_ID=... \
//!   cargo run -p trillet --example export_call_history -- 2026-12-01 calls-2026-12-01.jsonl
//! ```
//!
//! One record per line, as the API returns it. The file is written whole or not at all:
//! the lines go to `<file>.partial`, renamed once every page is in. Each page is a
//! `GET`, so the client retries it on 5xx and timeouts; the pages get a longer timeout
//! than the client's default through [`RequestOptions`] (history pages can be slow).
//! Set `TRILLET_BASE_URL` to try it against a mock server.

use std::io::Write;
use std::num::NonZeroU32;
use std::process::ExitCode;
use std::time::Duration;

use trillet::types::{CallHistoryRecord, ListCallHistoryQuery};
use trillet::{Client, RequestOptions};

/// Records asked for per page.
pub const PAGE_SIZE: u32 = 100;
/// Pages read at most (100 000 calls): a server that never ends its pages can't keep
/// the export running.
pub const MAX_PAGES: u32 = 1000;

#[tokio::main(flavor = "current_thread")]
async fn main() -> ExitCode {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let [day, out] = args.as_slice() else {
        eprintln!("usage: export_call_history <YYYY-MM-DD> <out.jsonl>");
        return ExitCode::from(2);
    };
    let outcome = async {
        let client = Client::from_env()?;
        let records = export_day(&client, day, PAGE_SIZE).await?;
        write_json_lines(out, &records)?;
        println!("{} calls of {day} written to {out}", records.len());
        Ok::<(), Box<dyn std::error::Error>>(())
    };
    match outcome.await {
        Ok(()) => ExitCode::SUCCESS,
        Err(error) => {
            eprintln!("error: {error}");
            ExitCode::FAILURE
        }
    }
}

/// The `dateRange` filter of one UTC day (`YYYY-MM-DD`), or why the day is not one.
pub fn day_range(day: &str) -> Result<String, String> {
    let bytes = day.as_bytes();
    let digits = |range: std::ops::Range<usize>| bytes[range].iter().all(u8::is_ascii_digit);
    let shaped = bytes.len() == 10
        && bytes[4] == b'-'
        && bytes[7] == b'-'
        && digits(0..4)
        && digits(5..7)
        && digits(8..10);
    if !shaped {
        return Err(format!("{day:?} is not a day such as 2026-12-01"));
    }
    Ok(format!(
        r#"{{"from":"{day}T00:00:00Z","to":"{day}T23:59:59Z"}}"#
    ))
}

/// Every call of `day`, newest first, read `page_size` records a page until a page
/// comes back short (or [`MAX_PAGES`] pages were read).
pub async fn export_day(
    client: &Client,
    day: &str,
    page_size: u32,
) -> Result<Vec<CallHistoryRecord>, Box<dyn std::error::Error>> {
    let date_range = day_range(day)?;
    let limit = NonZeroU32::new(page_size).ok_or("the page size must be at least 1")?;
    let slow_pages =
        client.with_options(RequestOptions::new().timeout(Duration::from_secs(120)))?;
    let mut records = Vec::new();
    for page in (1..=MAX_PAGES).filter_map(NonZeroU32::new) {
        let query = ListCallHistoryQuery {
            page: Some(page),
            limit: Some(limit),
            date_range: Some(date_range.clone()),
            ..Default::default()
        };
        let batch = slow_pages.list_call_history(&query).await?.into_inner();
        let last = batch.len() < page_size as usize;
        records.extend(batch);
        if last {
            return Ok(records);
        }
    }
    Err(format!("more than {MAX_PAGES} pages of calls on {day}: export a shorter range").into())
}

/// Writes `records` to `path`, one JSON object a line, through `<path>.partial`: the file
/// appears whole or not at all.
pub fn write_json_lines(path: &str, records: &[CallHistoryRecord]) -> std::io::Result<()> {
    let partial = format!("{path}.partial");
    let mut file = std::io::BufWriter::new(std::fs::File::create(&partial)?);
    for record in records {
        serde_json::to_writer(&mut file, record)?;
        file.write_all(b"\n")?;
    }
    file.into_inner()
        .map_err(std::io::IntoInnerError::into_error)?
        .sync_all()?;
    std::fs::rename(&partial, path)
}
