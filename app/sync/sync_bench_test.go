//go:build unix

package sync_test

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"syscall"
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
	"ventanilla/db/gen"
)

const simChildEnv = "VENTANILLA_BENCH_SIM_SCENARIO"

// TestSimChild is the simulator in its own process for BenchmarkSyncCPU, so that its CPU is
// not counted; it does nothing in a normal test run. It serves until its stdin closes.
func TestSimChild(t *testing.T) {
	scenario := os.Getenv(simChildEnv)
	if scenario == "" {
		t.Skip("only as the benchmark's simulator")
	}
	ctx, cancel := context.WithCancel(context.Background())
	go func() { io.Copy(io.Discard, os.Stdin); cancel() }()
	os.Exit(sim.Main(ctx, []string{"--addr", "127.0.0.1:0", "--scenario", scenario}, os.Stdout, os.Stderr))
}

// startSim starts the simulator child with the scenario and returns its URL and its stop.
func startSim(b *testing.B, scenario string) (string, func()) {
	cmd := exec.Command(os.Args[0], "-test.run=^TestSimChild$")
	cmd.Env = append(os.Environ(), simChildEnv+"="+scenario)
	stdin, _ := cmd.StdinPipe()
	stdout, _ := cmd.StdoutPipe()
	cmd.Stderr = os.Stderr
	if err := cmd.Start(); err != nil {
		b.Fatal(err)
	}
	line, err := bufio.NewReader(stdout).ReadString('\n')
	if err != nil {
		b.Fatalf("simulator: %v", err)
	}
	return strings.TrimSpace(line), func() { stdin.Close(); cmd.Wait() }
}

// scenarioFile writes n generated messages from residents (mentions within the network's
// 800-mention reach, the rest as DMs) as a simulator scenario.
func scenarioFile(b *testing.B, dir string, n int) string {
	accs, msgs := gen.New(1).Traffic(n, max(n/10, 10), gen.TownHallHandle)
	type acc struct {
		Handle string `json:"handle"`
		Name   string `json:"name"`
	}
	type msg struct {
		Author string `json:"author,omitempty"`
		From   string `json:"from,omitempty"`
		Text   string `json:"text"`
		Age    string `json:"age"`
	}
	sc := struct {
		Owner    acc   `json:"owner"`
		Accounts []acc `json:"accounts"`
		Posts    []msg `json:"posts"`
		DMs      []msg `json:"dms"`
	}{Owner: acc{gen.TownHallHandle, "Ayuntamiento de Villaverde"}}
	for _, a := range accs {
		sc.Accounts = append(sc.Accounts, acc{a.Handle, a.Name})
	}
	for i, m := range msgs {
		age := fmt.Sprintf("-%dm", len(msgs)-i)
		if m.Channel == app.ChannelMention && len(sc.Posts) < 700 {
			text := m.Text
			if !strings.Contains(text, "@") {
				text = "@" + gen.TownHallHandle + " " + text
			}
			sc.Posts = append(sc.Posts, msg{Author: m.Account.Handle, Text: text, Age: age})
		} else {
			sc.DMs = append(sc.DMs, msg{From: m.Account.Handle, Text: m.Text, Age: age})
		}
	}
	path := filepath.Join(dir, "scenario.json")
	data, _ := json.Marshal(sc)
	if err := os.WriteFile(path, data, 0o644); err != nil {
		b.Fatal(err)
	}
	return path
}

func cpuTime() time.Duration {
	var ru syscall.Rusage
	syscall.Getrusage(syscall.RUSAGE_SELF, &ru)
	return time.Duration(ru.Utime.Nano() + ru.Stime.Nano())
}

func newEngineStore(b *testing.B, ctx context.Context, dir string, net network.Client) (*db.Store, *sync.Engine) {
	store, err := db.Open(ctx, filepath.Join(dir, "v.db"))
	if err != nil {
		b.Fatal(err)
	}
	if err := intake.Seed(ctx, store, func() int { return app.RegistryYear(time.Now()) }); err != nil {
		b.Fatal(err)
	}
	v := verify.New(store, net, app.SystemClock, rand.Reader)
	return store, sync.New(sync.Config{Store: store, Net: net, Intake: intake.New(store, v, app.SystemClock)})
}

// bareClient is the baseline: the same network client pages through the mentions and the DMs,
// sends one acknowledgement per message, and stores each message in a bare table with the same
// full-text index, 100 rows per transaction.
func bareClient(ctx context.Context, net network.Client, table *db.BareTable) (int, error) {
	me, err := net.Me(ctx)
	if err != nil {
		return 0, err
	}
	var msgs []app.InboundMessage
	token := ""
	for {
		p, err := net.ListMentions(ctx, network.ListMentionsParams{UserID: me.ID, PaginationToken: token, MaxResults: 100})
		if err != nil {
			return 0, err
		}
		for _, post := range p.Posts {
			msgs = append(msgs, app.InboundMessage{Network: "x", MessageID: post.ID, Channel: app.ChannelMention, AuthorUserID: post.AuthorID,
				AuthorHandle: post.Author.Handle, Text: post.Text, ConversationID: post.ConversationID, PostedAt: post.CreatedAt, Raw: string(post.Raw)})
		}
		if token = p.NextToken; token == "" || len(p.Posts) == 0 {
			break
		}
	}
	token = ""
	for {
		p, err := net.ListDMEvents(ctx, network.ListDMParams{PaginationToken: token, MaxResults: 100})
		if err != nil {
			return 0, err
		}
		for _, d := range p.Messages {
			if d.SenderID == me.ID {
				continue
			}
			msgs = append(msgs, app.InboundMessage{Network: "x", MessageID: d.ID, Channel: app.ChannelDM, AuthorUserID: d.SenderID,
				AuthorHandle: d.Sender.Handle, Text: d.Text, ConversationID: d.ConversationID, PostedAt: d.CreatedAt, Raw: string(d.Raw)})
		}
		if token = p.NextToken; token == "" || len(p.Messages) == 0 {
			break
		}
	}
	for start := 0; start < len(msgs); start += 100 {
		if err := table.InsertPage(ctx, msgs[start:min(start+100, len(msgs))]); err != nil {
			return 0, err
		}
	}
	for i, m := range msgs {
		text := fmt.Sprintf("Hemos registrado su mensaje con el número E-2026-%06d. Ayuntamiento.", i+1)
		if m.Channel == app.ChannelDM {
			_, err = net.SendDM(ctx, m.AuthorUserID, text)
		} else {
			_, err = net.CreatePost(ctx, network.CreatePostParams{Text: text, InReplyToID: m.MessageID})
		}
		if err != nil {
			return 0, err
		}
	}
	return len(msgs), nil
}

// BenchmarkSyncCPU: the CPU time of this process (the simulator runs in a child process, so
// its time is not counted) per 100 messages for a sync --once of 1,000 fresh messages (700
// mentions, 300 DMs) with the real intake, next to the bare client on the same data.
func BenchmarkSyncCPU(b *testing.B) {
	unlock, err := gen.Lock(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	defer unlock()
	ctx := context.Background()
	scenario := scenarioFile(b, b.TempDir(), 1000)
	var engineCPU, bareCPU time.Duration
	var engineMsgs, bareMsgs int
	for i := 0; i < b.N; i++ {
		b.StopTimer()
		url, stop := startSim(b, scenario)
		net, err := x.New(ctx, x.Config{BaseURL: url, BearerToken: "t", Timeout: 10 * time.Second})
		if err != nil {
			b.Fatal(err)
		}
		store, engine := newEngineStore(b, ctx, b.TempDir(), net)
		b.StartTimer()
		c0 := cpuTime()
		res, err := engine.RunOnce(ctx)
		engineCPU += cpuTime() - c0
		b.StopTimer()
		if err != nil || res.Sent == 0 {
			b.Fatalf("sync: %v (stored %d, sent %d)", err, res.Stored, res.Sent)
		}
		engineMsgs += res.Stored
		store.Close()
		stop()

		url, stop = startSim(b, scenario)
		net, err = x.New(ctx, x.Config{BaseURL: url, BearerToken: "t", Timeout: 10 * time.Second})
		if err != nil {
			b.Fatal(err)
		}
		table, err := db.OpenBareTable(ctx, filepath.Join(b.TempDir(), "bare.db"), true)
		if err != nil {
			b.Fatal(err)
		}
		b.StartTimer()
		c0 = cpuTime()
		n, err := bareClient(ctx, net, table)
		bareCPU += cpuTime() - c0
		b.StopTimer()
		if err != nil {
			b.Fatal(err)
		}
		bareMsgs += n
		table.Close()
		stop()
	}
	per100 := func(d time.Duration, n int) float64 {
		return float64(d) / float64(time.Millisecond) * 100 / float64(max(n, 1))
	}
	e, bb := per100(engineCPU, engineMsgs), per100(bareCPU, bareMsgs)
	b.ReportMetric(e, "cpu-ms/100msgs")
	b.ReportMetric(bb, "bare-cpu-ms/100msgs")
	b.ReportMetric(e/bb, "ratio")
}

// BenchmarkTimeToDesk: from a resident's post reaching the simulator to its case being
// committed, when a sync round starts (Round, what Run does every interval): the round's
// latency, and with the default poll interval the expected and worst time to desk (half an
// interval and a whole one of waiting, plus the round), and the API calls a day that interval
// costs when nothing happens (one mentions and one DM listing per round).
func BenchmarkTimeToDesk(b *testing.B) {
	unlock, err := gen.Lock(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	defer unlock()
	ctx := context.Background()
	s := sim.New(sim.Options{OwnerHandle: gen.TownHallHandle})
	url, err := s.Start("127.0.0.1:0")
	if err != nil {
		b.Fatal(err)
	}
	defer s.Close()
	if _, err := s.CreateAccount("vecina", "María López"); err != nil {
		b.Fatal(err)
	}
	net, err := x.New(ctx, x.Config{BaseURL: url, BearerToken: "t", Timeout: 10 * time.Second})
	if err != nil {
		b.Fatal(err)
	}
	store, engine := newEngineStore(b, ctx, b.TempDir(), net)
	defer store.Close()
	if _, err := engine.RunOnce(ctx); err != nil {
		b.Fatal(err)
	}
	events, cancel := engine.Subscribe()
	defer cancel()
	var lat []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := s.Post("vecina", fmt.Sprintf("@%s la farola de la calle Real %d está fundida #incidencia", gen.TownHallHandle, i), ""); err != nil {
			b.Fatal(err)
		}
		t0 := time.Now()
		done := make(chan time.Duration, 1)
		go func() {
			for ev := range events {
				if ev.Kind == sync.EventCaseChanged {
					done <- time.Since(t0)
					return
				}
			}
		}()
		if _, err := engine.Round(ctx); err != nil {
			b.Fatal(err)
		}
		select {
		case d := <-done:
			lat = append(lat, d)
		case <-time.After(10 * time.Second):
			b.Fatal("no case committed")
		}
	}
	b.StopTimer()
	before := s.Stats()
	if _, err := engine.Round(ctx); err != nil {
		b.Fatal(err)
	}
	calls := 0
	for k, v := range s.Stats() {
		calls += v - before[k]
	}
	slices.Sort(lat)
	p50 := lat[len(lat)/2]
	interval := 2 * time.Minute // sync.Config's default Interval
	b.ReportMetric(float64(p50)/float64(time.Millisecond), "round-p50-ms")
	b.ReportMetric((interval/2 + p50).Seconds(), "desk-mean-s")
	b.ReportMetric((interval + p50).Seconds(), "desk-max-s")
	b.ReportMetric(float64(calls)*float64(24*time.Hour/interval), "api-calls/day")
}
