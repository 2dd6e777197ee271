//! 意见征集 / 决策预公开: a draft published with its explanation (起草说明) and basis (依据)
//! for a period of public comment (normally at least 30 days: 《重大行政决策程序暂行条例》第十五条),
//! the comments, each one's disposition, and the feedback report (意见采纳情况反馈) due within
//! 10 working days after the decision is published.

pub mod articles;
pub mod comment;
pub mod report;

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::parse_date;
use crate::error::{DomainError, Field};
use crate::text;

pub use articles::{Article, articles, preamble};
pub use comment::{CommentDraft, CommentInput, Disposition, DispositionDraft};
pub use report::{FeedbackReport, Opinion, OpinionGroup, feedback_report};

/// A comment period shorter than this many days needs a stated reason.
pub const NORMAL_PERIOD_DAYS: i64 = 30;

/// Working days after the decision's publication within which the feedback report is due.
pub const REPORT_WORKDAYS: u32 = 10;

labelled_enum!(
    /// Whether the commenter's name (or contact) must be given.
    Identity, Field::new("identity", "署名要求"), "署名要求", {
    Optional => ("optional", "自愿填写"),
    Required => ("required", "必须填写"),
});

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ConsultationInput {
    pub title: String,
    /// 起草说明.
    pub explanation: String,
    /// 依据: the laws and policies the draft rests on.
    pub basis: String,
    /// The draft's text; lines opening with 第…条 are its articles.
    pub draft: String,
    pub opens_on: String,
    pub closes_on: String,
    /// Why the period is shorter than 30 days.
    pub short_reason: String,
    /// Other channels for opinions (letter, e-mail, fax), as published.
    pub channels: String,
    pub name_rule: String,
    pub contact_rule: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct ConsultationDraft {
    pub title: String,
    pub explanation: String,
    pub basis: String,
    pub draft: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub short_reason: Option<String>,
    pub channels: String,
    pub name_rule: Identity,
    pub contact_rule: Identity,
}

/// Where a published consultation stands on a day.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Phase {
    Upcoming,
    Open,
    Closed,
}

impl Phase {
    pub fn on(opens_on: NaiveDate, closes_on: NaiveDate, today: NaiveDate) -> Phase {
        if today < opens_on {
            Phase::Upcoming
        } else if today <= closes_on {
            Phase::Open
        } else {
            Phase::Closed
        }
    }

    /// Comments are taken only while the period runs.
    pub fn check_open(self) -> Result<(), DomainError> {
        let f = Field::new("body", "意见内容");
        match self {
            Phase::Upcoming => Err(DomainError::invalid(f, "征集尚未开始,暂不能提交意见")),
            Phase::Closed => Err(DomainError::invalid(f, "征集已截止,不再接收意见")),
            Phase::Open => Ok(()),
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Phase::Upcoming => "即将开始",
            Phase::Open => "征集中",
            Phase::Closed => "已结束",
        }
    }
}

/// Days of the period, both ends included.
pub fn period_days(opens_on: NaiveDate, closes_on: NaiveDate) -> i64 {
    (closes_on - opens_on).num_days() + 1
}

impl ConsultationDraft {
    pub fn parse(i: &ConsultationInput) -> Result<ConsultationDraft, DomainError> {
        let title = text::bounded(&i.title, Field::new("title", "征集标题"), 4, 200)?;
        let explanation = text::bounded_multiline(
            &i.explanation,
            Field::new("explanation", "起草说明"),
            10,
            20_000,
        )?;
        let basis = text::bounded_multiline(&i.basis, Field::new("basis", "起草依据"), 2, 5_000)?;
        let draft =
            text::bounded_multiline(&i.draft, Field::new("draft", "草案全文"), 10, 100_000)?;
        for (value, field) in [
            (&title, Field::new("title", "征集标题")),
            (&explanation, Field::new("explanation", "起草说明")),
            (&basis, Field::new("basis", "起草依据")),
            (&draft, Field::new("draft", "草案全文")),
        ] {
            text::reject_active_markup(value, field)?;
        }
        let opens_on = parse_date(&i.opens_on, Field::new("opens_on", "开始日期"))?;
        let closes_on = parse_date(&i.closes_on, Field::new("closes_on", "截止日期"))?;
        if closes_on < opens_on {
            return Err(DomainError::invalid(
                Field::new("closes_on", "截止日期"),
                "截止日期不能早于开始日期",
            ));
        }
        let days = period_days(opens_on, closes_on);
        let short_reason = if days < NORMAL_PERIOD_DAYS {
            let f = Field::new("short_reason", "期限少于30日的理由");
            let reason = text::bounded_multiline(&i.short_reason, f, 0, 1_000)?;
            if reason.chars().count() < 4 {
                return Err(DomainError::invalid(
                    f,
                    format!("征求意见期限为 {days} 日,少于 {NORMAL_PERIOD_DAYS} 日,请说明理由"),
                ));
            }
            text::reject_active_markup(&reason, f)?;
            Some(reason)
        } else {
            None
        };
        let channels = text::bounded_multiline(
            &i.channels,
            Field::new("channels", "其他提交渠道"),
            0,
            1_000,
        )?;
        text::reject_active_markup(&channels, Field::new("channels", "其他提交渠道"))?;
        let rule = |s: &str| {
            if s.trim().is_empty() {
                Ok(Identity::Optional)
            } else {
                Identity::parse(s)
            }
        };
        Ok(ConsultationDraft {
            title,
            explanation,
            basis,
            draft,
            opens_on,
            closes_on,
            short_reason,
            channels,
            name_rule: rule(&i.name_rule)?,
            contact_rule: rule(&i.contact_rule)?,
        })
    }

    pub fn period_days(&self) -> i64 {
        period_days(self.opens_on, self.closes_on)
    }

    /// Said to staff before publishing: a short period is allowed with a reason, never
    /// silently.
    pub fn warning(&self) -> Option<String> {
        let days = self.period_days();
        (days < NORMAL_PERIOD_DAYS)
            .then(|| format!("征求意见期限 {days} 日,少于一般要求的 {NORMAL_PERIOD_DAYS} 日"))
    }

    pub fn check_publishable(&self, today: NaiveDate) -> Result<(), DomainError> {
        check_publishable(self.closes_on, today)
    }
}

/// A consultation can be published only while its period has not ended.
pub fn check_publishable(closes_on: NaiveDate, today: NaiveDate) -> Result<(), DomainError> {
    if closes_on < today {
        return Err(DomainError::invalid(
            Field::new("closes_on", "截止日期"),
            "截止日期已过,不能发布;请修改征集期限",
        ));
    }
    Ok(())
}

/// The feedback report may be published once the period is over and the decision's
/// publication date is known.
pub fn check_report_publishable(
    published: bool,
    phase: Phase,
    decided: bool,
) -> Result<(), DomainError> {
    if !published || phase != Phase::Closed {
        return Err(DomainError::conflict(None, "征集截止后才能发布反馈报告"));
    }
    if !decided {
        return Err(DomainError::invalid(
            Field::new("decided_on", "决策公布日期"),
            "请先填写决策公布日期",
        ));
    }
    Ok(())
}

/// The decision's publication date, entered by staff; it may not precede the period's end
/// (a decision taken before the public was heard out is what this module exists to prevent).
pub fn parse_decision_date(
    input: &str,
    closes_on: NaiveDate,
    today: NaiveDate,
) -> Result<NaiveDate, DomainError> {
    let d = parse_date(input, Field::new("decided_on", "决策公布日期"))?;
    check_decision_date(d, closes_on, today)?;
    Ok(d)
}

pub fn check_decision_date(
    d: NaiveDate,
    closes_on: NaiveDate,
    today: NaiveDate,
) -> Result<(), DomainError> {
    let f = Field::new("decided_on", "决策公布日期");
    if d <= closes_on {
        return Err(DomainError::invalid(f, "决策公布日期应在征集截止之后"));
    }
    if d > today {
        return Err(DomainError::invalid(f, "决策公布日期不能晚于今天"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(opens: &str, closes: &str) -> ConsultationInput {
        ConsultationInput {
            title: "《嘉定区养犬管理办法(征求意见稿)》".into(),
            explanation: "为规范养犬行为,起草本办法,现公开征求意见。".into(),
            basis: "《上海市养犬管理条例》".into(),
            draft: "第一条 为规范养犬行为,制定本办法。\n第二条 本办法适用于本区。".into(),
            opens_on: opens.into(),
            closes_on: closes.into(),
            ..Default::default()
        }
    }

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn a_period_of_thirty_days_needs_no_reason_and_a_shorter_one_does() {
        let ok = ConsultationDraft::parse(&input("2026-01-05", "2026-02-03")).unwrap();
        assert_eq!(ok.period_days(), 30);
        assert_eq!(ok.warning(), None);
        assert_eq!(ok.name_rule, Identity::Optional);
        let e = ConsultationDraft::parse(&input("2026-01-05", "2026-02-02")).unwrap_err();
        assert!(e.to_string().contains("29 日"), "{e}");
        assert_eq!(e.field().unwrap().name, "short_reason");
        let mut short = input("2026-01-05", "2026-01-14");
        short.short_reason = "上级要求限期出台,时间紧迫".into();
        let short = ConsultationDraft::parse(&short).unwrap();
        assert!(short.warning().unwrap().contains("10 日"));
    }

    #[test]
    fn bad_dates_markup_and_rules_are_refused() {
        let e = ConsultationDraft::parse(&input("2026-02-05", "2026-01-05")).unwrap_err();
        assert!(e.to_string().contains("不能早于"));
        assert!(ConsultationDraft::parse(&input("2026-13-05", "2026-01-05")).is_err());
        let mut i = input("2026-01-05", "2026-02-05");
        i.draft = "第一条 <script>alert(1)</script>".into();
        assert!(ConsultationDraft::parse(&i).is_err());
        let mut i = input("2026-01-05", "2026-02-05");
        i.name_rule = "sometimes".into();
        assert!(ConsultationDraft::parse(&i).is_err());
        let mut i = input("2026-01-05", "2026-02-05");
        i.contact_rule = "必须填写".into();
        assert_eq!(
            ConsultationDraft::parse(&i).unwrap().contact_rule,
            Identity::Required
        );
    }

    #[test]
    fn phases_and_publication_follow_the_dates() {
        let c = ConsultationDraft::parse(&input("2026-01-05", "2026-02-05")).unwrap();
        assert_eq!(
            Phase::on(c.opens_on, c.closes_on, d("2026-01-04")),
            Phase::Upcoming
        );
        assert_eq!(
            Phase::on(c.opens_on, c.closes_on, d("2026-01-05")),
            Phase::Open
        );
        assert_eq!(
            Phase::on(c.opens_on, c.closes_on, d("2026-02-05")),
            Phase::Open
        );
        assert_eq!(
            Phase::on(c.opens_on, c.closes_on, d("2026-02-06")),
            Phase::Closed
        );
        assert!(c.check_publishable(d("2026-02-05")).is_ok());
        assert!(c.check_publishable(d("2026-02-06")).is_err());
    }

    #[test]
    fn the_decision_comes_after_the_period_and_not_in_the_future() {
        let closes = d("2026-02-05");
        let today = d("2026-03-01");
        assert!(parse_decision_date("2026-02-05", closes, today).is_err());
        assert!(parse_decision_date("2026-03-02", closes, today).is_err());
        assert_eq!(
            parse_decision_date("2026-02-20", closes, today).unwrap(),
            d("2026-02-20")
        );
    }
}
