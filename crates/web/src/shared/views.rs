//! What the base layout needs on every page.

use gongkai_store::users::User;

use crate::shared::state::AppState;

pub struct UserView {
    pub username: String,
    pub display_name: String,
    pub role_label: &'static str,
    pub is_admin: bool,
    pub sees_all: bool,
}

impl From<&User> for UserView {
    fn from(u: &User) -> Self {
        UserView {
            username: u.username.clone(),
            display_name: u.display_name.clone(),
            role_label: u.role.label(),
            is_admin: u.role == gongkai_domain::user::Role::Admin,
            sees_all: u.role.sees_all_agencies(),
        }
    }
}

pub struct Chrome {
    pub title: String,
    pub site_name: String,
    pub user: Option<UserView>,
    /// The session's CSRF token, for the forms on the page (the logout button included).
    pub csrf: String,
}

impl Chrome {
    pub fn anonymous(state: &AppState, title: &str) -> Self {
        Chrome {
            title: title.to_string(),
            site_name: state.config.site_name.clone(),
            user: None,
            csrf: String::new(),
        }
    }
}
