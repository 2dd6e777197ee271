//! Typed lists: versions, publication, the public view with masking, filters, expiry of
//! penalties, lateness, and imports that keep the good rows.

use chrono::Duration;
use gongkai_app::lists as app_lists;
use gongkai_domain::lists::{ListKind, RecordStatus, Values};
use gongkai_store::db::now;
use gongkai_store::lists::{self, Created, Filter};
use gongkai_testing::fixtures::doc_input;

use super::*;

both!(
    list_records_are_versioned_masked_and_expire,
    list_imports_report_each_bad_row_and_keep_the_good,
    negative_list_grounds_and_report_figures_from_lists,
);

/// A withheld document whose ground is on no negative-list item of its agency is flagged; the
/// annual report's table 二 takes its 许可/处罚 counts and fee amount from the lists.
async fn negative_list_grounds_and_report_figures_from_lists(t: TestDb) {
    use gongkai_domain::lists::extras::DataFormat;
    let (agency, _staff, reviewer) = people(&t, "LS0103").await;
    let cal = gongkai_domain::calendar::WorkCalendar::official();
    let today = now().date_naive();
    let withheld = DocumentInput {
        disclosure_mode: "withheld".into(),
        withhold_ground: "process_information".into(),
        attribute_note: "评审过程中的意见,属于过程性信息".into(),

        ..doc_input("专家评审意见汇总", "2026-11-02")
    };
    let draft = DocumentDraft::parse(&withheld, today).unwrap();
    let doc = gongkai_app::documents::register(&ctx(&t.db, &reviewer, today), agency, &draft)
        .await
        .unwrap();
    let mut c = t.db.conn().await.unwrap();
    // A department owes its budget from April and last year's final accounts from September.
    let owed = |alerts: Vec<lists::Alert>| -> Vec<String> {
        alerts
            .into_iter()
            .filter(|a| a.agency_id == agency && a.kind == ListKind::Budget)
            .map(|a| a.message)
            .collect()
    };
    assert!(owed(lists::alerts(&mut c, day("2026-03-31")).await.unwrap()).is_empty());
    assert_eq!(
        owed(lists::alerts(&mut c, day("2026-12-01")).await.unwrap()),
        ["尚未公开 2026 年部门预算", "尚未公开 2025 年部门决算"]
    );
    let flagged = |alerts: Vec<lists::Alert>| {
        alerts
            .iter()
            .any(|a| a.href == format!("/office/documents/{doc}"))
    };
    assert!(flagged(lists::alerts(&mut c, today).await.unwrap()));
    drop(c);
    let item = |ground: &str| {
        gongkai_domain::lists::parse_values(ListKind::Negative.spec(), |f| {
            Some(match f.key {
                "code" => "FM-1",
                "item" => "评审过程材料",
                "ground" => ground,
                "basis" => "《政府信息公开条例》第十六条第二款",
                "scope" => "评审意见、会议纪要",
                "review_on" => "2027-06-30",
                _ => return None,
            })
        })
        .unwrap()
    };
    let mut tx = t.db.begin().await.unwrap();
    // An item on another ground does not cover it; one on its ground does.
    let Created::New(id) = app_lists::create_in(
        &mut tx,
        &ctx(&t.db, &reviewer, today),
        &cal,
        target(ListKind::Negative, agency, true),
        &item("属于三类内部事务信息"),
    )
    .await
    .unwrap() else {
        panic!()
    };
    tx.commit().await.unwrap();
    let mut c = t.db.conn().await.unwrap();
    assert!(flagged(lists::alerts(&mut c, today).await.unwrap()));
    drop(c);
    let mut tx = t.db.begin().await.unwrap();
    let v2 = app_lists::revise_in(
        &mut tx,
        &ctx(&t.db, &reviewer, today),
        id,
        &item("属于四类过程性信息"),
        "更正理由",
    )
    .await
    .unwrap();
    app_lists::publish_in(&mut tx, &ctx(&t.db, &reviewer, today), v2)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut c = t.db.conn().await.unwrap();
    assert!(!flagged(lists::alerts(&mut c, today).await.unwrap()));
    drop(c);

    // Two penalties and one licence decided this year, a fee item with an amount.
    let year = chrono::Datelike::year(&today);
    let mut tx = t.db.begin().await.unwrap();
    for n in 1..=2 {
        let v = penalty(
            &format!("区罚〔{year}〕{n}号"),
            "嘉市某某公司",
            "法人及非法人组织",
            &format!("{year}-01-1{n}"),
        );
        app_lists::create_in(
            &mut tx,
            &ctx(&t.db, &reviewer, today),
            &cal,
            target(ListKind::Penalty, agency, true),
            &v,
        )
        .await
        .unwrap();
    }
    let fee = gongkai_domain::lists::parse_values(ListKind::Fees.spec(), |f| {
        Some(match f.key {
            "code" => "F-1",
            "name" => "检测费",
            "category" => "行政事业性收费",
            "basis" => "财税〔2015〕102号",
            "standard" => "每项 80 元",
            "collector" => "区监测站",
            _ => return None,
        })
    })
    .unwrap();
    let Created::New(fee_id) = app_lists::create_in(
        &mut tx,
        &ctx(&t.db, &reviewer, today),
        &cal,
        target(ListKind::Fees, agency, true),
        &fee,
    )
    .await
    .unwrap() else {
        panic!()
    };
    tx.commit().await.unwrap();
    let as_reviewer = ctx(&t.db, &reviewer, today);
    app_lists::set_collection(&as_reviewer, fee_id, year, 1_234_567, "非税收入系统")
        .await
        .unwrap();
    // A blank source, a negative amount, a year out of range: refused, nothing written.
    let before = t.count("fee_collections").await;
    for (y, cents, source) in [(year, 1, " "), (year, -1, "x"), (1999, 1, "x")] {
        let e = app_lists::set_collection(&as_reviewer, fee_id, y, cents, source).await;
        assert!(matches!(e, Err(DomainError::Invalid { .. })), "{e:?}");
    }
    assert_eq!(t.count("fee_collections").await, before);
    // A resource can only be added to a dataset.
    let e = app_lists::add_resource(
        &as_reviewer,
        fee_id,
        "x",
        gongkai_store::list_extras::NewResource::File {
            format: DataFormat::Csv,
            file_name: "a.csv",
            bytes: b"a\n1\n",
            rows: Some(1),
        },
    )
    .await;
    assert!(matches!(e, Err(DomainError::NotFound { .. })), "{e:?}");
    let mut c = t.db.conn().await.unwrap();
    let m = gongkai_store::reports::figures_from_lists(&mut c, &[agency], year)
        .await
        .unwrap();
    assert_eq!(m.penalties.as_ref().map(|e| e.value), Some(2));
    assert!(m.penalties.unwrap().source.contains("双公示清单"));
    assert_eq!(m.licences, None);
    assert_eq!(
        m.fees.as_ref().map(|e| e.value),
        Some(12_346),
        "1,234,567 cents in whole yuan"
    );
    let none = gongkai_store::reports::figures_from_lists(&mut c, &[agency], year - 1)
        .await
        .unwrap();
    assert_eq!(none, Default::default());
}

fn values(pairs: &[(&str, &str)]) -> Values {
    let spec = ListKind::Penalty.spec();
    gongkai_domain::lists::parse_values(spec, |f| {
        pairs.iter().find(|(k, _)| *k == f.key).map(|(_, v)| *v)
    })
    .unwrap()
}

fn penalty(doc_no: &str, party: &str, kind: &str, decided_on: &str) -> Values {
    let credit = if kind == "自然人" {
        ""
    } else {
        "91330108MA2H0QXT18"
    };
    values(&[
        ("doc_no", doc_no),
        ("party", party),
        ("party_kind", kind),
        ("credit_code", credit),
        (
            "id_number",
            if kind == "自然人" {
                "330102199001011234"
            } else {
                ""
            },
        ),
        ("violation", "销售过期食品"),
        ("facts", &format!("当事人{party}销售超过保质期的食品")),
        ("basis", "《中华人民共和国食品安全法》第一百二十四条"),
        ("category", "警告、罚款"),
        ("content", "警告并罚款五千元"),
        ("fine", "5000"),
        ("decided_on", decided_on),
        ("authority", "区市场监督管理局"),
        ("severity", "一般失信"),
    ])
}

/// Records of `kind` for `agency_id`, as drafts or published at once.
fn target(kind: ListKind, agency_id: i64, publish: bool) -> gongkai_domain::lists::Target {
    gongkai_domain::lists::Target {
        kind,
        agency_id,
        publish,
    }
}

async fn people(t: &TestDb, agency: &str) -> (i64, Principal, Principal) {
    let gov = format!("{}00", &agency[..4]);
    add_agency(&t.db, &gov, "government", "").await;
    let a = add_agency(&t.db, agency, "department", &gov).await;
    let mut tx = t.db.begin().await.unwrap();
    let mut ids = Vec::new();
    for (name, role) in [("liststaff", "staff"), ("listreviewer", "reviewer")] {
        let d = UserDraft::parse(name, "", role).unwrap();
        ids.push(
            gongkai_testing::fixtures::add_user(&mut tx, &d, agency, "password 123456")
                .await
                .id,
        );
    }
    tx.commit().await.unwrap();
    (
        a.id,
        Principal {
            user_id: ids[0],
            role: Role::Staff,
            agency_id: a.id,
        },
        Principal {
            user_id: ids[1],
            role: Role::Reviewer,
            agency_id: a.id,
        },
    )
}

async fn list(t: &TestDb, f: &Filter, today: NaiveDate) -> Vec<lists::Record> {
    let mut c = t.db.conn().await.unwrap();
    lists::public_list(&mut c, ListKind::Penalty, f, today, 0, 50)
        .await
        .unwrap()
        .0
}

async fn list_records_are_versioned_masked_and_expire(t: TestDb) {
    let (agency, staff, reviewer) = people(&t, "LS0101").await;
    let cal = gongkai_domain::calendar::WorkCalendar::official();
    let today = now().date_naive();
    let recent = (today - Duration::days(3)).to_string();
    let mut tx = t.db.begin().await.unwrap();
    let person = penalty("区市监罚〔2026〕1号", "张三丰", "自然人", &recent);
    let Created::New(id) = app_lists::create_in(
        &mut tx,
        &ctx(&t.db, &staff, today),
        &cal,
        target(ListKind::Penalty, agency, false),
        &person.clone(),
    )
    .await
    .unwrap() else {
        panic!("new record expected")
    };
    // Staff cannot publish; a draft is not public.
    assert_eq!(
        app_lists::publish_in(&mut tx, &ctx(&t.db, &staff, today), id).await,
        Err(DomainError::Forbidden)
    );
    tx.commit().await.unwrap();
    assert!(list(&t, &Filter::default(), today).await.is_empty());
    let mut tx = t.db.begin().await.unwrap();
    app_lists::publish_in(&mut tx, &ctx(&t.db, &reviewer, today), id)
        .await
        .unwrap();
    let company = penalty(
        "区市监罚〔2026〕2号",
        "嘉市某某食品有限公司",
        "法人及非法人组织",
        &recent,
    );
    app_lists::create_in(
        &mut tx,
        &ctx(&t.db, &reviewer, today),
        &cal,
        target(ListKind::Penalty, agency, true),
        &company,
    )
    .await
    .unwrap();
    // The same key again: refused unless the values are the same.
    assert_eq!(
        app_lists::create_in(
            &mut tx,
            &ctx(&t.db, &staff, today),
            &cal,
            gongkai_domain::lists::Target {
                kind: ListKind::Penalty,
                agency_id: agency,
                publish: false
            },
            &person.clone()
        )
        .await,
        Ok(Created::Unchanged(id))
    );
    let changed = penalty(
        "区市监罚〔2026〕1号",
        "张三丰",
        "自然人",
        &today.to_string(),
    );
    let dup = app_lists::create_in(
        &mut tx,
        &ctx(&t.db, &staff, today),
        &cal,
        target(ListKind::Penalty, agency, false),
        &changed.clone(),
    )
    .await;
    assert!(matches!(dup, Err(DomainError::Conflict { .. })), "{dup:?}");
    tx.commit().await.unwrap();

    let shown = list(&t, &Filter::default(), today).await;
    assert_eq!(shown.len(), 2);
    // An undated record sorts after the dated ones on both databases (SQLite puts NULL last
    // in a descending sort, PostgreSQL first, unless told).
    let set_date = async |on: Option<NaiveDate>| {
        t.db.write(async |tx| {
            tx.execute(
                Sql::new("UPDATE list_records SET record_on = $1 WHERE id = $2")
                    .bind(on)
                    .bind(id),
            )
            .await
        })
        .await
        .unwrap();
    };
    let dated = shown.iter().find(|r| r.id == id).unwrap().record_on;
    set_date(None).await;
    let order: Vec<i64> = list(&t, &Filter::default(), today)
        .await
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(order.last(), Some(&id), "undated last: {order:?}");
    set_date(dated).await;
    let p = shown.iter().find(|r| r.id == id).unwrap();
    assert_eq!(p.title, "张** 区市监罚〔2026〕1号");
    let text: String = p.public_fields().iter().map(|s| s.value.clone()).collect();
    assert!(
        !text.contains("张三丰") && !text.contains("330102199001011234"),
        "{text}"
    );
    assert!(p.due_on.unwrap() >= today - Duration::days(3));
    // The keyword filter reads the masked text only.
    let by_name = |k: &str| Filter {
        keyword: Some(k.into()),
        ..Filter::default()
    };
    assert!(list(&t, &by_name("张三丰"), today).await.is_empty());
    assert_eq!(list(&t, &by_name("张** 过期"), today).await.len(), 1);
    let by_kind = Filter {
        facets: vec![("party_kind".into(), "自然人".into())],
        ..Filter::default()
    };
    assert_eq!(list(&t, &by_kind, today).await.len(), 1);
    let by_year = Filter {
        facets: vec![("decided_on".into(), today.format("%Y").to_string())],
        ..Filter::default()
    };
    assert!(!list(&t, &by_year, today).await.is_empty());
    let mut c = t.db.conn().await.unwrap();
    let counts = lists::facet_counts(&mut c, ListKind::Penalty, today)
        .await
        .unwrap();
    assert!(
        counts.contains(&("category".into(), "罚款".into(), 2)),
        "{counts:?}"
    );
    drop(c);

    // A published version is not edited in place: a new version supersedes it when published.
    let mut tx = t.db.begin().await.unwrap();
    assert!(matches!(
        app_lists::update_draft_in(&mut tx, &ctx(&t.db, &staff, today), id, &changed.clone()).await,
        Err(DomainError::Conflict { .. })
    ));
    assert!(
        app_lists::revise_in(
            &mut tx,
            &ctx(&t.db, &staff, today),
            id,
            &changed.clone(),
            " "
        )
        .await
        .is_err()
    );
    let v2 = app_lists::revise_in(
        &mut tx,
        &ctx(&t.db, &staff, today),
        id,
        &changed.clone(),
        "更正决定日期",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    assert_eq!(
        list(&t, &Filter::default(), today)
            .await
            .iter()
            .find(|r| r.key == "区市监罚〔2026〕1号")
            .unwrap()
            .id,
        id
    );
    let mut tx = t.db.begin().await.unwrap();
    app_lists::publish_in(&mut tx, &ctx(&t.db, &reviewer, today), v2)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    let mut c = t.db.conn().await.unwrap();
    let history = lists::versions(&mut c, ListKind::Penalty, agency, "区市监罚〔2026〕1号")
        .await
        .unwrap();
    assert_eq!(
        history
            .iter()
            .map(|r| (r.version, r.status))
            .collect::<Vec<_>>(),
        [(2, RecordStatus::Published), (1, RecordStatus::Superseded)]
    );
    assert_eq!(history[1].effective_to, Some(today));
    assert_eq!(history[1].change_note, None);
    assert_eq!(history[0].change_note.as_deref(), Some("更正决定日期"));
    // The old version can be opened as history while the record is public.
    assert!(
        lists::public_get(&mut c, id, today)
            .await
            .unwrap()
            .is_some()
    );
    let audits = audit::for_entity(&mut c, "list_record", &id.to_string())
        .await
        .unwrap();
    assert_eq!(
        audits.iter().map(|a| a.action.as_str()).collect::<Vec<_>>(),
        [
            "list_record.create",
            "list_record.publish",
            "list_record.supersede"
        ]
    );
    drop(c);

    // A penalty decided 13 months ago has ended its one-year publication period.
    let old_day = today - Duration::days(400);
    let mut tx = t.db.begin().await.unwrap();
    let old = penalty(
        "区市监罚〔2025〕9号",
        "李四",
        "自然人",
        &old_day.to_string(),
    );
    let Ok(Created::New(old_id)) = app_lists::create_in(
        &mut tx,
        &ctx(&t.db, &reviewer, today),
        &cal,
        target(ListKind::Penalty, agency, true),
        &old,
    )
    .await
    else {
        panic!()
    };
    tx.commit().await.unwrap();
    assert_eq!(
        list(&t, &Filter::default(), today).await.len(),
        2,
        "not public after its period even before the sweep"
    );
    let mut tx = t.db.begin().await.unwrap();
    assert_eq!(
        lists::expire(&mut tx, &actor(), today).await.unwrap(),
        [old_id]
    );
    tx.commit().await.unwrap();
    let mut c = t.db.conn().await.unwrap();
    assert_eq!(
        lists::get(&mut c, old_id).await.unwrap().unwrap().status,
        RecordStatus::Expired
    );
    assert!(
        lists::public_get(&mut c, old_id, today)
            .await
            .unwrap()
            .is_none()
    );
    // Published more than 7 working days after the decision: late.
    let late = lists::lateness(&mut c, today).await.unwrap();
    assert_eq!(
        late.iter()
            .map(|l| (l.kind, l.published_late))
            .collect::<Vec<_>>(),
        [(ListKind::Penalty, 1)]
    );
    drop(c);

    // Withdrawal takes the current version out of public view.
    let mut tx = t.db.begin().await.unwrap();
    assert!(
        app_lists::withdraw_in(&mut tx, &ctx(&t.db, &reviewer, today), v2, "")
            .await
            .is_err()
    );
    app_lists::withdraw_in(
        &mut tx,
        &ctx(&t.db, &reviewer, today),
        v2,
        "处罚决定已被复议撤销",
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut c = t.db.conn().await.unwrap();
    assert!(
        lists::public_get(&mut c, v2, today)
            .await
            .unwrap()
            .is_none()
    );
    assert!(
        lists::public_get(&mut c, id, today)
            .await
            .unwrap()
            .is_none(),
        "history goes with it"
    );
    assert_eq!(list(&t, &Filter::default(), today).await.len(), 1);
    // A draft past its due date is overdue.
    drop(c);
    let mut tx = t.db.begin().await.unwrap();
    let stale = penalty(
        "区市监罚〔2026〕3号",
        "王五",
        "自然人",
        &(today - Duration::days(30)).to_string(),
    );
    app_lists::create_in(
        &mut tx,
        &ctx(&t.db, &staff, today),
        &cal,
        target(ListKind::Penalty, agency, false),
        &stale,
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    let mut c = t.db.conn().await.unwrap();
    let late = lists::lateness(&mut c, today).await.unwrap();
    assert_eq!(late[0].overdue, 1);
}

async fn list_imports_report_each_bad_row_and_keep_the_good(t: TestDb) {
    let (agency, staff, reviewer) = people(&t, "LS0102").await;
    let today = now().date_naive();
    let spec = ListKind::Licence.spec();
    let headers: Vec<String> = [
        "决定书文号",
        "许可类别",
        "行政相对人名称",
        "行政相对人类别",
        "统一社会信用代码",
        "许可内容",
        "决定日期",
        "许可机关",
    ]
    .map(String::from)
    .into();
    let row = |no: &str, cat: &str, date: &str| -> Vec<String> {
        [
            no,
            cat,
            "嘉市某某餐饮有限公司",
            "法人及非法人组织",
            "91330108MA2H0QXT18",
            "食品经营许可",
            date,
            "区行政审批局",
        ]
        .map(String::from)
        .into()
    };
    let rows = vec![
        (2, Ok(row("区审批〔2026〕1号", "普通", "2026-03-02"))),
        (3, Ok(row("区审批〔2026〕2号", "特别", "2026-03-02"))),
        (4, Ok(row("区审批〔2026〕3号", "普通", "2026-02-30"))),
        (5, Ok(row("区审批〔2026〕1号", "普通", "2026-03-03"))),
        (6, Err("第 6 行无法读取".to_string())),
        (7, Ok(row("区审批〔2026〕4号", "核准", "2026-03-04"))),
    ];
    let before = t.count("list_records").await;
    let report = app_lists::import(
        &ctx(&t.db, &reviewer, today),
        app_lists::Target {
            kind: ListKind::Licence,
            agency_id: agency,
            publish: true,
        },
        &headers,
        rows.clone(),
        None,
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!((report.rows, report.created, report.unchanged), (6, 2, 0));
    let lines: Vec<usize> = report.errors.iter().map(|e| e.line).collect();
    assert_eq!(lines, [3, 4, 5, 6]);
    assert!(
        report.errors[0].messages[0].contains("未知的值“特别”"),
        "{:?}",
        report.errors
    );
    assert!(report.errors[1].messages[0].contains("2026-02-30"));
    assert!(report.errors[2].messages[0].contains("重复"));
    assert_eq!(t.count("list_records").await, before + 2);
    // A re-run changes nothing.
    let again = app_lists::import(
        &ctx(&t.db, &reviewer, today),
        app_lists::Target {
            kind: ListKind::Licence,
            agency_id: agency,
            publish: true,
        },
        &headers,
        rows,
        None,
        |_| {},
    )
    .await
    .unwrap();
    assert_eq!((again.created, again.unchanged), (0, 2));
    assert_eq!(t.count("list_records").await, before + 2);
    // Wrong columns: nothing is read.
    let mut bad = headers.clone();
    bad[1] = "类别".into();
    let e = app_lists::import(
        &ctx(&t.db, &reviewer, today),
        app_lists::Target {
            kind: ListKind::Licence,
            agency_id: agency,
            publish: true,
        },
        &bad,
        vec![(2, Ok(row("区审批〔2026〕9号", "普通", "2026-03-02")))],
        None,
        |_| {},
    )
    .await
    .unwrap_err();
    assert!(
        e.to_string().contains("未知的列“类别”") && e.to_string().contains("缺少必填列“许可类别”"),
        "{e}"
    );
    // Staff may import drafts, not publish.
    let e = app_lists::import(
        &ctx(&t.db, &staff, today),
        app_lists::Target {
            kind: ListKind::Licence,
            agency_id: agency,
            publish: true,
        },
        &headers,
        Vec::new(),
        None,
        |_| {},
    )
    .await;
    assert_eq!(e.unwrap_err(), DomainError::Forbidden);
    assert_eq!(t.count("list_records").await, before + 2);
    let _ = spec;
}
