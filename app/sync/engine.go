// Package sync is the offline-first engine between the register and the social network. One
// round pulls every stream (mentions, direct messages, configured searches) from its cursor,
// stores each message once and hands it to intake in the same transaction that advances the
// cursor, then sends the outbox in order, reconciling anything that may already have gone out.
// Run is a synchronous loop owned by main; RunOnce is what `ventanilla sync --once` does.
package sync

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"math/rand/v2"
	"sort"
	gosync "sync"
	"time"

	"ventanilla/app"
	"ventanilla/app/network"
)

// Intake decides what a new message becomes, inside the transaction of its page. Accept is
// given a message that is not stored yet and stores it, once, with what it made of it
// (StoreMessage), before anything that refers to it. It reports whether it opened a new case.
type Intake interface {
	Accept(ctx context.Context, tx app.Tx, m *app.InboundMessage, owner network.User) (newCase bool, err error)
}

// Preparer is an Intake that can read messages ahead of the transaction that accepts them
// (their text only: no store writes, nothing Accept relies on for correctness). The engine
// prepares the next batch while the current one is written, on another core when there is one.
type Preparer interface {
	Prepare(ctx context.Context, msgs []app.InboundMessage, owner network.User)
}

// Config wires an Engine. Store and Net are required.
type Config struct {
	Store   app.Store
	Net     network.Client
	Network string // network name stored with messages; default "x"
	Intake  Intake // default BasicIntake
	Clock   app.Clock
	// Sleep waits d or until ctx ends; tests pass one that advances a fake clock.
	Sleep func(ctx context.Context, d time.Duration) error
	// Interval between rounds in Run; default 2 minutes.
	Interval time.Duration
	// MaxWait is the longest RunOnce waits for a rate limit or a retry; default 2 minutes.
	MaxWait time.Duration
	// Searches are recent-search queries pulled every round (none by default).
	Searches []string
	// PageSize is max_results for listings; default 100.
	PageSize int
	// BatchSize is how many messages one intake transaction stores; default 100.
	BatchSize int
	Rand      *rand.Rand
	Log       *slog.Logger
	// Online, if set, runs at the start of every round once the network answered: work that
	// waited for the network, such as resolving handles staff entered offline. Its error is
	// logged, not fatal to the round.
	Online func(ctx context.Context) error
}

// Engine is the sync engine. Its exported methods are safe for concurrent use; Run and
// RunOnce must not run at the same time.
type Engine struct {
	cfg Config

	mu     gosync.Mutex
	state  State
	owner  network.User
	subs   map[chan Event]struct{}
	calls  map[string]int64 // since the last flush
	wake   chan struct{}
	rounds gosync.Mutex
	sent   []app.OutboxItem // sent, to be recorded with the next outbox write (under rounds)
}

// New builds an engine.
func New(cfg Config) *Engine {
	if cfg.Network == "" {
		cfg.Network = "x"
	}
	if cfg.Intake == nil {
		cfg.Intake = BasicIntake{}
	}
	if cfg.Clock == nil {
		cfg.Clock = app.SystemClock
	}
	if cfg.Sleep == nil {
		cfg.Sleep = sleepCtx
	}
	if cfg.Interval <= 0 {
		cfg.Interval = 2 * time.Minute
	}
	if cfg.MaxWait <= 0 {
		cfg.MaxWait = 2 * time.Minute
	}
	if cfg.PageSize <= 0 || cfg.PageSize > 100 {
		cfg.PageSize = 100
	}
	if cfg.BatchSize <= 0 {
		cfg.BatchSize = 100
	}
	if cfg.Rand == nil {
		cfg.Rand = rand.New(rand.NewPCG(uint64(time.Now().UnixNano()), 7))
	}
	if cfg.Log == nil {
		cfg.Log = slog.New(slog.DiscardHandler)
	}
	e := &Engine{cfg: cfg, subs: map[chan Event]struct{}{}, calls: map[string]int64{}, wake: make(chan struct{}, 1)}
	e.state.Online = OnlineUnknown
	e.cfg.Net = &countingClient{Client: cfg.Net, count: e.countCall}
	return e
}

func sleepCtx(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-t.C:
		return nil
	}
}

// Stream names.
const (
	StreamMentions = "mentions"
	StreamDMs      = "dm"
)

func (e *Engine) streamKey(name string) string { return e.cfg.Network + ":" + name }

// Subscribe returns a channel of events and a function that ends the subscription. Events are
// dropped for a subscriber that does not keep up, never blocking the engine.
func (e *Engine) Subscribe() (<-chan Event, func()) {
	ch := make(chan Event, 32)
	e.mu.Lock()
	e.subs[ch] = struct{}{}
	e.mu.Unlock()
	return ch, func() {
		e.mu.Lock()
		if _, ok := e.subs[ch]; ok {
			delete(e.subs, ch)
			close(ch)
		}
		e.mu.Unlock()
	}
}

func (e *Engine) publish(ev Event) {
	e.mu.Lock()
	defer e.mu.Unlock()
	ev.State = e.snapshotLocked()
	for ch := range e.subs {
		select {
		case ch <- ev:
		default:
		}
	}
}

// State returns a snapshot of the engine.
func (e *Engine) State() State {
	e.mu.Lock()
	defer e.mu.Unlock()
	return e.snapshotLocked()
}

func (e *Engine) snapshotLocked() State {
	s := e.state
	s.Streams = append([]StreamState(nil), e.state.Streams...)
	s.Failures = append([]FailedItem(nil), e.state.Failures...)
	s.CallsToday = make(map[string]int64, len(e.state.CallsToday))
	for k, v := range e.state.CallsToday {
		s.CallsToday[k] = v
	}
	return s
}

func (e *Engine) update(fn func(s *State)) {
	e.mu.Lock()
	fn(&e.state)
	e.mu.Unlock()
}

// SyncNow asks Run to start a round now. It never blocks.
func (e *Engine) SyncNow() {
	select {
	case e.wake <- struct{}{}:
	default:
	}
}

// Run syncs every Interval until ctx ends, and at once when SyncNow is called. A failed round
// is retried sooner, with backoff, or when the network's rate-limit reset says. It returns
// ctx's error.
func (e *Engine) Run(ctx context.Context) error {
	b := newBackoff(e.cfg.Rand, 5*time.Second, e.cfg.Interval)
	for {
		res, err := e.Round(ctx)
		next := e.cfg.Interval
		if err != nil {
			if ctx.Err() != nil {
				return ctx.Err()
			}
			next = b.next()
			e.cfg.Log.Warn("sync round failed", "err", err)
		} else {
			b.reset()
		}
		if d := res.RetryAt.Sub(e.cfg.Clock()); !res.RetryAt.IsZero() && d > 0 {
			switch {
			case err != nil && d > next:
				next = d + time.Second // the network said when: asking earlier only spends quota
			case err == nil && d < next:
				next = d // an outbox row becomes due before the next regular round
			}
		}
		e.update(func(s *State) { s.NextRoundAt = e.cfg.Clock().Add(next) })
		timer := time.NewTimer(next)
		select {
		case <-ctx.Done():
			timer.Stop()
			return ctx.Err()
		case <-e.wake:
			timer.Stop()
		case <-timer.C:
		}
	}
}

// Result is what one round did.
type Result struct {
	Stored    int // messages stored
	NewCases  int
	Sent      int
	Failed    int       // outbox rows that failed for good this round
	Pending   int       // outbox rows still pending after the round
	RetryAt   time.Time // when a rate-limited or failed call may be retried; zero if none
	CaughtUp  bool      // every stream was pulled to its end
	Drained   bool      // no outbox row is left pending or sending
	WaitError error     // the last retryable error that left work for later
}

// ErrWaitTooLong is returned by RunOnce when the network asks for a longer wait than MaxWait.
var ErrWaitTooLong = errors.New("the network asks to wait longer than allowed")

// RunOnce runs rounds until every stream is caught up and the outbox is drained, waiting out
// retryable failures (rate limits included) as long as each wait is within MaxWait. It is what
// `ventanilla sync --once` runs.
func (e *Engine) RunOnce(ctx context.Context) (Result, error) {
	var total Result
	b := newBackoff(e.cfg.Rand, time.Second, 30*time.Second)
	for attempt := 0; ; attempt++ {
		res, err := e.Round(ctx)
		total.Stored += res.Stored
		total.NewCases += res.NewCases
		total.Sent += res.Sent
		total.Failed += res.Failed
		total.Pending, total.CaughtUp, total.Drained = res.Pending, res.CaughtUp, res.Drained
		if err != nil && !network.IsRetryable(err) {
			return total, err
		}
		if err != nil {
			e.noteRetry(&res, err)
		}
		if err == nil && res.CaughtUp && res.Drained {
			return total, nil
		}
		if attempt >= 50 {
			return total, fmt.Errorf("sync did not complete after %d rounds: %w", attempt+1, errors.Join(err, res.WaitError))
		}
		now := e.cfg.Clock()
		wait := b.next()
		if !res.RetryAt.IsZero() && res.RetryAt.After(now) {
			wait = res.RetryAt.Sub(now) + time.Second
		}
		if wait > e.cfg.MaxWait {
			cause := errors.Join(err, res.WaitError)
			return total, fmt.Errorf("%w: retry at %s (%s), more than the %s allowed (--max-wait): %v",
				ErrWaitTooLong, now.Add(wait).In(app.Madrid).Format("15:04:05"), wait.Round(time.Second), e.cfg.MaxWait, cause)
		}
		if err := e.cfg.Sleep(ctx, wait); err != nil {
			return total, err
		}
	}
}

// Round pulls every stream and sends the outbox once. A retryable failure leaves work for a
// later round and is reported through err (and RetryAt), never losing what was stored.
func (e *Engine) Round(ctx context.Context) (res Result, err error) {
	e.rounds.Lock()
	defer e.rounds.Unlock()
	e.update(func(s *State) { s.Running = true })
	e.publish(Event{Kind: EventStateChanged})
	defer func() {
		e.finishRound(ctx, &res, err)
	}()

	owner, err := e.ownerUser(ctx)
	if err != nil {
		e.noteRetry(&res, err)
		return res, err
	}
	if e.cfg.Online != nil {
		if err := e.cfg.Online(ctx); err != nil {
			e.cfg.Log.Warn("work waiting for the network failed", "err", err)
		}
	}
	res.CaughtUp = true
	var pullErr error
	streams := []func(context.Context, network.User, *Result) error{e.pullMentions, e.pullDMs}
	for _, q := range e.cfg.Searches {
		streams = append(streams, func(ctx context.Context, o network.User, r *Result) error { return e.pullSearch(ctx, q, o, r) })
	}
	for _, pull := range streams {
		if err := pull(ctx, owner, &res); err != nil {
			res.CaughtUp = false
			if !network.IsRetryable(err) || ctx.Err() != nil {
				return res, err
			}
			pullErr = err
			e.noteRetry(&res, err)
		}
	}
	sendErr := e.sendOutbox(ctx, owner, &res)
	if sendErr != nil && (!network.IsRetryable(sendErr) || ctx.Err() != nil) {
		return res, sendErr
	}
	if sendErr != nil {
		e.noteRetry(&res, sendErr)
	}
	return res, errors.Join(pullErr, sendErr)
}

func (e *Engine) noteRetry(res *Result, err error) {
	res.WaitError = err
	if ne, ok := network.AsError(err); ok && !ne.ResetAt.IsZero() {
		if res.RetryAt.IsZero() || ne.ResetAt.After(res.RetryAt) {
			res.RetryAt = ne.ResetAt
		}
	}
}

func (e *Engine) finishRound(ctx context.Context, res *Result, err error) {
	now := e.cfg.Clock()
	e.flushCalls(ctx)
	st, stErr := e.cfg.Store.Status(ctx)
	if stErr == nil {
		res.Pending = int(st.Outbox.Pending + st.Outbox.Sending)
		res.Drained = st.Outbox.Pending+st.Outbox.Sending == 0
	}
	failures := e.failures(ctx)
	calls, _ := e.cfg.Store.ListAPICalls(ctx, now.Format("2006-01-02"))
	online := OnlineYes
	if err != nil && isTransport(err) {
		online = OnlineNo
	}
	complete := err == nil && res.CaughtUp && res.Drained
	e.update(func(s *State) {
		s.Running = false
		s.LastRoundAt = now
		if complete {
			s.LastCompleteAt = now
		}
		if err != nil {
			s.LastError = err.Error()
		} else {
			s.LastError = ""
		}
		s.Online = online
		if stErr == nil {
			s.Pending, s.Sending, s.Sent, s.Failed = st.Outbox.Pending, st.Outbox.Sending, st.Outbox.Sent, st.Outbox.Failed
			s.Streams = s.Streams[:0]
			for _, c := range st.Cursors {
				s.Streams = append(s.Streams, StreamState{Stream: c.Stream, SinceID: c.SinceID, LastSuccessAt: c.LastSuccessAt, LastError: c.LastError})
			}
			s.LookBackWarn = lookBackWarning(now, st.Cursors)
		}
		s.Failures = failures
		if calls != nil {
			s.CallsToday = calls
		}
		if res.RetryAt.After(now) {
			s.RateLimitUntil = res.RetryAt
			if ne, ok := network.AsError(res.WaitError); ok {
				s.RateLimitOn = ne.Op
			}
		} else {
			s.RateLimitUntil, s.RateLimitOn = time.Time{}, ""
		}
	})
	e.publish(Event{Kind: EventRoundFinished, NewCases: res.NewCases})
}

// Look-back limits of X: the newest 800 mentions, 7 days of search, 30 days of DMs.
const (
	SearchReach = 7 * 24 * time.Hour
	DMReach     = 30 * 24 * time.Hour
	MentionCap  = 800
)

// Look-back warning codes (the desk translates them).
const (
	WarnSearchReach = "lookback_search_7d"
	WarnDMReach     = "lookback_dm_30d"
	WarnMentionCap  = "lookback_mentions_800"
)

func lookBackWarning(now time.Time, cursors []app.CursorStatus) string {
	var oldest time.Time
	for _, c := range cursors {
		if c.LastError == WarnMentionCap {
			return WarnMentionCap
		}
		if !c.LastSuccessAt.IsZero() && (oldest.IsZero() || c.LastSuccessAt.Before(oldest)) {
			oldest = c.LastSuccessAt
		}
	}
	if oldest.IsZero() {
		return ""
	}
	gap := now.Sub(oldest)
	switch {
	case gap > DMReach:
		return WarnDMReach
	case gap > SearchReach:
		return WarnSearchReach
	}
	return ""
}

func isTransport(err error) bool {
	ne, ok := network.AsError(err)
	return ok && ne.Reason == network.ReasonTransport
}

func (e *Engine) failures(ctx context.Context) []FailedItem {
	items, err := e.cfg.Store.ListOutbox(ctx, app.OutboxFailed, 50)
	if err != nil {
		return nil
	}
	out := make([]FailedItem, len(items))
	for i, it := range items {
		out[i] = FailedItem{OutboxID: it.ID, CaseID: it.CaseID, Kind: string(it.Kind), Text: it.Text, Reason: it.LastError}
	}
	return out
}

// ownerUser learns (once per engine) who the town hall's account is, and records it so intake
// and the desk know it offline.
func (e *Engine) ownerUser(ctx context.Context) (network.User, error) {
	e.mu.Lock()
	o := e.owner
	e.mu.Unlock()
	if o.ID != "" {
		return o, nil
	}
	var me network.User
	err := e.retry(ctx, func() error {
		var err error
		me, err = e.cfg.Net.Me(ctx)
		return err
	})
	if err != nil {
		return network.User{}, fmt.Errorf("who is the town hall's account: %w", err)
	}
	err = e.cfg.Store.InTx(ctx, func(tx app.Tx) error {
		if err := tx.PutSetting(ctx, SettingOwnerID, me.ID); err != nil {
			return err
		}
		return tx.PutSetting(ctx, SettingOwnerHandle, me.Handle)
	})
	if err != nil {
		return network.User{}, err
	}
	e.mu.Lock()
	e.owner = me
	e.mu.Unlock()
	return me, nil
}

// Settings the engine writes.
const (
	SettingOwnerID     = "network.owner_user_id"
	SettingOwnerHandle = "network.owner_handle"
)

// retry calls fn until it succeeds, fails for good, or three quick retryable failures pass;
// a rate limit is never waited out here (the round reports it instead).
func (e *Engine) retry(ctx context.Context, fn func() error) error {
	b := newBackoff(e.cfg.Rand, 500*time.Millisecond, 5*time.Second)
	var err error
	for i := 0; i < 3; i++ {
		if err = fn(); err == nil || !network.IsRetryable(err) || network.HasReason(err, network.ReasonRateLimited) {
			return err
		}
		if i < 2 {
			if serr := e.cfg.Sleep(ctx, b.next()); serr != nil {
				return serr
			}
		}
	}
	return err
}

// idLess compares two decimal snowflake ids numerically.
func idLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

func maxID(a, b string) string {
	if idLess(a, b) {
		return b
	}
	return a
}

// sortOldestFirst orders messages so registry numbers follow the order residents wrote in.
func sortOldestFirst(ms []app.InboundMessage) {
	sort.SliceStable(ms, func(i, j int) bool { return idLess(ms[i].MessageID, ms[j].MessageID) })
}
