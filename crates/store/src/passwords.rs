//! Argon2id password hashes, computed off the async runtime.

use argon2::Argon2;
use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use gongkai_domain::DomainError;

pub async fn hash(password: &str) -> Result<String, DomainError> {
    let password = password.to_owned();
    tokio::task::spawn_blocking(move || {
        let mut bytes = [0u8; 16];
        getrandom::getrandom(&mut bytes)
            .map_err(|e| DomainError::internal(format!("random source failed: {e}")))?;
        let salt = SaltString::encode_b64(&bytes)
            .map_err(|e| DomainError::internal(format!("salt encoding failed: {e}")))?;
        Argon2::default()
            .hash_password(password.as_bytes(), &salt)
            .map(|h| h.to_string())
            .map_err(|e| DomainError::internal(format!("password hashing failed: {e}")))
    })
    .await
    .map_err(DomainError::internal)?
}

/// Verifies `password` against a stored PHC string. A malformed stored hash verifies as false.
pub async fn verify(stored: &str, password: &str) -> Result<bool, DomainError> {
    let (stored, password) = (stored.to_owned(), password.to_owned());
    tokio::task::spawn_blocking(move || {
        PasswordHash::new(&stored)
            .map(|h| {
                Argon2::default()
                    .verify_password(password.as_bytes(), &h)
                    .is_ok()
            })
            .unwrap_or(false)
    })
    .await
    .map_err(DomainError::internal)
}
