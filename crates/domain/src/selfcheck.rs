//! The website self-check against the national inspection indicators (国办秘函〔2019〕19号):
//! which columns are stale or empty, and which single-veto items the site would fail. The
//! facts come from the records and a crawl of the portal; the thresholds live here.

use chrono::NaiveDate;
use serde::Serialize;

/// 首页 and news columns: no update in 2 weeks fails.
pub const NEWS_DAYS: i64 = 14;
/// 通知公告 and policy columns: no update in 6 months fails.
pub const POLICY_DAYS: i64 = 183;
/// ≥ 5 stale news/policy columns, or ≥ 10 stale columns of any cadence, or ≥ 5 empty ones.
pub const STALE_VETO: usize = 5;
pub const LONG_STALE_VETO: usize = 10;
pub const EMPTY_VETO: usize = 5;

/// How often a column must be updated.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", content = "days", rename_all = "snake_case")]
pub enum Cadence {
    /// 动态、要闻: 2 weeks.
    News,
    /// 通知公告、政策文件: 6 months.
    Policy,
    /// The column's own refresh limit, in days.
    Every(i64),
}

impl Cadence {
    pub fn days(self) -> i64 {
        match self {
            Cadence::News => NEWS_DAYS,
            Cadence::Policy => POLICY_DAYS,
            Cadence::Every(d) => d,
        }
    }

    pub fn label(self) -> String {
        match self {
            Cadence::News => "动态类栏目(2 周)".into(),
            Cadence::Policy => "通知公告、政策类栏目(6 个月)".into(),
            Cadence::Every(d) => format!("本栏目更新周期({d} 天)"),
        }
    }
}

/// A column's cadence: its own refresh limit if it has one, else what its name says it is; a
/// column that is neither (机构职能, 指南) only has to have content.
pub fn cadence(name: &str, refresh_days: Option<i64>) -> Option<Cadence> {
    if let Some(d) = refresh_days.filter(|d| *d > 0) {
        return Some(Cadence::Every(d));
    }
    if ["动态", "要闻", "新闻", "资讯"]
        .iter()
        .any(|w| name.contains(w))
    {
        Some(Cadence::News)
    } else if ["通知", "公告", "政策", "文件", "规划", "计划"]
        .iter()
        .any(|w| name.contains(w))
    {
        Some(Cadence::Policy)
    } else {
        None
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "state", rename_all = "snake_case")]
pub enum ColumnState {
    Fresh,
    Empty,
    /// Not updated within its cadence; `days` since the newest item.
    Stale {
        days: i64,
        cadence: Cadence,
    },
}

pub fn column_state(
    name: &str,
    refresh_days: Option<i64>,
    filed: i64,
    latest: Option<NaiveDate>,
    today: NaiveDate,
) -> ColumnState {
    let Some(latest) = latest.filter(|_| filed > 0) else {
        return ColumnState::Empty;
    };
    match cadence(name, refresh_days) {
        Some(c) => {
            let days = (today - latest).num_days();
            if days > c.days() {
                ColumnState::Stale { days, cadence: c }
            } else {
                ColumnState::Fresh
            }
        }
        None => ColumnState::Fresh,
    }
}

/// What the check found.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Facts {
    /// The newest publication shown on the home page.
    pub home_latest: Option<NaiveDate>,
    /// Stale columns: how many of news/policy cadence, how many of any cadence.
    pub stale_news_or_policy: usize,
    pub stale_any: usize,
    pub empty: usize,
    /// Internal links that did not load.
    pub broken_links: usize,
    /// Agencies with a working 网上咨询 box (its page loaded).
    pub consultation_channels: usize,
    /// Valid messages unanswered for more than three months.
    pub stale_messages: usize,
}

/// One indicator and whether the site fails it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Verdict {
    pub item: &'static str,
    pub failed: bool,
    /// Single-veto (单项否决) or scored.
    pub veto: bool,
    pub detail: String,
}

pub fn verdicts(f: &Facts, today: NaiveDate) -> Vec<Verdict> {
    let home_days = f.home_latest.map(|d| (today - d).num_days());
    vec![
        Verdict {
            item: "首页不更新",
            veto: true,
            failed: home_days.is_none_or(|d| d > NEWS_DAYS),
            detail: match (f.home_latest, home_days) {
                (Some(d), Some(n)) => format!("首页最新信息发布于 {d}({n} 天前,限 {NEWS_DAYS} 天)"),
                _ => "首页没有带发布日期的信息".into(),
            },
        },
        Verdict {
            item: "栏目不更新",
            veto: true,
            failed: f.stale_news_or_policy >= STALE_VETO
                || f.stale_any >= LONG_STALE_VETO
                || f.empty >= EMPTY_VETO,
            detail: format!(
                "动态、通知公告及政策类栏目未按期更新 {} 个(达 {STALE_VETO} 个否决);未按期更新栏目共 {} 个(达 {LONG_STALE_VETO} 个否决);空白栏目 {} 个(达 {EMPTY_VETO} 个否决)",
                f.stale_news_or_policy, f.stale_any, f.empty
            ),
        },
        Verdict {
            item: "互动回应差",
            veto: true,
            failed: f.consultation_channels == 0 || f.stale_messages > 0,
            detail: format!(
                "可用的网上咨询渠道 {} 个;超过 3 个月未回复的有效留言 {} 条",
                f.consultation_channels, f.stale_messages
            ),
        },
        Verdict {
            item: "链接不可用",
            veto: false,
            failed: f.broken_links > 0,
            detail: format!("不可用的站内链接 {} 个(扣分项)", f.broken_links),
        },
    ]
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn columns_by_cadence() {
        let today = d("2026-12-01");
        assert_eq!(cadence("工作动态", None), Some(Cadence::News));
        assert_eq!(cadence("通知公告", None), Some(Cadence::Policy));
        assert_eq!(cadence("机构职能", None), None);
        assert_eq!(cadence("机构职能", Some(365)), Some(Cadence::Every(365)));
        assert_eq!(
            column_state("工作动态", None, 3, Some(d("2026-11-17")), today),
            ColumnState::Fresh,
            "14 days is still on time"
        );
        assert_eq!(
            column_state("工作动态", None, 3, Some(d("2026-11-16")), today),
            ColumnState::Stale {
                days: 15,
                cadence: Cadence::News
            }
        );
        assert_eq!(
            column_state("政策文件", None, 1, Some(d("2026-05-31")), today),
            ColumnState::Stale {
                days: 184,
                cadence: Cadence::Policy
            }
        );
        assert_eq!(
            column_state("机构职能", None, 0, None, today),
            ColumnState::Empty
        );
        assert_eq!(
            column_state("机构职能", None, 1, Some(d("2019-01-01")), today),
            ColumnState::Fresh
        );
    }

    #[test]
    fn single_veto_thresholds() {
        let today = d("2026-12-01");
        let ok = Facts {
            home_latest: Some(d("2026-11-20")),
            stale_news_or_policy: 4,
            stale_any: 9,
            empty: 4,
            broken_links: 0,
            consultation_channels: 3,
            stale_messages: 0,
        };
        assert!(verdicts(&ok, today).iter().all(|v| !v.failed));
        for (f, item) in [
            (
                Facts {
                    home_latest: Some(d("2026-11-16")),
                    ..ok.clone()
                },
                "首页不更新",
            ),
            (
                Facts {
                    home_latest: None,
                    ..ok.clone()
                },
                "首页不更新",
            ),
            (
                Facts {
                    stale_news_or_policy: 5,
                    ..ok.clone()
                },
                "栏目不更新",
            ),
            (
                Facts {
                    stale_any: 10,
                    ..ok.clone()
                },
                "栏目不更新",
            ),
            (
                Facts {
                    empty: 5,
                    ..ok.clone()
                },
                "栏目不更新",
            ),
            (
                Facts {
                    stale_messages: 1,
                    ..ok.clone()
                },
                "互动回应差",
            ),
            (
                Facts {
                    consultation_channels: 0,
                    ..ok.clone()
                },
                "互动回应差",
            ),
            (
                Facts {
                    broken_links: 1,
                    ..ok.clone()
                },
                "链接不可用",
            ),
        ] {
            let failed: Vec<&str> = verdicts(&f, today)
                .into_iter()
                .filter(|v| v.failed)
                .map(|v| v.item)
                .collect();
            assert_eq!(failed, vec![item], "{f:?}");
        }
    }
}
