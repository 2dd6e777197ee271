//! Attachments: checked by content, limited in size, kept with their version, served only
//! when public; and a gazette issue's PDF.

use reqwest::multipart::{Form, Part};

use super::*;

both!(
    document_attachments_are_checked_versioned_and_served,
    gazette_issues_are_corrected_and_carry_a_pdf,
);

const PDF: &[u8] =
    b"%PDF-1.4\n1 0 obj << /Type /Catalog >> endobj\ntrailer << /Root 1 0 R >>\n%%EOF\n";

fn upload(csrf: &str, name: &str, bytes: Vec<u8>) -> Form {
    Form::new()
        .text("csrf", csrf.to_string())
        .part("file", Part::bytes(bytes).file_name(name.to_string()))
}

/// The href of the first link whose path starts with `prefix`.
fn link(html: &str, prefix: &str) -> String {
    let marker = format!("href=\"{prefix}");
    let start = html.find(&marker).expect("page has the link") + "href=\"".len();
    html[start..].split('"').next().unwrap().to_string()
}

async fn document_attachments_are_checked_versioned_and_served(app: App) {
    let staff = app.login("staff").await;
    let csrf = app.csrf(&staff, "/office/documents/new").await;
    let res = staff
        .post(app.url("/office/documents"))
        .form(&with(
            doc_form(&csrf, "关于公布2026年涉企收费清单的通知"),
            "disclosure_mode",
            "proactive",
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let detail = res.headers()["location"].to_str().unwrap().to_string();
    let uploads = format!("{}{detail}/attachments", app.base);
    let tables = ["attachments", "blobs", "audit_log"];
    let before = app.t.snapshot(&tables).await;

    // Wrong content, lying names, empty and oversized files, a forged post: refused, nothing
    // stored. The limit in these tests is 256 KiB.
    let html_page = b"<html><script>alert(1)</script></html>".to_vec();
    let big = {
        let mut v = PDF.to_vec();
        v.resize(300 * 1024, b' ');
        v
    };
    for (name, bytes, status, message) in [
        ("通知.pdf", html_page, 422, "无法识别的文件类型"),
        ("清单.docx", PDF.to_vec(), 422, "与扩展名 .docx 不符"),
        ("空.pdf", Vec::new(), 422, "不能为空"),
        ("大.pdf", big, 422, "不能超过 256 KB"),
        (
            "zip.xlsx",
            b"PK\x03\x04not really a workbook".to_vec(),
            422,
            "无法识别",
        ),
    ] {
        let res = staff
            .post(&uploads)
            .multipart(upload(&csrf, name, bytes))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status().as_u16(), status, "{name}");
        assert!(
            res.text().await.unwrap().contains(message),
            "{name}: {message}"
        );
    }
    // Far past the limit: refused from the headers alone, before a byte of the body is sent.
    {
        use tokio::io::{AsyncReadExt, AsyncWriteExt};
        let mut s = tokio::net::TcpStream::connect(app.base.trim_start_matches("http://"))
            .await
            .unwrap();
        let head = format!(
            "POST {detail}/attachments HTTP/1.1\r\nHost: x\r\nContent-Type: multipart/form-data; boundary=b\r\nContent-Length: {}\r\n\r\n",
            2 * 1024 * 1024
        );
        s.write_all(head.as_bytes()).await.unwrap();
        let mut buf = vec![0; 1024];
        let n = s.read(&mut buf).await.unwrap();
        let reply = String::from_utf8_lossy(&buf[..n]);
        assert!(reply.starts_with("HTTP/1.1 413"), "{reply}");
    }
    let res = staff
        .post(&uploads)
        .multipart(upload("forged", "通知.pdf", PDF.to_vec()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    // A plain form post to the upload address is not an upload.
    let res = staff
        .post(&uploads)
        .form(&[("csrf", csrf.as_str())])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    // Another agency's staff: the document does not exist for them.
    let other = app.login("staff2").await;
    let other_csrf = app.csrf(&other, "/office/documents/new").await;
    let res = other
        .post(&uploads)
        .multipart(upload(&other_csrf, "通知.pdf", PDF.to_vec()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 404);
    assert_eq!(
        app.t.snapshot(&tables).await,
        before,
        "bad uploads stored nothing"
    );

    // A good upload: a PDF with a Chinese name sent from a Windows path.
    let res = staff
        .post(&uploads)
        .multipart(upload(&csrf, "C:\\材料\\涉企收费清单.pdf", PDF.to_vec()))
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
    assert!(
        html.contains("涉企收费清单.pdf") && html.contains("PDF"),
        "{html}"
    );
    let staff_href = link(&html, "/office/attachments/");
    let res = staff.get(app.url(&staff_href)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.headers()["content-type"], "application/pdf");
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);
    // Not public yet: the public address of the same file is unknown.
    let attachment_id = staff_href.rsplit('/').next().unwrap().to_string();
    let public = app.url(&format!("/attachments/{attachment_id}/x.pdf"));
    assert_eq!(
        app.client().get(&public).send().await.unwrap().status(),
        404
    );
    // Nor can the other agency fetch it from the office.
    assert_eq!(
        other
            .get(app.url(&staff_href))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );

    // Review and publish; the public page lists the file and serves it with safe headers.
    assert_eq!(
        app.act(&staff, &detail, "submit").await,
        StatusCode::SEE_OTHER
    );
    let reviewer = app.login("reviewer").await;
    assert_eq!(
        app.act(&reviewer, &detail, "approve").await,
        StatusCode::SEE_OTHER
    );
    let office = app.login("office").await;
    assert_eq!(
        app.act(&office, &detail, "publish").await,
        StatusCode::SEE_OTHER
    );
    let id = detail.rsplit('/').next().unwrap();
    let page = app
        .client()
        .get(app.url(&format!("/documents/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    let href = link(&page, "/attachments/");
    assert!(page.contains("涉企收费清单.pdf"));
    let res = app.client().get(app.url(&href)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    let h = res.headers();
    assert_eq!(h["content-type"], "application/pdf");
    assert_eq!(h["x-content-type-options"], "nosniff");
    assert!(
        h["content-security-policy"]
            .to_str()
            .unwrap()
            .contains("sandbox")
    );
    let disposition = h["content-disposition"].to_str().unwrap();
    assert!(
        disposition.starts_with("inline;")
            && disposition.contains("filename*=UTF-8''%E6%B6%89%E4%BC%81"),
        "{disposition}"
    );
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);

    // The published version's files are fixed.
    let res = staff
        .post(&uploads)
        .multipart(upload(&csrf, "补充.pdf", PDF.to_vec()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    assert!(
        res.text()
            .await
            .unwrap()
            .contains("只有草稿或被退回的版本可以增删附件")
    );

    // A correction starts from the published files; removing one there leaves the public
    // version untouched.
    let edit_csrf = app.csrf(&staff, &format!("{detail}/edit")).await;
    let res = staff
        .post(app.url(&detail))
        .form(&with(
            with(
                doc_form(&edit_csrf, "关于公布2026年涉企收费清单的通知"),
                "disclosure_mode",
                "proactive",
            ),
            "change_note",
            "更正附件",
        ))
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
    assert!(
        html.contains("第 2 版") && html.contains("涉企收费清单.pdf"),
        "carried over"
    );
    let new_href = link(&html, "/office/attachments/");
    assert_ne!(
        new_href, staff_href,
        "the new version has its own link to the same bytes"
    );
    let new_id = new_href.rsplit('/').next().unwrap();
    let res = staff
        .post(app.url(&format!("{detail}/attachments/{new_id}/delete")))
        .form(&[("csrf", csrf.as_str())])
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
    assert!(html.contains("暂无附件"));
    assert_eq!(
        app.client()
            .get(app.url(&href))
            .send()
            .await
            .unwrap()
            .status(),
        200
    );
    assert_eq!(app.count("blobs").await, 1, "one copy of the bytes");
    let audit = audit::for_entity(&mut app.t.db.conn().await.unwrap(), "document", id)
        .await
        .unwrap();
    let actions: Vec<&str> = audit.iter().map(|e| e.action.as_str()).collect();
    assert!(
        actions.contains(&"document.attach") && actions.contains(&"document.detach"),
        "{actions:?}"
    );

    // Withdrawn: the page keeps its notice, the file is gone from public view.
    assert_eq!(
        app.act(&office, &detail, "withdraw").await.as_u16(),
        422,
        "needs a reason"
    );
    let wcsrf = app.csrf(&office, &detail).await;
    let res = office
        .post(app.url(&format!("{detail}/actions")))
        .form(&[
            ("csrf", wcsrf.as_str()),
            ("action", "withdraw"),
            ("reason", "附件有误"),
        ])
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(
        app.client()
            .get(app.url(&href))
            .send()
            .await
            .unwrap()
            .status(),
        404
    );
}

async fn gazette_issues_are_corrected_and_carry_a_pdf(app: App) {
    let office = app.login("office").await;
    let csrf = app.csrf(&office, "/office/gazette").await;
    let issue = |number: &'static str| {
        vec![
            ("csrf", csrf.clone()),
            ("year", "2021".to_string()),
            ("number", number.to_string()),
            ("issued_on", "2021-05-10".to_string()),
            ("documents", "YX0201/2021-00001".to_string()),
        ]
    };
    for n in ["3", "4"] {
        let res = office
            .post(app.url("/office/gazette"))
            .form(&issue(n))
            .send()
            .await
            .unwrap();
        assert_eq!(res.status(), StatusCode::SEE_OTHER);
    }
    let list = office
        .get(app.url("/office/gazette"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(list.contains("2021年第3期") && list.contains("2021年第4期"));
    let edit = link(&list, "/office/gazette/");
    let html = office
        .get(app.url(&edit))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(html.contains("修改政府公报") && html.contains("YX0201/2021-00001"));
    let id = edit.rsplit('/').next().unwrap().to_string();

    // Renumbering onto an existing issue is refused; a real correction is kept and logged.
    let taken = if html.contains("2021年第4期</h1>") {
        "3"
    } else {
        "4"
    };
    let res = office
        .post(app.url(&edit))
        .form(&issue(taken))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 409);
    let res = office
        .post(app.url(&edit))
        .form(&issue("5"))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let public = app
        .client()
        .get(app.url(&format!("/gazette/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(public.contains("2021年第5期") && !public.contains("下载本期 PDF"));
    let atom = app
        .client()
        .get(app.url("/feeds/gazette.atom"))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(
        atom.contains("<title>政府公报 2021年第5期</title>")
            && atom.contains(&format!("/gazette/{id}"))
    );
    assert_eq!(atom.matches("<entry>").count(), 2);
    let audit = audit::for_entity(&mut app.t.db.conn().await.unwrap(), "gazette_issue", &id)
        .await
        .unwrap();
    assert!(audit.iter().any(|e| e.action == "gazette.update"));

    // The PDF: only a PDF, only by the office.
    let pdf_url = app.url(&format!("/office/gazette/{id}/pdf"));
    // An accepted kind (a PNG image), but not the PDF a gazette issue needs.
    let png = b"\x89PNG\r\n\x1a\n\0\0\0\rIHDR".to_vec();
    let res = office
        .post(&pdf_url)
        .multipart(upload(&csrf, "公报.png", png))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 422);
    assert!(res.text().await.unwrap().contains("公报附件须为 PDF 文件"));
    let staff = app.login("staff").await;
    let staff_csrf = app.csrf(&staff, "/office").await;
    let res = staff
        .post(&pdf_url)
        .multipart(upload(&staff_csrf, "公报.pdf", PDF.to_vec()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), 403);
    assert_eq!(app.count("attachments").await, 0);
    let res = office
        .post(&pdf_url)
        .multipart(upload(
            &csrf,
            "云溪区人民政府公报2021年第5期.pdf",
            PDF.to_vec(),
        ))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    let public = app
        .client()
        .get(app.url(&format!("/gazette/{id}")))
        .send()
        .await
        .unwrap()
        .text()
        .await
        .unwrap();
    assert!(public.contains("下载本期 PDF"));
    let href = link(&public, "/attachments/");
    let res = app.client().get(app.url(&href)).send().await.unwrap();
    assert_eq!(res.status(), 200);
    assert_eq!(res.bytes().await.unwrap().as_ref(), PDF);
    // Replacing keeps one PDF per issue.
    let res = office
        .post(&pdf_url)
        .multipart(upload(&csrf, "更正版.pdf", [PDF, b"% corrected"].concat()))
        .send()
        .await
        .unwrap();
    assert_eq!(res.status(), StatusCode::SEE_OTHER);
    assert_eq!(app.count("attachments").await, 1);
}
