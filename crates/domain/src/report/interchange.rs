//! The interchange JSON of `report-json.md`: keys are the official labels, so a person can read
//! the file against a printed report. Reading names every missing or mistyped cell.

use serde_json::{Map, Value, json};

use super::checks::{Finding, Severity};
use super::money::WanYuan;
use super::tables::{
    APPEAL_COLUMNS, COERCIONS, COLUMNS, DECISIONS, DocCounts, FEE_AMOUNT, FEES, IN_FORCE, ISSUED,
    LICENCES, Line, NORMATIVE, PENALTIES, REPEALED, RULES, Row, Table2, Table3, Table4,
    appeal_group_key,
};
use super::{FORMAT_2021, Previous, Report, SECTIONS, Texts};
use crate::request::appeal::AppealKind;

const PREVIOUS_CARRIED: &str = "四、结转下年度继续办理";

fn line_json(line: &Line) -> Value {
    Value::Array(line.iter().map(|c| json!(c)).collect())
}

pub fn to_json(r: &Report) -> Value {
    let t2 = &r.table2;
    let docs =
        |d: &DocCounts| json!({ISSUED: d.issued, REPEALED: d.repealed, IN_FORCE: d.in_force});
    let mut rows = Map::new();
    for row in Row::all() {
        rows.insert(row.key(), line_json(r.table3.line(row)));
    }
    let mut t4 = Map::new();
    for kind in AppealKind::ALL {
        let g = r.table4.group(*kind);
        let cells: Map<String, Value> = APPEAL_COLUMNS
            .iter()
            .zip(g.iter())
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        t4.insert(appeal_group_key(*kind).into(), Value::Object(cells));
    }
    let mut out = json!({
        "format": r.format,
        "agency": r.agency,
        "year": r.year,
        "table2": {
            RULES: docs(&t2.rules),
            NORMATIVE: docs(&t2.normative),
            LICENCES: {DECISIONS: t2.licences},
            PENALTIES: {DECISIONS: t2.penalties},
            COERCIONS: {DECISIONS: t2.coercions},
            FEES: {FEE_AMOUNT: t2.fees.map(|f| f.to_string())},
        },
        "table3": {"columns": COLUMNS, "rows": Value::Object(rows)},
        "table4": Value::Object(t4),
    });
    if let Some(p) = &r.previous {
        out["previous"] = json!({
            PREVIOUS_CARRIED: p.carried_out.as_ref().map(line_json),
            IN_FORCE: {RULES: p.rules_in_force, NORMATIVE: p.normative_in_force},
        });
    }
    if let Some(texts) = &r.texts {
        let m: Map<String, Value> = texts
            .sections()
            .iter()
            .map(|(k, v)| (k.to_string(), json!(v)))
            .collect();
        out["text"] = Value::Object(m);
    }
    out
}

/// Collects every problem of the file instead of stopping at the first.
struct Reader {
    problems: Vec<Finding>,
}

impl Reader {
    fn fail(&mut self, cell: impl Into<String>, message: impl Into<String>) {
        self.problems.push(Finding {
            severity: Severity::Error,
            rule: 1,
            cell: cell.into(),
            message: message.into(),
        });
    }

    fn object<'a>(&mut self, v: Option<&'a Value>, cell: &str) -> Option<&'a Map<String, Value>> {
        match v {
            Some(Value::Object(m)) => Some(m),
            None => {
                self.fail(cell, "缺少此项");
                None
            }
            Some(other) => {
                self.fail(cell, format!("应为对象,实为 {}", kind(other)));
                None
            }
        }
    }

    /// A count: a non-negative integer, or null for a blank cell.
    fn count(&mut self, v: Option<&Value>, cell: &str) -> Option<i64> {
        match v {
            None => {
                self.fail(cell, "缺少此单元格");
                None
            }
            Some(Value::Null) => None,
            Some(Value::Number(n)) => match n.as_i64() {
                Some(i) if i >= 0 => Some(i),
                Some(i) => {
                    self.fail(cell, format!("不能为负数({i})"));
                    None
                }
                None => {
                    self.fail(cell, format!("应为整数件数,实为 {n}"));
                    None
                }
            },
            Some(other) => {
                self.fail(cell, format!("应为整数件数,实为 {}", kind(other)));
                None
            }
        }
    }

    fn line(&mut self, v: Option<&Value>, cell: &str) -> Option<Line> {
        let arr = match v {
            Some(Value::Array(a)) => a,
            None => {
                self.fail(cell, "缺少此行");
                return None;
            }
            Some(other) => {
                self.fail(cell, format!("应为 7 个单元格的数组,实为 {}", kind(other)));
                return None;
            }
        };
        if arr.len() != COLUMNS.len() {
            self.fail(cell, format!("应有 7 个单元格,实有 {} 个", arr.len()));
            return None;
        }
        let mut line = [None; 7];
        for (i, v) in arr.iter().enumerate() {
            line[i] = self.count(Some(v), &format!("{cell}“{}”列", COLUMNS[i]));
        }
        Some(line)
    }

    fn docs(&mut self, t2: Option<&Map<String, Value>>, name: &str) -> DocCounts {
        let cell = format!("表二“{name}”");
        let Some(m) = self.object(t2.and_then(|t| t.get(name)), &cell) else {
            return DocCounts::default();
        };
        DocCounts {
            issued: self.count(m.get(ISSUED), &format!("{cell}“{ISSUED}”")),
            repealed: self.count(m.get(REPEALED), &format!("{cell}“{REPEALED}”")),
            in_force: self.count(m.get(IN_FORCE), &format!("{cell}“{IN_FORCE}”")),
        }
    }

    fn decisions(&mut self, t2: Option<&Map<String, Value>>, name: &str) -> Option<i64> {
        let cell = format!("表二“{name}”");
        let m = self.object(t2.and_then(|t| t.get(name)), &cell)?;
        self.count(m.get(DECISIONS), &format!("{cell}“{DECISIONS}”"))
    }
}

fn kind(v: &Value) -> &'static str {
    match v {
        Value::Null => "空值",
        Value::Bool(_) => "布尔值",
        Value::Number(_) => "数字",
        Value::String(_) => "文字",
        Value::Array(_) => "数组",
        Value::Object(_) => "对象",
    }
}

/// Reads a report file. On any structural problem returns them all (each naming its cell);
/// the arithmetic checks then run on the result.
pub fn from_json(input: &str) -> Result<Report, Vec<Finding>> {
    let mut rd = Reader {
        problems: Vec::new(),
    };
    let root: Value = match serde_json::from_str(input) {
        Ok(v) => v,
        Err(e) => {
            rd.fail(
                format!("第 {} 行第 {} 列", e.line(), e.column()),
                format!("不是有效的 JSON:{e}"),
            );
            return Err(rd.problems);
        }
    };
    let Some(root) = rd.object(Some(&root), "报告") else {
        return Err(rd.problems);
    };
    match root.get("format") {
        Some(Value::String(f)) if f == FORMAT_2021 => {}
        Some(other) => rd.fail(
            "format",
            format!("只支持 2021 年版格式(\"2021\"),实为 {other}"),
        ),
        None => rd.fail("format", "缺少此项"),
    }
    let agency = match root.get("agency") {
        Some(Value::String(s)) if !s.trim().is_empty() => s.trim().to_string(),
        _ => {
            rd.fail("agency", "应为机关名称(文字)");
            String::new()
        }
    };
    let year = match root.get("year").and_then(Value::as_i64) {
        Some(y) if (2021..=2100).contains(&y) => y as i32,
        _ => {
            rd.fail("year", "应为 2021 年及以后的年份(整数)");
            0
        }
    };

    let t2 = rd.object(root.get("table2"), "表二");
    let fees = match t2.map(|t| t.get(FEES)) {
        Some(Some(Value::Object(m))) => match m.get(FEE_AMOUNT) {
            Some(Value::Null) => None,
            Some(Value::String(s)) => WanYuan::parse(s)
                .map_err(|e| rd.fail(format!("表二“{FEES}”“{FEE_AMOUNT}”"), e))
                .ok(),
            Some(Value::Number(n)) => WanYuan::parse(&n.to_string())
                .map_err(|e| rd.fail(format!("表二“{FEES}”“{FEE_AMOUNT}”"), e))
                .ok(),
            Some(other) => {
                rd.fail(
                    format!("表二“{FEES}”“{FEE_AMOUNT}”"),
                    format!("应为金额文字(如 \"12.5\"),实为 {}", kind(other)),
                );
                None
            }
            None => {
                rd.fail(format!("表二“{FEES}”“{FEE_AMOUNT}”"), "缺少此单元格");
                None
            }
        },
        Some(other) => {
            rd.object(other, &format!("表二“{FEES}”"));
            None
        }
        None => None,
    };
    let table2 = Table2 {
        rules: rd.docs(t2, RULES),
        normative: rd.docs(t2, NORMATIVE),
        licences: rd.decisions(t2, LICENCES),
        penalties: rd.decisions(t2, PENALTIES),
        coercions: rd.decisions(t2, COERCIONS),
        fees,
    };

    let mut table3 = Table3::default();
    if let Some(t3) = rd.object(root.get("table3"), "表三") {
        if let Some(cols) = t3.get("columns") {
            let expected: Vec<Value> = COLUMNS.iter().map(|c| json!(c)).collect();
            if cols.as_array() != Some(&expected) {
                rd.fail("表三“columns”", format!("列应为 {}", COLUMNS.join("、")));
            }
        }
        if let Some(rows) = rd.object(t3.get("rows"), "表三“rows”") {
            let known: Vec<String> = Row::all().iter().map(|r| r.key()).collect();
            for key in rows.keys() {
                if !known.contains(key) {
                    rd.fail(format!("表三“{key}”"), "不是 2021 年版格式的行");
                }
            }
            for row in Row::all() {
                let cell = format!("表三“{}”行", row.key());
                if let Some(line) = rd.line(rows.get(&row.key()), &cell) {
                    table3.cells[row.index()] = line;
                } else {
                    table3.cells[row.index()] = [None; 7];
                }
            }
        }
    }

    let mut table4 = Table4::default();
    if let Some(t4) = rd.object(root.get("table4"), "表四") {
        for kind in AppealKind::ALL {
            let name = appeal_group_key(*kind);
            let cell = format!("表四“{name}”");
            let group = table4.group_mut(*kind);
            match rd.object(t4.get(name), &cell) {
                Some(m) => {
                    for (i, col) in APPEAL_COLUMNS.iter().enumerate() {
                        group[i] = rd.count(m.get(*col), &format!("{cell}“{col}”"));
                    }
                }
                None => *group = [None; 5],
            }
        }
    }

    let previous = match root.get("previous") {
        None | Some(Value::Null) => None,
        Some(p) => rd.object(Some(p), "previous").map(|p| {
            let carried_out = match p.get(PREVIOUS_CARRIED) {
                None | Some(Value::Null) => None,
                v => rd.line(v, &format!("previous“{PREVIOUS_CARRIED}”")),
            };
            let (mut rules, mut normative) = (None, None);
            match p.get(IN_FORCE) {
                None | Some(Value::Null) => {}
                v => {
                    if let Some(m) = rd.object(v, &format!("previous“{IN_FORCE}”")) {
                        for (name, slot) in [(RULES, &mut rules), (NORMATIVE, &mut normative)] {
                            if m.contains_key(name) {
                                *slot =
                                    rd.count(m.get(name), &format!("previous“{IN_FORCE}”“{name}”"));
                            }
                        }
                    }
                }
            }
            Previous {
                carried_out,
                rules_in_force: rules,
                normative_in_force: normative,
            }
        }),
    };

    let texts = match root.get("text") {
        None | Some(Value::Null) => None,
        Some(t) => rd.object(Some(t), "text").map(|m| {
            let mut texts = Texts::default();
            for key in m.keys() {
                if !SECTIONS.contains(&key.as_str()) {
                    rd.fail(
                        format!("text“{key}”"),
                        format!("应为 {}", SECTIONS.join("、")),
                    );
                }
            }
            for (key, slot) in [
                (SECTIONS[0], &mut texts.overview),
                (SECTIONS[1], &mut texts.problems),
                (SECTIONS[2], &mut texts.other),
            ] {
                match m.get(key) {
                    None | Some(Value::Null) => {}
                    Some(Value::String(s)) => *slot = s.clone(),
                    Some(other) => rd.fail(
                        format!("text“{key}”"),
                        format!("应为文字,实为 {}", kind(other)),
                    ),
                }
            }
            texts
        }),
    };

    if !rd.problems.is_empty() {
        return Err(rd.problems);
    }
    Ok(Report {
        format: FORMAT_2021.into(),
        agency,
        year,
        table2,
        table3,
        table4,
        previous,
        texts,
    })
}
