-- "Snooze 1 day" on an alert's notification: until then it stays quiet, after it is said again
-- (once) unless it was acknowledged. Cleared when it is said again.
ALTER TABLE alerts ADD COLUMN snoozed_until TEXT;
