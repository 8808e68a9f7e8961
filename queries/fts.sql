-- name: IndexPendingCases :exec
INSERT INTO cases_fts (rowid, title, body)
SELECT c.rid, c.title, c.body FROM cases c
WHERE c.rid > (SELECT s.indexed_rid FROM fts_state s WHERE s.name = 'cases')
ORDER BY c.rid;

-- name: MarkCasesIndexed :exec
UPDATE fts_state SET indexed_rid = (SELECT IFNULL(MAX(rid), 0) FROM cases) WHERE name = 'cases';

-- name: IndexPendingMessages :exec
INSERT INTO messages_fts (rowid, text)
SELECT m.rid, m.text FROM inbound_messages m
WHERE m.rid > (SELECT s.indexed_rid FROM fts_state s WHERE s.name = 'messages')
ORDER BY m.rid;

-- name: MarkMessagesIndexed :exec
UPDATE fts_state SET indexed_rid = (SELECT IFNULL(MAX(rid), 0) FROM inbound_messages) WHERE name = 'messages';
