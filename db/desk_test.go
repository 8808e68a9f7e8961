package db_test

import (
	"context"
	"fmt"
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
	dir, _ := s.ListDirectory(ctx)
	if len(dir) != 1 || !dir[0].Official || dir[0].StaffID != st.ID {
		t.Fatalf("directory: got %+v", dir)
	}
	if n, _ := s.CountStaff(ctx); n != 1 {
		t.Fatalf("count staff: got %d", n)
	}
}

func BenchmarkInboxPage(b *testing.B) {
	ctx := context.Background()
	s, err := db.Open(ctx, b.TempDir()+"/v.db")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	seedInbox(b, s, 20000)
	q := desk.InboxQuery{Filter: desk.Filter{Search: "farola"}, Now: time.Now()}
	b.ResetTimer()
	for b.Loop() {
		if _, err := s.ListInbox(ctx, q, 50, 0); err != nil {
			b.Fatal(err)
		}
	}
}
