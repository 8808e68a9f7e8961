-- Indexes no query uses, dropped: every intake writes an entry in each. Found with EXPLAIN
-- QUERY PLAN over every query in queries/ on a generated register. The inbox's optional
-- filters are written `(? IS NULL OR c.status = ?)`, which SQLite cannot answer from a
-- (status, opened_at) index, so filtered pages walk cases_opened newest first (the filtered
-- page benchmark's plan, 1 ms at 500k cases); overdue counts use cases_open_due (0003); the
-- councillor's facets use cases_kind_opened. The foreign keys to departments, staff and
-- directory entries lose their child index: deleting one of those (an administrator's rare
-- act; staff are normally deactivated) scans the cases once.
DROP INDEX cases_status_opened;
DROP INDEX cases_department_opened;
DROP INDEX cases_assignee_opened;
DROP INDEX cases_due;
DROP INDEX cases_directory_entry;
-- A resident's messages are listed through their cases, never by author.
DROP INDEX inbound_messages_author;
