//! `gongkai export --public DIR`: everything the portal publishes (agencies, documents with
//! their files, interpretations, Q&A, catalogue, consultations, published messages, annual
//! reports), as files anyone may take
//! away — the same records the public API serves, never anything unpublished or withdrawn,
//! never an applicant's data — with a manifest of counts and SHA-256 checksums.

use std::io::Write;
use std::path::Path;

use gongkai_domain::DomainError;
use gongkai_store::backup::hex;
use gongkai_store::{
    Db, agencies, answers, attachments, catalogue, consultations, documents, interpretations,
    messages, reports,
};
use serde::Serialize;
use serde_json::json;
use sha2::{Digest, Sha256};

pub const FORMAT: &str = "gongkai-public-export/1";
const BATCH: i64 = 500;

#[derive(Clone, Debug, Serialize)]
pub struct ExportedFile {
    pub file: String,
    /// Records in it (1 for a single file such as an attachment).
    pub records: u64,
    pub sha256: String,
}

#[derive(Clone, Debug, Serialize)]
pub struct PublicManifest {
    pub format: &'static str,
    pub created_at: chrono::DateTime<chrono::Utc>,
    pub files: Vec<ExportedFile>,
}

fn io(e: impl std::fmt::Display) -> DomainError {
    DomainError::unavailable(format!("export: {e}"))
}

/// Collects files with their checksums as they are written.
struct Out<'a> {
    dir: &'a Path,
    files: Vec<ExportedFile>,
}

impl Out<'_> {
    fn write(&mut self, name: &str, bytes: &[u8], records: u64) -> Result<(), DomainError> {
        let path = self.dir.join(name);
        if let Some(parent) = path.parent() {
            std::fs::create_dir_all(parent).map_err(io)?;
        }
        std::fs::File::create(&path)
            .and_then(|mut f| f.write_all(bytes))
            .map_err(io)?;
        self.files.push(ExportedFile {
            file: name.to_string(),
            records,
            sha256: hex(&Sha256::digest(bytes)),
        });
        Ok(())
    }

    fn lines(&mut self, name: &str, items: &[serde_json::Value]) -> Result<(), DomainError> {
        let mut body = String::new();
        for i in items {
            body.push_str(&i.to_string());
            body.push('\n');
        }
        self.write(name, body.as_bytes(), items.len() as u64)
    }
}

/// A file name safe on every system: the attachment's id, then its name without separators.
fn file_name(id: i64, name: &str) -> String {
    let clean: String = name
        .chars()
        .map(|c| {
            if matches!(c, '/' | '\\' | ':' | '*' | '?' | '"' | '<' | '>' | '|') || c.is_control() {
                '_'
            } else {
                c
            }
        })
        .collect();
    format!("files/{id}-{clean}")
}

pub async fn export(db: &Db, dir: &Path) -> Result<PublicManifest, DomainError> {
    std::fs::create_dir_all(dir).map_err(io)?;
    let mut out = Out {
        dir,
        files: Vec::new(),
    };
    let mut c = db.conn().await?;

    let list = agencies::list(&mut c).await?;
    let body = serde_json::to_vec_pretty(&list).map_err(io)?;
    out.write("agencies.json", &body, list.len() as u64)?;

    // Documents as the API shows them, with their public version's attachments.
    let mut docs = Vec::new();
    let mut after = 0;
    loop {
        let ids = documents::public_ids_after(&mut c, after, BATCH).await?;
        for id in &ids {
            let Some(d) = documents::public_get(&mut c, *id).await? else {
                continue;
            };
            let mut files = Vec::new();
            for a in attachments::for_version(&mut c, d.summary.id, d.version.version_no).await? {
                let Some((a, bytes)) = attachments::public_file(&mut c, a.id).await? else {
                    continue;
                };
                let name = file_name(a.id, &a.file_name);
                out.write(&name, &bytes, 1)?;
                files.push(
                    json!({"file": name, "name": a.file_name, "sha256": a.sha256, "size": a.size}),
                );
            }
            let mut v = serde_json::to_value(&d).map_err(io)?;
            v["attachments"] = json!(files);
            docs.push(v);
        }
        match ids.last() {
            Some(last) if ids.len() as i64 == BATCH => after = *last,
            _ => break,
        }
    }
    out.lines("documents.jsonl", &docs)?;

    let mut items = Vec::new();
    let mut after = 0;
    loop {
        let ids = interpretations::ids_after(&mut c, after, BATCH).await?;
        for id in &ids {
            if let Some((i, links)) = interpretations::public_get(&mut c, *id).await? {
                let mut v = serde_json::to_value(&i).map_err(io)?;
                v["documents"] = json!(
                    links
                        .iter()
                        .map(|(id, title)| json!({"id": id, "title": title}))
                        .collect::<Vec<_>>()
                );
                items.push(v);
            }
        }
        match ids.last() {
            Some(last) if ids.len() as i64 == BATCH => after = *last,
            _ => break,
        }
    }
    out.lines("interpretations.jsonl", &items)?;

    let mut entries = Vec::new();
    let mut after = 0;
    loop {
        let ids = answers::ids_after(&mut c, after, BATCH).await?;
        for id in &ids {
            if let Some(a) = answers::public_get(&mut c, *id).await? {
                entries.push(serde_json::to_value(&a).map_err(io)?);
            }
        }
        match ids.last() {
            Some(last) if ids.len() as i64 == BATCH => after = *last,
            _ => break,
        }
    }
    out.lines("answers.jsonl", &entries)?;

    let mut columns = Vec::new();
    for a in &list {
        for item in catalogue::items(&mut c, a.id).await? {
            let mut v = serde_json::to_value(&item).map_err(io)?;
            v["agency_code"] = json!(a.code);
            columns.push(v);
        }
    }
    out.lines("catalogue.jsonl", &columns)?;

    // Consultations with their public comments (names only where the commenter agreed,
    // never a contact) and, once published, the feedback report.
    let mut drafts = Vec::new();
    let mut after = 0;
    loop {
        let ids = consultations::ids_after(&mut c, after, BATCH).await?;
        for id in &ids {
            if let Some(mut k) = consultations::public_get(&mut c, *id).await? {
                if k.report_published_at.is_none() {
                    k.report = None;
                    k.report_note = None;
                }
                let mut v = serde_json::to_value(&k).map_err(io)?;
                v["comments"] =
                    serde_json::to_value(consultations::public_comments(&mut c, *id).await?)
                        .map_err(io)?;
                drafts.push(v);
            }
        }
        match ids.last() {
            Some(last) if ids.len() as i64 == BATCH => after = *last,
            _ => break,
        }
    }
    out.lines("consultations.jsonl", &drafts)?;

    let published: Vec<serde_json::Value> = messages::published(&mut c, None, None, i64::MAX)
        .await?
        .into_iter()
        .map(|m| serde_json::to_value(crate::messages::Published::from(m)))
        .collect::<Result<_, _>>()
        .map_err(io)?;
    out.lines("messages.jsonl", &published)?;

    // Every typed list in its public (masked) form, one file per kind.
    let today = gongkai_store::db::now().date_naive();
    for kind in gongkai_domain::lists::ListKind::ALL {
        let (records, _) = gongkai_store::lists::public_list(
            &mut c,
            *kind,
            &Default::default(),
            today,
            0,
            i64::MAX,
        )
        .await?;
        let items: Vec<serde_json::Value> = records
            .iter()
            .map(|r| serde_json::to_value(crate::list_query::PublicRecord::from(r)))
            .collect::<Result<_, _>>()
            .map_err(io)?;
        out.lines(&format!("lists/{}.jsonl", kind.as_str()), &items)?;
    }

    // Published annual reports in the interchange format of report-json.md.

    for r in reports::public_list(&mut c).await? {
        let rep = reports::build(&mut c, &r).await?;
        let code = list
            .iter()
            .find(|a| a.id == r.agency_id)
            .map_or("agency", |a| a.code.as_str());
        let body = serde_json::to_vec_pretty(&gongkai_domain::report::interchange::to_json(&rep))
            .map_err(io)?;
        out.write(
            &format!("reports/{}-{code}-{}.json", r.year, r.scope.as_str()),
            &body,
            1,
        )?;
    }

    let manifest = PublicManifest {
        format: FORMAT,
        created_at: gongkai_store::db::now(),
        files: out.files,
    };
    let body = serde_json::to_vec_pretty(&manifest).map_err(io)?;
    std::fs::write(dir.join("manifest.json"), body).map_err(io)?;
    Ok(manifest)
}
