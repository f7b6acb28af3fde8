-- API tokens for integrations and the idempotency keys of API import batches.
-- A token acts as its user, with that user's role scope. Only the SHA-256 (hex) of the secret is
-- stored: the secret is shown once, at creation. A revoked token stays listed (revoked_at set)
-- so that the audit trail and the admin page can still name it.
CREATE TABLE api_tokens (
    id INTEGER PRIMARY KEY,
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    token_hash TEXT NOT NULL UNIQUE,
    created_by TEXT NOT NULL,
    created_at TEXT NOT NULL,
    last_used_at TEXT,
    revoked_at TEXT
);
CREATE INDEX api_tokens_user ON api_tokens(user_id);

-- One row per (user, Idempotency-Key): the hash of the request that claimed the key, and once
-- it has been answered the HTTP status and the JSON body, replayed for the same request again.
-- status and response_json are NULL while the first request is still being processed.
CREATE TABLE api_idempotency (
    user_id INTEGER NOT NULL REFERENCES users(id) ON DELETE CASCADE,
    key TEXT NOT NULL,
    request_hash TEXT NOT NULL,
    status INTEGER,
    response_json TEXT,
    created_at TEXT NOT NULL,
    PRIMARY KEY (user_id, key)
);
