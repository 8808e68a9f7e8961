// Package x is the X (Twitter) API v2 adapter: it implements network.Client with gotwi v0.18.3,
// maps every failure into *network.Error (reason, retryable, reset time) and keeps each post and
// direct message verbatim as the network sent it. With Config.BaseURL it talks to another host
// with the same paths, such as the simulated network in app/network/sim.
package x

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strconv"
	"strings"
	"time"

	"github.com/michimani/gotwi"
	"github.com/michimani/gotwi/fields"
	"github.com/michimani/gotwi/resources"
	"github.com/michimani/gotwi/tweet/managetweet"
	mtypes "github.com/michimani/gotwi/tweet/managetweet/types"
	"github.com/michimani/gotwi/tweet/searchtweet"
	stypes "github.com/michimani/gotwi/tweet/searchtweet/types"
	"github.com/michimani/gotwi/tweet/timeline"
	ttypes "github.com/michimani/gotwi/tweet/timeline/types"
	"github.com/michimani/gotwi/user/userlookup"
	utypes "github.com/michimani/gotwi/user/userlookup/types"

	"ventanilla/app/network"
)

// Config says where and as whom to talk to X.
type Config struct {
	// BaseURL is "" for the real API; otherwise every call goes to this base URL with the same
	// paths (the transport rewrites api.twitter.com and api.x.com).
	BaseURL string
	// BearerToken is an OAuth 2.0 user-context access token. It wins over OAuth 1.0a.
	BearerToken string
	// OAuth 1.0a user context.
	APIKey, APIKeySecret, AccessToken, AccessTokenSecret string
	// HTTPClient is copied; its Transport (default http.DefaultTransport) is wrapped.
	HTTPClient *http.Client
	// Timeout per call; 0 keeps HTTPClient's, or 30 s.
	Timeout time.Duration
}

// ConfigFromEnv reads VENTANILLA_X_TOKEN, VENTANILLA_X_API_KEY, VENTANILLA_X_API_KEY_SECRET,
// VENTANILLA_X_ACCESS_TOKEN, VENTANILLA_X_ACCESS_TOKEN_SECRET and VENTANILLA_X_API.
func ConfigFromEnv() Config {
	return Config{
		BaseURL:           os.Getenv("VENTANILLA_X_API"),
		BearerToken:       os.Getenv("VENTANILLA_X_TOKEN"),
		APIKey:            os.Getenv("VENTANILLA_X_API_KEY"),
		APIKeySecret:      os.Getenv("VENTANILLA_X_API_KEY_SECRET"),
		AccessToken:       os.Getenv("VENTANILLA_X_ACCESS_TOKEN"),
		AccessTokenSecret: os.Getenv("VENTANILLA_X_ACCESS_TOKEN_SECRET"),
	}
}

// HasCredentials reports whether c has a bearer token or a complete OAuth 1.0a set.
func (c Config) HasCredentials() bool {
	return c.BearerToken != "" || c.hasOAuth1()
}

func (c Config) hasOAuth1() bool {
	return c.APIKey != "" && c.APIKeySecret != "" && c.AccessToken != "" && c.AccessTokenSecret != ""
}

// Client talks to X. It is safe for concurrent use.
type Client struct {
	gc        *gotwi.Client
	transport *transport
}

var _ network.Client = (*Client)(nil)

// New builds a client. It makes no network call.
func New(ctx context.Context, cfg Config) (*Client, error) {
	if !cfg.HasCredentials() {
		return nil, errors.New("x: no credentials: set a bearer token or the four OAuth 1.0a values")
	}
	t := &transport{next: http.DefaultTransport}
	if cfg.BaseURL != "" {
		u, err := url.Parse(cfg.BaseURL)
		if err != nil || u.Host == "" {
			return nil, fmt.Errorf("x: invalid base URL %q", cfg.BaseURL)
		}
		t.base = u
	}
	hc := &http.Client{Timeout: 30 * time.Second}
	if cfg.HTTPClient != nil {
		copied := *cfg.HTTPClient
		hc = &copied
		if hc.Transport != nil {
			t.next = hc.Transport
		}
	}
	if cfg.Timeout > 0 {
		hc.Timeout = cfg.Timeout
	}
	hc.Transport = t

	var gc *gotwi.Client
	var err error
	if cfg.BearerToken != "" {
		gc, err = gotwi.NewClientWithAccessToken(&gotwi.NewClientWithAccessTokenInput{AccessToken: cfg.BearerToken, HTTPClient: hc})
	} else {
		gc, err = gotwi.NewClient(&gotwi.NewClientInput{
			HTTPClient:           hc,
			AuthenticationMethod: gotwi.AuthenMethodOAuth1UserContext,
			APIKey:               cfg.APIKey,
			APIKeySecret:         cfg.APIKeySecret,
			OAuthToken:           cfg.AccessToken,
			OAuthTokenSecret:     cfg.AccessTokenSecret,
		})
	}
	if err != nil {
		return nil, fmt.Errorf("x: create gotwi client: %w", err)
	}
	return &Client{gc: gc, transport: t}, nil
}

// RateLimit returns the last x-rate-limit-remaining and x-rate-limit-reset seen for endpoint,
// named as EndpointKey names it (e.g. "GET /2/users/:id/mentions").
func (c *Client) RateLimit(endpoint string) (remaining int, reset time.Time, ok bool) {
	rl, ok := c.transport.rateLimit(endpoint)
	return rl.remaining, rl.reset, ok
}

var (
	postFields = fields.TweetFieldList{fields.TweetFieldCreatedAt, fields.TweetFieldAuthorID, fields.TweetFieldConversationID, fields.TweetFieldReferencedTweets}
	postExpand = fields.ExpansionList{fields.ExpansionAuthorID}
)

const (
	opMe        = "GET /2/users/me"
	opByHandle  = "GET /2/users/by/username/:username"
	opByID      = "GET /2/users/:id"
	opMentions  = "GET /2/users/:id/mentions"
	opTweets    = "GET /2/users/:id/tweets"
	opSearch    = "GET /2/tweets/search/recent"
	opDMEvents  = "GET /2/dm_events"
	opCreate    = "POST /2/tweets"
	opDelete    = "DELETE /2/tweets/:id"
	opSendDM    = "POST /2/dm_conversations/with/:participant_id/messages"
	apiBase     = "https://api.twitter.com"
	dmEventsURL = apiBase + "/2/dm_events"
	sendDMURL   = apiBase + "/2/dm_conversations/with/:participant_id/messages"
)

func (c *Client) Me(ctx context.Context) (network.User, error) {
	ctx, ex := withExchange(ctx)
	out, err := userlookup.GetMe(ctx, c.gc, &utypes.GetMeInput{})
	if err != nil {
		return network.User{}, mapError(ctx, opMe, ex, err)
	}
	if out.Data.ID == nil {
		return network.User{}, notFound(opMe, firstPartialDetail(out.Errors))
	}
	return toUser(out.Data), nil
}

func (c *Client) UserByHandle(ctx context.Context, handle string) (network.User, error) {
	handle = strings.TrimPrefix(strings.TrimSpace(handle), "@")
	ctx, ex := withExchange(ctx)
	out, err := userlookup.GetByUsername(ctx, c.gc, &utypes.GetByUsernameInput{Username: handle})
	if err != nil {
		return network.User{}, mapError(ctx, opByHandle, ex, err)
	}
	if out.Data.ID == nil {
		return network.User{}, notFound(opByHandle, firstPartialDetail(out.Errors))
	}
	return toUser(out.Data), nil
}

func (c *Client) UserByID(ctx context.Context, id string) (network.User, error) {
	ctx, ex := withExchange(ctx)
	out, err := userlookup.Get(ctx, c.gc, &utypes.GetInput{ID: id})
	if err != nil {
		return network.User{}, mapError(ctx, opByID, ex, err)
	}
	if out.Data.ID == nil {
		return network.User{}, notFound(opByID, firstPartialDetail(out.Errors))
	}
	return toUser(out.Data), nil
}

func (c *Client) ListMentions(ctx context.Context, p network.ListMentionsParams) (network.PostPage, error) {
	ctx, ex := withExchange(ctx)
	out, err := timeline.ListMentions(ctx, c.gc, &ttypes.ListMentionsInput{
		ID:              p.UserID,
		SinceID:         p.SinceID,
		PaginationToken: p.PaginationToken,
		MaxResults:      ttypes.ListMaxResults(p.MaxResults),
		TweetFields:     postFields,
		Expansions:      postExpand,
	})
	if err != nil {
		return network.PostPage{}, mapError(ctx, opMentions, ex, err)
	}
	return toPostPage(out.Data, out.Includes.Users, out.Errors, ex.body), nil
}

func (c *Client) SearchRecent(ctx context.Context, p network.SearchParams) (network.PostPage, error) {
	ctx, ex := withExchange(ctx)
	out, err := searchtweet.ListRecent(ctx, c.gc, &stypes.ListRecentInput{
		Query:       p.Query,
		SinceID:     p.SinceID,
		NextToken:   p.NextToken,
		MaxResults:  stypes.ListMaxResults(p.MaxResults),
		TweetFields: postFields,
		Expansions:  postExpand,
	})
	if err != nil {
		return network.PostPage{}, mapError(ctx, opSearch, ex, err)
	}
	return toPostPage(out.Data, out.Includes.Users, out.Errors, ex.body), nil
}

func (c *Client) RecentPosts(ctx context.Context, userID string, maxResults int) ([]network.Post, error) {
	n := min(max(maxResults, 5), 100)
	ctx, ex := withExchange(ctx)
	out, err := timeline.ListTweets(ctx, c.gc, &ttypes.ListTweetsInput{
		ID:          userID,
		MaxResults:  ttypes.ListMaxResults(n),
		TweetFields: postFields,
		Expansions:  postExpand,
	})
	if err != nil {
		return nil, mapError(ctx, opTweets, ex, err)
	}
	page := toPostPage(out.Data, out.Includes.Users, out.Errors, ex.body)
	if maxResults > 0 && len(page.Posts) > maxResults {
		page.Posts = page.Posts[:maxResults]
	}
	return page.Posts, nil
}

func (c *Client) CreatePost(ctx context.Context, p network.CreatePostParams) (network.Post, error) {
	in := &mtypes.CreateInput{Text: gotwi.String(p.Text)}
	if p.InReplyToID != "" {
		in.Reply = &mtypes.CreateInputReply{InReplyToTweetID: p.InReplyToID}
	}
	ctx, ex := withExchange(ctx)
	out, err := managetweet.Create(ctx, c.gc, in)
	if err != nil {
		return network.Post{}, mapError(ctx, opCreate, ex, err)
	}
	post := network.Post{ID: deref(out.Data.ID), Text: deref(out.Data.Text), InReplyToID: p.InReplyToID}
	var raw struct {
		Data json.RawMessage `json:"data"`
	}
	if json.Unmarshal(ex.body, &raw) == nil {
		post.Raw = raw.Data
	}
	return post, nil
}

func (c *Client) DeletePost(ctx context.Context, id string) error {
	ctx, ex := withExchange(ctx)
	_, err := managetweet.Delete(ctx, c.gc, &mtypes.DeleteInput{ID: id})
	if err != nil && ex.status == http.StatusNoContent {
		// gotwi counts only 200 and 201 as success; the docs also list 204 for DELETE.
		return nil
	}
	return mapError(ctx, opDelete, ex, err)
}

// dmParams implements gotwi's parameters interface for the DM endpoints, which gotwi lacks.
type dmParams struct {
	token  string
	path   map[string]string
	query  map[string]string
	body   any
	method string
}

func (p *dmParams) SetAccessToken(t string) { p.token = t }
func (p *dmParams) AccessToken() string     { return p.token }
func (p *dmParams) ResolveEndpoint(base string) string {
	for k, v := range p.path {
		base = strings.Replace(base, ":"+k, url.PathEscape(v), 1)
	}
	if len(p.query) > 0 {
		q := url.Values{}
		for k, v := range p.query {
			q.Set(k, v)
		}
		base += "?" + q.Encode()
	}
	return base
}
func (p *dmParams) Body() (io.Reader, error) {
	if p.body == nil {
		return nil, nil
	}
	b, err := json.Marshal(p.body)
	if err != nil {
		return nil, err
	}
	return strings.NewReader(string(b)), nil
}
func (p *dmParams) ParameterMap() map[string]string {
	m := map[string]string{}
	for k, v := range p.query {
		m[k] = v
	}
	return m
}

type dmEvent struct {
	ID               string     `json:"id"`
	EventType        string     `json:"event_type"`
	Text             string     `json:"text"`
	SenderID         string     `json:"sender_id"`
	DMConversationID string     `json:"dm_conversation_id"`
	CreatedAt        *time.Time `json:"created_at"`
}

type dmEventsResponse struct {
	Data     []dmEvent `json:"data"`
	Includes struct {
		Users []resources.User `json:"users"`
	} `json:"includes"`
	Meta struct {
		ResultCount int    `json:"result_count"`
		NextToken   string `json:"next_token"`
	} `json:"meta"`
	Errors []resources.PartialError `json:"errors"`
}

func (r *dmEventsResponse) HasPartialError() bool { return len(r.Errors) > 0 }

type sendDMResponse struct {
	Data struct {
		DMConversationID string `json:"dm_conversation_id"`
		DMEventID        string `json:"dm_event_id"`
	} `json:"data"`
}

func (r *sendDMResponse) HasPartialError() bool { return false }

func (c *Client) ListDMEvents(ctx context.Context, p network.ListDMParams) (network.DMPage, error) {
	q := map[string]string{
		"dm_event.fields": "id,text,event_type,created_at,dm_conversation_id,sender_id",
		"expansions":      "sender_id",
		"event_types":     "MessageCreate",
	}
	if p.MaxResults >= 1 && p.MaxResults <= 100 {
		q["max_results"] = strconv.Itoa(p.MaxResults)
	}
	if p.PaginationToken != "" {
		q["pagination_token"] = p.PaginationToken
	}
	ctx, ex := withExchange(ctx)
	var out dmEventsResponse
	if err := c.gc.CallAPI(ctx, dmEventsURL, http.MethodGet, &dmParams{query: q}, &out); err != nil {
		return network.DMPage{}, mapError(ctx, opDMEvents, ex, err)
	}
	users := usersByID(out.Includes.Users)
	raws := rawData(ex.body)
	page := network.DMPage{NextToken: out.Meta.NextToken, Partial: toPartial(out.Errors)}
	for i, e := range out.Data {
		if e.EventType != "" && e.EventType != "MessageCreate" {
			continue
		}
		dm := network.DirectMessage{
			ID:             e.ID,
			Text:           e.Text,
			SenderID:       e.SenderID,
			Sender:         users[e.SenderID],
			ConversationID: e.DMConversationID,
		}
		if e.CreatedAt != nil {
			dm.CreatedAt = e.CreatedAt.UTC()
		}
		if i < len(raws) {
			dm.Raw = raws[i]
		}
		page.Messages = append(page.Messages, dm)
	}
	return page, nil
}

func (c *Client) SendDM(ctx context.Context, participantID, text string) (network.SentDM, error) {
	ctx, ex := withExchange(ctx)
	var out sendDMResponse
	params := &dmParams{path: map[string]string{"participant_id": participantID}, body: map[string]string{"text": text}}
	if err := c.gc.CallAPI(ctx, sendDMURL, http.MethodPost, params, &out); err != nil {
		return network.SentDM{}, mapError(ctx, opSendDM, ex, err)
	}
	return network.SentDM{EventID: out.Data.DMEventID, ConversationID: out.Data.DMConversationID}, nil
}

func toUser(u resources.User) network.User {
	return network.User{ID: deref(u.ID), Handle: deref(u.Username), DisplayName: deref(u.Name)}
}

func usersByID(us []resources.User) map[string]network.User {
	m := make(map[string]network.User, len(us))
	for _, u := range us {
		m[deref(u.ID)] = toUser(u)
	}
	return m
}

// rawData returns the elements of the response's "data" array as the network sent them.
func rawData(body []byte) []json.RawMessage {
	var env struct {
		Data []json.RawMessage `json:"data"`
	}
	_ = json.Unmarshal(body, &env)
	return env.Data
}

func toPostPage(data []resources.Tweet, includes []resources.User, partial []resources.PartialError, body []byte) network.PostPage {
	users := usersByID(includes)
	raws := rawData(body)
	var meta struct {
		Meta struct {
			NewestID  string `json:"newest_id"`
			NextToken string `json:"next_token"`
		} `json:"meta"`
	}
	_ = json.Unmarshal(body, &meta)
	page := network.PostPage{NextToken: meta.Meta.NextToken, NewestID: meta.Meta.NewestID, Partial: toPartial(partial)}
	for i, t := range data {
		p := network.Post{
			ID:             deref(t.ID),
			Text:           deref(t.Text),
			AuthorID:       deref(t.AuthorID),
			ConversationID: deref(t.ConversationID),
		}
		p.Author = users[p.AuthorID]
		if t.CreatedAt != nil {
			p.CreatedAt = t.CreatedAt.UTC()
		}
		for _, r := range t.ReferencedTweets {
			if deref(r.Type) == "replied_to" {
				p.InReplyToID = deref(r.ID)
			}
		}
		if i < len(raws) {
			p.Raw = raws[i]
		}
		page.Posts = append(page.Posts, p)
	}
	return page
}

func toPartial(es []resources.PartialError) []network.PartialError {
	var out []network.PartialError
	for _, e := range es {
		out = append(out, network.PartialError{Title: deref(e.Title), Detail: deref(e.Detail), Type: deref(e.Type), ResourceID: deref(e.ResourceID)})
	}
	return out
}

func firstPartialDetail(es []resources.PartialError) string {
	if len(es) > 0 {
		if d := deref(es[0].Detail); d != "" {
			return d
		}
		return deref(es[0].Title)
	}
	return "empty response"
}

func deref(s *string) string {
	if s == nil {
		return ""
	}
	return *s
}
