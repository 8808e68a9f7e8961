package sync

import (
	"context"

	"ventanilla/app"
	"ventanilla/app/network"
)

// countingClient counts every call per endpoint, so the desk can show the day's API usage
// against the network's quotas.
type countingClient struct {
	network.Client
	count func(endpoint string)
}

func (c *countingClient) Me(ctx context.Context) (network.User, error) {
	c.count("GET /2/users/me")
	return c.Client.Me(ctx)
}

func (c *countingClient) UserByHandle(ctx context.Context, h string) (network.User, error) {
	c.count("GET /2/users/by/username/:username")
	return c.Client.UserByHandle(ctx, h)
}

func (c *countingClient) UserByID(ctx context.Context, id string) (network.User, error) {
	c.count("GET /2/users/:id")
	return c.Client.UserByID(ctx, id)
}

func (c *countingClient) ListMentions(ctx context.Context, p network.ListMentionsParams) (network.PostPage, error) {
	c.count("GET /2/users/:id/mentions")
	return c.Client.ListMentions(ctx, p)
}

func (c *countingClient) SearchRecent(ctx context.Context, p network.SearchParams) (network.PostPage, error) {
	c.count("GET /2/tweets/search/recent")
	return c.Client.SearchRecent(ctx, p)
}

func (c *countingClient) ListDMEvents(ctx context.Context, p network.ListDMParams) (network.DMPage, error) {
	c.count("GET /2/dm_events")
	return c.Client.ListDMEvents(ctx, p)
}

func (c *countingClient) RecentPosts(ctx context.Context, userID string, n int) ([]network.Post, error) {
	c.count("GET /2/users/:id/tweets")
	return c.Client.RecentPosts(ctx, userID, n)
}

func (c *countingClient) CreatePost(ctx context.Context, p network.CreatePostParams) (network.Post, error) {
	c.count("POST /2/tweets")
	return c.Client.CreatePost(ctx, p)
}

func (c *countingClient) DeletePost(ctx context.Context, id string) error {
	c.count("DELETE /2/tweets/:id")
	return c.Client.DeletePost(ctx, id)
}

func (c *countingClient) SendDM(ctx context.Context, to, text string) (network.SentDM, error) {
	c.count("POST /2/dm_conversations/with/:participant_id/messages")
	return c.Client.SendDM(ctx, to, text)
}

func (e *Engine) countCall(endpoint string) {
	e.mu.Lock()
	e.calls[endpoint]++
	e.mu.Unlock()
}

// flushCalls adds the calls counted since the last flush to today's totals in the store.
func (e *Engine) flushCalls(ctx context.Context) {
	e.mu.Lock()
	calls := e.calls
	e.calls = map[string]int64{}
	e.mu.Unlock()
	if len(calls) == 0 {
		return
	}
	day := e.cfg.Clock().Format("2006-01-02")
	err := e.cfg.Store.InTx(ctx, func(tx app.Tx) error {
		for ep, n := range calls {
			if err := tx.CountAPICalls(ctx, day, ep, n); err != nil {
				return err
			}
		}
		return nil
	})
	if err != nil {
		e.cfg.Log.Warn("could not record API call counts", "err", err)
	}
}
