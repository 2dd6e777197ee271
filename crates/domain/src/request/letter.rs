//! The reply letter (政府信息公开申请答复书): one template per outcome, citing its article,
//! with the dates, the remedies and the agency. Plain paragraphs, rendered as HTML or PDF by
//! the caller.

use chrono::NaiveDate;
use serde::Serialize;

use super::outcome::{NotProcessed, OtherHandling, Outcome, Unavailable};

/// What a letter is written from.
pub struct LetterInput<'a> {
    pub agency: &'a str,
    pub applicant: &'a str,
    pub tracking_code: &'a str,
    pub received_on: Option<NaiveDate>,
    pub description: &'a str,
    pub outcome: Outcome,
    pub reply_text: &'a str,
    pub withheld_note: Option<&'a str>,
    /// The agency responsible for the information, with its contact (第三十六条第(五)项).
    pub referred_to: Option<&'a str>,
    pub dated: NaiveDate,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Letter {
    pub title: String,
    pub number: String,
    pub salutation: String,
    pub paragraphs: Vec<String>,
    pub signature: String,
    pub date: String,
}

impl Letter {
    /// All lines in reading order, for plain-text or PDF output.
    pub fn lines(&self) -> Vec<String> {
        let mut v = vec![self.number.clone(), self.salutation.clone()];
        v.extend(self.paragraphs.iter().cloned());
        v.push(String::new());
        v.push(self.signature.clone());
        v.push(self.date.clone());
        v
    }
}

/// “2024年10月25日”.
pub fn chinese_date(d: NaiveDate) -> String {
    d.format("%Y年%-m月%-d日").to_string()
}

fn finding(outcome: Outcome) -> String {
    match outcome {
        Outcome::Disclosed => "您申请获取的政府信息属于公开范围,现予以提供".into(),
        Outcome::PartlyDisclosed => {
            "您申请获取的政府信息中含有不应当公开的内容,本机关已作区分处理,现提供可以公开的部分"
                .into()
        }
        Outcome::Withheld(g) => format!("您申请获取的政府信息{},不予公开", g.label()),
        Outcome::Unavailable(Unavailable::NotHeld) => {
            "经检索,本机关未制作或者获取您申请的政府信息,该政府信息不存在或不属于本机关负责公开"
                .into()
        }
        Outcome::Unavailable(Unavailable::NeedsCreation) => {
            "您申请获取的信息需要本机关对现有政府信息进行加工、分析,本机关不予提供".into()
        }
        Outcome::Unavailable(Unavailable::StillUnclear) => {
            "经补正后,您的申请内容仍不明确,本机关无法确定您所需的政府信息".into()
        }
        Outcome::NotProcessed(NotProcessed::Repeated) => {
            "本机关已就您提出的相同申请作出答复,对您重复申请公开相同政府信息不予重复处理".into()
        }
        Outcome::NotProcessed(NotProcessed::Petition) => {
            "您提出的申请属于信访、投诉、举报事项,不作为政府信息公开申请处理,请通过相应渠道提出"
                .into()
        }
        Outcome::NotProcessed(NotProcessed::Publication) => {
            "您申请获取的是公开出版物,请通过出版发行渠道获取".into()
        }
        Outcome::NotProcessed(NotProcessed::Excessive) => {
            "您申请公开政府信息的数量、频次明显超过合理范围,且理由不合理,本机关不予处理".into()
        }
        Outcome::NotProcessed(NotProcessed::Confirmation) => {
            "您要求本机关确认或重新出具已获取的信息,不属于政府信息公开申请的处理范围".into()
        }
        Outcome::Other(OtherHandling::CorrectionLapsed) => {
            "您无正当理由逾期未补正,视为放弃申请,本机关不再处理该申请".into()
        }
        Outcome::Other(OtherHandling::FeeUnpaid) => {
            "您逾期未按收费通知要求缴纳信息处理费,本机关不再处理该申请".into()
        }
        Outcome::Other(OtherHandling::Other) => "本机关对您的申请作出如下处理".into(),
    }
}

/// The letter for a decided request.
pub fn reply_letter(i: &LetterInput<'_>) -> Letter {
    let received = match i.received_on {
        Some(d) => format!("本机关于{}收到", chinese_date(d)),
        None => "本机关收到".into(),
    };
    let mut paragraphs = vec![format!(
        "{received}您提出的政府信息公开申请(查询码:{}),申请获取“{}”。",
        i.tracking_code, i.description
    )];
    paragraphs.push(format!(
        "经审查,{}。根据{}的规定,特此告知。",
        finding(i.outcome),
        i.outcome.article()
    ));
    if !i.reply_text.trim().is_empty() {
        paragraphs.push(i.reply_text.trim().to_string());
    }
    if let Some(r) = i.referred_to.filter(|r| !r.trim().is_empty()) {
        paragraphs.push(format!(
            "负责公开该政府信息的行政机关及其联系方式:{}",
            r.trim()
        ));
    }
    if let Some(w) = i.withheld_note.filter(|w| !w.trim().is_empty()) {
        paragraphs.push(format!("不予公开的内容及理由:{}", w.trim()));
    }
    paragraphs.push(
        "如对本答复不服,可以自收到本答复之日起六十日内依法申请行政复议,或者自收到本答复之日起六个月内依法向人民法院提起行政诉讼。"
            .into(),
    );
    Letter {
        title: "政府信息公开申请答复书".into(),
        number: format!("{}〔{}〕", i.agency, i.tracking_code),
        salutation: format!("{}:", i.applicant),
        paragraphs,
        signature: i.agency.to_string(),
        date: chinese_date(i.dated),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::document::WithholdGround;

    fn letter(outcome: Outcome) -> Letter {
        reply_letter(&LetterInput {
            agency: "云溪区教育局",
            applicant: "张建国",
            tracking_code: "YSQ2024-000001",
            received_on: NaiveDate::from_ymd_opt(2024, 9, 30),
            description: "校舍改造项目的立项批复",
            outcome,
            reply_text: "现随函提供。",
            withheld_note: None,
            referred_to: Some("云溪区生态环境局,021-5700 0000"),
            dated: NaiveDate::from_ymd_opt(2024, 10, 25).unwrap(),
        })
    }

    #[test]
    fn every_outcome_has_its_letter_with_article_and_remedies() {
        for o in Outcome::all() {
            let l = letter(o);
            let text = l.lines().join("\n");
            assert!(text.contains(o.article()), "{o:?}");
            assert!(text.contains("六十日内依法申请行政复议") && text.contains("六个月内"));
            assert!(text.contains("2024年9月30日收到") && text.ends_with("2024年10月25日"));
        }
        let l = letter(Outcome::Withheld(WithholdGround::StateSecret));
        assert!(
            l.paragraphs[1].contains("属于国家秘密,不予公开"),
            "{:?}",
            l.paragraphs
        );
        assert_eq!(l.salutation, "张建国:");
        assert!(
            l.paragraphs
                .iter()
                .any(|p| p.contains("负责公开该政府信息的行政机关及其联系方式:云溪区生态环境局"))
        );
    }
}
