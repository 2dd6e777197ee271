//! A public comment on a draft, and the disposition staff give it.

use serde::Serialize;

use super::{Identity, Phase};
use crate::error::{DomainError, Field};
use crate::text;

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct CommentInput {
    pub body: String,
    /// The article's number, empty for the draft as a whole.
    pub article: String,
    pub name: String,
    pub contact: String,
    /// "on" when the commenter lets the name be shown with the comment.
    pub show_name: String,
    /// A field people never see: whatever fills it is a robot.
    pub website: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct CommentDraft {
    pub body: String,
    pub article: Option<u32>,
    pub name: Option<String>,
    pub contact: Option<String>,
    pub show_name: bool,
}

pub const MAX_COMMENT_CHARS: usize = 5_000;

impl CommentDraft {
    /// `articles` are the draft's article numbers; `phase` where the consultation stands today.
    pub fn parse(
        i: &CommentInput,
        phase: Phase,
        name_rule: Identity,
        contact_rule: Identity,
        articles: &[u32],
    ) -> Result<CommentDraft, DomainError> {
        let bf = Field::new("body", "意见内容");
        if !i.website.trim().is_empty() {
            return Err(DomainError::invalid(bf, "提交未通过校验,请刷新页面后重试"));
        }
        phase.check_open()?;
        let body = text::bounded_multiline(&i.body, bf, 5, MAX_COMMENT_CHARS)?;
        text::reject_active_markup(&body, bf)?;
        let af = Field::new("article", "针对条款");
        let article = match i.article.trim() {
            "" | "0" => None,
            s => {
                let n = s
                    .parse::<u32>()
                    .map_err(|_| DomainError::invalid(af, "请选择草案中的条款"))?;
                if !articles.contains(&n) {
                    return Err(DomainError::invalid(af, format!("草案没有第 {n} 条")));
                }
                Some(n)
            }
        };
        let nf = Field::new("name", "姓名或单位");
        let name = text::optional(&i.name, nf, 60)?;
        if let Some(n) = &name {
            text::reject_active_markup(n, nf)?;
        }
        if name_rule == Identity::Required && name.is_none() {
            return Err(DomainError::invalid(nf, "本次征集要求填写姓名或单位"));
        }
        let cf = Field::new("contact", "联系方式");
        let contact = text::optional(&i.contact, cf, 120)?;
        if let Some(c) = &contact {
            let digits = c.chars().filter(char::is_ascii_digit).count();
            if !(c.contains('@') || digits >= 7) {
                return Err(DomainError::invalid(cf, "联系方式应为电话号码或电子邮箱"));
            }
        }
        if contact_rule == Identity::Required && contact.is_none() {
            return Err(DomainError::invalid(cf, "本次征集要求填写联系方式"));
        }
        let show_name = name.is_some() && matches!(i.show_name.trim(), "on" | "true" | "1");
        Ok(CommentDraft {
            body,
            article,
            name,
            contact,
            show_name,
        })
    }
}

labelled_enum!(
    /// What became of an opinion.
    Disposition, Field::new("disposition", "采纳情况"), "采纳情况", {
    Adopted => ("adopted", "采纳"),
    Partly => ("partly", "部分采纳"),
    NotAdopted => ("not_adopted", "不予采纳"),
    OutOfScope => ("out_of_scope", "不属于征求范围"),
});

labelled_enum!(
    /// Where an opinion stands for the commenter: kept and awaiting the agency's answer, or
    /// answered with a [`Disposition`].
    Standing, Field::new("status", "办理情况"), "办理情况", {
    Received => ("received", "已收到"),
    Answered => ("answered", "已答复"),
});

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct DispositionDraft {
    pub disposition: Disposition,
    /// Required for anything not adopted: the public is owed the reason.
    pub reason: Option<String>,
}

impl DispositionDraft {
    pub fn parse(disposition: &str, reason: &str) -> Result<DispositionDraft, DomainError> {
        let disposition = Disposition::parse(disposition)?;
        let rf = Field::new("reason", "理由");
        let reason = text::bounded_multiline(reason, rf, 0, 2_000)?;
        text::reject_active_markup(&reason, rf)?;
        let reason = (!reason.is_empty()).then_some(reason);
        if disposition != Disposition::Adopted
            && reason.as_deref().is_none_or(|r| r.chars().count() < 2)
        {
            return Err(DomainError::invalid(
                rf,
                format!("“{}”须说明理由", disposition.label()),
            ));
        }
        Ok(DispositionDraft {
            disposition,
            reason,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(body: &str) -> CommentInput {
        CommentInput {
            body: body.into(),
            ..Default::default()
        }
    }

    fn parse(i: &CommentInput) -> Result<CommentDraft, DomainError> {
        CommentDraft::parse(
            i,
            Phase::Open,
            Identity::Optional,
            Identity::Optional,
            &[1, 2],
        )
    }

    #[test]
    fn a_comment_on_an_open_draft_is_accepted_and_its_name_shown_only_if_chosen() {
        let mut i = input("建议第二条增加对导盲犬的豁免规定。");
        i.article = "2".into();
        i.name = "张三".into();
        let c = parse(&i).unwrap();
        assert_eq!(c.article, Some(2));
        assert!(!c.show_name);
        i.show_name = "on".into();
        assert!(parse(&i).unwrap().show_name);
        // Nothing to show without a name.
        let mut anon = input("建议第二条增加豁免。");
        anon.show_name = "on".into();
        assert!(!parse(&anon).unwrap().show_name);
    }

    #[test]
    fn bad_comments_are_refused_with_the_reason() {
        for (i, phase, want) in [
            (input("意见意见意见"), Phase::Closed, "已截止"),
            (input("意见意见意见"), Phase::Upcoming, "尚未开始"),
            (input("短"), Phase::Open, "至少"),
            (
                input(&"长".repeat(MAX_COMMENT_CHARS + 1)),
                Phase::Open,
                "最多",
            ),
            (input("<script>alert(1)</script>意见"), Phase::Open, "脚本"),
            (
                CommentInput {
                    website: "http://spam".into(),
                    ..input("意见意见意见")
                },
                Phase::Open,
                "未通过校验",
            ),
            (
                CommentInput {
                    article: "9".into(),
                    ..input("意见意见意见")
                },
                Phase::Open,
                "没有第 9 条",
            ),
            (
                CommentInput {
                    contact: "随便".into(),
                    ..input("意见意见意见")
                },
                Phase::Open,
                "电话号码或电子邮箱",
            ),
        ] {
            let e = CommentDraft::parse(&i, phase, Identity::Optional, Identity::Optional, &[1])
                .unwrap_err();
            assert!(e.to_string().contains(want), "{want}: {e}");
        }
        let e = CommentDraft::parse(
            &input("意见意见意见"),
            Phase::Open,
            Identity::Required,
            Identity::Optional,
            &[],
        )
        .unwrap_err();
        assert_eq!(e.field().unwrap().name, "name");
        let e = CommentDraft::parse(
            &input("意见意见意见"),
            Phase::Open,
            Identity::Optional,
            Identity::Required,
            &[],
        )
        .unwrap_err();
        assert_eq!(e.field().unwrap().name, "contact");
    }

    #[test]
    fn anything_not_adopted_needs_a_reason() {
        assert_eq!(
            DispositionDraft::parse("adopted", "").unwrap().disposition,
            Disposition::Adopted
        );
        for d in ["partly", "not_adopted", "不属于征求范围"] {
            assert!(DispositionDraft::parse(d, " ").is_err(), "{d}");
            assert!(DispositionDraft::parse(d, "与上位法不一致").is_ok(), "{d}");
        }
        assert!(DispositionDraft::parse("maybe", "理由").is_err());
    }
}
