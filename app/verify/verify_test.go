package verify_test

import (
	"context"
	"crypto/rand"
	"errors"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"ventanilla/app"
	"ventanilla/app/network"
	"ventanilla/app/network/sim"
	"ventanilla/app/network/x"
	"ventanilla/app/verify"
	"ventanilla/db"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

type testClock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *testClock) Now() time.Time { c.mu.Lock(); defer c.mu.Unlock(); return c.t }
func (c *testClock) Advance(d time.Duration) {
	c.mu.Lock()
	defer c.mu.Unlock()
	c.t = c.t.Add(d)
}

type fixture struct {
	t      *testing.T
	ctx    context.Context
	clock  *testClock
	store  *db.Store
	sim    *sim.Server
	client network.Client
	svc    *verify.Service
	owner  sim.Account
	staff  string
	seen   map[string]bool
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	ctx := context.Background()
	clk := &testClock{t: t0}
	st, err := db.Open(ctx, filepath.Join(t.TempDir(), "ventanilla.db"), db.WithClock(clk.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s := sim.New(sim.Options{Clock: clk.Now, OwnerHandle: "AytoVillaverde", OwnerName: "Ayuntamiento de Villaverde"})
	url, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	c, err := x.New(ctx, x.Config{BaseURL: url, BearerToken: "t", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	f := &fixture{t: t, ctx: ctx, clock: clk, store: st, sim: s, client: c, owner: s.Owner(), seen: map[string]bool{}}
	f.svc = verify.New(st, c, clk.Now, rand.Reader)
	err = st.InTx(ctx, func(tx app.Tx) error {
		sf := app.Staff{Username: "clerk", FullName: "Funcionaria Prueba", Role: app.RoleClerk, PasswordHash: "x", Active: true}
		if err := tx.CreateStaff(ctx, &sf); err != nil {
			return err
		}
		f.staff = sf.ID
		return tx.PutSetting(ctx, verify.SettingOfficialHandles, "AytoVillaverde, PoliciaVillaverde")
	})
	if err != nil {
		t.Fatal(err)
	}
	return f
}

func (f *fixture) account(handle string) sim.Account {
	f.t.Helper()
	a, err := f.sim.CreateAccount(handle, "Vecina Prueba")
	if err != nil {
		f.t.Fatal(err)
	}
	return a
}

func (f *fixture) resident(name, doc string) app.Resident {
	f.t.Helper()
	r, err := f.svc.AddResident(f.ctx, f.staff, name, doc, "600000000", "", "Calle Falsa 123")
	if err != nil {
		f.t.Fatal(err)
	}
	return r
}

// result is what intake learnt from one message.
type result struct {
	handled bool
	outcome string
	ident   app.Identity
}

// receive pulls new DMs and mentions through the real client and runs each, in order, through
// what intake does in its transaction: store the message, observe its author, try it as a
// verification.
func (f *fixture) receive() []result {
	f.t.Helper()
	var msgs []app.InboundMessage
	dms, err := f.client.ListDMEvents(f.ctx, network.ListDMParams{MaxResults: 50})
	if err != nil {
		f.t.Fatal(err)
	}
	for i := len(dms.Messages) - 1; i >= 0; i-- {
		d := dms.Messages[i]
		if d.SenderID == f.owner.ID {
			continue
		}
		msgs = append(msgs, app.InboundMessage{Network: "x", MessageID: d.ID, Channel: app.ChannelDM, AuthorUserID: d.SenderID,
			Text: d.Text, ConversationID: d.ConversationID, PostedAt: d.CreatedAt, Raw: string(d.Raw)})
	}
	posts, err := f.client.ListMentions(f.ctx, network.ListMentionsParams{UserID: f.owner.ID, MaxResults: 100})
	if err != nil {
		f.t.Fatal(err)
	}
	for i := len(posts.Posts) - 1; i >= 0; i-- {
		p := posts.Posts[i]
		msgs = append(msgs, app.InboundMessage{Network: "x", MessageID: p.ID, Channel: app.ChannelMention, AuthorUserID: p.AuthorID,
			Text: p.Text, ConversationID: p.ConversationID, PostedAt: p.CreatedAt, Raw: string(p.Raw)})
	}
	var out []result
	for _, m := range msgs {
		if f.seen[m.MessageID] {
			continue
		}
		f.seen[m.MessageID] = true
		u, err := f.client.UserByID(f.ctx, m.AuthorUserID)
		if err != nil {
			f.t.Fatal(err)
		}
		m.AuthorHandle, m.AuthorName = u.Handle, u.DisplayName
		var r result
		err = f.store.InTx(f.ctx, func(tx app.Tx) error {
			if _, err := tx.InsertInboundMessage(f.ctx, &m); err != nil {
				return err
			}
			id, err := f.svc.ObserveHandle(f.ctx, tx, m.Network, m.AuthorUserID, m.AuthorHandle, m.AuthorName)
			if err != nil {
				return err
			}
			r.handled, r.outcome, err = f.svc.HandleMessage(f.ctx, tx, m)
			if err != nil {
				return err
			}
			r.ident, err = tx.GetIdentity(f.ctx, id.ID)
			return err
		})
		if err != nil {
			f.t.Fatal(err)
		}
		out = append(out, r)
	}
	return out
}

// one receives and expects exactly one new message.
func (f *fixture) one() result {
	f.t.Helper()
	rs := f.receive()
	if len(rs) != 1 {
		f.t.Fatalf("got %d new messages, want 1", len(rs))
	}
	return rs[0]
}

func (f *fixture) dm(from, text string) {
	f.t.Helper()
	if _, err := f.sim.SendDM(from, text); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) identity(id string) app.Identity {
	f.t.Helper()
	i, err := f.store.GetIdentity(f.ctx, id)
	if err != nil {
		f.t.Fatal(err)
	}
	return i
}

func (f *fixture) attempts(identityID string) []verify.Outcome {
	f.t.Helper()
	as, err := f.store.ListAttempts(f.ctx, identityID)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []verify.Outcome
	for _, a := range as {
		out = append(out, a.Outcome)
	}
	return out
}

func (f *fixture) checkAudit() {
	f.t.Helper()
	if _, err := app.CheckAudit(f.ctx, f.store); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) auditActions() []string {
	f.t.Helper()
	es, err := f.store.ListAuditEntries(f.ctx)
	if err != nil {
		f.t.Fatal(err)
	}
	var out []string
	for _, e := range es {
		out = append(out, e.Action)
	}
	return out
}

func TestVerifyByDM(t *testing.T) {
	f := newFixture(t)
	acc := f.account("vecina_prueba")
	res := f.resident("Vecina Prueba", "00000000T")
	ident, err := f.svc.Link(f.ctx, f.staff, res.ID, "@vecina_prueba")
	if err != nil {
		t.Fatal(err)
	}
	if ident.UserID != acc.ID || ident.Level != app.LevelLinked {
		t.Fatalf("got user %s level %s, want %s linked", ident.UserID, ident.Level, acc.ID)
	}
	ch, err := f.svc.Start(f.ctx, f.staff, "vecina_prueba", 0)
	if err != nil {
		t.Fatal(err)
	}
	if ch.IdentityID != ident.ID || !ch.ExpiresAt.Equal(t0.Add(30*time.Minute)) || !strings.HasPrefix(ch.Code, "V-") {
		t.Fatalf("got challenge %+v", ch)
	}
	f.clock.Advance(5 * time.Minute)
	f.dm("vecina_prueba", "Hola, mi código es "+ch.Code)
	r := f.one()
	if !r.handled || r.outcome != "verified" {
		t.Fatalf("got handled %v outcome %q, want verified", r.handled, r.outcome)
	}
	got := f.identity(ident.ID)
	if got.Level != app.LevelVerified || got.VerifiedMethod != "dm" || got.VerifiedBy != f.staff || got.VerifiedMessageID == "" || !got.VerifiedAt.Equal(t0.Add(5*time.Minute)) {
		t.Fatalf("got %+v, want verified by dm by %s", got, f.staff)
	}
	chs, _ := f.store.ListChallenges(f.ctx, ident.ID)
	if chs[0].Status != verify.ChallengeUsed || chs[0].UsedMessageID != got.VerifiedMessageID {
		t.Fatalf("got challenge %+v, want used by %s", chs[0], got.VerifiedMessageID)
	}
	acts := strings.Join(f.auditActions(), " ")
	for _, want := range []string{"resident.create", "identity.link", "verify.start", "verify.attempt", "verify.verified"} {
		if !strings.Contains(acts, want) {
			t.Errorf("audit %q lacks %s", acts, want)
		}
	}
	f.checkAudit()
}

func TestVerifyByMentionAnyCase(t *testing.T) {
	f := newFixture(t)
	f.account("vecino2")
	ch, err := f.svc.Start(f.ctx, "kiosk", "vecino2", 0) // the kiosk: no resident, no staff
	if err != nil {
		t.Fatal(err)
	}
	body := strings.ToLower(strings.TrimPrefix(ch.Code, "V-"))
	if _, err := f.sim.Post("vecino2", "@AytoVillaverde VERIFICAR "+body, ""); err != nil {
		t.Fatal(err)
	}
	r := f.one()
	if r.outcome != "verified" || r.ident.Level != app.LevelVerified || r.ident.VerifiedMethod != "mention" || r.ident.VerifiedBy != "" {
		t.Fatalf("got %q %+v, want verified by mention", r.outcome, r.ident)
	}
}

// The red team: the original holder renames, another account takes the handle and sends the
// code it somehow learnt.
func TestCodeFromWrongUserWithSameHandle(t *testing.T) {
	f := newFixture(t)
	orig := f.account("ana_prueba")
	res := f.resident("Vecina Prueba", "00000001R")
	ident, err := f.svc.Link(f.ctx, f.staff, res.ID, "ana_prueba")
	if err != nil {
		t.Fatal(err)
	}
	ch, err := f.svc.Start(f.ctx, f.staff, "ana_prueba", 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.sim.RenameAccount(orig.ID, "ana_nueva"); err != nil {
		t.Fatal(err)
	}
	thief := f.account("ana_prueba")
	f.clock.Advance(time.Minute)
	f.dm("ana_prueba", ch.Code)
	r := f.one()
	if !r.handled || r.outcome != "wrong_user" {
		t.Fatalf("got handled %v outcome %q, want wrong_user", r.handled, r.outcome)
	}
	if r.ident.UserID != thief.ID || r.ident.Level != app.LevelUnknown || !r.ident.Takeover {
		t.Fatalf("got sender %+v, want %s unknown and flagged takeover", r.ident, thief.ID)
	}
	if got := f.attempts(r.ident.ID); len(got) != 1 || got[0] != verify.OutcomeWrongUser {
		t.Fatalf("got attempts %v, want [wrong_user]", got)
	}
	if got := f.identity(ident.ID); got.Level != app.LevelLinked {
		t.Fatalf("got original level %s, want linked", got.Level)
	}
	// The real resident, under the new handle, can still use the code.
	f.dm("ana_nueva", "código "+ch.Code)
	r = f.one()
	if r.outcome != "verified" || r.ident.ID != ident.ID || r.ident.Handle != "ana_nueva" || !r.ident.HandleChanged {
		t.Fatalf("got %q %+v, want the original identity verified under @ana_nueva", r.outcome, r.ident)
	}
	st, err := f.svc.Status(f.ctx, "ana_prueba")
	if err != nil {
		t.Fatal(err)
	}
	if st.UserID != thief.ID || !contains(st.Flags, "takeover") || len(st.Others) != 1 || st.Others[0].UserID != orig.ID {
		t.Fatalf("got status %+v, want the thief flagged with the original among others", st)
	}
	f.checkAudit()
}

func TestExpiredAndReusedCodes(t *testing.T) {
	f := newFixture(t)
	f.account("vecina3")
	ch, err := f.svc.Start(f.ctx, f.staff, "vecina3", 0)
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(31 * time.Minute)
	f.dm("vecina3", ch.Code)
	if r := f.one(); r.outcome != "expired" || r.ident.Level != app.LevelUnknown {
		t.Fatalf("got %q level %s, want expired, unknown", r.outcome, r.ident.Level)
	}
	// A newer code voids the older ones; the newer one works once.
	old, err := f.svc.Start(f.ctx, f.staff, "vecina3", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	ch, err = f.svc.Start(f.ctx, f.staff, "vecina3", time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	f.dm("vecina3", old.Code)
	if r := f.one(); r.outcome != "expired" {
		t.Fatalf("superseded code: got %q, want expired", r.outcome)
	}
	f.dm("vecina3", ch.Code)
	if r := f.one(); r.outcome != "verified" {
		t.Fatalf("got %q, want verified", r.outcome)
	}
	f.dm("vecina3", ch.Code)
	r := f.one()
	if r.outcome != "reused" || r.ident.Level != app.LevelVerified {
		t.Fatalf("got %q level %s, want reused and still verified", r.outcome, r.ident.Level)
	}
	if got := f.attempts(r.ident.ID); len(got) != 4 {
		t.Fatalf("got attempts %v, want 4", got)
	}
}

func TestBruteForceLocked(t *testing.T) {
	f := newFixture(t)
	f.account("vecino4")
	ch, err := f.svc.Start(f.ctx, f.staff, "vecino4", 3*time.Hour)
	if err != nil {
		t.Fatal(err)
	}
	wrong := []string{"V-AAAA33", "V-CCCC44", "V-DDDD66", "V-EEEE77", "V-FFFF99"}
	for _, w := range wrong {
		f.dm("vecino4", w)
		if r := f.one(); r.outcome != "wrong_code" {
			t.Fatalf("got %q, want wrong_code", r.outcome)
		}
		f.clock.Advance(time.Minute)
	}
	f.dm("vecino4", ch.Code)
	r := f.one()
	if !r.handled || r.outcome != "locked" || r.ident.Level != app.LevelUnknown {
		t.Fatalf("got %q level %s, want locked and unknown", r.outcome, r.ident.Level)
	}
	st, _ := f.svc.Status(f.ctx, "vecino4")
	if !contains(st.Flags, "locked") {
		t.Fatalf("got flags %v, want locked", st.Flags)
	}
	f.clock.Advance(61 * time.Minute)
	f.dm("vecino4", ch.Code)
	if r := f.one(); r.outcome != "verified" {
		t.Fatalf("an hour later: got %q, want verified", r.outcome)
	}
}

func TestHandleReRegisteredIsFlaggedAndNeverVerified(t *testing.T) {
	f := newFixture(t)
	orig := f.account("pepe_prueba")
	res := f.resident("Vecino Prueba", "X0000000T")
	ident, err := f.svc.Link(f.ctx, f.staff, res.ID, "pepe_prueba")
	if err != nil {
		t.Fatal(err)
	}
	ch, _ := f.svc.Start(f.ctx, f.staff, "pepe_prueba", 0)
	f.dm("pepe_prueba", ch.Code)
	if r := f.one(); r.outcome != "verified" {
		t.Fatalf("got %q, want verified", r.outcome)
	}
	f.sim.RenameAccount(orig.ID, "pepe_otro")
	f.clock.Advance(time.Hour)
	other := f.account("pepe_prueba")
	f.sim.Post("pepe_prueba", "@AytoVillaverde quiero pedir un certificado de empadronamiento", "")
	r := f.one()
	if r.handled {
		t.Fatalf("an ordinary message was taken as a verification (%q)", r.outcome)
	}
	if r.ident.UserID != other.ID || !r.ident.Takeover || r.ident.Level != app.LevelUnknown || r.ident.ResidentID != "" {
		t.Fatalf("got %+v, want a new unknown identity flagged takeover", r.ident)
	}
	if got := f.identity(ident.ID); got.Level != app.LevelVerified || !got.HandleChanged {
		t.Fatalf("got original %+v, want still verified with handle_changed", got)
	}
	// Linking the handle now binds the new holder, never the old verification.
	l, err := f.svc.Link(f.ctx, f.staff, res.ID, "pepe_prueba")
	if err != nil {
		t.Fatal(err)
	}
	if l.ID == ident.ID || l.Level != app.LevelLinked || !l.Takeover {
		t.Fatalf("got %+v, want the new account, linked and flagged", l)
	}
}

func TestLookalikeOfOfficialFlagged(t *testing.T) {
	f := newFixture(t)
	f.account("AytoVi11averde")
	f.account("Ayto_Villaverde")
	f.account("vecina_normal")
	f.sim.Post("AytoVi11averde", "@AytoVillaverde aviso oficial", "")
	f.sim.Post("Ayto_Villaverde", "@AytoVillaverde aviso oficial", "")
	f.sim.Post("vecina_normal", "@AytoVillaverde hola", "")
	rs := f.receive()
	if len(rs) != 3 {
		t.Fatalf("got %d messages, want 3", len(rs))
	}
	for i, want := range []bool{true, true, false} {
		if rs[i].ident.Lookalike != want {
			t.Errorf("@%s: got lookalike %v, want %v", rs[i].ident.Handle, rs[i].ident.Lookalike, want)
		}
	}
	st, err := f.svc.Status(f.ctx, "AytoVi11averde")
	if err != nil || !contains(st.Flags, "lookalike") {
		t.Fatalf("got %v %v, want lookalike flag", st.Flags, err)
	}
}

func TestVerificationSurvivesHandleChange(t *testing.T) {
	f := newFixture(t)
	acc := f.account("lola_prueba")
	res := f.resident("Vecina Prueba", "00000000T")
	ident, _ := f.svc.Link(f.ctx, f.staff, res.ID, "lola_prueba")
	ch, _ := f.svc.Start(f.ctx, f.staff, "lola_prueba", 0)
	f.dm("lola_prueba", ch.Code)
	f.one()
	f.clock.Advance(24 * time.Hour)
	f.sim.RenameAccount(acc.ID, "lola_nueva")
	f.sim.Post("lola_nueva", "@AytoVillaverde hay una farola rota", "")
	r := f.one()
	if r.ident.ID != ident.ID || r.ident.Level != app.LevelVerified || !r.ident.HandleChanged || r.ident.Takeover {
		t.Fatalf("got %+v, want the same identity, verified, handle_changed", r.ident)
	}
	st, err := f.svc.Status(f.ctx, "@lola_nueva")
	if err != nil {
		t.Fatal(err)
	}
	var hist []string
	for _, h := range st.History {
		hist = append(hist, h.Handle)
	}
	if strings.Join(hist, ",") != "lola_prueba,lola_nueva" || st.Resident == nil || st.Resident.Document != "••••••00T" {
		t.Fatalf("got history %v resident %+v", hist, st.Resident)
	}
}

func TestCensusImport(t *testing.T) {
	f := newFixture(t)
	f.account("censada")
	res := f.resident("Vecina Prueba", "00000000T")
	f.svc.Link(f.ctx, f.staff, res.ID, "censada")
	ch, _ := f.svc.Start(f.ctx, f.staff, "censada", 0)
	f.dm("censada", ch.Code)
	f.one()

	bad := "documento;nombre;direccion;fecha_nacimiento\n" +
		"00000000T;Vecina Prueba;Calle Falsa 123;1980-01-31\n" +
		"00000001X;Vecino Prueba;Calle Falsa 124;\n" + // wrong check letter
		"X0000000T;;Calle Falsa 125;31/01/1990\n" + // no name
		"00000002W;Otra Vecina;Calle Falsa 126;31-01-1990\n" // bad date
	rep, err := f.svc.ImportCensus(f.ctx, f.staff, strings.NewReader(bad), nil)
	if !app.IsInvalid(err) {
		t.Fatalf("got %v, want an invalid-input error", err)
	}
	var lines []int
	for _, p := range rep.Problems {
		lines = append(lines, p.Line)
	}
	if rep.Imported != 0 || len(lines) != 3 || lines[0] != 3 || lines[1] != 4 || lines[2] != 5 {
		t.Fatalf("got report %+v, want lines 3, 4, 5 and nothing imported", rep)
	}
	if r, _ := f.store.GetResident(f.ctx, res.ID); r.InCensus {
		t.Fatal("a rejected file imported rows")
	}

	good := "nombre,documento\nVecina Prueba,00000000T\nVecino Prueba,X0000000T\n"
	var progress [][2]int
	rep, err = f.svc.ImportCensus(f.ctx, f.staff, strings.NewReader(good), func(d, n int) { progress = append(progress, [2]int{d, n}) })
	if err != nil {
		t.Fatal(err)
	}
	if rep.Imported != 2 || rep.Promoted != 1 || len(progress) == 0 || progress[len(progress)-1] != [2]int{2, 2} {
		t.Fatalf("got %+v progress %v", rep, progress)
	}
	st, _ := f.svc.Status(f.ctx, "censada")
	if st.Level != app.LevelVerifiedCensus || !st.Resident.InCensus {
		t.Fatalf("got %s, want verified_census", st.Level)
	}
	f.checkAudit()
}

func TestAddResident(t *testing.T) {
	f := newFixture(t)
	f.resident("Vecina Prueba", "00000000T")
	tests := []struct {
		name, doc string
		conflict  bool
	}{
		{"Otra Persona", "00000000-t", true},
		{"Otra Persona", "00000000A", false},
		{"", "00000001R", false},
	}
	for _, tc := range tests {
		_, err := f.svc.AddResident(f.ctx, "cli", tc.name, tc.doc, "", "", "")
		if tc.conflict && !errors.Is(err, app.ErrConflict) {
			t.Errorf("%s: got %v, want conflict", tc.doc, err)
		}
		if !tc.conflict && !app.IsInvalid(err) {
			t.Errorf("%q %s: got %v, want invalid", tc.name, tc.doc, err)
		}
	}
}

func TestOfflineLinkResolvedLater(t *testing.T) {
	f := newFixture(t)
	acc := f.account("sin_red")
	res := f.resident("Vecina Prueba", "00000000T")
	offline := verify.New(f.store, nil, f.clock.Now, rand.Reader)
	ident, err := offline.Link(f.ctx, "cli", res.ID, "@sin_red")
	if err != nil {
		t.Fatal(err)
	}
	if ident.UserID != "" || ident.Level != app.LevelLinked {
		t.Fatalf("got %+v, want pending, linked", ident)
	}
	if _, err := offline.Start(f.ctx, "cli", "sin_red", 0); !errors.Is(err, verify.ErrOffline) {
		t.Fatalf("got %v, want ErrOffline", err)
	}
	if _, err := offline.ResolvePending(f.ctx); !errors.Is(err, verify.ErrOffline) {
		t.Fatalf("got %v, want ErrOffline", err)
	}
	n, err := f.svc.ResolvePending(f.ctx)
	if err != nil || n != 1 {
		t.Fatalf("got %d, %v, want 1 resolved", n, err)
	}
	if got := f.identity(ident.ID); got.UserID != acc.ID {
		t.Fatalf("got user id %q, want %s", got.UserID, acc.ID)
	}
	// Offline, a code can be issued for an account whose user id is known.
	if _, err := offline.Start(f.ctx, "cli", "sin_red", 0); err != nil {
		t.Fatal(err)
	}
}

func TestRevoke(t *testing.T) {
	f := newFixture(t)
	f.account("revocada")
	res := f.resident("Vecina Prueba", "00000000T")
	ident, _ := f.svc.Link(f.ctx, f.staff, res.ID, "revocada")
	ch, _ := f.svc.Start(f.ctx, f.staff, "revocada", 0)
	f.dm("revocada", ch.Code)
	f.one()
	if err := f.svc.Revoke(f.ctx, f.staff, ident.ID, ""); !app.IsInvalid(err) {
		t.Fatalf("got %v, want a reason required", err)
	}
	if err := f.svc.Revoke(f.ctx, f.staff, ident.ID, "the resident lost the phone"); err != nil {
		t.Fatal(err)
	}
	if got := f.identity(ident.ID); got.Level != app.LevelLinked || !got.VerifiedAt.IsZero() {
		t.Fatalf("got %+v, want linked", got)
	}
	f.checkAudit()
}

func TestNotAVerification(t *testing.T) {
	f := newFixture(t)
	f.account("normal")
	for _, text := range []string{"@AytoVillaverde la camara de la plaza no va", "@AytoVillaverde código postal 18370", "@AytoVillaverde ref 4K7M3C"} {
		f.sim.Post("normal", text, "")
	}
	for _, r := range f.receive() {
		if r.handled {
			t.Errorf("got handled %q, want an ordinary message", r.outcome)
		}
	}
}

func contains(xs []string, s string) bool {
	for _, x := range xs {
		if x == s {
			return true
		}
	}
	return false
}
