//! The indexer against a real database (SQLite and PostgreSQL): published documents become
//! searchable, withdrawn ones disappear, interpretations follow their policy, two nodes
//! converge, a late-committing outbox id is not skipped, a rebuild reproduces the index, and a
//! message is searchable only as published (选登), without its asker.

use chrono::NaiveDate;
use gongkai_domain::agency::{AgencyDraft, AgencyInput};
use gongkai_domain::document::{Action, DocumentDraft, DocumentInput};
use gongkai_domain::user::{Principal, Role};
use gongkai_search::query::parse;
use gongkai_search::{Kind, Node, Search};
use gongkai_store::{Actor, Backend, Db, Tx};
use gongkai_testing::TestDb;

macro_rules! both {
    ($($name:ident),* $(,)?) => {$(
        mod $name {
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn sqlite() { super::$name(super::TestDb::new(super::Backend::Sqlite).await).await }
            #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
            async fn postgres() { super::$name(super::TestDb::new(super::Backend::Postgres).await).await }
        }
    )*};
}

both!(
    published_documents_are_found_and_withdrawn_ones_disappear,
    two_nodes_converge_and_a_rebuild_reproduces_the_index,
    the_checkpoint_survives_a_restart,
    a_published_message_is_found_without_its_asker_and_unpublishing_removes_it,
);

fn actor() -> Actor {
    Actor::system("test")
}

const OFFICE: Principal = Principal {
    user_id: 0,
    role: Role::Office,
    agency_id: 0,
};

async fn agency(db: &Db) -> i64 {
    agencies_of(db).await[0]
}

/// Two departments: documents of different agencies take different 索引号 sequences, so
/// two open transactions do not wait for each other.
async fn agencies_of(db: &Db) -> Vec<i64> {
    let mut tx = db.begin().await.unwrap();
    let mut ids = Vec::new();
    for (code, name, kind, parent) in [
        ("YX0000", "云溪区人民政府", "government", ""),
        ("YX0201", "云溪区发展和改革委员会", "department", "YX0000"),
        ("YX0202", "云溪区教育局", "department", "YX0000"),
    ] {
        let input = AgencyInput {
            code: code.into(),
            name: name.into(),
            kind: kind.into(),
            parent: parent.into(),
            office_hours: "工作日".into(),
            ..Default::default()
        };
        let id =
            gongkai_testing::fixtures::add_agency_in(&mut tx, &AgencyDraft::parse(&input).unwrap())
                .await
                .id;
        if kind == "department" {
            ids.push(id);
        }
    }
    tx.commit().await.unwrap();
    ids
}

fn draft(title: &str, number: &str, body: &str) -> DocumentDraft {
    let input = DocumentInput {
        title: title.into(),
        doc_number: number.into(),
        kind: "notice".into(),
        topic: "综合政务\\政务公开".into(),
        formed_on: "2021-04-16".into(),
        body: body.into(),
        disclosure_mode: "proactive".into(),
        ..Default::default()
    };
    DocumentDraft::parse(&input, NaiveDate::from_ymd_opt(2026, 11, 23).unwrap()).unwrap()
}

/// Registers and publishes a document inside `tx`.
async fn publish_in(tx: &mut Tx, db: &Db, agency: i64, d: &DocumentDraft) -> i64 {
    let ctx = gongkai_app::Ctx::new(db, actor(), OFFICE);
    let id = gongkai_app::documents::register_in(tx, &ctx, agency, d)
        .await
        .unwrap();
    for a in [Action::Submit, Action::Approve, Action::Publish] {
        gongkai_app::documents::act_in(tx, &ctx, id, &a)
            .await
            .unwrap();
    }
    id
}

async fn publish(db: &Db, agency: i64, d: &DocumentDraft) -> i64 {
    let mut tx = db.begin().await.unwrap();
    let id = publish_in(&mut tx, db, agency, d).await;
    tx.commit().await.unwrap();
    id
}

fn ids(node: &Node, q: &str) -> Vec<i64> {
    let s = Search::text(q, 20).unwrap();
    node.index()
        .search(&s)
        .unwrap()
        .hits
        .iter()
        .map(|h| h.id)
        .collect()
}

async fn published_documents_are_found_and_withdrawn_ones_disappear(t: TestDb) {
    let a = agency(&t.db).await;
    let node = Node::open(t.db.clone(), None).unwrap();
    let seed = publish(
        &t.db,
        a,
        &draft(
            "嘉兴市人民政府办公室关于印发2021年政务公开工作要点的通知",
            "嘉府办发〔2021〕18号",
            "推进政府信息公开标准化规范化。",
        ),
    )
    .await;
    let library = publish(
        &t.db,
        a,
        &draft("北京大学图书馆开放安排", "", "面向公众开放。"),
    )
    .await;
    // A draft is never indexed.
    let mut tx = t.db.begin().await.unwrap();
    gongkai_app::documents::register_in(
        &mut tx,
        &gongkai_app::Ctx::new(&t.db, actor(), OFFICE),
        a,
        &draft("内部草稿 信息公开", "", "草稿"),
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();

    assert!(node.catch_up().await.unwrap() > 0);
    for q in [
        "信息公开",
        "公开",
        "資訊公開",
        "嘉府办发[2021]18号",
        "嘉府办发〔2021〕18号",
    ] {
        assert_eq!(ids(&node, q), [seed], "{q}");
    }
    assert_eq!(ids(&node, "北京大学"), [library]);
    assert!(ids(&node, "草稿").is_empty(), "drafts stay out");
    let status = node.status();
    assert_eq!(status.lag(), 0, "{status:?}");
    assert_eq!(status.documents, 2);

    // Withdrawal removes it at the next pass.
    let mut tx = t.db.begin().await.unwrap();
    gongkai_app::documents::act_in(
        &mut tx,
        &gongkai_app::Ctx::new(&t.db, actor(), OFFICE),
        library,
        &Action::Withdraw {
            reason: "内容有误,撤回".into(),
        },
    )
    .await
    .unwrap();
    tx.commit().await.unwrap();
    node.catch_up().await.unwrap();
    assert!(ids(&node, "北京大学").is_empty(), "withdrawn: gone");
    assert_eq!(node.status().documents, 1);
    // A pass with nothing new changes nothing.
    assert_eq!(node.catch_up().await.unwrap(), 0);

    // Catalogue items are found as their own kind, and follow their edits.
    let input = gongkai_domain::catalogue::ItemInput {
        name: "行政事业性收费目录清单".into(),
        elements: "收费项目、收费标准、收费依据".into(),
        basis: "《政府信息公开条例》第二十条".into(),
        ..Default::default()
    };
    let draft = gongkai_domain::catalogue::ItemDraft::parse(&input).unwrap();
    let mut tx = t.db.begin().await.unwrap();
    let ctx = gongkai_app::Ctx::new(&t.db, actor(), OFFICE);
    let item = gongkai_app::catalogue::create_column_in(&mut tx, &ctx, a, &draft)
        .await
        .unwrap();
    tx.commit().await.unwrap();
    node.catch_up().await.unwrap();
    let s = Search {
        parsed: parse("收费标准").unwrap(),
        page: 1,
        per_page: 5,
        ..Search::default()
    };
    let hits = node.index().search(&s).unwrap().hits;
    assert_eq!(hits.len(), 1);
    assert_eq!((hits[0].kind, hits[0].id), (Kind::Catalogue, item));
    assert!(hits[0].url.ends_with(&format!("/catalogue/{item}")));
}

async fn two_nodes_converge_and_a_rebuild_reproduces_the_index(t: TestDb) {
    let a = agency(&t.db).await;
    let one = Node::open(t.db.clone(), None).unwrap();
    let two = Node::open(t.db.clone(), None).unwrap();
    let mut published = Vec::new();
    for i in 0..12 {
        published.push(
            publish(
                &t.db,
                a,
                &draft(&format!("第{i}号 关于政务公开的通知"), "", "依申请公开"),
            )
            .await,
        );
        if i % 4 == 0 {
            one.catch_up().await.unwrap();
        }
    }
    let (r1, r2) = tokio::join!(one.catch_up(), two.catch_up());
    r1.unwrap();
    r2.unwrap();
    let mut found_one = ids(&one, "政务公开");
    let mut found_two = ids(&two, "政务公开");
    found_one.sort();
    found_two.sort();
    assert_eq!(found_one, published);
    assert_eq!(found_one, found_two, "both nodes hold the same");
    assert_eq!(one.status().cursor, two.status().cursor);

    let fresh = Node::open(t.db.clone(), None).unwrap();
    assert!(fresh.needs_rebuild().unwrap(), "a new index is rebuilt");
    assert_eq!(fresh.rebuild(|_| {}).await.unwrap(), 12);
    let mut rebuilt = ids(&fresh, "政务公开");
    rebuilt.sort();
    assert_eq!(rebuilt, published);
    assert!(!fresh.needs_rebuild().unwrap());
    assert_eq!(fresh.status().cursor, one.status().cursor);
}

async fn the_checkpoint_survives_a_restart(t: TestDb) {
    let a = agency(&t.db).await;
    let dir = tempdir();
    let node = Node::open(t.db.clone(), Some(dir.clone())).unwrap();
    node.rebuild(|_| {}).await.unwrap();
    let id = publish(&t.db, a, &draft("行政规范性文件管理办法", "", "规范性文件")).await;
    node.catch_up().await.unwrap();
    let cursor = node.status().cursor;
    assert!(cursor > 0);
    drop(node);
    let again = Node::open(t.db.clone(), Some(dir.clone())).unwrap();
    assert_eq!(
        again.status().cursor,
        cursor,
        "read from the commit payload"
    );
    assert!(!again.needs_rebuild().unwrap());
    assert_eq!(ids(&again, "行政规范性文件"), [id]);
    // After the restart's rewind, nothing is lost or doubled.
    again.catch_up().await.unwrap();
    assert_eq!(ids(&again, "行政规范性文件"), [id]);
    let _ = std::fs::remove_dir_all(dir);
}

async fn a_published_message_is_found_without_its_asker_and_unpublishing_removes_it(t: TestDb) {
    use gongkai_domain::message::{BoxKind, MessageDraft, MessageInput, PublicationInput, Step};
    use gongkai_store::messages::Destination;
    let a = agency(&t.db).await;
    let staff = Principal {
        user_id: 0,
        role: Role::Staff,
        agency_id: a,
    };
    let node = Node::open(t.db.clone(), None).unwrap();
    let filed_at = chrono::Utc::now();
    let asker = MessageDraft::parse(&MessageInput {
        title: "小区门口占道经营问题".into(),
        body: "我是赵子龙,小区门口长期有摊贩占道经营,影响通行。".into(),
        name: "赵子龙".into(),
        phone: "13800138000".into(),
        consent: "on".into(),
        ..Default::default()
    })
    .unwrap();
    let to = Destination {
        agency_id: a,
        box_kind: BoxKind::Consultation,
        document_id: None,
    };
    let public = gongkai_app::Ctx::public(&t.db, actor()).at(filed_at);
    let id = gongkai_app::messages::submit(&public, to, &asker, "10.0.0.1")
        .await
        .unwrap()
        .id;
    let as_staff = gongkai_app::Ctx::new(&t.db, actor(), staff);
    for (step, text) in [
        ("accept", ""),
        ("reply", "已安排执法中队清理占道摊位,并加强夜间巡查。"),
    ] {
        let step = Step::parse(step, text, false).unwrap();
        gongkai_app::messages::act(&as_staff, id, &step, None)
            .await
            .unwrap();
    }
    // Filed and answered, not published: nothing of it is searchable.
    node.catch_up().await.unwrap();
    for q in ["占道经营", "夜间巡查", "赵子龙"] {
        assert!(ids(&node, q).is_empty(), "{q}: not published yet");
    }

    let copy = PublicationInput {
        public_title: "小区门口占道经营问题".into(),
        public_body: "市民反映:小区门口长期有摊贩占道经营,影响通行。".into(),
        public_reply: "已安排执法中队清理占道摊位,并加强夜间巡查。".into(),
    };
    gongkai_app::messages::publish(&as_staff, id, &copy)
        .await
        .unwrap();
    node.catch_up().await.unwrap();
    let s = Search::text("占道经营", 10).unwrap();
    let hits = node.index().search(&s).unwrap().hits;
    assert_eq!(
        hits.iter().map(|h| (h.kind, h.id)).collect::<Vec<_>>(),
        [(Kind::Message, id)]
    );
    assert_eq!(hits[0].url, format!("/messages/{id}"));
    assert_eq!(ids(&node, "夜间巡查"), [id], "the reply is searchable");
    // The asker's name was in the original text only.
    assert!(ids(&node, "赵子龙").is_empty());
    // A rebuild holds it too.
    let rebuilt = Node::open(t.db.clone(), None).unwrap();
    rebuilt.rebuild(|_| {}).await.unwrap();
    assert_eq!(ids(&rebuilt, "夜间巡查"), [id]);

    gongkai_app::messages::unpublish(&as_staff, id)
        .await
        .unwrap();
    node.catch_up().await.unwrap();
    assert!(ids(&node, "占道经营").is_empty(), "unpublished: gone");
}

fn tempdir() -> std::path::PathBuf {
    use std::sync::atomic::{AtomicU64, Ordering};
    static N: AtomicU64 = AtomicU64::new(0);
    let d = std::env::temp_dir().join(format!(
        "gongkai-search-test-{}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::Relaxed)
    ));
    let _ = std::fs::remove_dir_all(&d);
    d
}

/// PostgreSQL hands out outbox ids at insert time, so a transaction that started first can
/// commit last: the indexer must wait for the gap instead of skipping the id.
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn postgres_a_late_commit_below_the_cursor_is_not_skipped() {
    let t = TestDb::new(Backend::Postgres).await;
    let both = agencies_of(&t.db).await;
    let (a, b) = (both[0], both[1]);
    let node = Node::open(t.db.clone(), None).unwrap();
    // Transaction A takes the lower outbox id and stays open.
    let mut slow = t.db.begin().await.unwrap();
    let late = publish_in(
        &mut slow,
        &t.db,
        a,
        &draft("迟到提交的政务公开文件", "", "迟到"),
    )
    .await;
    // B commits a higher id first.
    let early = publish(&t.db, b, &draft("先提交的政务公开文件", "", "先到")).await;
    node.catch_up().await.unwrap();
    assert_eq!(ids(&node, "政务公开"), [early]);
    let blocked = node.status().cursor;
    // Now A commits: the next pass finds it although its id is below B's.
    slow.commit().await.unwrap();
    node.catch_up().await.unwrap();
    let mut found = ids(&node, "政务公开");
    found.sort();
    assert_eq!(found, [late.min(early), late.max(early)]);
    assert!(
        node.status().cursor > blocked,
        "the cursor moves once the gap is filled"
    );

    // A rolled-back transaction leaves a gap for good: once old, the cursor passes it.
    let cursor = node.status().cursor;
    drop(node);
    let node = Node::open_with_gap_grace(t.db.clone(), None, chrono::Duration::zero()).unwrap();
    node.catch_up().await.unwrap();
    assert_eq!(
        node.status().cursor,
        cursor,
        "a fresh node catches up to the same place"
    );
    let mut rolled = t.db.begin().await.unwrap();
    publish_in(&mut rolled, &t.db, a, &draft("回滚的文件", "", "回滚")).await;
    rolled.rollback().await.unwrap();
    let after = publish(&t.db, b, &draft("回滚之后的文件", "", "之后")).await;
    node.catch_up().await.unwrap();
    assert_eq!(ids(&node, "之后"), [after]);
    assert_eq!(node.status().lag(), 0, "{:?}", node.status());
}

#[path = "search/relevance.rs"]
mod relevance;

both!(
    an_office_synonym_takes_effect_on_every_node_without_a_rebuild,
    a_question_is_answered_by_the_article_that_holds_it,
);

fn node_ids(node: &Node, q: &str) -> Vec<i64> {
    let s = Search::text(q, 20).unwrap();
    node.search(&s).unwrap().hits.iter().map(|h| h.id).collect()
}

async fn an_office_synonym_takes_effect_on_every_node_without_a_rebuild(t: TestDb) {
    use gongkai_domain::synonym::Synonym;
    let a = agency(&t.db).await;
    let id = publish(
        &t.db,
        a,
        &draft(
            "关于规范共享单车停放的通知",
            "",
            "互联网租赁自行车应当在划定的停放区域内有序停放。",
        ),
    )
    .await;
    let first = Node::open(t.db.clone(), None).unwrap();
    let second = Node::open(t.db.clone(), None).unwrap();
    for n in [&first, &second] {
        n.catch_up().await.unwrap();
    }
    // The shipped list knows 共享单车 → 互联网租赁自行车; nobody shipped 小黄车.
    assert_eq!(node_ids(&first, "共享单车"), [id]);
    assert!(node_ids(&first, "小黄车").is_empty());

    let office = gongkai_app::Ctx::new(&t.db, actor(), OFFICE);
    let staff = gongkai_app::Ctx::new(
        &t.db,
        actor(),
        Principal {
            user_id: 0,
            role: Role::Staff,
            agency_id: a,
        },
    );
    let entry = Synonym::parse("小黄车", "互联网租赁自行车、共享单车").unwrap();
    assert!(matches!(
        gongkai_app::search_synonyms::save(&staff, &entry).await,
        Err(gongkai_domain::DomainError::Forbidden)
    ));
    assert!(
        gongkai_app::search_synonyms::all(&t.db)
            .await
            .unwrap()
            .is_empty()
    );
    gongkai_app::search_synonyms::save(&office, &entry)
        .await
        .unwrap();
    // Each node reads the announcement on its next pass; its index is not rebuilt.
    let before = first.index().num_docs();
    for n in [&first, &second] {
        n.catch_up().await.unwrap();
        assert_eq!(node_ids(n, "小黄车"), [id]);
    }
    assert_eq!(first.index().num_docs(), before);
    let mut c = t.db.conn().await.unwrap();
    let trail = gongkai_store::audit::for_entity(&mut c, "search_synonym", "小黄车")
        .await
        .unwrap();
    assert_eq!(trail.len(), 1, "audited");
    drop(c);

    gongkai_app::search_synonyms::remove(&office, "小黄车")
        .await
        .unwrap();
    for n in [&first, &second] {
        n.catch_up().await.unwrap();
        assert!(node_ids(n, "小黄车").is_empty(), "removed: gone");
    }
}

async fn a_question_is_answered_by_the_article_that_holds_it(t: TestDb) {
    let a = agency(&t.db).await;
    let mut articles = String::from("## 第一章 总则\n\n");
    let numbers = ["一", "二", "三", "四", "五", "六", "七", "八", "九", "十"];
    for (i, n) in numbers.iter().enumerate() {
        articles.push_str(&format!(
            "第{n}条 本条规定登记事项的第{}项要求,依照有关规定办理。\n\n",
            i + 1
        ));
    }
    articles.push_str("## 第二章 犬只管理\n\n第十一条 养犬人应当为犬只办理登记,携犬出户时应当束犬链。\n\n第十二条 其他事项依照有关规定办理。\n");
    let id = publish(&t.db, a, &draft("云溪区城市管理条例", "", &articles)).await;
    let node = Node::open(t.db.clone(), None).unwrap();
    node.catch_up().await.unwrap();
    let s = Search::text("养狗需要办理登记吗？", 10).unwrap();
    let r = node.search(&s).unwrap();
    assert_eq!(r.hits.first().map(|h| h.id), Some(id), "{:?}", r.hits);
    let answer = r.answer.expect("a passage answer");
    assert_eq!(answer.passage.anchor, "第十一条");
    assert!(answer.passage.text.starts_with("第十一条 养犬人"));
    assert_eq!(answer.url, format!("/documents/{id}#第十一条"));
    assert_eq!(r.hits[0].url, answer.url);
    // The page marks the article where the link lands.
    let body = gongkai_domain::rich_text::to_html(&articles);
    assert!(
        body.contains("<span id=\"第十一条\"></span>第十一条"),
        "{body}"
    );
    // A withdrawn text takes its passages with it.
    let ctx = gongkai_app::Ctx::new(&t.db, actor(), OFFICE);
    gongkai_app::documents::act(
        &ctx,
        id,
        &gongkai_domain::document::Action::Withdraw {
            reason: "测试撤回".into(),
        },
    )
    .await
    .unwrap();
    node.catch_up().await.unwrap();
    let r = node.search(&s).unwrap();
    assert!(r.hits.is_empty() && r.answer.is_none(), "{:?}", r.hits);
}
