-- name: ListIdentitiesWithPastHandle :many
-- Identities that hold handle now or were ever seen with it.
-- Two indexed lookups (an OR of them made SQLite read every identity of the network).
SELECT * FROM identities
WHERE network = CAST(sqlc.arg(network) AS TEXT) AND handle = CAST(sqlc.arg(handle) AS TEXT) COLLATE NOCASE
UNION
SELECT i.* FROM handle_history h CROSS JOIN identities i ON i.id = h.identity_id
WHERE h.handle = CAST(sqlc.arg(handle) AS TEXT) COLLATE NOCASE AND i.network = CAST(sqlc.arg(network) AS TEXT)
ORDER BY created_at;

-- name: ListPendingIdentities :many
SELECT * FROM identities WHERE network = ? AND user_id IS NULL ORDER BY created_at;

-- name: ListVerifiedIdentitiesInCensus :many
-- Identities proven but not yet at the census level whose resident's document is in the census.
SELECT * FROM identities
WHERE level = 'verified' AND resident_id IN (
    SELECT r.id FROM residents r JOIN census_entries ce ON ce.document = r.document)
ORDER BY created_at;

-- name: DeletePendingIdentity :execrows
-- Only an identity never bound to a user id may go: it carries nothing a resident sent.
DELETE FROM identities WHERE id = ? AND user_id IS NULL;

-- name: GetCensusEntry :one
SELECT * FROM census_entries WHERE document = ?;
