-- Tokenwarden vault schema, version 1. Times are UTC RFC 3339 text with a Z, so they sort as they compare.

CREATE TABLE tokens (
    id                    TEXT PRIMARY KEY NOT NULL,
    name                  TEXT NOT NULL,
    provider              TEXT NOT NULL,
    kind                  TEXT NOT NULL,
    hint                  TEXT NOT NULL,
    account               TEXT,
    environment           TEXT,
    scopes                TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
    tags                  TEXT NOT NULL DEFAULT '[]',   -- JSON array of strings
    purpose               TEXT,
    notes                 TEXT,
    url                   TEXT,
    created_at            TEXT NOT NULL,
    updated_at            TEXT NOT NULL,
    expires_at            TEXT,
    rotation_max_age_days INTEGER,
    last_rotated_at       TEXT,
    last_used_at          TEXT,
    last_used_source      TEXT,
    last_verified_at      TEXT,
    last_verified_result  TEXT,
    status                TEXT NOT NULL DEFAULT 'active'
                          CHECK (status IN ('active', 'rotating', 'revoked', 'expired', 'archived')),
    replaced_by           TEXT REFERENCES tokens(id) ON DELETE SET NULL,
    replaces              TEXT REFERENCES tokens(id) ON DELETE SET NULL
);
CREATE INDEX tokens_expires_at ON tokens(expires_at);

-- Secrets apart from metadata: listing and searching never read these pages.
CREATE TABLE token_secrets (
    token_id    TEXT PRIMARY KEY NOT NULL REFERENCES tokens(id) ON DELETE CASCADE,
    sealed      BLOB NOT NULL,            -- XChaCha20-Poly1305(field key, secret, ad = token id)
    fingerprint BLOB NOT NULL             -- HMAC-SHA256(fingerprint key, secret)
);
CREATE INDEX token_secrets_fingerprint ON token_secrets(fingerprint);

CREATE TABLE usages (
    id                TEXT PRIMARY KEY NOT NULL,
    token_id          TEXT NOT NULL REFERENCES tokens(id) ON DELETE CASCADE,
    kind              TEXT NOT NULL,
    location          TEXT NOT NULL,
    notes             TEXT,
    created_at        TEXT NOT NULL,
    last_confirmed_at TEXT
);
CREATE INDEX usages_token ON usages(token_id);

-- Append-only audit log, hash-chained under a key derived from the master key.
CREATE TABLE events (
    seq       INTEGER PRIMARY KEY NOT NULL,
    at        TEXT NOT NULL,
    kind      TEXT NOT NULL,
    token_id  TEXT,                       -- no foreign key: purged tokens keep their history
    detail    TEXT NOT NULL DEFAULT '{}', -- JSON, never secret material
    prev_hash BLOB NOT NULL,
    hash      BLOB NOT NULL
);
CREATE INDEX events_token ON events(token_id);
CREATE TRIGGER events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;
CREATE TRIGGER events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;

CREATE TABLE settings (
    key   TEXT PRIMARY KEY NOT NULL,
    value TEXT NOT NULL                   -- JSON
);
