//! When list records are due, how long some stay public, and when a list has gone stale.

use chrono::{Datelike, Months, NaiveDate};

use crate::calendar::WorkCalendar;
use crate::error::DomainError;

/// How soon after its event a record must be public.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Limit {
    WorkingDays(u32),
    /// Calendar days (预算法第十四条 counts 二十日).
    Days(u32),
}

impl Limit {
    pub fn due(self, event: NaiveDate, calendar: &WorkCalendar) -> Result<NaiveDate, DomainError> {
        match self {
            Limit::WorkingDays(n) => Ok(calendar.add_workdays(event, n)?.end),
            Limit::Days(n) => Ok(event + chrono::Days::new(u64::from(n))),
        }
    }

    pub fn label(self) -> String {
        match self {
            Limit::WorkingDays(n) => format!("{n} 个工作日"),
            Limit::Days(n) => format!("{n} 日"),
        }
    }
}

/// 一般失信 penalties are shown for one year from the decision, 严重失信 for three; then they
/// leave public view (《失信行为纠正后的信用信息修复管理办法(试行)》 公示期).
pub fn penalty_public_until(decided_on: NaiveDate, serious: bool) -> NaiveDate {
    let months = if serious { 36 } else { 12 };
    decided_on
        .checked_add_months(Months::new(months))
        .unwrap_or(NaiveDate::MAX)
}

/// Days before a negative-list item's review date from which the office is reminded.
pub const REVIEW_NOTICE_DAYS: i64 = 30;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Review {
    NotYet,
    /// Due within the notice period.
    Soon,
    Overdue,
}

pub fn review_state(review_on: NaiveDate, today: NaiveDate) -> Review {
    if review_on < today {
        Review::Overdue
    } else if (review_on - today).num_days() <= REVIEW_NOTICE_DAYS {
        Review::Soon
    } else {
        Review::NotYet
    }
}

/// The date by which a dataset updated on `updated_on` at `frequency` needs its next update;
/// `None` for 不定期 (no promise made). A grace of the period itself again is not given: the
/// catalogue states the frequency, so the next update is due one period on.
pub fn dataset_next_update(frequency: &str, updated_on: NaiveDate) -> Option<NaiveDate> {
    let days = |n: u64| updated_on.checked_add_days(chrono::Days::new(n));
    let months = |n: u32| updated_on.checked_add_months(Months::new(n));
    match frequency {
        // A real-time feed that has not moved for a week has stopped.
        "实时" => days(7),
        "每日" => days(2),
        "每周" => days(8),
        "每月" => months(1).and_then(|d| d.checked_add_days(chrono::Days::new(3))),
        "每季度" => months(3).and_then(|d| d.checked_add_days(chrono::Days::new(7))),
        "每半年" => months(6).and_then(|d| d.checked_add_days(chrono::Days::new(15))),
        "每年" => months(12).and_then(|d| d.checked_add_days(chrono::Days::new(30))),
        _ => None,
    }
}

/// The year a record dated `d` is filed under.
pub fn year_of(d: NaiveDate) -> String {
    d.year().to_string()
}
