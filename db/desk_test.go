package db_test

import (
	"context"
	"database/sql"
	"errors"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"ventanilla/app"
	"ventanilla/app/desk"
	"ventanilla/db"
)

// seedInbox writes n cases, one a minute, alternating kinds, with an inbound message each.
func seedInbox(tb testing.TB, s *db.Store, n int) {
	tb.Helper()
	ctx := context.Background()
	start := time.Date(2026, 1, 5, 9, 0, 0, 0, time.UTC)
	words := []string{"farola", "bache", "ruido", "certificado", "licencia"}
	for done := 0; done < n; {
		err := s.InTx(ctx, func(tx app.Tx) error {
			for i := 0; i < 500 && done < n; i, done = i+1, done+1 {
				c := app.Case{Kind: app.CaseKinds[done%len(app.CaseKinds)], Channel: app.ChannelMention, Unread: done%3 == 0,
					Title: fmt.Sprintf("caso %d %s", done, words[done%len(words)]), OpenedAt: start.Add(time.Duration(done) * time.Minute)}
				if done%4 == 0 {
					c.DueAt = c.OpenedAt.Add(time.Hour)
				}
				if err := tx.CreateCase(ctx, &c); err != nil {
					return err
				}
				m := app.InboundMessage{MessageID: fmt.Sprint(done + 1), Channel: app.ChannelMention, AuthorUserID: "u",
					Text: "mensaje " + words[(done+1)%len(words)] + " tráfico", PostedAt: c.OpenedAt, Raw: "{}", CaseID: c.ID, Disposition: app.DispositionNewCase}
				if _, err := tx.InsertInboundMessage(ctx, &m); err != nil {
					return err
				}
			}
			return nil
		})
		if err != nil {
			tb.Fatal(err)
		}
	}
}

func TestInboxPagingAndFilters(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	seedInbox(t, s, 1000)
	now := time.Date(2026, 6, 1, 0, 0, 0, 0, time.UTC)
	q := desk.InboxQuery{Now: now}
	seen := map[string]bool{}
	var last time.Time
	for off := 0; ; off += 300 {
		rows, err := s.ListInbox(ctx, q, 300, off)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 {
			break
		}
		for _, r := range rows {
			if seen[r.CaseID] {
				t.Fatalf("case %s on two pages", r.Number)
			}
			if !last.IsZero() && r.OpenedAt.After(last) {
				t.Fatalf("%s is newer than the row before it", r.Number)
			}
			seen[r.CaseID], last = true, r.OpenedAt
		}
	}
	if len(seen) != 1000 {
		t.Fatalf("paged through %d cases, want 1000", len(seen))
	}
	tests := []struct {
		name string
		q    desk.InboxQuery
		want int
	}{
		{"all", q, 1000},
		{"police scope", desk.InboxQuery{Scope: desk.Scope{OnlyKind: app.KindIncident}, Now: now}, 200},
		{"police scope asking for procedures", desk.InboxQuery{Scope: desk.Scope{OnlyKind: app.KindIncident}, Filter: desk.Filter{Kind: app.KindProcedure}, Now: now}, 0},
		{"councillor scope", desk.InboxQuery{Scope: desk.Scope{CouncillorID: "nobody"}, Now: now}, 200},
		{"overdue", desk.InboxQuery{Filter: desk.Filter{Overdue: true}, Now: now}, 250},
		{"unread", desk.InboxQuery{Filter: desk.Filter{UnreadOnly: true}, Now: now}, 334},
		{"title word", desk.InboxQuery{Filter: desk.Filter{Search: "farola"}, Now: now}, 400}, // 200 titles + 200 messages
		{"message word, accents", desk.InboxQuery{Filter: desk.Filter{Search: "trafico"}, Now: now}, 1000},
		{"number", desk.InboxQuery{Filter: desk.Filter{Search: "E-2026-000007"}, Now: now}, 1},
	}
	for _, tt := range tests {
		n, err := s.CountInbox(ctx, tt.q)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		if n != tt.want {
			t.Errorf("%s: got %d, want %d", tt.name, n, tt.want)
		}
	}
	facets, err := s.InboxFacets(ctx, desk.Scope{}, now)
	if err != nil {
		t.Fatal(err)
	}
	total, overdue := 0, 0
	for _, f := range facets {
		total += f.N
		overdue += f.Overdue
	}
	if total != 1000 || overdue != 250 {
		t.Fatalf("facets: got total %d overdue %d, want 1000 and 250", total, overdue)
	}
}

func TestDeskWrites(t *testing.T) {
	ctx := context.Background()
	s := openTest(t)
	err := s.InTx(ctx, func(tx app.Tx) error {
		dt := tx.(desk.Tx)
		st := app.Staff{Username: "ana", FullName: "Ana", Role: app.RoleClerk, PasswordHash: "h", Active: true}
		if err := dt.CreateStaff(ctx, &st); err != nil {
			return err
		}
		st.Role, st.Active, st.PasswordHash = app.RolePolice, false, "h2"
		if err := dt.UpdateStaff(ctx, &st); err != nil {
			return err
		}
		for _, body := range []string{"uno", "dos"} {
			if err := dt.PutTemplate(ctx, &desk.Template{Key: "k", Lang: "es", Body: body}); err != nil {
				return err
			}
		}
		return dt.CreateDirectoryEntry(ctx, &desk.DirectoryEntry{Kind: "councillor", Name: "Carmen", StaffID: st.ID, Handle: "carmen", Official: true})
	})
	if err != nil {
		t.Fatal(err)
	}
	st, _ := s.GetStaffByUsername(ctx, "ana")
	if st.Role != app.RolePolice || st.Active || st.PasswordHash != "h2" {
		t.Fatalf("got %+v", st)
	}
	tpl, _ := s.ListTemplates(ctx, "es")
	if len(tpl) != 1 || tpl[0].Body != "dos" {
		t.Fatalf("templates: got %+v, want one with the last body", tpl)
	}
	dir, _ := s.ListDirectoryEntries(ctx)
	if len(dir) != 1 || !dir[0].Official || dir[0].StaffID != st.ID {
		t.Fatalf("directory: got %+v", dir)
	}
	if n, _ := s.CountStaff(ctx); n != 1 {
		t.Fatalf("count staff: got %d", n)
	}
}

// referenceInbox is the inbox's original single-statement query (before the two-step search),
// kept as the oracle: whatever the store does to be fast, it must select and order exactly
// these cases.
const referenceInbox = `
SELECT c.id FROM cases c
LEFT JOIN residents r ON r.id = c.resident_id
LEFT JOIN identities i ON i.id = c.identity_id
LEFT JOIN directory_entries de ON de.id = c.directory_entry_id
WHERE c.merged_into IS NULL
  AND (:only_kind IS NULL OR c.kind = :only_kind)
  AND (:councillor_id IS NULL OR c.kind = 'proposal'
       OR (c.kind = 'message' AND (c.assignee_id = :councillor_id OR de.staff_id = :councillor_id)))
  AND (:kind IS NULL OR c.kind = :kind)
  AND (:status IS NULL OR c.status = :status)
  AND (:open_only IS NULL OR c.status NOT IN ('resolved', 'rejected', 'debated'))
  AND (:department_id IS NULL OR c.department_id = :department_id)
  AND (:assignee_id IS NULL OR IFNULL(c.assignee_id, '') = :assignee_id)
  AND (:verified IS NULL OR (IFNULL(i.level, 'unknown') IN ('verified', 'verified_census')) = :verified)
  AND (:overdue_at IS NULL OR (c.due_at IS NOT NULL AND c.due_at < :overdue_at
       AND c.status NOT IN ('resolved', 'rejected', 'debated')))
  AND (:unread IS NULL OR c.unread = :unread)
  AND (:fts IS NULL
       OR c.rid IN (SELECT c2.rid FROM cases_fts f JOIN cases c2 ON c2.rid = f.rowid
                    WHERE f.cases_fts MATCH CAST(:fts AS TEXT))
       OR c.id IN (SELECT m.case_id FROM messages_fts mf JOIN inbound_messages m ON m.rid = mf.rowid
                   WHERE mf.text MATCH CAST(:fts AS TEXT))
       OR c.registry_number LIKE :number_like
       OR r.full_name LIKE :number_like
       OR i.handle LIKE :number_like)
ORDER BY c.opened_at DESC, c.rid DESC`

// referenceIDs runs referenceInbox for q on a connection of its own.
func referenceIDs(t *testing.T, conn *sql.DB, q desk.InboxQuery) []string {
	t.Helper()
	opt := func(v string) any {
		if v == "" {
			return nil
		}
		return v
	}
	args := []any{
		sql.Named("only_kind", opt(string(q.OnlyKind))), sql.Named("councillor_id", opt(q.CouncillorID)),
		sql.Named("kind", opt(string(q.Kind))), sql.Named("status", opt(string(q.Status))),
		sql.Named("department_id", opt(q.DepartmentID)), sql.Named("assignee_id", opt(q.AssigneeID)),
		sql.Named("open_only", nil), sql.Named("verified", nil), sql.Named("overdue_at", nil), sql.Named("unread", nil),
		sql.Named("fts", nil), sql.Named("number_like", nil),
	}
	set := func(name string, v any) {
		for i, a := range args {
			if a.(sql.NamedArg).Name == name {
				args[i] = sql.Named(name, v)
			}
		}
	}
	if q.AssigneeID == desk.Unassigned {
		set("assignee_id", "")
	}
	if q.OpenOnly {
		set("open_only", 1)
	}
	switch q.Verified {
	case desk.Yes:
		set("verified", 1)
	case desk.No:
		set("verified", 0)
	}
	if q.Overdue {
		set("overdue_at", q.Now.UTC().Format("2006-01-02T15:04:05.000000000Z"))
	}
	if q.UnreadOnly {
		set("unread", 1)
	}
	if s := strings.TrimSpace(q.Search); s != "" {
		if fq := db.FTSQuery(s); fq != "" {
			set("fts", fq)
		} else {
			set("fts", `""`)
		}
		like := strings.NewReplacer(`\`, ``, `%`, ``, `_`, ``).Replace(strings.TrimPrefix(s, "@"))
		set("number_like", "%"+like+"%")
	}
	return queryIDs(t, conn, referenceInbox, args...)
}

// queryIDs runs a query over the database that returns one id per row, in order.
func queryIDs(t *testing.T, conn *sql.DB, query string, args ...any) []string {
	t.Helper()
	rows, err := conn.Query(query, args...)
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var ids []string
	for rows.Next() {
		var id string
		if err := rows.Scan(&id); err != nil {
			t.Fatal(err)
		}
		ids = append(ids, id)
	}
	if err := rows.Err(); err != nil {
		t.Fatal(err)
	}
	return ids
}

// seedVariedInbox writes a register that exercises every filter and search source: residents
// and identities at every level, departments, staff and a councillor addressed through the
// directory, replies whose words the first message lacks, merged cases, and cases whose
// registry time is older than cases inserted before them (backdated, so rid order is not
// time order).
func seedVariedInbox(t *testing.T, s *db.Store) (councillor, clerk, dept string) {
	t.Helper()
	ctx := context.Background()
	start := time.Date(2025, 12, 20, 9, 0, 0, 0, time.UTC)
	names := []string{"José Fernández Ruiz", "María Pérez", "Rosa Jiménez Martín", "Ángel Núñez", "Fernanda Calle"}
	handles := []string{"pepefer", "mariap", "rosajm", "angel_n", "fercalle", "anon_1"}
	levels := []app.Level{app.LevelUnknown, app.LevelLinked, app.LevelVerified, app.LevelVerifiedCensus}
	words := []string{"farola", "bache", "ruido", "certificado", "licencia", "calle", "semáforo", "alcantarilla"}
	statuses := []app.CaseStatus{app.StatusReceived, app.StatusInProgress, app.StatusResolved, app.StatusRejected}
	err := s.InTx(ctx, func(tx app.Tx) error {
		dt := tx.(desk.Tx)
		d := app.Department{Code: "obras", Name: "Obras"}
		if err := tx.CreateDepartment(ctx, &d); err != nil {
			return err
		}
		dept = d.ID
		cs := app.Staff{Username: "concejala", FullName: "Carmen", Role: app.RoleCouncillor, PasswordHash: "h", Active: true}
		if err := tx.CreateStaff(ctx, &cs); err != nil {
			return err
		}
		cl := app.Staff{Username: "lucia", FullName: "Lucía", Role: app.RoleClerk, PasswordHash: "h", Active: true}
		if err := tx.CreateStaff(ctx, &cl); err != nil {
			return err
		}
		councillor, clerk = cs.ID, cl.ID
		de := desk.DirectoryEntry{Kind: "councillor", Name: "Carmen", StaffID: cs.ID, Handle: "carmen"}
		if err := dt.CreateDirectoryEntry(ctx, &de); err != nil {
			return err
		}
		var residents, identities []string
		for i, n := range names {
			r := app.Resident{FullName: n, Document: fmt.Sprintf("%08d%c", 1000+i, "TRWAGMYFPDXBNJZSQVHLCKE"[(1000+i)%23])}
			if err := tx.CreateResident(ctx, &r, ""); err != nil {
				return err
			}
			residents = append(residents, r.ID)
		}
		for i, h := range handles {
			id := app.Identity{Network: "x", UserID: fmt.Sprint(100 + i), Handle: h, Level: levels[i%len(levels)]}
			if i < len(residents) {
				id.ResidentID = residents[i]
			}
			if err := tx.CreateIdentity(ctx, &id); err != nil {
				return err
			}
			identities = append(identities, id.ID)
		}
		var prev string
		for n := 0; n < 400; n++ {
			c := app.Case{Kind: app.CaseKinds[n%len(app.CaseKinds)], Status: statuses[n%len(statuses)], Channel: app.ChannelMention,
				Unread: n%3 == 0, Title: fmt.Sprintf("aviso %s", words[n%len(words)]), Body: "sin más detalle",
				OpenedAt: start.Add(time.Duration(n) * time.Hour)}
			if n%11 == 0 {
				c.OpenedAt = start.Add(-time.Duration(n) * 24 * time.Hour) // backdated: older than its rid says
			}
			if n%4 == 0 {
				c.DueAt = c.OpenedAt.Add(48 * time.Hour)
			}
			if n%5 == 0 {
				c.DepartmentID = dept
			}
			switch n % 7 {
			case 1:
				c.AssigneeID = councillor
			case 2:
				c.AssigneeID = clerk
			}
			if n%6 == 0 {
				c.DirectoryEntryID = de.ID
			}
			if n%9 != 0 {
				c.IdentityID = identities[n%len(identities)]
				if k := n % len(identities); k < len(residents) {
					c.ResidentID = residents[k]
				}
			}
			if n%37 == 5 && prev != "" {
				c.MergedInto = prev
			}
			texts := []string{"Hola, " + words[(n+1)%len(words)] + " en la plaza"}
			if n%3 == 1 {
				texts = append(texts, "sigue igual", "ahora también hay un contenedor volcado y mucho tráfico")
			}
			if n%10 == 7 {
				texts = append(texts, "Señal roja en la Calle Real")
			}
			if n%2 == 0 {
				// As intake opens a case: its text is its first message's, found through it.
				c.Title, c.Body, c.TextInMessage = texts[0], texts[0], true
			}
			if err := tx.CreateCase(ctx, &c); err != nil {
				return err
			}
			prev = c.ID
			for k, text := range texts {
				m := app.InboundMessage{MessageID: fmt.Sprintf("%d-%d", n, k), Channel: app.ChannelMention, AuthorUserID: "u",
					Text: text, PostedAt: c.OpenedAt.Add(time.Duration(k) * time.Minute), Raw: "{}", CaseID: c.ID,
					Disposition: app.DispositionNewCase}
				if _, err := tx.InsertInboundMessage(ctx, &m); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	// Replies that arrive later (in later transactions) to older cases.
	rows, err := s.ListInbox(ctx, desk.InboxQuery{Now: start}, 500, 0)
	if err != nil {
		t.Fatal(err)
	}
	err = s.InTx(ctx, func(tx app.Tx) error {
		for i, r := range rows {
			if i%13 != 0 {
				continue
			}
			m := app.InboundMessage{MessageID: "late-" + r.CaseID, Channel: app.ChannelMention, AuthorUserID: "u",
				Text: "respuesta tardía: el columpio roto sigue así", PostedAt: start.AddDate(0, 2, 0), Raw: "{}", CaseID: r.CaseID,
				Disposition: app.DispositionJoinedCase}
			if _, err := tx.InsertInboundMessage(ctx, &m); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return councillor, clerk, dept
}

// openVariedInbox opens a new store with seedVariedInbox's register, and a read-only
// connection of its own for the reference queries; both close with the test.
func openVariedInbox(t *testing.T) (s *db.Store, conn *sql.DB, councillor, clerk, dept string) {
	t.Helper()
	dir := t.TempDir()
	s, err := db.Open(context.Background(), dir+"/v.db")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	councillor, clerk, dept = seedVariedInbox(t, s)
	conn, err = sql.Open("sqlite", "file:"+dir+"/v.db?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { conn.Close() })
	return s, conn, councillor, clerk, dept
}

// TestInboxMatchesReference checks every filter, alone and combined with searches and role
// scopes, page by page, against the original query.
func TestInboxMatchesReference(t *testing.T) {
	ctx := context.Background()
	s, conn, councillor, clerk, dept := openVariedInbox(t)
	now := time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC)
	first, err := s.ListInbox(ctx, desk.InboxQuery{Now: now}, 1, 0)
	if err != nil || len(first) != 1 {
		t.Fatalf("first row: %v", err)
	}
	scopes := map[string]desk.Scope{
		"clerk": {}, "police": {OnlyKind: app.KindIncident}, "councillor": {CouncillorID: councillor},
	}
	filters := map[string]desk.Filter{
		"none":              {},
		"kind":              {Kind: app.KindMessage},
		"status":            {Status: app.StatusInProgress},
		"open":              {OpenOnly: true},
		"department":        {DepartmentID: dept},
		"assignee":          {AssigneeID: clerk},
		"assigned to coun.": {AssigneeID: councillor},
		"unassigned":        {AssigneeID: desk.Unassigned},
		"verified":          {Verified: desk.Yes},
		"not verified":      {Verified: desk.No},
		"overdue":           {Overdue: true},
		"unread":            {UnreadOnly: true},
		"combined":          {OpenOnly: true, UnreadOnly: true, Verified: desk.No},
	}
	searches := []string{"", "farola", "FAROLA", "semaforo", "semáforo", "trafico", "contenedor volcado",
		"columpio roto", "calle", "calle real", "señal", "senal roj", "Fernández", "fernandez", "María", "@rosajm", "rosajm",
		"@fer", "Jiménez Martín", "FERNÁNDEZ", "fernÁndez", "ÁNGEL", "ángel", "Núñez", "ANGEL_N", "ez", "ro", first[0].Number, strings.ToLower(first[0].Number), "2025-000", "000007", "-", "¿?", "%", "_",
		"zzzz", "a", "e"}
	mustFind := map[string]bool{"semaforo": true, "contenedor volcado": true, "columpio roto": true, "calle real": true,
		"Fernández": true, "@rosajm": true, "@fer": true, first[0].Number: true, "2025-000": true}
	// 3: most searches are cut off, and either page from the hits (when the hits prove the page
	// exact) or walk the cases; 30: more pages come from the hits.
	limits := []int{1000, 3, 30}
	if raceDetector {
		// Sampled: one cap that exercises both the hit pages and the walk, and every third search.
		limits = []int{30}
		var sampled []string
		for i, q := range searches {
			if i%3 == 0 || mustFind[q] {
				sampled = append(sampled, q)
			}
		}
		searches = sampled
	}
	for _, limit := range limits {
		restore := db.SetSearchHitLimit(limit)
		checkInboxAgainstReference(t, s, conn, scopes, filters, searches, mustFind, now)
		restore()
	}
	// The counters behind the facets follow updates: read, status, assignment, merge.
	rows, _ := s.ListInbox(ctx, desk.InboxQuery{Now: now}, 40, 0)
	err = s.InTx(ctx, func(tx app.Tx) error {
		for i, r := range rows {
			c, err := tx.GetCase(ctx, r.CaseID)
			if err != nil {
				return err
			}
			switch i % 4 {
			case 0:
				c.Unread = !c.Unread
			case 1:
				c.Status = app.StatusResolved
			case 2:
				if c.AssigneeID == "" {
					c.AssigneeID = clerk
				} else {
					c.AssigneeID = ""
				}
			case 3:
				c.MergedInto = rows[0].CaseID
			}
			if err := tx.UpdateCase(ctx, &c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for name, scope := range scopes {
		got, err := s.InboxFacets(ctx, scope, now)
		if err != nil {
			t.Fatal(err)
		}
		if want := referenceFacets(t, conn, scope, now); !sameFacets(got, want) {
			t.Errorf("%s facets: got %+v, want %+v", name, got, want)
		}
	}
}

// referenceFacets runs the original InboxFacets query.
func referenceFacets(t *testing.T, conn *sql.DB, scope desk.Scope, now time.Time) []desk.Facet {
	t.Helper()
	opt := func(v string) any {
		if v == "" {
			return nil
		}
		return v
	}
	rows, err := conn.Query(`
SELECT c.kind, c.status, COUNT(*) AS n, SUM(c.unread),
       SUM(c.due_at IS NOT NULL AND c.due_at < :now AND c.status NOT IN ('resolved', 'rejected', 'debated')),
       SUM(c.assignee_id IS NULL)
FROM cases c
LEFT JOIN directory_entries de ON de.id = c.directory_entry_id
WHERE c.merged_into IS NULL
  AND (:only_kind IS NULL OR c.kind = :only_kind)
  AND (:councillor_id IS NULL OR c.kind = 'proposal'
       OR (c.kind = 'message' AND (c.assignee_id = :councillor_id OR de.staff_id = :councillor_id)))
GROUP BY c.kind, c.status`, sql.Named("now", now.UTC().Format("2006-01-02T15:04:05.000000000Z")),
		sql.Named("only_kind", opt(string(scope.OnlyKind))), sql.Named("councillor_id", opt(scope.CouncillorID)))
	if err != nil {
		t.Fatal(err)
	}
	defer rows.Close()
	var out []desk.Facet
	for rows.Next() {
		var f desk.Facet
		if err := rows.Scan(&f.Kind, &f.Status, &f.N, &f.Unread, &f.Overdue, &f.Unassigned); err != nil {
			t.Fatal(err)
		}
		out = append(out, f)
	}
	return out
}

func sameFacets(a, b []desk.Facet) bool {
	key := func(f desk.Facet) string { return string(f.Kind) + "/" + string(f.Status) }
	sortFacets := func(fs []desk.Facet) []desk.Facet {
		fs = slices.Clone(fs)
		slices.SortFunc(fs, func(x, y desk.Facet) int { return strings.Compare(key(x), key(y)) })
		return fs
	}
	return slices.Equal(sortFacets(a), sortFacets(b))
}

func checkInboxAgainstReference(t *testing.T, s *db.Store, conn *sql.DB, scopes map[string]desk.Scope,
	filters map[string]desk.Filter, searches []string, mustFind map[string]bool, now time.Time) {
	t.Helper()
	ctx := context.Background()
	for scopeName, scope := range scopes {
		for filterName, f := range filters {
			for _, search := range searches {
				f := f
				f.Search = search
				q := desk.InboxQuery{Scope: scope, Filter: f, Now: now}
				want := referenceIDs(t, conn, q)
				name := fmt.Sprintf("%s/%s/%q", scopeName, filterName, search)
				if scopeName == "clerk" && filterName == "none" && mustFind[search] && len(want) == 0 {
					t.Errorf("%s: the reference finds nothing; the test data lost what it exercises", name)
				}
				n, err := s.CountInbox(ctx, q)
				if err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				if n != len(want) {
					t.Errorf("%s: count %d, want %d", name, n, len(want))
				}
				for _, page := range [][2]int{{50, 0}, {7, 3}, {1000, 0}, {5, len(want) - 2}} {
					if page[1] < 0 {
						continue
					}
					rows, err := s.ListInbox(ctx, q, page[0], page[1])
					if err != nil {
						t.Fatalf("%s: %v", name, err)
					}
					got := make([]string, len(rows))
					for i, r := range rows {
						got[i] = r.CaseID
					}
					lo, hi := min(page[1], len(want)), min(page[1]+page[0], len(want))
					if !slices.Equal(got, want[lo:hi]) {
						t.Errorf("%s page %v: got %d cases %v, want %d %v", name, page, len(got), got, hi-lo, want[lo:hi])
					}
				}
			}
		}
	}
}

// The inbox order list (0004, 0009) holds exactly the cases with an older registry time than
// some case inserted before them, on a register with backdated cases.
func TestInboxOrderExceptions(t *testing.T) {
	ctx := context.Background()
	s, err := db.Open(ctx, t.TempDir()+"/v.db")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	seedVariedInbox(t, s)
	checkOrderExceptions(t, s, "seeded")
}

// TestNewCasesSettledAtCommit: the inbox's counters and order exceptions of new cases are
// written before the commit (0011), so a case changed, merged or backdated in the transaction
// that created it is counted as it commits, and a rolled-back transaction counts nothing.
func TestNewCasesSettledAtCommit(t *testing.T) {
	ctx := context.Background()
	s, conn, _, clerk, _ := openVariedInbox(t)
	now := time.Date(2026, 1, 3, 0, 0, 0, 0, time.UTC)
	check := func(step string) {
		t.Helper()
		got, err := s.InboxFacets(ctx, desk.Scope{}, now)
		if err != nil {
			t.Fatal(err)
		}
		if want := referenceFacets(t, conn, desk.Scope{}, now); !sameFacets(got, want) {
			t.Errorf("%s: facets %+v, want %+v", step, got, want)
		}
		checkOrderExceptions(t, s, step)
	}
	check("seeded")
	var created []app.Case
	err := s.InTx(ctx, func(tx app.Tx) error {
		for i := range 12 {
			c := app.Case{Kind: app.CaseKinds[i%len(app.CaseKinds)], Channel: app.ChannelDM, Unread: true,
				Title: "aviso de prueba", Body: "texto de prueba", OpenedAt: now.Add(time.Duration(i) * time.Minute)}
			if i%4 == 3 {
				c.OpenedAt = now.AddDate(0, -3, 0) // older than cases inserted before it
			}
			if err := tx.CreateCase(ctx, &c); err != nil {
				return err
			}
			created = append(created, c)
		}
		// Changed in the same transaction: status, read, assignment, merge.
		for i := range created {
			c := &created[i]
			switch i % 4 {
			case 0:
				c.Status = app.StatusInProgress
			case 1:
				c.Unread = false
			case 2:
				c.AssigneeID = clerk
			case 3:
				c.MergedInto = created[0].ID
			}
			if err := tx.UpdateCase(ctx, c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	check("created and changed in one transaction")
	err = s.InTx(ctx, func(tx app.Tx) error {
		for i := range created {
			c, err := tx.GetCase(ctx, created[i].ID)
			if err != nil {
				return err
			}
			c.Status, c.MergedInto = app.StatusResolved, ""
			if err := tx.UpdateCase(ctx, &c); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	check("changed in a later transaction")
	err = s.InTx(ctx, func(tx app.Tx) error {
		c := app.Case{Kind: app.KindIncident, Channel: app.ChannelDesk, Title: "deshecho", OpenedAt: now.AddDate(-1, 0, 0)}
		if err := tx.CreateCase(ctx, &c); err != nil {
			return err
		}
		return errors.New("abort")
	})
	if err == nil {
		t.Fatal("the transaction was not rolled back")
	}
	check("rolled back")
}

// checkOrderExceptions compares inbox_order_exceptions with the cases whose opening time is
// older than that of a case inserted before them.
func checkOrderExceptions(t *testing.T, s *db.Store, step string) {
	t.Helper()
	ctx := context.Background()
	const want = `SELECT rid FROM (SELECT rid, opened_at,
		MAX(opened_at) OVER (ORDER BY rid ROWS BETWEEN UNBOUNDED PRECEDING AND 1 PRECEDING) AS prev FROM cases)
		WHERE opened_at < prev`
	count := func(q string) int {
		t.Helper()
		n, err := s.BenchQuery(ctx, q)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	listed, expected := count(`SELECT rid FROM inbox_order_exceptions`), count(want)
	both := count(`SELECT rid FROM inbox_order_exceptions WHERE rid IN (` + want + `)`)
	if expected == 0 || listed != expected || both != expected {
		t.Errorf("%s: order exceptions listed %d, expected %d, in both %d", step, listed, expected, both)
	}
}

// TestCaseTextFoundThroughItsMessage: a case opened with its first message's text is not
// indexed a second time, and is found by every word of its title and body, through the
// inbox's search and SearchCases, until and after staff edit it.
func TestCaseTextFoundThroughItsMessage(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	s, err := db.Open(ctx, dir+"/v.db")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	text := "Hay una farola fundida en la calle Ficticia, junto al parque"
	var c app.Case
	err = s.InTx(ctx, func(tx app.Tx) error {
		c = app.Case{Kind: app.KindIncident, Channel: app.ChannelMention, Title: text, Body: text, TextInMessage: true, Unread: true}
		if err := tx.CreateCase(ctx, &c); err != nil {
			return err
		}
		m := app.InboundMessage{MessageID: "m-1", Channel: app.ChannelMention, AuthorUserID: "u", Text: text,
			PostedAt: c.OpenedAt, Raw: "{}", CaseID: c.ID, Disposition: app.DispositionNewCase}
		_, err := tx.InsertInboundMessage(ctx, &m)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	indexed := func() int {
		t.Helper()
		n, err := s.BenchQuery(ctx, `SELECT DISTINCT doc FROM cases_fts_vocab`)
		if err != nil {
			t.Fatal(err)
		}
		return n
	}
	if n := indexed(); n != 0 {
		t.Errorf("the case is indexed in cases_fts (%d documents): its words are its message's", n)
	}
	finds := func(q string) bool {
		t.Helper()
		byCase, err := s.SearchCases(ctx, q, 10)
		if err != nil {
			t.Fatal(err)
		}
		rows, err := s.ListInbox(ctx, desk.InboxQuery{Filter: desk.Filter{Search: q}, Now: c.OpenedAt}, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if (len(byCase) == 1) != (len(rows) == 1) {
			t.Errorf("%q: SearchCases %d, inbox %d", q, len(byCase), len(rows))
		}
		return len(rows) == 1 && rows[0].CaseID == c.ID
	}
	for _, w := range strings.Fields(strings.NewReplacer(",", "").Replace(text)) {
		if !finds(w) {
			t.Errorf("%q does not find the case", w)
		}
	}
	if !finds("farola fundida") || !finds("FICTICIA") || !finds("fund") {
		t.Error("a phrase, another case or a prefix does not find the case")
	}
	// Edited by staff: the new words are the case's own, and indexed.
	err = s.InTx(ctx, func(tx app.Tx) error {
		got, err := tx.GetCase(ctx, c.ID)
		if err != nil {
			return err
		}
		got.Title = "Farola fundida (alumbrado público)"
		return tx.UpdateCase(ctx, &got)
	})
	if err != nil {
		t.Fatal(err)
	}
	if !finds("alumbrado") || !finds("parque") {
		t.Error("after the edit: the new title or the message's words do not find the case")
	}
	if got, err := s.GetCase(ctx, c.ID); err != nil || got.TextInMessage {
		t.Errorf("after the edit: TextInMessage %v (%v), want false", got.TextInMessage, err)
	}
	if n := indexed(); n != 1 {
		t.Errorf("after the edit: %d documents in cases_fts, want 1", n)
	}
	// Edited again, and created and edited in one transaction: no entry left behind.
	err = s.InTx(ctx, func(tx app.Tx) error {
		got, err := tx.GetCase(ctx, c.ID)
		if err != nil {
			return err
		}
		got.Title = "Farola (iluminación)"
		if err := tx.UpdateCase(ctx, &got); err != nil {
			return err
		}
		x := app.Case{Kind: app.KindQuery, Channel: app.ChannelMention, Title: "otra", Body: "otra", TextInMessage: true}
		if err := tx.CreateCase(ctx, &x); err != nil {
			return err
		}
		x.Body = "consulta sobre el padrón"
		return tx.UpdateCase(ctx, &x)
	})
	if err != nil {
		t.Fatal(err)
	}
	if finds("alumbrado") || !finds("iluminación") {
		t.Error("after the second edit: the old title still finds the case, or the new one does not")
	}
	if got, _ := s.SearchCases(ctx, "padrón", 10); len(got) != 1 {
		t.Errorf("a case edited in the transaction that created it: %d found, want 1", len(got))
	}
	checkFTSIntegrity(t, dir+"/v.db")
}
