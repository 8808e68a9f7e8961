package sync_test

import (
	"context"
	"errors"
	"fmt"
	"math/rand/v2"
	"path/filepath"
	"strings"
	gosync "sync"
	"testing"
	"time"

	"ventanilla/app"
	"ventanilla/app/network"
	"ventanilla/app/network/sim"
	"ventanilla/app/network/x"
	"ventanilla/app/sync"
	"ventanilla/db"
)

// fakeClock is shared by the simulator and the engine; sleeping advances it, so tests never
// wait in real time.
type fakeClock struct {
	mu    gosync.Mutex
	now   time.Time
	slept []time.Duration
}

func (c *fakeClock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.now
}

func (c *fakeClock) Advance(d time.Duration) {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.mu.Unlock()
}

func (c *fakeClock) Sleep(ctx context.Context, d time.Duration) error {
	c.mu.Lock()
	c.now = c.now.Add(d)
	c.slept = append(c.slept, d)
	c.mu.Unlock()
	return ctx.Err()
}

type fixture struct {
	t      *testing.T
	clock  *fakeClock
	sim    *sim.Server
	net    network.Client
	store  *db.Store
	engine *sync.Engine
	cfg    sync.Config
}

func newFixture(t *testing.T, mod func(*sync.Config)) *fixture {
	t.Helper()
	ctx := context.Background()
	clock := &fakeClock{now: time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)}
	s := sim.New(sim.Options{Clock: clock.Now, OwnerHandle: "AytoPrueba", OwnerName: "Ayuntamiento de Prueba"})
	url, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { s.Close() })
	nc, err := x.New(ctx, x.Config{BaseURL: url, BearerToken: "t", Timeout: 5 * time.Second})
	if err != nil {
		t.Fatal(err)
	}
	store, err := db.Open(ctx, filepath.Join(t.TempDir(), "v.db"), db.WithClock(clock.Now))
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { store.Close() })
	cfg := sync.Config{Store: store, Net: nc, Clock: clock.Now, Sleep: clock.Sleep, PageSize: 10,
		Rand: rand.New(rand.NewPCG(1, 2))}
	if mod != nil {
		mod(&cfg)
	}
	return &fixture{t: t, clock: clock, sim: s, net: nc, store: store, engine: sync.New(cfg), cfg: cfg}
}

func (f *fixture) account(handle string) {
	f.t.Helper()
	if _, err := f.sim.CreateAccount(handle, "Vecino "+handle); err != nil {
		f.t.Fatal(err)
	}
}

func (f *fixture) post(handle, text string) sim.Post {
	f.t.Helper()
	f.clock.Advance(time.Second)
	p, err := f.sim.Post(handle, text, "")
	if err != nil {
		f.t.Fatal(err)
	}
	return p
}

func (f *fixture) dm(handle, text string) sim.DM {
	f.t.Helper()
	f.clock.Advance(time.Second)
	d, err := f.sim.SendDM(handle, text)
	if err != nil {
		f.t.Fatal(err)
	}
	return d
}

func (f *fixture) status() app.StatusReport {
	f.t.Helper()
	st, err := f.store.Status(context.Background())
	if err != nil {
		f.t.Fatal(err)
	}
	return st
}

// acksPerNumber counts, per registry number, what the town hall sent.
func (f *fixture) acksPerNumber() map[string]int {
	out := map[string]int{}
	re := func(text string) {
		for _, w := range strings.Fields(text) {
			w = strings.Trim(w, ".,()")
			if strings.HasPrefix(w, "E-") && len(w) == 13 {
				out[w]++
			}
		}
	}
	for _, p := range f.sim.OwnerPosts() {
		re(p.Text)
	}
	for _, d := range f.sim.OwnerDMs() {
		re(d.Text)
	}
	return out
}

func TestPaginationSinceIDAndAcks(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil)
	f.account("vecina1")
	f.account("vecino2")
	for i := 0; i < 35; i++ {
		f.post("vecina1", fmt.Sprintf("@AytoPrueba consulta número %d", i))
	}
	// Each DM from a different resident: DMs in one conversation join its open case.
	for i := 0; i < 12; i++ {
		h := fmt.Sprintf("vecino_dm%d", i)
		f.account(h)
		f.dm(h, fmt.Sprintf("Hola, pregunta privada %d", i))
	}
	res, err := f.engine.RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stored != 47 || res.NewCases != 47 || res.Sent != 47 {
		t.Errorf("first run: got %+v, want 47 stored, cases and sent", res)
	}
	st := f.status()
	if st.Messages.Total != 47 || st.Cases.ByKind[app.KindQuery] != 47 || st.Outbox.Sent != 47 || st.Outbox.Pending != 0 {
		t.Errorf("status: got %+v", st)
	}
	// Mentions came in pages of 10; DMs too.
	if n := f.sim.Stats()["GET /2/users/{id}/mentions"]; n < 4 {
		t.Errorf("mention pages fetched: got %d, want at least 4", n)
	}
	for num, n := range f.acksPerNumber() {
		if n != 1 {
			t.Errorf("%s acknowledged %d times", num, n)
		}
	}
	if got := len(f.acksPerNumber()); got != 47 {
		t.Errorf("acknowledged cases: got %d, want 47", got)
	}
	if got := len(f.sim.OwnerDMs()); got != 12 {
		t.Errorf("acks by DM: got %d, want 12", got)
	}

	// since_id resumption: a second run adds nothing; new posts are the only new cases.
	before := f.sim.Stats()["GET /2/users/{id}/mentions"]
	res, err = f.engine.RunOnce(ctx)
	if err != nil || res.Stored != 0 || res.Sent != 0 {
		t.Fatalf("second run: got %+v, %v; want nothing new", res, err)
	}
	if after := f.sim.Stats()["GET /2/users/{id}/mentions"]; after-before != 1 {
		t.Errorf("caught-up run fetched %d mention pages, want 1", after-before)
	}
	f.post("vecino2", "@AytoPrueba otra consulta más")
	res, err = f.engine.RunOnce(ctx)
	if err != nil || res.Stored != 1 || res.NewCases != 1 {
		t.Errorf("third run: got %+v, %v; want 1 new", res, err)
	}
	// The engine's own acknowledgements never become cases.
	if st := f.status(); st.Cases.Total != 48 {
		t.Errorf("cases: got %d, want 48", st.Cases.Total)
	}
}

func TestReplyToAcknowledgementJoinsCase(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil)
	f.account("vecina1")
	f.post("vecina1", "@AytoPrueba ¿a qué hora abre el registro?")
	if _, err := f.engine.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	ack := f.sim.OwnerPosts()[0]
	f.clock.Advance(time.Minute)
	if _, err := f.sim.Post("vecina1", "Gracias, ¿y los sábados?", ack.ID); err != nil {
		t.Fatal(err)
	}
	f.dm("vecina1", "Le escribo también por privado")
	f.dm("vecina1", "Y otro mensaje privado")
	if _, err := f.engine.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	st := f.status()
	if st.Messages.Total != 4 || st.Cases.Total != 2 {
		t.Errorf("got %d messages in %d cases, want 4 in 2 (reply joins its case, second DM joins the DM case)", st.Messages.Total, st.Cases.Total)
	}
}

// dupClient repeats the last post of each mention page at the top of the next page, as a
// network whose pages shift under new posts would.
type dupClient struct {
	network.Client
	last *network.Post
}

func (d *dupClient) ListMentions(ctx context.Context, p network.ListMentionsParams) (network.PostPage, error) {
	page, err := d.Client.ListMentions(ctx, p)
	if err != nil {
		return page, err
	}
	if d.last != nil && p.PaginationToken != "" {
		page.Posts = append([]network.Post{*d.last}, page.Posts...)
	}
	if n := len(page.Posts); n > 0 {
		l := page.Posts[n-1]
		d.last = &l
	}
	return page, nil
}

func TestDuplicateAcrossPagesStoredOnce(t *testing.T) {
	f := newFixture(t, nil)
	f.engine = sync.New(withNet(f.cfg, &dupClient{Client: f.net}))
	f.account("vecina1")
	for i := 0; i < 25; i++ {
		f.post("vecina1", fmt.Sprintf("@AytoPrueba mensaje %d", i))
	}
	res, err := f.engine.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if st := f.status(); res.Stored != 25 || st.Messages.Total != 25 || st.Cases.Total != 25 || st.Outbox.Sent != 25 {
		t.Errorf("got %+v / %+v, want 25 of each", res, st)
	}
}

func withNet(cfg sync.Config, n network.Client) sync.Config {
	cfg.Net = n
	return cfg
}

func TestRateLimitWaitsOutResetWithoutSleeping(t *testing.T) {
	f := newFixture(t, nil)
	f.account("vecina1")
	f.post("vecina1", "@AytoPrueba hola")
	f.sim.InjectFault(sim.Fault{Kind: sim.Fault429, PathPrefix: "/2/users/", Method: "GET", ResetIn: 60})
	start := time.Now()
	t0 := f.clock.Now()
	res, err := f.engine.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Stored != 1 || res.Sent != 1 {
		t.Errorf("got %+v, want the message stored and acknowledged after the wait", res)
	}
	waited := f.clock.Now().Sub(t0)
	if waited < 60*time.Second || waited > 5*time.Minute {
		t.Errorf("waited %s of fake time, want about the 60 s reset", waited)
	}
	if real := time.Since(start); real > 10*time.Second {
		t.Errorf("took %s of real time: the engine slept for real", real)
	}
}

func TestRateLimitLongerThanMaxWaitFails(t *testing.T) {
	f := newFixture(t, func(c *sync.Config) { c.MaxWait = 30 * time.Second })
	f.account("vecina1")
	f.post("vecina1", "@AytoPrueba hola")
	f.sim.InjectFault(sim.Fault{Kind: sim.Fault429, PathPrefix: "/2/users/", Method: "GET", ResetIn: 900})
	_, err := f.engine.RunOnce(context.Background())
	if !errors.Is(err, sync.ErrWaitTooLong) {
		t.Fatalf("got %v, want ErrWaitTooLong", err)
	}
	if st := f.engine.State(); st.RateLimitUntil.IsZero() {
		t.Errorf("state does not show the rate-limit wait: %+v", st)
	}
}

func TestServerErrorsAndDropsRetried(t *testing.T) {
	f := newFixture(t, nil)
	f.account("vecina1")
	f.post("vecina1", "@AytoPrueba hola")
	f.dm("vecina1", "hola por privado")
	f.sim.InjectFault(sim.Fault{Kind: sim.Fault5xx, PathPrefix: "/2/users/", Count: 2, Status: 503})
	f.sim.InjectFault(sim.Fault{Kind: sim.Fault5xx, PathPrefix: "/2/tweets", Method: "POST", Count: 1, Status: 500})
	f.sim.InjectFault(sim.Fault{Kind: sim.FaultDrop, PathPrefix: "/2/dm_conversations", Count: 1})
	res, err := f.engine.RunOnce(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if res.Stored != 2 || res.Sent != 2 {
		t.Errorf("got %+v", res)
	}
	for num, n := range f.acksPerNumber() {
		if n != 1 {
			t.Errorf("%s acknowledged %d times", num, n)
		}
	}
}

func TestPartialErrorsDoNotStopSync(t *testing.T) {
	f := newFixture(t, nil)
	f.account("vecina1")
	f.post("vecina1", "@AytoPrueba hola")
	f.sim.InjectFault(sim.Fault{Kind: sim.FaultPartial, PathPrefix: "/2/users/", Method: "GET", Count: 3})
	res, err := f.engine.RunOnce(context.Background())
	if err != nil || res.Stored != 1 {
		t.Fatalf("got %+v %v", res, err)
	}
}

func TestDuplicateContentTreatedAsSent(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil)
	f.account("vecina1")
	p := f.post("vecina1", "@AytoPrueba hola")
	// A round stores the case; its send is rate limited, so the row stays pending. Meanwhile
	// the same text reaches the network (another desktop, an earlier attempt).
	f.sim.InjectFault(sim.Fault{Kind: sim.Fault429, PathPrefix: "/2/tweets", Method: "POST", ResetIn: 30})
	f.engine.Round(ctx)
	pending, _ := f.store.ListOutbox(ctx, app.OutboxPending, 10)
	if len(pending) != 1 {
		t.Fatalf("pending: got %d, want 1", len(pending))
	}
	posted, err := f.sim.Post("AytoPrueba", pending[0].Text, p.ID)
	if err != nil {
		t.Fatal(err)
	}
	f.clock.Advance(time.Hour)
	if _, err := f.engine.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	got, _ := f.store.GetOutboxItem(ctx, pending[0].ID)
	if got.Status != app.OutboxSent || got.NetworkID != posted.ID {
		t.Errorf("got %s/%s, want sent with the network's id %s", got.Status, got.NetworkID, posted.ID)
	}
	if n := len(f.sim.OwnerPosts()); n != 1 {
		t.Errorf("the town hall posted %d times, want 1", n)
	}
	if n := f.sim.Stats()["POST /2/tweets"]; n < 2 {
		t.Errorf("POST /2/tweets called %d times: the duplicate-content path was not exercised", n)
	}
}

func TestCrashWhileSendingReconciles(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil)
	f.account("vecina1")
	p := f.post("vecina1", "@AytoPrueba hola")
	f.sim.InjectFault(sim.Fault{Kind: sim.Fault5xx, PathPrefix: "/2/tweets", Method: "POST", Count: 1})
	f.engine.Round(ctx)
	// A 5xx may mean the post went out: the row stays sending, to be looked for first.
	sending, _ := f.store.ListOutbox(ctx, app.OutboxSending, 10)
	if len(sending) != 1 {
		t.Fatalf("sending: got %d, want 1", len(sending))
	}
	it := sending[0]
	posted, _ := f.sim.Post("AytoPrueba", it.Text, p.ID)
	f.clock.Advance(time.Hour)
	if _, err := sync.New(f.cfg).RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	got, _ := f.store.GetOutboxItem(ctx, it.ID)
	if got.Status != app.OutboxSent || got.NetworkID != posted.ID || len(f.sim.OwnerPosts()) != 1 {
		t.Errorf("got %s/%s and %d posts, want sent once", got.Status, got.NetworkID, len(f.sim.OwnerPosts()))
	}
}

func TestReplyRestrictionIsPermanent(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, func(c *sync.Config) { c.Searches = []string{"#fiestasprueba"} })
	f.account("vecina1")
	f.post("vecina1", "Qué bonitas las #FiestasPrueba este año")
	res, err := f.engine.RunOnce(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if res.Stored != 1 || res.Failed != 1 {
		t.Fatalf("got %+v, want 1 stored and its public reply failed", res)
	}
	failed, _ := f.store.ListOutbox(ctx, app.OutboxFailed, 10)
	if len(failed) != 1 || !strings.Contains(failed[0].LastError, string(network.ReasonReplyNotAllowed)) {
		t.Errorf("failed rows: %+v", failed)
	}
	st := f.engine.State()
	if len(st.Failures) != 1 || st.Failed != 1 {
		t.Errorf("state failures: %+v", st.Failures)
	}
	if len(f.sim.OwnerPosts()) != 0 {
		t.Error("a reply went out")
	}
}

func TestOfflineRoundKeepsEverything(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil)
	f.account("vecina1")
	f.post("vecina1", "@AytoPrueba hola")
	f.sim.Close()
	_, err := f.engine.Round(ctx)
	if err == nil || !network.IsRetryable(err) {
		t.Fatalf("got %v, want a retryable error", err)
	}
	if st := f.engine.State(); st.Online != sync.OnlineNo {
		t.Errorf("online: got %s, want offline", st.Online)
	}
}

func TestEventsPublished(t *testing.T) {
	f := newFixture(t, nil)
	ch, stop := f.engine.Subscribe()
	defer stop()
	f.account("vecina1")
	f.post("vecina1", "@AytoPrueba hola")
	if _, err := f.engine.RunOnce(context.Background()); err != nil {
		t.Fatal(err)
	}
	kinds := map[sync.EventKind]int{}
	for len(ch) > 0 {
		ev := <-ch
		kinds[ev.Kind]++
	}
	if kinds[sync.EventCaseChanged] != 1 || kinds[sync.EventItemSent] != 1 || kinds[sync.EventRoundFinished] < 1 {
		t.Errorf("events: got %v", kinds)
	}
	st := f.engine.State()
	if st.Online != sync.OnlineYes || st.CallsToday["GET /2/users/:id/mentions"] < 1 || st.LastCompleteAt.IsZero() {
		t.Errorf("state: got %+v", st)
	}
}

// noLookClient is a network without the account's own timeline (an independent fake may lack
// it): reconciliation cannot look, and sending must still complete.
type noLookClient struct{ network.Client }

func (noLookClient) RecentPosts(ctx context.Context, userID string, n int) ([]network.Post, error) {
	return nil, &network.Error{Op: "GET /2/users/:id/tweets", Status: 404, Reason: network.ReasonNotFound}
}

func TestReconcileUnavailableStillSendsOnce(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil)
	f.engine = sync.New(withNet(f.cfg, noLookClient{f.net}))
	f.account("vecina1")
	f.post("vecina1", "@AytoPrueba hola")
	// The first send fails after reaching the server: the row stays sending.
	f.sim.InjectFault(sim.Fault{Kind: sim.Fault5xx, PathPrefix: "/2/tweets", Method: "POST", Count: 1})
	f.engine.Round(ctx)
	f.clock.Advance(time.Hour)
	if _, err := f.engine.RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if st := f.status(); st.Outbox.Sent != 1 || len(f.sim.OwnerPosts()) != 1 {
		t.Errorf("got %+v and %d posts, want one sent", st.Outbox, len(f.sim.OwnerPosts()))
	}
}

// Pending rows are marked sending a window at a time; when the first of a window is deferred
// (a 429 on posting), the rows after it were never tried and go back to pending, so the next
// pass sends them without first looking for them among what the account sent.
func TestDeferredSendLeavesUntriedRowsPending(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, nil)
	f.account("vecina1")
	f.post("vecina1", "@AytoPrueba hola")
	for _, h := range []string{"vecina2", "vecina3", "vecina4"} {
		f.account(h)
		f.dm(h, "hola por privado")
	}
	f.sim.InjectFault(sim.Fault{Kind: sim.Fault429, PathPrefix: "/2/tweets", Method: "POST", ResetIn: 900})
	f.engine.Round(ctx)
	st := f.status()
	if st.Outbox.Sending != 0 || st.Outbox.Pending != 4 || st.Outbox.Sent != 0 {
		t.Fatalf("after the deferral: %+v, want 4 pending (the reply deferred, 3 DMs untried), none sending", st.Outbox)
	}
	pending, _ := f.store.ListOutbox(ctx, app.OutboxPending, 10)
	for _, it := range pending {
		if it.Kind == app.OutboxDM && (it.Attempts != 0 || !it.NotBefore.IsZero()) {
			t.Errorf("untried DM %s: attempts %d, not before %v, want untouched", it.ID, it.Attempts, it.NotBefore)
		}
		if it.Kind == app.OutboxReply && (it.Attempts != 1 || it.NotBefore.IsZero()) {
			t.Errorf("deferred reply: attempts %d, not before %v, want one attempt and a retry time", it.Attempts, it.NotBefore)
		}
	}
	f.clock.Advance(time.Hour)
	if _, err := sync.New(f.cfg).RunOnce(ctx); err != nil {
		t.Fatal(err)
	}
	if st := f.status(); st.Outbox.Sent != 4 {
		t.Errorf("after the reset: %+v, want 4 sent", st.Outbox)
	}
	for num, n := range f.acksPerNumber() {
		if n != 1 {
			t.Errorf("%s acknowledged %d times", num, n)
		}
	}
}
