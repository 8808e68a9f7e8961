-- Queries for the staff desk: the inbox (filtered, paged, counted), staff accounts, templates
-- and the directory. Optional filters are NULL when not set.

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
  AND (sqlc.narg(fts) IS NULL
       OR c.rid IN (SELECT c2.rid FROM cases_fts f JOIN cases c2 ON c2.rid = f.rowid
                    WHERE f.cases_fts MATCH CAST(sqlc.narg(fts) AS TEXT))
       OR c.id IN (SELECT m.case_id FROM messages_fts mf JOIN inbound_messages m ON m.rid = mf.rowid
                   WHERE mf.text MATCH CAST(sqlc.narg(fts) AS TEXT))
       OR c.registry_number LIKE sqlc.narg(number_like)
       OR r.full_name LIKE sqlc.narg(number_like)
       OR i.handle LIKE sqlc.narg(number_like))
ORDER BY c.opened_at DESC, c.rid DESC
LIMIT CAST(sqlc.arg(lim) AS INTEGER) OFFSET CAST(sqlc.arg(off) AS INTEGER);

-- name: CountInbox :one
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
  AND (sqlc.narg(fts) IS NULL
       OR c.rid IN (SELECT c2.rid FROM cases_fts f JOIN cases c2 ON c2.rid = f.rowid
                    WHERE f.cases_fts MATCH CAST(sqlc.narg(fts) AS TEXT))
       OR c.id IN (SELECT m.case_id FROM messages_fts mf JOIN inbound_messages m ON m.rid = mf.rowid
                   WHERE mf.text MATCH CAST(sqlc.narg(fts) AS TEXT))
       OR c.registry_number LIKE sqlc.narg(number_like)
       OR r.full_name LIKE sqlc.narg(number_like)
       OR i.handle LIKE sqlc.narg(number_like));

-- name: InboxFacets :many
-- Counts per kind and status within what the session may see, with how many are unread,
-- overdue and unassigned, so the filter bar can show a number beside each choice.
SELECT c.kind, c.status, COUNT(*) AS n,
       CAST(SUM(c.unread) AS INTEGER) AS unread,
       CAST(SUM(c.due_at IS NOT NULL AND c.due_at < sqlc.arg(now)
                AND c.status NOT IN ('resolved', 'rejected', 'debated')) AS INTEGER) AS overdue,
       CAST(SUM(c.assignee_id IS NULL) AS INTEGER) AS unassigned
FROM cases c
LEFT JOIN directory_entries de ON de.id = c.directory_entry_id
WHERE c.merged_into IS NULL
  AND (sqlc.narg(only_kind) IS NULL OR c.kind = sqlc.narg(only_kind))
  AND (sqlc.narg(councillor_id) IS NULL OR c.kind = 'proposal'
       OR (c.kind = 'message' AND (c.assignee_id = sqlc.narg(councillor_id) OR de.staff_id = sqlc.narg(councillor_id))))
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
