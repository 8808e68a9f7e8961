package db_test

import (
	"context"
	"database/sql"
	"fmt"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"ventanilla/app"
	"ventanilla/app/desk"
	"ventanilla/db"
)

// prefixReference is the cases a search matches through the full-text indexes with the plain
// prefix query (FTSQuery), newest first.
func prefixReference(t *testing.T, conn *sql.DB, search string) []string {
	t.Helper()
	q := db.FTSQuery(search)
	if q == "" {
		return nil
	}
	return queryIDs(t, conn, `SELECT c.id FROM cases c
		WHERE c.rid IN (SELECT rowid FROM cases_fts WHERE cases_fts MATCH ?1)
		   OR c.id IN (SELECT m.case_id FROM inbound_messages m
		               WHERE m.rid IN (SELECT rowid FROM messages_fts WHERE messages_fts MATCH ?1))
		ORDER BY c.opened_at DESC, c.rid DESC`, q)
}

// TestSearchExpandsPrefix checks that a search whose last word is expanded into the indexed
// terms that start with it finds exactly the cases the prefix query finds, through the inbox
// (hits, pages from hits and the walk), its count and SearchCases, and that the fallbacks
// (letters the fold does not know, too many terms) and terms committed just before work.
func TestSearchExpandsPrefix(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	path := filepath.Join(dir, "v.db")
	s, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	conn, err := sql.Open("sqlite", "file:"+path+"?mode=ro")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()

	start := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	titles := []string{"Bache en la calle Mayor", "Farola en las CALLES del centro", "Callejón sin luz",
		"Obras en la Calleja", "Ruido en la callé", "Callo en el pie", "Caída en la calzada", "Árbol caído",
		"Señal rota en la Rúa", "calle1 y calle2", "Callejuela de la Straße", "Basura en la plaza real"}
	texts := []string{"La calle real está sucia", "gracias por la CALLEJERA", "nada que ver", "el callejero de Søren",
		"Calle Ñandú", "Las callejas y los callejones", "callos a la madrileña", "semáforo en la calle real"}
	err = s.InTx(ctx, func(tx app.Tx) error {
		for i := 0; i < 120; i++ {
			c := app.Case{Kind: app.CaseKinds[i%len(app.CaseKinds)], Channel: app.ChannelMention,
				Title: titles[i%len(titles)], Body: titles[(i*7+3)%len(titles)], OpenedAt: start.Add(time.Duration(i) * time.Minute)}
			if i%9 == 4 {
				c.OpenedAt = start.Add(-time.Duration(i) * time.Hour) // out of rid order
			}
			if err := tx.CreateCase(ctx, &c); err != nil {
				return err
			}
			for j := 0; j < i%3; j++ {
				m := app.InboundMessage{MessageID: fmt.Sprint(i, "-", j), Channel: app.ChannelMention, AuthorUserID: "u",
					Text: texts[(i+j*5)%len(texts)], PostedAt: c.OpenedAt, Raw: "{}", CaseID: c.ID, Disposition: app.DispositionNewCase}
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

	now := start.Add(365 * 24 * time.Hour)
	mustFind := map[string]bool{"calle": true, "callej": true, "CALLEJONES": true, "Ñandú": true, "calle1": true,
		"en la callej": true, "calle real": true, "Søren": true, "gracias callejera": true, "madrileña": true}
	check := func(t *testing.T, search string) {
		t.Helper()
		want := prefixReference(t, conn, search)
		if len(want) == 0 && mustFind[search] {
			t.Errorf("%q: the prefix query finds nothing", search)
		}
		for _, limit := range []int{1000, 3, 30} {
			restore := db.SetSearchHitLimit(limit)
			var got []string
			for off := 0; ; off += 7 {
				rows, err := s.ListInbox(ctx, desk.InboxQuery{Filter: desk.Filter{Search: search}, Now: now}, 7, off)
				if err != nil {
					t.Fatal(err)
				}
				for _, r := range rows {
					got = append(got, r.CaseID)
				}
				if len(rows) < 7 {
					break
				}
			}
			n, err := s.CountInbox(ctx, desk.InboxQuery{Filter: desk.Filter{Search: search}, Now: now})
			restore()
			if err != nil {
				t.Fatal(err)
			}
			if !slices.Equal(got, want) {
				t.Errorf("%q (cap %d): inbox %d cases, prefix query %d", search, limit, len(got), len(want))
			}
			if n != len(want) {
				t.Errorf("%q (cap %d): count %d, prefix query %d", search, limit, n, len(want))
			}
		}
		found, err := s.SearchCases(ctx, search, 1000)
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, c := range found {
			got = append(got, c.ID)
		}
		slices.Sort(got)
		sorted := slices.Clone(want)
		slices.Sort(sorted)
		if !slices.Equal(got, sorted) {
			t.Errorf("%q: SearchCases %d cases, prefix query %d", search, len(got), len(sorted))
		}
	}
	// expanded: both indexes' expressions are an OR of terms, or match nothing.
	expanded := func(t *testing.T, search string, want bool) {
		t.Helper()
		cq, mq, err := s.FTSMatches(ctx, search)
		if err != nil {
			t.Fatal(err)
		}
		for _, q := range []string{cq, mq} {
			if got := !strings.Contains(q, "*"); got != want {
				t.Errorf("%q: expanded %v (%s), want %v", search, got, q, want)
			}
		}
	}

	for _, search := range []string{"calle", "Calle", "CALLE", "callé", "CÁLLÉ", "calles", "callej", "Callejo", "callejón",
		"CALLEJONES", "la calle", "en la callej", "semáforo calle", "calle1", "Ñandú", "ñandu", "calzada",
		"zzzzzz", "callez", "real calleja", "gracias callejera", "madrileña"} {
		expanded(t, search, true)
		check(t, search)
	}
	if cq, mq, _ := s.FTSMatches(ctx, "la callej"); cq == mq || !strings.Contains(cq, `"callejon" OR`) ||
		!strings.Contains(mq, `"callejera" OR`) || !strings.HasPrefix(cq, `"la" AND (`) {
		t.Errorf("per-index expansion of %q: cases %s, messages %s", "la callej", cq, mq)
	}
	if cq, mq, _ := s.FTSMatches(ctx, "zzzzzz"); cq != `""` || mq != `""` {
		t.Errorf("no term with the prefix: cases %s, messages %s", cq, mq)
	}
	// Short prefixes (prefix indexes), letters the fold does not know: the prefix query.
	for _, search := range []string{"cal", "call", "la cal", "calle real", "straße", "Søren", "calle straß", "c"} {
		expanded(t, search, false)
		check(t, search)
	}
	// More terms than the cap: the prefix query.
	restore := db.SetFTSExpandCap(2)
	expanded(t, "calle", false)
	check(t, "calle")
	check(t, "calle real")
	restore()
	expanded(t, "calle", true)

	// A term committed just before is found.
	if got, _ := s.SearchCases(ctx, "callejuelita", 10); len(got) != 0 {
		t.Fatalf("callejuelita found before it was written: %d", len(got))
	}
	c, err := newCase(ctx, s, app.Case{Kind: app.KindIncident, Channel: app.ChannelDesk, Title: "Bache en la CALLEJUELITA",
		OpenedAt: now})
	if err != nil {
		t.Fatal(err)
	}
	var m app.InboundMessage
	err = s.InTx(ctx, func(tx app.Tx) error {
		m = app.InboundMessage{MessageID: "new", Channel: app.ChannelMention, AuthorUserID: "u", Text: "en la callejuelota",
			PostedAt: now, Raw: "{}", CaseID: c.ID, Disposition: app.DispositionJoinedCase}
		_, err := tx.InsertInboundMessage(ctx, &m)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	for _, search := range []string{"callejuelita", "callejuelo", "bache callejuel"} {
		rows, err := s.ListInbox(ctx, desk.InboxQuery{Filter: desk.Filter{Search: search}, Now: now}, 10, 0)
		if err != nil {
			t.Fatal(err)
		}
		if len(rows) == 0 || rows[0].CaseID != c.ID {
			t.Errorf("%q right after the commit: %d rows", search, len(rows))
		}
		found, err := s.SearchCases(ctx, search, 10)
		if err != nil {
			t.Fatal(err)
		}
		if len(found) == 0 || found[0].ID != c.ID {
			t.Errorf("%q right after the commit: SearchCases %d cases", search, len(found))
		}
		expanded(t, search, true)
		check(t, search)
	}
}
