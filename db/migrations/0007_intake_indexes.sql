-- Indexes for intake's lookups, found with pprof on BenchmarkIntake.
-- A DM joins the newest open case of its conversation: with rid in the index the lookup walks
-- the conversation's cases newest first and stops at the first open one, instead of reading
-- every case a resident ever opened by DM (one conversation holds them all).
DROP INDEX cases_conversation;
CREATE INDEX cases_conversation ON cases (network, conversation_id, rid);
-- A new account's handle is checked against every handle ever seen (takeover detection): the
-- history had no index on the handle, so each new author scanned it.
CREATE INDEX handle_history_handle ON handle_history (handle COLLATE NOCASE);
