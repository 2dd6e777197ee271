//! Who applies (条例第二十九条) and how their identity is proven. The applicant kinds are the
//! columns of the annual report's table 三; ID numbers are checked and never shown whole.

use chrono::Datelike;
use serde::Serialize;

use crate::error::{DomainError, Field};

labelled_enum!(
    /// 申请人类型: the seven columns of the annual report, less 总计.
    ApplicantKind, Field::new("applicant_kind", "申请人类型"), "申请人类型", {
    Person => ("person", "自然人"),
    Business => ("business", "商业企业"),
    Research => ("research", "科研机构"),
    NonProfit => ("non_profit", "社会公益组织"),
    LegalService => ("legal_service", "法律服务机构"),
    OtherOrganisation => ("other_organisation", "其他组织"),
});

impl ApplicantKind {
    pub fn is_person(self) -> bool {
        self == ApplicantKind::Person
    }
}

labelled_enum!(
    IdType, Field::new("id_type", "证件类型"), "证件类型", {
    ResidentId => ("resident_id", "居民身份证"),
    Passport => ("passport", "护照"),
    HkMacaoPermit => ("hk_macao_permit", "港澳居民来往内地通行证"),
    TaiwanPermit => ("taiwan_permit", "台湾居民来往大陆通行证"),
    UnifiedCreditCode => ("credit_code", "统一社会信用代码"),
    Other => ("other", "其他证件"),
});

pub const ID_FIELD: Field = Field::new("id_number", "证件号码");

/// Checks a 18-digit resident ID (GB 11643-1999): digits, a plausible birth date, and the
/// ISO 7064 MOD 11-2 check character. Returns it upper-cased.
pub fn check_resident_id(input: &str) -> Result<String, DomainError> {
    let id: String = crate::text::halfwidth(input.trim()).to_uppercase();
    let bad = |why: &str| DomainError::invalid(ID_FIELD, format!("居民身份证号码{why}"));
    let bytes = id.as_bytes();
    if bytes.len() != 18
        || !bytes[..17].iter().all(u8::is_ascii_digit)
        || !(bytes[17].is_ascii_digit() || bytes[17] == b'X')
    {
        return Err(bad("应为 18 位(前 17 位为数字,最后一位为数字或 X)"));
    }
    let birth = chrono::NaiveDate::parse_from_str(&id[6..14], "%Y%m%d")
        .map_err(|_| bad("中的出生日期无效"))?;
    if birth.year_ce().1 < 1900 {
        return Err(bad("中的出生日期无效"));
    }
    const WEIGHTS: [u32; 17] = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
    const CHECK: &[u8; 11] = b"10X98765432";
    let sum: u32 = bytes[..17]
        .iter()
        .zip(WEIGHTS)
        .map(|(b, w)| u32::from(b - b'0') * w)
        .sum();
    if CHECK[(sum % 11) as usize] != bytes[17] {
        return Err(bad("校验位不正确,请核对"));
    }
    Ok(id)
}

/// Checks an ID number for its type; other documents only need a sane length.
pub fn check_id(kind: IdType, input: &str) -> Result<String, DomainError> {
    match kind {
        IdType::ResidentId => check_resident_id(input),
        IdType::UnifiedCreditCode => {
            let id = crate::text::halfwidth(input.trim()).to_uppercase();
            if id.len() == 18 && id.chars().all(|c| c.is_ascii_alphanumeric()) {
                Ok(id)
            } else {
                Err(DomainError::invalid(
                    ID_FIELD,
                    "统一社会信用代码应为 18 位数字或大写字母",
                ))
            }
        }
        _ => crate::text::bounded(input, ID_FIELD, 4, 40),
    }
}

/// Shows an ID number to staff without exposing it: first 3 and last 2 characters.
pub fn mask_id(id: &str) -> String {
    let chars: Vec<char> = id.chars().collect();
    if chars.len() <= 5 {
        return "*".repeat(chars.len());
    }
    let head: String = chars[..3].iter().collect();
    let tail: String = chars[chars.len() - 2..].iter().collect();
    format!("{head}{}{tail}", "*".repeat(chars.len() - 5))
}

/// A natural person's name as others may see it: the family name and asterisks (张**).
pub fn mask_name(name: &str) -> String {
    let mut chars = name.trim().chars();
    match chars.next() {
        Some(first) => format!("{first}{}", "*".repeat(chars.count().max(1))),
        None => String::new(),
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Applicant {
    pub kind: ApplicantKind,
    pub name: String,
    pub id_type: IdType,
    /// Checked and normalised; stored, shown only masked.
    #[serde(skip)]
    pub id_number: String,
    pub phone: Option<String>,
    pub email: Option<String>,
    pub address: Option<String>,
}

impl Applicant {
    /// The applicant's details that must never appear in a public text (依申请转主动).
    pub fn known(&self) -> crate::personal::Known {
        let mut k = crate::personal::Known::new()
            .phone(self.phone.as_deref())
            .email(self.email.as_deref())
            .text(self.address.as_deref())
            .text(Some(&self.id_number));
        if self.kind.is_person() {
            k = k.name(&self.name);
        }
        k
    }
}

/// Refuses a text meant for the public when it contains any of the applicant's personal data,
/// or anyone's ID, mobile or bank card number, however written (条例第四十四条 conversions must
/// not publish who asked).
pub fn check_no_personal_data(text: &str, applicant: &Applicant) -> Result<(), DomainError> {
    match crate::personal::leak(text, &applicant.known()) {
        None => Ok(()),
        Some(leak) => Err(DomainError::invalid(
            Field::new("body", "正文"),
            format!(
                "拟公开的内容含有个人信息({}),请删除申请人的姓名、证件号码、电话、地址或邮箱后再发布",
                leak.describe()
            ),
        )),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn resident_ids_are_checked() {
        // The standard's worked example.
        assert_eq!(
            check_resident_id("11010519491231002X").unwrap(),
            "11010519491231002X"
        );
        assert_eq!(
            check_resident_id(" １１０１０５１９４９１２３１００２ｘ ").unwrap(),
            "11010519491231002X",
            "full-width digits and a lower-case x are accepted"
        );
        for (bad, why) in [
            ("110105194912310021", "校验位"),
            ("11010519491331002X", "出生日期"),
            ("1101051949123100", "18 位"),
            ("11010519491231002Y", "18 位"),
        ] {
            let e = check_resident_id(bad).unwrap_err();
            assert!(e.to_string().contains(why), "{bad}: {e}");
        }
    }

    #[test]
    fn masks_hide_the_middle() {
        assert_eq!(mask_id("11010519491231002X"), "110*************2X");
        assert_eq!(mask_name("张三丰"), "张**");
        assert_eq!(mask_name("李"), "李*");
    }

    #[test]
    fn a_public_text_with_personal_data_is_refused() {
        let a = Applicant {
            kind: ApplicantKind::Person,
            name: "王小明".into(),
            id_type: IdType::ResidentId,
            id_number: "11010519491231002X".into(),
            phone: Some("13800138000".into()),
            email: None,
            address: Some("云溪区文化路 8 号".into()),
        };
        assert!(check_no_personal_data("2024年区级预算执行情况", &a).is_ok());
        for leak in [
            "申请人王小明要求公开",
            "证件 11010519491231002X",
            "电话 138 0013 8000",
            "送达地址:云溪区文化路8号",
            // The spellings input methods and other programs produce.
            "申请人王 小明",
            "证件 110105-19491231-002X",
            "证件 １１０１０５１９４９１２３１００２Ｘ",
            "电话 +86-138-0013-8000",
            "电话 １３８００１３８０００",
            // Anyone's ID number, not only the applicant's.
            "另附 110101-19900307-7715",
        ] {
            assert!(check_no_personal_data(leak, &a).is_err(), "{leak}");
        }
    }

    proptest::proptest! {
        /// Any 17 digits with the computed check character pass; changing the check fails.
        #[test]
        fn the_check_character_decides(
            area in 110000u32..659999, days in 0i64..40000, seq in 0u32..999
        ) {
            let birth = chrono::NaiveDate::from_ymd_opt(1920, 1, 1).unwrap() + chrono::Duration::days(days);
            let body = format!("{area:06}{}{seq:03}", birth.format("%Y%m%d"));
            let weights = [7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2];
            let sum: u32 = body.bytes().zip(weights).map(|(b, w)| u32::from(b - b'0') * w).sum();
            let check = b"10X98765432"[(sum % 11) as usize] as char;
            let id = format!("{body}{check}");
            proptest::prop_assert!(check_resident_id(&id).is_ok());
            let wrong = if check == '0' { '1' } else { '0' };
            let bad = format!("{body}{wrong}");
            proptest::prop_assert!(check_resident_id(&bad).is_err());
        }
    }
}
