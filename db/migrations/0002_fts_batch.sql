-- Full-text indexing in batches: instead of one FTS5 insert per row (each statement flushes
-- FTS5's pending terms into a new tiny segment), the store indexes every row inserted by a
-- transaction with one INSERT … SELECT just before it commits. fts_state records the highest
-- rid indexed; updates and deletes of rows not yet indexed are left to that batch.
CREATE TABLE fts_state (
    name         TEXT PRIMARY KEY CHECK (name IN ('cases', 'messages')),
    indexed_rid  INTEGER NOT NULL
) STRICT;
INSERT INTO fts_state (name, indexed_rid) VALUES
    ('cases', (SELECT IFNULL(MAX(rid), 0) FROM cases)),
    ('messages', (SELECT IFNULL(MAX(rid), 0) FROM inbound_messages));

DROP TRIGGER cases_fts_ai;
DROP TRIGGER cases_fts_ad;
DROP TRIGGER cases_fts_au;
CREATE TRIGGER cases_fts_ad AFTER DELETE ON cases
WHEN old.rid <= (SELECT indexed_rid FROM fts_state WHERE name = 'cases') BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, title, body) VALUES ('delete', old.rid, old.title, old.body);
END;
CREATE TRIGGER cases_fts_au AFTER UPDATE OF title, body ON cases
WHEN (old.title IS NOT new.title OR old.body IS NOT new.body)
 AND old.rid <= (SELECT indexed_rid FROM fts_state WHERE name = 'cases') BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, title, body) VALUES ('delete', old.rid, old.title, old.body);
    INSERT INTO cases_fts (rowid, title, body) VALUES (new.rid, new.title, new.body);
END;

DROP TRIGGER messages_fts_ai;
DROP TRIGGER messages_fts_ad;
DROP TRIGGER messages_fts_au;
CREATE TRIGGER messages_fts_ad AFTER DELETE ON inbound_messages
WHEN old.rid <= (SELECT indexed_rid FROM fts_state WHERE name = 'messages') BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rid, old.text);
END;
CREATE TRIGGER messages_fts_au AFTER UPDATE OF text ON inbound_messages
WHEN old.text IS NOT new.text
 AND old.rid <= (SELECT indexed_rid FROM fts_state WHERE name = 'messages') BEGIN
    INSERT INTO messages_fts (messages_fts, rowid, text) VALUES ('delete', old.rid, old.text);
    INSERT INTO messages_fts (rowid, text) VALUES (new.rid, new.text);
END;
