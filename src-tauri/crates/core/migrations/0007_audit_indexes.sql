-- Indexes the audit reads through, so auditing 10,000 tokens with a year of checks stays fast.

-- Each token's checks in time order, carrying what the audit reads of the latest one: the audit
-- walks this index alone (no table row), and a token's latest row is one seek. It replaces
-- checks_token, whose columns it starts with.
DROP INDEX checks_token;
CREATE INDEX checks_by_token ON checks(token_id, last_at, id, valid, last_used_at);

-- The latest event of one kind per token (when each token's scopes were last reviewed), without
-- reading the whole log.
CREATE INDEX events_kind_token ON events(kind, token_id, at);
