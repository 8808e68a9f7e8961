package db

// What the data generator (app/gen) and the benchmarks need besides app.Store: a bulk loader
// that writes generated history fast, and the bare baselines the benchmarks compare the store
// with (a bare table through the same driver, a bare SQL query on the same file).

import (
	"context"
	"database/sql"
	"fmt"
	"time"

	"ventanilla/app"
)

// BulkLoader writes generated cases, messages, timeline events and outbox rows with prepared
// statements in large transactions, bypassing the per-record bookkeeping of app.Tx. Registry
// numbers and rids are allocated in insertion order; the registry counters are written when
// the load ends. The full-text triggers fire as for any insert. It is for app/gen only: the
// program's own writes go through InTx.
type BulkLoader struct {
	ctx     context.Context
	s       *Store
	inTx    bool // a BEGIN on the writer connection is not committed yet
	stmts   map[string]*sql.Stmt
	caseRid int64
	msgRid  int64
	seq     map[int]int
	pending int
}

// bulkBatch is how many rows one bulk transaction writes: large enough that commits and
// FTS segment flushes are rare, small enough that the WAL stays a few hundred MB at most.
const bulkBatch = 50_000

var bulkSQL = map[string]string{
	"case": `INSERT INTO cases (id, rid, registry_number, kind, status, priority, department_id, assignee_id,
		directory_entry_id, procedure_type_id, resident_id, identity_id, channel, network, conversation_id, title, body,
		flag_unverified, flag_personal_data, unread, opened_at, due_at, first_answer_at, closed_at, merged_into, version,
		created_at, updated_at, text_in_message) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
	"message": `INSERT INTO inbound_messages (id, rid, network, message_id, channel, author_user_id, author_handle,
		author_name, text, conversation_id, in_reply_to_id, posted_at, raw, case_id, identity_id, disposition,
		created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
	"event": `INSERT INTO case_events (id, case_id, kind, actor_staff_id, inbound_message_id, outbox_id, body,
		old_value, new_value, created_at) VALUES (?,?,?,?,?,?,?,?,?,?)`,
	"outbox": `INSERT INTO outbox (id, case_id, kind, network, in_reply_to_id, recipient_user_id, text, status,
		network_id, attempts, sent_at, created_by, created_at, updated_at) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?)`,
}

// BulkLoad runs fn with a loader on the writer connection and commits what it wrote; an error
// from fn rolls back only the current batch (earlier batches are committed).
func (s *Store) BulkLoad(ctx context.Context, fn func(l *BulkLoader) error) (err error) {
	if err := s.lockWriter(ctx); err != nil {
		return err
	}
	defer s.unlockWriter()
	l := &BulkLoader{ctx: ctx, s: s, stmts: map[string]*sql.Stmt{}, seq: map[int]int{}}
	for name, q := range bulkSQL {
		st, err := s.wconn.PrepareContext(ctx, q)
		if err != nil {
			return fmt.Errorf("bulk load: prepare %s: %w", name, err)
		}
		defer st.Close()
		l.stmts[name] = st
	}
	for table, rid := range map[string]*int64{"cases": &l.caseRid, "inbound_messages": &l.msgRid} {
		if err := s.wconn.QueryRowContext(ctx, "SELECT IFNULL(MAX(rid), 0) FROM "+table).Scan(rid); err != nil {
			return fmt.Errorf("bulk load: %w", err)
		}
	}
	rows, err := s.wconn.QueryContext(ctx, "SELECT year, last_seq FROM registry_counters")
	if err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	for rows.Next() {
		var y, n int
		if err := rows.Scan(&y, &n); err != nil {
			rows.Close()
			return fmt.Errorf("bulk load: %w", err)
		}
		l.seq[y] = n
	}
	rows.Close()
	// A page cache that holds the indexes being appended to, for the load only.
	if _, err := s.wconn.ExecContext(ctx, "PRAGMA cache_size = -524288"); err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	defer s.wconn.ExecContext(context.WithoutCancel(ctx), "PRAGMA cache_size = -2000")
	defer func() {
		if l.inTx { // an error or a panic: the current batch is rolled back
			s.wconn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK")
			l.inTx = false
		}
	}()
	if err := fn(l); err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	if err := l.begin(); err != nil {
		return err
	}
	now := formatTime(s.clock())
	for y, n := range l.seq {
		if _, err := s.wconn.ExecContext(ctx, `INSERT INTO registry_counters (year, last_seq, created_at, updated_at) VALUES (?, ?, ?, ?)
			ON CONFLICT (year) DO UPDATE SET last_seq = MAX(last_seq, excluded.last_seq), updated_at = excluded.updated_at`, y, n, now, now); err != nil {
			return fmt.Errorf("bulk load: registry counter %d: %w", y, err)
		}
	}
	// The full-text indexes are filled once, at the end, like every transaction's batch.
	t := &txStore{queries: queries{q: s.prepared, db: s.wconn}, clock: s.clock, newCases: true, newMessages: true}
	if err := t.indexPending(ctx); err != nil {
		return fmt.Errorf("bulk load: %w", err)
	}
	return l.commit()
}

// Checkpoint copies the WAL into the database file and empties it, as after a bulk load.
func (s *Store) Checkpoint(ctx context.Context) error {
	if err := s.lockWriter(ctx); err != nil {
		return err
	}
	defer s.unlockWriter()
	if _, err := s.wconn.ExecContext(ctx, "PRAGMA wal_checkpoint(TRUNCATE)"); err != nil {
		return fmt.Errorf("checkpoint: %w", err)
	}
	return nil
}

func (l *BulkLoader) begin() error {
	if l.inTx {
		return nil
	}
	if _, err := l.s.wconn.ExecContext(l.ctx, "BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("bulk load: begin: %w", err)
	}
	l.inTx = true
	return nil
}

func (l *BulkLoader) commit() error {
	if !l.inTx {
		return nil
	}
	if _, err := l.s.wconn.ExecContext(context.WithoutCancel(l.ctx), "COMMIT"); err != nil {
		return fmt.Errorf("bulk load: commit: %w", err) // the deferred ROLLBACK ends it
	}
	l.inTx, l.pending = false, 0
	return nil
}

func (l *BulkLoader) exec(name string, args ...any) error {
	if err := l.begin(); err != nil {
		return err
	}
	if _, err := l.stmts[name].ExecContext(l.ctx, args...); err != nil {
		return fmt.Errorf("insert %s: %w", name, err)
	}
	if l.pending++; l.pending >= bulkBatch {
		return l.commit()
	}
	return nil
}

// Case inserts c, allocating its rid and the next registry number of c.OpenedAt's year.
// c.ID, c.CreatedAt and c.UpdatedAt must be set; c.Number and c.Version are filled in.
func (l *BulkLoader) Case(c *app.Case) error {
	year := app.RegistryYear(c.OpenedAt)
	l.seq[year]++
	c.Number = app.RegistryNumber{Year: year, Seq: l.seq[year]}
	c.Version = 1
	l.caseRid++
	return l.exec("case", c.ID, l.caseRid, c.Number.String(), string(c.Kind), string(c.Status), string(c.Priority),
		nullStr(c.DepartmentID), nullStr(c.AssigneeID), nullStr(c.DirectoryEntryID), nullStr(c.ProcedureTypeID),
		nullStr(c.ResidentID), nullStr(c.IdentityID), string(c.Channel), c.Network, c.ConversationID, c.Title, c.Body,
		b2i(c.FlagUnverified), b2i(c.FlagPersonalData), b2i(c.Unread), formatTime(c.OpenedAt), nullTime(c.DueAt),
		nullTime(c.FirstAnswerAt), nullTime(c.ClosedAt), nullStr(c.MergedInto), 1, formatTime(c.CreatedAt), formatTime(c.UpdatedAt),
		b2i(c.TextInMessage))
}

// Message inserts m (its ID, Network and CreatedAt set by the caller).
func (l *BulkLoader) Message(m *app.InboundMessage) error {
	l.msgRid++
	return l.exec("message", m.ID, l.msgRid, m.Network, m.MessageID, string(m.Channel), m.AuthorUserID, m.AuthorHandle,
		m.AuthorName, m.Text, m.ConversationID, m.InReplyToID, formatTime(m.PostedAt), m.Raw, nullStr(m.CaseID),
		nullStr(m.IdentityID), string(m.Disposition), formatTime(m.CreatedAt), formatTime(m.CreatedAt))
}

// Event inserts a timeline event.
func (l *BulkLoader) Event(e *app.CaseEvent) error {
	return l.exec("event", e.ID, e.CaseID, string(e.Kind), nullStr(e.ActorStaffID), nullStr(e.InboundMessageID),
		nullStr(e.OutboxID), e.Body, e.OldValue, e.NewValue, formatTime(e.CreatedAt))
}

// Outbox inserts an outgoing message as it stands (typically sent, with its network id).
func (l *BulkLoader) Outbox(o *app.OutboxItem) error {
	return l.exec("outbox", o.ID, nullStr(o.CaseID), string(o.Kind), o.Network, o.InReplyToID, o.RecipientUserID, o.Text,
		string(o.Status), o.NetworkID, int64(o.Attempts), nullTime(o.SentAt), nullStr(o.CreatedBy),
		formatTime(o.CreatedAt), formatTime(o.UpdatedAt))
}

// BenchQuery runs a read-only SQL query on the read pool and reads every row (every column),
// returning how many there were. Benchmarks use it for the bare query they compare a store
// method with.
func (s *Store) BenchQuery(ctx context.Context, query string, args ...any) (int, error) {
	rows, err := s.reader.QueryContext(ctx, query, args...)
	if err != nil {
		return 0, err
	}
	defer rows.Close()
	cols, err := rows.Columns()
	if err != nil {
		return 0, err
	}
	vals := make([]any, len(cols))
	ptrs := make([]any, len(cols))
	for i := range vals {
		ptrs[i] = &vals[i]
	}
	n := 0
	for rows.Next() {
		if err := rows.Scan(ptrs...); err != nil {
			return n, err
		}
		n++
	}
	return n, rows.Err()
}

// BareTable is the baseline for writes: the inbound messages' columns in a table with no
// constraint, index or trigger, optionally carrying the same FTS5 index as inbound_messages
// (same tokenizer, external content, insert trigger), opened with the same driver and DSN as
// the store.
type BareTable struct {
	db     *sql.DB
	insert *sql.Stmt
}

// OpenBareTable creates the bare table in a new database file at path.
func OpenBareTable(ctx context.Context, path string, withFTS bool) (*BareTable, error) {
	d, err := sql.Open("sqlite", dsn(path, false))
	if err != nil {
		return nil, err
	}
	d.SetMaxOpenConns(1)
	ddl := `CREATE TABLE bare_messages (rid INTEGER PRIMARY KEY, id TEXT, network TEXT, message_id TEXT, channel TEXT,
		author_user_id TEXT, author_handle TEXT, author_name TEXT, text TEXT, conversation_id TEXT, in_reply_to_id TEXT,
		posted_at TEXT, raw TEXT, created_at TEXT)`
	if withFTS {
		// The same full-text index as messages_fts (tokenizer and prefix indexes, 0005).
		ddl += `; CREATE VIRTUAL TABLE bare_fts USING fts5 (text, content = 'bare_messages', content_rowid = 'rid',
			tokenize = 'unicode61 remove_diacritics 2', prefix = '2 3 4');
		CREATE TRIGGER bare_fts_ai AFTER INSERT ON bare_messages BEGIN
			INSERT INTO bare_fts (rowid, text) VALUES (new.rid, new.text);
		END`
	}
	if _, err := d.ExecContext(ctx, ddl); err != nil {
		d.Close()
		return nil, fmt.Errorf("create bare table: %w", err)
	}
	// Prepared once, as the store prepares its statements: an unprepared INSERT parses the
	// statement (and the FTS trigger) for every row, a baseline slower than it has to be
	// (15.4k against 12.6k rows/s with the FTS index, 159k against 84k without, here).
	st, err := d.PrepareContext(ctx, `INSERT INTO bare_messages (id, network, message_id, channel, author_user_id,
		author_handle, author_name, text, conversation_id, in_reply_to_id, posted_at, raw, created_at)
		VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)`)
	if err != nil {
		d.Close()
		return nil, fmt.Errorf("prepare bare insert: %w", err)
	}
	return &BareTable{db: d, insert: st}, nil
}

// InsertPage stores msgs in one transaction, one prepared INSERT per row.
func (b *BareTable) InsertPage(ctx context.Context, msgs []app.InboundMessage) error {
	tx, err := b.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer tx.Rollback()
	now := formatTime(time.Now())
	st := tx.StmtContext(ctx, b.insert)
	for i := range msgs {
		m := &msgs[i]
		if _, err := st.ExecContext(ctx, app.NewID(), m.Network, m.MessageID, string(m.Channel), m.AuthorUserID,
			m.AuthorHandle, m.AuthorName, m.Text, m.ConversationID, m.InReplyToID, formatTime(m.PostedAt), m.Raw, now); err != nil {
			return fmt.Errorf("bare insert: %w", err)
		}
	}
	return tx.Commit()
}

// Close closes the bare table's database.
func (b *BareTable) Close() error {
	b.insert.Close()
	return b.db.Close()
}
