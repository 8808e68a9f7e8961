// Package db is Ventanilla's SQLite store: it opens the database file (WAL, foreign keys, one
// writer connection and a read pool), applies the embedded numbered migrations, and implements
// app.Store on top of the sqlc-generated queries in db/internal/sqlcgen.
package db

import (
	"context"
	"database/sql"
	"embed"
	"encoding/json"
	"errors"
	"fmt"
	"io/fs"
	"net/url"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"time"

	_ "modernc.org/sqlite" // registers the "sqlite" driver

	"ventanilla/app"
	"ventanilla/db/internal/sqlcgen"
)

//go:embed migrations/*.sql
var migrationFiles embed.FS

// ErrNewerSchema means the database was written by a newer Ventanilla.
var ErrNewerSchema = errors.New("database schema is newer than this program")

// Store implements app.Store on a SQLite file.
type Store struct {
	path   string
	writer *sql.DB // exactly one connection: SQLite has one writer at a time
	// wconn is that connection, held from Open to Close, and wsem lets one user at a time
	// write through it. Transactions are BEGIN/COMMIT statements on it rather than *sql.Tx:
	// database/sql starts a goroutine for every row set read in a *sql.Tx (to watch the
	// transaction's context), which was a third of a point lookup's cost in intake.
	wconn   *sql.Conn
	wsem    chan struct{}
	reader  *sql.DB
	clock   app.Clock
	queries // reads outside a transaction, on the read pool
	// prepared holds every query prepared once on the writer connection (wconn). Parsing a
	// statement costs more than running it on this schema (its triggers and FTS tables are
	// compiled into every INSERT), a third of intake's CPU before.
	prepared *sqlcgen.Queries
	readQ    *sqlcgen.Queries
}

// Option changes how Open sets up the store.
type Option func(*Store)

// WithClock sets the clock used for created_at/updated_at and registry years.
func WithClock(c app.Clock) Option { return func(s *Store) { s.clock = c } }

func dsn(path string, readOnly bool) string {
	v := url.Values{}
	v.Add("_pragma", "foreign_keys(1)")
	v.Add("_pragma", "busy_timeout(10000)")
	v.Add("_pragma", "journal_mode(WAL)")
	v.Add("_pragma", "synchronous(NORMAL)")
	// Statement journals in memory: a multi-statement transaction otherwise writes each
	// statement's undo pages to a temporary file.
	v.Add("_pragma", "temp_store(MEMORY)")
	if readOnly {
		v.Add("_pragma", "query_only(1)")
	} else {
		v.Set("_txlock", "immediate")
		// Checkpoint the WAL every 10,000 pages (40 MB) instead of 1,000: the pages every
		// transaction touches (counters, index tails, the FTS state) are copied into the
		// database once per checkpoint, so fewer checkpoints write less. Intake +6 %.
		v.Add("_pragma", "wal_autocheckpoint(10000)")
	}
	return "file:" + path + "?" + v.Encode()
}

// Open opens (creating if needed) the database at path and brings its schema up to date.
// A database whose schema is newer than this program knows is refused unchanged.
func Open(ctx context.Context, path string, opts ...Option) (_ *Store, err error) {
	if dir := filepath.Dir(path); dir != "" {
		if st, err := os.Stat(dir); err != nil {
			return nil, fmt.Errorf("open database: data directory %s: %w", dir, err)
		} else if !st.IsDir() {
			return nil, fmt.Errorf("open database: %s is not a directory", dir)
		}
	}
	s := &Store{path: path, clock: app.SystemClock}
	for _, o := range opts {
		o(s)
	}
	if err := s.checkSchemaVersion(ctx); err != nil {
		return nil, err
	}
	defer func() {
		if err != nil {
			s.Close() // what was opened so far
		}
	}()
	if s.writer, err = sql.Open("sqlite", dsn(path, false)); err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	s.writer.SetMaxOpenConns(1)
	s.writer.SetMaxIdleConns(1)
	s.writer.SetConnMaxLifetime(0)
	s.writer.SetConnMaxIdleTime(0)
	if err := s.writer.PingContext(ctx); err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	s.wsem = make(chan struct{}, 1)
	if s.wconn, err = s.writer.Conn(ctx); err != nil {
		return nil, fmt.Errorf("open database %s: %w", path, err)
	}
	if err := s.migrate(ctx); err != nil {
		return nil, err
	}
	if s.reader, err = sql.Open("sqlite", dsn(path, true)); err != nil {
		return nil, fmt.Errorf("open database %s for reading: %w", path, err)
	}
	s.reader.SetMaxOpenConns(4)
	if s.prepared, err = sqlcgen.Prepare(ctx, s.wconn); err != nil {
		return nil, fmt.Errorf("open database %s: prepare queries: %w", path, err)
	}
	if s.readQ, err = sqlcgen.Prepare(ctx, s.reader); err != nil {
		return nil, fmt.Errorf("open database %s: prepare queries: %w", path, err)
	}
	s.queries = queries{q: s.readQ, db: s.reader}
	return s, nil
}

// Close closes both connection pools (and, after a failed Open, whatever it had opened).
func (s *Store) Close() error {
	if s.readQ != nil {
		s.readQ.Close()
	}
	if s.prepared != nil {
		s.prepared.Close()
	}
	var errs []error
	if s.wconn != nil {
		errs = append(errs, s.wconn.Close())
	}
	if s.reader != nil {
		errs = append(errs, s.reader.Close())
	}
	if s.writer != nil {
		errs = append(errs, s.writer.Close())
	}
	return errors.Join(errs...)
}

// Path is the database file.
func (s *Store) Path() string { return s.path }

type migration struct {
	version int
	name    string
	sql     string
}

func migrations() ([]migration, error) {
	entries, err := fs.ReadDir(migrationFiles, "migrations")
	if err != nil {
		return nil, err
	}
	var ms []migration
	for _, e := range entries {
		name := e.Name()
		num, _, ok := strings.Cut(name, "_")
		v, err := strconv.Atoi(num)
		if !ok || err != nil {
			return nil, fmt.Errorf("migration file %s: name must start with a number and an underscore", name)
		}
		body, err := migrationFiles.ReadFile("migrations/" + name)
		if err != nil {
			return nil, err
		}
		ms = append(ms, migration{version: v, name: name, sql: string(body)})
	}
	sort.Slice(ms, func(i, j int) bool { return ms[i].version < ms[j].version })
	for i, m := range ms {
		if m.version != i+1 {
			return nil, fmt.Errorf("migration %s: versions must be 1, 2, 3… without gaps", m.name)
		}
	}
	return ms, nil
}

// SchemaVersion is the newest migration this program carries.
func SchemaVersion() int {
	ms, err := migrations()
	if err != nil || len(ms) == 0 {
		return 0
	}
	return ms[len(ms)-1].version
}

// checkSchemaVersion refuses, before anything is written, a file from a newer program. It
// opens the file read-only so that a refused database is left exactly as it was.
func (s *Store) checkSchemaVersion(ctx context.Context) error {
	if _, err := os.Stat(s.path); errors.Is(err, os.ErrNotExist) {
		return nil
	}
	ro, err := sql.Open("sqlite", "file:"+s.path+"?mode=ro&_pragma=busy_timeout(10000)")
	if err != nil {
		return fmt.Errorf("open database %s: %w", s.path, err)
	}
	defer ro.Close()
	var v int
	if err := ro.QueryRowContext(ctx, "PRAGMA user_version").Scan(&v); err != nil {
		return fmt.Errorf("open database %s: not a readable SQLite database: %w", s.path, err)
	}
	if want := SchemaVersion(); v > want {
		return fmt.Errorf("open database %s: schema version %d, this program knows up to %d; use a newer Ventanilla: %w", s.path, v, want, ErrNewerSchema)
	}
	return nil
}

// migrate applies, each in its own transaction, the migrations the file lacks. The version is
// kept both in schema_migrations (when and what) and in PRAGMA user_version (cheap to check).
func (s *Store) migrate(ctx context.Context) error {
	ms, err := migrations()
	if err != nil {
		return err
	}
	if _, err := s.wconn.ExecContext(ctx, `CREATE TABLE IF NOT EXISTS schema_migrations (
		version INTEGER PRIMARY KEY, name TEXT NOT NULL, applied_at TEXT NOT NULL) STRICT`); err != nil {
		return fmt.Errorf("migrate: %w", err)
	}
	var current int
	if err := s.wconn.QueryRowContext(ctx, "SELECT IFNULL(MAX(version), 0) FROM schema_migrations").Scan(&current); err != nil {
		return fmt.Errorf("migrate: read version: %w", err)
	}
	if current > len(ms) {
		return fmt.Errorf("migrate %s: schema version %d, this program knows up to %d: %w", s.path, current, len(ms), ErrNewerSchema)
	}
	for _, m := range ms[current:] {
		err := s.writerTx(ctx, func() error {
			if _, err := s.wconn.ExecContext(ctx, m.sql); err != nil {
				return err
			}
			if _, err := s.wconn.ExecContext(ctx, "INSERT INTO schema_migrations (version, name, applied_at) VALUES (?, ?, ?)",
				m.version, m.name, formatTime(s.clock())); err != nil {
				return err
			}
			_, err := s.wconn.ExecContext(ctx, fmt.Sprintf("PRAGMA user_version = %d", m.version))
			return err
		})
		if err != nil {
			return fmt.Errorf("migrate: apply %s: %w", m.name, err)
		}
	}
	return nil
}

// lockWriter waits for the writer connection (or ctx); unlockWriter gives it back.
func (s *Store) lockWriter(ctx context.Context) error {
	select {
	case s.wsem <- struct{}{}:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

func (s *Store) unlockWriter() { <-s.wsem }

// writerTx runs fn between BEGIN IMMEDIATE and COMMIT on the writer connection, which the
// caller holds (lockWriter, or Open before anyone else has the store). fn's error, a panic or a failed COMMIT rolls everything back.
func (s *Store) writerTx(ctx context.Context, fn func() error) (err error) {
	if _, err := s.wconn.ExecContext(ctx, "BEGIN IMMEDIATE"); err != nil {
		return fmt.Errorf("begin: %w", err)
	}
	committed := false
	defer func() {
		if !committed {
			// Whatever the caller's context says, the transaction must end here.
			if _, rerr := s.wconn.ExecContext(context.WithoutCancel(ctx), "ROLLBACK"); rerr != nil && err != nil {
				err = errors.Join(err, fmt.Errorf("rollback: %w", rerr))
			}
		}
	}()
	if err := fn(); err != nil {
		return err
	}
	if _, err := s.wconn.ExecContext(context.WithoutCancel(ctx), "COMMIT"); err != nil {
		return fmt.Errorf("commit: %w", err)
	}
	committed = true
	return nil
}

// InTx runs fn in a transaction on the writer connection; fn's error rolls everything back.
func (s *Store) InTx(ctx context.Context, fn func(tx app.Tx) error) error {
	if err := s.lockWriter(ctx); err != nil {
		return err
	}
	defer s.unlockWriter()
	return s.writerTx(ctx, func() error {
		t := &txStore{queries: queries{q: s.prepared, db: s.wconn}, clock: s.clock}
		if err := fn(t); err != nil {
			return err
		}
		return t.beforeCommit(ctx)
	})
}

// Backup writes a consistent copy of the database to path while the program runs, without
// the settings named in omitSettings (secrets that must not travel with a copy of the
// register): they are deleted from the copy with secure_delete and the copy is vacuumed, so
// their bytes are not left in free pages. A copy that could not be cleaned is removed.
func (s *Store) Backup(ctx context.Context, path string, omitSettings []string) error {
	if _, err := os.Stat(path); err == nil {
		return fmt.Errorf("backup: %s already exists", path)
	}
	if err := s.lockWriter(ctx); err != nil {
		return err
	}
	err := func() error {
		defer s.unlockWriter()
		_, err := s.wconn.ExecContext(ctx, "VACUUM INTO ?", path)
		return err
	}()
	if err != nil {
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	if len(omitSettings) == 0 {
		return nil
	}
	if err := omitFromCopy(ctx, path, omitSettings); err != nil {
		os.Remove(path)
		os.Remove(path + "-wal")
		os.Remove(path + "-shm")
		return fmt.Errorf("backup to %s: %w", path, err)
	}
	return nil
}

// omitFromCopy deletes the settings keys from the database copy at path and vacuums it.
func omitFromCopy(ctx context.Context, path string, keys []string) error {
	js, err := json.Marshal(keys)
	if err != nil {
		return err
	}
	d, err := sql.Open("sqlite", "file:"+path+"?_pragma=secure_delete(1)&_pragma=busy_timeout(5000)")
	if err != nil {
		return err
	}
	defer d.Close()
	d.SetMaxOpenConns(1)
	if _, err := d.ExecContext(ctx, "DELETE FROM settings WHERE key IN (SELECT value FROM json_each(?))", string(js)); err != nil {
		return fmt.Errorf("leave settings out of the copy: %w", err)
	}
	if _, err := d.ExecContext(ctx, "VACUUM"); err != nil {
		return fmt.Errorf("leave settings out of the copy: %w", err)
	}
	return d.Close()
}

// timeLayout keeps a fixed width so that text order is time order.
const timeLayout = "2006-01-02T15:04:05.000000000Z"

func formatTime(t time.Time) string { return t.UTC().Format(timeLayout) }

func parseTime(s string) time.Time {
	if s == "" {
		return time.Time{}
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return time.Time{}
	}
	return t.UTC()
}

func nullTime(t time.Time) sql.NullString {
	if t.IsZero() {
		return sql.NullString{}
	}
	return sql.NullString{String: formatTime(t), Valid: true}
}

func fromNullTime(n sql.NullString) time.Time {
	if !n.Valid {
		return time.Time{}
	}
	return parseTime(n.String)
}

func nullStr(s string) sql.NullString { return sql.NullString{String: s, Valid: s != ""} }

func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// notFound turns sql.ErrNoRows into app.ErrNotFound, wrapping once with what was asked.
func notFound(err error, what string) error {
	if errors.Is(err, sql.ErrNoRows) {
		return fmt.Errorf("%s: %w", what, app.ErrNotFound)
	}
	return fmt.Errorf("%s: %w", what, err)
}

// isUnique reports whether err is a SQLite UNIQUE or PRIMARY KEY constraint failure.
func isUnique(err error) bool {
	return err != nil && (strings.Contains(err.Error(), "UNIQUE constraint failed") ||
		strings.Contains(err.Error(), "constraint failed: UNIQUE"))
}
