//! Who may change what: every state-changing route of the router (read from its source, so a
//! new route without a row here fails) is tried by an anonymous visitor, staff and reviewer
//! of agency A (YX0201, whose records the requests name), staff and reviewer of agency B
//! (YX0202), the disclosure office and an administrator. Each one the policy refuses must be
//! refused (401, 403, 404 or the login page) with nothing written; then each one it allows
//! must get past authorization (a repeated action may then conflict, which is not a refusal).

use std::collections::BTreeMap;

use gongkai_store::Exec;

use super::*;

both!(every_state_changing_route_enforces_its_policy);

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Policy {
    /// Anyone, without logging in (filing, comments, tracking, login).
    Public,
    /// Staff and reviewers of the record's agency, the office, administrators.
    Agency,
    /// Reviewers of the record's agency, the office, administrators.
    Reviewer,
    /// The disclosure office and administrators.
    Office,
    Admin,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Who {
    Anonymous,
    StaffA,
    ReviewerA,
    StaffB,
    ReviewerB,
    Office,
    Admin,
}

const EVERYONE: [Who; 7] = [
    Who::Anonymous,
    Who::StaffA,
    Who::ReviewerA,
    Who::StaffB,
    Who::ReviewerB,
    Who::Office,
    Who::Admin,
];

impl Policy {
    fn allows(self, who: Who) -> bool {
        use Who::*;
        match self {
            Policy::Public => true,
            Policy::Agency => matches!(who, StaffA | ReviewerA | Office | Admin),
            Policy::Reviewer => matches!(who, ReviewerA | Office | Admin),
            Policy::Office => matches!(who, Office | Admin),
            Policy::Admin => who == Admin,
        }
    }

    /// Who shows that the policy lets its least privileged principal through.
    fn least(self) -> Who {
        match self {
            Policy::Public => Who::Anonymous,
            Policy::Agency => Who::StaffA,
            Policy::Reviewer => Who::ReviewerA,
            Policy::Office => Who::Office,
            Policy::Admin => Who::Admin,
        }
    }
}

/// The records of agency A the requests name.
#[derive(Default)]
struct Fx(BTreeMap<&'static str, String>);

impl Fx {
    fn get(&self, k: &str) -> &str {
        self.0.get(k).map_or("0", String::as_str)
    }
}

fn id_from(location: &str) -> String {
    location
        .rsplit('/')
        .next()
        .unwrap()
        .split(['#', '?'])
        .next()
        .unwrap()
        .to_string()
}

async fn max_id(app: &App, table: &str) -> String {
    let row = app
        .t
        .db
        .conn()
        .await
        .unwrap()
        .fetch_one(gongkai_store::Sql::dynamic(format!(
            "SELECT COALESCE(MAX(id), 0) AS n FROM {table}"
        )))
        .await
        .unwrap();
    row.get::<i64>("n").unwrap().to_string()
}

async fn fixtures(app: &App) -> Fx {
    let mut fx = Fx::default();
    let staff = app.login("staff").await;
    let office = app.login("office").await;
    let public = app.client();
    fx.0.insert("doc", app.doc_id.to_string());
    fx.0.insert("draft", app.draft_id.to_string());
    // A relation recorded on the draft, to the published document.
    let path = format!("/office/documents/{}", app.draft_id);
    let csrf = app.csrf(&staff, &path).await;
    let res = app
        .post(
            &staff,
            &format!("{path}/relations"),
            &csrf,
            &[("kind", "amends"), ("index_no", "YX0201/2021-00001")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "relation fixture");
    // A consultation.
    let today = gongkai_store::db::now().date_naive();
    let (opens, closes) = (
        today.to_string(),
        (today + chrono::Duration::days(30)).to_string(),
    );
    let csrf = app.csrf(&staff, "/office/consultations").await;
    let res = app
        .post(
            &staff,
            "/office/consultations",
            &csrf,
            &[
                ("agency", "YX0201"),
                ("title", "《云溪区养犬管理办法(征求意见稿)》"),
                ("explanation", "为规范养犬行为,起草本办法,现公开征求意见。"),
                ("basis", "《上海市养犬管理条例》"),
                (
                    "draft",
                    "云溪区养犬管理办法\n第一条 为规范养犬行为,制定本办法。",
                ),
                ("opens_on", &opens),
                ("closes_on", &closes),
                ("name_rule", "optional"),
                ("contact_rule", "optional"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "consultation fixture");
    let consultation = res.headers()["location"].to_str().unwrap().to_string();
    fx.0.insert("consultation", id_from(&consultation));
    assert_eq!(
        app.act(&staff, &consultation, "publish").await,
        StatusCode::SEE_OTHER,
        "consultation published"
    );
    let public_path = format!("/consultations/{}", fx.get("consultation"));
    let csrf = app.csrf(&public, &public_path).await;
    let res = app
        .post(
            &public,
            &format!("{public_path}/comments"),
            &csrf,
            &[
                ("body", "建议明确本办法适用于全区所有街镇。"),
                ("website", ""),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::CREATED, "comment fixture");
    fx.0.insert("comment", max_id(app, "consultation_comments").await);
    // A penalty record.
    let id = super::lists::create(
        app,
        &office,
        "xzcf",
        &super::lists::penalty_form("云发改罚〔2026〕9号", &today.to_string()),
    )
    .await;
    fx.0.insert("record", id.to_string());
    // A service guide (its forms) and a dataset (its resources).
    let (_, _, fields) = super::lists::samples(today)
        .into_iter()
        .find(|(k, _, _)| *k == "bszn")
        .unwrap();
    let mut guide = vec![("agency", "YX0201".to_string())];
    guide.extend(fields);
    let id = super::lists::create(app, &office, "bszn", &guide).await;
    fx.0.insert("guide", id.to_string());
    let id = super::lists::create(app, &office, "sjml", &super::lists::dataset_form()).await;
    fx.0.insert("dataset", id.to_string());
    // An annual report draft.
    let csrf = app.csrf(&staff, "/office/reports").await;
    let res = app
        .post(
            &staff,
            "/office/reports",
            &csrf,
            &[("agency", "YX0201"), ("year", "2025"), ("scope", "agency")],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "report fixture");
    fx.0.insert(
        "report",
        id_from(res.headers()["location"].to_str().unwrap()),
    );
    // A decision catalogue and an entry.
    let year = chrono::Datelike::year(&today).to_string();
    let csrf = app.csrf(&staff, "/office/decisions").await;
    let res = app
        .post(
            &staff,
            "/office/decisions",
            &csrf,
            &[("agency", "YX0201"), ("year", &year)],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "decisions fixture");
    let catalogue = res.headers()["location"].to_str().unwrap().to_string();
    fx.0.insert("decisions", id_from(&catalogue));
    let res = app
        .post(
            &staff,
            &catalogue,
            &csrf,
            &[
                ("title", "制定《云溪区数据开放管理办法》"),
                ("responsible", "YX0201"),
                ("basis", "《上海市公共数据开放暂行办法》"),
                ("planned_on", "2026-12-31"),
                ("status", "planned"),
            ],
        )
        .await;
    assert_eq!(
        res.status(),
        StatusCode::SEE_OTHER,
        "decision entry fixture"
    );
    fx.0.insert("entry", max_id(app, "decision_entries").await);
    // A message to agency A (about its document), and a request filed online.
    let form = format!("/messages/new?document={}", app.doc_id);
    let csrf = app.csrf(&public, &form).await;
    let doc = app.doc_id.to_string();
    let res = app
        .post(
            &public,
            "/messages",
            &csrf,
            &[
                ("document", doc.as_str()),
                ("title", "关于政务公开工作要点的疑问"),
                ("body", "请问工作要点中提到的公开标准目录何时发布?"),
                ("name", "王小明"),
                ("phone", "13800138000"),
                ("consent", "on"),
            ],
        )
        .await;
    assert!(
        res.status().is_success() || res.status().is_redirection(),
        "message fixture"
    );
    fx.0.insert("message", max_id(app, "messages").await);
    let csrf = app.csrf(&public, "/requests/new").await;
    let res = public
        .post(app.url("/requests"))
        .form(&super::requests::application(&csrf, "confirm"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201, "request fixture");
    fx.0.insert("request", max_id(app, "requests").await);
    let code: String = app
        .t
        .db
        .conn()
        .await
        .unwrap()
        .fetch_one(gongkai_store::Sql::dynamic(format!(
            "SELECT tracking_code AS code FROM requests WHERE id = {}",
            fx.get("request")
        )))
        .await
        .unwrap()
        .get("code")
        .unwrap();
    fx.0.insert("code", code);
    let detail = format!("/office/requests/{}", fx.get("request"));
    // Replied to (an appeal is about a reply).
    let reviewer = app.login("reviewer").await;
    for (who, fields) in [
        (&staff, vec![("action", "confirm_receipt")]),
        (
            &staff,
            vec![
                ("action", "draft_reply"),
                ("outcome", "unavailable.not_held"),
                ("text", "经检索,本机关未制作或获取该信息。"),
            ],
        ),
        (&reviewer, vec![("action", "approve")]),
        (&staff, vec![("action", "deliver"), ("how", "电子邮件")]),
    ] {
        let csrf = app.csrf(who, &detail).await;
        let res = app
            .post(who, &format!("{detail}/actions"), &csrf, &fields)
            .await;
        assert_eq!(
            res.status(),
            StatusCode::SEE_OTHER,
            "request fixture: {fields:?}"
        );
    }
    let csrf = app.csrf(&staff, &detail).await;
    let res = app
        .post(
            &staff,
            &format!("{detail}/appeals"),
            &csrf,
            &[
                ("kind", "review"),
                ("filed_on", &today.to_string()),
                ("result", "pending"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "appeal fixture");
    fx.0.insert("appeal", max_id(app, "request_appeals").await);
    // An attachment on the draft.
    let path = format!("/office/documents/{}", app.draft_id);
    let csrf = app.csrf(&staff, &path).await;
    let form = reqwest::multipart::Form::new().text("csrf", csrf).part(
        "file",
        reqwest::multipart::Part::bytes(PDF.to_vec()).file_name("附件.pdf"),
    );
    let res = staff
        .post(app.url(&format!("{path}/attachments")))
        .multipart(form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "attachment fixture");
    // A catalogue item, an answer, a gazette issue.
    let csrf = app.csrf(&staff, "/office/catalogue").await;
    let res = app
        .post(
            &staff,
            "/office/catalogue",
            &csrf,
            &[
                ("agency", "YX0201"),
                ("name", "政策文件"),
                ("refresh_days", "365"),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "catalogue fixture");
    fx.0.insert("item", max_id(app, "catalogue_items").await);
    let csrf = app.csrf(&office, "/office/answers").await;
    let res = app
        .post(
            &office,
            "/office/answers",
            &csrf,
            &[
                ("agency", "YX0201"),
                ("question", "如何申请政府信息公开?"),
                (
                    "answer",
                    "可以在本平台“申请公开”栏目在线提交申请,无需注册。",
                ),
            ],
        )
        .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER, "answer fixture");
    fx.0.insert(
        "answer",
        id_from(res.headers()["location"].to_str().unwrap()),
    );
    let csrf = app.csrf(&office, "/office/gazette").await;
    let res = app
        .post(
            &office,
            "/office/gazette",
            &csrf,
            &[
                ("year", "2021"),
                ("number", "3"),
                ("issued_on", "2021-05-10"),
                ("documents", "YX0201/2021-00001"),
            ],
        )
        .await;
    assert!(
        res.status().is_redirection(),
        "gazette fixture: {}",
        res.status()
    );
    fx.0.insert("gazette", max_id(app, "gazette_issues").await);
    app.token("staff2").await;
    fx.0.insert("token", max_id(app, "api_tokens").await);
    fx.0.insert("attachment", max_id(app, "attachments").await);
    assert_ne!(fx.get("attachment"), "0");
    fx
}

type Fields = Vec<(&'static str, String)>;

/// One row: how to send the route's request for agency A's record, and its policy.
struct Row {
    method: &'static str,
    path: &'static str,
    policy: Policy,
    /// The concrete path.
    to: fn(&Fx) -> String,
    fields: fn(&Fx) -> Fields,
    /// A JSON body for the API (sent with a bearer token instead of the session).
    json: Option<fn(&Fx) -> serde_json::Value>,
    /// Sent as multipart with this file (name, bytes) beside the fields.
    file: Option<(&'static str, &'static [u8])>,
}

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";
const CSV: &[u8] = "决定书文号,许可类别\n云发改许〔2026〕9号,普通\n".as_bytes();

fn none(_: &Fx) -> Fields {
    Vec::new()
}

fn f(pairs: &[(&'static str, &str)]) -> Fields {
    pairs.iter().map(|(k, v)| (*k, v.to_string())).collect()
}

macro_rules! row {
    ($m:literal, $p:literal, $pol:ident, $to:expr, json $j:expr) => {
        Row {
            method: $m,
            path: $p,
            policy: Policy::$pol,
            to: $to,
            fields: none,
            json: Some($j),
            file: None,
        }
    };
    ($m:literal, $p:literal, $pol:ident, $to:expr, file $file:expr, $fields:expr) => {
        Row {
            method: $m,
            path: $p,
            policy: Policy::$pol,
            to: $to,
            fields: $fields,
            json: None,
            file: Some($file),
        }
    };
    ($m:literal, $p:literal, $pol:ident, $to:expr, $fields:expr) => {
        Row {
            method: $m,
            path: $p,
            policy: Policy::$pol,
            to: $to,
            fields: $fields,
            json: None,
            file: None,
        }
    };
}

#[rustfmt::skip]
fn rows() -> Vec<Row> {
    vec![
        // Documents.
        row!("post", "/office/documents", Agency, |_| "/office/documents".into(), |_| f(&[
            ("agency", "YX0201"), ("title", "关于授权测试的通知"), ("kind", "notice"),
            ("formed_on", "2026-01-05"), ("body", "正文"), ("disclosure_mode", "proactive")])),
        row!("post", "/office/documents/{id}", Agency, |x| format!("/office/documents/{}", x.get("draft")), |_| f(&[
            ("agency", "YX0201"), ("title", "内部起草中的文件(修改)"), ("kind", "notice"),
            ("formed_on", "2021-04-16"), ("body", "正文"), ("disclosure_mode", "proactive")])),
        row!("post", "/office/documents/{id}/interpretations", Agency, |x| format!("/office/documents/{}/interpretations", x.get("doc")), |_| f(&[
            ("form", "text"), ("title", "《关于印发工作要点的通知》政策解读"), ("body", "一、背景\n为落实条例。")])),
        row!("post", "/office/documents/{id}/waiver", Reviewer, |x| format!("/office/documents/{}/waiver", x.get("draft")), |_| f(&[("reason", "内部工作文件,无需解读")])),
        row!("post", "/office/documents/{id}/relations", Agency, |x| format!("/office/documents/{}/relations", x.get("draft")), |_| f(&[("kind", "repeals"), ("index_no", "YX0201/2021-00001")])),
        row!("post", "/office/documents/{id}/relations/{to}/approve", Office, |x| format!("/office/documents/{}/relations/{}/approve", x.get("draft"), x.get("doc")), none),
        row!("post", "/office/documents/{id}/relations/{to}/withdraw", Agency, |x| format!("/office/documents/{}/relations/{}/withdraw", x.get("draft"), x.get("doc")), none),
        row!("post", "/office/documents/{id}/attachments", Agency, |x| format!("/office/documents/{}/attachments", x.get("draft")), file ("通知.pdf", PDF), none),
        row!("post", "/office/documents/{id}/attachments/{attachment}/delete", Agency, |x| format!("/office/documents/{}/attachments/{}/delete", x.get("draft"), x.get("attachment")), none),
        row!("post", "/office/documents/{id}/actions", Agency, |x| format!("/office/documents/{}/actions", x.get("draft")), |_| f(&[("action", "submit")])),
        // Catalogue and gazette.
        row!("post", "/office/catalogue", Agency, |_| "/office/catalogue".into(), |_| f(&[("agency", "YX0201"), ("name", "机构职能"), ("refresh_days", "365")])),
        row!("post", "/office/catalogue/filings", Agency, |_| "/office/catalogue/filings".into(), |x| f(&[("agency", "YX0201"), ("item", x.get("item")), ("index_no", "YX0201/2021-00001")])),
        row!("post", "/office/catalogue/items/{id}", Agency, |x| format!("/office/catalogue/items/{}", x.get("item")), |_| f(&[("agency", "YX0201"), ("name", "政策文件(改)"), ("refresh_days", "180")])),
        row!("post", "/office/gazette", Office, |_| "/office/gazette".into(), |_| f(&[("year", "2021"), ("number", "4"), ("issued_on", "2021-06-10"), ("documents", "YX0201/2021-00001")])),
        row!("post", "/office/gazette/{id}", Office, |x| format!("/office/gazette/{}", x.get("gazette")), |_| f(&[("year", "2021"), ("number", "3"), ("issued_on", "2021-05-11"), ("documents", "YX0201/2021-00001"), ("note", "更正")])),
        row!("post", "/office/gazette/{id}/pdf", Office, |x| format!("/office/gazette/{}/pdf", x.get("gazette")), file ("公报.pdf", PDF), none),
        // Consultations.
        row!("post", "/office/consultations", Agency, |_| "/office/consultations".into(), |_| f(&[
            ("agency", "YX0201"), ("title", "《授权测试办法(征求意见稿)》"), ("explanation", "为测试授权,起草本办法。"),
            ("basis", "《上海市养犬管理条例》"), ("draft", "测试办法\n第一条 为测试,制定本办法。"),
            ("opens_on", "2030-01-01"), ("closes_on", "2030-02-01"), ("name_rule", "optional"), ("contact_rule", "optional")])),
        row!("post", "/office/consultations/{id}", Agency, |x| format!("/office/consultations/{}", x.get("consultation")), |_| f(&[
            ("agency", "YX0201"), ("title", "《云溪区养犬管理办法(征求意见稿)》"), ("explanation", "为规范养犬行为,起草本办法。"),
            ("basis", "《上海市养犬管理条例》"), ("draft", "云溪区养犬管理办法\n第一条 为规范养犬行为,制定本办法。"),
            ("opens_on", "2030-01-01"), ("closes_on", "2030-02-01"), ("name_rule", "optional"), ("contact_rule", "optional")])),
        row!("post", "/office/consultations/comments/{cid}", Agency, |x| format!("/office/consultations/comments/{}", x.get("comment")), |_| f(&[("action", "hide"), ("reason", "与征求内容无关")])),
        row!("post", "/office/consultations/{id}/actions", Agency, |x| format!("/office/consultations/{}/actions", x.get("consultation")), |_| f(&[("action", "withdraw"), ("reason", "测试撤回")])),
        row!("post", "/consultations/{id}/comments", Public, |x| format!("/consultations/{}/comments", x.get("consultation")), |_| f(&[("body", "建议明确本办法的适用范围。")])),
        row!("post", "/api/v1/consultations/{id}/comments", Public, |x| format!("/api/v1/consultations/{}/comments", x.get("consultation")), json |_| serde_json::json!({"body": "建议明确本办法的适用范围。"})),
        // Lists.
        row!("post", "/office/lists/{kind}", Agency, |_| "/office/lists/xzcf".into(), |_| super::lists::penalty_form("云发改罚〔2026〕10号", "2026-03-02")),
        row!("post", "/office/lists/import", Agency, |_| "/office/lists/import".into(), file ("许可.csv", CSV), |_| f(&[("kind", "xzxk"), ("agency", "YX0201")])),
        row!("post", "/office/lists/records/{id}/resources", Agency, |x| format!("/office/lists/records/{}/resources", x.get("dataset")), file ("数据.csv", CSV), |_| f(&[("title", "数据文件"), ("url", "")])),
        row!("post", "/office/lists/records/{id}/forms", Agency, |x| format!("/office/lists/records/{}/forms", x.get("guide")), file ("样表.pdf", PDF), |_| f(&[("title", "登记表(空白)")])),
        row!("post", "/office/lists/records/{id}", Agency, |x| format!("/office/lists/records/{}", x.get("record")), |_| f(&[("action", "withdraw"), ("reason", "录入错误")])),
        row!("post", "/lists/kfhd/{id}/register", Public, |x| format!("/lists/kfhd/{}/register", x.get("record")), |_| f(&[("name", "王小明"), ("phone", "13800138000")])),
        // Reports, decisions, dashboard.
        row!("post", "/office/reports", Agency, |_| "/office/reports".into(), |_| f(&[("agency", "YX0201"), ("year", "2024"), ("scope", "agency")])),
        row!("post", "/office/reports/{id}", Agency, |x| format!("/office/reports/{}", x.get("report")), |_| f(&[("action", "submit")])),
        row!("post", "/office/decisions", Agency, |_| "/office/decisions".into(), |_| f(&[("agency", "YX0201"), ("year", "2025")])),
        row!("post", "/office/decisions/{id}", Agency, |x| format!("/office/decisions/{}", x.get("decisions")), |_| f(&[
            ("title", "制定《云溪区公共数据管理办法》"), ("responsible", "YX0201"), ("basis", "《上海市公共数据开放暂行办法》"),
            ("planned_on", "2026-12-31"), ("status", "planned")])),
        row!("post", "/office/decisions/entries/{id}", Agency, |x| format!("/office/decisions/entries/{}", x.get("entry")), |_| f(&[("stage", "drafting"), ("on", "2026-03-02"), ("note", "起草")])),
        row!("post", "/office/dashboard/weights", Office, |_| "/office/dashboard/weights".into(), |_| f(&[
            ("w0", "20"), ("w1", "20"), ("w2", "20"), ("w3", "10"), ("w4", "20"), ("w5", "10"), ("assessment", "4")])),
        row!("post", "/office/search/synonyms", Office, |_| "/office/search/synonyms".into(), |_| f(&[("term", "小黄车"), ("official", "共享单车")])),
        row!("post", "/office/search/synonyms/delete", Office, |_| "/office/search/synonyms/delete".into(), |_| f(&[("term", "小黄车")])),
        // Messages and answers.
        row!("post", "/messages", Public, |_| "/messages".into(), |x| f(&[("document", x.get("doc")), ("title", "关于授权测试的疑问"), ("body", "请问相关标准何时发布?"), ("name", "李四"), ("phone", "13900139000")])),
        row!("post", "/messages/track", Public, |_| "/messages/track".into(), |_| f(&[("code", "LY2099-000001"), ("key", "guess")])),
        row!("post", "/api/v1/messages", Public, |_| "/api/v1/messages".into(), json |x| serde_json::json!({"document": x.get("doc").parse::<i64>().unwrap(), "title": "关于授权测试的疑问", "body": "请问相关标准何时发布?", "name": "李四", "phone": "13900139000"})),
        row!("post", "/office/messages/{id}/actions", Agency, |x| format!("/office/messages/{}/actions", x.get("message")), |_| f(&[("action", "accept")])),
        row!("post", "/office/messages/limits", Agency, |_| "/office/messages/limits".into(), |_| f(&[("agency", "YX0201"), ("box", "policy"), ("workdays", "10")])),
        row!("post", "/office/answers", Agency, |_| "/office/answers".into(), |_| f(&[("agency", "YX0201"), ("question", "如何查询申请进度?"), ("answer", "凭查询码和查询密钥在本平台查询。")])),
        row!("post", "/office/answers/{id}", Agency, |x| format!("/office/answers/{}", x.get("answer")), |_| f(&[("agency", "YX0201"), ("question", "如何申请政府信息公开?"), ("answer", "在线提交申请,无需注册。")])),
        // Requests.
        row!("post", "/requests", Public, |_| "/requests".into(), |_| f(&[("step", "preview"), ("agency", "YX0201")])),
        row!("post", "/requests/track", Public, |_| "/requests/track".into(), |_| f(&[("code", "YSQ2099-000001"), ("key", "guess")])),
        row!("post", "/requests/withdraw", Public, |_| "/requests/withdraw".into(), |_| f(&[("code", "YSQ2099-000001"), ("key", "guess")])),
        row!("post", "/requests/letter.pdf", Public, |_| "/requests/letter.pdf".into(), |_| f(&[("code", "YSQ2099-000001"), ("key", "guess")])),
        row!("post", "/office/requests", Agency, |_| "/office/requests".into(), |_| f(&[
            ("agency", "YX0201"), ("channel", "letter"), ("received_on", "2026-03-02"), ("applicant_kind", "person"), ("name", "赵六"),
            ("id_type", "resident_id"), ("id_number", "11010519491231002X"), ("phone", "13800138000"), ("description", "请提供文件"),
            ("delivery_form", "paper"), ("delivery_channel", "post"), ("address", "云溪区文化路 8 号")])),
        row!("post", "/office/requests/{id}/appeals/{appeal}/decide", Agency, |x| format!("/office/requests/{}/appeals/{}/decide", x.get("request"), x.get("appeal")), |_| f(&[("result", "upheld"), ("decided_on", "2026-04-01")])),
        row!("post", "/office/requests/{id}/appeals", Agency, |x| format!("/office/requests/{}/appeals", x.get("request")), |_| f(&[("kind", "litigation"), ("filed_on", "2026-03-02"), ("result", "pending")])),
        row!("post", "/office/requests/{id}/convert", Agency, |x| format!("/office/requests/{}/convert", x.get("request")), |_| f(&[("title", "转为主动公开的信息"), ("body", "正文")])),
        row!("post", "/office/requests/{id}/actions", Agency, |x| format!("/office/requests/{}/actions", x.get("request")), |_| f(&[("action", "confirm_receipt")])),
        row!("post", "/api/v1/applications", Public, |_| "/api/v1/applications".into(), json |_| serde_json::json!({"agency": "YX0201"})),
        row!("post", "/api/v1/applications/{code}/actions", Agency, |x| format!("/api/v1/applications/{}/actions", x.get("code")), json |_| serde_json::json!({"action": "confirm_receipt"})),
        // The API (bearer tokens).
        row!("post", "/api/v1/agencies", Admin, |_| "/api/v1/agencies".into(), json |_| serde_json::json!({"code": "YX0998", "name": "云溪区统计局", "kind": "department", "parent": "YX0000"})),
        row!("post", "/api/v1/documents", Agency, |_| "/api/v1/documents".into(), json |_| serde_json::json!({
            "agency": "YX0201", "title": "关于接口授权测试的通知", "kind": "notice", "formed_on": "2026-01-05", "body": "正文", "disclosure_mode": "proactive"})),
        row!("patch", "/api/v1/documents/{id}", Agency, |x| format!("/api/v1/documents/{}", x.get("draft")), json |_| serde_json::json!({"title": "内部起草中的文件(接口修改)"})),
        row!("post", "/api/v1/documents/{id}/actions", Agency, |x| format!("/api/v1/documents/{}/actions", x.get("draft")), json |_| serde_json::json!({"action": "submit"})),
        // Agencies, calendar, accounts (last: a deactivated account changes who may act).
        row!("post", "/office/agencies/{code}/rules", Admin, |_| "/office/agencies/YX0201/rules".into(), |_| f(&[
            ("index_pattern", "{agency_code}/{year}-{seq:05}"), ("publication_limit", "20"), ("guide_note", "")])),
        row!("post", "/office/calendar/overrides", Admin, |_| "/office/calendar/overrides".into(), |_| f(&[("date", "2026-12-01"), ("kind", "off"), ("note", "台风停工")])),
        row!("post", "/office/calendar/overrides/delete", Admin, |_| "/office/calendar/overrides/delete".into(), |_| f(&[("date", "2026-12-01")])),
        row!("post", "/office/agencies", Admin, |_| "/office/agencies".into(), |_| f(&[("code", "YX0999"), ("name", "新机构"), ("kind", "department"), ("parent", "YX0000")])),
        row!("post", "/office/agencies/{code}", Admin, |_| "/office/agencies/YX0201".into(), |_| f(&[("code", "YX0201"), ("name", "云溪区发展和改革委员会"), ("kind", "department"), ("parent", "YX0000")])),
        row!("post", "/office/users", Admin, |_| "/office/users".into(), |_| f(&[("username", "newuser"), ("role", "staff"), ("agency", "YX0201"), ("password", "a good password 1")])),
        row!("post", "/office/tokens/{id}/revoke", Admin, |x| format!("/office/tokens/{}/revoke", x.get("token")), none),
        row!("post", "/login", Public, |_| "/login".into(), |_| f(&[("username", "nobody"), ("password", "wrong password")])),
        row!("post", "/logout", Public, |_| "/logout".into(), none),
        row!("post", "/office/users/{username}/active", Admin, |_| "/office/users/newuser/active".into(), |_| f(&[("active", "0")])),
    ]
}

/// Requests that use up their record or the principal's session: sent by one principal only.
const CONSUMING: &[&str] = &[
    "/office/documents/{id}/attachments/{attachment}/delete",
    "/office/search/synonyms/delete",
    "/logout",
];

fn refused(status: StatusCode, location: Option<&str>) -> bool {
    matches!(status.as_u16(), 401 | 403 | 404)
        || (status == StatusCode::SEE_OTHER && location.is_some_and(|l| l.starts_with("/login")))
}

async fn every_state_changing_route_enforces_its_policy(app: App) {
    // Agency B's reviewer.
    let mut tx = app.t.db.begin().await.unwrap();
    let d = gongkai_domain::user::UserDraft::parse("reviewer2", "", "reviewer").unwrap();
    gongkai_testing::fixtures::add_user(&mut tx, &d, "YX0202", PW).await;
    tx.commit().await.unwrap();
    let fx = fixtures(&app).await;
    let rows = rows();
    // Every state-changing route of the router has a row.
    let missing: Vec<String> = super::fuzz::routes()
        .into_iter()
        .flat_map(|(path, methods)| methods.into_iter().map(move |m| (path.clone(), m)))
        .filter(|(_, m)| *m != "get")
        .filter(|(path, m)| !rows.iter().any(|r| r.path == path && r.method == *m))
        .map(|(path, m)| format!("{m} {path}"))
        .collect();
    assert!(
        missing.is_empty(),
        "routes without a row:\n{}",
        missing.join("\n")
    );

    let names = |w: Who| match w {
        Who::Anonymous => None,
        Who::StaffA => Some("staff"),
        Who::ReviewerA => Some("reviewer"),
        Who::StaffB => Some("staff2"),
        Who::ReviewerB => Some("reviewer2"),
        Who::Office => Some("office"),
        Who::Admin => Some("admin"),
    };
    let mut clients = BTreeMap::new();
    let mut tokens = BTreeMap::new();
    for w in EVERYONE {
        let c = match names(w) {
            Some(n) => {
                tokens.insert(w, app.token(n).await);
                app.login(n).await
            }
            None => app.client(),
        };
        let csrf = app.csrf(&c, "/requests/track").await;
        clients.insert(w, (c, csrf));
    }
    let tables = [
        "audit_log",
        "outbox",
        "documents",
        "document_versions",
        "document_relations",
        "consultations",
        "consultation_comments",
        "list_records",
        "annual_reports",
        "decision_entries",
        "messages",
        "requests",
        "request_events",
        "catalogue_items",
        "answers",
        "gazette_issues",
        "users",
        "agencies",
        "api_tokens",
        "calendar_overrides",
        "attachments",
        "catalogue_filings",
        "decision_stages",
        "request_appeals",
        "interpretations",
        "gazette_items",
        "event_registrations",
        "list_imports",
        "dataset_resources",
    ];
    let mut problems = Vec::new();
    let mut checked = 0;
    for row in &rows {
        let path = (row.to)(&fx);
        // `forged` replaces the session's CSRF token with one of the wrong session's.
        let send_as = async |w: Who, forged: bool| {
            let (c, csrf) = &clients[&w];
            let csrf = if forged {
                let other = if w == Who::Anonymous {
                    Who::Admin
                } else {
                    Who::Anonymous
                };
                &clients[&other].1
            } else {
                csrf
            };
            let url = app.url(&path);
            let res = if let Some(j) = row.json {
                // The API authenticates by bearer token, never by the session cookie.
                let api = app.client();
                let req = if row.method == "patch" {
                    api.patch(&url)
                } else {
                    api.post(&url)
                };
                let req = match tokens.get(&w) {
                    Some(t) => req.bearer_auth(t),
                    None => req,
                };
                req.json(&j(&fx)).send().await.unwrap()
            } else if let Some((name, bytes)) = row.file {
                let mut form = reqwest::multipart::Form::new().text("csrf", csrf.clone());
                for (k, v) in (row.fields)(&fx) {
                    form = form.text(k, v);
                }
                let part = reqwest::multipart::Part::bytes(bytes.to_vec()).file_name(name);
                c.post(&url)
                    .multipart(form.part("file", part))
                    .send()
                    .await
                    .unwrap()
            } else {
                let mut form = vec![("csrf", csrf.clone())];
                form.extend((row.fields)(&fx));
                c.post(&url).form(&form).send().await.unwrap()
            };
            let location = res
                .headers()
                .get("location")
                .and_then(|v| v.to_str().ok())
                .map(str::to_string);
            (res.status(), location)
        };
        let send = async |w: Who| send_as(w, false).await;
        // Refused principals first: refused, with nothing written.
        for w in EVERYONE.into_iter().filter(|w| !row.policy.allows(*w)) {
            if row.policy == Policy::Public {
                break;
            }
            let before = app.t.snapshot(&tables).await;
            let (status, location) = send(w).await;
            checked += 1;
            if !refused(status, location.as_deref()) {
                problems.push(format!(
                    "{} {path}: {w:?} not refused ({status}, {location:?})",
                    row.method
                ));
            }
            if app.t.snapshot(&tables).await != before {
                problems.push(format!("{} {path}: {w:?} wrote something", row.method));
            }
        }
        // A form with another session's token is refused before anything happens, even
        // from a principal the route allows.
        if row.json.is_none() {
            let w = row.policy.least();
            {
                let before = app.t.snapshot(&tables).await;
                let (status, location) = send_as(w, true).await;
                checked += 1;
                if status != StatusCode::FORBIDDEN {
                    problems.push(format!(
                        "{} {path}: {w:?} with a forged CSRF token got {status} ({location:?})",
                        row.method
                    ));
                }
                if app.t.snapshot(&tables).await != before {
                    problems.push(format!(
                        "{} {path}: a forged CSRF token wrote something",
                        row.method
                    ));
                }
            }
        }
        // Every allowed principal gets past authorization, the least privileged first. (A
        // public route answers 401 or 404 to a wrong key or password by design: only 403
        // and 5xx count there.) A request that consumes its record (a deletion, logging out)
        // is sent once.
        let once = CONSUMING.contains(&row.path);
        let mut allowed: Vec<Who> = EVERYONE
            .into_iter()
            .filter(|w| row.policy.allows(*w) && *w != row.policy.least())
            .collect();
        allowed.insert(0, row.policy.least());
        if once {
            allowed.truncate(1);
        }
        for w in allowed {
            let (status, location) = send(w).await;
            checked += 1;
            let stopped = if row.policy == Policy::Public {
                status == StatusCode::FORBIDDEN
            } else {
                refused(status, location.as_deref())
            };
            if stopped || status.is_server_error() {
                problems.push(format!(
                    "{} {path}: {w:?} refused ({status}, {location:?})",
                    row.method
                ));
            }
        }
    }
    eprintln!("{checked} requests over {} rows", rows.len());
    assert!(
        problems.is_empty(),
        "{} problems:\n{}",
        problems.len(),
        problems.join("\n")
    );
}
