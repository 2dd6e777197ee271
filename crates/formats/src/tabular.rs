//! Tables in and out: CSV (UTF-8, with the byte-order mark spreadsheet programs need for
//! Chinese) and XLSX. XLSX is read with calamine, which knows what other writers produce
//! (namespace prefixes as .NET tools write them, the 1904 date system, shared and inline
//! strings); a hand-written scanner once refused the first and read the second four years
//! off. Writing uses rust_xlsxwriter with every cell as text, so nothing is read back as a
//! formula or a number.

use gongkai_domain::{DomainError, Field};

use crate::grid::Grid;

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
    write_xlsx_sized(sheet_name, headers, rows, &[])
}

fn xlsx_error(e: rust_xlsxwriter::XlsxError) -> DomainError {
    DomainError::internal(format!("xlsx: {e}"))
}

/// [`write_xlsx`] with some columns wider than the default (a long text column).
pub fn write_xlsx_sized<H: AsRef<str>, R: AsRef<[String]>>(
    sheet_name: &str,
    headers: &[H],
    rows: &[R],
    widths: &[(u16, f64)],
) -> Result<Vec<u8>, DomainError> {
    let mut book = rust_xlsxwriter::Workbook::new();
    let sheet = book.add_worksheet();
    sheet.set_name(sheet_name).map_err(xlsx_error)?;
    let bold = rust_xlsxwriter::Format::new().set_bold();
    for (col, h) in headers.iter().enumerate() {
        sheet
            .write_string_with_format(0, col as u16, h.as_ref(), &bold)
            .map_err(xlsx_error)?;
        let width = widths
            .iter()
            .find(|(c, _)| usize::from(*c) == col)
            .map_or(18.0, |(_, w)| *w);
        sheet
            .set_column_width(col as u16, width)
            .map_err(xlsx_error)?;
    }
    for (r, row) in rows.iter().enumerate() {
        for (col, v) in row.as_ref().iter().enumerate() {
            sheet
                .write_string(r as u32 + 1, col as u16, v)
                .map_err(xlsx_error)?;
        }
    }
    book.save_to_buffer().map_err(xlsx_error)
}

/// Ruled tables (one sheet each, with their merged cells; counts as number cells) and a last
/// sheet of headed texts: the annual report's workbook.
pub fn write_grids_xlsx(
    sheets: &[(&str, &Grid)],
    texts: (&str, &[(&str, &str)]),
) -> Result<Vec<u8>, DomainError> {
    use rust_xlsxwriter::{Format, FormatAlign, FormatBorder, Workbook};
    let err = xlsx_error;
    let mut book = Workbook::new();
    let cell = Format::new()
        .set_border(FormatBorder::Thin)
        .set_align(FormatAlign::Center)
        .set_align(FormatAlign::VerticalCenter)
        .set_text_wrap();
    let bold = cell.clone().set_bold();
    for (name, grid) in sheets {
        let sheet = book.add_worksheet();
        sheet.set_name(*name).map_err(err)?;
        for (i, w) in grid.widths.iter().enumerate() {
            sheet.set_column_width(i as u16, w * 9.0).map_err(err)?;
        }
        for c in &grid.cells {
            let (row, col) = (c.row as u32, c.col as u16);
            let format = if c.header { &bold } else { &cell };
            if c.rowspan > 1 || c.colspan > 1 {
                let (last_row, last_col) = (row + c.rowspan as u32 - 1, col + c.colspan as u16 - 1);
                let label = if c.header { c.text.as_str() } else { "" };
                sheet
                    .merge_range(row, col, last_row, last_col, label, format)
                    .map_err(err)?;
            }
            if c.header {
                if c.rowspan == 1 && c.colspan == 1 {
                    sheet
                        .write_string_with_format(row, col, &c.text, format)
                        .map_err(err)?;
                }
            } else {
                write_number(sheet, row, col, &c.text, format).map_err(err)?;
            }
        }
    }
    let (name, sections) = texts;
    let texts_sheet = book.add_worksheet();
    texts_sheet.set_name(name).map_err(err)?;
    for (i, (k, text)) in sections.iter().enumerate() {
        texts_sheet
            .write_string_with_format(i as u32, 0, *k, &bold)
            .map_err(err)?;
        texts_sheet.write_string(i as u32, 1, *text).map_err(err)?;
    }
    texts_sheet.set_column_width(0, 28).map_err(err)?;
    texts_sheet.set_column_width(1, 100).map_err(err)?;
    book.save_to_buffer().map_err(err)
}

/// A count or amount as a number cell; a blank cell stays blank.
fn write_number(
    sheet: &mut rust_xlsxwriter::Worksheet,
    row: u32,
    col: u16,
    text: &str,
    format: &rust_xlsxwriter::Format,
) -> Result<(), rust_xlsxwriter::XlsxError> {
    match text.parse::<f64>() {
        Ok(n) => sheet
            .write_number_with_format(row, col, n, format)
            .map(drop),
        Err(_) => sheet.write_blank(row, col, format).map(drop),
    }
}

// ---- reading XLSX ----

/// Most bytes one part of the workbook may declare when inflated: a guard against zip bombs,
/// checked before calamine inflates anything.
const MAX_PART: u64 = 256 << 20;

fn check_sizes(bytes: &[u8]) -> Result<(), DomainError> {
    let mut archive = zip::ZipArchive::new(std::io::Cursor::new(bytes))
        .map_err(|_| bad("不是有效的 XLSX 文件"))?;
    let mut total = 0u64;
    for i in 0..archive.len() {
        let file = archive
            .by_index_raw(i)
            .map_err(|_| bad("XLSX 文件已损坏"))?;
        total += file.size();
        if file.size() > MAX_PART || total > 4 * MAX_PART {
            return Err(bad("XLSX 文件过大"));
        }
    }
    Ok(())
}

fn read_xlsx(bytes: &[u8]) -> Result<Vec<Vec<String>>, DomainError> {
    use calamine::Reader;
    check_sizes(bytes)?;
    let mut book = calamine::Xlsx::new(std::io::Cursor::new(bytes))
        .map_err(|e| bad(format!("不是有效的 XLSX 文件({e})")))?;
    let range = match book.worksheet_range_at(0) {
        Some(Ok(r)) => r,
        Some(Err(e)) => return Err(bad(format!("XLSX 文件的第一个工作表无法读取({e})"))),
        None => return Err(bad("XLSX 文件没有工作表")),
    };
    // The range starts at its first used cell; columns keep their place in the sheet.
    let first_col = range.start().map_or(0, |(_, c)| c as usize);
    let mut rows = Vec::new();
    for row in range.rows() {
        let mut cells: Vec<String> = vec![String::new(); first_col];
        cells.extend(row.iter().map(cell_text));
        while cells.last().is_some_and(String::is_empty) {
            cells.pop();
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

/// A cell as the text an importer parses: dates as `YYYY-MM-DD` (with the time when it has
/// one), whole numbers without a decimal point.
fn cell_text(d: &calamine::Data) -> String {
    use calamine::Data;
    match d {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Int(i) => i.to_string(),
        Data::Float(f) => {
            if f.fract() == 0.0 && f.abs() < 1e15 {
                format!("{}", *f as i64)
            } else {
                f.to_string()
            }
        }
        Data::Bool(b) => if *b { "TRUE" } else { "FALSE" }.to_string(),
        Data::DateTime(dt) => {
            let (y, m, day, h, min, sec, _) = dt.to_ymd_hms_milli();
            if (h, min, sec) == (0, 0, 0) {
                format!("{y:04}-{m:02}-{day:02}")
            } else {
                format!("{y:04}-{m:02}-{day:02} {h:02}:{min:02}:{sec:02}")
            }
        }
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.clone(),
        Data::Error(e) => e.to_string(),
    }
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

    /// Workbooks as other programs write them: openpyxl (inline strings, a date format),
    /// the same with the 1904 date system, with every element under an `x:` prefix as .NET
    /// tools write them, and both books saved again by LibreOffice (shared strings)
    /// (`tests/fixtures/make_xlsx.py`).
    #[test]
    fn workbooks_from_other_writers_read_alike() {
        let expected = vec![
            vec!["决定书文号", "当事人", "决定日期", "罚款金额", "备注"],
            vec![
                "嘉市监罚〔2026〕12号",
                "嘉市某某食品有限公司",
                "2030-06-30",
                "5000",
                "A & B <c>",
            ],
            vec!["嘉市监罚〔2026〕13号", "张三丰", "2026-01-30", "1234.5"],
        ];
        for (name, bytes) in [
            (
                "openpyxl",
                &include_bytes!("../tests/fixtures/openpyxl.xlsx")[..],
            ),
            (
                "openpyxl 1904",
                &include_bytes!("../tests/fixtures/openpyxl-1904.xlsx")[..],
            ),
            (
                "namespaced",
                &include_bytes!("../tests/fixtures/namespaced.xlsx")[..],
            ),
        ] {
            let rows = read(bytes, Format::Xlsx).unwrap_or_else(|e| panic!("{name}: {e}"));
            assert_eq!(rows, expected, "{name}");
        }
    }

    #[test]
    fn cells_read_as_importers_expect() {
        use calamine::{Data, ExcelDateTime, ExcelDateTimeType};
        let date = |v, is_1904| {
            cell_text(&Data::DateTime(ExcelDateTime::new(
                v,
                ExcelDateTimeType::DateTime,
                is_1904,
            )))
        };
        assert_eq!(date(46083.0, false), "2026-03-02");
        assert_eq!(
            date(46083.0 - 1462.0, true),
            "2026-03-02",
            "1904 serials are 1,462 days less"
        );
        assert_eq!(date(45658.5, false), "2025-01-01 12:00:00");
        assert_eq!(cell_text(&Data::Float(5000.0)), "5000");
        assert_eq!(cell_text(&Data::Float(0.25)), "0.25");
        assert_eq!(cell_text(&Data::Int(-3)), "-3");
    }

    #[test]
    fn garbage_is_a_clear_error() {
        let e = read(b"PK\x03\x04garbage", Format::Xlsx).unwrap_err();
        assert!(e.to_string().contains("XLSX"));
        assert!(Format::of("名单.xls").is_err());
        assert_eq!(Format::of("名单.XLSX").unwrap(), Format::Xlsx);
    }
}
