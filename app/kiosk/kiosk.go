// Package kiosk holds the services behind the lobby kiosk, where residents use a locked touch
// screen without signing in: look up a case by its registry number (status, department, dates;
// never names, handles or message text), start the verification of their own account (the
// one-time code and how to send it; staff still check identity documents), read the next
// plenary session's agenda and the directory of official accounts. Wrong registry numbers are
// answered plainly and repeated guessing is slowed down here, in the service, on an injected
// clock. Leaving kiosk mode needs the staff PIN (a bcrypt hash in the settings) or, while no PIN
// is set, an administrator's password. The kiosk's desk session is of kind kiosk, which every
// staff service in app/desk refuses.
package kiosk

import (
	"context"
	"errors"
	"fmt"
	"math"
	"net/url"
	"strings"
	"sync"
	"time"
	"unicode"

	"golang.org/x/crypto/bcrypt"

	"ventanilla/app"
	"ventanilla/app/desk"
	"ventanilla/app/verify"
)

// Settings the kiosk reads.
const (
	// SettingExitPIN is the bcrypt hash of the staff PIN that leaves kiosk mode.
	SettingExitPIN = "kiosk.exit_pin_hash"
	// SettingOwnerID and SettingOwnerHandle are the town hall's account, saved by the sync
	// engine (app/sync's SettingOwnerID and SettingOwnerHandle).
	SettingOwnerID     = "network.owner_user_id"
	SettingOwnerHandle = "network.owner_handle"
)

// Guessing limits: after FreeGuesses wrong registry numbers the terminal waits GuessDelay,
// doubling with every further wrong number up to MaxGuessDelay. The count is the terminal's,
// not the screen's, so the idle reset does not clear it; it is forgotten after GuessMemory
// without a wrong number.
const (
	FreeGuesses   = 3
	GuessDelay    = 2 * time.Second
	MaxGuessDelay = 5 * time.Minute
	GuessMemory   = 15 * time.Minute
)

// Exit limits: after MaxExitFailures wrong PINs in a row, exit is refused for ExitLockout.
const (
	MaxExitFailures = 5
	ExitLockout     = time.Minute
)

// Verification limits per terminal: at most MaxStarts codes per StartWindow, so that nobody
// can stand at the kiosk revoking other people's codes.
const (
	MaxStarts   = 6
	StartWindow = 10 * time.Minute
	// CodeTTL is how long a code started at the kiosk stays valid.
	CodeTTL = 30 * time.Minute
)

// ErrNoSuchCase is the plain answer to a registry number that does not exist.
var ErrNoSuchCase = errors.New("there is no case with that number")

// ErrWrongPIN means the PIN (or administrator password) was not accepted.
var ErrWrongPIN = errors.New("wrong PIN")

// ErrNoExitSecret means neither a PIN nor an administrator exists yet, so nobody can leave.
var ErrNoExitSecret = errors.New("no kiosk PIN and no administrator: create the administrator on the desk first")

// ErrUnavailable means the service the screen needs was not given to the kiosk.
var ErrUnavailable = errors.New("not available at this kiosk")

// WaitError says that the kiosk refuses the request until Until.
type WaitError struct{ Until time.Time }

func (e *WaitError) Error() string {
	return fmt.Sprintf("too many attempts: try again after %s", e.Until.Format("15:04:05"))
}

// Verifier is the verification service as the kiosk uses it (*verify.Service).
type Verifier interface {
	Start(ctx context.Context, actor, handle string, ttl time.Duration) (verify.Challenge, error)
	Status(ctx context.Context, handle string) (verify.StatusView, error)
}

var _ Verifier = (*verify.Service)(nil)

// Config wires a Service. Store is required; Verify may be nil (the verification screen then
// says it is unavailable); Desk gives the kiosk its session.
type Config struct {
	Store  Store
	Verify Verifier
	Desk   *desk.Service
	Clock  app.Clock
	// BcryptCost for the PIN hash; 0 means bcrypt.DefaultCost (tests use bcrypt.MinCost).
	BcryptCost int
}

// Service is the kiosk terminal's services. It is safe for concurrent use.
type Service struct {
	cfg     Config
	session *desk.Session

	mu     sync.Mutex
	wrong  int
	lastW  time.Time
	until  time.Time
	starts []time.Time
	exitN  int
	exitTo time.Time
}

// New builds the kiosk service.
func New(cfg Config) *Service {
	if cfg.Clock == nil {
		cfg.Clock = app.SystemClock
	}
	if cfg.BcryptCost == 0 {
		cfg.BcryptCost = bcrypt.DefaultCost
	}
	s := &Service{cfg: cfg}
	if cfg.Desk != nil {
		s.session = cfg.Desk.KioskSession()
	}
	return s
}

// Session is the kiosk's desk session: every staff service refuses it.
func (s *Service) Session() *desk.Session { return s.session }

func (s *Service) now() time.Time { return s.cfg.Clock().UTC() }

// CaseStatus is everything the kiosk shows about a case: no names, handles or message text.
type CaseStatus struct {
	Number     string
	Kind       app.CaseKind
	Status     app.CaseStatus
	Department string
	OpenedAt   time.Time
	LastUpdate time.Time
	DueAt      time.Time // zero when no deadline applies
	Overdue    bool
	// MergedInto is the number of the case this one was joined to, "" if none; the status is
	// then that case's.
	MergedInto string
}

// LookupCase returns the public status of the case with registry number number. A badly
// shaped number is an *app.InvalidError and is not counted; an unknown one is ErrNoSuchCase
// and counts as a wrong guess; while the terminal is slowed down, every lookup is a
// *WaitError, whatever the number.
func (s *Service) LookupCase(ctx context.Context, number string) (CaseStatus, error) {
	now := s.now()
	s.mu.Lock()
	if now.Before(s.until) {
		until := s.until
		s.mu.Unlock()
		return CaseStatus{}, &WaitError{Until: until}
	}
	s.mu.Unlock()
	n, err := app.ParseRegistryNumber(strings.ToUpper(strings.Join(strings.Fields(number), "")))
	if err != nil {
		return CaseStatus{}, err
	}
	c, err := s.cfg.Store.GetCaseByNumber(ctx, n)
	if errors.Is(err, app.ErrNotFound) {
		return CaseStatus{}, s.wrongGuess(now)
	}
	if err != nil {
		return CaseStatus{}, fmt.Errorf("look up case %s: %w", n, err)
	}
	st := CaseStatus{Number: c.Number.String()}
	if c.MergedInto != "" {
		if into, err := s.cfg.Store.GetCase(ctx, c.MergedInto); err == nil {
			st.MergedInto = into.Number.String()
			c = into
		}
	}
	st.Kind, st.Status, st.OpenedAt, st.LastUpdate, st.DueAt = c.Kind, c.Status, c.OpenedAt, c.UpdatedAt, c.DueAt
	st.Overdue = c.Overdue(now)
	if c.DepartmentID != "" {
		deps, err := s.cfg.Store.ListDepartments(ctx)
		if err != nil {
			return CaseStatus{}, fmt.Errorf("look up case %s: %w", n, err)
		}
		for _, d := range deps {
			if d.ID == c.DepartmentID {
				st.Department = d.Name
			}
		}
	}
	return st, nil
}

// wrongGuess counts a wrong number and returns ErrNoSuchCase, or a *WaitError wrapping the
// delay the terminal now imposes.
func (s *Service) wrongGuess(now time.Time) error {
	s.mu.Lock()
	defer s.mu.Unlock()
	if now.Sub(s.lastW) > GuessMemory {
		s.wrong = 0
	}
	s.wrong++
	s.lastW = now
	if s.wrong < FreeGuesses {
		return ErrNoSuchCase
	}
	d := time.Duration(float64(GuessDelay) * math.Pow(2, float64(s.wrong-FreeGuesses)))
	if d > MaxGuessDelay || d <= 0 {
		d = MaxGuessDelay
	}
	s.until = now.Add(d)
	return errors.Join(ErrNoSuchCase, &WaitError{Until: s.until})
}

// VerificationStart is what the resident needs to prove they control an account.
type VerificationStart struct {
	Handle      string
	Code        string
	ExpiresAt   time.Time
	OwnerHandle string // the town hall's account to send the code to ("" if not known yet)
	// DMLink opens, on the resident's phone, a direct message to the town hall with the code
	// already written ("" while the town hall's user id is not known).
	DMLink string
}

// StartVerification issues a one-time code for handle. It does not link the account to anyone:
// staff still check the resident's identity document at the counter.
func (s *Service) StartVerification(ctx context.Context, handle string) (VerificationStart, error) {
	if s.cfg.Verify == nil {
		return VerificationStart{}, ErrUnavailable
	}
	now := s.now()
	s.mu.Lock()
	kept := s.starts[:0]
	for _, t := range s.starts {
		if now.Sub(t) < StartWindow {
			kept = append(kept, t)
		}
	}
	s.starts = kept
	if len(s.starts) >= MaxStarts {
		until := s.starts[0].Add(StartWindow)
		s.mu.Unlock()
		return VerificationStart{}, &WaitError{Until: until}
	}
	s.starts = append(s.starts, now)
	s.mu.Unlock()
	ch, err := s.cfg.Verify.Start(ctx, "kiosk", handle, CodeTTL)
	if err != nil {
		return VerificationStart{}, err
	}
	v := VerificationStart{Handle: ch.Handle, Code: ch.Code, ExpiresAt: ch.ExpiresAt}
	v.OwnerHandle, _ = s.setting(ctx, SettingOwnerHandle)
	if id, _ := s.setting(ctx, SettingOwnerID); id != "" {
		v.DMLink = DMLink(id, ch.Code)
	}
	return v, nil
}

// DMLink is the x.com link that opens a direct message to the account ownerUserID with text
// already written.
func DMLink(ownerUserID, text string) string {
	return "https://x.com/messages/compose?recipient_id=" + url.QueryEscape(ownerUserID) + "&text=" + url.QueryEscape(text)
}

func (s *Service) setting(ctx context.Context, key string) (string, error) {
	v, err := s.cfg.Store.GetSetting(ctx, key)
	if errors.Is(err, app.ErrNotFound) {
		return "", nil
	}
	return v, err
}

// VerificationDone reports whether the code issued to handle has arrived from the account it
// was issued for.
func (s *Service) VerificationDone(ctx context.Context, handle, code string) (bool, error) {
	if s.cfg.Verify == nil {
		return false, ErrUnavailable
	}
	st, err := s.cfg.Verify.Status(ctx, handle)
	if err != nil {
		return false, err
	}
	lc := st.LastChallenge
	return lc != nil && lc.Code == code && lc.Status == verify.ChallengeUsed && st.Level.AtLeast(app.LevelVerified), nil
}

// Agenda is the next plenary session and its points.
type Agenda struct {
	Session *PlenarySession // nil when no session is scheduled
	Items   []AgendaItem
	// AdmittedProposals counts residents' proposals admitted or on an agenda.
	AdmittedProposals int
}

// NextAgenda returns the next plenary session with its agenda.
func (s *Service) NextAgenda(ctx context.Context) (Agenda, error) {
	var a Agenda
	n, err := s.cfg.Store.CountAdmittedProposals(ctx)
	if err != nil {
		return a, err
	}
	a.AdmittedProposals = n
	// A session that started within the last hours is still "the next" for the lobby.
	ses, err := s.cfg.Store.NextPlenarySession(ctx, s.now().Add(-6*time.Hour))
	if errors.Is(err, app.ErrNotFound) {
		return a, nil
	}
	if err != nil {
		return a, err
	}
	a.Session = &ses
	if a.Items, err = s.cfg.Store.ListAgendaItems(ctx, ses.ID); err != nil {
		return a, err
	}
	return a, nil
}

// Contact is an official account residents can write to.
type Contact struct {
	Kind       string // councillor, employee, department
	Name       string
	Position   string
	Department string
	Handle     string
}

// Directory lists the official accounts with a handle, departments first.
func (s *Service) Directory(ctx context.Context) ([]Contact, error) {
	entries, err := s.cfg.Store.ListDirectoryEntries(ctx)
	if err != nil {
		return nil, err
	}
	var deps, people []Contact
	for _, e := range entries {
		if e.Handle == "" {
			continue
		}
		c := Contact{Kind: e.Kind, Name: e.Name, Position: e.Position, Department: e.DepartmentName, Handle: e.Handle}
		if e.Kind == "department" {
			deps = append(deps, c)
		} else {
			people = append(people, c)
		}
	}
	return append(deps, people...), nil
}

// HasExitPIN reports whether a staff PIN is set.
func (s *Service) HasExitPIN(ctx context.Context) (bool, error) {
	h, err := s.setting(ctx, SettingExitPIN)
	return h != "", err
}

// CheckExit reports whether secret lets staff leave kiosk mode: the PIN, or while no PIN is
// set, the password of an active administrator. Wrong answers are audited and, after
// MaxExitFailures in a row, refused for ExitLockout (*WaitError).
func (s *Service) CheckExit(ctx context.Context, secret string) error {
	now := s.now()
	s.mu.Lock()
	if now.Before(s.exitTo) {
		until := s.exitTo
		s.mu.Unlock()
		return &WaitError{Until: until}
	}
	s.mu.Unlock()
	ok, err := s.exitSecretMatches(ctx, secret)
	if err != nil {
		return err
	}
	action := "kiosk.exit"
	if !ok {
		action = "kiosk.exit_refused"
	}
	if err := s.cfg.Store.InTx(ctx, func(tx app.Tx) error {
		return tx.AppendAudit(ctx, &app.AuditEntry{Actor: "kiosk", Action: action})
	}); err != nil {
		return err
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	if ok {
		s.exitN = 0
		return nil
	}
	s.exitN++
	if s.exitN >= MaxExitFailures {
		s.exitN = 0
		s.exitTo = now.Add(ExitLockout)
		return &WaitError{Until: s.exitTo}
	}
	return ErrWrongPIN
}

func (s *Service) exitSecretMatches(ctx context.Context, secret string) (bool, error) {
	h, err := s.setting(ctx, SettingExitPIN)
	if err != nil {
		return false, err
	}
	if h != "" {
		return bcrypt.CompareHashAndPassword([]byte(h), []byte(secret)) == nil, nil
	}
	staff, err := s.cfg.Store.ListStaff(ctx)
	if err != nil {
		return false, err
	}
	admins := 0
	for _, st := range staff {
		if st.Role != app.RoleAdmin || !st.Active {
			continue
		}
		admins++
		if bcrypt.CompareHashAndPassword([]byte(st.PasswordHash), []byte(secret)) == nil {
			return true, nil
		}
	}
	if admins == 0 {
		return false, ErrNoExitSecret
	}
	return false, nil
}

// SetExitPIN sets the staff PIN that leaves kiosk mode: 4 to 12 digits. Only a signed-in
// administrator (a session with desk.PermSettings) may set it.
func (s *Service) SetExitPIN(ctx context.Context, sess *desk.Session, pin string) error {
	if sess == nil || sess.Kind() != desk.SessionStaff || !sess.Can(desk.PermSettings) ||
		(s.cfg.Desk != nil && s.cfg.Desk.Locked(sess)) {
		return fmt.Errorf("set the kiosk PIN: %w", app.ErrForbidden)
	}
	if len(pin) < 4 || len(pin) > 12 || strings.IndexFunc(pin, func(r rune) bool { return !unicode.IsDigit(r) || r > '9' }) >= 0 {
		return app.Invalid("pin", "the PIN has 4 to 12 digits")
	}
	h, err := bcrypt.GenerateFromPassword([]byte(pin), s.cfg.BcryptCost)
	if err != nil {
		return fmt.Errorf("hash the kiosk PIN: %w", err)
	}
	return s.cfg.Store.InTx(ctx, func(tx app.Tx) error {
		if err := tx.PutSetting(ctx, SettingExitPIN, string(h)); err != nil {
			return err
		}
		return tx.AppendAudit(ctx, &app.AuditEntry{Actor: sess.Staff().ID, Action: "kiosk.set_pin"})
	})
}

// OwnerHandle is the town hall's account name on the network ("" until the first sync).
func (s *Service) OwnerHandle(ctx context.Context) string {
	h, _ := s.setting(ctx, SettingOwnerHandle)
	return h
}
