package desk_test

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
	"ventanilla/app/intake"
	"ventanilla/app/network"
	"ventanilla/app/verify"
	"ventanilla/db"
)

// settingsFixture is a register seeded like a new installation (intake.Seed) plus the demo
// staff, with the intake service wired to the desk's configuration hook as main wires it.
type settingsFixture struct {
	store   *db.Store
	svc     *desk.Service
	intake  *intake.Service
	reloads int
	admin   *desk.Session
	clerk   *desk.Session
}

func newSettingsFixture(t *testing.T) *settingsFixture {
	t.Helper()
	ctx := context.Background()
	clock := func() time.Time { return t0 } // never advances: intake's cache never expires by itself
	st, err := db.Open(ctx, filepath.Join(t.TempDir(), "v.db"), db.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	if err := intake.Seed(ctx, st, func() int { return 2026 }); err != nil {
		t.Fatal(err)
	}
	f := &settingsFixture{store: st, intake: intake.New(st, nil, clock)}
	f.svc = desk.New(st, desk.WithClock(clock), desk.WithBcryptCost(bcrypt.MinCost),
		desk.WithOnConfigChanged(func() { f.reloads++; f.intake.Reload() }))
	if err := f.svc.SeedDemo(ctx); err != nil {
		t.Fatal(err)
	}
	for _, p := range []struct {
		role app.Role
		to   **desk.Session
	}{{app.RoleAdmin, &f.admin}, {app.RoleClerk, &f.clerk}} {
		s, err := f.svc.SignIn(ctx, desk.DemoStaff[p.role], desk.DemoPassword)
		if err != nil {
			t.Fatal(err)
		}
		*p.to = s
	}
	return f
}

// auditCount counts the audit entries whose action starts with prefix.
func (f *settingsFixture) auditCount(t *testing.T, prefix string) int {
	t.Helper()
	es, err := f.store.ListAuditEntries(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	for _, e := range es {
		if strings.HasPrefix(e.Action, prefix) {
			n++
		}
	}
	return n
}

// department is the name of the department a message from a resident is routed to by intake.
func (f *settingsFixture) department(t *testing.T, id, text string) string {
	t.Helper()
	ctx := context.Background()
	var caseID string
	err := f.store.InTx(ctx, func(tx app.Tx) error {
		m := &app.InboundMessage{Network: "x", MessageID: id, Channel: app.ChannelMention, AuthorUserID: "4242",
			AuthorHandle: "vecina", AuthorName: "Vecina", Text: text, ConversationID: id, PostedAt: t0}
		if _, err := f.intake.Accept(ctx, tx, m, network.User{ID: "9000000000000000000", Handle: "ayuntamiento"}); err != nil {
			return err
		}
		caseID = m.CaseID
		return nil
	})
	if err != nil || caseID == "" {
		t.Fatalf("accept %q: case %q, err %v", text, caseID, err)
	}
	c, err := f.store.GetCase(ctx, caseID)
	if err != nil {
		t.Fatal(err)
	}
	ds, err := f.store.ListDepartments(ctx)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.ID == c.DepartmentID {
			return d.Code
		}
	}
	return ""
}

func TestSettingsRefuseNonAdmin(t *testing.T) {
	ctx := context.Background()
	f := newSettingsFixture(t)
	calls := map[string]error{}
	_, calls["General"] = f.svc.General(ctx, f.clerk)
	calls["SaveGeneral"] = f.svc.SaveGeneral(ctx, f.clerk, desk.GeneralSettings{MunicipalityName: "Jun", SyncIntervalMinutes: 5, Language: "es"})
	_, calls["CredentialsStatus"] = f.svc.CredentialsStatus(ctx, f.clerk)
	calls["SaveCredentials"] = f.svc.SaveCredentials(ctx, f.clerk, desk.CredentialsChange{Credentials: desk.Credentials{BearerToken: "x"}})
	_, calls["IntakeRules"] = f.svc.IntakeRules(ctx, f.clerk)
	_, calls["SaveIntakeRule"] = f.svc.SaveIntakeRule(ctx, f.clerk, app.IntakeRule{Name: "x", Action: "ignore", Hashtags: []string{"x"}})
	calls["DeleteIntakeRule"] = f.svc.DeleteIntakeRule(ctx, f.clerk, "x")
	calls["MoveIntakeRule"] = f.svc.MoveIntakeRule(ctx, f.clerk, "x", 1)
	calls["SetIntakeRuleEnabled"] = f.svc.SetIntakeRuleEnabled(ctx, f.clerk, "x", false)
	calls["EditTemplate"] = f.svc.EditTemplate(ctx, f.clerk, desk.Template{Key: "ack.query.ok", Lang: "es", Body: "{numero}"})
	_, calls["Holidays"] = f.svc.Holidays(ctx, f.clerk)
	calls["AddHoliday"] = f.svc.AddHoliday(ctx, f.clerk, app.Holiday{Day: "2026-09-08", Name: "x", Scope: "local"})
	calls["DeleteHoliday"] = f.svc.DeleteHoliday(ctx, f.clerk, "2026-01-01", "national")
	_, calls["Procedures"] = f.svc.Procedures(ctx, f.clerk)
	_, calls["SaveProcedure"] = f.svc.SaveProcedure(ctx, f.clerk, app.ProcedureType{Code: "x", NameES: "x", NameEN: "x", Keywords: []string{"x"}})
	_, calls["OfficialAccounts"] = f.svc.OfficialAccounts(ctx, f.clerk)
	_, calls["SaveOfficialAccount"] = f.svc.SaveOfficialAccount(ctx, f.clerk, desk.DirectoryEntry{Name: "x", Handle: "x"})
	calls["RemoveOfficialAccount"] = f.svc.RemoveOfficialAccount(ctx, f.clerk, "x")
	for name, err := range calls {
		if !errors.Is(err, app.ErrForbidden) {
			t.Errorf("%s as clerk: got %v, want ErrForbidden", name, err)
		}
	}
	if f.reloads != 0 {
		t.Errorf("got %d reloads after refused calls, want 0", f.reloads)
	}
}

func TestGeneralSettings(t *testing.T) {
	ctx := context.Background()
	f := newSettingsFixture(t)
	g, err := f.svc.General(ctx, f.admin)
	if err != nil {
		t.Fatal(err)
	}
	if g.SyncIntervalMinutes != 2 || g.Language != "" || g.MunicipalityName != "" {
		t.Errorf("defaults: got %+v, want 2 minutes, no language, no name", g)
	}
	for _, bad := range []desk.GeneralSettings{
		{MunicipalityName: " ", SyncIntervalMinutes: 5, Language: "es"},
		{MunicipalityName: "Jun", SyncIntervalMinutes: 0, Language: "es"},
		{MunicipalityName: "Jun", SyncIntervalMinutes: 61, Language: "es"},
		{MunicipalityName: "Jun", SyncIntervalMinutes: 5, Language: "fr"},
	} {
		if err := f.svc.SaveGeneral(ctx, f.admin, bad); !app.IsInvalid(err) {
			t.Errorf("SaveGeneral(%+v): got %v, want invalid", bad, err)
		}
	}
	want := desk.GeneralSettings{MunicipalityName: "Ayuntamiento de Jun", SyncIntervalMinutes: 15, Language: "en"}
	if err := f.svc.SaveGeneral(ctx, f.admin, want); err != nil {
		t.Fatal(err)
	}
	if got, _ := f.svc.General(ctx, f.admin); got != want {
		t.Errorf("got %+v, want %+v", got, want)
	}
	if iv, _ := f.svc.SyncInterval(ctx); iv != 15*time.Minute {
		t.Errorf("SyncInterval: got %v, want 15m", iv)
	}
	if l, _ := f.svc.InterfaceLanguage(ctx); l != "en" {
		t.Errorf("InterfaceLanguage: got %q, want en", l)
	}
	if n := f.auditCount(t, "setting.put"); n != 3 {
		t.Errorf("got %d setting audit entries, want 3", n)
	}
}

func TestCredentialsNeverReturnedInClear(t *testing.T) {
	ctx := context.Background()
	f := newSettingsFixture(t)
	const bearer = "AAAAAAAAAAAAAAAAAAAAAbearer-secret-9f3c"
	if err := f.svc.SaveCredentials(ctx, f.admin, desk.CredentialsChange{Credentials: desk.Credentials{BearerToken: bearer}}); err != nil {
		t.Fatal(err)
	}
	// Three of the four OAuth 1.0a values are refused, and change nothing.
	err := f.svc.SaveCredentials(ctx, f.admin, desk.CredentialsChange{Credentials: desk.Credentials{APIKey: "k", APIKeySecret: "s", AccessToken: "t"}})
	var ie *app.InvalidError
	if !errors.As(err, &ie) || ie.Field != desk.SettingXAccessSecret {
		t.Fatalf("three OAuth values: got %v, want invalid %s", err, desk.SettingXAccessSecret)
	}
	if err := f.svc.SaveCredentials(ctx, f.admin, desk.CredentialsChange{Credentials: desk.Credentials{BaseURL: "ftp://x"}}); !app.IsInvalid(err) {
		t.Fatalf("ftp base URL: got %v, want invalid", err)
	}
	oauth := desk.Credentials{APIKey: "consumer-key-0000001234", APIKeySecret: "short", AccessToken: "access-token-000000005678",
		AccessTokenSecret: "access-secret-00000000abcd", BaseURL: "http://127.0.0.1:8099"}
	if err := f.svc.SaveCredentials(ctx, f.admin, desk.CredentialsChange{Credentials: oauth}); err != nil {
		t.Fatal(err)
	}
	v, err := f.svc.CredentialsStatus(ctx, f.admin)
	if err != nil {
		t.Fatal(err)
	}
	want := desk.CredentialsView{
		BearerToken: desk.SecretState{Set: true, Last4: "9f3c"}, APIKey: desk.SecretState{Set: true, Last4: "1234"},
		APIKeySecret: desk.SecretState{Set: true}, // too short to show any of it
		AccessToken:  desk.SecretState{Set: true, Last4: "5678"}, AccessTokenSecret: desk.SecretState{Set: true, Last4: "abcd"},
		BaseURL: "http://127.0.0.1:8099",
	}
	if v != want {
		t.Errorf("status: got %+v, want %+v", v, want)
	}
	secrets := []string{bearer, oauth.APIKey, oauth.APIKeySecret, oauth.AccessToken, oauth.AccessTokenSecret}
	shown := fmt.Sprintf("%+v", v)
	es, _ := f.store.ListAuditEntries(ctx)
	for _, e := range es {
		shown += e.Target + " " + e.Details + "\n"
	}
	for _, s := range secrets {
		if len(s) > 4 && strings.Contains(shown, s) {
			t.Errorf("secret %q shown in the status or the audit log", s)
		}
	}
	// Main reads them in full; an empty field kept what was stored.
	c, err := f.svc.NetworkCredentials(ctx)
	if err != nil {
		t.Fatal(err)
	}
	oauth.BearerToken = bearer
	if c != oauth {
		t.Errorf("NetworkCredentials: got %+v, want %+v", c, oauth)
	}
	// Clearing the bearer token keeps the OAuth values.
	if err := f.svc.SaveCredentials(ctx, f.admin, desk.CredentialsChange{Credentials: desk.Credentials{BaseURL: oauth.BaseURL}, Clear: []string{desk.SettingXBearerToken}}); err != nil {
		t.Fatal(err)
	}
	if c, _ := f.svc.NetworkCredentials(ctx); c.BearerToken != "" || c.APIKey != oauth.APIKey {
		t.Errorf("after clearing the bearer token: got %+v", c)
	}
}

func ruleNamed(t *testing.T, rules []app.IntakeRule, name string) app.IntakeRule {
	t.Helper()
	for _, r := range rules {
		if r.Name == name {
			return r
		}
	}
	t.Fatalf("no rule %q", name)
	return app.IntakeRule{}
}

func deptID(t *testing.T, f *settingsFixture, code string) string {
	t.Helper()
	ds, err := f.svc.Departments(context.Background(), f.admin)
	if err != nil {
		t.Fatal(err)
	}
	for _, d := range ds {
		if d.Code == code {
			return d.ID
		}
	}
	t.Fatalf("no department %s", code)
	return ""
}

func TestIntakeRuleEditReachesIntake(t *testing.T) {
	ctx := context.Background()
	f := newSettingsFixture(t)
	const text = "#incidencia La farola de la plaza está fundida"
	if got := f.department(t, "1", text); got != intake.DeptPublicWork {
		t.Fatalf("before the edit: routed to %q, want %q", got, intake.DeptPublicWork)
	}
	rules, err := f.svc.IntakeRules(ctx, f.admin)
	if err != nil {
		t.Fatal(err)
	}
	r := ruleNamed(t, rules, "Incidencia de alumbrado público")
	r.DepartmentID = deptID(t, f, intake.DeptPolice)
	r.Keywords = append(r.Keywords, " #no-es-hashtag ", "farola") // trimmed, deduplicated
	if _, err := f.svc.SaveIntakeRule(ctx, f.admin, r); err != nil {
		t.Fatal(err)
	}
	after, err := f.store.ListIntakeRules(ctx)
	if err != nil {
		t.Fatal(err)
	}
	got := ruleNamed(t, after, r.Name)
	if got.ID != r.ID || got.DepartmentID != r.DepartmentID || got.Priority != r.Priority || len(after) != len(rules) {
		t.Errorf("round trip: got %+v (%d rules), want %+v (%d rules)", got, len(after), r, len(rules))
	}
	if n := strings.Count(strings.Join(got.Keywords, ","), "farola"); n != 1 {
		t.Errorf("keywords %q: got farola %d times, want 1", got.Keywords, n)
	}
	if f.reloads != 1 {
		t.Errorf("got %d reloads, want 1", f.reloads)
	}
	if got := f.department(t, "2", text); got != intake.DeptPolice {
		t.Errorf("after the edit: routed to %q, want %q", got, intake.DeptPolice)
	}

	// Disable it: the message falls to the next rules (the general incident rule: police).
	if err := f.svc.SetIntakeRuleEnabled(ctx, f.admin, r.ID, false); err != nil {
		t.Fatal(err)
	}
	// Add a rule, move it first, delete it.
	added, err := f.svc.SaveIntakeRule(ctx, f.admin, app.IntakeRule{Name: "Fiestas", Hashtags: []string{"#fiestas"}, Action: "case", Kind: app.KindQuery, Enabled: true})
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.MoveIntakeRule(ctx, f.admin, added.ID, -100); err != nil {
		t.Fatal(err)
	}
	rules, _ = f.svc.IntakeRules(ctx, f.admin)
	if rules[0].ID != added.ID || rules[0].Priority != 10 || rules[0].Hashtags[0] != "fiestas" {
		t.Errorf("after moving first: got %+v, want the new rule with priority 10 and hashtag fiestas", rules[0])
	}
	if err := f.svc.DeleteIntakeRule(ctx, f.admin, added.ID); err != nil {
		t.Fatal(err)
	}
	if rules, _ = f.svc.IntakeRules(ctx, f.admin); len(rules) != len(after) {
		t.Errorf("after delete: got %d rules, want %d", len(rules), len(after))
	}
	if n := f.auditCount(t, "intake_rule."); n != 5 {
		t.Errorf("got %d rule audit entries, want 5", n)
	}
}

func TestIntakeRuleValidation(t *testing.T) {
	ctx := context.Background()
	f := newSettingsFixture(t)
	before, _ := f.svc.IntakeRules(ctx, f.admin)
	for _, c := range []struct {
		rule  app.IntakeRule
		field string
	}{
		{app.IntakeRule{Hashtags: []string{"x"}, Action: "ignore"}, "name"},
		{app.IntakeRule{Name: "x", Hashtags: []string{"x"}, Action: "open"}, "action"},
		{app.IntakeRule{Name: "x", Hashtags: []string{"x"}, Action: "case", Kind: "complaint"}, "kind"},
		{app.IntakeRule{Name: "x", Hashtags: []string{"x"}, Action: "case"}, "kind"},
		{app.IntakeRule{Name: "x", Hashtags: []string{"x"}, Action: "case", Kind: app.KindQuery, Channel: "email"}, "channel"},
		{app.IntakeRule{Name: "x", Hashtags: []string{"x"}, Action: "case", Kind: app.KindQuery, DepartmentID: "nope"}, "department"},
		// Without conditions, only as the last rule.
		{app.IntakeRule{Name: "todo", Priority: 1, Action: "case", Kind: app.KindQuery, Enabled: true}, "hashtags"},
	} {
		_, err := f.svc.SaveIntakeRule(ctx, f.admin, c.rule)
		var ie *app.InvalidError
		if !errors.As(err, &ie) || ie.Field != c.field {
			t.Errorf("SaveIntakeRule(%+v): got %v, want invalid %s", c.rule, err, c.field)
		}
	}
	if after, _ := f.svc.IntakeRules(ctx, f.admin); len(after) != len(before) {
		t.Errorf("refused rules changed the list: %d rules, want %d", len(after), len(before))
	}
	// A catch-all is accepted last (priority 0 means after every other rule).
	if _, err := f.svc.SaveIntakeRule(ctx, f.admin, app.IntakeRule{Name: "Resto: consulta", Channel: "dm", Action: "case", Kind: app.KindQuery, Enabled: true}); err != nil {
		t.Errorf("catch-all last: %v", err)
	}
}

func TestTemplateWithoutNumberIsRefused(t *testing.T) {
	ctx := context.Background()
	f := newSettingsFixture(t)
	before, err := f.store.TemplatesByKey(ctx, "es")
	if err != nil {
		t.Fatal(err)
	}
	auditBefore := f.auditCount(t, "template.")
	for _, body := range []string{
		"Hemos registrado su incidencia. Gracias.",               // no {numero}
		"Registrada con el número {numero} para {deparmento}",    // unknown placeholder
		"{numero} " + strings.Repeat("Gracias por avisar. ", 14), // too long
	} {
		err := f.svc.EditTemplate(ctx, f.admin, desk.Template{Key: "ack.incident.ok", Lang: "es", Body: body})
		var ie *app.InvalidError
		if !errors.As(err, &ie) || ie.Field != "body" {
			t.Errorf("EditTemplate(%q): got %v, want invalid body", body, err)
		}
	}
	after, _ := f.store.TemplatesByKey(ctx, "es")
	if after["ack.incident.ok"] != before["ack.incident.ok"] || f.auditCount(t, "template.") != auditBefore || f.reloads != 0 {
		t.Fatalf("a refused template changed something: %q, %d reloads", after["ack.incident.ok"], f.reloads)
	}
	body := "Incidencia {numero} registrada para {departamento}. ¡Gracias!"
	if err := f.svc.EditTemplate(ctx, f.admin, desk.Template{Key: "ack.incident.ok", Lang: "es", Body: body}); err != nil {
		t.Fatal(err)
	}
	if after, _ := f.store.TemplatesByKey(ctx, "es"); after["ack.incident.ok"] != body {
		t.Errorf("got %q, want %q", after["ack.incident.ok"], body)
	}
	if f.reloads != 1 {
		t.Errorf("got %d reloads, want 1", f.reloads)
	}
	// The privacy note is appended to an acknowledgement: it needs no number of its own.
	if err := f.svc.EditTemplate(ctx, f.admin, desk.Template{Key: "ack.privacy", Lang: "en", Body: "Please do not post personal data."}); err != nil {
		t.Errorf("ack.privacy without a number: %v", err)
	}
}

func TestHolidays(t *testing.T) {
	ctx := context.Background()
	f := newSettingsFixture(t)
	for _, h := range []app.Holiday{
		{Day: "08/09/2026", Name: "Virgen", Scope: "local"},
		{Day: "2026-02-30", Name: "Virgen", Scope: "local"},
		{Day: "2026-09-08", Name: "", Scope: "local"},
		{Day: "2026-09-08", Name: "Virgen", Scope: "town"},
	} {
		if err := f.svc.AddHoliday(ctx, f.admin, h); !app.IsInvalid(err) {
			t.Errorf("AddHoliday(%+v): got %v, want invalid", h, err)
		}
	}
	h := app.Holiday{Day: "2026-09-08", Name: "Fiesta local", Scope: "local"}
	if err := f.svc.AddHoliday(ctx, f.admin, h); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.AddHoliday(ctx, f.admin, h); !errors.Is(err, app.ErrConflict) {
		t.Errorf("the same day twice: got %v, want ErrConflict", err)
	}
	has := func() bool {
		hs, err := f.svc.Holidays(ctx, f.admin)
		if err != nil {
			t.Fatal(err)
		}
		for _, x := range hs {
			if x == h {
				return true
			}
		}
		return false
	}
	if !has() {
		t.Fatal("added holiday not listed")
	}
	if err := f.svc.DeleteHoliday(ctx, f.admin, h.Day, h.Scope); err != nil {
		t.Fatal(err)
	}
	if has() {
		t.Error("deleted holiday still listed")
	}
	if err := f.svc.DeleteHoliday(ctx, f.admin, h.Day, h.Scope); !errors.Is(err, app.ErrNotFound) {
		t.Errorf("delete twice: got %v, want ErrNotFound", err)
	}
	if f.reloads != 2 || f.auditCount(t, "holiday.") != 2 {
		t.Errorf("got %d reloads and %d audit entries, want 2 and 2", f.reloads, f.auditCount(t, "holiday."))
	}
}

func TestProcedureCatalogue(t *testing.T) {
	ctx := context.Background()
	f := newSettingsFixture(t)
	p := app.ProcedureType{Code: "vado", NameES: "Licencia de vado", NameEN: "Driveway permit",
		Keywords: []string{"vado, placa de vado", "vado"}, DepartmentID: deptID(t, f, intake.DeptPlanning), DeadlineValue: 15}
	for _, bad := range []app.ProcedureType{
		{Code: "Vado Permanente", NameES: "x", NameEN: "x", Keywords: []string{"x"}},
		{Code: "vado", NameEN: "x", Keywords: []string{"x"}},
		{Code: "vado", NameES: "x", NameEN: "x"},
		{Code: "vado", NameES: "x", NameEN: "x", Keywords: []string{"x"}, DeadlineUnit: "weeks"},
		{Code: "vado", NameES: "x", NameEN: "x", Keywords: []string{"x"}, DeadlineValue: -1},
		{Code: "obra-menor", NameES: "x", NameEN: "x", Keywords: []string{"x"}}, // code taken
	} {
		if _, err := f.svc.SaveProcedure(ctx, f.admin, bad); !app.IsInvalid(err) {
			t.Errorf("SaveProcedure(%+v): got %v, want invalid", bad, err)
		}
	}
	saved, err := f.svc.SaveProcedure(ctx, f.admin, p)
	if err != nil {
		t.Fatal(err)
	}
	saved.DeadlineValue, saved.DeadlineUnit = 2, "months"
	if _, err := f.svc.SaveProcedure(ctx, f.admin, saved); err != nil {
		t.Fatal(err)
	}
	ps, err := f.store.ListProcedureTypes(ctx)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, x := range ps {
		if x.Code == "vado" {
			found = true
			if x.ID != saved.ID || x.DeadlineValue != 2 || x.DeadlineUnit != "months" || strings.Join(x.Keywords, "|") != "vado|placa de vado" || x.NameEN != "Driveway permit" {
				t.Errorf("got %+v, want %+v", x, saved)
			}
		}
	}
	if !found {
		t.Fatal("new procedure not in the catalogue")
	}
	if f.reloads != 2 {
		t.Errorf("got %d reloads, want 2", f.reloads)
	}
}

func TestOfficialAccounts(t *testing.T) {
	ctx := context.Background()
	f := newSettingsFixture(t)
	accs, err := f.svc.OfficialAccounts(ctx, f.admin)
	if err != nil {
		t.Fatal(err)
	}
	n := len(accs)
	if _, err := f.svc.SaveOfficialAccount(ctx, f.admin, desk.DirectoryEntry{Name: "Ayuntamiento", Handle: "@ayuntamiento"}); !app.IsInvalid(err) {
		t.Errorf("a handle already official: got %v, want invalid", err)
	}
	if _, err := f.svc.SaveOfficialAccount(ctx, f.admin, desk.DirectoryEntry{Name: "X", Handle: "no spaces allowed"}); !app.IsInvalid(err) {
		t.Errorf("bad handle: got %v, want invalid", err)
	}
	e, err := f.svc.SaveOfficialAccount(ctx, f.admin, desk.DirectoryEntry{Name: "Protección Civil", Handle: "@ProteccionJun", DepartmentID: deptID(t, f, intake.DeptPolice)})
	if err != nil {
		t.Fatal(err)
	}
	if accs, _ = f.svc.OfficialAccounts(ctx, f.admin); len(accs) != n+1 {
		t.Fatalf("got %d official accounts, want %d", len(accs), n+1)
	}
	v, err := f.store.GetSetting(ctx, verify.SettingOfficialHandles)
	if err != nil || !strings.Contains(v, "ProteccionJun") {
		t.Errorf("official handles for lookalike checks: got %q, %v", v, err)
	}
	if err := f.svc.RemoveOfficialAccount(ctx, f.admin, e.ID); err != nil {
		t.Fatal(err)
	}
	if v, _ := f.store.GetSetting(ctx, verify.SettingOfficialHandles); strings.Contains(v, "ProteccionJun") {
		t.Errorf("removed handle still official: %q", v)
	}
	if f.reloads != 2 {
		t.Errorf("got %d reloads, want 2", f.reloads)
	}
}

// A resident's messages are the timeline's inbound entries (intake writes no event repeating
// them): the post that opened the case and a reply that joined it both show, in order, with
// the acknowledgement between them.
func TestTimelineShowsIntakeMessages(t *testing.T) {
	f := newSettingsFixture(t)
	ctx := context.Background()
	owner := network.User{ID: "9000000000000000000", Handle: "ayuntamiento"}
	accept := func(m *app.InboundMessage) {
		t.Helper()
		if err := f.store.InTx(ctx, func(tx app.Tx) error {
			_, err := f.intake.Accept(ctx, tx, m, owner)
			return err
		}); err != nil {
			t.Fatal(err)
		}
	}
	first := &app.InboundMessage{Network: "x", MessageID: "7001", Channel: app.ChannelMention, AuthorUserID: "4242",
		AuthorHandle: "vecina", Text: "@ayuntamiento #incidencia farola apagada en calle Falsa", ConversationID: "7001", PostedAt: t0}
	accept(first)
	reply := &app.InboundMessage{Network: "x", MessageID: "7002", Channel: app.ChannelMention, AuthorUserID: "4242",
		AuthorHandle: "vecina", Text: "sigue apagada hoy", ConversationID: "7001", InReplyToID: "7001", PostedAt: t0.Add(time.Hour)}
	accept(reply)
	if first.CaseID == "" || reply.CaseID != first.CaseID {
		t.Fatalf("cases: first %q, reply %q, want the reply joined", first.CaseID, reply.CaseID)
	}
	d, err := f.svc.Case(ctx, f.clerk, first.CaseID)
	if err != nil {
		t.Fatal(err)
	}
	var inbound []string
	outbound := 0
	for _, e := range d.Timeline {
		switch e.Event.Kind {
		case app.EventInbound:
			if e.Inbound == nil {
				t.Fatalf("inbound entry %s without its message", e.Event.ID)
			}
			inbound = append(inbound, e.Inbound.Text)
		case app.EventOutbound:
			outbound++
		}
	}
	if len(inbound) != 2 || inbound[0] != first.Text || inbound[1] != reply.Text || outbound != 1 {
		t.Errorf("timeline inbound %q, outbound %d; want the post then the reply, and one acknowledgement", inbound, outbound)
	}
}

// TestBackupLeavesCredentialsOut: a backup made from Settings is a copy of the register
// without the network credentials (a copy on a USB stick must not let anyone post as the town
// hall), and only an administrator makes one.
func TestBackupLeavesCredentialsOut(t *testing.T) {
	ctx := context.Background()
	f := newSettingsFixture(t)
	const bearer = "AAAAAAAAAAAAAAAAAAAAAbearer-ficticio-77aa"
	if err := f.svc.SaveCredentials(ctx, f.admin, desk.CredentialsChange{Credentials: desk.Credentials{BearerToken: bearer}}); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "copia.db")
	if err := f.svc.Backup(ctx, f.clerk, path, f.store.Backup); err == nil {
		t.Error("a clerk made a backup")
	}
	if err := f.svc.Backup(ctx, f.admin, path, f.store.Backup); err != nil {
		t.Fatal(err)
	}
	b, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	defer b.Close()
	for _, k := range []string{desk.SettingXBearerToken, desk.SettingXAPIKey, desk.SettingXAPIKeySecret, desk.SettingXAccessToken, desk.SettingXAccessSecret} {
		if v, _ := b.GetSetting(ctx, k); v != "" {
			t.Errorf("%s is in the backup", k)
		}
	}
	if v, _ := f.store.GetSetting(ctx, desk.SettingXBearerToken); v != bearer {
		t.Error("the register itself lost its credentials")
	}
	if ds, err := b.ListDepartments(ctx); err != nil || len(ds) == 0 {
		t.Errorf("the backup's departments: %d, %v", len(ds), err)
	}
}
