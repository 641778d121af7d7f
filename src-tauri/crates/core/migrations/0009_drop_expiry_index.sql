-- No query reads tokens by expiry through this index: every list and the reminder index scan the
-- table (a list's "expiring by" condition is optional, so SQLite cannot use an index for it), and
-- sorting is done in Rust. Keeping it cost every new token a b-tree insert at a random place, and
-- an import of 10,000 tokens about 65 pages more to encrypt and write.
DROP INDEX IF EXISTS tokens_expires_at;
