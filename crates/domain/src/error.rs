//! The one error type of the domain. The web layer shows it twice: as a Chinese HTML page and
//! as `application/problem+json` with the stable `code()`.

use std::fmt;
use std::sync::Arc;

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
    /// Something the service depends on is away or overloaded (database unreachable or
    /// timing out, disk full, the search index still opening): trying again later may work.
    /// The fault is for logs only and never shown to users.
    #[error("服务暂时不可用,请稍后再试")]
    Unavailable(Fault),
    /// A bug: an invariant the code relies on does not hold (a stored value that does not
    /// parse, a constraint the code should have checked first). Trying again will not help;
    /// the fault, with its cause, is logged once where the request ends.
    #[error("服务器内部错误,请将页面上的请求编号告知管理员")]
    Internal(Fault),
}

/// An infrastructure failure with what we were doing, the error that caused it (its whole
/// `source()` chain is kept) and, for a database constraint, the constraint's name.
#[derive(Clone, Debug)]
pub struct Fault {
    context: String,
    source: Option<Arc<dyn std::error::Error + Send + Sync + 'static>>,
    constraint: Option<String>,
}

impl Fault {
    pub fn new(context: impl fmt::Display) -> Self {
        Fault {
            context: context.to_string(),
            source: None,
            constraint: None,
        }
    }

    pub fn caused_by(
        context: impl fmt::Display,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        Fault {
            context: context.to_string(),
            source: Some(Arc::new(source)),
            constraint: None,
        }
    }

    pub fn with_constraint(mut self, constraint: Option<&str>) -> Self {
        self.constraint = constraint.map(str::to_owned);
        self
    }

    pub fn context(&self) -> &str {
        &self.context
    }

    pub fn constraint(&self) -> Option<&str> {
        self.constraint.as_deref()
    }

    /// The context followed by every cause, `: `-separated, for the log.
    pub fn chain(&self) -> String {
        let mut out = self.context.clone();
        let mut next: Option<&(dyn std::error::Error + 'static)> = self
            .source
            .as_deref()
            .map(|e| e as &(dyn std::error::Error + 'static));
        while let Some(e) = next {
            out.push_str(": ");
            out.push_str(&e.to_string());
            next = e.source();
        }
        if let Some(c) = &self.constraint {
            out.push_str(&format!(" (constraint {c})"));
        }
        out
    }
}

impl fmt::Display for Fault {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.chain())
    }
}

/// Faults compare by what was being done and the constraint; causes are not comparable.
impl PartialEq for Fault {
    fn eq(&self, other: &Self) -> bool {
        self.context == other.context && self.constraint == other.constraint
    }
}

impl Eq for Fault {}

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

    /// The service cannot answer now; see [`DomainError::Unavailable`].
    pub fn unavailable(context: impl fmt::Display) -> Self {
        DomainError::Unavailable(Fault::new(context))
    }

    /// A broken invariant; see [`DomainError::Internal`].
    pub fn internal(context: impl fmt::Display) -> Self {
        DomainError::Internal(Fault::new(context))
    }

    /// A broken invariant with the error that revealed it.
    pub fn internal_from(
        context: impl fmt::Display,
        source: impl std::error::Error + Send + Sync + 'static,
    ) -> Self {
        DomainError::Internal(Fault::caused_by(context, source))
    }

    /// The fault behind an infrastructure error, for the log.
    pub fn fault(&self) -> Option<&Fault> {
        match self {
            DomainError::Unavailable(f) | DomainError::Internal(f) => Some(f),
            _ => None,
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
            DomainError::Unavailable(_) => "unavailable",
            DomainError::Internal(_) => "internal",
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

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, thiserror::Error)]
    #[error("outer")]
    struct Outer(#[source] Inner);

    #[derive(Debug, thiserror::Error)]
    #[error("inner")]
    struct Inner;

    #[test]
    fn a_fault_keeps_its_whole_cause_chain_and_constraint() {
        let f =
            Fault::caused_by("saving request 7", Outer(Inner)).with_constraint(Some("fk_agency"));
        assert_eq!(
            f.chain(),
            "saving request 7: outer: inner (constraint fk_agency)"
        );
        assert_eq!(f.constraint(), Some("fk_agency"));
        let e = DomainError::Internal(f);
        assert_eq!(e.code(), "internal");
        assert!(!e.is_input_error());
        // What users see says nothing of the cause.
        assert!(!e.to_string().contains("outer"));
        assert_eq!(DomainError::unavailable("db").code(), "unavailable");
    }
}
