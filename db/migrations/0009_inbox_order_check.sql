-- The inbox order list (0004) without a state row to update on every insert: a new case is
-- listed when a case inserted before it (lower rid) was opened later, which one seek in
-- cases_opened answers (none, for the cases intake inserts in registry order). The state row
-- (the largest opened_at and rid seen) was rewritten by every case insert, a third of the
-- triggers' cost in intake. Same list: the old state also remembered deleted cases, whose
-- order no longer matters, and a reused rid, which with no newer case is in order.
DROP TRIGGER inbox_order_ai;
CREATE TRIGGER inbox_order_ai AFTER INSERT ON cases
WHEN EXISTS (SELECT 1 FROM cases c INDEXED BY cases_opened WHERE c.opened_at > new.opened_at AND c.rid < new.rid)
BEGIN
    INSERT OR IGNORE INTO inbox_order_exceptions (rid) VALUES (new.rid);
END;
DROP TRIGGER inbox_order_au;
CREATE TRIGGER inbox_order_au AFTER UPDATE OF opened_at, rid ON cases
WHEN old.opened_at IS NOT new.opened_at OR old.rid IS NOT new.rid BEGIN
    INSERT OR IGNORE INTO inbox_order_exceptions (rid) VALUES (new.rid);
END;
DROP TABLE inbox_order_state;
