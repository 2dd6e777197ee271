//! 主动公开目录 / 政务公开标准目录: a tree of items per agency. Each item says what is published
//! (公开事项, 公开内容要素), on what basis, within what time, by whom, where, to whom and how;
//! documents are filed under items, and an item whose content is missing or older than its
//! time limit is flagged for the office.

use chrono::NaiveDate;

use crate::error::{DomainError, Field};
use crate::text;

/// 条例第二十条: what every agency must publish on its own initiative, in the article's order.
/// A catalogue item may say which of these it fulfils; the public “法定主动公开内容” page is
/// built from that.
pub const STATUTORY_ITEMS: [&str; 15] = [
    "行政法规、规章和规范性文件",
    "机关职能、机构设置、办公地址、办公时间、联系方式、负责人姓名",
    "国民经济和社会发展规划、专项规划、区域规划及相关政策",
    "国民经济和社会发展统计信息",
    "办理行政许可和其他对外管理服务事项的依据、条件、程序以及办理结果",
    "实施行政处罚、行政强制的依据、条件、程序以及本行政机关认为具有一定社会影响的行政处罚决定",
    "财政预算、决算信息",
    "行政事业性收费项目及其依据、标准",
    "政府集中采购项目的目录、标准及实施情况",
    "重大建设项目的批准和实施情况",
    "扶贫、教育、医疗、社会保障、促进就业等方面的政策、措施及其实施情况",
    "突发公共事件的应急预案、预警信息及应对情况",
    "环境保护、公共卫生、安全生产、食品药品、产品质量的监督检查情况",
    "公务员招考的职位、名额、报考条件等事项以及录用结果",
    "法律、法规、规章和国家有关规定规定应当主动公开的其他政府信息",
];

/// “(七)” for item 7.
pub fn statutory_number(n: u32) -> String {
    const DIGITS: [&str; 10] = ["", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    let n = n as usize;
    let text = match n {
        1..=9 => DIGITS[n].to_string(),
        10 => "十".into(),
        11..=19 => format!("十{}", DIGITS[n - 10]),
        _ => n.to_string(),
    };
    format!("({text})")
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct ItemInput {
    /// The parent item id, empty for a top-level item.
    pub parent: String,
    pub name: String,
    pub elements: String,
    pub basis: String,
    /// 公开时限, as working days (e.g. "20"); empty when the item has none.
    pub time_limit: String,
    pub channel: String,
    pub audience: String,
    pub method: String,
    /// 更新周期 in days: content older than this is stale (e.g. 365 for yearly items).
    pub refresh_days: String,
    /// The 条例第二十条 item (1–15) this item fulfils; empty for none.
    pub statutory: String,
}

#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ItemDraft {
    pub parent: Option<i64>,
    pub name: String,
    pub elements: String,
    pub basis: String,
    pub time_limit_workdays: Option<u32>,
    pub channel: String,
    pub audience: String,
    pub method: String,
    pub refresh_days: Option<u32>,
    pub statutory_item: Option<u32>,
}

fn optional_number(s: &str, field: Field, max: u32) -> Result<Option<u32>, DomainError> {
    match s.trim() {
        "" => Ok(None),
        t => t
            .parse::<u32>()
            .ok()
            .filter(|n| (1..=max).contains(n))
            .map(Some)
            .ok_or_else(|| DomainError::invalid(field, format!("{field}应为 1–{max} 的整数"))),
    }
}

impl ItemDraft {
    pub fn parse(i: &ItemInput) -> Result<Self, DomainError> {
        let parent = match i.parent.trim() {
            "" => None,
            p => Some(p.parse::<i64>().map_err(|_| {
                DomainError::invalid(Field::new("parent", "上级事项"), "上级事项无效")
            })?),
        };
        let one_line = |v: &str, f: Field, min, max| -> Result<String, DomainError> {
            let v = text::bounded(v, f, min, max)?;
            text::reject_active_markup(&v, f)?;
            Ok(v)
        };
        Ok(ItemDraft {
            parent,
            name: one_line(&i.name, Field::new("name", "公开事项"), 2, 200)?,
            elements: one_line(&i.elements, Field::new("elements", "公开内容要素"), 0, 1000)?,
            basis: one_line(&i.basis, Field::new("basis", "公开依据"), 0, 1000)?,
            time_limit_workdays: optional_number(
                &i.time_limit,
                Field::new("time_limit", "公开时限"),
                60,
            )?,
            channel: one_line(&i.channel, Field::new("channel", "公开渠道"), 0, 200)?,
            audience: one_line(&i.audience, Field::new("audience", "公开对象"), 0, 100)?,
            method: one_line(&i.method, Field::new("method", "公开方式"), 0, 100)?,
            refresh_days: optional_number(
                &i.refresh_days,
                Field::new("refresh_days", "更新周期"),
                3660,
            )?,
            statutory_item: optional_number(
                &i.statutory,
                Field::new("statutory", "法定主动公开内容"),
                STATUTORY_ITEMS.len() as u32,
            )?,
        })
    }
}

/// Why an item needs attention, if it does.
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum ItemHealth {
    Current,
    Empty,
    Stale,
}

impl ItemHealth {
    pub fn label(self) -> &'static str {
        match self {
            ItemHealth::Current => "正常",
            ItemHealth::Empty => "无内容",
            ItemHealth::Stale => "内容过期",
        }
    }
}

/// An item is empty without content, stale when its newest content is older than its refresh
/// period (as of `today`).
pub fn health(
    latest: Option<NaiveDate>,
    refresh_days: Option<u32>,
    today: NaiveDate,
) -> ItemHealth {
    match (latest, refresh_days) {
        (None, _) => ItemHealth::Empty,
        (Some(d), Some(days)) if (today - d).num_days() > i64::from(days) => ItemHealth::Stale,
        _ => ItemHealth::Current,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn items_validate() {
        let i = ItemInput {
            name: "财政预决算".into(),
            time_limit: "20".into(),
            refresh_days: "365".into(),
            ..Default::default()
        };
        let draft = ItemDraft::parse(&i).unwrap();
        assert_eq!(
            (draft.time_limit_workdays, draft.refresh_days),
            (Some(20), Some(365))
        );
        for (bad, field) in [
            (
                ItemInput {
                    name: "".into(),
                    ..i.clone()
                },
                "name",
            ),
            (
                ItemInput {
                    time_limit: "0".into(),
                    ..i.clone()
                },
                "time_limit",
            ),
            (
                ItemInput {
                    refresh_days: "一年".into(),
                    ..i.clone()
                },
                "refresh_days",
            ),
            (
                ItemInput {
                    basis: "<script>x</script>".into(),
                    ..i.clone()
                },
                "basis",
            ),
            (
                ItemInput {
                    parent: "x".into(),
                    ..i.clone()
                },
                "parent",
            ),
            (
                ItemInput {
                    statutory: "16".into(),
                    ..i.clone()
                },
                "statutory",
            ),
        ] {
            assert_eq!(
                ItemDraft::parse(&bad).unwrap_err().field().unwrap().name,
                field
            );
        }
    }

    #[test]
    fn statutory_items_follow_article_20() {
        assert_eq!(STATUTORY_ITEMS[6], "财政预算、决算信息");
        assert_eq!(statutory_number(7), "(七)");
        assert_eq!(statutory_number(10), "(十)");
        assert_eq!(statutory_number(15), "(十五)");
        let i = ItemInput {
            name: "财政预决算".into(),
            statutory: "7".into(),
            ..Default::default()
        };
        assert_eq!(ItemDraft::parse(&i).unwrap().statutory_item, Some(7));
    }

    #[test]
    fn health_of_items() {
        let today = d("2026-11-23");
        assert_eq!(health(None, Some(365), today), ItemHealth::Empty);
        assert_eq!(
            health(Some(d("2025-11-01")), Some(365), today),
            ItemHealth::Stale
        );
        assert_eq!(
            health(Some(d("2026-01-01")), Some(365), today),
            ItemHealth::Current
        );
        assert_eq!(
            health(Some(d("2010-01-01")), None, today),
            ItemHealth::Current
        );
    }
}
