//! Rendering helpers every page uses: a template into a response, redirects after a post,
//! select options, agency trees, and the “show the form again with the error” pattern.

/// One option of a select.
pub struct Choice {
    pub value: String,
    pub label: String,
}

impl Choice {
    /// Whether this option is the one `value` holds (to mark it selected).
    pub fn is(&self, value: &str) -> bool {
        self.value == value
    }
}

/// The options of a select for a labelled enum (code as value, Chinese label shown).
macro_rules! choices {
    ($t:ty) => {
        <$t>::ALL
            .iter()
            .map(|v| $crate::shared::render::Choice {
                value: v.as_str().into(),
                label: v.label().into(),
            })
            .collect::<Vec<_>>()
    };
}

use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Response};

use crate::shared::error::AppError;

/// Renders a template into a response, optionally with a status and a cookie to set.
pub fn page(
    template: &impl askama::Template,
    status: StatusCode,
    cookie: Option<(HeaderName, HeaderValue)>,
) -> Result<Response, AppError> {
    let html = template.render().map_err(|e| {
        AppError(gongkai_domain::DomainError::internal(format!(
            "template: {e}"
        )))
    })?;
    let mut res = (status, Html(html)).into_response();
    if let Some((k, v)) = cookie {
        res.headers_mut().append(k, v);
    }
    res.headers_mut().insert(
        header::CONTENT_TYPE,
        HeaderValue::from_static("text/html; charset=utf-8"),
    );
    Ok(res)
}

/// The agency with this code, or the page's 404: a malformed code is simply not found.
pub async fn agency_or_404(
    e: &mut impl gongkai_store::Exec,
    code: &str,
) -> Result<gongkai_store::agencies::Agency, AppError> {
    let not_found = || AppError(gongkai_domain::DomainError::NotFound { what: "机构" });
    let code = gongkai_domain::agency::AgencyCode::parse(code).map_err(|_| not_found())?;
    gongkai_store::agencies::by_code(e, &code)
        .await?
        .ok_or_else(not_found)
}

/// The agencies `staff` may act for, as select options.
pub async fn agency_choices(
    state: &crate::shared::state::AppState,
    staff: &crate::shared::session::Staff,
) -> Result<Vec<Choice>, AppError> {
    let who = staff.user.principal();
    Ok(gongkai_store::agencies::list(&mut state.db.conn().await?)
        .await?
        .into_iter()
        .filter(|a| who.may_act_for(a.id))
        .map(|a| Choice {
            value: a.code,
            label: a.name,
        })
        .collect())
}

/// The non-blank lines of a text, trimmed: its paragraphs on a page.
pub fn paragraphs(text: &str) -> Vec<String> {
    gongkai_domain::text::paragraphs(text)
        .map(String::from)
        .collect()
}

/// A form error split for templates: the message, and the name of the field to mark.
pub fn split_error(error: Option<gongkai_domain::DomainError>) -> (Option<String>, String) {
    let field = error
        .as_ref()
        .and_then(|e| e.field())
        .map(|f| f.name.to_string())
        .unwrap_or_default();
    (error.map(|e| e.to_string()), field)
}

/// One row of an agency tree rendered as nested lists: after the row, open a child list
/// (`opens`) or close `closes` levels.
pub struct TreeRow {
    pub code: String,
    pub name: String,
    pub kind_label: &'static str,
    pub opens: bool,
    pub closes: usize,
    /// Public documents of the agency, where the page shows them.
    pub count: Option<i64>,
}

/// The tree with each agency's number of public documents.
pub fn tree_rows_counted(
    tree: &[(usize, gongkai_store::agencies::Agency)],
    counts: &[(i64, i64)],
) -> Vec<TreeRow> {
    let mut rows = tree_rows(tree);
    for (row, (_, a)) in rows.iter_mut().zip(tree) {
        row.count = Some(
            counts
                .iter()
                .find(|(id, _)| *id == a.id)
                .map_or(0, |(_, n)| *n),
        );
    }
    rows
}

pub fn tree_rows(tree: &[(usize, gongkai_store::agencies::Agency)]) -> Vec<TreeRow> {
    tree.iter()
        .enumerate()
        .map(|(i, (depth, a))| {
            let next = tree.get(i + 1).map(|(d, _)| *d).unwrap_or(0);
            TreeRow {
                code: a.code.clone(),
                name: a.name.clone(),
                kind_label: a.kind.label(),
                opens: next > *depth,
                closes: depth.saturating_sub(next),
                count: None,
            }
        })
        .collect()
}

/// After a form post: on success, go where `done` says; an input error shows the form's page
/// again (built by `again`) with the error's status; any other error ends the request.
/// A 303 to `uri`, which may hold what someone typed (a filter echoed back): every byte that a
/// header may not carry is percent-encoded, so a control character in a form value can never
/// turn a saved change into a 500.
pub fn redirect(uri: &str) -> axum::response::Redirect {
    use std::fmt::Write;
    let mut safe = String::with_capacity(uri.len());
    for b in uri.bytes() {
        if b.is_ascii_graphic() {
            safe.push(b as char);
        } else {
            let _ = write!(safe, "%{b:02X}");
        }
    }
    axum::response::Redirect::to(&safe)
}

pub async fn after_post<T, P: askama::Template>(
    result: Result<T, gongkai_domain::DomainError>,
    done: impl FnOnce(T) -> String,
    again: impl AsyncFnOnce(gongkai_domain::DomainError) -> Result<P, AppError>,
) -> Result<Response, AppError> {
    match result {
        Ok(v) => Ok(redirect(&done(v)).into_response()),
        Err(e) if e.is_input_error() => {
            let status = crate::shared::error::status_of(&e);
            let p = again(e).await?;
            page(&p, status, None)
        }
        Err(e) => Err(AppError(e)),
    }
}

#[cfg(test)]
mod redirect_tests {
    use axum::response::IntoResponse;

    proptest::proptest! {
        /// Whatever a redirect target holds, the response is a 303 with a valid header.
        #[test]
        fn any_target_redirects(s in "(?s).{0,40}") {
            let res = super::redirect(&format!("/office/catalogue?agency={s}")).into_response();
            proptest::prop_assert_eq!(res.status(), axum::http::StatusCode::SEE_OTHER);
            proptest::prop_assert!(res.headers().contains_key(axum::http::header::LOCATION));
        }
    }
}
