-- Hash chain over the audit log (see docs/ARCHITECTURE.md, "Audit trail: why a hash chain").
-- entry_hash = SHA-256 over a length-prefixed encoding of (id, actor, kind, subject, canonical
-- detail JSON, timestamp in RFC 3339 UTC with microseconds, prev_hash); prev_hash = entry_hash
-- of the previous entry by id ('' for the first). Both are computed by the store, never by SQL.
-- Rows written before this migration keep '' until Store::migrate seals them, once, in id order.
ALTER TABLE audit_log ADD COLUMN prev_hash TEXT NOT NULL DEFAULT '';
ALTER TABLE audit_log ADD COLUMN entry_hash TEXT NOT NULL DEFAULT '';
