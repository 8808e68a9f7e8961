-- name: InsertResident :exec
INSERT INTO residents (id, full_name, document, phone, email, address, notes, created_by, created_at, updated_at)
VALUES (sqlc.arg(id), sqlc.arg(full_name), sqlc.narg(document), sqlc.arg(phone), sqlc.arg(email),
        sqlc.arg(address), sqlc.arg(notes), sqlc.narg(created_by), sqlc.arg(created_at), sqlc.arg(updated_at));

-- name: UpdateResident :execrows
UPDATE residents SET full_name = sqlc.arg(full_name), document = sqlc.narg(document), phone = sqlc.arg(phone),
    email = sqlc.arg(email), address = sqlc.arg(address), notes = sqlc.arg(notes), updated_at = sqlc.arg(updated_at)
WHERE id = sqlc.arg(id);

-- name: GetResident :one
SELECT r.*, EXISTS (SELECT 1 FROM census_entries ce WHERE ce.document = r.document) AS in_census
FROM residents r WHERE r.id = ?;

-- name: GetResidentByDocument :one
SELECT r.*, EXISTS (SELECT 1 FROM census_entries ce WHERE ce.document = r.document) AS in_census
FROM residents r WHERE r.document = ?;

-- name: SearchResidents :many
SELECT r.*, EXISTS (SELECT 1 FROM census_entries ce WHERE ce.document = r.document) AS in_census
FROM residents r
WHERE r.erased_at IS NULL AND (CAST(sqlc.arg(q) AS TEXT) = '' OR r.full_name LIKE '%' || CAST(sqlc.arg(q) AS TEXT) || '%' OR r.document LIKE CAST(sqlc.arg(q) AS TEXT) || '%')
ORDER BY r.full_name LIMIT CAST(sqlc.arg(lim) AS INTEGER) OFFSET CAST(sqlc.arg(off) AS INTEGER);

-- name: CountResidents :one
SELECT COUNT(*) FROM residents WHERE erased_at IS NULL;

-- name: CountVerifiedResidents :one
SELECT COUNT(DISTINCT resident_id) FROM identities
WHERE resident_id IS NOT NULL AND level IN ('verified', 'verified_census');

-- name: InsertIdentity :exec
INSERT INTO identities (id, network, user_id, handle, display_name, resident_id, level, verified_at, verified_by,
    verified_method, verified_message_id, flag_handle_changed, flag_takeover, flag_lookalike, created_at, updated_at)
VALUES (sqlc.arg(id), sqlc.arg(network), sqlc.narg(user_id), sqlc.arg(handle), sqlc.arg(display_name),
    sqlc.narg(resident_id), sqlc.arg(level), sqlc.narg(verified_at), sqlc.narg(verified_by), sqlc.arg(verified_method),
    sqlc.arg(verified_message_id), sqlc.arg(flag_handle_changed), sqlc.arg(flag_takeover), sqlc.arg(flag_lookalike),
    sqlc.arg(created_at), sqlc.arg(updated_at));

-- name: UpdateIdentity :exec
UPDATE identities SET user_id = sqlc.narg(user_id), handle = sqlc.arg(handle), display_name = sqlc.arg(display_name),
    resident_id = sqlc.narg(resident_id), level = sqlc.arg(level), verified_at = sqlc.narg(verified_at),
    verified_by = sqlc.narg(verified_by), verified_method = sqlc.arg(verified_method),
    verified_message_id = sqlc.arg(verified_message_id), flag_handle_changed = sqlc.arg(flag_handle_changed),
    flag_takeover = sqlc.arg(flag_takeover), flag_lookalike = sqlc.arg(flag_lookalike), updated_at = sqlc.arg(updated_at)
WHERE id = sqlc.arg(id);

-- name: GetIdentity :one
SELECT * FROM identities WHERE id = ?;

-- name: GetIdentityByUserID :one
SELECT * FROM identities WHERE network = sqlc.arg(network) AND user_id = sqlc.arg(user_id);

-- name: ListIdentitiesByHandle :many
SELECT * FROM identities WHERE network = sqlc.arg(network) AND handle = sqlc.arg(handle) COLLATE NOCASE ORDER BY created_at;

-- name: ListIdentitiesForResident :many
SELECT * FROM identities WHERE resident_id = ? ORDER BY created_at;

-- name: InsertHandleHistory :exec
INSERT INTO handle_history (id, identity_id, handle, seen_at, created_at)
VALUES (sqlc.arg(id), sqlc.arg(identity_id), sqlc.arg(handle), sqlc.arg(seen_at), sqlc.arg(created_at));

-- name: ListHandleHistory :many
SELECT * FROM handle_history WHERE identity_id = ? ORDER BY seen_at, created_at;

-- name: InsertChallenge :exec
INSERT INTO verification_challenges (id, identity_id, code, status, expires_at, issued_by, used_message_id, created_at, updated_at)
VALUES (sqlc.arg(id), sqlc.arg(identity_id), sqlc.arg(code), sqlc.arg(status), sqlc.arg(expires_at),
        sqlc.narg(issued_by), sqlc.arg(used_message_id), sqlc.arg(created_at), sqlc.arg(updated_at));

-- name: UpdateChallenge :exec
UPDATE verification_challenges SET status = sqlc.arg(status), used_message_id = sqlc.arg(used_message_id),
    updated_at = sqlc.arg(updated_at)
WHERE id = sqlc.arg(id);

-- name: ListChallengesForIdentity :many
SELECT * FROM verification_challenges WHERE identity_id = ? ORDER BY created_at DESC;

-- name: FindChallengesByCode :many
SELECT * FROM verification_challenges WHERE code = ? ORDER BY created_at DESC;

-- name: InsertVerificationAttempt :exec
INSERT INTO verification_attempts (id, identity_id, user_id, message_id, outcome, created_at)
VALUES (sqlc.arg(id), sqlc.narg(identity_id), sqlc.arg(user_id), sqlc.arg(message_id), sqlc.arg(outcome), sqlc.arg(created_at));

-- name: CountFailedAttemptsSince :one
SELECT COUNT(*) FROM verification_attempts
WHERE identity_id = sqlc.arg(identity_id) AND created_at >= sqlc.arg(since) AND outcome <> 'verified';

-- name: ListVerificationAttempts :many
SELECT * FROM verification_attempts WHERE identity_id = ? ORDER BY created_at;

-- name: InsertCensusEntry :exec
INSERT INTO census_entries (id, document, full_name, address, birth_date, batch_id, created_at, updated_at)
VALUES (sqlc.arg(id), sqlc.arg(document), sqlc.arg(full_name), sqlc.arg(address), sqlc.arg(birth_date),
        sqlc.arg(batch_id), sqlc.arg(created_at), sqlc.arg(updated_at))
ON CONFLICT (document) DO UPDATE SET full_name = excluded.full_name, address = excluded.address,
    birth_date = excluded.birth_date, batch_id = excluded.batch_id, updated_at = excluded.updated_at;

-- name: CountCensusEntries :one
SELECT COUNT(*) FROM census_entries;

-- name: ListIdentitiesByUserIDs :many
-- The identities of a page's authors (a JSON array of user ids): one statement per page.
SELECT * FROM identities
WHERE network = sqlc.arg(network) AND user_id IN (SELECT value FROM json_each(sqlc.arg(user_ids)));
