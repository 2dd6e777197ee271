//! 重大行政决策事项目录 over HTTP: staff keep the catalogue, bad input stores nothing, the
//! public sees it once published, with each entry's timeline.

use super::*;

both!(the_decision_catalogue_over_http);

async fn the_decision_catalogue_over_http(app: App) {
    let public = app.client();
    let html = app.page(&public, "/agencies/YX0201/decisions").await;
    assert!(html.contains("暂无已发布的重大行政决策事项目录"));
    let staff = app.login("staff").await;
    let home = app.page(&staff, "/office").await;
    assert!(home.contains("个机关的本年度目录尚未发布"));
    let csrf = app.csrf(&staff, "/office/decisions").await;
    let res = app
        .post(
            &staff,
            "/office/decisions",
            &csrf,
            &[("agency", "YX0201"), ("year", "1999")],
        )
        .await;
    assert_eq!(res.status(), 422);
    let year = chrono::Datelike::year(&gongkai_store::db::now().date_naive()).to_string();
    let res = app
        .post(
            &staff,
            "/office/decisions",
            &csrf,
            &[("agency", "YX0201"), ("year", &year)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let catalogue = res.headers()["location"].to_str().unwrap().to_string();
    // Another agency's staff cannot open it.
    let other = app.login("staff2").await;
    assert_eq!(
        other
            .get(app.url(&catalogue))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
    let entry = [
        ("title", "制定《云溪区数据开放管理办法》"),
        ("responsible", "YX0201"),
        ("basis", "《上海市公共数据开放暂行办法》"),
        ("planned_on", "2026-12-31"),
        ("status", "planned"),
    ];
    let res = app
        .post(
            &staff,
            &catalogue,
            &csrf,
            &[
                ("title", "短"),
                ("responsible", "YX0201"),
                ("basis", "依据"),
                ("planned_on", "2026-12-31"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert_eq!(app.count("decision_entries").await, 0);
    let res = app.post(&staff, &catalogue, &csrf, &entry).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let page = app.page(&staff, &catalogue).await;
    let entry_path = page
        .split("href=\"/office/decisions/entries/")
        .nth(1)
        .unwrap()
        .split('"')
        .next()
        .unwrap()
        .to_string();
    let entry_path = format!("/office/decisions/entries/{entry_path}");
    // 集体讨论决定 without the public representatives: refused, nothing stored.
    let res = app
        .post(
            &staff,
            &entry_path,
            &csrf,
            &[
                ("kind", "meeting_review"),
                ("happened_on", "2026-11-20"),
                ("summary", "区政府常务会议审议"),
            ],
        )
        .await;
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("公众代表"));
    assert_eq!(app.count("decision_stages").await, 0);
    let res = app
        .post(
            &staff,
            &entry_path,
            &csrf,
            &[
                ("kind", "meeting_review"),
                ("happened_on", "2026-11-20"),
                ("summary", "区政府常务会议审议通过"),
                ("representatives", "市民代表 2 名列席"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let res = app
        .post(&staff, &catalogue, &csrf, &[("action", "publish")])
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let html = app.page(&public, "/agencies/YX0201/decisions").await;
    assert!(html.contains("制定《云溪区数据开放管理办法》") && html.contains("推进中"));
    let id = entry_path.rsplit('/').next().unwrap();
    let html = app.page(&public, &format!("/decisions/{id}")).await;
    assert!(html.contains("集体讨论决定") && html.contains("列席的公众代表:市民代表 2 名列席"));
    // The same through the API.
    let list: Value = public
        .get(app.url("/api/v1/agencies/YX0201/decisions"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(list[0]["entries"][0]["status"], "in_progress");
    let one: Value = public
        .get(app.url(&format!("/api/v1/decisions/{id}")))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(one["stages"][0]["kind"], "meeting_review");
    assert_eq!(one["stages"][0]["representatives"], "市民代表 2 名列席");
    assert_eq!(
        public
            .get(app.url("/api/v1/decisions/999999"))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}
