package sim

import (
	"context"
	"encoding/base32"
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strconv"
	"strings"
	"time"

	"ventanilla/app/network"
)

const (
	problemBase      = "https://api.twitter.com/2/problems/"
	jsonType         = "application/json; charset=utf-8"
	mentionsReach    = 800
	tweetsReach      = 3200
	searchWindow     = 7 * 24 * time.Hour
	dmWindow         = 30 * 24 * time.Hour
	duplicateHorizon = 100 // how many of the author's newest posts a new text is compared with
	rateWindow       = 15 * time.Minute
)

// unauthorizedBody is X's 401, byte for byte (content-length 99).
const unauthorizedBody = "{\n  \"title\": \"Unauthorized\",\n  \"type\": \"about:blank\",\n  \"status\": 401,\n  \"detail\": \"Unauthorized\"\n}"

const (
	duplicateDetail = "You are not allowed to create a Tweet with duplicate content."
	replyDetail     = "Reply to this conversation is not allowed because you have not been mentioned or otherwise engaged by the author of the post you are replying to."
	tooLongMessage  = "Your Tweet text is too long. For more information on how Twitter determines text length see https://github.com/twitter/twitter-text."
)

// limits are the per-user limits per 15 minutes (reference §10), sent in x-rate-limit-* headers.
// The simulator reports them but does not enforce them; inject a 429 fault for that.
var limits = map[string]int{
	"GET /2/users/me":                                         75,
	"GET /2/users/by/username/{username}":                     900,
	"GET /2/users/{id}":                                       900,
	"GET /2/users/{id}/mentions":                              300,
	"GET /2/users/{id}/tweets":                                900,
	"GET /2/tweets/search/recent":                             300,
	"POST /2/tweets":                                          100,
	"DELETE /2/tweets/{id}":                                   50,
	"GET /2/dm_events":                                        15,
	"POST /2/dm_conversations/with/{participant_id}/messages": 15,
}

type ctxKey int

const partialKey ctxKey = 1

func (s *Server) routes() http.Handler {
	api := http.NewServeMux()
	api.HandleFunc("GET /2/users/me", s.handleMe)
	api.HandleFunc("GET /2/users/by/username/{username}", s.handleUserByUsername)
	api.HandleFunc("GET /2/users/{id}", s.handleUserByID)
	api.HandleFunc("GET /2/users/{id}/mentions", s.handleMentions)
	api.HandleFunc("GET /2/users/{id}/tweets", s.handleUserTweets)
	api.HandleFunc("GET /2/tweets/search/recent", s.handleSearch)
	api.HandleFunc("POST /2/tweets", s.handleCreatePost)
	api.HandleFunc("DELETE /2/tweets/{id}", s.handleDeletePost)
	api.HandleFunc("GET /2/dm_events", s.handleDMEvents)
	api.HandleFunc("POST /2/dm_conversations/with/{participant_id}/messages", s.handleSendDM)
	api.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		writeJSON(w, r, http.StatusNotFound, map[string]any{
			"errors": []any{map[string]any{"message": "Sorry, that page does not exist", "code": 34}},
		})
	})
	control := s.controlRoutes()

	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasPrefix(r.URL.Path, "/_sim/") {
			control.ServeHTTP(w, r)
			return
		}
		_, pattern := api.Handler(r)
		if pattern == "" || pattern == "/" {
			pattern = "unknown"
		}
		s.mu.Lock()
		s.stats[pattern]++
		s.mu.Unlock()

		if f, ok := s.takeFault(r); ok {
			if done := s.applyFault(w, r, f); done {
				return
			}
			if f.Kind == FaultPartial {
				r = r.WithContext(context.WithValue(r.Context(), partialKey, true))
			}
		}
		auth := r.Header.Get("Authorization")
		if !strings.HasPrefix(auth, "Bearer ") && !strings.HasPrefix(auth, "OAuth ") {
			w.Header().Set("Content-Type", "application/problem+json")
			w.Header().Set("Content-Length", strconv.Itoa(len(unauthorizedBody)))
			w.WriteHeader(http.StatusUnauthorized)
			w.Write([]byte(unauthorizedBody))
			return
		}
		s.setRateHeaders(w, pattern)
		api.ServeHTTP(w, r)
	})
}

// applyFault answers r according to f and reports whether the response is complete.
func (s *Server) applyFault(w http.ResponseWriter, r *http.Request, f Fault) bool {
	switch f.Kind {
	case FaultSlow:
		t := time.NewTimer(f.Delay)
		defer t.Stop()
		select {
		case <-t.C:
		case <-r.Context().Done():
			return true
		}
		return false
	case FaultDrop:
		hj, ok := w.(http.Hijacker)
		if !ok {
			panic(http.ErrAbortHandler)
		}
		conn, _, err := hj.Hijack()
		if err == nil {
			conn.Close()
		}
		return true
	case Fault429:
		reset := f.RawReset
		if reset == "" {
			in := f.ResetIn
			if in <= 0 {
				in = 900
			}
			reset = strconv.FormatInt(s.clock().Add(time.Duration(in)*time.Second).Unix(), 10)
		}
		w.Header().Set("x-rate-limit-limit", "300")
		w.Header().Set("x-rate-limit-remaining", "0")
		w.Header().Set("x-rate-limit-reset", reset)
		writeJSON(w, r, http.StatusTooManyRequests, problem("Too Many Requests", "Too Many Requests", "about:blank", 429))
		return true
	case Fault5xx:
		status := f.Status
		if status < 500 || status > 599 {
			status = http.StatusServiceUnavailable
		}
		text := http.StatusText(status)
		writeJSON(w, r, status, problem(text, text, "about:blank", status))
		return true
	case FaultUsageCapped:
		writeJSON(w, r, http.StatusForbidden, map[string]any{
			"title": "Usage capped", "detail": "Usage cap exceeded: Monthly product cap",
			"type": problemBase + "usage-capped", "period": "Monthly", "scope": "Product", "status": 403,
		})
		return true
	case FaultClientNotEnrolled:
		writeJSON(w, r, http.StatusForbidden, map[string]any{
			"client_id":           "27988566",
			"detail":              "When authenticating requests to the Twitter API v2 endpoints, you must use keys and tokens from a Twitter developer App that is attached to a Project. You can create a project via the developer portal.",
			"registration_url":    "https://developer.twitter.com/en/docs/projects/overview",
			"title":               "Client Forbidden",
			"required_enrollment": "Appropriate Level of API Access",
			"reason":              "client-not-enrolled",
			"type":                problemBase + "client-forbidden",
		})
		return true
	case FaultDuplicate:
		writeJSON(w, r, http.StatusForbidden, problem("Forbidden", duplicateDetail, "about:blank", 403))
		return true
	}
	return false
}

func (s *Server) setRateHeaders(w http.ResponseWriter, pattern string) {
	limit, ok := limits[pattern]
	if !ok {
		return
	}
	now := s.clock()
	s.mu.Lock()
	win := s.windows[pattern]
	if win.start.IsZero() || now.Sub(win.start) >= rateWindow || now.Before(win.start) {
		win = window{start: now}
	}
	win.calls++
	s.windows[pattern] = win
	s.mu.Unlock()
	w.Header().Set("x-rate-limit-limit", strconv.Itoa(limit))
	w.Header().Set("x-rate-limit-remaining", strconv.Itoa(max(limit-win.calls, 0)))
	w.Header().Set("x-rate-limit-reset", strconv.FormatInt(win.start.Add(rateWindow).Unix(), 10))
}

func problem(title, detail, typ string, status int) map[string]any {
	return map[string]any{"detail": detail, "type": typ, "title": title, "status": status}
}

func invalidRequest(param, value, message string) map[string]any {
	return map[string]any{
		"errors": []any{map[string]any{"parameters": map[string][]string{param: {value}}, "message": message}},
		"title":  "Invalid Request",
		"detail": "One or more parameters to your request was invalid.",
		"type":   problemBase + "invalid-request",
	}
}

func notFoundItem(resourceType, param, value, detail string) map[string]any {
	return map[string]any{
		"value": value, "detail": detail, "title": "Not Found Error", "resource_type": resourceType,
		"parameter": param, "resource_id": value, "type": problemBase + "resource-not-found",
	}
}

// writeJSON writes body; a pending partial fault adds an errors[] item to a 200 map body.
func writeJSON(w http.ResponseWriter, r *http.Request, status int, body map[string]any) {
	if status == http.StatusOK && r.Context().Value(partialKey) != nil {
		errs, _ := body["errors"].([]any)
		body["errors"] = append(errs, notFoundItem("tweet", "ids", "1", "Could not find tweet with ids: [1]."))
	}
	b, _ := json.Marshal(body)
	w.Header().Set("Content-Type", jsonType)
	w.WriteHeader(status)
	w.Write(b)
}

// fieldSet parses a comma-separated field list, accepting X's old and new names (tweet.fields
// and post.fields).
func fieldSet(r *http.Request, names ...string) map[string]bool {
	m := map[string]bool{}
	for _, n := range names {
		for _, f := range strings.Split(r.URL.Query().Get(n), ",") {
			if f = strings.TrimSpace(f); f != "" {
				m[f] = true
			}
		}
	}
	return m
}

type userOut struct {
	ID        string `json:"id"`
	Name      string `json:"name"`
	Username  string `json:"username"`
	CreatedAt string `json:"created_at,omitempty"`
}

func userJSON(a *Account, fields map[string]bool) userOut {
	u := userOut{ID: a.ID, Name: a.Name, Username: a.Handle}
	if fields["created_at"] {
		u.CreatedAt = stamp(a.CreatedAt)
	}
	return u
}

type refOut struct {
	Type string `json:"type"`
	ID   string `json:"id"`
}

type postOut struct {
	ID               string   `json:"id"`
	Text             string   `json:"text"`
	EditHistory      []string `json:"edit_history_tweet_ids"`
	AuthorID         string   `json:"author_id,omitempty"`
	CreatedAt        string   `json:"created_at,omitempty"`
	ConversationID   string   `json:"conversation_id,omitempty"`
	InReplyToUserID  string   `json:"in_reply_to_user_id,omitempty"`
	ReferencedTweets []refOut `json:"referenced_tweets,omitempty"`
}

func postJSON(p *Post, fields map[string]bool) postOut {
	o := postOut{ID: p.ID, Text: p.Text, EditHistory: []string{p.ID}}
	if fields["author_id"] {
		o.AuthorID = p.AuthorID
	}
	if fields["created_at"] {
		o.CreatedAt = stamp(p.CreatedAt)
	}
	if fields["conversation_id"] {
		o.ConversationID = p.ConversationID
	}
	if fields["in_reply_to_user_id"] {
		o.InReplyToUserID = p.InReplyToUser
	}
	if (fields["referenced_tweets"] || fields["referenced_posts"]) && p.InReplyTo != "" {
		o.ReferencedTweets = []refOut{{Type: "replied_to", ID: p.InReplyTo}}
	}
	return o
}

func stamp(t time.Time) string { return t.UTC().Format("2006-01-02T15:04:05.000Z") }

var (
	idPattern       = regexp.MustCompile(`^[0-9]{1,19}$`)
	tokenEncoding   = base32.StdEncoding.WithPadding(base32.NoPadding)
	errInvalidToken = fmt.Errorf("invalid token")
)

// pageToken is opaque to clients: it names the last id of the previous page.
func pageToken(lastID string) string {
	return strings.ToLower(tokenEncoding.EncodeToString([]byte("next:" + lastID)))
}

func parsePageToken(tok string) (string, error) {
	b, err := tokenEncoding.DecodeString(strings.ToUpper(tok))
	if err != nil || !strings.HasPrefix(string(b), "next:") || !idPattern.MatchString(string(b[5:])) {
		return "", errInvalidToken
	}
	return string(b[5:]), nil
}

func (s *Server) handleMe(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	u := userJSON(s.st.Accounts[s.st.OwnerID], fieldSet(r, "user.fields"))
	s.mu.Unlock()
	writeJSON(w, r, http.StatusOK, map[string]any{"data": u})
}

func (s *Server) handleUserByUsername(w http.ResponseWriter, r *http.Request) {
	name := r.PathValue("username")
	if !handlePattern.MatchString(name) {
		writeJSON(w, r, http.StatusBadRequest, invalidRequest("username", name, fmt.Sprintf("The `username` query parameter value [%s] does not match ^[A-Za-z0-9_]{1,15}$", name)))
		return
	}
	s.mu.Lock()
	a := s.byHandleLocked(name)
	var body map[string]any
	if a != nil {
		body = map[string]any{"data": userJSON(a, fieldSet(r, "user.fields"))}
	} else {
		body = map[string]any{"errors": []any{notFoundItem("user", "username", name, fmt.Sprintf("Could not find user with username: [%s].", name))}}
	}
	s.mu.Unlock()
	writeJSON(w, r, http.StatusOK, body)
}

func (s *Server) handleUserByID(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	if !idPattern.MatchString(id) {
		writeJSON(w, r, http.StatusBadRequest, invalidRequest("id", id, fmt.Sprintf("The `id` query parameter value [%s] is not valid", id)))
		return
	}
	s.mu.Lock()
	a := s.st.Accounts[id]
	var body map[string]any
	if a != nil {
		body = map[string]any{"data": userJSON(a, fieldSet(r, "user.fields"))}
	} else {
		body = map[string]any{"errors": []any{notFoundItem("user", "id", id, fmt.Sprintf("Could not find user with id: [%s].", id))}}
	}
	s.mu.Unlock()
	writeJSON(w, r, http.StatusOK, body)
}

// maxResults reads max_results within [lo, hi], def when absent; ok=false after writing a 400.
func maxResults(w http.ResponseWriter, r *http.Request, lo, hi, def int) (int, bool) {
	v := r.URL.Query().Get("max_results")
	if v == "" {
		return def, true
	}
	n, err := strconv.Atoi(v)
	if err != nil || n < lo || n > hi {
		writeJSON(w, r, http.StatusBadRequest, invalidRequest("max_results", v, fmt.Sprintf("The `max_results` query parameter value [%s] is not between %d and %d", v, lo, hi)))
		return 0, false
	}
	return n, true
}

func (s *Server) handleMentions(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.timeline(w, r, "pagination_token", 5, mentionsReach, func(p *Post) bool {
		for _, m := range p.MentionIDs {
			if m == id {
				return true
			}
		}
		return false
	}, time.Time{}, true)
}

func (s *Server) handleUserTweets(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.timeline(w, r, "pagination_token", 5, tweetsReach, func(p *Post) bool { return p.AuthorID == id }, time.Time{}, true)
}

// timeline serves a newest-first listing of the posts that match, keeping only the reach
// newest, after since (when not zero), bounded by since_id/until_id and paged by tokenParam.
func (s *Server) timeline(w http.ResponseWriter, r *http.Request, tokenParam string, minResults, reach int, match func(*Post) bool, since time.Time, withPrevious bool) {
	q := r.URL.Query()
	if id := r.PathValue("id"); id != "" && !idPattern.MatchString(id) {
		writeJSON(w, r, http.StatusBadRequest, invalidRequest("id", id, fmt.Sprintf("The `id` query parameter value [%s] is not valid", id)))
		return
	}
	n, ok := maxResults(w, r, minResults, 100, 10)
	if !ok {
		return
	}
	sinceID, untilID := q.Get("since_id"), q.Get("until_id")
	for _, p := range []string{"since_id", "until_id"} {
		if v := q.Get(p); v != "" && !idPattern.MatchString(v) {
			writeJSON(w, r, http.StatusBadRequest, invalidRequest(p, v, fmt.Sprintf("The `%s` query parameter value [%s] is not valid", p, v)))
			return
		}
	}
	tok := q.Get(tokenParam)
	if tok == "" && tokenParam == "next_token" {
		tok = q.Get("pagination_token")
	}
	after := ""
	if tok != "" {
		var err error
		if after, err = parsePageToken(tok); err != nil {
			writeJSON(w, r, http.StatusBadRequest, invalidRequest(tokenParam, tok, fmt.Sprintf("The `%s` query parameter value [%s] is not valid", tokenParam, tok)))
			return
		}
	}
	fields := fieldSet(r, "tweet.fields", "post.fields")
	userFields := fieldSet(r, "user.fields")
	expand := fieldSet(r, "expansions")

	s.mu.Lock()
	defer s.mu.Unlock()
	var all []*Post
	for i := len(s.st.Posts) - 1; i >= 0 && len(all) < reach; i-- {
		p := s.st.Posts[i]
		if match(p) && (since.IsZero() || !p.CreatedAt.Before(since)) {
			all = append(all, p)
		}
	}
	var page []*Post
	more := false
	for _, p := range all {
		if sinceID != "" && !idLess(sinceID, p.ID) {
			break
		}
		if untilID != "" && !idLess(p.ID, untilID) {
			continue
		}
		if after != "" && !idLess(p.ID, after) {
			continue
		}
		if len(page) == n {
			more = true
			break
		}
		page = append(page, p)
	}
	if len(page) == 0 {
		writeJSON(w, r, http.StatusOK, map[string]any{"meta": map[string]any{"result_count": 0}})
		return
	}
	data := make([]postOut, len(page))
	var users []userOut
	seen := map[string]bool{}
	for i, p := range page {
		data[i] = postJSON(p, fields)
		if expand["author_id"] && !seen[p.AuthorID] {
			seen[p.AuthorID] = true
			if a := s.st.Accounts[p.AuthorID]; a != nil {
				users = append(users, userJSON(a, userFields))
			}
		}
	}
	meta := map[string]any{"newest_id": page[0].ID, "oldest_id": page[len(page)-1].ID, "result_count": len(page)}
	if more {
		meta["next_token"] = pageToken(page[len(page)-1].ID)
	}
	if withPrevious && after != "" {
		meta["previous_token"] = pageToken(page[0].ID)
	}
	body := map[string]any{"data": data, "meta": meta}
	if len(users) > 0 {
		body["includes"] = map[string]any{"users": users}
	}
	writeJSON(w, r, http.StatusOK, body)
}

func (s *Server) handleSearch(w http.ResponseWriter, r *http.Request) {
	raw := r.URL.Query().Get("query")
	if raw == "" || len([]rune(raw)) > 512 {
		writeJSON(w, r, http.StatusBadRequest, invalidRequest("query", raw, "The `query` query parameter value must be between 1 and 512 characters"))
		return
	}
	expr, err := parseQuery(raw)
	if err != nil {
		writeJSON(w, r, http.StatusBadRequest, invalidRequest("query", raw, fmt.Sprintf("There were errors processing your request: %v", err)))
		return
	}
	since := s.clock().Add(-searchWindow)
	s.timeline(w, r, "next_token", 10, 1<<30, func(p *Post) bool {
		return expr.match(s.searchable(p))
	}, since, false)
}

func (s *Server) handleCreatePost(w http.ResponseWriter, r *http.Request) {
	var in struct {
		Text  *string `json:"text"`
		Reply *struct {
			InReplyToTweetID string `json:"in_reply_to_tweet_id"`
		} `json:"reply"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil {
		writeJSON(w, r, http.StatusBadRequest, invalidRequest("body", "", "Request body is not valid JSON"))
		return
	}
	if in.Text == nil || strings.TrimSpace(*in.Text) == "" {
		writeJSON(w, r, http.StatusBadRequest, invalidRequest("text", "", "Post text is required"))
		return
	}
	text := *in.Text
	if network.WeightedLength(text) > network.MaxWeightedLength {
		writeJSON(w, r, http.StatusBadRequest, map[string]any{
			"errors": []any{map[string]any{"parameters": map[string][]string{"text": {text}}, "message": tooLongMessage}},
			"title":  "Invalid Request", "detail": "One or more parameters to your request was invalid.",
			"type": problemBase + "invalid-request",
		})
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	owner := s.st.OwnerID
	count := 0
	for i := len(s.st.Posts) - 1; i >= 0 && count < duplicateHorizon; i-- {
		p := s.st.Posts[i]
		if p.AuthorID != owner {
			continue
		}
		count++
		if p.Text == text {
			writeJSON(w, r, http.StatusForbidden, problem("Forbidden", duplicateDetail, "about:blank", 403))
			return
		}
	}
	replyTo := ""
	if in.Reply != nil && in.Reply.InReplyToTweetID != "" {
		replyTo = in.Reply.InReplyToTweetID
		parent := s.postByIDLocked(replyTo)
		if parent == nil {
			writeJSON(w, r, http.StatusBadRequest, invalidRequest("reply.in_reply_to_tweet_id", replyTo, "Your Tweet is a reply to a Tweet that has been deleted or is not visible to you."))
			return
		}
		allowed := parent.AuthorID == owner
		for _, m := range parent.MentionIDs {
			allowed = allowed || m == owner
		}
		if !allowed {
			writeJSON(w, r, http.StatusForbidden, problem("Forbidden", replyDetail, "about:blank", 403))
			return
		}
	}
	p, err := s.postLocked(owner, text, replyTo, s.clock())
	if err != nil {
		writeJSON(w, r, http.StatusBadRequest, invalidRequest("text", text, err.Error()))
		return
	}
	writeJSON(w, r, http.StatusCreated, map[string]any{"data": map[string]any{"id": p.ID, "text": p.Text, "edit_history_tweet_ids": []string{p.ID}}})
}

func (s *Server) handleDeletePost(w http.ResponseWriter, r *http.Request) {
	id := r.PathValue("id")
	s.mu.Lock()
	defer s.mu.Unlock()
	for i, p := range s.st.Posts {
		if p.ID != id {
			continue
		}
		if p.AuthorID != s.st.OwnerID {
			writeJSON(w, r, http.StatusForbidden, problem("Forbidden", "You are not allowed to delete this Tweet.", "about:blank", 403))
			return
		}
		s.st.Posts = append(s.st.Posts[:i], s.st.Posts[i+1:]...)
		writeJSON(w, r, http.StatusOK, map[string]any{"data": map[string]any{"deleted": true}})
		return
	}
	body := notFoundItem("tweet", "id", id, fmt.Sprintf("Could not find tweet with id: [%s].", id))
	body["status"] = 404
	writeJSON(w, r, http.StatusNotFound, body)
}

type dmOut struct {
	ID               string   `json:"id"`
	EventType        string   `json:"event_type"`
	Text             string   `json:"text"`
	SenderID         string   `json:"sender_id,omitempty"`
	DMConversationID string   `json:"dm_conversation_id,omitempty"`
	CreatedAt        string   `json:"created_at,omitempty"`
	ParticipantIDs   []string `json:"participant_ids,omitempty"`
}

func (s *Server) handleDMEvents(w http.ResponseWriter, r *http.Request) {
	q := r.URL.Query()
	n, ok := maxResults(w, r, 1, 100, 100)
	if !ok {
		return
	}
	tok := q.Get("pagination_token")
	after := ""
	if tok != "" {
		var err error
		after, err = parsePageToken(tok)
		if len(tok) < 16 || err != nil {
			writeJSON(w, r, http.StatusBadRequest, invalidRequest("pagination_token", tok, fmt.Sprintf("The `pagination_token` query parameter value [%s] is not valid", tok)))
			return
		}
	}
	if et := fieldSet(r, "event_types"); len(et) > 0 && !et["MessageCreate"] {
		writeJSON(w, r, http.StatusOK, map[string]any{"meta": map[string]any{"result_count": 0}})
		return
	}
	fields := fieldSet(r, "dm_event.fields")
	expand := fieldSet(r, "expansions")
	userFields := fieldSet(r, "user.fields")
	since := s.clock().Add(-dmWindow)

	s.mu.Lock()
	defer s.mu.Unlock()
	owner := s.st.OwnerID
	var page []*DM
	more := false
	for i := len(s.st.DMs) - 1; i >= 0; i-- {
		d := s.st.DMs[i]
		if d.SenderID != owner && d.RecipientID != owner {
			continue
		}
		if d.CreatedAt.Before(since) {
			continue
		}
		if after != "" && !idLess(d.ID, after) {
			continue
		}
		if len(page) == n {
			more = true
			break
		}
		page = append(page, d)
	}
	if len(page) == 0 {
		writeJSON(w, r, http.StatusOK, map[string]any{"meta": map[string]any{"result_count": 0}})
		return
	}
	data := make([]dmOut, len(page))
	var users []userOut
	seen := map[string]bool{}
	for i, d := range page {
		o := dmOut{ID: d.ID, EventType: "MessageCreate", Text: d.Text}
		if fields["sender_id"] {
			o.SenderID = d.SenderID
		}
		if fields["dm_conversation_id"] {
			o.DMConversationID = d.ConversationID
		}
		if fields["created_at"] {
			o.CreatedAt = stamp(d.CreatedAt)
		}
		if fields["participant_ids"] {
			o.ParticipantIDs = []string{d.SenderID, d.RecipientID}
		}
		data[i] = o
		if expand["sender_id"] && !seen[d.SenderID] {
			seen[d.SenderID] = true
			if a := s.st.Accounts[d.SenderID]; a != nil {
				users = append(users, userJSON(a, userFields))
			}
		}
	}
	meta := map[string]any{"result_count": len(page)}
	if more {
		meta["next_token"] = pageToken(page[len(page)-1].ID)
	}
	if after != "" {
		meta["previous_token"] = pageToken(page[0].ID)
	}
	body := map[string]any{"data": data, "meta": meta}
	if len(users) > 0 {
		body["includes"] = map[string]any{"users": users}
	}
	writeJSON(w, r, http.StatusOK, body)
}

func (s *Server) handleSendDM(w http.ResponseWriter, r *http.Request) {
	pid := r.PathValue("participant_id")
	var in struct {
		Text string `json:"text"`
	}
	if err := json.NewDecoder(r.Body).Decode(&in); err != nil || in.Text == "" {
		writeJSON(w, r, http.StatusBadRequest, invalidRequest("text", "", "The `text` field is required"))
		return
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.st.Accounts[pid] == nil || pid == s.st.OwnerID {
		body := notFoundItem("user", "participant_id", pid, fmt.Sprintf("Could not find user with participant_id: [%s].", pid))
		body["status"] = 404
		writeJSON(w, r, http.StatusNotFound, body)
		return
	}
	d := s.dmLocked(s.st.OwnerID, pid, in.Text, s.clock())
	writeJSON(w, r, http.StatusCreated, map[string]any{"data": map[string]any{"dm_conversation_id": d.ConversationID, "dm_event_id": d.ID}})
}
