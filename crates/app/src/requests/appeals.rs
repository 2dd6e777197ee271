//! 行政复议 and 行政诉讼 recorded against a reply, and their results (for the annual report's
//! table 四).

use chrono::NaiveDate;
use gongkai_domain::request::appeal::{AppealDraft, AppealResult};
use gongkai_domain::{DomainError, Field};
use gongkai_store::db::Result;
use gongkai_store::requests;
use gongkai_store::{Tx, audit};
use serde_json::json;

use crate::Ctx;

/// Records a 复议 or 诉讼 about a replied request.
pub async fn add_appeal(ctx: &Ctx<'_>, id: i64, d: &AppealDraft) -> Result<i64> {
    ctx.db
        .write(async |tx| add_appeal_in(tx, ctx, id, d).await)
        .await
}

pub async fn add_appeal_in(tx: &mut Tx, ctx: &Ctx<'_>, id: i64, d: &AppealDraft) -> Result<i64> {
    let actor = &ctx.actor;
    let (r, _) = requests::staff_get(tx, &ctx.principal, id).await?;
    if !r.status.was_replied() {
        return Err(DomainError::conflict(
            None,
            "只能为已答复的申请登记行政复议或行政诉讼",
        ));
    }
    if r.replied_on.is_some_and(|on| d.filed_on < on) {
        return Err(DomainError::invalid(
            Field::new("filed_on", "提起日期"),
            "提起日期早于答复日期",
        ));
    }
    let appeal = requests::insert_appeal(tx, id, d).await?;
    audit::record(
        tx,
        actor,
        "request.appeal",
        ("request", &id.to_string()),
        None,
        Some(&json!({"appeal": appeal, "kind": d.kind.as_str(), "result": d.result.as_str(), "filed_on": d.filed_on, "decided_on": d.decided_on})),
    )
    .await?;
    Ok(appeal)
}

/// Records the result of a pending appeal.
pub async fn decide_appeal(
    ctx: &Ctx<'_>,
    appeal_id: i64,
    result: AppealResult,
    decided_on: NaiveDate,
) -> Result<()> {
    ctx.db
        .write(async |tx| decide_appeal_in(tx, ctx, appeal_id, result, decided_on).await)
        .await
}

pub async fn decide_appeal_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    appeal_id: i64,
    result: AppealResult,
    decided_on: NaiveDate,
) -> Result<()> {
    let actor = &ctx.actor;
    let appeal = requests::appeal_state(tx, appeal_id)
        .await?
        .ok_or(DomainError::NotFound {
            what: "复议或诉讼记录",
        })?;
    let (request_id, filed_on) = (appeal.request_id, appeal.filed_on);
    requests::staff_get(tx, &ctx.principal, request_id).await?;
    let before = appeal.result.as_str();
    if appeal.result != AppealResult::Pending {
        return Err(DomainError::conflict(None, "该记录已审结"));
    }
    if result == AppealResult::Pending
        || decided_on < filed_on
        || decided_on > tx.now().date_naive()
    {
        return Err(DomainError::invalid(
            Field::new("decided_on", "审结日期"),
            "请选择审结结果,审结日期应在提起日期与今天之间",
        ));
    }
    requests::set_appeal_result(tx, appeal_id, result, decided_on).await?;
    audit::record(
        tx,
        actor,
        "request.appeal_decided",
        ("request", &request_id.to_string()),
        Some(&json!({"appeal": appeal_id, "result": before})),
        Some(&json!({"appeal": appeal_id, "result": result.as_str(), "decided_on": decided_on})),
    )
    .await
}
