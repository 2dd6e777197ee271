//! What some list kinds keep beside their versions: an open dataset's resources (files in the
//! blob store, or API endpoints) with download counts, an open event's registrations, and
//! the amounts collected under each fee item per year. Each belongs to a record by its agency
//! and key, so it stays with the record across versions.

use chrono::{DateTime, Utc};
use gongkai_domain::DomainError;
use gongkai_domain::lists::ListKind;
use gongkai_domain::lists::extras::{self, CollectionDraft, DataFormat, Registration};
use gongkai_domain::user::Principal;
use serde::Serialize;
use serde_json::json;

use crate::audit::{self, Actor};
use crate::db::{Exec, Result, Row, Sql, Tx};
use crate::lists::{self, Record};

#[derive(Clone, Debug, Serialize)]
pub struct Resource {
    pub id: i64,
    pub title: String,
    pub format: DataFormat,
    pub file_name: Option<String>,
    pub size: Option<i64>,
    pub url: Option<String>,
    pub row_count: Option<i64>,
    pub downloads: i64,
    pub created_at: DateTime<Utc>,
    #[serde(skip)]
    pub sha256: Option<String>,
    #[serde(skip)]
    pub agency_id: i64,
    #[serde(skip)]
    pub record_key: String,
}

fn resource(r: &Row) -> Result<Resource> {
    Ok(from_row!(r => Resource {
        id,
        title,
        format: code,
        file_name,
        size,
        url,
        row_count,
        downloads,
        created_at,
        sha256,
        agency_id,
        record_key,
    }))
}

const RESOURCE: &str = "SELECT id, agency_id, record_key, title, format, file_name, size, url, row_count, \
    downloads, created_at, sha256 FROM dataset_resources";

pub async fn resources(e: &mut impl Exec, agency_id: i64, key: &str) -> Result<Vec<Resource>> {
    let rows = e
        .fetch_all(
            sql_once!("{RESOURCE} WHERE agency_id = $1 AND record_key = $2 ORDER BY id")
                .bind(agency_id)
                .bind(key),
        )
        .await?;
    rows.iter().map(resource).collect()
}

pub async fn resource_by_id(e: &mut impl Exec, id: i64) -> Result<Option<Resource>> {
    let row = e
        .fetch_optional(sql_once!("{RESOURCE} WHERE id = $1").bind(id))
        .await?;
    row.as_ref().map(resource).transpose()
}

/// The stored bytes of a file resource.
pub async fn resource_bytes(e: &mut impl Exec, r: &Resource) -> Result<Vec<u8>> {
    let Some(sha) = &r.sha256 else {
        return Err(DomainError::NotFound {
            what: "数据文件"
        });
    };
    crate::attachments::blob_content(e, sha).await
}

pub async fn count_download(e: &mut impl Exec, id: i64) -> Result<()> {
    e.execute(
        Sql::new("UPDATE dataset_resources SET downloads = downloads + 1 WHERE id = $1").bind(id),
    )
    .await
    .map(drop)
}

/// A new resource: a file already checked by [`extras::check_resource`] (with its row count
/// if tabular), or an API endpoint.
pub enum NewResource<'a> {
    File {
        format: DataFormat,
        file_name: &'a str,
        bytes: &'a [u8],
        rows: Option<i64>,
    },
    Endpoint(&'a str),
}

/// Adds a resource to dataset `r`; its title was checked by [`extras::extra_title`].
pub async fn add_resource(
    tx: &mut Tx,
    actor: &Actor,
    r: &Record,
    title: &str,
    new: NewResource<'_>,
) -> Result<i64> {
    let record_id = r.id;
    let (format, file_name, sha, size, url, rows) = match new {
        NewResource::File {
            format,
            file_name,
            bytes,
            rows,
        } => {
            let sha = crate::attachments::put_blob(tx, bytes).await?;
            (
                format,
                Some(file_name.to_string()),
                Some(sha),
                Some(bytes.len() as i64),
                None,
                rows,
            )
        }
        NewResource::Endpoint(url) => (
            DataFormat::Api,
            None,
            None,
            None,
            Some(extras::check_endpoint(url)?),
            None,
        ),
    };
    let id: i64 = tx
        .fetch_one(
            Sql::new(
                "INSERT INTO dataset_resources (agency_id, record_key, title, format, file_name, sha256, size, url, \
                 row_count, downloads, created_at) VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9, 0, $10) RETURNING id",
            )
            .bind(r.agency_id)
            .bind(&r.key)
            .bind(title)
            .bind(format.as_str())
            .bind(file_name.clone())
            .bind(sha.clone())
            .bind(size)
            .bind(url.clone())
            .bind(rows)
            .bind(tx.now()),
        )
        .await?
        .get("id")?;
    audit::record(
        tx,
        actor,
        "dataset_resource.create",
        ("dataset_resource", &id.to_string()),
        None,
        Some(&json!({"record": record_id, "title": title, "format": format.as_str(), "file_name": file_name, "sha256": sha, "url": url})),
    )
    .await?;
    audit::announce(
        tx,
        "list_record.changed",
        ("list_record", &record_id.to_string()),
    )
    .await?;
    Ok(id)
}

// ---- open events ----

/// Places taken at an event (registrations not cancelled).
pub async fn registrations_count(e: &mut impl Exec, agency_id: i64, key: &str) -> Result<i64> {
    e.fetch_one(
        Sql::new(
            "SELECT COUNT(*) AS n FROM event_registrations WHERE agency_id = $1 AND record_key = $2 AND cancelled_at IS NULL",
        )
        .bind(agency_id)
        .bind(key),
    )
    .await?
    .get("n")
}

#[derive(Clone, Debug, Serialize)]
pub struct Registered {
    pub id: i64,
    pub code: String,
    pub name: String,
    pub phone: String,
    pub answers: Vec<(String, String)>,
    pub created_at: DateTime<Utc>,
}

/// What a person registering gives: name, phone, and the answer to each of the event's
/// questions (looked up by field key).
pub struct Signup<'a, F: Fn(&str) -> String> {
    pub name: &'a str,
    pub phone: &'a str,
    pub answer: F,
}

/// Registers for the current public event `record_id`; returns the confirmation code. The
/// count and the insert are in one transaction, and on PostgreSQL the event's rows are locked
/// first, so two people cannot take the last place together.
pub async fn register(
    tx: &mut Tx,
    actor: &Actor,
    client: &str,
    record_id: i64,
    signup: Signup<'_, impl Fn(&str) -> String>,
) -> Result<String> {
    let Signup {
        name,
        phone,
        answer,
    } = signup;
    let now = tx.now();
    let attempt =
        crate::throttle::reserve(tx, "event-register", client, now, crate::throttle::SUBMIT)
            .await?;
    let today = now.date_naive();
    let event = lists::public_get(tx, record_id, today)
        .await?
        .filter(|r| {
            r.kind == ListKind::Event && r.status == gongkai_domain::lists::RecordStatus::Published
        })
        .ok_or(DomainError::NotFound { what: "活动" })?;
    if tx.backend() == crate::db::Backend::Postgres {
        tx.execute(
            Sql::new("SELECT id FROM list_records WHERE id = $1 FOR UPDATE").bind(record_id),
        )
        .await?;
    }
    let taken = registrations_count(tx, event.agency_id, &event.key).await?;
    let Registration {
        name,
        phone,
        answers,
    } = extras::register(&event.values, taken, today, name, phone, answer)?;
    let code = format!(
        "HD{}",
        crate::secret::random_token(6)?
            .to_uppercase()
            .replace(['-', '_'], "X")
    );
    let answers_json =
        serde_json::to_string(&answers).map_err(|e| DomainError::internal_from("answers", e))?;
    let id: i64 = tx
        .fetch_one(
            Sql::new(
                "INSERT INTO event_registrations (agency_id, record_key, code, name, phone, answers, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7) RETURNING id",
            )
            .bind(event.agency_id)
            .bind(&event.key)
            .bind(code.as_str())
            .bind(name)
            .bind(phone)
            .bind(answers_json)
            .bind(tx.now()),
        )
        .await?
        .get("id")?;
    audit::record(
        tx,
        actor,
        "event_registration.create",
        ("event_registration", &id.to_string()),
        None,
        Some(&json!({"record": record_id, "code": code})),
    )
    .await?;
    crate::throttle::succeeded(tx, attempt).await?;
    Ok(code)
}

/// The registrations of an event, for its agency's staff.
pub async fn registrations(
    e: &mut impl Exec,
    who: &Principal,
    record: &Record,
) -> Result<Vec<Registered>> {
    who.require_agency(record.agency_id)?;
    let rows = e
        .fetch_all(
            Sql::new(
                "SELECT id, code, name, phone, answers, created_at FROM event_registrations \
                 WHERE agency_id = $1 AND record_key = $2 AND cancelled_at IS NULL ORDER BY id",
            )
            .bind(record.agency_id)
            .bind(&record.key),
        )
        .await?;
    rows.iter()
        .map(|r| {
            let answers: String = r.get("answers")?;
            Ok(from_row!(r => Registered {
                id,
                code,
                name,
                phone,
                answers = serde_json::from_str(&answers).unwrap_or_default(),
                created_at,
            }))
        })
        .collect()
}

// ---- fee collections ----

#[derive(Clone, Debug, Serialize, PartialEq, Eq)]
pub struct Collection {
    pub year: i32,
    pub amount_cents: i64,
    pub source: String,
}

/// Records (or corrects) what was collected under fee item `r` in a year.
pub async fn set_collection(
    tx: &mut Tx,
    actor: &Actor,
    r: &Record,
    c: &CollectionDraft,
) -> Result<()> {
    let (year, amount_cents, source) = (c.year, c.amount_cents, c.source.as_str());
    let before = tx
        .fetch_optional(
            Sql::new("SELECT amount_cents FROM fee_collections WHERE agency_id = $1 AND record_key = $2 AND year = $3")
                .bind(r.agency_id)
                .bind(&r.key)
                .bind(i64::from(year)),
        )
        .await?
        .map(|row| row.get::<i64>("amount_cents"))
        .transpose()?;
    let now = tx.now();
    tx.execute(
        Sql::new(
            "INSERT INTO fee_collections (agency_id, record_key, year, amount_cents, source, recorded_at) \
             VALUES ($1, $2, $3, $4, $5, $6) ON CONFLICT (agency_id, record_key, year) \
             DO UPDATE SET amount_cents = $4, source = $5, recorded_at = $6",
        )
        .bind(r.agency_id)
        .bind(&r.key)
        .bind(i64::from(year))
        .bind(amount_cents)
        .bind(source)
        .bind(now),
    )
    .await?;
    audit::record(
        tx,
        actor,
        "fee_collection.set",
        (
            "fee_collection",
            &format!("{}:{}:{year}", r.agency_id, r.key),
        ),
        before.map(|b| json!({"amount_cents": b})).as_ref(),
        Some(&json!({"amount_cents": amount_cents, "source": source})),
    )
    .await
}

pub async fn collections(e: &mut impl Exec, agency_id: i64, key: &str) -> Result<Vec<Collection>> {
    let rows = e
        .fetch_all(
            Sql::new(
                "SELECT year, amount_cents, source FROM fee_collections WHERE agency_id = $1 AND record_key = $2 ORDER BY year DESC",
            )
            .bind(agency_id)
            .bind(key),
        )
        .await?;
    rows.iter()
        .map(|r| {
            Ok(Collection {
                year: r.get::<i64>("year")? as i32,
                amount_cents: r.get("amount_cents")?,
                source: r.get("source")?,
            })
        })
        .collect()
}

/// What the agencies collected in `year` under their 行政事业性收费 items (government funds
/// are not table 二's line): the total in cents and the number of items it came from.
pub async fn admin_fees_collected(
    e: &mut impl Exec,
    agency_ids: &[i64],
    year: i32,
) -> Result<(i64, i64)> {
    let mut total = 0;
    let mut items = 0;
    for a in agency_ids {
        let fee_items = lists::current(e, ListKind::Fees, Some(*a)).await?;
        for item in fee_items
            .iter()
            .filter(|r| r.value("category") == gongkai_domain::lists::kinds::ADMIN_FEE)
        {
            let row = e
                .fetch_optional(
                    Sql::new("SELECT amount_cents FROM fee_collections WHERE agency_id = $1 AND record_key = $2 AND year = $3")
                        .bind(*a)
                        .bind(&item.key)
                        .bind(i64::from(year)),
                )
                .await?;
            if let Some(row) = row {
                total += row.get::<i64>("amount_cents")?;
                items += 1;
            }
        }
    }
    Ok((total, items))
}

// ---- service guide forms ----

/// A sample or blank form attached to a service guide.
#[derive(Clone, Debug, Serialize)]
pub struct Form {
    pub id: i64,
    pub title: String,
    pub file_name: String,
    pub file_kind: gongkai_domain::attachment::FileKind,
    pub size: i64,
    pub created_at: DateTime<Utc>,
    #[serde(skip)]
    pub sha256: String,
    #[serde(skip)]
    pub agency_id: i64,
    #[serde(skip)]
    pub record_key: String,
}

impl Form {
    /// Where the public downloads it; the path a guide's materials link to.
    pub fn href(&self) -> String {
        format!("/lists/files/{}", self.id)
    }
}

fn form(r: &Row) -> Result<Form> {
    Ok(from_row!(r => Form {
        id,
        title,
        file_name,
        file_kind: code,
        size,
        created_at,
        sha256,
        agency_id,
        record_key,
    }))
}

const FORM: &str = "SELECT id, agency_id, record_key, title, file_name, file_kind, size, sha256, created_at \
    FROM list_attachments";

/// Attaches a file already checked by [`gongkai_domain::attachment::check`] to guide `r`,
/// under a title checked by [`extras::extra_title`].
pub async fn add_form(
    tx: &mut Tx,
    actor: &Actor,
    r: &Record,
    title: &str,
    file: (&gongkai_domain::attachment::Upload, &[u8]),
) -> Result<Form> {
    let (upload, bytes) = file;
    let sha = crate::attachments::put_blob(tx, bytes).await?;
    let id: i64 = tx
        .fetch_one(
            Sql::new(
                "INSERT INTO list_attachments (agency_id, record_key, kind, title, file_name, file_kind, size, sha256, created_at) \
                 VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $9) RETURNING id",
            )
            .bind(r.agency_id)
            .bind(&r.key)
            .bind(r.kind.as_str())
            .bind(title)
            .bind(upload.file_name.as_str())
            .bind(upload.kind.as_str())
            .bind(upload.size as i64)
            .bind(sha.as_str())
            .bind(tx.now()),
        )
        .await?
        .get("id")?;
    audit::record(
        tx,
        actor,
        "list_attachment.create",
        ("list_attachment", &id.to_string()),
        None,
        Some(
            &json!({"record": r.id, "title": title, "file_name": upload.file_name, "sha256": sha}),
        ),
    )
    .await?;
    form_by_id(tx, id)
        .await?
        .ok_or(DomainError::NotFound { what: "表格" })
}

pub async fn forms(e: &mut impl Exec, agency_id: i64, key: &str) -> Result<Vec<Form>> {
    let rows = e
        .fetch_all(
            sql_once!("{FORM} WHERE kind = $3 AND agency_id = $1 AND record_key = $2 ORDER BY id")
                .bind(agency_id)
                .bind(key)
                .bind(ListKind::Guide.as_str()),
        )
        .await?;
    rows.iter().map(form).collect()
}

pub async fn form_by_id(e: &mut impl Exec, id: i64) -> Result<Option<Form>> {
    let row = e
        .fetch_optional(sql_once!("{FORM} WHERE id = $1").bind(id))
        .await?;
    row.as_ref().map(form).transpose()
}

pub async fn form_bytes(e: &mut impl Exec, f: &Form) -> Result<Vec<u8>> {
    crate::attachments::blob_content(e, &f.sha256).await
}
