//! Every route of the router, read from its source so a new route is covered without a line
//! here, sent control characters, oversized values and nonsense identifiers as an anonymous
//! visitor, a staff member and an administrator: no answer may be a server error.

use super::*;

both!(no_input_gives_a_server_error_on_any_route);

/// Every `.route(` of the router's source: each feature declares its routes in its own module
/// and `lib.rs` composes them, so every file under `src/` is read.
pub(super) fn routes() -> Vec<(String, Vec<&'static str>)> {
    fn sources(dir: &std::path::Path, out: &mut Vec<String>) {
        let mut entries: Vec<_> = std::fs::read_dir(dir)
            .unwrap()
            .map(|e| e.unwrap().path())
            .collect();
        entries.sort();
        for path in entries {
            if path.is_dir() {
                sources(&path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                out.push(std::fs::read_to_string(&path).unwrap());
            }
        }
    }
    let mut files = Vec::new();
    sources(
        &std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("src"),
        &mut files,
    );
    let src = files.join("\n");
    let mut out = Vec::new();
    for chunk in src.split(".route(").skip(1) {
        let Some(path) = chunk.split('"').nth(1) else {
            continue;
        };
        // The handlers of this route: up to the closing parenthesis of `.route(`.
        let mut depth = 1;
        let mut end = chunk.len();
        for (i, c) in chunk.char_indices() {
            match c {
                '(' => depth += 1,
                ')' => {
                    depth -= 1;
                    if depth == 0 {
                        end = i;
                        break;
                    }
                }
                _ => {}
            }
        }
        let handlers = &chunk[..end];
        let methods: Vec<&'static str> = ["get", "post", "patch", "put", "delete"]
            .into_iter()
            .filter(|m| handlers.contains(&format!("{m}(")))
            .collect();
        if !methods.is_empty() {
            out.push((path.to_string(), methods));
        }
    }
    out
}

/// Path parameters as a real record's, and as nonsense.
fn fill(path: &str, doc_id: i64, nonsense: bool) -> String {
    let mut out = String::new();
    for part in path.split('/') {
        if !out.is_empty() || path.starts_with('/') {
            out.push('/');
        }
        let value = match part {
            "{id}" | "{to}" | "{cid}" | "{item}" | "{attachment}" | "{appeal}" => {
                if nonsense {
                    "%01%FF99999999999999999999".to_string()
                } else {
                    doc_id.to_string()
                }
            }
            "{code}" => {
                if nonsense {
                    "YX01%0100".into()
                } else {
                    "YX0201".into()
                }
            }
            "{kind}" => {
                if nonsense {
                    "%00".into()
                } else {
                    "xzcf".into()
                }
            }
            "{format}" => {
                if nonsense {
                    "..%2F..".into()
                } else {
                    "csv".into()
                }
            }
            "{username}" => {
                if nonsense {
                    "%0A".into()
                } else {
                    "staff2".into()
                }
            }
            "{date}" => {
                if nonsense {
                    "2026-02-30".into()
                } else {
                    "2026-10-01".into()
                }
            }
            "{name}" => {
                if nonsense {
                    "..%2Fetc%2Fpasswd".into()
                } else {
                    "site.css".into()
                }
            }
            p => p.to_string(),
        };
        out.push_str(&value);
    }
    out.replace("//", "/")
}

async fn no_input_gives_a_server_error_on_any_route(app: App) {
    let routes = routes();
    assert!(
        routes.len() > 100,
        "the router was read: {} routes",
        routes.len()
    );
    let long = "长".repeat(30_000);
    let control = "a\u{1}b\u{0}c\r\nd\u{202E}e";
    let query = format!(
        "q={}&page=99999999999999999999&per_page=-1&agency=YX01%0100&year=0&kind=%00&next=/%09/x&topic=%FF",
        "%E9%95%BF".repeat(300)
    );
    // Administrators last: their posts may change what the others can reach (a staff member
    // deactivated, a session ended) and must not hide a failure from them.
    let clients = [
        ("anonymous", app.client()),
        ("staff", app.login("staff").await),
        ("admin", app.login("admin").await),
    ];
    let mut failures = Vec::new();
    let mut sent = 0;
    for (who, c) in &clients {
        let csrf = app.csrf(c, "/requests/track").await;
        for (path, methods) in &routes {
            if path == "/logout" {
                continue;
            }
            for nonsense in [false, true] {
                let url = app.url(&fill(path, app.doc_id, nonsense));
                for m in methods {
                    let req = match *m {
                        "get" => c.get(format!("{url}?{query}")),
                        "post" => c.post(&url).form(&[
                            ("csrf", csrf.as_str()),
                            ("agency", control),
                            ("title", &long[..300 * 3]),
                            ("body", control),
                            ("action", control),
                            ("kind", control),
                            ("index_no", control),
                            ("name", control),
                            ("date", "2026-13-45"),
                            ("page", "-1"),
                            ("next", "/\t/evil.example"),
                        ]),
                        "patch" | "put" => c
                            .request(
                                reqwest::Method::from_bytes(m.to_uppercase().as_bytes()).unwrap(),
                                &url,
                            )
                            .header("content-type", "application/json")
                            .body(format!(
                                "{{\"title\": \"{}\", \"x\": [[[[",
                                &long[..1000 * 3]
                            )),
                        _ => c.delete(&url),
                    };
                    let status = req.send().await.unwrap().status();
                    sent += 1;
                    if status.is_server_error() {
                        failures.push(format!("{who} {m} {url}: {status}"));
                    }
                }
            }
        }
        // An oversized body to each posting route.
        for (path, methods) in &routes {
            if methods.contains(&"post") && path != "/logout" {
                let res = c
                    .post(app.url(&fill(path, app.doc_id, false)))
                    .form(&[("csrf", csrf.as_str()), ("body", long.as_str())])
                    .send()
                    .await;
                sent += 1;
                // The server may answer 413 and close before the body is sent: refused.
                match res {
                    Ok(res) if res.status().is_server_error() => {
                        failures.push(format!("{who} oversized post {path}: {}", res.status()));
                    }
                    Ok(_) => {}
                    Err(e) if e.is_request() => {}
                    Err(e) => failures.push(format!("{who} oversized post {path}: {e}")),
                }
            }
        }
    }
    eprintln!("{sent} requests over {} routes", routes.len());
    assert!(sent > 1_000, "only {sent} requests were sent");
    assert!(
        failures.is_empty(),
        "{} of {sent} requests failed:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
