-- name: InsertDepartment :exec
INSERT INTO departments (id, code, name, created_at, updated_at)
VALUES (sqlc.arg(id), sqlc.arg(code), sqlc.arg(name), sqlc.arg(created_at), sqlc.arg(updated_at));

-- name: ListDepartments :many
SELECT * FROM departments ORDER BY name;

-- name: GetDepartmentByCode :one
SELECT * FROM departments WHERE code = ?;

-- name: InsertStaff :exec
INSERT INTO staff (id, username, full_name, role, password_hash, department_id, active, created_at, updated_at)
VALUES (sqlc.arg(id), sqlc.arg(username), sqlc.arg(full_name), sqlc.arg(role), sqlc.arg(password_hash),
        sqlc.narg(department_id), sqlc.arg(active), sqlc.arg(created_at), sqlc.arg(updated_at));

-- name: GetStaff :one
SELECT * FROM staff WHERE id = ?;

-- name: GetStaffByUsername :one
SELECT * FROM staff WHERE username = ?;

-- name: ListStaff :many
SELECT * FROM staff ORDER BY full_name;

-- name: CountStaff :one
SELECT COUNT(*) FROM staff;

-- name: GetSetting :one
SELECT value FROM settings WHERE key = ?;

-- name: PutSetting :exec
INSERT INTO settings (key, value, created_at, updated_at) VALUES (sqlc.arg(key), sqlc.arg(value), sqlc.arg(now), sqlc.arg(now))
ON CONFLICT (key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at;

-- name: LastAuditEntry :one
SELECT * FROM audit_log ORDER BY seq DESC LIMIT 1;

-- name: InsertAuditEntry :exec
INSERT INTO audit_log (id, at, actor, action, target, details, prev_hash, hash)
VALUES (sqlc.arg(id), sqlc.arg(at), sqlc.arg(actor), sqlc.arg(action), sqlc.arg(target), sqlc.arg(details),
        sqlc.arg(prev_hash), sqlc.arg(hash));

-- name: ListAuditEntries :many
SELECT * FROM audit_log ORDER BY seq;
