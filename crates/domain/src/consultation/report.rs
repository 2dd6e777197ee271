//! The feedback report (意见采纳情况反馈), computed from the ledger of opinions: how many were
//! received and how each was disposed of, the concentrated opinions (集中意见) with the reason
//! any was not adopted, and every other opinion not adopted with its reason. It is never typed:
//! a report with an opinion still undecided cannot be produced.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::Disposition;
use crate::error::{DomainError, Field};

/// One opinion of the ledger.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Opinion {
    pub id: i64,
    pub article: Option<u32>,
    pub body: String,
    /// Hidden by moderation (abuse, advertising): counted, not reported one by one.
    pub hidden: bool,
    pub group: Option<i64>,
    pub disposition: Option<Disposition>,
    pub reason: Option<String>,
}

/// 集中意见: similar opinions answered together.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct OpinionGroup {
    pub id: i64,
    pub summary: String,
    pub disposition: Option<Disposition>,
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GroupLine {
    pub summary: String,
    pub opinions: usize,
    pub disposition: Disposition,
    pub reason: Option<String>,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct NotAdoptedLine {
    pub article: Option<u32>,
    pub excerpt: String,
    pub disposition: Disposition,
    pub reason: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct FeedbackReport {
    pub title: String,
    pub opens_on: NaiveDate,
    pub closes_on: NaiveDate,
    pub received: usize,
    pub hidden: usize,
    /// Per disposition, in [`Disposition::ALL`] order.
    pub counts: Vec<(Disposition, usize)>,
    pub groups: Vec<GroupLine>,
    pub not_adopted: Vec<NotAdoptedLine>,
}

const EXCERPT_CHARS: usize = 80;

fn excerpt(s: &str) -> String {
    let flat: String = s.split_whitespace().collect::<Vec<_>>().join(" ");
    match flat.char_indices().nth(EXCERPT_CHARS) {
        Some((cut, _)) => format!("{}…", &flat[..cut]),
        None => flat,
    }
}

/// The report of a consultation's ledger. An opinion in a group takes the group's disposition.
pub fn feedback_report(
    title: &str,
    opens_on: NaiveDate,
    closes_on: NaiveDate,
    opinions: &[Opinion],
    groups: &[OpinionGroup],
) -> Result<FeedbackReport, DomainError> {
    let field = Field::new("report", "反馈报告");
    let group_of = |id: i64| groups.iter().find(|g| g.id == id);
    let mut undecided = Vec::new();
    let mut counts: Vec<(Disposition, usize)> = Disposition::ALL.iter().map(|d| (*d, 0)).collect();
    let mut not_adopted = Vec::new();
    let mut hidden = 0;
    let mut per_group: Vec<(i64, usize)> = Vec::new();
    for o in opinions {
        if o.hidden {
            hidden += 1;
            continue;
        }
        let (disposition, reason) = match o.group.and_then(group_of) {
            Some(g) => {
                match per_group.iter_mut().find(|(id, _)| *id == g.id) {
                    Some((_, n)) => *n += 1,
                    None => per_group.push((g.id, 1)),
                }
                (g.disposition, g.reason.clone())
            }
            None => (o.disposition, o.reason.clone()),
        };
        let Some(disposition) = disposition else {
            undecided.push(o.id);
            continue;
        };
        if let Some(c) = counts.iter_mut().find(|(d, _)| *d == disposition) {
            c.1 += 1;
        }
        if o.group.is_none() && disposition != Disposition::Adopted {
            not_adopted.push(NotAdoptedLine {
                article: o.article,
                excerpt: excerpt(&o.body),
                disposition,
                reason: reason.unwrap_or_default(),
            });
        }
    }
    if !undecided.is_empty() {
        let shown: Vec<String> = undecided.iter().take(5).map(|i| format!("#{i}")).collect();
        return Err(DomainError::invalid(
            field,
            format!(
                "还有 {} 条意见未填写采纳情况({}{}),不能生成反馈报告",
                undecided.len(),
                shown.join("、"),
                if undecided.len() > 5 { "等" } else { "" }
            ),
        ));
    }
    let groups = per_group
        .iter()
        .filter_map(|(id, n)| {
            let g = group_of(*id)?;
            Some(GroupLine {
                summary: g.summary.clone(),
                opinions: *n,
                disposition: g.disposition?,
                reason: g.reason.clone(),
            })
        })
        .collect();
    Ok(FeedbackReport {
        title: title.to_string(),
        opens_on,
        closes_on,
        received: opinions.len(),
        hidden,
        counts,
        groups,
        not_adopted,
    })
}

fn date(d: NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

impl FeedbackReport {
    pub fn count(&self, d: Disposition) -> usize {
        self.counts
            .iter()
            .find(|(x, _)| *x == d)
            .map_or(0, |(_, n)| *n)
    }

    /// The report as paragraphs of plain text, for the public page and the published record.
    pub fn paragraphs(&self) -> Vec<String> {
        let mut out = Vec::new();
        let considered = self.received - self.hidden;
        let mut opening = format!(
            "{}至{},本机关就{}公开征求社会公众意见,共收到意见 {} 条",
            date(self.opens_on),
            date(self.closes_on),
            self.title,
            self.received
        );
        if self.hidden > 0 {
            opening.push_str(&format!(
                "(其中 {} 条因含有与征求内容无关或不当的内容未予展示和采纳)",
                self.hidden
            ));
        }
        let parts: Vec<String> = self
            .counts
            .iter()
            .map(|(d, n)| format!("{} {n} 条", d.label()))
            .collect();
        opening.push_str(&format!(
            "。经逐条研究,{considered} 条意见中{}。",
            parts.join("、")
        ));
        out.push(opening);
        if !self.groups.is_empty() {
            out.push("一、较为集中的意见及采纳情况".into());
            for (i, g) in self.groups.iter().enumerate() {
                let mut line = format!(
                    "{}. {}(共 {} 条):{}",
                    i + 1,
                    g.summary,
                    g.opinions,
                    g.disposition.label()
                );
                if let Some(r) = &g.reason {
                    line.push_str(&format!("。理由:{r}"));
                }
                out.push(line);
            }
        }
        if !self.not_adopted.is_empty() {
            out.push(format!(
                "{}、其他未予采纳的意见及理由",
                if self.groups.is_empty() { "一" } else { "二" }
            ));
            for (i, l) in self.not_adopted.iter().enumerate() {
                let about = l
                    .article
                    .map_or_else(|| "草案整体".to_string(), |n| format!("第 {n} 条"));
                out.push(format!(
                    "{}. 关于{about}:“{}” {}。理由:{}",
                    i + 1,
                    l.excerpt,
                    l.disposition.label(),
                    l.reason
                ));
            }
        }
        out.push("感谢社会各界对本项工作的关心和支持。".into());
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    fn opinion(id: i64, group: Option<i64>, d: Option<Disposition>, reason: &str) -> Opinion {
        Opinion {
            id,
            article: Some(2),
            body: format!("意见 {id}"),
            hidden: false,
            group,
            disposition: d,
            reason: (!reason.is_empty()).then(|| reason.to_string()),
        }
    }

    #[test]
    fn the_report_counts_every_opinion_once_and_gives_each_reason() {
        let groups = [OpinionGroup {
            id: 7,
            summary: "建议放宽大型犬限制".into(),
            disposition: Some(Disposition::NotAdopted),
            reason: Some("与上位法规定不一致".into()),
        }];
        let mut hidden = opinion(5, None, None, "");
        hidden.hidden = true;
        let ops = [
            opinion(1, None, Some(Disposition::Adopted), ""),
            opinion(2, None, Some(Disposition::Partly), "部分内容已有规定"),
            opinion(3, Some(7), None, ""),
            opinion(4, Some(7), Some(Disposition::Adopted), ""),
            hidden,
            opinion(6, None, Some(Disposition::OutOfScope), "属于执法问题"),
        ];
        let r =
            feedback_report("《办法》", d("2026-01-05"), d("2026-02-05"), &ops, &groups).unwrap();
        assert_eq!((r.received, r.hidden), (6, 1));
        // A grouped opinion takes the group's disposition, whatever it carried before.
        assert_eq!(r.count(Disposition::NotAdopted), 2);
        assert_eq!(r.count(Disposition::Adopted), 1);
        assert_eq!(r.count(Disposition::Partly), 1);
        assert_eq!(r.count(Disposition::OutOfScope), 1);
        let total: usize = r.counts.iter().map(|(_, n)| n).sum();
        assert_eq!(total, r.received - r.hidden);
        assert_eq!(r.groups.len(), 1);
        assert_eq!(r.groups[0].opinions, 2);
        assert_eq!(r.not_adopted.len(), 2);
        let text = r.paragraphs().join("\n");
        assert!(text.contains("共收到意见 6 条"), "{text}");
        assert!(text.contains("建议放宽大型犬限制(共 2 条):不予采纳。理由:与上位法规定不一致"));
        assert!(text.contains("理由:属于执法问题"));
        assert!(text.contains("2026年1月5日至2026年2月5日"));
    }

    #[test]
    fn an_undecided_opinion_stops_the_report() {
        let ops = [
            opinion(1, None, Some(Disposition::Adopted), ""),
            opinion(2, None, None, ""),
            opinion(3, Some(9), None, ""),
        ];
        let groups = [OpinionGroup {
            id: 9,
            summary: "同类".into(),
            disposition: None,
            reason: None,
        }];
        let e = feedback_report("《办法》", d("2026-01-05"), d("2026-02-05"), &ops, &groups)
            .unwrap_err();
        assert!(
            e.to_string()
                .contains("还有 2 条意见未填写采纳情况(#2、#3)"),
            "{e}"
        );
    }

    proptest::proptest! {
        /// Whatever the ledger, the counts add up to the opinions considered.
        #[test]
        fn counts_add_up(specs in proptest::collection::vec((0u8..5, proptest::bool::ANY, proptest::option::of(0i64..3)), 0..40)) {
            let groups: Vec<OpinionGroup> = (0..3).map(|id| OpinionGroup {
                id,
                summary: format!("组 {id}"),
                disposition: Some(Disposition::ALL[id as usize % 4]),
                reason: Some("理由".into()),
            }).collect();
            let ops: Vec<Opinion> = specs.iter().enumerate().map(|(i, (d, hidden, group))| Opinion {
                id: i as i64,
                article: None,
                body: "意见".into(),
                hidden: *hidden,
                group: *group,
                disposition: Some(Disposition::ALL[*d as usize % 4]),
                reason: Some("理由".into()),
            }).collect();
            let r = feedback_report("《办法》", d("2026-01-05"), d("2026-02-05"), &ops, &groups).unwrap();
            let total: usize = r.counts.iter().map(|(_, n)| n).sum();
            proptest::prop_assert_eq!(total + r.hidden, ops.len());
            let grouped: usize = r.groups.iter().map(|g| g.opinions).sum();
            proptest::prop_assert_eq!(grouped, ops.iter().filter(|o| !o.hidden && o.group.is_some()).count());
        }
    }
}
