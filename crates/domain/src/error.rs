//! The one error type of the domain. The web layer shows it twice: as a Chinese HTML page and
//! as `application/problem+json` with the stable `code()`.

use std::fmt;

/// Names an input field: `name` for machines (API problem bodies, form field ids), `label` for
/// people (Chinese messages).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Field {
    pub name: &'static str,
    pub label: &'static str,
}

impl Field {
    pub const fn new(name: &'static str, label: &'static str) -> Self {
        Field { name, label }
    }
}

impl fmt::Display for Field {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.label)
    }
}

#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum DomainError {
    /// Input that does not parse or breaks a rule; nothing was changed.
    #[error("{message}")]
    Invalid { field: Field, message: String },
    /// A referenced record does not exist (or is not visible to the caller).
    #[error("未找到{what}")]
    NotFound { what: &'static str },
    /// The change collides with existing data, e.g. a duplicate code or username.
    #[error("{message}")]
    Conflict {
        field: Option<Field>,
        message: String,
    },
    #[error("请先登录")]
    Unauthenticated,
    /// Wrong username or password. Deliberately says no more than that.
    #[error("用户名或密码不正确")]
    BadCredentials,
    #[error("您无权执行此操作")]
    Forbidden,
    #[error("操作过于频繁,请 {retry_after_secs} 秒后再试")]
    RateLimited { retry_after_secs: u64 },
    /// The form's anti-forgery check failed: a stale page or a cross-site post.
    #[error("页面已过期或来源不可信,请刷新页面后重新提交")]
    CsrfRejected,
    /// Something outside the rules failed (database down, disk full). The detail is for logs
    /// only and never shown to users.
    #[error("服务暂时不可用,请稍后再试")]
    Unavailable { detail: String },
}

impl DomainError {
    pub fn invalid(field: Field, message: impl Into<String>) -> Self {
        DomainError::Invalid {
            field,
            message: message.into(),
        }
    }

    pub fn conflict(field: Option<Field>, message: impl Into<String>) -> Self {
        DomainError::Conflict {
            field,
            message: message.into(),
        }
    }

    pub fn unavailable(detail: impl fmt::Display) -> Self {
        DomainError::Unavailable {
            detail: detail.to_string(),
        }
    }

    /// Stable machine-readable code for API clients. Never change an existing code.
    pub fn code(&self) -> &'static str {
        match self {
            DomainError::Invalid { .. } => "invalid-input",
            DomainError::NotFound { .. } => "not-found",
            DomainError::Conflict { .. } => "conflict",
            DomainError::Unauthenticated => "unauthenticated",
            DomainError::BadCredentials => "bad-credentials",
            DomainError::Forbidden => "forbidden",
            DomainError::RateLimited { .. } => "rate-limited",
            DomainError::CsrfRejected => "csrf-rejected",
            DomainError::Unavailable { .. } => "unavailable",
        }
    }

    /// Errors caused by what the user entered, which a form shows next to its fields
    /// (as opposed to errors that end the request).
    pub fn is_input_error(&self) -> bool {
        matches!(
            self,
            DomainError::Invalid { .. } | DomainError::Conflict { .. }
        )
    }

    /// The field the error is about, if any.
    pub fn field(&self) -> Option<Field> {
        match self {
            DomainError::Invalid { field, .. } => Some(*field),
            DomainError::Conflict { field, .. } => *field,
            _ => None,
        }
    }
}
