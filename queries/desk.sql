-- Queries for the staff desk: the inbox (filtered, paged, counted), staff accounts, templates
-- and the directory. Optional filters are NULL when not set.

-- The inbox: the cases a filter selects within a role's scope, newest first (registry time,
-- then insertion order). Without a search the pages walk the opened_at indexes. A search runs
-- in two steps (db/desk.go): first the newest hits of every source (cases_fts, messages_fts
-- mapped to their cases, registry numbers, residents' names, handles), each capped; when no
-- source was cut off, the page is read from those cases alone (...Hits); otherwise the pages
-- walk the cases newest first (...Walk), where the fetched hits decide for every case newer
-- than the cut-off and only older cases are checked against the full-text indexes one by one.
-- Each index has its own match expression (fts for cases_fts, message_fts for messages_fts):
-- the last word's prefix is expanded into the terms of that index's vocabulary (db/ftsexpand.go).

-- name: ListInbox :many
SELECT c.id, c.registry_number, c.kind, c.status, c.priority, c.title, c.body, c.unread,
       c.opened_at, c.due_at, c.channel,
       CAST(IFNULL(c.department_id, '') AS TEXT) AS department_id,
       CAST(IFNULL(c.assignee_id, '') AS TEXT) AS assignee_id,
       CAST(IFNULL(r.full_name, '') AS TEXT) AS resident_name,
       CAST(IFNULL(i.handle, '') AS TEXT) AS handle,
       CAST(IFNULL(i.level, 'unknown') AS TEXT) AS level,
       CAST(IFNULL(d.name, '') AS TEXT) AS department_name,
       CAST(IFNULL(s.full_name, '') AS TEXT) AS assignee_name,
       CAST(IFNULL(i.flag_handle_changed = 1 OR i.flag_takeover = 1 OR i.flag_lookalike = 1, 0) AS INTEGER) AS identity_flagged
FROM cases c
LEFT JOIN residents r ON r.id = c.resident_id
LEFT JOIN identities i ON i.id = c.identity_id
LEFT JOIN departments d ON d.id = c.department_id
LEFT JOIN staff s ON s.id = c.assignee_id
LEFT JOIN directory_entries de ON de.id = c.directory_entry_id
WHERE c.merged_into IS NULL
  AND (sqlc.narg(only_kind) IS NULL OR c.kind = sqlc.narg(only_kind))
  AND (sqlc.narg(councillor_id) IS NULL OR c.kind = 'proposal'
       OR (c.kind = 'message' AND (c.assignee_id = sqlc.narg(councillor_id) OR de.staff_id = sqlc.narg(councillor_id))))
  AND (sqlc.narg(kind) IS NULL OR c.kind = sqlc.narg(kind))
  AND (sqlc.narg(status) IS NULL OR c.status = sqlc.narg(status))
  AND (sqlc.narg(open_only) IS NULL OR c.status NOT IN ('resolved', 'rejected', 'debated'))
  AND (sqlc.narg(department_id) IS NULL OR c.department_id = sqlc.narg(department_id))
  AND (sqlc.narg(assignee_id) IS NULL OR IFNULL(c.assignee_id, '') = sqlc.narg(assignee_id))
  AND (sqlc.narg(verified) IS NULL OR (IFNULL(i.level, 'unknown') IN ('verified', 'verified_census')) = sqlc.narg(verified))
  AND (sqlc.narg(overdue_at) IS NULL OR (c.due_at IS NOT NULL AND c.due_at < sqlc.narg(overdue_at)
       AND c.status NOT IN ('resolved', 'rejected', 'debated')))
  AND (sqlc.narg(unread) IS NULL OR c.unread = sqlc.narg(unread))
ORDER BY c.opened_at DESC, c.rid DESC
LIMIT CAST(sqlc.arg(lim) AS INTEGER) OFFSET CAST(sqlc.arg(off) AS INTEGER);

-- name: CountInbox :one
-- Without a search. The residents/identities join is only read for the verified filter and
-- the directory only for councillors.
SELECT COUNT(*) FROM cases c
LEFT JOIN identities i ON i.id = c.identity_id
LEFT JOIN directory_entries de ON de.id = c.directory_entry_id
WHERE c.merged_into IS NULL
  AND (sqlc.narg(only_kind) IS NULL OR c.kind = sqlc.narg(only_kind))
  AND (sqlc.narg(councillor_id) IS NULL OR c.kind = 'proposal'
       OR (c.kind = 'message' AND (c.assignee_id = sqlc.narg(councillor_id) OR de.staff_id = sqlc.narg(councillor_id))))
  AND (sqlc.narg(kind) IS NULL OR c.kind = sqlc.narg(kind))
  AND (sqlc.narg(status) IS NULL OR c.status = sqlc.narg(status))
  AND (sqlc.narg(open_only) IS NULL OR c.status NOT IN ('resolved', 'rejected', 'debated'))
  AND (sqlc.narg(department_id) IS NULL OR c.department_id = sqlc.narg(department_id))
  AND (sqlc.narg(assignee_id) IS NULL OR IFNULL(c.assignee_id, '') = sqlc.narg(assignee_id))
  AND (sqlc.narg(verified) IS NULL OR (IFNULL(i.level, 'unknown') IN ('verified', 'verified_census')) = sqlc.narg(verified))
  AND (sqlc.narg(overdue_at) IS NULL OR (c.due_at IS NOT NULL AND c.due_at < sqlc.narg(overdue_at)
       AND c.status NOT IN ('resolved', 'rejected', 'debated')))
  AND (sqlc.narg(unread) IS NULL OR c.unread = sqlc.narg(unread));

-- name: ListInboxHits :many
-- The hit cases are filtered and ordered with only the joins the filters need; the page's rows
-- alone are then joined to the rest.
SELECT c.id, c.registry_number, c.kind, c.status, c.priority, c.title, c.body, c.unread,
       c.opened_at, c.due_at, c.channel,
       CAST(IFNULL(c.department_id, '') AS TEXT) AS department_id,
       CAST(IFNULL(c.assignee_id, '') AS TEXT) AS assignee_id,
       CAST(IFNULL(r.full_name, '') AS TEXT) AS resident_name,
       CAST(IFNULL(i.handle, '') AS TEXT) AS handle,
       CAST(IFNULL(i.level, 'unknown') AS TEXT) AS level,
       CAST(IFNULL(d.name, '') AS TEXT) AS department_name,
       CAST(IFNULL(s.full_name, '') AS TEXT) AS assignee_name,
       CAST(IFNULL(i.flag_handle_changed = 1 OR i.flag_takeover = 1 OR i.flag_lookalike = 1, 0) AS INTEGER) AS identity_flagged,
       c.rid
FROM (
    SELECT p.rid FROM json_each(sqlc.arg(hits)) h
    CROSS JOIN cases p ON p.rid = h.value
    LEFT JOIN identities pi ON pi.id = p.identity_id
    LEFT JOIN directory_entries de ON de.id = p.directory_entry_id
    WHERE p.merged_into IS NULL
      AND (sqlc.narg(only_kind) IS NULL OR p.kind = sqlc.narg(only_kind))
      AND (sqlc.narg(councillor_id) IS NULL OR p.kind = 'proposal'
           OR (p.kind = 'message' AND (p.assignee_id = sqlc.narg(councillor_id) OR de.staff_id = sqlc.narg(councillor_id))))
      AND (sqlc.narg(kind) IS NULL OR p.kind = sqlc.narg(kind))
      AND (sqlc.narg(status) IS NULL OR p.status = sqlc.narg(status))
      AND (sqlc.narg(open_only) IS NULL OR p.status NOT IN ('resolved', 'rejected', 'debated'))
      AND (sqlc.narg(department_id) IS NULL OR p.department_id = sqlc.narg(department_id))
      AND (sqlc.narg(assignee_id) IS NULL OR IFNULL(p.assignee_id, '') = sqlc.narg(assignee_id))
      AND (sqlc.narg(verified) IS NULL OR (IFNULL(pi.level, 'unknown') IN ('verified', 'verified_census')) = sqlc.narg(verified))
      AND (sqlc.narg(overdue_at) IS NULL OR (p.due_at IS NOT NULL AND p.due_at < sqlc.narg(overdue_at)
           AND p.status NOT IN ('resolved', 'rejected', 'debated')))
      AND (sqlc.narg(unread) IS NULL OR p.unread = sqlc.narg(unread))
    ORDER BY p.opened_at DESC, p.rid DESC
    LIMIT CAST(sqlc.arg(lim) AS INTEGER) OFFSET CAST(sqlc.arg(off) AS INTEGER)
) page
CROSS JOIN cases c ON c.rid = page.rid
LEFT JOIN residents r ON r.id = c.resident_id
LEFT JOIN identities i ON i.id = c.identity_id
LEFT JOIN departments d ON d.id = c.department_id
LEFT JOIN staff s ON s.id = c.assignee_id
ORDER BY c.opened_at DESC, c.rid DESC;

-- name: CountInboxHits :one
SELECT COUNT(*) FROM json_each(sqlc.arg(hits)) h
CROSS JOIN cases c ON c.rid = h.value
LEFT JOIN residents r ON r.id = c.resident_id
LEFT JOIN identities i ON i.id = c.identity_id
LEFT JOIN directory_entries de ON de.id = c.directory_entry_id
WHERE c.merged_into IS NULL
  AND (sqlc.narg(only_kind) IS NULL OR c.kind = sqlc.narg(only_kind))
  AND (sqlc.narg(councillor_id) IS NULL OR c.kind = 'proposal'
       OR (c.kind = 'message' AND (c.assignee_id = sqlc.narg(councillor_id) OR de.staff_id = sqlc.narg(councillor_id))))
  AND (sqlc.narg(kind) IS NULL OR c.kind = sqlc.narg(kind))
  AND (sqlc.narg(status) IS NULL OR c.status = sqlc.narg(status))
  AND (sqlc.narg(open_only) IS NULL OR c.status NOT IN ('resolved', 'rejected', 'debated'))
  AND (sqlc.narg(department_id) IS NULL OR c.department_id = sqlc.narg(department_id))
  AND (sqlc.narg(assignee_id) IS NULL OR IFNULL(c.assignee_id, '') = sqlc.narg(assignee_id))
  AND (sqlc.narg(verified) IS NULL OR (IFNULL(i.level, 'unknown') IN ('verified', 'verified_census')) = sqlc.narg(verified))
  AND (sqlc.narg(overdue_at) IS NULL OR (c.due_at IS NOT NULL AND c.due_at < sqlc.narg(overdue_at)
       AND c.status NOT IN ('resolved', 'rejected', 'debated')))
  AND (sqlc.narg(unread) IS NULL OR c.unread = sqlc.narg(unread));

-- name: ListInboxWalk :many
SELECT c.id, c.registry_number, c.kind, c.status, c.priority, c.title, c.body, c.unread,
       c.opened_at, c.due_at, c.channel,
       CAST(IFNULL(c.department_id, '') AS TEXT) AS department_id,
       CAST(IFNULL(c.assignee_id, '') AS TEXT) AS assignee_id,
       CAST(IFNULL(r.full_name, '') AS TEXT) AS resident_name,
       CAST(IFNULL(i.handle, '') AS TEXT) AS handle,
       CAST(IFNULL(i.level, 'unknown') AS TEXT) AS level,
       CAST(IFNULL(d.name, '') AS TEXT) AS department_name,
       CAST(IFNULL(s.full_name, '') AS TEXT) AS assignee_name,
       CAST(IFNULL(i.flag_handle_changed = 1 OR i.flag_takeover = 1 OR i.flag_lookalike = 1, 0) AS INTEGER) AS identity_flagged
FROM cases c
LEFT JOIN residents r ON r.id = c.resident_id
LEFT JOIN identities i ON i.id = c.identity_id
LEFT JOIN departments d ON d.id = c.department_id
LEFT JOIN staff s ON s.id = c.assignee_id
LEFT JOIN directory_entries de ON de.id = c.directory_entry_id
WHERE c.merged_into IS NULL
  AND (sqlc.narg(only_kind) IS NULL OR c.kind = sqlc.narg(only_kind))
  AND (sqlc.narg(councillor_id) IS NULL OR c.kind = 'proposal'
       OR (c.kind = 'message' AND (c.assignee_id = sqlc.narg(councillor_id) OR de.staff_id = sqlc.narg(councillor_id))))
  AND (sqlc.narg(kind) IS NULL OR c.kind = sqlc.narg(kind))
  AND (sqlc.narg(status) IS NULL OR c.status = sqlc.narg(status))
  AND (sqlc.narg(open_only) IS NULL OR c.status NOT IN ('resolved', 'rejected', 'debated'))
  AND (sqlc.narg(department_id) IS NULL OR c.department_id = sqlc.narg(department_id))
  AND (sqlc.narg(assignee_id) IS NULL OR IFNULL(c.assignee_id, '') = sqlc.narg(assignee_id))
  AND (sqlc.narg(verified) IS NULL OR (IFNULL(i.level, 'unknown') IN ('verified', 'verified_census')) = sqlc.narg(verified))
  AND (sqlc.narg(overdue_at) IS NULL OR (c.due_at IS NOT NULL AND c.due_at < sqlc.narg(overdue_at)
       AND c.status NOT IN ('resolved', 'rejected', 'debated')))
  AND (sqlc.narg(unread) IS NULL OR c.unread = sqlc.narg(unread))
  AND (c.rid IN (SELECT h.value FROM json_each(sqlc.arg(hits)) h)
       OR (c.rid < sqlc.arg(case_floor) AND EXISTS (
           SELECT 1 FROM cases_fts f WHERE f.cases_fts MATCH CAST(sqlc.arg(fts) AS TEXT) AND f.rowid = c.rid))
       OR EXISTS (SELECT 1 FROM inbound_messages m JOIN messages_fts mf ON mf.rowid = m.rid
                  WHERE m.case_id = c.id AND m.rid < sqlc.arg(message_floor) AND mf.text MATCH CAST(sqlc.arg(message_fts) AS TEXT))
       OR c.registry_number LIKE sqlc.arg(like)
       OR r.full_name LIKE sqlc.arg(like)
       OR i.handle LIKE sqlc.arg(like))
ORDER BY c.opened_at DESC, c.rid DESC
LIMIT CAST(sqlc.arg(lim) AS INTEGER) OFFSET CAST(sqlc.arg(off) AS INTEGER);

-- name: CountInboxWalk :one
SELECT COUNT(*) FROM cases c
LEFT JOIN residents r ON r.id = c.resident_id
LEFT JOIN identities i ON i.id = c.identity_id
LEFT JOIN directory_entries de ON de.id = c.directory_entry_id
WHERE c.merged_into IS NULL
  AND (sqlc.narg(only_kind) IS NULL OR c.kind = sqlc.narg(only_kind))
  AND (sqlc.narg(councillor_id) IS NULL OR c.kind = 'proposal'
       OR (c.kind = 'message' AND (c.assignee_id = sqlc.narg(councillor_id) OR de.staff_id = sqlc.narg(councillor_id))))
  AND (sqlc.narg(kind) IS NULL OR c.kind = sqlc.narg(kind))
  AND (sqlc.narg(status) IS NULL OR c.status = sqlc.narg(status))
  AND (sqlc.narg(open_only) IS NULL OR c.status NOT IN ('resolved', 'rejected', 'debated'))
  AND (sqlc.narg(department_id) IS NULL OR c.department_id = sqlc.narg(department_id))
  AND (sqlc.narg(assignee_id) IS NULL OR IFNULL(c.assignee_id, '') = sqlc.narg(assignee_id))
  AND (sqlc.narg(verified) IS NULL OR (IFNULL(i.level, 'unknown') IN ('verified', 'verified_census')) = sqlc.narg(verified))
  AND (sqlc.narg(overdue_at) IS NULL OR (c.due_at IS NOT NULL AND c.due_at < sqlc.narg(overdue_at)
       AND c.status NOT IN ('resolved', 'rejected', 'debated')))
  AND (sqlc.narg(unread) IS NULL OR c.unread = sqlc.narg(unread))
  AND (c.rid IN (SELECT h.value FROM json_each(sqlc.arg(hits)) h)
       OR (c.rid < sqlc.arg(case_floor) AND EXISTS (
           SELECT 1 FROM cases_fts f WHERE f.cases_fts MATCH CAST(sqlc.arg(fts) AS TEXT) AND f.rowid = c.rid))
       OR EXISTS (SELECT 1 FROM inbound_messages m JOIN messages_fts mf ON mf.rowid = m.rid
                  WHERE m.case_id = c.id AND m.rid < sqlc.arg(message_floor) AND mf.text MATCH CAST(sqlc.arg(message_fts) AS TEXT))
       OR c.registry_number LIKE sqlc.arg(like)
       OR r.full_name LIKE sqlc.arg(like)
       OR i.handle LIKE sqlc.arg(like));

-- name: InboxCaseHits :many
-- The newest cases whose title or body match.
SELECT c.rid FROM cases_fts f JOIN cases c ON c.rid = f.rowid
WHERE f.cases_fts MATCH CAST(sqlc.arg(fts) AS TEXT)
ORDER BY f.rowid DESC LIMIT CAST(sqlc.arg(lim) AS INTEGER);

-- name: InboxMessageHits :many
-- The newest messages that match, with their cases.
SELECT m.rid, c.rid AS case_rid FROM messages_fts f
JOIN inbound_messages m INDEXED BY inbound_messages_rid_case ON m.rid = f.rowid
JOIN cases c ON c.id = m.case_id
WHERE f.text MATCH CAST(sqlc.arg(fts) AS TEXT)
ORDER BY f.rowid DESC LIMIT CAST(sqlc.arg(lim) AS INTEGER);

-- name: InboxNumberHits :many
SELECT c.rid FROM cases c WHERE c.registry_number LIKE sqlc.arg(like)
LIMIT CAST(sqlc.arg(lim) AS INTEGER);

-- name: InboxResidentHits :many
-- Residents' names through the trigram index (0004), which only narrows the candidates: the
-- same LIKE on the name decides.
SELECT c.rid FROM inbox_names_fts f
CROSS JOIN inbox_names n ON n.rid = f.rowid
CROSS JOIN residents r ON r.id = n.resident_id
CROSS JOIN cases c ON c.resident_id = r.id
WHERE f.name LIKE sqlc.arg(like) AND r.full_name LIKE sqlc.arg(like)
LIMIT CAST(sqlc.arg(lim) AS INTEGER);

-- name: InboxIdentityHits :many
SELECT c.rid FROM inbox_names_fts f
CROSS JOIN inbox_names n ON n.rid = f.rowid
CROSS JOIN identities i ON i.id = n.identity_id
CROSS JOIN cases c ON c.identity_id = i.id
WHERE f.name LIKE sqlc.arg(like) AND i.handle LIKE sqlc.arg(like)
LIMIT CAST(sqlc.arg(lim) AS INTEGER);

-- name: InboxExceptionHits :many
-- The cases out of rid order (0004) that the search matches, checked one by one.
SELECT c.rid FROM inbox_order_exceptions e
CROSS JOIN cases c ON c.rid = e.rid
LEFT JOIN residents r ON r.id = c.resident_id
LEFT JOIN identities i ON i.id = c.identity_id
WHERE EXISTS (SELECT 1 FROM cases_fts f WHERE f.cases_fts MATCH CAST(sqlc.arg(fts) AS TEXT) AND f.rowid = c.rid)
   OR EXISTS (SELECT 1 FROM inbound_messages m WHERE m.case_id = c.id AND EXISTS (
              SELECT 1 FROM messages_fts mf WHERE mf.text MATCH CAST(sqlc.arg(message_fts) AS TEXT) AND mf.rowid = m.rid))
   OR c.registry_number LIKE sqlc.arg(like)
   OR r.full_name LIKE sqlc.arg(like)
   OR i.handle LIKE sqlc.arg(like);

-- name: InboxFirstMessageFrom :one
-- The oldest message of the cases of rid from_rid or newer (0 when they have none).
SELECT CAST(IFNULL(MIN((SELECT m.rid FROM inbound_messages m WHERE m.case_id = c.id ORDER BY m.rid LIMIT 1)), 0) AS INTEGER)
FROM cases c WHERE c.rid >= sqlc.arg(from_rid);

-- name: InboxMessageHitsBetween :many
-- The cases of the messages of rid lo to hi (excluded) that match.
SELECT c.rid FROM messages_fts f
JOIN inbound_messages m INDEXED BY inbound_messages_rid_case ON m.rid = f.rowid
JOIN cases c ON c.id = m.case_id
WHERE f.text MATCH CAST(sqlc.arg(fts) AS TEXT) AND f.rowid >= sqlc.arg(lo) AND f.rowid < sqlc.arg(hi)
ORDER BY f.rowid DESC LIMIT CAST(sqlc.arg(lim) AS INTEGER);

-- name: InboxFacets :many
-- Counts per kind and status within what the session may see, with how many are unread,
-- overdue and unassigned, so the filter bar can show a number beside each choice. From the
-- counters (0003), except the councillors' messages, counted live, and overdue (time).
SELECT kind, status, CAST(SUM(n) AS INTEGER) AS n,
       CAST(SUM(n * unread) AS INTEGER) AS unread,
       CAST(SUM(n * unassigned) AS INTEGER) AS unassigned
FROM inbox_counts
WHERE (sqlc.narg(only_kind) IS NULL OR kind = sqlc.narg(only_kind))
  AND (sqlc.narg(councillor_id) IS NULL OR kind = 'proposal')
GROUP BY kind, status
HAVING SUM(n) > 0;

-- name: InboxOverdueFacets :many
SELECT c.kind, c.status, COUNT(*) AS n FROM cases c INDEXED BY cases_open_due
WHERE c.due_at IS NOT NULL AND c.merged_into IS NULL AND c.status NOT IN ('resolved', 'rejected', 'debated')
  AND c.due_at < sqlc.arg(now)
  AND (sqlc.narg(only_kind) IS NULL OR c.kind = sqlc.narg(only_kind))
  AND (sqlc.narg(councillor_id) IS NULL OR c.kind = 'proposal')
GROUP BY c.kind, c.status;

-- name: CouncillorMessageFacets :many
-- The message cases assigned or addressed to a councillor.
SELECT c.kind, c.status, COUNT(*) AS n,
       CAST(SUM(c.unread) AS INTEGER) AS unread,
       CAST(SUM(c.due_at IS NOT NULL AND c.due_at < sqlc.arg(now)
                AND c.status NOT IN ('resolved', 'rejected', 'debated')) AS INTEGER) AS overdue,
       CAST(SUM(c.assignee_id IS NULL) AS INTEGER) AS unassigned
FROM cases c
WHERE c.merged_into IS NULL AND c.kind = 'message'
  AND (c.assignee_id = sqlc.arg(councillor_id)
       OR c.directory_entry_id IN (SELECT de.id FROM directory_entries de WHERE de.staff_id = sqlc.arg(councillor_id)))
GROUP BY c.kind, c.status;

-- name: CaseAddressee :one
-- The staff member a message case is addressed to through the directory, if any.
SELECT CAST(IFNULL(de.staff_id, '') AS TEXT) AS staff_id FROM cases c
LEFT JOIN directory_entries de ON de.id = c.directory_entry_id
WHERE c.id = ?;

-- name: ListInboundForCase :many
SELECT * FROM inbound_messages WHERE case_id = ? ORDER BY posted_at, rid;

-- name: UpdateStaffAccount :exec
UPDATE staff SET full_name = sqlc.arg(full_name), role = sqlc.arg(role), password_hash = sqlc.arg(password_hash),
    department_id = sqlc.narg(department_id), active = sqlc.arg(active), updated_at = sqlc.arg(updated_at)
WHERE id = sqlc.arg(id);

-- name: ListTemplates :many
SELECT * FROM templates WHERE lang = ? ORDER BY key;

-- name: UpsertTemplate :exec
INSERT INTO templates (id, key, lang, body, created_at, updated_at)
VALUES (sqlc.arg(id), sqlc.arg(key), sqlc.arg(lang), sqlc.arg(body), sqlc.arg(now), sqlc.arg(now))
ON CONFLICT (key, lang) DO UPDATE SET body = excluded.body, updated_at = excluded.updated_at;

-- name: ListDirectoryEntries :many
SELECT de.*, CAST(IFNULL(d.name, '') AS TEXT) AS department_name FROM directory_entries de
LEFT JOIN departments d ON d.id = de.department_id
ORDER BY de.kind, de.name;

-- name: InsertDirectoryEntry :exec
INSERT INTO directory_entries (id, kind, name, position, department_id, staff_id, network, handle, user_id, official, created_at, updated_at)
VALUES (sqlc.arg(id), sqlc.arg(kind), sqlc.arg(name), sqlc.arg(position), sqlc.narg(department_id), sqlc.narg(staff_id),
        sqlc.arg(network), sqlc.arg(handle), sqlc.arg(user_id), sqlc.arg(official), sqlc.arg(now), sqlc.arg(now));

-- name: ListCasesForResident :many
SELECT * FROM cases WHERE resident_id = ? ORDER BY opened_at DESC LIMIT 200;
