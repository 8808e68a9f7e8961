-- Queries for the administrator's settings: the calendar, the procedure catalogue and the town
-- hall's own accounts. The rest of the configuration is written by intake.sql and admin.sql.

-- name: DeleteHoliday :execrows
DELETE FROM holidays WHERE day = sqlc.arg(day) AND scope = sqlc.arg(scope);

-- name: UpdateProcedureType :execrows
UPDATE procedure_types SET code = sqlc.arg(code), name_es = sqlc.arg(name_es), name_en = sqlc.arg(name_en),
    keywords = sqlc.arg(keywords), department_id = sqlc.narg(department_id), deadline_value = sqlc.arg(deadline_value),
    deadline_unit = sqlc.arg(deadline_unit), updated_at = sqlc.arg(now)
WHERE id = sqlc.arg(id);

-- name: DeleteDirectoryEntry :execrows
DELETE FROM directory_entries WHERE id = ?;
