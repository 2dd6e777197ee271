//! One error, two presentations. Handlers return [`AppError`], which carries the domain error
//! in the response's extensions; the outer middleware knows the request (its id, whether it
//! wants JSON) and renders either a Chinese HTML page or `application/problem+json`.

use std::sync::Arc;

use axum::http::{HeaderValue, StatusCode, header};
use axum::response::{IntoResponse, Response};
use gongkai_domain::DomainError;

#[derive(Debug)]
pub struct AppError(pub DomainError);

pub type AppResult<T> = Result<T, AppError>;

impl From<DomainError> for AppError {
    fn from(e: DomainError) -> Self {
        AppError(e)
    }
}

/// A record id from a URL; anything that is not a number is simply not found.
pub fn id_or_404(s: &str, what: &'static str) -> AppResult<i64> {
    s.trim()
        .parse()
        .map_err(|_| AppError(DomainError::NotFound { what }))
}

/// Marker put on error responses for the middleware to render.
#[derive(Clone, Debug)]
pub struct ErrorInfo(pub Arc<DomainError>);

pub fn status_of(e: &DomainError) -> StatusCode {
    match e {
        DomainError::Invalid { .. } => StatusCode::UNPROCESSABLE_ENTITY,
        DomainError::NotFound { .. } => StatusCode::NOT_FOUND,
        DomainError::Conflict { .. } => StatusCode::CONFLICT,
        DomainError::Unauthenticated | DomainError::BadCredentials => StatusCode::UNAUTHORIZED,
        DomainError::Forbidden | DomainError::CsrfRejected => StatusCode::FORBIDDEN,
        DomainError::RateLimited { .. } => StatusCode::TOO_MANY_REQUESTS,
        DomainError::Unavailable(_) => StatusCode::SERVICE_UNAVAILABLE,
        DomainError::Internal(_) => StatusCode::INTERNAL_SERVER_ERROR,
    }
}

/// Short Chinese title per error kind (the `title` of a problem body).
pub fn title_of(e: &DomainError) -> &'static str {
    match e {
        DomainError::Invalid { .. } => "提交的内容有误",
        DomainError::NotFound { .. } => "未找到",
        DomainError::Conflict { .. } => "与现有记录冲突",
        DomainError::Unauthenticated => "需要登录",
        DomainError::BadCredentials => "登录失败",
        DomainError::Forbidden => "无权访问",
        DomainError::RateLimited { .. } => "操作过于频繁",
        DomainError::CsrfRejected => "请求未通过安全校验",
        DomainError::Unavailable(_) => "服务暂时不可用",
        DomainError::Internal(_) => "服务器内部错误",
    }
}

impl IntoResponse for AppError {
    fn into_response(self) -> Response {
        // The one place a fault is logged, with its causes and constraint; users see only the
        // request id to quote (the log line carries it through the request's span).
        match &self.0 {
            DomainError::Unavailable(fault) => {
                tracing::error!(error = %fault, code = "unavailable", "request failed")
            }
            DomainError::Internal(fault) => {
                tracing::error!(error = %fault, code = "internal", "request failed")
            }
            _ => {}
        }
        let mut res = status_of(&self.0).into_response();
        if let DomainError::RateLimited { retry_after_secs } = &self.0
            && let Ok(v) = HeaderValue::from_str(&retry_after_secs.to_string())
        {
            res.headers_mut().insert(header::RETRY_AFTER, v);
        }
        res.extensions_mut().insert(ErrorInfo(Arc::new(self.0)));
        res
    }
}

/// The domain error a bare status stands for, for responses produced outside our handlers
/// (extractor rejections, unknown routes, oversized bodies).
pub fn error_for_status(status: StatusCode) -> DomainError {
    use gongkai_domain::Field;
    match status {
        StatusCode::NOT_FOUND => DomainError::NotFound { what: "页面" },
        StatusCode::METHOD_NOT_ALLOWED => {
            gongkai_domain::input::not_a_form(Field::new("method", "请求方法"), "不支持该请求方法")
        }
        StatusCode::PAYLOAD_TOO_LARGE => {
            gongkai_domain::input::not_a_form(Field::new("body", "提交内容"), "提交的内容过大")
        }
        StatusCode::UNSUPPORTED_MEDIA_TYPE => gongkai_domain::input::not_a_form(
            Field::new("body", "提交内容"),
            "提交内容的格式不受支持",
        ),
        s if s.is_client_error() => gongkai_domain::input::not_a_form(
            Field::new("body", "提交内容"),
            "提交的数据格式不正确(例如含有无效字符或缺少必填项),请检查后重新提交",
        ),
        StatusCode::SERVICE_UNAVAILABLE => DomainError::unavailable(format!("status {status}")),
        _ => DomainError::internal(format!("status {status}")),
    }
}
