//! 重大行政决策事项目录: each agency's catalogue of major decisions for a year, published by
//! 31 March (the seeds' rule), and each entry's stages in the order of 《重大行政决策程序暂行
//! 条例》 — draft and explanation, public consultation and its feedback, expert and risk
//! assessment, legality review, hearing, collective discussion (with the public representatives
//! who attended), the decision document, its interpretation, reports on its implementation.

use chrono::{Datelike, NaiveDate};
use serde::Serialize;

use crate::calendar::parse_date;
use crate::error::{DomainError, Field};
use crate::text;

labelled_enum!(
    EntryStatus, Field::new("status", "推进状态"), "推进状态", {
    Planned => ("planned", "计划中"),
    InProgress => ("in_progress", "推进中"),
    Decided => ("decided", "已作出决策"),
    /// Taken out of the catalogue during the year, with a public reason.
    Withdrawn => ("withdrawn", "已调出目录"),
});

labelled_enum!(
    StageKind, Field::new("kind", "环节"), "环节", {
    Draft => ("draft", "决策草案及说明"),
    Consultation => ("consultation", "公开征求意见"),
    Feedback => ("feedback", "意见采纳情况反馈"),
    ExpertReview => ("expert_review", "专家论证"),
    RiskAssessment => ("risk_assessment", "风险评估"),
    LegalityReview => ("legality_review", "合法性审查"),
    Hearing => ("hearing", "听证"),
    MeetingReview => ("meeting_review", "集体讨论决定"),
    Decision => ("decision", "决策文件公布"),
    Interpretation => ("interpretation", "政策解读"),
    Implementation => ("implementation", "决策执行情况"),
});

impl EntryStatus {
    /// The status an entry moves to when a stage is recorded: a published decision makes it
    /// decided (unless it was taken out of the catalogue); any first stage starts a planned
    /// one; otherwise it stays.
    pub fn after_stage(self, stage: StageKind) -> Option<EntryStatus> {
        match (self, stage) {
            (EntryStatus::Withdrawn, _) => None,
            (EntryStatus::Decided, StageKind::Decision) => None,
            (_, StageKind::Decision) => Some(EntryStatus::Decided),
            (EntryStatus::Planned, _) => Some(EntryStatus::InProgress),
            _ => None,
        }
    }
}

impl StageKind {
    /// The place of the stage in the procedure, for the timeline's order on the same day.
    pub fn order(self) -> usize {
        StageKind::ALL.iter().position(|k| *k == self).unwrap_or(0)
    }

    /// Stages that rest on a record of the platform: a consultation, or a public document.
    pub fn link(self) -> Link {
        match self {
            StageKind::Consultation | StageKind::Feedback => Link::Consultation,
            StageKind::Decision | StageKind::Interpretation => Link::Document,
            _ => Link::Optional,
        }
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Link {
    /// Must name a published consultation of the platform.
    Consultation,
    /// Must name a public document by 索引号.
    Document,
    /// May name a public document.
    Optional,
}

/// The catalogue of `year` is due on 31 March of that year.
pub fn catalogue_due(year: i32) -> Option<NaiveDate> {
    NaiveDate::from_ymd_opt(year, 3, 31)
}

pub fn parse_year(input: &str, today: NaiveDate) -> Result<i32, DomainError> {
    let f = Field::new("year", "年度");
    let y: i32 = input
        .trim()
        .parse()
        .map_err(|_| DomainError::invalid(f, "年度应为四位数字"))?;
    if !(2019..=today.year() + 1).contains(&y) {
        return Err(DomainError::invalid(
            f,
            format!("年度应在 2019 至 {} 之间", today.year() + 1),
        ));
    }
    Ok(y)
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct EntryInput {
    pub title: String,
    /// 承办单位: the agency's code.
    pub responsible: String,
    pub basis: String,
    pub planned_on: String,
    pub status: String,
    pub note: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct EntryDraft {
    pub title: String,
    pub responsible: String,
    pub basis: String,
    pub planned_on: NaiveDate,
    pub status: EntryStatus,
    pub note: Option<String>,
}

impl EntryDraft {
    pub fn parse(i: &EntryInput) -> Result<EntryDraft, DomainError> {
        let tf = Field::new("title", "决策事项");
        let title = text::bounded(&i.title, tf, 4, 200)?;
        let bf = Field::new("basis", "决策依据");
        let basis = text::bounded_multiline(&i.basis, bf, 2, 2_000)?;
        let nf = Field::new("note", "说明");
        let note = text::bounded_multiline(&i.note, nf, 0, 2_000)?;
        for (v, f) in [(&title, tf), (&basis, bf), (&note, nf)] {
            text::reject_active_markup(v, f)?;
        }
        let status = if i.status.trim().is_empty() {
            EntryStatus::Planned
        } else {
            EntryStatus::parse(&i.status)?
        };
        if status == EntryStatus::Withdrawn && note.chars().count() < 4 {
            return Err(DomainError::invalid(nf, "调出目录须说明理由"));
        }
        Ok(EntryDraft {
            title,
            responsible: i.responsible.trim().to_uppercase(),
            basis,
            planned_on: parse_date(&i.planned_on, Field::new("planned_on", "计划完成时间"))?,
            status,
            note: (!note.is_empty()).then_some(note),
        })
    }
}

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct StageInput {
    pub kind: String,
    pub happened_on: String,
    pub summary: String,
    /// 索引号 of a public document.
    pub document: String,
    /// Id of a consultation of the platform.
    pub consultation: String,
    /// For 集体讨论决定: the public representatives who attended (列席).
    pub representatives: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct StageDraft {
    pub kind: StageKind,
    pub happened_on: NaiveDate,
    pub summary: String,
    pub document: Option<String>,
    pub consultation: Option<i64>,
    pub representatives: Option<String>,
}

impl StageDraft {
    pub fn parse(i: &StageInput, today: NaiveDate) -> Result<StageDraft, DomainError> {
        let kind = StageKind::parse(&i.kind)?;
        let df = Field::new("happened_on", "日期");
        let happened_on = parse_date(&i.happened_on, df)?;
        if happened_on > today {
            return Err(DomainError::invalid(df, "环节日期不能晚于今天"));
        }
        let sf = Field::new("summary", "情况说明");
        let summary = text::bounded_multiline(&i.summary, sf, 4, 5_000)?;
        text::reject_active_markup(&summary, sf)?;
        let document = text::optional(&i.document, Field::new("document", "文件索引号"), 60)?;
        let consultation = match i.consultation.trim() {
            "" => None,
            s => Some(s.parse::<i64>().map_err(|_| {
                DomainError::invalid(Field::new("consultation", "意见征集"), "请选择意见征集")
            })?),
        };
        match kind.link() {
            Link::Consultation if consultation.is_none() => {
                return Err(DomainError::invalid(
                    Field::new("consultation", "意见征集"),
                    format!("“{}”须关联本平台的意见征集", kind.label()),
                ));
            }
            Link::Document if document.is_none() => {
                return Err(DomainError::invalid(
                    Field::new("document", "文件索引号"),
                    format!("“{}”须填写已公开文件的索引号", kind.label()),
                ));
            }
            _ => {}
        }
        let rf = Field::new("representatives", "列席的公众代表");
        let representatives = text::bounded_multiline(&i.representatives, rf, 0, 1_000)?;
        text::reject_active_markup(&representatives, rf)?;
        if kind == StageKind::MeetingReview && representatives.chars().count() < 2 {
            return Err(DomainError::invalid(
                rf,
                "集体讨论决定须写明列席会议的公众代表(如未邀请,请写明“未邀请”及原因)",
            ));
        }
        Ok(StageDraft {
            kind,
            happened_on,
            summary,
            document,
            consultation: (kind.link() == Link::Consultation)
                .then_some(consultation)
                .flatten(),
            representatives: (!representatives.is_empty()).then_some(representatives),
        })
    }
}

#[cfg(test)]
mod tests {
    #[test]
    fn stages_move_an_entry_on() {
        use EntryStatus::*;
        for stage in StageKind::ALL {
            assert_eq!(Withdrawn.after_stage(*stage), None, "{stage:?}");
            let decided = (*stage == StageKind::Decision).then_some(Decided);
            assert_eq!(InProgress.after_stage(*stage), decided, "{stage:?}");
            assert_eq!(Decided.after_stage(*stage), None, "{stage:?}");
            assert_eq!(
                Planned.after_stage(*stage),
                Some(decided.unwrap_or(InProgress)),
                "{stage:?}"
            );
        }
    }

    use super::*;

    fn d(s: &str) -> NaiveDate {
        NaiveDate::parse_from_str(s, "%Y-%m-%d").unwrap()
    }

    #[test]
    fn the_catalogue_is_due_on_31_march_and_years_are_bounded() {
        assert_eq!(catalogue_due(2026), Some(d("2026-03-31")));
        assert_eq!(parse_year("2026", d("2026-12-01")).unwrap(), 2026);
        assert_eq!(parse_year(" 2027 ", d("2026-12-01")).unwrap(), 2027);
        assert!(parse_year("2028", d("2026-12-01")).is_err());
        assert!(parse_year("二〇二六", d("2026-12-01")).is_err());
    }

    #[test]
    fn entries_need_a_title_basis_and_date_and_a_reason_to_leave() {
        let i = EntryInput {
            title: "云溪区养犬管理办法".into(),
            responsible: "yx0100".into(),
            basis: "《上海市养犬管理条例》".into(),
            planned_on: "2026-06-30".into(),
            ..Default::default()
        };
        let e = EntryDraft::parse(&i).unwrap();
        assert_eq!(
            (e.status, e.responsible.as_str()),
            (EntryStatus::Planned, "YX0100")
        );
        let out = EntryInput {
            status: "withdrawn".into(),
            ..i.clone()
        };
        assert!(
            EntryDraft::parse(&out)
                .unwrap_err()
                .to_string()
                .contains("理由")
        );
        let out = EntryInput {
            status: "已调出目录".into(),
            note: "上位法修订,暂缓制定".into(),
            ..i.clone()
        };
        assert_eq!(
            EntryDraft::parse(&out).unwrap().status,
            EntryStatus::Withdrawn
        );
        assert!(
            EntryDraft::parse(&EntryInput {
                planned_on: "明年".into(),
                ..i
            })
            .is_err()
        );
    }

    #[test]
    fn stages_link_what_they_rest_on() {
        let today = d("2026-12-01");
        let base = StageInput {
            happened_on: "2026-05-10".into(),
            summary: "区政府常务会议审议通过".into(),
            ..Default::default()
        };
        let e = StageDraft::parse(
            &StageInput {
                kind: "consultation".into(),
                ..base.clone()
            },
            today,
        )
        .unwrap_err();
        assert!(e.to_string().contains("须关联本平台的意见征集"), "{e}");
        let ok = StageDraft::parse(
            &StageInput {
                kind: "consultation".into(),
                consultation: "3".into(),
                ..base.clone()
            },
            today,
        )
        .unwrap();
        assert_eq!(ok.consultation, Some(3));
        let e = StageDraft::parse(
            &StageInput {
                kind: "decision".into(),
                ..base.clone()
            },
            today,
        )
        .unwrap_err();
        assert!(e.to_string().contains("索引号"), "{e}");
        let e = StageDraft::parse(
            &StageInput {
                kind: "meeting_review".into(),
                ..base.clone()
            },
            today,
        )
        .unwrap_err();
        assert!(e.to_string().contains("公众代表"), "{e}");
        let m = StageDraft::parse(
            &StageInput {
                kind: "集体讨论决定".into(),
                representatives: "市民代表张某、企业代表李某列席".into(),
                ..base.clone()
            },
            today,
        )
        .unwrap();
        assert_eq!(m.kind, StageKind::MeetingReview);
        let e = StageDraft::parse(
            &StageInput {
                kind: "hearing".into(),
                happened_on: "2026-12-02".into(),
                ..base
            },
            today,
        )
        .unwrap_err();
        assert!(e.to_string().contains("晚于今天"));
        assert!(StageKind::Consultation.order() < StageKind::Decision.order());
    }
}
