//! 依申请公开 on the web: the online form with its confirmation step, the receipt shown only
//! once the application is stored, and tracking by code and key.

use super::*;

both!(
    an_application_is_confirmed_then_filed_and_tracked,
    tracking_reveals_nothing_without_the_key_and_is_rate_limited,
);

pub(super) fn application<'a>(csrf: &'a str, step: &'a str) -> Vec<(&'a str, &'a str)> {
    vec![
        ("csrf", csrf),
        ("step", step),
        ("agency", "YX0201"),
        ("applicant_kind", "person"),
        ("name", "王小明"),
        ("id_type", "resident_id"),
        ("id_number", "11010519491231002X"),
        ("phone", "13800138000"),
        ("description", "请提供政务公开工作要点的全文"),
        ("delivery_form", "electronic"),
        ("delivery_channel", "online"),
    ]
}

pub(super) fn between<'a>(html: &'a str, start: &str, end: &str) -> &'a str {
    let from = html.find(start).expect("marker") + start.len();
    html[from..].split(end).next().unwrap()
}

async fn file(app: &App, c: &Client) -> (String, String) {
    let csrf = app.csrf(c, "/requests/new").await;
    let res = c
        .post(app.url("/requests"))
        .form(&application(&csrf, "confirm"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let html = res.text().await.unwrap();
    (
        between(&html, "<code id=\"tracking-code\">", "<").to_string(),
        between(&html, "<code id=\"tracking-key\">", "<").to_string(),
    )
}

async fn an_application_is_confirmed_then_filed_and_tracked(app: App) {
    let c = app.client();
    let csrf = app.csrf(&c, "/requests/new").await;
    let tables = ["requests", "request_events", "audit_log"];
    let before = app.t.snapshot(&tables).await;
    // Bad input: the form again with the message; nothing stored.
    for (field, value, message) in [
        ("id_number", "110105194912310021", "校验位不正确"),
        ("phone", "", "至少填写一种联系方式"),
        ("agency", "NOPE9", "受理机关不存在"),
        ("description", "<script>alert(1)</script>公开", "含有脚本"),
    ] {
        let res = c
            .post(app.url("/requests"))
            .form(&with(application(&csrf, "preview"), field, value))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), 422, "{field}");
        let html = res.text().await.unwrap();
        assert!(html.contains(message), "{field}: {message}");
        assert!(html.contains("aria-invalid=\"true\""), "{field} marked");
    }
    // The confirmation step shows the data (ID masked) and documents already published.
    let res = c
        .post(app.url("/requests"))
        .form(&application(&csrf, "preview"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(html.contains("确认申请内容") && html.contains("110*************2X"));
    assert!(
        html.contains("关于印发《2021年政务公开工作要点》的通知"),
        "the published document is suggested"
    );
    assert_eq!(
        app.t.snapshot(&tables).await,
        before,
        "previewing stores nothing"
    );
    // Without the form's token, nothing is filed.
    let res = c
        .post(app.url("/requests"))
        .form(&application("forged", "confirm"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(app.count("requests").await, 0);

    let (code, key) = file(&app, &c).await;
    assert!(code.starts_with("YSQ") && key.len() >= 16, "{code} {key}");
    assert_eq!(
        app.count("requests").await,
        1,
        "stored before the code was shown"
    );

    let tcsrf = app.csrf(&c, "/requests/track").await;
    let res = c
        .post(app.url("/requests/track"))
        .form(&[
            ("csrf", tcsrf.as_str()),
            ("code", code.as_str()),
            ("key", key.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let html = res.text().await.unwrap();
    assert!(
        html.contains("待确认收到") && html.contains("待工作人员确认"),
        "{html}"
    );
    assert!(
        !html.contains("11010519491231002X"),
        "the ID number is never shown whole"
    );

    // The office sees it among the unconfirmed ones.
    let office = app.login("office").await;
    let queue = office
        .get(app.url("/office/requests?view=pending"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        queue.contains(&code)
            && queue.contains("各机关办理情况")
            && queue.contains("待确认收到(1)")
    );
    let res = office
        .get(app.url("/office/requests?view=overdue"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 200);
    let overdue = res.text().await.unwrap();
    // The overdue view itself, with nothing in it (not an error page that lacks the code).
    assert!(
        overdue.contains(r#"href="/office/requests?view=overdue" aria-current="page">已超期(0)"#),
        "{overdue}"
    );
    assert!(!overdue.contains(&code));

    // The applicant withdraws it: only with the key, and only once.
    let withdraw = |key: &str| {
        let form = [
            ("csrf", tcsrf.clone()),
            ("code", code.clone()),
            ("key", key.to_string()),
        ];
        let (c, url) = (c.clone(), app.url("/requests/withdraw"));
        async move { c.post(url).form(&form).send().await.unwrap() }
    };
    let before = app.t.snapshot(&["request_events"]).await;
    assert_eq!(withdraw("guess").await.status(), 404);
    assert_eq!(app.t.snapshot(&["request_events"]).await, before);
    let html = withdraw(&key).await.text().await.unwrap();
    assert!(html.contains("申请人已撤回"), "{html}");
    let res = withdraw(&key).await;
    assert_eq!(res.status(), 200);
    assert!(res.text().await.unwrap().contains("不能撤回"));
}

async fn tracking_reveals_nothing_without_the_key_and_is_rate_limited(app: App) {
    let c = app.client();
    let (code, _key) = file(&app, &c).await;
    let other = app.client();
    let csrf = app.csrf(&other, "/requests/track").await;
    let attempt = |code: String, key: &'static str| {
        let (c, url, csrf) = (other.clone(), app.url("/requests/track"), csrf.clone());
        async move {
            c.post(url)
                .form(&[
                    ("csrf", csrf.as_str()),
                    ("code", code.as_str()),
                    ("key", key),
                ])
                .send()
                .await
                .unwrap()
        }
    };
    let wrong_key = attempt(code.clone(), "guess").await;
    assert_eq!(wrong_key.status(), 404);
    let a = wrong_key.text().await.unwrap();
    let unknown = attempt("YSQ2099-000001".into(), "guess")
        .await
        .text()
        .await
        .unwrap();
    let message = "查询码或查询密钥不正确";
    assert!(
        a.contains(message) && unknown.contains(message),
        "the same answer for both"
    );
    assert!(!a.contains("王小明"));
    for _ in 0..8 {
        assert_eq!(attempt(code.clone(), "guess").await.status(), 404);
    }
    let res = attempt(code.clone(), "guess").await;
    assert_eq!(
        res.status(),
        429,
        "ten failures in 15 minutes, then refused"
    );
    assert!(res.headers().contains_key("retry-after"));
}

both!(a_request_is_handled_in_the_office_and_followed_by_the_applicant);

async fn a_request_is_handled_in_the_office_and_followed_by_the_applicant(app: App) {
    let applicant = app.client();
    let (code, key) = file(&app, &applicant).await;
    let tcsrf = app.csrf(&applicant, "/requests/track").await;
    let track = || {
        let (c, url, form) = (
            applicant.clone(),
            app.url("/requests/track"),
            [
                ("csrf", tcsrf.clone()),
                ("code", code.clone()),
                ("key", key.clone()),
            ],
        );
        async move {
            let res = c.post(url).form(&form).send().await.unwrap();
            assert_eq!(res.status(), 200);
            res.text().await.unwrap()
        }
    };
    let staff = app.login("staff").await;
    let home = staff
        .get(app.url("/office"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        home.contains("待确认收到 1 件") && home.contains("全部在办 1 件"),
        "the office home counts it"
    );
    let queue = staff
        .get(app.url("/office/requests"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(queue.contains(&code) && queue.contains("待确认收到"));
    let detail = format!("/office/requests/{}", app.count("requests").await);
    let csrf = app.csrf(&staff, &detail).await;
    let today = chrono::Utc::now().date_naive();
    let deadline = (today + chrono::Duration::days(10)).to_string();
    let act = |fields: Vec<(&'static str, String)>| {
        let (c, url, csrf) = (
            staff.clone(),
            app.url(&format!("{detail}/actions")),
            csrf.clone(),
        );
        async move {
            let mut form = vec![("csrf", csrf)];
            form.extend(fields);
            c.post(url).form(&form).send().await.unwrap()
        }
    };
    let s = |v: &str| v.to_string();
    // Out of turn: nothing happens, and the page says why.
    let res = act(vec![("action", s("deliver")), ("how", s("邮寄"))]).await;
    assert_eq!(res.status(), 409);
    assert!(res.text().await.unwrap().contains("不能送达答复"));

    assert_eq!(
        act(vec![("action", s("confirm_receipt"))]).await.status(),
        StatusCode::SEE_OTHER
    );
    assert!(track().await.contains("已确认收到申请,收到申请之日为"));
    let res = act(vec![
        ("action", s("request_correction")),
        ("deadline", deadline.clone()),
        ("what", s("请写明所需文件的年份")),
    ])
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = track().await;
    assert!(
        page.contains(&format!("请于 {deadline} 前补正:请写明所需文件的年份")),
        "the applicant sees what to correct"
    );
    let res = act(vec![
        ("action", s("request_correction")),
        ("deadline", deadline.clone()),
        ("what", s("再次补正")),
    ])
    .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("一次性"));
    assert_eq!(
        act(vec![("action", s("receive_correction"))])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        act(vec![
            ("action", s("start_consultation")),
            ("pause", s("third_party")),
            ("note", s("涉及企业商业秘密,内部备注"))
        ])
        .await
        .status(),
        StatusCode::SEE_OTHER
    );
    let page = track().await;
    assert!(page.contains("开始征求第三方意见") && page.contains("暂停计时"));
    assert!(
        !page.contains("内部备注"),
        "staff notes never reach the applicant"
    );
    assert_eq!(
        act(vec![
            ("action", s("end_consultation")),
            ("pause", s("third_party"))
        ])
        .await
        .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(
        act(vec![
            ("action", s("extend")),
            ("days", s("10")),
            ("reason", s("情况复杂"))
        ])
        .await
        .status(),
        403,
        "staff cannot extend"
    );
    let res = act(vec![
        ("action", s("draft_reply")),
        ("outcome", s("partly_disclosed")),
        ("text", s("提供可以公开的部分")),
    ])
    .await;
    assert_eq!(
        res.status(),
        422,
        "partial disclosure needs the withheld note"
    );
    assert_eq!(
        act(vec![
            ("action", s("draft_reply")),
            ("outcome", s("partly_disclosed")),
            ("text", s("提供可以公开的部分")),
            ("withheld_note", s("第三项涉及商业秘密,不予公开"))
        ])
        .await
        .status(),
        StatusCode::SEE_OTHER
    );
    assert_eq!(act(vec![("action", s("approve"))]).await.status(), 403);
    assert!(
        !track().await.contains("办理结果"),
        "no outcome before the reply"
    );

    let reviewer = app.login("reviewer").await;
    let rcsrf = app.csrf(&reviewer, &detail).await;
    let html = reviewer
        .get(app.url(&detail))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    // Started and ended the same day, the consultation paused no day; staff see their note.
    assert!(html.contains("答复期限计算") && html.contains("内部备注:涉及企业商业秘密"));
    assert!(html.contains("110*************2X") && !html.contains("11010519491231002X"));
    let res = reviewer
        .post(app.url(&format!("{detail}/actions")))
        .form(&[("csrf", rcsrf.as_str()), ("action", "approve")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        act(vec![("action", s("deliver")), ("how", s("电子邮件"))])
            .await
            .status(),
        StatusCode::SEE_OTHER
    );
    let page = track().await;
    assert!(
        page.contains("已答复") && page.contains("部分公开"),
        "{page}"
    );
    assert!(
        page.contains("政府信息公开申请答复书")
            && page.contains("第三十七条")
            && page.contains("六十日内"),
        "the applicant reads the reply letter"
    );
    let letter = staff
        .get(app.url(&format!("{detail}/letter")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        letter.contains("王小明:") && letter.contains("不予公开的内容及理由:第三项涉及商业秘密")
    );
    let pdf = staff
        .get(app.url(&format!("{detail}/letter.pdf")))
        .send()
        .await
        .unwrap();
    assert_eq!(pdf.headers()["content-type"], "application/pdf");
    let pdf = pdf.bytes().await.unwrap();
    assert!(pdf.starts_with(b"%PDF-"));
    if gongkai_formats::pdf::font::Typeface::system().is_some() {
        assert!(
            pdf.windows(9).any(|w| w == b"/FontFile"),
            "the installed CJK font is embedded"
        );
    }
    // The applicant downloads the same letter with the code and key.
    let mine = applicant
        .post(app.url("/requests/letter.pdf"))
        .form(&[
            ("csrf", tcsrf.clone()),
            ("code", code.clone()),
            ("key", key.clone()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(mine.headers()["content-type"], "application/pdf");
    assert_eq!(mine.headers()["cache-control"], "private, no-store");
    assert_eq!(
        mine.bytes().await.unwrap(),
        pdf,
        "the applicant's copy is the office's"
    );
    let wrong = applicant
        .post(app.url("/requests/letter.pdf"))
        .form(&[
            ("csrf", tcsrf.clone()),
            ("code", code.clone()),
            ("key", "WRONG-KEY".to_string()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(wrong.status(), 404, "no letter without the key");
    // A 复议 about the reply, then its result (annual report table 四).
    let appeal = |fields: Vec<(&'static str, String)>| {
        let (c, url, csrf) = (
            staff.clone(),
            app.url(&format!("{detail}/appeals")),
            csrf.clone(),
        );
        async move {
            let mut form = vec![("csrf", csrf)];
            form.extend(fields);
            c.post(url).form(&form).send().await.unwrap()
        }
    };
    let filed = today.to_string();
    let res = appeal(vec![
        ("kind", s("review")),
        ("filed_on", filed.clone()),
        ("result", s("pending")),
        ("decided_on", filed.clone()),
    ])
    .await;
    assert_eq!(res.status(), 422);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("尚未审结的不应填写审结日期")
    );
    let res = appeal(vec![
        ("kind", s("review")),
        ("filed_on", filed.clone()),
        ("result", s("pending")),
    ])
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = staff
        .get(app.url(&detail))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("行政复议,") && html.contains("尚未审结"));
    let decide = html
        .split("/decide\"")
        .next()
        .unwrap()
        .rsplit("action=\"")
        .next()
        .unwrap()
        .to_string();
    let res = staff
        .post(app.url(&format!("{decide}/decide")))
        .form(&[
            ("csrf", csrf.as_str()),
            ("result", "upheld"),
            ("decided_on", filed.as_str()),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = staff
        .get(app.url(&detail))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("结果维持"), "{html}");
    // Another agency's staff cannot see it.
    let other = app.login("staff2").await;
    assert_eq!(
        other
            .get(app.url(&format!("{detail}/letter.pdf")))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    assert_eq!(
        other.get(app.url(&detail)).send().await.unwrap().status(),
        404
    );
    let res = staff.get(app.url("/office/requests")).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let queue = res.text().await.unwrap();
    assert!(queue.contains("<h1>依申请公开</h1>"), "{queue}");
    assert!(!queue.contains(&code), "a replied request leaves the queue");
}

both!(applications_through_the_api);

async fn applications_through_the_api(app: App) {
    let c = app.client();
    let body = json!({
        "agency": "YX0201",
        "applicant_kind": "business",
        "name": "云溪示范科技有限公司",
        "id_type": "credit_code",
        "id_number": "91310000MA1K000000",
        "email": "office@example.com",
        "description": "本公司所在园区2025年的环境监测报告",
        "delivery_form": "electronic",
        "delivery_channel": "email",
    });
    let before = app.t.snapshot(&["requests", "request_events"]).await;
    let mut bad = body.clone();
    bad["delivery_channel"] = json!("post");
    let res = c
        .post(app.url("/api/v1/applications"))
        .json(&bad)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert_eq!(res.headers()["content-type"], "application/problem+json");
    let problem: Value = res.json().await.unwrap();
    assert_eq!(problem["field"], "address", "post needs an address");
    assert_eq!(
        app.t.snapshot(&["requests", "request_events"]).await,
        before
    );

    let res = c
        .post(app.url("/api/v1/applications"))
        .json(&body)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let href = res.headers()["location"].to_str().unwrap().to_string();
    let filed: Value = res.json().await.unwrap();
    let key = filed["key"].as_str().unwrap().to_string();
    let code = filed["tracking_code"].as_str().unwrap().to_string();
    assert_eq!(app.count("requests").await, 1);

    let get = |key: &str| c.get(app.url(&href)).header("x-tracking-key", key).send();
    let res = get("wrong").await.unwrap();
    assert_eq!(res.status(), 404);
    let view: Value = get(&key).await.unwrap().json().await.unwrap();
    assert_eq!(
        (view["status"].as_str(), view["received_on"].is_null()),
        (Some("pending"), true)
    );
    assert_eq!(view["id_number"], "913*************00");
    assert!(!view.to_string().contains("91310000MA1K000000"));

    let actions = app.url(&format!("/api/v1/applications/{code}/actions"));
    let step = |token: String, body: Value| {
        let (c, url) = (c.clone(), actions.clone());
        async move {
            c.post(url)
                .bearer_auth(token)
                .json(&body)
                .send()
                .await
                .unwrap()
        }
    };
    let staff = app.token("staff").await;
    let other = app.token("staff2").await;
    assert_eq!(
        step(other, json!({"action": "confirm_receipt"}))
            .await
            .status(),
        404
    );
    let res = step(
        staff.clone(),
        json!({"action": "deliver", "how": "电子邮件"}),
    )
    .await;
    assert_eq!(res.status(), 409);
    let res = step(staff.clone(), json!({"action": "confirm_receipt"})).await;
    assert_eq!(res.status(), 200);
    let moved: Value = res.json().await.unwrap();
    assert_eq!(moved["status"], "registered");
    let view: Value = get(&key).await.unwrap().json().await.unwrap();
    assert!(view["received_on"].is_string());
    assert_eq!(view["clock"]["limit"], 20);
    assert!(view["explanation"].as_array().unwrap().len() >= 2, "{view}");
}

both!(a_request_for_another_agency_is_transferred_and_followed_with_the_same_key);

async fn a_request_for_another_agency_is_transferred_and_followed_with_the_same_key(app: App) {
    let app = &app;
    let applicant = app.client();
    let (code, key) = file(app, &applicant).await;
    let tcsrf = app.csrf(&applicant, "/requests/track").await;
    let track = |code: String| {
        let (c, url, form) = (
            applicant.clone(),
            app.url("/requests/track"),
            [
                ("csrf", tcsrf.clone()),
                ("code", code),
                ("key", key.clone()),
            ],
        );
        async move {
            let res = c.post(url).form(&form).send().await.unwrap();
            assert_eq!(res.status(), 200);
            res.text().await.unwrap()
        }
    };
    let id = app.count("requests").await;
    let detail = format!("/office/requests/{id}");
    let actions = format!("{detail}/actions");
    let step = async |who: Client, fields: Vec<(&'static str, &'static str)>| {
        let csrf = app.csrf(&who, &detail).await;
        app.post(&who, &actions, &csrf, &fields).await.status()
    };
    let staff = app.login("staff").await;
    let reviewer = app.login("reviewer").await;
    assert_eq!(
        step(staff.clone(), vec![("action", "confirm_receipt")]).await,
        303
    );
    let page = app.page(&staff, &detail).await;
    assert!(
        page.contains("<option value=\"YX0202\">云溪区教育局</option>")
            && !page.contains("<option value=\"YX0201\">"),
        "the other agencies are offered, not this one"
    );
    assert_eq!(
        step(
            staff.clone(),
            vec![
                ("action", "draft_reply"),
                ("outcome", "unavailable.not_held"),
                ("text", "经检索,本机关未制作或获取该信息。"),
                ("referred_agency", "YX0202"),
            ]
        )
        .await,
        303
    );
    // Not before the reply is delivered.
    assert_eq!(step(staff.clone(), vec![("action", "transfer")]).await, 409);
    assert_eq!(
        step(reviewer.clone(), vec![("action", "approve")]).await,
        303
    );
    assert_eq!(
        step(
            staff.clone(),
            vec![("action", "deliver"), ("how", "电子邮件")]
        )
        .await,
        303
    );
    let page = track(code.clone()).await;
    assert!(
        page.contains("云溪区教育局"),
        "the letter names the competent agency"
    );
    let page = app.page(&staff, &detail).await;
    assert!(page.contains("转交负责公开的机关"));
    assert_eq!(step(staff.clone(), vec![("action", "transfer")]).await, 303);
    assert_eq!(
        step(staff.clone(), vec![("action", "transfer")]).await,
        409,
        "only once"
    );
    let page = app.page(&staff, &detail).await;
    assert!(page.contains("已转交") && !page.contains("转交负责公开的机关"));

    // The applicant learns the new code and follows it with the same key.
    let page = track(code.clone()).await;
    let new_code = between(&page, "新的查询码为 ", ",").to_string();
    assert_ne!(new_code, code);
    let page = track(new_code.clone()).await;
    assert!(
        page.contains("云溪区教育局") && page.contains("待确认收到"),
        "{page}"
    );
    assert!(page.contains("转交"));
    // It is the education bureau's now: its staff confirm it; the original staff cannot see it.
    let new_detail = format!("/office/requests/{}", id + 1);
    assert_eq!(
        staff
            .get(app.url(&new_detail))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let edu = app.login("staff2").await;
    let queue = app.page(&edu, "/office/requests").await;
    assert!(queue.contains(&new_code));
    let csrf = app.csrf(&edu, &new_detail).await;
    let res = edu
        .post(app.url(&format!("{new_detail}/actions")))
        .form(&[("csrf", csrf.as_str()), ("action", "confirm_receipt")])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 303);
    assert!(track(new_code).await.contains("已确认收到申请"));
}

both!(registered_post_is_received_on_its_signing_date);

/// Registered without a signing date, a posted application gets its receipt date from the
/// confirmation step (条例第三十一条第(二)项), which the page names with the arrival date; the
/// reply deadline runs from it and is marked provisional when it falls in a year whose
/// holiday notice is not out.
async fn registered_post_is_received_on_its_signing_date(app: App) {
    let app = &app;
    let staff = app.login("staff").await;
    let today = chrono::Utc::now().date_naive();
    let (sent, signed) = (
        (today - chrono::Duration::days(7)).to_string(),
        (today - chrono::Duration::days(5)).to_string(),
    );
    let csrf = app.csrf(&staff, "/office/requests/new").await;
    let mut form = application(&csrf, "confirm");
    form.retain(|(k, _)| *k != "step");
    form.extend([
        ("channel", "registered_post"),
        ("submitted_on", sent.as_str()),
        ("address", "云溪区人民路 100 号"),
    ]);
    let res = app.post(&staff, "/office/requests", &csrf, &form).await;
    assert_eq!(res.status(), 303, "{}", res.text().await.unwrap());
    let id = app.count("requests").await;
    let detail = format!("/office/requests/{id}");
    let page = app.page(&staff, &detail).await;
    assert!(
        page.contains("签收日期"),
        "the step asks for the signing date"
    );
    let csrf = app.csrf(&staff, &detail).await;
    let res = app
        .post(
            &staff,
            &format!("{detail}/actions"),
            &csrf,
            &[("action", "confirm_receipt"), ("on", signed.as_str())],
        )
        .await;
    assert_eq!(res.status(), 303);
    let page = app.page(&staff, &detail).await;
    assert!(
        page.contains(&format!("收到申请之日</dt><dd>{signed}")),
        "{}",
        between(&page, "<dl", "</dl>")
    );
    assert!(page.contains(&format!("申请到达(签收)日期 {signed}")));
    assert!(page.contains("以行政机关签收之日为收到申请之日(条例第三十一条第(二)项)"));
    let cal = gongkai_domain::calendar::WorkCalendar::official();
    let signed_on: chrono::NaiveDate = signed.parse().unwrap();
    let due = cal.add_workdays(signed_on, 20).unwrap();
    assert!(page.contains(&format!("答复期限</dt><dd>{}", due.end)));
    assert_eq!(page.contains("暂定"), due.provisional(), "{}", due.end);
}
