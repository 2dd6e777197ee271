//! E-mail to applicants: queued with each step they can see, sent over real SMTP to a small
//! SMTP server in the test, never twice, never with the key; refusals are kept and shown.

use std::sync::{Arc, Mutex};

use base64::Engine as _;
use gongkai_app::mailer::{Mailer, Pass};
use tokio::io::{AsyncBufReadExt, AsyncWriteExt, BufReader};

use super::requests::{application, between};
use super::*;

both!(applicants_are_told_of_each_step_by_email);

#[derive(Clone, Debug)]
struct Received {
    to: Vec<String>,
    subject: String,
    body: String,
}

/// A minimal SMTP server: accepts everything, or answers `RCPT` with the reply set.
struct Sink {
    port: u16,
    got: Arc<Mutex<Vec<Received>>>,
    rcpt_reply: Arc<Mutex<String>>,
}

impl Sink {
    async fn start() -> Sink {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let port = listener.local_addr().unwrap().port();
        let got = Arc::new(Mutex::new(Vec::new()));
        let rcpt_reply = Arc::new(Mutex::new("250 OK".to_string()));
        let (g, r) = (got.clone(), rcpt_reply.clone());
        tokio::spawn(async move {
            while let Ok((socket, _)) = listener.accept().await {
                tokio::spawn(session(socket, g.clone(), r.clone()));
            }
        });
        Sink {
            port,
            got,
            rcpt_reply,
        }
    }

    fn take(&self) -> Vec<Received> {
        std::mem::take(&mut *self.got.lock().unwrap())
    }

    fn answer_rcpt(&self, reply: &str) {
        *self.rcpt_reply.lock().unwrap() = reply.to_string();
    }
}

async fn session(
    socket: tokio::net::TcpStream,
    got: Arc<Mutex<Vec<Received>>>,
    rcpt_reply: Arc<Mutex<String>>,
) {
    let (read, mut write) = socket.into_split();
    let mut lines = BufReader::new(read).lines();
    write.write_all(b"220 sink ESMTP\r\n").await.unwrap();
    let mut to = Vec::new();
    while let Ok(Some(line)) = lines.next_line().await {
        let upper = line.to_ascii_uppercase();
        let reply = if upper.starts_with("EHLO") || upper.starts_with("HELO") {
            "250-sink\r\n250 8BITMIME".to_string()
        } else if upper.starts_with("MAIL FROM") {
            to.clear();
            "250 OK".into()
        } else if upper.starts_with("RCPT TO") {
            let reply = rcpt_reply.lock().unwrap().clone();
            if reply.starts_with('2') {
                to.push(line[8..].trim().trim_matches(['<', '>']).to_string());
            }
            reply
        } else if upper == "DATA" {
            write.write_all(b"354 go ahead\r\n").await.unwrap();
            let mut data = Vec::new();
            while let Ok(Some(l)) = lines.next_line().await {
                if l == "." {
                    break;
                }
                // The client doubled a leading dot (RFC 5321 §4.5.2).
                data.push(l.strip_prefix('.').map(str::to_string).unwrap_or(l));
            }
            got.lock().unwrap().push(parse(&to, &data));
            "250 queued".into()
        } else if upper == "QUIT" {
            let _ = write.write_all(b"221 bye\r\n").await;
            return;
        } else {
            "250 OK".into()
        };
        write
            .write_all(format!("{reply}\r\n").as_bytes())
            .await
            .unwrap();
    }
}

/// Decodes `=?utf-8?b?…?=` words (folded headers unfolded) and a base64 body.
fn parse(to: &[String], data: &[String]) -> Received {
    let b64 = base64::engine::general_purpose::STANDARD;
    let split = data.iter().position(|l| l.is_empty()).unwrap();
    let mut headers: Vec<String> = Vec::new();
    for l in &data[..split] {
        if l.starts_with([' ', '\t']) {
            headers.last_mut().unwrap().push_str(l);
        } else {
            headers.push(l.clone());
        }
    }
    let raw = headers
        .iter()
        .find_map(|h| h.strip_prefix("Subject: "))
        .unwrap();
    let subject: String = raw
        .split_whitespace()
        .map(|w| {
            let lower = w.to_ascii_lowercase();
            if lower.starts_with("=?utf-8?b?") && w.ends_with("?=") {
                String::from_utf8(b64.decode(&w[10..w.len() - 2]).unwrap()).unwrap()
            } else {
                w.to_string()
            }
        })
        .collect();
    assert!(
        headers
            .iter()
            .any(|h| h.eq_ignore_ascii_case("Content-Transfer-Encoding: base64")),
        "{headers:?}"
    );
    let body = String::from_utf8(b64.decode(data[split + 1..].concat()).unwrap()).unwrap();
    Received {
        to: to.to_vec(),
        subject,
        body,
    }
}

async fn deliver(mailer: &Mailer, app: &App) -> Pass {
    mailer.deliver_due(&app.t.db).await.unwrap()
}

async fn applicants_are_told_of_each_step_by_email(app: App) {
    let sink = Sink::start().await;
    let mailer = Mailer::new(
        &format!("smtp://127.0.0.1:{}", sink.port),
        "云溪区政府信息公开 <noreply@yx.example.gov.cn>",
    )
    .unwrap();
    // Nothing queued yet: a pass sends nothing.
    assert_eq!(deliver(&mailer, &app).await, Pass::default());

    let c = app.client();
    let csrf = app.csrf(&c, "/requests/new").await;
    let mut form = application(&csrf, "confirm");
    form.push(("email", "wang@example.cn"));
    let res = c
        .post(app.url("/requests"))
        .form(&form)
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    let html = res.text().await.unwrap();
    let code = between(&html, "<code id=\"tracking-code\">", "<").to_string();
    let key = between(&html, "<code id=\"tracking-key\">", "<").to_string();

    assert_eq!(deliver(&mailer, &app).await, Pass { sent: 1, failed: 0 });
    let got = sink.take();
    assert_eq!(got.len(), 1);
    assert_eq!(got[0].to, vec!["wang@example.cn".to_string()]);
    assert!(got[0].subject.contains(&code), "{}", got[0].subject);
    assert!(got[0].body.starts_with("王小明:"), "{}", got[0].body);
    assert!(got[0].body.contains("以本机关确认收到之日为收到申请之日"));
    assert!(!got[0].body.contains(&key), "the key is never mailed");
    assert!(
        !got[0].body.contains("11010519491231002X"),
        "nor the ID number"
    );
    // Sent once: the next pass finds nothing.
    assert_eq!(deliver(&mailer, &app).await, Pass::default());

    // A staff step the applicant sees on the tracking page is mailed too, with the due date.
    let staff = app.login("staff").await;
    let detail = format!("/office/requests/{}", app.count("requests").await);
    let csrf = app.csrf(&staff, &detail).await;
    let actions = format!("{detail}/actions");
    let act = async |fields: &[(&str, &str)]| app.post(&staff, &actions, &csrf, fields).await;
    let res = act(&[("action", "confirm_receipt")]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(deliver(&mailer, &app).await, Pass { sent: 1, failed: 0 });
    let got = sink.take();
    assert!(
        got[0].body.contains("已确认收到申请,收到申请之日为"),
        "{}",
        got[0].body
    );
    assert!(got[0].body.contains("答复期限:"), "{}", got[0].body);
    assert!(got[0].subject.contains("已登记"), "{}", got[0].subject);

    // A refused step sends nothing.
    let before = app.count("mail_outbox").await;
    let res = act(&[("action", "deliver"), ("how", "邮寄")]).await;
    assert_eq!(res.status(), 409);
    assert_eq!(app.count("mail_outbox").await, before);

    // A server that says "later" keeps the message queued for a retry; one that refuses the
    // address for good marks it failed, and the office page and /readyz say so.
    sink.answer_rcpt("451 4.3.0 try again later");
    let today = chrono::Utc::now().date_naive();
    let deadline = (today + chrono::Duration::days(10)).to_string();
    let today = today.to_string();
    let res = act(&[
        ("action", "request_correction"),
        ("deadline", &deadline),
        ("what", "请写明所需文件的年份"),
    ])
    .await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(deliver(&mailer, &app).await, Pass { sent: 0, failed: 1 });
    assert!(sink.take().is_empty());
    let page = app.page(&staff, &detail).await;
    assert!(
        page.contains("给申请人的邮件通知") && page.contains("重试中"),
        "{page}"
    );
    // Not due again for a minute: the next pass leaves it alone.
    assert_eq!(deliver(&mailer, &app).await, Pass::default());

    sink.answer_rcpt("550 5.1.1 no such mailbox");
    let res = act(&[("action", "receive_correction"), ("on", &today)]).await;
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(deliver(&mailer, &app).await, Pass { sent: 0, failed: 1 });
    let page = app.page(&staff, &detail).await;
    assert!(
        page.contains("发送失败") && page.contains("no such mailbox"),
        "{page}"
    );
    let ready: Value = c
        .get(app.url("/readyz"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert!(
        ready["warnings"].to_string().contains("could not be sent"),
        "{ready}"
    );
    // The applicant without an e-mail address gets none.
    let before = app.count("mail_outbox").await;
    let c2 = app.client();
    let csrf = app.csrf(&c2, "/requests/new").await;
    let res = c2
        .post(app.url("/requests"))
        .form(&application(&csrf, "confirm"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 201);
    assert_eq!(app.count("mail_outbox").await, before);
}
