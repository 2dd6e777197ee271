//! The work calendar: which days count as working days (工作日) for statutory deadlines.
//!
//! A working day is Monday–Friday, minus official holidays, plus official make-up working days
//! (调休上班), with administrator overrides applied last (a local closure, a correction).
//! Every answer carries its explanation so pages can show why a date is what it is.

pub mod lunar;
pub mod official;
pub mod statutory;

use std::collections::BTreeMap;
use std::fmt;
use std::sync::OnceLock;

use chrono::{Datelike, Days, NaiveDate, Weekday};
use serde::Serialize;

use crate::error::{DomainError, Field};
use official::{OfficialCalendar, OfficialDay};

/// Why a day is, or is not, a working day.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum DayReason {
    /// An ordinary Monday–Friday.
    Weekday,
    /// Saturday or Sunday with nothing special about it.
    Weekend,
    /// An official holiday (法定节假日), named as in the notice.
    Holiday { name: String },
    /// A weekend day made a working day by the notice (调休上班).
    MakeupWorkday { name: String },
    /// A statutory holiday (or the weekday in lieu of one) computed from 《全国年节及纪念日
    /// 放假办法》 for a year whose notice is not out yet.
    ProvisionalHoliday { name: String, in_lieu: bool },
    /// An administrator's override of this date.
    Override { workday: bool, note: String },
}

impl DayReason {
    /// Chinese label for pages.
    pub fn label(&self) -> String {
        match self {
            DayReason::Weekday => "工作日".into(),
            DayReason::Weekend => "周末".into(),
            DayReason::Holiday { name } => format!("{name}(法定节假日)"),
            DayReason::MakeupWorkday { name } => format!("{name}调休上班"),
            DayReason::ProvisionalHoliday {
                name,
                in_lieu: false,
            } => format!("{name}(按放假办法推算,以国务院通知为准)"),
            DayReason::ProvisionalHoliday {
                name,
                in_lieu: true,
            } => format!("{name}补假(按放假办法推算,以国务院通知为准)"),
            DayReason::Override {
                workday: true,
                note,
            } => format!("调整为工作日:{note}"),
            DayReason::Override {
                workday: false,
                note,
            } => format!("调整为休息日:{note}"),
        }
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DayInfo {
    pub date: NaiveDate,
    pub workday: bool,
    pub reason: DayReason,
}

/// An administrator's override of one date, stored in the database.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CalendarOverride {
    pub date: NaiveDate,
    pub workday: bool,
    pub note: String,
}

impl CalendarOverride {
    /// Parses an override from form or CLI input; the note is required so that every
    /// deviation from the official calendar explains itself.
    pub fn parse(date: &str, workday: bool, note: &str) -> Result<Self, DomainError> {
        let date = parse_date(date, Field::new("date", "日期"))?;
        let note = crate::text::bounded(note, Field::new("note", "说明"), 1, 200)?;
        Ok(CalendarOverride {
            date,
            workday,
            note,
        })
    }
}

/// A run of consecutive days with the same reason, inside a counted span.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Segment {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: u32,
    pub counted: bool,
    pub reason: DayReason,
}

impl fmt::Display for Segment {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let range = if self.from == self.to {
            format!("{}", self.from)
        } else {
            format!("{} 至 {}", self.from, self.to)
        };
        let verdict = if self.counted { "计入" } else { "不计入" };
        write!(
            f,
            "{range} {}:{verdict} {} 天",
            self.reason.label(),
            self.days
        )
    }
}

/// The result of counting working days: the end date, how many working days lie in
/// `(start, end]`, and the day-by-day reasoning grouped into segments.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct WorkdaySpan {
    pub start: NaiveDate,
    pub end: NaiveDate,
    pub workdays: u32,
    pub segments: Vec<Segment>,
    /// Years touched by the span that have no official notice: their statutory holidays are
    /// computed, their arrangement (调休) unknown, so the end date is provisional.
    pub years_without_data: Vec<i32>,
}

impl WorkdaySpan {
    /// The explanation as lines of Chinese text.
    pub fn explain(&self) -> Vec<String> {
        let mut lines: Vec<String> = self.segments.iter().map(|s| s.to_string()).collect();
        for y in &self.years_without_data {
            lines.push(provisional_note(*y));
        }
        lines
    }

    /// Whether the end date rests on a year without an official notice.
    pub fn provisional(&self) -> bool {
        !self.years_without_data.is_empty()
    }

    /// Only the segments that were skipped (not counted), for compact displays.
    pub fn skipped(&self) -> impl Iterator<Item = &Segment> {
        self.segments.iter().filter(|s| !s.counted)
    }
}

/// How many working days a year has, with its special days.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct YearSummary {
    pub year: i32,
    pub has_official_data: bool,
    pub workdays: Vec<NaiveDate>,
    pub holidays_on_weekdays: Vec<DayInfo>,
    pub makeup_workdays: Vec<DayInfo>,
    pub overrides: Vec<DayInfo>,
}

/// Why a date in `year` is provisional, for explanations.
pub fn provisional_note(year: i32) -> String {
    format!(
        "注意:{year} 年的国务院节假日安排尚未发布,该年按《全国年节及纪念日放假办法》推算法定节假日(不含调休上班),所得期限为暂定,以通知为准"
    )
}

/// Every statutory day the 办法 gives, for the years the lunar calendar is computed; used
/// only for years without a notice.
fn statutory_days() -> &'static BTreeMap<NaiveDate, statutory::StatutoryDay> {
    static DAYS: OnceLock<BTreeMap<NaiveDate, statutory::StatutoryDay>> = OnceLock::new();
    DAYS.get_or_init(|| {
        lunar::YEARS
            .flat_map(statutory::days)
            .map(|d| (d.date, d))
            .collect()
    })
}

/// Upper bound on any span we count, so that a bad input cannot loop for long.
/// 20 + 20 working days plus long holidays is far below this.
pub const MAX_WORKDAYS: u32 = 3_660;

#[derive(Clone, Debug)]
pub struct WorkCalendar {
    official: &'static OfficialCalendar,
    /// Notices loaded into this installation after the build (`gongkai calendar import`).
    imported: OfficialCalendar,
    overrides: BTreeMap<NaiveDate, CalendarOverride>,
}

impl Default for WorkCalendar {
    fn default() -> Self {
        Self::official()
    }
}

impl WorkCalendar {
    /// The embedded official calendar without overrides.
    pub fn official() -> Self {
        WorkCalendar {
            official: official::embedded(),
            imported: OfficialCalendar::default(),
            overrides: BTreeMap::new(),
        }
    }

    /// Adds notices published after the build; a year's imported notice replaces whatever
    /// was shipped for it.
    pub fn with_notices(mut self, notices: OfficialCalendar) -> Self {
        self.imported = notices;
        self
    }

    /// The official calendar with the administrators' overrides applied.
    pub fn with_overrides(overrides: impl IntoIterator<Item = CalendarOverride>) -> Self {
        let mut cal = Self::official();
        cal.overrides = overrides.into_iter().map(|o| (o.date, o)).collect();
        cal
    }

    /// Adds (or replaces) one year's notice, as parsed by [`official::parse_year`].
    pub fn with_notice(mut self, year: i32, days: Vec<(NaiveDate, OfficialDay)>) -> Self {
        self.imported.days.retain(|d, _| d.year() != year);
        self.imported.days.extend(days);
        self.imported.years.insert(year);
        self
    }

    pub fn has_official_data(&self, year: i32) -> bool {
        self.official.years.contains(&year) || self.imported.years.contains(&year)
    }

    /// Whether a date counted between `from` and `to` rests on a year without a notice.
    pub fn provisional_between(&self, from: NaiveDate, to: NaiveDate) -> bool {
        (from.year()..=to.year()).any(|y| !self.has_official_data(y))
    }

    fn official_day(&self, date: NaiveDate) -> Option<&OfficialDay> {
        if self.imported.years.contains(&date.year()) {
            return self.imported.days.get(&date);
        }
        self.imported
            .days
            .get(&date)
            .or_else(|| self.official.days.get(&date))
    }

    /// Classifies one day, with its reason.
    pub fn is_workday(&self, date: NaiveDate) -> DayInfo {
        if let Some(o) = self.overrides.get(&date) {
            return DayInfo {
                date,
                workday: o.workday,
                reason: DayReason::Override {
                    workday: o.workday,
                    note: o.note.clone(),
                },
            };
        }
        if let Some(d) = self.official_day(date) {
            let reason = if d.off {
                DayReason::Holiday {
                    name: d.name.clone(),
                }
            } else {
                DayReason::MakeupWorkday {
                    name: d.name.clone(),
                }
            };
            return DayInfo {
                date,
                workday: !d.off,
                reason,
            };
        }
        if !self.has_official_data(date.year())
            && let Some(d) = statutory_days().get(&date)
        {
            return DayInfo {
                date,
                workday: false,
                reason: DayReason::ProvisionalHoliday {
                    name: d.name.to_string(),
                    in_lieu: d.in_lieu,
                },
            };
        }
        let weekend = matches!(date.weekday(), Weekday::Sat | Weekday::Sun);
        DayInfo {
            date,
            workday: !weekend,
            reason: if weekend {
                DayReason::Weekend
            } else {
                DayReason::Weekday
            },
        }
    }

    /// The date `n` working days after `start` (the start day itself is never counted,
    /// as statutory periods run from the day after the event). `n = 0` gives `start`.
    pub fn add_workdays(&self, start: NaiveDate, n: u32) -> Result<WorkdaySpan, DomainError> {
        if n > MAX_WORKDAYS {
            return Err(DomainError::invalid(
                Field::new("workdays", "工作日数"),
                format!("工作日数不能超过 {MAX_WORKDAYS}"),
            ));
        }
        let mut b = SpanBuilder::new(start);
        let mut day = start;
        while b.workdays < n {
            day = next_day(day)?;
            b.push(self.is_workday(day));
        }
        Ok(b.finish(self, day))
    }

    /// Working days in `(from, to]`. `to` before `from` is an error rather than a negative
    /// count: every caller means "from an event up to a later date".
    pub fn workdays_between(
        &self,
        from: NaiveDate,
        to: NaiveDate,
    ) -> Result<WorkdaySpan, DomainError> {
        if to < from {
            return Err(DomainError::invalid(
                Field::new("to", "截止日期"),
                format!("截止日期 {to} 早于起始日期 {from}"),
            ));
        }
        if (to - from).num_days() > i64::from(MAX_WORKDAYS) * 2 {
            return Err(DomainError::invalid(
                Field::new("to", "截止日期"),
                "日期区间过长".to_string(),
            ));
        }
        let mut b = SpanBuilder::new(from);
        let mut day = from;
        while day < to {
            day = next_day(day)?;
            b.push(self.is_workday(day));
        }
        Ok(b.finish(self, to))
    }

    /// The end of a period that `before` counted from `start` to `end`, counted again on
    /// this calendar (a notice loaded, a correction made): the same number of working days.
    pub fn recount(
        &self,
        before: &WorkCalendar,
        start: NaiveDate,
        end: NaiveDate,
    ) -> Result<NaiveDate, DomainError> {
        let n = before.workdays_between(start, end)?.workdays;
        Ok(self.add_workdays(start, n)?.end)
    }

    /// A warning when the year after `today` has no official notice yet (the State Council
    /// usually publishes it in November or December).
    pub fn coverage_warning(&self, today: NaiveDate) -> Option<String> {
        let next = today.year() + 1;
        if self.has_official_data(next) {
            None
        } else {
            Some(format!(
                "{next} 年的节假日安排尚未载入:在此之前 {next} 年的期限按《全国年节及纪念日放假办法》推算法定节假日,标为暂定;国务院通知发布后请用 gongkai calendar import 载入"
            ))
        }
    }

    pub fn year_summary(&self, year: i32) -> Result<YearSummary, DomainError> {
        let first = NaiveDate::from_ymd_opt(year, 1, 1).ok_or_else(|| {
            DomainError::invalid(Field::new("year", "年份"), format!("年份 {year} 无效"))
        })?;
        let mut s = YearSummary {
            year,
            has_official_data: self.has_official_data(year),
            workdays: Vec::new(),
            holidays_on_weekdays: Vec::new(),
            makeup_workdays: Vec::new(),
            overrides: Vec::new(),
        };
        for day in first.iter_days().take_while(|d| d.year() == year) {
            let info = self.is_workday(day);
            if info.workday {
                s.workdays.push(day);
            }
            match &info.reason {
                DayReason::Holiday { .. } | DayReason::ProvisionalHoliday { .. }
                    if day.weekday().num_days_from_monday() < 5 =>
                {
                    s.holidays_on_weekdays.push(info)
                }
                DayReason::MakeupWorkday { .. } => s.makeup_workdays.push(info),
                DayReason::Override { .. } => s.overrides.push(info),
                _ => {}
            }
        }
        Ok(s)
    }
}

fn next_day(day: NaiveDate) -> Result<NaiveDate, DomainError> {
    day.checked_add_days(Days::new(1))
        .ok_or_else(|| DomainError::invalid(Field::new("date", "日期"), "日期超出范围".to_string()))
}

struct SpanBuilder {
    start: NaiveDate,
    workdays: u32,
    segments: Vec<Segment>,
    years: Vec<i32>,
}

impl SpanBuilder {
    fn new(start: NaiveDate) -> Self {
        SpanBuilder {
            start,
            workdays: 0,
            segments: Vec::new(),
            years: Vec::new(),
        }
    }

    fn push(&mut self, info: DayInfo) {
        if info.workday {
            self.workdays += 1;
        }
        if self.years.last() != Some(&info.date.year()) {
            self.years.push(info.date.year());
        }
        if let Some(last) = self.segments.last_mut()
            && last.counted == info.workday
            && last.reason == info.reason
        {
            last.to = info.date;
            last.days += 1;
            return;
        }
        self.segments.push(Segment {
            from: info.date,
            to: info.date,
            days: 1,
            counted: info.workday,
            reason: info.reason,
        });
    }

    fn finish(self, cal: &WorkCalendar, end: NaiveDate) -> WorkdaySpan {
        let years_without_data = self
            .years
            .into_iter()
            .filter(|y| !cal.has_official_data(*y))
            .collect();
        WorkdaySpan {
            start: self.start,
            end,
            workdays: self.workdays,
            segments: self.segments,
            years_without_data,
        }
    }
}

/// Parses a civil date in ISO form (`2024-09-27`), also accepting full-width digits and
/// `2024/9/27`, which staff commonly type.
pub fn parse_date(input: &str, field: Field) -> Result<NaiveDate, DomainError> {
    let normal: String = crate::text::halfwidth(input.trim());
    let normal = normal.replace('/', "-");
    NaiveDate::parse_from_str(&normal, "%Y-%m-%d").map_err(|_| {
        DomainError::invalid(
            field,
            format!("日期“{}”无效,应为 年-月-日,例如 2024-09-27", input.trim()),
        )
    })
}

#[cfg(test)]
mod tests;
