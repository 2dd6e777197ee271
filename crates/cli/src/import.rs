//! `gongkai import documents FILE`: brings already-published documents in from CSV, JSON or
//! JSON Lines. Rows are streamed and committed in batches; each row runs in its own savepoint,
//! so a bad row is reported and skipped while good rows are kept. Rows already imported (same
//! 索引号, or same agency and 文号, or same title and date) are skipped, so re-running the
//! same file changes nothing.

use std::collections::HashMap;
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::NaiveDate;
use gongkai_domain::agency::AgencyCode;
use gongkai_domain::calendar::parse_date;
use gongkai_domain::document::{DocumentDraft, DocumentInput};
use gongkai_domain::user::{Principal, Role};
use gongkai_domain::{DomainError, Field};
use gongkai_store::{Actor, Db, Tx, agencies, documents};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Deserialize;

/// Rows per transaction: large enough that the commit's fsync is shared by many rows, small
/// enough that a crash loses little work (a re-run skips what was committed).
const BATCH: usize = 1000;

/// One row: the document fields plus where it belongs and when it was published.
#[derive(Clone, Debug, Default, Deserialize)]
#[serde(default)]
pub struct Row {
    pub agency: String,
    pub index_no: String,
    pub published_on: String,
    #[serde(flatten)]
    pub document: DocumentInput,
}

/// A row as read: its line number (as a person counts them) and the row or why it is unreadable.
type Numbered = (usize, Result<Row, String>);

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

enum Outcome {
    Imported,
    Skipped,
}

#[derive(Default)]
struct Tally {
    imported: u64,
    skipped: u64,
    failed: u64,
}

async fn agency_id(
    tx: &mut Tx,
    cache: &mut HashMap<String, i64>,
    code: &str,
) -> Result<i64, DomainError> {
    let code = AgencyCode::parse(code)?;
    if let Some(id) = cache.get(code.as_str()) {
        return Ok(*id);
    }
    let a = agencies::by_code(tx, &code).await?.ok_or_else(|| {
        DomainError::invalid(
            Field::new("agency", "机构代码"),
            format!("机构代码“{code}”不存在"),
        )
    })?;
    cache.insert(code.as_str().to_string(), a.id);
    Ok(a.id)
}

/// Why a row was not imported: the row itself, or (in a batch without savepoints) a failed
/// write that may have left the transaction unusable.
enum RowError {
    Rejected(DomainError),
    WriteFailed,
}

impl From<DomainError> for RowError {
    fn from(e: DomainError) -> Self {
        RowError::Rejected(e)
    }
}

async fn import_row(
    tx: &mut Tx,
    cache: &mut HashMap<String, i64>,
    row: &Row,
    today: NaiveDate,
    careful: bool,
) -> Result<Outcome, RowError> {
    let agency_id = agency_id(tx, cache, &row.agency).await?;
    let mut input = row.document.clone();
    if input.disclosure_mode.trim().is_empty() {
        input.disclosure_mode = "proactive".into();
    }
    let draft = DocumentDraft::parse(&input, today)?;
    let published = parse_date(&row.published_on, Field::new("published_on", "发布日期"))?;
    let index = Some(row.index_no.trim()).filter(|s| !s.is_empty());
    if documents::find_existing(tx, agency_id, index, &draft)
        .await?
        .is_some()
    {
        return Ok(Outcome::Skipped);
    }
    let actor = Actor::system("import");
    let who = Principal {
        user_id: 0,
        role: Role::Office,
        agency_id,
    };
    if careful {
        tx.isolated(async |tx| {
            documents::import_published(tx, &actor, &who, agency_id, &draft, index, published).await
        })
        .await?;
    } else {
        documents::import_published(tx, &actor, &who, agency_id, &draft, index, published)
            .await
            .map_err(|_| RowError::WriteFailed)?;
    }
    Ok(Outcome::Imported)
}

/// Imports one batch in one transaction. Row errors are reported and counted; an error of
/// the database itself ends the import (rows of earlier batches stay committed).
///
/// The batch first runs without savepoints (two statements fewer per row); rows that fail
/// validation never write, so only a failed write — rare: a 索引号 taken by another
/// document — sends the batch back to run again with a savepoint per row.
async fn import_batch(
    db: &Db,
    cache: &mut HashMap<String, i64>,
    batch: &[Numbered],
    today: NaiveDate,
    tally: &mut Tally,
    bar: &ProgressBar,
) -> Result<(), DomainError> {
    for careful in [false, true] {
        let mut tx = db.begin().await?;
        let mut counts = Tally::default();
        let mut reports = Vec::new();
        let mut retry = false;
        for (line, row) in batch {
            let result = match row {
                Ok(r) => import_row(&mut tx, cache, r, today, careful).await,
                Err(e) => Err(RowError::Rejected(DomainError::invalid(
                    Field::new("row", "行"),
                    e.clone(),
                ))),
            };
            match result {
                Ok(Outcome::Imported) => counts.imported += 1,
                Ok(Outcome::Skipped) => counts.skipped += 1,
                Err(RowError::WriteFailed) => {
                    retry = true;
                    break;
                }
                Err(RowError::Rejected(e @ DomainError::Unavailable { .. })) => return Err(e),
                Err(RowError::Rejected(e)) => {
                    counts.failed += 1;
                    let field = e
                        .field()
                        .map(|f| format!("{}:", f.label))
                        .unwrap_or_default();
                    reports.push(format!("第 {line} 行:{field}{e}"));
                }
            }
        }
        if retry {
            drop(tx);
            continue;
        }
        tx.commit().await?;
        bar.suspend(|| reports.iter().for_each(|r| eprintln!("{r}")));
        tally.imported += counts.imported;
        tally.skipped += counts.skipped;
        tally.failed += counts.failed;
        return Ok(());
    }
    Err(DomainError::unavailable("导入批次在逐行保护下仍未能写入"))
}

pub async fn documents(db: &Db, path: &Path) -> Result<ExitCode, DomainError> {
    let size = std::fs::metadata(path)
        .map_err(|e| unreadable(path, e))?
        .len();
    let (mut rows, read) = open(path)?;
    let today = gongkai_store::db::now().date_naive();
    let bar = ProgressBar::new(size);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {percent}% {msg} 剩余 {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let started = std::time::Instant::now();
    let mut tally = Tally::default();
    let mut cache = HashMap::new();
    loop {
        let batch: Vec<Numbered> = rows.by_ref().take(BATCH).collect();
        if batch.is_empty() {
            break;
        }
        import_batch(db, &mut cache, &batch, today, &mut tally, &bar).await?;
        let done = tally.imported + tally.skipped + tally.failed;
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
