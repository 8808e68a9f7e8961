// Package desk holds the services behind the staff desk: staff accounts and sign-in (bcrypt
// hashes, first-run admin, sessions with a role, auto-lock), the permission checks for each role
// (enforced here, not only hidden in the UI), the inbox (filtered, counted, searched and paged
// from the store), the case detail with its timeline, and the staff actions on a case. Every
// action writes its rows, its outbox row where it sends something, and its audit entry in one
// transaction. The ui package calls it; the db package implements Store.
package desk

import (
	"context"
	"fmt"
	"sync"
	"time"

	"golang.org/x/crypto/bcrypt"

	"ventanilla/app"
)

// Store is the persistence the desk needs beyond app.Store.
type Store interface {
	app.Reader
	SettingsReader
	InTx(ctx context.Context, fn func(tx app.Tx) error) error

	// ListInbox returns one page of the cases q selects, newest first.
	ListInbox(ctx context.Context, q InboxQuery, limit, offset int) ([]InboxRow, error)
	// CountInbox counts the cases q selects.
	CountInbox(ctx context.Context, q InboxQuery) (int, error)
	// InboxFacets counts, within scope, the cases per kind and status.
	InboxFacets(ctx context.Context, scope Scope, now time.Time) ([]Facet, error)
	CountStaff(ctx context.Context) (int, error)
	// CaseAddressee is the staff member a message case is addressed to through the
	// directory, "" if none.
	CaseAddressee(ctx context.Context, caseID string) (string, error)
	ListInboundForCase(ctx context.Context, caseID string) ([]app.InboundMessage, error)
	ListCasesForResident(ctx context.Context, residentID string) ([]app.Case, error)
	ListTemplates(ctx context.Context, lang string) ([]Template, error)
	ListDirectoryEntries(ctx context.Context) ([]DirectoryEntry, error)
}

// Tx is the transaction the desk writes in: app.Tx plus the desk's own writes.
type Tx interface {
	app.Tx
	SettingsReader
	SettingsWriter
	UpdateStaff(ctx context.Context, s *app.Staff) error
	PutTemplate(ctx context.Context, t *Template) error
	CreateDirectoryEntry(ctx context.Context, e *DirectoryEntry) error
	// ListInboundForCase lists the messages filed under a case (the conflict check reads the
	// timeline again inside the action's transaction).
	ListInboundForCase(ctx context.Context, caseID string) ([]app.InboundMessage, error)
}

// Template is a canned answer staff start a reply from.
type Template = app.Template

// DirectoryEntry is an official account in the town hall's directory.
type DirectoryEntry = app.DirectoryEntry

// Service is the desk's entry point. It is safe for concurrent use.
type Service struct {
	store        Store
	clock        app.Clock
	cost         int
	personalData func(text string) []string
	onConfig     func() // after intake's configuration changed; see WithOnConfigChanged

	mu       sync.Mutex
	sessions map[string]*Session
	failures map[string]failureCount
}

type failureCount struct {
	n     int
	until time.Time
}

// Option changes a Service.
type Option func(*Service)

// WithClock sets the clock for sessions, lock-outs and timestamps.
func WithClock(c app.Clock) Option { return func(s *Service) { s.clock = c } }

// WithBcryptCost sets the password hash cost (tests use bcrypt.MinCost to stay fast).
func WithBcryptCost(cost int) Option { return func(s *Service) { s.cost = cost } }

// WithPersonalDataCheck sets the detector of personal data in outgoing text. It returns what
// it found (kinds such as "dni", "phone"); public replies that contain any are refused unless
// staff confirm them. By default privacy.Detect decides.
func WithPersonalDataCheck(f func(text string) []string) Option {
	return func(s *Service) { s.personalData = f }
}

// New returns the desk service on store.
func New(store Store, opts ...Option) *Service {
	s := &Service{
		store:        store,
		clock:        app.SystemClock,
		cost:         12,
		personalData: detectPersonalData,
		sessions:     map[string]*Session{},
		failures:     map[string]failureCount{},
	}
	for _, o := range opts {
		o(s)
	}
	if s.cost < bcrypt.MinCost {
		s.cost = bcrypt.MinCost
	}
	return s
}

// inTx runs fn in a desk transaction.
func (s *Service) inTx(ctx context.Context, fn func(tx Tx) error) error {
	return s.store.InTx(ctx, func(tx app.Tx) error {
		dt, ok := tx.(Tx)
		if !ok {
			return fmt.Errorf("desk: the store's transaction (%T) lacks the desk's writes", tx)
		}
		return fn(dt)
	})
}

// audit appends one entry for the session's staff member.
func audit(ctx context.Context, tx app.Tx, actor, action, target, details string) error {
	return tx.AppendAudit(ctx, &app.AuditEntry{Actor: actor, Action: action, Target: target, Details: details})
}
