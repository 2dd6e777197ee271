//! 行政复议 and 行政诉讼 about a request (条例第五十一条): the annual report's table 四 counts
//! them by kind and result.

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::parse_date;
use crate::error::{DomainError, Field};

labelled_enum!(
    AppealKind, Field::new("kind", "类型"), "救济类型", {
    Review => ("review", "行政复议"),
    LawsuitDirect => ("lawsuit_direct", "行政诉讼(未经复议直接起诉)"),
    LawsuitAfterReview => ("lawsuit_after_review", "行政诉讼(复议后起诉)"),
});

labelled_enum!(
    AppealResult, Field::new("result", "结果"), "结果", {
    Upheld => ("upheld", "结果维持"),
    Corrected => ("corrected", "结果纠正"),
    Other => ("other", "其他结果"),
    Pending => ("pending", "尚未审结"),
});

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AppealDraft {
    pub kind: AppealKind,
    pub filed_on: NaiveDate,
    pub result: AppealResult,
    pub decided_on: Option<NaiveDate>,
    pub note: String,
}

impl AppealDraft {
    pub fn parse(
        kind: &str,
        filed_on: &str,
        result: &str,
        decided_on: &str,
        note: &str,
        today: NaiveDate,
    ) -> Result<Self, DomainError> {
        let kind = AppealKind::parse(kind)?;
        let filed_on = parse_date(filed_on, Field::new("filed_on", "提起日期"))?;
        let result = AppealResult::parse(result)?;
        let decided_field = Field::new("decided_on", "审结日期");
        let decided_on = match decided_on.trim() {
            "" => None,
            d => Some(parse_date(d, decided_field)?),
        };
        match (result, decided_on) {
            (AppealResult::Pending, Some(_)) => {
                return Err(DomainError::invalid(
                    decided_field,
                    "尚未审结的不应填写审结日期",
                ));
            }
            (r, None) if r != AppealResult::Pending => {
                return Err(DomainError::invalid(
                    decided_field,
                    "已审结的请填写审结日期",
                ));
            }
            _ => {}
        }
        for d in std::iter::once(filed_on).chain(decided_on) {
            if d > today {
                return Err(DomainError::invalid(
                    decided_field,
                    format!("日期 {d} 晚于今天"),
                ));
            }
        }
        if decided_on.is_some_and(|d| d < filed_on) {
            return Err(DomainError::invalid(decided_field, "审结日期早于提起日期"));
        }
        let note = crate::text::bounded_multiline(note, Field::new("note", "说明"), 0, 2000)?;
        Ok(AppealDraft {
            kind,
            filed_on,
            result,
            decided_on,
            note,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn results_need_consistent_dates() {
        let today = NaiveDate::from_ymd_opt(2026, 11, 23).unwrap();
        let ok =
            AppealDraft::parse("review", "2025-01-10", "upheld", "2025-03-01", "", today).unwrap();
        assert_eq!(ok.result, AppealResult::Upheld);
        for (result, decided, field) in [
            ("pending", "2025-03-01", "decided_on"),
            ("corrected", "", "decided_on"),
            ("upheld", "2025-01-01", "decided_on"),
            ("won", "", "result"),
        ] {
            let e =
                AppealDraft::parse("review", "2025-01-10", result, decided, "", today).unwrap_err();
            assert_eq!(e.field().unwrap().name, field, "{result} {decided}");
        }
        assert!(AppealDraft::parse("appeal", "2025-01-10", "pending", "", "", today).is_err());
    }
}
