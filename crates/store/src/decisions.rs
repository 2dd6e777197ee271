//! 重大行政决策事项目录: catalogues per agency and year, their entries and the stages of each.
//! Rows and statements only: the rules (who may change what, what a stage must rest on, when
//! a catalogue is public) are in `gongkai_app::decisions`.

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_domain::decision::{EntryDraft, EntryStatus, StageDraft, StageKind};
use gongkai_domain::user::Principal;
use serde::Serialize;

use crate::db::{Exec, Result, Row, Sql, Tx};

#[derive(Clone, Debug, Serialize)]
pub struct Catalogue {
    pub id: i64,
    pub agency_id: i64,
    pub agency_code: String,
    pub agency_name: String,
    pub year: i32,
    pub published_at: Option<DateTime<Utc>>,
}

fn catalogue_from(r: &Row) -> Result<Catalogue> {
    Ok(from_row!(r => Catalogue {
        id,
        agency_id,
        agency_code,
        agency_name,
        year = r.get::<i64>("year")? as i32,
        published_at,
    }))
}

const CATALOGUE: &str = "SELECT c.id, c.agency_id, a.code AS agency_code, a.name AS agency_name, c.year, \
    c.published_at FROM decision_catalogues c JOIN agencies a ON a.id = c.agency_id";

pub async fn catalogue(e: &mut impl Exec, id: i64) -> Result<Option<Catalogue>> {
    let row = e
        .fetch_optional(sql_once!("{CATALOGUE} WHERE c.id = $1").bind(id))
        .await?;
    row.as_ref().map(catalogue_from).transpose()
}

/// An agency's catalogues, newest year first.
pub async fn catalogues_of(e: &mut impl Exec, agency_id: i64) -> Result<Vec<Catalogue>> {
    let rows = e
        .fetch_all(
            sql_once!("{CATALOGUE} WHERE c.agency_id = $1 ORDER BY c.year DESC").bind(agency_id),
        )
        .await?;
    rows.iter().map(catalogue_from).collect()
}

/// Catalogues `who` may manage.
pub async fn for_staff(e: &mut impl Exec, who: &Principal) -> Result<Vec<Catalogue>> {
    let rows = e
        .fetch_all(sql_once!("{CATALOGUE} ORDER BY c.year DESC, a.code"))
        .await?;
    let all: Vec<Catalogue> = rows.iter().map(catalogue_from).collect::<Result<_>>()?;
    Ok(all
        .into_iter()
        .filter(|c| who.may_act_for(c.agency_id))
        .collect())
}

/// Whether `agency_id` has a catalogue for `year`.
pub async fn catalogue_exists(e: &mut impl Exec, agency_id: i64, year: i32) -> Result<bool> {
    Ok(e.fetch_optional(
        Sql::new("SELECT id FROM decision_catalogues WHERE agency_id = $1 AND year = $2")
            .bind(agency_id)
            .bind(i64::from(year)),
    )
    .await?
    .is_some())
}

pub async fn insert_catalogue(tx: &mut Tx, agency_id: i64, year: i32) -> Result<i64> {
    let now = tx.now();
    tx.fetch_one(
        Sql::new(
            "INSERT INTO decision_catalogues (agency_id, year, created_at) VALUES ($1, $2, $3) RETURNING id",
        )
        .bind(agency_id)
        .bind(i64::from(year))
        .bind(now),
    )
    .await?
    .get("id")
}

pub async fn entry_count(e: &mut impl Exec, catalogue_id: i64) -> Result<i64> {
    e.fetch_one(
        Sql::new("SELECT COUNT(*) AS n FROM decision_entries WHERE catalogue_id = $1")
            .bind(catalogue_id),
    )
    .await?
    .get("n")
}

pub async fn set_published(tx: &mut Tx, id: i64, at: DateTime<Utc>) -> Result<()> {
    tx.execute(
        Sql::new("UPDATE decision_catalogues SET published_at = $1 WHERE id = $2")
            .bind(at)
            .bind(id),
    )
    .await?;
    Ok(())
}

#[derive(Clone, Debug, Serialize)]
pub struct Entry {
    pub id: i64,
    pub catalogue_id: i64,
    pub title: String,
    pub responsible_agency_id: i64,
    pub responsible_name: String,
    pub basis: String,
    pub planned_on: NaiveDate,
    pub status: EntryStatus,
    pub note: Option<String>,
}

const ENTRY: &str = "SELECT e.id, e.catalogue_id, e.title, e.responsible_agency_id, a.name AS responsible_name, \
    e.basis, e.planned_on, e.status, e.note FROM decision_entries e JOIN agencies a ON a.id = e.responsible_agency_id";

fn entry_from(r: &Row) -> Result<Entry> {
    Ok(from_row!(r => Entry {
        id,
        catalogue_id,
        title,
        responsible_agency_id,
        responsible_name,
        basis,
        planned_on,
        status: code,
        note,
    }))
}

pub async fn entries(e: &mut impl Exec, catalogue_id: i64) -> Result<Vec<Entry>> {
    let rows = e
        .fetch_all(sql_once!("{ENTRY} WHERE e.catalogue_id = $1 ORDER BY e.id").bind(catalogue_id))
        .await?;
    rows.iter().map(entry_from).collect()
}

pub async fn entry(e: &mut impl Exec, id: i64) -> Result<Option<Entry>> {
    let row = e
        .fetch_optional(sql_once!("{ENTRY} WHERE e.id = $1").bind(id))
        .await?;
    row.as_ref().map(entry_from).transpose()
}

/// Stores an entry of `catalogue_id`, its responsible agency resolved.
pub async fn insert_entry(
    tx: &mut Tx,
    catalogue_id: i64,
    d: &EntryDraft,
    responsible_agency_id: i64,
) -> Result<i64> {
    let now = tx.now();
    tx.fetch_one(
        Sql::new(
            "INSERT INTO decision_entries (catalogue_id, title, responsible_agency_id, basis, planned_on, \
             status, note, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(catalogue_id)
        .bind(d.title.as_str())
        .bind(responsible_agency_id)
        .bind(d.basis.as_str())
        .bind(d.planned_on)
        .bind(d.status.as_str())
        .bind(d.note.clone())
        .bind(now),
    )
    .await?
    .get("id")
}

pub async fn update_entry(
    tx: &mut Tx,
    id: i64,
    d: &EntryDraft,
    responsible_agency_id: i64,
) -> Result<()> {
    let now = tx.now();
    tx.execute(
        Sql::new(
            "UPDATE decision_entries SET title = $1, responsible_agency_id = $2, basis = $3, planned_on = $4, \
             status = $5, note = $6, updated_at = $7 WHERE id = $8",
        )
        .bind(d.title.as_str())
        .bind(responsible_agency_id)
        .bind(d.basis.as_str())
        .bind(d.planned_on)
        .bind(d.status.as_str())
        .bind(d.note.clone())
        .bind(now)
        .bind(id),
    )
    .await?;
    Ok(())
}

pub async fn set_entry_status(tx: &mut Tx, id: i64, status: EntryStatus) -> Result<()> {
    let now = tx.now();
    tx.execute(
        Sql::new("UPDATE decision_entries SET status = $1, updated_at = $2 WHERE id = $3")
            .bind(status.as_str())
            .bind(now)
            .bind(id),
    )
    .await?;
    Ok(())
}

#[derive(Clone, Debug, Serialize)]
pub struct Stage {
    pub id: i64,
    pub kind: StageKind,
    pub happened_on: NaiveDate,
    pub summary: String,
    /// (id, title) of the public document it links.
    pub document: Option<(i64, String)>,
    /// (id, title, report published) of the consultation it links.
    pub consultation: Option<(i64, String, bool)>,
    pub representatives: Option<String>,
}

/// An entry's stages in the order of the procedure: by date, then by the stage's place.
pub async fn stages(e: &mut impl Exec, entry_id: i64) -> Result<Vec<Stage>> {
    let rows = e
        .fetch_all(
            Sql::new(
                "SELECT s.id, s.kind, s.happened_on, s.summary, s.document_id, s.consultation_id, s.representatives, \
                 v.title AS document_title, k.title AS consultation_title, k.report_published_at \
                 FROM decision_stages s LEFT JOIN documents d ON d.id = s.document_id \
                 LEFT JOIN document_versions v ON v.id = d.public_version_id \
                 LEFT JOIN consultations k ON k.id = s.consultation_id \
                 WHERE s.entry_id = $1 ORDER BY s.happened_on, s.id",
            )
            .bind(entry_id),
        )
        .await?;
    let mut out: Vec<Stage> = rows
        .iter()
        .map(|r| {
            let document_id: Option<i64> = r.get("document_id")?;
            let consultation_id: Option<i64> = r.get("consultation_id")?;
            let reported: Option<DateTime<Utc>> = r.get("report_published_at")?;
            Ok(from_row!(r => Stage {
                id,
                kind: code,
                happened_on,
                summary,
                document = match (document_id, r.get::<Option<String>>("document_title")?) {
                    (Some(id), Some(t)) => Some((id, t)),
                    _ => None,
                },
                consultation = match (
                    consultation_id,
                    r.get::<Option<String>>("consultation_title")?,
                ) {
                    (Some(id), Some(t)) => Some((id, t, reported.is_some())),
                    _ => None,
                },
                representatives,
            }))
        })
        .collect::<Result<_>>()?;
    out.sort_by_key(|s| (s.happened_on, s.kind.order(), s.id));
    Ok(out)
}

/// Stores a stage of `entry_id` with what it rests on, already checked.
pub async fn insert_stage(
    tx: &mut Tx,
    entry_id: i64,
    d: &StageDraft,
    document: Option<i64>,
    consultation: Option<i64>,
) -> Result<i64> {
    let now = tx.now();
    tx.fetch_one(
        Sql::new(
            "INSERT INTO decision_stages (entry_id, kind, happened_on, summary, document_id, consultation_id, \
             representatives, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
        )
        .bind(entry_id)
        .bind(d.kind.as_str())
        .bind(d.happened_on)
        .bind(d.summary.as_str())
        .bind(document)
        .bind(consultation)
        .bind(d.representatives.clone())
        .bind(now),
    )
    .await?
    .get("id")
}

/// Agencies whose catalogue for `year` is not published (the dashboard's 31 March item).
pub async fn unpublished(
    e: &mut impl Exec,
    who: &Principal,
    year: i32,
) -> Result<Vec<(i64, String, bool)>> {
    let rows = e
        .fetch_all(
            Sql::new(
                "SELECT a.id, a.name, c.id AS catalogue_id FROM agencies a \
                 LEFT JOIN decision_catalogues c ON c.agency_id = a.id AND c.year = $1 \
                 WHERE c.published_at IS NULL ORDER BY a.code",
            )
            .bind(i64::from(year)),
        )
        .await?;
    let mut out = Vec::new();
    for r in &rows {
        let id: i64 = r.get("id")?;
        if who.may_act_for(id) {
            let started: Option<i64> = r.get("catalogue_id")?;
            out.push((id, r.get("name")?, started.is_some()));
        }
    }
    Ok(out)
}
