//! 公开清单: typed list records (negative list, fees, datasets, service guides, budgets …)
//! from draft to publication and withdrawal, the extras some kinds carry (a fee's collection,
//! a dataset's resources, a guide's forms), and the public's registrations.
//!
//! Each operation owns its transaction and reads the calendar inside it. The rules of a
//! record's versions are `gongkai_domain::lists::versions`; the store writes the rows.

use std::collections::HashSet;

use gongkai_domain::attachment::Upload;
use gongkai_domain::calendar::WorkCalendar;
use gongkai_domain::input;
pub use gongkai_domain::lists::Target;
use gongkai_domain::lists::extras::{self, CollectionDraft};
use gongkai_domain::lists::{self as rules, Columns, ListKind, RecordStatus, Values, versions};
use gongkai_domain::{DomainError, Field};
use gongkai_formats::tabular;
use gongkai_store::db::Result;
use gongkai_store::list_extras::{self, Form, NewResource, Signup};
use gongkai_store::lists::{self, Created, NewVersion};
use gongkai_store::lists_import::{ImportReport, Line, RowError};
use gongkai_store::{Tx, calendar, lists_import};

use crate::Ctx;

/// A new draft record (or, with `publish`, published at once by a publisher).
pub async fn create(
    ctx: &Ctx<'_>,
    kind: ListKind,
    agency_id: i64,
    values: Values,
    publish: bool,
) -> Result<Created> {
    ctx.db
        .write(async |tx| {
            let cal = calendar::work_calendar(tx).await?;
            let to = Target {
                kind,
                agency_id,
                publish,
            };
            create_in(tx, ctx, &cal, to, &values).await
        })
        .await
}

/// [`create`] inside a transaction, with the calendar read once for many records (an import,
/// the demo seed). A key already live is refused unless the values are the same (no change).
pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    cal: &WorkCalendar,
    to: Target,
    values: &Values,
) -> Result<Created> {
    let Target {
        kind,
        agency_id,
        publish,
    } = to;
    to.check(&ctx.principal)?;
    let spec = kind.spec();
    let derived = rules::derive(spec, values);
    let live = lists::live_versions(tx, kind, agency_id, &derived.key).await?;
    if let Some(existing) = live.last() {
        versions::check_same_as_live(kind, &existing.values, values, &derived)?;
        return Ok(Created::Unchanged(existing.id));
    }
    let due_on = rules::due_on(spec, values, cal)?;
    let version = lists::next_version(tx, kind, agency_id, &derived.key).await?;
    // No version of this key is live, so one published at once supersedes nothing.
    let id = lists::insert(
        tx,
        &ctx.actor,
        NewVersion {
            kind,
            agency_id,
            version,
            values,
            derived: &derived,
            due_on,
            note: None,
            publish,
            created_by: ctx.principal.user_id,
        },
    )
    .await?;
    Ok(Created::New(id))
}

/// Changes a draft in place; a published version is changed through [`revise`].
pub async fn update_draft(ctx: &Ctx<'_>, id: i64, values: Values) -> Result<()> {
    ctx.db
        .write(async |tx| update_draft_in(tx, ctx, id, &values).await)
        .await
}

pub async fn update_draft_in(tx: &mut Tx, ctx: &Ctx<'_>, id: i64, values: &Values) -> Result<()> {
    let cal = calendar::work_calendar(tx).await?;
    let r = lists::staff_get(tx, &ctx.principal, id).await?;
    let spec = r.kind.spec();
    let d = rules::derive(spec, values);
    versions::check_draft_edit(r.kind, r.status, &r.key, &d)?;
    let due = rules::due_on(spec, values, &cal)?;
    lists::set_values(tx, &ctx.actor, &r, values, &d, due).await
}

/// A new version of a published record, with its change note; returns the new version's id.
/// The published version stays public until the new one is published.
pub async fn revise(ctx: &Ctx<'_>, id: i64, values: Values, note: &str) -> Result<i64> {
    ctx.db
        .write(async |tx| revise_in(tx, ctx, id, &values, note).await)
        .await
}

pub async fn revise_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    id: i64,
    values: &Values,
    note: &str,
) -> Result<i64> {
    let cal = calendar::work_calendar(tx).await?;
    let r = lists::staff_get(tx, &ctx.principal, id).await?;
    let live = lists::live_versions(tx, r.kind, r.agency_id, &r.key).await?;
    let pending = live.iter().any(|v| v.status == RecordStatus::Draft);
    let spec = r.kind.spec();
    let d = rules::derive(spec, values);
    let note = versions::check_revision(r.kind, r.status, pending, note, &r.key, &d)?;
    let due_on = rules::due_on(spec, values, &cal)?;
    let version = lists::next_version(tx, r.kind, r.agency_id, &r.key).await?;
    lists::insert(
        tx,
        &ctx.actor,
        NewVersion {
            kind: r.kind,
            agency_id: r.agency_id,
            version,
            values,
            derived: &d,
            due_on,
            note: Some(&note),
            publish: false,
            created_by: ctx.principal.user_id,
        },
    )
    .await
}

/// Publishes a draft (a publisher only); the version it replaces becomes history.
pub async fn publish(ctx: &Ctx<'_>, id: i64) -> Result<()> {
    ctx.db.write(async |tx| publish_in(tx, ctx, id).await).await
}

pub async fn publish_in(tx: &mut Tx, ctx: &Ctx<'_>, id: i64) -> Result<()> {
    // A staff member is refused before learning whether the record exists.
    rules::require_publisher(&ctx.principal)?;
    let r = lists::staff_get(tx, &ctx.principal, id).await?;
    versions::check_publish(&ctx.principal, r.status)?;
    lists::publish(tx, &ctx.actor, &r).await
}

/// Takes a published record out of public view, or discards a draft, with the reason.
pub async fn withdraw(ctx: &Ctx<'_>, id: i64, reason: &str) -> Result<()> {
    ctx.db
        .write(async |tx| withdraw_in(tx, ctx, id, reason).await)
        .await
}

pub async fn withdraw_in(tx: &mut Tx, ctx: &Ctx<'_>, id: i64, reason: &str) -> Result<()> {
    let r = lists::staff_get(tx, &ctx.principal, id).await?;
    let reason = versions::check_withdrawal(&ctx.principal, r.status, reason)?;
    lists::withdraw(tx, &ctx.actor, &r, &reason).await
}

/// Record `id` of kind `kind` (a dataset, a fee, a guide) that the caller manages; `what`
/// names it when it is not one.
async fn of_kind(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    id: i64,
    kind: ListKind,
    what: &'static str,
) -> Result<lists::Record> {
    let r = lists::staff_get(tx, &ctx.principal, id).await?;
    if r.kind != kind {
        return Err(DomainError::NotFound { what });
    }
    Ok(r)
}

/// A fee's collection in a year (收费情况).
pub async fn set_collection(
    ctx: &Ctx<'_>,
    id: i64,
    year: i32,
    amount_cents: i64,
    source: &str,
) -> Result<()> {
    let c = CollectionDraft::parse(year, amount_cents, source)?;
    ctx.db
        .write(async |tx| set_collection_in(tx, ctx, id, &c).await)
        .await
}

pub async fn set_collection_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    id: i64,
    c: &CollectionDraft,
) -> Result<()> {
    let r = of_kind(tx, ctx, id, ListKind::Fees, "收费项目").await?;
    list_extras::set_collection(tx, &ctx.actor, &r, c).await
}

/// A dataset's resource: a file or an endpoint.
pub async fn add_resource(
    ctx: &Ctx<'_>,
    id: i64,
    title: &str,
    new: NewResource<'_>,
) -> Result<i64> {
    ctx.db
        .write(async |tx| add_resource_in(tx, ctx, id, title, new).await)
        .await
}

pub async fn add_resource_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    id: i64,
    title: &str,
    new: NewResource<'_>,
) -> Result<i64> {
    let title = extras::extra_title(title, extras::RESOURCE_TITLE)?;
    let r = of_kind(tx, ctx, id, ListKind::Dataset, "数据集").await?;
    list_extras::add_resource(tx, &ctx.actor, &r, &title, new).await
}

/// A service guide's sample or blank form.
pub async fn add_form(
    ctx: &Ctx<'_>,
    id: i64,
    title: &str,
    upload: &Upload,
    bytes: &[u8],
) -> Result<Form> {
    let title = extras::extra_title(title, extras::FORM_TITLE)?;
    ctx.db
        .write(async |tx| {
            let r = of_kind(tx, ctx, id, ListKind::Guide, "办事指南").await?;
            list_extras::add_form(tx, &ctx.actor, &r, &title, (upload, bytes)).await
        })
        .await
}

/// A member of the public registers for something a record offers (an event, a service);
/// returns the registration code. Rate-limited per client inside the store.
pub async fn register(
    ctx: &Ctx<'_>,
    client: &str,
    record_id: i64,
    signup: Signup<'_, impl Fn(&str) -> String>,
) -> Result<String> {
    ctx.db
        .write(async |tx| list_extras::register(tx, &ctx.actor, client, record_id, signup).await)
        .await
}

/// An accepted list import: its job, and what the background run needs.
pub struct Import {
    pub job: i64,
    to: Target,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
}

/// Checks an uploaded table for its target (the principal's agency, the publisher's right
/// when publishing at once, the header) and records its import job. The rows are imported by
/// [`run_import`], which the caller runs in the background while the office follows the job.
pub async fn start_import(
    ctx: &Ctx<'_>,
    to: Target,
    file_name: &str,
    mut table: Vec<Vec<String>>,
) -> Result<Import> {
    to.check(&ctx.principal)?;
    let headers = if table.is_empty() {
        Vec::new()
    } else {
        table.remove(0)
    };
    Columns::for_import(to.kind, &headers)?;
    let mut c = ctx.db.conn().await?;
    let job = lists_import::start_job(&mut c, &ctx.principal, to, file_name, table.len()).await?;
    Ok(Import {
        job,
        to,
        headers,
        rows: table,
    })
}

/// Imports the rows of a started job and records how it ended. Failures are the job's
/// outcome, shown on its page; an error is returned only when even that could not be saved.
pub async fn run_import(ctx: &Ctx<'_>, started: Import) -> Result<Option<String>> {
    let Import {
        job,
        to,
        headers,
        rows,
    } = started;
    // Line numbers as the office sees them in the file: the header is line 1.
    let rows = rows.into_iter().enumerate().map(|(i, r)| (i + 2, Ok(r)));
    let result = import(ctx, to, &headers, rows, Some(job), |_| {}).await;
    let failure = result.err().map(|e| e.to_string());
    let mut c = ctx.db.conn().await?;
    lists_import::finish_job(&mut c, job, failure.as_deref()).await?;
    Ok(failure)
}

/// Rows per transaction: one fsync shared by many rows, little lost to a crash.
const BATCH: usize = 500;

/// Imports `rows` under `headers`: the header is checked first, then every row on its own —
/// a bad row is reported with all its problems and the good rows are kept. Rows are committed
/// in batches; a key seen twice in the file is an error on the second row, and a row identical
/// to a record already there is counted as unchanged, so re-running an import changes
/// nothing. `progress` is told how many rows are done after each batch, and `job` (if any) has
/// its progress committed with the batch.
pub async fn import(
    ctx: &Ctx<'_>,
    to: Target,
    headers: &[String],
    rows: impl IntoIterator<Item = Line>,
    job: Option<i64>,
    mut progress: impl FnMut(usize),
) -> Result<ImportReport> {
    to.check(&ctx.principal)?;
    let kind = to.kind;
    let spec = kind.spec();
    let columns = Columns::for_import(kind, headers)?;
    let cal = {
        let mut conn = ctx.db.conn().await?;
        calendar::work_calendar(&mut conn).await?
    };
    let mut report = ImportReport::default();
    let mut seen = HashSet::new();
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let mut tx = ctx.db.begin().await?;
        for (line, cells) in rows.by_ref().take(BATCH) {
            report.rows += 1;
            let values = match cells.map_err(|e| vec![e]).and_then(|cells| {
                columns
                    .read(spec, &cells)
                    .map_err(|es| es.iter().map(ToString::to_string).collect())
            }) {
                Ok(v) => v,
                Err(messages) => {
                    report.errors.push(RowError { line, messages });
                    continue;
                }
            };
            let key = rules::derive(spec, &values).key;
            if !seen.insert(key.clone()) {
                report.errors.push(RowError {
                    line,
                    messages: vec![format!("与前面的行重复:{key}")],
                });
                continue;
            }
            match create_in(&mut tx, ctx, &cal, to, &values).await {
                Ok(Created::New(_)) => report.created += 1,
                Ok(Created::Unchanged(_)) => report.unchanged += 1,
                Err(e) if e.is_input_error() => report.errors.push(RowError {
                    line,
                    messages: vec![e.to_string()],
                }),
                Err(e) => return Err(e),
            }
        }
        if let Some(id) = job {
            lists_import::record_progress(&mut tx, id, &report).await?;
        }
        tx.commit().await?;
        progress(report.rows);
    }
    Ok(report)
}

/// Takes published records past their publication period (e.g. penalties) out of public view;
/// returns their ids. Run by housekeeping.
pub async fn expire(ctx: &Ctx<'_>) -> Result<Vec<i64>> {
    ctx.db.write(async |tx| expire_in(tx, ctx).await).await
}

pub async fn expire_in(tx: &mut Tx, ctx: &Ctx<'_>) -> Result<Vec<i64>> {
    lists::expire(tx, &ctx.actor, ctx.today()).await
}

/// A dataset resource the public may read: it exists and its dataset record is published on
/// `today`. Anything else is "not found" (a withdrawn dataset's files are not public).
pub async fn public_resource(
    db: &gongkai_store::Db,
    id: i64,
    today: chrono::NaiveDate,
) -> Result<list_extras::Resource> {
    let not_found = || DomainError::NotFound {
        what: "数据资源"
    };
    let mut c = db.conn().await?;
    let res = list_extras::resource_by_id(&mut c, id)
        .await?
        .ok_or_else(not_found)?;
    let visible = lists::published(
        &mut c,
        ListKind::Dataset,
        res.agency_id,
        &res.record_key,
        today,
    )
    .await?;
    if visible { Ok(res) } else { Err(not_found()) }
}

/// Most rows one page of a dataset's rows holds.
pub const MAX_ROWS_PER_PAGE: usize = 200;

/// One page of a tabular resource's rows.
#[derive(Clone, Debug)]
pub struct DatasetRows {
    pub resource: list_extras::Resource,
    pub columns: Vec<String>,
    /// Rows matching the filters, on every page.
    pub total: usize,
    pub page: usize,
    pub per_page: usize,
    pub rows: Vec<Vec<String>>,
}

/// The rows of a public tabular resource, paged (`page`, `per_page`) and filtered: every other
/// parameter names a column and keeps the rows whose cell equals its value.
pub async fn dataset_rows(
    db: &gongkai_store::Db,
    id: i64,
    params: &std::collections::BTreeMap<String, String>,
    today: chrono::NaiveDate,
) -> Result<DatasetRows> {
    let res = public_resource(db, id, today).await?;
    if !res.format.tabular() {
        return Err(DomainError::invalid(
            Field::new("format", "资源格式"),
            "该资源不是表格,不能按行读取",
        ));
    }
    let number = |key: &'static str, label: &'static str, default: usize, max: usize| match params
        .get(key)
        .map(|v| v.trim())
    {
        None | Some("") => Ok(default),
        Some(v) => input::number_in(
            v,
            Field::new(key, label),
            1..=max,
            format!("{label}应为 1 到 {max} 之间的整数"),
        ),
    };
    let page = number("page", "页码", 1, 100_000)?;
    let per_page = number("per_page", "每页条数", 50, MAX_ROWS_PER_PAGE)?;
    let bytes = list_extras::resource_bytes(&mut db.conn().await?, &res).await?;
    let format = if res.format == gongkai_domain::lists::extras::DataFormat::Csv {
        tabular::Format::Csv
    } else {
        tabular::Format::Xlsx
    };
    let mut table = tabular::read(&bytes, format)?;
    let columns = if table.is_empty() {
        Vec::new()
    } else {
        table.remove(0)
    };
    let mut filters = Vec::new();
    for (k, v) in params {
        if k == "page" || k == "per_page" {
            continue;
        }
        let Some(i) = columns.iter().position(|c| c == k) else {
            return Err(DomainError::invalid(
                Field::new("column", "列名"),
                format!("没有列“{k}”,可用的列:{}", columns.join("、")),
            ));
        };
        filters.push((i, v.clone()));
    }
    let matching: Vec<Vec<String>> = table
        .into_iter()
        .filter(|row| {
            filters
                .iter()
                .all(|(i, v)| row.get(*i).is_some_and(|c| c == v))
        })
        .collect();
    let total = matching.len();
    let rows = matching
        .into_iter()
        .skip((page - 1) * per_page)
        .take(per_page)
        .collect();
    Ok(DatasetRows {
        resource: res,
        columns,
        total,
        page,
        per_page,
        rows,
    })
}
