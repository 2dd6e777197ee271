//! The statutory holidays of 《全国年节及纪念日放假办法》 for a year, computed.
//!
//! The State Council's yearly notice arranges the days (it moves weekends to make week-long
//! breaks); the 办法 fixes which days are holidays at all. Until a year's notice is
//! published, deadlines count those days off, so that a date such as 元旦 is never counted
//! as a working day; such deadlines are provisional.
//!
//! The 办法 as in force each year:
//! - 2000–2007 (1999 amendment): 元旦 1; 春节 3 (初一–初三); 劳动节 3; 国庆节 3.
//! - 2008–2013 (2007 amendment): 元旦 1; 春节 3 (除夕–初二); 清明节 1; 劳动节 1; 端午节 1;
//!   中秋节 1; 国庆节 3.
//! - 2014–2024 (2013 amendment): as 2008, but 春节 初一–初三.
//! - 2025 on (2024 amendment): 元旦 1; 春节 4 (除夕–初三); 清明节 1; 劳动节 2; 端午节 1;
//!   中秋节 1; 国庆节 3.
//!
//! The 办法 also says a holiday that falls on a Saturday or Sunday is made up on a working
//! day (补假); [`days`] gives that day too: the first weekday after the holiday that is not
//! itself a holiday.

use chrono::{Datelike, Days, NaiveDate, Weekday};

use super::lunar;

/// One computed day off.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StatutoryDay {
    pub date: NaiveDate,
    /// The holiday, as the notices name it (`春节`, `国庆节`).
    pub name: &'static str,
    /// A weekday given in place of a holiday that fell on a weekend.
    pub in_lieu: bool,
}

fn ymd(year: i32, month: u32, day: u32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, month, day)
}

fn run(first: Option<NaiveDate>, len: u64) -> Vec<NaiveDate> {
    first
        .into_iter()
        .flat_map(|d| (0..len).filter_map(move |i| d.checked_add_days(Days::new(i))))
        .collect()
}

/// The holidays themselves, by the 办法 in force in `year`; empty outside the years the
/// lunar calendar is computed for or before the 1999 办法.
pub fn holidays(year: i32) -> Vec<StatutoryDay> {
    if year < 2000 || !lunar::YEARS.contains(&year) {
        return Vec::new();
    }
    let new_year = lunar::date(year, 1, 1);
    let eve = lunar::new_years_eve(year);
    let (spring, labour): (Vec<NaiveDate>, u64) = match year {
        ..=2007 => (run(new_year, 3), 3),
        2008..=2013 => (run(eve, 3), 1),
        2014..=2024 => (run(new_year, 3), 1),
        _ => (run(eve, 4), 2),
    };
    let mut named: Vec<(&'static str, Vec<NaiveDate>)> = vec![
        ("元旦", run(ymd(year, 1, 1), 1)),
        ("春节", spring),
        ("劳动节", run(ymd(year, 5, 1), labour)),
        ("国庆节", run(ymd(year, 10, 1), 3)),
    ];
    if year >= 2008 {
        named.push(("清明节", vec![lunar::solar_term(year, 15.0)]));
        named.push(("端午节", run(lunar::date(year, 5, 5), 1)));
        named.push(("中秋节", run(lunar::date(year, 8, 15), 1)));
    }
    let mut out: Vec<StatutoryDay> = named
        .into_iter()
        .flat_map(|(name, dates)| {
            dates.into_iter().map(move |date| StatutoryDay {
                date,
                name,
                in_lieu: false,
            })
        })
        .collect();
    out.sort_by_key(|d| d.date);
    // 中秋 on 国庆: one day, two holidays; the notice names it once.
    out.dedup_by_key(|d| d.date);
    out
}

fn weekend(d: NaiveDate) -> bool {
    matches!(d.weekday(), Weekday::Sat | Weekday::Sun)
}

/// The holidays and the weekdays given in lieu of those that fell on a weekend.
pub fn days(year: i32) -> Vec<StatutoryDay> {
    let holidays = holidays(year);
    let mut out = holidays.clone();
    for h in holidays.iter().filter(|h| weekend(h.date)) {
        let mut d = h.date;
        // Bounded: at most a week of weekends and holidays lies ahead of any holiday.
        for _ in 0..14 {
            let Some(next) = d.succ_opt() else { break };
            d = next;
            if !weekend(d) && !out.iter().any(|o| o.date == d) {
                out.push(StatutoryDay {
                    date: d,
                    name: h.name,
                    in_lieu: true,
                });
                break;
            }
        }
    }
    out.sort_by_key(|d| d.date);
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calendar::official;

    fn d(s: &str) -> NaiveDate {
        s.parse().unwrap()
    }

    #[test]
    fn lunar_new_year_matches_the_published_calendar() {
        // 正月初一 as printed in the 紫金山天文台 calendars, including the years around the
        // 2033 leap eleventh month, where simplified rules go wrong.
        let known = [
            (2000, "2000-02-05"),
            (2001, "2001-01-24"),
            (2004, "2004-01-22"),
            (2006, "2006-01-29"),
            (2012, "2012-01-23"),
            (2017, "2017-01-28"),
            (2020, "2020-01-25"),
            (2023, "2023-01-22"),
            (2024, "2024-02-10"),
            (2025, "2025-01-29"),
            (2026, "2026-02-17"),
            (2027, "2027-02-06"),
            (2028, "2028-01-26"),
            (2029, "2029-02-13"),
            (2030, "2030-02-03"),
            (2033, "2033-01-31"),
            (2034, "2034-02-19"),
            (2035, "2035-02-08"),
        ];
        for (year, date) in known {
            assert_eq!(lunar::date(year, 1, 1), Some(d(date)), "{year}");
        }
        assert_eq!(lunar::date(2027, 8, 15), Some(d("2027-09-15")));
        let leap = |y: i32| -> Vec<u32> {
            lunar::months(y)
                .iter()
                .filter(|m| m.leap)
                .map(|m| m.number)
                .collect()
        };
        assert_eq!(leap(2020), vec![4]);
        assert_eq!(leap(2023), vec![2]);
        assert_eq!(leap(2025), vec![6]);
        assert_eq!(leap(2026), Vec::<u32>::new());
        assert_eq!(
            leap(2034),
            vec![11],
            "闰十一月 of 2033 lies in 2034's lunar span"
        );
        assert_eq!(lunar::date(2028, 8, 15), Some(d("2028-10-03")));
    }

    #[test]
    fn every_computed_year_is_a_well_formed_lunisolar_year() {
        for year in lunar::YEARS {
            let months = lunar::months(year);
            assert!(months.len() == 12 || months.len() == 13, "{year}");
            assert_eq!(months.iter().filter(|m| m.leap).count(), months.len() - 12);
            for pair in months.windows(2) {
                let len = (pair[1].first_day - pair[0].first_day).num_days();
                assert!(len == 29 || len == 30, "{year}: {pair:?}");
            }
            let in_range = |d: Option<NaiveDate>, from: (u32, u32), to: (u32, u32)| {
                let d = d.unwrap();
                let (lo, hi) = (
                    ymd(year, from.0, from.1).unwrap(),
                    ymd(year, to.0, to.1).unwrap(),
                );
                assert!(lo <= d && d <= hi, "{year}: {d} outside {lo}..{hi}");
            };
            in_range(lunar::date(year, 1, 1), (1, 21), (2, 20));
            in_range(lunar::date(year, 5, 5), (5, 26), (6, 26));
            in_range(lunar::date(year, 8, 15), (9, 7), (10, 8));
            in_range(Some(lunar::solar_term(year, 15.0)), (4, 4), (4, 6));
            if year >= 2025 {
                // 13 days; 中秋 on 国庆 makes it 12.
                assert!((12..=13).contains(&holidays(year).len()), "{year}");
            }
        }
    }

    #[test]
    fn every_computed_holiday_is_off_in_the_official_notices() {
        let cal = official::embedded();
        let mut checked = 0;
        for year in 2007..=2026 {
            assert!(cal.years.contains(&year), "{year} has a notice");
            for h in holidays(year) {
                let day = cal.days.get(&h.date);
                assert!(
                    day.is_some_and(|o| o.off),
                    "{year}: {} {} is not off in the notice ({day:?})",
                    h.date,
                    h.name
                );
                checked += 1;
            }
        }
        // 7 holidays a year with 11 days (2008–2024), 13 from 2025; 2007 had 10 days.
        assert!(checked > 19 * 11, "{checked}");
    }

    #[test]
    fn the_lunar_holidays_fall_where_the_notices_name_them() {
        let cal = official::embedded();
        for year in 2008..=2026 {
            for h in holidays(year) {
                if h.name == "元旦" || h.name == "劳动节" || h.name == "国庆节" {
                    continue;
                }
                let named = &cal.days[&h.date].name;
                assert!(
                    named.contains(h.name) || named.contains("国庆"),
                    "{year}: {} computed as {}, the notice says {named}",
                    h.date,
                    h.name
                );
            }
        }
    }

    #[test]
    fn the_2024_amendment_gives_four_days_of_spring_festival_and_two_of_labour_day() {
        let names = |y: i32, n: &str| -> Vec<NaiveDate> {
            holidays(y)
                .into_iter()
                .filter(|h| h.name == n)
                .map(|h| h.date)
                .collect()
        };
        assert_eq!(
            names(2026, "春节"),
            vec![
                d("2026-02-16"),
                d("2026-02-17"),
                d("2026-02-18"),
                d("2026-02-19")
            ]
        );
        assert_eq!(
            names(2026, "劳动节"),
            vec![d("2026-05-01"), d("2026-05-02")]
        );
        assert_eq!(names(2024, "春节").len(), 3);
        assert_eq!(
            names(2024, "春节")[0],
            d("2024-02-10"),
            "初一 to 初三 before 2025"
        );
        assert_eq!(
            names(2010, "春节")[0],
            d("2010-02-13"),
            "除夕 to 初二 in 2008–2013"
        );
        assert_eq!(names(2024, "劳动节"), vec![d("2024-05-01")]);
        // 2027: 元旦 Friday, 春节 from 除夕 2027-02-05, 清明 04-05, 端午 06-09, 中秋 09-15.
        let y2027: Vec<(NaiveDate, &str)> = holidays(2027)
            .into_iter()
            .map(|h| (h.date, h.name))
            .collect();
        assert_eq!(y2027.len(), 13);
        assert!(y2027.contains(&(d("2027-01-01"), "元旦")));
        assert!(y2027.contains(&(d("2027-02-05"), "春节")));
        assert!(y2027.contains(&(d("2027-04-05"), "清明节")));
        assert!(y2027.contains(&(d("2027-06-09"), "端午节")));
        assert!(y2027.contains(&(d("2027-09-15"), "中秋节")));
    }

    #[test]
    fn days_in_lieu_follow_weekend_holidays() {
        // 2027-10-02 and 10-03 are a Saturday and a Sunday: made up on Monday and Tuesday.
        let lieu: Vec<NaiveDate> = days(2027)
            .into_iter()
            .filter(|h| h.in_lieu && h.name == "国庆节")
            .map(|h| h.date)
            .collect();
        assert_eq!(lieu, vec![d("2027-10-04"), d("2027-10-05")]);
        let cal = official::embedded();
        let mut off = 0;
        let mut all = 0;
        for year in 2008..=2026 {
            for h in days(year).into_iter().filter(|h| h.in_lieu) {
                all += 1;
                off += usize::from(cal.days.get(&h.date).is_some_and(|o| o.off));
            }
        }
        // The notices give 59 of the 61 days in lieu of 2008–2026 as days off; they moved
        // the other two into a longer break.
        assert!(all > 50 && off * 100 >= all * 95, "{off} of {all}");
    }
}
