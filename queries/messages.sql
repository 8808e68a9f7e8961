-- name: InsertInboundMessage :execrows
INSERT INTO inbound_messages (
    id, rid, network, message_id, channel, author_user_id, author_handle, author_name, text,
    conversation_id, in_reply_to_id, posted_at, raw, case_id, identity_id, disposition, created_at, updated_at
) VALUES (
    sqlc.arg(id), (SELECT IFNULL(MAX(rid), 0) + 1 FROM inbound_messages), sqlc.arg(network), sqlc.arg(message_id),
    sqlc.arg(channel), sqlc.arg(author_user_id), sqlc.arg(author_handle), sqlc.arg(author_name), sqlc.arg(text),
    sqlc.arg(conversation_id), sqlc.arg(in_reply_to_id), sqlc.arg(posted_at), sqlc.arg(raw),
    sqlc.narg(case_id), sqlc.narg(identity_id), sqlc.arg(disposition), sqlc.arg(created_at), sqlc.arg(updated_at)
)
ON CONFLICT (network, message_id) DO NOTHING;

-- name: KnownInboundMessages :many
-- Which of a page's network ids (a JSON array) are already stored: one statement per page.
SELECT message_id FROM inbound_messages
WHERE network = sqlc.arg(network) AND message_id IN (SELECT value FROM json_each(sqlc.arg(ids)));

-- name: GetInboundMessage :one
SELECT * FROM inbound_messages WHERE id = ?;

-- name: GetInboundMessageByNetworkID :one
SELECT * FROM inbound_messages WHERE network = sqlc.arg(network) AND message_id = sqlc.arg(message_id);

-- name: CountInboundMessages :one
SELECT COUNT(*) FROM inbound_messages;

-- name: SearchMessages :many
SELECT m.* FROM messages_fts f JOIN inbound_messages m ON m.rid = f.rowid
WHERE f.text MATCH CAST(sqlc.arg(query) AS TEXT)
ORDER BY m.rid DESC LIMIT CAST(sqlc.arg(lim) AS INTEGER);
