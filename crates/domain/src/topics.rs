//! 主题分类: the national two-level topic classification (22 top-level topics), embedded
//! from `data/taxonomy/topics.json`. Shown as `一级\二级`, e.g. `综合政务\政务公开`.

use std::sync::OnceLock;

use serde::Deserialize;

use crate::error::{DomainError, Field};

pub const FIELD: Field = Field::new("topic", "主题分类");

#[derive(Debug, Deserialize)]
pub struct TopicGroup {
    pub name: String,
    pub children: Vec<String>,
}

#[derive(Deserialize)]
struct File {
    topics: Vec<TopicGroup>,
}

pub fn all() -> &'static [TopicGroup] {
    static TOPICS: OnceLock<Vec<TopicGroup>> = OnceLock::new();
    TOPICS.get_or_init(|| {
        // Compiled in and parsed in full by the tests below; a failure is a build defect.
        serde_json::from_str::<File>(include_str!("../data/taxonomy/topics.json"))
            .expect("embedded topic data is valid")
            .topics
    })
}

/// A validated topic: a first level, optionally with a second level under it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Topic {
    pub level1: String,
    pub level2: Option<String>,
}

impl Topic {
    /// Parses `一级` or `一级\二级` (also `/` or `>` as the separator).
    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let s = input.trim();
        let (l1, l2) = match s.split_once(['\\', '/', '>']) {
            Some((a, b)) => (a.trim(), Some(b.trim())),
            None => (s, None),
        };
        let group = all().iter().find(|g| g.name == l1).ok_or_else(|| {
            DomainError::invalid(FIELD, format!("主题分类“{s}”不在国家主题分类中"))
        })?;
        if let Some(c) = l2
            && !group.children.iter().any(|x| x == c)
        {
            return Err(DomainError::invalid(
                FIELD,
                format!("“{c}”不是“{l1}”下的二级主题"),
            ));
        }
        Ok(Topic {
            level1: l1.to_string(),
            level2: l2.map(String::from),
        })
    }
}

impl std::fmt::Display for Topic {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.level2 {
            Some(c) => write!(f, "{}\\{c}", self.level1),
            None => f.write_str(&self.level1),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn twenty_two_topics_with_children() {
        assert_eq!(all().len(), 22);
        // Only 其他 has no second level.
        let leaves: Vec<&str> = all()
            .iter()
            .filter(|g| g.children.is_empty())
            .map(|g| g.name.as_str())
            .collect();
        assert_eq!(leaves, ["其他"]);
    }

    #[test]
    fn parses_and_rejects() {
        let t = Topic::parse("综合政务\\政务公开").unwrap();
        assert_eq!(t.to_string(), "综合政务\\政务公开");
        assert_eq!(Topic::parse(" 科技、教育 ").unwrap().level2, None);
        assert_eq!(Topic::parse("综合政务/政务公开").unwrap(), t);
        assert!(Topic::parse("不存在的主题").is_err());
        assert!(
            Topic::parse("综合政务\\医药管理")
                .unwrap_err()
                .to_string()
                .contains("不是“综合政务”下的二级主题")
        );
    }
}
