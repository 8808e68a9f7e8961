package intake_test

import (
	"context"
	"crypto/rand"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"ventanilla/app"
	"ventanilla/app/intake"
	"ventanilla/app/network"
	"ventanilla/app/network/sim"
	"ventanilla/app/network/x"
	"ventanilla/app/sync"
	"ventanilla/app/verify"
	"ventanilla/db"
)

type clock struct {
	mu  gosync.Mutex
	now time.Time
}

func (c *clock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.now }
func (c *clock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}
func (c *clock) Sleep(ctx context.Context, d time.Duration) error { c.Advance(d); return ctx.Err() }

type world struct {
	t      *testing.T
	clock  *clock
	sim    *sim.Server
	store  *db.Store
	verify *verify.Service
	engine *sync.Engine
}

func newWorld(t *testing.T) *world {
	t.Helper()
	ctx := context.Background()
	// Thursday 19 November 2026, 10:00 in Madrid.
	c := &clock{now: time.Date(2026, 11, 19, 9, 0, 0, 0, time.UTC)}
	s := sim.New(sim.Options{Clock: c.Now, OwnerHandle: "AytoPrueba", OwnerName: "Ayuntamiento de Prueba"})
	url, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	nc, err := x.New(ctx, x.Config{BaseURL: url, BearerToken: "t"})
	if err != nil {
		t.Fatal(err)
	}
	store, err := db.Open(ctx, filepath.Join(t.TempDir(), "v.db"), db.WithClock(c.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	if err := intake.Seed(ctx, store, func() int { return 2026 }); err != nil {
		t.Fatal(err)
	}
	// Seeding twice changes nothing.
	if err := intake.Seed(ctx, store, func() int { return 2026 }); err != nil {
		t.Fatal(err)
	}
	v := verify.New(store, nc, c.Now, rand.Reader)
	in := intake.New(store, v, c.Now)
	e := sync.New(sync.Config{Store: store, Net: nc, Intake: in, Clock: c.Now, Sleep: c.Sleep})
	return &world{t: t, clock: c, sim: s, store: store, verify: v, engine: e}
}

func (w *world) account(h string) {
	if _, err := w.sim.CreateAccount(h, "Vecino "+h); err != nil {
		w.t.Fatal(err)
	}
}

func (w *world) sync() {
	w.t.Helper()
	if _, err := w.engine.RunOnce(context.Background()); err != nil {
		w.t.Fatal(err)
	}
}

// caseOf returns the case a resident's message became.
func (w *world) caseOf(messageID string) app.Case {
	w.t.Helper()
	c, err := w.store.FindCaseByMessage(context.Background(), "x", messageID)
	if err != nil {
		w.t.Fatalf("case of message %s: %v", messageID, err)
	}
	return c
}

func (w *world) deptCode(id string) string {
	ds, _ := w.store.ListDepartments(context.Background())
	for _, d := range ds {
		if d.ID == id {
			return d.Code
		}
	}
	return ""
}

func TestIntakeThroughSync(t *testing.T) {
	w := newWorld(t)
	w.account("vecina_uno")
	w.account("vecino_dos")
	type expect struct {
		id   string
		kind app.CaseKind
		dept string
	}
	var want []expect
	post := func(h, text string, kind app.CaseKind, dept string) {
		w.clock.Advance(time.Second)
		p, err := w.sim.Post(h, text, "")
		if err != nil {
			t.Fatal(err)
		}
		want = append(want, expect{p.ID, kind, dept})
	}
	post("vecina_uno", "@AytoPrueba la farola de la calle Falsa está fundida #incidencia", app.KindIncident, "obras")
	post("vecino_dos", "#Incidencia coche mal aparcado en el vado, @AytoPrueba", app.KindIncident, "policia")
	post("vecina_uno", "@AytoPrueba propongo arreglar el parque infantil #pleno", app.KindProposal, "secretaria")
	post("vecino_dos", "@AytoPrueba ¿a qué hora abre la piscina?", app.KindQuery, "atencion")
	post("vecina_uno", "@AytoPrueba quiero el certificado de empadronamiento #trámite", app.KindProcedure, "atencion")
	w.sync()
	for _, e := range want {
		c := w.caseOf(e.id)
		if c.Kind != e.kind || w.deptCode(c.DepartmentID) != e.dept {
			t.Errorf("message %s: got %s/%s, want %s/%s", e.id, c.Kind, w.deptCode(c.DepartmentID), e.kind, e.dept)
		}
		if c.DueAt.IsZero() || !c.DueAt.After(c.OpenedAt) {
			t.Errorf("case %s: due %v", c.Number, c.DueAt)
		}
		if !c.FlagUnverified {
			t.Errorf("case %s from an unknown account not flagged unverified", c.Number)
		}
	}
	// The incident (5 working days from Thursday 19 Nov) is due at the end of Thursday 26 Nov.
	inc := w.caseOf(want[0].id)
	if got := inc.DueAt.In(app.Madrid).Format("2006-01-02 15:04"); got != "2026-11-26 23:59" {
		t.Errorf("incident due: got %s, want 2026-11-26 23:59", got)
	}
	// Acknowledgements: a public reply to the incident carrying its number; the procedure by DM
	// and explaining that a verified account is needed.
	posts, dms := w.sim.OwnerPosts(), w.sim.OwnerDMs()
	var incAck, procAck string
	for _, p := range posts {
		if p.InReplyTo == want[0].id {
			incAck = p.Text
		}
	}
	proc := w.caseOf(want[4].id)
	for _, d := range dms {
		if strings.Contains(d.Text, proc.Number.String()) {
			procAck = d.Text
		}
	}
	if !strings.Contains(incAck, inc.Number.String()) || !strings.Contains(incAck, "Obras") {
		t.Errorf("incident acknowledgement: %q", incAck)
	}
	if !strings.Contains(procAck, "verificada") {
		t.Errorf("procedure acknowledgement for an unverified account: %q", procAck)
	}
	st, _ := w.store.Status(context.Background())
	if st.Cases.Total != 5 || st.Outbox.Sent != 5 {
		t.Errorf("status: %+v", st)
	}
}

func TestPersonalDataInPublicGoesByDM(t *testing.T) {
	w := newWorld(t)
	w.account("vecina_uno")
	p, _ := w.sim.Post("vecina_uno", "@AytoPrueba mi DNI es 00000000T y mi teléfono 600 000 000, ¿me llaman?", "")
	w.sync()
	c := w.caseOf(p.ID)
	if !c.FlagPersonalData {
		t.Error("case not flagged for personal data")
	}
	if n := len(w.sim.OwnerPosts()); n != 0 {
		t.Errorf("%d public replies; personal data must be answered by DM", n)
	}
	dms := w.sim.OwnerDMs()
	if len(dms) != 1 || strings.Contains(dms[0].Text, "00000000T") || !strings.Contains(dms[0].Text, "mensaje directo") {
		t.Errorf("DMs: %+v", dms)
	}
}

func TestVerifiedResidentProcedureAndHandleChange(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	w.account("vecina_uno")
	res, err := w.verify.AddResident(ctx, "cli", "Vecina Prueba", "00000000T", "", "", "")
	if err != nil {
		t.Fatal(err)
	}
	if _, err := w.verify.Link(ctx, "cli", res.ID, "@vecina_uno"); err != nil {
		t.Fatal(err)
	}
	ch, err := w.verify.Start(ctx, "cli", "@vecina_uno", 0)
	if err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(time.Minute)
	if _, err := w.sim.SendDM("vecina_uno", "Mi código es "+ch.Code); err != nil {
		t.Fatal(err)
	}
	w.sync()
	st, _ := w.verify.Status(ctx, "@vecina_uno")
	if st.Level != app.LevelVerified {
		t.Fatalf("level after the code: got %s, want verified", st.Level)
	}
	if s, _ := w.store.Status(ctx); s.Cases.Total != 0 {
		t.Errorf("the verification DM opened %d cases", s.Cases.Total)
	}
	dms := w.sim.OwnerDMs()
	if len(dms) != 1 || !strings.Contains(dms[0].Text, "verificada") {
		t.Errorf("confirmation DMs: %+v", dms)
	}
	// The resident changes handle; a procedure from the same account is still verified.
	accounts := w.sim.Accounts()
	var id string
	for _, a := range accounts {
		if a.Handle == "vecina_uno" {
			id = a.ID
		}
	}
	if _, err := w.sim.RenameAccount(id, "vecina_nueva"); err != nil {
		t.Fatal(err)
	}
	w.clock.Advance(time.Minute)
	d, _ := w.sim.SendDM("vecina_nueva", "#tramite quiero pedir cita previa")
	w.sync()
	c := w.caseOf(d.ID)
	if c.Kind != app.KindProcedure || c.FlagUnverified || c.ResidentID != res.ID {
		t.Errorf("procedure after handle change: %+v", c)
	}
	st, _ = w.verify.Status(ctx, "@vecina_nueva")
	if st.Level != app.LevelVerified || !hasFlag(st.Flags, "handle_changed") {
		t.Errorf("status after handle change: level %s, handle changed %v", st.Level, hasFlag(st.Flags, "handle_changed"))
	}
	// Someone else takes the old handle: never verified, flagged.
	w.account("vecina_uno")
	w.clock.Advance(time.Minute)
	p, _ := w.sim.Post("vecina_uno", "@AytoPrueba #tramite quiero un certificado de empadronamiento", "")
	w.sync()
	tc := w.caseOf(p.ID)
	if !tc.FlagUnverified || tc.ResidentID != "" {
		t.Errorf("takeover case: %+v", tc)
	}
	st, _ = w.verify.Status(ctx, "@vecina_uno")
	if st.Level.AtLeast(app.LevelVerified) || !hasFlag(st.Flags, "takeover") {
		t.Errorf("takeover status: level %s, takeover %v", st.Level, hasFlag(st.Flags, "takeover"))
	}
}

func hasFlag(flags []string, f string) bool {
	for _, x := range flags {
		if x == f {
			return true
		}
	}
	return false
}

func TestLanguage(t *testing.T) {
	for _, tc := range []struct{ text, want string }{
		{"@AytoPrueba the street light is broken, can you fix it? #incidencia", "en"},
		{"@AytoPrueba la farola de mi calle no funciona #incidencia", "es"},
		{"#incidencia", "es"},
		{"hello", "es"},
	} {
		if got := intake.Language(tc.text); got != tc.want {
			t.Errorf("Language(%q): got %s, want %s", tc.text, got, tc.want)
		}
	}
}

func TestEnglishAndThreadedReply(t *testing.T) {
	w := newWorld(t)
	w.account("visitor")
	p, _ := w.sim.Post("visitor", "@AytoPrueba hello, the street light on my street is broken #incidencia", "")
	w.sync()
	c := w.caseOf(p.ID)
	posts := w.sim.OwnerPosts()
	if len(posts) != 1 || !strings.Contains(posts[0].Text, "We have registered") || !strings.Contains(posts[0].Text, c.Number.String()) {
		t.Fatalf("acknowledgement: %+v", posts)
	}
	// The resident answers the town hall's acknowledgement: it joins the case.
	w.clock.Advance(time.Minute)
	r, err := w.sim.Post("visitor", "Thanks! It is still off tonight.", posts[0].ID)
	if err != nil {
		t.Fatal(err)
	}
	w.sync()
	if got := w.caseOf(r.ID); got.ID != c.ID {
		t.Errorf("reply joined %s, want %s", got.Number, c.Number)
	}
	if st, _ := w.store.Status(context.Background()); st.Cases.Total != 1 || st.Messages.Total != 2 {
		t.Errorf("status: %+v", st)
	}
}

// A network that does not expand authors gives messages without handles: they are still
// stored and classified, and nobody is flagged for sharing the empty handle.
func TestAuthorsWithoutHandles(t *testing.T) {
	ctx := context.Background()
	w := newWorld(t)
	owner := w.sim.Owner()
	in := intake.New(w.store, w.verify, w.clock.Now)
	for i, uid := range []string{"5001", "5002"} {
		err := w.store.InTx(ctx, func(tx app.Tx) error {
			m := app.InboundMessage{Network: "x", MessageID: "99000" + uid, Channel: app.ChannelMention, AuthorUserID: uid,
				Text: "@AytoPrueba #incidencia farola apagada", PostedAt: w.clock.Now(), Raw: "{}"}
			_, err := in.Accept(ctx, tx, &m, network.User{ID: owner.ID, Handle: owner.Handle})
			return err
		})
		if err != nil {
			t.Fatalf("message %d: %v", i, err)
		}
		if i == 0 { // staff link the first account: a takeover check would now compare handles
			err := w.store.InTx(ctx, func(tx app.Tx) error {
				ident, err := tx.GetIdentityByUserID(ctx, "x", uid)
				if err != nil {
					return err
				}
				ident.Level = app.LevelLinked
				return tx.UpdateIdentity(ctx, &ident)
			})
			if err != nil {
				t.Fatal(err)
			}
		}
	}
	for _, uid := range []string{"5001", "5002"} {
		ident, err := w.store.GetIdentityByUserID(ctx, "x", uid)
		if err != nil {
			t.Fatal(err)
		}
		if ident.Takeover || ident.Lookalike {
			t.Errorf("user %s flagged: %+v", uid, ident)
		}
	}
	if st, _ := w.store.Status(ctx); st.Cases.ByKind[app.KindIncident] != 2 {
		t.Errorf("incidents: %+v", st.Cases)
	}
}
