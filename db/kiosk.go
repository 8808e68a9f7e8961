package db

import (
	"context"
	"fmt"
	"time"

	"ventanilla/app"
	"ventanilla/app/kiosk"
	"ventanilla/db/internal/sqlcgen"
)

// The kiosk's reads and the plenary writes (kiosk.Store, kiosk.PlenaryTx).
var (
	_ kiosk.Store     = (*Store)(nil)
	_ kiosk.PlenaryTx = (*txStore)(nil)
)

// NextPlenarySession is the first session not yet held scheduled at or after from.
func (r queries) NextPlenarySession(ctx context.Context, from time.Time) (kiosk.PlenarySession, error) {
	row, err := r.q.NextPlenarySession(ctx, formatTime(from))
	if err != nil {
		return kiosk.PlenarySession{}, notFound(err, "next plenary session")
	}
	return kiosk.PlenarySession{ID: row.ID, Title: row.Title, ScheduledAt: parseTime(row.ScheduledAt), Status: row.Status}, nil
}

// ListAgendaItems lists a session's points in order, with the number of the case each came from.
func (r queries) ListAgendaItems(ctx context.Context, sessionID string) ([]kiosk.AgendaItem, error) {
	rows, err := r.q.ListAgendaItems(ctx, sessionID)
	if err != nil {
		return nil, fmt.Errorf("list agenda of session %s: %w", sessionID, err)
	}
	out := make([]kiosk.AgendaItem, len(rows))
	for i, row := range rows {
		out[i] = kiosk.AgendaItem{Position: int(row.Position), Title: row.Title, RegistryNumber: row.RegistryNumber,
			CaseKind: app.CaseKind(row.CaseKind), CaseStatus: app.CaseStatus(row.CaseStatus)}
	}
	return out, nil
}

// CountAdmittedProposals counts the residents' proposals admitted or on an agenda.
func (r queries) CountAdmittedProposals(ctx context.Context) (int, error) {
	n, err := r.q.CountAdmittedProposals(ctx)
	if err != nil {
		return 0, fmt.Errorf("count admitted proposals: %w", err)
	}
	return int(n), nil
}

// CreatePlenarySession schedules a session, filling s.ID when empty.
func (t *txStore) CreatePlenarySession(ctx context.Context, s *kiosk.PlenarySession) error {
	if s.ID == "" {
		s.ID = app.NewID()
	}
	if s.Status == "" {
		s.Status = "planned"
	}
	err := t.q.CreatePlenarySession(ctx, sqlcgen.CreatePlenarySessionParams{ID: s.ID, Title: s.Title,
		ScheduledAt: formatTime(s.ScheduledAt), Status: s.Status, Now: t.now()})
	if err != nil {
		return fmt.Errorf("create plenary session %q: %w", s.Title, err)
	}
	return nil
}

// CreateAgendaItem adds a point to a session; caseID may be "".
func (t *txStore) CreateAgendaItem(ctx context.Context, sessionID string, position int, title, caseID string) error {
	err := t.q.CreateAgendaItem(ctx, sqlcgen.CreateAgendaItemParams{ID: app.NewID(), SessionID: sessionID,
		Position: int64(position), Title: title, CaseID: nullStr(caseID), Now: t.now()})
	if err != nil {
		return fmt.Errorf("add agenda item %d to session %s: %w", position, sessionID, err)
	}
	return nil
}
