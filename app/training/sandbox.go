package training

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"sort"
	"strings"
	gosync "sync"
	"time"
	"unicode"

	"golang.org/x/text/unicode/norm"

	"ventanilla/app"
	"ventanilla/app/demo"
	"ventanilla/app/desk"
	"ventanilla/app/network/sim"
	"ventanilla/app/verify"
)

// Trainer's account on the sandbox desk.
const (
	TrainerUsername = "formador"
	TrainerPassword = "formacion"
)

// Config says where the training lives. Dir holds the sandbox (Dir/sandbox: database and
// simulator state) and the trainees' progress (Dir/progress.json, kept across resets).
type Config struct {
	Dir   string
	Open  demo.OpenStore
	Clock app.Clock
	// SyncInterval between the engine's rounds; default 2 seconds, so that answers arrive
	// while the trainee watches.
	SyncInterval time.Duration
	// Manual leaves the engine stopped: tests call Sync.
	Manual bool
}

// Trainee is a person in a training session, known by name only. Handle is their account on
// the simulated network.
type Trainee struct {
	Name   string
	Handle string
}

// PhoneMessage is a message on the trainee's simulated phone: one they sent, or one the town
// hall sent them (a reply to their post or a direct message).
type PhoneMessage struct {
	ID          string
	FromTrainee bool
	Kind        Action // post or dm
	Text        string
	At          time.Time
}

// Progress is what a trainee has done.
type Progress struct {
	Name      string                 `json:"name"`
	Handle    string                 `json:"handle"`
	Completed map[LessonID]time.Time `json:"completed"`
}

// Sandbox is the training's town hall. Its methods are safe for concurrent use.
type Sandbox struct {
	cfg Config

	mu       gosync.Mutex
	e        *demo.Env
	stop     context.CancelFunc
	running  gosync.WaitGroup
	sent     map[string][]PhoneMessage // by trainee handle
	progress map[string]*Progress      // by name key
	resets   []func()
}

// Open prepares the sandbox (creating it on first use) and, unless cfg.Manual, starts its sync
// engine in a goroutine that ends with Close or Reset.
func Open(ctx context.Context, cfg Config) (*Sandbox, error) {
	if cfg.Clock == nil {
		cfg.Clock = app.SystemClock
	}
	if cfg.SyncInterval <= 0 {
		cfg.SyncInterval = 2 * time.Second
	}
	s := &Sandbox{cfg: cfg, sent: map[string][]PhoneMessage{}, progress: map[string]*Progress{}}
	if err := s.loadProgress(); err != nil {
		return nil, err
	}
	if err := s.start(ctx); err != nil {
		return nil, err
	}
	return s, nil
}

func (s *Sandbox) sandboxDir() string { return filepath.Join(s.cfg.Dir, "sandbox") }

func (s *Sandbox) start(ctx context.Context) error {
	e, err := demo.Start(ctx, demo.Config{Dir: s.sandboxDir(), Open: s.cfg.Open, Clock: s.cfg.Clock,
		OwnerHandle: "ayuntamiento", OwnerName: "Ayuntamiento de Jun (pruebas)", SyncInterval: s.cfg.SyncInterval})
	if err != nil {
		return err
	}
	if need, err := e.Desk.NeedsFirstAdmin(ctx); err != nil {
		e.Close()
		return err
	} else if need {
		sess, err := e.Desk.CreateFirstAdmin(ctx, desk.NewStaff{Username: TrainerUsername, FullName: "Formador", Password: TrainerPassword})
		if err != nil {
			e.Close()
			return fmt.Errorf("training: create the trainer's account: %w", err)
		}
		e.Desk.SignOut(ctx, sess)
	}
	s.mu.Lock()
	s.e = e
	if !s.cfg.Manual {
		runCtx, cancel := context.WithCancel(context.Background())
		s.stop = cancel
		s.running.Add(1)
		go func() { // ends when Close or Reset cancels runCtx
			defer s.running.Done()
			e.Engine.Run(runCtx)
		}()
	}
	s.mu.Unlock()
	return nil
}

func (s *Sandbox) env() *demo.Env {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.e
}

// Env is the sandbox's town hall: its desk, verification and sync services for the desk
// window. It changes after Reset.
func (s *Sandbox) Env() *demo.Env { return s.env() }

// OnReset registers f to run after every Reset (the ui rebuilds the desk on the new services).
func (s *Sandbox) OnReset(f func()) {
	s.mu.Lock()
	s.resets = append(s.resets, f)
	s.mu.Unlock()
}

// Sync runs the engine until the sandbox is caught up (tests; the running engine does this on
// its own every few seconds).
func (s *Sandbox) Sync(ctx context.Context) error { return s.env().Sync(ctx) }

func (s *Sandbox) syncSoon() {
	if e := s.env(); e != nil && !s.cfg.Manual {
		e.Engine.SyncNow()
	}
}

func (s *Sandbox) shutdown() error {
	s.mu.Lock()
	stop, e := s.stop, s.e
	s.stop, s.e = nil, nil
	s.mu.Unlock()
	if stop != nil {
		stop()
	}
	s.running.Wait()
	if e != nil {
		return e.Close()
	}
	return nil
}

// Close stops the engine and the simulator and closes the sandbox's database.
func (s *Sandbox) Close() error { return s.shutdown() }

// Reset wipes the sandbox (database, simulated network, phone history) and starts it afresh.
// Trainees' progress is kept: it belongs to the people, not the sandbox.
func (s *Sandbox) Reset(ctx context.Context) error {
	if err := s.shutdown(); err != nil {
		return fmt.Errorf("training: stop the sandbox: %w", err)
	}
	if err := os.RemoveAll(s.sandboxDir()); err != nil {
		return fmt.Errorf("training: wipe the sandbox: %w", err)
	}
	s.mu.Lock()
	s.sent = map[string][]PhoneMessage{}
	s.mu.Unlock()
	if err := s.start(ctx); err != nil {
		return err
	}
	s.mu.Lock()
	fs := append([]func(){}, s.resets...)
	s.mu.Unlock()
	for _, f := range fs {
		f()
	}
	return nil
}

// Trainee returns the trainee with this name, creating their progress and their account on
// the simulated network if needed.
func (s *Sandbox) Trainee(ctx context.Context, name string) (Trainee, error) {
	name = strings.Join(strings.Fields(name), " ")
	if name == "" {
		return Trainee{}, app.Invalid("name", "the trainee's name is required")
	}
	key := strings.ToLower(name)
	s.mu.Lock()
	p, ok := s.progress[key]
	if !ok {
		p = &Progress{Name: name, Handle: s.freeHandleLocked(name), Completed: map[LessonID]time.Time{}}
		s.progress[key] = p
	}
	t := Trainee{Name: p.Name, Handle: p.Handle}
	e := s.e
	s.mu.Unlock()
	if !ok {
		if err := s.saveProgress(); err != nil {
			return Trainee{}, err
		}
	}
	if e == nil {
		return Trainee{}, errors.New("training: the sandbox is closed")
	}
	// An account kept from an earlier session is fine.
	if _, err := e.Sim.CreateAccount(t.Handle, t.Name); err != nil && !errors.Is(err, sim.ErrHandleTaken) {
		return Trainee{}, fmt.Errorf("training: create @%s: %w", t.Handle, err)
	}
	return t, nil
}

// freeHandleLocked derives a handle from a name: ASCII letters and digits, at most 15
// characters, unique among trainees.
func (s *Sandbox) freeHandleLocked(name string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(strings.ToLower(name)) {
		switch {
		case r < unicode.MaxASCII && (unicode.IsLetter(r) || unicode.IsDigit(r)):
			b.WriteRune(r)
		case r == ' ' && b.Len() > 0 && !strings.HasSuffix(b.String(), "_"):
			b.WriteRune('_')
		}
	}
	base := strings.Trim(b.String(), "_")
	if base == "" {
		base = "vecino"
	}
	if len(base) > 12 {
		base = strings.TrimRight(base[:12], "_")
	}
	taken := map[string]bool{"ayuntamiento": true}
	for _, p := range s.progress {
		taken[p.Handle] = true
	}
	h := base
	for i := 2; taken[h]; i++ {
		h = fmt.Sprintf("%s%d", base, i)
	}
	return h
}

// Trainees lists everyone's progress, by name.
func (s *Sandbox) Trainees() []Progress {
	s.mu.Lock()
	defer s.mu.Unlock()
	out := make([]Progress, 0, len(s.progress))
	for _, p := range s.progress {
		c := *p
		c.Completed = map[LessonID]time.Time{}
		for k, v := range p.Completed {
			c.Completed[k] = v
		}
		out = append(out, c)
	}
	sort.Slice(out, func(i, j int) bool { return out[i].Name < out[j].Name })
	return out
}

// Post publishes text on the simulated network as the trainee.
func (s *Sandbox) Post(ctx context.Context, t Trainee, text string) (PhoneMessage, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return PhoneMessage{}, app.Invalid("text", "write something first")
	}
	p, err := s.env().Sim.Post(t.Handle, text, "")
	if err != nil {
		return PhoneMessage{}, err
	}
	return s.record(t, PhoneMessage{ID: p.ID, FromTrainee: true, Kind: ActionPost, Text: text, At: p.CreatedAt}), nil
}

// SendDM sends text to the town hall as a direct message from the trainee.
func (s *Sandbox) SendDM(ctx context.Context, t Trainee, text string) (PhoneMessage, error) {
	text = strings.TrimSpace(text)
	if text == "" {
		return PhoneMessage{}, app.Invalid("text", "write something first")
	}
	d, err := s.env().Sim.SendDM(t.Handle, text)
	if err != nil {
		return PhoneMessage{}, err
	}
	return s.record(t, PhoneMessage{ID: d.ID, FromTrainee: true, Kind: ActionDM, Text: text, At: d.CreatedAt}), nil
}

func (s *Sandbox) record(t Trainee, m PhoneMessage) PhoneMessage {
	s.mu.Lock()
	s.sent[t.Handle] = append(s.sent[t.Handle], m)
	s.mu.Unlock()
	s.syncSoon()
	return m
}

// RequestCode plays the counter's part of lesson 3: staff issue a one-time code for the
// trainee's account, which the trainee then sends by direct message.
func (s *Sandbox) RequestCode(ctx context.Context, t Trainee) (verify.Challenge, error) {
	return s.env().Verify.Start(ctx, "training", t.Handle, 2*time.Hour)
}

// Phone lists the trainee's conversation with the town hall, oldest first: what they sent
// through the phone, the town hall's replies to their posts and its direct messages to them.
func (s *Sandbox) Phone(t Trainee) []PhoneMessage {
	e := s.env()
	s.mu.Lock()
	out := append([]PhoneMessage{}, s.sent[t.Handle]...)
	s.mu.Unlock()
	if e == nil {
		return out
	}
	var uid string
	for _, a := range e.Sim.Accounts() {
		if strings.EqualFold(a.Handle, t.Handle) {
			uid = a.ID
		}
	}
	for _, p := range e.Sim.OwnerPosts() {
		mentioned := p.InReplyToUser == uid
		for _, m := range p.MentionIDs {
			mentioned = mentioned || m == uid
		}
		if uid != "" && mentioned {
			out = append(out, PhoneMessage{ID: p.ID, Kind: ActionPost, Text: p.Text, At: p.CreatedAt})
		}
	}
	for _, d := range e.Sim.OwnerDMs() {
		if uid != "" && d.RecipientID == uid {
			out = append(out, PhoneMessage{ID: d.ID, Kind: ActionDM, Text: d.Text, At: d.CreatedAt})
		}
	}
	sort.SliceStable(out, func(i, j int) bool { return out[i].At.Before(out[j].At) })
	return out
}

// Check reports whether the trainee has done lesson id, judging by what their messages sent
// since `since` did in the sandbox's register. A pass is saved in their progress.
func (s *Sandbox) Check(ctx context.Context, t Trainee, id LessonID, since time.Time) (bool, error) {
	var msgs []PhoneMessage
	for _, m := range s.Phone(t) {
		if m.FromTrainee && !m.At.Before(since) {
			msgs = append(msgs, m)
		}
	}
	ok, err := s.check(ctx, id, t, msgs)
	if err != nil || !ok {
		return ok, err
	}
	s.mu.Lock()
	p := s.progress[strings.ToLower(t.Name)]
	changed := false
	if p != nil {
		if _, done := p.Completed[id]; !done {
			p.Completed[id] = s.cfg.Clock().UTC()
			changed = true
		}
	}
	s.mu.Unlock()
	if changed {
		return true, s.saveProgress()
	}
	return true, nil
}

// Now is the sandbox's clock, for lesson start times.
func (s *Sandbox) Now() time.Time { return s.cfg.Clock().UTC() }

func (s *Sandbox) progressPath() string { return filepath.Join(s.cfg.Dir, "progress.json") }

func (s *Sandbox) loadProgress() error {
	b, err := os.ReadFile(s.progressPath())
	if errors.Is(err, os.ErrNotExist) {
		return nil
	}
	if err != nil {
		return fmt.Errorf("training: read progress: %w", err)
	}
	var ps []*Progress
	if err := json.Unmarshal(b, &ps); err != nil {
		return fmt.Errorf("training: read progress: %w", err)
	}
	for _, p := range ps {
		if p.Completed == nil {
			p.Completed = map[LessonID]time.Time{}
		}
		s.progress[strings.ToLower(p.Name)] = p
	}
	return nil
}

func (s *Sandbox) saveProgress() error {
	ps := s.Trainees()
	b, err := json.MarshalIndent(ps, "", "  ")
	if err != nil {
		return err
	}
	if err := os.MkdirAll(s.cfg.Dir, 0o700); err != nil {
		return err
	}
	tmp := s.progressPath() + ".tmp"
	if err := os.WriteFile(tmp, b, 0o600); err != nil {
		return fmt.Errorf("training: save progress: %w", err)
	}
	return os.Rename(tmp, s.progressPath())
}
