//! 公开清单: typed list records (negative list, fees, datasets, service guides, budgets …)
//! from draft to publication and withdrawal, the extras some kinds carry (a fee's collection,
//! a dataset's resources, a guide's forms), and the public's registrations.
//!
//! Each operation owns its transaction and reads the calendar inside it; the record rules
//! still sit in `gongkai_store::lists` / `list_extras`, driven from here.

use gongkai_domain::attachment::Upload;
use gongkai_domain::lists::{ListKind, Values};
use gongkai_store::db::Result;
use gongkai_store::list_extras::{self, Form, NewResource};
use gongkai_store::lists::{self, Created};
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
        .write(async |tx| create_in(tx, ctx, kind, agency_id, values, publish).await)
        .await
}

pub async fn create_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    kind: ListKind,
    agency_id: i64,
    values: Values,
    publish: bool,
) -> Result<Created> {
    let cal = calendar::work_calendar(tx).await?;
    lists::create(
        tx,
        &ctx.actor,
        &ctx.principal,
        kind,
        agency_id,
        values,
        &cal,
        publish,
    )
    .await
}

/// Changes a draft in place.
pub async fn update_draft(ctx: &Ctx<'_>, id: i64, values: Values) -> Result<()> {
    ctx.db
        .write(async |tx| {
            let cal = calendar::work_calendar(tx).await?;
            lists::update_draft(tx, &ctx.actor, &ctx.principal, id, values, &cal).await
        })
        .await
}

/// A new version of a published record, with its change note; returns the new version's id.
pub async fn revise(ctx: &Ctx<'_>, id: i64, values: Values, note: &str) -> Result<i64> {
    ctx.db
        .write(async |tx| {
            let cal = calendar::work_calendar(tx).await?;
            lists::revise(tx, &ctx.actor, &ctx.principal, id, values, note, &cal).await
        })
        .await
}

pub async fn publish(ctx: &Ctx<'_>, id: i64) -> Result<()> {
    ctx.db
        .write(async |tx| lists::publish(tx, &ctx.actor, &ctx.principal, id).await)
        .await
}

pub async fn withdraw(ctx: &Ctx<'_>, id: i64, reason: &str) -> Result<()> {
    ctx.db
        .write(async |tx| lists::withdraw(tx, &ctx.actor, &ctx.principal, id, reason).await)
        .await
}

/// A fee's collection in a year (收费情况).
pub async fn set_collection(
    ctx: &Ctx<'_>,
    id: i64,
    year: i32,
    amount_cents: i64,
    source: &str,
) -> Result<()> {
    ctx.db
        .write(async |tx| {
            list_extras::set_collection(
                tx,
                &ctx.actor,
                &ctx.principal,
                id,
                year,
                amount_cents,
                source,
            )
            .await
        })
        .await
}

/// A dataset's resource: a file or an endpoint.
pub async fn add_resource(
    ctx: &Ctx<'_>,
    id: i64,
    title: &str,
    new: NewResource<'_>,
) -> Result<i64> {
    ctx.db
        .write(async |tx| {
            list_extras::add_resource(tx, &ctx.actor, &ctx.principal, id, title, new).await
        })
        .await
}

/// A service guide's sample or blank form.
pub async fn add_form(
    ctx: &Ctx<'_>,
    id: i64,
    title: &str,
    upload: &Upload,
    bytes: &[u8],
) -> Result<Form> {
    ctx.db
        .write(async |tx| {
            list_extras::add_form(tx, &ctx.actor, &ctx.principal, id, title, upload, bytes).await
        })
        .await
}

/// A member of the public registers for something a record offers (an event, a service);
/// returns the registration code. Rate-limited per client inside the store.
pub async fn register(
    ctx: &Ctx<'_>,
    client: &str,
    record_id: i64,
    name: &str,
    phone: &str,
    answer: impl Fn(&str) -> String,
) -> Result<String> {
    ctx.db
        .write(async |tx| {
            list_extras::register(tx, &ctx.actor, client, record_id, name, phone, answer).await
        })
        .await
}

/// An accepted list import: its job, and what the background run needs.
pub struct Import {
    pub job: i64,
    kind: ListKind,
    agency_id: i64,
    headers: Vec<String>,
    rows: Vec<Vec<String>>,
    publish: bool,
}

/// Checks an uploaded table for `kind` (the principal's agency, the publisher's right when
/// publishing at once, the header) and records its import job. The rows are imported by
/// [`run_import`], which the caller runs in the background while the office follows the job.
pub async fn start_import(
    ctx: &Ctx<'_>,
    kind: ListKind,
    agency_id: i64,
    file_name: &str,
    mut table: Vec<Vec<String>>,
    publish: bool,
) -> Result<Import> {
    let who = &ctx.principal;
    who.require_agency(agency_id)?;
    if publish {
        gongkai_domain::lists::require_publisher(who)?;
    }
    let headers = if table.is_empty() {
        Vec::new()
    } else {
        table.remove(0)
    };
    lists_import::columns(kind, &headers)?;
    let mut c = ctx.db.conn().await?;
    let job = lists_import::start_job(
        &mut c,
        who,
        kind,
        agency_id,
        file_name,
        table.len(),
        publish,
    )
    .await?;
    Ok(Import {
        job,
        kind,
        agency_id,
        headers,
        rows: table,
        publish,
    })
}

/// Imports the rows of a started job and records how it ended. Failures are the job's
/// outcome, shown on its page; an error is returned only when even that could not be saved.
pub async fn run_import(ctx: &Ctx<'_>, import: Import) -> Result<Option<String>> {
    let Import {
        job,
        kind,
        agency_id,
        headers,
        rows,
        publish,
    } = import;
    // Line numbers as the office sees them in the file: the header is line 1.
    let rows = rows.into_iter().enumerate().map(|(i, r)| (i + 2, Ok(r)));
    let result = lists_import::import(
        ctx.db,
        &ctx.actor,
        &ctx.principal,
        kind,
        agency_id,
        &headers,
        rows,
        publish,
        Some(job),
        |_| {},
    )
    .await;
    let failure = result.err().map(|e| e.to_string());
    let mut c = ctx.db.conn().await?;
    lists_import::finish_job(&mut c, job, failure.as_deref()).await?;
    Ok(failure)
}

/// Takes published records past their publication period (e.g. penalties) out of public view;
/// returns their ids. Run by housekeeping.
pub async fn expire(ctx: &Ctx<'_>) -> Result<Vec<i64>> {
    let today = ctx.today();
    ctx.db
        .write(async |tx| lists::expire(tx, &ctx.actor, today).await)
        .await
}
