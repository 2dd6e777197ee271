//! `gongkai import documents FILE`: reads already-published documents from CSV, JSON or JSON
//! Lines, streamed, and hands them in batches to `gongkai_app::documents_import`, which keeps
//! good rows, reports bad ones and skips rows already imported. This module reads files and
//! shows progress.

use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use gongkai_app::documents_import::{Agencies, Numbered, Row, import_batch};
use gongkai_domain::DomainError;
use gongkai_store::Db;
use indicatif::{ProgressBar, ProgressStyle};

/// Rows per transaction: large enough that the commit's fsync is shared by many rows, small
/// enough that a crash loses little work (a re-run skips what was committed).
const BATCH: usize = 1000;

/// Counts the bytes read, for a progress bar over the file's size.
struct Counted<R> {
    inner: R,
    read: Arc<AtomicU64>,
}

impl<R: Read> Read for Counted<R> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read.fetch_add(n as u64, Ordering::Relaxed);
        Ok(n)
    }
}

fn unreadable(path: &Path, e: impl std::fmt::Display) -> DomainError {
    DomainError::unavailable(format!("无法读取 {}:{e}", path.display()))
}

/// The rows of a file, streamed (CSV, JSON Lines) or loaded (a JSON array), and a counter of
/// bytes consumed so far.
type Rows = Box<dyn Iterator<Item = Numbered>>;

fn open(path: &Path) -> Result<(Rows, Arc<AtomicU64>), DomainError> {
    let read = Arc::new(AtomicU64::new(0));
    let file = File::open(path).map_err(|e| unreadable(path, e))?;
    let reader = BufReader::with_capacity(
        1 << 20,
        Counted {
            inner: file,
            read: read.clone(),
        },
    );
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    let rows: Rows = match ext.as_str() {
        "csv" => {
            let reader = csv::ReaderBuilder::new()
                .flexible(false)
                .from_reader(reader);
            // The header is line 1.
            Box::new(
                reader
                    .into_deserialize::<Row>()
                    .enumerate()
                    .map(|(i, r)| (i + 2, r.map_err(|e| format!("无法解析:{e}")))),
            )
        }
        "json" => {
            let values: Vec<serde_json::Value> = serde_json::from_reader(reader)
                .map_err(|e| DomainError::unavailable(format!("JSON 文件应为对象数组:{e}")))?;
            Box::new(values.into_iter().enumerate().map(|(i, v)| {
                (
                    i + 1,
                    serde_json::from_value(v).map_err(|e| format!("无法解析:{e}")),
                )
            }))
        }
        "jsonl" | "ndjson" => Box::new(
            reader
                .lines()
                .enumerate()
                .filter(|(_, l)| l.as_ref().map_or(true, |l| !l.trim().is_empty()))
                .map(|(i, l)| {
                    let row = l.map_err(|e| format!("无法读取:{e}")).and_then(|l| {
                        serde_json::from_str(&l).map_err(|e| format!("无法解析:{e}"))
                    });
                    (i + 1, row)
                }),
        ),
        _ => {
            return Err(DomainError::unavailable(
                "只支持 .csv、.json 或 .jsonl 文件",
            ));
        }
    };
    Ok((rows, read))
}

#[derive(Default)]
struct Tally {
    imported: u64,
    skipped: u64,
    failed: u64,
}

fn report(line: usize, e: &DomainError) -> String {
    let field = e
        .field()
        .map(|f| format!("{}:", f.label))
        .unwrap_or_default();
    format!("第 {line} 行:{field}{e}")
}

pub async fn documents(db: &Db, path: &Path) -> Result<ExitCode, DomainError> {
    let size = std::fs::metadata(path)
        .map_err(|e| unreadable(path, e))?
        .len();
    let (mut rows, read) = open(path)?;
    let ctx = gongkai_app::Ctx::operator(db, "import");
    let bar = ProgressBar::new(size);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {percent}% {msg} 剩余 {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = std::time::Instant::now();
    let mut tally = Tally::default();
    let mut cache = Agencies::default();
    let mut next_analyze = BATCH as u64;
    loop {
        let batch: Vec<Numbered> = rows.by_ref().take(BATCH).collect();
        if batch.is_empty() {
            break;
        }
        let outcome = import_batch(&ctx, &mut cache, &batch).await?;
        bar.suspend(|| {
            for (line, e) in &outcome.refused {
                eprintln!("{}", report(*line, e));
            }
        });
        tally.imported += outcome.imported;
        tally.skipped += outcome.skipped;
        tally.failed += outcome.refused.len() as u64;
        let done = tally.imported + tally.skipped + tally.failed;
        // Each time the documents have grown tenfold, so the lookups keep using the indexes.
        if done >= next_analyze {
            db.analyze(&["documents", "document_versions"]).await?;
            next_analyze *= 10;
        }
        let rate = done as f64 / started.elapsed().as_secs_f64().max(0.001);
        bar.set_message(format!("{done} 行,每秒 {rate:.0} 行"));
        bar.set_position(read.load(Ordering::Relaxed));
    }
    bar.finish_and_clear();
    println!(
        "导入完成:新增 {} 件,已存在跳过 {} 件,出错 {} 行(用时 {:.1} 秒)",
        tally.imported,
        tally.skipped,
        tally.failed,
        started.elapsed().as_secs_f64()
    );
    Ok(if tally.failed > 0 {
        ExitCode::from(4)
    } else {
        ExitCode::SUCCESS
    })
}
