//! 意见征集: the public list and page of each consultation (draft, articles, comment form,
//! comments, feedback report), and the office pages where staff run one — publish, record
//! each opinion's disposition, group concentrated opinions, moderate, record the decision,
//! publish the report, export the comments.

use crate::shared::form::CsrfForm;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_domain::DomainError;
use gongkai_domain::consultation::{
    self, Article, CommentDraft, CommentInput, ConsultationDraft, ConsultationInput, Disposition,
    DispositionDraft, FeedbackReport, Identity, Phase,
};
use gongkai_store::consultations::{self, Comment, Consultation, Group, Version};
use gongkai_store::{agencies, db};
use serde::Deserialize;

use crate::shared::error::{AppError, AppResult, status_of};
use crate::shared::render::{Choice, page};
use crate::shared::session::{Staff, Visitor};
use crate::shared::state::AppState;
use crate::shared::views::Chrome;

const WHAT: &str = "意见征集";

#[derive(Template)]
#[template(path = "consultations.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<(Consultation, Phase)>,
}

pub async fn list(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    let today = db::now().date_naive();
    let rows = consultations::public_list(&mut state.db.conn().await?, None)
        .await?
        .into_iter()
        .map(|c| {
            let p = c.phase(today);
            (c, p)
        })
        .collect();
    page(
        &ListPage {
            chrome: visitor.chrome("意见征集"),
            rows,
        },
        StatusCode::OK,
        None,
    )
}

#[derive(Template)]
#[template(path = "consultation.html")]
struct PublicPage {
    chrome: Chrome,
    c: Consultation,
    phase: Phase,
    explanation: Vec<String>,
    basis: Vec<String>,
    preamble: Vec<String>,
    articles: Vec<Article>,
    comments: Vec<Comment>,
    versions: Vec<Version>,
    report: Vec<String>,
    note: Vec<String>,
    form: CommentInput,
    error: Option<String>,
    error_field: String,
    /// The number of the comment just received.
    received: Option<i64>,
}

impl PublicPage {
    fn article_label(&self, n: &u32) -> String {
        self.articles
            .iter()
            .find(|a| a.number == *n)
            .map_or_else(|| format!("第 {n} 条"), |a| a.label.clone())
    }
}

async fn public_page(
    state: &AppState,
    visitor: &Visitor,
    id: i64,
    form: CommentInput,
    error: Option<DomainError>,
    received: Option<i64>,
) -> AppResult<PublicPage> {
    let mut conn = state.db.conn().await?;
    let c = consultations::public_get(&mut conn, id)
        .await?
        .ok_or(AppError(DomainError::NotFound { what: WHAT }))?;
    let (error, error_field) = crate::shared::render::split_error(error);
    let report = c
        .report
        .as_ref()
        .map(FeedbackReport::paragraphs)
        .unwrap_or_default();
    Ok(PublicPage {
        chrome: visitor.chrome(&c.title),
        phase: c.phase(db::now().date_naive()),
        explanation: crate::shared::render::paragraphs(&c.explanation),
        basis: crate::shared::render::paragraphs(&c.basis),
        preamble: consultation::preamble(&c.draft),
        articles: consultation::articles(&c.draft),
        comments: consultations::public_comments(&mut conn, id).await?,
        versions: consultations::versions(&mut conn, id).await?,
        note: c
            .report_note
            .as_deref()
            .map(crate::shared::render::paragraphs)
            .unwrap_or_default(),
        report,
        c,
        form,
        error,
        error_field,
        received,
    })
}

#[derive(Deserialize, Default)]
pub struct ArticleQuery {
    #[serde(default)]
    article: String,
}

pub async fn public(
    State(state): State<AppState>,
    mut visitor: Visitor,
    Path(id): Path<String>,
    Query(q): Query<ArticleQuery>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, WHAT)?;
    let cookie = visitor.ensure_session().await?;
    let form = CommentInput {
        article: q.article,
        ..Default::default()
    };
    let p = public_page(&state, &visitor, id, form, None, None).await?;
    page(&p, StatusCode::OK, cookie)
}

#[derive(Deserialize)]
pub struct CommentForm {
    #[serde(flatten)]
    input: CommentInput,
}

/// Receives a comment. The page saying it was received is rendered only after the comment
/// is committed; a refused comment stores nothing and shows the form again with the reason.
pub async fn comment(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<CommentForm>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, WHAT)?;
    let ctx = visitor.ctx(&state.db);
    let now = ctx.now;
    let result = async {
        let c = consultations::public_get(&mut state.db.conn().await?, id)
            .await?
            .ok_or(DomainError::NotFound { what: WHAT })?;
        let d = CommentDraft::parse(
            &form.input,
            c.phase(now.date_naive()),
            c.name_rule,
            c.contact_rule,
            &c.article_numbers(),
        )?;
        gongkai_app::consultations::comment(&ctx, id, &d, &visitor.client).await
    }
    .await;
    match result {
        Ok(cid) => {
            let p = public_page(
                &state,
                &visitor,
                id,
                CommentInput::default(),
                None,
                Some(cid),
            )
            .await?;
            page(&p, StatusCode::CREATED, None)
        }
        Err(e) if e.is_input_error() => {
            let status = status_of(&e);
            let p = public_page(&state, &visitor, id, form.input, Some(e), None).await?;
            page(&p, status, None)
        }
        Err(e) => Err(AppError(e)),
    }
}

// ---- office ----

#[derive(Template)]
#[template(path = "office/consultations.html")]
struct OfficeList {
    chrome: Chrome,
    /// With whether its feedback report is overdue.
    rows: Vec<(Consultation, Phase, bool)>,
    form: ConsultationInput,
    agency: String,
    agencies: Vec<Choice>,
    identities: Vec<Choice>,
    error: Option<String>,
    error_field: String,
}

async fn office_list_page(
    state: &AppState,
    staff: &Staff,
    form: ConsultationInput,
    agency: String,
    error: Option<DomainError>,
) -> AppResult<OfficeList> {
    let (error, error_field) = crate::shared::render::split_error(error);
    let today = db::now().date_naive();
    let rows = consultations::for_staff(&mut state.db.conn().await?, &staff.user.principal())
        .await?
        .into_iter()
        .map(|c| {
            let p = c.phase(today);
            let overdue =
                c.report_published_at.is_none() && c.report_due_on.is_some_and(|d| d < today);
            (c, p, overdue)
        })
        .collect();
    Ok(OfficeList {
        chrome: staff.chrome("意见征集"),
        rows,
        form,
        agency,
        agencies: crate::shared::render::agency_choices(state, staff).await?,
        identities: choices!(Identity),
        error,
        error_field,
    })
}

pub async fn office(State(state): State<AppState>, staff: Staff) -> AppResult<Response> {
    let today = db::now().date_naive();
    let form = ConsultationInput {
        opens_on: today.to_string(),
        closes_on: (today + chrono::Duration::days(consultation::NORMAL_PERIOD_DAYS - 1))
            .to_string(),
        name_rule: "optional".into(),
        contact_rule: "optional".into(),
        ..Default::default()
    };
    let p = office_list_page(&state, &staff, form, String::new(), None).await?;
    page(&p, StatusCode::OK, None)
}

#[derive(Deserialize)]
pub struct ConsultationForm {
    #[serde(default)]
    agency: String,
    #[serde(flatten)]
    input: ConsultationInput,
}

pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(form): CsrfForm<ConsultationForm>,
) -> AppResult<Response> {
    let ctx = staff.ctx(&state.db);
    let result = async {
        let d = ConsultationDraft::parse(&form.input)?;
        let code = gongkai_domain::agency::AgencyCode::parse(&form.agency)?;
        let agency = agencies::by_code(&mut state.db.conn().await?, &code)
            .await?
            .ok_or(DomainError::NotFound { what: "机构" })?;
        gongkai_app::consultations::create(&ctx, agency.id, &d).await
    }
    .await;
    crate::shared::render::after_post(
        result,
        |id| format!("/office/consultations/{id}"),
        async |e| office_list_page(&state, &staff, form.input, form.agency, Some(e)).await,
    )
    .await
}

/// One comment row of the ledger, with what the office needs to decide it.
struct LedgerRow {
    c: Comment,
    group: Option<Group>,
    article: String,
}

#[derive(Template)]
#[template(path = "office/consultation.html")]
struct OfficePage {
    chrome: Chrome,
    c: Consultation,
    phase: Phase,
    form: ConsultationInput,
    identities: Vec<Choice>,
    dispositions: Vec<Choice>,
    warning: Option<String>,
    rows: Vec<LedgerRow>,
    undecided: usize,
    report: Result<Vec<String>, String>,
    today: chrono::NaiveDate,
    error: Option<String>,
    error_field: String,
}

fn input_of(c: &Consultation) -> ConsultationInput {
    ConsultationInput {
        title: c.title.clone(),
        explanation: c.explanation.clone(),
        basis: c.basis.clone(),
        draft: c.draft.clone(),
        opens_on: c.opens_on.to_string(),
        closes_on: c.closes_on.to_string(),
        short_reason: c.short_reason.clone().unwrap_or_default(),
        channels: c.channels.clone(),
        name_rule: c.name_rule.as_str().into(),
        contact_rule: c.contact_rule.as_str().into(),
    }
}

async fn office_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    form: Option<ConsultationInput>,
    error: Option<DomainError>,
) -> AppResult<OfficePage> {
    let who = staff.user.principal();
    let mut conn = state.db.conn().await?;
    let c = consultations::get(&mut conn, id)
        .await?
        .filter(|c| who.may_act_for(c.agency_id))
        .ok_or(AppError(DomainError::NotFound { what: WHAT }))?;
    let comments = consultations::comments(&mut conn, &who, id).await?;
    let groups = consultations::groups(&mut conn, id).await?;
    let articles = consultation::articles(&c.draft);
    let rows: Vec<LedgerRow> = comments
        .into_iter()
        .map(|m| LedgerRow {
            group: m
                .group_id
                .and_then(|g| groups.iter().find(|x| x.id == g).cloned()),
            article: m.article.map_or_else(
                || "整体".to_string(),
                |n| {
                    articles
                        .iter()
                        .find(|a| a.number == n)
                        .map_or_else(|| format!("第 {n} 条"), |a| a.label.clone())
                },
            ),
            c: m,
        })
        .collect();
    let undecided = rows
        .iter()
        .filter(|r| {
            r.c.hidden_reason.is_none() && r.c.group_id.is_none() && r.c.disposition.is_none()
        })
        .count();
    let report = match &c.report {
        Some(r) => Ok(r.paragraphs()),
        None => gongkai_app::consultations::report_preview(&staff.ctx(&state.db), id)
            .await
            .map(|r| r.paragraphs())
            .map_err(|e| e.to_string()),
    };
    let form = form.unwrap_or_else(|| input_of(&c));
    let warning = ConsultationDraft::parse(&form)
        .ok()
        .and_then(|d| d.warning());
    let (error, error_field) = crate::shared::render::split_error(error);
    Ok(OfficePage {
        chrome: staff.chrome(&c.title),
        phase: c.phase(db::now().date_naive()),
        c,
        form,
        identities: choices!(Identity),
        dispositions: choices!(Disposition),
        warning,
        rows,
        undecided,
        report,
        today: db::now().date_naive(),
        error,
        error_field,
    })
}

pub async fn detail(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, WHAT)?;
    let p = office_page(&state, &staff, id, None, None).await?;
    page(&p, StatusCode::OK, None)
}

pub async fn update(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ConsultationForm>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, WHAT)?;
    let ctx = staff.ctx(&state.db);
    let result = async {
        let d = ConsultationDraft::parse(&form.input)?;
        gongkai_app::consultations::update(&ctx, id, &d).await
    }
    .await;
    crate::shared::render::after_post(
        result,
        |_| format!("/office/consultations/{id}"),
        async |e| office_page(&state, &staff, id, Some(form.input), Some(e)).await,
    )
    .await
}

/// A step's fields. The group form's checkboxes repeat `members`, so the body is read as
/// pairs and the repeats gathered.
#[derive(Default)]
struct ActionForm {
    action: String,
    decided_on: String,
    decision_index: String,
    note: String,
    summary: String,
    disposition: String,
    reason: String,
    members: String,
    channel: String,
    body: String,
    article: String,
    name: String,
}

impl ActionForm {
    fn from_pairs(pairs: Vec<(String, String)>) -> ActionForm {
        let mut f = ActionForm::default();
        let mut members = Vec::new();
        for (k, v) in pairs {
            let slot = match k.as_str() {
                "action" => &mut f.action,
                "decided_on" => &mut f.decided_on,
                "decision_index" => &mut f.decision_index,
                "note" => &mut f.note,
                "summary" => &mut f.summary,
                "disposition" => &mut f.disposition,
                "reason" => &mut f.reason,
                "channel" => &mut f.channel,
                "body" => &mut f.body,
                "article" => &mut f.article,
                "name" => &mut f.name,
                "members" => {
                    members.push(v);
                    continue;
                }
                _ => continue,
            };
            *slot = v;
        }
        f.members = members.join(",");
        f
    }
}

fn member_ids(s: &str) -> Result<Vec<i64>, DomainError> {
    gongkai_domain::input::ids(s, gongkai_domain::Field::new("members", "意见"), "意见")
}

/// The consultation's steps: publish, record the decision, publish the report, group
/// opinions, enter an opinion received by another channel.
pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, WHAT)?;
    let form = ActionForm::from_pairs(pairs);
    let ctx = staff.ctx(&state.db);
    let today = ctx.today();
    let result: Result<(), DomainError> = async {
        match form.action.as_str() {
            "publish" => gongkai_app::consultations::publish(&ctx, id).await,
            "decision" => {
                let c = consultations::get(&mut state.db.conn().await?, id)
                    .await?
                    .ok_or(DomainError::NotFound { what: WHAT })?;
                let decided =
                    consultation::parse_decision_date(&form.decided_on, c.closes_on, today)?;
                let index = Some(form.decision_index.as_str());
                gongkai_app::consultations::record_decision(&ctx, id, decided, index)
                    .await
                    .map(drop)
            }
            "report" => gongkai_app::consultations::publish_report(&ctx, id, &form.note).await,
            "group" => {
                let d = DispositionDraft::parse(&form.disposition, &form.reason)?;
                let members = member_ids(&form.members)?;
                gongkai_app::consultations::create_group(&ctx, id, &form.summary, &d, &members)
                    .await
                    .map(drop)
            }
            "enter" => {
                let c = consultations::get(&mut state.db.conn().await?, id)
                    .await?
                    .ok_or(DomainError::NotFound { what: WHAT })?;
                let input = CommentInput {
                    body: form.body.clone(),
                    article: form.article.clone(),
                    name: form.name.clone(),
                    ..Default::default()
                };
                // Entered opinions arrived within the period by other channels: the period
                // rule is the public's, not the office's.
                let d = CommentDraft::parse(
                    &input,
                    Phase::Open,
                    Identity::Optional,
                    Identity::Optional,
                    &c.article_numbers(),
                )?;
                gongkai_app::consultations::enter_comment(&ctx, id, &d, &form.channel)
                    .await
                    .map(drop)
            }
            _ => Err(gongkai_domain::input::unknown_action()),
        }
    }
    .await;
    crate::shared::render::after_post(
        result,
        |_| format!("/office/consultations/{id}"),
        async |e| office_page(&state, &staff, id, None, Some(e)).await,
    )
    .await
}

#[derive(Deserialize)]
pub struct CommentAction {
    action: String,
    #[serde(default)]
    disposition: String,
    #[serde(default)]
    reason: String,
}

/// One opinion's steps: dispose, hide (with reason), show again, take out of its group.
pub async fn comment_act(
    State(state): State<AppState>,
    staff: Staff,
    Path(cid): Path<String>,
    CsrfForm(form): CsrfForm<CommentAction>,
) -> AppResult<Response> {
    let cid = crate::shared::error::id_or_404(&cid, "意见")?;
    let ctx = staff.ctx(&state.db);
    let consultation_id: Option<i64> = {
        let mut conn = state.db.conn().await?;
        consultations::comment_consultation(&mut conn, cid).await?
    };
    let id = consultation_id.ok_or(AppError(DomainError::NotFound { what: "意见" }))?;
    let result: Result<(), DomainError> = async {
        match form.action.as_str() {
            "dispose" => {
                let d = DispositionDraft::parse(&form.disposition, &form.reason)?;
                gongkai_app::consultations::dispose(&ctx, cid, &d).await
            }
            "hide" => {
                let reason = gongkai_domain::input::required(
                    &form.reason,
                    gongkai_domain::Field::new("hidden_reason", "隐藏理由"),
                    "隐藏意见须说明理由",
                )?;
                gongkai_app::consultations::moderate(&ctx, cid, Some(reason)).await
            }
            "show" => gongkai_app::consultations::moderate(&ctx, cid, None).await,
            "ungroup" => gongkai_app::consultations::ungroup(&ctx, cid).await,
            _ => Err(gongkai_domain::input::unknown_action()),
        }
    }
    .await;
    crate::shared::render::after_post(
        result,
        |_| format!("/office/consultations/{id}#comment-{cid}"),
        async |e| office_page(&state, &staff, id, None, Some(e)).await,
    )
    .await
}

const LEDGER_HEADINGS: [&str; 13] = [
    "编号",
    "收到时间",
    "渠道",
    "版本",
    "针对条款",
    "意见内容",
    "姓名或单位",
    "联系方式",
    "公开署名",
    "状态",
    "集中意见",
    "采纳情况",
    "理由",
];

/// Every comment with its disposition, one row each. Contact details are included: this is
/// the agency's own ledger, for staff only.
async fn ledger_rows(state: &AppState, staff: &Staff, id: i64) -> AppResult<Vec<[String; 13]>> {
    let who = staff.user.principal();
    let mut conn = state.db.conn().await?;
    let comments = consultations::comments(&mut conn, &who, id).await?;
    let groups = consultations::groups(&mut conn, id).await?;
    Ok(comments
        .into_iter()
        .map(|m| {
            let group = m.group_id.and_then(|g| groups.iter().find(|x| x.id == g));
            let (disposition, reason) = match group {
                Some(g) => (g.disposition, g.reason.clone()),
                None => (m.disposition, m.reason.clone()),
            };
            [
                m.id.to_string(),
                m.received_at.format("%Y-%m-%d %H:%M").to_string(),
                m.channel.clone(),
                m.version.to_string(),
                m.article
                    .map(|a| format!("第{a}条"))
                    .unwrap_or_else(|| "整体".into()),
                m.body.clone(),
                m.name.clone().unwrap_or_default(),
                m.contact.clone().unwrap_or_default(),
                if m.show_name { "是" } else { "否" }.into(),
                m.hidden_reason
                    .as_ref()
                    .map_or_else(|| "展示".to_string(), |r| format!("已隐藏:{r}")),
                group.map(|g| g.summary.clone()).unwrap_or_default(),
                disposition
                    .map(|d| d.label().to_string())
                    .unwrap_or_default(),
                reason.unwrap_or_default(),
            ]
        })
        .collect())
}

fn download(id: i64, ext: &str, content_type: &str, body: Vec<u8>) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"consultation-{id}-comments.{ext}\""),
            ),
            (header::CACHE_CONTROL, "private, no-store".to_string()),
        ],
        body,
    )
        .into_response()
}

/// The ledger as CSV (UTF-8 with a byte-order mark, which spreadsheet programs need to read
/// Chinese).
pub async fn export(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, WHAT)?;
    let rows = ledger_rows(&state, &staff, id).await?;
    Ok(download(
        id,
        "csv",
        "text/csv; charset=utf-8",
        gongkai_formats::tabular::write_csv(&LEDGER_HEADINGS, &rows),
    ))
}

/// The ledger as an Excel workbook: every cell written as text, so nothing a commenter typed
/// is read as a formula or a number.
pub async fn export_xlsx(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, WHAT)?;
    let rows = ledger_rows(&state, &staff, id).await?;
    let body = gongkai_formats::tabular::write_xlsx_sized(
        "意见台账",
        &LEDGER_HEADINGS,
        &rows,
        &[(5, 60.0)],
    )?;
    Ok(download(
        id,
        "xlsx",
        "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        body,
    ))
}
