//! 转交: information another agency of the platform holds. The reply is 本机关不掌握 and names
//! that agency with its contact (条例第三十六条第(五)项); the office may then hand the
//! application over, so the applicant need not apply again. The hand-over is a new
//! application of the competent agency, received on the day that agency confirms it (第三十一条
//! 第(三)项), with the applicant's same key.

use super::outcome::{Outcome, Unavailable};
use super::workflow::Status;
use crate::error::{DomainError, Field};

const FIELD: Field = Field::new("referred_agency", "负责公开的机关");

/// The sentence naming the competent agency and how to reach it, for the letter.
pub fn referral(
    name: &str,
    address: Option<&str>,
    postcode: Option<&str>,
    phone: Option<&str>,
) -> String {
    let mut parts = Vec::new();
    if let Some(a) = address.filter(|a| !a.trim().is_empty()) {
        match postcode.filter(|p| !p.trim().is_empty()) {
            Some(p) => parts.push(format!("地址:{a}(邮编 {p})")),
            None => parts.push(format!("地址:{a}")),
        }
    }
    if let Some(p) = phone.filter(|p| !p.trim().is_empty()) {
        parts.push(format!("电话:{p}"));
    }
    if parts.is_empty() {
        name.to_string()
    } else {
        format!("{name}({})", parts.join(","))
    }
}

/// A referral names another agency, and only a 本机关不掌握 reply has one.
pub fn check_referral(outcome: Outcome, own_agency: i64, referred: i64) -> Result<(), DomainError> {
    if outcome != Outcome::Unavailable(Unavailable::NotHeld) {
        return Err(DomainError::invalid(
            FIELD,
            "只有“本机关不掌握相关政府信息”的答复才能告知负责公开的机关",
        ));
    }
    if own_agency == referred {
        return Err(DomainError::invalid(FIELD, "负责公开的机关不能是本机关"));
    }
    Ok(())
}

/// The hand-over happens once, after the reply naming the agency has been delivered.
pub fn check_transferable(
    status: Status,
    referred_agency: Option<i64>,
    already: Option<i64>,
) -> Result<i64, DomainError> {
    if already.is_some() {
        return Err(DomainError::conflict(None, "该申请已转交,不能重复转交"));
    }
    let Some(to) = referred_agency else {
        return Err(DomainError::conflict(
            None,
            "答复中未选择本平台上负责公开的机关,无法转交",
        ));
    };
    if !status.was_replied() {
        return Err(DomainError::conflict(
            None,
            format!("申请{},须先送达告知负责机关的答复再转交", status.label()),
        ));
    }
    Ok(to)
}

/// The description of the handed-over application: the applicant's words, with where they
/// came from.
pub fn transferred_description(from_agency: &str, from_code: &str, description: &str) -> String {
    format!("{description}\n(由{from_agency}转交,原申请查询码 {from_code})")
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::request::outcome::{NotProcessed, Outcome};

    #[test]
    fn the_referral_names_the_agency_and_what_contact_it_has() {
        assert_eq!(
            referral(
                "云溪区教育局",
                Some("云溪路 1 号"),
                Some("100000"),
                Some("0571-1234")
            ),
            "云溪区教育局(地址:云溪路 1 号(邮编 100000),电话:0571-1234)"
        );
        assert_eq!(
            referral("云溪区教育局", None, None, Some(" ")),
            "云溪区教育局"
        );
    }

    #[test]
    fn only_a_not_held_reply_refers_and_never_to_itself() {
        let not_held = Outcome::Unavailable(Unavailable::NotHeld);
        assert!(check_referral(not_held, 1, 2).is_ok());
        assert!(check_referral(not_held, 2, 2).is_err());
        assert!(check_referral(Outcome::Disclosed, 1, 2).is_err());
        assert!(check_referral(Outcome::NotProcessed(NotProcessed::Repeated), 1, 2).is_err());
    }

    #[test]
    fn a_hand_over_comes_once_after_the_reply() {
        assert_eq!(
            check_transferable(Status::Replied, Some(7), None).unwrap(),
            7
        );
        assert_eq!(
            check_transferable(Status::Archived, Some(7), None).unwrap(),
            7
        );
        let e = check_transferable(Status::Approved, Some(7), None).unwrap_err();
        assert!(e.to_string().contains("须先送达"), "{e}");
        assert!(check_transferable(Status::Replied, None, None).is_err());
        let e = check_transferable(Status::Replied, Some(7), Some(9)).unwrap_err();
        assert!(e.to_string().contains("不能重复转交"), "{e}");
    }
}
