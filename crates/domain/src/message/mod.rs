//! 留言 / 网上咨询 / 领导信箱: a message from the public to an agency — on a policy's page
//! (about that policy only), in the agency's consultation box, or to its leaders — and its
//! handling: triage (accept, invalid, duplicate, transfer to the agency it belongs to), a reply
//! within a limit of working days (5 by default, 1 for a simple question), the asker's consent
//! and the agency's choice to publish it (选登) with a separately edited public text, the
//! asker's rating. A valid message unanswered for three months fails the national inspection.

pub mod stats;

use chrono::{Months, NaiveDate};
use serde::Serialize;

use crate::calendar::WorkCalendar;
use crate::error::{DomainError, Field};
use crate::text;

pub use stats::{BoxStats, HandledMessage, box_stats};

/// Working days to reply, unless the box says otherwise.
pub const DEFAULT_REPLY_WORKDAYS: u32 = 5;
/// Working days to reply to a question marked simple.
pub const SIMPLE_REPLY_WORKDAYS: u32 = 1;

labelled_enum!(
    /// Where a message was left.
    BoxKind, Field::new("box", "留言类型"), "留言类型", {
    Policy => ("policy", "政策留言"),
    Consultation => ("consultation", "网上咨询"),
    Leader => ("leader", "领导信箱"),
});

labelled_enum!(
    Status, Field::new("status", "办理状态"), "办理状态", {
    Received => ("received", "待处理"),
    Accepted => ("accepted", "办理中"),
    Invalid => ("invalid", "无效留言"),
    Duplicate => ("duplicate", "重复留言"),
    Transferred => ("transferred", "已转办"),
    Replied => ("replied", "已答复"),
});

impl Status {
    /// Valid and waiting for a reply: what the clock and the three-month flag look at.
    pub fn awaits_reply(self) -> bool {
        matches!(self, Status::Received | Status::Accepted)
    }
}

labelled_enum!(
    Rating, Field::new("rating", "满意度"), "满意度", {
    Satisfied => ("satisfied", "满意"),
    Fair => ("fair", "基本满意"),
    Unsatisfied => ("unsatisfied", "不满意"),
});

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct MessageInput {
    pub title: String,
    pub body: String,
    pub name: String,
    pub phone: String,
    pub email: String,
    /// "on" when the asker agrees the message and reply may be published.
    pub consent: String,
    /// A field people never see: whatever fills it is a robot.
    pub website: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MessageDraft {
    pub title: String,
    pub body: String,
    pub name: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub consent: bool,
}

pub const MAX_BODY_CHARS: usize = 3_000;

impl MessageDraft {
    pub fn parse(i: &MessageInput) -> Result<MessageDraft, DomainError> {
        let bf = Field::new("body", "留言内容");
        if !i.website.trim().is_empty() {
            return Err(DomainError::invalid(bf, "提交未通过校验,请刷新页面后重试"));
        }
        let tf = Field::new("title", "标题");
        let title = text::bounded(&i.title, tf, 4, 60)?;
        text::reject_active_markup(&title, tf)?;
        let body = text::bounded_multiline(&i.body, bf, 10, MAX_BODY_CHARS)?;
        text::reject_active_markup(&body, bf)?;
        let nf = Field::new("name", "姓名");
        let name = text::bounded(&i.name, nf, 1, 30)?;
        text::reject_active_markup(&name, nf)?;
        let pf = Field::new("phone", "联系电话");
        let phone = text::optional(&i.phone, pf, 30)?;
        if let Some(p) = &phone
            && p.chars().filter(char::is_ascii_digit).count() < 7
        {
            return Err(DomainError::invalid(pf, "联系电话应至少包含 7 位数字"));
        }
        let ef = Field::new("email", "电子邮箱");
        let email = text::optional(&i.email, ef, 120)?;
        if let Some(e) = &email
            && !(e.contains('@') && e.contains('.') && !e.contains(' '))
        {
            return Err(DomainError::invalid(ef, "电子邮箱格式不正确"));
        }
        Ok(MessageDraft {
            title,
            body,
            name,
            phone,
            email,
            consent: matches!(i.consent.trim(), "on" | "true" | "1"),
        })
    }
}

/// What staff do with a message.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Step {
    /// Valid: handled here, within the box's limit (or one working day if simple).
    Accept {
        simple: bool,
    },
    Invalid {
        reason: String,
    },
    Duplicate {
        reason: String,
    },
    /// Belongs to another agency: it gets a new message of its own, received the same day.
    Transfer {
        reason: String,
    },
    Reply {
        text: String,
    },
}

impl Step {
    pub fn name(&self) -> &'static str {
        match self {
            Step::Accept { .. } => "accept",
            Step::Invalid { .. } => "invalid",
            Step::Duplicate { .. } => "duplicate",
            Step::Transfer { .. } => "transfer",
            Step::Reply { .. } => "reply",
        }
    }

    /// Parses a step from a form: its name and the text that goes with it.
    pub fn parse(name: &str, text_in: &str, simple: bool) -> Result<Step, DomainError> {
        let reason = |label: &'static str| -> Result<String, DomainError> {
            let f = Field::new("reason", label);
            let r = text::bounded_multiline(text_in, f, 2, 1_000)?;
            text::reject_active_markup(&r, f)?;
            Ok(r)
        };
        Ok(match name {
            "accept" => Step::Accept { simple },
            "invalid" => Step::Invalid {
                reason: reason("无效理由")?,
            },
            "duplicate" => Step::Duplicate {
                reason: reason("重复说明")?,
            },
            "transfer" => Step::Transfer {
                reason: reason("转办理由")?,
            },
            "reply" => {
                let f = Field::new("reply", "答复内容");
                let t = text::bounded_multiline(text_in, f, 10, 10_000)?;
                text::reject_active_markup(&t, f)?;
                Step::Reply { text: t }
            }
            _ => {
                return Err(DomainError::invalid(
                    Field::new("step", "办理环节"),
                    "未知的办理环节",
                ));
            }
        })
    }
}

/// The status after `step`, or why it cannot be taken now.
pub fn transition(status: Status, step: &Step) -> Result<Status, DomainError> {
    let not_now = || {
        DomainError::conflict(
            Some(Field::new("step", "办理环节")),
            format!("留言当前为“{}”,不能执行此操作", status.label()),
        )
    };
    match (status, step) {
        (Status::Received, Step::Accept { .. }) => Ok(Status::Accepted),
        (Status::Received, Step::Invalid { .. }) => Ok(Status::Invalid),
        (Status::Received, Step::Duplicate { .. }) => Ok(Status::Duplicate),
        (Status::Received | Status::Accepted, Step::Transfer { .. }) => Ok(Status::Transferred),
        (Status::Accepted, Step::Reply { .. }) => Ok(Status::Replied),
        _ => Err(not_now()),
    }
}

/// Where a message stands against its limit.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum DueState {
    OnTime,
    /// The last working day (or the one before).
    DueSoon,
    Overdue,
    RepliedOnTime,
    RepliedLate,
    /// Not on the clock: invalid, duplicate, transferred.
    Closed,
}

impl DueState {
    pub fn label(self) -> &'static str {
        match self {
            DueState::OnTime => "未到期",
            DueState::DueSoon => "即将到期",
            DueState::Overdue => "已超期",
            DueState::RepliedOnTime => "按时答复",
            DueState::RepliedLate => "超期答复",
            DueState::Closed => "不计时",
        }
    }
}

/// The reply's due date: `limit` working days after the day it was received.
pub fn due_on(
    calendar: &WorkCalendar,
    received_on: NaiveDate,
    limit: u32,
) -> Result<NaiveDate, DomainError> {
    Ok(calendar.add_workdays(received_on, limit)?.end)
}

pub fn due_state(
    calendar: &WorkCalendar,
    status: Status,
    due: NaiveDate,
    replied_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<DueState, DomainError> {
    if let Some(r) = replied_on {
        return Ok(if r <= due {
            DueState::RepliedOnTime
        } else {
            DueState::RepliedLate
        });
    }
    if !status.awaits_reply() {
        return Ok(DueState::Closed);
    }
    if today > due {
        return Ok(DueState::Overdue);
    }
    // Due today or on the next working day.
    let left = calendar.workdays_between(today, due)?.workdays;
    Ok(if left <= 1 {
        DueState::DueSoon
    } else {
        DueState::OnTime
    })
}

/// A valid message received more than three months ago and still unanswered: the national
/// inspection's veto item (国办《政府网站与政务新媒体检查指标》).
pub fn is_stale(status: Status, received_on: NaiveDate, today: NaiveDate) -> bool {
    status.awaits_reply()
        && received_on
            .checked_add_months(Months::new(3))
            .is_some_and(|limit| today > limit)
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct PublicationInput {
    pub public_title: String,
    pub public_body: String,
    pub public_reply: String,
}

/// The published copy of a message (选登): edited separately, so personal details in the
/// original never reach the public page.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Publication {
    pub title: String,
    pub body: String,
    pub reply: String,
}

impl Publication {
    pub fn parse(
        i: &PublicationInput,
        status: Status,
        consent: bool,
        name: &str,
        phone: Option<&str>,
        email: Option<&str>,
    ) -> Result<Publication, DomainError> {
        if !consent {
            return Err(DomainError::conflict(None, "留言人未同意公开,不能选登"));
        }
        if status != Status::Replied {
            return Err(DomainError::conflict(None, "答复后才能选登"));
        }
        let tf = Field::new("public_title", "公开标题");
        let title = text::bounded(&i.public_title, tf, 4, 60)?;
        let bf = Field::new("public_body", "公开的留言内容");
        let body = text::bounded_multiline(&i.public_body, bf, 10, MAX_BODY_CHARS)?;
        let rf = Field::new("public_reply", "公开的答复内容");
        let reply = text::bounded_multiline(&i.public_reply, rf, 10, 10_000)?;
        let known = crate::personal::Known::new()
            .name(name)
            .phone(phone)
            .email(email);
        for (v, f) in [(&title, tf), (&body, bf), (&reply, rf)] {
            text::reject_active_markup(v, f)?;
            // The asker's own details, and anyone's ID, mobile or card number, however typed,
            // stay out of the published copy.
            if let Some(leak) = crate::personal::leak(v, &known) {
                return Err(DomainError::invalid(
                    f,
                    format!("{f}含有个人信息({}),请删除后再公开", leak.describe()),
                ));
            }
        }
        Ok(Publication { title, body, reply })
    }
}

#[cfg(test)]
mod tests;

labelled_enum!(
    /// A view of an office's messages.
    QueueView, Field::new("view", "视图"), "视图", {
    /// Messages still awaiting a reply: the default.
    Open => ("open", "在办"),
    New => ("new", "待处理"),
    DueSoon => ("due_soon", "即将到期"),
    Overdue => ("overdue", "已超期"),
    /// Unanswered for more than three months ([`is_stale`]).
    Stale => ("stale", "超过三个月未答复"),
    All => ("all", "全部"),
});

impl QueueView {
    /// The view a query names; open work when it names none we know.
    pub fn or_open(code: &str) -> QueueView {
        QueueView::parse(code).unwrap_or(QueueView::Open)
    }

    /// Whether a message with this status, reply clock and staleness belongs in the view.
    pub fn holds(self, status: Status, due: DueState, stale: bool) -> bool {
        match self {
            QueueView::Open => status.awaits_reply(),
            QueueView::New => status == Status::Received,
            QueueView::DueSoon => due == DueState::DueSoon,
            QueueView::Overdue => due == DueState::Overdue,
            QueueView::Stale => stale,
            QueueView::All => true,
        }
    }

    /// Its link: the default view has the bare queue address.
    pub fn href(self) -> String {
        match self {
            QueueView::Open => "/office/messages".into(),
            v => format!("/office/messages?view={}", v.as_str()),
        }
    }
}
