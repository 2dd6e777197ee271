//! 年度报告: the public report in the official layout (the tables with the format's spans,
//! print CSS) and its JSON and XLSX; the office pages where staff draft a report, enter the
//! figures the platform holds no records for, see every failed check, drill into any cell and
//! submit the report into the disclosure workflow.

use crate::shared::form::CsrfForm;
use askama::Template;
use axum::extract::{Path, Query, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_domain::DomainError;
use gongkai_domain::report::interchange::to_json;
use gongkai_domain::report::manual::ManualFigures;
use gongkai_domain::report::tables::{APPEAL_COLUMNS, APPEAL_RESULTS, COLUMNS, TOTAL_COLUMN};
use gongkai_domain::report::{self, Finding, Report, Row, Scope, Severity, Texts};
use gongkai_domain::request::Outcome;
use gongkai_domain::request::appeal::{AppealKind, AppealResult};
use gongkai_store::reports::{self, AnnualReport, CellAppeal, CellRequest};
use gongkai_store::{agencies, calendar, db};
use serde::Deserialize;

use crate::shared::error::{AppError, AppResult};
use crate::shared::render::{Choice, page};
use crate::shared::session::{Staff, Visitor};
use crate::shared::state::AppState;
use crate::shared::views::Chrome;
use gongkai_formats::grid::Grid;

/// This feature's routes (forms and pages within the ordinary body limit).
pub(crate) fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route("/reports", axum::routing::get(public_list))
        .route("/reports/{id}", axum::routing::get(public))
        .route("/reports/{id}/{format}", axum::routing::get(public_output))
        .route("/office/reports", axum::routing::get(office).post(create))
        .route("/office/reports/{id}", axum::routing::get(detail).post(act))
        .route("/office/reports/{id}/cells", axum::routing::get(cell))
        .route("/office/reports/{id}/appeals", axum::routing::get(appeals))
        .route(
            "/office/reports/{id}/{format}",
            axum::routing::get(office_output),
        )
}

const WHAT: &str = "年度报告";

/// One label cell of a table 三 row, with its spans.
pub struct Head {
    pub label: String,
    pub colspan: usize,
    pub rowspan: usize,
}

pub struct CellView {
    pub text: String,
    pub href: Option<String>,
}

pub struct RowView {
    pub heads: Vec<Head>,
    pub cells: Vec<CellView>,
}

/// Table 三 laid out as the format prints it: 三、本年度办理结果 spans its 22 rows, each group
/// （三）…（六） spans its sub-rows.
fn table3_rows(r: &Report, link: Option<i64>) -> Vec<RowView> {
    let head = |label: &str, colspan, rowspan| Head {
        label: label.to_string(),
        colspan,
        rowspan,
    };
    let outcomes = Outcome::all();
    Row::all()
        .into_iter()
        .map(|row| {
            let heads = match row {
                Row::New | Row::CarriedIn | Row::CarriedOut => vec![head(row.label(), 3, 1)],
                Row::Total => vec![head(row.label(), 2, 1)],
                Row::Outcome(Outcome::Disclosed) => {
                    vec![head("三、本年度办理结果", 1, 22), head(row.label(), 2, 1)]
                }
                Row::Outcome(Outcome::PartlyDisclosed) => vec![head(row.label(), 2, 1)],
                Row::Outcome(o) => {
                    let group: Vec<&Outcome> =
                        outcomes.iter().filter(|x| x.group() == o.group()).collect();
                    if *group[0] == o {
                        vec![head(o.group(), 1, group.len()), head(row.label(), 1, 1)]
                    } else {
                        vec![head(row.label(), 1, 1)]
                    }
                }
            };
            let cells = r
                .table3
                .line(row)
                .iter()
                .enumerate()
                .map(|(col, c)| CellView {
                    text: c.map(|n| n.to_string()).unwrap_or_default(),
                    href: link.map(|id| {
                        format!("/office/reports/{id}/cells?row={}&col={col}", row.code())
                    }),
                })
                .collect();
            RowView { heads, cells }
        })
        .collect()
}

/// Table 四's one data row: 15 cells.
fn table4_cells(r: &Report, link: Option<i64>) -> Vec<CellView> {
    let mut out = Vec::new();
    for kind in AppealKind::ALL {
        for (i, c) in r.table4.group(*kind).iter().enumerate() {
            // The 总计 column lists the whole group.
            let result = APPEAL_RESULTS.get(i).map_or("", |x| x.as_str());
            out.push(CellView {
                text: c.map(|n| n.to_string()).unwrap_or_default(),
                href: link.map(|id| {
                    format!(
                        "/office/reports/{id}/appeals?kind={}&result={result}",
                        kind.as_str()
                    )
                }),
            });
        }
    }
    out
}

fn opt(n: Option<i64>) -> String {
    n.map(|n| n.to_string()).unwrap_or_default()
}

/// What the report templates show: the tables laid out, the texts as paragraphs.
pub struct ReportView {
    pub title: String,
    pub year: i32,
    pub table2: Vec<(String, String, String, String)>,
    pub decisions: Vec<(String, String)>,
    pub fees: String,
    pub rows: Vec<RowView>,
    pub columns: [&'static str; 7],
    pub appeals: Vec<CellView>,
    pub appeal_columns: [&'static str; 5],
    pub overview: Vec<String>,
    pub problems: Vec<String>,
    pub other: Vec<String>,
}

fn view(r: &Report, link: Option<i64>) -> ReportView {
    let t2 = &r.table2;
    let texts = r.texts.clone().unwrap_or_default();
    ReportView {
        title: report::title(&r.agency, r.year),
        year: r.year,
        table2: vec![
            (
                "规章".into(),
                opt(t2.rules.issued),
                opt(t2.rules.repealed),
                opt(t2.rules.in_force),
            ),
            (
                "行政规范性文件".into(),
                opt(t2.normative.issued),
                opt(t2.normative.repealed),
                opt(t2.normative.in_force),
            ),
        ],
        decisions: vec![
            ("行政许可".into(), opt(t2.licences)),
            ("行政处罚".into(), opt(t2.penalties)),
            ("行政强制".into(), opt(t2.coercions)),
        ],
        fees: t2.fees.map(|f| f.to_string()).unwrap_or_default(),
        rows: table3_rows(r, link),
        columns: COLUMNS,
        appeals: table4_cells(r, link),
        appeal_columns: APPEAL_COLUMNS,
        overview: crate::shared::render::paragraphs(&texts.overview),
        problems: crate::shared::render::paragraphs(&texts.problems),
        other: crate::shared::render::paragraphs(&texts.other),
    }
}

// ---- public ----

#[derive(Template)]
#[template(path = "reports.html")]
struct PublicList {
    chrome: Chrome,
    reports: Vec<AnnualReport>,
}

pub async fn public_list(State(state): State<AppState>, visitor: Visitor) -> AppResult<Response> {
    let mut conn = state.db.conn().await?;
    page(
        &PublicList {
            chrome: visitor.chrome("政府信息公开工作年度报告"),
            reports: reports::public_list(&mut conn).await?,
        },
        StatusCode::OK,
        None,
    )
}

#[derive(Template)]
#[template(path = "report.html")]
struct PublicReport {
    chrome: Chrome,
    a: AnnualReport,
    v: ReportView,
}

async fn public_report(state: &AppState, id: &str) -> AppResult<(AnnualReport, Report)> {
    let id = crate::shared::error::id_or_404(id, WHAT)?;
    let mut conn = state.db.conn().await?;
    reports::public_get(&mut conn, id)
        .await?
        .ok_or(AppError(DomainError::NotFound { what: WHAT }))
}

pub async fn public(
    State(state): State<AppState>,
    visitor: Visitor,
    Path(id): Path<String>,
) -> AppResult<Response> {
    let (a, r) = public_report(&state, &id).await?;
    page(
        &PublicReport {
            chrome: visitor.chrome(&a.title()),
            v: view(&r, None),
            a,
        },
        StatusCode::OK,
        None,
    )
}

fn download(name: &str, content_type: &str, body: Vec<u8>, public: bool) -> Response {
    (
        [
            (header::CONTENT_TYPE, content_type.to_string()),
            (
                header::CONTENT_DISPOSITION,
                format!("attachment; filename=\"{name}\""),
            ),
            (
                header::CACHE_CONTROL,
                if public {
                    "public, max-age=300"
                } else {
                    "private, no-store"
                }
                .to_string(),
            ),
        ],
        body,
    )
        .into_response()
}

fn output(
    state: &AppState,
    a: &AnnualReport,
    r: &Report,
    format: &str,
    public: bool,
) -> AppResult<Response> {
    let stem = format!("annual-report-{}-{}", a.year, a.id);
    match format {
        "json" => {
            let body = serde_json::to_vec_pretty(&to_json(r))
                .map_err(|e| AppError(DomainError::internal(e)))?;
            Ok(download(
                &format!("{stem}.json"),
                "application/json",
                body,
                public,
            ))
        }
        "xlsx" => Ok(download(
            &format!("{stem}.xlsx"),
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            xlsx(r)?,
            public,
        )),
        "pdf" => Ok(download(
            &format!("{stem}.pdf"),
            "application/pdf",
            pdf(state, r),
            public,
        )),
        _ => Err(AppError(DomainError::NotFound {
            what: "文件格式"
        })),
    }
}

pub async fn public_output(
    State(state): State<AppState>,
    Path((id, format)): Path<(String, String)>,
) -> AppResult<Response> {
    let (a, r) = public_report(&state, &id).await?;
    output(&state, &a, &r, &format, true)
}

/// Tables 二, 三 and 四 as grids with the format's spans, for the workbook and the PDF.
fn grids(v: &ReportView) -> [Grid; 3] {
    let mut t2 = Grid::new(&[3.0, 2.0, 2.0, 2.0]);
    t2.head(0, 0, 1, 4, "第二十条第（一）项");
    for (i, h) in ["信息内容", "本年制发件数", "本年废止件数", "现行有效件数"]
        .iter()
        .enumerate()
    {
        t2.head(1, i, 1, 1, h);
    }
    for (i, (name, a, b, c)) in v.table2.iter().enumerate() {
        t2.head(2 + i, 0, 1, 1, name);
        for (j, x) in [a, b, c].iter().enumerate() {
            t2.value(2 + i, 1 + j, 1, x);
        }
    }
    let mut row = 4;
    for (head, items) in [
        ("第二十条第（五）项", &v.decisions[..1]),
        ("第二十条第（六）项", &v.decisions[1..]),
    ] {
        t2.head(row, 0, 1, 4, head);
        t2.head(row + 1, 0, 1, 1, "信息内容");
        t2.head(row + 1, 1, 1, 3, "本年处理决定数量");
        row += 2;
        for (name, n) in items {
            t2.head(row, 0, 1, 1, name);
            t2.value(row, 1, 3, n);
            row += 1;
        }
    }
    t2.head(row, 0, 1, 4, "第二十条第（八）项");
    t2.head(row + 1, 0, 1, 1, "信息内容");
    t2.head(row + 1, 1, 1, 3, "本年收费金额（单位：万元）");
    t2.head(row + 2, 0, 1, 1, "行政事业性收费");
    t2.value(row + 2, 1, 3, &v.fees);

    let mut t3 = Grid::new(&[1.2, 1.6, 4.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0, 1.0]);
    t3.head(
        0,
        0,
        3,
        3,
        "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）",
    );
    t3.head(0, 3, 1, 7, "申请人情况");
    t3.head(1, 3, 2, 1, "自然人");
    t3.head(1, 4, 1, 5, "法人或其他组织");
    t3.head(1, 9, 2, 1, "总计");
    for (i, c) in COLUMNS[1..TOTAL_COLUMN].iter().enumerate() {
        t3.head(2, 4 + i, 1, 1, c);
    }
    for (i, rv) in v.rows.iter().enumerate() {
        let row = 3 + i;
        // Label cells fill the three label columns from the right: the columns to their left
        // are taken by the group cells of earlier rows.
        let mut col = 3 - rv.heads.iter().map(|h| h.colspan).sum::<usize>();
        for h in &rv.heads {
            t3.head(row, col, h.rowspan, h.colspan, &h.label);
            col += h.colspan;
        }
        for (j, c) in rv.cells.iter().enumerate() {
            t3.value(row, 3 + j, 1, &c.text);
        }
    }

    let mut t4 = Grid::new(&[1.0; 15]);
    t4.head(0, 0, 1, 5, "行政复议");
    t4.head(0, 5, 1, 10, "行政诉讼");
    for (i, h) in APPEAL_COLUMNS.iter().enumerate() {
        t4.head(1, i, 2, 1, h);
    }
    t4.head(1, 5, 1, 5, "未经复议直接起诉");
    t4.head(1, 10, 1, 5, "复议后起诉");
    for g in 0..2 {
        for (i, h) in APPEAL_COLUMNS.iter().enumerate() {
            t4.head(2, 5 + g * 5 + i, 1, 1, h);
        }
    }
    for (i, c) in v.appeals.iter().enumerate() {
        t4.value(3, i, 1, &c.text);
    }
    [t2, t3, t4]
}

/// The workbook: one sheet per table with the format's merged cells, and the texts.
fn xlsx(r: &Report) -> AppResult<Vec<u8>> {
    let v = view(r, None);
    let grids = grids(&v);
    let sheets: Vec<(&str, &Grid)> = ["二、主动公开", "三、依申请公开", "四、复议诉讼"]
        .into_iter()
        .zip(grids.iter())
        .collect();
    let texts = r.texts.clone().unwrap_or_default();
    Ok(gongkai_formats::tabular::write_grids_xlsx(
        &sheets,
        ("文字部分", &texts.sections()),
    )?)
}

/// The report as an A4 PDF with the system's CJK font embedded: the six sections, tables
/// ruled with the format's spans.
fn pdf(state: &AppState, r: &Report) -> Vec<u8> {
    use gongkai_formats::pdf::{Align, Block};
    let v = view(r, None);
    let [t2, t3, t4] = grids(&v);
    let mut blocks = vec![Block::Heading("一、总体情况")];
    blocks.extend(v.overview.iter().map(|p| Block::Text(Align::Indented, p)));
    blocks.push(Block::Heading("二、主动公开政府信息情况"));
    blocks.push(Block::Table(&t2, 9.0));
    blocks.push(Block::Heading("三、收到和处理政府信息公开申请情况"));
    blocks.push(Block::Table(&t3, 7.0));
    blocks.push(Block::Heading("四、政府信息公开行政复议、行政诉讼情况"));
    blocks.push(Block::Table(&t4, 7.0));
    blocks.push(Block::Heading("五、存在的主要问题及改进情况"));
    blocks.extend(v.problems.iter().map(|p| Block::Text(Align::Indented, p)));
    blocks.push(Block::Heading("六、其他需要报告的事项"));
    blocks.extend(v.other.iter().map(|p| Block::Text(Align::Indented, p)));
    gongkai_formats::pdf::blocks(state.pdf_font.as_deref(), &v.title, &blocks)
}

// ---- office ----

#[derive(Template)]
#[template(path = "office/reports.html")]
struct OfficeList {
    chrome: Chrome,
    reports: Vec<AnnualReport>,
    agencies: Vec<Choice>,
    year: String,
    error: Option<String>,
    error_field: String,
}

async fn office_list(
    state: &AppState,
    staff: &Staff,
    error: Option<DomainError>,
) -> AppResult<OfficeList> {
    let who = staff.user.principal();
    let mut conn = state.db.conn().await?;
    let (error, error_field) = crate::shared::render::split_error(error);
    let last_year = chrono::Datelike::year(&db::now().date_naive()) - 1;
    Ok(OfficeList {
        chrome: staff.chrome("政府信息公开工作年度报告"),
        reports: reports::staff_list(&mut conn, &who).await?,
        agencies: crate::shared::render::agency_choices(state, staff).await?,
        year: last_year.to_string(),
        error,
        error_field,
    })
}

pub async fn office(State(state): State<AppState>, staff: Staff) -> AppResult<Response> {
    let p = office_list(&state, &staff, None).await?;
    page(&p, StatusCode::OK, None)
}

#[derive(Deserialize)]
pub struct NewReport {
    agency: String,
    year: String,
    #[serde(default)]
    scope: String,
}

pub async fn create(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(form): CsrfForm<NewReport>,
) -> AppResult<Response> {
    let result = async {
        let mut conn = state.db.conn().await?;
        let cal = calendar::work_calendar(&mut conn).await?;
        let year = report::parse_year(&form.year, |y| cal.has_official_data(y))?;
        let scope = Scope::parse(if form.scope.is_empty() {
            "agency"
        } else {
            &form.scope
        })?;
        let code = gongkai_domain::agency::AgencyCode::parse(&form.agency)?;
        let a = agencies::by_code(&mut conn, &code)
            .await?
            .ok_or(DomainError::NotFound { what: "机构" })?;
        drop(conn);
        gongkai_app::publishing::create_report(&staff.ctx(&state.db), a.id, year, scope).await
    }
    .await;
    crate::shared::render::after_post(
        result,
        |id| format!("/office/reports/{id}"),
        async |e| office_list(&state, &staff, Some(e)).await,
    )
    .await
}

/// The edit form's fields, as typed.
#[derive(Deserialize, Default, Clone)]
pub struct ReportForm {
    #[serde(default)]
    overview: String,
    #[serde(default)]
    problems: String,
    #[serde(default)]
    other: String,
    #[serde(default)]
    licences: String,
    #[serde(default)]
    licences_source: String,
    #[serde(default)]
    penalties: String,
    #[serde(default)]
    penalties_source: String,
    #[serde(default)]
    coercions: String,
    #[serde(default)]
    coercions_source: String,
    #[serde(default)]
    fees: String,
    #[serde(default)]
    fees_source: String,
}

impl ReportForm {
    fn of(a: &AnnualReport) -> Self {
        let m = &a.manual;
        let n = |e: &Option<gongkai_domain::report::manual::Entered>| {
            e.as_ref()
                .map(|x| (x.value.to_string(), x.source.clone()))
                .unwrap_or_default()
        };
        let (licences, licences_source) = n(&m.licences);
        let (penalties, penalties_source) = n(&m.penalties);
        let (coercions, coercions_source) = n(&m.coercions);
        let (fees, fees_source) = m
            .fees
            .as_ref()
            .map(|x| {
                (
                    report::WanYuan::from_yuan(x.value).to_string(),
                    x.source.clone(),
                )
            })
            .unwrap_or_default();
        ReportForm {
            overview: a.texts.overview.clone(),
            problems: a.texts.problems.clone(),
            other: a.texts.other.clone(),
            licences,
            licences_source,
            penalties,
            penalties_source,
            coercions,
            coercions_source,
            fees,
            fees_source,
        }
    }
}

#[derive(Template)]
#[template(path = "office/report.html")]
struct OfficeReport {
    chrome: Chrome,
    a: AnnualReport,
    v: ReportView,
    errors: Vec<Finding>,
    warnings: Vec<Finding>,
    form: ReportForm,
    draft: bool,
    error: Option<String>,
    error_field: String,
}

async fn report_page(
    state: &AppState,
    staff: &Staff,
    id: i64,
    form: Option<ReportForm>,
    error: Option<DomainError>,
) -> AppResult<OfficeReport> {
    let who = staff.user.principal();
    let mut conn = state.db.conn().await?;
    let a = reports::staff_get(&mut conn, &who, id).await?;
    let r = reports::build(&mut conn, &a).await?;
    let (errors, warnings): (Vec<Finding>, Vec<Finding>) = report::check(&r)
        .into_iter()
        .partition(|f| f.severity == Severity::Error);
    let (error, error_field) = crate::shared::render::split_error(error);
    let link = (a.status != report::ReportStatus::Imported).then_some(a.id);
    Ok(OfficeReport {
        chrome: staff.chrome(&a.title()),
        v: view(&r, link),
        errors,
        warnings,
        form: form.unwrap_or_else(|| ReportForm::of(&a)),
        draft: a.status == report::ReportStatus::Draft,
        a,
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
    let p = report_page(&state, &staff, id, None, None).await?;
    page(&p, StatusCode::OK, None)
}

#[derive(Deserialize)]
pub struct ReportAction {
    #[serde(default)]
    action: String,
    #[serde(flatten)]
    form: ReportForm,
}

/// Saves the texts and figures; `submit` saves, then submits (every check must pass).
pub async fn act(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(f): CsrfForm<ReportAction>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, WHAT)?;
    let form = f.form.clone();
    let result: Result<(), DomainError> = async {
        let manual = ManualFigures::parse(
            (&form.licences, &form.licences_source),
            (&form.penalties, &form.penalties_source),
            (&form.coercions, &form.coercions_source),
            (&form.fees, &form.fees_source),
        )?;
        let texts = Texts {
            overview: form.overview.clone(),
            problems: form.problems.clone(),
            other: form.other.clone(),
        };
        let submit = f.action == "submit";
        gongkai_app::publishing::save_report(&staff.ctx(&state.db), id, &texts, &manual, submit)
            .await
    }
    .await;
    crate::shared::render::after_post(
        result,
        |_| format!("/office/reports/{id}"),
        async |e| report_page(&state, &staff, id, Some(f.form), Some(e)).await,
    )
    .await
}

pub async fn office_output(
    State(state): State<AppState>,
    staff: Staff,
    Path((id, format)): Path<(String, String)>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, WHAT)?;
    let who = staff.user.principal();
    let mut conn = state.db.conn().await?;
    let a = reports::staff_get(&mut conn, &who, id).await?;
    let r = reports::build(&mut conn, &a).await?;
    output(&state, &a, &r, &format, false)
}

#[derive(Template)]
#[template(path = "office/report_cell.html")]
struct CellPage {
    chrome: Chrome,
    a: AnnualReport,
    what: String,
    requests: Vec<CellRequest>,
    appeals: Vec<CellAppeal>,
    limit: usize,
}

#[derive(Deserialize)]
pub struct CellQuery {
    #[serde(default)]
    row: String,
    #[serde(default)]
    col: String,
}

const CELL_LIMIT: i64 = 1000;

/// The requests one cell of table 三 counts.
pub async fn cell(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<CellQuery>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, WHAT)?;
    let (row, col) = gongkai_domain::report::tables::cell(&q.row, &q.col)?;
    let who = staff.user.principal();
    let mut conn = state.db.conn().await?;
    let a = reports::staff_get(&mut conn, &who, id).await?;
    let requests = reports::cell_requests(&mut conn, &a, row, col, CELL_LIMIT).await?;
    page(
        &CellPage {
            chrome: staff.chrome(&format!("{} · 明细", a.title())),
            what: format!("表三“{}”行“{}”列", row.key(), COLUMNS[col]),
            requests,
            appeals: Vec::new(),
            limit: CELL_LIMIT as usize,
            a,
        },
        StatusCode::OK,
        None,
    )
}

#[derive(Deserialize)]
pub struct AppealQuery {
    #[serde(default)]
    kind: String,
    #[serde(default)]
    result: String,
}

/// The appeals one cell of table 四 counts.
pub async fn appeals(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    Query(q): Query<AppealQuery>,
) -> AppResult<Response> {
    let id = crate::shared::error::id_or_404(&id, WHAT)?;
    let kind = AppealKind::parse(&q.kind)?;
    let result = match q.result.trim() {
        "" => None,
        r => Some(AppealResult::parse(r)?),
    };
    let who = staff.user.principal();
    let mut conn = state.db.conn().await?;
    let a = reports::staff_get(&mut conn, &who, id).await?;
    let appeals = reports::cell_appeals(&mut conn, &a, kind, result).await?;
    page(
        &CellPage {
            chrome: staff.chrome(&format!("{} · 明细", a.title())),
            what: format!(
                "表四“{}”“{}”",
                gongkai_domain::report::tables::appeal_group_key(kind),
                result.map_or("总计", |r| r.label())
            ),
            requests: Vec::new(),
            appeals,
            limit: CELL_LIMIT as usize,
            a,
        },
        StatusCode::OK,
        None,
    )
}
