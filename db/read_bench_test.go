package db_test

import (
	"context"
	"slices"
	gosync "sync"
	"testing"
	"time"

	"ventanilla/app"
	"ventanilla/app/desk"
	"ventanilla/db"
	"ventanilla/db/gen"
)

// The read benchmarks run on a generated register (app/gen, seed 1) of the size
// VENTANILLA_BENCH_SCALE asks for, built once per machine and cached in the temporary
// directory. See app/BENCHMARKS.md.

var bigStore struct {
	once  gosync.Once
	path  string
	store *db.Store
	err   error
}

// benchLock keeps the benchmarks of different packages from running at the same time.
func benchLock(b *testing.B) {
	b.Helper()
	unlock, err := gen.Lock(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(unlock)
}

func openBig(b *testing.B) (*db.Store, string) {
	b.Helper()
	bigStore.once.Do(func() {
		ctx := context.Background()
		bigStore.path, bigStore.err = gen.BenchDatabase(ctx, gen.BenchConfig())
		if bigStore.err == nil {
			bigStore.store, bigStore.err = db.Open(ctx, bigStore.path)
		}
	})
	if bigStore.err != nil {
		b.Fatal(bigStore.err)
	}
	return bigStore.store, bigStore.path
}

func ms(d time.Duration) float64 { return float64(d) / float64(time.Millisecond) }

// quantile returns the q-quantile (0..1) of ds, which it sorts.
func quantile(ds []time.Duration, q float64) time.Duration {
	if len(ds) == 0 {
		return 0
	}
	slices.Sort(ds)
	return ds[min(int(q*float64(len(ds))), len(ds)-1)]
}

// searchQueries are what staff type in the inbox's search box: common words (found in a
// large share of the messages), rarer ones, two words, and a word being typed (prefix).
var searchQueries = []string{"calle", "gracias", "farola", "basura", "bache", "ruido", "empadronamiento",
	"cita previa", "calle real", "semáforo", "alcantarilla", "columpio roto", "pisci", "huerto urbano", "IBI"}

// BenchmarkSearch: full-text search over the register's messages, as the inbox runs it (the
// cases whose title, body or any message match, newest first, first page), next to the bare
// FTS5 query on the messages' index (the same match expression, newest first, 50 rows).
func BenchmarkSearch(b *testing.B) {
	benchLock(b)
	store, _ := openBig(b)
	ctx := context.Background()
	now := gen.DefaultEnd
	var inbox, bare []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		q := searchQueries[i%len(searchQueries)]
		t0 := time.Now()
		rows, err := store.ListInbox(ctx, desk.InboxQuery{Filter: desk.Filter{Search: q}, Now: now}, desk.InboxPageSize, 0)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		n, err := store.BenchQuery(ctx, `SELECT rowid FROM messages_fts WHERE messages_fts MATCH ? ORDER BY rowid DESC LIMIT 50`, db.FTSQuery(q))
		if err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		if len(rows) == 0 || n == 0 {
			b.Fatalf("query %q found nothing (inbox %d, bare %d)", q, len(rows), n)
		}
		inbox, bare = append(inbox, t1.Sub(t0)), append(bare, t2.Sub(t1))
	}
	b.StopTimer()
	p95, bp95 := quantile(inbox, 0.95), quantile(bare, 0.95)
	b.ReportMetric(ms(quantile(inbox, 0.5)), "p50-ms")
	b.ReportMetric(ms(p95), "p95-ms")
	b.ReportMetric(ms(quantile(bare, 0.5)), "bare-p50-ms")
	b.ReportMetric(ms(bp95), "bare-p95-ms")
	b.ReportMetric(float64(p95)/float64(max(bp95, 1)), "p95-ratio")
}

// inboxPage is one page of the inbox next to the bare indexed SELECT of the same rows.
func inboxPage(b *testing.B, f desk.Filter, bare string, args ...any) {
	store, _ := openBig(b)
	ctx := context.Background()
	var page, base []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		rows, err := store.ListInbox(ctx, desk.InboxQuery{Filter: f, Now: gen.DefaultEnd}, desk.InboxPageSize, 0)
		if err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		n, err := store.BenchQuery(ctx, bare, args...)
		if err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		if len(rows) != n || n == 0 {
			b.Fatalf("inbox %d rows, bare %d", len(rows), n)
		}
		page, base = append(page, t1.Sub(t0)), append(base, t2.Sub(t1))
	}
	b.StopTimer()
	p50, bp50 := quantile(page, 0.5), quantile(base, 0.5)
	b.ReportMetric(ms(p50), "p50-ms")
	b.ReportMetric(ms(quantile(page, 0.95)), "p95-ms")
	b.ReportMetric(ms(bp50), "bare-p50-ms")
	b.ReportMetric(float64(p50)/float64(max(bp50, 1)), "p50-ratio")
}

// BenchmarkInbox: the inbox's first page, unfiltered and filtered (one department's cases in
// progress), next to the bare indexed SELECT of the same 50 cases.
func BenchmarkInbox(b *testing.B) {
	benchLock(b)
	store, _ := openBig(b)
	depts, err := store.ListDepartments(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	var works string
	for _, d := range depts {
		if d.Code == "obras" {
			works = d.ID
		}
	}
	const cols = `SELECT id, registry_number, kind, status, priority, title, body, unread, opened_at, due_at, channel FROM cases`
	b.Run("first-page", func(b *testing.B) {
		inboxPage(b, desk.Filter{}, cols+` ORDER BY opened_at DESC LIMIT 50`)
	})
	b.Run("filtered", func(b *testing.B) {
		inboxPage(b, desk.Filter{Status: app.StatusInProgress, DepartmentID: works},
			cols+` WHERE status = ? AND department_id = ? ORDER BY opened_at DESC LIMIT 50`, string(app.StatusInProgress), works)
	})
}

// BenchmarkColdStart: opening the register and loading the inbox's first page, as the desk
// does after sign-in, with the generated register and with an empty one (same configuration
// and staff, no cases). Each iteration opens the file anew (new connections, empty SQLite page
// cache); the operating system's file cache stays warm.
func BenchmarkColdStart(b *testing.B) {
	benchLock(b)
	_, big := openBig(b)
	ctx := context.Background()
	empty, err := gen.EmptyBenchDatabase(ctx)
	if err != nil {
		b.Fatal(err)
	}
	start := func(path string) time.Duration {
		t0 := time.Now()
		s, err := db.Open(ctx, path)
		if err != nil {
			b.Fatal(err)
		}
		svc := desk.New(s)
		_ = svc
		if _, err := s.ListInbox(ctx, desk.InboxQuery{Now: time.Now()}, desk.InboxPageSize, 0); err != nil {
			b.Fatal(err)
		}
		d := time.Since(t0)
		s.Close()
		return d
	}
	var full, base []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		full = append(full, start(big))
		base = append(base, start(empty))
	}
	b.StopTimer()
	p50, bp50 := quantile(full, 0.5), quantile(base, 0.5)
	b.ReportMetric(ms(p50), "p50-ms")
	b.ReportMetric(ms(bp50), "empty-p50-ms")
	b.ReportMetric(float64(p50)/float64(max(bp50, 1)), "ratio")
}

// BenchmarkInboxCounts: what the desk's inbox also loads before it shows its first page (the
// number of matching cases and the counts beside each filter), which grow with the register.
func BenchmarkInboxCounts(b *testing.B) {
	benchLock(b)
	store, _ := openBig(b)
	ctx := context.Background()
	var count, facets []time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t0 := time.Now()
		if _, err := store.CountInbox(ctx, desk.InboxQuery{Now: gen.DefaultEnd}); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if _, err := store.InboxFacets(ctx, desk.Scope{}, gen.DefaultEnd); err != nil {
			b.Fatal(err)
		}
		count, facets = append(count, t1.Sub(t0)), append(facets, time.Since(t1))
	}
	b.StopTimer()
	b.ReportMetric(ms(quantile(count, 0.5)), "count-p50-ms")
	b.ReportMetric(ms(quantile(facets, 0.5)), "facets-p50-ms")
}
