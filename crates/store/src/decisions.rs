//! 重大行政决策事项目录: catalogues per agency and year, their entries and the stages of each.
//! A catalogue is public once published; every change is audited.

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_domain::decision::{EntryDraft, EntryStatus, Link, StageDraft, StageKind};
use gongkai_domain::user::Principal;
use gongkai_domain::{DomainError, Field};
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, Actor};
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
    Ok(Catalogue {
        id: r.get("id")?,
        agency_id: r.get("agency_id")?,
        agency_code: r.get("agency_code")?,
        agency_name: r.get("agency_name")?,
        year: r.get::<i64>("year")? as i32,
        published_at: r.get("published_at")?,
    })
}

const CATALOGUE: &str = "SELECT c.id, c.agency_id, a.code AS agency_code, a.name AS agency_name, c.year, \
    c.published_at FROM decision_catalogues c JOIN agencies a ON a.id = c.agency_id";

pub async fn catalogue(e: &mut impl Exec, id: i64) -> Result<Option<Catalogue>> {
    let row = e
        .fetch_optional(Sql::dynamic(format!("{CATALOGUE} WHERE c.id = $1")).bind(id))
        .await?;
    row.as_ref().map(catalogue_from).transpose()
}

/// An agency's catalogues, newest year first.
pub async fn catalogues_of(e: &mut impl Exec, agency_id: i64) -> Result<Vec<Catalogue>> {
    let rows = e
        .fetch_all(
            Sql::dynamic(format!(
                "{CATALOGUE} WHERE c.agency_id = $1 ORDER BY c.year DESC"
            ))
            .bind(agency_id),
        )
        .await?;
    rows.iter().map(catalogue_from).collect()
}

/// Catalogues `who` may manage.
pub async fn for_staff(e: &mut impl Exec, who: &Principal) -> Result<Vec<Catalogue>> {
    let rows = e
        .fetch_all(Sql::dynamic(format!(
            "{CATALOGUE} ORDER BY c.year DESC, a.code"
        )))
        .await?;
    let all: Vec<Catalogue> = rows.iter().map(catalogue_from).collect::<Result<_>>()?;
    Ok(all
        .into_iter()
        .filter(|c| who.may_act_for(c.agency_id))
        .collect())
}

async fn staff_catalogue(e: &mut impl Exec, who: &Principal, id: i64) -> Result<Catalogue> {
    catalogue(e, id)
        .await?
        .filter(|c| who.may_act_for(c.agency_id))
        .ok_or(DomainError::NotFound {
            what: "决策事项目录",
        })
}

pub async fn create_catalogue(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
    agency_id: i64,
    year: i32,
) -> Result<i64> {
    who.require_agency(agency_id)?;
    let exists = tx
        .fetch_optional(
            Sql::new("SELECT id FROM decision_catalogues WHERE agency_id = $1 AND year = $2")
                .bind(agency_id)
                .bind(i64::from(year)),
        )
        .await?;
    if exists.is_some() {
        return Err(DomainError::conflict(
            Some(Field::new("year", "年度")),
            format!("本机关 {year} 年度的决策事项目录已经存在"),
        ));
    }
    let id: i64 = tx
        .fetch_one(
            Sql::new(
                "INSERT INTO decision_catalogues (agency_id, year, created_at) VALUES ($1, $2, $3) RETURNING id",
            )
            .bind(agency_id)
            .bind(i64::from(year))
            .bind(tx.now()),
        )
        .await?
        .get("id")?;
    audit::record(
        tx,
        actor,
        "decision_catalogue.create",
        ("decision_catalogue", &id.to_string()),
        None,
        Some(&json!({"agency_id": agency_id, "year": year})),
    )
    .await?;
    Ok(id)
}

pub async fn publish_catalogue(tx: &mut Tx, actor: &Actor, who: &Principal, id: i64) -> Result<()> {
    let c = staff_catalogue(tx, who, id).await?;
    if c.published_at.is_some() {
        return Err(DomainError::conflict(None, "目录已经发布"));
    }
    let n: i64 = tx
        .fetch_one(
            Sql::new("SELECT COUNT(*) AS n FROM decision_entries WHERE catalogue_id = $1").bind(id),
        )
        .await?
        .get("n")?;
    if n == 0 {
        return Err(DomainError::conflict(None, "目录还没有决策事项,不能发布"));
    }
    let now = tx.now();
    tx.execute(
        Sql::new("UPDATE decision_catalogues SET published_at = $1 WHERE id = $2")
            .bind(now)
            .bind(id),
    )
    .await?;
    audit::record(
        tx,
        actor,
        "decision_catalogue.publish",
        ("decision_catalogue", &id.to_string()),
        None,
        Some(&json!({"published_at": now, "entries": n})),
    )
    .await
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
    Ok(Entry {
        id: r.get("id")?,
        catalogue_id: r.get("catalogue_id")?,
        title: r.get("title")?,
        responsible_agency_id: r.get("responsible_agency_id")?,
        responsible_name: r.get("responsible_name")?,
        basis: r.get("basis")?,
        planned_on: r.get("planned_on")?,
        status: EntryStatus::parse(&r.get::<String>("status")?)?,
        note: r.get("note")?,
    })
}

pub async fn entries(e: &mut impl Exec, catalogue_id: i64) -> Result<Vec<Entry>> {
    let rows = e
        .fetch_all(
            Sql::dynamic(format!("{ENTRY} WHERE e.catalogue_id = $1 ORDER BY e.id"))
                .bind(catalogue_id),
        )
        .await?;
    rows.iter().map(entry_from).collect()
}

pub async fn entry(e: &mut impl Exec, id: i64) -> Result<Option<Entry>> {
    let row = e
        .fetch_optional(Sql::dynamic(format!("{ENTRY} WHERE e.id = $1")).bind(id))
        .await?;
    row.as_ref().map(entry_from).transpose()
}

async fn responsible(tx: &mut Tx, code: &str) -> Result<i64> {
    let f = Field::new("responsible", "承办单位");
    let code = gongkai_domain::agency::AgencyCode::parse(code)
        .map_err(|_| DomainError::invalid(f, "请选择承办单位"))?;
    Ok(crate::agencies::by_code(tx, &code)
        .await?
        .ok_or_else(|| DomainError::invalid(f, "承办单位不存在"))?
        .id)
}

pub async fn add_entry(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
    catalogue_id: i64,
    d: &EntryDraft,
) -> Result<i64> {
    staff_catalogue(tx, who, catalogue_id).await?;
    let agency = responsible(tx, &d.responsible).await?;
    let id: i64 = tx
        .fetch_one(
            Sql::new(
                "INSERT INTO decision_entries (catalogue_id, title, responsible_agency_id, basis, planned_on, \
                 status, note, updated_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8) RETURNING id",
            )
            .bind(catalogue_id)
            .bind(d.title.as_str())
            .bind(agency)
            .bind(d.basis.as_str())
            .bind(d.planned_on)
            .bind(d.status.as_str())
            .bind(d.note.clone())
            .bind(tx.now()),
        )
        .await?
        .get("id")?;
    audit::record(
        tx,
        actor,
        "decision_entry.create",
        ("decision_entry", &id.to_string()),
        None,
        Some(&json!(d)),
    )
    .await?;
    Ok(id)
}

/// Changes an entry (its status as it moves on, or 调出目录 with the reason).
pub async fn update_entry(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
    id: i64,
    d: &EntryDraft,
) -> Result<()> {
    let before = entry(tx, id).await?.ok_or(DomainError::NotFound {
        what: "决策事项"
    })?;
    staff_catalogue(tx, who, before.catalogue_id).await?;
    let agency = responsible(tx, &d.responsible).await?;
    tx.execute(
        Sql::new(
            "UPDATE decision_entries SET title = $1, responsible_agency_id = $2, basis = $3, planned_on = $4, \
             status = $5, note = $6, updated_at = $7 WHERE id = $8",
        )
        .bind(d.title.as_str())
        .bind(agency)
        .bind(d.basis.as_str())
        .bind(d.planned_on)
        .bind(d.status.as_str())
        .bind(d.note.clone())
        .bind(tx.now())
        .bind(id),
    )
    .await?;
    audit::record(
        tx,
        actor,
        "decision_entry.update",
        ("decision_entry", &id.to_string()),
        Some(&json!(before)),
        Some(&json!(d)),
    )
    .await
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
            Ok(Stage {
                id: r.get("id")?,
                kind: StageKind::parse(&r.get::<String>("kind")?)?,
                happened_on: r.get("happened_on")?,
                summary: r.get("summary")?,
                document: match (document_id, r.get::<Option<String>>("document_title")?) {
                    (Some(id), Some(t)) => Some((id, t)),
                    _ => None,
                },
                consultation: match (
                    consultation_id,
                    r.get::<Option<String>>("consultation_title")?,
                ) {
                    (Some(id), Some(t)) => Some((id, t, reported.is_some())),
                    _ => None,
                },
                representatives: r.get("representatives")?,
            })
        })
        .collect::<Result<_>>()?;
    out.sort_by_key(|s| (s.happened_on, s.kind.order(), s.id));
    Ok(out)
}

/// Records a stage. What it rests on must exist and be public: a published consultation (its
/// feedback report published, for the feedback stage), a public document.
pub async fn add_stage(
    tx: &mut Tx,
    actor: &Actor,
    who: &Principal,
    entry_id: i64,
    d: &StageDraft,
) -> Result<i64> {
    let e = entry(tx, entry_id).await?.ok_or(DomainError::NotFound {
        what: "决策事项"
    })?;
    staff_catalogue(tx, who, e.catalogue_id).await?;
    let consultation = match d.consultation {
        Some(cid) => {
            let c = crate::consultations::public_get(tx, cid)
                .await?
                .ok_or_else(|| {
                    DomainError::invalid(
                        Field::new("consultation", "意见征集"),
                        "所选意见征集不存在或未发布",
                    )
                })?;
            if d.kind == StageKind::Feedback && c.report_published_at.is_none() {
                return Err(DomainError::invalid(
                    Field::new("consultation", "意见征集"),
                    "该意见征集的采纳情况反馈尚未发布",
                ));
            }
            Some(c.id)
        }
        None => None,
    };
    let document = match &d.document {
        Some(n) => {
            let f = Field::new("document", "文件索引号");
            let id = crate::documents::id_by_index(tx, n)
                .await?
                .ok_or_else(|| DomainError::invalid(f, format!("没有索引号为“{n}”的文件")))?;
            let public = crate::documents::public_get(tx, id)
                .await?
                .is_some_and(|p| p.withdrawn_at.is_none());
            if !public {
                return Err(DomainError::invalid(
                    f,
                    format!("索引号为“{n}”的文件尚未公开"),
                ));
            }
            Some(id)
        }
        None if d.kind.link() == Link::Document => {
            return Err(DomainError::invalid(
                Field::new("document", "文件索引号"),
                "请填写文件索引号",
            ));
        }
        None => None,
    };
    let id: i64 = tx
        .fetch_one(
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
            .bind(tx.now()),
        )
        .await?
        .get("id")?;
    // A decision published moves the entry on.
    if d.kind == StageKind::Decision && e.status != EntryStatus::Withdrawn {
        tx.execute(
            Sql::new(
                "UPDATE decision_entries SET status = 'decided', updated_at = $1 WHERE id = $2",
            )
            .bind(tx.now())
            .bind(entry_id),
        )
        .await?;
    } else if e.status == EntryStatus::Planned {
        tx.execute(
            Sql::new(
                "UPDATE decision_entries SET status = 'in_progress', updated_at = $1 WHERE id = $2",
            )
            .bind(tx.now())
            .bind(entry_id),
        )
        .await?;
    }
    audit::record(
        tx,
        actor,
        "decision_stage.create",
        ("decision_stage", &id.to_string()),
        None,
        Some(&json!({"entry_id": entry_id, "stage": d, "document_id": document, "consultation_id": consultation})),
    )
    .await?;
    Ok(id)
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
