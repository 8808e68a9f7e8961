package kiosk

import (
	"context"
	"time"

	"ventanilla/app"
)

// PlenarySession is a session of the municipal plenary as the lobby may see it.
type PlenarySession struct {
	ID          string
	Title       string
	ScheduledAt time.Time
	Status      string // planned, published, held
}

// AgendaItem is one point of a session's agenda. Title is written by staff when they put the
// point on the agenda; a point that came from a resident's proposal names its case's number,
// never the resident.
type AgendaItem struct {
	Position       int
	Title          string
	RegistryNumber string // "" for points not born of a case
	CaseKind       app.CaseKind
	CaseStatus     app.CaseStatus
}

// FromResident reports whether the point is a resident's proposal.
func (a AgendaItem) FromResident() bool { return a.CaseKind == app.KindProposal }

// Store is what the kiosk reads besides app.Reader.
type Store interface {
	app.Reader
	InTx(ctx context.Context, fn func(tx app.Tx) error) error
	// NextPlenarySession is the first session not yet held scheduled at or after from
	// (app.ErrNotFound if none).
	NextPlenarySession(ctx context.Context, from time.Time) (PlenarySession, error)
	ListAgendaItems(ctx context.Context, sessionID string) ([]AgendaItem, error)
	// CountAdmittedProposals counts the residents' proposals admitted or on an agenda.
	CountAdmittedProposals(ctx context.Context) (int, error)
	ListDirectoryEntries(ctx context.Context) ([]app.DirectoryEntry, error)
}

// PlenaryTx schedules sessions; the demo and training seeds use it.
type PlenaryTx interface {
	app.Tx
	CreatePlenarySession(ctx context.Context, s *PlenarySession) error
	// CreateAgendaItem adds a point; caseID may be "".
	CreateAgendaItem(ctx context.Context, sessionID string, position int, title, caseID string) error
}
