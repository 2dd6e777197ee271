//! The smaller publishing tasks of an agency: attachments of documents and of gazette issues
//! (judged here with `gongkai_domain::attachment`, written by the store), and the annual
//! report's drafting, whose scope and year rules the store still calls. (The catalogue, Q&A
//! and gazette have their own modules.)

use chrono::NaiveDate;
use gongkai_domain::DomainError;
use gongkai_domain::attachment::{self, Upload};
use gongkai_domain::document::Action;
use gongkai_domain::gazette::IssueDraft;
use gongkai_domain::report::manual::ManualFigures;
use gongkai_domain::report::{self, Finding, Scope, Texts};
use gongkai_store::Tx;
use gongkai_store::agencies::{self, Agency};
use gongkai_store::db::Result;
use gongkai_store::{attachments, reports};

use crate::Ctx;

// ---- attachments ----

/// The working version of `document_id`, if the context may change its files now.
async fn editable(tx: &mut Tx, ctx: &Ctx<'_>, document_id: i64) -> Result<i64> {
    let w = attachments::working_version(tx, document_id)
        .await?
        .ok_or(DomainError::NotFound { what: "文件" })?;
    attachment::check_editable(&ctx.principal, w.agency_id, w.status)?;
    Ok(w.version_no)
}

pub async fn attach(ctx: &Ctx<'_>, document_id: i64, upload: &Upload, bytes: &[u8]) -> Result<i64> {
    ctx.db
        .write(async |tx| attach_in(tx, ctx, document_id, upload, bytes).await)
        .await
}

/// [`attach`] inside a transaction (the demo seed).
pub async fn attach_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    document_id: i64,
    upload: &Upload,
    bytes: &[u8],
) -> Result<i64> {
    let version_no = editable(tx, ctx, document_id).await?;
    attachments::add_to_version(tx, &ctx.actor, document_id, version_no, upload, bytes).await
}

pub async fn detach(ctx: &Ctx<'_>, document_id: i64, attachment_id: i64) -> Result<()> {
    ctx.db
        .write(async |tx| {
            let version_no = editable(tx, ctx, document_id).await?;
            attachments::remove_from_version(tx, &ctx.actor, document_id, version_no, attachment_id)
                .await
        })
        .await
}

/// The office sets the PDF of a gazette issue.
pub async fn set_gazette_pdf(
    ctx: &Ctx<'_>,
    issue_id: i64,
    upload: &Upload,
    bytes: &[u8],
) -> Result<i64> {
    ctx.db
        .write(async |tx| set_gazette_pdf_in(tx, ctx, issue_id, upload, bytes).await)
        .await
}

pub async fn set_gazette_pdf_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    issue_id: i64,
    upload: &Upload,
    bytes: &[u8],
) -> Result<i64> {
    attachment::check_gazette_editor(&ctx.principal)?;
    attachment::check_gazette_pdf(upload.kind)?;
    attachments::set_gazette_pdf(tx, &ctx.actor, issue_id, upload, bytes).await
}

// ---- 政府公报 ----

pub async fn create_gazette_issue(ctx: &Ctx<'_>, d: &IssueDraft) -> Result<i64> {
    crate::gazette::create(ctx, d).await
}

pub async fn update_gazette_issue(ctx: &Ctx<'_>, id: i64, d: &IssueDraft) -> Result<()> {
    crate::gazette::update(ctx, id, d).await
}

// ---- 年度报告 ----

/// The agency a report of `scope` is drawn up for, if the context may: it acts for the
/// agency, and only a people's government has a government-wide report.
async fn reporting_agency(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    agency_id: i64,
    scope: Scope,
) -> Result<Agency> {
    let agency = agencies::by_id(tx, agency_id)
        .await?
        .ok_or(DomainError::NotFound { what: "机关" })?;
    report::check_scope(&ctx.principal, agency.kind, agency.id, scope)?;
    Ok(agency)
}

pub async fn create_report(ctx: &Ctx<'_>, agency_id: i64, year: i32, scope: Scope) -> Result<i64> {
    ctx.db
        .write(async |tx| {
            let agency = reporting_agency(tx, ctx, agency_id, scope).await?;
            reports::create(tx, &ctx.actor, &agency, year, scope).await
        })
        .await
}

/// Saves a report draft's texts and manual figures, and with `submit` sends it to review
/// in the same transaction (a refused submission keeps nothing of the save either).
pub async fn save_report(
    ctx: &Ctx<'_>,
    id: i64,
    texts: &Texts,
    manual: &ManualFigures,
    submit: bool,
) -> Result<()> {
    let today: NaiveDate = ctx.today();
    ctx.db
        .write(async |tx| {
            let r = reports::staff_get(tx, &ctx.principal, id).await?;
            report::check_draft(r.status, "不能再修改")?;
            reports::save(tx, &ctx.actor, &r, &texts.checked()?, manual).await?;
            if submit {
                submit_in(tx, ctx, id, today).await?;
            }
            Ok(())
        })
        .await
}

/// Freezes a draft that passes every check and puts it into the disclosure workflow as a
/// document of kind 报告, submitted for review. Returns the document id.
async fn submit_in(tx: &mut Tx, ctx: &Ctx<'_>, id: i64, today: NaiveDate) -> Result<i64> {
    let r = reports::staff_get(tx, &ctx.principal, id).await?;
    report::check_draft(r.status, "不能重复提交")?;
    let rep = reports::build(tx, &r).await?;
    report::check_publishable(&rep, today)?;
    let draft = report::document_draft(r.title(), &rep, today);
    let doc = crate::documents::register_in(tx, ctx, r.agency_id, &draft).await?;
    crate::documents::act_in(tx, ctx, doc, &Action::Submit).await?;
    reports::mark_submitted(tx, &ctx.actor, &r, &rep, doc).await?;
    Ok(doc)
}

/// Imports a report written elsewhere in the interchange JSON; the checks' findings when it
/// does not pass them (nothing stored then).
pub async fn import_report(
    ctx: &Ctx<'_>,
    agency_id: i64,
    scope: Scope,
    json_text: &str,
) -> Result<std::result::Result<i64, Vec<Finding>>> {
    ctx.db
        .write(async |tx| {
            let agency = reporting_agency(tx, ctx, agency_id, scope).await?;
            reports::import(tx, &ctx.actor, &agency, scope, json_text).await
        })
        .await
}
