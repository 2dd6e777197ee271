//! Attachments: what a file is, decided from its bytes, never from its name or the browser's
//! claimed type. A renamed executable, an HTML page called `通知.pdf` or a zip posing as a
//! spreadsheet is refused before anything is stored.

use serde::Serialize;

use crate::{DomainError, Field};

pub const FIELD: Field = Field::new("file", "附件");

/// Default ceiling for one file. Government PDFs with scanned seals run to a few MB; 20 MiB
/// leaves room for a gazette issue without letting one upload fill the database.
pub const DEFAULT_MAX_BYTES: usize = 20 * 1024 * 1024;

/// File names longer than this are cut (keeping the extension).
const MAX_NAME_CHARS: usize = 100;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum FileKind {
    Pdf,
    Doc,
    Docx,
    Xls,
    Xlsx,
    Ofd,
    Png,
    Jpeg,
    Gif,
}

code_by_all!(FileKind);

impl FileKind {
    pub const ALL: [FileKind; 9] = [
        FileKind::Pdf,
        FileKind::Doc,
        FileKind::Docx,
        FileKind::Xls,
        FileKind::Xlsx,
        FileKind::Ofd,
        FileKind::Png,
        FileKind::Jpeg,
        FileKind::Gif,
    ];

    pub fn as_str(self) -> &'static str {
        match self {
            FileKind::Pdf => "pdf",
            FileKind::Doc => "doc",
            FileKind::Docx => "docx",
            FileKind::Xls => "xls",
            FileKind::Xlsx => "xlsx",
            FileKind::Ofd => "ofd",
            FileKind::Png => "png",
            FileKind::Jpeg => "jpeg",
            FileKind::Gif => "gif",
        }
    }

    pub fn parse(s: &str) -> Result<Self, DomainError> {
        FileKind::ALL
            .into_iter()
            .find(|k| k.as_str() == s)
            .ok_or_else(|| DomainError::invalid(FIELD, format!("不支持的附件类型“{s}”")))
    }

    /// The extensions a file of this kind may carry; the first is used when one is missing.
    pub fn extensions(self) -> &'static [&'static str] {
        match self {
            FileKind::Pdf => &["pdf"],
            FileKind::Doc => &["doc", "wps"],
            FileKind::Docx => &["docx"],
            FileKind::Xls => &["xls", "et"],
            FileKind::Xlsx => &["xlsx"],
            FileKind::Ofd => &["ofd"],
            FileKind::Png => &["png"],
            FileKind::Jpeg => &["jpg", "jpeg"],
            FileKind::Gif => &["gif"],
        }
    }

    pub fn mime(self) -> &'static str {
        match self {
            FileKind::Pdf => "application/pdf",
            FileKind::Doc => "application/msword",
            FileKind::Docx => {
                "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
            }
            FileKind::Xls => "application/vnd.ms-excel",
            FileKind::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            FileKind::Ofd => "application/ofd",
            FileKind::Png => "image/png",
            FileKind::Jpeg => "image/jpeg",
            FileKind::Gif => "image/gif",
        }
    }

    /// A short label for lists, e.g. “PDF”, “Word”.
    pub fn label(self) -> &'static str {
        match self {
            FileKind::Pdf => "PDF",
            FileKind::Doc | FileKind::Docx => "Word",
            FileKind::Xls | FileKind::Xlsx => "Excel",
            FileKind::Ofd => "OFD",
            FileKind::Png | FileKind::Jpeg | FileKind::Gif => "图片",
        }
    }

    /// Whether a browser may show it in place. Office files are always downloaded.
    pub fn inline(self) -> bool {
        matches!(
            self,
            FileKind::Pdf | FileKind::Png | FileKind::Jpeg | FileKind::Gif
        )
    }

    pub fn is_image(self) -> bool {
        matches!(self, FileKind::Png | FileKind::Jpeg | FileKind::Gif)
    }
}

const OLE2: &[u8] = &[0xD0, 0xCF, 0x11, 0xE0, 0xA1, 0xB1, 0x1A, 0xE1];

fn utf16(name: &str) -> Vec<u8> {
    name.encode_utf16().flat_map(u16::to_le_bytes).collect()
}

fn contains(hay: &[u8], needle: &[u8]) -> bool {
    !needle.is_empty() && hay.windows(needle.len()).any(|w| w == needle)
}

/// The entry names of a zip file, from its central directory (the authoritative list; local
/// headers may be stale after an in-place edit).
fn zip_entries(bytes: &[u8]) -> Option<Vec<String>> {
    // The end-of-central-directory record is in the last 22 + 65,535 bytes.
    let start = bytes.len().saturating_sub(22 + 0xFFFF);
    let eocd = (start..bytes.len().saturating_sub(21))
        .rev()
        .find(|&i| bytes[i..].starts_with(b"PK\x05\x06"))?;
    let le16 = |i: usize| -> Option<usize> {
        Some(u16::from_le_bytes(bytes.get(i..i + 2)?.try_into().ok()?) as usize)
    };
    let le32 = |i: usize| -> Option<usize> {
        Some(u32::from_le_bytes(bytes.get(i..i + 4)?.try_into().ok()?) as usize)
    };
    let count = le16(eocd + 10)?;
    let mut at = le32(eocd + 16)?;
    let mut names = Vec::with_capacity(count.min(4096));
    for _ in 0..count.min(4096) {
        if !bytes.get(at..)?.starts_with(b"PK\x01\x02") {
            return None;
        }
        let name_len = le16(at + 28)?;
        let extra_len = le16(at + 30)?;
        let comment_len = le16(at + 32)?;
        let name = bytes.get(at + 46..at + 46 + name_len)?;
        names.push(String::from_utf8_lossy(name).into_owned());
        at += 46 + name_len + extra_len + comment_len;
    }
    Some(names)
}

/// What the bytes are, or `None` for anything we do not accept.
pub fn sniff(bytes: &[u8]) -> Option<FileKind> {
    if bytes.starts_with(b"%PDF-") {
        return Some(FileKind::Pdf);
    }
    if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some(FileKind::Png);
    }
    if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some(FileKind::Jpeg);
    }
    if bytes.starts_with(b"GIF87a") || bytes.starts_with(b"GIF89a") {
        return Some(FileKind::Gif);
    }
    if bytes.starts_with(OLE2) {
        // Compound files name their streams in UTF-16 in the directory sectors.
        if contains(bytes, &utf16("WordDocument")) {
            return Some(FileKind::Doc);
        }
        if contains(bytes, &utf16("Workbook")) || contains(bytes, &utf16("Book")) {
            return Some(FileKind::Xls);
        }
        return None;
    }
    if bytes.starts_with(b"PK\x03\x04") {
        let names = zip_entries(bytes)?;
        let has = |n: &str| names.iter().any(|e| e.eq_ignore_ascii_case(n));
        if has("[Content_Types].xml") && has("word/document.xml") {
            return Some(FileKind::Docx);
        }
        if has("[Content_Types].xml") && has("xl/workbook.xml") {
            return Some(FileKind::Xlsx);
        }
        if has("OFD.xml") {
            return Some(FileKind::Ofd);
        }
    }
    None
}

/// A checked upload: its kind from the content and a safe file name whose extension agrees.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Upload {
    pub file_name: String,
    pub kind: FileKind,
    pub size: usize,
}

fn extension(name: &str) -> Option<String> {
    let (stem, ext) = name.rsplit_once('.')?;
    (!stem.is_empty() && !ext.is_empty()).then(|| ext.to_ascii_lowercase())
}

/// Checks an uploaded file. `name` is what the browser sent (possibly a Windows path); only
/// its last component is kept, stripped of control and path characters.
pub fn check(name: &str, bytes: &[u8], max_bytes: usize) -> Result<Upload, DomainError> {
    if bytes.is_empty() {
        return Err(DomainError::invalid(
            FIELD,
            "请选择要上传的文件(文件不能为空)",
        ));
    }
    if bytes.len() > max_bytes {
        return Err(DomainError::invalid(
            FIELD,
            format!(
                "附件过大:{},单个附件不能超过 {}",
                human_size(bytes.len()),
                human_size(max_bytes)
            ),
        ));
    }
    let kind = sniff(bytes).ok_or_else(|| {
        DomainError::invalid(
            FIELD,
            "无法识别的文件类型:附件只能是 PDF、Word(DOC/DOCX)、Excel(XLS/XLSX)、OFD 或图片(PNG/JPEG/GIF)",
        )
    })?;
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let mut clean: String = base
        .chars()
        // Bidirectional overrides and zero-width characters make `gpj.exe` show as `exe.jpg`.
        .filter(|c| {
            !c.is_control()
                && !matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*')
                && !matches!(c, '\u{200B}'..='\u{200F}' | '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}' | '\u{FEFF}')
        })
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .to_string();
    match extension(&clean) {
        Some(ext) if kind.extensions().contains(&ext.as_str()) => {}
        Some(ext)
            if FileKind::ALL
                .iter()
                .any(|k| k.extensions().contains(&ext.as_str())) =>
        {
            return Err(DomainError::invalid(
                FIELD,
                format!(
                    "文件内容是 {} 格式,与扩展名 .{ext} 不符,请检查是否选错了文件",
                    kind.as_str().to_uppercase()
                ),
            ));
        }
        _ => {
            if clean.is_empty() {
                clean = "附件".into();
            }
            clean.push('.');
            clean.push_str(kind.extensions()[0]);
        }
    }
    if clean.chars().count() > MAX_NAME_CHARS {
        let ext = extension(&clean).unwrap_or_default();
        let stem: String = clean.chars().take(MAX_NAME_CHARS - ext.len() - 1).collect();
        clean = format!("{stem}.{ext}");
    }
    Ok(Upload {
        file_name: clean,
        kind,
        size: bytes.len(),
    })
}

/// Files one document version or gazette issue may carry: more is a sign of a wrong upload,
/// not a real document.
pub const MAX_PER_OWNER: i64 = 30;

/// One more file beside `existing` ones stays within [`MAX_PER_OWNER`].
pub fn check_room(existing: i64) -> Result<(), DomainError> {
    if existing >= MAX_PER_OWNER {
        return Err(DomainError::invalid(
            FIELD,
            format!("附件不能超过 {MAX_PER_OWNER} 个"),
        ));
    }
    Ok(())
}

/// Whether `who` may change the files of a document of `agency_id` whose working version is in
/// `status`: another agency's document does not exist for them, and only a draft or a returned
/// version changes its files (a published document changes through a new version).
pub fn check_editable(
    who: &crate::user::Principal,
    agency_id: i64,
    status: crate::document::Status,
) -> Result<(), DomainError> {
    use crate::document::Status;
    if !who.may_act_for(agency_id) {
        return Err(DomainError::NotFound { what: "文件" });
    }
    if !matches!(status, Status::Draft | Status::Returned) {
        return Err(DomainError::conflict(
            Some(FIELD),
            "只有草稿或被退回的版本可以增删附件;已发布的文件请先“修改”生成新版本",
        ));
    }
    Ok(())
}

/// Only the disclosure office (or an administrator) compiles the gazette.
pub fn check_gazette_editor(who: &crate::user::Principal) -> Result<(), DomainError> {
    if who.role.sees_all_agencies() {
        Ok(())
    } else {
        Err(DomainError::Forbidden)
    }
}

/// A gazette issue is published as one PDF.
pub fn check_gazette_pdf(kind: FileKind) -> Result<(), DomainError> {
    if kind != FileKind::Pdf {
        return Err(DomainError::invalid(FIELD, "公报附件须为 PDF 文件"));
    }
    Ok(())
}

/// A file over the site's upload limit of `max` bytes.
pub fn too_large(max: usize) -> DomainError {
    DomainError::invalid(
        FIELD,
        format!("附件过大,单个附件不能超过 {}", human_size(max)),
    )
}

/// “1.5 MB”, “820 KB”, “12 字节”.
pub fn human_size(bytes: usize) -> String {
    const KB: f64 = 1024.0;
    let b = bytes as f64;
    if b >= KB * KB {
        format!("{:.1} MB", b / KB / KB)
    } else if b >= KB {
        format!("{:.0} KB", b / KB)
    } else {
        format!("{bytes} 字节")
    }
}

#[cfg(test)]
mod tests {

    #[test]
    fn only_a_draft_of_ones_own_agency_changes_its_files_and_only_the_office_the_gazette() {
        use crate::document::Status;
        use crate::user::{Principal, Role};
        let who = |role, agency_id| Principal {
            user_id: 1,
            role,
            agency_id,
        };
        let staff = who(Role::Staff, 7);
        for s in [Status::Draft, Status::Returned] {
            assert!(check_editable(&staff, 7, s).is_ok(), "{s:?}");
        }
        for s in [Status::Submitted, Status::Approved, Status::Published] {
            let e = check_editable(&staff, 7, s).unwrap_err();
            assert_eq!(e.code(), "conflict", "{s:?}");
        }
        // Another agency's document does not exist for them, whatever its status.
        assert!(matches!(
            check_editable(&staff, 8, Status::Draft),
            Err(DomainError::NotFound { .. })
        ));
        assert!(check_editable(&who(Role::Office, 1), 8, Status::Draft).is_ok());
        assert_eq!(check_gazette_editor(&staff), Err(DomainError::Forbidden));
        assert_eq!(
            check_gazette_editor(&who(Role::Reviewer, 7)),
            Err(DomainError::Forbidden)
        );
        assert!(check_gazette_editor(&who(Role::Office, 1)).is_ok());
        assert!(check_gazette_editor(&who(Role::Admin, 1)).is_ok());
    }

    #[test]
    fn an_owner_holds_at_most_thirty_files_and_a_gazette_one_pdf() {
        assert!(check_room(0).is_ok());
        assert!(check_room(MAX_PER_OWNER - 1).is_ok());
        let e = check_room(MAX_PER_OWNER).unwrap_err();
        assert_eq!((e.code(), e.field()), ("invalid-input", Some(FIELD)));
        assert!(e.to_string().contains("30"), "{e}");
        assert!(check_gazette_pdf(FileKind::Pdf).is_ok());
        for k in FileKind::ALL.iter().filter(|k| **k != FileKind::Pdf) {
            assert!(check_gazette_pdf(*k).is_err(), "{k:?}");
        }
    }

    use super::*;

    /// A minimal zip whose central directory lists `names` (no contents needed to sniff).
    pub fn zip_with(names: &[&str]) -> Vec<u8> {
        let mut out = Vec::new();
        let mut central = Vec::new();
        for name in names {
            let offset = out.len() as u32;
            out.extend_from_slice(b"PK\x03\x04");
            out.extend_from_slice(&[20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            out.extend_from_slice(&[0; 12]);
            out.extend_from_slice(&(name.len() as u16).to_le_bytes());
            out.extend_from_slice(&0u16.to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            central.extend_from_slice(b"PK\x01\x02");
            central.extend_from_slice(&[20, 0, 20, 0, 0, 0, 0, 0, 0, 0, 0, 0]);
            central.extend_from_slice(&[0; 12]);
            central.extend_from_slice(&(name.len() as u16).to_le_bytes());
            central.extend_from_slice(&[0; 12]);
            central.extend_from_slice(&offset.to_le_bytes());
            central.extend_from_slice(name.as_bytes());
        }
        let cd_offset = out.len() as u32;
        let cd_len = central.len() as u32;
        out.extend_from_slice(&central);
        out.extend_from_slice(b"PK\x05\x06");
        out.extend_from_slice(&[0; 4]);
        out.extend_from_slice(&(names.len() as u16).to_le_bytes());
        out.extend_from_slice(&(names.len() as u16).to_le_bytes());
        out.extend_from_slice(&cd_len.to_le_bytes());
        out.extend_from_slice(&cd_offset.to_le_bytes());
        out.extend_from_slice(&0u16.to_le_bytes());
        out
    }

    fn ole(stream: &str) -> Vec<u8> {
        let mut v = OLE2.to_vec();
        v.extend_from_slice(&[0; 504]);
        v.extend_from_slice(&utf16(stream));
        v
    }

    #[test]
    fn kinds_come_from_the_bytes() {
        assert_eq!(sniff(b"%PDF-1.7\n..."), Some(FileKind::Pdf));
        assert_eq!(sniff(b"\x89PNG\r\n\x1a\n...."), Some(FileKind::Png));
        assert_eq!(sniff(&[0xFF, 0xD8, 0xFF, 0xE0, 0, 0]), Some(FileKind::Jpeg));
        assert_eq!(sniff(b"GIF89a.."), Some(FileKind::Gif));
        assert_eq!(sniff(&ole("WordDocument")), Some(FileKind::Doc));
        assert_eq!(sniff(&ole("Workbook")), Some(FileKind::Xls));
        assert_eq!(sniff(&ole("PowerPoint Document")), None);
        assert_eq!(
            sniff(&zip_with(&["[Content_Types].xml", "word/document.xml"])),
            Some(FileKind::Docx)
        );
        assert_eq!(
            sniff(&zip_with(&["[Content_Types].xml", "xl/workbook.xml"])),
            Some(FileKind::Xlsx)
        );
        assert_eq!(
            sniff(&zip_with(&["OFD.xml", "Doc_0/Document.xml"])),
            Some(FileKind::Ofd)
        );
        // A plain zip, an HTML page, an executable, a script: refused.
        assert_eq!(sniff(&zip_with(&["evil.exe"])), None);
        assert_eq!(sniff(b"<html><script>alert(1)</script>"), None);
        assert_eq!(sniff(b"MZ\x90\x00"), None);
        assert_eq!(sniff(b"#!/bin/sh\nrm -rf /"), None);
        assert_eq!(sniff(b"PK\x03\x04 truncated"), None);
    }

    #[test]
    fn names_are_cleaned_and_must_agree_with_the_content() {
        let pdf = b"%PDF-1.4 x";
        let u = check("C:\\Users\\王\\桌面\\通知.PDF", pdf, 100).unwrap();
        assert_eq!(u.file_name, "通知.PDF");
        assert_eq!(u.kind, FileKind::Pdf);
        assert_eq!(
            check("../../etc/passwd", pdf, 100).unwrap().file_name,
            "passwd.pdf"
        );
        assert_eq!(check("", pdf, 100).unwrap().file_name, "附件.pdf");
        assert_eq!(
            check("报告\u{202E}fdp.exe\u{202C}.pdf", pdf, 100)
                .unwrap()
                .file_name,
            "报告fdp.exe.pdf",
            "bidirectional overrides are removed"
        );
        assert_eq!(
            check("a\u{0}b<>.pdf", pdf, 100).unwrap().file_name,
            "ab.pdf"
        );
        // A PDF named .docx: the name lies; say so instead of storing it.
        let e = check("方案.docx", pdf, 100).unwrap_err();
        assert!(e.to_string().contains("与扩展名 .docx 不符"), "{e}");
        // Unknown extensions get the right one appended.
        assert_eq!(
            check("方案.tmp", pdf, 100).unwrap().file_name,
            "方案.tmp.pdf"
        );
        let long = format!("{}.pdf", "长".repeat(300));
        let name = check(&long, pdf, 100).unwrap().file_name;
        assert_eq!(name.chars().count(), MAX_NAME_CHARS);
        assert!(name.ends_with(".pdf"));
    }

    #[test]
    fn size_and_emptiness_are_checked() {
        assert!(
            check("a.pdf", b"", 100)
                .unwrap_err()
                .to_string()
                .contains("不能为空")
        );
        let e = check("a.pdf", &[b'%'; 2048], 1024).unwrap_err();
        assert!(e.to_string().contains("不能超过 1 KB"), "{e}");
        let e = check("a.html", b"<html>", 100).unwrap_err();
        assert!(e.to_string().contains("无法识别"), "{e}");
    }

    #[test]
    fn a_corrupt_central_directory_does_not_panic() {
        let mut z = zip_with(&["[Content_Types].xml", "word/document.xml"]);
        let n = z.len();
        // Point the directory offset past the end.
        z[n - 6..n - 2].copy_from_slice(&u32::MAX.to_le_bytes());
        assert_eq!(sniff(&z), None);
    }

    proptest::proptest! {
        #[test]
        fn sniffing_never_panics(bytes in proptest::collection::vec(proptest::num::u8::ANY, 0..512)) {
            let _ = sniff(&bytes);
            let mut z = b"PK\x03\x04".to_vec();
            z.extend_from_slice(&bytes);
            let _ = sniff(&z);
        }
    }
}
