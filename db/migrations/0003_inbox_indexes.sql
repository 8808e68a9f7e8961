-- The desk's inbox at scale (queries/desk.sql): indexes for the two-step search, and counters
-- of cases per kind, status, unread and unassigned kept by triggers, so that the counts beside
-- the filters do not scan every case.

-- A full-text hit on a message becomes its case without reading the message row; a case's
-- messages are found in rid order (the search checks one by one only the messages older than
-- what it fetched from the index).
CREATE INDEX inbound_messages_rid_case ON inbound_messages (rid, case_id);
DROP INDEX inbound_messages_case;
CREATE INDEX inbound_messages_case ON inbound_messages (case_id, rid);

-- Councillors see the message cases addressed to them through the directory.
CREATE INDEX cases_directory_entry ON cases (directory_entry_id) WHERE directory_entry_id IS NOT NULL;

-- Searching by (part of) a registry number scans this instead of the table.
CREATE INDEX cases_number_rid ON cases (registry_number, rid);

-- Overdue counts: the open cases with a due date, by due date, kind and status.
CREATE INDEX cases_open_due ON cases (due_at, kind, status)
WHERE due_at IS NOT NULL AND merged_into IS NULL AND status NOT IN ('resolved', 'rejected', 'debated');

-- Cases not merged into another, per kind, status, unread and unassigned: one row for every
-- combination, kept exact by the triggers below.
CREATE TABLE inbox_counts (
    kind        TEXT NOT NULL,
    status      TEXT NOT NULL,
    unread      INTEGER NOT NULL,
    unassigned  INTEGER NOT NULL,
    n           INTEGER NOT NULL,
    PRIMARY KEY (kind, status, unread, unassigned)
) STRICT;
INSERT INTO inbox_counts (kind, status, unread, unassigned, n)
SELECT k.column1, s.column1, u.column1, a.column1, 0
FROM (VALUES ('incident'), ('proposal'), ('message'), ('procedure'), ('query')) k,
     (VALUES ('received'), ('in_progress'), ('resolved'), ('rejected'), ('admitted'), ('on_agenda'), ('debated')) s,
     (VALUES (0), (1)) u, (VALUES (0), (1)) a;
UPDATE inbox_counts SET n = (
    SELECT COUNT(*) FROM cases c
    WHERE c.merged_into IS NULL AND c.kind = inbox_counts.kind AND c.status = inbox_counts.status
      AND c.unread = inbox_counts.unread AND (c.assignee_id IS NULL) = inbox_counts.unassigned);

CREATE TRIGGER inbox_counts_ai AFTER INSERT ON cases WHEN new.merged_into IS NULL BEGIN
    UPDATE inbox_counts SET n = n + 1
    WHERE kind = new.kind AND status = new.status AND unread = new.unread AND unassigned = (new.assignee_id IS NULL);
END;
CREATE TRIGGER inbox_counts_ad AFTER DELETE ON cases WHEN old.merged_into IS NULL BEGIN
    UPDATE inbox_counts SET n = n - 1
    WHERE kind = old.kind AND status = old.status AND unread = old.unread AND unassigned = (old.assignee_id IS NULL);
END;
CREATE TRIGGER inbox_counts_au AFTER UPDATE OF kind, status, unread, assignee_id, merged_into ON cases
WHEN old.kind IS NOT new.kind OR old.status IS NOT new.status OR old.unread IS NOT new.unread
  OR (old.assignee_id IS NULL) IS NOT (new.assignee_id IS NULL)
  OR (old.merged_into IS NULL) IS NOT (new.merged_into IS NULL) BEGIN
    UPDATE inbox_counts SET n = n - 1
    WHERE old.merged_into IS NULL
      AND kind = old.kind AND status = old.status AND unread = old.unread AND unassigned = (old.assignee_id IS NULL);
    UPDATE inbox_counts SET n = n + 1
    WHERE new.merged_into IS NULL
      AND kind = new.kind AND status = new.status AND unread = new.unread AND unassigned = (new.assignee_id IS NULL);
END;
