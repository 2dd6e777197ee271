//! Administration: agencies and staff accounts. Administrators only.

use askama::Template;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use gongkai_domain::DomainError;
use gongkai_domain::agency::{AgencyDraft, AgencyInput, AgencyKind};
use gongkai_domain::user::{Role, UserDraft};
use gongkai_store::agencies::{self, Agency};
use gongkai_store::users::{self, User};
use serde::Deserialize;

use crate::shared::error::{AppError, AppResult};
use crate::shared::form::{CsrfForm, NoFields};
use crate::shared::render::{TreeRow, page, tree_rows};
use crate::shared::session::Staff;
use crate::shared::state::AppState;
use crate::shared::views::Chrome;

/// This feature's routes (forms and pages within the ordinary body limit).
pub(crate) fn routes() -> axum::Router<AppState> {
    axum::Router::new()
        .route(
            "/office/agencies/{code}/rules",
            axum::routing::post(update_rules),
        )
        .route(
            "/office/agencies",
            axum::routing::get(agencies_view).post(create_agency),
        )
        .route(
            "/office/agencies/{code}",
            axum::routing::get(edit_agency_view).post(update_agency),
        )
        .route(
            "/office/users",
            axum::routing::get(users_view).post(create_user),
        )
        .route(
            "/office/users/{username}/active",
            axum::routing::post(set_user_active),
        )
        .route(
            "/office/tokens/{id}/revoke",
            axum::routing::post(revoke_token),
        )
}

#[derive(Template)]
#[template(path = "office/agencies.html")]
struct AgenciesAdmin {
    chrome: Chrome,
    tree: Vec<TreeRow>,
    kinds: Vec<crate::shared::render::Choice>,
    form: AgencyInput,
    editing: bool,
    error: Option<String>,
    error_field: String,
    /// The agency's 索引号 pattern and publication limit, when editing.
    rules_pattern: String,
    rules_limit: String,
    rules_guide: String,
}

async fn agencies_page(
    state: &AppState,
    staff: &Staff,
    form: AgencyInput,
    editing: bool,
    error: Option<DomainError>,
) -> AppResult<AgenciesAdmin> {
    let mut c = state.db.conn().await?;
    let tree = agencies::tree_order(agencies::list(&mut c).await?);
    let title = if editing {
        "编辑机构"
    } else {
        "机构管理"
    };
    let (error, error_field) = crate::shared::render::split_error(error);
    let (mut rules_pattern, mut rules_limit, mut rules_guide) =
        (String::new(), String::new(), String::new());
    if editing
        && let Ok(code) = gongkai_domain::agency::AgencyCode::parse(&form.code)
        && let Some(a) = agencies::by_code(&mut c, &code).await?
    {
        rules_pattern = a.index_pattern()?.as_str().to_string();
        rules_limit = a.publication_limit().to_string();
        rules_guide = a.guide_note.clone().unwrap_or_default();
    }
    Ok(AgenciesAdmin {
        rules_pattern,
        rules_limit,
        rules_guide,
        chrome: staff.chrome(title),
        tree: tree_rows(&tree),
        kinds: choices!(AgencyKind),
        form,
        editing,
        error_field,
        error,
    })
}

pub async fn agencies_view(State(state): State<AppState>, staff: Staff) -> AppResult<Response> {
    staff.require_admin()?;
    let p = agencies_page(&state, &staff, AgencyInput::default(), false, None).await?;
    page(&p, StatusCode::OK, None)
}

#[derive(Deserialize)]
pub struct AgencyForm {
    #[serde(flatten)]
    input: AgencyInput,
}

fn input_of(a: &Agency, parent: Option<&Agency>) -> AgencyInput {
    AgencyInput {
        code: a.code.clone(),
        name: a.name.clone(),
        short_name: a.short_name.clone(),
        kind: a.kind.as_str().to_string(),
        parent: parent.map(|p| p.code.clone()).unwrap_or_default(),
        phone: a.phone.clone().unwrap_or_default(),
        email: a.email.clone().unwrap_or_default(),
        address: a.address.clone().unwrap_or_default(),
        postcode: a.postcode.clone().unwrap_or_default(),
        office_hours: a.office_hours.clone().unwrap_or_default(),
        fax: a.fax.clone().unwrap_or_default(),
    }
}

pub async fn create_agency(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(form): CsrfForm<AgencyForm>,
) -> AppResult<Response> {
    staff.require_admin()?;
    let result = match AgencyDraft::parse(&form.input) {
        Ok(draft) => gongkai_app::admin::create_agency(&staff.ctx(&state.db), &draft).await,
        Err(e) => Err(e),
    };
    agency_saved(&state, &staff, form.input, false, result).await
}

/// After a save: to the agency's page, or back to the form with the message.
async fn agency_saved(
    state: &AppState,
    staff: &Staff,
    input: AgencyInput,
    editing: bool,
    result: Result<Agency, DomainError>,
) -> AppResult<Response> {
    match result {
        Ok(a) => {
            Ok(crate::shared::render::redirect(&format!("/agencies/{}", a.code)).into_response())
        }
        Err(e) if e.is_input_error() => {
            let status = crate::shared::error::status_of(&e);
            let p = agencies_page(state, staff, input, editing, Some(e)).await?;
            page(&p, status, None)
        }
        Err(e) => Err(AppError(e)),
    }
}

pub async fn edit_agency_view(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
) -> AppResult<Response> {
    staff.require_admin()?;
    let mut c = state.db.conn().await?;
    let a = crate::shared::render::agency_or_404(&mut c, &code).await?;
    let parent = match a.parent_id {
        Some(id) => agencies::by_id(&mut c, id).await?,
        None => None,
    };
    drop(c);
    let p = agencies_page(&state, &staff, input_of(&a, parent.as_ref()), true, None).await?;
    page(&p, StatusCode::OK, None)
}

pub async fn update_agency(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    CsrfForm(mut form): CsrfForm<AgencyForm>,
) -> AppResult<Response> {
    staff.require_admin()?;
    // The code in the path is authoritative: codes never change once 索引号 use them.
    form.input.code = code;
    let result = match AgencyDraft::parse(&form.input) {
        Ok(draft) => gongkai_app::admin::update_agency(&staff.ctx(&state.db), &draft).await,
        Err(e) => Err(e),
    };
    agency_saved(&state, &staff, form.input, true, result).await
}

pub struct UserLine {
    pub user: User,
    pub agency_name: String,
    /// Tokens not yet revoked (expired ones included, so the admin sees them end).
    pub tokens: Vec<users::TokenInfo>,
}

#[derive(Template)]
#[template(path = "office/users.html")]
struct UsersAdmin {
    chrome: Chrome,
    users: Vec<UserLine>,
    /// (username, when, failures) of accounts guessed at from many clients lately.
    alerts: Vec<(String, String, i64)>,
    now: chrono::DateTime<chrono::Utc>,
    agencies: Vec<Agency>,
    roles: Vec<crate::shared::render::Choice>,
    form: UserInput,
    error: Option<String>,
    error_field: String,
}

#[derive(Deserialize, Default)]
pub struct UserInput {
    #[serde(default)]
    username: String,
    #[serde(default)]
    display_name: String,
    #[serde(default)]
    role: String,
    #[serde(default)]
    agency: String,
}

async fn users_page(
    state: &AppState,
    staff: &Staff,
    form: UserInput,
    error: Option<DomainError>,
) -> AppResult<UsersAdmin> {
    let mut c = state.db.conn().await?;
    let agencies = agencies::list(&mut c).await?;
    let mut lines = Vec::new();
    for u in users::list(&mut c).await? {
        let tokens = users::tokens_of(&mut c, u.id)
            .await?
            .into_iter()
            .filter(|t| t.revoked_at.is_none())
            .collect();
        lines.push(UserLine {
            agency_name: agencies
                .iter()
                .find(|a| a.id == u.agency_id)
                .map(|a| a.name.clone())
                .unwrap_or_default(),
            user: u,
            tokens,
        });
    }
    let now = gongkai_store::db::now();
    let alerts = users::login_alerts(&mut c, now - chrono::Duration::days(30))
        .await?
        .into_iter()
        .map(|(id, at, failures)| {
            let name = lines
                .iter()
                .find(|l| l.user.id == id)
                .map(|l| l.user.username.to_string())
                .unwrap_or_default();
            (name, at.format("%Y-%m-%d %H:%M").to_string(), failures)
        })
        .collect();
    let users = lines;
    let (error, error_field) = crate::shared::render::split_error(error);
    Ok(UsersAdmin {
        chrome: staff.chrome("用户管理"),
        users,
        alerts,
        now,
        agencies,
        roles: choices!(Role),
        form,
        error_field,
        error,
    })
}

pub async fn users_view(State(state): State<AppState>, staff: Staff) -> AppResult<Response> {
    staff.require_admin()?;
    let p = users_page(&state, &staff, UserInput::default(), None).await?;
    page(&p, StatusCode::OK, None)
}

#[derive(Deserialize)]
pub struct UserForm {
    #[serde(flatten)]
    input: UserInput,
    #[serde(default)]
    password: String,
}

pub async fn create_user(
    State(state): State<AppState>,
    staff: Staff,
    CsrfForm(form): CsrfForm<UserForm>,
) -> AppResult<Response> {
    staff.require_admin()?;
    let i = &form.input;
    let result = match UserDraft::parse(&i.username, &i.display_name, &i.role) {
        Ok(draft) => {
            let ctx = staff.ctx(&state.db);
            gongkai_app::admin::create_user(&ctx, &draft, &i.agency, &form.password).await
        }
        Err(e) => Err(e),
    };
    match result {
        Ok(_) => Ok(crate::shared::render::redirect("/office/users").into_response()),
        Err(e) if e.is_input_error() => {
            let status = crate::shared::error::status_of(&e);
            let p = users_page(&state, &staff, form.input, Some(e)).await?;
            page(&p, status, None)
        }
        Err(e) => Err(AppError(e)),
    }
}

#[derive(Deserialize)]
pub struct ActiveForm {
    active: String,
}

/// Deactivates or reactivates an account: deactivation ends its sessions and revokes its
/// tokens.
pub async fn set_user_active(
    State(state): State<AppState>,
    staff: Staff,
    Path(username): Path<String>,
    CsrfForm(form): CsrfForm<ActiveForm>,
) -> AppResult<Response> {
    staff.require_admin()?;
    let active = form.active == "1";
    let result =
        gongkai_app::admin::set_user_active(&staff.ctx(&state.db), &username, active).await;
    crate::shared::render::after_post(
        result,
        |_| "/office/users".to_string(),
        async |e| users_page(&state, &staff, UserInput::default(), Some(e)).await,
    )
    .await
}

/// Revokes one API token.
pub async fn revoke_token(
    State(state): State<AppState>,
    staff: Staff,
    Path(id): Path<String>,
    CsrfForm(_): CsrfForm<NoFields>,
) -> AppResult<Response> {
    staff.require_admin()?;
    let id = crate::shared::error::id_or_404(&id, "令牌")?;
    let result = gongkai_app::admin::revoke_token(&staff.ctx(&state.db), id).await;
    crate::shared::render::after_post(
        result,
        |()| "/office/users".to_string(),
        async |e| users_page(&state, &staff, UserInput::default(), Some(e)).await,
    )
    .await
}

#[derive(Deserialize)]
pub struct RulesForm {
    #[serde(default)]
    index_pattern: String,
    #[serde(default)]
    publication_limit: String,
    #[serde(default)]
    guide_note: String,
}

/// Sets an agency's 索引号 pattern and publication limit (working days).
pub async fn update_rules(
    State(state): State<AppState>,
    staff: Staff,
    Path(code): Path<String>,
    CsrfForm(form): CsrfForm<RulesForm>,
) -> AppResult<Response> {
    staff.require_admin()?;
    let mut c = state.db.conn().await?;
    let agency = crate::shared::render::agency_or_404(&mut c, &code).await?;
    let parent = match agency.parent_id {
        Some(id) => agencies::by_id(&mut c, id).await?,
        None => None,
    };
    drop(c);
    let code = gongkai_domain::agency::AgencyCode::parse(&agency.code)?;
    let ctx = staff.ctx(&state.db);
    let result = async {
        let rules = gongkai_domain::agency::DisclosureRules::parse(
            &gongkai_domain::agency::DisclosureRulesInput {
                index_pattern: form.index_pattern.clone(),
                publication_limit: form.publication_limit.clone(),
                guide_note: form.guide_note.clone(),
            },
        )?;
        gongkai_app::admin::set_disclosure_rules(&ctx, &code, &rules).await
    }
    .await;
    match result {
        Ok(a) => Ok(
            crate::shared::render::redirect(&format!("/office/agencies/{}", a.code))
                .into_response(),
        ),
        Err(e) if e.is_input_error() => {
            let status = crate::shared::error::status_of(&e);
            let p = agencies_page(
                &state,
                &staff,
                input_of(&agency, parent.as_ref()),
                true,
                Some(e),
            )
            .await?;
            page(&p, status, None)
        }
        Err(e) => Err(AppError(e)),
    }
}
