//! Rules of the kinds that hold more than their fields: an open dataset's resource files, an
//! open event's registrations, and the legal period checks of budget disclosure.

use chrono::NaiveDate;

use super::field::{CHOICE_SEP, date_of};
use super::kinds::BUDGET_SECTIONS;
use super::record::Values;
use crate::error::{DomainError, Field};

pub const RESOURCE_FIELD: Field = Field::new("file", "资源文件");

labelled_enum!(
    DataFormat, Field::new("format", "资源格式"), "资源格式", {
        Csv => ("csv", "CSV"),
        Xlsx => ("xlsx", "XLSX"),
        Json => ("json", "JSON"),
        Api => ("api", "数据接口"),
    }
);

impl DataFormat {
    pub fn content_type(self) -> &'static str {
        match self {
            DataFormat::Csv => "text/csv; charset=utf-8",
            DataFormat::Xlsx => "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            DataFormat::Json => "application/json",
            DataFormat::Api => "text/plain; charset=utf-8",
        }
    }

    /// Whether rows can be read from it.
    pub fn tabular(self) -> bool {
        matches!(self, DataFormat::Csv | DataFormat::Xlsx)
    }
}

/// The title of a dataset resource (资源名称) or of a guide's form (表格名称): trimmed, 1–100
/// characters.
pub fn extra_title(input: &str, field: Field) -> Result<String, DomainError> {
    let title = input.trim();
    if title.is_empty() || title.chars().count() > 100 {
        return Err(DomainError::invalid(
            field,
            format!("请填写{}(不超过 100 个字)", field.label),
        ));
    }
    Ok(title.to_string())
}

pub const RESOURCE_TITLE: Field = Field::new("title", "资源名称");
pub const FORM_TITLE: Field = Field::new("title", "表格名称");

/// What was collected under a fee item in a year (收费情况), as the annual report's table 二
/// takes it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct CollectionDraft {
    pub year: i32,
    pub amount_cents: i64,
    /// Where the figure comes from (e.g. 财政票据汇总表), 1–200 characters.
    pub source: String,
}

impl CollectionDraft {
    pub fn parse(year: i32, amount_cents: i64, source: &str) -> Result<Self, DomainError> {
        let source = source.trim();
        if source.is_empty() || source.chars().count() > 200 {
            return Err(DomainError::invalid(
                Field::new("source", "数据来源"),
                "请填写数据来源(如财政票据汇总表)",
            ));
        }
        if !(2000..=2100).contains(&year) || amount_cents < 0 {
            return Err(DomainError::invalid(
                Field::new("amount", "收费金额"),
                "年度或金额无效",
            ));
        }
        Ok(CollectionDraft {
            year,
            amount_cents,
            source: source.to_string(),
        })
    }
}

/// Checks a dataset file: its extension names a data format and its content is that format
/// (a CSV is UTF-8 text, an XLSX a zip, a JSON file parses), within `max_bytes`. Returns the
/// format and a clean file name.
pub fn check_resource(
    name: &str,
    bytes: &[u8],
    max_bytes: usize,
) -> Result<(DataFormat, String), DomainError> {
    let bad = |m: String| DomainError::invalid(RESOURCE_FIELD, m);
    if bytes.is_empty() {
        return Err(bad("请选择要上传的数据文件(文件不能为空)".into()));
    }
    if bytes.len() > max_bytes {
        return Err(bad(format!(
            "数据文件过大:{},不能超过 {}",
            crate::attachment::human_size(bytes.len()),
            crate::attachment::human_size(max_bytes)
        )));
    }
    let base = name.rsplit(['/', '\\']).next().unwrap_or("");
    let clean: String = base
        .chars()
        .filter(|c| !c.is_control() && !matches!(c, '<' | '>' | ':' | '"' | '|' | '?' | '*'))
        .take(100)
        .collect::<String>()
        .trim()
        .trim_start_matches('.')
        .to_string();
    let ext = clean
        .rsplit_once('.')
        .map(|(_, e)| e.to_ascii_lowercase())
        .unwrap_or_default();
    let format = match ext.as_str() {
        "csv" => DataFormat::Csv,
        "xlsx" => DataFormat::Xlsx,
        "json" => DataFormat::Json,
        _ => return Err(bad("数据文件只能是 CSV、XLSX 或 JSON".into())),
    };
    let zip = bytes.starts_with(b"PK\x03\x04");
    let ok = match format {
        DataFormat::Xlsx => zip,
        DataFormat::Json => serde_json::from_slice::<serde_json::Value>(bytes).is_ok(),
        DataFormat::Csv => {
            let text = bytes.strip_prefix(b"\xef\xbb\xbf").unwrap_or(bytes);
            !zip && !text.contains(&0) && std::str::from_utf8(text).is_ok()
        }
        DataFormat::Api => false,
    };
    if !ok {
        return Err(bad(format!(
            "文件内容不是有效的 {}{}",
            format.label(),
            if format == DataFormat::Csv {
                "(应为 UTF-8 编码的文本)"
            } else {
                ""
            }
        )));
    }
    Ok((format, clean))
}

/// An API endpoint of a dataset: an http(s) address.
pub fn check_endpoint(url: &str) -> Result<String, DomainError> {
    let u = url.trim();
    if (u.starts_with("https://") || u.starts_with("http://"))
        && u.len() > 10
        && u.len() <= 500
        && !u.chars().any(|c| c.is_whitespace() || c.is_control())
    {
        Ok(u.to_string())
    } else {
        Err(DomainError::invalid(
            Field::new("url", "接口地址"),
            "接口地址应以 https:// 或 http:// 开头,不含空格",
        ))
    }
}

/// The questionnaire every registration answers.
pub const QUESTIONS: &[(&str, &str, &[&str])] = &[
    ("first_time", "您是否第一次参加政府开放活动", &["是", "否"]),
    (
        "source",
        "您从哪里得知本次活动",
        &["政府网站", "政务新媒体", "社区通知", "亲友介绍", "其他"],
    ),
    ("concern", "您最希望了解的问题", &[]),
];

/// Whether an event with `event` values still takes registrations with `taken` places gone:
/// registration closes at the end of the day before the event, or when it is full.
pub fn registration_open(event: &Values, taken: i64, today: NaiveDate) -> Result<(), DomainError> {
    let held_on = event.get("held_on").and_then(|d| date_of(d));
    if held_on.is_none_or(|d| d <= today) {
        return Err(DomainError::conflict(None, "报名已截止:活动已经开始或结束"));
    }
    let capacity: i64 = event
        .get("capacity")
        .and_then(|c| c.parse().ok())
        .unwrap_or(0);
    if taken >= capacity {
        return Err(DomainError::conflict(
            None,
            format!("名额已满(共 {capacity} 个名额)"),
        ));
    }
    Ok(())
}

/// A registration as submitted, checked.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Registration {
    pub name: String,
    pub phone: String,
    /// Question key → answer.
    pub answers: Vec<(String, String)>,
}

/// Checks a registration for the event with `event` values, given how many places are taken,
/// on `today`. A full event, or one held today or earlier, takes no more registrations.
pub fn register(
    event: &Values,
    taken: i64,
    today: NaiveDate,
    name: &str,
    phone: &str,
    answer: impl Fn(&str) -> String,
) -> Result<Registration, DomainError> {
    registration_open(event, taken, today)?;
    let name = name.trim();
    if name.is_empty() || name.chars().count() > 30 || name.chars().any(char::is_control) {
        return Err(DomainError::invalid(
            Field::new("name", "姓名"),
            "请填写姓名(不超过 30 个字)",
        ));
    }
    let phone = crate::text::halfwidth(phone.trim());
    if phone.len() != 11 || !phone.starts_with('1') || !phone.chars().all(|c| c.is_ascii_digit()) {
        return Err(DomainError::invalid(
            Field::new("phone", "手机号码"),
            "请填写 11 位手机号码",
        ));
    }
    let mut answers = Vec::new();
    for (key, label, options) in QUESTIONS {
        let a = answer(key);
        let a = a.trim();
        if options.is_empty() {
            if a.chars().count() > 200 || a.chars().any(|c| c.is_control() && c != '\n') {
                return Err(DomainError::invalid(
                    Field::new("concern", "您最希望了解的问题"),
                    "不能超过 200 个字",
                ));
            }
            if !a.is_empty() {
                answers.push((key.to_string(), a.to_string()));
            }
        } else if options.contains(&a) {
            answers.push((key.to_string(), a.to_string()));
        } else {
            return Err(DomainError::invalid(
                Field::new(key, label),
                format!("请回答“{label}”,可选:{}", options.join(CHOICE_SEP)),
            ));
        }
    }
    Ok(Registration {
        name: name.to_string(),
        phone,
        answers,
    })
}

/// What a budget disclosure record lacks or did late.
pub fn budget_problems(
    v: &Values,
    published_on: Option<NaiveDate>,
    due_on: Option<NaiveDate>,
) -> Vec<String> {
    let mut out = Vec::new();
    let have: Vec<&str> = v
        .get("sections")
        .map(|s| s.split(CHOICE_SEP).collect())
        .unwrap_or_default();
    let missing: Vec<&str> = BUDGET_SECTIONS
        .iter()
        .copied()
        .filter(|s| !have.contains(s))
        .collect();
    if !missing.is_empty() {
        out.push(format!("缺少:{}", missing.join(CHOICE_SEP)));
    }
    if let (Some(p), Some(d)) = (published_on, due_on)
        && p > d
    {
        out.push(format!("公开日期 {p} 晚于法定期限 {d}(批复后二十日内)"));
    }
    out
}

/// The budget disclosures every department should have made by `today`: this year's 部门预算
/// from April (budgets are approved in the first quarter and published within twenty days),
/// last year's 部门决算 from September.
pub fn expected_budgets(today: NaiveDate) -> Vec<(i32, &'static str)> {
    use chrono::Datelike;
    let mut out = Vec::new();
    if today.month() >= 4 {
        out.push((today.year(), "部门预算"));
    }
    if today.month() >= 9 {
        out.push((today.year() - 1, "部门决算"));
    }
    out
}
