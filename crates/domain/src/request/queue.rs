//! The office's views of its open requests: what each holds is a rule about the request's
//! status, its clock and its assignee, the same on the queue page and the office home.

use super::clock::Alert;
use super::workflow::Status;
use crate::error::Field;

labelled_enum!(
    /// A view of the open requests.
    QueueView, Field::new("view", "视图"), "视图", {
    All => ("all", "全部在办"),
    Mine => ("mine", "我承办的"),
    DueSoon => ("due_soon", "即将到期"),
    Overdue => ("overdue", "已超期"),
    /// The applicant let a 补正 or fee deadline pass: to be closed as 其他处理.
    ToClose => ("to_close", "逾期未补正/未缴费待办结"),
    Review => ("review", "待审核"),
    /// Filed online, by fax or ordinary post and not yet confirmed: their clock cannot start.
    Pending => ("pending", "待确认收到"),
});

impl QueueView {
    /// The view a query names, or every open request when it names none we know.
    pub fn or_all(code: &str) -> QueueView {
        QueueView::parse(code).unwrap_or(QueueView::All)
    }

    /// Whether an open request with this status, clock alert and assignee belongs in the view
    /// of user `me`.
    pub fn holds(
        self,
        status: Status,
        alert: Option<&Alert>,
        assignee: Option<i64>,
        me: i64,
    ) -> bool {
        match self {
            QueueView::All => true,
            QueueView::Mine => assignee == Some(me),
            QueueView::DueSoon => matches!(
                alert,
                Some(Alert::DueSoon { .. } | Alert::DueTomorrow | Alert::DueToday)
            ),
            QueueView::Overdue => matches!(alert, Some(Alert::Overdue { .. })),
            QueueView::ToClose => alert.is_some_and(Alert::to_close),
            QueueView::Review => status == Status::Drafted,
            QueueView::Pending => status == Status::Pending,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn each_view_holds_what_its_label_says() {
        let overdue = Alert::Overdue { workdays: 2 };
        let h = |v: QueueView, s, a: Option<&Alert>, who| v.holds(s, a, who, 7);
        assert!(h(QueueView::All, Status::Replied, None, None));
        assert!(h(QueueView::Mine, Status::InProgress, None, Some(7)));
        assert!(!h(QueueView::Mine, Status::InProgress, None, Some(8)));
        assert!(h(
            QueueView::Overdue,
            Status::InProgress,
            Some(&overdue),
            None
        ));
        assert!(!h(
            QueueView::DueSoon,
            Status::InProgress,
            Some(&overdue),
            None
        ));
        assert!(h(
            QueueView::DueSoon,
            Status::InProgress,
            Some(&Alert::DueToday),
            None
        ));
        assert!(h(QueueView::Review, Status::Drafted, None, None));
        assert!(!h(QueueView::Review, Status::Approved, None, None));
        assert!(h(QueueView::Pending, Status::Pending, None, None));
        assert_eq!(QueueView::or_all(" overdue "), QueueView::Overdue);
        assert_eq!(QueueView::or_all("<script>"), QueueView::All);
        assert_eq!(QueueView::Pending.label(), "待确认收到");
    }
}
