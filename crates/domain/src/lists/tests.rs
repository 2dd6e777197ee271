use chrono::NaiveDate;
use proptest::prelude::*;

use super::field::{Material, credit_code_valid, id_number_valid, parse_yuan};
use super::kinds::{GROUND_LABELS, ListKind};
use super::public::{self, mask_id_numbers, mask_name};
use super::record::{Columns, derive, due_on, parse_values, template_headers};
use super::timing::{Review, dataset_next_update, penalty_public_until, review_state};
use crate::calendar::WorkCalendar;
use crate::document::WithholdGround;

fn d(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

fn penalty_row(party: &str, kind: &str) -> Vec<(&'static str, String)> {
    vec![
        ("doc_no", "嘉市监罚〔2026〕12号".into()),
        ("party", party.into()),
        ("party_kind", kind.into()),
        ("id_number", "330102199001011234".into()),
        ("violation", "销售过期食品".into()),
        (
            "facts",
            format!(
                "当事人{party}于2026年1月在其经营场所销售超过保质期的食品。身份证号330102199001011234。"
            ),
        ),
        ("basis", "《中华人民共和国食品安全法》第一百二十四条".into()),
        ("category", "罚款、警告".into()),
        ("content", "警告并罚款人民币伍仟元".into()),
        ("fine", "5000".into()),
        ("decided_on", "2026-01-30".into()),
        ("authority", "嘉市市场监督管理局".into()),
        ("severity", "一般失信".into()),
    ]
}

fn parse(
    kind: ListKind,
    row: &[(&'static str, String)],
) -> Result<super::Values, Vec<crate::DomainError>> {
    parse_values(kind.spec(), |f| {
        row.iter()
            .find(|(k, _)| *k == f.key)
            .map(|(_, v)| v.as_str())
    })
}

/// A reply to a deputy's suggestion, disclosed by `mode`.
fn proposal(mode: &str) -> Vec<(&'static str, String)> {
    vec![
        ("number", "2026-015".into()),
        ("title", "关于增设社区养老服务点的建议".into()),
        ("kind", "人大代表建议".into()),
        ("year", "2026".into()),
        ("proposer", "李明".into()),
        ("lead", "区民政局".into()),
        ("result", "列入计划拟解决".into()),
        ("replied_on", "2026-06-10".into()),
        ("mode", mode.into()),
        ("reply", "内部答复全文".into()),
    ]
}

#[test]
fn names_are_masked_to_surname_and_two_stars() {
    assert_eq!(mask_name("张三丰"), "张**");
    assert_eq!(mask_name("张三"), "张**");
    assert_eq!(mask_name("欧阳娜娜"), "欧阳**");
    assert_eq!(mask_name("欧阳"), "欧**");
}

#[test]
fn identity_numbers_are_starred_wherever_they_appear() {
    assert_eq!(
        mask_id_numbers("证号330102199001011234。"),
        "证号******************。"
    );
    assert_eq!(mask_id_numbers("33010219900101123X"), "******************");
    // Full-width, spaced and letter-prefixed spellings are identity numbers too.
    assert_eq!(
        mask_id_numbers("３２０５０２ 19881111 5516"),
        "******************"
    );
    assert_eq!(
        mask_id_numbers("ID12010119700101123X"),
        "ID******************"
    );
    // Long digit runs that are no card number (Luhn) and codes are not personal data.
    assert_eq!(
        mask_id_numbers("6222021234567890124"),
        "6222021234567890124"
    );
    assert_eq!(mask_id_numbers("91330108MA2H0QXT18"), "91330108MA2H0QXT18");
}

#[test]
fn check_characters() {
    assert!(credit_code_valid("91330100799655058B"));
    assert!(credit_code_valid("92330108MA2J7KLP0G"));
    assert!(!credit_code_valid("91330100799655058C"));
    assert!(!credit_code_valid("91330100799655058"));
    assert!(id_number_valid("330102199001011234"));
    assert!(!id_number_valid("330102199001011235"));
}

#[test]
fn amounts_are_canonical_yuan() {
    assert_eq!(parse_yuan("5000").as_deref(), Some("5000.00"));
    assert_eq!(parse_yuan("1,200.5元").as_deref(), Some("1200.50"));
    assert_eq!(parse_yuan("１２００").as_deref(), Some("1200.00"));
    assert_eq!(parse_yuan("12.345"), None);
    assert_eq!(parse_yuan("-3"), None);
}

#[test]
fn a_natural_persons_penalty_shows_no_name_and_no_id_number() {
    let spec = ListKind::Penalty.spec();
    let v = parse(ListKind::Penalty, &penalty_row("张三丰", "自然人")).unwrap();
    assert_eq!(v["category"], "警告、罚款", "choices in declaration order");
    let shown = public::fields(spec, &v);
    let all: String = shown.iter().map(|s| s.value.clone()).collect();
    assert!(all.contains("张**"));
    assert!(!all.contains("张三丰"), "{all}");
    assert!(!all.contains("330102199001011234"), "{all}");
    assert!(!shown.iter().any(|s| s.key == "id_number"));
    let derived = derive(spec, &v);
    assert_eq!(derived.title, "张** 嘉市监罚〔2026〕12号");
    assert!(!derived.public_text.contains("张三丰"));
    assert_eq!(derived.public_until, Some(d("2027-01-30")));
    // A company's name is public; its ID number field still is not.
    let mut row = penalty_row("嘉市某某食品有限公司", "法人及非法人组织");
    row.push(("credit_code", "91330108MA2H0QXT18".into()));
    let v = parse(ListKind::Penalty, &row).unwrap();
    let shown = public::fields(spec, &v);
    assert!(shown.iter().any(|s| s.value == "嘉市某某食品有限公司"));
    assert!(shown.iter().any(|s| s.key == "credit_code"));
    assert!(!shown.iter().any(|s| s.key == "id_number"));
}

#[test]
fn cross_field_rules_name_their_field() {
    // A company without a credit code; a fine without an amount.
    let mut row = penalty_row("嘉市某某食品有限公司", "法人及非法人组织");
    row.retain(|(k, _)| *k != "fine");
    let errors = parse(ListKind::Penalty, &row).unwrap_err();
    let fields: Vec<&str> = errors
        .iter()
        .filter_map(|e| e.field())
        .map(|f| f.name)
        .collect();
    assert_eq!(fields, ["credit_code", "fine"]);
    // A proposal answered in summary needs its summary.
    let row = proposal("摘要公开");
    let errors = parse(ListKind::Proposal, &row).unwrap_err();
    assert_eq!(errors[0].field().map(|f| f.name), Some("summary"));
}

#[test]
fn a_proposal_shows_only_what_its_disclosure_mode_allows() {
    let spec = ListKind::Proposal.spec();
    let mut row = proposal("不公开");
    row.push(("reason", "涉及第三方商业秘密".into()));
    let v = parse(ListKind::Proposal, &row).unwrap();
    let keys: Vec<&str> = public::fields(spec, &v).iter().map(|s| s.key).collect();
    assert!(keys.contains(&"reason") && !keys.contains(&"reply"));
    let v = parse(ListKind::Proposal, &proposal("全文公开")).unwrap();
    let keys: Vec<&str> = public::fields(spec, &v).iter().map(|s| s.key).collect();
    assert!(keys.contains(&"reply") && !keys.contains(&"reason"));
}

#[test]
fn import_columns_are_checked_before_any_row() {
    let spec = ListKind::Licence.spec();
    let headers: Vec<String> = [
        "决定书文号",
        "许可类别*",
        "行政相对人名称",
        "备注",
        "决定书文号",
    ]
    .map(String::from)
    .into();
    let errors = Columns::from_headers(spec, &headers).unwrap_err();
    assert!(errors.contains(&"未知的列“备注”".to_string()));
    assert!(errors.contains(&"列“决定书文号”重复".to_string()));
    assert!(errors.contains(&"缺少必填列“决定日期”".to_string()));
    // The template's own headers are accepted.
    assert!(Columns::from_headers(spec, &template_headers(spec)).is_ok());
}

#[test]
fn a_bad_row_lists_every_problem() {
    let spec = ListKind::Licence.spec();
    let cols = Columns::from_headers(spec, &template_headers(spec)).unwrap();
    let mut cells = vec![String::new(); spec.fields.len()];
    let at = |k: &str| spec.fields.iter().position(|f| f.key == k).unwrap();
    cells[at("doc_no")] = "嘉审批〔2026〕3号".into();
    cells[at("category")] = "特别".into();
    cells[at("party")] = "嘉市某某公司".into();
    cells[at("party_kind")] = "法人及非法人组织".into();
    cells[at("credit_code")] = "91330108MA2H0QXT19".into();
    cells[at("content")] = "食品经营许可".into();
    cells[at("decided_on")] = "2026-02-30".into();
    cells[at("authority")] = "嘉市行政审批局".into();
    let errors = cols.read(spec, &cells).unwrap_err();
    let fields: Vec<&str> = errors
        .iter()
        .filter_map(|e| e.field())
        .map(|f| f.name)
        .collect();
    assert_eq!(fields, ["category", "credit_code", "decided_on"]);
    assert!(errors[0].to_string().contains("可选:普通"));
}

#[test]
fn double_publicity_is_due_seven_working_days_after_the_decision() {
    let cal = WorkCalendar::official();
    let mut row = penalty_row("张三丰", "自然人");
    // Decided the Friday before the 2026 Spring Festival holiday (15–23 Feb; 14 and 28 Feb
    // are make-up workdays): 7 working days are 9–13 Feb and 14 Feb … let the calendar count.
    row.iter_mut().find(|(k, _)| *k == "decided_on").unwrap().1 = "2026-02-06".into();
    let v = parse(ListKind::Penalty, &row).unwrap();
    let due = due_on(ListKind::Penalty.spec(), &v, &cal).unwrap().unwrap();
    let span = cal.add_workdays(d("2026-02-06"), 7).unwrap();
    assert_eq!(due, span.end);
    assert!(due > d("2026-02-15"), "the holiday is skipped: {due}");
    // Budgets count calendar days.
    let budget = vec![
        ("year", "2026".into()),
        ("kind", "部门预算".into()),
        ("approved_on", "2026-02-06".into()),
        ("title", "区教育局2026年部门预算".into()),
        ("link", "/documents/1".into()),
        ("sections", "收支总表".into()),
    ];
    let v = parse(ListKind::Budget, &budget).unwrap();
    assert_eq!(
        due_on(ListKind::Budget.spec(), &v, &cal).unwrap(),
        Some(d("2026-02-26"))
    );
}

#[test]
fn publication_periods_and_reviews() {
    assert_eq!(
        penalty_public_until(d("2024-02-29"), false),
        d("2025-02-28")
    );
    assert_eq!(penalty_public_until(d("2024-02-29"), true), d("2027-02-28"));
    assert_eq!(review_state(d("2026-12-20"), d("2026-12-01")), Review::Soon);
    assert_eq!(
        review_state(d("2026-11-30"), d("2026-12-01")),
        Review::Overdue
    );
    assert_eq!(
        review_state(d("2027-03-01"), d("2026-12-01")),
        Review::NotYet
    );
    assert_eq!(
        dataset_next_update("每月", d("2026-10-31")),
        Some(d("2026-12-03"))
    );
    assert_eq!(dataset_next_update("不定期", d("2026-10-31")), None);
}

#[test]
fn materials_round_trip() {
    let m = Material::parse("营业执照|复印件|1份|/attachments/3/sample.pdf").unwrap();
    assert_eq!(m.copies, 1);
    assert_eq!(m.to_line(), "营业执照|复印件|1|/attachments/3/sample.pdf");
    assert!(Material::parse("营业执照|复印件").is_err());
    assert!(Material::parse("营业执照|复印件|一").is_err());
}

#[test]
fn negative_list_grounds_are_the_regulations() {
    let labels: Vec<&str> = WithholdGround::ALL.iter().map(|g| g.label()).collect();
    assert_eq!(labels, GROUND_LABELS);
}

#[test]
fn every_kind_is_well_declared() {
    for kind in ListKind::ALL {
        let spec = kind.spec();
        assert_eq!(spec.kind, *kind);
        assert_eq!(ListKind::from_slug(kind.as_str()), Some(*kind));
        for k in spec.key.iter().chain(spec.title) {
            assert!(spec.field(k).is_some_and(|f| f.required), "{kind:?} {k}");
        }
        for k in spec.date.iter().chain(spec.event.iter().map(|(k, _)| k)) {
            assert!(spec.field(k).is_some(), "{kind:?} {k}");
        }
        assert!(spec.columns().count() >= 2, "{kind:?}");
        let mut labels: Vec<&str> = spec.fields.iter().map(|f| f.label).collect();
        labels.sort();
        labels.dedup();
        assert_eq!(labels.len(), spec.fields.len(), "{kind:?} labels unique");
    }
}

#[test]
fn a_choices_cell_of_separators_only_is_empty() {
    // Found by the property below: `;` parsed to Some("") and "" back to None; and the
    // full-width ，；listed as separators were in fact half-width duplicates.
    for kind in ListKind::ALL {
        for f in kind.spec().fields {
            if matches!(f.ty, super::FieldType::Choices(_)) {
                for s in [";", "、、", " , ；", "\u{FF0C}"] {
                    assert_eq!(f.parse(s).unwrap(), None, "{kind:?} {} {s:?}", f.key);
                }
                // Full-width separators part choices like half-width ones.
                if let [a, b, ..] = f.options() {
                    for sep in ["、", ",", "\u{FF0C}", ";", "\u{FF1B}"] {
                        let both = f.parse(&format!("{b}{sep}{a}")).unwrap();
                        assert_eq!(both, f.parse(&format!("{a}、{b}")).unwrap(), "{sep:?}");
                    }
                }
            }
        }
    }
}

proptest! {
    #[test]
    fn parsing_never_panics_and_canonical_text_parses_to_itself(s in "\\PC{0,40}") {
        for kind in ListKind::ALL {
            for f in kind.spec().fields {
                if let Ok(Some(v)) = f.parse(&s) {
                    prop_assert_eq!(f.parse(&v).unwrap(), Some(v.clone()));
                }
            }
        }
    }

    #[test]
    fn a_masked_name_never_contains_the_given_name(surname in "[张王李赵]", given in "[\\u{4e00}-\\u{9fa5}]{1,3}") {
        let name = format!("{surname}{given}");
        let row = penalty_row(&name, "自然人");
        let v = parse(ListKind::Penalty, &row).unwrap();
        let text = derive(ListKind::Penalty.spec(), &v).public_text;
        prop_assert!(!text.contains(&name));
    }
}

mod extras_tests {
    use super::super::extras::{DataFormat, budget_problems, check_resource, register};
    use super::d;

    #[test]
    fn dataset_files_are_checked_by_content() {
        assert_eq!(
            check_resource("a/b/名单.csv", "名称,数量\n甲,1\n".as_bytes(), 1000).unwrap(),
            (DataFormat::Csv, "名单.csv".into())
        );
        assert!(check_resource("x.csv", b"PK\x03\x04....", 1000).is_err());
        assert!(check_resource("x.csv", b"\xb2\xe2\xca\xd4", 1000).is_err());
        assert!(check_resource("x.json", b"{not json", 1000).is_err());
        assert!(check_resource("x.json", b"[1,2]", 1000).is_ok());
        assert!(check_resource("x.xlsx", b"plain text", 1000).is_err());
        assert!(check_resource("x.exe", b"MZ", 1000).is_err());
        assert!(
            check_resource("x.csv", &[b'a'; 2000], 1000)
                .unwrap_err()
                .to_string()
                .contains("过大")
        );
    }

    #[test]
    fn registration_is_refused_when_full_or_past() {
        let mut event = super::super::Values::new();
        event.insert("held_on".into(), "2026-12-10".into());
        event.insert("capacity".into(), "2".into());
        let answers = |k: &str| match k {
            "first_time" => "是".to_string(),
            "source" => "政府网站".to_string(),
            _ => String::new(),
        };
        let today = d("2026-12-01");
        let r = register(&event, 1, today, "王小明", "13800138000", answers).unwrap();
        assert_eq!(r.answers.len(), 2);
        assert!(
            register(&event, 2, today, "王小明", "13800138000", answers)
                .unwrap_err()
                .to_string()
                .contains("名额已满")
        );
        assert!(
            register(&event, 0, d("2026-12-10"), "王小明", "13800138000", answers)
                .unwrap_err()
                .to_string()
                .contains("截止")
        );
        assert!(register(&event, 0, today, "王小明", "12345", answers).is_err());
        assert!(
            register(&event, 0, today, "王小明", "13800138000", |_| {
                String::new()
            })
            .is_err()
        );
    }

    #[test]
    fn budget_checks_sections_and_the_legal_period() {
        let mut v = super::super::Values::new();
        v.insert("sections".into(), "收支总表、收入总表".into());
        let p = budget_problems(&v, Some(d("2026-03-01")), Some(d("2026-02-26")));
        assert_eq!(p.len(), 2);
        assert!(p[0].starts_with("缺少:部门职责及机构设置情况、支出总表"));
        assert!(p[1].contains("晚于法定期限 2026-02-26"));
    }
}

#[test]
fn budgets_are_expected_by_april_and_final_accounts_by_september() {
    use super::extras::expected_budgets;
    assert!(expected_budgets(d("2026-03-31")).is_empty());
    assert_eq!(expected_budgets(d("2026-04-01")), [(2026, "部门预算")]);
    assert_eq!(
        expected_budgets(d("2026-12-01")),
        [(2026, "部门预算"), (2025, "部门决算")]
    );
}

proptest::proptest! {
    /// A natural person's penalty record in the spellings people type: the ID number in full
    /// width, spaced or after letters, a phone number in the facts, the name with a space. No
    /// public field shows any digit of the ID or the phone, or the given name.
    #[test]
    fn a_penalty_record_typed_in_any_spelling_shows_nothing_personal(
        id_typed in proptest::prop_oneof![
            proptest::strategy::Just("３２０５０２１９８８１１１１５５１６".to_string()),
            proptest::strategy::Just("320502 19881111 5516".to_string()),
            proptest::strategy::Just("ID320502198811115516".to_string()),
            proptest::strategy::Just("320502-19881111-5516".to_string()),
        ],
        phone in proptest::prop_oneof![
            proptest::strategy::Just("138 0000 2222"),
            proptest::strategy::Just("１３８００００２２２２"),
            proptest::strategy::Just("+86-138-0000-2222"),
        ],
        sep in proptest::prop_oneof![
            proptest::strategy::Just(""),
            proptest::strategy::Just(" "),
            proptest::strategy::Just("\u{3000}"),
        ],
    ) {
        let spec = ListKind::Penalty.spec();
        let mut row = penalty_row(&format!("欧阳{sep}小隐"), "自然人");
        for (k, v) in row.iter_mut() {
            if *k == "facts" {
                *v = format!("当事人欧阳小隐(证件号 {id_typed},电话 {phone})销售超过保质期的食品。");
            }
        }
        let v = parse(ListKind::Penalty, &row).unwrap();
        let shown: String = public::fields(spec, &v).iter().map(|s| s.value.clone() + "|").collect();
        let derived = derive(spec, &v);
        for text in [&shown, &derived.title, &derived.public_text] {
            let digits: String = crate::text::halfwidth(text).chars().filter(char::is_ascii_digit).collect();
            proptest::prop_assert!(!digits.contains("5516") && !digits.contains("2222"), "{}", text);
            proptest::prop_assert!(!text.contains("小隐") && !text.contains("小\u{3000}隐"), "{}", text);
        }
        proptest::prop_assert!(shown.contains("欧阳**"), "{}", shown);
    }
}

mod versions {
    use super::super::RecordStatus::{self, *};
    use super::super::versions::*;
    use super::{ListKind, derive, parse, penalty_row};
    use crate::DomainError;
    use crate::user::{Principal, Role};

    fn who(role: Role) -> Principal {
        Principal {
            user_id: 1,
            role,
            agency_id: 1,
        }
    }

    #[test]
    fn a_record_keeps_its_key_through_every_change() {
        let v = parse(ListKind::Penalty, &penalty_row("张三丰", "自然人")).unwrap();
        let d = derive(ListKind::Penalty.spec(), &v);
        assert!(check_same_key(ListKind::Penalty, &d.key, &d).is_ok());
        let e = check_same_key(ListKind::Penalty, "嘉市监罚〔2026〕13号", &d).unwrap_err();
        assert!(matches!(e, DomainError::Invalid { .. }), "{e:?}");
        assert!(e.to_string().contains("不能修改"), "{e}");
        // A draft edit checks the key too; a published version is never edited in place.
        assert!(check_draft_edit(ListKind::Penalty, Draft, &d.key, &d).is_ok());
        assert!(matches!(
            check_draft_edit(ListKind::Penalty, Published, &d.key, &d),
            Err(DomainError::Conflict { .. })
        ));
        // The same values again are no change; other values under a live key are refused.
        assert_eq!(check_same_as_live(ListKind::Penalty, &v, &v, &d), Ok(()));
        let other = parse(ListKind::Penalty, &penalty_row("李四", "自然人")).unwrap();
        assert!(matches!(
            check_same_as_live(ListKind::Penalty, &other, &v, &d),
            Err(DomainError::Conflict { .. })
        ));
    }

    #[test]
    fn a_revision_starts_from_the_published_version_and_says_why() {
        let v = parse(ListKind::Penalty, &penalty_row("张三丰", "自然人")).unwrap();
        let d = derive(ListKind::Penalty.spec(), &v);
        let k = ListKind::Penalty;
        assert_eq!(
            check_revision(k, Published, false, " 更正金额\u{3000}", &d.key, &d).as_deref(),
            Ok("更正金额")
        );
        for note in ["", "  ", "\u{3000}"] {
            assert!(matches!(
                check_revision(k, Published, false, note, &d.key, &d),
                Err(DomainError::Invalid { .. })
            ));
        }
        assert!(check_revision(k, Published, true, "x", &d.key, &d).is_err());
        for s in [Draft, Superseded, Withdrawn, Expired] {
            assert!(
                check_revision(k, s, false, "x", &d.key, &d).is_err(),
                "{s:?}"
            );
        }
    }

    #[test]
    fn publishing_and_withdrawing_follow_the_role_and_the_status() {
        let staff = who(Role::Staff);
        let reviewer = who(Role::Reviewer);
        assert_eq!(check_publish(&staff, Draft), Err(DomainError::Forbidden));
        assert!(check_publish(&reviewer, Draft).is_ok());
        assert!(check_publish(&reviewer, Published).is_err());
        // Staff may discard their draft, not take a published record down.
        assert_eq!(
            check_withdrawal(&staff, Draft, " 录入错误 ").as_deref(),
            Ok("录入错误")
        );
        assert_eq!(
            check_withdrawal(&staff, Published, "撤销"),
            Err(DomainError::Forbidden)
        );
        assert!(check_withdrawal(&reviewer, Published, "决定已撤销").is_ok());
        assert!(check_withdrawal(&reviewer, Published, " ").is_err());
        for s in [RecordStatus::Superseded, Withdrawn, Expired] {
            assert!(check_withdrawal(&reviewer, s, "x").is_err(), "{s:?}");
        }
    }
}

#[test]
fn extra_titles_and_fee_collections_are_checked_before_anything_is_written() {
    use super::extras::{CollectionDraft, FORM_TITLE, RESOURCE_TITLE, extra_title};
    assert_eq!(
        extra_title("\u{3000}申请表（样表） ", FORM_TITLE).as_deref(),
        Ok("申请表（样表）")
    );
    for bad in ["", " \u{3000} ", &"表".repeat(101)] {
        let e = extra_title(bad, RESOURCE_TITLE).unwrap_err();
        assert!(e.to_string().contains("资源名称"), "{e}");
    }
    assert!(extra_title(&"表".repeat(100), FORM_TITLE).is_ok());
    let c = CollectionDraft::parse(2025, 0, " 财政票据汇总表 ").unwrap();
    assert_eq!(
        (c.year, c.amount_cents, c.source.as_str()),
        (2025, 0, "财政票据汇总表")
    );
    for (year, cents, source) in [
        (2025, 1, ""),
        (2025, -1, "x"),
        (1999, 1, "x"),
        (2101, 1, "x"),
    ] {
        assert!(
            CollectionDraft::parse(year, cents, source).is_err(),
            "{year} {cents} {source:?}"
        );
    }
    assert!(CollectionDraft::parse(2025, 1, &"源".repeat(201)).is_err());
}

proptest! {
    /// Titles and sources as people paste them: any mix of half- and full-width blanks, tabs
    /// and line ends around the words is trimmed away, the words are kept, and the length
    /// limit counts characters (not bytes) of what is kept.
    #[test]
    fn extra_titles_and_sources_keep_the_words_whatever_surrounds_them(
        lead in "[ \u{3000}\t\r\n]{0,4}",
        trail in "[ \u{3000}\t\r\n]{0,4}",
        words in "[申请表样（）A-Za-z0-9、 ]{0,120}",
        year in 1990i32..2110,
        cents in -5i64..5_000_000,
    ) {
        use super::extras::{CollectionDraft, FORM_TITLE, extra_title};
        let typed = format!("{lead}{words}{trail}");
        let kept = words.trim();
        let n = kept.chars().count();
        match extra_title(&typed, FORM_TITLE) {
            Ok(t) => {
                prop_assert_eq!(t.as_str(), kept);
                prop_assert!((1..=100).contains(&n));
            }
            Err(_) => prop_assert!(n == 0 || n > 100),
        }
        let c = CollectionDraft::parse(year, cents, &typed);
        let ok = (1..=200).contains(&n) && (2000..=2100).contains(&year) && cents >= 0;
        prop_assert_eq!(c.is_ok(), ok);
        if let Ok(c) = c {
            prop_assert_eq!(c.source.as_str(), kept);
        }
    }
}
