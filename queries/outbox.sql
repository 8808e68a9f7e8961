-- name: InsertOutbox :execresult
INSERT INTO outbox (
    id, case_id, publication_id, kind, network, in_reply_to_id, recipient_user_id, text, status,
    network_id, attempts, last_error, not_before, sent_at, created_by, created_at, updated_at
) VALUES (
    sqlc.arg(id), sqlc.narg(case_id), sqlc.narg(publication_id), sqlc.arg(kind), sqlc.arg(network),
    sqlc.arg(in_reply_to_id), sqlc.arg(recipient_user_id), sqlc.arg(text), sqlc.arg(status),
    sqlc.arg(network_id), sqlc.arg(attempts), sqlc.arg(last_error), sqlc.narg(not_before),
    sqlc.narg(sent_at), sqlc.narg(created_by), sqlc.arg(created_at), sqlc.arg(updated_at)
);

-- name: UpdateOutbox :exec
UPDATE outbox SET status = sqlc.arg(status), network_id = sqlc.arg(network_id), attempts = sqlc.arg(attempts),
    last_error = sqlc.arg(last_error), not_before = sqlc.narg(not_before), sent_at = sqlc.narg(sent_at),
    text = sqlc.arg(text), updated_at = sqlc.arg(updated_at)
WHERE id = sqlc.arg(id);

-- name: GetOutbox :one
SELECT * FROM outbox WHERE id = ?;

-- name: ListOutboxByStatus :many
SELECT * FROM outbox WHERE status = sqlc.arg(status) ORDER BY seq LIMIT CAST(sqlc.arg(lim) AS INTEGER);

-- name: ListOutboxForCase :many
SELECT * FROM outbox WHERE case_id = ? ORDER BY seq;

-- name: CountOutboxByStatus :many
SELECT status, COUNT(*) AS n FROM outbox GROUP BY status;
