package db_test

import (
	"bytes"
	"context"
	"database/sql"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"sync"
	"testing"
	"time"

	"ventanilla/app"
	"ventanilla/db"
)

func openTest(t *testing.T, opts ...db.Option) *db.Store {
	t.Helper()
	s, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "ventanilla.db"), opts...)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	return s
}

func newCase(ctx context.Context, s *db.Store, c app.Case) (app.Case, error) {
	err := s.InTx(ctx, func(tx app.Tx) error { return tx.CreateCase(ctx, &c) })
	return c, err
}

func TestCaseRoundTrip(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	opened := time.Date(2026, 3, 4, 10, 11, 12, 123456789, time.UTC)
	due := opened.Add(72 * time.Hour)
	c, err := newCase(ctx, s, app.Case{
		Kind: app.KindIncident, Channel: app.ChannelMention, Title: "Farola fundida", Body: "Calle Ficticia 0",
		OpenedAt: opened, DueAt: due, FlagUnverified: true, Unread: true, ConversationID: "c1",
	})
	if err != nil {
		t.Fatal(err)
	}
	got, err := s.GetCase(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got.Number.String() != "E-2026-000001" {
		t.Errorf("number: got %s, want E-2026-000001", got.Number)
	}
	if !got.OpenedAt.Equal(opened) || !got.DueAt.Equal(due) {
		t.Errorf("times: got %v/%v, want %v/%v", got.OpenedAt, got.DueAt, opened, due)
	}
	if got.Kind != app.KindIncident || got.Status != app.StatusReceived || !got.FlagUnverified || got.Title != "Farola fundida" || got.Version != 1 {
		t.Errorf("got %+v", got)
	}
	byNum, err := s.GetCaseByNumber(ctx, got.Number)
	if err != nil || byNum.ID != c.ID {
		t.Errorf("by number: got %v %v", byNum.ID, err)
	}
	if _, err := s.GetCase(ctx, "nope"); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("missing case: got %v, want ErrNotFound", err)
	}

	// Optimistic concurrency: an edit on a stale version is refused.
	stale := got
	err = s.InTx(ctx, func(tx app.Tx) error {
		got.Status = app.StatusInProgress
		return tx.UpdateCase(ctx, &got)
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.InTx(ctx, func(tx app.Tx) error {
		stale.Priority = app.PriorityHigh
		return tx.UpdateCase(ctx, &stale)
	})
	if !errors.Is(err, app.ErrConflict) {
		t.Errorf("stale update: got %v, want ErrConflict", err)
	}
}

func TestMigrationsTwiceChangeNothing(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v.db")
	s, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := newCase(ctx, s, app.Case{Kind: app.KindQuery, Channel: app.ChannelDM}); err != nil {
		t.Fatal(err)
	}
	s.Close()
	before := schemaDump(t, path)
	s, err = db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	after := schemaDump(t, path)
	if before != after {
		t.Errorf("second open changed the database:\nbefore %s\nafter  %s", before, after)
	}
}

func schemaDump(t *testing.T, path string) string {
	t.Helper()
	d, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer d.Close()
	var out string
	rows, err := d.Query("SELECT type || ' ' || name || ' ' || IFNULL(sql, '') FROM sqlite_master ORDER BY name")
	if err != nil {
		t.Fatal(err)
	}
	for rows.Next() {
		var s string
		rows.Scan(&s)
		out += s + "\n"
	}
	var n, v, c int
	d.QueryRow("SELECT COUNT(*) FROM schema_migrations").Scan(&n)
	d.QueryRow("PRAGMA user_version").Scan(&v)
	d.QueryRow("SELECT COUNT(*) FROM cases").Scan(&c)
	return out + fmt.Sprintf("migrations=%d user_version=%d cases=%d", n, v, c)
}

func TestNewerSchemaRefusedUnchanged(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "v.db")
	s, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	s.Close()
	d, _ := sql.Open("sqlite", "file:"+path)
	if _, err := d.Exec(fmt.Sprintf("PRAGMA user_version = %d", db.SchemaVersion()+1)); err != nil {
		t.Fatal(err)
	}
	d.Close()
	before := schemaDump(t, path)
	if _, err := db.Open(ctx, path); !errors.Is(err, db.ErrNewerSchema) {
		t.Fatalf("got %v, want ErrNewerSchema", err)
	}
	if after := schemaDump(t, path); after != before {
		t.Errorf("a refused open changed the file")
	}
}

func TestRegistryNumbersConcurrentGapless(t *testing.T) {
	ctx := context.Background()
	s := openTest(t, db.WithClock(func() time.Time { return time.Date(2026, 6, 1, 12, 0, 0, 0, time.UTC) }))
	var wg sync.WaitGroup
	var mu sync.Mutex
	var numbers []app.RegistryNumber
	errs := make(chan error, 8)
	for g := 0; g < 8; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 200; i++ {
				c, err := newCase(ctx, s, app.Case{Kind: app.KindQuery, Channel: app.ChannelDM})
				if err != nil {
					errs <- err
					return
				}
				mu.Lock()
				numbers = append(numbers, c.Number)
				mu.Unlock()
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Fatal(err)
	}
	if len(numbers) != 1600 {
		t.Fatalf("got %d numbers, want 1600", len(numbers))
	}
	sort.Slice(numbers, func(i, j int) bool { return numbers[i].Seq < numbers[j].Seq })
	for i, n := range numbers {
		if n.Year != 2026 || n.Seq != i+1 {
			t.Fatalf("number %d: got %s, want E-2026-%06d", i, n, i+1)
		}
	}
}

func TestRegistryYearRollover(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	// 22:59:59 UTC on 31 December is already 1 January in Madrid (UTC+1 in winter).
	times := []struct {
		at   time.Time
		want string
	}{
		{time.Date(2025, 12, 31, 10, 0, 0, 0, time.UTC), "E-2025-000001"},
		{time.Date(2025, 12, 31, 22, 59, 58, 0, time.UTC), "E-2025-000002"},
		{time.Date(2025, 12, 31, 23, 0, 0, 0, time.UTC), "E-2026-000001"},
		{time.Date(2026, 1, 2, 9, 0, 0, 0, time.UTC), "E-2026-000002"},
	}
	for _, tc := range times {
		c, err := newCase(ctx, s, app.Case{Kind: app.KindQuery, Channel: app.ChannelDM, OpenedAt: tc.at})
		if err != nil {
			t.Fatal(err)
		}
		if c.Number.String() != tc.want {
			t.Errorf("opened %v: got %s, want %s", tc.at, c.Number, tc.want)
		}
	}
}

func TestRolledBackCaseDoesNotConsumeNumberTwice(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	boom := errors.New("boom")
	err := s.InTx(ctx, func(tx app.Tx) error {
		c := app.Case{Kind: app.KindQuery, Channel: app.ChannelDM, OpenedAt: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)}
		if err := tx.CreateCase(ctx, &c); err != nil {
			return err
		}
		return boom
	})
	if !errors.Is(err, boom) {
		t.Fatal(err)
	}
	c, err := newCase(ctx, s, app.Case{Kind: app.KindQuery, Channel: app.ChannelDM, OpenedAt: time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	if c.Number.String() != "E-2026-000001" {
		t.Errorf("got %s, want E-2026-000001 (the rolled-back case never existed)", c.Number)
	}
}

func TestDuplicateInboundMessageStoredOnce(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	insert := func(text string) (bool, error) {
		var ok bool
		err := s.InTx(ctx, func(tx app.Tx) error {
			var err error
			ok, err = tx.InsertInboundMessage(ctx, &app.InboundMessage{
				Network: "x", MessageID: "1001", Channel: app.ChannelMention, AuthorUserID: "42",
				Text: text, PostedAt: time.Now(), Raw: `{}`,
			})
			return err
		})
		return ok, err
	}
	if ok, err := insert("primero"); err != nil || !ok {
		t.Fatalf("first insert: got %v %v, want true nil", ok, err)
	}
	if ok, err := insert("segundo"); err != nil || ok {
		t.Fatalf("second insert: got %v %v, want false nil", ok, err)
	}
	m, err := s.GetInboundMessage(ctx, "x", "1001")
	if err != nil || m.Text != "primero" {
		t.Errorf("got %q %v, want the first text kept", m.Text, err)
	}
	st, _ := s.Status(ctx)
	if st.Messages.Total != 1 {
		t.Errorf("messages: got %d, want 1", st.Messages.Total)
	}
}

func TestFullTextIgnoresAccents(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	c, err := newCase(ctx, s, app.Case{Kind: app.KindProcedure, Channel: app.ChannelDM, Title: "Solicitud", Body: "Quiero hacer un trámite de empadronamiento"})
	if err != nil {
		t.Fatal(err)
	}
	other, _ := newCase(ctx, s, app.Case{Kind: app.KindQuery, Channel: app.ChannelDM, Body: "Horario de la piscina"})
	// A case found through the text of one of its inbound messages.
	err = s.InTx(ctx, func(tx app.Tx) error {
		_, err := tx.InsertInboundMessage(ctx, &app.InboundMessage{MessageID: "7", Channel: app.ChannelDM, AuthorUserID: "1",
			Text: "¿Cuándo abrís la PISCINA climatizada?", PostedAt: time.Now(), Raw: "{}", CaseID: other.ID, Disposition: app.DispositionNewCase})
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		q    string
		want []string
	}{
		{"tramite", []string{c.ID}},
		{"TRÁMITE", []string{c.ID}},
		{"empadron", []string{c.ID}},
		{"climatizada", []string{other.ID}},
		{"cuando", []string{other.ID}},
		{"nada-que-ver", nil},
		{`"; DROP TABLE cases; --`, nil},
	} {
		got, err := s.SearchCases(ctx, tc.q, 10)
		if err != nil {
			t.Fatalf("%q: %v", tc.q, err)
		}
		var ids []string
		for _, g := range got {
			ids = append(ids, g.ID)
		}
		if fmt.Sprint(ids) != fmt.Sprint(tc.want) {
			t.Errorf("search %q: got %v, want %v", tc.q, ids, tc.want)
		}
	}
}

func TestResidentDocumentUniqueAndValidated(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	create := func(name, doc string) error {
		return s.InTx(ctx, func(tx app.Tx) error {
			return tx.CreateResident(ctx, &app.Resident{FullName: name, Document: doc}, "")
		})
	}
	if err := create("Prueba Uno", "00000000T"); err != nil {
		t.Fatal(err)
	}
	if err := create("Prueba Dos", "00000000-t"); !errors.Is(err, app.ErrConflict) {
		t.Errorf("same document: got %v, want ErrConflict", err)
	}
	if err := create("Prueba Tres", "00000000A"); !app.IsInvalid(err) {
		t.Errorf("bad letter: got %v, want invalid", err)
	}
	st, _ := s.Status(ctx)
	if st.Residents.Total != 1 {
		t.Errorf("residents: got %d, want 1", st.Residents.Total)
	}
	r, err := s.GetResidentByDocument(ctx, "00000000T")
	if err != nil || r.FullName != "Prueba Uno" {
		t.Errorf("got %+v %v", r, err)
	}
}

func TestOutboxAndStatus(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	c, _ := newCase(ctx, s, app.Case{Kind: app.KindIncident, Channel: app.ChannelMention})
	var items []app.OutboxItem
	err := s.InTx(ctx, func(tx app.Tx) error {
		for i := 0; i < 3; i++ {
			o := app.OutboxItem{CaseID: c.ID, Kind: app.OutboxReply, InReplyToID: "99", Text: fmt.Sprintf("Recibido %s (%d)", c.Number, i)}
			if err := tx.EnqueueOutbox(ctx, &o); err != nil {
				return err
			}
			items = append(items, o)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// A DM without a recipient breaks a CHECK constraint and changes nothing.
	err = s.InTx(ctx, func(tx app.Tx) error {
		return tx.EnqueueOutbox(ctx, &app.OutboxItem{CaseID: c.ID, Kind: app.OutboxDM, Text: "hola"})
	})
	if err == nil {
		t.Error("a DM without recipient was accepted")
	}
	items[0].Status, items[0].NetworkID = app.OutboxSent, "555"
	items[1].Status, items[1].LastError = app.OutboxFailed, "403 reply not allowed"
	s.InTx(ctx, func(tx app.Tx) error {
		tx.UpdateOutbox(ctx, &items[0])
		return tx.UpdateOutbox(ctx, &items[1])
	})
	st, err := s.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Outbox.Pending != 1 || st.Outbox.Sent != 1 || st.Outbox.Failed != 1 || st.Cases.ByKind[app.KindIncident] != 1 || st.Cases.Total != 1 {
		t.Errorf("status: got %+v", st)
	}
	pending, _ := s.ListOutbox(ctx, app.OutboxPending, 10)
	if len(pending) != 1 || pending[0].ID != items[2].ID || pending[0].Seq <= items[1].Seq {
		t.Errorf("pending: got %+v", pending)
	}
	byMsg, err := s.FindCaseByMessage(ctx, "x", "555")
	if err != nil || byMsg.ID != c.ID {
		t.Errorf("case of sent message: got %v %v", byMsg.ID, err)
	}
}

func TestAuditChainDetectsTampering(t *testing.T) {
	ctx := context.Background()
	path := filepath.Join(t.TempDir(), "a.db")
	s, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	for i := 0; i < 5; i++ {
		err := s.InTx(ctx, func(tx app.Tx) error {
			return tx.AppendAudit(ctx, &app.AuditEntry{Actor: "staff-1", Action: "case.note", Target: fmt.Sprint("case-", i)})
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if n, err := app.CheckAudit(ctx, s); err != nil || n != 5 {
		t.Fatalf("intact chain: got %d %v", n, err)
	}
	// The program refuses edits outright.
	raw, _ := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	defer raw.Close()
	if _, err := raw.Exec("UPDATE audit_log SET actor = 'x' WHERE seq = 2"); err == nil {
		t.Fatal("audit_log accepted an UPDATE")
	}
	// Someone with the file drops the guard and edits a row, then deletes one.
	tamper := func(stmts ...string) {
		for _, q := range stmts {
			if _, err := raw.Exec(q); err != nil {
				t.Fatal(q, err)
			}
		}
	}
	tamper("DROP TRIGGER audit_log_no_update", "DROP TRIGGER audit_log_no_delete", "UPDATE audit_log SET target = 'case-9' WHERE seq = 3")
	if _, err := app.CheckAudit(ctx, s); err == nil {
		t.Error("edited row not detected")
	}
	tamper("UPDATE audit_log SET target = 'case-2' WHERE seq = 3", "DELETE FROM audit_log WHERE seq = 4")
	if _, err := app.CheckAudit(ctx, s); err == nil {
		t.Error("deleted middle row not detected")
	}
	tamper("DELETE FROM audit_log WHERE seq = 5")
	if _, err := app.CheckAudit(ctx, s); err == nil {
		t.Error("deleted last rows not detected")
	}
}

func TestSearchFollowsEditsInAndAfterTheTransaction(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	var c app.Case
	// Created and edited in one transaction: indexed with its final text.
	err := s.InTx(ctx, func(tx app.Tx) error {
		c = app.Case{Kind: app.KindQuery, Channel: app.ChannelDesk, Title: "borrador", Body: "texto provisional"}
		if err := tx.CreateCase(ctx, &c); err != nil {
			return err
		}
		c.Title, c.Body = "Solicitud de vado", "Quiero un vado para la cochera"
		return tx.UpdateCase(ctx, &c)
	})
	if err != nil {
		t.Fatal(err)
	}
	search := func(q string) int {
		got, err := s.SearchCases(ctx, q, 10)
		if err != nil {
			t.Fatal(err)
		}
		return len(got)
	}
	if search("cochera") != 1 || search("provisional") != 0 {
		t.Errorf("after create+edit: cochera %d, provisional %d; want 1, 0", search("cochera"), search("provisional"))
	}
	// Edited in a later transaction: the old words go, the new ones come.
	err = s.InTx(ctx, func(tx app.Tx) error {
		c.Body = "Quiero un vado para el garaje"
		return tx.UpdateCase(ctx, &c)
	})
	if err != nil {
		t.Fatal(err)
	}
	if search("garaje") != 1 || search("cochera") != 0 {
		t.Errorf("after a later edit: garaje %d, cochera %d; want 1, 0", search("garaje"), search("cochera"))
	}
	// A rolled-back insert leaves nothing in the index.
	s.InTx(ctx, func(tx app.Tx) error {
		x := app.Case{Kind: app.KindQuery, Channel: app.ChannelDesk, Body: "fantasma"}
		tx.CreateCase(ctx, &x)
		return errors.New("abort")
	})
	if search("fantasma") != 0 {
		t.Error("a rolled-back case is searchable")
	}
	// The index agrees with its content table.
	checkFTSIntegrity(t, s.Path())
}

// checkFTSIntegrity runs FTS5's integrity-check on both full-text indexes of the database at
// path, on a connection of its own.
func checkFTSIntegrity(t *testing.T, path string) {
	t.Helper()
	raw, err := sql.Open("sqlite", "file:"+path+"?_pragma=busy_timeout(5000)")
	if err != nil {
		t.Fatal(err)
	}
	defer raw.Close()
	for _, fts := range []string{"cases_fts", "messages_fts"} {
		if _, err := raw.Exec(fmt.Sprintf("INSERT INTO %s(%s) VALUES('integrity-check')", fts, fts)); err != nil {
			t.Errorf("%s integrity: %v", fts, err)
		}
	}
}

// TestPrefetchedIdentities: identities read ahead for a page are what GetIdentityByUserID
// would read, and an identity the transaction changes is read again, not answered stale.
func TestPrefetchedIdentities(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	err := s.InTx(ctx, func(tx app.Tx) error {
		for i := range 3 {
			id := app.Identity{Network: "x", UserID: fmt.Sprint(900 + i), Handle: fmt.Sprintf("vecino_ficticio_%d", i), Level: app.LevelLinked}
			if err := tx.CreateIdentity(ctx, &id); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	err = s.InTx(ctx, func(tx app.Tx) error {
		if err := tx.PrefetchIdentities(ctx, "x", []string{"900", "901", "999"}); err != nil {
			return err
		}
		for _, uid := range []string{"900", "901", "902"} {
			got, err := tx.GetIdentityByUserID(ctx, "x", uid)
			if err != nil {
				return err
			}
			want, err := s.GetIdentityByUserID(ctx, "x", uid)
			if err != nil {
				return err
			}
			if got != want {
				t.Errorf("user %s: prefetched %+v, stored %+v", uid, got, want)
			}
		}
		if _, err := tx.GetIdentityByUserID(ctx, "x", "999"); !errors.Is(err, app.ErrNotFound) {
			t.Errorf("an unknown user: %v, want not found", err)
		}
		// Created after the prefetch: found.
		n := app.Identity{Network: "x", UserID: "999", Handle: "vecino_ficticio_nuevo"}
		if err := tx.CreateIdentity(ctx, &n); err != nil {
			return err
		}
		if got, err := tx.GetIdentityByUserID(ctx, "x", "999"); err != nil || got.ID != n.ID {
			t.Errorf("created after the prefetch: %+v, %v", got, err)
		}
		// Changed after the prefetch: the change is read.
		id, err := tx.GetIdentityByUserID(ctx, "x", "900")
		if err != nil {
			return err
		}
		id.Handle, id.Level = "vecino_ficticio_renombrado", app.LevelVerified
		if err := tx.UpdateIdentity(ctx, &id); err != nil {
			return err
		}
		got, err := tx.GetIdentityByUserID(ctx, "x", "900")
		if err != nil || got.Handle != id.Handle || got.Level != app.LevelVerified {
			t.Errorf("after an update in the transaction: %+v, %v", got, err)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestBackupLeavesSettingsOut: a backup is a consistent copy of the register without the
// settings it is told to leave out, whose values are not left anywhere in the file.
func TestBackupLeavesSettingsOut(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	const secret = "TOKEN-FICTICIO-0123456789abcdef"
	err := s.InTx(ctx, func(tx app.Tx) error {
		if err := tx.PutSetting(ctx, "x.bearer_token", secret); err != nil {
			return err
		}
		if err := tx.PutSetting(ctx, "town.name", "Villaficticia"); err != nil {
			return err
		}
		c := app.Case{Kind: app.KindQuery, Channel: app.ChannelDesk, Title: "consulta de prueba"}
		return tx.CreateCase(ctx, &c)
	})
	if err != nil {
		t.Fatal(err)
	}
	dir := t.TempDir()
	backup := func(name string, omit []string) (*db.Store, []byte) {
		t.Helper()
		path := filepath.Join(dir, name)
		if err := s.Backup(ctx, path, omit); err != nil {
			t.Fatal(err)
		}
		raw, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		b, err := db.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { b.Close() })
		return b, raw
	}
	full, raw := backup("full.db", nil)
	if v, _ := full.GetSetting(ctx, "x.bearer_token"); v != secret || !bytes.Contains(raw, []byte(secret)) {
		t.Fatalf("a backup with nothing left out lacks the setting (%q): the test proves nothing", v)
	}
	b, raw := backup("without.db", []string{"x.bearer_token", "x.api_key"})
	if v, err := b.GetSetting(ctx, "x.bearer_token"); v != "" {
		t.Errorf("the left-out setting is in the backup: %q (%v)", v, err)
	}
	if bytes.Contains(raw, []byte(secret)) {
		t.Error("the left-out setting's value is still in the backup file's bytes")
	}
	if v, err := b.GetSetting(ctx, "town.name"); v != "Villaficticia" || err != nil {
		t.Errorf("another setting: %q, %v", v, err)
	}
	if st, err := b.Status(ctx); err != nil || st.Cases.Total != 1 {
		t.Errorf("the backup's cases: %+v, %v", st, err)
	}
	if err := s.Backup(ctx, filepath.Join(dir, "without.db"), nil); err == nil {
		t.Error("a backup over an existing file was written")
	}
}
