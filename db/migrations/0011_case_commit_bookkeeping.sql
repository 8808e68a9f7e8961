-- Two things intake wrote for every new case are now written once per transaction, or not at
-- all (app/BENCHMARKS.md, "What was changed"):
--
-- 1. The inbox's counters and order exceptions of new cases are updated once, before the
--    commit, for every case the transaction inserted (db/writes.go, settleNewCases), instead
--    of by an AFTER INSERT trigger. The trigger made every case INSERT a multi-statement write,
--    so SQLite opened a statement journal for it (a copy of every page it touched) and asked
--    the full-text tables for a savepoint. The cases not settled yet are those with a rid above
--    fts_state's 'cases' watermark, which the full-text batch of 0002 already keeps: the
--    update and delete triggers leave those rows alone, and the settling counts their state
--    as it is at the commit.
--
-- 2. A case whose title and body are the words of its first inbound message (text_in_message,
--    as intake opens them) is not indexed in cases_fts: the search finds it through that
--    message in messages_fts, as it finds the cases of every later message. When staff edit
--    its title or body the case is indexed with its new text and stops being marked.
--    Note for later migrations: a 'rebuild' of cases_fts would index these cases too, and the
--    triggers would then leave their old entries behind; delete them after a rebuild or index
--    only text_in_message = 0.
DROP TRIGGER inbox_case_ai;

DROP TRIGGER inbox_counts_ad;
CREATE TRIGGER inbox_counts_ad AFTER DELETE ON cases
WHEN old.merged_into IS NULL AND old.rid <= (SELECT indexed_rid FROM fts_state WHERE name = 'cases') BEGIN
    UPDATE inbox_counts SET n = n - 1
    WHERE kind = old.kind AND status = old.status AND unread = old.unread AND unassigned = (old.assignee_id IS NULL);
END;
DROP TRIGGER inbox_counts_au;
CREATE TRIGGER inbox_counts_au AFTER UPDATE OF kind, status, unread, assignee_id, merged_into ON cases
WHEN (old.kind IS NOT new.kind OR old.status IS NOT new.status OR old.unread IS NOT new.unread
  OR (old.assignee_id IS NULL) IS NOT (new.assignee_id IS NULL)
  OR (old.merged_into IS NULL) IS NOT (new.merged_into IS NULL))
 AND old.rid <= (SELECT indexed_rid FROM fts_state WHERE name = 'cases') BEGIN
    UPDATE inbox_counts SET n = n - 1
    WHERE old.merged_into IS NULL
      AND kind = old.kind AND status = old.status AND unread = old.unread AND unassigned = (old.assignee_id IS NULL);
    UPDATE inbox_counts SET n = n + 1
    WHERE new.merged_into IS NULL
      AND kind = new.kind AND status = new.status AND unread = new.unread AND unassigned = (new.assignee_id IS NULL);
END;

ALTER TABLE cases ADD COLUMN text_in_message INTEGER NOT NULL DEFAULT 0 CHECK (text_in_message IN (0, 1));

DROP TRIGGER cases_fts_ad;
CREATE TRIGGER cases_fts_ad AFTER DELETE ON cases
WHEN old.text_in_message = 0 AND old.rid <= (SELECT indexed_rid FROM fts_state WHERE name = 'cases') BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, title, body) VALUES ('delete', old.rid, old.title, old.body);
END;
DROP TRIGGER cases_fts_au;
CREATE TRIGGER cases_fts_au AFTER UPDATE OF title, body ON cases
WHEN (old.title IS NOT new.title OR old.body IS NOT new.body)
 AND old.rid <= (SELECT indexed_rid FROM fts_state WHERE name = 'cases') BEGIN
    INSERT INTO cases_fts (cases_fts, rowid, title, body)
    SELECT 'delete', old.rid, old.title, old.body WHERE old.text_in_message = 0;
    INSERT INTO cases_fts (rowid, title, body) VALUES (new.rid, new.title, new.body);
END;
-- Edited text is the case's own: indexed from now on (by the trigger above, or by the
-- transaction's batch when the case is not indexed yet).
CREATE TRIGGER cases_text_edited AFTER UPDATE OF title, body ON cases
WHEN new.text_in_message = 1 AND (old.title IS NOT new.title OR old.body IS NOT new.body) BEGIN
    UPDATE cases SET text_in_message = 0 WHERE rid = new.rid;
END;
