-- The cases a transaction inserted (rid above the 'cases' watermark) are settled before it
-- commits (0011): counted in the inbox's counters, checked for the inbox order, and indexed
-- for search unless their text is their first message's, which messages_fts indexes.

-- name: CountPendingCases :exec
INSERT INTO inbox_counts (kind, status, unread, unassigned, n)
SELECT c.kind, c.status, c.unread, c.assignee_id IS NULL, COUNT(*)
FROM cases c
WHERE c.rid > (SELECT s.indexed_rid FROM fts_state s WHERE s.name = 'cases') AND c.merged_into IS NULL
GROUP BY c.kind, c.status, c.unread, c.assignee_id IS NULL
ON CONFLICT (kind, status, unread, unassigned) DO UPDATE SET n = inbox_counts.n + excluded.n;

-- name: OrderPendingCases :exec
-- A new case breaks the order when a case inserted before it (older or new) opened later.
INSERT OR IGNORE INTO inbox_order_exceptions (rid)
SELECT p.rid FROM (
    SELECT c.rid, c.opened_at,
           MAX(c.opened_at) OVER (ORDER BY c.rid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev_new
    FROM cases c
    WHERE c.rid > (SELECT s.indexed_rid FROM fts_state s WHERE s.name = 'cases')) AS p
WHERE p.opened_at < p.prev_new
   OR p.opened_at < (SELECT o.opened_at FROM cases o INDEXED BY cases_opened
                     WHERE o.rid <= (SELECT s.indexed_rid FROM fts_state s WHERE s.name = 'cases')
                     ORDER BY o.opened_at DESC LIMIT 1);

-- name: IndexPendingCases :exec
INSERT INTO cases_fts (rowid, title, body)
SELECT c.rid, c.title, c.body FROM cases c
WHERE c.rid > (SELECT s.indexed_rid FROM fts_state s WHERE s.name = 'cases') AND c.text_in_message = 0
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
