package sync

import (
	"context"
	"fmt"
	"regexp"
	"sort"
	"strings"
	"time"

	"ventanilla/app"
	"ventanilla/app/network"
)

// sendOutbox sends pending rows in order. A row is marked sending (committed) before the
// network call, so that after a crash the engine knows it may have gone out and reconciles
// before sending it again. A retryable failure stops the pass, keeping the order; a permanent
// one fails that row with the network's reason and the pass goes on. That a row was sent is
// recorded in the same transaction that marks the next one sending (or at the end of the
// pass): one commit per message instead of two, and a crash in between leaves the row
// sending, which reconciliation finds among the account's posts.
func (e *Engine) sendOutbox(ctx context.Context, owner network.User, res *Result) (err error) {
	defer func() {
		if ferr := e.writeOutbox(ctx); err == nil {
			err = ferr
		}
	}()
	for {
		// Rows sent so far are recorded before the outbox is read again.
		if err := e.writeOutbox(ctx); err != nil {
			return err
		}
		items, err := e.sendable(ctx)
		if err != nil {
			return err
		}
		if len(items) == 0 {
			return nil
		}
		progressed := false
		for i := 0; i < len(items); {
			it := items[i]
			if !e.ready(it, res) {
				i++
				continue
			}
			progressed = true
			if it.Status == app.OutboxSending {
				if err := e.sendOne(ctx, owner, it, res); err != nil {
					return err
				}
				i++
				continue
			}
			// The next ready pending rows, in order, are marked sending together.
			var window []app.OutboxItem
			for ; i < len(items) && len(window) < sendWindowSize; i++ {
				if items[i].Status != app.OutboxPending || !e.ready(items[i], res) {
					break
				}
				window = append(window, items[i])
			}
			if err := e.sendWindow(ctx, owner, window, res); err != nil {
				return err
			}
		}
		if !progressed {
			return nil
		}
	}
}

// sendWindowSize is how many pending rows are marked sending in one transaction before they
// go out one by one. A crash leaves at most this many rows sending, each of which
// reconciliation looks for among what the account sent (they are the newest it sent) before
// any resend.
const sendWindowSize = 16

// ready says whether it may be sent now; otherwise it notes when it may.
func (e *Engine) ready(it app.OutboxItem, res *Result) bool {
	if !it.NotBefore.IsZero() && it.NotBefore.After(e.cfg.Clock()) {
		if res.RetryAt.IsZero() || it.NotBefore.Before(res.RetryAt) {
			res.RetryAt = it.NotBefore
		}
		return false
	}
	return true
}

// sendWindow marks window sending in one commit, then sends its rows in order. When one is
// deferred, the pass stops and the rows after it, never tried, go back to pending.
func (e *Engine) sendWindow(ctx context.Context, owner network.User, window []app.OutboxItem, res *Result) error {
	marked := make([]app.OutboxItem, len(window))
	for i, it := range window {
		it.Status = app.OutboxSending
		it.Attempts++
		marked[i] = it
	}
	if err := e.writeOutbox(ctx, marked...); err != nil {
		return err
	}
	for i, it := range marked {
		if err := e.sendMarked(ctx, owner, it, res); err != nil {
			if werr := e.writeOutbox(ctx, window[i+1:]...); werr != nil {
				e.cfg.Log.Warn("outbox rows not tried stay sending until reconciled", "err", werr)
			}
			return err
		}
	}
	return nil
}

func (e *Engine) sendable(ctx context.Context) ([]app.OutboxItem, error) {
	sending, err := e.cfg.Store.ListOutbox(ctx, app.OutboxSending, 100)
	if err != nil {
		return nil, err
	}
	pending, err := e.cfg.Store.ListOutbox(ctx, app.OutboxPending, 100)
	if err != nil {
		return nil, err
	}
	items := append(sending, pending...)
	sort.Slice(items, func(i, j int) bool { return items[i].Seq < items[j].Seq })
	return items, nil
}

func (e *Engine) sendOne(ctx context.Context, owner network.User, it app.OutboxItem, res *Result) error {
	if it.Status == app.OutboxSending {
		// It may have reached the network before the process stopped: look before resending.
		id, found, err := e.reconcile(ctx, owner, it)
		switch {
		case err != nil && network.IsRetryable(err):
			return e.deferItem(ctx, it, err, true)
		case err != nil:
			// The network will not let us look (an endpoint it lacks, a tier it refuses): send,
			// and rely on its duplicate-content refusal for posts.
			e.cfg.Log.Warn("cannot check whether an outbox item already went out", "outbox", it.ID, "err", err)
		case found:
			res.Sent++
			return e.markSent(ctx, it, id)
		}
	}
	it.Status = app.OutboxSending
	it.Attempts++
	if err := e.writeOutbox(ctx, it); err != nil {
		return err
	}
	return e.sendMarked(ctx, owner, it, res)
}

// sendMarked sends it, already recorded as sending, and records the outcome.
func (e *Engine) sendMarked(ctx context.Context, owner network.User, it app.OutboxItem, res *Result) error {
	id, err := e.deliver(ctx, owner, it)
	if err == nil {
		res.Sent++
		return e.markSent(ctx, it, id)
	}
	if network.HasReason(err, network.ReasonDuplicateContent) {
		// The network already has this exact text from us: it went out on an earlier attempt.
		rid, found, rerr := e.reconcile(ctx, owner, it)
		if rerr != nil && network.IsRetryable(rerr) {
			return e.deferItem(ctx, it, rerr, true)
		}
		if !found {
			// The network says it has this text from us but we cannot see it (or cannot look):
			// it went out; its id stays unknown.
			rid = UnknownNetworkID
		}
		res.Sent++
		return e.markSent(ctx, it, rid)
	}
	if network.IsRetryable(err) {
		return e.deferItem(ctx, it, err, mayHaveArrived(err))
	}
	return e.failItem(ctx, it, err, res)
}

func (e *Engine) deliver(ctx context.Context, owner network.User, it app.OutboxItem) (string, error) {
	switch it.Kind {
	case app.OutboxDM:
		sent, err := e.cfg.Net.SendDM(ctx, it.RecipientUserID, it.Text)
		return sent.EventID, err
	case app.OutboxReply:
		p, err := e.cfg.Net.CreatePost(ctx, network.CreatePostParams{Text: it.Text, InReplyToID: it.InReplyToID})
		return p.ID, err
	default:
		p, err := e.cfg.Net.CreatePost(ctx, network.CreatePostParams{Text: it.Text})
		return p.ID, err
	}
}

var registryRe = regexp.MustCompile(`E-\d{4}-\d{6}`)

// reconcile looks for it among what the account already sent: the same text, or the same
// registry number in a reply to the same post (the network may rewrite links).
func (e *Engine) reconcile(ctx context.Context, owner network.User, it app.OutboxItem) (string, bool, error) {
	number := registryRe.FindString(it.Text)
	if it.Kind == app.OutboxDM {
		token := ""
		for page := 0; page < 3; page++ {
			var p network.DMPage
			err := e.retry(ctx, func() error {
				var err error
				p, err = e.cfg.Net.ListDMEvents(ctx, network.ListDMParams{PaginationToken: token, MaxResults: 100})
				return err
			})
			if err != nil {
				return "", false, err
			}
			for _, d := range p.Messages {
				if d.SenderID != owner.ID || !inConversation(d.ConversationID, it.RecipientUserID) {
					continue
				}
				if d.Text == it.Text || (number != "" && strings.Contains(d.Text, number)) {
					return d.ID, true, nil
				}
			}
			if p.NextToken == "" {
				break
			}
			token = p.NextToken
		}
		return "", false, nil
	}
	var posts []network.Post
	err := e.retry(ctx, func() error {
		var err error
		posts, err = e.cfg.Net.RecentPosts(ctx, owner.ID, 100)
		return err
	})
	if err != nil {
		return "", false, err
	}
	for _, p := range posts {
		if p.Text == it.Text {
			return p.ID, true, nil
		}
		if number != "" && strings.Contains(p.Text, number) && p.InReplyToID == it.InReplyToID {
			return p.ID, true, nil
		}
	}
	return "", false, nil
}

func inConversation(conversationID, userID string) bool {
	for _, part := range strings.Split(conversationID, "-") {
		if part == userID {
			return true
		}
	}
	return false
}

// markSent notes that it went out; the next writeOutbox records it.
func (e *Engine) markSent(ctx context.Context, it app.OutboxItem, networkID string) error {
	it.Status = app.OutboxSent
	it.NetworkID = networkID
	it.SentAt = e.cfg.Clock()
	it.LastError = ""
	it.NotBefore = time.Time{}
	e.sent = append(e.sent, it)
	return nil
}

// writeOutbox saves items, and the rows sent since the last write, in one transaction.
func (e *Engine) writeOutbox(ctx context.Context, items ...app.OutboxItem) error {
	if len(items) == 0 && len(e.sent) == 0 {
		return nil
	}
	sent := e.sent
	err := e.cfg.Store.InTx(ctx, func(tx app.Tx) error {
		for _, list := range [][]app.OutboxItem{sent, items} {
			for i := range list {
				if err := tx.UpdateOutbox(ctx, &list[i]); err != nil {
					return err
				}
			}
		}
		return nil
	})
	if err != nil {
		return err
	}
	e.sent = e.sent[:0]
	for _, it := range sent {
		e.publish(Event{Kind: EventItemSent, OutboxID: it.ID, CaseID: it.CaseID})
	}
	return nil
}

// UnknownNetworkID marks a row the network confirmed as sent (a duplicate-content refusal)
// without our being able to learn the post's id.
const UnknownNetworkID = "unknown"

// mayHaveArrived reports whether a failed send may nonetheless have reached the network: the
// connection broke or the server failed after receiving it. A rate limit or a refusal did not.
func mayHaveArrived(err error) bool {
	ne, ok := network.AsError(err)
	if !ok {
		return true
	}
	return ne.Reason == network.ReasonTransport || ne.Reason == network.ReasonServer || ne.Reason == network.ReasonUnknown
}

// deferItem schedules it for a later attempt and returns cause, which stops the pass. A row
// that may have reached the network stays sending, so that the next attempt looks for it
// among what the account sent before sending again.
func (e *Engine) deferItem(ctx context.Context, it app.OutboxItem, cause error, mayHaveGone bool) error {
	now := e.cfg.Clock()
	next := now.Add(newBackoff(e.cfg.Rand, 5*time.Second, 10*time.Minute).after(it.Attempts))
	if ne, ok := network.AsError(cause); ok && !ne.ResetAt.IsZero() {
		next = ne.ResetAt
	}
	it.Status = app.OutboxPending
	if mayHaveGone {
		it.Status = app.OutboxSending
	}
	it.NotBefore = next
	it.LastError = cause.Error()
	if err := e.writeOutbox(ctx, it); err != nil {
		return err
	}
	return fmt.Errorf("outbox item for case %s deferred: %w", it.CaseID, cause)
}

func (e *Engine) failItem(ctx context.Context, it app.OutboxItem, cause error, res *Result) error {
	it.Status = app.OutboxFailed
	it.LastError = cause.Error()
	if err := e.writeOutbox(ctx, it); err != nil {
		return err
	}
	res.Failed++
	e.publish(Event{Kind: EventItemFailed, OutboxID: it.ID, CaseID: it.CaseID})
	return nil
}
