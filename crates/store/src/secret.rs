//! Random secrets (session ids, CSRF tokens, API tokens) and how they are stored.

use base64::Engine;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use gongkai_domain::DomainError;
use sha2::{Digest, Sha256};

/// `bytes` random bytes from the operating system, base64url-encoded.
pub fn random_token(bytes: usize) -> Result<String, DomainError> {
    let mut buf = vec![0u8; bytes];
    getrandom::getrandom(&mut buf)
        .map_err(|e| DomainError::unavailable(format!("random source failed: {e}")))?;
    Ok(URL_SAFE_NO_PAD.encode(buf))
}

/// Secrets are stored only as SHA-256 hashes; they are high-entropy, so no salt is needed.
pub fn hash_token(token: &str) -> String {
    Sha256::digest(token.as_bytes())
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect()
}

/// Compares two strings in time independent of where they differ.
pub fn constant_time_eq(a: &str, b: &str) -> bool {
    let (a, b) = (a.as_bytes(), b.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}
