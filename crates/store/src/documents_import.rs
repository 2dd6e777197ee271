//! Bulk import of already-published documents (`gongkai import documents`). Writes exactly
//! what [`crate::documents::import_published`] writes for each document — the document, its
//! published first version, its 索引号, an audit entry and an outbox announcement — but a
//! batch at a time: each table gets one multi-row statement per chunk instead of a statement
//! per document, which is what makes a million rows an import of minutes (every statement
//! on SQLite is a round trip to its worker thread).

use std::collections::{BTreeMap, HashMap, HashSet};

use chrono::NaiveDate;
use gongkai_domain::document::{DocumentDraft, check_importable};
use gongkai_domain::index_number::IndexPattern;
use gongkai_domain::{DomainError, Field};

use crate::agencies::Agency;
use crate::audit::{self, Actor};
use crate::db::{Exec, Result, Sql, Tx, Value, rows_per_statement};
use crate::documents::{VERSION_INSERT, VERSION_WIDTH, import_json, version_values};

/// Values per key lookup (an IN list).
const LOOKUP: usize = 200;

/// One document to import as published.
#[derive(Clone, Debug)]
pub struct Importable {
    pub draft: DocumentDraft,
    /// Its own 索引号, when the source system gave it one.
    pub index_no: Option<String>,
    pub published_on: NaiveDate,
}

/// The key by which a document is recognised as already imported: its 索引号 when given,
/// else its 文号, else its title and 成文日期 (within the agency).
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
enum Key {
    Index(String),
    Number(String),
    Title(String, NaiveDate),
}

fn key(item: &Importable) -> Key {
    match (&item.index_no, &item.draft.doc_number) {
        (Some(i), _) => Key::Index(i.trim().to_string()),
        (None, Some(n)) => Key::Number(n.to_string()),
        (None, None) => Key::Title(item.draft.title.clone(), item.draft.formed_on),
    }
}

fn in_list(first: usize, n: usize) -> String {
    (first..first + n)
        .map(|i| format!("${i}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// For each of `items` (all of agency `agency_id`): whether it must be skipped, because a
/// document with its key is already registered or an earlier item of `items` has the same
/// key. The same rules as [`crate::documents::find_existing`], with one query per kind of key and
/// chunk instead of one per item.
pub async fn skipped(e: &mut impl Exec, agency_id: i64, items: &[Importable]) -> Result<Vec<bool>> {
    let keys: Vec<Key> = items.iter().map(key).collect();
    let mut found: HashSet<Key> = HashSet::new();
    let indexes: Vec<&str> = keys
        .iter()
        .filter_map(|k| match k {
            Key::Index(i) => Some(i.as_str()),
            _ => None,
        })
        .collect();
    for chunk in indexes.chunks(LOOKUP) {
        let mut sql = Sql::dynamic(format!(
            "SELECT index_no FROM documents WHERE index_no IN ({})",
            in_list(1, chunk.len())
        ))
        .unprepared();
        for i in chunk {
            sql = sql.bind(*i);
        }
        for r in e.fetch_all(sql).await? {
            found.insert(Key::Index(r.get("index_no")?));
        }
    }
    // The agency is checked here, not in SQL: with no condition but the key list, every
    // plan of either database — PostgreSQL's generic plan of a prepared statement too —
    // drives the lookup through the 文号 or title index.
    let numbers: Vec<&str> = keys
        .iter()
        .filter_map(|k| match k {
            Key::Number(n) => Some(n.as_str()),
            _ => None,
        })
        .collect();
    for chunk in numbers.chunks(LOOKUP) {
        let mut sql = Sql::dynamic(format!(
            "SELECT v.doc_number, d.agency_id FROM document_versions v JOIN documents d \
             ON d.id = v.document_id AND d.working_version_id = v.id \
             WHERE v.doc_number IN ({})",
            in_list(1, chunk.len())
        ))
        .unprepared();
        for n in chunk {
            sql = sql.bind(*n);
        }
        for r in e.fetch_all(sql).await? {
            if r.get::<i64>("agency_id")? == agency_id {
                found.insert(Key::Number(r.get("doc_number")?));
            }
        }
    }
    let titles: Vec<&str> = keys
        .iter()
        .filter_map(|k| match k {
            Key::Title(t, _) => Some(t.as_str()),
            _ => None,
        })
        .collect();
    for chunk in titles.chunks(LOOKUP) {
        let mut sql = Sql::dynamic(format!(
            "SELECT v.title, v.formed_on, d.agency_id FROM document_versions v JOIN documents d \
             ON d.id = v.document_id AND d.working_version_id = v.id \
             WHERE v.title IN ({})",
            in_list(1, chunk.len())
        ))
        .unprepared();
        for t in chunk {
            sql = sql.bind(*t);
        }
        for r in e.fetch_all(sql).await? {
            if r.get::<i64>("agency_id")? == agency_id {
                found.insert(Key::Title(r.get("title")?, r.get("formed_on")?));
            }
        }
    }
    Ok(keys.into_iter().map(|k| !found.insert(k)).collect())
}

/// The 索引号 of each item, in order: a given one is kept (and moves the agency's sequence
/// past it, as [`crate::documents::import_published`] does), the others are issued from the
/// sequence, one statement per sequence year for the whole batch. Given numbers are counted
/// first so that a number issued here never collides with one given later in the batch.
async fn assign_indexes(tx: &mut Tx, agency: &Agency, items: &[Importable]) -> Result<Vec<String>> {
    let pattern: IndexPattern = agency.index_pattern()?;
    let mut given_max: BTreeMap<i32, u32> = BTreeMap::new();
    let mut wanted: BTreeMap<i32, u32> = BTreeMap::new();
    let mut out = Vec::with_capacity(items.len());
    for item in items {
        match &item.index_no {
            Some(i) => {
                let index =
                    gongkai_domain::text::bounded(i, Field::new("index_no", "索引号"), 3, 60)?;
                if let Some(p) = pattern
                    .read(&index)
                    .filter(|p| p.agency_code == agency.code)
                {
                    let max = given_max.entry(p.year).or_default();
                    *max = (*max).max(p.seq);
                }
                out.push(Some(index));
            }
            None => {
                *wanted
                    .entry(pattern.sequence_year(item.draft.formed_on))
                    .or_default() += 1;
                out.push(None);
            }
        }
    }
    for (year, seq) in given_max {
        tx.execute(
            Sql::new(
                "INSERT INTO index_sequences (agency_id, year, last_seq) VALUES ($1, $2, $3) \
                 ON CONFLICT (agency_id, year) DO UPDATE SET last_seq = \
                 CASE WHEN index_sequences.last_seq < $3 THEN $3 ELSE index_sequences.last_seq END",
            )
            .bind(agency.id)
            .bind(i64::from(year))
            .bind(i64::from(seq)),
        )
        .await?;
    }
    // The next number to issue in each year.
    let mut next: HashMap<i32, u32> = HashMap::new();
    for (year, n) in wanted {
        let row = tx
            .fetch_one(
                Sql::new(
                    "INSERT INTO index_sequences (agency_id, year, last_seq) VALUES ($1, $2, $3) \
                     ON CONFLICT (agency_id, year) DO UPDATE SET \
                     last_seq = index_sequences.last_seq + $3 RETURNING last_seq",
                )
                .bind(agency.id)
                .bind(i64::from(year))
                .bind(i64::from(n)),
            )
            .await?;
        let last = u32::try_from(row.get::<i64>("last_seq")?)
            .map_err(|_| DomainError::internal("index sequence overflow"))?;
        next.insert(year, last + 1 - n);
    }
    items
        .iter()
        .zip(out)
        .map(|(item, given)| match given {
            Some(index) => Ok(index),
            None => {
                let year = pattern.sequence_year(item.draft.formed_on);
                let seq = next
                    .get_mut(&year)
                    .ok_or_else(|| DomainError::internal("index sequence not reserved"))?;
                let index = pattern.render(&agency.code, item.draft.formed_on, *seq);
                *seq += 1;
                Ok(index)
            }
        })
        .collect()
}

/// Imports `items` (already checked with [`skipped`] and validated) as published documents of
/// `agency`, in the caller's transaction, and returns their ids in order. Any failed write —
/// a 索引号 already taken, say — fails the whole call; the caller rolls back and, to find the
/// row at fault, imports the batch again row by row with [`crate::documents::import_published`].
pub async fn import_many(
    tx: &mut Tx,
    actor: &Actor,
    agency: &Agency,
    items: &[Importable],
) -> Result<Vec<i64>> {
    let today = tx.now().date_naive();
    for item in items {
        check_importable(&item.draft, item.published_on, today)?;
    }
    let indexes = assign_indexes(tx, agency, items).await?;
    let now = tx.now();
    let taken = |index: &str| {
        DomainError::conflict(
            Some(Field::new("index_no", "索引号")),
            format!("索引号“{index}”已被使用"),
        )
    };
    let mut ids: HashMap<String, i64> = HashMap::with_capacity(items.len());
    for chunk in indexes.chunks(rows_per_statement(4)) {
        let rows = chunk
            .iter()
            .map(|index| vec![agency.id.into(), index.into(), now.into(), now.into()])
            .collect();
        let returned = tx
            .fetch_all(Sql::rows(
                "INSERT INTO documents (agency_id, index_no, created_at, updated_at) VALUES",
                rows,
                "RETURNING id, index_no",
            ))
            .await
            .map_err(|e| match e {
                DomainError::Conflict { .. } => taken(&chunk.join("、")),
                other => other,
            })?;
        for r in returned {
            ids.insert(r.get("index_no")?, r.get("id")?);
        }
    }
    // RETURNING gives no order on SQLite, so rows are matched back by their unique 索引号.
    let ids: Vec<i64> = indexes
        .iter()
        .map(|i| ids.get(i).copied().ok_or_else(|| taken(i)))
        .collect::<Result<_>>()?;
    let per = rows_per_statement(VERSION_WIDTH);
    for (chunk_items, chunk_ids) in items.chunks(per).zip(ids.chunks(per)) {
        let rows: Vec<Vec<Value>> = chunk_items
            .iter()
            .zip(chunk_ids)
            .map(|(item, id)| {
                version_values(*id, 1, &item.draft, actor, now, Some(item.published_on))
            })
            .collect();
        let returned = tx
            .fetch_all(Sql::rows(VERSION_INSERT, rows, "RETURNING id, document_id"))
            .await?;
        let pairs = returned
            .iter()
            .map(|r| {
                Ok(vec![
                    r.get::<i64>("document_id")?.into(),
                    r.get::<i64>("id")?.into(),
                ])
            })
            .collect::<Result<Vec<Vec<Value>>>>()?;
        // The pairs as a VALUES table, whose columns both databases name column1, column2:
        // joined by the primary key, where a join with the versions table is planned by
        // PostgreSQL (without statistics yet on a table being filled) as a scan of all of it.
        tx.execute(Sql::rows(
            "UPDATE documents SET working_version_id = x.column2, public_version_id = x.column2 \
             FROM (VALUES",
            pairs,
            ") AS x WHERE documents.id = x.column1",
        ))
        .await?;
    }
    let keys: Vec<String> = ids.iter().map(i64::to_string).collect();
    let entries: Vec<(String, serde_json::Value)> = items
        .iter()
        .zip(&indexes)
        .zip(&keys)
        .map(|((item, index), key)| {
            (
                key.clone(),
                import_json(&item.draft, index, item.published_on),
            )
        })
        .collect();
    audit::record_many(tx, actor, "document.import", "document", &entries).await?;
    audit::announce_many(tx, "document.changed", "document", &keys).await?;
    Ok(ids)
}
