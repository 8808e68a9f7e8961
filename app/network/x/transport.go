package x

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"net/url"
	"strconv"
	"strings"
	"sync"
	"time"
)

// transport sends gotwi's requests to the configured base URL and remembers what came back:
// the rate-limit headers per endpoint (gotwi only reads them on a JSON 429), and, for the call
// whose context carries an exchange, the status, headers and body of the response, so that the
// adapter can keep posts verbatim and map errors gotwi cannot decode.
type transport struct {
	base *url.URL // nil: leave requests alone
	next http.RoundTripper

	mu     sync.Mutex
	limits map[string]rateLimit
}

type rateLimit struct {
	remaining int
	reset     time.Time
}

// exchange records one HTTP exchange made on behalf of one adapter call.
type exchange struct {
	status int
	header http.Header
	body   []byte
}

type exchangeKey struct{}

func withExchange(ctx context.Context) (context.Context, *exchange) {
	ex := &exchange{}
	return context.WithValue(ctx, exchangeKey{}, ex), ex
}

func (t *transport) RoundTrip(req *http.Request) (*http.Response, error) {
	path := req.URL.Path
	if t.base != nil && (req.URL.Host == "api.twitter.com" || req.URL.Host == "api.x.com") {
		r2 := req.Clone(req.Context())
		u := *req.URL
		u.Scheme = t.base.Scheme
		u.Host = t.base.Host
		if p := strings.TrimRight(t.base.Path, "/"); p != "" {
			u.Path = p + u.Path
			if u.RawPath != "" {
				u.RawPath = p + u.RawPath
			}
		}
		r2.URL = &u
		r2.Host = ""
		req = r2
	}
	res, err := t.next.RoundTrip(req)
	if err != nil {
		return nil, err
	}
	body, err := io.ReadAll(res.Body)
	res.Body.Close()
	if err != nil {
		return nil, err
	}
	res.Body = io.NopCloser(bytes.NewReader(body))
	t.recordLimits(req.Method, path, res.Header)
	if ex, ok := req.Context().Value(exchangeKey{}).(*exchange); ok {
		ex.status = res.StatusCode
		ex.header = res.Header.Clone()
		ex.body = body
	}
	return res, nil
}

func (t *transport) recordLimits(method, path string, h http.Header) {
	rem, err := strconv.Atoi(h.Get("x-rate-limit-remaining"))
	if err != nil {
		return
	}
	reset, _ := parseReset(h.Get("x-rate-limit-reset"))
	t.mu.Lock()
	defer t.mu.Unlock()
	if t.limits == nil {
		t.limits = map[string]rateLimit{}
	}
	t.limits[EndpointKey(method, path)] = rateLimit{remaining: rem, reset: reset}
}

func (t *transport) rateLimit(endpoint string) (rateLimit, bool) {
	t.mu.Lock()
	defer t.mu.Unlock()
	rl, ok := t.limits[endpoint]
	return rl, ok
}

// parseReset reads x-rate-limit-reset (unix seconds). Some proxies send fractions; anything
// unreadable gives ok=false rather than an error.
func parseReset(v string) (time.Time, bool) {
	v = strings.TrimSpace(v)
	if v == "" {
		return time.Time{}, false
	}
	if n, err := strconv.ParseInt(v, 10, 64); err == nil {
		return time.Unix(n, 0), true
	}
	if f, err := strconv.ParseFloat(v, 64); err == nil && f > 0 {
		return time.Unix(int64(f), 0), true
	}
	if t, err := http.ParseTime(v); err == nil {
		return t, true
	}
	return time.Time{}, false
}

// EndpointKey names an endpoint the way Client.RateLimit expects it: the method, a space and the
// path with ids replaced by placeholders, e.g. "GET /2/users/:id/mentions",
// "GET /2/users/by/username/:username", "POST /2/dm_conversations/with/:participant_id/messages".
func EndpointKey(method, path string) string {
	segs := strings.Split(path, "/")
	for i := 2; i < len(segs); i++ {
		switch {
		case segs[i-1] == "username" && i >= 2 && segs[i-2] == "by":
			segs[i] = ":username"
		case segs[i-1] == "with" && segs[i-2] == "dm_conversations":
			segs[i] = ":participant_id"
		case isDigits(segs[i]):
			segs[i] = ":id"
		}
	}
	return strings.ToUpper(method) + " " + strings.Join(segs, "/")
}

func isDigits(s string) bool {
	if s == "" {
		return false
	}
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return true
}
