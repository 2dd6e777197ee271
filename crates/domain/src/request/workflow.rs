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
}

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
