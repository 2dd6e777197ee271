//! An application as typed (online form, staff registration, API) and its checked form
//! (条例第二十九条): who asks, what for, in what form; the receipt moments by channel.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

use super::applicant::{self, Applicant, ApplicantKind, IdType};
use super::clock::{Channel, Receipt};
use crate::calendar::parse_date;
use crate::error::{DomainError, Field};
use crate::text;

labelled_enum!(
    /// 获取信息的方式.
    DeliveryForm, Field::new("delivery_form", "获取信息的方式"), "获取信息的方式", {
    Paper => ("paper", "纸质"),
    Electronic => ("electronic", "电子数据"),
    Inspection => ("inspection", "当场查阅、抄录"),
});

labelled_enum!(
    /// 获取信息的途径.
    DeliveryChannel, Field::new("delivery_channel", "获取信息的途径"), "获取信息的途径", {
    Post => ("post", "邮寄"),
    Email => ("email", "电子邮件"),
    Collection => ("collection", "自行领取"),
    Online => ("online", "网上获取"),
});

#[derive(Clone, Debug, Default, Deserialize, Serialize)]
#[serde(default)]
pub struct RequestInput {
    /// Code of the agency asked.
    pub agency: String,
    pub applicant_kind: String,
    pub name: String,
    pub id_type: String,
    pub id_number: String,
    pub phone: String,
    pub email: String,
    pub address: String,
    pub description: String,
    pub doc_reference: String,
    pub purpose: String,
    pub delivery_form: String,
    pub delivery_channel: String,
    /// Staff registration only: channel and dates (online applications are `online`, today).
    pub channel: String,
    pub submitted_on: String,
    pub arrived_on: String,
    pub confirmed_on: String,
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct RequestDraft {
    pub applicant: Applicant,
    pub description: String,
    pub doc_reference: Option<String>,
    pub purpose: Option<String>,
    pub delivery_form: DeliveryForm,
    pub delivery_channel: DeliveryChannel,
    pub receipt: Receipt,
}

fn optional_date(s: &str, field: Field) -> Result<Option<NaiveDate>, DomainError> {
    match s.trim() {
        "" => Ok(None),
        t => parse_date(t, field).map(Some),
    }
}

impl RequestDraft {
    /// An application filed by the applicant online today: submitted now, confirmed later by
    /// the office.
    pub fn parse_online(input: &RequestInput, today: NaiveDate) -> Result<Self, DomainError> {
        let receipt = Receipt {
            channel: Channel::Online,
            submitted_on: today,
            arrived_on: Some(today),
            confirmed_on: None,
        };
        Self::parse_with(input, receipt)
    }

    /// An application registered by staff from paper, post, fax or a visit, with its dates.
    pub fn parse_registered(input: &RequestInput, today: NaiveDate) -> Result<Self, DomainError> {
        let channel = Channel::parse(&input.channel)?;
        let submitted_on = parse_date(&input.submitted_on, Field::new("submitted_on", "提交日期"))?;
        let arrived_on = optional_date(
            &input.arrived_on,
            Field::new("arrived_on", "签收(到达)日期"),
        )?;
        let confirmed_on =
            optional_date(&input.confirmed_on, Field::new("confirmed_on", "确认日期"))?;
        for (date, name, label) in [
            (Some(submitted_on), "submitted_on", "提交日期"),
            (arrived_on, "arrived_on", "签收(到达)日期"),
            (confirmed_on, "confirmed_on", "确认日期"),
        ] {
            if let Some(d) = date
                && d > today
            {
                return Err(DomainError::invalid(
                    Field::new(name, label),
                    format!("{label}{d}晚于今天"),
                ));
            }
        }
        let receipt = Receipt {
            channel,
            submitted_on,
            arrived_on,
            confirmed_on,
        };
        receipt.received_on()?;
        Self::parse_with(input, receipt)
    }

    fn parse_with(input: &RequestInput, receipt: Receipt) -> Result<Self, DomainError> {
        let kind = ApplicantKind::parse(&input.applicant_kind)?;
        let name_field = Field::new("name", "申请人姓名或名称");
        let name = text::bounded(&input.name, name_field, 2, 100)?;
        text::reject_active_markup(&name, name_field)?;
        let id_type = IdType::parse(&input.id_type)?;
        let id_number = applicant::check_id(id_type, &input.id_number)?;
        let phone = text::optional(&input.phone, Field::new("phone", "联系电话"), 40)?;
        let email = text::optional(&input.email, Field::new("email", "电子邮箱"), 120)?;
        if let Some(e) = &email
            && !(e.contains('@') && e.contains('.') && !e.contains(char::is_whitespace))
        {
            return Err(DomainError::invalid(
                Field::new("email", "电子邮箱"),
                format!("电子邮箱“{e}”格式不正确"),
            ));
        }
        let address = text::optional(&input.address, Field::new("address", "通讯地址"), 200)?;
        if phone.is_none() && email.is_none() && address.is_none() {
            return Err(DomainError::invalid(
                Field::new("phone", "联系电话"),
                "请至少填写一种联系方式(电话、电子邮箱或通讯地址),以便送达答复(条例第二十九条)",
            ));
        }
        let description_field = Field::new("description", "所需信息的内容描述");
        let description = text::bounded_multiline(&input.description, description_field, 5, 5000)?;
        text::reject_active_markup(&description, description_field)?;
        let doc_reference = text::optional(
            &input.doc_reference,
            Field::new("doc_reference", "文件名称或文号"),
            300,
        )?;
        let purpose = text::optional(&input.purpose, Field::new("purpose", "用途"), 500)?;
        let delivery_form = DeliveryForm::parse(&input.delivery_form)?;
        let delivery_channel = DeliveryChannel::parse(&input.delivery_channel)?;
        if delivery_channel == DeliveryChannel::Email && email.is_none() {
            return Err(DomainError::invalid(
                Field::new("email", "电子邮箱"),
                "选择以电子邮件获取信息时,请填写电子邮箱",
            ));
        }
        if delivery_channel == DeliveryChannel::Post && address.is_none() {
            return Err(DomainError::invalid(
                Field::new("address", "通讯地址"),
                "选择邮寄获取信息时,请填写通讯地址",
            ));
        }
        Ok(RequestDraft {
            applicant: Applicant {
                kind,
                name,
                id_type,
                id_number,
                phone,
                email,
                address,
            },
            description,
            doc_reference,
            purpose,
            delivery_form,
            delivery_channel,
            receipt,
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn good() -> RequestInput {
        RequestInput {
            agency: "YX0201".into(),
            applicant_kind: "person".into(),
            name: "王小明".into(),
            id_type: "resident_id".into(),
            id_number: "11010519491231002X".into(),
            phone: "13800138000".into(),
            description: "2024年区级重大建设项目的批准文件".into(),
            delivery_form: "electronic".into(),
            delivery_channel: "online".into(),
            ..Default::default()
        }
    }

    fn today() -> NaiveDate {
        NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()
    }

    #[test]
    fn an_online_application_waits_for_confirmation() {
        let d = RequestDraft::parse_online(&good(), today()).unwrap();
        assert_eq!(d.receipt.channel, Channel::Online);
        assert_eq!(d.receipt.received_on().unwrap(), None);
    }

    #[test]
    fn bad_fields_name_themselves() {
        for (change, field) in [
            (("applicant_kind", "robot"), "applicant_kind"),
            (("id_number", "110105194912310021"), "id_number"),
            (("phone", ""), "phone"),
            (("description", "<script>x</script>要公开"), "description"),
            (("delivery_channel", "email"), "email"),
            (("delivery_form", "fax"), "delivery_form"),
            (("name", "王"), "name"),
        ] {
            let mut v = serde_json::to_value(good()).unwrap();
            v[change.0] = serde_json::json!(change.1);
            let input: RequestInput = serde_json::from_value(v).unwrap();
            let e = RequestDraft::parse_online(&input, today()).unwrap_err();
            assert_eq!(e.field().unwrap().name, field, "{change:?}: {e}");
        }
    }

    #[test]
    fn staff_registration_takes_the_channel_dates() {
        let mut i = good();
        i.channel = "registered_post".into();
        i.submitted_on = "2026-11-18".into();
        i.arrived_on = "2026-11-20".into();
        let d = RequestDraft::parse_registered(&i, today()).unwrap();
        assert_eq!(
            d.receipt.received_on().unwrap().unwrap().0,
            NaiveDate::from_ymd_opt(2026, 11, 20).unwrap()
        );
        i.arrived_on = "2026-11-30".into();
        let e = RequestDraft::parse_registered(&i, today()).unwrap_err();
        assert_eq!(e.field().unwrap().name, "arrived_on");
        i.arrived_on = "2026-11-17".into();
        assert!(
            RequestDraft::parse_registered(&i, today()).is_err(),
            "arrived before sent"
        );
    }
}
