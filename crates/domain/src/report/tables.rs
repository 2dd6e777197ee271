//! The three tables of the 2021 format (国办公开办函〔2021〕30号): their rows, columns and
//! official labels, and how plain counts become table cells. Cells are `Option<i64>`: an
//! imported report may leave a cell blank, which the checks report.

use serde::Serialize;

use super::money::WanYuan;
use crate::request::appeal::{AppealKind, AppealResult};
use crate::request::{ApplicantKind, Outcome};

/// The seven numeric columns of table 三, 总计 last.
pub const COLUMNS: [&str; 7] = [
    "自然人",
    "商业企业",
    "科研机构",
    "社会公益组织",
    "法律服务机构",
    "其他",
    "总计",
];
pub const TOTAL_COLUMN: usize = 6;

/// The column an applicant is counted in (其他组织 is the format's 其他).
pub fn column_of(kind: ApplicantKind) -> usize {
    match kind {
        ApplicantKind::Person => 0,
        ApplicantKind::Business => 1,
        ApplicantKind::Research => 2,
        ApplicantKind::NonProfit => 3,
        ApplicantKind::LegalService => 4,
        ApplicantKind::OtherOrganisation => 5,
    }
}

/// The applicants a column of table 三 counts: one kind, or every kind (`None`) for 总计.
pub fn applicants_of_column(column: usize) -> Result<Option<ApplicantKind>, crate::DomainError> {
    if column == TOTAL_COLUMN {
        return Ok(None);
    }
    ApplicantKind::ALL
        .iter()
        .copied()
        .find(|a| column_of(*a) == column)
        .map(Some)
        .ok_or_else(|| crate::DomainError::invalid(crate::Field::new("column", "列"), "没有这一列"))
}

/// A row of table 三.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Row {
    /// 一、本年新收政府信息公开申请数量
    New,
    /// 二、上年结转政府信息公开申请数量
    CarriedIn,
    /// One of the 21 outcome rows under 三、本年度办理结果.
    Outcome(Outcome),
    /// （七）总计
    Total,
    /// 四、结转下年度继续办理
    CarriedOut,
}

impl Row {
    /// The 25 rows in the order of the table.
    pub fn all() -> Vec<Row> {
        let mut rows = vec![Row::New, Row::CarriedIn];
        rows.extend(Outcome::all().into_iter().map(Row::Outcome));
        rows.push(Row::Total);
        rows.push(Row::CarriedOut);
        rows
    }

    pub fn index(self) -> usize {
        match self {
            Row::New => 0,
            Row::CarriedIn => 1,
            Row::Outcome(o) => {
                2 + Outcome::all()
                    .iter()
                    .position(|x| *x == o)
                    // Outcome::all lists every outcome (unit-tested in outcome.rs).
                    .expect("every outcome is a row")
            }
            Row::Total => 23,
            Row::CarriedOut => 24,
        }
    }

    /// The key of the row in the interchange JSON (`report-json.md`): the official label, a
    /// sub-row prefixed by its group, e.g. `（三）不予公开/1.属于国家秘密`.
    pub fn key(self) -> String {
        match self {
            Row::New => "一、本年新收政府信息公开申请数量".into(),
            Row::CarriedIn => "二、上年结转政府信息公开申请数量".into(),
            Row::Outcome(o @ (Outcome::Disclosed | Outcome::PartlyDisclosed)) => o.group().into(),
            Row::Outcome(o) => format!("{}/{}", o.group(), o.row_label()),
            Row::Total => "（七）总计".into(),
            Row::CarriedOut => "四、结转下年度继续办理".into(),
        }
    }

    /// The label printed in the row's own cell.
    pub fn label(self) -> &'static str {
        match self {
            Row::New => "一、本年新收政府信息公开申请数量",
            Row::CarriedIn => "二、上年结转政府信息公开申请数量",
            Row::Outcome(o) => o.row_label(),
            Row::Total => "（七）总计",
            Row::CarriedOut => "四、结转下年度继续办理",
        }
    }

    /// A stable code for URLs (drill-down): `new`, `carried_in`, an outcome's code, `total`,
    /// `carried_out`.
    pub fn code(self) -> String {
        match self {
            Row::New => "new".into(),
            Row::CarriedIn => "carried_in".into(),
            Row::Outcome(o) => o.code(),
            Row::Total => "total".into(),
            Row::CarriedOut => "carried_out".into(),
        }
    }

    pub fn parse_code(code: &str) -> Option<Row> {
        Row::all().into_iter().find(|r| r.code() == code)
    }
}

/// A cell of table 三 named by a drill-down link: the row's code and the column's index.
pub fn cell(row: &str, col: &str) -> Result<(Row, usize), crate::DomainError> {
    let bad = |what: &str| {
        crate::DomainError::invalid(
            crate::Field::new("cell", "单元格"),
            format!("没有这一{what}"),
        )
    };
    let row = Row::parse_code(row.trim()).ok_or_else(|| bad("行"))?;
    let col = crate::input::number::<usize>(col, crate::Field::new("cell", "单元格"), "")
        .ok()
        .filter(|c| *c < COLUMNS.len())
        .ok_or_else(|| bad("列"))?;
    Ok((row, col))
}

pub type Line = [Option<i64>; 7];

/// Table 三 收到和处理政府信息公开申请情况: 25 rows × 7 columns.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Table3 {
    pub cells: Vec<Line>,
}

impl Default for Table3 {
    fn default() -> Self {
        Table3 {
            cells: vec![[Some(0); 7]; 25],
        }
    }
}

/// What the store counts for table 三: requests per row (new, carried in, each outcome,
/// carried out) and applicant kind. The 总计 column and the （七）总计 row are sums.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct RequestCounts {
    pub counts: Vec<(Row, ApplicantKind, i64)>,
}

impl Table3 {
    pub fn get(&self, row: Row, column: usize) -> Option<i64> {
        self.cells[row.index()][column]
    }

    pub fn line(&self, row: Row) -> &Line {
        &self.cells[row.index()]
    }

    /// Builds the table from counts. The store counts the carried-out row independently of the
    /// others, so the 勾稽关系 check still tests that the records add up.
    pub fn from_counts(c: &RequestCounts) -> Table3 {
        let mut t = Table3::default();
        for (row, kind, n) in &c.counts {
            if *row == Row::Total {
                continue;
            }
            let cell = &mut t.cells[row.index()][column_of(*kind)];
            *cell = Some(cell.unwrap_or(0) + n);
        }
        let outcome_rows: Vec<usize> = Outcome::all()
            .into_iter()
            .map(|o| Row::Outcome(o).index())
            .collect();
        for col in 0..TOTAL_COLUMN {
            let sum = outcome_rows
                .iter()
                .map(|r| t.cells[*r][col].unwrap_or(0))
                .sum();
            t.cells[Row::Total.index()][col] = Some(sum);
        }
        for line in &mut t.cells {
            line[TOTAL_COLUMN] = Some(line[..TOTAL_COLUMN].iter().map(|c| c.unwrap_or(0)).sum());
        }
        t
    }

    /// The sum of a group's rows (e.g. every 不予公开 ground) in one column.
    pub fn group_sum(&self, group: &str, column: usize) -> i64 {
        Outcome::all()
            .into_iter()
            .filter(|o| o.group() == group)
            .map(|o| self.get(Row::Outcome(o), column).unwrap_or(0))
            .sum()
    }
}

/// The columns of table 四, 总计 last.
pub const APPEAL_COLUMNS: [&str; 5] = ["结果维持", "结果纠正", "其他结果", "尚未审结", "总计"];

pub fn appeal_group_key(kind: AppealKind) -> &'static str {
    match kind {
        AppealKind::Review => "行政复议",
        AppealKind::LawsuitDirect => "行政诉讼/未经复议直接起诉",
        AppealKind::LawsuitAfterReview => "行政诉讼/复议后起诉",
    }
}

/// The results in the order of table 四's columns (总计 follows).
pub const APPEAL_RESULTS: [AppealResult; 4] = [
    AppealResult::Upheld,
    AppealResult::Corrected,
    AppealResult::Other,
    AppealResult::Pending,
];

/// An exhaustive match, so a new result cannot be forgotten; the unit test keeps it in step
/// with [`APPEAL_RESULTS`].
pub fn appeal_column(result: AppealResult) -> usize {
    match result {
        AppealResult::Upheld => 0,
        AppealResult::Corrected => 1,
        AppealResult::Other => 2,
        AppealResult::Pending => 3,
    }
}

fn appeal_index(kind: AppealKind) -> usize {
    match kind {
        AppealKind::Review => 0,
        AppealKind::LawsuitDirect => 1,
        AppealKind::LawsuitAfterReview => 2,
    }
}

/// Table 四 政府信息公开行政复议、行政诉讼情况: three groups of five cells.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Table4 {
    pub groups: [[Option<i64>; 5]; 3],
}

impl Default for Table4 {
    fn default() -> Self {
        Table4 {
            groups: [[Some(0); 5]; 3],
        }
    }
}

impl Table4 {
    pub fn from_counts(counts: &[(AppealKind, AppealResult, i64)]) -> Table4 {
        let mut t = Table4::default();
        for (kind, result, n) in counts {
            let cell = &mut t.groups[appeal_index(*kind)][appeal_column(*result)];
            *cell = Some(cell.unwrap_or(0) + n);
        }
        for g in &mut t.groups {
            g[4] = Some(g[..4].iter().map(|c| c.unwrap_or(0)).sum());
        }
        t
    }

    pub fn group(&self, kind: AppealKind) -> &[Option<i64>; 5] {
        &self.groups[appeal_index(kind)]
    }

    pub fn group_mut(&mut self, kind: AppealKind) -> &mut [Option<i64>; 5] {
        &mut self.groups[appeal_index(kind)]
    }
}

/// 第二十条第（一）项: 规章 or 行政规范性文件.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DocCounts {
    pub issued: Option<i64>,
    pub repealed: Option<i64>,
    pub in_force: Option<i64>,
}

/// Table 二 主动公开政府信息情况.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Table2 {
    pub rules: DocCounts,
    pub normative: DocCounts,
    /// 行政许可 本年处理决定数量
    pub licences: Option<i64>,
    /// 行政处罚
    pub penalties: Option<i64>,
    /// 行政强制
    pub coercions: Option<i64>,
    /// 行政事业性收费 本年收费金额（万元）
    pub fees: Option<WanYuan>,
}

pub const RULES: &str = "规章";
pub const NORMATIVE: &str = "行政规范性文件";
pub const LICENCES: &str = "行政许可";
pub const PENALTIES: &str = "行政处罚";
pub const COERCIONS: &str = "行政强制";
pub const FEES: &str = "行政事业性收费";
pub const ISSUED: &str = "本年制发件数";
pub const REPEALED: &str = "本年废止件数";
pub const IN_FORCE: &str = "现行有效件数";
pub const DECISIONS: &str = "本年处理决定数量";
pub const FEE_AMOUNT: &str = "本年收费金额（万元）";

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rows_keys_and_codes_are_distinct_and_in_order() {
        let rows = Row::all();
        assert_eq!(rows.len(), 25);
        for (i, r) in rows.iter().enumerate() {
            assert_eq!(r.index(), i);
            assert_eq!(Row::parse_code(&r.code()), Some(*r));
        }
        let keys: std::collections::HashSet<String> = rows.iter().map(|r| r.key()).collect();
        assert_eq!(keys.len(), 25);
        assert_eq!(rows[4].key(), "（三）不予公开/1.属于国家秘密");
        assert_eq!(
            rows[22].key(),
            "（六）其他处理/3.其他",
            "the last outcome row"
        );
        assert_eq!(rows[3].key(), "（二）部分公开");
    }

    #[test]
    fn every_appeal_result_has_its_column() {
        assert_eq!(AppealResult::ALL.len(), APPEAL_RESULTS.len());
        for (i, r) in APPEAL_RESULTS.iter().enumerate() {
            assert_eq!(appeal_column(*r), i);
            assert_eq!(r.label(), APPEAL_COLUMNS[i]);
        }
    }

    #[test]
    fn counts_become_cells_with_sums() {
        let c = RequestCounts {
            counts: vec![
                (Row::New, ApplicantKind::Person, 3),
                (Row::New, ApplicantKind::Business, 1),
                (Row::Outcome(Outcome::Disclosed), ApplicantKind::Person, 2),
                (
                    Row::Outcome(Outcome::PartlyDisclosed),
                    ApplicantKind::Business,
                    1,
                ),
                (Row::CarriedOut, ApplicantKind::Person, 1),
            ],
        };
        let t = Table3::from_counts(&c);
        assert_eq!(t.line(Row::New), &[3, 1, 0, 0, 0, 0, 4].map(Some));
        assert_eq!(t.line(Row::Total), &[2, 1, 0, 0, 0, 0, 3].map(Some));
        assert_eq!(t.get(Row::CarriedOut, TOTAL_COLUMN), Some(1));
    }
}
