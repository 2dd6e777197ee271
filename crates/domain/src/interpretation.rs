//! 政策解读: interpretations of policies, their forms, the 三同步 rule (a policy that needs an
//! interpretation is published together with one), and the 多元化解读率 (share of interpreted
//! policies interpreted in a form other than plain text; the target is at least 60%).

use serde::Serialize;

use crate::error::{DomainError, Field};
use crate::text;

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Form {
    Text,
    Graphic,
    QAndA,
    Video,
    PressConference,
    Expert,
    Other,
}

code_by_all!(Form);

impl Form {
    pub const ALL: [Form; 7] = [
        Form::Text,
        Form::Graphic,
        Form::QAndA,
        Form::Video,
        Form::PressConference,
        Form::Expert,
        Form::Other,
    ];
    pub const FIELD: Field = Field::new("form", "解读形式");

    pub fn as_str(self) -> &'static str {
        match self {
            Form::Text => "text",
            Form::Graphic => "graphic",
            Form::QAndA => "qa",
            Form::Video => "video",
            Form::PressConference => "press_conference",
            Form::Expert => "expert",
            Form::Other => "other",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Form::Text => "文字解读",
            Form::Graphic => "图解",
            Form::QAndA => "问答",
            Form::Video => "视频解读",
            Form::PressConference => "新闻发布会",
            Form::Expert => "专家解读",
            Form::Other => "其他",
        }
    }

    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let s = input.trim();
        Self::ALL
            .into_iter()
            .find(|f| f.as_str() == s || f.label() == s)
            .ok_or_else(|| DomainError::invalid(Self::FIELD, format!("未知的解读形式“{s}”")))
    }

    /// Anything but plain text counts towards 多元化解读.
    pub fn is_diverse(self) -> bool {
        self != Form::Text
    }
}

/// Raw fields of an interpretation.
#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct InterpretationInput {
    pub title: String,
    pub form: String,
    pub body: String,
    /// A video or press-conference link (http or https).
    pub link: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct InterpretationDraft {
    pub title: String,
    pub form: Form,
    pub body: String,
    pub link: Option<String>,
}

impl InterpretationDraft {
    pub fn parse(i: &InterpretationInput) -> Result<Self, DomainError> {
        let title_field = Field::new("title", "解读标题");
        let title = text::bounded(&i.title, title_field, 2, 300)?;
        text::reject_active_markup(&title, title_field)?;
        let form = Form::parse(&i.form)?;
        let body_field = Field::new("body", "解读内容");
        let link_field = Field::new("link", "链接");
        let link = text::optional(&i.link, link_field, 500)?;
        if let Some(l) = &link
            && !(l.starts_with("https://") || l.starts_with("http://"))
        {
            return Err(DomainError::invalid(
                link_field,
                "链接应以 http:// 或 https:// 开头",
            ));
        }
        // A video or press conference may be only a link; every other form needs its text.
        let min = if link.is_some() && matches!(form, Form::Video | Form::PressConference) {
            0
        } else {
            1
        };
        let body = text::bounded_multiline(&i.body, body_field, min, 500_000)?;
        text::reject_active_markup(&body, body_field)?;
        Ok(InterpretationDraft {
            title,
            form,
            body,
            link,
        })
    }
}

/// 三同步: a policy marked as needing interpretation is published with at least one, unless a
/// reviewer recorded why not.
pub fn check_published_together(
    needs: bool,
    interpretations: usize,
    waiver: Option<&str>,
) -> Result<(), DomainError> {
    if needs && interpretations == 0 && waiver.is_none_or(|w| w.trim().is_empty()) {
        return Err(DomainError::conflict(
            Some(Field::new("interpretation", "政策解读")),
            "该政策需要同步发布政策解读(三同步):请先添加解读,或由审核人说明不解读的理由",
        ));
    }
    Ok(())
}

/// Interpretation figures of one agency and year.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Coverage {
    /// Published policies that needed interpretation.
    pub policies: u64,
    /// …of which have at least one interpretation.
    pub interpreted: u64,
    /// …of which have at least one interpretation in a non-text form.
    pub diverse: u64,
}

pub const DIVERSE_TARGET_PERCENT: u64 = 60;

impl Coverage {
    /// Percentages rounded down, `None` when there is nothing to divide by.
    pub fn interpreted_percent(&self) -> Option<u64> {
        (self.policies > 0).then(|| self.interpreted * 100 / self.policies)
    }

    /// 多元化解读率: share of interpreted policies with a non-text interpretation.
    pub fn diverse_percent(&self) -> Option<u64> {
        (self.interpreted > 0).then(|| self.diverse * 100 / self.interpreted)
    }

    pub fn meets_diverse_target(&self) -> bool {
        self.diverse_percent()
            .is_some_and(|p| p >= DIVERSE_TARGET_PERCENT)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn forms_parse_and_count_as_diverse() {
        assert_eq!(Form::parse("图解").unwrap(), Form::Graphic);
        assert_eq!(Form::parse("qa").unwrap().label(), "问答");
        assert!(Form::parse("漫画").is_err());
        assert!(!Form::Text.is_diverse() && Form::Video.is_diverse());
    }

    #[test]
    fn drafts_validate() {
        let ok = InterpretationInput {
            title: "一图读懂".into(),
            form: "graphic".into(),
            body: "要点一".into(),
            link: "".into(),
        };
        assert_eq!(InterpretationDraft::parse(&ok).unwrap().form, Form::Graphic);
        let video = InterpretationInput {
            title: "视频解读".into(),
            form: "video".into(),
            body: "".into(),
            link: "https://v.example.gov.cn/1".into(),
        };
        assert!(
            InterpretationDraft::parse(&video).is_ok(),
            "a video may be just a link"
        );
        let bad_link = InterpretationInput {
            link: "javascript:alert(1)".into(),
            ..video.clone()
        };
        assert_eq!(
            InterpretationDraft::parse(&bad_link)
                .unwrap_err()
                .field()
                .unwrap()
                .name,
            "link"
        );
        let empty = InterpretationInput {
            body: "".into(),
            ..ok.clone()
        };
        assert_eq!(
            InterpretationDraft::parse(&empty)
                .unwrap_err()
                .field()
                .unwrap()
                .name,
            "body"
        );
        let script = InterpretationInput {
            body: "<script>x</script>".into(),
            ..ok
        };
        assert_eq!(
            InterpretationDraft::parse(&script)
                .unwrap_err()
                .field()
                .unwrap()
                .name,
            "body"
        );
    }

    #[test]
    fn published_together_rule() {
        assert!(check_published_together(false, 0, None).is_ok());
        assert!(check_published_together(true, 1, None).is_ok());
        assert!(check_published_together(true, 0, Some("属于程序性文件,无需解读")).is_ok());
        assert_eq!(
            check_published_together(true, 0, None).unwrap_err().code(),
            "conflict"
        );
        assert!(check_published_together(true, 0, Some("  ")).is_err());
    }

    #[test]
    fn coverage_percentages() {
        let c = Coverage {
            policies: 10,
            interpreted: 8,
            diverse: 5,
        };
        assert_eq!(
            (c.interpreted_percent(), c.diverse_percent()),
            (Some(80), Some(62))
        );
        assert!(c.meets_diverse_target());
        let low = Coverage {
            policies: 3,
            interpreted: 3,
            diverse: 1,
        };
        assert_eq!(low.diverse_percent(), Some(33));
        assert!(!low.meets_diverse_target());
        assert_eq!(Coverage::default().diverse_percent(), None);
    }
}
