//! The office's document work: register, edit or correct, and move through review.

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::Response;
use gongkai_domain::DomainError;
use gongkai_domain::document::{
    Action, DisclosureMode, DisclosureScope, DocKind, DocumentDraft, DocumentInput, Status,
    WithholdGround,
};
use gongkai_domain::interpretation::{
    Coverage, DIVERSE_TARGET_PERCENT, Form as InterpretationKind, InterpretationDraft,
    InterpretationInput,
};
use gongkai_domain::topics::{self, TopicGroup};
use gongkai_store::agencies::{self, Agency};
use gongkai_store::db;
use gongkai_store::documents::{self, Document, DocumentSummary};
use gongkai_store::interpretations::{self, Interpretation};
use serde::Deserialize;

use crate::shared::error::{AppResult, status_of};
use crate::shared::form::{CsrfForm, NoFields};
use crate::shared::render::page;
use crate::shared::session::Staff;
use crate::shared::state::AppState;
use crate::shared::views::Chrome;

use crate::shared::render::Choice;

#[derive(Template)]
#[template(path = "office/documents.html")]
struct ListPage {
    chrome: Chrome,
    rows: Vec<(DocumentSummary, Status)>,
    statuses: Vec<Choice>,
    current: String,
}

#[derive(Deserialize, Default)]
pub struct ListQuery {
    #[serde(default)]
    status: String,
}

pub async fn list(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<ListQuery>,
) -> AppResult<Response> {
    let status = match q.status.trim() {
        "" => None,
        s => Some(Status::parse(s)?),
    };
    let mut c = state.db.conn().await?;
    let rows = documents::staff_list(&mut c, &staff.user.principal(), status, 200).await?;
    page(
        &ListPage {
            chrome: staff.chrome("文件管理"),
            rows,
            statuses: choices!(Status),
            current: q.status.trim().to_string(),
        },
        StatusCode::OK,
        None,
    )
}

#[derive(Template)]
#[template(path = "office/document_form.html")]
struct FormPage {
    chrome: Chrome,
    /// `None` when registering a new document.
    id: Option<i64>,
    published_before: bool,
    form: DocumentInput,
    agency: String,
    agencies: Vec<Agency>,
    change_note: String,
    kinds: Vec<Choice>,
    modes: Vec<Choice>,
    scopes: Vec<Choice>,
    grounds: Vec<Choice>,
    topics: &'static [TopicGroup],
    error: Option<String>,
    error_field: String,
}

/// What the form shows in its fields: the document's values, its agency's code and (for a
/// change) the change note.
struct Entered {
    form: DocumentInput,
    agency: String,
    change_note: String,
}

async fn form_page(
    state: &AppState,
    staff: &Staff,
    id: Option<i64>,
    published_before: bool,
    entered: Entered,
    error: Option<DomainError>,
) -> AppResult<FormPage> {
    let Entered {
        form,
        agency,
        change_note,
    } = entered;
    let principal = staff.user.principal();
    let mut c = state.db.conn().await?;
    let agencies = agencies::list(&mut c)
        .await?
        .into_iter()
        .filter(|a| principal.may_act_for(a.id))
        .collect();
    let (error, error_field) = crate::shared::render::split_error(error);
    Ok(FormPage {
        chrome: staff.chrome(if id.is_some() {
            "修改文件"
        } else {
            "登记文件"
        }),
        id,
        published_before,
        form,
        agency,
        agencies,
        change_note,
        kinds: choices!(DocKind),
        modes: choices!(DisclosureMode),
        scopes: choices!(DisclosureScope),
        grounds: choices!(WithholdGround),
        topics: topics::all(),
        error_field,
        error,
    })
}

pub async fn new_form(State(state): State<AppState>, staff: Staff) -> AppResult<Response> {
    let agency = agency_code(&state, staff.user.agency_id).await?;
    let form = DocumentInput {
        kind: gongkai_domain::document::DocKind::Notice.as_str().into(),
        ..Default::default()
    };
    let p = form_page(
        &state,
        &staff,
        None,
        false,
        Entered {
            form,
            agency,
            change_note: String::new(),
        },
        None,
    )
    .await?;
    page(&p, StatusCode::OK, None)
}

async fn agency_code(state: &AppState, id: i64) -> AppResult<String> {
    let mut c = state.db.conn().await?;
    Ok(agencies::by_id(&mut c, id)
        .await?
        .map(|a| a.code)
        .unwrap_or_default())
}

#[derive(Deserialize)]
pub struct DocumentForm {
    #[serde(default)]
    agency: String,
    #[serde(default)]
    change_note: String,
    #[serde(flatten)]
    input: DocumentInput,
}

pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(form): CsrfForm<DocumentForm>,
) -> AppResult<Response> {
    let ctx = staff.ctx(&state.db);
    let result = async {
        let field = gongkai_domain::Field::new("agency", "发布机构");
        let agency = gongkai_app::agencies::chosen(&state.db, &form.agency, field).await?;
        let draft = DocumentDraft::parse(&form.input, db::now().date_naive())?;
        gongkai_app::documents::register(&ctx, agency.id, &draft).await
    }
    .await;
    crate::shared::render::after_post(
        result,
        |id| format!("/office/documents/{id}"),
        async |e| {
            form_page(
                &state,
                &staff,
                None,
                false,
                Entered {
                    form: form.input,
                    agency: form.agency,
                    change_note: String::new(),
                },
                Some(e),
            )
            .await
        },
    )
    .await
}

/// The fields of a document's working version as a form (or API client) would type them.
pub(crate) fn input_of(d: &Document) -> DocumentInput {
    let a = d.version.attribute.as_ref();
    DocumentInput {
        title: d.summary.title.clone(),
        doc_number: d.summary.doc_number.clone().unwrap_or_default(),
        co_issuers: d.version.co_issuers.join("、"),
        kind: d.summary.kind.as_str().into(),
        topic: d.summary.topic.clone().unwrap_or_default(),
        keywords: d.version.keywords.join("、"),
        formed_on: d.summary.formed_on.to_string(),
        effective_on: d
            .version
            .effective_on
            .map(|e| e.to_string())
            .unwrap_or_default(),
        is_normative: d.version.is_normative,
        needs_interpretation: d.version.needs_interpretation,
        body: d.version.body.clone(),
        disclosure_mode: a.map(|a| a.mode.as_str().into()).unwrap_or_default(),
        disclosure_scope: a
            .and_then(|a| a.scope)
            .map(|s| s.as_str().into())
            .unwrap_or_default(),
        withhold_ground: a
            .and_then(|a| a.ground)
            .map(|g| g.as_str().into())
            .unwrap_or_default(),
        attribute_note: a.map(|a| a.note.clone()).unwrap_or_default(),
    }
}

pub async fn edit_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "文件")?;
    let doc =
        documents::staff_get(&mut state.db.conn().await?, &staff.user.principal(), id).await?;
    let published_before = matches!(
        doc.version.status,
        Status::Published | Status::Withdrawn | Status::Approved
    );
    let p = form_page(
        &state,
        &staff,
        Some(id),
        published_before,
        Entered {
            form: input_of(&doc),
            agency: doc.summary.agency_code.clone(),
            change_note: String::new(),
        },
        None,
    )
    .await?;
    page(&p, StatusCode::OK, None)
}

pub async fn update(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<DocumentForm>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "文件")?;
    let principal = staff.user.principal();
    let doc = documents::staff_get(&mut state.db.conn().await?, &principal, id).await?;
    let published_before = matches!(
        doc.version.status,
        Status::Published | Status::Withdrawn | Status::Approved
    );
    let note = (!form.change_note.trim().is_empty()).then_some(form.change_note.as_str());
    let result = match DocumentDraft::parse(&form.input, db::now().date_naive()) {
        Ok(draft) => gongkai_app::documents::revise(&staff.ctx(&state.db), id, &draft, note).await,
        Err(e) => Err(e),
    };
    crate::shared::render::after_post(
        result,
        |()| format!("/office/documents/{id}"),
        async |e| {
            form_page(
                &state,
                &staff,
                Some(id),
                published_before,
                Entered {
                    form: form.input,
                    agency: doc.summary.agency_code,
                    change_note: form.change_note,
                },
                Some(e),
            )
            .await
        },
    )
    .await
}

#[derive(Template)]
#[template(path = "office/document.html")]
struct DetailPage {
    chrome: Chrome,
    doc: Document,
    can_review: bool,
    error: Option<String>,
    interpretations: Vec<Interpretation>,
    forms: Vec<Choice>,
    relations: Vec<documents::Related>,
    recorded: Vec<documents::RecordedRelation>,
    may_relate: bool,
    can_approve: bool,
    relation_kinds: Vec<Choice>,
    attachments: Vec<gongkai_store::attachments::Attachment>,
    max_upload: String,
    body_html: String,
}

/// The detail page again, with the message of a rejected change.
pub async fn detail_with_error(
    state: &AppState,
    staff: &Staff,
    id: i64,
    e: DomainError,
) -> AppResult<Response> {
    let status = status_of(&e);
    let p = detail_page(state, staff, id, Some(e.to_string())).await?;
    page(&p, status, None)
}

async fn detail_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    error: Option<String>,
) -> AppResult<DetailPage> {
    let mut c = state.db.conn().await?;
    let doc = documents::staff_get(&mut c, &staff.user.principal(), id).await?;
    let interpretations = interpretations::for_document(&mut c, id).await?;
    let relations = documents::relations(&mut c, id).await?;
    let recorded = documents::recorded_relations(&mut c, id).await?;
    let attachments =
        gongkai_store::attachments::for_version(&mut c, id, doc.version.version_no).await?;
    let role = staff.user.role;
    Ok(DetailPage {
        body_html: gongkai_domain::rich_text::to_html(&doc.version.body),
        attachments,
        max_upload: gongkai_domain::attachment::human_size(state.config.max_upload_bytes),
        interpretations,
        relations,
        recorded,
        can_approve: role.sees_all_agencies(),
        may_relate: matches!(
            doc.version.status,
            gongkai_domain::document::Status::Draft | gongkai_domain::document::Status::Returned
        ),
        relation_kinds: choices!(gongkai_domain::document::RelationKind),
        forms: choices!(InterpretationKind),
        chrome: staff.chrome(&doc.summary.title.clone()),
        can_review: role.sees_all_agencies() || role == gongkai_domain::user::Role::Reviewer,
        doc,
        error,
    })
}

pub async fn detail(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let p = detail_page(
        &state,
        &staff,
        crate::shared::error::id_or_404(&id, "文件")?,
        None,
    )
    .await?;
    page(&p, StatusCode::OK, None)
}

#[derive(Deserialize)]
pub struct ActionForm {
    action: String,
    #[serde(default)]
    reason: String,
}

pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<ActionForm>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "文件")?;
    let action = Action::parse(&form.action, &form.reason)?;
    let result = gongkai_app::documents::act(&staff.ctx(&state.db), id, &action).await;
    crate::shared::render::after_post(
        result,
        |_| format!("/office/documents/{id}"),
        async |e| detail_page(&state, &staff, id, Some(e.to_string())).await,
    )
    .await
}

#[derive(Deserialize)]
pub struct InterpretationForm {
    /// 索引号 of further policies the same interpretation explains, one per line.
    #[serde(default)]
    also: String,
    #[serde(flatten)]
    input: InterpretationInput,
}

pub async fn add_interpretation(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<InterpretationForm>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "文件")?;
    let ctx = staff.ctx(&state.db);
    let also: Vec<String> = form
        .also
        .lines()
        .map(str::trim)
        .filter(|l| !l.is_empty())
        .map(String::from)
        .collect();
    let result = match InterpretationDraft::parse(&form.input) {
        Ok(d) => gongkai_app::documents::interpret(&ctx, id, &also, &d).await,
        Err(e) => Err(e),
    };
    after_change(&state, &staff, id, result.map(drop)).await
}

/// Back to the document after a change, or its page again with the message.
/// The disclosure office approves a relation to another agency's document.
pub async fn approve_relation(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, to)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    relation_step(
        state,
        staff,
        id,
        to,
        gongkai_app::documents::approve_relation,
    )
    .await
}

/// The source agency or the office withdraws a relation (its effect on the target undone).
pub async fn withdraw_relation(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, to)): Path<(String, String)>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    relation_step(
        state,
        staff,
        id,
        to,
        gongkai_app::documents::withdraw_relation,
    )
    .await
}

async fn relation_step<F>(
    state: AppState,
    staff: Staff,
    id: String,
    to: String,
    step: F,
) -> AppResult<Response>
where
    F: AsyncFn(&gongkai_app::Ctx<'_>, i64, i64) -> gongkai_store::db::Result<()>,
{
    let id = crate::shared::error::id_or_404(&id, "文件")?;
    let to = crate::shared::error::id_or_404(&to, "关联关系")?;
    let result = step(&staff.ctx(&state.db), id, to).await;
    after_change(&state, &staff, id, result).await
}

async fn after_change(
    state: &AppState,
    staff: &Staff,
    id: i64,
    result: Result<(), DomainError>,
) -> AppResult<Response> {
    crate::shared::render::after_post(
        result,
        |()| format!("/office/documents/{id}"),
        async |e| detail_page(state, staff, id, Some(e.to_string())).await,
    )
    .await
}

#[derive(Deserialize)]
pub struct WaiverForm {
    #[serde(default)]
    reason: String,
}

pub async fn waive(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<WaiverForm>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "文件")?;
    let result =
        gongkai_app::documents::waive_interpretation(&staff.ctx(&state.db), id, &form.reason).await;
    after_change(&state, &staff, id, result).await
}

pub struct CoverageLine {
    pub agency: String,
    pub figures: Coverage,
}

#[derive(Template)]
#[template(path = "office/interpretations.html")]
struct CoveragePage {
    chrome: Chrome,
    year: i32,
    prev_year: i32,
    next_year: i32,
    lines: Vec<CoverageLine>,
    target: u64,
}

#[derive(Deserialize, Default)]
pub struct YearQuery {
    #[serde(default)]
    year: String,
}

/// Per agency and year: share of policies interpreted and 多元化解读率. Staff see their own
/// agency; the office sees all.
pub async fn coverage(
    State(state): State<AppState>,
    staff: Staff,
    Query(q): Query<YearQuery>,
) -> AppResult<Response> {
    use chrono::Datelike;
    let year = q
        .year
        .trim()
        .parse::<i32>()
        .ok()
        .filter(|y| (2000..=2100).contains(y))
        .unwrap_or(db::now().year());
    let principal = staff.user.principal();
    let mut c = state.db.conn().await?;
    let lines = interpretations::coverage(&mut c, year)
        .await?
        .into_iter()
        .filter(|(agency_id, _, _)| principal.may_act_for(*agency_id))
        .map(|(_, agency, figures)| CoverageLine { agency, figures })
        .collect();
    page(
        &CoveragePage {
            chrome: staff.chrome(&format!("{year} 年政策解读情况")),
            year,
            prev_year: year - 1,
            next_year: year + 1,
            lines,
            target: DIVERSE_TARGET_PERCENT,
        },
        StatusCode::OK,
        None,
    )
}

#[derive(Deserialize)]
pub struct RelationForm {
    kind: String,
    index_no: String,
}

/// Records that this document amends, replaces or repeals another, named by its 索引号.
pub async fn relate(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(form): CsrfForm<RelationForm>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "文件")?;
    let result = async {
        let kind = gongkai_domain::document::RelationKind::parse(&form.kind)?;
        gongkai_app::documents::relate(&staff.ctx(&state.db), id, &form.index_no, kind).await
    }
    .await;
    after_change(&state, &staff, id, result).await
}
