//! The handling steps staff take on a request (and the applicant's withdrawal): each maps to
//! a workflow step and, for the clock, an event; the Chinese notes the applicant reads are
//! written here.

use chrono::NaiveDate;
use gongkai_domain::request::clock::{self, ClockEvent, PauseKind};
use gongkai_domain::request::outcome::Outcome;
use gongkai_domain::request::transfer;
use gongkai_domain::request::workflow::{EventKind, Reply, Status, Step, transition};
use gongkai_domain::{DomainError, Field};
use gongkai_store::db::Result;
use gongkai_store::requests::{self, Change, NewEvent};
use gongkai_store::{Tx, audit};
use serde_json::json;

use super::{NOT_FOUND, notify, text};
use crate::Ctx;

/// What staff do; each maps to a workflow step and, for the clock, an event.
#[derive(Clone, Debug)]
pub enum Action {
    ConfirmReceipt {
        on: NaiveDate,
        /// Why the confirmation comes after the application arrived (required then).
        reason: String,
    },
    Assign {
        user_id: i64,
    },
    RequestCorrection {
        on: NaiveDate,
        deadline: NaiveDate,
        what: String,
    },
    ReceiveCorrection {
        on: NaiveDate,
    },
    StartConsultation {
        on: NaiveDate,
        pause: PauseKind,
        note: String,
    },
    EndConsultation {
        on: NaiveDate,
        pause: PauseKind,
        note: String,
    },
    NoticeFee {
        on: NaiveDate,
        basis: gongkai_domain::fees::FeeBasis,
    },
    ReceivePayment {
        on: NaiveDate,
    },
    Extend {
        on: NaiveDate,
        days: u32,
        reason: String,
    },
    DraftReply {
        outcome: Outcome,
        text: String,
        withheld_note: String,
        /// For 本机关不掌握: the competent agency and its contact, if known.
        referred_to: String,
        /// The code of that agency when it is on the platform; its contact fills an empty
        /// `referred_to`.
        referred_agency: String,
    },
    ReturnDraft {
        reason: String,
    },
    Approve,
    Deliver {
        on: NaiveDate,
        how: String,
    },
    Withdraw {
        on: NaiveDate,
    },
    Archive,
}

impl Action {
    pub fn name(&self) -> EventKind {
        match self {
            Action::ConfirmReceipt { .. } => EventKind::ConfirmReceipt,
            Action::Assign { .. } => EventKind::Assign,
            Action::RequestCorrection { .. } => EventKind::RequestCorrection,
            Action::ReceiveCorrection { .. } => EventKind::ReceiveCorrection,
            Action::StartConsultation { .. } => EventKind::StartConsultation,
            Action::EndConsultation { .. } => EventKind::EndConsultation,
            Action::NoticeFee { .. } => EventKind::NoticeFee,
            Action::ReceivePayment { .. } => EventKind::ReceivePayment,
            Action::Extend { .. } => EventKind::Extend,
            Action::DraftReply { .. } => EventKind::DraftReply,
            Action::ReturnDraft { .. } => EventKind::ReturnDraft,
            Action::Approve => EventKind::Approve,
            Action::Deliver { .. } => EventKind::Deliver,
            Action::Withdraw { .. } => EventKind::Withdraw,
            Action::Archive => EventKind::Archive,
        }
    }
}

/// Takes a step on a request. The workflow decides whether the step is allowed now and for
/// `who`; a clock event is checked by recomputing the clock with it; nothing is written if
/// either refuses.
pub async fn act(ctx: &Ctx<'_>, id: i64, action: &Action) -> Result<Status> {
    ctx.db
        .write(async |tx| act_in(tx, ctx, id, action).await)
        .await
}

pub async fn act_in(tx: &mut Tx, ctx: &Ctx<'_>, id: i64, action: &Action) -> Result<Status> {
    let (actor, who, today) = (&ctx.actor, &ctx.principal, ctx.today());
    let (r, events) = requests::load(tx, id).await?.ok_or(NOT_FOUND)?;
    if !who.may_act_for(r.agency_id) && !matches!(action, Action::Withdraw { .. }) {
        return Err(NOT_FOUND);
    }
    let cal = gongkai_store::calendar::work_calendar(tx).await?;
    let current = requests::clock_of(&cal, &r, &events, today)?;
    let (step, clock_event): (Step, Option<ClockEvent>) = match action {
        Action::ConfirmReceipt { .. } => (Step::ConfirmReceipt, None),
        Action::Assign { .. } => (Step::Assign, None),
        Action::RequestCorrection { on, deadline, .. } => (
            Step::Clock { extension: false },
            Some(ClockEvent::CorrectionRequested {
                on: *on,
                deadline: *deadline,
            }),
        ),
        Action::ReceiveCorrection { on } => (
            Step::Clock { extension: false },
            Some(ClockEvent::CorrectionReceived { on: *on }),
        ),
        Action::StartConsultation { on, pause, .. } | Action::EndConsultation { on, pause, .. }
            if *pause == PauseKind::Fee =>
        {
            let _ = on;
            return Err(DomainError::invalid(
                Field::new("pause", "征求意见对象"),
                "请选择征求第三方或其他机关的意见",
            ));
        }
        Action::StartConsultation { on, pause, .. } => (
            Step::Clock { extension: false },
            Some(ClockEvent::PauseStarted {
                on: *on,
                pause: *pause,
            }),
        ),
        Action::EndConsultation { on, pause, .. } => (
            Step::Clock { extension: false },
            Some(ClockEvent::PauseEnded {
                on: *on,
                pause: *pause,
            }),
        ),
        Action::NoticeFee { on, .. } => (
            Step::Clock { extension: false },
            Some(ClockEvent::PauseStarted {
                on: *on,
                pause: PauseKind::Fee,
            }),
        ),
        Action::ReceivePayment { on } => (
            Step::Clock { extension: false },
            Some(ClockEvent::PauseEnded {
                on: *on,
                pause: PauseKind::Fee,
            }),
        ),
        Action::Extend { on, days, .. } => (
            Step::Clock { extension: true },
            Some(ClockEvent::Extended {
                on: *on,
                days: *days,
            }),
        ),
        Action::DraftReply { outcome, .. } => (Step::DraftReply { outcome: *outcome }, None),
        Action::ReturnDraft { reason } => (
            Step::ReturnDraft {
                reason: reason.clone(),
            },
            None,
        ),
        Action::Approve => (Step::Approve, None),
        Action::Deliver { on, .. } => (Step::Deliver, Some(ClockEvent::Closed { on: *on })),
        Action::Withdraw { on } => (
            Step::Withdraw,
            r.received_on.map(|_| ClockEvent::Closed { on: *on }),
        ),
        Action::Archive => (Step::Archive, None),
    };
    let to = transition(r.status, &step, who, r.agency_id)?;
    if let Some(ev) = &clock_event {
        if ev.on() > today {
            return Err(DomainError::invalid(
                Field::new("on", "日期"),
                format!("日期 {} 晚于今天", ev.on()),
            ));
        }
        let received = r
            .received_on
            .ok_or_else(|| DomainError::conflict(None, "尚未确认收到申请,答复期限还未开始计算"))?;
        let mut all = requests::clock_events(&events);
        all.push(*ev);
        clock::compute(&cal, received, &all, today)?;
    }
    let key = id.to_string();
    let on_date = clock_event.map_or(today, |e| e.on());
    let (note, public_note): (Option<String>, Option<String>) = match action {
        Action::ConfirmReceipt { on, reason } => {
            if *on > today || *on < r.submitted_on {
                return Err(DomainError::invalid(
                    Field::new("on", "确认日期"),
                    "确认日期应在提交日期与今天之间",
                ));
            }
            let reason = text(reason, Field::new("reason", "延后确认的原因"), 0, 500)?;
            let (receipt, received, rule) = r.receipt().confirm(*on, &reason)?;
            let change = Change::Receipt {
                confirmed_on: *on,
                arrived_on: receipt.arrived_on,
                received_on: Some(received),
            };
            requests::record(tx, id, change).await?;
            let arrived = receipt
                .arrived_on
                .map(|a| format!(",申请到达(签收)日期 {a}"))
                .unwrap_or_default();
            (
                (!reason.is_empty()).then(|| format!("延后确认的原因:{reason}")),
                Some(format!(
                    "已确认收到申请,收到申请之日为 {received}{arrived}。{rule}"
                )),
            )
        }
        Action::Assign { user_id } => {
            let agency = requests::active_user_agency(tx, *user_id)
                .await?
                .ok_or_else(|| {
                    DomainError::invalid(Field::new("user", "承办人"), "承办人不存在")
                })?;
            if agency != r.agency_id {
                return Err(DomainError::invalid(
                    Field::new("user", "承办人"),
                    "承办人须为本机关工作人员",
                ));
            }
            requests::record(tx, id, Change::Assignee(*user_id)).await?;
            (None, Some("已分办,正在办理".into()))
        }
        Action::RequestCorrection { deadline, what, .. } => {
            let what = text(what, Field::new("what", "需要补正的事项"), 2, 2000)?;
            (None, Some(format!("请于 {deadline} 前补正:{what}")))
        }
        Action::ReceiveCorrection { on } => (
            None,
            Some(format!("{on} 收到补正后的申请,答复期限重新计算")),
        ),
        Action::StartConsultation { pause, note, .. } => (
            Some(text(note, Field::new("note", "说明"), 0, 2000)?),
            Some(format!("开始{},所需时间不计入答复期限", pause.label())),
        ),
        Action::EndConsultation { pause, note, .. } => (
            Some(text(note, Field::new("note", "说明"), 0, 2000)?),
            Some(format!("{}结束", pause.label())),
        ),
        Action::NoticeFee { basis, .. } => {
            // A count of rows and a fee in yuan: both far below the integer limits, so a
            // failed conversion is a broken invariant, not a cap to apply silently.
            let nth = u32::try_from(requests::nth_in_month(tx, &r).await?)
                .map_err(|e| DomainError::internal_from("requests this month", e))?;
            let fee = gongkai_domain::fees::assess(*basis, nth)?;
            let yuan = i64::try_from(fee.yuan)
                .map_err(|e| DomainError::internal_from("fee in yuan", e))?;
            let basis = match basis {
                gongkai_domain::fees::FeeBasis::ByItem => "by_item",
                gongkai_domain::fees::FeeBasis::ByPages { .. } => "by_pages",
            };
            requests::record(tx, id, Change::Fee { yuan, basis }).await?;
            (
                None,
                Some(format!(
                    "收费通知:{},合计 {} 元,请于收到通知次日起 20 个工作日内缴纳",
                    fee.explanation, fee.yuan
                )),
            )
        }
        Action::ReceivePayment { on } => {
            requests::record(tx, id, Change::FeePaid(*on)).await?;
            (None, Some(format!("{on} 已缴费,继续办理")))
        }
        Action::Extend { days, reason, .. } => {
            let reason = text(reason, Field::new("reason", "延期理由"), 2, 1000)?;
            (
                Some(reason),
                Some(format!(
                    "经政府信息公开工作机构负责人同意,答复期限延长 {days} 个工作日"
                )),
            )
        }
        Action::DraftReply {
            outcome,
            text: body,
            withheld_note,
            referred_to,
            referred_agency,
        } => {
            let mut referred_to = referred_to.clone();
            let referred = match referred_agency.trim() {
                "" => None,
                code => {
                    let field = Field::new("referred_agency", "负责公开的机关");
                    let code = gongkai_domain::agency::AgencyCode::parse(code)?;
                    let a = gongkai_store::agencies::by_code(tx, &code)
                        .await?
                        .ok_or_else(|| DomainError::invalid(field, "负责公开的机关不存在"))?;
                    transfer::check_referral(*outcome, r.agency_id, a.id)?;
                    if referred_to.trim().is_empty() {
                        referred_to = transfer::referral(
                            &a.name,
                            a.address.as_deref(),
                            a.postcode.as_deref(),
                            a.phone.as_deref(),
                        );
                    }
                    Some(a.id)
                }
            };
            let reply = Reply::parse(
                *outcome,
                body,
                withheld_note,
                &referred_to,
                current.as_ref().map(|c| &c.state),
            )?;
            let change = Change::Reply {
                reply: &reply,
                referred_agency: referred,
            };
            requests::record(tx, id, change).await?;
            (Some(format!("拟答复:{}", outcome.label())), None)
        }
        Action::ReturnDraft { reason } => (Some(reason.clone()), None),
        Action::Approve => (None, Some("答复已审核".into())),
        Action::Deliver { on, how } => {
            let how = text(how, Field::new("how", "送达方式"), 2, 200)?;
            let change = Change::Delivered { on: *on, how: &how };
            requests::record(tx, id, change).await?;
            (None, Some(format!("{on} 已答复({how})")))
        }
        Action::Withdraw { on } => {
            requests::record(tx, id, Change::Withdrawn(*on)).await?;
            (None, Some(format!("{on} 申请人撤回申请")))
        }
        Action::Archive => (None, Some("已归档".into())),
    };
    requests::set_status(tx, id, to).await?;
    requests::add_event(
        tx,
        actor,
        id,
        NewEvent {
            on: on_date,
            step: action.name(),
            clock: clock_event.as_ref(),
            note: note.as_deref(),
            public_note: public_note.as_deref(),
        },
    )
    .await?;
    let mut after = requests::audit_view(&r);
    after["status"] = json!(to.as_str());
    after["step"] = json!(action.name());
    after["clock"] = json!(clock_event);
    audit::record(
        tx,
        actor,
        &format!("request.{}", action.name().as_str()),
        ("request", &key),
        Some(&requests::audit_view(&r)),
        Some(&after),
    )
    .await?;
    if public_note.is_some() {
        notify(tx, id, public_note.as_deref(), today).await?;
    }
    Ok(to)
}
