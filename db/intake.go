package db

import (
	"context"
	"fmt"
	"strings"

	"ventanilla/app"
	"ventanilla/db/internal/sqlcgen"
)

func splitList(s string) []string {
	var out []string
	for _, p := range strings.Split(s, ",") {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// ListIntakeRules returns the classification rules in evaluation order.
func (r queries) ListIntakeRules(ctx context.Context) ([]app.IntakeRule, error) {
	rows, err := r.q.ListIntakeRules(ctx)
	if err != nil {
		return nil, fmt.Errorf("list intake rules: %w", err)
	}
	out := make([]app.IntakeRule, len(rows))
	for i, x := range rows {
		out[i] = app.IntakeRule{
			ID: x.ID, Priority: int(x.Priority), Name: x.Name, Channel: x.Channel,
			Hashtags: splitList(x.Hashtags), Mentions: splitList(x.Mentions), Keywords: splitList(x.Keywords),
			Action: x.Action, Kind: app.CaseKind(x.Kind.String), DepartmentID: x.DepartmentID.String,
			ProcedureTypeID: x.ProcedureTypeID.String, Enabled: x.Enabled == 1,
		}
	}
	return out, nil
}

// ListProcedureTypes returns the procedure catalogue.
func (r queries) ListProcedureTypes(ctx context.Context) ([]app.ProcedureType, error) {
	rows, err := r.q.ListProcedureTypes(ctx)
	if err != nil {
		return nil, fmt.Errorf("list procedure types: %w", err)
	}
	out := make([]app.ProcedureType, len(rows))
	for i, x := range rows {
		out[i] = app.ProcedureType{ID: x.ID, Code: x.Code, NameES: x.NameEs, NameEN: x.NameEn, Keywords: splitList(x.Keywords),
			DepartmentID: x.DepartmentID.String, DeadlineValue: int(x.DeadlineValue), DeadlineUnit: x.DeadlineUnit}
	}
	return out, nil
}

// ListHolidays returns the calendar's non-working days.
func (r queries) ListHolidays(ctx context.Context) ([]app.Holiday, error) {
	rows, err := r.q.ListHolidays(ctx)
	if err != nil {
		return nil, fmt.Errorf("list holidays: %w", err)
	}
	out := make([]app.Holiday, len(rows))
	for i, x := range rows {
		out[i] = app.Holiday{Day: x.Day, Name: x.Name, Scope: x.Scope}
	}
	return out, nil
}

// ListDirectoryEntries returns the directory of official accounts.
func (r queries) ListDirectoryEntries(ctx context.Context) ([]app.DirectoryEntry, error) {
	rows, err := r.q.ListDirectoryEntries(ctx)
	if err != nil {
		return nil, fmt.Errorf("list directory: %w", err)
	}
	out := make([]app.DirectoryEntry, len(rows))
	for i, x := range rows {
		out[i] = app.DirectoryEntry{ID: x.ID, Kind: x.Kind, Name: x.Name, Position: x.Position, DepartmentID: x.DepartmentID.String,
			DepartmentName: x.DepartmentName, StaffID: x.StaffID.String, Network: x.Network, Handle: x.Handle, UserID: x.UserID,
			Official: x.Official == 1, CreatedAt: parseTime(x.CreatedAt), UpdatedAt: parseTime(x.UpdatedAt)}
	}
	return out, nil
}

// TemplatesByKey returns every template of a language, keyed by template key.
func (r queries) TemplatesByKey(ctx context.Context, lang string) (map[string]string, error) {
	rows, err := r.q.ListTemplates(ctx, lang)
	if err != nil {
		return nil, fmt.Errorf("list %s templates: %w", lang, err)
	}
	out := make(map[string]string, len(rows))
	for _, x := range rows {
		out[x.Key] = x.Body
	}
	return out, nil
}

// ReplaceIntakeRules replaces every rule with rules.
func (t *txStore) ReplaceIntakeRules(ctx context.Context, rules []app.IntakeRule) error {
	if err := t.q.DeleteIntakeRules(ctx); err != nil {
		return fmt.Errorf("replace intake rules: %w", err)
	}
	for _, r := range rules {
		if r.ID == "" {
			r.ID = app.NewID()
		}
		var kind string
		if r.Kind != "" {
			kind = string(r.Kind)
		}
		err := t.q.InsertIntakeRule(ctx, sqlcgen.InsertIntakeRuleParams{
			ID: r.ID, Priority: int64(r.Priority), Name: r.Name, Channel: r.Channel,
			Hashtags: strings.Join(r.Hashtags, ","), Mentions: strings.Join(r.Mentions, ","), Keywords: strings.Join(r.Keywords, ","),
			Action: r.Action, Kind: nullStr(kind), DepartmentID: nullStr(r.DepartmentID), ProcedureTypeID: nullStr(r.ProcedureTypeID),
			Enabled: b2i(r.Enabled), Now: t.now(),
		})
		if err != nil {
			return fmt.Errorf("save intake rule %q: %w", r.Name, err)
		}
	}
	return nil
}

// CreateProcedureType adds an entry to the procedure catalogue.
func (t *txStore) CreateProcedureType(ctx context.Context, p *app.ProcedureType) error {
	if p.ID == "" {
		p.ID = app.NewID()
	}
	if p.DeadlineUnit == "" {
		p.DeadlineUnit = "working_days"
	}
	err := t.q.InsertProcedureType(ctx, sqlcgen.InsertProcedureTypeParams{
		ID: p.ID, Code: p.Code, NameEs: p.NameES, NameEn: p.NameEN, Keywords: strings.Join(p.Keywords, ","),
		DepartmentID: nullStr(p.DepartmentID), DeadlineValue: int64(p.DeadlineValue), DeadlineUnit: p.DeadlineUnit, Now: t.now(),
	})
	if isUnique(err) {
		return fmt.Errorf("create procedure %s: code taken: %w", p.Code, app.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create procedure %s: %w", p.Code, err)
	}
	return nil
}

// AddHoliday adds a non-working day; an existing day of the same scope is left as it is.
func (t *txStore) AddHoliday(ctx context.Context, h app.Holiday) error {
	if err := t.q.InsertHoliday(ctx, sqlcgen.InsertHolidayParams{ID: app.NewID(), Day: h.Day, Name: h.Name, Scope: h.Scope, Now: t.now()}); err != nil {
		return fmt.Errorf("add holiday %s: %w", h.Day, err)
	}
	return nil
}
