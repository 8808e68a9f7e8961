package kiosk

import (
	"context"
	"errors"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/crypto/bcrypt"

	"ventanilla/app"
	"ventanilla/app/desk"
	appkiosk "ventanilla/app/kiosk"
	"ventanilla/db"
)

const (
	residentName = "Dolores Fuentes Zamora"
	residentText = "La farola de mi puerta, calle Olmo 3, no funciona. Mi teléfono es 600111222"
	adminPass    = "admin-secreta-1"
)

type fixture struct {
	k      *Kiosk
	desk   *desk.Service
	now    time.Time
	caseN  string
	exited bool
}

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
	svc := appkiosk.New(appkiosk.Config{Store: store, Desk: f.desk, Clock: clock, BcryptCost: bcrypt.MinCost})
	a := test.NewTempApp(t)
	f.k = New(a, Options{Service: svc, Windowed: true, Clock: clock, OnExit: func() { f.exited = true }})
	t.Cleanup(f.k.Close)
	f.k.Window().Resize(fyne.NewSize(1080, 1920))
	return f
}

// texts collects every text shown in the window, pop-ups included.
func texts(t *testing.T, c fyne.Canvas) string {
	var b strings.Builder
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		switch x := o.(type) {
		case *widget.Label:
			b.WriteString(x.Text + "\n")
		case *canvas.Text:
			b.WriteString(x.Text + "\n")
		case *widget.Entry:
			b.WriteString(x.Text + "\n")
		case *widget.Button:
			b.WriteString(x.Text + "\n")
		}
		if w, ok := o.(fyne.Widget); ok {
			for _, ch := range test.TempWidgetRenderer(t, w).Objects() {
				walk(ch)
			}
		}
		if ct, ok := o.(*fyne.Container); ok {
			for _, ch := range ct.Objects {
				walk(ch)
			}
		}
	}
	walk(c.Content())
	for _, o := range c.Overlays().List() {
		walk(o)
	}
	return b.String()
}

func tapButton(t *testing.T, c fyne.Canvas, label string) {
	t.Helper()
	var found *widget.Button
	var walk func(o fyne.CanvasObject)
	walk = func(o fyne.CanvasObject) {
		if b, ok := o.(*widget.Button); ok && b.Text == label && found == nil {
			found = b
		}
		if ct, ok := o.(*fyne.Container); ok {
			for _, ch := range ct.Objects {
				walk(ch)
			}
		}
		if sc, ok := o.(*widget.PopUp); ok {
			walk(sc.Content)
		}
		if sc, ok := o.(*container.Scroll); ok {
			walk(sc.Content)
		}
	}
	walk(c.Content())
	for _, o := range c.Overlays().List() {
		walk(o)
	}
	if found == nil {
		t.Fatalf("no button %q", label)
	}
	test.Tap(found)
}

func TestStatusScreenShowsNoPersonalData(t *testing.T) {
	f := newFixture(t)
	c := f.k.Window().Canvas()
	f.k.show("lookup")
	test.Type(f.k.lookupEntry, f.caseN)
	tapButton(t, c, Translate(Spanish, "kiosk.lookup.go"))
	got := texts(t, c)
	for _, want := range []string{f.caseN, "En trámite", "Obras y Servicios", "Incidencia", "11/03/2026"} {
		if !strings.Contains(got, want) {
			t.Errorf("status screen lacks %q:\n%s", want, got)
		}
	}
	for _, secret := range []string{"Dolores", "Fuentes", "dolofz", "farola", "600111222", "Olmo"} {
		if strings.Contains(got, secret) {
			t.Errorf("status screen shows %q:\n%s", secret, got)
		}
	}
}

func TestWrongNumberGetsAPlainAnswer(t *testing.T) {
	f := newFixture(t)
	c := f.k.Window().Canvas()
	f.k.show("lookup")
	test.Type(f.k.lookupEntry, "E-2026-000777")
	tapButton(t, c, Translate(Spanish, "kiosk.lookup.go"))
	if got := texts(t, c); !strings.Contains(got, Translate(Spanish, "kiosk.lookup.none")) {
		t.Errorf("got:\n%s\nwant the plain no-such-case answer", got)
	}
}

func TestIdleResetClearsTheFields(t *testing.T) {
	f := newFixture(t)
	tapButton(t, f.k.Window().Canvas(), "English")
	f.k.show("lookup")
	lookup := f.k.lookupEntry
	test.Type(lookup, f.caseN)
	tapButton(t, f.k.Window().Canvas(), Translate(English, "kiosk.lookup.go"))
	f.k.show("verify")
	verifyEntry := f.k.verifyEntry
	test.Type(verifyEntry, "dolofz")

	f.now = f.now.Add(60 * time.Second)
	f.k.CheckIdle()
	if f.k.Screen() != "verify" || verifyEntry.Text != "dolofz" {
		t.Fatalf("after 60 s: got screen %s, field %q; want untouched", f.k.Screen(), verifyEntry.Text)
	}
	f.now = f.now.Add(31 * time.Second)
	f.k.CheckIdle()
	if f.k.Screen() != "welcome" {
		t.Errorf("after 91 s: got screen %s, want welcome", f.k.Screen())
	}
	if lookup.Text != "" || verifyEntry.Text != "" || len(f.k.lookupResult.Objects) != 0 {
		t.Errorf("fields after the reset: lookup %q, verify %q, %d result objects; want all empty", lookup.Text, verifyEntry.Text, len(f.k.lookupResult.Objects))
	}
	if got := texts(t, f.k.Window().Canvas()); !strings.Contains(got, Translate(Spanish, "kiosk.welcome")) {
		t.Errorf("after the reset the kiosk should speak Spanish again:\n%s", got)
	}
}

func TestLeavingNeedsThePIN(t *testing.T) {
	f := newFixture(t)
	c := f.k.Window().Canvas()
	tapButton(t, c, Translate(Spanish, "kiosk.staff"))
	if !f.k.ExitRequested() {
		t.Fatal("the staff button should open the PIN dialog")
	}
	tapButton(t, c, Translate(Spanish, "kiosk.exit.ok"))
	if f.exited || f.k.Exited() {
		t.Fatal("left kiosk mode without a PIN")
	}
	test.Type(f.k.pinEntry, "1234")
	tapButton(t, c, Translate(Spanish, "kiosk.exit.ok"))
	if f.exited {
		t.Fatal("left kiosk mode with a wrong PIN")
	}
	if got := texts(t, c); !strings.Contains(got, Translate(Spanish, "kiosk.exit.wrong")) {
		t.Errorf("no wrong-PIN message:\n%s", got)
	}
	// Closing the window is the same as asking to leave.
	f.k.Window().Close()
	if f.exited {
		t.Fatal("closing the window left kiosk mode")
	}
	test.Type(f.k.pinEntry, adminPass)
	tapButton(t, c, Translate(Spanish, "kiosk.exit.ok"))
	if !f.exited {
		t.Fatal("the administrator's password (no PIN set) should leave kiosk mode")
	}
}

func TestKioskSessionIsRefused(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	sess := f.k.svc.Session()
	if _, err := f.desk.Inbox(ctx, sess, desk.Filter{}, 10, 0); !errors.Is(err, app.ErrForbidden) {
		t.Errorf("Inbox with the kiosk session: got %v, want ErrForbidden", err)
	}
	if _, err := f.desk.CaseByNumber(ctx, sess, f.caseN); !errors.Is(err, app.ErrForbidden) {
		t.Errorf("CaseByNumber with the kiosk session: got %v, want ErrForbidden", err)
	}
	if _, err := f.desk.SearchResidents(ctx, sess, "Dolores", 10, 0); !errors.Is(err, app.ErrForbidden) {
		t.Errorf("SearchResidents with the kiosk session: got %v, want ErrForbidden", err)
	}
}
