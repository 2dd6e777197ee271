//! Tables in and out: CSV (UTF-8, with the byte-order mark spreadsheet programs need for
//! Chinese) and XLSX. Reading XLSX needs only its shared strings, the first worksheet and the
//! date formats of its cell styles, which a small scanner over the XML reads; writing uses
//! rust_xlsxwriter with every cell as text, so nothing is read back as a formula or a number.

use std::io::Read;

use gongkai_domain::{DomainError, Field};

const FIELD: Field = Field::new("file", "导入文件");

/// The most rows a table may have: beyond this an import belongs on the command line.
pub const MAX_ROWS: usize = 200_000;

fn bad(message: impl Into<String>) -> DomainError {
    DomainError::invalid(FIELD, message)
}

/// The file's format, from its name.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Csv,
    Xlsx,
}

impl Format {
    pub fn of(file_name: &str) -> Result<Format, DomainError> {
        let lower = file_name.to_ascii_lowercase();
        if lower.ends_with(".csv") {
            Ok(Format::Csv)
        } else if lower.ends_with(".xlsx") {
            Ok(Format::Xlsx)
        } else {
            Err(bad("只能导入 CSV 或 XLSX 文件"))
        }
    }
}

/// All rows of a table, the header first.
pub fn read(bytes: &[u8], format: Format) -> Result<Vec<Vec<String>>, DomainError> {
    let rows = match format {
        Format::Csv => read_csv(bytes)?,
        Format::Xlsx => read_xlsx(bytes)?,
    };
    if rows.is_empty() {
        return Err(bad("文件是空的"));
    }
    if rows.len() > MAX_ROWS + 1 {
        return Err(bad(format!("文件超过 {MAX_ROWS} 行")));
    }
    Ok(rows)
}

fn read_csv(bytes: &[u8]) -> Result<Vec<Vec<String>>, DomainError> {
    let bytes = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
    if std::str::from_utf8(bytes).is_err() {
        return Err(bad(
            "CSV 文件不是 UTF-8 编码;请在表格软件中另存为“CSV UTF-8”",
        ));
    }
    let mut reader = csv::ReaderBuilder::new()
        .has_headers(false)
        .flexible(true)
        .from_reader(bytes);
    let mut rows = Vec::new();
    for (i, rec) in reader.records().enumerate() {
        let rec = rec.map_err(|e| bad(format!("第 {} 行无法读取:{e}", i + 1)))?;
        let row: Vec<String> = rec.iter().map(str::to_string).collect();
        if row.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows.push(row);
        if rows.len() > MAX_ROWS + 1 {
            break;
        }
    }
    Ok(rows)
}

/// A cell as written to CSV: one that a spreadsheet would run as a formula (starting, after
/// any spaces, with `=`, `+`, `-`, `@`, a tab or a carriage return, in either width) gets a
/// leading `'`, so `=HYPERLINK(…)` typed by anyone shows as text.
pub fn neutralise(cell: &str) -> std::borrow::Cow<'_, str> {
    let first = cell.trim_start_matches([' ', '\u{3000}']).chars().next();
    if first.is_some_and(|c| {
        matches!(
            c,
            '=' | '+' | '-' | '@' | '\t' | '\r' | '＝' | '＋' | '－' | '＠'
        )
    }) {
        std::borrow::Cow::Owned(format!("'{cell}"))
    } else {
        std::borrow::Cow::Borrowed(cell)
    }
}

/// Every CSV the project writes: UTF-8 with a byte-order mark (spreadsheet programs need it to
/// read Chinese), CRLF, quoted by the `csv` crate, formulas neutralised.
pub fn write_csv<H: AsRef<str>, R: AsRef<[String]>>(headers: &[H], rows: &[R]) -> Vec<u8> {
    let mut w = csv::WriterBuilder::new()
        .terminator(csv::Terminator::CRLF)
        .from_writer(Vec::from("\u{feff}".as_bytes()));
    let header: Vec<std::borrow::Cow<'_, str>> =
        headers.iter().map(|h| neutralise(h.as_ref())).collect();
    // Writing into a Vec cannot fail on I/O; a record error is impossible for string cells.
    let _ = w.write_record(header.iter().map(|c| c.as_bytes()));
    for row in rows {
        let cells: Vec<std::borrow::Cow<'_, str>> =
            row.as_ref().iter().map(|c| neutralise(c)).collect();
        let _ = w.write_record(cells.iter().map(|c| c.as_bytes()));
    }
    w.into_inner().unwrap_or_default()
}

#[cfg(test)]
mod csv_tests {
    use super::*;

    #[test]
    fn formulas_are_written_as_text_and_fields_quoted() {
        let out = String::from_utf8(write_csv(
            &["名称", "链接"],
            &[
                vec![
                    "=HYPERLINK(\"http://evil.example\",\"点此领取补贴\")".into(),
                    " +1".into(),
                ],
                vec!["-3".into(), "@SUM(A1)".into()],
                vec!["＝１＋１".into(), "a,b\n\"c\"".into()],
                vec!["正常文本".into(), "2024-01-01".into()],
            ],
        ))
        .unwrap();
        let rows: Vec<Vec<String>> = csv::ReaderBuilder::new()
            .has_headers(false)
            .from_reader(out.trim_start_matches('\u{feff}').as_bytes())
            .records()
            .map(|r| r.unwrap().iter().map(str::to_string).collect())
            .collect();
        assert_eq!(rows[0], ["名称", "链接"]);
        assert_eq!(
            rows[1][0],
            "'=HYPERLINK(\"http://evil.example\",\"点此领取补贴\")"
        );
        assert_eq!(rows[1][1], "' +1");
        assert_eq!(rows[2], ["'-3", "'@SUM(A1)"]);
        assert_eq!(rows[3], ["'＝１＋１", "a,b\n\"c\""]);
        assert_eq!(rows[4], ["正常文本", "2024-01-01"]);
        assert!(out.starts_with('\u{feff}') && out.contains("\r\n"));
    }

    proptest::proptest! {
        /// Whatever a cell holds, it reads back as written (or with one leading '), and no
        /// cell read back starts a formula.
        #[test]
        fn any_cell_round_trips_without_a_formula(cells in proptest::collection::vec("(?s).{0,12}", 1..5)) {
            let out = write_csv(&["h"; 1], std::slice::from_ref(&cells));
            let text = String::from_utf8(out).unwrap();
            let mut r = csv::ReaderBuilder::new().has_headers(true).flexible(true)
                .from_reader(text.trim_start_matches('\u{feff}').as_bytes());
            let back: Vec<String> = r.records().next().unwrap().unwrap().iter().map(str::to_string).collect();
            for (a, b) in cells.iter().zip(&back) {
                let quoted = format!("'{a}");
                proptest::prop_assert!(b == a || *b == quoted);
                proptest::prop_assert!(neutralise(b) == b.as_str() || b.starts_with('\''));
            }
        }
    }
}

pub fn write_xlsx(
    sheet_name: &str,
    headers: &[String],
    rows: &[Vec<String>],
) -> Result<Vec<u8>, DomainError> {
    let xlsx = |e: rust_xlsxwriter::XlsxError| DomainError::unavailable(format!("xlsx: {e}"));
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name).map_err(xlsx)?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (col, h) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, h, &bold)
            .map_err(xlsx)?;
        sheet.set_column_width(col as u16, 18).map_err(xlsx)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (col, v) in row.iter().enumerate() {
            sheet
                .write_string(r as u32 + 1, col as u16, v)
                .map_err(xlsx)?;
        }
    }
    book.save_to_buffer().map_err(xlsx)
}

// ---- reading XLSX ----

/// Most bytes one part of the workbook may inflate to: a guard against zip bombs.
const MAX_PART: u64 = 256 << 20;

fn part(
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
    name: &str,
) -> Result<Option<String>, DomainError> {
    let file = match archive.by_name(name) {
        Ok(f) => f,
        Err(zip::result::ZipError::FileNotFound) => return Ok(None),
        Err(_) => return Err(bad("XLSX 文件已损坏")),
    };
    let mut text = String::new();
    file.take(MAX_PART + 1)
        .read_to_string(&mut text)
        .map_err(|_| bad("XLSX 文件已损坏"))?;
    if text.len() as u64 > MAX_PART {
        return Err(bad("XLSX 文件过大"));
    }
    Ok(Some(text))
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, DomainError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|_| bad("不是有效的 XLSX 文件"))?;
    let shared = match part(&mut archive, "xl/sharedStrings.xml")? {
        Some(x) => shared_strings(&x),
        None => Vec::new(),
    };
    let dates = match part(&mut archive, "xl/styles.xml")? {
        Some(x) => date_styles(&x),
        None => Vec::new(),
    };
    let sheet = first_sheet(&mut archive)?;
    let xml = part(&mut archive, &sheet)?.ok_or_else(|| bad("XLSX 文件没有工作表"))?;
    sheet_rows(&xml, &shared, &dates)
}

/// The path of the workbook's first sheet (by the workbook's order, through its relations).
fn first_sheet(
    archive: &mut zip::ZipArchive<std::io::Cursor<&[u8]>>,
) -> Result<String, DomainError> {
    let fallback = "xl/worksheets/sheet1.xml".to_string();
    let (Some(book), Some(rels)) = (
        part(archive, "xl/workbook.xml")?,
        part(archive, "xl/_rels/workbook.xml.rels")?,
    ) else {
        return Ok(fallback);
    };
    let Some(rid) = tags(&book, "sheet")
        .next()
        .and_then(|t| attr(t.attrs, "r:id"))
    else {
        return Ok(fallback);
    };
    let target = tags(&rels, "Relationship")
        .find(|t| attr(t.attrs, "Id").as_deref() == Some(rid.as_str()))
        .and_then(|t| attr(t.attrs, "Target"));
    Ok(match target {
        Some(t) if t.starts_with('/') => t.trim_start_matches('/').to_string(),
        Some(t) => format!("xl/{t}"),
        None => fallback,
    })
}

/// One start tag found in XML: its attributes, whether it closes itself, and where its
/// content starts.
struct Tag<'a> {
    attrs: &'a str,
    empty: bool,
    end: usize,
}

/// Start tags named `name` in `xml`, in order.
fn tags<'a>(xml: &'a str, name: &'a str) -> impl Iterator<Item = Tag<'a>> + 'a {
    let mut pos = 0;
    std::iter::from_fn(move || {
        loop {
            let at = pos + xml.get(pos..)?.find('<')?;
            let rest = &xml[at + 1..];
            pos = at + 1;
            if !rest.starts_with(name) {
                continue;
            }
            let after = rest[name.len()..].chars().next()?;
            if !(after == ' '
                || after == '>'
                || after == '/'
                || after == '\t'
                || after == '\n'
                || after == '\r')
            {
                continue;
            }
            let close = rest.find('>')?;
            let inner = &rest[name.len()..close];
            let empty = inner.ends_with('/');
            pos = at + 1 + close + 1;
            return Some(Tag {
                attrs: inner.trim_end_matches('/'),
                empty,
                end: pos,
            });
        }
    })
}

fn attr(attrs: &str, name: &str) -> Option<String> {
    let mut rest = attrs;
    while let Some(i) = rest.find(name) {
        let before_ok = i == 0 || rest[..i].ends_with([' ', '\t', '\n', '\r']);
        let after = &rest[i + name.len()..];
        let after_t = after.trim_start();
        if before_ok && after_t.starts_with('=') {
            let v = after_t[1..].trim_start();
            let quote = v.chars().next()?;
            if quote == '"' || quote == '\'' {
                let end = v[1..].find(quote)?;
                return Some(unescape(&v[1..1 + end]));
            }
        }
        rest = &rest[i + name.len()..];
    }
    None
}

fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let Some(end) = rest.find(';').filter(|e| *e <= 10) else {
            out.push('&');
            rest = &rest[1..];
            continue;
        };
        let entity = &rest[1..end];
        let ch = match entity {
            "amp" => Some('&'),
            "lt" => Some('<'),
            "gt" => Some('>'),
            "quot" => Some('"'),
            "apos" => Some('\''),
            e if e.starts_with("#x") => u32::from_str_radix(&e[2..], 16)
                .ok()
                .and_then(char::from_u32),
            e if e.starts_with('#') => e[1..].parse().ok().and_then(char::from_u32),
            _ => None,
        };
        match ch {
            Some(c) => {
                out.push(c);
                rest = &rest[end + 1..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

/// The text of the `<t>` elements in `xml` (a shared string or an inline string), leaving out
/// phonetic runs.
fn text_of(xml: &str) -> String {
    let mut out = String::new();
    let mut scan = xml;
    // Phonetic guides (<rPh>) repeat the reading, not the text.
    let cleaned;
    if scan.contains("<rPh") {
        let mut s = String::new();
        let mut rest = scan;
        while let Some(i) = rest.find("<rPh") {
            s.push_str(&rest[..i]);
            match rest[i..].find("</rPh>") {
                Some(j) => rest = &rest[i + j + 6..],
                None => {
                    rest = "";
                }
            }
        }
        s.push_str(rest);
        cleaned = s;
        scan = &cleaned;
    }
    for t in tags(scan, "t") {
        if t.empty {
            continue;
        }
        if let Some(end) = scan[t.end..].find("</t>") {
            out.push_str(&unescape(&scan[t.end..t.end + end]));
        }
    }
    out
}

fn shared_strings(xml: &str) -> Vec<String> {
    let mut out = Vec::new();
    for si in tags(xml, "si") {
        if si.empty {
            out.push(String::new());
            continue;
        }
        let end = xml[si.end..]
            .find("</si>")
            .map_or(xml.len(), |e| si.end + e);
        out.push(text_of(&xml[si.end..end]));
    }
    out
}

/// For each cell style (xf) index, whether it formats numbers as dates.
fn date_styles(xml: &str) -> Vec<bool> {
    let custom: Vec<(u32, bool)> = tags(xml, "numFmt")
        .filter_map(|t| {
            let id = attr(t.attrs, "numFmtId")?.parse().ok()?;
            let code = attr(t.attrs, "formatCode")?;
            Some((id, is_date_format(&code)))
        })
        .collect();
    let Some(start) = xml.find("<cellXfs") else {
        return Vec::new();
    };
    let end = xml[start..]
        .find("</cellXfs>")
        .map_or(xml.len(), |e| start + e);
    tags(&xml[start..end], "xf")
        .map(|t| {
            let id: u32 = attr(t.attrs, "numFmtId")
                .and_then(|v| v.parse().ok())
                .unwrap_or(0);
            matches!(id, 14..=22 | 27..=36 | 45..=47 | 50..=58)
                || custom.iter().any(|(c, d)| *c == id && *d)
        })
        .collect()
}

fn is_date_format(code: &str) -> bool {
    let mut quoted = false;
    let mut bracket = false;
    for c in code.chars() {
        match c {
            '"' => quoted = !quoted,
            '[' => bracket = true,
            ']' => bracket = false,
            'y' | 'Y' | 'd' | 'D' if !quoted && !bracket => return true,
            _ => {}
        }
    }
    code.contains('年') || code.contains('日')
}

/// An Excel date serial (1900 system) as a date.
fn serial_date(v: &str) -> Option<String> {
    let days: f64 = v.parse().ok()?;
    if !(1.0..2_958_466.0).contains(&days) {
        return None;
    }
    // Serial 1 is 1900-01-01; Excel's phantom 1900-02-29 shifts later serials by one.
    let base = chrono::NaiveDate::from_ymd_opt(1899, 12, 30)?;
    let d = days.floor() as i64;
    let d = if d < 60 { d + 1 } else { d };
    Some((base + chrono::Duration::days(d)).to_string())
}

/// Column index of a cell reference (`C7` → 2).
fn column(reference: &str) -> Option<usize> {
    let letters: Vec<u8> = reference
        .bytes()
        .take_while(u8::is_ascii_alphabetic)
        .collect();
    if letters.is_empty() || letters.len() > 3 {
        return None;
    }
    let mut n = 0usize;
    for b in letters {
        n = n * 26 + usize::from(b.to_ascii_uppercase() - b'A' + 1);
    }
    Some(n - 1)
}

fn sheet_rows(
    xml: &str,
    shared: &[String],
    dates: &[bool],
) -> Result<Vec<Vec<String>>, DomainError> {
    let mut rows = Vec::new();
    let Some(start) = xml.find("<sheetData") else {
        return Ok(rows);
    };
    let data = &xml[start..];
    for row in tags(data, "row") {
        if row.empty {
            continue;
        }
        let end = data[row.end..]
            .find("</row>")
            .map_or(data.len(), |e| row.end + e);
        let body = &data[row.end..end];
        let mut cells: Vec<String> = Vec::new();
        for c in tags(body, "c") {
            let col = attr(c.attrs, "r")
                .and_then(|r| column(&r))
                .unwrap_or(cells.len());
            if col > 16_384 {
                return Err(bad("XLSX 文件的列数超出范围"));
            }
            let value = if c.empty {
                String::new()
            } else {
                let close = body[c.end..].find("</c>").map_or(body.len(), |e| c.end + e);
                let inner = &body[c.end..close];
                let v = inner.find("<v>").and_then(|i| {
                    inner[i + 3..]
                        .find("</v>")
                        .map(|j| unescape(&inner[i + 3..i + 3 + j]))
                });
                match attr(c.attrs, "t").as_deref() {
                    Some("s") => v
                        .and_then(|i| i.trim().parse::<usize>().ok())
                        .and_then(|i| shared.get(i).cloned())
                        .unwrap_or_default(),
                    Some("inlineStr") => text_of(inner),
                    Some("str" | "b" | "e") => v.unwrap_or_default(),
                    _ => {
                        let v = v.unwrap_or_default();
                        let style: usize =
                            attr(c.attrs, "s").and_then(|s| s.parse().ok()).unwrap_or(0);
                        if dates.get(style).copied().unwrap_or(false) {
                            serial_date(&v).unwrap_or(v)
                        } else {
                            v
                        }
                    }
                }
            };
            if cells.len() <= col {
                cells.resize(col + 1, String::new());
            }
            cells[col] = value;
        }
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        rows.push(cells);
        if rows.len() > MAX_ROWS + 1 {
            break;
        }
    }
    Ok(rows)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn xlsx_written_here_reads_back() {
        let headers = vec!["决定书文号".to_string(), "内容".to_string()];
        let rows = vec![
            vec![
                "嘉审批〔2026〕1号".to_string(),
                "A & B <c> \"d\"".to_string(),
            ],
            vec!["".to_string(), "第二行".to_string()],
        ];
        let bytes = write_xlsx("清单", &headers, &rows).unwrap();
        let back = read(&bytes, Format::Xlsx).unwrap();
        assert_eq!(back[0], headers);
        assert_eq!(back[1], rows[0]);
        assert_eq!(back[2], rows[1]);
    }

    #[test]
    fn csv_round_trip_with_bom_quotes_and_newlines() {
        let headers = vec!["a".to_string(), "b".to_string()];
        let rows = vec![vec!["x,y".to_string(), "第一行\n第二行 \"引\"".to_string()]];
        let back = read(&write_csv(&headers, &rows), Format::Csv).unwrap();
        assert_eq!(back, vec![headers, rows[0].clone()]);
        assert!(
            read(b"\xb2\xe2\xca\xd4", Format::Csv)
                .unwrap_err()
                .to_string()
                .contains("UTF-8")
        );
        assert!(read(b"", Format::Csv).is_err());
    }

    #[test]
    fn xlsx_dates_inline_strings_and_sparse_cells() {
        let styles = r#"<styleSheet><numFmts><numFmt numFmtId="164" formatCode="yyyy&quot;年&quot;m&quot;月&quot;d&quot;日&quot;"/></numFmts><cellXfs count="3"><xf numFmtId="0"/><xf numFmtId="14"/><xf numFmtId="164"/></cellXfs></styleSheet>"#;
        let dates = date_styles(styles);
        assert_eq!(dates, [false, true, true]);
        let sheet = r#"<worksheet><sheetData><row r="1"><c r="A1" t="inlineStr"><is><t>日期</t></is></c><c r="C1" t="s"><v>0</v></c></row><row r="2"><c r="A2" s="1"><v>46083</v></c><c r="B2"><v>5000</v></c><c r="C2" s="2"><v>45658</v></c></row></sheetData></worksheet>"#;
        let rows = sheet_rows(sheet, &["金额".to_string()], &dates).unwrap();
        assert_eq!(rows[0], ["日期", "", "金额"]);
        assert_eq!(rows[1], ["2026-03-02", "5000", "2025-01-01"]);
    }

    #[test]
    fn rich_text_shared_strings_skip_phonetic_runs() {
        let xml = r#"<sst><si><r><t>嘉市</t></r><r><rPr/><t xml:space="preserve">某某 </t></r><rPh><t>ジア</t></rPh></si><si><t/></si></sst>"#;
        assert_eq!(shared_strings(xml), ["嘉市某某 ", ""]);
    }

    #[test]
    fn garbage_is_a_clear_error() {
        let e = read(b"PK\x03\x04garbage", Format::Xlsx).unwrap_err();
        assert!(e.to_string().contains("XLSX"));
        assert!(Format::of("名单.xls").is_err());
        assert_eq!(Format::of("名单.XLSX").unwrap(), Format::Xlsx);
    }
}
