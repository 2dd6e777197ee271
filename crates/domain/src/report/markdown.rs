//! The report as the body of its 报告 document (Markdown, as every document body): the six
//! sections in order, tables as plain grids. The spanned official layout is the report page's.

use super::tables::{APPEAL_COLUMNS, COLUMNS, Row, appeal_group_key};
use super::{OTHER, OVERVIEW, PROBLEMS, Report};
use crate::request::appeal::AppealKind;

fn cell(c: Option<i64>) -> String {
    c.map_or(String::new(), |n| n.to_string())
}

fn paragraphs(out: &mut String, text: &str) {
    for line in crate::text::paragraphs(text) {
        out.push_str(line);
        out.push_str("\n\n");
    }
}

/// The label of a table 三 row with its group, so a flat grid still reads unambiguously.
pub fn row_title(row: Row) -> String {
    row.key().replace('/', " ")
}

pub fn render(r: &Report) -> String {
    let mut out = String::new();
    let texts = r.texts.clone().unwrap_or_default();
    out.push_str(&format!("## {OVERVIEW}\n\n"));
    paragraphs(&mut out, &texts.overview);

    out.push_str("## 二、主动公开政府信息情况\n\n");
    let t2 = &r.table2;
    out.push_str(
        "| 第二十条第（一）项 | 本年制发件数 | 本年废止件数 | 现行有效件数 |\n|---|---|---|---|\n",
    );
    for (name, d) in [("规章", &t2.rules), ("行政规范性文件", &t2.normative)] {
        out.push_str(&format!(
            "| {name} | {} | {} | {} |\n",
            cell(d.issued),
            cell(d.repealed),
            cell(d.in_force)
        ));
    }
    out.push_str("\n| 第二十条第（五）、（六）项 | 本年处理决定数量 |\n|---|---|\n");
    for (name, n) in [
        ("行政许可", t2.licences),
        ("行政处罚", t2.penalties),
        ("行政强制", t2.coercions),
    ] {
        out.push_str(&format!("| {name} | {} |\n", cell(n)));
    }
    out.push_str(&format!(
        "\n| 第二十条第（八）项 | 本年收费金额（单位：万元） |\n|---|---|\n| 行政事业性收费 | {} |\n\n",
        t2.fees.map_or(String::new(), |f| f.to_string())
    ));

    out.push_str("## 三、收到和处理政府信息公开申请情况\n\n");
    out.push_str(&format!("| 申请人情况 | {} |\n|---|", COLUMNS.join(" | ")));
    out.push_str(&"---|".repeat(COLUMNS.len()));
    out.push('\n');
    for row in Row::all() {
        let cells: Vec<String> = r.table3.line(row).iter().map(|c| cell(*c)).collect();
        out.push_str(&format!("| {} | {} |\n", row_title(row), cells.join(" | ")));
    }
    out.push('\n');

    out.push_str("## 四、政府信息公开行政复议、行政诉讼情况\n\n");
    out.push_str(&format!("| 类别 | {} |\n|---|", APPEAL_COLUMNS.join(" | ")));
    out.push_str(&"---|".repeat(APPEAL_COLUMNS.len()));
    out.push('\n');
    for kind in AppealKind::ALL {
        let cells: Vec<String> = r.table4.group(*kind).iter().map(|c| cell(*c)).collect();
        out.push_str(&format!(
            "| {} | {} |\n",
            appeal_group_key(*kind).replace('/', " "),
            cells.join(" | ")
        ));
    }
    out.push('\n');
    out.push_str(&format!("## {PROBLEMS}\n\n"));
    paragraphs(&mut out, &texts.problems);
    out.push_str(&format!("## {OTHER}\n\n"));
    paragraphs(&mut out, &texts.other);
    out
}
