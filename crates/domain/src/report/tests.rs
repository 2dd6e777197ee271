use chrono::NaiveDate;
use proptest::prelude::*;

use super::interchange::{from_json, to_json};
use super::tables::{COLUMNS, TOTAL_COLUMN};
use super::*;
use crate::document::WithholdGround;
use crate::request::appeal::{AppealKind, AppealResult};
use crate::request::outcome::{NotProcessed, Unavailable};
use crate::request::{ApplicantKind, Outcome};

/// A small, consistent department report: 10 new + 2 carried in = 9 closed + 3 carried out.
fn sample() -> Report {
    use ApplicantKind::*;
    let counts = RequestCounts {
        counts: vec![
            (Row::New, Person, 7),
            (Row::New, Business, 2),
            (Row::New, LegalService, 1),
            (Row::CarriedIn, Person, 2),
            (Row::Outcome(Outcome::Disclosed), Person, 4),
            (Row::Outcome(Outcome::PartlyDisclosed), Business, 1),
            (
                Row::Outcome(Outcome::Withheld(WithholdGround::ThirdPartyRights)),
                Person,
                1,
            ),
            (
                Row::Outcome(Outcome::Unavailable(Unavailable::NotHeld)),
                Person,
                2,
            ),
            (
                Row::Outcome(Outcome::NotProcessed(NotProcessed::Repeated)),
                LegalService,
                1,
            ),
            (Row::CarriedOut, Person, 2),
            (Row::CarriedOut, Business, 1),
        ],
    };
    Report {
        format: FORMAT_2021.into(),
        agency: "云溪区教育局".into(),
        year: 2025,
        table2: Table2 {
            rules: DocCounts {
                issued: Some(0),
                repealed: Some(0),
                in_force: Some(0),
            },
            normative: DocCounts {
                issued: Some(3),
                repealed: Some(1),
                in_force: Some(14),
            },
            licences: Some(120),
            penalties: Some(35),
            coercions: Some(0),
            fees: Some(WanYuan::parse("1.25").unwrap()),
        },
        table3: Table3::from_counts(&counts),
        table4: Table4::from_counts(&[
            (AppealKind::Review, AppealResult::Upheld, 1),
            (AppealKind::Review, AppealResult::Pending, 1),
            (AppealKind::LawsuitDirect, AppealResult::Corrected, 1),
        ]),
        previous: Some(Previous {
            carried_out: Some([2, 0, 0, 0, 0, 0, 2].map(Some)),
            rules_in_force: Some(0),
            normative_in_force: Some(12),
        }),
        texts: None,
    }
}

fn errors(r: &Report) -> Vec<Finding> {
    check(r)
        .into_iter()
        .filter(|f| f.severity == Severity::Error)
        .collect()
}

#[test]
fn a_report_built_from_counts_passes_every_check() {
    let r = sample();
    assert_eq!(check(&r), vec![]);
    assert_eq!(r.table3.line(Row::Total), &[7, 1, 0, 0, 1, 0, 9].map(Some));
    assert_eq!(
        r.table4.group(AppealKind::Review),
        &[1, 0, 0, 1, 2].map(Some)
    );
}

#[test]
fn each_check_catches_a_planted_error_and_names_the_cell() {
    // 2: a row's 总计 that is not the sum of its columns.
    let mut r = sample();
    r.table3.cells[Row::New.index()][TOTAL_COLUMN] = Some(11);
    let e = errors(&r);
    assert!(
        e.iter().any(|f| f.rule == 2
            && f.cell == "表三“一、本年新收政府信息公开申请数量”行“总计”列"
            && f.message.contains("六类申请人之和为 10")),
        "{e:?}"
    );

    // 3: （七）总计 that is not the sum of the outcome rows (a text saying 258 where the table
    // says 275 starts like this).
    let mut r = sample();
    r.table3.cells[Row::Outcome(Outcome::Disclosed).index()][0] = Some(5);
    r.table3.cells[Row::Outcome(Outcome::Disclosed).index()][TOTAL_COLUMN] = Some(6);
    let e = errors(&r);
    assert!(
        e.iter()
            .any(|f| f.rule == 3 && f.cell == "表三“（七）总计”行“自然人”列"),
        "{e:?}"
    );

    // 4: 一 + 二 ≠ 三（七） + 四 in one column.
    let mut r = sample();
    r.table3.cells[Row::CarriedOut.index()][1] = Some(2);
    r.table3.cells[Row::CarriedOut.index()][TOTAL_COLUMN] = Some(5);
    let e = errors(&r);
    assert!(
        e.iter().any(|f| f.rule == 4
            && f.cell == "表三“四、结转下年度继续办理”行“商业企业”列"
            && f.message.contains("第一项加第二项为 2")),
        "{e:?}"
    );

    // 5: table 四's 总计.
    let mut r = sample();
    r.table4.group_mut(AppealKind::LawsuitAfterReview)[4] = Some(1);
    let e = errors(&r);
    assert!(
        e.iter()
            .any(|f| f.rule == 5 && f.cell == "表四“行政诉讼/复议后起诉”“总计”"),
        "{e:?}"
    );

    // 6: this year's 二 is last year's 四; 现行有效 continues last year's.
    let mut r = sample();
    r.previous.as_mut().unwrap().carried_out = Some([1, 1, 0, 0, 0, 0, 2].map(Some));
    let e = errors(&r);
    assert!(
        e.iter().any(
            |f| f.rule == 6 && f.cell == "表三“二、上年结转政府信息公开申请数量”行“商业企业”列"
        ),
        "{e:?}"
    );
    let mut r = sample();
    r.table2.normative.in_force = Some(15);
    let e = errors(&r);
    assert!(
        e.iter().any(|f| f.rule == 6
            && f.cell == "表二“行政规范性文件”“现行有效件数”"
            && f.message.contains("12 + 本年制发 3 − 本年废止 1 = 14")),
        "{e:?}"
    );

    // 7: the text states a different figure or share than the table.
    let mut r = sample();
    r.texts = Some(Texts {
        overview: "本年度新收政府信息公开申请10件。其中予以公开4件，占44.4%；不予处理2件。".into(),
        ..Texts::default()
    });
    let e = errors(&r);
    assert_eq!(e.len(), 1, "{e:?}");
    assert_eq!(e[0].rule, 7);
    assert!(e[0].message.contains("不予处理2件"), "{e:?}");
    assert!(e[0].message.contains("总计为 1 件"), "{e:?}");
    r.texts.as_mut().unwrap().overview = "予以公开4件，占40%。".into();
    let e = errors(&r);
    assert!(e.len() == 1 && e[0].message.contains("应为 44.4%"), "{e:?}");
}

#[test]
fn the_generated_text_agrees_with_the_tables_and_an_edit_that_does_not_is_caught() {
    let mut r = sample();
    let overview = facts::overview(&r);
    assert!(
        overview.contains("本年度新收政府信息公开申请10件，上年结转2件；本年度办结9件"),
        "{overview}"
    );
    assert!(overview.contains("予以公开4件，占44.4%"), "{overview}");
    assert!(overview.contains("结转下年度继续办理3件"), "{overview}");
    let found = stated::figures(&overview);
    assert!(found.len() >= 8, "{found:?}");
    r.texts = Some(Texts {
        overview: overview.clone(),
        problems: "一是……".into(),
        other: facts::other(WanYuan::from_yuan(400), 2),
    });
    assert_eq!(errors(&r), vec![]);
    r.texts.as_mut().unwrap().overview = overview.replace("予以公开4件", "予以公开5件");
    let e = errors(&r);
    assert!(
        e.iter()
            .any(|f| f.rule == 7 && f.message.contains("予以公开5件")),
        "{e:?}"
    );
}

#[test]
fn the_format_example_balances() {
    // The fixture figures of annual_report_format.md: 14069 + 560 = 13810 + 819.
    let mut r = sample();
    r.previous = None;
    let mut t = Table3::default();
    t.cells[Row::New.index()] = [14069, 0, 0, 0, 0, 0, 14069].map(Some);
    t.cells[Row::CarriedIn.index()] = [560, 0, 0, 0, 0, 0, 560].map(Some);
    t.cells[Row::Outcome(Outcome::Disclosed).index()] = [13810, 0, 0, 0, 0, 0, 13810].map(Some);
    t.cells[Row::Total.index()] = [13810, 0, 0, 0, 0, 0, 13810].map(Some);
    t.cells[Row::CarriedOut.index()] = [819, 0, 0, 0, 0, 0, 819].map(Some);
    r.table3 = t;
    assert_eq!(errors(&r), vec![]);
}

#[test]
fn json_round_trips_with_the_official_keys() {
    let mut r = sample();
    r.texts = Some(Texts {
        overview: facts::overview(&r),
        problems: "存在问题".into(),
        other: "无".into(),
    });
    let json = to_json(&r);
    assert_eq!(json["table3"]["columns"][6], "总计");
    assert_eq!(json["table3"]["rows"]["（七）总计"][6], 9);
    assert_eq!(
        json["table3"]["rows"]["（三）不予公开/4.保护第三方合法权益"][0],
        1
    );
    assert_eq!(
        json["table2"]["行政事业性收费"]["本年收费金额（万元）"],
        "1.25"
    );
    assert_eq!(json["table4"]["行政复议"]["总计"], 2);
    assert_eq!(json["previous"]["现行有效件数"]["行政规范性文件"], 12);
    assert_eq!(
        json["text"]["一、总体情况"],
        r.texts.as_ref().unwrap().overview
    );
    let back = from_json(&json.to_string()).unwrap();
    assert_eq!(back, r);
}

#[test]
fn a_malformed_file_names_every_bad_cell() {
    let mut json = to_json(&sample());
    json["table3"]["rows"]["（一）予以公开"][2] = serde_json::json!("三");
    json["table3"]["rows"]["（二）部分公开"] = serde_json::json!([1, 2, 3]);
    json["table3"]["rows"]
        .as_object_mut()
        .unwrap()
        .remove("四、结转下年度继续办理");
    json["table3"]["rows"]["（八）合计"] = serde_json::json!([0, 0, 0, 0, 0, 0, 0]);
    json["table2"]["行政许可"]["本年处理决定数量"] = serde_json::json!(-3);
    json["table2"]["行政事业性收费"]["本年收费金额（万元）"] = serde_json::json!("十二万");
    json["table4"]["行政复议"]
        .as_object_mut()
        .unwrap()
        .remove("尚未审结");
    json["year"] = serde_json::json!("2025年");
    let problems = from_json(&json.to_string()).unwrap_err();
    let cells: Vec<&str> = problems.iter().map(|f| f.cell.as_str()).collect();
    for expected in [
        "表三“（一）予以公开”行“科研机构”列",
        "表三“（二）部分公开”行",
        "表三“四、结转下年度继续办理”行",
        "表三“（八）合计”",
        "表二“行政许可”“本年处理决定数量”",
        "表二“行政事业性收费”“本年收费金额（万元）”",
        "表四“行政复议”“尚未审结”",
        "year",
    ] {
        assert!(cells.contains(&expected), "{expected} not in {cells:?}");
    }
    assert!(problems.iter().all(|f| f.severity == Severity::Error));
    let e = from_json("{\"format\": \"2021\",").unwrap_err();
    assert!(e[0].message.contains("不是有效的 JSON"), "{e:?}");
    let e = from_json("[]").unwrap_err();
    assert_eq!(e[0].cell, "报告");
}

#[test]
fn blank_cells_are_warnings_not_errors() {
    let mut json = to_json(&sample());
    json["table3"]["rows"]["（三）不予公开/1.属于国家秘密"][3] = serde_json::Value::Null;
    let r = from_json(&json.to_string()).unwrap();
    let all = check(&r);
    assert_eq!(all.len(), 1, "{all:?}");
    assert_eq!(all[0].severity, Severity::Warning);
    assert_eq!(
        all[0].cell,
        "表三“（三）不予公开/1.属于国家秘密”行“社会公益组织”列"
    );
}

#[test]
fn years_and_publication() {
    let has = |y: i32| (2024..=2026).contains(&y);
    assert_eq!(parse_year("2025", has).unwrap(), 2025);
    let e = parse_year("2027", has).unwrap_err();
    assert!(
        e.to_string().contains("缺少 2027 年的节假日安排数据"),
        "{e}"
    );
    assert!(
        parse_year("2019", has)
            .unwrap_err()
            .to_string()
            .contains("2021")
    );
    assert!(parse_year("明年", has).is_err());

    let r = sample();
    let dec = NaiveDate::from_ymd_opt(2025, 12, 31).unwrap();
    let e = check_publishable(&r, dec).unwrap_err();
    assert!(e.to_string().contains("尚未结束"), "{e}");
    let jan = NaiveDate::from_ymd_opt(2026, 1, 5).unwrap();
    check_publishable(&r, jan).unwrap();
    let mut bad = r.clone();
    bad.table4.group_mut(AppealKind::Review)[4] = Some(7);
    let e = check_publishable(&bad, jan).unwrap_err();
    assert!(e.to_string().contains("表四“行政复议”“总计”"), "{e}");
    assert_eq!(
        due_on(2025, Scope::Agency),
        NaiveDate::from_ymd_opt(2026, 1, 31)
    );
    assert_eq!(
        due_on(2025, Scope::Government),
        NaiveDate::from_ymd_opt(2026, 3, 31)
    );
}

fn arb_kind() -> impl Strategy<Value = ApplicantKind> {
    prop::sample::select(ApplicantKind::ALL.to_vec())
}

proptest! {
    /// However requests are spread over outcomes and applicants, a table built from one set
    /// of requests balances, and the JSON reads back identically.
    #[test]
    fn tables_from_requests_balance(
        requests in prop::collection::vec(
            (arb_kind(), any::<bool>(), prop::option::of(0usize..21)),
            0..200,
        )
    ) {
        let outcomes = Outcome::all();
        let mut counts = RequestCounts::default();
        for (kind, carried_in, outcome) in &requests {
            let first = if *carried_in { Row::CarriedIn } else { Row::New };
            counts.counts.push((first, *kind, 1));
            let last = match outcome {
                Some(i) => Row::Outcome(outcomes[*i]),
                None => Row::CarriedOut,
            };
            counts.counts.push((last, *kind, 1));
        }
        let mut r = sample();
        r.previous = None;
        r.table3 = Table3::from_counts(&counts);
        prop_assert_eq!(errors(&r), vec![]);
        let total: i64 = (0..COLUMNS.len() - 1).map(|c| r.table3.get(Row::New, c).unwrap_or(0)
            + r.table3.get(Row::CarriedIn, c).unwrap_or(0)).sum();
        prop_assert_eq!(total, requests.len() as i64);
        let back = from_json(&to_json(&r).to_string()).unwrap();
        prop_assert_eq!(back, r);
    }

    /// Arbitrary text never panics the figure reader.
    #[test]
    fn any_text_is_read_without_panic(s in "\\PC{0,200}") {
        let _ = stated::figures(&s);
        let _ = from_json(&s);
    }
}

#[test]
fn statements_naming_several_rows_are_checked_against_their_sum() {
    // The sample's table 三: 办结 9 = 予以公开 4 + 部分公开 1 + 不予公开 1 + 无法提供 2 (不掌握)
    // + 不予处理 1. Sentences as real reports write them.
    let t = sample().table3;
    for fine in [
        "予以公开及部分公开5件，占55.6%。",
        "其中，予以公开和部分公开共计5件，占办结总数的55.6%；",
        "予以公开、部分公开5件。",
        "不予公开、无法提供的共3件。",
        "因本机关不掌握相关政府信息无法提供2件。",
        "本机关不掌握相关政府信息2件，占22.2%。",
        "予以公开4件，占44.4%；部分公开1件。",
    ] {
        assert_eq!(
            stated::check_text("一、总体情况", fine, &t),
            vec![],
            "{fine}"
        );
    }
    let wrong = stated::check_text("一、总体情况", "予以公开及部分公开6件，占31.6%。", &t);
    assert_eq!(wrong.len(), 2, "{wrong:?}");
    assert!(
        wrong[0].message.contains("合计为 5 件"),
        "{}",
        wrong[0].message
    );
    assert!(wrong[1].message.contains("55.6%"), "{}", wrong[1].message);
    let wrong = stated::check_text("一、总体情况", "不予公开和无法提供4件", &t);
    assert!(
        wrong[0]
            .message
            .contains("（三）不予公开”与“（四）无法提供"),
        "{wrong:?}"
    );
}
