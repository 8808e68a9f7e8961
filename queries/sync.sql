-- name: GetCursor :one
SELECT * FROM sync_cursors WHERE stream = ?;

-- name: UpsertCursor :exec
INSERT INTO sync_cursors (stream, since_id, last_success_at, last_error, created_at, updated_at)
VALUES (sqlc.arg(stream), sqlc.arg(since_id), sqlc.narg(last_success_at), sqlc.arg(last_error), sqlc.arg(now), sqlc.arg(now))
ON CONFLICT (stream) DO UPDATE SET since_id = excluded.since_id,
    last_success_at = COALESCE(excluded.last_success_at, sync_cursors.last_success_at),
    last_error = excluded.last_error, updated_at = excluded.updated_at;

-- name: ListCursors :many
SELECT * FROM sync_cursors ORDER BY stream;

-- name: CountAPICalls :exec
INSERT INTO api_calls (day, endpoint, calls) VALUES (sqlc.arg(day), sqlc.arg(endpoint), sqlc.arg(calls))
ON CONFLICT (day, endpoint) DO UPDATE SET calls = calls + excluded.calls;

-- name: ListAPICalls :many
SELECT * FROM api_calls WHERE day = ? ORDER BY endpoint;
