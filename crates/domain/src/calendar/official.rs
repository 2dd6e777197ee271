//! The State Council holiday notices, embedded at build time.
//!
//! Source: `data/holidays/*.json` (holiday-cn project, MIT; its LICENSE sits beside the data).
//! A file whose `days` list is empty means the notice for that year has not been published
//! yet; such a year counts as having no official data.

use std::collections::{BTreeMap, BTreeSet};
use std::sync::OnceLock;

use chrono::{Datelike, NaiveDate};
use serde::Deserialize;

/// One day named in an official notice: either a holiday (off) or a make-up working day.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct OfficialDay {
    pub name: String,
    pub off: bool,
}

#[derive(Clone, Debug, Default)]
pub struct OfficialCalendar {
    pub days: BTreeMap<NaiveDate, OfficialDay>,
    /// Years whose notice has been published (a non-empty `days` list).
    pub years: BTreeSet<i32>,
}

#[derive(Deserialize)]
struct YearFile {
    year: i32,
    days: Vec<DayEntry>,
}

#[derive(Deserialize)]
struct DayEntry {
    name: String,
    date: NaiveDate,
    #[serde(rename = "isOffDay")]
    is_off_day: bool,
}

macro_rules! embed_years {
    ($($year:literal),* $(,)?) => {
        &[$(($year, include_str!(concat!("../../data/holidays/", $year, ".json")))),*]
    };
}

/// Every embedded notice, by year. Adding a year is one line here plus its JSON file.
pub const EMBEDDED: &[(&str, &str)] = embed_years!(
    "2007", "2008", "2009", "2010", "2011", "2012", "2013", "2014", "2015", "2016", "2017", "2018",
    "2019", "2020", "2021", "2022", "2023", "2024", "2025", "2026", "2027",
);

/// Parses one notice file. Errors name the problem; they can only arise from bad embedded data,
/// which the test suite parses in full.
pub fn parse_year(json: &str) -> Result<(i32, Vec<(NaiveDate, OfficialDay)>), String> {
    let file: YearFile = serde_json::from_str(json).map_err(|e| e.to_string())?;
    let mut out = Vec::with_capacity(file.days.len());
    for d in file.days {
        // A notice lists days of its own year, except make-up days that may spill into the
        // neighbouring year (e.g. 2015's notice names 2015-01-04 for New Year 2015).
        if (d.date.year() - file.year).abs() > 1 {
            return Err(format!(
                "{}: date {} far outside the year",
                file.year, d.date
            ));
        }
        out.push((
            d.date,
            OfficialDay {
                name: d.name,
                off: d.is_off_day,
            },
        ));
    }
    Ok((file.year, out))
}

impl OfficialCalendar {
    pub fn from_files(files: &[(&str, &str)]) -> Result<Self, String> {
        let mut cal = OfficialCalendar::default();
        for (label, json) in files {
            let (year, days) = parse_year(json).map_err(|e| format!("{label}: {e}"))?;
            if !days.is_empty() {
                cal.years.insert(year);
            }
            cal.days.extend(days);
        }
        Ok(cal)
    }
}

/// The embedded calendar, parsed once.
pub fn embedded() -> &'static OfficialCalendar {
    static CAL: OnceLock<OfficialCalendar> = OnceLock::new();
    CAL.get_or_init(|| {
        // The data is compiled in and fully parsed by `embedded_data_parses`; a failure here
        // is a build defect, not a run-time condition.
        OfficialCalendar::from_files(EMBEDDED).expect("embedded holiday data is valid")
    })
}
