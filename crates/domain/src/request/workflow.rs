//! The handling workflow of a request (条例第四十五条: 登记、审核、办理、答复、归档). Statuses
//! say where the request is; the clock's events (补正, consultations, fees, extension) happen
//! while it is being handled and are checked by the clock itself.

use serde::Serialize;

use crate::error::{DomainError, Field};
use crate::user::{Principal, Role};

use super::outcome::Outcome;

labelled_enum!(
    Status, Field::new("status", "办理状态"), "办理状态", {
    /// Submitted online, by fax or ordinary post; the office has not yet confirmed receipt.
    Pending => ("pending", "待确认收到"),
    Registered => ("registered", "已登记"),
    InProgress => ("in_progress", "办理中"),
    Drafted => ("drafted", "答复待审核"),
    Approved => ("approved", "答复已审核"),
    Replied => ("replied", "已答复"),
    Withdrawn => ("withdrawn", "申请人已撤回"),
    Archived => ("archived", "已归档"),
});

impl Status {
    /// Still on the clock: the applicant waits for a reply.
    pub fn is_open(self) -> bool {
        matches!(
            self,
            Status::Registered | Status::InProgress | Status::Drafted | Status::Approved
        )
    }

    /// Not yet ended: waiting for confirmation of receipt, or on the clock. The office's
    /// queue and its counts of what is due hold these.
    pub fn is_unfinished(self) -> bool {
        self == Status::Pending || self.is_open()
    }

    /// A reply was given (and may since have been archived): the letter and the outcome are
    /// shown to the applicant, and appeals, transfer and conversion become possible.
    pub fn was_replied(self) -> bool {
        matches!(self, Status::Replied | Status::Archived)
    }
}

labelled_enum!(
    /// A line of a request's timeline (办理记录): every step taken on it, from the applicant's
    /// submission to its archiving, under the name stored with the event.
    EventKind, Field::new("step", "办理环节"), "办理环节", {
    Submit => ("submit", "提交"),
    Register => ("register", "登记"),
    ConfirmReceipt => ("confirm_receipt", "确认收到"),
    Assign => ("assign", "分办"),
    RequestCorrection => ("request_correction", "补正告知"),
    ReceiveCorrection => ("receive_correction", "收到补正"),
    StartConsultation => ("start_consultation", "开始征求意见"),
    EndConsultation => ("end_consultation", "征求意见结束"),
    NoticeFee => ("notice_fee", "收费通知"),
    ReceivePayment => ("receive_payment", "缴费"),
    Extend => ("extend", "延期"),
    DraftReply => ("draft_reply", "拟答复"),
    ReturnDraft => ("return_draft", "退回修改"),
    Approve => ("approve", "审核通过"),
    Deliver => ("deliver", "送达"),
    Withdraw => ("withdraw", "撤回"),
    Archive => ("archive", "归档"),
    Transfer => ("transfer", "转交"),
    TransferIn => ("transfer_in", "转交收到"),
    Convert => ("convert", "转为主动公开"),
});

/// What staff (or the applicant, for a withdrawal) do to a request.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Step {
    /// The office confirms receipt (第三十一条: the receipt date of online, fax and ordinary
    /// post applications).
    ConfirmReceipt,
    Assign,
    /// A clock event (补正, consultation, fee, extension), checked by the clock.
    Clock {
        extension: bool,
    },
    DraftReply {
        outcome: Outcome,
    },
    ReturnDraft {
        reason: String,
    },
    Approve,
    Deliver,
    Withdraw,
    Archive,
}

const STEP: Field = Field::new("step", "办理环节");

fn not_now(status: Status, what: &str) -> DomainError {
    DomainError::conflict(
        Some(STEP),
        format!("申请当前为“{}”,不能{what}", status.label()),
    )
}

fn may_review(who: &Principal) -> bool {
    matches!(who.role, Role::Reviewer | Role::Office | Role::Admin)
}

/// The status after `step`, if `who` may take it now.
pub fn transition(
    status: Status,
    step: &Step,
    who: &Principal,
    agency_id: i64,
) -> Result<Status, DomainError> {
    // The applicant's own withdrawal comes without a principal of the agency.
    if *step != Step::Withdraw {
        who.require_agency(agency_id)?;
    }
    match step {
        Step::ConfirmReceipt => match status {
            Status::Pending => Ok(Status::Registered),
            s => Err(not_now(s, "确认收到(已确认)")),
        },
        Step::Assign => match status {
            Status::Registered | Status::InProgress => Ok(Status::InProgress),
            s => Err(not_now(s, "分办")),
        },
        Step::Clock { extension } => {
            if *extension && !may_review(who) {
                return Err(DomainError::Forbidden);
            }
            match status {
                Status::Registered | Status::InProgress => Ok(Status::InProgress),
                s => Err(not_now(s, "办理补正、征求意见、收费或延期")),
            }
        }
        Step::DraftReply { .. } => match status {
            Status::Registered | Status::InProgress | Status::Drafted => Ok(Status::Drafted),
            s => Err(not_now(s, "拟写答复")),
        },
        Step::ReturnDraft { reason } => {
            if !may_review(who) {
                return Err(DomainError::Forbidden);
            }
            if reason.trim().is_empty() {
                return Err(DomainError::invalid(
                    Field::new("reason", "退回理由"),
                    "请填写退回理由",
                ));
            }
            match status {
                Status::Drafted => Ok(Status::InProgress),
                s => Err(not_now(s, "退回答复")),
            }
        }
        Step::Approve => {
            if !may_review(who) {
                return Err(DomainError::Forbidden);
            }
            match status {
                Status::Drafted => Ok(Status::Approved),
                s => Err(not_now(s, "审核答复")),
            }
        }
        Step::Deliver => match status {
            Status::Approved => Ok(Status::Replied),
            Status::Drafted => Err(DomainError::conflict(
                Some(STEP),
                "答复尚未审核,审核通过后才能送达",
            )),
            s => Err(not_now(s, "送达答复")),
        },
        Step::Withdraw => match status {
            s if s == Status::Pending || s.is_open() => Ok(Status::Withdrawn),
            s => Err(not_now(s, "撤回")),
        },
        Step::Archive => match status {
            Status::Replied | Status::Withdrawn => Ok(Status::Archived),
            s => Err(not_now(s, "归档")),
        },
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(role: Role) -> Principal {
        Principal {
            user_id: 1,
            role,
            agency_id: 7,
        }
    }

    #[test]
    fn the_happy_path_of_article_45() {
        let staff = who(Role::Staff);
        let reviewer = who(Role::Reviewer);
        let mut s = Status::Pending;
        for (step, by, to) in [
            (Step::ConfirmReceipt, &staff, Status::Registered),
            (Step::Assign, &staff, Status::InProgress),
            (Step::Clock { extension: false }, &staff, Status::InProgress),
            (
                Step::DraftReply {
                    outcome: Outcome::Disclosed,
                },
                &staff,
                Status::Drafted,
            ),
            (Step::Approve, &reviewer, Status::Approved),
            (Step::Deliver, &staff, Status::Replied),
            (Step::Archive, &staff, Status::Archived),
        ] {
            s = transition(s, &step, by, 7).unwrap();
            assert_eq!(s, to, "{step:?}");
        }
    }

    #[test]
    fn illegal_steps_are_refused_with_a_reason() {
        let staff = who(Role::Staff);
        let e = transition(Status::Drafted, &Step::Deliver, &staff, 7).unwrap_err();
        assert!(e.to_string().contains("尚未审核"), "{e}");
        assert_eq!(
            transition(Status::Drafted, &Step::Approve, &staff, 7),
            Err(DomainError::Forbidden),
            "staff do not approve their own replies"
        );
        assert_eq!(
            transition(
                Status::InProgress,
                &Step::Clock { extension: true },
                &staff,
                7
            ),
            Err(DomainError::Forbidden),
            "an extension needs the reviewer"
        );
        assert!(transition(Status::Replied, &Step::Withdraw, &staff, 7).is_err());
        assert!(transition(Status::Replied, &Step::Deliver, &staff, 7).is_err());
        assert!(transition(Status::Registered, &Step::ConfirmReceipt, &staff, 7).is_err());
        assert_eq!(
            transition(Status::Registered, &Step::Assign, &staff, 8),
            Err(DomainError::Forbidden),
            "another agency's request"
        );
        let e = transition(
            Status::Drafted,
            &Step::ReturnDraft { reason: " ".into() },
            &who(Role::Reviewer),
            7,
        )
        .unwrap_err();
        assert_eq!(e.field().unwrap().name, "reason");
    }

    #[test]
    fn the_applicant_may_withdraw_while_open() {
        let nobody = Principal {
            user_id: 0,
            role: Role::Staff,
            agency_id: 0,
        };
        for s in [
            Status::Pending,
            Status::Registered,
            Status::InProgress,
            Status::Drafted,
        ] {
            assert_eq!(
                transition(s, &Step::Withdraw, &nobody, 7),
                Ok(Status::Withdrawn)
            );
        }
    }
}

/// A drafted reply, checked: the text, what was withheld (部分公开 must say, 第三十七条), the
/// competent agency (only when the information is not held here, 第三十六条第(五)项), and
/// the lapse outcomes only once the clock says the deadline has passed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Reply {
    pub outcome: Outcome,
    pub text: String,
    pub withheld_note: Option<String>,
    pub referred_to: Option<String>,
}

impl Reply {
    pub fn parse(
        outcome: Outcome,
        text: &str,
        withheld_note: &str,
        referred_to: &str,
        clock: Option<&super::clock::ClockState>,
    ) -> Result<Self, DomainError> {
        use super::clock::ClockState;
        use super::outcome::{OtherHandling, Unavailable};
        let outcome_field = Field::new("outcome", "办理结果");
        let referred_field = Field::new("referred_to", "负责公开的机关及联系方式");
        let referred_to = crate::text::optional(referred_to, referred_field, 300)?;
        if referred_to.is_some() && outcome != Outcome::Unavailable(Unavailable::NotHeld) {
            return Err(DomainError::invalid(
                referred_field,
                "只有“本机关不掌握相关政府信息”的答复需要告知负责公开的机关",
            ));
        }
        let text_field = Field::new("text", "答复内容");
        let text = crate::text::bounded_multiline(text, text_field, 2, 20_000)?;
        crate::text::reject_active_markup(&text, text_field)?;
        let withheld_field = Field::new("withheld_note", "不予公开部分及理由");
        let withheld_note = crate::text::optional(withheld_note, withheld_field, 2000)?;
        if outcome.needs_withheld_note() && withheld_note.is_none() {
            return Err(DomainError::invalid(
                withheld_field,
                "部分公开的,应说明不予公开的内容及理由(条例第三十七条)",
            ));
        }
        match outcome {
            Outcome::Other(OtherHandling::CorrectionLapsed)
                if !matches!(clock, Some(ClockState::CorrectionLapsed { .. })) =>
            {
                Err(DomainError::conflict(
                    Some(outcome_field),
                    "补正期限尚未届满,不能按逾期不补正办结",
                ))
            }
            Outcome::Other(OtherHandling::FeeUnpaid)
                if !matches!(clock, Some(ClockState::FeeLapsed { .. })) =>
            {
                Err(DomainError::conflict(
                    Some(outcome_field),
                    "缴费期限尚未届满,不能按逾期未缴费办结",
                ))
            }
            _ => Ok(Reply {
                outcome,
                text,
                withheld_note,
                referred_to,
            }),
        }
    }
}

/// 依申请转主动 (第四十四条) applies to replies that gave information out.
pub fn check_convertible(status: Status, outcome: Option<Outcome>) -> Result<(), DomainError> {
    if status.was_replied() && outcome.is_some_and(Outcome::discloses) {
        Ok(())
    } else {
        Err(DomainError::conflict(
            None,
            "只有已答复且予以公开(或部分公开)的申请可以转为主动公开",
        ))
    }
}

#[cfg(test)]
mod reply_tests {
    use super::*;
    use crate::request::clock::ClockState;
    use crate::request::outcome::{OtherHandling, Unavailable};

    #[test]
    fn replies_say_what_the_outcome_needs() {
        let lapsed_on = chrono::NaiveDate::from_ymd_opt(2024, 3, 22).unwrap();
        let ok = Reply::parse(Outcome::Disclosed, "现予提供。", "", "", None).unwrap();
        assert_eq!((ok.withheld_note, ok.referred_to), (None, None));
        for (outcome, withheld, referred, clock, field) in [
            (Outcome::PartlyDisclosed, "", "", None, "withheld_note"),
            (Outcome::Disclosed, "", "区生态环境局", None, "referred_to"),
            (
                Outcome::Other(OtherHandling::CorrectionLapsed),
                "",
                "",
                Some(ClockState::Running),
                "outcome",
            ),
            (
                Outcome::Other(OtherHandling::FeeUnpaid),
                "",
                "",
                None,
                "outcome",
            ),
        ] {
            let e =
                Reply::parse(outcome, "答复内容", withheld, referred, clock.as_ref()).unwrap_err();
            assert_eq!(e.field().unwrap().name, field, "{outcome:?}");
        }
        let lapsed = ClockState::CorrectionLapsed {
            deadline: lapsed_on,
        };
        assert!(
            Reply::parse(
                Outcome::Other(OtherHandling::CorrectionLapsed),
                "不再处理。",
                "",
                "",
                Some(&lapsed)
            )
            .is_ok()
        );
        let r = Reply::parse(
            Outcome::Unavailable(Unavailable::NotHeld),
            "本机关不掌握。",
            "",
            "区生态环境局",
            None,
        )
        .unwrap();
        assert_eq!(r.referred_to.as_deref(), Some("区生态环境局"));
        assert!(check_convertible(Status::Replied, Some(Outcome::PartlyDisclosed)).is_ok());
        assert!(check_convertible(Status::Drafted, Some(Outcome::Disclosed)).is_err());
        assert!(
            check_convertible(
                Status::Replied,
                Some(Outcome::Unavailable(Unavailable::NotHeld))
            )
            .is_err()
        );
    }
}
