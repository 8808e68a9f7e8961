package intake_test

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ventanilla/app"
	"ventanilla/app/intake"
	"ventanilla/app/network"
	"ventanilla/app/verify"
	"ventanilla/db"
	"ventanilla/db/gen"
)

// TestPrepareChangesNothing: messages whose text intake read ahead (Prepare, on another
// goroutine while the previous page is written) and whose authors it read in one query per
// page (PrefetchIdentities), as the sync engine does, become exactly what they become when
// Accept reads everything itself: the same dispositions, cases, numbers, flags and
// acknowledgements.
func TestPrepareChangesNothing(t *testing.T) {
	unlock, err := gen.Lock(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	owner := network.User{ID: "1000000000000000001", Handle: gen.TownHallHandle}
	msgs := trafficMessages(600, owner)
	plain := intakeOutcomes(t, msgs, owner, false)
	prepared := intakeOutcomes(t, msgs, owner, true)
	if len(plain) != len(msgs) {
		t.Fatalf("%d outcomes for %d messages", len(plain), len(msgs))
	}
	kinds := map[string]bool{}
	for i := range plain {
		if plain[i] != prepared[i] {
			t.Errorf("message %d:\n  read in the transaction: %s\n  prepared ahead:          %s", i, plain[i], prepared[i])
		}
		kinds[strings.Fields(plain[i])[0]] = true
	}
	if len(kinds) < 2 {
		t.Errorf("the traffic gave only %v: not a test of the dispositions", kinds)
	}
}

// intakeOutcomes accepts msgs in pages into a new register, with or without reading ahead
// (Prepare, PrefetchIdentities), and describes what each message became.
func intakeOutcomes(t *testing.T, msgs []app.InboundMessage, owner network.User, readAhead bool) []string {
	t.Helper()
	ctx := context.Background()
	now := time.Date(2026, 11, 19, 9, 0, 0, 0, time.UTC)
	clock := func() time.Time { return now }
	store, err := db.Open(ctx, filepath.Join(t.TempDir(), "v.db"), db.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	if err := intake.Seed(ctx, store, func() int { return 2026 }); err != nil {
		t.Fatal(err)
	}
	svc := intake.New(store, verify.New(store, nil, clock, strings.NewReader(strings.Repeat("k", 1<<16))), clock)
	for start := 0; start < len(msgs); start += intakePage {
		if err := acceptPage(ctx, store, svc, msgs, start, owner, readAhead); err != nil {
			t.Fatal(err)
		}
	}
	names := map[string]string{} // department and procedure ids (per register) → codes
	depts, err := store.ListDepartments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range depts {
		names[d.ID] = d.Code
	}
	procs, err := store.ListProcedureTypes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, p := range procs {
		names[p.ID] = p.Code
	}
	var out []string
	for _, m := range msgs {
		got, err := store.GetInboundMessage(ctx, m.Network, m.MessageID)
		if err != nil {
			t.Fatal(err)
		}
		desc := string(got.Disposition)
		if got.CaseID != "" {
			c, err := store.GetCase(ctx, got.CaseID)
			if err != nil {
				t.Fatal(err)
			}
			acks, err := store.ListOutboxForCase(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			var texts []string
			for _, a := range acks {
				texts = append(texts, a.Text)
			}
			desc += fmt.Sprintf(" %s %s %s dept=%s proc=%s entry=%v due=%s unverified=%v personal=%v %q %q",
				c.Number, c.Kind, c.Status, names[c.DepartmentID], names[c.ProcedureTypeID], c.DirectoryEntryID != "",
				c.DueAt.Format(time.DateOnly), c.FlagUnverified, c.FlagPersonalData, c.Title, texts)
		}
		out = append(out, desc)
	}
	return out
}
