//! The cross-checks of `report-json.md` (the format's 勾稽关系 and the sums it implies). Each
//! failure names the cell — table, row and column — and says what it should be.

use std::fmt;

use serde::Serialize;

use super::Report;
use super::stated;
use super::tables::{
    APPEAL_COLUMNS, COLUMNS, IN_FORCE, NORMATIVE, RULES, Row, TOTAL_COLUMN, appeal_group_key,
};
use crate::request::Outcome;
use crate::request::appeal::AppealKind;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Error,
    Warning,
}

/// One failed check.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Finding {
    pub severity: Severity,
    /// The check's number in `report-json.md` (1–7).
    pub rule: u8,
    /// Where: e.g. `表三 “（七）总计” 行 “自然人” 列`.
    pub cell: String,
    pub message: String,
}

impl fmt::Display for Finding {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}:{}", self.cell, self.message)
    }
}

pub fn cell3(row: Row, column: usize) -> String {
    format!("表三“{}”行“{}”列", row.key(), COLUMNS[column])
}

fn error(rule: u8, cell: String, message: String) -> Finding {
    Finding {
        severity: Severity::Error,
        rule,
        cell,
        message,
    }
}

/// Runs every check; an empty list means the report is consistent.
pub fn check(r: &Report) -> Vec<Finding> {
    let mut out = Vec::new();
    let t = &r.table3;
    let rows = Row::all();

    // 1. Blank cells are allowed but reported (negative values cannot be parsed or stored).
    for row in &rows {
        for (col, cell) in t.line(*row).iter().enumerate() {
            match cell {
                None => out.push(Finding {
                    severity: Severity::Warning,
                    rule: 1,
                    cell: cell3(*row, col),
                    message: "空白单元格,按 0 计算".into(),
                }),
                Some(n) if *n < 0 => {
                    out.push(error(1, cell3(*row, col), format!("不能为负数({n})")))
                }
                _ => {}
            }
        }
    }
    let v = |row: Row, col: usize| t.get(row, col).unwrap_or(0);

    // 2. 总计 = the six applicant columns.
    for row in &rows {
        let sum: i64 = (0..TOTAL_COLUMN).map(|c| v(*row, c)).sum();
        if v(*row, TOTAL_COLUMN) != sum {
            out.push(error(
                2,
                cell3(*row, TOTAL_COLUMN),
                format!("总计为 {},而六类申请人之和为 {sum}", v(*row, TOTAL_COLUMN)),
            ));
        }
    }

    for col in 0..COLUMNS.len() {
        // 3. （七）总计 = every outcome row.
        let outcomes: i64 = Outcome::all()
            .into_iter()
            .map(|o| v(Row::Outcome(o), col))
            .sum();
        if v(Row::Total, col) != outcomes {
            out.push(error(
                3,
                cell3(Row::Total, col),
                format!(
                    "（七）总计为 {},而（一）至（六）各项之和为 {outcomes}",
                    v(Row::Total, col)
                ),
            ));
        }
        // 4. 一 + 二 = 三（七） + 四.
        let left = v(Row::New, col) + v(Row::CarriedIn, col);
        let right = v(Row::Total, col) + v(Row::CarriedOut, col);
        if left != right {
            out.push(error(
                4,
                cell3(Row::CarriedOut, col),
                format!(
                    "第一项加第二项为 {left}({} + {}),第三项（七）总计加第四项为 {right}({} + {}),二者应相等",
                    v(Row::New, col),
                    v(Row::CarriedIn, col),
                    v(Row::Total, col),
                    v(Row::CarriedOut, col)
                ),
            ));
        }
    }

    // 5. Table 四: 总计 = 维持 + 纠正 + 其他 + 尚未审结.
    for kind in AppealKind::ALL {
        let g = r.table4.group(*kind);
        for (i, cell) in g.iter().enumerate() {
            if cell.is_none() {
                out.push(Finding {
                    severity: Severity::Warning,
                    rule: 1,
                    cell: format!("表四“{}”“{}”", appeal_group_key(*kind), APPEAL_COLUMNS[i]),
                    message: "空白单元格,按 0 计算".into(),
                });
            }
        }
        let sum: i64 = g[..4].iter().map(|c| c.unwrap_or(0)).sum();
        let total = g[4].unwrap_or(0);
        if total != sum {
            out.push(error(
                5,
                format!("表四“{}”“总计”", appeal_group_key(*kind)),
                format!("总计为 {total},而结果维持、结果纠正、其他结果、尚未审结之和为 {sum}"),
            ));
        }
    }

    // 6. Continuity with last year.
    if let Some(p) = &r.previous {
        if let Some(prev) = &p.carried_out {
            for (col, prev_cell) in prev.iter().enumerate() {
                let last = prev_cell.unwrap_or(0);
                if v(Row::CarriedIn, col) != last {
                    out.push(error(
                        6,
                        cell3(Row::CarriedIn, col),
                        format!(
                            "上年结转为 {},而上一年度报告“结转下年度继续办理”为 {last}",
                            v(Row::CarriedIn, col)
                        ),
                    ));
                }
            }
        }
        for (name, counts, prev) in [
            (RULES, &r.table2.rules, p.rules_in_force),
            (NORMATIVE, &r.table2.normative, p.normative_in_force),
        ] {
            let Some(prev) = prev else { continue };
            let expected = prev + counts.issued.unwrap_or(0) - counts.repealed.unwrap_or(0);
            let stated = counts.in_force.unwrap_or(0);
            if stated != expected {
                out.push(error(
                    6,
                    format!("表二“{name}”“{IN_FORCE}”"),
                    format!(
                        "现行有效为 {stated},而上年现行有效 {prev} + 本年制发 {} − 本年废止 {} = {expected}",
                        counts.issued.unwrap_or(0),
                        counts.repealed.unwrap_or(0)
                    ),
                ));
            }
        }
    }

    // 7. What the text states agrees with the tables.
    if let Some(texts) = &r.texts {
        for (section, text) in texts.sections() {
            out.extend(stated::check_text(section, text, t));
        }
    }
    out
}
