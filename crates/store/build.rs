//! Derives the migration list from `migrations/`, so adding a migration is adding its file.
//!
//! `NNNN_name.sql` is a portable step of version NNNN; `NNNN_name.sqlite.sql` with
//! `NNNN_name.postgres.sql` is one change spelled per backend. Within a version the portable
//! file comes first, then the per-backend pairs, each group in name order; the version's
//! name is its first file's. Versions must run 1, 2, 3… without gaps, and a per-backend file
//! without its twin is an error: either would silently skip a change on some databases.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::path::Path;

#[derive(Default)]
struct Version {
    portable: Vec<String>,
    pairs: BTreeMap<String, (bool, bool)>,
}

fn main() {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("migrations");
    println!("cargo:rerun-if-changed={}", dir.display());
    let mut versions: BTreeMap<u32, Version> = BTreeMap::new();
    let mut names: Vec<String> = std::fs::read_dir(&dir)
        .expect("crates/store/migrations is readable")
        .map(|e| {
            e.expect("a directory entry")
                .file_name()
                .to_string_lossy()
                .into_owned()
        })
        .filter(|n| n.ends_with(".sql"))
        .collect();
    names.sort();
    for name in names {
        let (number, rest) = name
            .split_once('_')
            .unwrap_or_else(|| panic!("migration {name}: expected NNNN_name.sql"));
        let version: u32 = number
            .parse()
            .unwrap_or_else(|_| panic!("migration {name}: expected a number before '_'"));
        let v = versions.entry(version).or_default();
        let stem = rest.trim_end_matches(".sql");
        if let Some(s) = stem.strip_suffix(".sqlite") {
            v.pairs.entry(s.to_string()).or_default().0 = true;
        } else if let Some(s) = stem.strip_suffix(".postgres") {
            v.pairs.entry(s.to_string()).or_default().1 = true;
        } else {
            v.portable.push(stem.to_string());
        }
    }
    let mut out = String::from("pub const MIGRATIONS: &[Migration] = &[\n");
    for (expected, (version, v)) in (1..).zip(&versions) {
        assert_eq!(
            *version, expected,
            "migration versions must run without gaps"
        );
        let name = v
            .portable
            .first()
            .or_else(|| v.pairs.keys().next())
            .expect("a version has a file");
        writeln!(
            out,
            "    Migration {{ version: {version}, name: {name:?}, steps: &["
        )
        .unwrap();
        let file =
            |stem: &str, suffix: &str| format!("{}/{version:04}_{stem}{suffix}.sql", dir.display());
        for stem in &v.portable {
            writeln!(
                out,
                "        Step::Portable(include_str!({:?})),",
                file(stem, "")
            )
            .unwrap();
        }
        for (stem, (sqlite, postgres)) in &v.pairs {
            assert!(
                *sqlite && *postgres,
                "migration {version:04}_{stem}: needs both .sqlite.sql and .postgres.sql"
            );
            writeln!(
                out,
                "        Step::Each {{ sqlite: include_str!({:?}), postgres: include_str!({:?}) }},",
                file(stem, ".sqlite"),
                file(stem, ".postgres")
            )
            .unwrap();
        }
        writeln!(out, "    ] }},").unwrap();
    }
    out.push_str("];\n");
    let target =
        Path::new(&std::env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("migrations.rs");
    std::fs::write(target, out).expect("OUT_DIR is writable");
}
