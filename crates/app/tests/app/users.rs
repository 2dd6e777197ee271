//! Accounts: the administrator creates them in an existing agency with a password that meets
//! the policy; anything refused writes nothing. API tokens are issued for a name and a term.

use gongkai_domain::user::UserDraft;

use super::*;

both!(
    users_and_bad_user_input,
    tokens_are_named_and_bounded_in_time
);

const TABLES: &[&str] = &["agencies", "users", "audit_log", "outbox", "api_tokens"];

fn admin(db: &Db) -> Ctx<'_> {
    Ctx::new(db, actor(), p(Role::Admin, 1))
}

async fn users_and_bad_user_input(t: TestDb) {
    add_agency(&t.db, "YX0000", "government", "").await;
    add_agency(&t.db, "YX0201", "department", "YX0000").await;
    let ctx = admin(&t.db);
    let draft = UserDraft::parse("Staff01", "张三", "staff").unwrap();
    // A lower-case, padded agency code names the agency.
    let u = gongkai_app::admin::create_user(&ctx, &draft, " yx0201 ", "a long passphrase")
        .await
        .unwrap();
    assert_eq!(u.username, "staff01");
    assert_eq!(u.role, Role::Staff);

    let before = t.snapshot(TABLES).await;
    let attempts = [
        ("staff01", "YX0201", "another passphrase", "conflict"),
        ("staff02", "YX9999", "another passphrase", "invalid-input"),
        ("staff02", "", "another passphrase", "invalid-input"),
        ("staff02", "不是代码", "another passphrase", "invalid-input"),
        ("staff03", "YX0201", "short", "invalid-input"),
    ];
    for (name, agency, pw, code) in attempts {
        let d = UserDraft::parse(name, "", "staff").unwrap();
        let err = gongkai_app::admin::create_user(&ctx, &d, agency, pw)
            .await
            .unwrap_err();
        assert_eq!(err.code(), code, "{name} {agency:?}: {err:?}");
    }
    // Only an administrator creates accounts.
    let office = Ctx::new(&t.db, actor(), p(Role::Office, 1));
    let d = UserDraft::parse("staff04", "", "staff").unwrap();
    assert_eq!(
        gongkai_app::admin::create_user(&office, &d, "YX0201", "another passphrase").await,
        Err(DomainError::Forbidden)
    );
    assert_eq!(t.snapshot(TABLES).await, before);
    let mut c = t.db.conn().await.unwrap();
    let log = audit::for_entity(&mut c, "user", &u.id.to_string())
        .await
        .unwrap();
    assert_eq!(log.len(), 1);
    assert!(
        !log[0]
            .after
            .as_ref()
            .unwrap()
            .to_string()
            .contains("argon2"),
        "no hash in the log"
    );
}

async fn tokens_are_named_and_bounded_in_time(t: TestDb) {
    add_agency(&t.db, "YX0000", "government", "").await;
    let ctx = admin(&t.db);
    let d = UserDraft::parse("apiuser", "", "staff").unwrap();
    gongkai_app::admin::create_user(&ctx, &d, "YX0000", "a long passphrase")
        .await
        .unwrap();
    let token = gongkai_app::admin::create_token(&ctx, "apiuser", " 数据同步 ", 3650)
        .await
        .unwrap();
    assert!(token.starts_with("gk_"));
    let before = t.snapshot(TABLES).await;
    for (name, days) in [("ci", 0), ("ci", 3651), ("ci", -1), ("", 30), ("a\nb", 30)] {
        let e = gongkai_app::admin::create_token(&ctx, "apiuser", name, days)
            .await
            .unwrap_err();
        assert_eq!(e.code(), "invalid-input", "{name:?} {days}: {e:?}");
    }
    let e = gongkai_app::admin::create_token(&ctx, "ghost", "ci", 30)
        .await
        .unwrap_err();
    assert!(matches!(e, DomainError::NotFound { .. }), "{e:?}");
    assert_eq!(t.snapshot(TABLES).await, before);
}
