-- The inbox search without scans (queries/desk.sql, db/desk.go).
--
-- Residents' names and handles in a trigram index: the search's LIKE '%…%' on them reads the
-- index instead of every resident and identity. The index only narrows the candidates (it
-- folds case beyond ASCII); the queries still apply the same LIKE to the real column, so the
-- matches are exactly LIKE's. inbox_names has a stable integer key for the external content.
CREATE TABLE inbox_names (
    rid          INTEGER PRIMARY KEY,
    resident_id  TEXT UNIQUE,
    identity_id  TEXT UNIQUE,
    name         TEXT NOT NULL
) STRICT;
CREATE VIRTUAL TABLE inbox_names_fts USING fts5(name, content='inbox_names', content_rowid='rid', tokenize='trigram');
INSERT INTO inbox_names (resident_id, name) SELECT id, full_name FROM residents;
INSERT INTO inbox_names (identity_id, name) SELECT id, handle FROM identities;
INSERT INTO inbox_names_fts (inbox_names_fts) VALUES ('rebuild');

CREATE TRIGGER inbox_names_ai AFTER INSERT ON inbox_names BEGIN
    INSERT INTO inbox_names_fts (rowid, name) VALUES (new.rid, new.name);
END;
CREATE TRIGGER inbox_names_ad AFTER DELETE ON inbox_names BEGIN
    INSERT INTO inbox_names_fts (inbox_names_fts, rowid, name) VALUES ('delete', old.rid, old.name);
END;
CREATE TRIGGER inbox_names_au AFTER UPDATE ON inbox_names BEGIN
    INSERT INTO inbox_names_fts (inbox_names_fts, rowid, name) VALUES ('delete', old.rid, old.name);
    INSERT INTO inbox_names_fts (rowid, name) VALUES (new.rid, new.name);
END;

CREATE TRIGGER residents_names_ai AFTER INSERT ON residents BEGIN
    INSERT INTO inbox_names (resident_id, name) VALUES (new.id, new.full_name);
END;
CREATE TRIGGER residents_names_ad AFTER DELETE ON residents BEGIN
    DELETE FROM inbox_names WHERE resident_id = old.id;
END;
CREATE TRIGGER residents_names_au AFTER UPDATE OF id, full_name ON residents
WHEN old.id IS NOT new.id OR old.full_name IS NOT new.full_name BEGIN
    UPDATE inbox_names SET resident_id = new.id, name = new.full_name WHERE resident_id = old.id;
END;
CREATE TRIGGER identities_names_ai AFTER INSERT ON identities BEGIN
    INSERT INTO inbox_names (identity_id, name) VALUES (new.id, new.handle);
END;
CREATE TRIGGER identities_names_ad AFTER DELETE ON identities BEGIN
    DELETE FROM inbox_names WHERE identity_id = old.id;
END;
CREATE TRIGGER identities_names_au AFTER UPDATE OF id, handle ON identities
WHEN old.id IS NOT new.id OR old.handle IS NOT new.handle BEGIN
    UPDATE inbox_names SET identity_id = new.id, name = new.handle WHERE identity_id = old.id;
END;

-- The inbox is ordered by opened_at, then rid. Cases are nearly always inserted in registry
-- time order; the few that are not (backdated, or whose opened_at changed) are listed here, so
-- that for every other pair of cases rid order is inbox order: a case not listed has an
-- opened_at no older than any case inserted before it. A search can then take the newest
-- full-text hits by rid and know where they end. The list may hold more than it must (rows of
-- deleted cases are removed; an updated opened_at always lists the case).
CREATE TABLE inbox_order_exceptions (
    rid  INTEGER PRIMARY KEY
) STRICT;
CREATE TABLE inbox_order_state (
    one            INTEGER PRIMARY KEY CHECK (one = 1),
    max_opened_at  TEXT NOT NULL,
    max_rid        INTEGER NOT NULL
) STRICT;
INSERT INTO inbox_order_exceptions (rid)
SELECT rid FROM (
    SELECT rid, opened_at,
           MAX(opened_at) OVER (ORDER BY rid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_max
    FROM cases)
WHERE opened_at < prev_max;
INSERT INTO inbox_order_state (one, max_opened_at, max_rid)
SELECT 1, IFNULL(MAX(opened_at), ''), IFNULL(MAX(rid), 0) FROM cases;

CREATE TRIGGER inbox_order_ai AFTER INSERT ON cases BEGIN
    INSERT OR IGNORE INTO inbox_order_exceptions (rid)
    SELECT new.rid FROM inbox_order_state WHERE new.opened_at < max_opened_at OR new.rid <= max_rid;
    UPDATE inbox_order_state SET max_opened_at = MAX(max_opened_at, new.opened_at), max_rid = MAX(max_rid, new.rid);
END;
CREATE TRIGGER inbox_order_au AFTER UPDATE OF opened_at, rid ON cases
WHEN old.opened_at IS NOT new.opened_at OR old.rid IS NOT new.rid BEGIN
    INSERT OR IGNORE INTO inbox_order_exceptions (rid) VALUES (new.rid);
    UPDATE inbox_order_state SET max_opened_at = MAX(max_opened_at, new.opened_at), max_rid = MAX(max_rid, new.rid);
END;
CREATE TRIGGER inbox_order_ad AFTER DELETE ON cases BEGIN
    DELETE FROM inbox_order_exceptions WHERE rid = old.rid;
END;
