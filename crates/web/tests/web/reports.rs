//! 年度报告 over HTTP: staff draft a report counted from the records, bad figures and a
//! misstated text change nothing, every number links to its records, the report goes through
//! the disclosure workflow and the public reads it in the official layout, as JSON and XLSX.

use chrono::NaiveDate;
use gongkai_app::requests::{self, Action as R};
use gongkai_domain::report::interchange::from_json;
use gongkai_domain::request::intake::{RequestDraft, RequestInput};
use gongkai_domain::request::outcome::Outcome;

use super::*;

both!(an_annual_report_from_draft_to_publication);

fn day(s: &str) -> NaiveDate {
    NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
}

async fn user(app: &App, name: &str, role: Role) -> Principal {
    let mut c = app.t.db.conn().await.unwrap();
    let name = gongkai_domain::user::Username::parse(name).unwrap();
    let u = users::by_username(&mut c, &name).await.unwrap().unwrap();
    Principal {
        user_id: u.id,
        role,
        agency_id: u.agency_id,
    }
}

/// A request handed in at the office on `received` and answered `outcome` on `replied`.
async fn seeded(app: &App, received: &str, replied: Option<(&str, Outcome)>) -> String {
    let staff = user(app, "staff", Role::Staff).await;
    let reviewer = user(app, "reviewer", Role::Reviewer).await;
    let input = RequestInput {
        applicant_kind: "person".into(),
        name: "李四".into(),
        id_type: "resident_id".into(),
        id_number: "11010519491231002X".into(),
        phone: "13800138000".into(),
        description: "2025年本机关的有关文件".into(),
        delivery_form: "electronic".into(),
        delivery_channel: "online".into(),
        channel: "in_person".into(),
        submitted_on: received.into(),
        ..Default::default()
    };
    let draft = RequestDraft::parse_registered(&input, day(received)).unwrap();
    let actor = Actor::system("test");
    let agency = staff.agency_id;
    let public = gongkai_app::Ctx::public(&app.t.db, actor.clone());
    let s = requests::submit(&public, agency, &draft).await.unwrap();
    if let Some((on, outcome)) = replied {
        let steps = [
            (
                staff,
                R::Assign {
                    user_id: staff.user_id,
                },
            ),
            (
                staff,
                R::DraftReply {
                    outcome,
                    text: "经审查,现予答复。".into(),
                    withheld_note: String::new(),
                    referred_to: String::new(),
                    referred_agency: String::new(),
                },
            ),
            (reviewer, R::Approve),
            (
                staff,
                R::Deliver {
                    on: day(on),
                    how: "电子邮件".into(),
                },
            ),
        ];
        for (who, a) in steps {
            let ctx = gongkai_app::Ctx::new(&app.t.db, actor.clone(), who).on(day(on));
            requests::act(&ctx, s.id, &a).await.unwrap();
        }
    }
    s.tracking_code
}

async fn an_annual_report_from_draft_to_publication(app: App) {
    use gongkai_domain::request::outcome::Unavailable;
    let first = seeded(&app, "2025-03-03", Some(("2025-03-14", Outcome::Disclosed))).await;
    seeded(&app, "2025-06-02", Some(("2025-06-20", Outcome::Disclosed))).await;
    seeded(
        &app,
        "2025-08-04",
        Some(("2025-08-15", Outcome::Unavailable(Unavailable::NotHeld))),
    )
    .await;
    let open = seeded(&app, "2025-12-29", None).await;

    let staff = app.login("staff").await;
    let csrf = app.csrf(&staff, "/office/reports").await;
    // A year outside the 2021 format, and one without calendar data: refused, nothing stored.
    for (year, phrase) in [
        ("2019", "2021"),
        ("2099", "节假日安排数据"),
        ("明年", "不是年份"),
    ] {
        let res = app
            .post(
                &staff,
                "/office/reports",
                &csrf,
                &[("agency", "YX0201"), ("year", year), ("scope", "agency")],
            )
            .await;
        assert_eq!(res.status(), 422, "{year}");
        assert!(res.text().await.unwrap().contains(phrase), "{year}");
    }
    assert_eq!(app.count("annual_reports").await, 0);
    let res = app
        .post(
            &staff,
            "/office/reports",
            &csrf,
            &[("agency", "YX0201"), ("year", "2025"), ("scope", "agency")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let path = res.headers()["location"].to_str().unwrap().to_string();
    let id = path.rsplit('/').next().unwrap().to_string();

    let html = app.page(&staff, &path).await;
    assert!(html.contains("云溪区发展和改革委员会2025年政府信息公开工作年度报告"));
    assert!(
        html.contains(r#"rowspan="22">三、本年度办理结果</th>"#),
        "{html}"
    );
    assert!(html.contains(r#"rowspan="8">（三）不予公开</th>"#));
    assert!(html.contains("全部校验通过"));
    assert!(html.contains("本年度新收政府信息公开申请4件，上年结转0件；本年度办结3件"));
    // Each number links to its records: 结转下年度 总计 is the one open request.
    let cell = format!("/office/reports/{id}/cells?row=carried_out&#38;col=6");
    assert!(html.contains(&cell), "{cell}");
    let list = app
        .page(
            &staff,
            &format!("/office/reports/{id}/cells?row=carried_out&col=6"),
        )
        .await;
    assert!(list.contains(&open) && !list.contains(&first), "{list}");
    let list = app
        .page(
            &staff,
            &format!("/office/reports/{id}/cells?row=disclosed&col=0"),
        )
        .await;
    assert!(list.contains(&first) && list.contains("共 2 件"), "{list}");
    let res = staff
        .get(app.url(&format!("/office/reports/{id}/cells?row=nonsense&col=0")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    // Another agency's staff cannot open the draft.
    let other = app.login("staff2").await;
    let res = other.get(app.url(&path)).send().await.unwrap();
    assert!(res.status().is_client_error(), "{}", res.status());
    // The public does not see a draft.
    let public = app.client();
    let res = public
        .get(app.url(&format!("/reports/{id}")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);

    // Bad manual figures and a misstated text change nothing.
    let overview = html
        .split("name=\"overview\"")
        .nth(1)
        .unwrap()
        .split('>')
        .nth(1)
        .unwrap()
        .split("</textarea")
        .next()
        .unwrap()
        .to_string();
    let csrf = app.csrf(&staff, &path).await;
    let audit_before = app.count("audit_log").await;
    let form = |over: &str, licences: &str, source: &str, action: &str| {
        vec![
            ("overview".to_string(), over.to_string()),
            ("problems".into(), "政务公开专栏更新不够及时。".into()),
            (
                "other".into(),
                "本年度未收取政府信息公开信息处理费。".into(),
            ),
            ("licences".into(), licences.to_string()),
            ("licences_source".into(), source.to_string()),
            ("action".into(), action.to_string()),
        ]
    };
    let post = async |fields: Vec<(String, String)>| {
        let mut f: Vec<(&str, &str)> = fields
            .iter()
            .map(|(k, v)| (k.as_str(), v.as_str()))
            .collect();
        f.push(("csrf", csrf.as_str()));
        staff.post(app.url(&path)).form(&f).send().await.unwrap()
    };
    let res = post(form(&overview, "-5", "区政务服务中心", "save")).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("不能为负数"));
    let res = post(form(&overview, "12", "", "save")).await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("数据来源"));
    let wrong = overview.replace("予以公开2件", "予以公开5件");
    assert_ne!(wrong, overview, "{overview}");
    let res = post(form(&wrong, "12", "区政务服务中心", "submit")).await;
    assert_eq!(res.status(), 409);
    let body = res.text().await.unwrap();
    assert!(body.contains("文字称予以公开5件"), "{body}");
    assert_eq!(
        app.count("audit_log").await,
        audit_before,
        "nothing changed"
    );

    // Saved and submitted: frozen, in the disclosure workflow as a 报告 document.
    let docs_before = app.count("documents").await;
    let res = post(form(&overview, "12", "区政务服务中心", "submit")).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("documents").await, docs_before + 1);
    let html = app.page(&staff, &path).await;
    assert!(html.contains("已提交发布"), "{html}");
    assert!(
        !html.contains("name=\"overview\""),
        "no edit form once submitted"
    );
    let doc = html
        .split("href=\"/office/documents/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let office = app.login("office").await;
    let detail = format!("/office/documents/{doc}");
    assert_eq!(
        app.act(&office, &detail, "approve").await,
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        app.act(&office, &detail, "publish").await,
        StatusCode::SEE_OTHER
    );

    // Public: the official layout, JSON that passes every check, XLSX with the tables.
    let list = app.page(&public, "/reports").await;
    assert!(list.contains(&format!("/reports/{id}")));
    let html = app.page(&public, &format!("/reports/{id}")).await;
    assert!(html.contains(r#"rowspan="22">三、本年度办理结果</th>"#));
    assert!(html.contains("政务公开专栏更新不够及时。"));
    assert!(
        !html.contains("/office/reports/"),
        "no drill-down links for the public"
    );
    assert!(!html.contains("李四"), "no applicant on the public page");
    let json = public
        .get(app.url(&format!("/reports/{id}/json")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let rep = from_json(&json).unwrap();
    assert!(gongkai_domain::report::check(&rep).is_empty());
    assert_eq!(rep.table2.licences, Some(12));
    assert_eq!(
        rep.table3.get(gongkai_domain::report::Row::Total, 6),
        Some(3)
    );
    let xlsx = public
        .get(app.url(&format!("/reports/{id}/xlsx")))
        .send()
        .await
        .unwrap();
    assert!(
        xlsx.headers()["content-type"]
            .to_str()
            .unwrap()
            .contains("spreadsheetml")
    );
    let bytes = xlsx.bytes().await.unwrap();
    let mut zip = zip::ZipArchive::new(std::io::Cursor::new(bytes.to_vec())).unwrap();
    let mut strings = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/sharedStrings.xml").unwrap(),
        &mut strings,
    )
    .unwrap();
    for want in [
        "三、本年度办理结果",
        "1.本机关不掌握相关政府信息",
        "行政事业性收费",
        "政务公开专栏更新不够及时。",
    ] {
        assert!(strings.contains(want), "{want} in the workbook");
    }
    let mut sheet = String::new();
    std::io::Read::read_to_string(
        &mut zip.by_name("xl/worksheets/sheet2.xml").unwrap(),
        &mut sheet,
    )
    .unwrap();
    assert!(
        sheet.contains("<mergeCell ref=\"A6:A27\"/>"),
        "the 22-row group is merged: {sheet}"
    );
    let pdf = public
        .get(app.url(&format!("/reports/{id}/pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let bytes = pdf.bytes().await.unwrap();
    assert_eq!(
        gongkai_domain::attachment::sniff(&bytes),
        Some(gongkai_domain::attachment::FileKind::Pdf)
    );
    assert!(html.contains(&format!("/reports/{id}/pdf")));
    let res = public
        .get(app.url(&format!("/reports/{id}/docx")))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
}
