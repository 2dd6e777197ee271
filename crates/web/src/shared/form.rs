//! A strict form extractor. Browsers send `application/x-www-form-urlencoded`; the usual
//! decoder turns invalid UTF-8 into U+FFFD silently, which would store garbage. Here such a
//! body is refused with a clear message and nothing happens.
//!
//! Every state-changing form is read through [`CsrfForm`], which checks the token the form
//! echoes against the session's before the handler runs: a handler cannot forget the check.

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, Request};
use axum::http::header;
use gongkai_domain::Field;
use serde::de::DeserializeOwned;

use crate::shared::error::{AppError, error_for_status};
use crate::shared::session::{SessionCsrf, Visitor, check_csrf};
use crate::shared::state::AppState;

/// A form with nothing but its token (a confirmation button).
#[derive(serde::Deserialize)]
pub struct NoFields {}

/// A urlencoded form whose `csrf` field matched the session's token.
pub struct CsrfForm<T>(pub T);

/// Percent-encodes for a URL query or path, leaving ASCII letters, digits, `-_.~` and the
/// bytes in `keep` as they are.
pub fn percent_encode(s: &str, keep: &[u8]) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                (b as char).to_string()
            }
            b if keep.contains(&b) => (b as char).to_string(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

const BODY: Field = Field::new("body", "提交内容");

fn hex(b: u8) -> Option<u8> {
    match b {
        b'0'..=b'9' => Some(b - b'0'),
        b'a'..=b'f' => Some(b - b'a' + 10),
        b'A'..=b'F' => Some(b - b'A' + 10),
        _ => None,
    }
}

/// Percent-decodes one `key` or `value` of a urlencoded body.
fn decode(part: &[u8]) -> Vec<u8> {
    let mut out = Vec::with_capacity(part.len());
    let mut i = 0;
    while i < part.len() {
        match part[i] {
            b'+' => out.push(b' '),
            b'%' if i + 2 < part.len() => match (hex(part[i + 1]), hex(part[i + 2])) {
                (Some(h), Some(l)) => {
                    out.push(h * 16 + l);
                    i += 2;
                }
                _ => out.push(b'%'),
            },
            b => out.push(b),
        }
        i += 1;
    }
    out
}

/// Is every key and value valid UTF-8 once decoded?
pub fn valid_utf8(body: &[u8]) -> bool {
    body.split(|b| *b == b'&')
        .flat_map(|pair| pair.splitn(2, |b| *b == b'='))
        .all(|part| std::str::from_utf8(&decode(part)).is_ok())
}

/// The first value of `key` in a urlencoded body (already checked to be UTF-8).
fn field(body: &[u8], key: &str) -> String {
    body.split(|b| *b == b'&')
        .filter_map(|pair| {
            let mut kv = pair.splitn(2, |b| *b == b'=');
            let k = decode(kv.next()?);
            (k == key.as_bytes()).then(|| decode(kv.next().unwrap_or_default()))
        })
        .next()
        .map(|v| String::from_utf8_lossy(&v).into_owned())
        .unwrap_or_default()
}

/// The session's CSRF token (`None` without a session), as the [`Visitor`] extractor left it
/// in the request, or read now when no visitor was extracted before.
pub(crate) async fn session_token(
    parts: &mut axum::http::request::Parts,
    state: &AppState,
) -> Result<Option<String>, AppError> {
    Ok(match parts.extensions.get::<SessionCsrf>() {
        Some(s) => s.0.clone(),
        None => Visitor::from_request_parts(parts, state)
            .await?
            .session
            .map(|s| s.csrf_token),
    })
}

impl<T: DeserializeOwned> FromRequest<AppState> for CsrfForm<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &AppState) -> Result<Self, AppError> {
        let is_form = req
            .headers()
            .get(header::CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.starts_with("application/x-www-form-urlencoded"));
        if !is_form {
            return Err(AppError(gongkai_domain::input::not_a_form(
                BODY,
                "请通过页面上的表单提交",
            )));
        }
        let (mut parts, body) = req.into_parts();
        let expected = session_token(&mut parts, state).await?;
        let req = Request::from_parts(parts, body);
        let bytes = Bytes::from_request(req, state)
            .await
            .map_err(|r| AppError(error_for_status(r.status())))?;
        if !valid_utf8(&bytes) {
            return Err(AppError(gongkai_domain::input::not_a_form(
                BODY,
                "提交的数据格式不正确:含有无效字符(不是 UTF-8 编码),请检查后重新提交",
            )));
        }
        let form = serde_urlencoded::from_bytes(&bytes).map_err(|_| {
            AppError(error_for_status(
                axum::http::StatusCode::UNPROCESSABLE_ENTITY,
            ))
        })?;
        check_csrf(expected.as_deref(), &field(&bytes, "csrf"))?;
        Ok(CsrfForm(form))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn detects_invalid_utf8_after_decoding() {
        assert!(valid_utf8(b"name=%E4%BA%91%E6%BA%AA&x=a+b"));
        assert!(valid_utf8("name=云溪".as_bytes()));
        assert!(!valid_utf8(b"name=%FF%FE"));
        assert!(!valid_utf8(b"%C3=x"));
        assert!(!valid_utf8(b"name=\xff"));
        assert!(valid_utf8(b"pct=%zz&trail=%"));
        assert_eq!(decode(b"a%2Bb+c%"), b"a+b c%");
        assert_eq!(field(b"a=1&csrf=x%2By+z&csrf=second", "csrf"), "x+y z");
        assert_eq!(field(b"csrfx=1&c=2", "csrf"), "");
    }
}
