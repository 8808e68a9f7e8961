package sync

import (
	"context"
	"errors"
	"fmt"
	"strings"

	"ventanilla/app"
	"ventanilla/app/network"
)

func (e *Engine) cursor(ctx context.Context, stream string) (app.Cursor, error) {
	c, err := e.cfg.Store.GetCursor(ctx, stream)
	if errors.Is(err, app.ErrNotFound) {
		return app.Cursor{Stream: stream}, nil
	}
	return c, err
}

func (e *Engine) postMessage(p network.Post, ch app.Channel) app.InboundMessage {
	return app.InboundMessage{
		Network: e.cfg.Network, MessageID: p.ID, Channel: ch, AuthorUserID: p.AuthorID,
		AuthorHandle: p.Author.Handle, AuthorName: p.Author.DisplayName, Text: p.Text,
		ConversationID: p.ConversationID, InReplyToID: p.InReplyToID, PostedAt: p.CreatedAt.UTC(), Raw: string(p.Raw),
	}
}

// pullMentions pages the town hall's mentions newer than the cursor to their end, then stores
// them oldest first. The cursor moves only in the transaction of the last batch, so a crash or
// an error part way leaves it where it was and the next round fetches again; messages already
// stored are recognised by their id and skipped.
func (e *Engine) pullMentions(ctx context.Context, owner network.User, res *Result) error {
	return e.pullPosts(ctx, StreamMentions, owner, res, func(since, token string) (network.PostPage, error) {
		return e.cfg.Net.ListMentions(ctx, network.ListMentionsParams{UserID: owner.ID, SinceID: since, PaginationToken: token, MaxResults: e.cfg.PageSize})
	}, func(network.Post) app.Channel { return app.ChannelMention })
}

// pullPosts pages a post stream newer than its cursor to its end (the town hall's own posts
// left out) and stores what it found; see pullMentions.
func (e *Engine) pullPosts(ctx context.Context, name string, owner network.User, res *Result,
	fetch func(since, token string) (network.PostPage, error), channel func(network.Post) app.Channel) error {
	stream := e.streamKey(name)
	cur, err := e.cursor(ctx, stream)
	if err != nil {
		return err
	}
	var msgs []app.InboundMessage
	newest, token := cur.SinceID, ""
	seen := map[string]bool{}
	for {
		var page network.PostPage
		err := e.retry(ctx, func() error {
			var err error
			page, err = fetch(cur.SinceID, token)
			return err
		})
		if err != nil {
			e.storeProgress(ctx, stream, msgs, owner, res)
			return e.cursorError(ctx, cur, err)
		}
		e.logPartial(stream, page.Partial)
		for _, p := range page.Posts {
			newest = maxID(newest, p.ID)
			if seen[p.ID] || p.AuthorID == owner.ID {
				continue
			}
			seen[p.ID] = true
			msgs = append(msgs, e.postMessage(p, channel(p)))
		}
		newest = maxID(newest, page.NewestID)
		if page.NextToken == "" || len(page.Posts) == 0 {
			break
		}
		token = page.NextToken
	}
	note := ""
	if name == StreamMentions && cur.SinceID != "" && len(seen) >= MentionCap {
		note = WarnMentionCap // older mentions than the network's reach may have been missed
	}
	return e.store(ctx, app.Cursor{Stream: stream, SinceID: newest, LastSuccessAt: e.cfg.Clock(), LastError: note}, msgs, owner, res)
}

// pullDMs pages direct message events (newest first, no since_id on this endpoint) until it
// reaches the newest one already processed.
func (e *Engine) pullDMs(ctx context.Context, owner network.User, res *Result) error {
	stream := e.streamKey(StreamDMs)
	cur, err := e.cursor(ctx, stream)
	if err != nil {
		return err
	}
	var msgs []app.InboundMessage
	newest, token := cur.SinceID, ""
	seen := map[string]bool{}
	for {
		var page network.DMPage
		err := e.retry(ctx, func() error {
			var err error
			page, err = e.cfg.Net.ListDMEvents(ctx, network.ListDMParams{PaginationToken: token, MaxResults: e.cfg.PageSize})
			return err
		})
		if err != nil {
			e.storeProgress(ctx, stream, msgs, owner, res)
			return e.cursorError(ctx, cur, err)
		}
		e.logPartial(stream, page.Partial)
		reachedKnown := false
		for _, d := range page.Messages {
			if cur.SinceID != "" && !idLess(cur.SinceID, d.ID) {
				reachedKnown = true
				continue
			}
			newest = maxID(newest, d.ID)
			if seen[d.ID] || d.SenderID == owner.ID {
				continue
			}
			seen[d.ID] = true
			msgs = append(msgs, app.InboundMessage{
				Network: e.cfg.Network, MessageID: d.ID, Channel: app.ChannelDM, AuthorUserID: d.SenderID,
				AuthorHandle: d.Sender.Handle, AuthorName: d.Sender.DisplayName, Text: d.Text,
				ConversationID: d.ConversationID, PostedAt: d.CreatedAt.UTC(), Raw: string(d.Raw),
			})
		}
		if reachedKnown || page.NextToken == "" || len(page.Messages) == 0 {
			break
		}
		token = page.NextToken
	}
	return e.store(ctx, app.Cursor{Stream: stream, SinceID: newest, LastSuccessAt: e.cfg.Clock()}, msgs, owner, res)
}

// pullSearch pages a recent search newer than its cursor. A result that mentions the town
// hall counts as a mention (it may be answered in public); others as search results.
func (e *Engine) pullSearch(ctx context.Context, query string, owner network.User, res *Result) error {
	return e.pullPosts(ctx, "search:"+query, owner, res, func(since, token string) (network.PostPage, error) {
		return e.cfg.Net.SearchRecent(ctx, network.SearchParams{Query: query, SinceID: since, NextToken: token, MaxResults: e.cfg.PageSize})
	}, func(p network.Post) app.Channel {
		if mentions(p.Text, owner.Handle) {
			return app.ChannelMention
		}
		return app.ChannelSearch
	})
}

func mentions(text, handle string) bool {
	return handle != "" && strings.Contains(strings.ToLower(text), "@"+strings.ToLower(handle))
}

func (e *Engine) logPartial(stream string, partial []network.PartialError) {
	for _, p := range partial {
		e.cfg.Log.Warn("partial error from the network", "stream", stream, "title", p.Title, "detail", p.Detail, "resource", p.ResourceID)
	}
}

// cursorError records a failed pull on the stream (the position is unchanged) and returns err.
func (e *Engine) cursorError(ctx context.Context, cur app.Cursor, err error) error {
	cur.LastError = err.Error()
	_ = e.cfg.Store.InTx(ctx, func(tx app.Tx) error {
		old, gerr := tx.GetCursor(ctx, cur.Stream)
		if gerr == nil {
			cur.SinceID = old.SinceID
		}
		return tx.SetCursor(ctx, app.Cursor{Stream: cur.Stream, SinceID: cur.SinceID, LastError: cur.LastError})
	})
	return err
}

// storeProgress stores what was fetched before a failure, without moving the cursor: nothing
// fetched is lost, and the next round skips these messages by id.
func (e *Engine) storeProgress(ctx context.Context, stream string, msgs []app.InboundMessage, owner network.User, res *Result) {
	if len(msgs) == 0 {
		return
	}
	if err := e.store(ctx, app.Cursor{}, msgs, owner, res); err != nil {
		e.cfg.Log.Warn("storing a partial pull failed", "stream", stream, "err", err)
	}
}

// messageKey identifies a message across networks.
func messageKey(m *app.InboundMessage) string { return m.Network + "\x00" + m.MessageID }

// knownMessages returns the messages of batch already stored, keyed by messageKey, with one
// query per network.
func knownMessages(ctx context.Context, tx app.Tx, batch []app.InboundMessage) (map[string]bool, error) {
	ids := map[string][]string{}
	for _, m := range batch {
		ids[m.Network] = append(ids[m.Network], m.MessageID)
	}
	known := make(map[string]bool, len(batch))
	for netName, list := range ids {
		k, err := tx.KnownInboundMessages(ctx, netName, list)
		if err != nil {
			return nil, err
		}
		for id := range k {
			known[netName+"\x00"+id] = true
		}
	}
	return known, nil
}

// prefetchAuthors reads the identities of the new messages' authors with one query per
// network, for intake to look them up.
func prefetchAuthors(ctx context.Context, tx app.Tx, batch []app.InboundMessage, known map[string]bool) error {
	ids := map[string][]string{}
	for _, m := range batch {
		if !known[messageKey(&m)] {
			ids[m.Network] = append(ids[m.Network], m.AuthorUserID)
		}
	}
	for netName, list := range ids {
		if err := tx.PrefetchIdentities(ctx, netName, list); err != nil {
			return err
		}
	}
	return nil
}

// store saves msgs oldest first in transactions of BatchSize, each message with what intake
// made of it; the last transaction also saves cur (when cur.Stream is set).
func (e *Engine) store(ctx context.Context, cur app.Cursor, msgs []app.InboundMessage, owner network.User, res *Result) error {
	sortOldestFirst(msgs)
	prep, _ := e.cfg.Intake.(Preparer)
	for start := 0; start < len(msgs) || start == 0; start += e.cfg.BatchSize {
		end := min(start+e.cfg.BatchSize, len(msgs))
		batch := msgs[start:end]
		last := end == len(msgs)
		// The next batch is read while this one is written.
		var prepared chan struct{}
		if next := msgs[end:min(end+e.cfg.BatchSize, len(msgs))]; prep != nil && len(next) > 0 {
			prepared = make(chan struct{})
			go func() {
				defer close(prepared)
				prep.Prepare(ctx, next, owner)
			}()
		}
		var stored, created int
		var changed []string
		err := e.cfg.Store.InTx(ctx, func(tx app.Tx) error {
			stored, created, changed = 0, 0, changed[:0]
			known, err := knownMessages(ctx, tx, batch)
			if err != nil {
				return err
			}
			if err := prefetchAuthors(ctx, tx, batch, known); err != nil {
				return err
			}
			for i := range batch {
				m := batch[i]
				key := messageKey(&m)
				if known[key] {
					continue
				}
				known[key] = true // twice in one page: once
				stored++
				m.ID = ""
				isNew, err := e.cfg.Intake.Accept(ctx, tx, &m, owner)
				if err != nil {
					return fmt.Errorf("intake of message %s: %w", m.MessageID, err)
				}
				if m.ID == "" {
					return fmt.Errorf("intake of message %s: the message was not stored", m.MessageID)
				}
				if isNew {
					created++
				}
				if m.CaseID != "" {
					changed = append(changed, m.CaseID)
				}
			}
			if last && cur.Stream != "" {
				return tx.SetCursor(ctx, cur)
			}
			return nil
		})
		if prepared != nil {
			<-prepared
		}
		if err != nil {
			return err
		}
		res.Stored += stored
		res.NewCases += created
		for _, id := range changed {
			e.publish(Event{Kind: EventCaseChanged, CaseID: id})
		}
		if len(msgs) == 0 {
			break
		}
	}
	return nil
}
