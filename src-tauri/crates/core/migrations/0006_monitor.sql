-- The monitor: what each provider check said (kept compactly), the alerts raised from that history,
-- and which tokens are watched. Never secret material: owner, scopes, dates and a source address.

-- One row per run of identical answers: a check that says what the latest row says only moves
-- `last_at` and `seen`, so a token checked daily for a year without change keeps one row.
CREATE TABLE checks (
    id               INTEGER PRIMARY KEY NOT NULL,
    token_id         TEXT NOT NULL REFERENCES tokens(id) ON DELETE CASCADE,
    first_at         TEXT NOT NULL,
    last_at          TEXT NOT NULL,
    seen             INTEGER NOT NULL DEFAULT 1,
    valid            INTEGER NOT NULL,
    owner            TEXT,
    scopes           TEXT,                 -- JSON array, NULL when the provider does not report scopes
    expires_at       TEXT,
    last_used_at     TEXT,                 -- real use: the monitor's own calls are left out
    last_used_source TEXT                  -- e.g. GitLab's last_used_ips, newest
);
CREATE INDEX checks_token ON checks(token_id, last_at);

CREATE TABLE alerts (
    id              TEXT PRIMARY KEY NOT NULL,
    token_id        TEXT NOT NULL REFERENCES tokens(id) ON DELETE CASCADE,
    kind            TEXT NOT NULL CHECK (kind IN ('drift', 'died', 'still_in_use', 'unusual_use')),
    severity        TEXT NOT NULL CHECK (severity IN ('high', 'medium', 'low')),
    evidence        TEXT NOT NULL,
    raised_at       TEXT NOT NULL,
    acknowledged_at TEXT,
    notified_at     TEXT                  -- when a desktop notification said it (high alerts only)
);
CREATE INDEX alerts_open ON alerts(acknowledged_at, raised_at);

-- Per-token switch; the global one is the `monitor.enabled` setting.
ALTER TABLE tokens ADD COLUMN monitored INTEGER NOT NULL DEFAULT 1;
