-- name: NextRegistrySeq :one
INSERT INTO registry_counters (year, last_seq, created_at, updated_at)
VALUES (sqlc.arg(year), 1, sqlc.arg(now), sqlc.arg(now))
ON CONFLICT (year) DO UPDATE SET last_seq = last_seq + 1, updated_at = excluded.updated_at
RETURNING last_seq;

-- name: SetRegistrySeq :exec
UPDATE registry_counters SET last_seq = sqlc.arg(last_seq), updated_at = sqlc.arg(now) WHERE year = sqlc.arg(year);

-- name: InsertCase :exec
INSERT INTO cases (
    id, rid, registry_number, kind, status, priority, department_id, assignee_id, directory_entry_id,
    procedure_type_id, resident_id, identity_id, channel, network, conversation_id, title, body,
    flag_unverified, flag_personal_data, unread, opened_at, due_at, first_answer_at, closed_at,
    merged_into, version, created_at, updated_at, text_in_message
) VALUES (
    sqlc.arg(id), (SELECT IFNULL(MAX(rid), 0) + 1 FROM cases), sqlc.arg(registry_number), sqlc.arg(kind),
    sqlc.arg(status), sqlc.arg(priority), sqlc.narg(department_id), sqlc.narg(assignee_id),
    sqlc.narg(directory_entry_id), sqlc.narg(procedure_type_id), sqlc.narg(resident_id),
    sqlc.narg(identity_id), sqlc.arg(channel), sqlc.arg(network), sqlc.arg(conversation_id),
    sqlc.arg(title), sqlc.arg(body), sqlc.arg(flag_unverified), sqlc.arg(flag_personal_data),
    sqlc.arg(unread), sqlc.arg(opened_at), sqlc.narg(due_at), sqlc.narg(first_answer_at),
    sqlc.narg(closed_at), sqlc.narg(merged_into), 1, sqlc.arg(created_at), sqlc.arg(updated_at),
    sqlc.arg(text_in_message)
);

-- name: UpdateCase :execrows
UPDATE cases SET
    kind = sqlc.arg(kind), status = sqlc.arg(status), priority = sqlc.arg(priority),
    department_id = sqlc.narg(department_id), assignee_id = sqlc.narg(assignee_id),
    directory_entry_id = sqlc.narg(directory_entry_id), procedure_type_id = sqlc.narg(procedure_type_id),
    resident_id = sqlc.narg(resident_id), identity_id = sqlc.narg(identity_id),
    title = sqlc.arg(title), body = sqlc.arg(body),
    flag_unverified = sqlc.arg(flag_unverified), flag_personal_data = sqlc.arg(flag_personal_data),
    unread = sqlc.arg(unread), due_at = sqlc.narg(due_at), first_answer_at = sqlc.narg(first_answer_at),
    closed_at = sqlc.narg(closed_at), merged_into = sqlc.narg(merged_into),
    version = version + 1, updated_at = sqlc.arg(updated_at)
WHERE id = sqlc.arg(id) AND version = sqlc.arg(version);

-- name: GetCase :one
SELECT * FROM cases WHERE id = ?;

-- name: GetCaseByNumber :one
SELECT * FROM cases WHERE registry_number = ?;

-- name: FindOpenCaseByConversation :one
SELECT * FROM cases
WHERE network = sqlc.arg(network) AND conversation_id = sqlc.arg(conversation_id) AND conversation_id <> ''
  AND status NOT IN ('resolved', 'rejected', 'debated') AND merged_into IS NULL
ORDER BY rid DESC LIMIT 1;

-- name: FindCaseByInboundMessage :one
SELECT c.* FROM cases c JOIN inbound_messages m ON m.case_id = c.id
WHERE m.network = sqlc.arg(network) AND m.message_id = sqlc.arg(message_id);

-- name: FindCaseBySentMessage :one
SELECT c.* FROM cases c JOIN outbox o ON o.case_id = c.id
WHERE o.network = sqlc.arg(network) AND o.network_id = sqlc.arg(network_id) AND o.network_id <> '';

-- name: InsertCaseEvent :exec
INSERT INTO case_events (id, case_id, kind, actor_staff_id, inbound_message_id, outbox_id, body, old_value, new_value, created_at)
VALUES (sqlc.arg(id), sqlc.arg(case_id), sqlc.arg(kind), sqlc.narg(actor_staff_id), sqlc.narg(inbound_message_id),
        sqlc.narg(outbox_id), sqlc.arg(body), sqlc.arg(old_value), sqlc.arg(new_value), sqlc.arg(created_at));

-- name: ListCaseEvents :many
SELECT * FROM case_events WHERE case_id = ? ORDER BY created_at, id;

-- name: CountCasesByKind :many
SELECT kind, COUNT(*) AS n FROM cases GROUP BY kind;

-- name: SearchCases :many
SELECT c.* FROM cases_fts f JOIN cases c ON c.rid = f.rowid
WHERE f.cases_fts MATCH CAST(sqlc.arg(query) AS TEXT)
ORDER BY c.rid DESC LIMIT CAST(sqlc.arg(lim) AS INTEGER);
