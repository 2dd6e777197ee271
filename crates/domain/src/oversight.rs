//! The disclosure office's score sheet: per agency, what is overdue or due soon, scored by
//! weights the office sets, and the weight 政务公开 carries in the government's performance
//! assessment (the seeds ask for at least 4%).

use serde::{Deserialize, Serialize};

use crate::error::{DomainError, Field};

/// What one agency has outstanding today.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Indicators {
    pub publications_overdue: u32,
    pub requests_overdue: u32,
    pub requests_due_soon: u32,
    /// Requests whose applicant let a 补正 or fee deadline pass, not yet closed.
    pub requests_to_close: u32,
    /// Policies of this year needing an interpretation, and those that have one.
    pub policies: u32,
    pub interpreted: u32,
    pub feedback_reports_overdue: u32,
    pub feedback_reports_due: u32,
    pub messages_overdue: u32,
    /// Valid messages unanswered beyond three months (a single-veto item).
    pub messages_stale: u32,
    /// Catalogue columns empty or not updated within their cadence.
    pub columns_stale: u32,
    /// Typed-list items past a limit: drafts not published in time, reviews overdue, datasets
    /// past their update frequency, budget disclosures incomplete or late, withholding grounds
    /// on no negative-list item.
    pub lists_overdue: u32,
    /// Typed-list items coming due (negative-list reviews within the notice period).
    pub lists_due_soon: u32,
}

/// The six scored items, in order.
pub const ITEMS: [&str; 6] = [
    "主动公开时效",
    "依申请公开办理",
    "政策解读",
    "意见征集反馈",
    "留言办理",
    "公开目录和清单",
];

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Weights {
    /// Points of each item, summing to 100.
    pub items: [u32; 6],
    /// 政务公开's share of the government's performance assessment, in tenths of a percent
    /// (40 = 4.0%).
    pub assessment_permille: u32,
}

impl Default for Weights {
    fn default() -> Self {
        Weights {
            items: [20, 25, 15, 10, 20, 10],
            assessment_permille: 40,
        }
    }
}

pub const WEIGHTS_FIELD: Field = Field::new("weights", "权重");
pub const ASSESSMENT_FIELD: Field = Field::new("assessment", "绩效考核权重");

impl Weights {
    /// Six whole numbers summing to 100, and the assessment share in percent (at least 4,
    /// at most 100, one decimal).
    pub fn parse(items: [&str; 6], assessment_percent: &str) -> Result<Self, DomainError> {
        let mut out = [0u32; 6];
        for (i, s) in items.iter().enumerate() {
            out[i] = s
                .trim()
                .parse::<u32>()
                .ok()
                .filter(|n| *n <= 100)
                .ok_or_else(|| {
                    DomainError::invalid(
                        WEIGHTS_FIELD,
                        format!(
                            "“{}”的权重应为 0 到 100 的整数,而不是“{}”",
                            ITEMS[i],
                            s.trim()
                        ),
                    )
                })?;
        }
        let sum: u32 = out.iter().sum();
        if sum != 100 {
            return Err(DomainError::invalid(
                WEIGHTS_FIELD,
                format!("各项权重之和应为 100,现为 {sum}"),
            ));
        }
        let a = assessment_percent.trim();
        let permille = a
            .parse::<f64>()
            .ok()
            .filter(|p| p.is_finite())
            .map(|p| (p * 10.0).round())
            .filter(|p| (0.0..=1000.0).contains(p))
            .ok_or_else(|| DomainError::invalid(ASSESSMENT_FIELD, format!("“{a}”不是百分比数值")))?
            as u32;
        if permille < 40 {
            return Err(DomainError::invalid(
                ASSESSMENT_FIELD,
                "政务公开在绩效考核中的权重不得低于 4%",
            ));
        }
        Ok(Weights {
            items: out,
            assessment_permille: permille,
        })
    }

    pub fn assessment_percent(&self) -> String {
        format!(
            "{}.{}",
            self.assessment_permille / 10,
            self.assessment_permille % 10
        )
    }
}

/// One scored item of an agency.
#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Item {
    pub name: &'static str,
    pub weight: u32,
    /// 0–100.
    pub score: f64,
    pub detail: String,
}

#[derive(Clone, Debug, PartialEq, Serialize)]
pub struct Sheet {
    pub items: Vec<Item>,
    /// Weighted, 0–100.
    pub total: f64,
    /// What the total contributes to the performance assessment, in points of 100.
    pub assessment_points: f64,
}

fn less(per: u32, n: u32) -> f64 {
    (100.0 - f64::from(per) * f64::from(n)).max(0.0)
}

/// Each item starts at 100 and loses points per outstanding case; the interpretation item is
/// the share of policies interpreted.
pub fn score(i: &Indicators, w: &Weights) -> Sheet {
    let interpretation = if i.policies == 0 {
        100.0
    } else {
        f64::from(i.interpreted.min(i.policies)) * 100.0 / f64::from(i.policies)
    };
    let scores = [
        (
            less(10, i.publications_overdue),
            format!("超期未发布 {} 件", i.publications_overdue),
        ),
        (
            less(20, i.requests_overdue),
            format!(
                "超期未答复 {} 件,即将到期 {} 件,逾期未补正/未缴费待办结 {} 件",
                i.requests_overdue, i.requests_due_soon, i.requests_to_close
            ),
        ),
        (
            interpretation,
            format!("应解读政策 {} 件,已解读 {} 件", i.policies, i.interpreted),
        ),
        (
            less(25, i.feedback_reports_overdue),
            format!(
                "反馈报告超期 {} 件,待发布 {} 件",
                i.feedback_reports_overdue, i.feedback_reports_due
            ),
        ),
        (
            // A message unanswered beyond three months fails the inspection outright.
            if i.messages_stale > 0 {
                0.0
            } else {
                less(20, i.messages_overdue)
            },
            format!(
                "超期未回复 {} 条,超过 3 个月未回复 {} 条",
                i.messages_overdue, i.messages_stale
            ),
        ),
        (
            less(10, i.columns_stale + i.lists_overdue),
            format!(
                "空白或未按期更新的栏目 {} 个,清单逾期 {} 项",
                i.columns_stale, i.lists_overdue
            ),
        ),
    ];
    let items: Vec<Item> = scores
        .into_iter()
        .enumerate()
        .map(|(k, (score, detail))| Item {
            name: ITEMS[k],
            weight: w.items[k],
            score,
            detail,
        })
        .collect();
    let total = items
        .iter()
        .map(|it| it.score * f64::from(it.weight) / 100.0)
        .sum::<f64>();
    Sheet {
        assessment_points: total * f64::from(w.assessment_permille) / 1000.0,
        items,
        total,
    }
}

/// The `n` calendar months up to and including today's, oldest first, as [start, next start).
pub fn last_months(
    today: chrono::NaiveDate,
    n: u32,
) -> Vec<(chrono::NaiveDate, chrono::NaiveDate)> {
    use chrono::{Datelike, Months};
    let Some(this) = today.with_day(1) else {
        return Vec::new();
    };
    (0..n)
        .rev()
        .filter_map(|k| {
            let start = this.checked_sub_months(Months::new(k))?;
            Some((start, start.checked_add_months(Months::new(1))?))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn months_run_oldest_first_across_the_year_end() {
        let d = |s: &str| chrono::NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap();
        let m = last_months(d("2026-02-17"), 3);
        assert_eq!(
            m,
            vec![
                (d("2025-12-01"), d("2026-01-01")),
                (d("2026-01-01"), d("2026-02-01")),
                (d("2026-02-01"), d("2026-03-01")),
            ]
        );
    }

    #[test]
    fn weights_sum_to_100_and_the_assessment_share_is_at_least_4_percent() {
        let w = Weights::parse(["20", "25", "15", "10", "20", "10"], "4").unwrap();
        assert_eq!(w, Weights::default());
        assert_eq!(w.assessment_percent(), "4.0");
        let w = Weights::parse(["30", "30", "10", "10", "10", "10"], "5.5").unwrap();
        assert_eq!(w.assessment_permille, 55);
        for (items, a, field, phrase) in [
            (
                ["20", "25", "15", "10", "20", "11"],
                "4",
                "weights",
                "之和应为 100,现为 101",
            ),
            (
                ["20", "25", "15", "10", "20", "-5"],
                "4",
                "weights",
                "0 到 100 的整数",
            ),
            (
                ["二十", "25", "15", "10", "20", "10"],
                "4",
                "weights",
                "二十",
            ),
            (
                ["20", "25", "15", "10", "20", "10"],
                "3.9",
                "assessment",
                "不得低于 4%",
            ),
            (
                ["20", "25", "15", "10", "20", "10"],
                "百分之五",
                "assessment",
                "不是百分比",
            ),
            (
                ["20", "25", "15", "10", "20", "10"],
                "NaN",
                "assessment",
                "不是百分比",
            ),
        ] {
            let e = Weights::parse(items, a).unwrap_err();
            assert_eq!(e.field().unwrap().name, field, "{e}");
            assert!(e.to_string().contains(phrase), "{e}");
        }
    }

    #[test]
    fn outstanding_work_costs_points_by_weight() {
        let w = Weights::default();
        let clean = score(&Indicators::default(), &w);
        assert_eq!(clean.total, 100.0);
        assert!((clean.assessment_points - 4.0).abs() < 1e-9);
        let i = Indicators {
            publications_overdue: 2,
            requests_overdue: 1,
            policies: 4,
            interpreted: 3,
            ..Indicators::default()
        };
        let s = score(&i, &w);
        let by: Vec<f64> = s.items.iter().map(|x| x.score).collect();
        assert_eq!(by, vec![80.0, 80.0, 75.0, 100.0, 100.0, 100.0]);
        // 20×0.8 + 25×0.8 + 15×0.75 + 10 + 20 + 10 = 87.25
        assert!((s.total - 87.25).abs() < 1e-9, "{}", s.total);
        let stale = score(
            &Indicators {
                messages_stale: 1,
                ..Indicators::default()
            },
            &w,
        );
        assert_eq!(
            stale.items[4].score, 0.0,
            "the single-veto item scores nothing"
        );
    }
}
