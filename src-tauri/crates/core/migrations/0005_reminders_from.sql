-- When a token's reminders start counting: the moment it entered the vault, or its expiry or
-- rotation policy last changed. A threshold already passed at that moment never notifies: the user
-- has just typed (or imported) the date, so the next threshold is the first reminder.
-- Tokens from before this column keep NULL: what they were reminded of is in reminders.state.
ALTER TABLE tokens ADD COLUMN reminders_from TEXT;
