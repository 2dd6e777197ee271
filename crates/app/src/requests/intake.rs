//! Filing an application (by the public online, or registered by staff from paper, post, fax
//! or a visit) and the applicant's withdrawal.

use chrono::NaiveDate;
use gongkai_domain::request::intake::RequestDraft;
use gongkai_domain::request::workflow::{EventKind, Status};
use gongkai_domain::{DomainError, Field};
use gongkai_store::db::Result;
use gongkai_store::requests::{self, NewEvent};
use gongkai_store::{Tx, audit, secret, throttle};
use serde::Serialize;
use serde_json::json;

use super::{Action, notify};
use crate::Ctx;

/// What the applicant gets once the application is committed.
#[derive(Clone, Debug, Serialize)]
pub struct Submitted {
    pub id: i64,
    pub tracking_code: String,
    pub key: String,
}

/// Files an application for `agency_id`. The receipt is committed before the code and key are
/// returned, so nothing shown to an applicant can be lost.
pub async fn submit(ctx: &Ctx<'_>, agency_id: i64, d: &RequestDraft) -> Result<Submitted> {
    ctx.db
        .write(async |tx| submit_in(tx, ctx, agency_id, d).await)
        .await
}

pub async fn submit_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    agency_id: i64,
    d: &RequestDraft,
) -> Result<Submitted> {
    let actor = &ctx.actor;
    gongkai_store::agencies::by_id(tx, agency_id)
        .await?
        .ok_or_else(|| DomainError::invalid(Field::new("agency", "受理机关"), "受理机关不存在"))?;
    let received = d.receipt.received_on()?.map(|(on, _)| on);
    let status = if received.is_some() {
        Status::Registered
    } else {
        Status::Pending
    };
    let key = secret::random_token(12)?;
    let (id, code) = requests::insert(
        tx,
        agency_id,
        d,
        status,
        received,
        &secret::hash_token(&key),
    )
    .await?;
    requests::add_event(
        tx,
        actor,
        id,
        NewEvent {
            on: d.receipt.submitted_on,
            step: EventKind::Submit,
            clock: None,
            note: None,
            public_note: Some("申请已提交"),
        },
    )
    .await?;
    if let Some(on) = received {
        requests::add_event(
            tx,
            actor,
            id,
            NewEvent {
                on,
                step: EventKind::Register,
                clock: None,
                note: None,
                public_note: Some("已登记,开始计算答复期限"),
            },
        )
        .await?;
    }
    audit::record(
        tx,
        actor,
        "request.submit",
        ("request", &id.to_string()),
        None,
        Some(&json!({"tracking_code": code, "status": status.as_str(), "channel": d.receipt.channel.as_str(), "received_on": received})),
    )
    .await?;
    notify(tx, id, None, d.receipt.submitted_on).await?;
    Ok(Submitted {
        id,
        tracking_code: code,
        key,
    })
}

/// An application filed online by the public: rate-limited per client, counted in the same
/// transaction that stores it.
pub async fn submit_online(
    ctx: &Ctx<'_>,
    agency_id: i64,
    d: &RequestDraft,
    client: &str,
) -> Result<Submitted> {
    ctx.db
        .write(async |tx| submit_online_in(tx, ctx, agency_id, d, client).await)
        .await
}

pub async fn submit_online_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    agency_id: i64,
    d: &RequestDraft,
    client: &str,
) -> Result<Submitted> {
    let attempt = throttle::reserve(tx, "submit", client, ctx.now, throttle::SUBMIT).await?;
    let s = submit_in(tx, ctx, agency_id, d).await?;
    throttle::succeeded(tx, attempt).await?;
    Ok(s)
}

/// The applicant withdraws their own request, found by code and key: whoever `ctx` names, the
/// step is taken as the public, never with a staff member's rights.
pub async fn withdraw_by_applicant(ctx: &Ctx<'_>, id: i64) -> Result<Status> {
    ctx.db
        .write(async |tx| withdraw_by_applicant_in(tx, ctx, id, ctx.today()).await)
        .await
}

pub async fn withdraw_by_applicant_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    id: i64,
    on: NaiveDate,
) -> Result<Status> {
    let applicant = Ctx::public(ctx.db, ctx.actor.clone()).at(ctx.now);
    super::act_in(tx, &applicant, id, &Action::Withdraw { on }).await
}
