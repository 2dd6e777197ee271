//! The office side of the typed lists: an overview with staleness alerts and imports, each
//! kind's records with a form generated from its declaration, and a record's page where a
//! draft is edited or published, a published version is revised or withdrawn, and the
//! kind's extras (dataset resources, fee amounts, event registrations) are kept.

use std::collections::BTreeMap;

use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_domain::lists::extras::{self, QUESTIONS};
use gongkai_domain::lists::field::CHOICE_SEP;
use gongkai_domain::lists::{FieldSpec, FieldType, KindSpec, ListKind, RecordStatus, Values};
use gongkai_domain::{DomainError, Field};
use gongkai_store::list_extras::{self, NewResource};
use gongkai_store::lists::{self, Record};
use gongkai_store::{agencies, audit, db, lists_import};

use crate::shared::error::{AppError, AppResult};
use crate::shared::form::CsrfForm;
use crate::shared::render::{Choice, page};
use crate::shared::session::Staff;
use crate::shared::state::AppState;
use crate::shared::upload::CsrfUpload;
use crate::shared::views::Chrome;

const PER_PAGE: i64 = 50;

struct KindRow {
    kind: ListKind,
    drafts: i64,
    published: i64,
}

#[derive(Template)]
#[template(path = "office/lists.html")]
struct IndexPage {
    chrome: Chrome,
    rows: Vec<KindRow>,
    alerts: Vec<lists::Alert>,
    agencies: Vec<Choice>,
    kinds: Vec<Choice>,
    may_publish: bool,
    error: Option<String>,
}

async fn index_page(state: &AppState, staff: &Staff, error: Option<String>) -> AppResult<Response> {
    let who = staff.user.principal();
    let mut c = state.db.conn().await?;
    let mut rows = Vec::new();
    for kind in ListKind::ALL {
        let (_, drafts) =
            lists::staff_list(&mut c, &who, *kind, Some(RecordStatus::Draft), 0, 0).await?;
        let (_, published) =
            lists::staff_list(&mut c, &who, *kind, Some(RecordStatus::Published), 0, 0).await?;
        rows.push(KindRow {
            kind: *kind,
            drafts,
            published,
        });
    }
    let alerts = lists::alerts(&mut c, db::now().date_naive())
        .await?
        .into_iter()
        .filter(|a| who.may_act_for(a.agency_id))
        .collect();
    drop(c);
    let status = if error.is_some() {
        StatusCode::UNPROCESSABLE_ENTITY
    } else {
        StatusCode::OK
    };
    page(
        &IndexPage {
            chrome: staff.chrome("公开清单管理"),
            rows,
            alerts,
            agencies: crate::shared::render::agency_choices(state, staff).await?,
            kinds: ListKind::ALL
                .iter()
                .map(|k| Choice {
                    value: k.as_str().into(),
                    label: k.label().into(),
                })
                .collect(),
            may_publish: gongkai_domain::lists::require_publisher(&who).is_ok(),
            error,
        },
        status,
        None,
    )
}

pub async fn index(State(state): State<AppState>, staff: Staff) -> AppResult<Response> {
    index_page(&state, &staff, None).await
}

async fn agency_id(state: &AppState, code: &str) -> Result<i64, DomainError> {
    let field = Field::new("agency", "所属机构");
    Ok(gongkai_app::agencies::chosen(&state.db, code, field)
        .await?
        .id)
}

/// A CSV or XLSX upload into one kind's list, as drafts or published at once. The file and
/// its header are checked here; the rows are imported in the background and the office
/// follows the job's page.
pub async fn import(
    State(state): State<AppState>,
    staff: Staff,
    CsrfUpload(post): CsrfUpload,
) -> AppResult<Response> {
    let post = post?;
    let field = |k: &str| post.fields.get(k).map(String::as_str).unwrap_or("");
    let publish = field("publish") == "yes";
    let checked = async {
        let kind = ListKind::parse(field("kind"))?;
        let agency = agency_id(&state, field("agency")).await?;
        let format = gongkai_formats::tabular::Format::of(&post.file_name)?;
        let table = gongkai_formats::tabular::read(&post.bytes, format)?;
        let ctx = staff.ctx(&state.db);
        let to = gongkai_app::lists::Target {
            kind,
            agency_id: agency,
            publish,
        };
        gongkai_app::lists::start_import(&ctx, to, &post.file_name, table).await
    }
    .await;
    let import = match checked {
        Ok(x) => x,
        Err(e) if e.is_input_error() => {
            return index_page(&state, &staff, Some(e.to_string())).await;
        }
        Err(e) => return Err(AppError(e)),
    };
    let job = import.job;
    let db = state.db.clone();
    let (actor, who) = (staff.actor(), staff.user.principal());
    // The rows are imported after the response; the job's page shows how it goes.
    tokio::spawn(async move {
        let ctx = gongkai_app::Ctx::new(&db, actor, who);
        match gongkai_app::lists::run_import(&ctx, import).await {
            Ok(Some(failure)) => tracing::warn!(job, error = %failure, "list import failed"),
            Ok(None) => {}
            Err(e) => tracing::warn!(job, error = %e, "could not record the end of a list import"),
        }
    });
    Ok(crate::shared::render::redirect(&format!("/office/lists/imports/{job}")).into_response())
}

#[derive(Template)]
#[template(path = "office/list_import.html")]
struct ImportPage {
    chrome: Chrome,
    job: lists_import::Job,
    running: bool,
}

/// How far an import has got, with the rows found bad so far.
pub async fn import_job(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "导入任务")?;
    let mut c = state.db.conn().await?;
    let job = lists_import::get_job(&mut c, &staff.user.principal(), id, db::now()).await?;
    page(
        &ImportPage {
            chrome: staff.chrome(&format!("导入{}", job.kind.label())),
            running: job.status == gongkai_domain::lists::ImportStatus::Running,
            job,
        },
        StatusCode::OK,
        None,
    )
}

/// An empty import table with the kind's columns (required ones marked `*`).
pub async fn template(
    _staff: Staff,
    Path((slug, format)): Path<(String, String)>,
) -> AppResult<Response> {
    let kind = crate::lists::public::kind_or_404(&slug)?;
    let headers = gongkai_domain::lists::record::template_headers(kind.spec());
    let (ct, body) = match format.as_str() {
        "csv" => (
            "text/csv; charset=utf-8",
            gongkai_formats::tabular::write_csv::<_, Vec<String>>(&headers, &[]),
        ),
        "xlsx" => (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            gongkai_formats::tabular::write_xlsx(kind.label(), &headers, &[])?,
        ),
        _ => {
            return Err(AppError(DomainError::NotFound {
                what: "模板格式"
            }));
        }
    };
    Ok((
        [
            (header::CONTENT_TYPE, ct.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!(
                    "attachment; filename=\"{}-template.{format}\"",
                    kind.as_str()
                ),
            ),
        ],
        body,
    )
        .into_response())
}

/// A field of the generated form.
pub struct FormField {
    pub key: &'static str,
    pub label: &'static str,
    pub required: bool,
    /// text, textarea, date, select, checks, number
    pub input: &'static str,
    pub value: String,
    pub options: Vec<(String, bool)>,
    pub hint: &'static str,
    /// What is stored, as staff may see it (an identity number in part).
    pub current: Option<String>,
    pub error: Option<String>,
}

fn form_fields(spec: &KindSpec, values: &Values, errors: &[DomainError]) -> Vec<FormField> {
    spec.fields
        .iter()
        .map(|f| {
            let stored = values.get(f.key).cloned().unwrap_or_default();
            // An identity number never goes back into the page: the field stays empty (kept
            // as it is when left so) and the hint shows it in part.
            let is_id = matches!(f.ty, FieldType::IdNumber);
            let value = if is_id { String::new() } else { stored.clone() };
            let chosen: Vec<&str> = value.split(CHOICE_SEP).collect();
            FormField {
                key: f.key,
                label: f.label,
                required: f.required,
                input: match f.ty {
                    FieldType::LongText | FieldType::Materials => "textarea",
                    FieldType::Date => "date",
                    FieldType::Choice(_) => "select",
                    FieldType::Choices(_) => "checks",
                    FieldType::Year | FieldType::Count => "number",
                    _ => "text",
                },
                options: f
                    .options()
                    .iter()
                    .map(|o| (o.to_string(), chosen.contains(o)))
                    .collect(),
                hint: if is_id && !stored.is_empty() {
                    "已登记(仅显示部分);留空则保持不变,填写则替换"
                } else {
                    hint(f)
                },
                current: (is_id && !stored.is_empty()).then(|| staff_value(f, &stored)),
                error: errors
                    .iter()
                    .find(|e| e.field().is_some_and(|x| x.name == f.key))
                    .map(ToString::to_string),
                value,
            }
        })
        .collect()
}

fn hint(f: &FieldSpec) -> &'static str {
    match f.ty {
        FieldType::Materials => "每行一项:材料名称|形式|份数,可再加 |样表链接|空白表格链接",
        FieldType::Yuan => "单位:元,最多两位小数",
        FieldType::CreditCode => "18 位",
        FieldType::IdNumber => "18 位;不会公开",
        FieldType::PartyName => "自然人姓名公开时按规则遮蔽",
        _ => "",
    }
}

/// The values typed into a generated form; several checked choices arrive as repeated keys.
fn values_from(
    spec: &KindSpec,
    pairs: &[(String, String)],
) -> (Values, Result<Values, Vec<DomainError>>) {
    let mut raw: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    for (k, v) in pairs {
        raw.entry(k.as_str()).or_default().push(v.as_str());
    }
    let joined: BTreeMap<&str, String> =
        raw.iter().map(|(k, v)| (*k, v.join(CHOICE_SEP))).collect();
    let typed: Values = spec
        .fields
        .iter()
        .filter_map(|f| joined.get(f.key).map(|v| (f.key.to_string(), v.clone())))
        .collect();
    let parsed =
        gongkai_domain::lists::parse_values(spec, |f| joined.get(f.key).map(String::as_str));
    (typed, parsed)
}

fn first(pairs: &[(String, String)], key: &str) -> String {
    pairs
        .iter()
        .find(|(k, _)| k == key)
        .map(|(_, v)| v.clone())
        .unwrap_or_default()
}

#[derive(Template)]
#[template(path = "office/list.html")]
struct KindPage {
    chrome: Chrome,
    spec: &'static KindSpec,
    rows: Vec<Record>,
    total: i64,
    status: String,
    page: i64,
    pages: i64,
    agencies: Vec<Choice>,
    agency: String,
    fields: Vec<FormField>,
    errors: Vec<String>,
    today: chrono::NaiveDate,
}

#[derive(serde::Deserialize, Default)]
pub struct KindQuery {
    #[serde(default)]
    status: String,
    #[serde(default)]
    page: String,
}

async fn kind_page(
    state: &AppState,
    staff: &Staff,
    kind: ListKind,
    q: &KindQuery,
    typed: (Values, String),
    errors: Vec<DomainError>,
) -> AppResult<Response> {
    let who = staff.user.principal();
    let status = match q.status.trim() {
        "" => None,
        s => Some(RecordStatus::parse(s)?),
    };
    let page_no: i64 = q.page.trim().parse().unwrap_or(1).clamp(1, 10_000);
    let mut c = state.db.conn().await?;
    let (rows, total) = lists::staff_list(
        &mut c,
        &who,
        kind,
        status,
        (page_no - 1) * PER_PAGE,
        PER_PAGE,
    )
    .await?;
    drop(c);
    let code = if typed.1.is_empty() {
        agencies::by_id(&mut state.db.conn().await?, who.agency_id)
            .await?
            .map(|a| a.code)
            .unwrap_or_default()
    } else {
        typed.1
    };
    let http = errors
        .first()
        .map_or(StatusCode::OK, crate::shared::error::status_of);
    page(
        &KindPage {
            chrome: staff.chrome(&format!("{}管理", kind.label())),
            spec: kind.spec(),
            rows,
            total,
            status: q.status.clone(),
            page: page_no,
            pages: ((total + PER_PAGE - 1) / PER_PAGE).max(1),
            agencies: crate::shared::render::agency_choices(state, staff).await?,
            agency: code,
            fields: form_fields(kind.spec(), &typed.0, &errors),
            errors: errors.iter().map(ToString::to_string).collect(),
            today: db::now().date_naive(),
        },
        http,
        None,
    )
}

pub async fn kind(
    State(state): State<AppState>,
    staff: Staff,
    Path(slug): Path<String>,
    Query(q): Query<KindQuery>,
) -> AppResult<Response> {
    let kind = crate::lists::public::kind_or_404(&slug)?;
    kind_page(
        &state,
        &staff,
        kind,
        &q,
        (Values::new(), String::new()),
        Vec::new(),
    )
    .await
}

/// A new record from the generated form: a draft, for a reviewer to publish.
pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    Path(slug): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let kind = crate::lists::public::kind_or_404(&slug)?;
    let spec = kind.spec();
    let (typed, parsed) = values_from(spec, &pairs);
    let code = first(&pairs, "agency");
    let result = async {
        let values = parsed?;
        let agency = agency_id(&state, &code).await.map_err(|e| vec![e])?;
        gongkai_app::lists::create(&staff.ctx(&state.db), kind, agency, values, false)
            .await
            .map_err(|e| vec![e])
    }
    .await;
    match result {
        Ok(lists::Created::New(id) | lists::Created::Unchanged(id)) => Ok(
            crate::shared::render::redirect(&format!("/office/lists/records/{id}")).into_response(),
        ),
        Err(errors) if errors.iter().all(DomainError::is_input_error) => {
            kind_page(
                &state,
                &staff,
                kind,
                &KindQuery::default(),
                (typed, code),
                errors,
            )
            .await
        }
        Err(mut errors) => Err(AppError(errors.remove(0))),
    }
}

/// A stored value as staff see it: identity numbers partly hidden even here.
pub struct StaffField {
    pub label: &'static str,
    pub value: String,
    pub public: bool,
}

#[derive(Template)]
#[template(path = "office/list_record.html")]
struct RecordPage {
    chrome: Chrome,
    r: Record,
    values: Vec<StaffField>,
    public_title: String,
    versions: Vec<Record>,
    fields: Vec<FormField>,
    errors: Vec<String>,
    may_publish: bool,
    history: Vec<audit::AuditEntry>,
    extra: crate::lists::extras::Extra,
    registrations: Vec<list_extras::Registered>,
    tally: Vec<(String, Vec<(String, usize)>)>,
    late: bool,
}

/// Staff read an identity number only in part (enough to check it against a file), and
/// never in full inside other texts.
fn staff_value(f: &FieldSpec, v: &str) -> String {
    if matches!(f.ty, FieldType::IdNumber) && v.chars().count() == 18 {
        let c: Vec<char> = v.chars().collect();
        format!(
            "{}********{}",
            c[..6].iter().collect::<String>(),
            c[14..].iter().collect::<String>()
        )
    } else {
        gongkai_domain::lists::public::mask_id_numbers(v)
    }
}

async fn record_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    form: Option<Values>,
    errors: Vec<DomainError>,
) -> AppResult<Response> {
    let who = staff.user.principal();
    let mut c = state.db.conn().await?;
    let r = lists::staff_get(&mut c, &who, id).await?;
    let spec = r.kind.spec();
    let versions = lists::versions(&mut c, r.kind, r.agency_id, &r.key).await?;
    let history = audit::for_entity(&mut c, "list_record", &id.to_string()).await?;
    let extra = crate::lists::extras::for_record(state, &mut c, &r).await?;
    let registrations = if r.kind == ListKind::Event {
        list_extras::registrations(&mut c, &who, &r).await?
    } else {
        Vec::new()
    };
    drop(c);
    let tally = QUESTIONS
        .iter()
        .filter(|(_, _, options)| !options.is_empty())
        .map(|(key, label, options)| {
            let counts = options
                .iter()
                .map(|o| {
                    let n = registrations
                        .iter()
                        .filter(|g| g.answers.iter().any(|(k, v)| k == key && v == o))
                        .count();
                    (o.to_string(), n)
                })
                .collect();
            (label.to_string(), counts)
        })
        .collect();
    let values = spec
        .fields
        .iter()
        .filter_map(|f| {
            r.values.get(f.key).map(|v| StaffField {
                label: f.label,
                value: staff_value(f, v),
                public: f.public && !matches!(f.ty, FieldType::IdNumber),
            })
        })
        .collect();
    let today = db::now().date_naive();
    let http = errors
        .first()
        .map_or(StatusCode::OK, crate::shared::error::status_of);
    page(
        &RecordPage {
            chrome: staff.chrome(&r.title),
            values,
            public_title: r.title.clone(),
            versions,
            fields: form_fields(spec, form.as_ref().unwrap_or(&r.values), &errors),
            errors: errors.iter().map(ToString::to_string).collect(),
            may_publish: gongkai_domain::lists::require_publisher(&who).is_ok(),
            history,
            extra,
            registrations,
            tally,
            late: r.late(today),
            r,
        },
        http,
        None,
    )
}

pub async fn detail(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "清单记录")?;
    record_page(&state, &staff, id, None, Vec::new()).await
}

/// The actions on a record: `update` a draft, `revise` a published version (a new draft),
/// `publish`, `withdraw`, and for fee items `collection`.
pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(pairs): CsrfForm<Vec<(String, String)>>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "清单记录")?;
    let who = staff.user.principal();
    let r = lists::staff_get(&mut state.db.conn().await?, &who, id).await?;
    let spec = r.kind.spec();
    let action = first(&pairs, "action");
    let mut typed = None;
    let result: Result<i64, Vec<DomainError>> = match action.as_str() {
        "update" | "revise" => {
            // An identity number left empty keeps the stored one (the form never holds it).
            let mut pairs = pairs.clone();
            for f in spec
                .fields
                .iter()
                .filter(|f| matches!(f.ty, FieldType::IdNumber))
            {
                let typed = pairs
                    .iter()
                    .any(|(k, v)| k == f.key && !v.trim().is_empty());
                if let (false, Some(stored)) = (typed, r.values.get(f.key)) {
                    pairs.retain(|(k, _)| k != f.key);
                    pairs.push((f.key.to_string(), stored.clone()));
                }
            }
            let (t, parsed) = values_from(spec, &pairs);
            typed = Some(t);
            match parsed {
                Err(es) => Err(es),
                Ok(values) => {
                    let note = first(&pairs, "change_note");
                    let ctx = staff.ctx(&state.db);
                    if action == "update" {
                        gongkai_app::lists::update_draft(&ctx, id, values)
                            .await
                            .map(|_| id)
                    } else {
                        gongkai_app::lists::revise(&ctx, id, values, &note).await
                    }
                    .map_err(|e| vec![e])
                }
            }
        }
        "publish" => gongkai_app::lists::publish(&staff.ctx(&state.db), id)
            .await
            .map(|_| id)
            .map_err(|e| vec![e]),
        "withdraw" => {
            let reason = first(&pairs, "reason");
            gongkai_app::lists::withdraw(&staff.ctx(&state.db), id, &reason)
                .await
                .map(|_| id)
                .map_err(|e| vec![e])
        }
        "collection" => {
            let year: i32 = first(&pairs, "year").trim().parse().unwrap_or(0);
            let source = first(&pairs, "source");
            async {
                let cents = gongkai_domain::lists::field::cents(
                    &first(&pairs, "amount"),
                    Field::new("amount", "收费金额"),
                )?;
                gongkai_app::lists::set_collection(&staff.ctx(&state.db), id, year, cents, &source)
                    .await
            }
            .await
            .map(|_| id)
            .map_err(|e| vec![e])
        }
        _ => Err(vec![gongkai_domain::input::unknown_action()]),
    };
    match result {
        Ok(to) => Ok(
            crate::shared::render::redirect(&format!("/office/lists/records/{to}")).into_response(),
        ),
        Err(errors) if errors.iter().all(DomainError::is_input_error) => {
            record_page(&state, &staff, id, typed, errors).await
        }
        Err(mut errors) => Err(AppError(errors.remove(0))),
    }
}

/// A dataset resource: an uploaded file (checked by content, size-limited, tabular files
/// read through once to count their rows) or an API endpoint.
pub async fn add_resource(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfUpload(post): CsrfUpload,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "数据集")?;
    let post = post?;
    let title = post.fields.get("title").cloned().unwrap_or_default();
    let url = post.fields.get("url").cloned().unwrap_or_default();
    let result = async {
        if !url.trim().is_empty() {
            let endpoint = NewResource::Endpoint(&url);
            return gongkai_app::lists::add_resource(&staff.ctx(&state.db), id, &title, endpoint)
                .await;
        }
        let (format, name) =
            extras::check_resource(&post.file_name, &post.bytes, state.config.max_upload_bytes)?;
        let rows = match format {
            extras::DataFormat::Csv => Some(gongkai_formats::tabular::read(
                &post.bytes,
                gongkai_formats::tabular::Format::Csv,
            )?),
            extras::DataFormat::Xlsx => Some(gongkai_formats::tabular::read(
                &post.bytes,
                gongkai_formats::tabular::Format::Xlsx,
            )?),
            _ => None,
        }
        .map(|t| t.len() as i64 - 1);
        let new = NewResource::File {
            format,
            file_name: &name,
            bytes: &post.bytes,
            rows,
        };
        gongkai_app::lists::add_resource(&staff.ctx(&state.db), id, &title, new).await
    }
    .await;
    match result {
        Ok(_) => Ok(crate::shared::render::redirect(&format!(
            "/office/lists/records/{id}#resources"
        ))
        .into_response()),
        Err(e) if e.is_input_error() => record_page(&state, &staff, id, None, vec![e]).await,
        Err(e) => Err(AppError(e)),
    }
}

/// A sample or blank form for a service guide, checked like any attachment; its link goes
/// into the guide's materials.
pub async fn add_form(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfUpload(post): CsrfUpload,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, "办事指南")?;
    let post = post?;
    let title = post.fields.get("title").cloned().unwrap_or_default();
    let result = async {
        let upload = gongkai_domain::attachment::check(
            &post.file_name,
            &post.bytes,
            state.config.max_upload_bytes,
        )?;
        gongkai_app::lists::add_form(&staff.ctx(&state.db), id, &title, &upload, &post.bytes).await
    }
    .await;
    match result {
        Ok(_) => Ok(
            crate::shared::render::redirect(&format!("/office/lists/records/{id}#forms"))
                .into_response(),
        ),
        Err(e) if e.is_input_error() => record_page(&state, &staff, id, None, vec![e]).await,
        Err(e) => Err(AppError(e)),
    }
}
