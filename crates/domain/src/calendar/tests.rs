use super::*;
use proptest::prelude::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn cal() -> WorkCalendar {
    WorkCalendar::official()
}

#[test]
fn embedded_data_parses_and_covers_2007_to_2026() {
    let c = cal();
    for y in 2007..=2026 {
        assert!(c.has_official_data(y), "{y} should have data");
    }
    // The 2027 notice had not been published when the data was taken: an empty file.
    assert!(!c.has_official_data(2027));
    assert!(!c.has_official_data(2028));
}

#[test]
fn twenty_workdays_from_2024_09_27_cross_national_day() {
    let span = cal().add_workdays(d("2024-09-27"), 20).unwrap();
    // 09-29 (Sunday) and 10-12 (Saturday) were make-up working days; 10-01..10-07 off.
    assert_eq!(span.end, d("2024-10-30"));
    assert_eq!(span.workdays, 20);
    let lines = span.explain();
    assert!(
        lines
            .iter()
            .any(|l| l == "2024-09-29 国庆节调休上班:计入 1 天"),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l == "2024-10-01 至 2024-10-07 国庆节(法定节假日):不计入 7 天"),
        "{lines:#?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l == "2024-10-12 国庆节调休上班:计入 1 天"),
        "{lines:#?}"
    );
    assert!(span.years_without_data.is_empty());
    let skipped: u32 = span.skipped().map(|s| s.days).sum();
    // 09-28 Sat, 10-01..07, 10-13 Sun, 10-19/20, 10-26/27
    assert_eq!(skipped, 1 + 7 + 1 + 2 + 2);
}

#[test]
fn spring_festival_2026() {
    let c = cal();
    // 2026-02-15 (Sun) to 02-23 (Mon) off; 02-14 and 02-28 (Saturdays) are working days.
    assert!(c.is_workday(d("2026-02-14")).workday);
    assert_eq!(
        c.is_workday(d("2026-02-14")).reason,
        DayReason::MakeupWorkday {
            name: "春节".into()
        }
    );
    for day in [
        "2026-02-15",
        "2026-02-16",
        "2026-02-20",
        "2026-02-22",
        "2026-02-23",
    ] {
        let info = c.is_workday(d(day));
        assert!(!info.workday, "{day}");
        assert_eq!(
            info.reason,
            DayReason::Holiday {
                name: "春节".into()
            },
            "{day}"
        );
    }
    assert!(c.is_workday(d("2026-02-28")).workday);
    assert_eq!(
        c.add_workdays(d("2026-02-13"), 1).unwrap().end,
        d("2026-02-14")
    );
    assert_eq!(
        c.add_workdays(d("2026-02-13"), 2).unwrap().end,
        d("2026-02-24")
    );
    assert_eq!(
        c.add_workdays(d("2026-02-10"), 10).unwrap().end,
        d("2026-03-02")
    );
    assert_eq!(
        c.workdays_between(d("2026-02-13"), d("2026-02-28"))
            .unwrap()
            .workdays,
        6
    );
}

/// For each year, one weekday that was a holiday and one weekend day that was a working day,
/// taken from the State Council notices.
#[test]
fn weekday_holidays_and_weekend_workdays_2020_to_2026() {
    let c = cal();
    let cases = [
        // (weekday holiday, holiday name, weekend working day, its name)
        (
            "2020-10-01",
            "国庆节、中秋节",
            "2020-09-27",
            "国庆节、中秋节",
        ),
        ("2020-01-30", "春节", "2020-01-19", "春节"),
        ("2021-02-11", "春节", "2021-02-07", "春节"),
        ("2021-09-20", "中秋节", "2021-09-18", "中秋节"),
        ("2022-01-31", "春节", "2022-01-29", "春节"),
        ("2022-10-07", "国庆节", "2022-10-09", "国庆节"),
        ("2023-01-23", "春节", "2023-01-28", "春节"),
        (
            "2023-09-29",
            "中秋节、国庆节",
            "2023-10-07",
            "中秋节、国庆节",
        ),
        ("2024-02-12", "春节", "2024-02-04", "春节"),
        ("2024-10-07", "国庆节", "2024-10-12", "国庆节"),
        ("2025-01-28", "春节", "2025-01-26", "春节"),
        (
            "2025-10-08",
            "国庆节、中秋节",
            "2025-10-11",
            "国庆节、中秋节",
        ),
        ("2026-01-02", "元旦", "2026-01-04", "元旦"),
        ("2026-10-07", "国庆节", "2026-09-20", "国庆节"),
    ];
    for (holiday, hname, workday, wname) in cases {
        let h = c.is_workday(d(holiday));
        assert!(
            d(holiday).weekday().num_days_from_monday() < 5,
            "{holiday} is a weekday"
        );
        assert!(!h.workday, "{holiday}");
        assert_eq!(
            h.reason,
            DayReason::Holiday { name: hname.into() },
            "{holiday}"
        );
        let w = c.is_workday(d(workday));
        assert!(
            d(workday).weekday().num_days_from_monday() >= 5,
            "{workday} is a weekend day"
        );
        assert!(w.workday, "{workday}");
        assert_eq!(
            w.reason,
            DayReason::MakeupWorkday { name: wname.into() },
            "{workday}"
        );
    }
}

#[test]
fn ordinary_days() {
    let c = cal();
    assert_eq!(c.is_workday(d("2026-11-23")).reason, DayReason::Weekday);
    assert_eq!(c.is_workday(d("2026-11-22")).reason, DayReason::Weekend);
    assert!(!c.is_workday(d("2026-11-22")).workday);
}

#[test]
fn year_summary_2026_matches_the_notice() {
    let s = cal().year_summary(2026).unwrap();
    // 261 weekdays − 19 weekday holidays + 6 make-up working days.
    assert_eq!(s.holidays_on_weekdays.len(), 19);
    assert_eq!(
        s.makeup_workdays
            .iter()
            .map(|i| i.date.to_string())
            .collect::<Vec<_>>(),
        [
            "2026-01-04",
            "2026-02-14",
            "2026-02-28",
            "2026-05-09",
            "2026-09-20",
            "2026-10-10"
        ]
    );
    assert_eq!(s.workdays.len(), 248);
    assert!(s.has_official_data);
}

#[test]
fn overrides_take_precedence_and_explain_themselves() {
    let closure = CalendarOverride::parse("2026-11-24", false, "台风停工").unwrap();
    let correction = CalendarOverride::parse("2026-11-28", true, "补班").unwrap();
    let c = WorkCalendar::with_overrides([closure, correction]);
    let info = c.is_workday(d("2026-11-24"));
    assert!(!info.workday);
    assert_eq!(info.reason.label(), "调整为休息日:台风停工");
    assert!(c.is_workday(d("2026-11-28")).workday);
    // 11-23 Mon: +1 skips the closed Tuesday; +4 reaches the Saturday made a working day.
    assert_eq!(
        c.add_workdays(d("2026-11-23"), 1).unwrap().end,
        d("2026-11-25")
    );
    assert_eq!(
        c.add_workdays(d("2026-11-23"), 4).unwrap().end,
        d("2026-11-28")
    );
    let s = c.year_summary(2026).unwrap();
    assert_eq!(s.overrides.len(), 2);
    assert_eq!(s.workdays.len(), 248);
}

#[test]
fn override_input_is_validated() {
    assert_eq!(
        CalendarOverride::parse("2026-02-30", false, "x")
            .unwrap_err()
            .field()
            .unwrap()
            .name,
        "date"
    );
    assert_eq!(
        CalendarOverride::parse("昨天", false, "x")
            .unwrap_err()
            .field()
            .unwrap()
            .name,
        "date"
    );
    assert_eq!(
        CalendarOverride::parse("2026-02-03", false, " ")
            .unwrap_err()
            .field()
            .unwrap()
            .name,
        "note"
    );
    assert_eq!(
        CalendarOverride::parse("２０２６/2/3", false, "停电")
            .unwrap()
            .date,
        d("2026-02-03")
    );
}

#[test]
fn years_without_data_are_flagged() {
    let span = cal().add_workdays(d("2027-01-01"), 3).unwrap();
    assert_eq!(span.years_without_data, vec![2027]);
    assert!(span.provisional());
    assert!(
        span.explain()
            .last()
            .unwrap()
            .contains("2027 年的国务院节假日安排尚未发布")
    );
    assert!(
        !cal()
            .add_workdays(d("2026-03-02"), 20)
            .unwrap()
            .provisional()
    );
    assert!(
        cal()
            .coverage_warning(d("2026-11-23"))
            .unwrap()
            .contains("2027")
    );
    assert_eq!(cal().coverage_warning(d("2025-11-23")), None);
}

#[test]
fn bad_spans_are_errors() {
    let c = cal();
    assert!(
        c.workdays_between(d("2024-10-02"), d("2024-10-01"))
            .is_err()
    );
    assert!(c.add_workdays(d("2024-10-01"), MAX_WORKDAYS + 1).is_err());
    assert_eq!(
        c.add_workdays(d("2024-10-01"), 0).unwrap().end,
        d("2024-10-01")
    );
    assert_eq!(
        c.workdays_between(d("2024-10-01"), d("2024-10-01"))
            .unwrap()
            .workdays,
        0
    );
}

fn any_date() -> impl Strategy<Value = NaiveDate> {
    (0i64..(365 * 21)).prop_map(|n| d("2007-01-01") + chrono::Duration::days(n))
}

proptest! {
    #[test]
    fn adding_then_counting_back_gives_n(start in any_date(), n in 0u32..80) {
        let c = cal();
        let span = c.add_workdays(start, n).unwrap();
        prop_assert_eq!(c.workdays_between(start, span.end).unwrap().workdays, n);
        prop_assert_eq!(span.segments.iter().filter(|s| s.counted).map(|s| s.days).sum::<u32>(), n);
        if n > 0 {
            prop_assert!(c.is_workday(span.end).workday);
            prop_assert!(span.end > start);
        }
    }

    #[test]
    fn deadlines_are_monotonic(start in any_date(), n in 0u32..60) {
        let c = cal();
        let a = c.add_workdays(start, n).unwrap().end;
        let b = c.add_workdays(start, n + 1).unwrap().end;
        prop_assert!(b > a);
    }

    #[test]
    fn segments_tile_the_span(start in any_date(), days in 0i64..120) {
        let end = start + chrono::Duration::days(days);
        let span = cal().workdays_between(start, end).unwrap();
        let total: u32 = span.segments.iter().map(|s| s.days).sum();
        prop_assert_eq!(i64::from(total), days);
        let mut next = start + chrono::Duration::days(1);
        for s in &span.segments {
            prop_assert_eq!(s.from, next);
            next = s.to + chrono::Duration::days(1);
        }
    }
}

#[test]
fn a_year_without_a_notice_still_keeps_its_statutory_holidays() {
    // Received 2026-12-07: 20 working days would end 2027-01-04 if 元旦 were a working day.
    let span = cal().add_workdays(d("2026-12-07"), 20).unwrap();
    assert_eq!(span.end, d("2027-01-05"));
    assert_eq!(
        cal().add_workdays(d("2026-12-08"), 20).unwrap().end,
        d("2027-01-06")
    );
    assert!(span.provisional());
    let new_year = cal().is_workday(d("2027-01-01"));
    assert!(!new_year.workday);
    assert_eq!(
        new_year.reason.label(),
        "元旦(按放假办法推算,以国务院通知为准)"
    );
    // 春节 2027 runs from 除夕 (Friday 02-05) to 初三 (Monday 02-08); 初一 and 初二 fall on
    // the weekend and are made up on Tuesday and Wednesday.
    for day in ["2027-02-05", "2027-02-08", "2027-02-09", "2027-02-10"] {
        assert!(!cal().is_workday(d(day)).workday, "{day}");
    }
    assert!(cal().is_workday(d("2027-02-11")).workday);
    // 国庆 2027-10-02/03 fall on a weekend: made up on 10-04 and 10-05.
    let lieu = cal().is_workday(d("2027-10-05"));
    assert!(!lieu.workday);
    assert!(lieu.reason.label().starts_with("国庆节补假"));
    // A year that has its notice is never second-guessed by the computation.
    assert_eq!(
        cal().is_workday(d("2026-10-04")).reason,
        DayReason::Holiday {
            name: "国庆节".into()
        }
    );
    assert!(
        cal().is_workday(d("2026-10-10")).workday,
        "make-up Saturday stays a working day"
    );
}

#[test]
fn an_imported_notice_replaces_the_computed_year() {
    let notice = r#"{"year": 2027, "papers": [], "days": [
        {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
        {"name": "春节", "date": "2027-02-06", "isOffDay": true},
        {"name": "春节", "date": "2027-02-14", "isOffDay": false}
    ]}"#;
    let notices = official::OfficialCalendar::from_files(&[("2027.json", notice)]).unwrap();
    let c = cal().with_notices(notices);
    assert!(c.has_official_data(2027));
    assert!(!c.add_workdays(d("2026-12-08"), 20).unwrap().provisional());
    assert!(
        c.is_workday(d("2027-02-05")).workday,
        "the notice, not the computation"
    );
    assert!(c.is_workday(d("2027-02-14")).workday, "make-up Sunday");
    assert_eq!(
        c.is_workday(d("2027-01-01")).reason,
        DayReason::Holiday {
            name: "元旦".into()
        }
    );
}
