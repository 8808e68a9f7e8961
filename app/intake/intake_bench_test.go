package intake_test

import (
	"context"
	"crypto/rand"
	"fmt"
	"path/filepath"
	"testing"
	"time"

	"ventanilla/app"
	"ventanilla/app/intake"
	"ventanilla/app/network"
	"ventanilla/app/verify"
	"ventanilla/db"
	"ventanilla/db/gen"
)

// trafficMessages turns generated traffic into inbound messages as the sync engine hands them
// to intake: network ids in order, DMs in the resident's conversation with the town hall.
func trafficMessages(n int, owner network.User) []app.InboundMessage {
	_, in := gen.New(1).Traffic(n, max(n/20, 50), owner.Handle)
	out := make([]app.InboundMessage, len(in))
	start := time.Date(2026, 11, 20, 9, 0, 0, 0, time.UTC)
	for i, m := range in {
		id := fmt.Sprint(1_900_000_000_000_000_000 + i)
		conv := id
		if m.Channel == app.ChannelDM {
			conv = owner.ID + "-" + m.Account.UserID
		}
		out[i] = app.InboundMessage{Network: "x", MessageID: id, Channel: m.Channel, AuthorUserID: m.Account.UserID,
			AuthorHandle: m.Account.Handle, AuthorName: m.Account.Name, Text: m.Text, ConversationID: conv,
			PostedAt: start.Add(time.Duration(i) * time.Second),
			Raw:      fmt.Sprintf(`{"id":%q,"text":%q,"author_id":%q}`, id, m.Text, m.Account.UserID)}
	}
	return out
}

// BenchmarkIntake: the real intake (store the message, identify its author, classify it,
// open or join a case with its registry number and due date, queue the acknowledgement) in
// transactions of 100 messages as the sync engine stores them, in messages per second, next to
// the same messages inserted 100 per transaction into a bare table through the same driver,
// and into a bare table carrying the same full-text index.
func BenchmarkIntake(b *testing.B) {
	unlock, err := gen.Lock(context.Background())
	if err != nil {
		b.Fatal(err)
	}
	defer unlock()
	owner := network.User{ID: "1000000000000000001", Handle: gen.TownHallHandle}
	msgs := trafficMessages(intakePages*intakePage, owner)
	var tIntake, tBare, tFTS time.Duration
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		ti, tb, tf := intakeRun(b, msgs, owner)
		tIntake, tBare, tFTS = tIntake+ti, tBare+tb, tFTS+tf
	}
	b.StopTimer()
	n := float64(b.N * len(msgs))
	rate, bareRate, ftsRate := n/tIntake.Seconds(), n/tBare.Seconds(), n/tFTS.Seconds()
	b.ReportMetric(rate, "msgs/s")
	b.ReportMetric(bareRate, "bare-msgs/s")
	b.ReportMetric(ftsRate, "bare-fts-msgs/s")
	b.ReportMetric(rate/ftsRate, "ratio-vs-fts")
}

// Every iteration of BenchmarkIntake is the same work: 300 pages of 100 messages into fresh
// files. The rates depend on how large the tables and full-text indexes have grown (the bare
// FTS table is faster while its index is small), so a workload that grew with b.N would give
// a different ratio for every -benchtime.
const (
	intakePage  = 100
	intakePages = 300
)

// intakeRun stores msgs page by page through the intake, then into the bare tables, each in
// its own new file, and returns the time each took.
func intakeRun(b *testing.B, msgs []app.InboundMessage, owner network.User) (tIntake, tBare, tFTS time.Duration) {
	b.StopTimer()
	ctx := context.Background()
	dir := b.TempDir()
	store, err := db.Open(ctx, filepath.Join(dir, "v.db"))
	if err != nil {
		b.Fatal(err)
	}
	defer store.Close()
	if err := intake.Seed(ctx, store, func() int { return 2026 }); err != nil {
		b.Fatal(err)
	}
	v := verify.New(store, nil, app.SystemClock, rand.Reader)
	svc := intake.New(store, v, app.SystemClock)
	bare, err := db.OpenBareTable(ctx, filepath.Join(dir, "bare.db"), false)
	if err != nil {
		b.Fatal(err)
	}
	defer bare.Close()
	bareFTS, err := db.OpenBareTable(ctx, filepath.Join(dir, "bare-fts.db"), true)
	if err != nil {
		b.Fatal(err)
	}
	defer bareFTS.Close()
	b.StartTimer()
	for start := 0; start < len(msgs); start += intakePage {
		batch := msgs[start:min(start+intakePage, len(msgs))]
		t0 := time.Now()
		if err := acceptPage(ctx, store, svc, msgs, start, owner, true); err != nil {
			b.Fatal(err)
		}
		t1 := time.Now()
		if err := bare.InsertPage(ctx, batch); err != nil {
			b.Fatal(err)
		}
		t2 := time.Now()
		if err := bareFTS.InsertPage(ctx, batch); err != nil {
			b.Fatal(err)
		}
		t3 := time.Now()
		tIntake, tBare, tFTS = tIntake+t1.Sub(t0), tBare+t2.Sub(t1), tFTS+t3.Sub(t2)
	}
	return tIntake, tBare, tFTS
}

// acceptPage stores the page of msgs that begins at start in one transaction, as the sync
// engine does: the page's ids looked up first and, with readAhead, its authors' identities
// read in one query and the next page's text prepared on another goroutine meanwhile. It
// returns when both the transaction and the preparation are done.
func acceptPage(ctx context.Context, store *db.Store, svc *intake.Service, msgs []app.InboundMessage, start int,
	owner network.User, readAhead bool) error {
	page := msgs[start:min(start+intakePage, len(msgs))]
	next := msgs[min(start+intakePage, len(msgs)):min(start+2*intakePage, len(msgs))]
	prepared := make(chan struct{})
	go func() {
		defer close(prepared)
		if readAhead && len(next) > 0 {
			svc.Prepare(ctx, next, owner)
		}
	}()
	err := store.InTx(ctx, func(tx app.Tx) error {
		ids, authors := make([]string, len(page)), make([]string, len(page))
		for j := range page {
			ids[j], authors[j] = page[j].MessageID, page[j].AuthorUserID
		}
		known, err := tx.KnownInboundMessages(ctx, "x", ids)
		if err != nil || len(known) > 0 {
			return fmt.Errorf("look up the page: %d known, %v", len(known), err)
		}
		if readAhead {
			if err := tx.PrefetchIdentities(ctx, "x", authors); err != nil {
				return err
			}
		}
		for j := range page {
			m := page[j]
			if _, err := svc.Accept(ctx, tx, &m, owner); err != nil {
				return err
			}
		}
		return nil
	})
	<-prepared
	return err
}
