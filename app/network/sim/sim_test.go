package sim

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

var t0 = time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)

func fixedClock() func() time.Time { return func() time.Time { return t0 } }

func TestExampleScenarioLoads(t *testing.T) {
	s := New(Options{Clock: fixedClock()})
	f, err := os.Open("testdata/example-scenario.json")
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	if err := s.LoadScenario(f); err != nil {
		t.Fatal(err)
	}
	if got, want := s.Owner().Handle, "AytoVillaverde"; got != want {
		t.Errorf("owner handle: got %q, want %q", got, want)
	}
	if got := len(s.OwnerPosts()); got != 1 {
		t.Errorf("owner posts: got %d, want 1", got)
	}
	if got := len(s.OwnerDMs()); got != 1 {
		t.Errorf("owner DMs: got %d, want 1", got)
	}
}

func TestUnauthorizedIsProblemJSON(t *testing.T) {
	s := New(Options{Clock: fixedClock()})
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, httptest.NewRequest("GET", "/2/users/me", nil))
	if rec.Code != 401 {
		t.Fatalf("got %d, want 401", rec.Code)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/problem+json" {
		t.Errorf("content type: got %q", ct)
	}
	if n := rec.Body.Len(); n != 99 {
		t.Errorf("body length: got %d, want 99", n)
	}
}

func TestMaxResultsOutOfRange(t *testing.T) {
	s := New(Options{Clock: fixedClock()})
	req := httptest.NewRequest("GET", "/2/users/"+s.Owner().ID+"/mentions?max_results=1000", nil)
	req.Header.Set("Authorization", "Bearer t")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != 400 || !strings.Contains(rec.Body.String(), "is not between 5 and 100") {
		t.Errorf("got %d %s, want 400 invalid request", rec.Code, rec.Body)
	}
}

func TestEmptyMentionsPage(t *testing.T) {
	s := New(Options{Clock: fixedClock()})
	req := httptest.NewRequest("GET", "/2/users/"+s.Owner().ID+"/mentions", nil)
	req.Header.Set("Authorization", "OAuth oauth_consumer_key=\"k\"")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if got, want := strings.TrimSpace(rec.Body.String()), `{"meta":{"result_count":0}}`; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

func TestDuplicateBodyExact(t *testing.T) {
	s := New(Options{Clock: fixedClock()})
	post := func() *httptest.ResponseRecorder {
		req := httptest.NewRequest("POST", "/2/tweets", strings.NewReader(`{"text":"hola"}`))
		req.Header.Set("Authorization", "Bearer t")
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		return rec
	}
	if rec := post(); rec.Code != 201 {
		t.Fatalf("first post: got %d", rec.Code)
	}
	rec := post()
	want := `{"detail":"You are not allowed to create a Tweet with duplicate content.","status":403,"title":"Forbidden","type":"about:blank"}`
	if rec.Code != 403 || rec.Body.String() != want {
		t.Errorf("got %d %s, want 403 %s", rec.Code, rec.Body, want)
	}
	if ct := rec.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
		t.Errorf("content type: got %q", ct)
	}
}

func TestRenameFreesHandle(t *testing.T) {
	s := New(Options{Clock: fixedClock()})
	a, _ := s.CreateAccount("vecino", "Vecino")
	if _, err := s.RenameAccount(a.ID, "vecino2"); err != nil {
		t.Fatal(err)
	}
	b, err := s.CreateAccount("vecino", "Impostor")
	if err != nil {
		t.Fatal(err)
	}
	if a.ID == b.ID {
		t.Error("takeover account got the same id")
	}
}

func TestControlAPIAndState(t *testing.T) {
	state := filepath.Join(t.TempDir(), "state.json")
	s := New(Options{Clock: fixedClock(), StateFile: state, OwnerHandle: "ayto"})
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	call := func(method, path, body string) []byte {
		t.Helper()
		req, _ := http.NewRequest(method, srv.URL+path, bytes.NewBufferString(body))
		res, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer res.Body.Close()
		b, _ := io.ReadAll(res.Body)
		if res.StatusCode >= 300 {
			t.Fatalf("%s %s: %d %s", method, path, res.StatusCode, b)
		}
		return b
	}
	var acc Account
	json.Unmarshal(call("POST", "/_sim/accounts", `{"handle":"ana","name":"Ana"}`), &acc)
	call("POST", "/_sim/posts", `{"author":"ana","text":"@ayto hola"}`)
	call("POST", "/_sim/dms", `{"from":"ana","text":"hola por DM"}`)
	call("POST", "/_sim/faults", `{"kind":"5xx","path":"/2/users/me","count":2}`)
	if got := len(s.Faults()); got != 1 {
		t.Errorf("faults: got %d, want 1", got)
	}
	call("POST", "/_sim/accounts/"+acc.ID+"/rename", `{"handle":"ana2"}`)
	if err := s.Close(); err != nil {
		t.Fatal(err)
	}
	s2 := New(Options{Clock: fixedClock(), StateFile: state})
	if got := s2.Owner().Handle; got != "ayto" {
		t.Errorf("owner after reload: got %q", got)
	}
	var handles []string
	for _, a := range s2.Accounts() {
		handles = append(handles, a.Handle)
	}
	if got, want := strings.Join(handles, ","), "ayto,ana2"; got != want {
		t.Errorf("accounts after reload: got %s, want %s", got, want)
	}
}

func TestMainServesUntilCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	var out, errOut bytes.Buffer
	done := make(chan int)
	pr, pw := io.Pipe()
	go func() {
		code := Main(ctx, []string{"--addr", "127.0.0.1:0", "--scenario", "testdata/example-scenario.json"}, pw, &errOut)
		pw.Close()
		done <- code
	}()
	line := make([]byte, 64)
	n, _ := pr.Read(line)
	url := strings.TrimSpace(string(line[:n]))
	out.WriteString(url)
	res, err := http.Get(url + "/_sim/owner")
	if err != nil {
		t.Fatal(err)
	}
	res.Body.Close()
	cancel()
	go io.Copy(io.Discard, pr)
	if code := <-done; code != 0 {
		t.Errorf("exit code %d: %s", code, errOut.String())
	}
}

func TestSearchQueryParsing(t *testing.T) {
	s := New(Options{Clock: fixedClock(), OwnerHandle: "ayto"})
	s.CreateAccount("ana", "Ana")
	p, _ := s.Post("ana", "Farola rota en la plaza #Incidencia @ayto", "")
	doc := s.searchable(&p)
	tests := []struct {
		q    string
		want bool
	}{
		{"#incidencia", true},
		{"#INCIDÉNCIA", true},
		{"#incid", false},
		{"farola", true},
		{"farola plaza", true},
		{"farola parque", false},
		{"parque OR plaza", true},
		{"farola -rota", false},
		{"from:ana", true},
		{"from:ayto", false},
		{"@ayto", true},
		{"(parque OR farola) -is:retweet", true},
		{`"farola rota"`, true},
	}
	for _, tt := range tests {
		e, err := parseQuery(tt.q)
		if err != nil {
			t.Errorf("parse %q: %v", tt.q, err)
			continue
		}
		if got := e.match(doc); got != tt.want {
			t.Errorf("%q: got %v, want %v", tt.q, got, tt.want)
		}
	}
	if _, err := parseQuery("-is:retweet"); err == nil {
		t.Error("a purely negated query should be rejected")
	}
}

func TestOnlyNewest800MentionsReachable(t *testing.T) {
	s := New(Options{Clock: fixedClock(), OwnerHandle: "ayto"})
	s.CreateAccount("ana", "Ana")
	for range 805 {
		if _, err := s.Post("ana", "@ayto hola", ""); err != nil {
			t.Fatal(err)
		}
	}
	total, token := 0, ""
	for {
		req := httptest.NewRequest("GET", "/2/users/"+s.Owner().ID+"/mentions?max_results=100&pagination_token="+token, nil)
		req.Header.Set("Authorization", "Bearer t")
		rec := httptest.NewRecorder()
		s.Handler().ServeHTTP(rec, req)
		var body struct {
			Data []json.RawMessage
			Meta struct {
				NextToken string `json:"next_token"`
			}
		}
		if err := json.Unmarshal(rec.Body.Bytes(), &body); err != nil {
			t.Fatalf("%d %s", rec.Code, rec.Body)
		}
		total += len(body.Data)
		if body.Meta.NextToken == "" {
			break
		}
		token = body.Meta.NextToken
	}
	if total != 800 {
		t.Errorf("got %d mentions, want 800", total)
	}
}

func TestDMPaginationTokenTooShort(t *testing.T) {
	s := New(Options{Clock: fixedClock()})
	req := httptest.NewRequest("GET", "/2/dm_events?pagination_token=short", nil)
	req.Header.Set("Authorization", "Bearer t")
	rec := httptest.NewRecorder()
	s.Handler().ServeHTTP(rec, req)
	if rec.Code != 400 {
		t.Errorf("got %d, want 400", rec.Code)
	}
}
