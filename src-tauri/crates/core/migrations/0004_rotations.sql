-- Rotations, revocations and what the provider said at the last check.

-- How and when a token was revoked ('api', 'confirmed', 'provider_rotation', 'report_leak').
ALTER TABLE tokens ADD COLUMN revoked_at TEXT;
ALTER TABLE tokens ADD COLUMN revoke_method TEXT;

-- One resumable state machine per rotation; each step is committed before the next starts.
-- Until promotion the new secret lives here, sealed under the field key with 'rotation:' || id
-- as associated data; it moves into token_secrets (a new token row) at promotion and is wiped
-- here on abort, promotion and done.
CREATE TABLE rotations (
    id               TEXT PRIMARY KEY NOT NULL,
    token_id         TEXT NOT NULL REFERENCES tokens(id) ON DELETE CASCADE,
    method           TEXT NOT NULL CHECK (method IN ('guided', 'api')),
    step             TEXT NOT NULL CHECK (step IN ('started', 'new_stored', 'verified', 'consumers_updated',
                                                   'promoted', 'old_revoked', 'old_manual', 'done', 'aborted')),
    new_sealed       BLOB,
    new_fingerprint  BLOB,
    new_hint         TEXT,
    new_expires_at   TEXT,
    new_token_id     TEXT REFERENCES tokens(id) ON DELETE SET NULL,
    verified_by      TEXT CHECK (verified_by IN ('provider', 'user')),
    api_requested_at TEXT,                -- set before an API rotation call, cleared when its answer is stored
    old_invalidated  INTEGER NOT NULL DEFAULT 0,
    consumers        TEXT NOT NULL DEFAULT '[]',  -- JSON [{usage_id, kind, location, done}]
    revoke_method    TEXT,
    started_at       TEXT NOT NULL,
    updated_at       TEXT NOT NULL,
    finished_at      TEXT
);
CREATE UNIQUE INDEX rotations_one_open ON rotations(token_id) WHERE step NOT IN ('done', 'aborted');
