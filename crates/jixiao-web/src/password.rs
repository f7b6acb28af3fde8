//! Password hashing with Argon2id (PHC strings, so verification reads the parameters back).

use argon2::password_hash::{PasswordHash, PasswordHasher, PasswordVerifier, SaltString};
use argon2::{Algorithm, Argon2, Params, Version};

/// Hashes a password with Argon2id and the crate's default (production) parameters.
pub fn hash_password(pw: &str) -> String {
    hash_with(&Argon2::default(), pw)
}

/// Hashes with deliberately weak parameters (8 KiB, 1 pass). For tests only: never for real
/// accounts, since anyone holding the hash could brute-force it quickly.
pub fn hash_password_cheap(pw: &str) -> String {
    let params = Params::new(8, 1, 1, None).expect("valid argon2 params");
    hash_with(
        &Argon2::new(Algorithm::Argon2id, Version::V0x13, params),
        pw,
    )
}

/// Checks a password against a stored PHC string; a malformed hash never verifies.
pub fn verify_password(pw: &str, phc: &str) -> bool {
    match PasswordHash::new(phc) {
        Ok(h) => Argon2::default().verify_password(pw.as_bytes(), &h).is_ok(),
        Err(_) => false,
    }
}

fn hash_with(argon: &Argon2<'_>, pw: &str) -> String {
    let mut salt = [0u8; 16];
    getrandom::fill(&mut salt).expect("the OS random source works");
    let salt = SaltString::encode_b64(&salt).expect("16 bytes is a valid salt");
    argon
        .hash_password(pw.as_bytes(), &salt)
        .expect("argon2 hashing with valid params")
        .to_string()
}

/// A hash of a random password, verified against when the username is unknown so that a
/// missing user costs the same time as a wrong password.
pub(crate) fn dummy_hash() -> &'static str {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    DUMMY.get_or_init(|| hash_password("no such user: timing equaliser"))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_hashed_password_verifies_and_a_wrong_one_does_not() {
        let h = hash_password_cheap("s3cret");
        assert!(h.starts_with("$argon2id$"));
        assert!(verify_password("s3cret", &h));
        assert!(!verify_password("s3cret!", &h));
        assert!(!verify_password("s3cret", "not a phc string"));
    }
}
