-- Queries for the lobby kiosk: the next plenary session and its agenda, and the writes that
-- schedule a session (used by the demo and training seeds). Nothing here returns names,
-- handles or message text of residents.

-- name: NextPlenarySession :one
SELECT id, title, scheduled_at, status
FROM plenary_sessions
WHERE scheduled_at >= sqlc.arg(from_time) AND status <> 'held'
ORDER BY scheduled_at
LIMIT 1;

-- name: ListAgendaItems :many
SELECT a.id, a.position, a.title,
       CAST(IFNULL(c.registry_number, '') AS TEXT) AS registry_number,
       CAST(IFNULL(c.kind, '') AS TEXT) AS case_kind,
       CAST(IFNULL(c.status, '') AS TEXT) AS case_status
FROM agenda_items a
LEFT JOIN cases c ON c.id = a.case_id
WHERE a.session_id = sqlc.arg(session_id)
ORDER BY a.position;

-- name: CountAdmittedProposals :one
SELECT COUNT(*) FROM cases
WHERE kind = 'proposal' AND status IN ('admitted', 'on_agenda') AND merged_into IS NULL;

-- name: CreatePlenarySession :exec
INSERT INTO plenary_sessions (id, title, scheduled_at, status, created_at, updated_at)
VALUES (sqlc.arg(id), sqlc.arg(title), sqlc.arg(scheduled_at), sqlc.arg(status), sqlc.arg(now), sqlc.arg(now));

-- name: CreateAgendaItem :exec
INSERT INTO agenda_items (id, session_id, position, title, case_id, created_at, updated_at)
VALUES (sqlc.arg(id), sqlc.arg(session_id), sqlc.arg(position), sqlc.arg(title), sqlc.narg(case_id), sqlc.arg(now), sqlc.arg(now));
