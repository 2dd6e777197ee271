//! The clock against real dates of the official calendar. Expected dates were counted by hand
//! from the State Council notices (see the comments), not by the code under test.

use super::*;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn clock(received: &str, events: &[ClockEvent], today: &str) -> Result<Clock, DomainError> {
    compute(&WorkCalendar::official(), d(received), events, d(today))
}

fn counted(c: &Clock) -> u32 {
    c.ledger.iter().filter(|l| l.counted).map(|l| l.days).sum()
}

#[test]
fn received_on_the_last_working_day_before_national_day() {
    // 2024: 10-01..10-07 off; 09-29 (Sun) and 10-12 (Sat) are make-up working days.
    // Counting from 09-30: 10-08..10-11 (4), 10-12 (5), 10-14..18 (10), 21..25 (15),
    // 28..31 (19), 11-01 (20).
    let c = clock("2024-09-30", &[], "2024-10-08").unwrap();
    assert_eq!(c.due, Some(d("2024-11-01")));
    assert_eq!(c.state, ClockState::Running);
    assert_eq!(counted(&c), 20);
    let lines = c.explain();
    assert!(
        lines[0].starts_with("2024-10-01 至 2024-10-07 国庆节(法定节假日):不计入 7 天"),
        "{lines:?}"
    );
    assert!(
        lines
            .iter()
            .any(|l| l.starts_with("2024-10-12 国庆节调休上班:计入 1 天")),
        "{lines:?}"
    );
    // The 补正 notice is due 7 working days after receipt: 10-08..10-11, 10-12, 10-14, 10-15.
    assert_eq!(c.correction_notice_due, d("2024-10-15"));
}

#[test]
fn a_correction_restarts_the_clock() {
    // Received Mon 2024-03-04; notice due 03-13 (7 working days). Corrected 03-20, so 20
    // working days from 03-20: 03-21..04-03 (10), 04-04..06 清明 off, 04-07 (Sun) make-up (11),
    // 04-08..12 (16), 04-15..18 (20).
    let asked = ClockEvent::CorrectionRequested {
        on: d("2024-03-08"),
        deadline: d("2024-03-22"),
    };
    let waiting = clock("2024-03-04", &[asked], "2024-03-15").unwrap();
    assert_eq!(
        waiting.state,
        ClockState::AwaitingCorrection {
            deadline: d("2024-03-22")
        }
    );
    assert_eq!(waiting.due, None);
    assert!(
        waiting
            .explain()
            .iter()
            .any(|l| l.contains("等待申请人补正"))
    );
    let lapsed = clock("2024-03-04", &[asked], "2024-03-25").unwrap();
    assert_eq!(
        lapsed.state,
        ClockState::CorrectionLapsed {
            deadline: d("2024-03-22")
        }
    );

    let c = clock(
        "2024-03-04",
        &[
            asked,
            ClockEvent::CorrectionReceived {
                on: d("2024-03-20"),
            },
        ],
        "2024-03-21",
    )
    .unwrap();
    assert_eq!(c.counting_from, d("2024-03-20"));
    assert_eq!(c.due, Some(d("2024-04-18")));
    assert_eq!(counted(&c), 20);

    // One notice only, within 7 working days, and a correction only before its deadline.
    let second = ClockEvent::CorrectionRequested {
        on: d("2024-03-11"),
        deadline: d("2024-03-29"),
    };
    let e = clock("2024-03-04", &[asked, second], "2024-03-12").unwrap_err();
    assert!(e.to_string().contains("一次性"), "{e}");
    let late = ClockEvent::CorrectionRequested {
        on: d("2024-03-14"),
        deadline: d("2024-03-29"),
    };
    let e = clock("2024-03-04", &[late], "2024-03-14").unwrap_err();
    assert!(e.to_string().contains("2024-03-13"), "{e}");
    let e = clock(
        "2024-03-04",
        &[
            asked,
            ClockEvent::CorrectionReceived {
                on: d("2024-03-25"),
            },
        ],
        "2024-03-25",
    )
    .unwrap_err();
    assert!(e.to_string().contains("视为放弃申请"), "{e}");
}

#[test]
fn a_third_party_consultation_over_spring_festival_is_not_counted() {
    // Received Mon 2025-01-13; counted 01-14..01-17 (4), 01-20 (5); consultation from 01-20 to
    // 02-14 (Spring Festival 01-28..02-04 and the make-up days 01-26, 02-08 all inside it);
    // then 02-17..21 (10), 24..28 (15), 03-03..07 (20).
    let events = [
        ClockEvent::PauseStarted {
            on: d("2025-01-20"),
            pause: PauseKind::ThirdParty,
        },
        ClockEvent::PauseEnded {
            on: d("2025-02-14"),
            pause: PauseKind::ThirdParty,
        },
    ];
    let c = clock("2025-01-13", &events, "2025-02-17").unwrap();
    assert_eq!(c.due, Some(d("2025-03-07")));
    assert_eq!(counted(&c), 20);
    let paused: Vec<&LedgerLine> = c
        .ledger
        .iter()
        .filter(|l| matches!(l.reason, LedgerReason::Paused { .. }))
        .collect();
    assert_eq!(paused.len(), 1);
    assert_eq!(
        (paused[0].from, paused[0].to),
        (d("2025-01-21"), d("2025-02-14"))
    );
    assert!(
        c.explain()
            .iter()
            .any(|l| l.contains("暂停计时:征求第三方意见(条例第三十二条)"))
    );

    // While it is open, there is no due date; the ledger runs to today.
    let open = clock("2025-01-13", &events[..1], "2025-02-05").unwrap();
    assert_eq!(open.due, None);
    assert_eq!(
        open.state,
        ClockState::Paused {
            pauses: vec![PauseKind::ThirdParty]
        }
    );
    assert_eq!(open.ledger.last().unwrap().to, d("2025-02-05"));
}

#[test]
fn an_extension_adds_at_most_twenty_working_days_before_the_due_date() {
    // Due 2024-11-01 as above; +20: 11-04..08 (5), 11..15 (10), 18..22 (15), 25..29 (20).
    let ext = |on: &str, days| ClockEvent::Extended { on: d(on), days };
    let c = clock("2024-09-30", &[ext("2024-10-28", 20)], "2024-10-28").unwrap();
    assert_eq!((c.due, c.limit), (Some(d("2024-11-29")), 40));
    assert_eq!(counted(&c), 40);
    for (events, phrase) in [
        (vec![ext("2024-10-28", 21)], "1–20"),
        (vec![ext("2024-10-28", 0)], "1–20"),
        (
            vec![ext("2024-10-28", 10), ext("2024-10-29", 5)],
            "已经延长过",
        ),
        (vec![ext("2024-11-04", 10)], "不能在届满后延期"),
    ] {
        let e = clock("2024-09-30", &events, "2024-11-04").unwrap_err();
        assert!(e.to_string().contains(phrase), "{phrase}: {e}");
    }
}

#[test]
fn a_fee_notice_stops_the_clock_until_payment() {
    // Received Mon 2024-05-06 (after 劳动节). Counted 05-07..05-10 (4); fee notice 05-10, paid
    // 05-20 (the make-up Saturday 05-11 falls in the pause); 05-21..24 (8), 27..31 (13),
    // 06-03..07 (18), 06-10 端午节 off, 06-11 (19), 06-12 (20).
    let notice = ClockEvent::PauseStarted {
        on: d("2024-05-10"),
        pause: PauseKind::Fee,
    };
    let paid = ClockEvent::PauseEnded {
        on: d("2024-05-20"),
        pause: PauseKind::Fee,
    };
    let c = clock("2024-05-06", &[notice, paid], "2024-05-21").unwrap();
    assert_eq!(c.due, Some(d("2024-06-12")));
    // 20 working days to pay from 05-10: 05-11 (make-up), 05-13..17, 20..24, 27..31, 06-03..06.
    assert_eq!(c.fee_deadline, Some(d("2024-06-06")));
    let unpaid = clock("2024-05-06", &[notice], "2024-06-20").unwrap();
    assert_eq!(
        unpaid.state,
        ClockState::FeeLapsed {
            deadline: d("2024-06-06")
        }
    );
    let e = clock(
        "2024-05-06",
        &[
            notice,
            ClockEvent::PauseEnded {
                on: d("2024-06-07"),
                pause: PauseKind::Fee,
            },
        ],
        "2024-06-07",
    )
    .unwrap_err();
    assert!(
        e.to_string().contains("缴费期限已于 2024-06-06 届满"),
        "{e}"
    );
}

#[test]
fn alerts_before_and_after_the_due_date() {
    let at = |today| clock("2024-09-30", &[], today).unwrap().alert;
    assert_eq!(at("2024-10-21"), None);
    // 10-28: 16 counted, 4 left.
    assert_eq!(at("2024-10-28"), Some(Alert::DueSoon { workdays: 4 }));
    assert_eq!(at("2024-10-31"), Some(Alert::DueTomorrow));
    assert_eq!(at("2024-11-01"), Some(Alert::DueToday));
    assert_eq!(at("2024-11-05"), Some(Alert::Overdue { workdays: 2 }));
    let closed = clock(
        "2024-09-30",
        &[ClockEvent::Closed {
            on: d("2024-11-05"),
        }],
        "2024-11-06",
    )
    .unwrap();
    assert_eq!(
        closed.state,
        ClockState::Closed {
            on: d("2024-11-05"),
            on_time: false
        }
    );
    assert_eq!(closed.alert, None);
}

#[test]
fn on_the_spot_replies_and_bad_orders() {
    let c = clock(
        "2024-09-30",
        &[ClockEvent::Closed {
            on: d("2024-09-30"),
        }],
        "2024-09-30",
    )
    .unwrap();
    assert_eq!(
        c.state,
        ClockState::Closed {
            on: d("2024-09-30"),
            on_time: true
        }
    );
    let closed = ClockEvent::Closed {
        on: d("2024-10-08"),
    };
    let e = clock("2024-09-30", &[closed, closed], "2024-10-09").unwrap_err();
    assert!(e.to_string().contains("已于 2024-10-08 办结"), "{e}");
    let e = clock(
        "2024-09-30",
        &[ClockEvent::Closed {
            on: d("2024-09-29"),
        }],
        "2024-10-09",
    )
    .unwrap_err();
    assert!(e.to_string().contains("早于收到申请之日"), "{e}");
    let e = clock(
        "2024-09-30",
        &[ClockEvent::PauseEnded {
            on: d("2024-10-08"),
            pause: PauseKind::OtherAgency,
        }],
        "2024-10-09",
    )
    .unwrap_err();
    assert!(e.to_string().contains("没有进行中的"), "{e}");
}

#[test]
fn receipt_dates_follow_article_31() {
    let r = |channel, arrived: Option<&str>, confirmed: Option<&str>| Receipt {
        channel,
        submitted_on: d("2024-09-27"),
        arrived_on: arrived.map(d),
        confirmed_on: confirmed.map(d),
    };
    let on = |r: Receipt| r.received_on().unwrap().map(|(d, _)| d);
    assert_eq!(on(r(Channel::InPerson, None, None)), Some(d("2024-09-27")));
    assert_eq!(
        on(r(Channel::RegisteredPost, Some("2024-09-30"), None)),
        Some(d("2024-09-30"))
    );
    assert_eq!(on(r(Channel::RegisteredPost, None, None)), None);
    assert_eq!(
        on(r(
            Channel::OrdinaryPost,
            Some("2024-09-29"),
            Some("2024-09-30")
        )),
        Some(d("2024-09-30"))
    );
    assert_eq!(
        on(r(Channel::Online, None, None)),
        None,
        "not confirmed yet"
    );
    assert_eq!(
        on(r(Channel::Online, None, Some("2024-10-08"))),
        Some(d("2024-10-08"))
    );
    assert_eq!(
        on(r(Channel::Fax, None, Some("2024-09-27"))),
        Some(d("2024-09-27"))
    );
    assert!(
        r(Channel::Online, None, Some("2024-09-26"))
            .received_on()
            .is_err()
    );
    let (_, rule) = r(Channel::RegisteredPost, Some("2024-09-30"), None)
        .received_on()
        .unwrap()
        .unwrap();
    assert!(rule.contains("签收之日"));
}

proptest::proptest! {
    /// Whatever the dates, pauses and extension, the ledger counts exactly the limit, ends on
    /// the due date with a counted working day, and counts nothing inside a pause.
    #[test]
    fn the_ledger_counts_exactly_the_limit(
        start in 0i64..2700,
        pauses in proptest::collection::vec((0i64..30, 0i64..40), 0..3),
        extension in 0u32..=20,
    ) {
        let received = d("2019-01-01") + chrono::Duration::days(start);
        let mut events = Vec::new();
        if extension > 0 {
            events.push(ClockEvent::Extended { on: received, days: extension });
        }
        let mut at = received;
        let kinds = [PauseKind::ThirdParty, PauseKind::OtherAgency, PauseKind::ThirdParty];
        for (i, (gap, length)) in pauses.iter().enumerate() {
            let from = at + chrono::Duration::days(*gap);
            let to = from + chrono::Duration::days(*length);
            events.push(ClockEvent::PauseStarted { on: from, pause: kinds[i] });
            events.push(ClockEvent::PauseEnded { on: to, pause: kinds[i] });
            at = to;
        }
        let cal = WorkCalendar::official();
        let c = compute(&cal, received, &events, at).unwrap();
        let due = c.due.unwrap();
        proptest::prop_assert_eq!(counted(&c), REPLY_DAYS + extension);
        let last = c.ledger.last().unwrap();
        proptest::prop_assert!(last.counted && last.to == due);
        proptest::prop_assert!(cal.is_workday(due).workday);
        for l in &c.ledger {
            if l.counted {
                let is_day = matches!(l.reason, LedgerReason::Day { .. });
                proptest::prop_assert!(is_day, "counted inside a pause: {}", l);
            }
        }
        // Without pauses the clock agrees with the calendar's own count.
        if pauses.is_empty() {
            proptest::prop_assert_eq!(due, cal.add_workdays(received, REPLY_DAYS + extension).unwrap().end);
        }
    }
}

/// The clock events are stored as JSON in `request_events.clock`, and every deadline ever
/// shown is recomputed from them: the stored spelling is a format, not a detail. Each variant
/// is pinned both ways.
#[test]
fn stored_clock_events_keep_their_json() {
    let cases = [
        (
            ClockEvent::CorrectionRequested {
                on: d("2024-09-30"),
                deadline: d("2024-10-15"),
            },
            r#"{"kind":"correction_requested","on":"2024-09-30","deadline":"2024-10-15"}"#,
        ),
        (
            ClockEvent::CorrectionReceived {
                on: d("2024-10-08"),
            },
            r#"{"kind":"correction_received","on":"2024-10-08"}"#,
        ),
        (
            ClockEvent::Extended {
                on: d("2025-01-26"),
                days: 20,
            },
            r#"{"kind":"extended","on":"2025-01-26","days":20}"#,
        ),
        (
            ClockEvent::PauseStarted {
                on: d("2024-10-08"),
                pause: PauseKind::ThirdParty,
            },
            r#"{"kind":"pause_started","on":"2024-10-08","pause":"third_party"}"#,
        ),
        (
            ClockEvent::PauseEnded {
                on: d("2024-10-12"),
                pause: PauseKind::OtherAgency,
            },
            r#"{"kind":"pause_ended","on":"2024-10-12","pause":"other_agency"}"#,
        ),
        (
            ClockEvent::PauseStarted {
                on: d("2024-10-14"),
                pause: PauseKind::Fee,
            },
            r#"{"kind":"pause_started","on":"2024-10-14","pause":"fee"}"#,
        ),
        (
            ClockEvent::Closed {
                on: d("2024-10-21"),
            },
            r#"{"kind":"closed","on":"2024-10-21"}"#,
        ),
    ];
    for (event, json) in cases {
        assert_eq!(serde_json::to_string(&event).unwrap(), json);
        assert_eq!(serde_json::from_str::<ClockEvent>(json).unwrap(), event);
    }
}

#[test]
fn a_consultation_ends_by_law_after_fifteen_working_days() {
    // Received Mon 2024-09-23: 09-24..27 (4), 09-29 Sunday make-up (5), 09-30 (6). Third party
    // consulted from 09-30; its 15 working days: 10-08..11 (4), 10-12 Saturday make-up (5),
    // 10-14..18 (10), 10-21..25 (15). The clock runs again from 10-28: 10-28..11-01 (11),
    // 11-04..08 (16), 11-11..14 (20).
    let started = ClockEvent::PauseStarted {
        on: d("2024-09-30"),
        pause: PauseKind::ThirdParty,
    };
    let forgotten = clock("2024-09-23", &[started], "2026-12-07").unwrap();
    assert_eq!(forgotten.due, Some(d("2024-11-14")));
    assert_eq!(forgotten.state, ClockState::Running);
    assert!(matches!(forgotten.alert, Some(Alert::Overdue { workdays }) if workdays > 480));
    assert_eq!(
        forgotten.lapsed_consultations,
        vec![LapsedConsultation {
            pause: PauseKind::ThirdParty,
            started_on: d("2024-09-30"),
            ended_on: d("2024-10-25"),
        }]
    );
    // Within its 15 days the pause holds and nothing is flagged.
    let waiting = clock("2024-09-23", &[started], "2024-10-25").unwrap();
    assert_eq!(
        waiting.state,
        ClockState::Paused {
            pauses: vec![PauseKind::ThirdParty]
        }
    );
    assert!(waiting.lapsed_consultations.is_empty());
    // The day after, the clock runs again, due 11-14.
    let resumed = clock("2024-09-23", &[started], "2024-10-28").unwrap();
    assert_eq!(
        (resumed.state.clone(), resumed.due),
        (ClockState::Running, Some(d("2024-11-14")))
    );
    assert_eq!(resumed.lapsed_consultations.len(), 1);

    // Another agency's silence for two years: the same 15 days, then overdue.
    let other = [
        ClockEvent::PauseStarted {
            on: d("2024-09-30"),
            pause: PauseKind::OtherAgency,
        },
        ClockEvent::PauseEnded {
            on: d("2026-09-30"),
            pause: PauseKind::OtherAgency,
        },
        ClockEvent::Closed {
            on: d("2026-10-09"),
        },
    ];
    let late = clock("2024-09-23", &other, "2026-10-09").unwrap();
    assert_eq!(late.due, Some(d("2024-11-14")));
    assert_eq!(
        late.state,
        ClockState::Closed {
            on: d("2026-10-09"),
            on_time: false
        }
    );
    assert_eq!(late.lapsed_consultations[0].ended_on, d("2024-10-25"));
    // Ended within its days: counted as it was, not flagged.
    let answered = [
        started,
        ClockEvent::PauseEnded {
            on: d("2024-10-18"),
            pause: PauseKind::ThirdParty,
        },
    ];
    let c = clock("2024-09-23", &answered, "2024-10-21").unwrap();
    assert!(c.lapsed_consultations.is_empty());
    // 10-21..25 (11), 10-28..11-01 (16), 11-04..07 (20).
    assert_eq!(c.due, Some(d("2024-11-07")));
}

#[test]
fn lapsed_steps_ask_to_be_closed() {
    // 补正 asked 2024-03-08 with a deadline of 03-22; two years on, it waits to be closed.
    let asked = ClockEvent::CorrectionRequested {
        on: d("2024-03-08"),
        deadline: d("2024-03-22"),
    };
    let c = clock("2024-03-04", &[asked], "2026-03-04").unwrap();
    let alert = c.alert.unwrap();
    assert_eq!(
        alert,
        Alert::CorrectionLapsed {
            deadline: d("2024-03-22")
        }
    );
    assert!(alert.to_close());
    assert!(alert.label().contains("其他处理"));
    assert_eq!(
        clock("2024-03-04", &[asked], "2024-03-22").unwrap().alert,
        None
    );
    // A fee notice of 2024-05-10 unpaid: 20 working days to pay, to 06-06.
    let fee = ClockEvent::PauseStarted {
        on: d("2024-05-10"),
        pause: PauseKind::Fee,
    };
    let c = clock("2024-05-06", &[fee], "2026-05-06").unwrap();
    assert_eq!(
        c.alert,
        Some(Alert::FeeLapsed {
            deadline: d("2024-06-06")
        })
    );
    assert_eq!(
        clock("2024-05-06", &[fee], "2024-06-06").unwrap().alert,
        None
    );
}

#[test]
fn a_fee_notice_after_the_reply_deadline_is_refused() {
    // Received 2024-09-30: due 2024-11-01 (see above). A notice on the due day is in time; one
    // the next working day is not.
    let on_time = ClockEvent::PauseStarted {
        on: d("2024-11-01"),
        pause: PauseKind::Fee,
    };
    assert!(clock("2024-09-30", &[on_time], "2024-11-01").is_ok());
    let late = ClockEvent::PauseStarted {
        on: d("2024-11-04"),
        pause: PauseKind::Fee,
    };
    let e = clock("2024-09-30", &[late], "2024-11-04").unwrap_err();
    assert!(e.to_string().contains("2024-11-01"), "{e}");
    // An extension moves the period, and the notice with it.
    let extended = [
        ClockEvent::Extended {
            on: d("2024-10-30"),
            days: 10,
        },
        late,
    ];
    assert!(clock("2024-09-30", &extended, "2024-11-04").is_ok());
}

#[test]
fn every_channel_gets_its_receipt_date_from_the_step_that_establishes_it() {
    let base = |channel, arrived: Option<&str>| Receipt {
        channel,
        submitted_on: d("2024-09-27"),
        arrived_on: arrived.map(d),
        confirmed_on: None,
    };
    // Registered post registered without its signing date: the confirmation is the signing.
    let (r, received, rule) = base(Channel::RegisteredPost, None)
        .confirm(d("2024-09-30"), "")
        .unwrap();
    assert_eq!(
        (r.arrived_on, received),
        (Some(d("2024-09-30")), d("2024-09-30"))
    );
    assert!(
        rule.contains("签收之日") && rule.contains("第(二)项"),
        "{rule}"
    );
    // Signed for at registration: that date stands, whenever the office confirms.
    let (_, received, _) = base(Channel::RegisteredPost, Some("2024-09-29"))
        .confirm(d("2024-10-08"), "")
        .unwrap();
    assert_eq!(received, d("2024-09-29"));
    // In person: the day it was handed in.
    let (_, received, rule) = base(Channel::InPerson, None)
        .confirm(d("2024-09-30"), "")
        .unwrap();
    assert_eq!(received, d("2024-09-27"));
    assert!(rule.contains("第(一)项"));
    // Online and ordinary post: the confirmation date, with a reason when it is late.
    for (channel, arrived) in [
        (Channel::Online, None),
        (Channel::Fax, None),
        (Channel::OrdinaryPost, Some("2024-09-27")),
    ] {
        let e = base(channel, arrived)
            .confirm(d("2024-10-08"), " ")
            .unwrap_err();
        assert_eq!(e.field().unwrap().name, "reason", "{channel:?}");
        let (_, received, _) = base(channel, arrived)
            .confirm(d("2024-10-08"), "国庆假期后确认")
            .unwrap();
        assert_eq!(received, d("2024-10-08"));
        let (_, same_day, _) = base(channel, arrived).confirm(d("2024-09-27"), "").unwrap();
        assert_eq!(same_day, d("2024-09-27"));
    }
    // Ordinary post with no arrival date recorded: nothing to compare, no reason asked.
    assert!(
        base(Channel::OrdinaryPost, None)
            .confirm(d("2024-10-08"), "")
            .is_ok()
    );
    // Never before it was submitted.
    assert!(
        base(Channel::RegisteredPost, None)
            .confirm(d("2024-09-26"), "")
            .is_err()
    );
}
