package x_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"net/http/httptest"
	"testing"
	"time"

	"ventanilla/app/network"
	"ventanilla/app/network/sim"
	"ventanilla/app/network/x"
)

var t0 = time.Date(2026, 11, 28, 10, 0, 0, 0, time.UTC)

type fixture struct {
	sim    *sim.Server
	client *x.Client
	owner  sim.Account
}

func newFixture(t *testing.T) *fixture {
	t.Helper()
	s := sim.New(sim.Options{Clock: func() time.Time { return t0 }, OwnerHandle: "AytoVillaverde", OwnerName: "Ayuntamiento"})
	srv := httptest.NewServer(s.Handler())
	t.Cleanup(srv.Close)
	c, err := x.New(context.Background(), x.Config{BaseURL: srv.URL, BearerToken: "t", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	return &fixture{sim: s, client: c, owner: s.Owner()}
}

func (f *fixture) resident(t *testing.T, handle string) sim.Account {
	t.Helper()
	a, err := f.sim.CreateAccount(handle, "Vecina "+handle)
	if err != nil {
		t.Fatal(err)
	}
	return a
}

func wantReason(t *testing.T, err error, reason network.Reason, retryable bool) *network.Error {
	t.Helper()
	ne, ok := network.AsError(err)
	if !ok {
		t.Fatalf("got %v (%T), want *network.Error", err, err)
	}
	if ne.Reason != reason || ne.Retryable != retryable {
		t.Fatalf("got reason %s retryable %v (%v), want %s retryable %v", ne.Reason, ne.Retryable, ne, reason, retryable)
	}
	return ne
}

func TestMeAndUserLookup(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	me, err := f.client.Me(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if me.ID != f.owner.ID || me.Handle != "AytoVillaverde" {
		t.Errorf("got %+v, want owner %+v", me, f.owner)
	}
	ana := f.resident(t, "ana")
	u, err := f.client.UserByHandle(ctx, "@Ana")
	if err != nil || u.ID != ana.ID {
		t.Errorf("by handle: got %+v, %v; want id %s", u, err, ana.ID)
	}
	u, err = f.client.UserByID(ctx, ana.ID)
	if err != nil || u.Handle != "ana" {
		t.Errorf("by id: got %+v, %v", u, err)
	}
	_, err = f.client.UserByHandle(ctx, "nobody_x")
	wantReason(t, err, network.ReasonNotFound, false)
	if !errors.Is(err, network.ErrNotFound) {
		t.Errorf("got %v, want it to wrap ErrNotFound", err)
	}
	_, err = f.client.UserByID(ctx, "12345")
	wantReason(t, err, network.ReasonNotFound, false)
}

func TestMentionsPaginationAndSinceID(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.resident(t, "ana")
	var ids []string
	for i := range 23 {
		p, err := f.sim.Post("ana", fmt.Sprintf("@AytoVillaverde aviso %d", i), "")
		if err != nil {
			t.Fatal(err)
		}
		ids = append(ids, p.ID)
	}
	f.sim.Post("ana", "sin mención", "")

	var got []network.Post
	token, pages := "", 0
	for {
		page, err := f.client.ListMentions(ctx, network.ListMentionsParams{UserID: f.owner.ID, MaxResults: 10, PaginationToken: token})
		if err != nil {
			t.Fatal(err)
		}
		pages++
		if pages == 1 && page.NewestID != ids[22] {
			t.Errorf("newest id: got %s, want %s", page.NewestID, ids[22])
		}
		got = append(got, page.Posts...)
		if page.NextToken == "" {
			break
		}
		token = page.NextToken
	}
	if pages != 3 || len(got) != 23 {
		t.Fatalf("got %d posts in %d pages, want 23 in 3", len(got), pages)
	}
	for i, p := range got {
		if want := ids[22-i]; p.ID != want {
			t.Fatalf("post %d: got %s, want %s (newest first)", i, p.ID, want)
		}
	}
	first := got[0]
	if first.Author.Handle != "ana" || first.CreatedAt != t0 || first.ConversationID != first.ID {
		t.Errorf("post fields: got %+v", first)
	}
	var raw map[string]any
	if err := json.Unmarshal(first.Raw, &raw); err != nil || raw["id"] != first.ID || raw["author_id"] == nil {
		t.Errorf("raw: got %s (%v)", first.Raw, err)
	}

	page, err := f.client.ListMentions(ctx, network.ListMentionsParams{UserID: f.owner.ID, SinceID: ids[20], MaxResults: 5})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Posts) != 2 || page.Posts[0].ID != ids[22] || page.Posts[1].ID != ids[21] {
		t.Errorf("since_id: got %d posts %v, want ids[22], ids[21]", len(page.Posts), page.Posts)
	}
	page, err = f.client.ListMentions(ctx, network.ListMentionsParams{UserID: f.owner.ID, SinceID: ids[22]})
	if err != nil || len(page.Posts) != 0 || page.NextToken != "" {
		t.Errorf("since newest: got %+v, %v; want empty page", page, err)
	}
}

func TestReplies(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.resident(t, "ana")
	mention, _ := f.sim.Post("ana", "@AytoVillaverde la farola está rota", "")
	stranger, _ := f.sim.Post("ana", "hoy llueve", "")

	reply, err := f.client.CreatePost(ctx, network.CreatePostParams{Text: "Gracias, E-2026-000001", InReplyToID: mention.ID})
	if err != nil {
		t.Fatal(err)
	}
	if reply.ID == "" || reply.InReplyToID != mention.ID || len(reply.Raw) == 0 {
		t.Errorf("got %+v", reply)
	}
	owned := f.sim.OwnerPosts()
	if len(owned) != 1 || owned[0].InReplyTo != mention.ID {
		t.Errorf("sim saw %+v", owned)
	}

	_, err = f.client.CreatePost(ctx, network.CreatePostParams{Text: "Hola", InReplyToID: stranger.ID})
	wantReason(t, err, network.ReasonReplyNotAllowed, false)

	_, err = f.client.CreatePost(ctx, network.CreatePostParams{Text: "Gracias, E-2026-000001", InReplyToID: mention.ID})
	ne := wantReason(t, err, network.ReasonDuplicateContent, false)
	if ne.Status != 403 {
		t.Errorf("status: got %d, want 403", ne.Status)
	}

	long := make([]byte, 281)
	for i := range long {
		long[i] = 'a'
	}
	_, err = f.client.CreatePost(ctx, network.CreatePostParams{Text: string(long)})
	wantReason(t, err, network.ReasonTooLong, false)

	posts, err := f.client.RecentPosts(ctx, f.owner.ID, 3)
	if err != nil || len(posts) != 1 || posts[0].ID != reply.ID || posts[0].InReplyToID != mention.ID {
		t.Errorf("recent posts: got %+v, %v", posts, err)
	}
	if err := f.client.DeletePost(ctx, reply.ID); err != nil {
		t.Fatal(err)
	}
	if got := len(f.sim.OwnerPosts()); got != 0 {
		t.Errorf("after delete: %d owner posts", got)
	}
	err = f.client.DeletePost(ctx, stranger.ID)
	wantReason(t, err, network.ReasonForbidden, false)
}

func TestFaults(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	me := func() error { _, err := f.client.Me(ctx); return err }

	f.sim.InjectFault(sim.Fault{Kind: sim.Fault429, PathPrefix: "/2/users/me", ResetIn: 120})
	ne := wantReason(t, me(), network.ReasonRateLimited, true)
	if want := t0.Add(120 * time.Second); !ne.ResetAt.Equal(want) {
		t.Errorf("reset: got %v, want %v", ne.ResetAt, want)
	}

	f.sim.InjectFault(sim.Fault{Kind: sim.Fault429, RawReset: "1795860000.5"})
	ne = wantReason(t, me(), network.ReasonRateLimited, true)
	if want := time.Unix(1795860000, 0); !ne.ResetAt.Equal(want) {
		t.Errorf("odd reset header: got %v, want %v", ne.ResetAt, want)
	}

	f.sim.InjectFault(sim.Fault{Kind: sim.Fault5xx, Status: 503})
	wantReason(t, me(), network.ReasonServer, true)

	f.sim.InjectFault(sim.Fault{Kind: sim.FaultDrop, Count: 2})
	wantReason(t, me(), network.ReasonTransport, true)
	f.sim.ClearFaults()

	f.sim.InjectFault(sim.Fault{Kind: sim.FaultUsageCapped})
	wantReason(t, me(), network.ReasonUsageCapped, false)

	f.sim.InjectFault(sim.Fault{Kind: sim.FaultClientNotEnrolled})
	wantReason(t, me(), network.ReasonNotEnrolled, false)

	f.sim.InjectFault(sim.Fault{Kind: sim.FaultPartial, PathPrefix: "/2/users/"})
	f.resident(t, "ana")
	f.sim.Post("ana", "@AytoVillaverde hola", "")
	page, err := f.client.ListMentions(ctx, network.ListMentionsParams{UserID: f.owner.ID})
	if err != nil || len(page.Posts) != 1 || len(page.Partial) != 1 || page.Partial[0].Title != "Not Found Error" {
		t.Errorf("partial: got %+v, %v", page, err)
	}

	f.sim.InjectFault(sim.Fault{Kind: sim.FaultSlow, Delay: 20 * time.Millisecond})
	if err := me(); err != nil {
		t.Errorf("slow: %v", err)
	}
	if rem, reset, ok := f.client.RateLimit("GET /2/users/me"); !ok || rem <= 0 || reset.IsZero() {
		t.Errorf("rate limit: got %d %v %v", rem, reset, ok)
	}
	if got := f.sim.Stats()["GET /2/users/me"]; got < 7 {
		t.Errorf("stats: got %d calls", got)
	}
}

func TestSlowBeyondTimeoutIsRetryable(t *testing.T) {
	s := sim.New(sim.Options{Clock: func() time.Time { return t0 }})
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	c, err := x.New(context.Background(), x.Config{BaseURL: srv.URL, BearerToken: "t", Timeout: 30 * time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	s.InjectFault(sim.Fault{Kind: sim.FaultSlow, Delay: 80 * time.Millisecond})
	_, err = c.Me(context.Background())
	wantReason(t, err, network.ReasonTransport, true)
}

func TestUnauthorizedProblemJSON(t *testing.T) {
	s := sim.New(sim.Options{Clock: func() time.Time { return t0 }})
	strip := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		r.Header.Del("Authorization")
		s.Handler().ServeHTTP(w, r)
	})
	srv := httptest.NewServer(strip)
	defer srv.Close()
	c, err := x.New(context.Background(), x.Config{BaseURL: srv.URL, BearerToken: "t"})
	if err != nil {
		t.Fatal(err)
	}
	_, err = c.Me(context.Background())
	ne := wantReason(t, err, network.ReasonUnauthorized, false)
	if ne.Status != 401 || ne.Detail != "Unauthorized" {
		t.Errorf("got status %d detail %q", ne.Status, ne.Detail)
	}
}

func TestDeleteAnswered204(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.WriteHeader(http.StatusNoContent)
	}))
	defer srv.Close()
	c, _ := x.New(context.Background(), x.Config{BaseURL: srv.URL, BearerToken: "t"})
	if err := c.DeletePost(context.Background(), "123"); err != nil {
		t.Errorf("got %v, want success on 204", err)
	}
}

func TestDirectMessages(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	ana := f.resident(t, "ana")
	f.resident(t, "luis")
	for i := range 3 {
		f.sim.SendDM("ana", fmt.Sprintf("mensaje %d", i))
	}
	f.sim.SendDM("luis", "hola")
	page, err := f.client.ListDMEvents(ctx, network.ListDMParams{MaxResults: 3})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Messages) != 3 || page.NextToken == "" || page.Messages[0].Text != "hola" {
		t.Fatalf("first page: got %+v", page)
	}
	page2, err := f.client.ListDMEvents(ctx, network.ListDMParams{MaxResults: 3, PaginationToken: page.NextToken})
	if err != nil || len(page2.Messages) != 1 || page2.Messages[0].Text != "mensaje 0" {
		t.Fatalf("second page: got %+v, %v", page2, err)
	}
	m := page2.Messages[0]
	if m.SenderID != ana.ID || m.Sender.Handle != "ana" || m.CreatedAt != t0 || len(m.Raw) == 0 {
		t.Errorf("message fields: got %+v", m)
	}
	if want := conversationID(ana.ID, f.owner.ID); m.ConversationID != want {
		t.Errorf("conversation: got %s, want %s", m.ConversationID, want)
	}

	sent, err := f.client.SendDM(ctx, ana.ID, "Su cita: E-2026-000003")
	if err != nil {
		t.Fatal(err)
	}
	dms := f.sim.OwnerDMs()
	if len(dms) != 1 || dms[0].ID != sent.EventID || dms[0].RecipientID != ana.ID || sent.ConversationID != m.ConversationID {
		t.Errorf("sent %+v, sim saw %+v", sent, dms)
	}
	_, err = f.client.SendDM(ctx, "999", "hola")
	wantReason(t, err, network.ReasonNotFound, false)
}

func conversationID(a, b string) string {
	if len(a) > len(b) || (len(a) == len(b) && a > b) {
		a, b = b, a
	}
	return a + "-" + b
}

func TestSearchRecent(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.resident(t, "ana")
	f.resident(t, "luis")
	match1, _ := f.sim.Post("ana", "¿Cómo va mi #tramite de empadronamiento?", "")
	f.sim.Post("luis", "#tramites no es lo mismo", "")
	match2, _ := f.sim.Post("luis", "Pregunta sobre el #TRÁMITE de obras @AytoVillaverde", "")
	page, err := f.client.SearchRecent(ctx, network.SearchParams{Query: "#Trámite"})
	if err != nil {
		t.Fatal(err)
	}
	if len(page.Posts) != 2 || page.Posts[0].ID != match2.ID || page.Posts[1].ID != match1.ID || page.NewestID != match2.ID {
		t.Errorf("got %+v", page)
	}
	page, err = f.client.SearchRecent(ctx, network.SearchParams{Query: "#trámite from:luis -is:retweet"})
	if err != nil || len(page.Posts) != 1 || page.Posts[0].ID != match2.ID {
		t.Errorf("from: got %+v, %v", page, err)
	}
	page, err = f.client.SearchRecent(ctx, network.SearchParams{Query: "@aytovillaverde OR empadronamiento", SinceID: match1.ID})
	if err != nil || len(page.Posts) != 1 || page.Posts[0].ID != match2.ID {
		t.Errorf("or + since_id: got %+v, %v", page, err)
	}
	_, err = f.client.SearchRecent(ctx, network.SearchParams{Query: "-is:retweet"})
	wantReason(t, err, network.ReasonInvalid, false)
}

func TestOAuth1AndConfig(t *testing.T) {
	s := sim.New(sim.Options{Clock: func() time.Time { return t0 }})
	srv := httptest.NewServer(s.Handler())
	defer srv.Close()
	cfg := x.Config{BaseURL: srv.URL, APIKey: "k", APIKeySecret: "ks", AccessToken: "a", AccessTokenSecret: "as"}
	if !cfg.HasCredentials() {
		t.Fatal("OAuth 1.0a config should have credentials")
	}
	c, err := x.New(context.Background(), cfg)
	if err != nil {
		t.Fatal(err)
	}
	if me, err := c.Me(context.Background()); err != nil || me.ID != s.Owner().ID {
		t.Errorf("got %+v, %v", me, err)
	}
	if (x.Config{APIKey: "k"}).HasCredentials() {
		t.Error("incomplete OAuth 1.0a should not count")
	}
	if _, err := x.New(context.Background(), x.Config{}); err == nil {
		t.Error("New without credentials should fail")
	}
	t.Setenv("VENTANILLA_X_TOKEN", "tok")
	t.Setenv("VENTANILLA_X_API", "http://127.0.0.1:1")
	if got := x.ConfigFromEnv(); got.BearerToken != "tok" || got.BaseURL != "http://127.0.0.1:1" {
		t.Errorf("from env: got %+v", got)
	}
}

func TestConnectionRefusedIsRetryable(t *testing.T) {
	srv := httptest.NewServer(http.NotFoundHandler())
	url := srv.URL
	srv.Close()
	c, _ := x.New(context.Background(), x.Config{BaseURL: url, BearerToken: "t"})
	_, err := c.Me(context.Background())
	wantReason(t, err, network.ReasonTransport, true)
}

func TestEndpointKey(t *testing.T) {
	tests := map[string]string{
		"/2/users/123/mentions":                "GET /2/users/:id/mentions",
		"/2/users/by/username/ana":             "GET /2/users/by/username/:username",
		"/2/users/me":                          "GET /2/users/me",
		"/2/dm_conversations/with/42/messages": "GET /2/dm_conversations/with/:participant_id/messages",
		"/2/tweets/1445880548472328192":        "GET /2/tweets/:id",
	}
	for path, want := range tests {
		if got := x.EndpointKey("get", path); got != want {
			t.Errorf("EndpointKey(%s) = %s, want %s", path, got, want)
		}
	}
}
