package ui

import (
	"context"
	"errors"
	"fmt"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
	"golang.org/x/crypto/bcrypt"

	"ventanilla/app"
	"ventanilla/app/desk"
	"ventanilla/app/network"
	"ventanilla/app/network/sim"
	"ventanilla/app/network/x"
	appsync "ventanilla/app/sync"
	"ventanilla/db"
)

// t0 lies in the past, so every open case with a due date is overdue whenever the test runs,
// and dates render the same way.
var t0 = time.Date(2025, 3, 10, 9, 30, 0, 0, time.UTC)

type fixture struct {
	store *db.Store
	svc   *desk.Service
	desk  *Desk
	win   fyne.Window
}

func newFixture(t *testing.T, opts Options) *fixture {
	t.Helper()
	test.NewTempApp(t)
	clock := func() time.Time { return t0 }
	st, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "v.db"), db.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	svc := desk.New(st, desk.WithClock(clock), desk.WithBcryptCost(bcrypt.MinCost))
	if err := svc.SeedDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
	opts.Desk = svc
	opts.queueUI = true // every widget update on the test's goroutine, in Wait
	d := NewDesk(fyne.CurrentApp(), opts)
	t.Cleanup(d.Close)
	d.Window().Resize(fyne.NewSize(1280, 740))
	d.Wait()
	return &fixture{store: st, svc: svc, desk: d, win: d.Window()}
}

// all returns the objects of type T on screen (or under o), in layout order.
func all[T any](o fyne.CanvasObject) []T {
	var out []T
	for _, obj := range test.LaidOutObjects(o) {
		if v, ok := obj.(T); ok {
			out = append(out, v)
		}
	}
	return out
}

func button(t *testing.T, o fyne.CanvasObject, text string) *widget.Button {
	t.Helper()
	for _, b := range all[*widget.Button](o) {
		if b.Text == text {
			return b
		}
	}
	t.Fatalf("no button %q on screen", text)
	return nil
}

func hasText(o fyne.CanvasObject, text string) bool {
	for _, obj := range test.LaidOutObjects(o) {
		v := reflect.ValueOf(obj)
		if v.Kind() == reflect.Pointer && v.Elem().Kind() == reflect.Struct {
			if f := v.Elem().FieldByName("Text"); f.IsValid() && f.Kind() == reflect.String && strings.Contains(f.String(), text) {
				return true
			}
		}
	}
	return false
}

// relayout lays the window out from scratch, so that goldens do not depend on the order in
// which background loads refreshed parts of it.
func (f *fixture) relayout() {
	c := f.win.Content()
	f.win.SetContent(widget.NewLabel(""))
	f.win.SetContent(c)
	f.win.Resize(fyne.NewSize(1280, 740))
	for _, o := range test.LaidOutObjects(c) {
		o.Refresh()
	}
	f.win.Resize(fyne.NewSize(1281, 740))
	f.win.Resize(fyne.NewSize(1280, 740))
}

func (f *fixture) signIn(t *testing.T, user string) {
	t.Helper()
	entries := all[*widget.Entry](f.win.Content())
	if len(entries) < 2 {
		t.Fatalf("sign-in screen has %d entries, want 2", len(entries))
	}
	test.Type(entries[0], user)
	test.Type(entries[1], desk.DemoPassword)
	test.Tap(button(t, f.win.Content(), lang.L("Sign in")))
	f.desk.Wait()
	if f.desk.Session() == nil {
		t.Fatalf("not signed in as %s", user)
	}
	f.desk.Wait()
}

// openCase selects the case with the given number in the inbox.
func (f *fixture) openCase(t *testing.T, number string) *caseView {
	t.Helper()
	in := f.desk.inbox
	for i := 0; i < in.length(); i++ {
		if r, ok := in.row(i); ok && r.Number == number {
			in.list.Select(i)
			f.desk.Wait()
			return in.caseV
		}
	}
	t.Fatalf("case %s not in the inbox", number)
	return nil
}

func caseNumber(t *testing.T, st *db.Store, kind app.CaseKind) string {
	t.Helper()
	for seq := 1; seq < 50; seq++ {
		c, err := st.GetCaseByNumber(context.Background(), app.RegistryNumber{Year: 2025, Seq: seq})
		if err != nil {
			break
		}
		if c.Kind == kind {
			return c.Number.String()
		}
	}
	t.Fatalf("no %s case", kind)
	return ""
}

// TestReplyIsQueuedThenSent signs in as a clerk, opens a case, replies by DM, sees the
// outbox row pending on the timeline, runs a sync round against the simulator and sees it sent.
func TestReplyIsQueuedThenSent(t *testing.T) {
	ctx := context.Background()
	s := sim.New(sim.Options{})
	url, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	resident, err := s.CreateAccount("vecina", "Vecina de Jun")
	if err != nil {
		t.Fatal(err)
	}
	net, err := x.New(ctx, x.Config{BaseURL: url, BearerToken: "t", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	f := newFixture(t, Options{})
	engine := appsync.New(appsync.Config{Store: f.store, Net: net, Clock: func() time.Time { return time.Now().UTC() }})
	f.desk.opts.Sync = engine

	// A case from the simulator's resident, by DM.
	var c app.Case
	err = f.store.InTx(ctx, func(tx app.Tx) error {
		ident := app.Identity{Network: "x", UserID: resident.ID, Handle: resident.Handle, Level: app.LevelLinked}
		if err := tx.CreateIdentity(ctx, &ident); err != nil {
			return err
		}
		c = app.Case{Kind: app.KindProcedure, Channel: app.ChannelDM, IdentityID: ident.ID, Title: "Cita para el padrón", Body: "Quiero cita", Unread: true}
		if err := tx.CreateCase(ctx, &c); err != nil {
			return err
		}
		m := app.InboundMessage{MessageID: "dm-1", Channel: app.ChannelDM, AuthorUserID: resident.ID, AuthorHandle: resident.Handle,
			Text: "Quiero cita para el padrón", PostedAt: t0, Raw: "{}", CaseID: c.ID, IdentityID: ident.ID, Disposition: app.DispositionNewCase}
		_, err := tx.InsertInboundMessage(ctx, &m)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}

	f.signIn(t, "lucia")
	f.desk.inbox.refresh(true)
	f.desk.Wait()
	cv := f.openCase(t, c.Number.String())
	if cv.detail.Case.ID != c.ID {
		t.Fatalf("opened %q, want %s", cv.detail.Case.Number, c.Number)
	}
	if got := cv.mode.Selected; got != lang.L("Direct message") {
		t.Fatalf("composer mode %q, want direct message (a DM procedure)", got)
	}
	test.Type(cv.text, "Su cita es el lunes a las 10:00.")
	test.Tap(cv.send)
	f.desk.Wait()

	items, err := f.store.ListOutboxForCase(ctx, c.ID)
	if err != nil || len(items) != 1 {
		t.Fatalf("got %d outbox rows (%v), want 1", len(items), err)
	}
	if items[0].Status != app.OutboxPending || !strings.HasSuffix(items[0].Text, "("+c.Number.String()+")") {
		t.Fatalf("got %+v, want a pending DM carrying the number", items[0])
	}
	if !hasText(cv.content, lang.L("Pending")) {
		t.Fatal("the timeline does not show the reply as pending")
	}

	if _, err := engine.RunOnce(ctx); err != nil {
		t.Fatalf("sync round: %v", err)
	}
	cv.reload()
	f.desk.Wait()
	if !hasText(cv.content, lang.L("Sent")) || hasText(cv.content, lang.L("Pending")) {
		t.Fatal("after a sync round the timeline does not show the reply as sent")
	}
	dms := s.OwnerDMs()
	if len(dms) != 1 || dms[0].RecipientID != resident.ID {
		t.Fatalf("the simulator got %d DMs, want 1 to the resident", len(dms))
	}
}

// TestPoliceCannotOpenProcedure: the service refuses it, and the screen says so.
func TestPoliceCannotOpenProcedure(t *testing.T) {
	f := newFixture(t, Options{})
	f.signIn(t, "agente")
	proc := caseNumber(t, f.store, app.KindProcedure)
	n, _ := app.ParseRegistryNumber(proc)
	c, _ := f.store.GetCaseByNumber(context.Background(), n)
	if _, err := f.svc.Case(context.Background(), f.desk.Session(), c.ID); !errors.Is(err, app.ErrForbidden) {
		t.Fatalf("service: got %v, want forbidden", err)
	}
	for i := 0; i < f.desk.inbox.length(); i++ {
		if r, _ := f.desk.inbox.row(i); r.Kind != app.KindIncident {
			t.Fatalf("police inbox lists a %s", r.Kind)
		}
	}
	f.desk.inbox.openCase(c.ID)
	f.desk.Wait()
	what, _ := explain(app.ErrForbidden)
	if !hasText(f.desk.inbox.caseV.content, what) {
		t.Fatal("the case screen does not say the role may not open it")
	}
	if f.desk.tabs.Items[1].Text == lang.L("Residents") {
		t.Fatal("police see the register tab")
	}
}

// TestComposerCountsLikeTheNetwork: emoji weigh 2, a URL 23, and the registry number that
// will be appended counts too.
func TestComposerCountsLikeTheNetwork(t *testing.T) {
	f := newFixture(t, Options{})
	f.signIn(t, "lucia")
	cv := f.openCase(t, caseNumber(t, f.store, app.KindQuery))
	cv.mode.SetSelected(lang.L("Public reply"))
	for _, text := range []string{
		"Gracias 👍🏽 por avisar",
		"Más información en https://www.ejemplo-ayuntamiento.es/tramites/padron/certificado",
		strings.Repeat("ñ", 200) + " 👨‍👩‍👧",
	} {
		cv.text.SetText(text)
		final := desk.WithRegistryNumber(text, cv.detail.Case.Number)
		want := network.WeightedLength(final)
		if !strings.HasPrefix(cv.counter.Text, fmt.Sprintf("%d / 280", want)) {
			t.Errorf("%q: counter %q, want %d / 280", text, cv.counter.Text, want)
		}
	}
	cv.text.SetText(strings.Repeat("a", 270))
	if !cv.send.Disabled() {
		t.Error("send is enabled for a reply over 280 weighted characters")
	}
	cv.text.SetText("Llame al 612 345 678")
	if cv.warning.Text == "" {
		t.Error("no warning for a phone number in a public reply")
	}
}

// TestGoldens renders the sign-in, inbox, case and verification-code screens. Failures write
// the new markup to testdata/failed/; move it over the master after checking it.
func TestGoldens(t *testing.T) {
	f := newFixture(t, Options{})
	test.AssertRendersToMarkup(t, "signin.xml", f.win.Canvas())
	f.signIn(t, "lucia")
	f.relayout()
	test.AssertRendersToMarkup(t, "inbox.xml", f.win.Canvas())
	cv := f.openCase(t, caseNumber(t, f.store, app.KindIncident))
	f.relayout()
	cv.scroll.ScrollToTop() // the view scrolls to the newest entry; the golden starts at the top
	test.AssertRendersToMarkup(t, "case.xml", f.win.Canvas())

	code := codeText("K7P4Q2")
	w := test.NewTempWindow(t, code)
	w.Resize(fyne.NewSize(420, 120))
	test.AssertRendersToMarkup(t, "verification_code.xml", w.Canvas())
}
