-- Prefix indexes for the full-text search. The desk searches the last word as a prefix while
-- the clerk types ("farol" finds "farola"); without a prefix index FTS5 merges the lists of
-- every term with that prefix before it can return the newest match, which was most of a
-- search's time at a million messages. The tables are rebuilt from their content tables; the
-- batching of 0002 (fts_state) is unchanged, as every committed row was indexed.
DROP TABLE cases_fts;
CREATE VIRTUAL TABLE cases_fts USING fts5 (
    title, body,
    content = 'cases', content_rowid = 'rid',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
);
INSERT INTO cases_fts (cases_fts) VALUES ('rebuild');

DROP TABLE messages_fts;
CREATE VIRTUAL TABLE messages_fts USING fts5 (
    text,
    content = 'inbound_messages', content_rowid = 'rid',
    tokenize = 'unicode61 remove_diacritics 2',
    prefix = '2 3 4'
);
INSERT INTO messages_fts (messages_fts) VALUES ('rebuild');
