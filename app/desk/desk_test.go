package desk_test

import (
	"context"
	"errors"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"golang.org/x/crypto/bcrypt"

	"ventanilla/app"
	"ventanilla/app/desk"
	"ventanilla/db"
)

var t0 = time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)

type fixture struct {
	store *db.Store
	svc   *desk.Service
	now   time.Time
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	f := &fixture{now: t0}
	clock := func() time.Time { return f.now }
	st, err := db.Open(context.Background(), filepath.Join(t.TempDir(), "v.db"), db.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	f.store = st
	f.svc = desk.New(st, desk.WithClock(clock), desk.WithBcryptCost(bcrypt.MinCost))
	return f
}

// demo seeds the demo town and signs in as the given demo role.
func (f *fixture) demo(t *testing.T) {
	t.Helper()
	if err := f.svc.SeedDemo(context.Background()); err != nil {
		t.Fatal(err)
	}
}

func (f *fixture) signIn(t *testing.T, role app.Role) *desk.Session {
	t.Helper()
	s, err := f.svc.SignIn(context.Background(), desk.DemoStaff[role], desk.DemoPassword)
	if err != nil {
		t.Fatalf("sign in as %s: %v", role, err)
	}
	return s
}

// seen opens the case as sess would on screen and returns what it saw.
func (f *fixture) seen(t *testing.T, sess *desk.Session, caseID string) desk.CaseToken {
	t.Helper()
	d, err := f.svc.Case(context.Background(), sess, caseID)
	if err != nil {
		t.Fatalf("open case %s: %v", caseID, err)
	}
	return d.Token
}

func (f *fixture) caseOfKind(t *testing.T, k app.CaseKind) app.Case {
	t.Helper()
	admin := f.signIn(t, app.RoleAdmin)
	rows, err := f.svc.Inbox(context.Background(), admin, desk.Filter{Kind: k}, 1, 0)
	if err != nil || len(rows) == 0 {
		t.Fatalf("no %s case: %v", k, err)
	}
	c, err := f.store.GetCase(context.Background(), rows[0].CaseID)
	if err != nil {
		t.Fatal(err)
	}
	return c
}

func TestFirstAdmin(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	need, err := f.svc.NeedsFirstAdmin(ctx)
	if err != nil || !need {
		t.Fatalf("got need=%v err=%v, want true", need, err)
	}
	if _, err := f.svc.CreateFirstAdmin(ctx, desk.NewStaff{Username: "ana", FullName: "Ana", Password: "short"}); !app.IsInvalid(err) {
		t.Fatalf("short password: got %v, want invalid", err)
	}
	sess, err := f.svc.CreateFirstAdmin(ctx, desk.NewStaff{Username: " Ana ", FullName: "Ana Gil", Password: "una clave larga"})
	if err != nil {
		t.Fatal(err)
	}
	if sess.Role() != app.RoleAdmin || sess.Staff().Username != "ana" || sess.Staff().PasswordHash != "" {
		t.Fatalf("got %+v, want admin ana without hash", sess.Staff())
	}
	st, _ := f.store.GetStaffByUsername(ctx, "ana")
	if !strings.HasPrefix(st.PasswordHash, "$2") {
		t.Fatalf("got hash %q, want bcrypt", st.PasswordHash)
	}
	if _, err := f.svc.CreateFirstAdmin(ctx, desk.NewStaff{Username: "eve", FullName: "Eve", Password: "otra clave larga"}); !errors.Is(err, app.ErrForbidden) {
		t.Fatalf("second first admin: got %v, want forbidden", err)
	}
	if n, err := app.CheckAudit(ctx, f.store); err != nil || n != 1 {
		t.Fatalf("audit: %d entries, %v; want 1, intact", n, err)
	}
}

func TestSignInLockOutSignOut(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.demo(t)
	for i := 0; i < 5; i++ {
		if _, err := f.svc.SignIn(ctx, "lucia", "wrong password"); !errors.Is(err, desk.ErrBadCredentials) {
			t.Fatalf("attempt %d: got %v, want bad credentials", i, err)
		}
	}
	if _, err := f.svc.SignIn(ctx, "lucia", desk.DemoPassword); !errors.Is(err, desk.ErrLockedOut) {
		t.Fatalf("after 5 failures: got %v, want locked out", err)
	}
	if _, err := f.svc.SignIn(ctx, "nobody", "whatever1"); !errors.Is(err, desk.ErrBadCredentials) {
		t.Fatalf("unknown user: got %v", err)
	}
	f.now = f.now.Add(2 * time.Minute)
	sess := f.signIn(t, app.RoleClerk)
	if _, err := f.svc.InboxCounts(ctx, sess); err != nil {
		t.Fatal(err)
	}
	f.svc.Lock(sess)
	if _, err := f.svc.InboxCounts(ctx, sess); !errors.Is(err, desk.ErrSessionEnded) {
		t.Fatalf("locked: got %v, want session ended", err)
	}
	if err := f.svc.Unlock(ctx, sess, "nope nope"); !errors.Is(err, desk.ErrBadCredentials) {
		t.Fatalf("unlock wrong: got %v", err)
	}
	if err := f.svc.Unlock(ctx, sess, desk.DemoPassword); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SignOut(ctx, sess); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.InboxCounts(ctx, sess); !errors.Is(err, desk.ErrSessionEnded) {
		t.Fatalf("signed out: got %v, want session ended", err)
	}
	if _, err := app.CheckAudit(ctx, f.store); err != nil {
		t.Fatal(err)
	}
}

func TestPermissions(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.demo(t)
	procedure := f.caseOfKind(t, app.KindProcedure)
	incident := f.caseOfKind(t, app.KindIncident)
	message := f.caseOfKind(t, app.KindMessage)

	police := f.signIn(t, app.RolePolice)
	if _, err := f.svc.Case(ctx, police, procedure.ID); !errors.Is(err, app.ErrForbidden) {
		t.Fatalf("police opens a procedure: got %v, want forbidden", err)
	}
	if err := f.svc.AddNote(ctx, police, procedure.ID, "hola"); !errors.Is(err, app.ErrForbidden) {
		t.Fatalf("police notes a procedure: got %v, want forbidden", err)
	}
	if _, err := f.svc.Case(ctx, police, incident.ID); err != nil {
		t.Fatalf("police opens an incident: %v", err)
	}
	rows, err := f.svc.Inbox(ctx, police, desk.Filter{}, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rows {
		if r.Kind != app.KindIncident {
			t.Fatalf("police inbox shows a %s case", r.Kind)
		}
	}
	if _, err := f.svc.SearchResidents(ctx, police, "", 10, 0); !errors.Is(err, app.ErrForbidden) {
		t.Fatalf("police searches the register: got %v, want forbidden", err)
	}

	councillor := f.signIn(t, app.RoleCouncillor)
	if _, err := f.svc.Case(ctx, councillor, message.ID); err != nil {
		t.Fatalf("councillor opens a message addressed to her: %v", err)
	}
	if _, err := f.svc.Case(ctx, councillor, incident.ID); !errors.Is(err, app.ErrForbidden) {
		t.Fatalf("councillor opens an incident: got %v, want forbidden", err)
	}
	clerk := f.signIn(t, app.RoleClerk)
	if err := f.svc.PutSetting(ctx, clerk, "x", "y"); !errors.Is(err, app.ErrForbidden) {
		t.Fatalf("clerk changes settings: got %v, want forbidden", err)
	}
	kiosk := f.svc.KioskSession()
	if _, err := f.svc.Inbox(ctx, kiosk, desk.Filter{}, 10, 0); !errors.Is(err, app.ErrForbidden) {
		t.Fatalf("kiosk reads the inbox: got %v, want forbidden", err)
	}
	if _, err := f.svc.Case(ctx, nil, incident.ID); !errors.Is(err, app.ErrForbidden) {
		t.Fatalf("no session: got %v, want forbidden", err)
	}
}

func TestReplyWritesEventAndOutboxTogether(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.demo(t)
	clerk := f.signIn(t, app.RoleClerk)
	c := f.caseOfKind(t, app.KindQuery)
	d, err := f.svc.Case(ctx, clerk, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if !d.CanReply(desk.ReplyPublic) || !d.CanReply(desk.ReplyDM) {
		t.Fatalf("query by mention: got public=%v dm=%v, want both", d.CanReply(desk.ReplyPublic), d.CanReply(desk.ReplyDM))
	}
	item, err := f.svc.Reply(ctx, clerk, desk.ReplyRequest{CaseID: c.ID, Mode: desk.ReplyPublic, Text: "Abrimos a las 9:00.", Seen: d.Token})
	if err != nil {
		t.Fatal(err)
	}
	want := "Abrimos a las 9:00. (" + c.Number.String() + ")"
	if item.Text != want || item.Status != app.OutboxPending || item.Kind != app.OutboxReply || item.InReplyToID == "" {
		t.Fatalf("got %+v, want pending reply %q", item, want)
	}
	d, _ = f.svc.Case(ctx, clerk, c.ID)
	last := d.Timeline[len(d.Timeline)-1]
	if last.Event.Kind != app.EventOutbound || last.Outbox == nil || last.Outbox.ID != item.ID {
		t.Fatalf("timeline ends with %+v, want the outbound event of %s", last.Event, item.ID)
	}
	// A number already present is not repeated.
	item2, err := f.svc.Reply(ctx, clerk, desk.ReplyRequest{CaseID: c.ID, Mode: desk.ReplyDM, Text: "Su caso " + c.Number.String() + " sigue abierto.", Seen: d.Token})
	if err != nil {
		t.Fatal(err)
	}
	if strings.Count(item2.Text, c.Number.String()) != 1 || item2.Kind != app.OutboxDM || item2.RecipientUserID == "" {
		t.Fatalf("got %+v", item2)
	}
	// Too long as the network counts it: 270 letters + the number.
	if _, err := f.svc.Reply(ctx, clerk, desk.ReplyRequest{CaseID: c.ID, Mode: desk.ReplyPublic, Text: strings.Repeat("a", 270)}); !app.IsInvalid(err) {
		t.Fatalf("too long: got %v, want invalid", err)
	}
	// Personal data in public needs confirmation.
	if _, err := f.svc.Reply(ctx, clerk, desk.ReplyRequest{CaseID: c.ID, Mode: desk.ReplyPublic, Text: "Llame al 612 345 678"}); !errors.Is(err, desk.ErrPersonalData) {
		t.Fatalf("personal data: got %v, want ErrPersonalData", err)
	}
	if _, err := f.svc.Reply(ctx, clerk, desk.ReplyRequest{CaseID: c.ID, Mode: desk.ReplyPublic, Text: "Llame al 612 345 678", ConfirmPersonalData: true, Seen: f.seen(t, clerk, c.ID)}); err != nil {
		t.Fatal(err)
	}
	// A procedure goes by DM only.
	p := f.caseOfKind(t, app.KindProcedure)
	if _, err := f.svc.Reply(ctx, clerk, desk.ReplyRequest{CaseID: p.ID, Mode: desk.ReplyPublic, Text: "x"}); !app.IsInvalid(err) {
		t.Fatalf("public reply on a procedure: got %v, want invalid", err)
	}
	// A failed row of the outbox (an enqueue that breaks) rolls back the event too.
	before, _ := f.store.ListCaseEvents(ctx, c.ID)
	err = f.store.InTx(ctx, func(tx app.Tx) error {
		if err := tx.AddCaseEvent(ctx, &app.CaseEvent{CaseID: c.ID, Kind: app.EventNote, Body: "x"}); err != nil {
			return err
		}
		return tx.EnqueueOutbox(ctx, &app.OutboxItem{CaseID: c.ID, Kind: app.OutboxDM, Text: "x"}) // no recipient: CHECK fails
	})
	after, _ := f.store.ListCaseEvents(ctx, c.ID)
	if err == nil || len(after) != len(before) {
		t.Fatalf("got err=%v events %d→%d, want a rollback", err, len(before), len(after))
	}
	if _, err := app.CheckAudit(ctx, f.store); err != nil {
		t.Fatal(err)
	}
}

func TestCaseActions(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.demo(t)
	clerk := f.signIn(t, app.RoleClerk)
	c := f.caseOfKind(t, app.KindIncident) // newest incident: received
	if err := f.svc.ChangeStatus(ctx, clerk, c.ID, f.seen(t, clerk, c.ID), app.StatusDebated, ""); !app.IsInvalid(err) {
		t.Fatalf("incident to debated: got %v, want invalid", err)
	}
	steps := []app.CaseStatus{app.StatusInProgress, app.StatusResolved, app.StatusInProgress}
	for _, st := range steps {
		if err := f.svc.ChangeStatus(ctx, clerk, c.ID, f.seen(t, clerk, c.ID), st, "nota"); err != nil {
			t.Fatalf("to %s: %v", st, err)
		}
	}
	got, _ := f.store.GetCase(ctx, c.ID)
	if got.Status != app.StatusInProgress || !got.ClosedAt.IsZero() {
		t.Fatalf("got %s closed %v, want reopened in progress", got.Status, got.ClosedAt)
	}
	colleagues, _ := f.svc.Colleagues(ctx, clerk)
	if err := f.svc.Assign(ctx, clerk, c.ID, f.seen(t, clerk, c.ID), colleagues[0].ID); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SetPriority(ctx, clerk, c.ID, f.seen(t, clerk, c.ID), app.PriorityUrgent); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.AddNote(ctx, clerk, c.ID, "  "); !app.IsInvalid(err) {
		t.Fatalf("empty note: got %v", err)
	}
	other := f.caseOfKind(t, app.KindQuery)
	if err := f.svc.Merge(ctx, clerk, c.ID, f.seen(t, clerk, c.ID), other.Number.String()); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.Merge(ctx, clerk, other.ID, f.seen(t, clerk, other.ID), other.Number.String()); !app.IsInvalid(err) {
		t.Fatalf("merge into itself: got %v", err)
	}
	got, _ = f.store.GetCase(ctx, c.ID)
	if got.MergedInto != other.ID || got.Priority != app.PriorityUrgent || got.AssigneeID != colleagues[0].ID {
		t.Fatalf("got %+v", got)
	}
	n, _ := f.svc.CountInbox(ctx, clerk, desk.Filter{Search: c.Number.String()})
	if n != 0 {
		t.Fatalf("merged case still in the inbox (%d)", n)
	}
	d, _ := f.svc.Case(ctx, clerk, other.ID)
	if k := d.Timeline[len(d.Timeline)-1].Event.Kind; k != app.EventMerge {
		t.Fatalf("target's last event is %s, want merge", k)
	}
	entries, err := f.store.ListAuditEntries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	actions := map[string]int{}
	for _, e := range entries {
		actions[e.Action]++
	}
	for _, a := range []string{"case.status", "case.assign", "case.priority", "case.merge"} {
		if actions[a] == 0 {
			t.Errorf("no audit entry for %s", a)
		}
	}
}

func TestRetryOutbox(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.demo(t)
	police := f.signIn(t, app.RolePolice)
	failed, err := f.store.ListOutbox(ctx, app.OutboxFailed, 10)
	if err != nil || len(failed) != 1 {
		t.Fatalf("got %d failed (%v), want 1", len(failed), err)
	}
	if err := f.svc.RetryOutbox(ctx, police, failed[0].ID); err != nil {
		t.Fatal(err)
	}
	o, _ := f.store.GetOutboxItem(ctx, failed[0].ID)
	if o.Status != app.OutboxPending {
		t.Fatalf("got %s, want pending", o.Status)
	}
	if err := f.svc.RetryOutbox(ctx, police, o.ID); !app.IsInvalid(err) {
		t.Fatalf("retry a pending row: got %v, want invalid", err)
	}
}

func TestInboxFiltersCountsSearch(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.demo(t)
	clerk := f.signIn(t, app.RoleClerk)
	all, err := f.svc.Inbox(ctx, clerk, desk.Filter{}, 100, 0)
	if err != nil {
		t.Fatal(err)
	}
	counts, err := f.svc.InboxCounts(ctx, clerk)
	if err != nil {
		t.Fatal(err)
	}
	if len(all) != 11 || counts.Total != 11 {
		t.Fatalf("got %d rows, total %d, want 11", len(all), counts.Total)
	}
	for i := 1; i < len(all); i++ {
		if all[i].OpenedAt.After(all[i-1].OpenedAt) {
			t.Fatalf("row %d is newer than row %d", i, i-1)
		}
	}
	page, _ := f.svc.Inbox(ctx, clerk, desk.Filter{}, 4, 8)
	if len(page) != 3 || page[0].CaseID != all[8].CaseID {
		t.Fatalf("page at 8: got %d rows, want the last 3", len(page))
	}
	tests := []struct {
		name string
		f    desk.Filter
		want int
	}{
		{"incidents", desk.Filter{Kind: app.KindIncident}, counts.ByKind[app.KindIncident]},
		{"received", desk.Filter{Status: app.StatusReceived}, counts.ByStatus[app.StatusReceived]},
		{"overdue", desk.Filter{Overdue: true}, counts.Overdue},
		{"unassigned", desk.Filter{AssigneeID: desk.Unassigned}, counts.Unassigned},
		{"unread", desk.Filter{UnreadOnly: true}, counts.Unread},
		{"open", desk.Filter{OpenOnly: true}, counts.Open},
		{"verified", desk.Filter{Verified: desk.Yes}, 6},
		{"not verified", desk.Filter{Verified: desk.No}, 5},
		{"words, accents ignored", desk.Filter{Search: "farola lavadero"}, 1},
		{"prefix", desk.Filter{Search: "empadrona"}, 1},
		{"handle", desk.Filter{Search: "@rosajm"}, 2},
		{"resident name", desk.Filter{Search: "Fernández"}, 2},
		{"registry number", desk.Filter{Search: all[0].Number}, 1},
		{"punctuation only", desk.Filter{Search: "¿?"}, 0},
	}
	for _, tt := range tests {
		n, err := f.svc.CountInbox(ctx, clerk, tt.f)
		if err != nil {
			t.Fatalf("%s: %v", tt.name, err)
		}
		rows, _ := f.svc.Inbox(ctx, clerk, tt.f, 100, 0)
		if n != tt.want || len(rows) != n {
			t.Errorf("%s: got count %d rows %d, want %d", tt.name, n, len(rows), tt.want)
		}
	}
	if counts.Overdue == 0 || counts.Unassigned == 0 || counts.Unread == 0 {
		t.Fatalf("demo counts look empty: %+v", counts)
	}
	police := f.signIn(t, app.RolePolice)
	councillor := f.signIn(t, app.RoleCouncillor)
	// Within a role's scope a search finds what it finds for a clerk, less what the role
	// may not see.
	for _, search := range []string{"", "farola", "empadrona", "@rosajm", "Fernández", all[0].Number, "a"} {
		everything, err := f.svc.Inbox(ctx, clerk, desk.Filter{Search: search}, 100, 0)
		if err != nil {
			t.Fatal(err)
		}
		for _, sess := range []*desk.Session{police, councillor} {
			var want []string
			for _, r := range everything {
				if sess.CanSeeKind(r.Kind) {
					want = append(want, r.CaseID)
				}
			}
			rows, err := f.svc.Inbox(ctx, sess, desk.Filter{Search: search}, 100, 0)
			if err != nil {
				t.Fatal(err)
			}
			n, err := f.svc.CountInbox(ctx, sess, desk.Filter{Search: search})
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, r := range rows {
				got = append(got, r.CaseID)
			}
			if sess == police && !slices.Equal(got, want) || n != len(got) || len(got) > len(want) {
				t.Errorf("%s searching %q: got %d rows (count %d), want %d of the clerk's", sess.Staff().Role, search, len(got), n, len(want))
			}
		}
	}
	pc, _ := f.svc.InboxCounts(ctx, police)
	if pc.Total != counts.ByKind[app.KindIncident] {
		t.Fatalf("police total %d, want %d incidents", pc.Total, counts.ByKind[app.KindIncident])
	}
}

func TestStaffAdministration(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.demo(t)
	admin := f.signIn(t, app.RoleAdmin)
	st, err := f.svc.CreateStaff(ctx, admin, desk.NewStaff{Username: "nuevo", FullName: "Nuevo Agente", Role: app.RolePolice, Password: "clave segura 1"})
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.CreateStaff(ctx, admin, desk.NewStaff{Username: "nuevo", FullName: "Otro", Role: app.RoleClerk, Password: "clave segura 1"}); !errors.Is(err, app.ErrConflict) {
		t.Fatalf("duplicate username: got %v, want conflict", err)
	}
	if err := f.svc.UpdateStaff(ctx, admin, desk.StaffChange{ID: st.ID, FullName: st.FullName, Role: app.RolePolice, Active: false}); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SignIn(ctx, "nuevo", "clave segura 1"); !errors.Is(err, desk.ErrBadCredentials) {
		t.Fatalf("deactivated sign-in: got %v", err)
	}
	if err := f.svc.UpdateStaff(ctx, admin, desk.StaffChange{ID: admin.Staff().ID, FullName: "x", Role: app.RoleClerk, Active: true}); !app.IsInvalid(err) {
		t.Fatalf("self-demotion: got %v, want invalid", err)
	}
	clerk := f.signIn(t, app.RoleClerk)
	if _, err := f.svc.CreateStaff(ctx, clerk, desk.NewStaff{Username: "x", FullName: "x", Role: app.RoleAdmin, Password: "clave segura 1"}); !errors.Is(err, app.ErrForbidden) {
		t.Fatalf("clerk creates staff: got %v, want forbidden", err)
	}
	if err := f.svc.ChangePassword(ctx, clerk, desk.DemoPassword, "otra clave 22"); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.SignIn(ctx, "lucia", "otra clave 22"); err != nil {
		t.Fatal(err)
	}
}

func TestWithRegistryNumber(t *testing.T) {
	n := app.RegistryNumber{Year: 2026, Seq: 12}
	for _, tt := range []struct{ in, want string }{
		{"Hola", "Hola (E-2026-000012)"},
		{"  Hola  ", "Hola (E-2026-000012)"},
		{"Caso e-2026-000012 resuelto", "Caso e-2026-000012 resuelto"},
		{"Caso E-2026-000012", "Caso E-2026-000012"},
	} {
		if got := desk.WithRegistryNumber(tt.in, n); got != tt.want {
			t.Errorf("WithRegistryNumber(%q): got %q, want %q", tt.in, got, tt.want)
		}
	}
}
