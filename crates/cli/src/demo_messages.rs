//! Demo 留言: messages in every state — new, in hand, overdue, unanswered beyond three months,
//! invalid, transferred, answered, answered and published (选登) — and one on a policy page.

use chrono::Duration;
use gongkai_app::Ctx;
use gongkai_app::messages as app;
use gongkai_domain::DomainError;
use gongkai_domain::message::{BoxKind, MessageDraft, MessageInput, PublicationInput, Step};
use gongkai_store::Tx;
use gongkai_store::messages::{self, Destination};

fn draft(title: &str, body: &str, name: &str, consent: bool) -> Result<MessageDraft, DomainError> {
    MessageDraft::parse(&MessageInput {
        title: title.into(),
        body: body.into(),
        name: name.into(),
        phone: "13700137000".into(),
        consent: if consent { "on" } else { "" }.into(),
        ..Default::default()
    })
}

/// Seeds the messages in the demo's one transaction; `ctx` acts as the office, each step
/// back-dated by the days given.
pub async fn load(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    education: i64,
    development: i64,
    (policy_agency, policy): (i64, i64),
) -> Result<(), DomainError> {
    let ago = |days: i64| {
        Ctx::new(ctx.db, ctx.actor.clone(), ctx.principal).at(ctx.now - Duration::days(days))
    };
    let to = |agency_id, box_kind| Destination {
        agency_id,
        box_kind,
        document_id: None,
    };
    let file = async |tx: &mut Tx, dest: Destination, d: &MessageDraft, days_ago: i64, n: usize| {
        app::submit_in(tx, &ago(days_ago), dest, d, &format!("demo-m{n}")).await
    };
    let consult = to(education, BoxKind::Consultation);
    // New, waiting for triage.
    let d = draft(
        "幼儿园入园报名时间咨询",
        "请问明年秋季幼儿园入园报名什么时候开始?需要准备哪些材料?",
        "周女士",
        true,
    )?;
    file(tx, consult, &d, 1, 0).await?;
    // In hand, overdue.
    let d = draft(
        "学校食堂收费标准",
        "孩子所在小学食堂每月收费有所上涨,请问收费标准由谁制定?是否经过备案?",
        "吴先生",
        false,
    )?;
    let late = file(tx, consult, &d, 12, 1).await?;
    let accept = Step::parse("accept", "", false)?;
    app::act_in(tx, &ago(11), late.id, &accept, None).await?;
    // Unanswered for more than three months: the inspection's veto item.
    let d = draft(
        "校外培训机构退费问题",
        "报名的校外培训机构停业,预付的学费无法退还,请问应向哪个部门反映?",
        "郑先生",
        false,
    )?;
    let stale = file(tx, consult, &d, 100, 2).await?;
    app::act_in(tx, &ago(99), stale.id, &accept, None).await?;
    // Invalid.
    let d = draft(
        "广告信息广告信息",
        "专业代办各类证件,价格优惠,欢迎来电咨询合作。",
        "某公司",
        false,
    )?;
    let spam = file(tx, consult, &d, 6, 3).await?;
    let invalid = Step::parse("invalid", "广告信息,与政务咨询无关", false)?;
    app::act_in(tx, &ago(5), spam.id, &invalid, None).await?;
    // Transferred from the development commission to the education bureau, then answered.
    let d = draft(
        "中小学课后服务时间",
        "请问本区中小学课后服务一般到几点结束?收费吗?",
        "孙女士",
        true,
    )?;
    let moved = file(tx, to(development, BoxKind::Consultation), &d, 9, 4).await?;
    let transfer = Step::parse("transfer", "课后服务属于教育局职责", false)?;
    app::act_in(tx, &ago(8), moved.id, &transfer, Some(education)).await?;
    let received = messages::get(tx, moved.id)
        .await?
        .and_then(|m| m.transferred_to)
        .ok_or_else(|| DomainError::internal("demo transfer missing"))?;
    app::act_in(tx, &ago(8), received, &accept, None).await?;
    let reply = Step::parse(
        "reply",
        "本区中小学课后服务一般在工作日下午5:30结束,确有需要的可延长至6:00;课后服务实行自愿参加,按规定标准收取服务费,家庭经济困难学生免收。",
        false,
    )?;
    app::act_in(tx, &ago(6), received, &reply, None).await?;
    app::publish_in(
        tx,
        ctx,
        received,
        &PublicationInput {
            public_title: "中小学课后服务时间和收费".into(),
            public_body: "市民咨询:本区中小学课后服务一般到几点结束?收费吗?".into(),
            public_reply: "本区中小学课后服务一般在工作日下午5:30结束,确有需要的可延长至6:00;课后服务实行自愿参加,按规定标准收取服务费,家庭经济困难学生免收。".into(),
        },
    )
    .await?;
    // On a policy page, to the leaders' mailbox: answered, not published (no consent).
    let d = draft(
        "关于政务公开工作要点的建议",
        "建议在政务公开工作要点中增加对街镇公开栏更新频次的要求。",
        "冯先生",
        false,
    )?;
    let on_policy = Destination {
        agency_id: policy_agency,
        box_kind: BoxKind::Policy,
        document_id: Some(policy),
    };
    let p = file(tx, on_policy, &d, 4, 5).await?;
    app::act_in(tx, &ago(4), p.id, &accept, None).await?;
    let reply = Step::parse(
        "reply",
        "感谢您的建议。我们将在明年的工作要点中研究明确街镇公开栏的更新要求。",
        false,
    )?;
    app::act_in(tx, &ago(2), p.id, &reply, None).await?;
    let d = draft(
        "给区长的一封信",
        "建议在区政府门户网站增加无障碍浏览功能,方便老年人和视障人士使用。",
        "韩女士",
        true,
    )?;
    file(tx, to(development, BoxKind::Leader), &d, 2, 6).await?;
    Ok(())
}
