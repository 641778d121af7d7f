-- A token's own reminder thresholds, overriding the vault's (settings `reminder_days`).
-- A separate table rather than a column on `tokens`, so the token types and every place that
-- builds them stay as they are. No row: the token follows the vault's thresholds.
CREATE TABLE token_reminders (
    token_id TEXT PRIMARY KEY NOT NULL REFERENCES tokens(id) ON DELETE CASCADE,
    days     TEXT NOT NULL                -- JSON array of whole days before expiry, such as [14,3]
);
