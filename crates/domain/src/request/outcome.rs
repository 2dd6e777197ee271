//! How a request ends: exactly the rows of the annual report's table 三 (2021 format), each
//! mapped to the reply type of 条例第三十六条 and the article a reply letter cites. Counting a
//! report from requests is then a matter of grouping by outcome.

use serde::Serialize;

use crate::document::WithholdGround;
use crate::error::{DomainError, Field};

pub const FIELD: Field = Field::new("outcome", "办理结果");

/// （四）无法提供
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Unavailable {
    NotHeld,
    NeedsCreation,
    StillUnclear,
}

/// （五）不予处理
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum NotProcessed {
    Petition,
    Repeated,
    Publication,
    Excessive,
    Confirmation,
}

/// （六）其他处理
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum OtherHandling {
    CorrectionLapsed,
    FeeUnpaid,
    Other,
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(tag = "kind", content = "reason", rename_all = "snake_case")]
pub enum Outcome {
    /// （一）予以公开
    Disclosed,
    /// （二）部分公开 — counted only here, whatever was withheld.
    PartlyDisclosed,
    /// （三）不予公开
    Withheld(WithholdGround),
    Unavailable(Unavailable),
    NotProcessed(NotProcessed),
    Other(OtherHandling),
}

impl Outcome {
    /// Every outcome in the order of the report's rows.
    pub fn all() -> Vec<Outcome> {
        let mut v = vec![Outcome::Disclosed, Outcome::PartlyDisclosed];
        v.extend(WithholdGround::ALL.iter().map(|g| Outcome::Withheld(*g)));
        v.extend(
            [
                Unavailable::NotHeld,
                Unavailable::NeedsCreation,
                Unavailable::StillUnclear,
            ]
            .map(Outcome::Unavailable),
        );
        v.extend(
            [
                NotProcessed::Petition,
                NotProcessed::Repeated,
                NotProcessed::Publication,
                NotProcessed::Excessive,
                NotProcessed::Confirmation,
            ]
            .map(Outcome::NotProcessed),
        );
        v.extend(
            [
                OtherHandling::CorrectionLapsed,
                OtherHandling::FeeUnpaid,
                OtherHandling::Other,
            ]
            .map(Outcome::Other),
        );
        v
    }

    /// A stable code, e.g. `withheld.state_secret`, `not_processed.repeated`.
    pub fn code(self) -> String {
        match self {
            Outcome::Disclosed => "disclosed".into(),
            Outcome::PartlyDisclosed => "partly_disclosed".into(),
            Outcome::Withheld(g) => format!("withheld.{}", g.as_str()),
            Outcome::Unavailable(u) => format!(
                "unavailable.{}",
                match u {
                    Unavailable::NotHeld => "not_held",
                    Unavailable::NeedsCreation => "needs_creation",
                    Unavailable::StillUnclear => "still_unclear",
                }
            ),
            Outcome::NotProcessed(n) => format!(
                "not_processed.{}",
                match n {
                    NotProcessed::Petition => "petition",
                    NotProcessed::Repeated => "repeated",
                    NotProcessed::Publication => "publication",
                    NotProcessed::Excessive => "excessive",
                    NotProcessed::Confirmation => "confirmation",
                }
            ),
            Outcome::Other(o) => format!(
                "other.{}",
                match o {
                    OtherHandling::CorrectionLapsed => "correction_lapsed",
                    OtherHandling::FeeUnpaid => "fee_unpaid",
                    OtherHandling::Other => "other",
                }
            ),
        }
    }

    pub fn parse(code: &str) -> Result<Outcome, DomainError> {
        let code = code.trim();
        Outcome::all()
            .into_iter()
            .find(|o| o.code() == code)
            .ok_or_else(|| DomainError::invalid(FIELD, format!("未知的办理结果“{code}”")))
    }

    /// The group label of table 三: （一）…（六）.
    pub fn group(self) -> &'static str {
        match self {
            Outcome::Disclosed => "（一）予以公开",
            Outcome::PartlyDisclosed => "（二）部分公开",
            Outcome::Withheld(_) => "（三）不予公开",
            Outcome::Unavailable(_) => "（四）无法提供",
            Outcome::NotProcessed(_) => "（五）不予处理",
            Outcome::Other(_) => "（六）其他处理",
        }
    }

    /// The row label exactly as in the report (sub-rows numbered within their group).
    pub fn row_label(self) -> &'static str {
        match self {
            Outcome::Disclosed => "（一）予以公开",
            Outcome::PartlyDisclosed => "（二）部分公开（区分处理的，只计这一情形，不计其他情形）",
            Outcome::Withheld(g) => match g {
                WithholdGround::StateSecret => "1.属于国家秘密",
                WithholdGround::ProhibitedByLaw => "2.其他法律行政法规禁止公开",
                WithholdGround::EndangersSafety => "3.危及“三安全一稳定”",
                WithholdGround::ThirdPartyRights => "4.保护第三方合法权益",
                WithholdGround::InternalAffairs => "5.属于三类内部事务信息",
                WithholdGround::ProcessInformation => "6.属于四类过程性信息",
                WithholdGround::EnforcementCaseFile => "7.属于行政执法案卷",
                WithholdGround::AdministrativeQuery => "8.属于行政查询事项",
            },
            Outcome::Unavailable(u) => match u {
                Unavailable::NotHeld => "1.本机关不掌握相关政府信息",
                Unavailable::NeedsCreation => "2.没有现成信息需要另行制作",
                Unavailable::StillUnclear => "3.补正后申请内容仍不明确",
            },
            Outcome::NotProcessed(n) => match n {
                NotProcessed::Petition => "1.信访举报投诉类申请",
                NotProcessed::Repeated => "2.重复申请",
                NotProcessed::Publication => "3.要求提供公开出版物",
                NotProcessed::Excessive => "4.无正当理由大量反复申请",
                NotProcessed::Confirmation => "5.要求行政机关确认或重新出具已获取信息",
            },
            Outcome::Other(o) => match o {
                OtherHandling::CorrectionLapsed => {
                    "1.申请人无正当理由逾期不补正、行政机关不再处理其政府信息公开申请"
                }
                OtherHandling::FeeUnpaid => {
                    "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请"
                }
                OtherHandling::Other => "3.其他",
            },
        }
    }

    /// A short label for lists: “不予公开:属于国家秘密”.
    pub fn label(self) -> String {
        match self {
            Outcome::Disclosed => "予以公开".into(),
            Outcome::PartlyDisclosed => "部分公开".into(),
            other => {
                let row = other.row_label();
                let text = row.split_once('.').map_or(row, |(_, t)| t);
                format!("{}:{text}", &other.group()["（一）".len()..])
            }
        }
    }

    /// The article a reply letter cites for this outcome.
    pub fn article(self) -> &'static str {
        match self {
            Outcome::Disclosed => "《中华人民共和国政府信息公开条例》第三十六条第（二）项",
            Outcome::PartlyDisclosed => "《中华人民共和国政府信息公开条例》第三十七条",
            Outcome::Withheld(g) => match g {
                WithholdGround::StateSecret
                | WithholdGround::ProhibitedByLaw
                | WithholdGround::EndangersSafety => {
                    "《中华人民共和国政府信息公开条例》第十四条、第三十六条第（三）项"
                }
                WithholdGround::ThirdPartyRights => {
                    "《中华人民共和国政府信息公开条例》第十五条、第三十六条第（三）项"
                }
                WithholdGround::InternalAffairs
                | WithholdGround::ProcessInformation
                | WithholdGround::EnforcementCaseFile => {
                    "《中华人民共和国政府信息公开条例》第十六条、第三十六条第（三）项"
                }
                WithholdGround::AdministrativeQuery => {
                    "《中华人民共和国政府信息公开条例》第三十六条第（七）项"
                }
            },
            Outcome::Unavailable(Unavailable::NotHeld) => {
                "《中华人民共和国政府信息公开条例》第三十六条第（四）项、第（五）项"
            }
            Outcome::Unavailable(Unavailable::NeedsCreation) => {
                "《中华人民共和国政府信息公开条例》第三十八条"
            }
            Outcome::Unavailable(Unavailable::StillUnclear) => {
                "《中华人民共和国政府信息公开条例》第三十条"
            }
            Outcome::NotProcessed(NotProcessed::Petition)
            | Outcome::NotProcessed(NotProcessed::Publication) => {
                "《中华人民共和国政府信息公开条例》第三十九条"
            }
            Outcome::NotProcessed(NotProcessed::Repeated) => {
                "《中华人民共和国政府信息公开条例》第三十六条第（六）项"
            }
            Outcome::NotProcessed(NotProcessed::Excessive) => {
                "《中华人民共和国政府信息公开条例》第三十五条"
            }
            Outcome::NotProcessed(NotProcessed::Confirmation) => {
                "《中华人民共和国政府信息公开条例》第三十九条"
            }
            Outcome::Other(OtherHandling::CorrectionLapsed) => {
                "《中华人民共和国政府信息公开条例》第三十条"
            }
            Outcome::Other(OtherHandling::FeeUnpaid) => {
                "《中华人民共和国政府信息公开条例》第四十二条、《政府信息公开信息处理费管理办法》"
            }
            Outcome::Other(OtherHandling::Other) => "《中华人民共和国政府信息公开条例》",
        }
    }

    /// Whether information was (at least partly) given out: such a reply may be converted to
    /// proactive disclosure (条例第四十四条).
    pub fn discloses(self) -> bool {
        matches!(self, Outcome::Disclosed | Outcome::PartlyDisclosed)
    }

    /// Outcomes that need a note of what was withheld and why (部分公开, 条例第三十七条).
    pub fn needs_withheld_note(self) -> bool {
        self == Outcome::PartlyDisclosed
    }
}

impl crate::Code for Outcome {
    fn from_code(code: &str) -> Option<Self> {
        Outcome::all().into_iter().find(|o| o.code() == code)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_outcome_row_of_the_report() {
        let all = Outcome::all();
        // 三、本年度办理结果 spans 22 rows: these 21 outcomes and （七）总计.
        assert_eq!(all.len(), 2 + 8 + 3 + 5 + 3);
        let codes: std::collections::HashSet<String> = all.iter().map(|o| o.code()).collect();
        assert_eq!(codes.len(), all.len(), "codes are distinct");
        for o in &all {
            assert_eq!(Outcome::parse(&o.code()).unwrap(), *o);
            assert!(o.article().starts_with('《'));
        }
        assert_eq!(
            Outcome::Withheld(WithholdGround::StateSecret).label(),
            "不予公开:属于国家秘密"
        );
        assert!(Outcome::parse("approved").is_err());
    }
}
