//! The `gongkai` binary, run as users run it.

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use gongkai_store::{Backend, Exec};
use gongkai_testing::TestDb;

fn temp_dir(tag: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!(
        "gongkai-cli-{tag}-{}-{}",
        std::process::id(),
        gongkai_store::secret::random_token(6)
            .unwrap()
            .replace(['-', '_'], "x")
    ));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

/// The binary with a clean environment: no stray GONGKAI_* settings from the caller.
fn gongkai(dir: &PathBuf, db_url: Option<&str>) -> Command {
    gongkai_at(dir, &dir.join("data"), db_url)
}

fn gongkai_at(dir: &PathBuf, data_dir: &std::path::Path, db_url: Option<&str>) -> Command {
    let mut c = Command::new(env!("CARGO_BIN_EXE_gongkai"));
    c.current_dir(dir).env("RUST_LOG", "warn");
    for (k, _) in std::env::vars() {
        if k.starts_with("GONGKAI_") {
            c.env_remove(k);
        }
    }
    c.arg("--data-dir").arg(data_dir);
    if let Some(url) = db_url {
        c.env("GONGKAI_DATABASE_URL", url);
    }
    c
}

fn run(mut c: Command, stdin: Option<&str>) -> Output {
    c.stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped());
    let mut child = c.spawn().unwrap();
    if let Some(input) = stdin {
        child
            .stdin
            .take()
            .unwrap()
            .write_all(input.as_bytes())
            .unwrap();
    }
    drop(child.stdin.take());
    child.wait_with_output().unwrap()
}

fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

#[test]
fn calendar_check_2026_matches_the_official_notice() {
    let dir = temp_dir("cal");
    let mut c = gongkai(&dir, None);
    c.args(["calendar", "check", "2026"]);
    let out = run(c, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let stdout = text(&out.stdout);
    for line in [
        "全年工作日:248 天",
        "工作日放假(法定节假日):19 天",
        "周末上班(调休):6 天",
        "2026-02-14 星期六 春节调休上班",
        "2026-02-28 星期六 春节调休上班",
        "2026-09-20 星期日 国庆节调休上班",
        "2026-10-10 星期六 国庆节调休上班",
        "2026-02-16 星期一 春节(法定节假日)",
        "2 月(16 天):02 03 04 05 06 09 10 11 12 13 14 24 25 26 27 28",
    ] {
        assert!(stdout.contains(line), "missing {line:?} in\n{stdout}");
    }
    assert!(
        !dir.join("data").exists(),
        "checking the calendar creates no database"
    );
}

#[test]
fn calendar_check_warns_on_a_year_without_data() {
    let dir = temp_dir("cal27");
    let mut c = gongkai(&dir, None);
    c.args(["calendar", "check", "2027", "--strict"]);
    let out = run(c, None);
    assert_eq!(out.status.code(), Some(3));
    assert!(text(&out.stderr).contains("2027 年没有国务院节假日安排数据"));
}

async fn user_commands(backend: Backend) {
    let t = TestDb::new(backend).await;
    let dir = temp_dir("users");
    let sqlite_dir = t.dir.clone();
    let url = t.url.clone();
    // On SQLite, point the binary at the test's data dir.
    let cmd = |args: &[&str]| {
        let data_dir = sqlite_dir.clone().unwrap_or_else(|| dir.join("data"));
        let mut c = gongkai_at(&dir, &data_dir, url.as_deref());
        c.args(args);
        c
    };
    let out = run(cmd(&["migrate"]), None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("本次应用 0 个迁移"),
        "already migrated: {}",
        text(&out.stdout)
    );
    let out = run(cmd(&["demo"]), None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("admin"));
    let out = run(cmd(&["demo"]), None);
    assert!(text(&out.stdout).contains("演示数据已存在"));

    // A holiday notice published after the build: an empty one is refused and changes
    // nothing; a real one is loaded, and the year is no longer provisional.
    let empty = dir.join("empty-2027.json");
    std::fs::write(&empty, r#"{"year": 2027, "papers": [], "days": []}"#).unwrap();
    let out = run(cmd(&["calendar", "import", empty.to_str().unwrap()]), None);
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("days 为空"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(t.count("calendar_notices").await, 0);
    let out = run(cmd(&["calendar", "check", "2027"]), None);
    assert!(
        text(&out.stderr).contains("推算法定节假日"),
        "{}",
        text(&out.stderr)
    );
    assert!(text(&out.stdout).contains("2027-01-01 星期五 元旦(按放假办法推算"));
    let notice = dir.join("2027.json");
    std::fs::write(
        &notice,
        r#"{"year": 2027, "papers": [], "days": [
            {"name": "元旦", "date": "2027-01-01", "isOffDay": true},
            {"name": "春节", "date": "2027-02-14", "isOffDay": false}
        ]}"#,
    )
    .unwrap();
    let out = run(cmd(&["calendar", "import", notice.to_str().unwrap()]), None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("已载入 2027 年节假日安排(2 个日期)"));
    assert_eq!(t.count("calendar_notices").await, 1);
    let out = run(cmd(&["calendar", "check", "2027"]), None);
    assert!(!text(&out.stderr).contains("警告"), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("2027-02-14 星期日 春节调休上班"));

    let before = t.count("users").await;
    for (args, stdin, message) in [
        (
            vec![
                "user",
                "add",
                "newstaff",
                "--role",
                "staff",
                "--agency",
                "YX0202",
                "--password-stdin",
            ],
            "short\n",
            "密码至少需要 10 个字符",
        ),
        (
            vec![
                "user", "add", "newstaff", "--role", "staff", "--agency", "NOPE99",
            ],
            "",
            "机构代码“NOPE99”不存在",
        ),
        (
            vec![
                "user", "add", "staff", "--role", "staff", "--agency", "YX0202",
            ],
            "",
            "用户名“staff”已存在",
        ),
        (
            vec![
                "user", "add", "newstaff", "--role", "boss", "--agency", "YX0202",
            ],
            "",
            "未知的角色",
        ),
        (vec!["user", "passwd", "ghost"], "", "未找到用户"),
    ] {
        let out = run(cmd(&args), Some(stdin));
        assert_eq!(out.status.code(), Some(1), "{args:?}");
        assert!(
            text(&out.stderr).contains(message),
            "{args:?}: {}",
            text(&out.stderr)
        );
    }
    assert_eq!(t.count("users").await, before, "bad input wrote nothing");

    let out = run(
        cmd(&[
            "user",
            "add",
            "newstaff",
            "--role",
            "staff",
            "--agency",
            "yx0202",
            "--name",
            "王五",
            "--password-stdin",
        ]),
        Some("a good passphrase\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(!text(&out.stdout).contains("a good passphrase"));
    let out = run(
        cmd(&[
            "user", "add", "gen1", "--role", "reviewer", "--agency", "YX0202",
        ]),
        None,
    );
    assert!(text(&out.stdout).contains("初始密码(只显示这一次)"));
    assert_eq!(t.count("users").await, before + 2);

    let out = run(cmd(&["user", "token", "newstaff", "--name", "ci"]), None);
    assert!(out.status.success());
    let token = text(&out.stdout).trim().to_string();
    assert!(token.starts_with("gk_"));
    let user = gongkai_store::users::by_token(&t.db, &token, gongkai_store::db::now())
        .await
        .unwrap()
        .unwrap();
    assert_eq!(user.username, "newstaff");

    // Import: good rows kept, bad rows reported, re-running changes nothing.
    let sample = concat!(env!("CARGO_MANIFEST_DIR"), "/tests/import-sample.csv");
    let before_import = t.count("documents").await;
    let out = run(cmd(&["import", "documents", sample]), None);
    assert_eq!(
        out.status.code(),
        Some(4),
        "a bad row makes the exit status 4"
    );
    assert!(
        text(&out.stdout).contains("新增 2 件,已存在跳过 0 件,出错 2 行"),
        "{}",
        text(&out.stdout)
    );
    let report = text(&out.stderr);
    assert!(
        report.contains("第 3 行:文号:")
            && report.contains("第 4 行:机构代码:机构代码“NOPE99”不存在"),
        "{report}"
    );
    assert_eq!(t.count("documents").await, before_import + 2);
    let out = run(cmd(&["import", "documents", sample]), None);
    assert!(
        text(&out.stdout).contains("新增 0 件,已存在跳过 2 件"),
        "{}",
        text(&out.stdout)
    );
    assert_eq!(
        t.count("documents").await,
        before_import + 2,
        "re-running is idempotent"
    );
    let mut c = t.db.conn().await.unwrap();
    let imported = gongkai_store::documents::public_list(
        &mut c,
        &gongkai_store::documents::Filter::default(),
        1,
        100,
    )
    .await
    .unwrap()
    .0;
    let notice = imported
        .iter()
        .find(|d| d.doc_number.as_deref() == Some("云教发〔2023〕4号"))
        .expect("imported and public");
    assert_eq!(
        notice.published_on,
        chrono::NaiveDate::from_ymd_opt(2023, 3, 2)
    );
    assert!(
        imported.iter().any(|d| d.index_no == "YX0201/2023-00007"),
        "a given 索引号 is kept"
    );
    // A batch whose write fails is written again row by row: the row at fault is reported,
    // the rest kept. YX0202's row takes, as its own given 索引号, the number YX0201's
    // sequence issues next (a foreign pattern moves no sequence), so YX0201's row collides.
    let last: i64 = c
        .fetch_one(gongkai_store::Sql::new(
            "SELECT last_seq FROM index_sequences s JOIN agencies a ON a.id = s.agency_id \
             WHERE a.code = 'YX0201' AND s.year = 2023",
        ))
        .await
        .unwrap()
        .get("last_seq")
        .unwrap();
    drop(c);
    let clash = dir.join("clash.csv");
    std::fs::write(
        &clash,
        format!(
            "agency,index_no,published_on,title,kind,formed_on,body\n\
             YX0202,YX0201/2023-{:05},2023-06-02,先占用索引号的通知,notice,2023-06-01,正文\n\
             YX0201,,2023-06-03,索引号被占用的通知,notice,2023-06-01,正文\n\
             YX0202,,2023-06-04,同批次的另一件通知,notice,2023-06-01,正文\n",
            last + 1
        ),
    )
    .unwrap();
    let before_clash = t.count("documents").await;
    let out = run(cmd(&["import", "documents", clash.to_str().unwrap()]), None);
    assert!(
        text(&out.stdout).contains("新增 2 件,已存在跳过 0 件,出错 1 行"),
        "{}",
        text(&out.stdout)
    );
    assert!(
        text(&out.stderr).contains(&format!(
            "第 3 行:索引号:索引号“YX0201/2023-{:05}”已被使用",
            last + 1
        )),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(t.count("documents").await, before_clash + 2);

    let out = run(
        cmd(&["user", "passwd", "newstaff", "--password-stdin"]),
        Some("another good one\n"),
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let policy = gongkai_domain::login::LoginPolicy::default();
    assert!(
        gongkai_app::auth::authenticate(
            &t.db,
            &gongkai_app::auth::Attempt {
                username: "newstaff",
                password: "another good one",
                client: "t",
                previous_session: None,
            },
            gongkai_store::db::now(),
            policy,
        )
        .await
        .is_ok()
    );

    // Tokens: created with an expiry, listed without their value, revoked; deactivation.
    let out = run(
        cmd(&["user", "token", "newstaff", "--name", "ci", "--days", "7"]),
        None,
    );
    assert!(out.status.success(), "{}", text(&out.stderr));
    let token = text(&out.stdout).trim().to_string();
    assert!(text(&out.stderr).contains("7 天后过期"));
    let now = gongkai_store::db::now();
    assert!(
        gongkai_store::users::by_token(&t.db, &token, now)
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        gongkai_store::users::by_token(&t.db, &token, now + chrono::Duration::days(8))
            .await
            .unwrap()
            .is_none(),
        "expired after its days"
    );
    // The default lifetime comes from the configuration.
    let mut short = cmd(&["user", "token", "newstaff", "--name", "short"]);
    short.env("GONGKAI_API_TOKEN_DAYS", "2");
    let out = run(short, None);
    assert!(
        text(&out.stderr).contains("2 天后过期"),
        "{}",
        text(&out.stderr)
    );
    let short_token = text(&out.stdout).trim().to_string();
    assert!(
        gongkai_store::users::by_token(&t.db, &short_token, now + chrono::Duration::days(1))
            .await
            .unwrap()
            .is_some()
    );
    assert!(
        gongkai_store::users::by_token(&t.db, &short_token, now + chrono::Duration::days(3))
            .await
            .unwrap()
            .is_none()
    );
    let out = run(cmd(&["user", "tokens", "newstaff"]), None);
    let listing = text(&out.stdout);
    assert!(
        listing.contains("ci") && listing.contains("有效"),
        "{listing}"
    );
    assert!(!listing.contains(&token));
    let id = listing
        .lines()
        .find(|l| l.contains("\tci\t"))
        .unwrap()
        .split('\t')
        .next()
        .unwrap()
        .to_string();
    let out = run(cmd(&["user", "revoke-token", &id]), None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        gongkai_store::users::by_token(&t.db, &token, now)
            .await
            .unwrap()
            .is_none()
    );
    assert!(text(&run(cmd(&["user", "tokens", "newstaff"]), None).stdout).contains("已吊销"));
    let out = run(cmd(&["user", "deactivate", "newstaff"]), None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        gongkai_app::auth::authenticate(
            &t.db,
            &gongkai_app::auth::Attempt {
                username: "newstaff",
                password: "another good one",
                client: "t2",
                previous_session: None,
            },
            now,
            policy,
        )
        .await
        .is_err()
    );
    let out = run(cmd(&["user", "token", "newstaff"]), None);
    assert!(!out.status.success(), "no token for a deactivated account");
    assert!(
        run(cmd(&["user", "activate", "newstaff"]), None)
            .status
            .success()
    );
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_commands_on_sqlite() {
    user_commands(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn user_commands_on_postgres() {
    user_commands(Backend::Postgres).await
}

fn get(addr: &str, path: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {addr}\r\nConnection: close\r\n\r\n"
    )
    .unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

/// Starts `serve`, waits for its address, and returns (child, address, everything printed).
fn start(dir: &PathBuf, extra_env: &[(&str, &str)]) -> (std::process::Child, String, String) {
    start_on(dir, None, extra_env)
}

fn start_on(
    dir: &PathBuf,
    db_url: Option<&str>,
    extra_env: &[(&str, &str)],
) -> (std::process::Child, String, String) {
    let mut c = gongkai(dir, db_url);
    c.args(["serve", "--bind", "127.0.0.1:0"]);
    for (k, v) in extra_env {
        c.env(k, v);
    }
    let mut child = c
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut stdout = child.stdout.take().unwrap();
    let mut seen = String::new();
    let mut buf = [0u8; 4096];
    let addr = loop {
        let n = stdout.read(&mut buf).unwrap();
        assert!(n > 0, "serve exited early: {seen}");
        seen.push_str(&String::from_utf8_lossy(&buf[..n]));
        if let Some(i) = seen.find("已启动:http://") {
            let rest = &seen[i + "已启动:http://".len()..];
            break rest.split('/').next().unwrap().to_string();
        }
    };
    (child, addr, seen)
}

#[test]
fn serve_bootstraps_an_admin_once_and_restarts_ready() {
    let dir = temp_dir("serve");
    let (mut child, addr, printed) = start(&dir, &[("GONGKAI_ADMIN_PASSWORD", "first admin pass")]);
    assert!(
        printed.contains("已创建管理员账号 admin(密码取自 GONGKAI_ADMIN_PASSWORD)"),
        "{printed}"
    );
    let ready = get(&addr, "/readyz");
    assert!(ready.starts_with("HTTP/1.1 200"), "{ready}");
    let version = format!(
        "\"schema_version\":{}",
        gongkai_store::migrate::latest_version()
    );
    assert!(ready.contains(&version), "{ready}");
    let home = get(&addr, "/");
    assert!(home.contains("本级人民政府"), "the root agency is listed");
    child.kill().unwrap();
    child.wait().unwrap();

    let (mut child, addr, printed) = start(&dir, &[]);
    assert!(
        !printed.contains("已创建管理员账号"),
        "no second admin: {printed}"
    );
    assert!(get(&addr, "/readyz").starts_with("HTTP/1.1 200"));
    child.kill().unwrap();
    child.wait().unwrap();
}

#[test]
fn a_non_postgres_database_url_is_refused() {
    let dir = temp_dir("badurl");
    let mut c = gongkai(&dir, Some("mysql://root@127.0.0.1/x"));
    c.arg("migrate");
    let out = run(c, None);
    assert_eq!(out.status.code(), Some(1));
    assert!(
        text(&out.stderr).contains("只接受 postgres://"),
        "{}",
        text(&out.stderr)
    );
}

/// One HTTP exchange over a fresh connection; returns the whole response.
fn exchange(addr: &str, request: &str) -> String {
    let mut s = TcpStream::connect(addr).unwrap();
    s.write_all(request.as_bytes()).unwrap();
    let mut out = String::new();
    s.read_to_string(&mut out).unwrap();
    out
}

/// An application acknowledged with 201 survives `kill -9` of the server right after the
/// acknowledgement: its receipt was committed (SQLite synchronous=FULL, or a committed
/// PostgreSQL transaction) before the tracking code was sent.
async fn acknowledged_applications_survive_kill_9(backend: Backend) {
    let t = TestDb::new(backend).await;
    let dir = temp_dir("kill");
    let url = t.url.clone();
    let env = [("GONGKAI_ADMIN_PASSWORD", "first admin pass")];
    let (mut child, addr, _) = start_on(&dir, url.as_deref(), &env);
    let body = r#"{"agency":"GOV","applicant_kind":"person","name":"李四","id_type":"passport","id_number":"E12345678","phone":"13900000000","description":"本区2025年财政预算执行情况","delivery_form":"electronic","delivery_channel":"online"}"#;
    let reply = exchange(
        &addr,
        &format!(
            "POST /api/v1/applications HTTP/1.1\r\nHost: {addr}\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
            body.len()
        ),
    );
    // SIGKILL at once: no graceful shutdown, no chance to flush anything later.
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(reply.starts_with("HTTP/1.1 201"), "{reply}");
    let json = reply.split("\r\n\r\n").nth(1).unwrap();
    let filed: serde_json::Value = serde_json::from_str(json).unwrap();
    let code = filed["tracking_code"].as_str().unwrap();
    let key = filed["key"].as_str().unwrap();

    let (mut child, addr, _) = start_on(&dir, url.as_deref(), &[]);
    let found = exchange(
        &addr,
        &format!(
            "GET /api/v1/applications/{code} HTTP/1.1\r\nHost: {addr}\r\nX-Tracking-Key: {key}\r\nConnection: close\r\n\r\n"
        ),
    );
    child.kill().unwrap();
    child.wait().unwrap();
    assert!(found.starts_with("HTTP/1.1 200"), "{found}");
    assert!(found.contains(code) && found.contains("pending"), "{found}");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_applications_survive_kill_9_on_sqlite() {
    acknowledged_applications_survive_kill_9(Backend::Sqlite).await
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_applications_survive_kill_9_on_postgres() {
    acknowledged_applications_survive_kill_9(Backend::Postgres).await
}

/// A consistent report file written the way a person would read it off a printed report:
/// every row of table 三 by its official label.
fn report_file() -> serde_json::Value {
    let zero = serde_json::json!([0, 0, 0, 0, 0, 0, 0]);
    let mut rows = serde_json::Map::new();
    for row in gongkai_domain::report::Row::all() {
        rows.insert(row.key(), zero.clone());
    }
    rows.insert(
        "一、本年新收政府信息公开申请数量".into(),
        serde_json::json!([3440, 75, 0, 1, 6, 3, 3525]),
    );
    rows.insert(
        "二、上年结转政府信息公开申请数量".into(),
        serde_json::json!([118, 3, 0, 0, 0, 0, 121]),
    );
    rows.insert(
        "（一）予以公开".into(),
        serde_json::json!([1100, 60, 0, 1, 3, 2, 1166]),
    );
    rows.insert(
        "（四）无法提供/1.本机关不掌握相关政府信息".into(),
        serde_json::json!([2300, 15, 0, 0, 3, 1, 2319]),
    );
    rows.insert(
        "（七）总计".into(),
        serde_json::json!([3400, 75, 0, 1, 6, 3, 3485]),
    );
    rows.insert(
        "四、结转下年度继续办理".into(),
        serde_json::json!([158, 3, 0, 0, 0, 0, 161]),
    );
    let group =
        serde_json::json!({"结果维持": 2, "结果纠正": 1, "其他结果": 0, "尚未审结": 1, "总计": 4});
    serde_json::json!({
        "format": "2021",
        "agency": "某某市人民政府",
        "year": 2024,
        "table2": {
            "规章": {"本年制发件数": 2, "本年废止件数": 1, "现行有效件数": 12},
            "行政规范性文件": {"本年制发件数": 50, "本年废止件数": 227, "现行有效件数": 420},
            "行政许可": {"本年处理决定数量": 1573179},
            "行政处罚": {"本年处理决定数量": 2676474},
            "行政强制": {"本年处理决定数量": 29351},
            "行政事业性收费": {"本年收费金额（万元）": "72701.2578"}
        },
        "table3": {"columns": ["自然人", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "总计"], "rows": rows},
        "table4": {"行政复议": group, "行政诉讼/未经复议直接起诉": group, "行政诉讼/复议后起诉": group},
        "previous": {
            "四、结转下年度继续办理": [118, 3, 0, 0, 0, 0, 121],
            "现行有效件数": {"规章": 11, "行政规范性文件": 597}
        },
        "text": {"一、总体情况": "本年度新收政府信息公开申请3525件，其中予以公开1166件，占33.5%。"}
    })
}

#[test]
fn report_check_reads_a_file_and_names_each_failed_cell() {
    let dir = temp_dir("report");
    let check = |name: &str, v: &serde_json::Value| {
        let path = dir.join(name);
        std::fs::write(&path, v.to_string()).unwrap();
        let mut c = gongkai(&dir, None);
        c.arg("report").arg("check").arg(&path);
        run(c, None)
    };
    let good = report_file();
    let out = check("good.json", &good);
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stdout));
    assert!(text(&out.stdout).contains("全部校验通过"));

    // The text says 258 where the table says 275, a total that does not add up, and a
    // 现行有效 that does not continue last year's.
    let mut bad = good.clone();
    bad["text"]["一、总体情况"] = serde_json::json!("本年度新收政府信息公开申请3520件。");
    bad["table3"]["rows"]["（七）总计"][1] = serde_json::json!(74);
    bad["table2"]["规章"]["现行有效件数"] = serde_json::json!(13);
    let out = check("bad.json", &bad);
    assert_eq!(out.status.code(), Some(1));
    let stdout = text(&out.stdout);
    for expected in [
        "错误[校验7] 一、总体情况“新收政府信息公开申请3520件”:文字称新收政府信息公开申请3520件,表三“一、本年新收政府信息公开申请数量”总计为 3525 件",
        "错误[校验2] 表三“（七）总计”行“总计”列",
        "错误[校验3] 表三“（七）总计”行“商业企业”列",
        "错误[校验4] 表三“四、结转下年度继续办理”行“商业企业”列",
        "错误[校验6] 表二“规章”“现行有效件数”",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in\n{stdout}"
        );
    }

    // Missing cells and wrong types: exit 2, each named.
    let mut broken = good.clone();
    broken["table3"]["rows"]
        .as_object_mut()
        .unwrap()
        .remove("（二）部分公开");
    broken["table4"]["行政复议"]["总计"] = serde_json::json!("四");
    let out = check("broken.json", &broken);
    assert_eq!(out.status.code(), Some(2));
    let stdout = text(&out.stdout);
    assert!(
        stdout.contains("表三“（二）部分公开”行:缺少此行"),
        "{stdout}"
    );
    assert!(
        stdout.contains("表四“行政复议”“总计”:应为整数件数,实为 文字"),
        "{stdout}"
    );
    let out = {
        let mut c = gongkai(&dir, None);
        c.args(["report", "check", "no-such-file.json"]);
        run(c, None)
    };
    assert!(!out.status.success());
}

#[test]
fn check_site_judges_the_demo_portal_by_the_inspection_indicators() {
    let dir = temp_dir("selfcheck");
    let mut c = gongkai(&dir, None);
    c.arg("demo")
        .env("GONGKAI_DEMO_PASSWORD", "demo password 1");
    let out = run(c, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let mut c = gongkai(&dir, None);
    c.args(["check", "site"]);
    let out = run(c, None);
    let stdout = text(&out.stdout);
    // The demo keeps one valid message unanswered for over three months on purpose: the
    // single-veto item fails, and the command says so with its exit status.
    assert_eq!(out.status.code(), Some(1), "{stdout}{}", text(&out.stderr));
    for expected in [
        "✗ 互动回应差(单项否决)",
        "超过 3 个月未回复的有效留言 1 条",
        "✓ 链接不可用:不可用的站内链接 0 个",
        "✓ 首页不更新(单项否决)",
        "“财政预决算”:空白栏目",
    ] {
        assert!(
            stdout.contains(expected),
            "missing {expected:?} in\n{stdout}"
        );
    }
    let pages: usize = stdout
        .split("访问页面 ")
        .nth(1)
        .and_then(|s| s.split(' ').next())
        .and_then(|n| n.parse().ok())
        .unwrap();
    assert!(
        pages > 100,
        "the crawl follows links beyond the sitemap: {pages}"
    );
}

/// Every file of a backup's tables, by name.
fn backup_tables(dir: &std::path::Path) -> std::collections::BTreeMap<String, String> {
    std::fs::read_dir(dir.join("tables"))
        .unwrap()
        .map(|e| {
            let e = e.unwrap();
            (
                e.file_name().to_string_lossy().into_owned(),
                std::fs::read_to_string(e.path()).unwrap(),
            )
        })
        .collect()
}

/// A full backup of the demo on SQLite restores into an empty PostgreSQL database (and back
/// into SQLite), and a backup of the restored instance is the same, table by table. A damaged
/// backup and a non-empty target are refused, changing nothing.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_full_backup_restores_into_an_empty_instance_of_either_database() {
    let dir = temp_dir("backup");
    let mut c = gongkai(&dir, None);
    c.arg("demo")
        .env("GONGKAI_DEMO_PASSWORD", "demo password 1");
    assert!(run(c, None).status.success());
    let export = |data: &str, url: Option<&str>, to: &str| {
        let mut c = gongkai_at(&dir, &dir.join(data), url);
        c.args(["export", "--full"]).arg(dir.join(to));
        let out = run(c, None);
        assert!(out.status.success(), "{}", text(&out.stderr));
        text(&out.stdout)
    };
    let restore = |data: &str, url: Option<&str>, from: &str| {
        let mut c = gongkai_at(&dir, &dir.join(data), url);
        c.args(["import", "backup"]).arg(dir.join(from));
        run(c, None)
    };
    let said = export("data", None, "original");
    assert!(said.contains("已备份"), "{said}");
    let original = backup_tables(&dir.join("original"));
    assert!(original["documents.jsonl"].lines().count() >= 5);
    assert!(
        original["blobs.jsonl"].contains("\"content\":\"JVBER"),
        "attachment files (PDFs) are in the backup"
    );
    assert!(
        !original.contains_key("sessions.jsonl"),
        "live sessions stay behind"
    );

    let pg = TestDb::new(Backend::Postgres).await;
    let out = restore("unused", pg.url.as_deref(), "original");
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("来自 sqlite"));
    export("unused", pg.url.as_deref(), "from-postgres");
    assert_eq!(backup_tables(&dir.join("from-postgres")), original);

    let out = restore("restored", None, "original");
    assert!(out.status.success(), "{}", text(&out.stderr));
    export("restored", None, "from-sqlite");
    assert_eq!(backup_tables(&dir.join("from-sqlite")), original);
    // The restored instance serves: its demo login works and new rows follow the old ids.
    let mut c = gongkai_at(&dir, &dir.join("restored"), None);
    c.args([
        "user", "add", "newcomer", "--role", "staff", "--agency", "YX0202",
    ]);
    let out = run(c, None);
    assert!(out.status.success(), "{}", text(&out.stderr));

    // Into a database that has data: refused.
    let out = restore("restored", None, "original");
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("目标数据库不是空的"),
        "{}",
        text(&out.stderr)
    );
    // A damaged backup: refused before anything is written.
    let damaged = dir.join("original/tables/document_versions.jsonl");
    let mut body = std::fs::read_to_string(&damaged).unwrap();
    assert!(body.contains("通知"));
    body = body.replacen("通知", "通告", 1);
    std::fs::write(&damaged, body).unwrap();
    let out = restore("fresh", None, "original");
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("校验和不符"),
        "{}",
        text(&out.stderr)
    );
}

/// The public export holds every public document with its files and the other published
/// records, each file checksummed in the manifest, and nothing of the applicants.
#[test]
fn the_public_export_holds_what_is_published_and_no_personal_data() {
    let dir = temp_dir("public-export");
    let mut c = gongkai(&dir, None);
    c.arg("demo")
        .env("GONGKAI_DEMO_PASSWORD", "demo password 1");
    assert!(run(c, None).status.success());
    let mut c = gongkai(&dir, None);
    c.args(["export", "--public"]).arg(dir.join("out"));
    let out = run(c, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out_dir = dir.join("out");
    let manifest: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(out_dir.join("manifest.json")).unwrap())
            .unwrap();
    let files = manifest["files"].as_array().unwrap();
    let mut everything = String::new();
    for f in files {
        let bytes = std::fs::read(out_dir.join(f["file"].as_str().unwrap())).unwrap();
        let digest: String = <sha2::Sha256 as sha2::Digest>::digest(&bytes)
            .iter()
            .map(|b| format!("{b:02x}"))
            .collect();
        assert_eq!(digest, f["sha256"], "{}", f["file"]);
        everything.push_str(&String::from_utf8_lossy(&bytes));
    }
    let names: Vec<&str> = files.iter().map(|f| f["file"].as_str().unwrap()).collect();
    for want in [
        "agencies.json",
        "documents.jsonl",
        "interpretations.jsonl",
        "answers.jsonl",
        "catalogue.jsonl",
        "consultations.jsonl",
        "messages.jsonl",
    ] {
        assert!(names.contains(&want), "{want} in {names:?}");
    }
    for (file, at_least) in [("consultations.jsonl", 1), ("messages.jsonl", 1)] {
        let n = std::fs::read_to_string(out_dir.join(file))
            .unwrap()
            .lines()
            .count();
        assert!(n >= at_least, "{file}: {n} records");
    }
    assert!(
        names
            .iter()
            .any(|n| n.starts_with("files/") && n.ends_with(".pdf")),
        "{names:?}"
    );
    // Every document line is public and names the files exported with it.
    let docs = std::fs::read_to_string(out_dir.join("documents.jsonl")).unwrap();
    assert!(docs.lines().count() >= 5);
    for line in docs.lines() {
        let d: serde_json::Value = serde_json::from_str(line).unwrap();
        assert_eq!(d["status"], "published", "{line}");
        for a in d["attachments"].as_array().unwrap() {
            assert!(names.contains(&a["file"].as_str().unwrap()));
        }
    }
    // The demo's applicants' data appears nowhere; drafts neither.
    let db = dir.join("data/gongkai.db");
    let sqlite = |q: &str| {
        let out = Command::new("sqlite3").arg(&db).arg(q).output().unwrap();
        text(&out.stdout)
    };
    let personal = sqlite(
        "SELECT id_number || char(10) || COALESCE(phone, '') FROM requests \
         UNION ALL SELECT COALESCE(phone, '') || char(10) || COALESCE(email, '') FROM messages \
         UNION ALL SELECT COALESCE(contact, '') FROM consultation_comments \
         UNION ALL SELECT name FROM consultation_comments WHERE NOT show_name AND name IS NOT NULL \
         UNION ALL SELECT name || char(10) || phone FROM event_registrations \
         UNION ALL SELECT json_extract(fields, '$.id_number') FROM list_records WHERE json_extract(fields, '$.id_number') IS NOT NULL",
    );
    // A natural person's name in 双公示 is shown masked, never in full.
    let lists = std::fs::read_to_string(out_dir.join("lists/xzcf.jsonl")).unwrap();
    assert!(
        lists.contains("张**") && !everything.contains("张建国"),
        "{lists}"
    );
    assert!(
        !lists.contains("云溪某某洗涤有限公司"),
        "an expired penalty is not exported"
    );
    // The demo's clerk typed the ID, a phone and the name in other spellings: none of them is
    // exported in any spelling.
    let plain: String = gongkai_domain::text::halfwidth(&everything)
        .chars()
        .filter(|c| !matches!(c, ' ' | '-' | '\u{3000}'))
        .collect();
    for leak in ["330102199001011234", "13800002222", "张建国"] {
        assert!(!plain.contains(leak), "{leak} in the public export");
    }
    assert!(lists.contains("露天焚烧"), "the record itself is exported");

    let mut checked = 0;
    for value in personal.lines().filter(|l| l.len() >= 8) {
        assert!(
            !everything.contains(value),
            "{value} leaked into the public export"
        );
        checked += 1;
    }
    assert!(checked > 0, "the demo has applicants to look for");
    let drafts = sqlite(
        "SELECT v.title FROM document_versions v JOIN documents d ON d.id = v.document_id WHERE d.public_version_id IS NULL",
    );
    for title in drafts.lines().filter(|l| !l.is_empty()) {
        assert!(!docs.contains(title), "draft {title} exported");
    }
}

/// Two nodes starting together with `--demo` on one empty PostgreSQL database: both start,
/// the demo and the first administrator are created once.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn two_nodes_starting_together_bootstrap_once() {
    let t = TestDb::new(Backend::Postgres).await;
    let url = t.url.clone().expect("a PostgreSQL test database");
    let spawn = |name: &str| {
        let dir = temp_dir(name);
        let mut c = gongkai(&dir, Some(&url));
        c.args(["serve", "--demo", "--bind", "127.0.0.1:0"])
            .env("GONGKAI_DEMO_PASSWORD", "demo password 1")
            .stdout(Stdio::piped())
            .stderr(Stdio::piped());
        c.spawn().unwrap()
    };
    let children = [spawn("node-a"), spawn("node-b")];
    let mut printed = Vec::new();
    let mut running = Vec::new();
    for mut child in children {
        let mut stdout = child.stdout.take().unwrap();
        let mut seen = String::new();
        let mut buf = [0u8; 4096];
        loop {
            let n = stdout.read(&mut buf).unwrap();
            if n == 0 {
                let mut err = String::new();
                child
                    .stderr
                    .take()
                    .unwrap()
                    .read_to_string(&mut err)
                    .unwrap();
                panic!("a node exited: {seen}\n{err}");
            }
            seen.push_str(&String::from_utf8_lossy(&buf[..n]));
            if seen.contains("已启动:http://") {
                break;
            }
        }
        printed.push(seen);
        running.push(child);
    }
    for mut child in running {
        child.kill().unwrap();
        child.wait().unwrap();
    }
    let loaded = printed
        .iter()
        .filter(|p| p.contains("已载入演示数据"))
        .count();
    let found = printed
        .iter()
        .filter(|p| p.contains("演示数据已存在"))
        .count();
    assert_eq!((loaded, found), (1, 1), "{printed:?}");
    let admins: i64 =
        t.db.conn()
            .await
            .unwrap()
            .fetch_one(gongkai_store::Sql::new(
                "SELECT COUNT(*) AS n FROM users WHERE username = 'admin'",
            ))
            .await
            .unwrap()
            .get("n")
            .unwrap();
    assert_eq!(admins, 1);
}

/// Percent-encodes a query parameter value.
fn encoded(s: &str) -> String {
    s.bytes()
        .map(|b| {
            if b.is_ascii_alphanumeric() {
                (b as char).to_string()
            } else {
                format!("%{b:02X}")
            }
        })
        .collect()
}

/// The titles of the first `n` hits of `q` on the portal's search API.
fn top_titles(addr: &str, q: &str, n: usize) -> Vec<String> {
    let res = get(
        addr,
        &format!("/api/v1/search?per_page={n}&q={}", encoded(q)),
    );
    let body = res.split_once("\r\n\r\n").map_or("", |(_, b)| b);
    let json: serde_json::Value =
        serde_json::from_str(body).unwrap_or_else(|e| panic!("{q}: {e}: {res}"));
    json["hits"]
        .as_array()
        .into_iter()
        .flatten()
        .map(|h| h["title"].as_str().unwrap_or_default().to_string())
        .collect()
}

/// What residents type, on the demo as the README starts it: each finds its record in the
/// top 3.
#[test]
fn the_demo_finds_what_people_type() {
    let dir = temp_dir("relevance");
    let mut c = gongkai(&dir, None);
    c.arg("demo")
        .env("GONGKAI_DEMO_PASSWORD", "demo password 1");
    let out = run(c, None);
    assert!(out.status.success(), "{}", text(&out.stderr));
    let (mut child, addr, _) = start(&dir, &[]);
    // The index is built in the background after the server is up.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(120);
    while top_titles(&addr, "嘉府办发〔2021〕18号", 1).is_empty() {
        assert!(
            std::time::Instant::now() < deadline,
            "the demo was never indexed"
        );
        std::thread::sleep(std::time::Duration::from_millis(200));
    }
    for (q, want) in [
        // A year with 年, and a title typed without its marks and words.
        (
            "2021年嘉定区政务公开工作要点",
            "2021年上海市嘉定区政务公开工作要点",
        ),
        ("2024年招生入学", "2024年义务教育阶段招生入学"),
        // A 文号 typed loosely.
        ("嘉府办发2021 18号", "嘉定区政务公开工作要点"),
        ("嘉府办发 2021年 第18号", "嘉定区政务公开工作要点"),
        // A title typed without its 《》.
        (
            "印发关于全面推进政务公开工作的实施意见的通知",
            "全面推进政务公开工作的实施意见",
        ),
        // A question.
        ("怎么申请政府信息公开", "政府信息公开"),
        ("请问政府信息公开申请怎么办？", "政府信息公开申请"),
        // The text writes 双随机、一公开.
        ("双随机一公开", "嘉定区政务公开工作要点"),
        // Everyday words for official ones.
        ("养狗", "养犬管理办法"),
        ("停车费", "停车场收费管理办法"),
        ("上学", "招生入学"),
        ("孩子上学怎么报名", "入学"),
    ] {
        let top = top_titles(&addr, q, 3);
        assert!(top.iter().any(|t| t.contains(want)), "{q}: {top:?}");
    }
    child.kill().unwrap();
    child.wait().unwrap();
}
