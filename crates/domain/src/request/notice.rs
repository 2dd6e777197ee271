//! The e-mails an applicant gets when they gave an address (条例第二十九条 contact): one
//! on filing and one for each step they can see on the tracking page. They carry the tracking
//! code, never the secret key, and nothing the tracking page would not show.

use chrono::NaiveDate;

use super::workflow::Status;
use crate::Field;

labelled_enum!(
    /// Where a queued e-mail stands in the outbox.
    MailStatus, Field::new("status", "发送状态"), "发送状态", {
    Queued => ("queued", "待发送"),
    Sent => ("sent", "已发送"),
    Failed => ("failed", "发送失败"),
    /// Not sent before the outbox gave up on its age (a relay down for days).
    Expired => ("expired", "已过期未发送"),
});

impl MailStatus {
    /// The label for staff, which tells a first try from a retry.
    pub fn label_after(self, attempts: i64) -> &'static str {
        match self {
            MailStatus::Queued if attempts > 0 => "重试中",
            s => s.label(),
        }
    }
}

/// A message to send, before it is queued.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

/// What a notice is written from.
pub struct NoticeInput<'a> {
    pub to: &'a str,
    pub agency: &'a str,
    pub applicant: &'a str,
    pub tracking_code: &'a str,
    pub status: Status,
    /// The reply due date, once the clock runs.
    pub due_on: Option<NaiveDate>,
    /// The site's base URL, for the tracking link, when configured.
    pub site: Option<&'a str>,
}

fn footer(n: &NoticeInput) -> String {
    let track = match n.site {
        Some(base) => format!("{}/requests/track", base.trim_end_matches('/')),
        None => "本平台“查询申请办理进度”页面".to_string(),
    };
    format!(
        "请凭查询码 {} 和提交时获得的查询密钥在 {track} 查看详情。\n\
         为保护您的信息,本邮件不含查询密钥;请勿直接回复本邮件。\n\n{}",
        n.tracking_code, n.agency
    )
}

/// Sent when the application is committed.
pub fn filed(n: &NoticeInput, online: bool) -> Mail {
    let receipt = if online {
        "网上提交的申请,以本机关确认收到之日为收到申请之日(条例第三十一条),确认后将另行通知您。"
    } else {
        "本机关已登记您的申请。"
    };
    Mail {
        to: n.to.to_string(),
        subject: format!(
            "【{}】已收到您的政府信息公开申请 {}",
            n.agency, n.tracking_code
        ),
        body: format!(
            "{}:\n\n您向{}提出的政府信息公开申请已提交,查询码为 {}。{receipt}\n\n{}\n",
            n.applicant,
            n.agency,
            n.tracking_code,
            footer(n)
        ),
    }
}

/// Sent for a step the applicant can see, with the same words the tracking page shows.
pub fn progress(n: &NoticeInput, public_note: &str) -> Mail {
    let due = match n.due_on {
        Some(d) if n.status.is_open() => format!("\n答复期限:{d}"),
        _ => String::new(),
    };
    Mail {
        to: n.to.to_string(),
        subject: format!(
            "【{}】政府信息公开申请 {} 办理进展:{}",
            n.agency,
            n.tracking_code,
            n.status.label()
        ),
        body: format!(
            "{}:\n\n您的政府信息公开申请(查询码 {})有新的办理进展:\n\n{public_note}\n\n当前状态:{}{due}\n\n{}\n",
            n.applicant,
            n.tracking_code,
            n.status.label(),
            footer(n)
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn input(status: Status, site: Option<&'static str>) -> NoticeInput<'static> {
        NoticeInput {
            to: "wang@example.cn",
            agency: "云溪区教育局",
            applicant: "王小明",
            tracking_code: "YX2024-0007",
            status,
            due_on: NaiveDate::from_ymd_opt(2024, 11, 1),
            site,
        }
    }

    #[test]
    fn a_progress_notice_repeats_the_public_step_and_the_due_date_while_open() {
        let m = progress(
            &input(Status::InProgress, Some("https://gk.example.gov.cn/")),
            "请于 2024-10-15 前补正:申请内容不明确",
        );
        assert_eq!(m.to, "wang@example.cn");
        assert!(m.subject.contains("YX2024-0007") && m.subject.contains("办理中"));
        assert!(m.body.starts_with("王小明:"));
        assert!(m.body.contains("请于 2024-10-15 前补正:申请内容不明确"));
        assert!(m.body.contains("答复期限:2024-11-01"));
        assert!(m.body.contains("https://gk.example.gov.cn/requests/track"));
        assert!(m.body.contains("不含查询密钥"));
    }

    #[test]
    fn a_closed_request_shows_no_due_date_and_without_a_site_the_page_is_named() {
        let m = progress(&input(Status::Replied, None), "2024-10-25 已答复(电子邮件)");
        assert!(!m.body.contains("答复期限"));
        assert!(m.body.contains("“查询申请办理进度”页面"));
    }

    #[test]
    fn the_filing_notice_explains_the_receipt_date_of_online_applications() {
        let online = filed(&input(Status::Pending, None), true);
        assert!(online.body.contains("以本机关确认收到之日为收到申请之日"));
        let paper = filed(&input(Status::Registered, None), false);
        assert!(paper.body.contains("已登记") && !paper.body.contains("确认收到之日"));
    }
}
