package kiosk_test

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"ventanilla/app"
	"ventanilla/app/desk"
	"ventanilla/app/kiosk"
	"ventanilla/db"
)

type fixture struct {
	store *db.Store
	desk  *desk.Service
	kiosk *kiosk.Service
	now   time.Time
	caseN string
}

const (
	residentName = "Dolores Fuentes Zamora"
	residentText = "La farola de mi puerta, calle Olmo 3, no funciona. Mi teléfono es 600111222"
	adminPass    = "admin-secreta-1"
)

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	f := &fixture{now: time.Date(2026, 3, 10, 9, 0, 0, 0, time.UTC)}
	clock := func() time.Time { return f.now }
	store, err := db.Open(ctx, filepath.Join(t.TempDir(), "v.db"), db.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	f.store = store
	f.desk = desk.New(store, desk.WithClock(clock), desk.WithBcryptCost(bcrypt.MinCost))
	if _, err := f.desk.CreateFirstAdmin(ctx, desk.NewStaff{Username: "admin", FullName: "Admin", Password: adminPass}); err != nil {
		t.Fatal(err)
	}
	err = store.InTx(ctx, func(tx app.Tx) error {
		d := app.Department{Code: "obras", Name: "Obras y Servicios"}
		if err := tx.CreateDepartment(ctx, &d); err != nil {
			return err
		}
		r := app.Resident{FullName: residentName, Document: "24000000Y"}
		if err := tx.CreateResident(ctx, &r, ""); err != nil {
			return err
		}
		ident := app.Identity{Network: "x", UserID: "1001", Handle: "dolofz", DisplayName: residentName, ResidentID: r.ID, Level: app.LevelVerified}
		if err := tx.CreateIdentity(ctx, &ident); err != nil {
			return err
		}
		c := app.Case{Kind: app.KindIncident, Status: app.StatusInProgress, DepartmentID: d.ID, ResidentID: r.ID, IdentityID: ident.ID,
			Channel: app.ChannelMention, Network: "x", Title: residentText, Body: residentText, OpenedAt: f.now.Add(-48 * time.Hour),
			DueAt: f.now.Add(24 * time.Hour)}
		if err := tx.CreateCase(ctx, &c); err != nil {
			return err
		}
		f.caseN = c.Number.String()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	f.kiosk = kiosk.New(kiosk.Config{Store: store, Desk: f.desk, Clock: clock, BcryptCost: bcrypt.MinCost})
	return f
}

func TestLookupShowsNoPersonalData(t *testing.T) {
	f := newFixture(t)
	st, err := f.kiosk.LookupCase(context.Background(), strings.ToLower(f.caseN))
	if err != nil {
		t.Fatal(err)
	}
	if st.Status != app.StatusInProgress || st.Department != "Obras y Servicios" || st.DueAt.IsZero() {
		t.Errorf("got %+v, want in progress at Obras y Servicios with a due date", st)
	}
	all := fmt.Sprintf("%+v", st)
	for _, secret := range []string{"Dolores", "dolofz", "farola", "600111222", "Olmo"} {
		if strings.Contains(all, secret) {
			t.Errorf("lookup shows %q: %s", secret, all)
		}
	}
}

func TestWrongNumbersAreSlowedDown(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if _, err := f.kiosk.LookupCase(ctx, "hola"); !app.IsInvalid(err) {
		t.Fatalf("badly shaped number: got %v, want an invalid-input error", err)
	}
	for i := 1; i < kiosk.FreeGuesses; i++ {
		if _, err := f.kiosk.LookupCase(ctx, fmt.Sprintf("E-2026-9999%02d", i)); !errors.Is(err, kiosk.ErrNoSuchCase) {
			t.Fatalf("wrong number %d: got %v, want ErrNoSuchCase", i, err)
		}
	}
	var we *kiosk.WaitError
	if _, err := f.kiosk.LookupCase(ctx, "E-2026-999990"); !errors.As(err, &we) || !errors.Is(err, kiosk.ErrNoSuchCase) {
		t.Fatalf("third wrong number: got %v, want ErrNoSuchCase and a wait", err)
	}
	if got := we.Until.Sub(f.now); got != kiosk.GuessDelay {
		t.Errorf("first delay: got %s, want %s", got, kiosk.GuessDelay)
	}
	// Even the right number waits.
	if _, err := f.kiosk.LookupCase(ctx, f.caseN); !errors.As(err, &we) {
		t.Fatalf("during the wait: got %v, want a *WaitError", err)
	}
	f.now = we.Until
	if _, err := f.kiosk.LookupCase(ctx, "E-2026-999991"); !errors.As(err, &we) || we.Until.Sub(f.now) != 2*kiosk.GuessDelay {
		t.Fatalf("fourth wrong number: got %v, want a doubled wait", err)
	}
	f.now = we.Until
	if _, err := f.kiosk.LookupCase(ctx, f.caseN); err != nil {
		t.Fatalf("after the wait: %v", err)
	}
	f.now = f.now.Add(kiosk.GuessMemory + time.Second)
	if _, err := f.kiosk.LookupCase(ctx, "E-2026-999992"); !errors.Is(err, kiosk.ErrNoSuchCase) || errors.As(err, &we) {
		t.Fatalf("after a quiet while: got %v, want a plain ErrNoSuchCase", err)
	}
}

func TestKioskSessionIsRefusedByStaffServices(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sess := f.kiosk.Session()
	if sess.Kind() != desk.SessionKiosk {
		t.Fatalf("got session kind %s, want kiosk", sess.Kind())
	}
	calls := map[string]error{}
	_, calls["Inbox"] = f.desk.Inbox(ctx, sess, desk.Filter{}, 10, 0)
	_, calls["CaseByNumber"] = f.desk.CaseByNumber(ctx, sess, f.caseN)
	_, calls["SearchResidents"] = f.desk.SearchResidents(ctx, sess, "Dolores", 10, 0)
	_, calls["ListStaff"] = f.desk.ListStaff(ctx, sess)
	calls["PutSetting"] = f.desk.PutSetting(ctx, sess, kiosk.SettingExitPIN, "x")
	for name, err := range calls {
		if !errors.Is(err, app.ErrForbidden) {
			t.Errorf("%s with the kiosk session: got %v, want ErrForbidden", name, err)
		}
	}
	if err := f.kiosk.SetExitPIN(ctx, sess, "1234"); !errors.Is(err, app.ErrForbidden) {
		t.Errorf("SetExitPIN with the kiosk session: got %v, want ErrForbidden", err)
	}
}

func TestExitNeedsPIN(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	if err := f.kiosk.CheckExit(ctx, ""); !errors.Is(err, kiosk.ErrWrongPIN) {
		t.Fatalf("empty secret: got %v, want ErrWrongPIN", err)
	}
	if err := f.kiosk.CheckExit(ctx, adminPass); err != nil {
		t.Fatalf("admin password without a PIN: %v", err)
	}
	admin, err := f.desk.SignIn(ctx, "admin", adminPass)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.kiosk.SetExitPIN(ctx, admin, "12a4"); !app.IsInvalid(err) {
		t.Fatalf("PIN with a letter: got %v, want invalid", err)
	}
	if err := f.kiosk.SetExitPIN(ctx, admin, "482910"); err != nil {
		t.Fatal(err)
	}
	if err := f.kiosk.CheckExit(ctx, adminPass); !errors.Is(err, kiosk.ErrWrongPIN) {
		t.Fatalf("admin password once a PIN is set: got %v, want ErrWrongPIN", err)
	}
	for range kiosk.MaxExitFailures - 2 {
		f.kiosk.CheckExit(ctx, "000000")
	}
	var we *kiosk.WaitError
	if err := f.kiosk.CheckExit(ctx, "000000"); !errors.As(err, &we) {
		t.Fatalf("fifth wrong PIN: got %v, want a wait", err)
	}
	if err := f.kiosk.CheckExit(ctx, "482910"); !errors.As(err, &we) {
		t.Fatalf("right PIN during the lockout: got %v, want a wait", err)
	}
	f.now = we.Until
	if err := f.kiosk.CheckExit(ctx, "482910"); err != nil {
		t.Fatalf("right PIN: %v", err)
	}
}
