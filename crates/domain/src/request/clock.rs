//! The statutory clock of a request, computed from its events and the work calendar, with a
//! ledger that explains every day: which were counted, which were skipped and why.
//!
//! Rules (条例): the receipt date by channel (第三十一条); reply within 20 working days of
//! receipt (第三十三条); one 补正 notice within 7 working days, after which the clock restarts
//! from the day the corrected application arrives (第三十条); an extension of at most 20
//! working days (第三十三条); time spent consulting a third party (第三十二条) or another agency
//! (第三十四条) is not counted; nor, by the fee rules, the time until a fee notice is paid,
//! with 20 working days to pay. A period counts from the day after its event.

use chrono::NaiveDate;
use serde::Serialize;

use crate::calendar::{DayReason, WorkCalendar};
use crate::error::{DomainError, Field};

/// Working days to reply (第三十三条).
pub const REPLY_DAYS: u32 = 20;
/// Working days to send the one 补正 notice (第三十条).
pub const CORRECTION_NOTICE_DAYS: u32 = 7;
/// Longest extension (第三十三条).
pub const MAX_EXTENSION: u32 = 20;
/// Working days a third party or another agency has to give its opinion (第三十二、三十四条).
pub const CONSULTATION_DAYS: u32 = 15;
/// Working days to pay a fee notice.
pub const FEE_PAYMENT_DAYS: u32 = 20;
/// Within this many working days of the due date a request is flagged.
pub const DUE_SOON: u32 = 5;

const EVENTS: Field = Field::new("event", "办理环节");

labelled_enum!(
    /// How the application came in; decides its receipt date (第三十一条).
    Channel, Field::new("channel", "提交渠道"), "提交渠道", {
    InPerson => ("in_person", "当面提交"),
    RegisteredPost => ("registered_post", "邮寄(需签收)"),
    OrdinaryPost => ("ordinary_post", "平常信函"),
    Online => ("online", "互联网"),
    Fax => ("fax", "传真"),
    Other => ("other", "其他渠道"),
});

/// The three moments Art. 31 distinguishes, kept apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct Receipt {
    pub channel: Channel,
    /// When the applicant handed in, posted or sent it.
    pub submitted_on: NaiveDate,
    /// When it arrived (registered post: the signing date).
    pub arrived_on: Option<NaiveDate>,
    /// When the office and the applicant confirmed it.
    pub confirmed_on: Option<NaiveDate>,
}

impl Receipt {
    /// 收到申请之日 and the rule applied; `None` while the date the rule needs is not known
    /// yet (an online application before it is confirmed).
    pub fn received_on(&self) -> Result<Option<(NaiveDate, &'static str)>, DomainError> {
        for (date, what) in [
            (self.arrived_on, "签收(到达)日期"),
            (self.confirmed_on, "确认日期"),
        ] {
            if let Some(d) = date
                && d < self.submitted_on
            {
                return Err(DomainError::invalid(
                    EVENTS,
                    format!("{what} {d} 早于提交日期 {}", self.submitted_on),
                ));
            }
        }
        Ok(match self.channel {
            Channel::InPerson => Some((
                self.submitted_on,
                "当面提交,以提交之日为收到申请之日(条例第三十一条第(一)项)",
            )),
            Channel::RegisteredPost => self.arrived_on.map(|d| {
                (
                    d,
                    "邮寄提交,以行政机关签收之日为收到申请之日(条例第三十一条第(二)项)",
                )
            }),
            Channel::OrdinaryPost => self.confirmed_on.map(|d| {
                (
                    d,
                    "平常信函提交,以与申请人确认之日为收到申请之日(条例第三十一条第(二)项)",
                )
            }),
            Channel::Online | Channel::Fax | Channel::Other => self.confirmed_on.map(|d| {
                (
                    d,
                    "通过互联网或传真提交,以双方确认之日为收到申请之日(条例第三十一条第(三)项)",
                )
            }),
        })
    }
}

impl Channel {
    /// Registered post is signed for: its receipt date is the signing date, which the office
    /// records (条例第三十一条第(二)项).
    pub fn is_signed_for(self) -> bool {
        self == Channel::RegisteredPost
    }
}

impl Receipt {
    /// The step that establishes the receipt date, taken on `on` by the office: for registered
    /// post `on` is the signing date (unless it was recorded at registration); for ordinary
    /// post, online, fax and other channels it is the confirmation date, which needs a reason
    /// when it is later than the day the application arrived (the applicant's clock waits on
    /// it). Returns the completed receipt, its date and the Art. 31 rule that set it.
    pub fn confirm(
        self,
        on: NaiveDate,
        reason: &str,
    ) -> Result<(Receipt, NaiveDate, &'static str), DomainError> {
        if on < self.submitted_on {
            return Err(DomainError::invalid(
                Field::new("on", "确认日期"),
                format!("确认日期 {on} 早于提交日期 {}", self.submitted_on),
            ));
        }
        let mut next = Receipt {
            confirmed_on: Some(on),
            ..self
        };
        let arrival = match self.channel {
            Channel::RegisteredPost => {
                next.arrived_on = Some(self.arrived_on.unwrap_or(on));
                None
            }
            Channel::InPerson => None,
            Channel::OrdinaryPost => self.arrived_on,
            Channel::Online | Channel::Fax | Channel::Other => {
                Some(self.arrived_on.unwrap_or(self.submitted_on))
            }
        };
        if let Some(a) = arrival
            && on > a
            && reason.trim().is_empty()
        {
            return Err(DomainError::invalid(
                Field::new("reason", "延后确认的原因"),
                format!(
                    "申请于 {a} 到达,确认日期 {on} 晚于到达日期:收到申请之日以确认之日为准,请说明延后确认的原因"
                ),
            ));
        }
        let (received, rule) = next.received_on()?.ok_or_else(|| {
            DomainError::internal("a confirmed receipt always has a receipt date")
        })?;
        Ok((next, received, rule))
    }
}

/// What stops the clock while it lasts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, serde::Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PauseKind {
    ThirdParty,
    OtherAgency,
    Fee,
}

impl PauseKind {
    pub fn label(self) -> &'static str {
        match self {
            PauseKind::ThirdParty => "征求第三方意见(条例第三十二条)",
            PauseKind::OtherAgency => "征求其他机关意见(条例第三十四条)",
            PauseKind::Fee => "等待缴纳信息处理费",
        }
    }
}

/// Events that move the clock. Staff actions record them; the clock is recomputed from the
/// whole list each time (and when the calendar changes).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, serde::Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClockEvent {
    /// The one 补正 notice, with the applicant's deadline set by the agency.
    CorrectionRequested {
        on: NaiveDate,
        deadline: NaiveDate,
    },
    /// The corrected application arrived: the clock starts again from this day.
    CorrectionReceived {
        on: NaiveDate,
    },
    /// An approved extension of `days` working days.
    Extended {
        on: NaiveDate,
        days: u32,
    },
    PauseStarted {
        on: NaiveDate,
        pause: PauseKind,
    },
    PauseEnded {
        on: NaiveDate,
        pause: PauseKind,
    },
    /// Replied (or otherwise closed).
    Closed {
        on: NaiveDate,
    },
}

impl ClockEvent {
    pub fn on(&self) -> NaiveDate {
        match *self {
            ClockEvent::CorrectionRequested { on, .. }
            | ClockEvent::CorrectionReceived { on }
            | ClockEvent::Extended { on, .. }
            | ClockEvent::PauseStarted { on, .. }
            | ClockEvent::PauseEnded { on, .. }
            | ClockEvent::Closed { on } => on,
        }
    }
}

/// Why a day of the ledger was or was not counted.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum LedgerReason {
    Day { day: DayReason },
    Paused { pause: PauseKind },
    AwaitingCorrection,
}

impl LedgerReason {
    pub fn label(&self) -> String {
        match self {
            LedgerReason::Day { day } => day.label(),
            LedgerReason::Paused { pause } => format!("暂停计时:{}", pause.label()),
            LedgerReason::AwaitingCorrection => "等待申请人补正(补正后重新计算答复期限)".into(),
        }
    }
}

/// A run of days with the same verdict and reason.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct LedgerLine {
    pub from: NaiveDate,
    pub to: NaiveDate,
    pub days: u32,
    pub counted: bool,
    pub reason: LedgerReason,
}

impl std::fmt::Display for LedgerLine {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let range = if self.from == self.to {
            self.from.to_string()
        } else {
            format!("{} 至 {}", self.from, self.to)
        };
        let verdict = if self.counted { "计入" } else { "不计入" };
        write!(
            f,
            "{range} {}:{verdict} {} 天",
            self.reason.label(),
            self.days
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum ClockState {
    Running,
    /// Stopped by an open consultation or fee notice.
    Paused {
        pauses: Vec<PauseKind>,
    },
    AwaitingCorrection {
        deadline: NaiveDate,
    },
    /// The applicant's 补正 deadline passed: may be closed as 其他处理 1.
    CorrectionLapsed {
        deadline: NaiveDate,
    },
    /// The fee was not paid in time: may be closed as 其他处理 2.
    FeeLapsed {
        deadline: NaiveDate,
    },
    Closed {
        on: NaiveDate,
        on_time: bool,
    },
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case")]
pub enum Alert {
    /// Due in this many working days (≤ [`DUE_SOON`]).
    DueSoon {
        workdays: u32,
    },
    /// Due on the next working day.
    DueTomorrow,
    DueToday,
    /// Past its due date by this many working days.
    Overdue {
        workdays: u32,
    },
    /// The applicant let the 补正 deadline pass: to be closed as 其他处理 (逾期不补正),
    /// with the letter.
    CorrectionLapsed {
        deadline: NaiveDate,
    },
    /// The fee was not paid in time: to be closed as 其他处理 (逾期未缴费), with the letter.
    FeeLapsed {
        deadline: NaiveDate,
    },
}

impl Alert {
    pub fn label(&self) -> String {
        match self {
            Alert::DueSoon { workdays } => format!("{workdays} 个工作日内到期"),
            Alert::DueTomorrow => "下一个工作日到期".into(),
            Alert::DueToday => "今天到期".into(),
            Alert::Overdue { workdays } => format!("已超期 {workdays} 个工作日"),
            Alert::CorrectionLapsed { deadline } => {
                format!("补正期限 {deadline} 已过:应按“其他处理(申请人逾期未补正)”办结并告知申请人")
            }
            Alert::FeeLapsed { deadline } => {
                format!("缴费期限 {deadline} 已过:应按“其他处理(申请人逾期未缴费)”办结并告知申请人")
            }
        }
    }

    /// The request waits to be closed because the applicant let a deadline pass.
    pub fn to_close(&self) -> bool {
        matches!(
            self,
            Alert::CorrectionLapsed { .. } | Alert::FeeLapsed { .. }
        )
    }
}

#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct Clock {
    pub received_on: NaiveDate,
    /// The receipt date, or the day the corrected application arrived.
    pub counting_from: NaiveDate,
    /// 20 working days plus any extension.
    pub limit: u32,
    pub extension: u32,
    /// Working days counted up to today (or the closing day).
    pub counted: u32,
    /// The reply due date; `None` while the clock is stopped with no end in sight.
    pub due: Option<NaiveDate>,
    pub correction_notice_due: NaiveDate,
    pub correction_requested: bool,
    pub fee_deadline: Option<NaiveDate>,
    pub state: ClockState,
    pub alert: Option<Alert>,
    pub ledger: Vec<LedgerLine>,
    /// Consultations the 15-working-day limit ended (the clock ran on after them).
    pub lapsed_consultations: Vec<LapsedConsultation>,
    /// The due date counts days of a year whose holiday notice is not out yet: it may move
    /// when the notice is loaded.
    pub provisional: bool,
}

impl Clock {
    /// The due date as pages show it, or why there is none.
    pub fn due_label(&self) -> String {
        match (self.due, &self.state) {
            (Some(d), _) if self.provisional => format!("{d}(暂定)"),
            (Some(d), _) => d.to_string(),
            (None, ClockState::AwaitingCorrection { deadline }) => {
                format!("等待补正(补正期限 {deadline})")
            }
            (None, ClockState::CorrectionLapsed { .. }) => "逾期未补正,待办结".into(),
            (None, ClockState::FeeLapsed { .. }) => "逾期未缴费,待办结".into(),
            (None, ClockState::Closed { .. }) => "已办结".into(),
            (None, _) => "暂停计时".into(),
        }
    }

    pub fn explain(&self) -> Vec<String> {
        self.ledger.iter().map(|l| l.to_string()).collect()
    }
}

fn refuse(message: impl Into<String>) -> DomainError {
    DomainError::invalid(EVENTS, message)
}

fn next(day: NaiveDate) -> Result<NaiveDate, DomainError> {
    day.succ_opt()
        .ok_or_else(|| DomainError::internal("date overflow"))
}

/// Appends one day to the ledger, merging it into the last line when the verdict and reason
/// are the same.
fn push(ledger: &mut Vec<LedgerLine>, day: NaiveDate, counted: bool, reason: LedgerReason) {
    if let Some(last) = ledger.last_mut()
        && last.counted == counted
        && last.reason == reason
        && next(last.to).ok() == Some(day)
    {
        last.to = day;
        last.days += 1;
        return;
    }
    ledger.push(LedgerLine {
        from: day,
        to: day,
        days: 1,
        counted,
        reason,
    });
}

/// A pause: stops counting on the days after `from`, up to and including `to` (open: `None`),
/// and never past `limit`: a consultation's 15 working days.
#[derive(Clone, Copy, Debug)]
struct Pause {
    kind: PauseKind,
    from: NaiveDate,
    to: Option<NaiveDate>,
    limit: Option<NaiveDate>,
}

impl Pause {
    fn covers(&self, day: NaiveDate) -> bool {
        day > self.from && self.to.is_none_or(|t| day <= t) && self.limit.is_none_or(|l| day <= l)
    }

    /// Still stopping the clock after `day`: open, and not yet at its limit.
    fn open_after(&self, day: NaiveDate) -> bool {
        self.to.is_none() && self.limit.is_none_or(|l| day <= l)
    }

    /// The day its limit ended it, when the consultation ran (or is running) past it.
    fn lapsed(&self, today: NaiveDate) -> Option<NaiveDate> {
        let limit = self.limit?;
        match self.to {
            Some(to) if to > limit => Some(limit),
            None if today > limit => Some(limit),
            _ => None,
        }
    }
}

/// A consultation that the law ended: the third party or the other agency had 15 working
/// days (条例第三十二、三十四条); the clock runs again from the day after, and the request is
/// flagged so that someone decides without the opinion.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
pub struct LapsedConsultation {
    pub pause: PauseKind,
    pub started_on: NaiveDate,
    pub ended_on: NaiveDate,
}

/// The checked story told by the events.
struct Story {
    correction: Option<(NaiveDate, NaiveDate)>,
    corrected_on: Option<NaiveDate>,
    extension: Option<(NaiveDate, u32)>,
    pauses: Vec<Pause>,
    fee_from: Option<NaiveDate>,
    closed: Option<NaiveDate>,
}

/// Checks the order and the rules of the events; a breach is refused with the rule's reason.
fn read_events(
    cal: &WorkCalendar,
    received: NaiveDate,
    events: &[ClockEvent],
) -> Result<Story, DomainError> {
    let mut s = Story {
        correction: None,
        corrected_on: None,
        extension: None,
        pauses: Vec::new(),
        fee_from: None,
        closed: None,
    };
    let notice_due = cal.add_workdays(received, CORRECTION_NOTICE_DAYS)?.end;
    let mut last = received;
    for e in events {
        let on = e.on();
        if on < last {
            return Err(refuse(format!(
                "办理环节的日期 {on} 早于收到申请之日或上一环节({last})"
            )));
        }
        last = on;
        if let Some(c) = s.closed {
            return Err(refuse(format!("申请已于 {c} 办结,不能再办理")));
        }
        match *e {
            ClockEvent::CorrectionRequested { on, deadline } => {
                if s.correction.is_some() {
                    return Err(refuse(
                        "补正告知只能一次性发出(条例第三十条),本申请已告知过补正",
                    ));
                }
                if on > notice_due {
                    return Err(refuse(format!(
                        "补正告知应在收到申请之日起 7 个工作日内(即 {notice_due} 前)发出(条例第三十条)"
                    )));
                }
                if deadline <= on {
                    return Err(DomainError::invalid(
                        Field::new("deadline", "补正期限"),
                        "补正期限应晚于告知日期",
                    ));
                }
                if s.pauses.iter().any(|p| p.to.is_none()) {
                    return Err(refuse("征求意见或收费期间不能告知补正"));
                }
                s.correction = Some((on, deadline));
            }
            ClockEvent::CorrectionReceived { on } => match (s.correction, s.corrected_on) {
                (None, _) => return Err(refuse("尚未告知补正,不能登记补正材料")),
                (Some(_), Some(_)) => return Err(refuse("补正材料已经登记")),
                (Some((_, deadline)), None) if on > deadline => {
                    return Err(refuse(format!(
                        "补正期限已于 {deadline} 届满,申请人逾期未补正的视为放弃申请(条例第三十条)"
                    )));
                }
                (Some(_), None) => s.corrected_on = Some(on),
            },
            ClockEvent::Extended { on, days } => {
                if s.extension.is_some() {
                    return Err(refuse("答复期限已经延长过"));
                }
                if !(1..=MAX_EXTENSION).contains(&days) {
                    return Err(DomainError::invalid(
                        Field::new("days", "延长天数"),
                        format!("延长期限应为 1–{MAX_EXTENSION} 个工作日(条例第三十三条)"),
                    ));
                }
                if s.correction.is_some() && s.corrected_on.is_none() {
                    return Err(refuse("等待补正期间不能延期"));
                }
                s.extension = Some((on, days));
            }
            ClockEvent::PauseStarted { on, pause } => {
                if s.pauses.iter().any(|p| p.kind == pause && p.to.is_none()) {
                    return Err(refuse(format!("{}已在进行中", pause.label())));
                }
                if s.correction.is_some() && s.corrected_on.is_none() {
                    return Err(refuse("等待补正期间不能开始征求意见或收费"));
                }
                if pause == PauseKind::Fee {
                    if s.fee_from.is_some() {
                        return Err(refuse("收费通知只能发出一次"));
                    }
                    // The notice belongs inside the reply period (收费管理办法): after it,
                    // the request is late, and a fee cannot buy more time.
                    let from = s.corrected_on.unwrap_or(received);
                    let ext = s.extension.map_or(0, |(_, d)| d);
                    if let Some(due) = compute_walk(cal, &s, from, ext, Some(on))?.due
                        && on > due
                    {
                        return Err(refuse(format!(
                            "答复期限已于 {due} 届满,不能再发出收费通知(应在答复期限内发出)"
                        )));
                    }
                    s.fee_from = Some(on);
                }
                let limit = match pause {
                    PauseKind::ThirdParty | PauseKind::OtherAgency => {
                        Some(cal.add_workdays(on, CONSULTATION_DAYS)?.end)
                    }
                    PauseKind::Fee => None,
                };
                s.pauses.push(Pause {
                    kind: pause,
                    from: on,
                    to: None,
                    limit,
                });
            }
            ClockEvent::PauseEnded { on, pause } => {
                let Some(p) = s
                    .pauses
                    .iter_mut()
                    .find(|p| p.kind == pause && p.to.is_none())
                else {
                    return Err(refuse(format!("没有进行中的{}", pause.label())));
                };
                if pause == PauseKind::Fee {
                    let deadline = cal.add_workdays(p.from, FEE_PAYMENT_DAYS)?.end;
                    if on > deadline {
                        return Err(refuse(format!(
                            "缴费期限已于 {deadline} 届满,逾期未缴费的不再处理该申请"
                        )));
                    }
                }
                p.to = Some(on);
            }
            // Closing while a correction is awaited is allowed: 逾期不补正 ends that way.
            ClockEvent::Closed { on } => s.closed = Some(on),
        }
    }
    // An extension must be granted before the period it extends has run out.
    if let Some((on, _)) = s.extension {
        let from = s.corrected_on.unwrap_or(received);
        let without = compute_walk(cal, &s, from, 0, None)?;
        if let Some(due) = without.due
            && on > due
        {
            return Err(refuse(format!("答复期限已于 {due} 届满,不能在届满后延期")));
        }
    }
    Ok(s)
}

struct Walk {
    due: Option<NaiveDate>,
    ledger: Vec<LedgerLine>,
    open_pauses: Vec<PauseKind>,
}

/// Counts from `from` until `limit` working days outside pauses have passed, or until an open
/// pause stops the count (then `due` is `None` and the ledger runs up to `until`).
fn compute_walk(
    cal: &WorkCalendar,
    s: &Story,
    from: NaiveDate,
    extension: u32,
    until: Option<NaiveDate>,
) -> Result<Walk, DomainError> {
    let limit = REPLY_DAYS + extension;
    let mut ledger = Vec::new();
    let mut counted = 0;
    let mut day = from;
    let horizon = until.unwrap_or(from);
    for _ in 0..crate::calendar::MAX_WORKDAYS {
        if counted >= limit {
            return Ok(Walk {
                due: Some(day),
                ledger,
                open_pauses: Vec::new(),
            });
        }
        day = next(day)?;
        let covering: Vec<&Pause> = s.pauses.iter().filter(|p| p.covers(day)).collect();
        if let Some(p) = covering.first() {
            if p.open_after(day) && day > horizon {
                let open = covering
                    .iter()
                    .filter(|p| p.open_after(day))
                    .map(|p| p.kind)
                    .collect();
                return Ok(Walk {
                    due: None,
                    ledger,
                    open_pauses: open,
                });
            }
            push(
                &mut ledger,
                day,
                false,
                LedgerReason::Paused { pause: p.kind },
            );
            continue;
        }
        let info = cal.is_workday(day);
        if info.workday {
            counted += 1;
        }
        push(
            &mut ledger,
            day,
            info.workday,
            LedgerReason::Day { day: info.reason },
        );
    }
    Err(DomainError::internal("clock did not converge"))
}

/// The clock of a request received on `received`, after `events`, as of `today`.
pub fn compute(
    cal: &WorkCalendar,
    received: NaiveDate,
    events: &[ClockEvent],
    today: NaiveDate,
) -> Result<Clock, DomainError> {
    let s = read_events(cal, received, events)?;
    let correction_notice_due = cal.add_workdays(received, CORRECTION_NOTICE_DAYS)?.end;
    let extension = s.extension.map_or(0, |(_, d)| d);
    let limit = REPLY_DAYS + extension;
    let fee_deadline = match s.fee_from {
        Some(f) => Some(cal.add_workdays(f, FEE_PAYMENT_DAYS)?.end),
        None => None,
    };
    let end_of_view = s.closed.unwrap_or(today);

    // Waiting for the applicant's correction: the count so far is void (第三十条).
    if let (Some((asked, deadline)), None) = (s.correction, s.corrected_on) {
        let mut ledger = Vec::new();
        let mut day = received;
        while day < asked {
            day = next(day)?;
            let info = cal.is_workday(day);
            push(
                &mut ledger,
                day,
                info.workday,
                LedgerReason::Day { day: info.reason },
            );
        }
        while day < end_of_view.max(asked) {
            day = next(day)?;
            push(&mut ledger, day, false, LedgerReason::AwaitingCorrection);
        }
        let state = match s.closed {
            Some(on) => ClockState::Closed { on, on_time: true },
            None if today > deadline => ClockState::CorrectionLapsed { deadline },
            None => ClockState::AwaitingCorrection { deadline },
        };
        let alert = match state {
            ClockState::CorrectionLapsed { deadline } => Some(Alert::CorrectionLapsed { deadline }),
            _ => None,
        };
        return Ok(Clock {
            received_on: received,
            counting_from: received,
            limit,
            extension,
            counted: 0,
            due: None,
            correction_notice_due,
            correction_requested: true,
            fee_deadline,
            state,
            alert,
            ledger,
            lapsed_consultations: Vec::new(),
            provisional: false,
        });
    }

    let counting_from = s.corrected_on.unwrap_or(received);
    let walk = compute_walk(cal, &s, counting_from, extension, Some(end_of_view))?;
    let counted = walk
        .ledger
        .iter()
        .filter(|l| l.counted)
        .map(|l| {
            if l.to <= end_of_view {
                l.days
            } else if l.from > end_of_view {
                0
            } else {
                // Part of the run lies after today: count only the days up to today.
                (end_of_view - l.from).num_days() as u32 + 1
            }
        })
        .sum();
    // Open pauses: those that stop the count ahead, and a consultation on its last day (the
    // walk already knows when it ends, so it does not stop there).
    let mut open = walk.open_pauses.clone();
    for p in &s.pauses {
        if p.to.is_none()
            && p.from <= end_of_view
            && p.limit.is_some_and(|l| end_of_view <= l)
            && !open.contains(&p.kind)
        {
            open.push(p.kind);
        }
    }
    let state = match (s.closed, walk.due) {
        (Some(on), due) => ClockState::Closed {
            on,
            on_time: due.is_none_or(|d| on <= d),
        },
        (None, _) if !open.is_empty() => match (fee_deadline, open.contains(&PauseKind::Fee)) {
            (Some(d), true) if today > d => ClockState::FeeLapsed { deadline: d },
            _ => ClockState::Paused {
                pauses: open.clone(),
            },
        },
        (None, _) => ClockState::Running,
    };
    let alert = match (&state, walk.due) {
        (ClockState::Running, Some(due)) if today > due => Some(Alert::Overdue {
            workdays: cal.workdays_between(due, today)?.workdays.max(1),
        }),
        (ClockState::Running, Some(due)) if today == due => Some(Alert::DueToday),
        (ClockState::FeeLapsed { deadline }, _) => Some(Alert::FeeLapsed {
            deadline: *deadline,
        }),
        (ClockState::Running, Some(_)) => match limit.saturating_sub(counted) {
            1 => Some(Alert::DueTomorrow),
            n if n <= DUE_SOON => Some(Alert::DueSoon { workdays: n }),
            _ => None,
        },
        _ => None,
    };
    Ok(Clock {
        received_on: received,
        counting_from,
        limit,
        extension,
        counted,
        due: walk.due,
        correction_notice_due,
        correction_requested: s.correction.is_some(),
        fee_deadline,
        state,
        alert,
        provisional: walk
            .due
            .is_some_and(|due| s.closed.is_none() && cal.provisional_between(counting_from, due)),
        ledger: walk.ledger,
        lapsed_consultations: s
            .pauses
            .iter()
            .filter_map(|p| {
                p.lapsed(end_of_view).map(|ended_on| LapsedConsultation {
                    pause: p.kind,
                    started_on: p.from,
                    ended_on,
                })
            })
            .collect(),
    })
}

#[cfg(test)]
mod tests;
