//! Who may say that one document amends, replaces or repeals another, and when it takes
//! effect. A relation changes another record's public validity, so it is part of what a
//! reviewer approves: it is recorded only on a version still being drafted, takes effect when
//! that version is published after review, and reaches another agency's document only with
//! the disclosure office's approval.

use super::{RelationKind, Status, Validity};
use crate::error::DomainError;
use crate::user::{Principal, Role};

/// What a recorded relation still needs before it can take effect (besides the publication of
/// the version it was recorded on).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Approval {
    /// The target is the source agency's own document, or the office recorded it.
    NotNeeded,
    /// The target belongs to another agency: the disclosure office must approve.
    Office,
}

/// The two documents of a relation: `from` amends, replaces or repeals `to`, never itself.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Link {
    pub from: i64,
    pub to: i64,
}

impl Link {
    pub fn new(from: i64, to: i64) -> Result<Link, DomainError> {
        if from == to {
            return Err(DomainError::invalid(
                RelationKind::FIELD,
                "文件不能修改或废止自身",
            ));
        }
        Ok(Link { from, to })
    }
}

fn is_office(who: &Principal) -> bool {
    matches!(who.role, Role::Office | Role::Admin)
}

/// Checks that `who` may record a relation from a document of `source_agency`, whose working
/// version is in `source_status`, to a document of `target_agency`.
pub fn check_record(
    who: &Principal,
    source_agency: i64,
    source_status: Status,
    target_agency: i64,
) -> Result<Approval, DomainError> {
    who.require_agency(source_agency)?;
    if !matches!(source_status, Status::Draft | Status::Returned) {
        return Err(DomainError::conflict(
            Some(RelationKind::FIELD),
            "关联关系须随文件版本审核发布:已提交、已审核或已发布的版本不能再添加,请先“修改”生成新版本",
        ));
    }
    if target_agency == source_agency || is_office(who) {
        Ok(Approval::NotNeeded)
    } else {
        Ok(Approval::Office)
    }
}

/// Only the disclosure office (or an administrator) approves a relation to another agency's
/// document.
pub fn check_approve(who: &Principal) -> Result<(), DomainError> {
    if is_office(who) {
        Ok(())
    } else {
        Err(DomainError::Forbidden)
    }
}

/// A relation between two documents already published elsewhere (brought in by an import) is
/// recorded in effect at once: only by the office, whose recording is the review.
pub fn check_import(who: &Principal) -> Result<(), DomainError> {
    check_approve(who)
}

/// A relation is withdrawn by the source agency or the office.
pub fn check_withdraw(who: &Principal, source_agency: i64) -> Result<(), DomainError> {
    who.require_agency(source_agency)
}

/// Where a recorded relation stands, as far as approving or withdrawing it goes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Standing {
    pub needs_approval: bool,
    pub approved: bool,
    pub effective: bool,
    pub withdrawn: bool,
}

/// The office approves a relation that needs it, once, and never one already withdrawn.
pub fn check_approvable(s: Standing) -> Result<(), DomainError> {
    if s.withdrawn {
        return Err(DomainError::conflict(None, "该关联关系已撤回"));
    }
    if !s.needs_approval || s.approved {
        return Err(DomainError::conflict(None, "该关联关系无需或已经审核"));
    }
    Ok(())
}

/// A relation is withdrawn once.
pub fn check_withdrawable(s: Standing) -> Result<(), DomainError> {
    if s.withdrawn {
        return Err(DomainError::conflict(None, "该关联关系已撤回"));
    }
    Ok(())
}

/// Whether a relation recorded on source version `recorded_on` takes effect now that version
/// `published` of the source is public.
pub fn takes_effect(recorded_on: i64, published: Option<i64>, approved: bool) -> bool {
    approved && published.is_some_and(|p| p >= recorded_on)
}

/// The target's validity after the relations still in effect on it: the strongest of them, or
/// what it was before any took effect.
pub fn validity_after(in_effect: &[RelationKind], before: Validity) -> Validity {
    if in_effect
        .iter()
        .any(|k| k.target_validity() == Validity::Repealed)
    {
        Validity::Repealed
    } else if !in_effect.is_empty() {
        Validity::Amended
    } else {
        before
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn who(role: Role, agency_id: i64) -> Principal {
        Principal {
            user_id: 1,
            role,
            agency_id,
        }
    }

    #[test]
    fn a_relation_is_approved_once_and_withdrawn_once() {
        let open = Standing {
            needs_approval: true,
            approved: false,
            effective: false,
            withdrawn: false,
        };
        assert_eq!(check_approvable(open), Ok(()));
        assert!(
            check_approvable(Standing {
                approved: true,
                ..open
            })
            .is_err()
        );
        assert!(
            check_approvable(Standing {
                needs_approval: false,
                ..open
            })
            .is_err()
        );
        assert!(
            check_approvable(Standing {
                withdrawn: true,
                ..open
            })
            .is_err()
        );
        assert_eq!(
            check_withdrawable(Standing {
                effective: true,
                ..open
            }),
            Ok(())
        );
        assert!(
            check_withdrawable(Standing {
                withdrawn: true,
                ..open
            })
            .is_err()
        );
    }

    #[test]
    fn only_a_draft_of_ones_own_agency_may_carry_a_relation() {
        for role in [Role::Staff, Role::Reviewer] {
            assert_eq!(
                check_record(&who(role, 1), 1, Status::Draft, 1),
                Ok(Approval::NotNeeded)
            );
            assert_eq!(
                check_record(&who(role, 1), 1, Status::Returned, 2),
                Ok(Approval::Office),
                "another agency's document needs the office"
            );
            assert_eq!(
                check_record(&who(role, 2), 1, Status::Draft, 2),
                Err(DomainError::Forbidden),
                "not the source agency"
            );
            for s in [
                Status::Submitted,
                Status::Approved,
                Status::Published,
                Status::Withdrawn,
            ] {
                assert!(
                    matches!(
                        check_record(&who(role, 1), 1, s, 1),
                        Err(DomainError::Conflict { .. })
                    ),
                    "{s:?}"
                );
            }
        }
        assert_eq!(
            check_record(&who(Role::Office, 9), 1, Status::Draft, 2),
            Ok(Approval::NotNeeded)
        );
    }

    #[test]
    fn the_office_approves_and_the_source_agency_withdraws() {
        assert!(check_approve(&who(Role::Office, 9)).is_ok());
        assert!(check_approve(&who(Role::Admin, 9)).is_ok());
        assert!(check_approve(&who(Role::Reviewer, 1)).is_err());
        assert!(check_withdraw(&who(Role::Staff, 1), 1).is_ok());
        assert!(check_withdraw(&who(Role::Staff, 2), 1).is_err());
        assert!(check_withdraw(&who(Role::Office, 9), 1).is_ok());
    }

    #[test]
    fn effect_waits_for_the_reviewed_version_and_approval() {
        assert!(!takes_effect(5, None, true));
        assert!(!takes_effect(5, Some(4), true), "an older public version");
        assert!(takes_effect(5, Some(5), true));
        assert!(takes_effect(5, Some(7), true));
        assert!(!takes_effect(5, Some(5), false));
    }

    #[test]
    fn withdrawing_restores_the_validity_of_what_remains() {
        use RelationKind::*;
        assert_eq!(validity_after(&[], Validity::Current), Validity::Current);
        assert_eq!(
            validity_after(&[Amends], Validity::Current),
            Validity::Amended
        );
        assert_eq!(
            validity_after(&[Amends, Repeals], Validity::Current),
            Validity::Repealed
        );
        assert_eq!(validity_after(&[], Validity::Expired), Validity::Expired);
    }
}
