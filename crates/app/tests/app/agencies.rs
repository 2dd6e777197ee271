//! Agencies: the agency a form names (one wording for nothing named, a malformed code, an
//! unknown one), and the tree the administrator builds — a parent that exists and fits the
//! kind, never the agency itself or one below it.

use gongkai_domain::Field;
use gongkai_domain::agency::{AgencyDraft, AgencyInput};
use gongkai_testing::fixtures::agency_input;

use super::*;

both!(
    an_agency_is_chosen_by_its_code_or_named_in_the_error,
    bad_agency_input_changes_nothing,
    agency_update_keeps_history,
);

const TABLES: &[&str] = &["agencies", "users", "audit_log", "outbox"];

fn admin(db: &Db) -> Ctx<'_> {
    Ctx::new(db, actor(), p(Role::Admin, 1))
}

async fn bad_agency_input_changes_nothing(t: TestDb) {
    add_agency(&t.db, "YX0000", "government", "").await;
    let before = t.snapshot(TABLES).await;
    let cases: [(AgencyInput, &str); 3] = [
        (agency_input("YX0201", "department", "NOPE01"), "parent"),
        (agency_input("YX030101", "village", "YX0000"), "parent"),
        (agency_input("YX0202", "department", ""), "parent"),
    ];
    for (input, field) in cases {
        let draft = AgencyDraft::parse(&input).unwrap();
        let err = gongkai_app::admin::create_agency(&admin(&t.db), &draft)
            .await
            .unwrap_err();
        assert_eq!(err.field().map(|f| f.name), Some(field), "{err:?}");
        assert_eq!(err.code(), "invalid-input");
    }
    // Duplicate code: a conflict naming the code field.
    let draft = AgencyDraft::parse(&agency_input("yx0000", "government", "")).unwrap();
    let err = gongkai_app::admin::create_agency(&admin(&t.db), &draft)
        .await
        .unwrap_err();
    assert_eq!(err.code(), "conflict");
    assert!(err.to_string().contains("YX0000"), "{err}");
    // Only an administrator.
    let office = Ctx::new(&t.db, actor(), p(Role::Office, 1));
    let draft = AgencyDraft::parse(&agency_input("YX0203", "department", "YX0000")).unwrap();
    assert_eq!(
        gongkai_app::admin::create_agency(&office, &draft).await,
        Err(DomainError::Forbidden)
    );
    assert_eq!(t.snapshot(TABLES).await, before);
}

async fn agency_update_keeps_history(t: TestDb) {
    add_agency(&t.db, "YX0000", "government", "").await;
    let town = add_agency(&t.db, "YX0301", "town", "YX0000").await;
    add_agency(&t.db, "YX030101", "village", "YX0301").await;
    let mut input = agency_input("YX0301", "town", "YX0000");
    input.address = "云溪区东湖路 1 号".into();
    let ctx = admin(&t.db);
    let after = gongkai_app::admin::update_agency(&ctx, &AgencyDraft::parse(&input).unwrap())
        .await
        .unwrap();
    assert_eq!(after.address.as_deref(), Some("云溪区东湖路 1 号"));
    let mut c = t.db.conn().await.unwrap();
    let history = audit::for_entity(&mut c, "agency", &town.id.to_string())
        .await
        .unwrap();
    assert_eq!(history.len(), 2);
    assert_eq!(
        history[1].before.as_ref().unwrap()["address"],
        serde_json::Value::Null
    );
    assert_eq!(
        history[1].after.as_ref().unwrap()["address"],
        "云溪区东湖路 1 号"
    );
    drop(c);
    // The government cannot move under its own town, nor a town under its own village (nor
    // itself); a town under a village is also the wrong kind. Nothing changes.
    let before = t.snapshot(TABLES).await;
    for (code, kind, parent) in [
        ("YX0000", "government", "YX0301"),
        ("YX0301", "town", "YX0301"),
        ("YX0000", "government", "YX0000"),
        ("YX0301", "town", "YX030101"),
    ] {
        let draft = AgencyDraft::parse(&agency_input(code, kind, parent)).unwrap();
        let err = gongkai_app::admin::update_agency(&ctx, &draft)
            .await
            .unwrap_err();
        assert_eq!(
            err.code(),
            "invalid-input",
            "{code} under {parent}: {err:?}"
        );
        assert_eq!(err.field().map(|f| f.name), Some("parent"));
    }
    assert_eq!(t.snapshot(TABLES).await, before);
}

async fn an_agency_is_chosen_by_its_code_or_named_in_the_error(t: TestDb) {
    add_agency(&t.db, "YX0000", "government", "").await;
    let field = Field::new("agency", "受理机关");
    let chosen = |code: &'static str| gongkai_app::agencies::chosen(&t.db, code, field);
    assert_eq!(chosen(" yx0000 ").await.unwrap().code, "YX0000");
    for (code, message) in [
        ("", "请选择受理机关"),
        ("  ", "请选择受理机关"),
        ("YX9999", "受理机关不存在"),
    ] {
        let e = chosen(code).await.unwrap_err();
        assert_eq!(e.field(), Some(field), "{code:?}: {e:?}");
        assert_eq!(e.to_string(), message, "{code:?}");
    }
    let e = chosen("不是代码").await.unwrap_err();
    assert_eq!(
        (e.code(), e.field()),
        ("invalid-input", Some(field)),
        "{e:?}"
    );
}
