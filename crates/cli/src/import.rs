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
use gongkai_domain::document::{DocumentDraft, DocumentInput, check_importable};
use gongkai_domain::user::{Principal, Role};
use gongkai_domain::{DomainError, Field};
use gongkai_store::agencies::Agency;
use gongkai_store::documents_import::{self, Importable};
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

#[derive(Default)]
struct Tally {
    imported: u64,
    skipped: u64,
    failed: u64,
}

/// A row that passed every check that needs no write: its agency and the document to import.
struct Ready {
    agency: Agency,
    item: Importable,
}

/// The agency of a row, from a cache of those already looked up.
async fn agency(
    tx: &mut Tx,
    cache: &mut HashMap<String, Agency>,
    code: &str,
) -> Result<Agency, DomainError> {
    let code = AgencyCode::parse(code)?;
    if let Some(a) = cache.get(code.as_str()) {
        return Ok(a.clone());
    }
    let a = agencies::by_code(tx, &code).await?.ok_or_else(|| {
        DomainError::invalid(
            Field::new("agency", "机构代码"),
            format!("机构代码“{code}”不存在"),
        )
    })?;
    cache.insert(code.as_str().to_string(), a.clone());
    Ok(a)
}

async fn prepare(
    tx: &mut Tx,
    cache: &mut HashMap<String, Agency>,
    row: &Row,
    today: NaiveDate,
) -> Result<Ready, DomainError> {
    let agency = agency(tx, cache, &row.agency).await?;
    let mut input = row.document.clone();
    if input.disclosure_mode.trim().is_empty() {
        input.disclosure_mode = "proactive".into();
    }
    let draft = DocumentDraft::parse(&input, today)?;
    let published_on = parse_date(&row.published_on, Field::new("published_on", "发布日期"))?;
    check_importable(&draft, published_on, today)?;
    let index_no = Some(row.index_no.trim())
        .filter(|s| !s.is_empty())
        .map(str::to_string);
    Ok(Ready {
        agency,
        item: Importable {
            draft,
            index_no,
            published_on,
        },
    })
}

fn report(line: usize, e: &DomainError) -> String {
    let field = e
        .field()
        .map(|f| format!("{}:", f.label))
        .unwrap_or_default();
    format!("第 {line} 行:{field}{e}")
}

/// The fast path: each agency's rows of the batch checked for existing documents and written
/// with a few multi-row statements. Returns (imported, skipped).
async fn write_many(
    tx: &mut Tx,
    actor: &Actor,
    ready: &[(usize, Ready)],
) -> Result<(u64, u64), DomainError> {
    let mut by_agency: Vec<(&Agency, Vec<Importable>)> = Vec::new();
    for (_, r) in ready {
        match by_agency.iter_mut().find(|(a, _)| a.id == r.agency.id) {
            Some((_, items)) => items.push(r.item.clone()),
            None => by_agency.push((&r.agency, vec![r.item.clone()])),
        }
    }
    let (mut imported, mut skipped) = (0, 0);
    for (agency, items) in by_agency {
        let skip = documents_import::skipped(tx, agency.id, &items).await?;
        let new: Vec<Importable> = items
            .into_iter()
            .zip(&skip)
            .filter(|(_, s)| !**s)
            .map(|(i, _)| i)
            .collect();
        skipped += (skip.len() - new.len()) as u64;
        imported += documents_import::import_many(tx, actor, agency, &new)
            .await?
            .len() as u64;
    }
    Ok((imported, skipped))
}

/// The careful path, for a batch whose fast path failed: row by row, each in a savepoint, so
/// the row at fault is reported and the others kept.
async fn write_each(
    tx: &mut Tx,
    actor: &Actor,
    ready: &[(usize, Ready)],
    reports: &mut Vec<String>,
) -> Result<(u64, u64), DomainError> {
    let (mut imported, mut skipped) = (0, 0);
    for (line, r) in ready {
        let item = &r.item;
        let id = r.agency.id;
        let who = Principal {
            user_id: 0,
            role: Role::Office,
            agency_id: id,
        };
        let index = item.index_no.as_deref();
        let result = tx
            .isolated(async |tx| {
                if documents::find_existing(tx, id, index, &item.draft)
                    .await?
                    .is_some()
                {
                    return Ok(false);
                }
                documents::import_published(
                    tx,
                    actor,
                    &who,
                    id,
                    &item.draft,
                    index,
                    item.published_on,
                )
                .await
                .map(|_| true)
            })
            .await;
        match result {
            Ok(true) => imported += 1,
            Ok(false) => skipped += 1,
            Err(e) if e.fault().is_some() => return Err(e),
            Err(e) => reports.push(report(*line, &e)),
        }
    }
    Ok((imported, skipped))
}

/// Imports one batch in one transaction. Row errors are reported and counted; an error of
/// the database itself ends the import (rows of earlier batches stay committed).
///
/// Rows are first checked without writing; the good ones are written together. Only a failed
/// write — rare: a 索引号 taken by another document — sends the batch back to be written
/// again row by row.
async fn import_batch(
    db: &Db,
    cache: &mut HashMap<String, Agency>,
    batch: &[Numbered],
    today: NaiveDate,
    tally: &mut Tally,
    bar: &ProgressBar,
) -> Result<(), DomainError> {
    let actor = Actor::system("import");
    let mut reports = Vec::new();
    let mut ready = Vec::with_capacity(batch.len());
    let mut tx = db.begin().await?;
    for (line, row) in batch {
        let prepared = match row {
            Ok(r) => prepare(&mut tx, cache, r, today).await,
            Err(e) => Err(DomainError::invalid(Field::new("row", "行"), e.clone())),
        };
        match prepared {
            Ok(r) => ready.push((*line, r)),
            Err(e) if e.fault().is_some() => return Err(e),
            Err(e) => reports.push(report(*line, &e)),
        }
    }
    // A database that is really gone fails the careful path too, which ends the import.
    let (imported, skipped) = match write_many(&mut tx, &actor, &ready).await {
        Ok(counts) => counts,
        Err(_) => {
            drop(tx);
            tx = db.begin().await?;
            write_each(&mut tx, &actor, &ready, &mut reports).await?
        }
    };
    tx.commit().await?;
    bar.suspend(|| reports.iter().for_each(|r| eprintln!("{r}")));
    tally.imported += imported;
    tally.skipped += skipped;
    tally.failed += reports.len() as u64;

    Ok(())
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
    let mut next_analyze = BATCH as u64;
    loop {
        let batch: Vec<Numbered> = rows.by_ref().take(BATCH).collect();
        if batch.is_empty() {
            break;
        }
        import_batch(db, &mut cache, &batch, today, &mut tally, &bar).await?;
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
