//! Documents under proactive disclosure: kinds, validity, the disclosure attribute decided at
//! the source (公开属性源头认定), the review workflow and the publication clock (条例 Art. 26).

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::{WorkCalendar, WorkdaySpan};
use crate::doc_number::DocNumber;
use crate::error::{DomainError, Field};
use crate::user::{Principal, Role};

labelled_enum!(
    /// 公文种类: the 15 kinds of 《党政机关公文处理工作条例》 Art. 8, plus 其他.
    DocKind, Field::new("kind", "文种"), "文种", {
    Resolution => ("resolution", "决议"),
    Decision => ("decision", "决定"),
    Order => ("order", "命令(令)"),
    Communique => ("communique", "公报"),
    Announcement => ("announcement", "公告"),
    PublicNotice => ("public_notice", "通告"),
    Opinion => ("opinion", "意见"),
    Notice => ("notice", "通知"),
    Circular => ("circular", "通报"),
    Report => ("report", "报告"),
    Request => ("request", "请示"),
    Reply => ("reply", "批复"),
    Motion => ("motion", "议案"),
    Letter => ("letter", "函"),
    Minutes => ("minutes", "纪要"),
    Other => ("other", "其他"),
});

labelled_enum!(
    /// 有效性.
    Validity, Field::new("validity", "有效性"), "有效性", {
    Current => ("current", "现行有效"),
    Amended => ("amended", "已修改"),
    Repealed => ("repealed", "已废止"),
    Expired => ("expired", "已失效"),
});

labelled_enum!(
    /// How one document affects another; the target's validity follows.
    RelationKind, Field::new("relation", "关联关系"), "关联关系", {
    Amends => ("amends", "修改"),
    Replaces => ("replaces", "替代"),
    Repeals => ("repeals", "废止"),
});

impl RelationKind {
    /// The validity the target gets when this relation is published.
    pub fn target_validity(self) -> Validity {
        match self {
            RelationKind::Amends => Validity::Amended,
            RelationKind::Replaces | RelationKind::Repeals => Validity::Repealed,
        }
    }

    /// Wording on the target's page, e.g. “已被《…》废止”.
    pub fn passive_label(self) -> &'static str {
        match self {
            RelationKind::Amends => "修改",
            RelationKind::Replaces => "替代",
            RelationKind::Repeals => "废止",
        }
    }
}

labelled_enum!(
    /// 公开方式.
    DisclosureMode, Field::new("disclosure_mode", "公开方式"), "公开方式", {
    Proactive => ("proactive", "主动公开"),
    OnRequest => ("on_request", "依申请公开"),
    Withheld => ("withheld", "不予公开"),
});

labelled_enum!(
    /// 公开范围 when the document is public.
    DisclosureScope, Field::new("disclosure_scope", "公开范围"), "公开范围", {
    Full => ("full", "全文公开"),
    Redacted => ("redacted", "删减后公开"),
});

labelled_enum!(
    /// Legal grounds for anything but full proactive disclosure (条例 Arts. 14–16); the same
    /// list as the 不予公开 rows of the annual report.
    WithholdGround, Field::new("ground", "不公开理由"), "不公开理由", {
    StateSecret => ("state_secret", "属于国家秘密"),
    ProhibitedByLaw => ("prohibited_by_law", "其他法律行政法规禁止公开"),
    EndangersSafety => ("endangers_safety", "危及“三安全一稳定”"),
    ThirdPartyRights => ("third_party_rights", "保护第三方合法权益"),
    InternalAffairs => ("internal_affairs", "属于三类内部事务信息"),
    ProcessInformation => ("process_information", "属于四类过程性信息"),
    EnforcementCaseFile => ("enforcement_case_file", "属于行政执法案卷"),
    AdministrativeQuery => ("administrative_query", "属于行政查询事项"),
});

impl WithholdGround {
    pub fn article(self) -> &'static str {
        match self {
            WithholdGround::StateSecret
            | WithholdGround::ProhibitedByLaw
            | WithholdGround::EndangersSafety => "第十四条",
            WithholdGround::ThirdPartyRights => "第十五条",
            WithholdGround::InternalAffairs
            | WithholdGround::ProcessInformation
            | WithholdGround::EnforcementCaseFile => "第十六条",
            WithholdGround::AdministrativeQuery => "行政查询事项",
        }
    }
}

/// The disclosure attribute decided when the document is registered.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Attribute {
    pub mode: DisclosureMode,
    /// `None` for withheld documents.
    pub scope: Option<DisclosureScope>,
    pub ground: Option<WithholdGround>,
    pub note: String,
}

impl Attribute {
    /// Parses the attribute fields of a form. A missing mode is `Ok(None)`: the record can be
    /// saved as a draft, and is returned (退文) if submitted so.
    pub fn parse(
        mode: &str,
        scope: &str,
        ground: &str,
        note: &str,
    ) -> Result<Option<Self>, DomainError> {
        if mode.trim().is_empty() {
            return Ok(None);
        }
        let mode = DisclosureMode::parse(mode)?;
        let scope = match mode {
            DisclosureMode::Withheld => None,
            _ if scope.trim().is_empty() => Some(DisclosureScope::Full),
            _ => Some(DisclosureScope::parse(scope)?),
        };
        let note = crate::text::bounded_multiline(
            note,
            Field::new("attribute_note", "属性说明"),
            0,
            1000,
        )?;
        let ground = if ground.trim().is_empty() {
            None
        } else {
            Some(WithholdGround::parse(ground)?)
        };
        let a = Attribute {
            mode,
            scope,
            ground,
            note,
        };
        if a.needs_office_approval() {
            if a.ground.is_none() {
                return Err(DomainError::invalid(
                    WithholdGround::FIELD,
                    format!("{}需选择条例第十四至十六条规定的理由", a.summary()),
                ));
            }
            if a.note.is_empty() {
                return Err(DomainError::invalid(
                    Field::new("attribute_note", "属性说明"),
                    "请说明不全文主动公开的具体理由",
                ));
            }
        } else if a.ground.is_some() {
            return Err(DomainError::invalid(
                WithholdGround::FIELD,
                "全文主动公开的信息无需选择不公开理由",
            ));
        }
        Ok(Some(a))
    }

    /// Anything but full proactive disclosure needs the disclosure office's approval.
    pub fn needs_office_approval(&self) -> bool {
        !(self.mode == DisclosureMode::Proactive && self.scope == Some(DisclosureScope::Full))
    }

    pub fn summary(&self) -> String {
        match self.scope {
            Some(s) => format!("{}({})", self.mode.label(), s.label()),
            None => self.mode.label().to_string(),
        }
    }
}

labelled_enum!(
    /// Where a version stands in review.
    Status, Field::new("status", "状态"), "状态", {
    Draft => ("draft", "草稿"),
    Submitted => ("submitted", "待审核"),
    Returned => ("returned", "已退文"),
    Approved => ("approved", "已审核"),
    Published => ("published", "已发布"),
    Withdrawn => ("withdrawn", "已撤回"),
});

/// What someone does to a version.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Action {
    Submit,
    /// 退文, with the reason the author must address.
    Return {
        reason: String,
    },
    Approve,
    Publish,
    Withdraw {
        reason: String,
    },
}

impl Action {
    pub fn name(&self) -> &'static str {
        match self {
            Action::Submit => "submit",
            Action::Return { .. } => "return",
            Action::Approve => "approve",
            Action::Publish => "publish",
            Action::Withdraw { .. } => "withdraw",
        }
    }

    /// Every step, with `reason` where the step carries one.
    fn every(reason: &str) -> [Action; 5] {
        let reason = reason.to_string();
        [
            Action::Submit,
            Action::Return {
                reason: reason.clone(),
            },
            Action::Approve,
            Action::Publish,
            Action::Withdraw { reason },
        ]
    }

    /// The step a form or API body names by its code, with its reason; an unknown code is
    /// refused naming the codes there are.
    pub fn parse(code: &str, reason: &str) -> Result<Action, DomainError> {
        let code = code.trim();
        Action::every(reason)
            .into_iter()
            .find(|a| a.name() == code)
            .ok_or_else(|| {
                let names = Action::every("").map(|a| a.name());
                crate::input::unknown_action_of(code, &names)
            })
    }
}

/// The result of a transition: the new status and, for an automatic 退文, its reason.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transition {
    pub to: Status,
    pub reason: Option<String>,
}

pub const MISSING_ATTRIBUTE: &str = "未认定公开属性:请选择主动公开、依申请公开或不予公开后重新提交";

fn reason(text: &str) -> Result<String, DomainError> {
    crate::text::bounded_multiline(text, Field::new("reason", "理由"), 2, 1000)
}

/// The workflow: draft → submitted → (returned | approved) → published → withdrawn.
/// `agency_id` is the document's agency; `attribute` its current attribute.
pub fn transition(
    status: Status,
    action: &Action,
    who: &Principal,
    agency_id: i64,
    attribute: Option<&Attribute>,
) -> Result<Transition, DomainError> {
    who.require_agency(agency_id)?;
    let office = who.role.sees_all_agencies();
    let reviewer = office || who.role == Role::Reviewer;
    let wrong_state = || {
        DomainError::conflict(
            Some(Status::FIELD),
            format!("当前状态为“{}”,不能执行此操作", status.label()),
        )
    };
    let to = |s: Status| {
        Ok(Transition {
            to: s,
            reason: None,
        })
    };
    match action {
        Action::Submit => match (status, attribute) {
            (Status::Draft | Status::Returned, None) => Ok(Transition {
                to: Status::Returned,
                reason: Some(MISSING_ATTRIBUTE.into()),
            }),
            (Status::Draft | Status::Returned, Some(_)) => to(Status::Submitted),
            _ => Err(wrong_state()),
        },
        Action::Return { reason: r } => {
            if status != Status::Submitted {
                return Err(wrong_state());
            }
            if !reviewer {
                return Err(DomainError::Forbidden);
            }
            Ok(Transition {
                to: Status::Returned,
                reason: Some(reason(r)?),
            })
        }
        Action::Approve => {
            if status != Status::Submitted {
                return Err(wrong_state());
            }
            let needs_office = attribute.is_some_and(Attribute::needs_office_approval);
            if (needs_office && !office) || !reviewer {
                return Err(DomainError::Forbidden);
            }
            to(Status::Approved)
        }
        Action::Publish => {
            if status != Status::Approved {
                return Err(wrong_state());
            }
            match attribute.map(|a| a.mode) {
                Some(DisclosureMode::Proactive) => to(Status::Published),
                _ => Err(DomainError::conflict(
                    Some(DisclosureMode::FIELD),
                    "只有主动公开的信息才能在网站发布",
                )),
            }
        }
        Action::Withdraw { reason: r } => {
            if status != Status::Published {
                return Err(wrong_state());
            }
            if !reviewer {
                return Err(DomainError::Forbidden);
            }
            Ok(Transition {
                to: Status::Withdrawn,
                reason: Some(reason(r)?),
            })
        }
    }
}

/// How a change to a document is kept.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Revision {
    /// A draft or returned version is edited in place.
    InPlace,
    /// A published, withdrawn or approved-not-proactive document gets a new version with the
    /// note saying what changed; the published version stays untouched.
    NewVersion { note: String },
}

/// Whether and how a document whose working version is in `status` can be changed.
pub fn revision(
    status: Status,
    attribute: Option<&Attribute>,
    change_note: Option<&str>,
) -> Result<Revision, DomainError> {
    match status {
        Status::Draft | Status::Returned => Ok(Revision::InPlace),
        Status::Approved if attribute.is_some_and(|a| a.mode == DisclosureMode::Proactive) => Err(
            DomainError::conflict(Some(Status::FIELD), "已审核待发布的文件不能修改,请先发布"),
        ),
        Status::Published | Status::Withdrawn | Status::Approved => {
            let note = crate::text::bounded(
                change_note.unwrap_or(""),
                Field::new("change_note", "修改说明"),
                1,
                500,
            )?;
            Ok(Revision::NewVersion { note })
        }
        Status::Submitted => Err(DomainError::conflict(
            Some(Status::FIELD),
            "文件正在审核中,不能修改",
        )),
    }
}

/// Who may record why a policy needing an interpretation is published without one: a reviewer
/// or the office, for a document of an agency they act for. Returns the reason, trimmed.
pub fn check_waiver(who: &Principal, agency_id: i64, reason: &str) -> Result<String, DomainError> {
    who.require_agency(agency_id)?;
    if !(who.role.sees_all_agencies() || who.role == Role::Reviewer) {
        return Err(DomainError::Forbidden);
    }
    crate::text::bounded(reason, Field::new("reason", "不解读理由"), 2, 500)
}

/// Whether a document that was published before it came into gongkai (an import) can be
/// recorded as published on `published_on`: only proactive (full or redacted) documents can,
/// with their dates in order.
pub fn check_importable(
    draft: &DocumentDraft,
    published_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), DomainError> {
    if draft.attribute.as_ref().map(|a| a.mode) != Some(DisclosureMode::Proactive) {
        return Err(DomainError::invalid(
            DisclosureMode::FIELD,
            "只有主动公开的信息可以作为已发布文件导入",
        ));
    }
    check_dates(
        draft.formed_on,
        Some(published_on),
        draft.effective_on,
        today,
    )
}

/// Dates checked against each other and against today (time is a parameter).
pub fn check_dates(
    formed_on: NaiveDate,
    published_on: Option<NaiveDate>,
    effective_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<(), DomainError> {
    if formed_on > today {
        return Err(DomainError::invalid(
            Field::new("formed_on", "成文日期"),
            format!("成文日期 {formed_on} 晚于今天,请检查"),
        ));
    }
    if let Some(p) = published_on
        && p < formed_on
    {
        return Err(DomainError::invalid(
            Field::new("published_on", "发布日期"),
            format!("发布日期 {p} 早于成文日期 {formed_on}"),
        ));
    }
    if let Some(e) = effective_on
        && e < formed_on
    {
        return Err(DomainError::invalid(
            Field::new("effective_on", "施行日期"),
            format!("施行日期 {e} 早于成文日期 {formed_on}"),
        ));
    }
    Ok(())
}

/// Default publication limit in working days (条例 Art. 26); agencies may set less.
pub const DEFAULT_PUBLICATION_LIMIT: u32 = 20;
/// A document this close to its due date (in working days) is “due soon”.
pub const DUE_SOON_WORKDAYS: u32 = 3;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ClockState {
    OnTime,
    DueSoon,
    Overdue,
    PublishedOnTime,
    PublishedLate,
}

impl ClockState {
    pub fn label(self) -> &'static str {
        match self {
            ClockState::OnTime => "未到期",
            ClockState::DueSoon => "即将到期",
            ClockState::Overdue => "已超期",
            ClockState::PublishedOnTime => "按时发布",
            ClockState::PublishedLate => "超期发布",
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct PublicationClock {
    pub due: NaiveDate,
    pub state: ClockState,
    /// How the due date was computed.
    pub span: WorkdaySpan,
}

/// Due date = formed + `limit` working days; the state as of `today`.
pub fn publication_clock(
    cal: &WorkCalendar,
    formed_on: NaiveDate,
    limit: u32,
    published_on: Option<NaiveDate>,
    today: NaiveDate,
) -> Result<PublicationClock, DomainError> {
    let span = cal.add_workdays(formed_on, limit)?;
    let due = span.end;
    let state = match published_on {
        Some(p) if p <= due => ClockState::PublishedOnTime,
        Some(_) => ClockState::PublishedLate,
        None if today > due => ClockState::Overdue,
        None if today >= due || cal.workdays_between(today, due)?.workdays <= DUE_SOON_WORKDAYS => {
            ClockState::DueSoon
        }
        None => ClockState::OnTime,
    };
    Ok(PublicationClock { due, state, span })
}

/// Raw document fields as typed into a form, an import file or the API.
#[derive(Clone, Debug, Default, serde::Deserialize, serde::Serialize)]
#[serde(default)]
pub struct DocumentInput {
    pub title: String,
    pub doc_number: String,
    /// 联合发文机关, separated by 、 , or ;
    pub co_issuers: String,
    pub kind: String,
    pub topic: String,
    pub keywords: String,
    pub formed_on: String,
    pub effective_on: String,
    #[serde(deserialize_with = "flag")]
    pub is_normative: bool,
    #[serde(deserialize_with = "flag")]
    pub needs_interpretation: bool,
    pub body: String,
    pub disclosure_mode: String,
    pub disclosure_scope: String,
    pub withhold_ground: String,
    pub attribute_note: String,
}

impl DocumentInput {
    /// These fields with the ones a JSON patch names replaced (`change_note` is returned
    /// apart: it describes the change, it is not a field). A key that is not a field, or a value
    /// of the wrong type, is refused.
    pub fn patched(
        &self,
        patch: serde_json::Map<String, serde_json::Value>,
    ) -> Result<(DocumentInput, Option<String>), DomainError> {
        let body = Field::new("body", "提交内容");
        let mut merged = serde_json::to_value(self)
            .map_err(|e| DomainError::internal_from("document input as JSON", e))?;
        let mut change_note = None;
        for (key, value) in patch {
            if key == "change_note" {
                change_note = value.as_str().map(str::to_string);
                continue;
            }
            match merged.get_mut(&key) {
                Some(slot) => *slot = value,
                None => {
                    return Err(DomainError::invalid(body, format!("不能修改的字段“{key}”")));
                }
            }
        }
        let input = serde_json::from_value(merged)
            .map_err(|e| DomainError::invalid(body, format!("字段类型不正确:{e}")))?;
        Ok((input, change_note))
    }
}

/// Form checkboxes send `on`; JSON sends a boolean.
fn flag<'de, D: serde::Deserializer<'de>>(d: D) -> Result<bool, D::Error> {
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum Flag {
        Bool(bool),
        Text(String),
    }
    Ok(match <Flag as serde::Deserialize>::deserialize(d)? {
        Flag::Bool(b) => b,
        Flag::Text(t) => matches!(t.trim(), "on" | "true" | "1" | "是" | "yes"),
    })
}

/// A validated document version.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DocumentDraft {
    pub title: String,
    pub doc_number: Option<DocNumber>,
    pub co_issuers: Vec<String>,
    pub kind: DocKind,
    pub topic: Option<String>,
    pub keywords: Vec<String>,
    pub formed_on: NaiveDate,
    pub effective_on: Option<NaiveDate>,
    pub is_normative: bool,
    pub needs_interpretation: bool,
    pub body: String,
    pub attribute: Option<Attribute>,
}

fn list(input: &str, field: Field, max_items: usize) -> Result<Vec<String>, DomainError> {
    let items: Vec<String> = input
        .split(['、', ',', ',', ';', ';'])
        .map(str::trim)
        .filter(|s| !s.is_empty())
        .map(String::from)
        .collect();
    if items.len() > max_items || items.iter().any(|s| s.chars().count() > 60) {
        return Err(DomainError::invalid(
            field,
            format!("{field}最多 {max_items} 项,每项不超过 60 个字符"),
        ));
    }
    for i in &items {
        crate::text::reject_active_markup(i, field)?;
    }
    Ok(items)
}

impl DocumentDraft {
    /// Validates a version as of `today` (成文日期 may not lie in the future).
    pub fn parse(input: &DocumentInput, today: NaiveDate) -> Result<Self, DomainError> {
        use crate::calendar::parse_date;
        use crate::text;
        let title_field = Field::new("title", "标题");
        let title = text::bounded(&input.title, title_field, 2, 300)?;
        text::reject_active_markup(&title, title_field)?;
        let body_field = Field::new("body", "正文");
        let body = text::bounded_multiline(&input.body, body_field, 1, 2_000_000)?;
        text::reject_active_markup(&body, body_field)?;
        let doc_number = match input.doc_number.trim() {
            "" => None,
            n => Some(DocNumber::parse(n)?),
        };
        let topic = match input.topic.trim() {
            "" => None,
            t => Some(crate::topics::Topic::parse(t)?.to_string()),
        };
        let formed_on = parse_date(&input.formed_on, Field::new("formed_on", "成文日期"))?;
        let effective_on = match input.effective_on.trim() {
            "" => None,
            e => Some(parse_date(e, Field::new("effective_on", "施行日期"))?),
        };
        check_dates(formed_on, None, effective_on, today)?;
        Ok(DocumentDraft {
            title,
            doc_number,
            co_issuers: list(
                &input.co_issuers,
                Field::new("co_issuers", "联合发文机关"),
                20,
            )?,
            kind: DocKind::parse(&input.kind)?,
            topic,
            keywords: list(&input.keywords, Field::new("keywords", "关键词"), 20)?,
            formed_on,
            effective_on,
            is_normative: input.is_normative,
            needs_interpretation: input.needs_interpretation,
            body,
            attribute: Attribute::parse(
                &input.disclosure_mode,
                &input.disclosure_scope,
                &input.withhold_ground,
                &input.attribute_note,
            )?,
        })
    }
}

pub mod relation;

#[cfg(test)]
mod tests;
