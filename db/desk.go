package db

import (
	"context"
	"database/sql"
	"fmt"
	"strings"
	"time"

	"ventanilla/app"
	"ventanilla/app/desk"
	"ventanilla/db/internal/sqlcgen"
)

// The desk's reads and writes (desk.Store, desk.Tx).
var (
	_ desk.Store = (*Store)(nil)
	_ desk.Tx    = (*txStore)(nil)
)

// opt is a NULL for an unset optional query argument.
func opt[T ~string](v T) any {
	if v == "" {
		return nil
	}
	return string(v)
}

type inboxArgs struct {
	onlyKind, councillorID, kind, status, openOnly, departmentID, assigneeID, verified, overdueAt, unread, fts any
	numberLike                                                                                                 sql.NullString
}

func inboxArgsFor(q desk.InboxQuery) inboxArgs {
	a := inboxArgs{
		onlyKind: opt(q.OnlyKind), councillorID: opt(q.CouncillorID), kind: opt(q.Kind), status: opt(q.Status),
		departmentID: opt(q.DepartmentID), assigneeID: opt(q.AssigneeID),
	}
	if q.AssigneeID == desk.Unassigned {
		a.assigneeID = ""
	}
	if q.OpenOnly {
		a.openOnly = int64(1)
	}
	switch q.Verified {
	case desk.Yes:
		a.verified = int64(1)
	case desk.No:
		a.verified = int64(0)
	}
	if q.Overdue {
		a.overdueAt = formatTime(q.Now)
	}
	if q.UnreadOnly {
		a.unread = int64(1)
	}
	if s := strings.TrimSpace(q.Search); s != "" {
		if fq := FTSQuery(s); fq != "" {
			a.fts = fq
		} else {
			a.fts = `""` // matches nothing; the LIKE below still can
		}
		like := strings.NewReplacer(`\`, ``, `%`, ``, `_`, ``).Replace(strings.TrimPrefix(s, "@"))
		a.numberLike = sql.NullString{String: "%" + like + "%", Valid: true}
	}
	return a
}

// ListInbox returns one page of the cases q selects, newest first.
func (r queries) ListInbox(ctx context.Context, q desk.InboxQuery, limit, offset int) ([]desk.InboxRow, error) {
	a := inboxArgsFor(q)
	rows, err := r.q.ListInbox(ctx, sqlcgen.ListInboxParams{
		OnlyKind: a.onlyKind, CouncillorID: a.councillorID, Kind: a.kind, Status: a.status, OpenOnly: a.openOnly,
		DepartmentID: a.departmentID, AssigneeID: a.assigneeID, Verified: a.verified, OverdueAt: a.overdueAt,
		Unread: a.unread, Fts: a.fts, NumberLike: a.numberLike, Lim: int64(limit), Off: int64(offset),
	})
	if err != nil {
		return nil, fmt.Errorf("list inbox: %w", err)
	}
	out := make([]desk.InboxRow, len(rows))
	for i, row := range rows {
		out[i] = desk.InboxRow{
			CaseID: row.ID, Number: row.RegistryNumber, Kind: app.CaseKind(row.Kind), Status: app.CaseStatus(row.Status),
			Priority: app.Priority(row.Priority), Title: row.Title, Excerpt: excerpt(row.Body, 140), Unread: row.Unread == 1,
			OpenedAt: parseTime(row.OpenedAt), DueAt: fromNullTime(row.DueAt), Channel: app.Channel(row.Channel),
			DepartmentID: row.DepartmentID, DepartmentName: row.DepartmentName, AssigneeID: row.AssigneeID,
			AssigneeName: row.AssigneeName, ResidentName: row.ResidentName, Handle: row.Handle,
			Level: app.Level(row.Level), IdentityFlag: row.IdentityFlagged == 1,
		}
	}
	return out, nil
}

func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// CountInbox counts the cases q selects.
func (r queries) CountInbox(ctx context.Context, q desk.InboxQuery) (int, error) {
	a := inboxArgsFor(q)
	n, err := r.q.CountInbox(ctx, sqlcgen.CountInboxParams{
		OnlyKind: a.onlyKind, CouncillorID: a.councillorID, Kind: a.kind, Status: a.status, OpenOnly: a.openOnly,
		DepartmentID: a.departmentID, AssigneeID: a.assigneeID, Verified: a.verified, OverdueAt: a.overdueAt,
		Unread: a.unread, Fts: a.fts, NumberLike: a.numberLike,
	})
	if err != nil {
		return 0, fmt.Errorf("count inbox: %w", err)
	}
	return int(n), nil
}

// InboxFacets counts, within scope, the cases per kind and status.
func (r queries) InboxFacets(ctx context.Context, scope desk.Scope, now time.Time) ([]desk.Facet, error) {
	rows, err := r.q.InboxFacets(ctx, sqlcgen.InboxFacetsParams{OnlyKind: opt(scope.OnlyKind), CouncillorID: opt(scope.CouncillorID), Now: sql.NullString{String: formatTime(now), Valid: true}})
	if err != nil {
		return nil, fmt.Errorf("count inbox facets: %w", err)
	}
	out := make([]desk.Facet, len(rows))
	for i, row := range rows {
		out[i] = desk.Facet{Kind: app.CaseKind(row.Kind), Status: app.CaseStatus(row.Status), N: int(row.N),
			Unread: int(row.Unread), Overdue: int(row.Overdue), Unassigned: int(row.Unassigned)}
	}
	return out, nil
}

// CountStaff counts staff accounts, active or not.
func (r queries) CountStaff(ctx context.Context) (int, error) {
	n, err := r.q.CountStaff(ctx)
	if err != nil {
		return 0, fmt.Errorf("count staff: %w", err)
	}
	return int(n), nil
}

// CaseAddressee is the staff member a case is addressed to through the directory.
func (r queries) CaseAddressee(ctx context.Context, caseID string) (string, error) {
	id, err := r.q.CaseAddressee(ctx, caseID)
	if err != nil {
		return "", notFound(err, "addressee of case "+caseID)
	}
	return id, nil
}

// ListInboundForCase lists the messages of a case in the order they were posted.
func (r queries) ListInboundForCase(ctx context.Context, caseID string) ([]app.InboundMessage, error) {
	rows, err := r.q.ListInboundForCase(ctx, nullStr(caseID))
	if err != nil {
		return nil, fmt.Errorf("list messages of case %s: %w", caseID, err)
	}
	out := make([]app.InboundMessage, len(rows))
	for i, row := range rows {
		out[i] = messageFromRow(row)
	}
	return out, nil
}

// ListCasesForResident lists a resident's newest cases.
func (r queries) ListCasesForResident(ctx context.Context, residentID string) ([]app.Case, error) {
	rows, err := r.q.ListCasesForResident(ctx, nullStr(residentID))
	if err != nil {
		return nil, fmt.Errorf("list cases of resident %s: %w", residentID, err)
	}
	return casesFromRows(rows), nil
}

// ListTemplates lists the reply templates of a language.
func (r queries) ListTemplates(ctx context.Context, lang string) ([]desk.Template, error) {
	rows, err := r.q.ListTemplates(ctx, lang)
	if err != nil {
		return nil, fmt.Errorf("list %s templates: %w", lang, err)
	}
	out := make([]desk.Template, len(rows))
	for i, row := range rows {
		out[i] = desk.Template{ID: row.ID, Key: row.Key, Lang: row.Lang, Body: row.Body}
	}
	return out, nil
}

// ListDirectory lists the directory's entries by kind and name.
func (r queries) ListDirectory(ctx context.Context) ([]desk.DirectoryEntry, error) {
	rows, err := r.q.ListDirectoryEntries(ctx)
	if err != nil {
		return nil, fmt.Errorf("list directory: %w", err)
	}
	out := make([]desk.DirectoryEntry, len(rows))
	for i, row := range rows {
		out[i] = desk.DirectoryEntry{ID: row.ID, Kind: row.Kind, Name: row.Name, Position: row.Position,
			DepartmentID: row.DepartmentID.String, DepartmentName: row.DepartmentName, StaffID: row.StaffID.String,
			Network: row.Network, Handle: row.Handle, UserID: row.UserID, Official: row.Official == 1}
	}
	return out, nil
}

// UpdateStaff writes a staff account's name, role, department, active flag and hash.
func (t *txStore) UpdateStaff(ctx context.Context, s *app.Staff) error {
	s.UpdatedAt = t.clock()
	err := t.q.UpdateStaffAccount(ctx, sqlcgen.UpdateStaffAccountParams{
		FullName: s.FullName, Role: string(s.Role), PasswordHash: s.PasswordHash, DepartmentID: nullStr(s.DepartmentID),
		Active: b2i(s.Active), UpdatedAt: formatTime(s.UpdatedAt), ID: s.ID,
	})
	if err != nil {
		return fmt.Errorf("update staff %s: %w", s.Username, err)
	}
	return nil
}

// PutTemplate creates or replaces the template of a key and language.
func (t *txStore) PutTemplate(ctx context.Context, tp *desk.Template) error {
	if tp.ID == "" {
		tp.ID = app.NewID()
	}
	err := t.q.UpsertTemplate(ctx, sqlcgen.UpsertTemplateParams{ID: tp.ID, Key: tp.Key, Lang: tp.Lang, Body: tp.Body, Now: t.now()})
	if err != nil {
		return fmt.Errorf("save template %s/%s: %w", tp.Key, tp.Lang, err)
	}
	return nil
}

// CreateDirectoryEntry adds an entry to the directory.
func (t *txStore) CreateDirectoryEntry(ctx context.Context, e *desk.DirectoryEntry) error {
	if e.ID == "" {
		e.ID = app.NewID()
	}
	if e.Network == "" {
		e.Network = "x"
	}
	err := t.q.InsertDirectoryEntry(ctx, sqlcgen.InsertDirectoryEntryParams{
		ID: e.ID, Kind: e.Kind, Name: e.Name, Position: e.Position, DepartmentID: nullStr(e.DepartmentID),
		StaffID: nullStr(e.StaffID), Network: e.Network, Handle: e.Handle, UserID: e.UserID, Official: b2i(e.Official), Now: t.now(),
	})
	if err != nil {
		return fmt.Errorf("add directory entry %s: %w", e.Name, err)
	}
	return nil
}
