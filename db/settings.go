package db

import (
	"context"
	"fmt"
	"strings"

	"ventanilla/app"
	"ventanilla/app/desk"
	"ventanilla/db/internal/sqlcgen"
)

// The administrator's settings writes (desk.SettingsWriter); the reads are intake's.

// DeleteHoliday removes the non-working day of that date and scope.
func (t *txStore) DeleteHoliday(ctx context.Context, day, scope string) error {
	n, err := t.q.DeleteHoliday(ctx, sqlcgen.DeleteHolidayParams{Day: day, Scope: scope})
	if err != nil {
		return fmt.Errorf("delete holiday %s (%s): %w", day, scope, err)
	}
	if n == 0 {
		return fmt.Errorf("delete holiday %s (%s): %w", day, scope, app.ErrNotFound)
	}
	return nil
}

// UpdateProcedureType rewrites an entry of the procedure catalogue.
func (t *txStore) UpdateProcedureType(ctx context.Context, p *app.ProcedureType) error {
	n, err := t.q.UpdateProcedureType(ctx, sqlcgen.UpdateProcedureTypeParams{
		Code: p.Code, NameEs: p.NameES, NameEn: p.NameEN, Keywords: strings.Join(p.Keywords, ","),
		DepartmentID: nullStr(p.DepartmentID), DeadlineValue: int64(p.DeadlineValue), DeadlineUnit: p.DeadlineUnit,
		Now: t.now(), ID: p.ID,
	})
	if isUnique(err) {
		return fmt.Errorf("update procedure %s: code taken: %w", p.Code, app.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("update procedure %s: %w", p.Code, err)
	}
	if n == 0 {
		return fmt.Errorf("update procedure %s: %w", p.ID, app.ErrNotFound)
	}
	return nil
}

// UpdateDirectoryEntry rewrites a directory entry.
func (t *txStore) UpdateDirectoryEntry(ctx context.Context, e *desk.DirectoryEntry) error {
	err := t.q.UpdateDirectoryEntry(ctx, sqlcgen.UpdateDirectoryEntryParams{
		Kind: e.Kind, Name: e.Name, Position: e.Position, DepartmentID: nullStr(e.DepartmentID), StaffID: nullStr(e.StaffID),
		Handle: e.Handle, UserID: e.UserID, Official: b2i(e.Official), Now: t.now(), ID: e.ID,
	})
	if err != nil {
		return fmt.Errorf("update directory entry %s: %w", e.Name, err)
	}
	return nil
}

// DeleteDirectoryEntry removes a directory entry; cases addressed to it keep their text and
// lose the link.
func (t *txStore) DeleteDirectoryEntry(ctx context.Context, id string) error {
	n, err := t.q.DeleteDirectoryEntry(ctx, id)
	if err != nil {
		return fmt.Errorf("delete directory entry %s: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("delete directory entry %s: %w", id, app.ErrNotFound)
	}
	return nil
}
