-- What the audit reads, kept where it reads fast: auditing 10,000 tokens with a year of checks
-- reads each token's latest check and the review dates, not the whole history and the whole log.

-- Each token's latest check (the latest `last_at`, then the highest id), as much of it as the
-- audit reads. Triggers keep it in step with `checks`, whatever writes there.
CREATE TABLE checks_latest (
    token_id     TEXT PRIMARY KEY NOT NULL,
    check_id     INTEGER NOT NULL,
    last_at      TEXT NOT NULL,
    valid        INTEGER NOT NULL,
    last_used_at TEXT
) WITHOUT ROWID;

INSERT INTO checks_latest (token_id, check_id, last_at, valid, last_used_at)
    SELECT token_id, id, last_at, valid, last_used_at FROM checks c
    WHERE id = (SELECT id FROM checks i WHERE i.token_id = c.token_id ORDER BY last_at DESC, id DESC LIMIT 1);

-- A new row is the latest when it is at least as late (a later row wins a tie, as its id is higher).
CREATE TRIGGER checks_latest_insert AFTER INSERT ON checks BEGIN
    INSERT INTO checks_latest (token_id, check_id, last_at, valid, last_used_at)
        VALUES (NEW.token_id, NEW.id, NEW.last_at, NEW.valid, NEW.last_used_at)
    ON CONFLICT (token_id) DO UPDATE SET
        check_id = excluded.check_id, last_at = excluded.last_at, valid = excluded.valid,
        last_used_at = excluded.last_used_at
    WHERE (excluded.last_at, excluded.check_id) > (checks_latest.last_at, checks_latest.check_id);
END;

-- A run that grows (or any other change): the token's latest row is looked up again.
CREATE TRIGGER checks_latest_update AFTER UPDATE ON checks BEGIN
    DELETE FROM checks_latest WHERE token_id IN (OLD.token_id, NEW.token_id);
    INSERT INTO checks_latest (token_id, check_id, last_at, valid, last_used_at)
        SELECT token_id, id, last_at, valid, last_used_at FROM checks c
        WHERE token_id IN (OLD.token_id, NEW.token_id)
          AND id = (SELECT id FROM checks i WHERE i.token_id = c.token_id ORDER BY last_at DESC, id DESC LIMIT 1);
END;

-- Pruning keeps each token's latest row; a deleted token takes all of its rows with it.
CREATE TRIGGER checks_latest_delete AFTER DELETE ON checks BEGIN
    DELETE FROM checks_latest WHERE token_id = OLD.token_id AND check_id = OLD.id;
    INSERT OR IGNORE INTO checks_latest (token_id, check_id, last_at, valid, last_used_at)
        SELECT token_id, id, last_at, valid, last_used_at FROM checks
        WHERE token_id = OLD.token_id ORDER BY last_at DESC, id DESC LIMIT 1;
END;

-- The latest event of one kind per token (when each token's scopes were last reviewed), without
-- reading the whole log.
CREATE INDEX events_kind_token ON events(kind, token_id, at);
