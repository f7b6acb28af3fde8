-- Mapping profiles saved from the web page (docs/IMPORT.md, "Mapping profiles"): the TOML text
-- as written, so comments survive, with the kind copied out for lists that must not parse every
-- profile. The shipped profiles are not stored here: they come with the binary and are
-- read-only. Each save bumps `version` (optimistic concurrency: a save names the version it
-- edited) and is audited with the text, so every earlier version can be read back.
CREATE TABLE mapping_profiles (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    kind TEXT NOT NULL,
    toml TEXT NOT NULL,
    version INTEGER NOT NULL CHECK (version >= 1),
    updated_by TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
