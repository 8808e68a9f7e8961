package demo_test

import (
	"context"
	"testing"

	"ventanilla/app"
	"ventanilla/app/demo"
	"ventanilla/db"
)

func TestPrepare(t *testing.T) {
	ctx := context.Background()
	dir := t.TempDir()
	open := func(ctx context.Context, p string) (demo.Store, error) { return db.Open(ctx, p) }
	e, err := demo.Prepare(ctx, dir, open)
	if err != nil {
		t.Fatal(err)
	}
	st, err := e.Store.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Cases.Total < 20 || st.Cases.ByKind[app.KindIncident] < 5 || st.Cases.ByKind[app.KindProcedure] < 3 || st.Residents.Verified < 1 {
		t.Errorf("got %+v, want a few dozen cases of every kind and a verified resident", st)
	}
	ag, err := e.Kiosk.NextAgenda(ctx)
	if err != nil || ag.Session == nil || len(ag.Items) < 4 {
		t.Errorf("agenda: got %+v, %v; want a session with resident proposals", ag, err)
	}
	sv, err := e.Verify.Status(ctx, "josemtorres")
	if err != nil || !sv.Level.AtLeast(app.LevelVerified) {
		t.Errorf("renamed resident: got %+v, %v; want still verified under the new handle", sv, err)
	}
	e.Close()
	// A second start reuses the directory without seeding again.
	e2, err := demo.Prepare(ctx, dir, open)
	if err != nil {
		t.Fatal(err)
	}
	defer e2.Close()
	st2, _ := e2.Store.Status(ctx)
	if st2.Cases.Total != st.Cases.Total {
		t.Errorf("second start: got %d cases, want %d", st2.Cases.Total, st.Cases.Total)
	}
}
