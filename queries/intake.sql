-- name: ListIntakeRules :many
SELECT * FROM intake_rules ORDER BY priority, name;

-- name: InsertIntakeRule :exec
INSERT INTO intake_rules (id, priority, name, channel, hashtags, mentions, keywords, action, kind, department_id,
    procedure_type_id, enabled, created_at, updated_at)
VALUES (sqlc.arg(id), sqlc.arg(priority), sqlc.arg(name), sqlc.arg(channel), sqlc.arg(hashtags), sqlc.arg(mentions),
    sqlc.arg(keywords), sqlc.arg(action), sqlc.narg(kind), sqlc.narg(department_id), sqlc.narg(procedure_type_id),
    sqlc.arg(enabled), sqlc.arg(now), sqlc.arg(now));

-- name: DeleteIntakeRules :exec
DELETE FROM intake_rules;

-- name: UpdateDirectoryEntry :exec
UPDATE directory_entries SET kind = sqlc.arg(kind), name = sqlc.arg(name), position = sqlc.arg(position),
    department_id = sqlc.narg(department_id), staff_id = sqlc.narg(staff_id), handle = sqlc.arg(handle),
    user_id = sqlc.arg(user_id), official = sqlc.arg(official), updated_at = sqlc.arg(now)
WHERE id = sqlc.arg(id);

-- name: ListProcedureTypes :many
SELECT * FROM procedure_types ORDER BY name_es;

-- name: InsertProcedureType :exec
INSERT INTO procedure_types (id, code, name_es, name_en, keywords, department_id, deadline_value, deadline_unit, created_at, updated_at)
VALUES (sqlc.arg(id), sqlc.arg(code), sqlc.arg(name_es), sqlc.arg(name_en), sqlc.arg(keywords), sqlc.narg(department_id),
    sqlc.arg(deadline_value), sqlc.arg(deadline_unit), sqlc.arg(now), sqlc.arg(now));

-- name: ListHolidays :many
SELECT * FROM holidays ORDER BY day;

-- name: InsertHoliday :exec
INSERT INTO holidays (id, day, name, scope, created_at, updated_at)
VALUES (sqlc.arg(id), sqlc.arg(day), sqlc.arg(name), sqlc.arg(scope), sqlc.arg(now), sqlc.arg(now))
ON CONFLICT (day, scope) DO NOTHING;
