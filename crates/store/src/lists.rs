//! Typed list records: versions of each record, their filter values, and the queries of the
//! public lists. A published version is never updated in place — a change is a new draft
//! version that supersedes the old one when published. Every change is audited and announced
//! to the search indexer.

use chrono::{DateTime, NaiveDate, Utc};
use gongkai_domain::DomainError;
use gongkai_domain::lists::{self, Derived, ListKind, RecordStatus, Values};
use gongkai_domain::user::Principal;
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, Actor};
use crate::db::{Exec, Result, Row, Sql, Tx};

const NOT_FOUND: DomainError = DomainError::NotFound {
    what: "清单记录"
};

#[derive(Clone, Debug, Serialize)]
pub struct Record {
    pub id: i64,
    pub kind: ListKind,
    pub agency_id: i64,
    pub agency_code: String,
    pub agency_name: String,
    pub key: String,
    pub version: i64,
    pub status: RecordStatus,
    pub title: String,
    /// Every value, unmasked: for staff. The public sees [`lists::public::fields`] of these.
    #[serde(skip)]
    pub values: Values,
    pub ceased: bool,
    pub record_on: Option<NaiveDate>,
    pub due_on: Option<NaiveDate>,
    pub public_until: Option<NaiveDate>,
    pub change_note: Option<String>,
    pub effective_from: Option<NaiveDate>,
    pub effective_to: Option<NaiveDate>,
    pub published_at: Option<DateTime<Utc>>,
    pub created_at: DateTime<Utc>,
}

impl Record {
    pub fn spec(&self) -> &'static lists::KindSpec {
        self.kind.spec()
    }

    /// The masked public fields.
    pub fn public_fields(&self) -> Vec<lists::public::Shown> {
        lists::public::fields(self.kind.spec(), &self.values)
    }

    pub fn value(&self, key: &str) -> &str {
        self.values.get(key).map(String::as_str).unwrap_or("")
    }

    /// Published after its due date (or not yet published and past it on `today`).
    pub fn late(&self, today: NaiveDate) -> bool {
        let Some(due) = self.due_on else { return false };
        match self.published_at {
            Some(at) => at.date_naive() > due,
            None => today > due,
        }
    }
}

const SELECT: &str = "SELECT r.id, r.kind, r.agency_id, a.code AS agency_code, a.name AS agency_name, \
    r.record_key, r.version, r.status, r.title, r.fields, r.ceased, r.record_on, r.due_on, \
    r.public_until, r.change_note, r.effective_from, r.effective_to, r.published_at, r.created_at \
    FROM list_records r JOIN agencies a ON a.id = r.agency_id";

/// What the public may see now: a published, current version whose item has not ceased and
/// whose publication period (penalties) has not ended. `$1` is today.
fn public_now() -> String {
    format!(
        "r.status = '{}' AND r.ceased = FALSE AND (r.public_until IS NULL OR r.public_until >= $1)",
        RecordStatus::Published.as_str()
    )
}

fn record(r: &Row) -> Result<Record> {
    let fields: String = r.get("fields")?;
    Ok(from_row!(r => Record {
        id,
        kind: code,
        agency_id,
        agency_code,
        agency_name,
        key: get "record_key",
        version,
        status: code,
        title,
        values = serde_json::from_str(&fields)
        .map_err(|e| DomainError::internal_from("stored list fields", e))?,
        ceased,
        record_on,
        due_on,
        public_until,
        change_note,
        effective_from,
        effective_to,
        published_at,
        created_at,
    }))
}

pub async fn get(e: &mut impl Exec, id: i64) -> Result<Option<Record>> {
    let row = e
        .fetch_optional(sql_once!("{SELECT} WHERE r.id = $1").bind(id))
        .await?;
    row.as_ref().map(record).transpose()
}

/// A record `who` may manage.
pub async fn staff_get(e: &mut impl Exec, who: &Principal, id: i64) -> Result<Record> {
    get(e, id)
        .await?
        .filter(|r| who.may_act_for(r.agency_id))
        .ok_or(NOT_FOUND)
}

/// A version the public may open: the current one, or an earlier published one (history),
/// while the record is public at all.
pub async fn public_get(e: &mut impl Exec, id: i64, today: NaiveDate) -> Result<Option<Record>> {
    let Some(r) = get(e, id).await? else {
        return Ok(None);
    };
    match r.status {
        RecordStatus::Published | RecordStatus::Superseded
            if r.public_until.is_none_or(|u| u >= today) =>
        {
            // An old version is shown only while its record is still public in some version.
            if r.status == RecordStatus::Superseded
                && !published(e, r.kind, r.agency_id, &r.key, today).await?
            {
                return Ok(None);
            }
            Ok(Some(r))
        }
        _ => Ok(None),
    }
}

/// Whether the record with this key has a published version the public may see on `today`.
pub async fn published(
    e: &mut impl Exec,
    kind: ListKind,
    agency_id: i64,
    key: &str,
    today: NaiveDate,
) -> Result<bool> {
    let row = e
        .fetch_optional(
            Sql::new(
                "SELECT r.id FROM list_records r WHERE r.kind = $2 AND r.agency_id = $3 \
                 AND r.record_key = $4 AND r.status = $5 \
                 AND (r.public_until IS NULL OR r.public_until >= $1)",
            )
            .bind(today)
            .bind(kind.as_str())
            .bind(agency_id)
            .bind(key)
            .bind(RecordStatus::Published.as_str()),
        )
        .await?;
    Ok(row.is_some())
}

/// Every version of a record, newest first: its change history.
pub async fn versions(
    e: &mut impl Exec,
    kind: ListKind,
    agency_id: i64,
    key: &str,
) -> Result<Vec<Record>> {
    let rows = e
        .fetch_all(
            sql_once!(
                "{SELECT} WHERE r.kind = $1 AND r.agency_id = $2 AND r.record_key = $3 ORDER BY r.version DESC"
            )
            .bind(kind.as_str())
            .bind(agency_id)
            .bind(key),
        )
        .await?;
    rows.iter().map(record).collect()
}

/// A public list query.
#[derive(Clone, Debug, Default)]
pub struct Filter {
    pub agency_id: Option<i64>,
    /// (field key, value): all must hold.
    pub facets: Vec<(String, String)>,
    /// Words that must all appear in the public text.
    pub keyword: Option<String>,
}

/// Appends the filter's conditions (from placeholder `$next` on) to `sql`, binding values.
fn filtered(mut text: String, kind: ListKind, f: &Filter, today: NaiveDate) -> Sql {
    text.push_str(&format!(" WHERE {} AND r.kind = $2", public_now()));
    let mut args: Vec<crate::db::Value> = vec![today.into(), kind.as_str().into()];
    if let Some(a) = f.agency_id {
        args.push(a.into());
        text.push_str(&format!(" AND r.agency_id = ${}", args.len()));
    }
    for (field, value) in &f.facets {
        args.push(field.as_str().into());
        args.push(value.as_str().into());
        text.push_str(&format!(
            " AND EXISTS (SELECT 1 FROM list_facets f WHERE f.record_id = r.id AND f.field = ${} AND f.value = ${})",
            args.len() - 1,
            args.len()
        ));
    }
    if let Some(k) = &f.keyword {
        for word in k.split_whitespace().take(5) {
            let escaped = word
                .replace('\\', "\\\\")
                .replace('%', "\\%")
                .replace('_', "\\_");
            args.push(format!("%{escaped}%").into());
            text.push_str(&format!(
                " AND r.public_text LIKE ${} ESCAPE '\\'",
                args.len()
            ));
        }
    }
    let mut sql = Sql::dynamic(text);
    for a in args {
        sql = sql.bind(a);
    }
    sql
}

/// One page of a public list, newest first, and how many match in all.
pub async fn public_list(
    e: &mut impl Exec,
    kind: ListKind,
    f: &Filter,
    today: NaiveDate,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Record>, i64)> {
    let total: i64 = e
        .fetch_one(filtered(
            "SELECT COUNT(*) AS n FROM list_records r".into(),
            kind,
            f,
            today,
        ))
        .await?
        .get("n")?;
    let mut text = String::from(SELECT);
    let sql = filtered(std::mem::take(&mut text), kind, f, today);
    let sql = append(
        sql,
        " ORDER BY r.record_on DESC NULLS LAST, r.id DESC LIMIT ",
        limit,
        offset,
    );
    let rows = e.fetch_all(sql).await?;
    Ok((rows.iter().map(record).collect::<Result<_>>()?, total))
}

fn append(sql: Sql, order: &str, limit: i64, offset: i64) -> Sql {
    sql.append(&format!("{order}{} OFFSET {}", limit.max(0), offset.max(0)))
}

/// How many current public records have each filter value.
pub async fn facet_counts(
    e: &mut impl Exec,
    kind: ListKind,
    today: NaiveDate,
) -> Result<Vec<(String, String, i64)>> {
    let rows = e
        .fetch_all(
            sql_once!(
                "SELECT f.field, f.value, COUNT(*) AS n FROM list_facets f \
                 JOIN list_records r ON r.id = f.record_id WHERE {public_now} AND r.kind = $2 \
                 GROUP BY f.field, f.value ORDER BY f.field, f.value DESC",
                public_now = public_now()
            )
            .bind(today)
            .bind(kind.as_str()),
        )
        .await?;
    rows.iter()
        .map(|r| Ok((r.get("field")?, r.get("value")?, r.get("n")?)))
        .collect()
}

/// Published versions with an adjustment (取消, 下放 …), newest first: a list's change record.
pub async fn adjustments(e: &mut impl Exec, kind: ListKind, limit: i64) -> Result<Vec<Record>> {
    let rows = e
        .fetch_all(
            sql_once!(
                "{SELECT} WHERE r.kind = $1 AND r.status IN ('{}', '{}') \
                 AND EXISTS (SELECT 1 FROM list_facets f WHERE f.record_id = r.id AND f.field = 'adjustment') \
                 ORDER BY r.record_on DESC NULLS LAST, r.id DESC LIMIT $2",
                RecordStatus::Published.as_str(),
                RecordStatus::Superseded.as_str(),
            )
            .bind(kind.as_str())
            .bind(limit),
        )
        .await?;
    rows.iter().map(record).collect()
}

/// Current public ids after `after` (search rebuilds).
pub async fn public_ids_after(
    e: &mut impl Exec,
    after: i64,
    batch: i64,
    today: NaiveDate,
) -> Result<Vec<i64>> {
    let rows = e
        .fetch_all(
            sql_once!(
                "SELECT r.id FROM list_records r WHERE {public_now} AND r.id > $2 ORDER BY r.id LIMIT $3",
                public_now = public_now()
            )
            .bind(today)
            .bind(after)
            .bind(batch),
        )
        .await?;
    rows.iter().map(|r| r.get("id")).collect()
}

/// Records `who` may manage, of one kind, newest first, optionally by status.
pub async fn staff_list(
    e: &mut impl Exec,
    who: &Principal,
    kind: ListKind,
    status: Option<RecordStatus>,
    offset: i64,
    limit: i64,
) -> Result<(Vec<Record>, i64)> {
    let mut cond = String::from(" WHERE r.kind = $1 AND ($2 OR r.agency_id = $3)");
    if status.is_some() {
        cond.push_str(" AND r.status = $4");
    } else {
        cond.push_str(&format!(
            " AND r.status IN ('{}', '{}')",
            RecordStatus::Draft.as_str(),
            RecordStatus::Published.as_str()
        ));
    }
    let bind = |sql: Sql| {
        let sql = sql
            .bind(kind.as_str())
            .bind(who.role.sees_all_agencies())
            .bind(who.agency_id);
        match status {
            Some(s) => sql.bind(s.as_str()),
            None => sql,
        }
    };
    let total: i64 = e
        .fetch_one(bind(Sql::dynamic(format!(
            "SELECT COUNT(*) AS n FROM list_records r{cond}"
        ))))
        .await?
        .get("n")?;
    let sql = bind(Sql::dynamic(format!("{SELECT}{cond}")));
    let rows = e
        .fetch_all(append(
            sql,
            " ORDER BY r.created_at DESC, r.id DESC LIMIT ",
            limit,
            offset,
        ))
        .await?;
    Ok((rows.iter().map(record).collect::<Result<_>>()?, total))
}

/// The draft and published versions of a record with this key, oldest first.
pub async fn live_versions(
    e: &mut impl Exec,
    kind: ListKind,
    agency_id: i64,
    key: &str,
) -> Result<Vec<Record>> {
    let mut live: Vec<Record> = versions(e, kind, agency_id, key)
        .await?
        .into_iter()
        .filter(|r| matches!(r.status, RecordStatus::Draft | RecordStatus::Published))
        .collect();
    live.reverse();
    Ok(live)
}

/// The number the next version of this key gets.
pub async fn next_version(
    e: &mut impl Exec,
    kind: ListKind,
    agency_id: i64,
    key: &str,
) -> Result<i64> {
    let n: Option<i64> = e
        .fetch_one(
            Sql::new(
                "SELECT MAX(version) AS v FROM list_records WHERE kind = $1 AND agency_id = $2 AND record_key = $3",
            )
            .bind(kind.as_str())
            .bind(agency_id)
            .bind(key),
        )
        .await?
        .get("v")?;
    Ok(n.unwrap_or(0) + 1)
}

/// What [`create`] did with a record whose key is already there.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Created {
    New(i64),
    /// The same values were already there (a re-run import): nothing changed.
    Unchanged(i64),
}

/// A version to add: its values with what the domain derived from them.
pub struct NewVersion<'a> {
    pub kind: ListKind,
    pub agency_id: i64,
    pub version: i64,
    pub values: &'a Values,
    pub derived: &'a Derived,
    pub due_on: Option<NaiveDate>,
    /// What changed, for a version after the first.
    pub note: Option<&'a str>,
    /// Published at once (an import of decisions already made) rather than a draft.
    pub publish: bool,
    pub created_by: i64,
}

/// Inserts a version with its facets, audited (and announced when published).
pub async fn insert(tx: &mut Tx, actor: &Actor, v: NewVersion<'_>) -> Result<i64> {
    let NewVersion {
        kind,
        agency_id,
        version,
        values,
        derived: d,
        due_on: due,
        note,
        publish,
        created_by,
    } = v;

    let fields =
        serde_json::to_string(values).map_err(|e| DomainError::internal_from("list fields", e))?;
    let now = tx.now();
    let status = if publish {
        RecordStatus::Published
    } else {
        RecordStatus::Draft
    };
    let id: i64 = tx
        .fetch_one(
            Sql::new(
                "INSERT INTO list_records (kind, agency_id, record_key, version, status, title, fields, \
                 public_text, ceased, record_on, due_on, public_until, change_note, created_by, created_at, \
                 published_at, effective_from) \
                 VALUES ($1, $2, $3, $4, $15, $5, $6, $7, $8, $9, $10, $11, $12, $13, $14, $16, $17) RETURNING id",
            )
            .bind(kind.as_str())
            .bind(agency_id)
            .bind(&d.key)
            .bind(version)
            .bind(&d.title)
            .bind(fields)
            .bind(&d.public_text)
            .bind(d.ceased)
            .bind(d.date)
            .bind(due)
            .bind(d.public_until)
            .bind(note)
            .bind(created_by)
            .bind(now)
            .bind(status.as_str())
            .bind(publish.then_some(now))
            .bind(publish.then(|| now.date_naive())),
        )
        .await?
        .get("id")?;
    add_facets(tx, id, &d.facets).await?;
    audit::record(
        tx,
        actor,
        "list_record.create",
        ("list_record", &id.to_string()),
        None,
        Some(
            &json!({"kind": kind.as_str(), "agency_id": agency_id, "key": d.key, "version": version,
                     "status": status.as_str(), "fields": values}),
        ),
    )
    .await?;
    if publish {
        audit::announce(tx, "list_record.changed", ("list_record", &id.to_string())).await?;
    }
    Ok(id)
}

async fn add_facets(tx: &mut Tx, id: i64, facets: &[(&'static str, String)]) -> Result<()> {
    for (field, value) in facets {
        tx.execute(
            Sql::new("INSERT INTO list_facets (record_id, field, value) VALUES ($1, $2, $3)")
                .bind(id)
                .bind(*field)
                .bind(value.as_str()),
        )
        .await?;
    }
    Ok(())
}

/// Replaces a draft's values (the domain has checked that it is a draft with the same key).
pub async fn set_values(
    tx: &mut Tx,
    actor: &Actor,
    r: &Record,
    values: &Values,
    d: &Derived,
    due: Option<NaiveDate>,
) -> Result<()> {
    let id = r.id;
    let fields =
        serde_json::to_string(&values).map_err(|e| DomainError::internal_from("list fields", e))?;
    tx.execute(
        Sql::new(
            "UPDATE list_records SET title = $1, fields = $2, public_text = $3, ceased = $4, \
             record_on = $5, due_on = $6, public_until = $7 WHERE id = $8",
        )
        .bind(&d.title)
        .bind(fields)
        .bind(&d.public_text)
        .bind(d.ceased)
        .bind(d.date)
        .bind(due)
        .bind(d.public_until)
        .bind(id),
    )
    .await?;
    tx.execute(Sql::new("DELETE FROM list_facets WHERE record_id = $1").bind(id))
        .await?;
    add_facets(tx, id, &d.facets).await?;
    audit::record(
        tx,
        actor,
        "list_record.update",
        ("list_record", &id.to_string()),
        Some(&json!({"fields": r.values})),
        Some(&json!({"fields": values})),
    )
    .await
}

/// Publishes a draft; the version it replaces becomes history, effective until today.
pub async fn publish(tx: &mut Tx, actor: &Actor, r: &Record) -> Result<()> {
    let id = r.id;
    let now = tx.now();
    let today = now.date_naive();
    for old in live_versions(tx, r.kind, r.agency_id, &r.key).await? {
        if old.status == RecordStatus::Published {
            tx.execute(
                Sql::new("UPDATE list_records SET status = $3, effective_to = $1 WHERE id = $2")
                    .bind(today)
                    .bind(old.id)
                    .bind(RecordStatus::Superseded.as_str()),
            )
            .await?;
            status_changed(
                tx,
                actor,
                old.id,
                "supersede",
                RecordStatus::Published,
                json!({"status": RecordStatus::Superseded, "by": id}),
            )
            .await?;
        }
    }
    tx.execute(
        Sql::new(
            "UPDATE list_records SET status = $4, published_at = $1, effective_from = $2 WHERE id = $3",
        )
        .bind(now)
        .bind(today)
        .bind(id)
        .bind(RecordStatus::Published.as_str()),
    )
    .await?;
    status_changed(
        tx,
        actor,
        id,
        "publish",
        RecordStatus::Draft,
        json!({"status": RecordStatus::Published}),
    )
    .await
}

/// Audits a version's change of status and tells the indexer to re-read it.
async fn status_changed(
    tx: &mut Tx,
    actor: &Actor,
    id: i64,
    action: &str,
    from: RecordStatus,
    to: serde_json::Value,
) -> Result<()> {
    let entity = ("list_record", id.to_string());
    audit::record(
        tx,
        actor,
        &format!("list_record.{action}"),
        (entity.0, &entity.1),
        Some(&json!({"status": from.as_str()})),
        Some(&to),
    )
    .await?;
    audit::announce(tx, "list_record.changed", (entity.0, &entity.1)).await
}

/// Takes a published record out of public view (a decision revoked, a record made in error),
/// with the reason; or discards a draft.
pub async fn withdraw(tx: &mut Tx, actor: &Actor, r: &Record, reason: &str) -> Result<()> {
    let id = r.id;
    tx.execute(
        Sql::new("UPDATE list_records SET status = $4, change_note = $1, effective_to = $2 WHERE id = $3")
            .bind(reason)
            .bind(tx.now().date_naive())
            .bind(id)
            .bind(RecordStatus::Withdrawn.as_str()),
    )
    .await?;
    status_changed(
        tx,
        actor,
        id,
        "withdraw",
        r.status,
        json!({"status": RecordStatus::Withdrawn, "reason": reason}),
    )
    .await
}

/// Ends the public life of records whose publication period is over on `today`: each becomes
/// 公示期满, audited and announced so the search index drops it. Returns their ids.
pub async fn expire(tx: &mut Tx, actor: &Actor, today: NaiveDate) -> Result<Vec<i64>> {
    let rows = tx
        .fetch_all(
            Sql::new("SELECT id FROM list_records WHERE status = $2 AND public_until < $1")
                .bind(today)
                .bind(RecordStatus::Published.as_str()),
        )
        .await?;
    let ids: Vec<i64> = rows.iter().map(|r| r.get("id")).collect::<Result<_>>()?;
    for id in &ids {
        tx.execute(
            Sql::new(
                "UPDATE list_records SET status = $2, effective_to = public_until WHERE id = $1",
            )
            .bind(*id)
            .bind(RecordStatus::Expired.as_str()),
        )
        .await?;
        status_changed(
            tx,
            actor,
            *id,
            "expire",
            RecordStatus::Published,
            json!({"status": RecordStatus::Expired}),
        )
        .await?;
    }
    Ok(ids)
}

/// Per agency and kind: drafts past their due date, and versions published late in the
/// twelve months to `today`.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Lateness {
    pub agency_id: i64,
    pub kind: ListKind,
    pub overdue: i64,
    pub published_late: i64,
}

pub async fn lateness(e: &mut impl Exec, today: NaiveDate) -> Result<Vec<Lateness>> {
    let since = today - chrono::Days::new(365);
    let rows = e
        .fetch_all(
            Sql::new(
                "SELECT agency_id, kind, \
                 SUM(CASE WHEN status = $3 AND due_on < $1 THEN 1 ELSE 0 END) AS overdue, \
                 SUM(CASE WHEN status IN ($4, $5, $6) AND published_at >= $2 \
                     AND effective_from > due_on THEN 1 ELSE 0 END) AS late \
                 FROM list_records WHERE due_on IS NOT NULL GROUP BY agency_id, kind ORDER BY agency_id, kind",
            )
            .bind(today)
            .bind(since.and_time(chrono::NaiveTime::MIN).and_utc())
            .bind(RecordStatus::Draft.as_str())
            .bind(RecordStatus::Published.as_str())
            .bind(RecordStatus::Superseded.as_str())
            .bind(RecordStatus::Expired.as_str()),
        )
        .await?;
    let mut out = Vec::new();
    for r in &rows {
        let kind: String = r.get("kind")?;
        let overdue: i64 = r.get("overdue")?;
        let late: i64 = r.get("late")?;
        if overdue == 0 && late == 0 {
            continue;
        }
        out.push(Lateness {
            agency_id: r.get("agency_id")?,
            kind: ListKind::parse(&kind)
                .map_err(|e| DomainError::internal_from("stored list kind", e))?,
            overdue,
            published_late: late,
        });
    }
    Ok(out)
}

/// Current published records of `kind` (all agencies or one), for checks across a list.
pub async fn current(
    e: &mut impl Exec,
    kind: ListKind,
    agency_id: Option<i64>,
) -> Result<Vec<Record>> {
    let rows = e
        .fetch_all(
            sql_once!(
                "{SELECT} WHERE r.kind = $1 AND r.status = '{}' AND r.ceased = FALSE \
                 AND ($2 OR r.agency_id = $3) ORDER BY r.agency_id, r.record_key",
                RecordStatus::Published.as_str()
            )
            .bind(kind.as_str())
            .bind(agency_id.is_none())
            .bind(agency_id.unwrap_or(0)),
        )
        .await?;
    rows.iter().map(record).collect()
}

/// Something about a list the office should act on.
#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Alert {
    pub agency_id: i64,
    pub agency_name: String,
    pub kind: ListKind,
    /// The record (or, for an unlisted withholding ground, the document) it is about.
    pub href: String,
    pub title: String,
    pub message: String,
    /// Past its date, rather than coming up.
    pub overdue: bool,
}

/// Staleness and gaps across every list on `today`: drafts past their update limit,
/// negative-list items due for review, datasets past their update frequency, budget
/// disclosures lacking sections or made late, and withheld documents whose ground is on no
/// item of their agency's negative list.
pub async fn alerts(e: &mut impl Exec, today: NaiveDate) -> Result<Vec<Alert>> {
    use gongkai_domain::lists::extras::budget_problems;
    use gongkai_domain::lists::field::date_of;
    use gongkai_domain::lists::timing::{Review, dataset_next_update, review_state};
    let mut out = Vec::new();
    let alert = |r: &Record, message: String, overdue: bool| Alert {
        agency_id: r.agency_id,
        agency_name: r.agency_name.clone(),
        kind: r.kind,
        href: format!("/office/lists/records/{}", r.id),
        title: r.title.clone(),
        message,
        overdue,
    };
    let rows = e
        .fetch_all(
            sql_once!(
                "{SELECT} WHERE r.status = '{}' AND r.due_on < $1 ORDER BY r.due_on, r.id",
                RecordStatus::Draft.as_str()
            )
            .bind(today),
        )
        .await?;
    for r in rows.iter().map(record) {
        let r = r?;
        let due = r.due_on.map(|d| d.to_string()).unwrap_or_default();
        out.push(alert(&r, format!("应于 {due} 前公开,仍是草稿"), true));
    }
    let negative = current(e, ListKind::Negative, None).await?;
    for r in &negative {
        if let Some(on) = date_of(r.value("review_on")) {
            match review_state(on, today) {
                Review::Overdue => out.push(alert(r, format!("复核日期 {on} 已过,请复核"), true)),
                Review::Soon => out.push(alert(r, format!("将于 {on} 复核"), false)),
                Review::NotYet => {}
            }
        }
    }
    for r in current(e, ListKind::Dataset, None).await? {
        let freq = r.value("frequency").to_string();
        if let Some(next) =
            date_of(r.value("updated_on")).and_then(|u| dataset_next_update(&freq, u))
            && next < today
        {
            out.push(alert(
                &r,
                format!(
                    "更新频率为{freq},最近更新 {},已超过更新周期",
                    r.value("updated_on")
                ),
                true,
            ));
        }
    }
    let budgets = current(e, ListKind::Budget, None).await?;
    for r in &budgets {
        for p in budget_problems(&r.values, r.effective_from, r.due_on) {
            out.push(alert(r, p, true));
        }
    }
    // A department that has not disclosed its budget (or final accounts) when due.
    let expected = gongkai_domain::lists::extras::expected_budgets(today);
    if !expected.is_empty() {
        for a in crate::agencies::list(e).await? {
            if a.kind != gongkai_domain::agency::AgencyKind::Department {
                continue;
            }
            for (year, what) in &expected {
                let done = budgets.iter().any(|b| {
                    b.agency_id == a.id
                        && b.value("year") == year.to_string()
                        && b.value("kind") == *what
                });
                if !done {
                    out.push(Alert {
                        agency_id: a.id,
                        agency_name: a.name.clone(),
                        kind: ListKind::Budget,
                        href: "/office/lists/yjs".into(),
                        title: format!("{year} 年{what}"),
                        message: format!("尚未公开 {year} 年{what}"),
                        overdue: true,
                    });
                }
            }
        }
    }
    // A withheld document must rest on a ground its agency lists.
    let docs = e
        .fetch_all(Sql::new(
            "SELECT d.id, d.agency_id, a.name AS agency_name, v.title, v.withhold_ground FROM documents d \
             JOIN document_versions v ON v.id = d.working_version_id JOIN agencies a ON a.id = d.agency_id \
             WHERE v.withhold_ground IS NOT NULL ORDER BY d.id",
        ))
        .await?;
    for d in &docs {
        let agency_id: i64 = d.get("agency_id")?;
        let ground: String = d.get("withhold_ground")?;
        let listed = negative.iter().any(|n| {
            n.agency_id == agency_id
                && gongkai_domain::lists::kinds::ground_of(n.value("ground")).map(|g| g.as_str())
                    == Some(ground.as_str())
        });
        if !listed {
            let label = gongkai_domain::document::WithholdGround::parse(&ground)
                .map(|g| g.label())
                .unwrap_or("未知理由");
            let id: i64 = d.get("id")?;
            out.push(Alert {
                agency_id,
                agency_name: d.get("agency_name")?,
                kind: ListKind::Negative,
                href: format!("/office/documents/{id}"),
                title: d.get("title")?,
                message: format!("以“{label}”不予公开,但本机关负面清单中没有以此为理由的事项"),
                overdue: true,
            });
        }
    }
    Ok(out)
}
