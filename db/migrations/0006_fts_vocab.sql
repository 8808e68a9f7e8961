-- The vocabularies of the full-text indexes (fts5vocab). The desk's search expands the last
-- word being typed into the indexed terms that start with it (db/ftsexpand.go): FTS5 answers a
-- prefix query longer than the prefix indexes of 0005 (2 to 4 characters) only after merging
-- the full list of every term with that prefix, whatever the LIMIT, while an OR of single
-- terms is read lazily, newest first. The tables are of type instance, not row: a row table
-- counts each term's documents, reading its whole list (as slow as the prefix query for a
-- common word), while an instance table returns a term's first occurrence at once, so the
-- search steps from term to term with LIMIT 1. They are views over the indexes: they store
-- nothing and need no upkeep.
CREATE VIRTUAL TABLE cases_fts_vocab USING fts5vocab(cases_fts, instance);
CREATE VIRTUAL TABLE messages_fts_vocab USING fts5vocab(messages_fts, instance);
