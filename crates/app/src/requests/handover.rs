//! 转交 to the competent agency on the platform, and 依申请转主动: drafting a document for
//! proactive disclosure from a reply that gave information out.

use gongkai_domain::DomainError;
use gongkai_domain::request::clock::{Channel, Receipt};
use gongkai_domain::request::intake::RequestDraft;
use gongkai_domain::request::transfer;
use gongkai_domain::request::workflow::{EventKind, Status};
use gongkai_store::db::Result;
use gongkai_store::requests::{self, Change, NewEvent};
use gongkai_store::{Tx, audit};
use serde::Serialize;
use serde_json::json;

use super::{NOT_FOUND, notify};
use crate::Ctx;

/// What a hand-over created: the competent agency's new application.
#[derive(Clone, Debug, Serialize)]
pub struct Transferred {
    pub id: i64,
    pub tracking_code: String,
    pub agency_name: String,
}

/// 转交: hands a request whose reply named another agency of the platform over to that
/// agency as a new application (same applicant, same key), waiting for its confirmation of
/// receipt. The original keeps its reply; both record the link, the applicant is told the new
/// code.
pub async fn transfer(ctx: &Ctx<'_>, id: i64) -> Result<Transferred> {
    ctx.db
        .write(async |tx| transfer_in(tx, ctx, id).await)
        .await
}

pub async fn transfer_in(tx: &mut Tx, ctx: &Ctx<'_>, id: i64) -> Result<Transferred> {
    let (actor, who, today) = (&ctx.actor, &ctx.principal, ctx.today());
    let (r, _) = requests::load(tx, id).await?.ok_or(NOT_FOUND)?;
    if !who.may_act_for(r.agency_id) {
        return Err(NOT_FOUND);
    }
    let to = transfer::check_transferable(r.status, r.referred_agency_id, r.transferred_to)?;
    let target = gongkai_store::agencies::by_id(tx, to)
        .await?
        .ok_or_else(|| DomainError::conflict(None, "负责公开的机关已不存在"))?;
    let key_hash = requests::key_hash(tx, id).await?;
    let d = RequestDraft {
        applicant: gongkai_domain::request::Applicant {
            kind: r.applicant_kind,
            name: r.applicant_name.clone(),
            id_type: r.id_type,
            id_number: r.id_number.clone(),
            phone: r.phone.clone(),
            email: r.email.clone(),
            address: r.address.clone(),
        },
        description: transfer::transferred_description(
            &r.agency_name,
            &r.tracking_code,
            &r.description,
        ),
        doc_reference: r.doc_reference.clone(),
        purpose: r.purpose.clone(),
        delivery_form: r.delivery_form,
        delivery_channel: r.delivery_channel,
        // Received when the competent agency confirms it (第三十一条第(三)项).
        receipt: Receipt {
            channel: Channel::Other,
            submitted_on: today,
            arrived_on: None,
            confirmed_on: None,
        },
    };
    let (new_id, code) = requests::insert(tx, to, &d, Status::Pending, None, &key_hash).await?;
    requests::record(tx, new_id, Change::TransferredFrom(id)).await?;
    requests::record(tx, id, Change::TransferredTo(new_id)).await?;
    let received_note = format!(
        "由{}转交(原查询码 {}),待本机关确认收到",
        r.agency_name, r.tracking_code
    );
    requests::add_event(
        tx,
        actor,
        new_id,
        NewEvent {
            on: today,
            step: EventKind::TransferIn,
            clock: None,
            note: None,
            public_note: Some(&received_note),
        },
    )
    .await?;
    let note = format!(
        "已将申请转交{},新的查询码为 {code},查询密钥不变",
        target.name
    );
    requests::add_event(
        tx,
        actor,
        id,
        NewEvent {
            on: today,
            step: EventKind::Transfer,
            clock: None,
            note: None,
            public_note: Some(&note),
        },
    )
    .await?;
    audit::record(
        tx,
        actor,
        "request.transfer",
        ("request", &id.to_string()),
        Some(&requests::audit_view(&r)),
        Some(&json!({"transferred_to": new_id, "tracking_code": code, "agency": target.code})),
    )
    .await?;
    notify(tx, id, Some(&note), today).await?;
    Ok(Transferred {
        id: new_id,
        tracking_code: code,
        agency_name: target.name,
    })
}

/// 依申请转主动 (条例第四十四条): drafts a document for proactive disclosure from a reply that
/// gave information out. The text is refused if it contains the applicant's personal data;
/// the draft then goes through the documents' own review.
pub async fn convert(ctx: &Ctx<'_>, id: i64, title: &str, body: &str) -> Result<i64> {
    ctx.db
        .write(async |tx| convert_in(tx, ctx, id, title, body).await)
        .await
}

pub async fn convert_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    id: i64,
    title: &str,
    body: &str,
) -> Result<i64> {
    let (actor, who, today) = (&ctx.actor, &ctx.principal, ctx.today());
    let (r, _) = requests::staff_get(tx, who, id).await?;
    gongkai_domain::request::workflow::check_convertible(r.status, r.outcome)?;
    let applicant = gongkai_domain::request::Applicant {
        kind: r.applicant_kind,
        name: r.applicant_name.clone(),
        id_type: r.id_type,
        id_number: r.id_number.clone(),
        phone: r.phone.clone(),
        email: r.email.clone(),
        address: r.address.clone(),
    };
    let text = format!("{title}\n{body}");
    gongkai_domain::request::applicant::check_no_personal_data(&text, &applicant)?;
    let input = gongkai_domain::document::DocumentInput {
        title: title.to_string(),
        kind: gongkai_domain::document::DocKind::Other.as_str().into(),
        formed_on: r.replied_on.unwrap_or(today).to_string(),
        body: body.to_string(),
        disclosure_mode: gongkai_domain::document::DisclosureMode::Proactive
            .as_str()
            .into(),
        disclosure_scope: gongkai_domain::document::DisclosureScope::Full
            .as_str()
            .into(),
        ..Default::default()
    };
    let draft = gongkai_domain::document::DocumentDraft::parse(&input, today)?;
    let doc = crate::documents::register_in(tx, ctx, r.agency_id, &draft).await?;
    requests::add_event(
        tx,
        actor,
        id,
        NewEvent {
            on: today,
            step: EventKind::Convert,
            clock: None,
            note: Some(&format!("已起草主动公开文件(文件编号 {doc})")),
            public_note: None,
        },
    )
    .await?;
    audit::record(
        tx,
        actor,
        "request.convert",
        ("request", &id.to_string()),
        None,
        Some(&json!({"document": doc})),
    )
    .await?;
    Ok(doc)
}
