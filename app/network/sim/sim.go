// Package sim is the simulated social network: an in-memory HTTP server that speaks the subset of
// the X API v2 that Ventanilla uses (see reference/x-api-v2-subset.md), faithfully enough that
// the real gotwi client, through app/network/x with Config.BaseURL, works unchanged. Tests, the
// training mode and anyone without credentials use it. Any Bearer or OAuth 1.0a Authorization
// header authenticates as the scenario's town hall account (the owner).
//
// Besides the X endpoints it has a control API under /_sim/ (JSON in and out):
//
//	GET  /_sim/accounts                 list accounts
//	POST /_sim/accounts                 {"handle","name"} → 201 account {"id","handle","name"}
//	POST /_sim/accounts/{id}/rename     {"handle"} → account; the old handle becomes free
//	POST /_sim/posts                    {"author","text","in_reply_to"} → 201 post, as any account
//	POST /_sim/dms                      {"from","text"} → 201 DM from a resident to the owner
//	GET  /_sim/owner/posts              what the owner posted (id, text, in_reply_to, created_at)
//	GET  /_sim/owner/dms                what the owner sent by DM (id, text, recipient, created_at)
//	GET  /_sim/faults, POST /_sim/faults (a Fault), DELETE /_sim/faults (clear the queue)
//	GET  /_sim/stats                    calls per endpoint, e.g. {"GET /2/users/{id}/mentions":3}
//	POST /_sim/scenario                 load a scenario (format below)
//	POST /_sim/save                     write the state file, if any
//
// A scenario is JSON; ages are relative to the simulator's clock ("-2h", "-90m", "-3d"; a
// missing age means now); keys name posts so that later posts can reply to them; DMs go from a
// resident to the owner unless "from" is the owner, in which case "to" names the resident:
//
//	{
//	  "owner":    {"handle": "AytoVillaverde", "name": "Ayuntamiento de Villaverde"},
//	  "accounts": [{"handle": "maria_lopez", "name": "María López"}],
//	  "posts": [
//	    {"key": "p1", "author": "maria_lopez", "text": "@AytoVillaverde farola rota #incidencia", "age": "-2h"},
//	    {"author": "AytoVillaverde", "text": "Gracias, lo revisamos", "reply_to": "p1", "age": "-1h"}
//	  ],
//	  "dms": [{"from": "maria_lopez", "text": "Hola, quiero pedir cita", "age": "-30m"}]
//	}
//
// A reply mentions the author of the post it answers (as on X), so a resident's reply to the
// town hall shows up in the town hall's mentions even without an @handle in the text.
package sim

import (
	"encoding/json"
	"errors"
	"fmt"
	"net"
	"net/http"
	"os"
	"regexp"
	"sort"
	"strings"
	"sync"
	"time"
)

// Options configure a Server. Zero values give a real clock and a default owner.
type Options struct {
	Clock       func() time.Time
	OwnerHandle string
	OwnerName   string
	// StateFile, if set, is loaded by New when it exists and written by Save and Close.
	StateFile string
}

// Account is a user of the simulated network.
type Account struct {
	ID        string    `json:"id"`
	Handle    string    `json:"handle"`
	Name      string    `json:"name"`
	CreatedAt time.Time `json:"created_at"`
}

// Post is a public post.
type Post struct {
	ID             string    `json:"id"`
	AuthorID       string    `json:"author_id"`
	Text           string    `json:"text"`
	CreatedAt      time.Time `json:"created_at"`
	InReplyTo      string    `json:"in_reply_to,omitempty"`
	InReplyToUser  string    `json:"in_reply_to_user_id,omitempty"`
	ConversationID string    `json:"conversation_id"`
	// MentionIDs are the accounts the post mentions, bound when it was posted: a handle taken
	// over later does not inherit old mentions.
	MentionIDs []string `json:"mention_ids,omitempty"`
}

// DM is a direct message event of kind MessageCreate.
type DM struct {
	ID             string    `json:"id"`
	SenderID       string    `json:"sender_id"`
	RecipientID    string    `json:"recipient_id"`
	Text           string    `json:"text"`
	CreatedAt      time.Time `json:"created_at"`
	ConversationID string    `json:"dm_conversation_id"`
}

// Server is the simulated network. It is safe for concurrent use.
type Server struct {
	clock     func() time.Time
	stateFile string

	mu       sync.Mutex
	st       state
	faults   []Fault
	stats    map[string]int
	windows  map[string]window
	listener net.Listener
	httpSrv  *http.Server
	handler  http.Handler
}

type state struct {
	OwnerID  string              `json:"owner_id"`
	Accounts map[string]*Account `json:"accounts"`
	Posts    []*Post             `json:"posts"` // ascending by id
	DMs      []*DM               `json:"dms"`   // ascending by id
	LastID   uint64              `json:"last_id"`
}

type window struct {
	start time.Time
	calls int
}

// New creates a simulator with its owner account. If opts.StateFile exists it is loaded.
func New(opts Options) *Server {
	s := &Server{clock: opts.Clock, stateFile: opts.StateFile, stats: map[string]int{}, windows: map[string]window{}}
	if s.clock == nil {
		s.clock = time.Now
	}
	s.st.Accounts = map[string]*Account{}
	if opts.StateFile != "" {
		if b, err := os.ReadFile(opts.StateFile); err == nil {
			var st state
			if json.Unmarshal(b, &st) == nil && st.OwnerID != "" && st.Accounts != nil {
				s.st = st
			}
		}
	}
	if s.st.OwnerID == "" {
		handle, name := opts.OwnerHandle, opts.OwnerName
		if handle == "" {
			handle = "ayuntamiento"
		}
		if name == "" {
			name = "Ayuntamiento"
		}
		a, err := s.createAccountLocked(handle, name, s.clock())
		if err != nil {
			panic(fmt.Sprintf("sim: owner handle: %v", err))
		}
		s.st.OwnerID = a.ID
	}
	s.handler = s.routes()
	return s
}

// Handler serves the X API subset and the control API.
func (s *Server) Handler() http.Handler { return s.handler }

// Start listens on addr ("127.0.0.1:0" for any free port) and serves in the background.
// It returns the base URL, e.g. "http://127.0.0.1:8089".
func (s *Server) Start(addr string) (string, error) {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return "", fmt.Errorf("sim: listen on %s: %w", addr, err)
	}
	srv := &http.Server{Handler: s.handler, ReadHeaderTimeout: 10 * time.Second}
	s.mu.Lock()
	s.listener, s.httpSrv = ln, srv
	s.mu.Unlock()
	go srv.Serve(ln) // exits when Close closes the server
	return "http://" + ln.Addr().String(), nil
}

// Close stops the server started by Start and saves the state file, if any.
func (s *Server) Close() error {
	s.mu.Lock()
	srv := s.httpSrv
	s.httpSrv = nil
	s.mu.Unlock()
	var err error
	if srv != nil {
		err = srv.Close()
	}
	if s.stateFile != "" {
		err = errors.Join(err, s.Save())
	}
	return err
}

// Save writes the state (accounts, posts, DMs) to the state file.
func (s *Server) Save() error {
	if s.stateFile == "" {
		return errors.New("sim: no state file")
	}
	s.mu.Lock()
	b, err := json.MarshalIndent(s.st, "", "  ")
	s.mu.Unlock()
	if err != nil {
		return err
	}
	tmp := s.stateFile + ".tmp"
	if err := os.WriteFile(tmp, b, 0o644); err != nil {
		return fmt.Errorf("sim: save state: %w", err)
	}
	return os.Rename(tmp, s.stateFile)
}

// Owner is the town hall's account.
func (s *Server) Owner() Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	return *s.st.Accounts[s.st.OwnerID]
}

// Accounts lists every account, oldest first.
func (s *Server) Accounts() []Account {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Account
	for _, a := range s.st.Accounts {
		out = append(out, *a)
	}
	sort.Slice(out, func(i, j int) bool { return idLess(out[i].ID, out[j].ID) })
	return out
}

var handlePattern = regexp.MustCompile(`^[A-Za-z0-9_]{1,15}$`)

// ErrHandleTaken is returned when a handle already belongs to another account.
var ErrHandleTaken = errors.New("sim: handle taken")

// ErrNoAccount is returned when a handle or id names no account.
var ErrNoAccount = errors.New("sim: no such account")

// ErrNoPost is returned when a post id names no post.
var ErrNoPost = errors.New("sim: no such post")

// CreateAccount creates a resident account and returns it.
func (s *Server) CreateAccount(handle, name string) (Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a, err := s.createAccountLocked(handle, name, s.clock())
	if err != nil {
		return Account{}, err
	}
	return *a, nil
}

func (s *Server) createAccountLocked(handle, name string, at time.Time) (*Account, error) {
	handle = strings.TrimPrefix(handle, "@")
	if !handlePattern.MatchString(handle) {
		return nil, fmt.Errorf("sim: invalid handle %q", handle)
	}
	if s.byHandleLocked(handle) != nil {
		return nil, fmt.Errorf("%w: @%s", ErrHandleTaken, handle)
	}
	if name == "" {
		name = handle
	}
	a := &Account{ID: s.nextIDLocked(at), Handle: handle, Name: name, CreatedAt: at.UTC()}
	s.st.Accounts[a.ID] = a
	return a, nil
}

// RenameAccount gives the account id a new handle; the old one becomes free for others.
func (s *Server) RenameAccount(id, newHandle string) (Account, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.st.Accounts[id]
	if a == nil {
		return Account{}, fmt.Errorf("%w: id %s", ErrNoAccount, id)
	}
	newHandle = strings.TrimPrefix(newHandle, "@")
	if !handlePattern.MatchString(newHandle) {
		return Account{}, fmt.Errorf("sim: invalid handle %q", newHandle)
	}
	if other := s.byHandleLocked(newHandle); other != nil && other.ID != id {
		return Account{}, fmt.Errorf("%w: @%s", ErrHandleTaken, newHandle)
	}
	a.Handle = newHandle
	return *a, nil
}

func (s *Server) byHandleLocked(handle string) *Account {
	handle = strings.TrimPrefix(handle, "@")
	for _, a := range s.st.Accounts {
		if strings.EqualFold(a.Handle, handle) {
			return a
		}
	}
	return nil
}

// nextIDLocked returns a snowflake-like id for time at, larger than every id issued so far.
func (s *Server) nextIDLocked(at time.Time) string {
	const epoch = 1288834974657
	ms := at.UnixMilli() - epoch
	if ms < 0 {
		ms = 0
	}
	id := uint64(ms) << 22
	if id <= s.st.LastID {
		id = s.st.LastID + 1
	}
	s.st.LastID = id
	return fmt.Sprint(id)
}

// idLess compares decimal ids numerically.
func idLess(a, b string) bool {
	if len(a) != len(b) {
		return len(a) < len(b)
	}
	return a < b
}

var mentionPattern = regexp.MustCompile(`(?:^|[^A-Za-z0-9_@])@([A-Za-z0-9_]{1,15})`)

// Post publishes text as the account authorHandle, optionally as a reply, without the checks
// the X endpoint applies (length, duplicates, reply restrictions).
func (s *Server) Post(authorHandle, text, inReplyTo string) (Post, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.byHandleLocked(authorHandle)
	if a == nil {
		return Post{}, fmt.Errorf("%w: @%s", ErrNoAccount, authorHandle)
	}
	p, err := s.postLocked(a.ID, text, inReplyTo, s.clock())
	if err != nil {
		return Post{}, err
	}
	return *p, nil
}

func (s *Server) postLocked(authorID, text, inReplyTo string, at time.Time) (*Post, error) {
	p := &Post{AuthorID: authorID, Text: text, CreatedAt: at.UTC()}
	seen := map[string]bool{}
	if inReplyTo != "" {
		parent := s.postByIDLocked(inReplyTo)
		if parent == nil {
			return nil, fmt.Errorf("%w: %s", ErrNoPost, inReplyTo)
		}
		p.InReplyTo, p.InReplyToUser, p.ConversationID = parent.ID, parent.AuthorID, parent.ConversationID
		if parent.AuthorID != authorID {
			p.MentionIDs = append(p.MentionIDs, parent.AuthorID)
			seen[parent.AuthorID] = true
		}
	}
	for _, m := range mentionPattern.FindAllStringSubmatch(text, -1) {
		if a := s.byHandleLocked(m[1]); a != nil && !seen[a.ID] {
			seen[a.ID] = true
			p.MentionIDs = append(p.MentionIDs, a.ID)
		}
	}
	p.ID = s.nextIDLocked(at)
	if p.ConversationID == "" {
		p.ConversationID = p.ID
	}
	s.st.Posts = append(s.st.Posts, p)
	sort.SliceStable(s.st.Posts, func(i, j int) bool { return idLess(s.st.Posts[i].ID, s.st.Posts[j].ID) })
	return p, nil
}

func (s *Server) postByIDLocked(id string) *Post {
	for _, p := range s.st.Posts {
		if p.ID == id {
			return p
		}
	}
	return nil
}

// SendDM sends text from the resident fromHandle to the owner.
func (s *Server) SendDM(fromHandle, text string) (DM, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	a := s.byHandleLocked(fromHandle)
	if a == nil {
		return DM{}, fmt.Errorf("%w: @%s", ErrNoAccount, fromHandle)
	}
	return *s.dmLocked(a.ID, s.st.OwnerID, text, s.clock()), nil
}

func (s *Server) dmLocked(from, to, text string, at time.Time) *DM {
	lo, hi := from, to
	if idLess(hi, lo) {
		lo, hi = hi, lo
	}
	d := &DM{ID: s.nextIDLocked(at), SenderID: from, RecipientID: to, Text: text, CreatedAt: at.UTC(), ConversationID: lo + "-" + hi}
	s.st.DMs = append(s.st.DMs, d)
	sort.SliceStable(s.st.DMs, func(i, j int) bool { return idLess(s.st.DMs[i].ID, s.st.DMs[j].ID) })
	return d
}

// OwnerPosts lists what the owner posted, oldest first.
func (s *Server) OwnerPosts() []Post {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []Post
	for _, p := range s.st.Posts {
		if p.AuthorID == s.st.OwnerID {
			out = append(out, *p)
		}
	}
	return out
}

// OwnerDMs lists the DMs the owner sent, oldest first.
func (s *Server) OwnerDMs() []DM {
	s.mu.Lock()
	defer s.mu.Unlock()
	var out []DM
	for _, d := range s.st.DMs {
		if d.SenderID == s.st.OwnerID {
			out = append(out, *d)
		}
	}
	return out
}

// Stats returns the number of calls per endpoint pattern, e.g. "GET /2/users/{id}/mentions".
func (s *Server) Stats() map[string]int {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make(map[string]int, len(s.stats))
	for k, v := range s.stats {
		out[k] = v
	}
	return out
}
