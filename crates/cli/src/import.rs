//! `gongkai import documents FILE`: brings already-published documents in from CSV or JSON.
//! Each row is its own transaction: a bad row is reported and skipped, good rows are kept, and
//! rows already imported (same 索引号, or same agency and 文号, or same title and date) are
//! skipped, so re-running the same file changes nothing.

use std::collections::HashMap;
use std::path::Path;
use std::process::ExitCode;

use chrono::NaiveDate;
use gongkai_domain::agency::AgencyCode;
use gongkai_domain::calendar::parse_date;
use gongkai_domain::document::{DocumentDraft, DocumentInput};
use gongkai_domain::user::{Principal, Role};
use gongkai_domain::{DomainError, Field};
use gongkai_store::{Actor, Db, agencies, documents};
use indicatif::{ProgressBar, ProgressStyle};
use serde::Deserialize;

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

fn read_rows(path: &Path) -> Result<Vec<Result<Row, String>>, DomainError> {
    let text = std::fs::read_to_string(path)
        .map_err(|e| DomainError::unavailable(format!("无法读取 {}:{e}", path.display())))?;
    let ext = path
        .extension()
        .and_then(|e| e.to_str())
        .unwrap_or("")
        .to_ascii_lowercase();
    match ext.as_str() {
        "csv" => {
            let mut reader = csv::ReaderBuilder::new()
                .flexible(false)
                .from_reader(text.as_bytes());
            Ok(reader
                .deserialize::<Row>()
                .map(|r| r.map_err(|e| format!("无法解析:{e}")))
                .collect())
        }
        "json" => {
            let values: Vec<serde_json::Value> = serde_json::from_str(&text)
                .map_err(|e| DomainError::unavailable(format!("JSON 文件应为对象数组:{e}")))?;
            Ok(values
                .into_iter()
                .map(|v| serde_json::from_value(v).map_err(|e| format!("无法解析:{e}")))
                .collect())
        }
        "jsonl" | "ndjson" => Ok(text
            .lines()
            .filter(|l| !l.trim().is_empty())
            .map(|l| serde_json::from_str(l).map_err(|e| format!("无法解析:{e}")))
            .collect()),
        _ => Err(DomainError::unavailable(
            "只支持 .csv、.json 或 .jsonl 文件",
        )),
    }
}

enum Outcome {
    Imported,
    Skipped,
}

async fn import_row(
    db: &Db,
    cache: &mut HashMap<String, i64>,
    row: &Row,
    today: NaiveDate,
) -> Result<Outcome, DomainError> {
    let code = AgencyCode::parse(&row.agency)?;
    let agency_id = match cache.get(code.as_str()) {
        Some(id) => *id,
        None => {
            let a = agencies::by_code(&mut db.conn().await?, &code)
                .await?
                .ok_or_else(|| {
                    DomainError::invalid(
                        Field::new("agency", "机构代码"),
                        format!("机构代码“{code}”不存在"),
                    )
                })?;
            cache.insert(code.as_str().to_string(), a.id);
            a.id
        }
    };
    let mut input = row.document.clone();
    if input.disclosure_mode.trim().is_empty() {
        input.disclosure_mode = "proactive".into();
    }
    let draft = DocumentDraft::parse(&input, today)?;
    let published = parse_date(&row.published_on, Field::new("published_on", "发布日期"))?;
    let index = Some(row.index_no.trim()).filter(|s| !s.is_empty());
    if documents::find_existing(&mut db.conn().await?, agency_id, index, &draft)
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
    db.write(async |tx| {
        documents::import_published(tx, &actor, &who, agency_id, &draft, index, published).await
    })
    .await?;
    Ok(Outcome::Imported)
}

pub async fn documents(db: &Db, path: &Path) -> Result<ExitCode, DomainError> {
    let rows = read_rows(path)?;
    let today = gongkai_store::db::now().date_naive();
    let bar = ProgressBar::new(rows.len() as u64);
    bar.set_style(
        ProgressStyle::with_template("{bar:40} {pos}/{len} 行 {per_sec} 剩余 {eta}")
            .unwrap_or_else(|_| ProgressStyle::default_bar()),
    );
    let (mut imported, mut skipped, mut failed) = (0u64, 0u64, 0u64);
    let mut cache = HashMap::new();
    for (i, row) in rows.iter().enumerate() {
        // Row numbers as a person counts them: the CSV header is line 1.
        let line = if path.extension().is_some_and(|e| e == "csv") {
            i + 2
        } else {
            i + 1
        };
        let result = match row {
            Ok(r) => import_row(db, &mut cache, r, today).await,
            Err(e) => Err(DomainError::invalid(Field::new("row", "行"), e.clone())),
        };
        match result {
            Ok(Outcome::Imported) => imported += 1,
            Ok(Outcome::Skipped) => skipped += 1,
            Err(e) => {
                failed += 1;
                let field = e
                    .field()
                    .map(|f| format!("{}:", f.label))
                    .unwrap_or_default();
                let message = match &e {
                    DomainError::Unavailable { detail } => detail.clone(),
                    other => other.to_string(),
                };
                bar.suspend(|| eprintln!("第 {line} 行:{field}{message}"));
            }
        }
        bar.inc(1);
    }
    bar.finish_and_clear();
    println!("导入完成:新增 {imported} 件,已存在跳过 {skipped} 件,出错 {failed} 行");
    Ok(if failed > 0 {
        ExitCode::from(4)
    } else {
        ExitCode::SUCCESS
    })
}
