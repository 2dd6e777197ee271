//! Administration: agencies and their disclosure rules, staff accounts and API tokens, the
//! work calendar's corrections. Every operation here is the administrator's, checked here
//! (not only by the page that offers it), and audited in its transaction.

use chrono::NaiveDate;
use gongkai_domain::agency::{self, DisclosureRules};
use gongkai_domain::agency::{AgencyCode, AgencyDraft};
use gongkai_domain::calendar::CalendarOverride;
use gongkai_domain::user::{
    TokenDraft, UserDraft, Username, check_deactivation, check_password_policy, check_token_holder,
};
use gongkai_domain::{DomainError, Field};
use gongkai_store::Tx;
use gongkai_store::agencies::{self, Agency};
use gongkai_store::db::Result;
use gongkai_store::users::{self, User};

use crate::Ctx;

pub async fn create_agency(ctx: &Ctx<'_>, draft: &AgencyDraft) -> Result<Agency> {
    ctx.db
        .write(async |tx| create_agency_in(tx, ctx, draft).await)
        .await
}

/// [`create_agency`] inside a transaction (the bootstrap, the demo seed).
pub async fn create_agency_in(tx: &mut Tx, ctx: &Ctx<'_>, draft: &AgencyDraft) -> Result<Agency> {
    ctx.principal.require_admin()?;
    let parent = parent_of(tx, draft).await?;
    agencies::create(tx, &ctx.actor, draft, parent.as_ref()).await
}

/// The parent a draft names: it exists, and the draft's kind may hang under it.
async fn parent_of(tx: &mut Tx, draft: &AgencyDraft) -> Result<Option<Agency>> {
    let parent = match &draft.parent {
        None => None,
        Some(code) => {
            let found = agencies::by_code(tx, code).await?;
            agency::parent_named(code, found.is_some())?;
            found
        }
    };
    draft.kind.check_parent(parent.as_ref().map(|p| p.kind))?;
    Ok(parent)
}

/// Changes an agency (its code stays: it is part of every 索引号 issued); a new parent must
/// not be the agency itself or one below it.
pub async fn update_agency(ctx: &Ctx<'_>, draft: &AgencyDraft) -> Result<Agency> {
    ctx.principal.require_admin()?;
    ctx.db
        .write(async |tx| {
            let before = agencies::by_code(tx, &draft.code)
                .await?
                .ok_or(DomainError::NotFound { what: "机构" })?;
            let parent = parent_of(tx, draft).await?;
            if let Some(p) = &parent {
                agency::check_not_under_itself(before.id, &agencies::lineage(tx, p.id).await?)?;
            }
            agencies::update(tx, &ctx.actor, &before, draft, parent.as_ref()).await
        })
        .await
}

/// An agency's 索引号 pattern, publication limit and additions to its guide.
pub async fn set_disclosure_rules(
    ctx: &Ctx<'_>,
    code: &AgencyCode,
    rules: &DisclosureRules,
) -> Result<Agency> {
    ctx.db
        .write(async |tx| set_disclosure_rules_in(tx, ctx, code, rules).await)
        .await
}

pub async fn set_disclosure_rules_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    code: &AgencyCode,
    rules: &DisclosureRules,
) -> Result<Agency> {
    ctx.principal.require_admin()?;
    agencies::set_disclosure_rules(tx, &ctx.actor, code, rules).await
}

pub async fn create_user(
    ctx: &Ctx<'_>,
    draft: &UserDraft,
    agency_code: &str,
    password: &str,
) -> Result<User> {
    ctx.db
        .write(async |tx| create_user_in(tx, ctx, draft, agency_code, password).await)
        .await
}

/// The agency a new account belongs to, as a form names it.
const USER_AGENCY: Field = Field::new("agency", "所属机构");

/// [`create_user`] inside a transaction: the agency must exist and the password meet the
/// policy before anything is written.
pub async fn create_user_in(
    tx: &mut Tx,
    ctx: &Ctx<'_>,
    draft: &UserDraft,
    agency_code: &str,
    password: &str,
) -> Result<User> {
    ctx.principal.require_admin()?;
    let code = AgencyCode::parse(agency_code)
        .map_err(|e| DomainError::invalid(USER_AGENCY, e.to_string()))?;
    let agency = agencies::by_code(tx, &code)
        .await?
        .ok_or_else(|| DomainError::invalid(USER_AGENCY, format!("机构代码“{code}”不存在")))?;
    check_password_policy(password, &draft.username)?;
    users::create(tx, &ctx.actor, draft, agency.id, password).await
}

/// The account named `username`.
async fn named_user(tx: &mut Tx, username: &str) -> Result<User> {
    users::by_username(tx, &Username::parse(username)?)
        .await?
        .ok_or(DomainError::NotFound { what: "用户" })
}

/// Deactivates (ending its sessions and tokens) or reactivates an account.
pub async fn set_user_active(ctx: &Ctx<'_>, username: &str, active: bool) -> Result<User> {
    ctx.principal.require_admin()?;
    ctx.db
        .write(async |tx| {
            let user = named_user(tx, username).await?;
            if !active && user.active {
                check_deactivation(user.role, users::active_admins(tx).await?)?;
            }
            users::set_active(tx, &ctx.actor, user, active).await
        })
        .await
}

/// Sets a user's password, ending their sessions.
pub async fn set_password(ctx: &Ctx<'_>, username: &str, password: &str) -> Result<User> {
    ctx.principal.require_admin()?;
    ctx.db
        .write(async |tx| {
            let name = Username::parse(username)?;
            let user = named_user(tx, username).await?;
            check_password_policy(password, &name)?;
            users::set_password(tx, &ctx.actor, user, password).await
        })
        .await
}

/// Issues an API token for a user, valid `days` days; returns it (shown once).
pub async fn create_token(ctx: &Ctx<'_>, username: &str, name: &str, days: i64) -> Result<String> {
    ctx.principal.require_admin()?;
    let draft = TokenDraft::parse(name, days)?;
    ctx.db
        .write(async |tx| {
            let user = named_user(tx, username).await?;
            check_token_holder(user.active)?;
            users::create_token(tx, &ctx.actor, &user, &draft).await
        })
        .await
}

pub async fn revoke_token(ctx: &Ctx<'_>, token_id: i64) -> Result<()> {
    ctx.principal.require_admin()?;
    ctx.db
        .write(async |tx| users::revoke_token(tx, &ctx.actor, token_id).await)
        .await
}

/// Corrects the official calendar for one day (a local make-up day or closure).
pub async fn set_calendar_override(ctx: &Ctx<'_>, o: &CalendarOverride) -> Result<()> {
    ctx.principal.require_admin()?;
    ctx.db
        .write(async |tx| gongkai_store::calendar::set_override(tx, &ctx.actor, o).await)
        .await
}

/// Removes a day's correction; false when there was none.
pub async fn remove_calendar_override(ctx: &Ctx<'_>, day: NaiveDate) -> Result<bool> {
    ctx.principal.require_admin()?;
    ctx.db
        .write(async |tx| gongkai_store::calendar::remove_override(tx, &ctx.actor, day).await)
        .await
}

/// On a database with no accounts, creates the root agency (unless there is one) and the
/// first administrator `admin` with `password`, in one transaction; `false` when accounts
/// already exist (nothing changes then).
pub async fn bootstrap(
    ctx: &Ctx<'_>,
    root: &gongkai_domain::agency::AgencyInput,
    password: &str,
) -> Result<bool> {
    ctx.principal.require_admin()?;
    ctx.db
        .write(async |tx| {
            if users::count(tx).await? > 0 {
                return Ok(false);
            }
            let existing = agencies::root(tx).await?;
            let root_code = match existing {
                Some(a) => a.code,
                None => {
                    let draft = AgencyDraft::parse(root)?;
                    create_agency_in(tx, ctx, &draft).await?.code
                }
            };
            let draft = UserDraft::parse("admin", "系统管理员", "admin")?;
            create_user_in(tx, ctx, &draft, &root_code, password).await?;
            Ok(true)
        })
        .await
}
