//! The agency a form names: one wording for nothing named, a malformed code, an unknown one.

use gongkai_domain::Field;

use super::*;

both!(an_agency_is_chosen_by_its_code_or_named_in_the_error);

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
