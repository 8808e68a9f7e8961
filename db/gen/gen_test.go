package gen_test

import (
	"context"
	"path/filepath"
	"reflect"
	"testing"

	"ventanilla/app"
	"ventanilla/db"
	"ventanilla/db/gen"
)

func TestGenerateIsDeterministicAndOpensInTheDesk(t *testing.T) {
	ctx := context.Background()
	cfg := gen.Config{Residents: 50, Messages: 400, Seed: 7}
	var reports []app.StatusReport
	var numbers []string
	for i := 0; i < 2; i++ {
		path := filepath.Join(t.TempDir(), "v.db")
		sum, err := gen.Generate(ctx, path, cfg)
		if err != nil {
			t.Fatal(err)
		}
		if sum.Messages != 400 || sum.Cases < 100 {
			t.Fatalf("got %d messages and %d cases, want 400 and more than 100", sum.Messages, sum.Cases)
		}
		for _, s := range []app.CaseStatus{app.StatusReceived, app.StatusInProgress, app.StatusResolved, app.StatusRejected} {
			if sum.ByStatus[s] == 0 {
				t.Errorf("no case %s in %v", s, sum.ByStatus)
			}
		}
		s, err := db.Open(ctx, path)
		if err != nil {
			t.Fatal(err)
		}
		st, err := s.Status(ctx)
		if err != nil {
			t.Fatal(err)
		}
		st.Cursors = nil
		reports = append(reports, st)
		found, err := s.SearchCases(ctx, "incidencia", 5)
		if err != nil || len(found) == 0 {
			t.Fatalf("search after generation: %v, %d cases", err, len(found))
		}
		numbers = append(numbers, found[0].Number.String()+" "+found[0].ID+" "+found[0].Body)
		if _, err := s.GetStaffByUsername(ctx, "admin"); err != nil {
			t.Fatal(err)
		}
		s.Close()
	}
	if !reflect.DeepEqual(reports[0], reports[1]) || numbers[0] != numbers[1] {
		t.Fatalf("same seed, different data:\n%+v %s\n%+v %s", reports[0], numbers[0], reports[1], numbers[1])
	}
}

func TestTrafficIsDeterministic(t *testing.T) {
	_, a := gen.New(3).Traffic(200, 20, gen.TownHallHandle)
	_, b := gen.New(3).Traffic(200, 20, gen.TownHallHandle)
	if len(a) != 200 || !reflect.DeepEqual(a, b) {
		t.Fatalf("got %d messages, or different ones for the same seed", len(a))
	}
}
