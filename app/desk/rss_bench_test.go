//go:build linux

package desk_test

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"testing"

	"ventanilla/app/desk"
	"ventanilla/db"
	"ventanilla/db/gen"
)

const rssChildEnv = "VENTANILLA_BENCH_RSS_DB"

// TestDeskRSSChild is the desk, headless, in its own process for BenchmarkDeskRSS: it opens
// the register, signs in and loads what the inbox shows first (the first page, the number of
// matching cases and the counts beside each filter), then prints its peak RSS (VmHWM). It does
// nothing in a normal test run.
func TestDeskRSSChild(t *testing.T) {
	path := os.Getenv(rssChildEnv)
	if path == "" {
		t.Skip("only as the benchmark's child")
	}
	ctx := context.Background()
	store, err := db.Open(ctx, path)
	if err != nil {
		t.Fatal(err)
	}
	svc := desk.New(store)
	sess, err := svc.SignIn(ctx, "admin", desk.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := svc.Inbox(ctx, sess, desk.Filter{}, desk.InboxPageSize, 0); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.CountInbox(ctx, sess, desk.Filter{}); err != nil {
		t.Fatal(err)
	}
	if _, err := svc.InboxCounts(ctx, sess); err != nil {
		t.Fatal(err)
	}
	status, err := os.ReadFile("/proc/self/status")
	if err != nil {
		t.Fatal(err)
	}
	for _, line := range strings.Split(string(status), "\n") {
		if strings.HasPrefix(line, "VmHWM:") {
			fmt.Println("RSS", strings.TrimSpace(strings.TrimSuffix(strings.TrimPrefix(line, "VmHWM:"), "kB")))
		}
	}
}

func childRSS(b *testing.B, path string) float64 {
	cmd := exec.Command(os.Args[0], "-test.run=^TestDeskRSSChild$", "-test.v")
	cmd.Env = append(os.Environ(), rssChildEnv+"="+path)
	out, err := cmd.CombinedOutput()
	if err != nil {
		b.Fatalf("desk child: %v\n%s", err, out)
	}
	for _, line := range bytes.Split(out, []byte("\n")) {
		if kb, ok := strings.CutPrefix(string(line), "RSS "); ok {
			n, err := strconv.Atoi(kb)
			if err != nil {
				b.Fatal(err)
			}
			return float64(n) / 1024
		}
	}
	b.Fatalf("desk child printed no RSS:\n%s", out)
	return 0
}

// BenchmarkDeskRSS: the peak resident memory of the desk (services, headless) after it has
// signed in and loaded the inbox of the generated register, next to the same on an empty one.
func BenchmarkDeskRSS(b *testing.B) {
	ctx := context.Background()
	unlock, err := gen.Lock(ctx)
	if err != nil {
		b.Fatal(err)
	}
	defer unlock()
	big, err := gen.BenchDatabase(ctx, gen.BenchConfig())
	if err != nil {
		b.Fatal(err)
	}
	empty, err := gen.EmptyBenchDatabase(ctx)
	if err != nil {
		b.Fatal(err)
	}
	var rss, base float64
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		rss = max(rss, childRSS(b, big))
		base = max(base, childRSS(b, empty))
	}
	b.ReportMetric(rss, "RSS-MB")
	b.ReportMetric(base, "empty-RSS-MB")
}
