package registercmd_test

import (
	"bytes"
	"context"
	"crypto/rand"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"ventanilla/app"
	"ventanilla/app/cli/registercmd"
	"ventanilla/app/network/sim"
	"ventanilla/app/network/x"
	"ventanilla/app/verify"
	"ventanilla/db"
)

var t0 = time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)

type env struct {
	ctx   context.Context
	store *db.Store
	sim   *sim.Server
	svc   *verify.Service
}

func newEnv(t *testing.T) *env {
	t.Helper()
	ctx := context.Background()
	clock := func() time.Time { return t0 }
	st, err := db.Open(ctx, filepath.Join(t.TempDir(), "v.db"), db.WithClock(clock))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { st.Close() })
	s := sim.New(sim.Options{Clock: clock, OwnerHandle: "AytoVillaverde"})
	url, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	c, err := x.New(ctx, x.Config{BaseURL: url, BearerToken: "t", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return &env{ctx: ctx, store: st, sim: s, svc: verify.New(st, c, clock, rand.Reader)}
}

func (e *env) run(args ...string) (int, string, string) {
	var out, errb bytes.Buffer
	code := registercmd.Main(e.ctx, e.svc, args, &out, &errb)
	return code, out.String(), errb.String()
}

func (e *env) auditCount(t *testing.T) int {
	t.Helper()
	es, err := e.store.ListAuditEntries(e.ctx)
	if err != nil {
		t.Fatal(err)
	}
	return len(es)
}

func TestBadArgumentsChangeNothing(t *testing.T) {
	e := newEnv(t)
	tests := [][]string{
		nil,
		{"resident"},
		{"resident", "add", "--name", "Vecina Prueba"},
		{"resident", "add", "--name", "Vecina Prueba", "--dni", "00000000A"},
		{"resident", "add", "--name", "Vecina Prueba", "--dni", "00000000T", "--handle", "no válido"},
		{"resident", "add", "--bogus"},
		{"verify", "start"},
		{"verify", "start", "@a", "@b"},
		{"verify", "start", "@a", "--ttl", "-5m"},
		{"verify", "status", "@a", "--yaml"},
		{"census", "import"},
		{"census", "import", "/nonexistent/padron.csv"},
		{"audit", "verify", "extra"},
		{"frobnicate", "now"},
	}
	for _, args := range tests {
		code, out, errOut := e.run(args...)
		if code != 2 || out != "" || errOut == "" {
			t.Errorf("%q: got exit %d, stdout %q, stderr %q; want 2, nothing, a message", args, code, out, errOut)
		}
	}
	if n := e.auditCount(t); n != 0 {
		t.Fatalf("got %d audit entries, want 0: bad arguments changed something", n)
	}
}

func TestResidentVerifyStatusAudit(t *testing.T) {
	e := newEnv(t)
	acc, _ := e.sim.CreateAccount("vecina_prueba", "Vecina \u202EPrueba")
	code, out, errOut := e.run("resident", "add", "--name", "Vecina Prueba", "--dni", "00000000T", "--handle", "@vecina_prueba")
	if code != 0 || !strings.Contains(out, "linked") || !strings.Contains(out, acc.ID) {
		t.Fatalf("resident add: exit %d\n%s%s", code, out, errOut)
	}
	code, _, errOut = e.run("resident", "add", "--name", "Otra Persona", "--dni", "00000000T")
	if code != 1 || !strings.Contains(errOut, "already registered") {
		t.Fatalf("duplicate document: got exit %d, stderr %q; want 1 and a clear message", code, errOut)
	}
	code, out, errOut = e.run("verify", "start", "@vecina_prueba")
	if code != 0 || !strings.Contains(out, "V-") || !strings.Contains(out, "02/03/2026 10:30 (Madrid time)") {
		t.Fatalf("verify start: exit %d\n%s%s", code, out, errOut)
	}
	code, out, _ = e.run("verify", "status", "@vecina_prueba")
	for _, want := range []string{"level:    linked", "user id:  " + acc.ID, "@vecina_prueba since", "<U+202E>", "display_name_hidden_chars"} {
		if code != 0 || !strings.Contains(out, want) {
			t.Errorf("verify status lacks %q:\n%s", want, out)
		}
	}
	code, out, _ = e.run("verify", "status", "--json", "@vecina_prueba")
	var st verify.StatusView
	if err := json.Unmarshal([]byte(out), &st); err != nil || code != 0 || st.UserID != acc.ID || st.Level != app.LevelLinked || len(st.History) != 1 {
		t.Fatalf("verify status --json: exit %d, %v\n%s", code, err, out)
	}
	if code, _, errOut := e.run("verify", "status", "@nadie"); code != 1 || errOut == "" {
		t.Fatalf("unknown handle: got exit %d, want 1", code)
	}
	code, out, _ = e.run("audit", "verify")
	if code != 0 || !strings.Contains(out, "entries checked") {
		t.Fatalf("audit verify: exit %d\n%s", code, out)
	}
}

func TestCensusImportCommand(t *testing.T) {
	e := newEnv(t)
	dir := t.TempDir()
	bad := filepath.Join(dir, "bad.csv")
	os.WriteFile(bad, []byte("documento;nombre;direccion;fecha_nacimiento\n00000000T;Vecina Prueba;Calle Falsa 123;\n00000001X;Vecino Prueba;;\n"), 0o644)
	code, out, _ := e.run("census", "import", bad)
	if code != 1 || !strings.Contains(out, "line 3:") || !strings.Contains(out, "nothing was imported") {
		t.Fatalf("bad file: exit %d\n%s", code, out)
	}
	good := filepath.Join(dir, "good.csv")
	os.WriteFile(good, []byte("documento;nombre;direccion;fecha_nacimiento\n00000000T;Vecina Prueba;Calle Falsa 123;1980-01-31\n"), 0o644)
	code, out, _ = e.run("census", "import", good)
	if code != 0 || !strings.Contains(out, "imported: 1 rows") {
		t.Fatalf("good file: exit %d\n%s", code, out)
	}
}
