//! Staff accounts: usernames, roles, the password policy and who may act where.

use serde::Serialize;

use crate::error::{DomainError, Field};
use crate::text;

/// A login name: 3–32 characters of lower-case ASCII letters, digits, `.`, `_` or `-`,
/// starting with a letter or digit. Stored lower-case so logins are case-insensitive.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize)]
#[serde(transparent)]
pub struct Username(String);

impl Username {
    pub const FIELD: Field = Field::new("username", "用户名");

    pub fn parse(input: &str) -> Result<Self, DomainError> {
        let name = text::halfwidth(input.trim()).to_ascii_lowercase();
        let first_ok = name
            .chars()
            .next()
            .is_some_and(|c| c.is_ascii_lowercase() || c.is_ascii_digit());
        let rest_ok = name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || matches!(c, '.' | '_' | '-'));
        if !first_ok || !rest_ok || !(3..=32).contains(&name.len()) {
            return Err(DomainError::invalid(
                Self::FIELD,
                "用户名应为 3–32 位小写字母、数字或 . _ -,并以字母或数字开头",
            ));
        }
        Ok(Username(name))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl std::fmt::Display for Username {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    /// 系统管理员: agencies, users, calendar overrides, site settings.
    Admin,
    /// 政务公开主管部门: sees and oversees every agency.
    Office,
    /// 机构审核人: approves within one agency.
    Reviewer,
    /// 机构经办人: works within one agency.
    Staff,
}

code_by_all!(Role);

impl Role {
    pub const ALL: [Role; 4] = [Role::Admin, Role::Office, Role::Reviewer, Role::Staff];
    pub const FIELD: Field = Field::new("role", "角色");

    pub fn as_str(self) -> &'static str {
        match self {
            Role::Admin => "admin",
            Role::Office => "office",
            Role::Reviewer => "reviewer",
            Role::Staff => "staff",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Role::Admin => "系统管理员",
            Role::Office => "政务公开主管部门",
            Role::Reviewer => "机构审核人",
            Role::Staff => "机构经办人",
        }
    }

    pub fn parse(input: &str) -> Result<Self, DomainError> {
        Self::ALL
            .into_iter()
            .find(|r| r.as_str() == input.trim())
            .ok_or_else(|| {
                DomainError::invalid(
                    Self::FIELD,
                    format!(
                        "未知的角色“{}”,可选:admin、office、reviewer、staff",
                        input.trim()
                    ),
                )
            })
    }

    /// Admin and the disclosure office see every agency; the others only their own.
    pub fn sees_all_agencies(self) -> bool {
        matches!(self, Role::Admin | Role::Office)
    }
}

/// Who is acting, as far as the rules care.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Principal {
    pub user_id: i64,
    pub role: Role,
    /// The agency the user belongs to; every user belongs to one (admins to the government
    /// or office that runs the platform).
    pub agency_id: i64,
}

impl Principal {
    /// May this user read or change records of `agency_id`?
    pub fn may_act_for(&self, agency_id: i64) -> bool {
        self.role.sees_all_agencies() || self.agency_id == agency_id
    }

    pub fn require_agency(&self, agency_id: i64) -> Result<(), DomainError> {
        if self.may_act_for(agency_id) {
            Ok(())
        } else {
            Err(DomainError::Forbidden)
        }
    }

    pub fn require_admin(&self) -> Result<(), DomainError> {
        if self.role == Role::Admin {
            Ok(())
        } else {
            Err(DomainError::Forbidden)
        }
    }
}

pub const PASSWORD_FIELD: Field = Field::new("password", "密码");
pub const MIN_PASSWORD_CHARS: usize = 10;
pub const MAX_PASSWORD_CHARS: usize = 128;

/// An API token to issue: a name for the list (1–60 characters on one line) and how many
/// days it is valid (1 to 3650).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TokenDraft {
    pub name: String,
    pub days: i64,
}

impl TokenDraft {
    pub fn parse(name: &str, days: i64) -> Result<Self, DomainError> {
        let name = text::bounded(name, Field::new("name", "令牌名称"), 1, 60)?;
        if !(1..=3650).contains(&days) {
            return Err(DomainError::invalid(
                Field::new("days", "有效天数"),
                "有效天数应在 1 到 3650 之间",
            ));
        }
        Ok(TokenDraft { name, days })
    }
}

/// Length is what matters most (NIST SP 800-63B); we also refuse a password that is one
/// character repeated or equal to the username.
pub fn check_password_policy(password: &str, username: &Username) -> Result<(), DomainError> {
    let n = password.chars().count();
    if n < MIN_PASSWORD_CHARS {
        return Err(DomainError::invalid(
            PASSWORD_FIELD,
            format!("密码至少需要 {MIN_PASSWORD_CHARS} 个字符"),
        ));
    }
    if n > MAX_PASSWORD_CHARS {
        return Err(DomainError::invalid(
            PASSWORD_FIELD,
            format!("密码最多 {MAX_PASSWORD_CHARS} 个字符"),
        ));
    }
    let mut chars = password.chars();
    let first = chars.next();
    if chars.all(|c| Some(c) == first) || password.eq_ignore_ascii_case(username.as_str()) {
        return Err(DomainError::invalid(
            PASSWORD_FIELD,
            "密码过于简单,请换一个",
        ));
    }
    Ok(())
}

/// Validated input for a new staff account.
#[derive(Clone, Debug)]
pub struct UserDraft {
    pub username: Username,
    pub display_name: String,
    pub role: Role,
}

impl UserDraft {
    pub fn parse(username: &str, display_name: &str, role: &str) -> Result<Self, DomainError> {
        let username = Username::parse(username)?;
        let display_name =
            match text::optional(display_name, Field::new("display_name", "姓名"), 50)? {
                Some(n) => n,
                None => username.as_str().to_string(),
            };
        Ok(UserDraft {
            username,
            display_name,
            role: Role::parse(role)?,
        })
    }
}

/// An account that is switched off holds no new API token.
pub fn check_token_holder(active: bool) -> Result<(), DomainError> {
    if !active {
        return Err(DomainError::conflict(None, "账号已停用,不能创建令牌"));
    }
    Ok(())
}

/// Someone must still be able to administer the site: the last active administrator stays
/// active. `active_admins` counts the active administrators, this one included.
pub fn check_deactivation(role: Role, active_admins: i64) -> Result<(), DomainError> {
    if role == Role::Admin && active_admins <= 1 {
        return Err(DomainError::conflict(
            None,
            "这是唯一启用的管理员账号,不能停用",
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn usernames_normalise_and_reject_bad_shapes() {
        assert_eq!(
            Username::parse(" Zhang.San ").unwrap().as_str(),
            "zhang.san"
        );
        for bad in ["ab", "_abc", "张三", "a b c", &"x".repeat(33)] {
            assert!(Username::parse(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn password_policy() {
        let u = Username::parse("staff01").unwrap();
        assert!(check_password_policy("short", &u).is_err());
        assert!(check_password_policy("aaaaaaaaaaaa", &u).is_err());
        assert!(check_password_policy("STAFF01", &u).is_err());
        assert!(check_password_policy("correct horse", &u).is_ok());
        assert!(check_password_policy("长城长城长城长城长城", &u).is_ok());
        assert!(check_password_policy(&"x1".repeat(65), &u).is_err());
    }

    #[test]
    fn staff_act_only_within_their_agency() {
        let staff = Principal {
            user_id: 1,
            role: Role::Staff,
            agency_id: 7,
        };
        let office = Principal {
            user_id: 2,
            role: Role::Office,
            agency_id: 1,
        };
        assert!(staff.may_act_for(7));
        assert!(!staff.may_act_for(8));
        assert_eq!(staff.require_agency(8), Err(DomainError::Forbidden));
        assert!(office.may_act_for(8));
        assert!(staff.require_admin().is_err());
        assert!(office.require_admin().is_err());
    }

    #[test]
    fn roles_parse() {
        assert_eq!(Role::parse("reviewer").unwrap(), Role::Reviewer);
        assert!(Role::parse("root").is_err());
    }

    #[test]
    fn the_last_active_administrator_stays_and_a_stopped_account_gets_no_token() {
        assert!(check_deactivation(Role::Admin, 1).is_err());
        assert_eq!(check_deactivation(Role::Admin, 2), Ok(()));
        assert_eq!(check_deactivation(Role::Staff, 1), Ok(()));
        assert_eq!(check_token_holder(true), Ok(()));
        assert_eq!(check_token_holder(false).unwrap_err().code(), "conflict");
    }
}
