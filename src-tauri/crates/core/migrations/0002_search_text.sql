-- One lowercased text per token to search in (name, account, environment, provider, hint, tags,
-- notes, joined by U+001F), kept up to date by the core on every write: one instr() per row
-- instead of seven LIKEs. The UPDATE fills it for tokens written before this migration.
ALTER TABLE tokens ADD COLUMN search_text TEXT NOT NULL DEFAULT '';
UPDATE tokens SET search_text = lower(
    name || char(31) || coalesce(account, '') || char(31) || coalesce(environment, '') || char(31)
    || provider || char(31) || hint || char(31)
    || coalesce((SELECT group_concat(value, ' ') FROM json_each(tokens.tags)), '') || char(31)
    || coalesce(notes, ''));
