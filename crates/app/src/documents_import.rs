//! Bringing already-published documents in from another system, in batches: each row is
//! checked without writing (its agency, the document's fields, the publication date); the
//! good rows of a batch are written together, and only if that fails (a 索引号 taken by
//! another document) row by row in savepoints, so the row at fault is reported and the rest
//! kept. Rows already there (same 索引号, or same agency and 文号, or same title and date)
//! are skipped, so importing the same file again changes nothing.

use std::collections::HashMap;

use gongkai_domain::agency::AgencyCode;
use gongkai_domain::calendar::parse_date;
use gongkai_domain::document::{DisclosureMode, DocumentDraft, DocumentInput, check_importable};
use gongkai_domain::{DomainError, Field};
use gongkai_store::agencies::{self, Agency};
use gongkai_store::db::Result;
use gongkai_store::documents_import::{self, Importable};
use gongkai_store::{Actor, Tx, documents};
use serde::Deserialize;

use crate::Ctx;

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
pub type Numbered = (usize, std::result::Result<Row, String>);

/// The agencies looked up so far, by code: a file names few agencies over many rows.
#[derive(Default)]
pub struct Agencies(HashMap<String, Agency>);

/// What one batch did; the refused rows with their line and reason.
#[derive(Default)]
pub struct Outcome {
    pub imported: u64,
    pub skipped: u64,
    pub refused: Vec<(usize, DomainError)>,
}

/// A row that passed every check that needs no write: its agency and the document to import.
struct Ready {
    agency: Agency,
    item: Importable,
}

/// The agency of a row, from a cache of those already looked up.
async fn agency(tx: &mut Tx, cache: &mut Agencies, code: &str) -> Result<Agency> {
    let code = AgencyCode::parse(code)?;
    if let Some(a) = cache.0.get(code.as_str()) {
        return Ok(a.clone());
    }
    let a = agencies::by_code(tx, &code).await?.ok_or_else(|| {
        DomainError::invalid(
            Field::new("agency", "机构代码"),
            format!("机构代码“{code}”不存在"),
        )
    })?;
    cache.0.insert(code.as_str().to_string(), a.clone());
    Ok(a)
}

async fn prepare(
    tx: &mut Tx,
    cache: &mut Agencies,
    row: &Row,
    today: chrono::NaiveDate,
) -> Result<Ready> {
    let agency = agency(tx, cache, &row.agency).await?;
    let mut input = row.document.clone();
    if input.disclosure_mode.trim().is_empty() {
        input.disclosure_mode = DisclosureMode::Proactive.as_str().into();
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

/// The fast path: each agency's rows of the batch checked for existing documents and written
/// with a few multi-row statements. Returns (imported, skipped).
async fn write_many(tx: &mut Tx, actor: &Actor, ready: &[(usize, Ready)]) -> Result<(u64, u64)> {
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
    refused: &mut Vec<(usize, DomainError)>,
) -> Result<(u64, u64)> {
    let (mut imported, mut skipped) = (0, 0);
    for (line, r) in ready {
        let item = &r.item;
        let id = r.agency.id;
        let index = item.index_no.as_deref();
        let result = tx
            .isolated(async |tx| {
                if documents::find_existing(tx, id, index, &item.draft)
                    .await?
                    .is_some()
                {
                    return Ok(false);
                }
                // Checked as importable when the row was read.
                documents::import_published(
                    tx,
                    actor,
                    &r.agency,
                    &item.draft,
                    documents::Earlier {
                        index_no: index,
                        published_on: item.published_on,
                    },
                )
                .await
                .map(|_| true)
            })
            .await;
        match result {
            Ok(true) => imported += 1,
            Ok(false) => skipped += 1,
            Err(e) if e.fault().is_some() => return Err(e),
            Err(e) => refused.push((*line, e)),
        }
    }
    Ok((imported, skipped))
}

/// Imports one batch in one transaction. Row errors are returned with their lines; an error
/// of the database itself ends the import (rows of earlier batches stay committed).
///
/// Rows are first checked without writing; the good ones are written together. Only a failed
/// write — rare: a 索引号 taken by another document — sends the batch back to be written
/// again row by row.
pub async fn import_batch(
    ctx: &Ctx<'_>,
    cache: &mut Agencies,
    batch: &[Numbered],
) -> Result<Outcome> {
    let (db, actor, today) = (ctx.db, &ctx.actor, ctx.today());
    let mut refused = Vec::new();
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
            Err(e) => refused.push((*line, e)),
        }
    }
    // A database that is really gone fails the careful path too, which ends the import.
    let (imported, skipped) = match write_many(&mut tx, actor, &ready).await {
        Ok(counts) => counts,
        Err(_) => {
            drop(tx);
            tx = db.begin().await?;
            write_each(&mut tx, actor, &ready, &mut refused).await?
        }
    };
    tx.commit().await?;
    refused.sort_by_key(|(line, _)| *line);
    Ok(Outcome {
        imported,
        skipped,
        refused,
    })
}
