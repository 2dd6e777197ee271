//! What makes a backup restorable: written by gongkai in a format this program reads, every
//! file as it was written, and a database structure no newer than this program's.

use crate::{DomainError, Field};

/// The format a backup's manifest names.
pub const FORMAT: &str = "gongkai-backup/1";

pub const FIELD: Field = Field::new("backup", "备份");

pub fn check_format(format: &str) -> Result<(), DomainError> {
    if format != FORMAT {
        return Err(DomainError::invalid(
            FIELD,
            format!("不是 gongkai 备份(格式“{format}”)"),
        ));
    }
    Ok(())
}

/// A file's SHA-256 (lower-case hex) as found against the one its manifest recorded.
pub fn check_checksum(file: &str, recorded: &str, found: &str) -> Result<(), DomainError> {
    if !recorded.eq_ignore_ascii_case(found) {
        return Err(DomainError::invalid(
            FIELD,
            format!("{file} 的校验和不符,备份已损坏或被修改"),
        ));
    }
    Ok(())
}

/// A backup restores into this program's database structure (`current`) only if it is not
/// from a newer one: the older columns are all there, newer ones would be lost.
pub fn check_schema(backup: i64, current: i64) -> Result<(), DomainError> {
    if current < backup {
        return Err(DomainError::invalid(
            FIELD,
            format!("备份来自较新的数据库结构(版本 {backup}),本程序为版本 {current},请先升级"),
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_an_intact_gongkai_backup_of_an_older_or_equal_schema_restores() {
        assert!(check_format(FORMAT).is_ok());
        for other in [
            "",
            "gongkai-backup/2",
            "GONGKAI-BACKUP/1",
            " gongkai-backup/1",
        ] {
            let e = check_format(other).unwrap_err();
            assert_eq!(e.field(), Some(FIELD), "{other:?}");
        }
        let sha = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08";
        assert!(check_checksum("agencies.jsonl", sha, sha).is_ok());
        assert!(check_checksum("agencies.jsonl", &sha.to_uppercase(), sha).is_ok());
        let e = check_checksum("agencies.jsonl", sha, &sha.replace('9', "8")).unwrap_err();
        assert!(e.to_string().contains("agencies.jsonl"), "{e}");
        assert!(check_schema(20, 20).is_ok());
        assert!(check_schema(19, 20).is_ok());
        let e = check_schema(21, 20).unwrap_err();
        assert!(
            e.to_string().contains("21") && e.to_string().contains("20"),
            "{e}"
        );
    }
}
