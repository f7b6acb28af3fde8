//! `jixiao token`: create prints the secret once, list never shows it, revoke marks it.

use std::process::Command;

fn jixiao(db: &str, args: &[&str]) -> (String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_jixiao"))
        .args(args)
        .env("JIXIAO_DATABASE", db)
        .env("JIXIAO_LOG", "warn")
        .output()
        .expect("the binary runs");
    let (stdout, stderr) = (
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    );
    assert!(
        out.status.success(),
        "jixiao {args:?} failed:\n{stdout}{stderr}"
    );
    (stdout, stderr)
}

#[test]
fn tokens_are_created_listed_and_revoked_from_the_command_line() {
    let dir = std::env::temp_dir().join(format!("jixiao-it-token-{}", std::process::id()));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    let db = format!("sqlite://{}", dir.join("j.db").display());
    jixiao(
        &db,
        &["demo", "--no-serve", "--agents", "10", "--seed", "1"],
    );

    let (secret, note) = jixiao(&db, &["token", "create", "--user", "admin", "--name", "ci"]);
    let secret = secret.trim();
    assert!(secret.starts_with("jx_") && secret.len() == 67, "{secret}");
    assert!(note.contains("shown only once"), "{note}");

    let (list, _) = jixiao(&db, &["token", "list"]);
    assert!(list.contains("ci") && list.contains("active"), "{list}");
    assert!(!list.contains(secret), "the secret is never listed");
    let id = list.split_whitespace().next().unwrap();

    let (revoked, _) = jixiao(&db, &["token", "revoke", id]);
    assert!(revoked.contains("revoked"), "{revoked}");
    let (list, _) = jixiao(&db, &["token", "list"]);
    assert!(list.contains("revoked"), "{list}");
    let _ = std::fs::remove_dir_all(&dir);
}
