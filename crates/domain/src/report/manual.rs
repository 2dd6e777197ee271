//! Figures of table 二 that the platform holds no records for (行政许可, 行政处罚, 行政强制
//! decisions and 行政事业性收费), entered by staff with where each came from — a report must
//! say its source, and the office can ask for it.

use serde::{Deserialize, Serialize};

use super::money::WanYuan;
use crate::error::{DomainError, Field};

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Entered {
    /// A count, or for the fee line the amount in yuan.
    pub value: i64,
    pub source: String,
}

#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ManualFigures {
    pub licences: Option<Entered>,
    pub penalties: Option<Entered>,
    pub coercions: Option<Entered>,
    /// In yuan (shown in 万元).
    pub fees: Option<Entered>,
}

pub const LICENCES: Field = Field::new("licences", "行政许可本年处理决定数量");
pub const PENALTIES: Field = Field::new("penalties", "行政处罚本年处理决定数量");
pub const COERCIONS: Field = Field::new("coercions", "行政强制本年处理决定数量");
pub const FEES: Field = Field::new("fees", "行政事业性收费本年收费金额（万元）");

fn source(input: &str, field: Field) -> Result<String, DomainError> {
    let s = crate::text::bounded(input, field, 0, 200)?;
    if s.is_empty() {
        return Err(DomainError::invalid(
            field,
            format!(
                "请注明{}的数据来源(如“区市场监管局 2025 年执法统计”)",
                field.label
            ),
        ));
    }
    Ok(s)
}

fn count(value: &str, src: &str, field: Field) -> Result<Option<Entered>, DomainError> {
    let v = value.trim();
    if v.is_empty() {
        return Ok(None);
    }
    let n: i64 = v.parse().map_err(|_| {
        DomainError::invalid(
            field,
            format!("{}应为不小于 0 的整数,而不是“{v}”", field.label),
        )
    })?;
    if n < 0 {
        return Err(DomainError::invalid(
            field,
            format!("{}不能为负数({n})", field.label),
        ));
    }
    Ok(Some(Entered {
        value: n,
        source: source(src, field)?,
    }))
}

impl ManualFigures {
    /// Each pair is (value, source); an empty value leaves the cell blank.
    pub fn parse(
        licences: (&str, &str),
        penalties: (&str, &str),
        coercions: (&str, &str),
        fees: (&str, &str),
    ) -> Result<Self, DomainError> {
        let fee = match fees.0.trim() {
            "" => None,
            v => {
                let w = WanYuan::parse(v).map_err(|e| DomainError::invalid(FEES, e))?;
                Some(Entered {
                    value: w.yuan,
                    source: source(fees.1, FEES)?,
                })
            }
        };
        Ok(ManualFigures {
            licences: count(licences.0, licences.1, LICENCES)?,
            penalties: count(penalties.0, penalties.1, PENALTIES)?,
            coercions: count(coercions.0, coercions.1, COERCIONS)?,
            fees: fee,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn figures_need_a_number_and_a_source() {
        let ok = ManualFigures::parse(
            ("1573", "区政务服务中心"),
            ("", ""),
            ("0", "区城管执法局"),
            ("72701.2578", "区财政局非税收入统计"),
        )
        .unwrap();
        assert_eq!(ok.licences.unwrap().value, 1573);
        assert_eq!(ok.penalties, None);
        assert_eq!(ok.fees.unwrap().value, 727_012_578);
        for (input, field) in [
            (("-5", "x"), ("", ""), ("", ""), ("", "")),
            (("五", "x"), ("", ""), ("", ""), ("", "")),
            (("5", " "), ("", ""), ("", ""), ("", "")),
            (("", ""), ("", ""), ("", ""), ("1.23456", "财政局")),
        ]
        .into_iter()
        .zip(["licences", "licences", "licences", "fees"])
        {
            let e = ManualFigures::parse(input.0, input.1, input.2, input.3).unwrap_err();
            assert_eq!(e.field().unwrap().name, field, "{e}");
        }
        let e = ManualFigures::parse(("-5", "x"), ("", ""), ("", ""), ("", "")).unwrap_err();
        assert!(e.to_string().contains("不能为负数"), "{e}");
    }
}
