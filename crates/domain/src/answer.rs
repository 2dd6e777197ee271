//! 一网通答: question-and-answer entries the office maintains, each answering one question a
//! reader might type, linked to the documents it rests on (by 索引号).

use serde::Serialize;

use crate::error::{DomainError, Field};
use crate::text;

#[derive(Clone, Debug, Default, serde::Deserialize)]
#[serde(default)]
pub struct AnswerInput {
    pub question: String,
    pub answer: String,
    /// 索引号 of the documents it rests on, one per line.
    pub documents: String,
    /// "on" (a checkbox) or "true" when shown to the public.
    pub published: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct AnswerDraft {
    pub question: String,
    pub answer: String,
    pub documents: Vec<String>,
    pub published: bool,
}

impl AnswerDraft {
    pub fn parse(i: &AnswerInput) -> Result<AnswerDraft, DomainError> {
        let qf = Field::new("question", "问题");
        let question = text::bounded(&i.question, qf, 4, 200)?;
        text::reject_active_markup(&question, qf)?;
        let af = Field::new("answer", "答复内容");
        let answer = text::bounded_multiline(&i.answer, af, 4, 20_000)?;
        text::reject_active_markup(&answer, af)?;
        let documents: Vec<String> = i
            .documents
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        if documents.len() > 20 {
            return Err(DomainError::invalid(
                Field::new("documents", "依据文件"),
                "依据文件最多 20 件",
            ));
        }
        Ok(AnswerDraft {
            question,
            answer,
            documents,
            published: matches!(i.published.trim(), "on" | "true" | "1"),
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_needs_a_question_and_text_and_refuses_markup() {
        let ok = AnswerDraft::parse(&AnswerInput {
            question: " 如何申请政府信息公开? ".into(),
            answer: "可以在线提交申请,无需注册。".into(),
            documents: "YX0100/2024-00001\n\n YX0201/2024-00002 ".into(),
            published: "on".into(),
        })
        .unwrap();
        assert_eq!(ok.question, "如何申请政府信息公开?");
        assert_eq!(ok.documents, ["YX0100/2024-00001", "YX0201/2024-00002"]);
        assert!(ok.published);
        for (q, a, msg) in [
            ("问", "答复内容足够长", "问题"),
            ("如何申请公开", "", "答复内容"),
            ("<script>x</script>如何", "答复内容足够长", "脚本"),
        ] {
            let e = AnswerDraft::parse(&AnswerInput {
                question: q.into(),
                answer: a.into(),
                ..Default::default()
            })
            .unwrap_err();
            assert!(e.to_string().contains(msg), "{q}: {e}");
        }
    }
}
