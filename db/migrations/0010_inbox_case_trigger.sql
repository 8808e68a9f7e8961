-- One trigger for what a new case changes in the inbox's bookkeeping (the counters of 0003
-- and the order list of 0009) instead of two: each trigger program has its own setup cost on
-- every case insert.
DROP TRIGGER inbox_counts_ai;
DROP TRIGGER inbox_order_ai;
CREATE TRIGGER inbox_case_ai AFTER INSERT ON cases BEGIN
    UPDATE inbox_counts SET n = n + 1
    WHERE new.merged_into IS NULL
      AND kind = new.kind AND status = new.status AND unread = new.unread AND unassigned = (new.assignee_id IS NULL);
    INSERT OR IGNORE INTO inbox_order_exceptions (rid)
    SELECT new.rid
    WHERE EXISTS (SELECT 1 FROM cases c INDEXED BY cases_opened WHERE c.opened_at > new.opened_at AND c.rid < new.rid);
END;
