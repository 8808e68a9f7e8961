package db

import (
	"context"
	"database/sql"
	"fmt"
	"strconv"
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
	onlyKind, councillorID, kind, status, openOnly, departmentID, assigneeID, verified, overdueAt, unread any
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
	return a
}

// searchHitLimit caps how many hits the first step of a search reads from each source. Below
// it the search is exact from the hits alone; above it the page comes from the hits when they
// prove it exact (pageFromHits), and otherwise walks the cases newest first.
var searchHitLimit = 1000

// searchHits is the first step of an inbox search: the newest cases each source finds.
type searchHits struct {
	// The FTS5 queries of cases_fts and messages_fts (ftsMatches); `""` (matches nothing) when
	// the input has no words.
	fts  ftsMatch
	like string // the LIKE pattern for registry numbers, residents' names and handles
	// rids are the cases found, as a JSON array for json_each.
	rids string
	// Every case with rid >= caseFloor that matches cases_fts is in rids, and so is every
	// case with a matching message of rid >= messageFloor; 0 when the index was read to the end.
	caseFloor, messageFloor int64
	complete                bool // no source was cut off: rids is every matching case
	// likeCut: a source that is not ordered by rid (registry numbers, names, handles) was cut
	// off, so only the walk is exact.
	likeCut bool
	// outOfOrder are the cases listed in inbox_order_exceptions that the search matches (read
	// only when a source was cut off); they are in rids too.
	outOfOrder map[int64]bool
}

// registryChars are the characters of a registry number (app.RegistryNumber.String,
// "E-2026-000123"); a search with any other character cannot be part of one.
const registryChars = "Ee0123456789-"

// searchMatch is the full-text match of a search for each index; `""` (matches nothing) when
// the input has no words.
func (r queries) searchMatch(ctx context.Context, search string) (ftsMatch, error) {
	m, err := r.ftsMatches(ctx, search)
	if err != nil {
		return m, fmt.Errorf("search for %q: %w", search, err)
	}
	if m.cases == "" {
		m.cases = `""`
	}
	if m.messages == "" {
		m.messages = `""`
	}
	return m, nil
}

// findSearchHits reads the newest hits of every source of a search, up to limit each (a
// negative limit reads them all). fts is searchMatch(search).
func (r queries) findSearchHits(ctx context.Context, search string, fts ftsMatch, limit int) (searchHits, error) {
	h := searchHits{fts: fts, complete: true}
	h.like = "%" + strings.NewReplacer(`\`, ``, `%`, ``, `_`, ``).Replace(strings.TrimPrefix(search, "@")) + "%"
	lim := int64(limit)
	full := func(n int) bool { return limit >= 0 && n >= limit }
	seen := map[int64]bool{}
	var rids []int64
	add := func(ids ...int64) {
		for _, id := range ids {
			if !seen[id] {
				seen[id] = true
				rids = append(rids, id)
			}
		}
	}
	if h.fts.cases != `""` {
		cases, err := r.q.InboxCaseHits(ctx, sqlcgen.InboxCaseHitsParams{Fts: h.fts.cases, Lim: lim})
		if err != nil {
			return h, fmt.Errorf("search cases for %q: %w", search, err)
		}
		add(cases...)
		if full(len(cases)) {
			h.complete, h.caseFloor = false, cases[len(cases)-1]
		}
	}
	if h.fts.messages != `""` {
		msgs, err := r.q.InboxMessageHits(ctx, sqlcgen.InboxMessageHitsParams{Fts: h.fts.messages, Lim: lim})
		if err != nil {
			return h, fmt.Errorf("search messages for %q: %w", search, err)
		}
		for _, m := range msgs {
			add(m.CaseRid)
		}
		if full(len(msgs)) {
			h.complete, h.messageFloor = false, msgs[len(msgs)-1].Rid
		}
	}
	if strings.Trim(strings.Trim(h.like, "%"), registryChars) == "" {
		nums, err := r.q.InboxNumberHits(ctx, sqlcgen.InboxNumberHitsParams{Like: h.like, Lim: lim})
		if err != nil {
			return h, fmt.Errorf("search registry numbers for %q: %w", search, err)
		}
		add(nums...)
		h.likeCut = full(len(nums))
	}
	residents, err := r.q.InboxResidentHits(ctx, sqlcgen.InboxResidentHitsParams{Like: h.like, Lim: lim})
	if err != nil {
		return h, fmt.Errorf("search residents for %q: %w", search, err)
	}
	add(residents...)
	identities, err := r.q.InboxIdentityHits(ctx, sqlcgen.InboxIdentityHitsParams{Like: h.like, Lim: lim})
	if err != nil {
		return h, fmt.Errorf("search handles for %q: %w", search, err)
	}
	add(identities...)
	h.likeCut = h.likeCut || full(len(residents)) || full(len(identities))
	h.complete = h.complete && !h.likeCut
	if !h.complete && !h.likeCut {
		// The cases out of rid order are few: check them all, so that every other case's
		// place in the inbox follows from its rid (see ListInbox).
		out, err := r.q.InboxExceptionHits(ctx, sqlcgen.InboxExceptionHitsParams{
			Fts: h.fts.cases, MessageFts: h.fts.messages, Like: h.like})
		if err != nil {
			return h, fmt.Errorf("search cases out of order for %q: %w", search, err)
		}
		h.outOfOrder = make(map[int64]bool, len(out))
		for _, id := range out {
			h.outOfOrder[id] = true
		}
		add(out...)
	}
	b := []byte{'['}
	for i, id := range rids {
		if i > 0 {
			b = append(b, ',')
		}
		b = strconv.AppendInt(b, id, 10)
	}
	h.rids = string(append(b, ']'))
	return h, nil
}

// ListInbox returns one page of the cases q selects, newest first.
func (r queries) ListInbox(ctx context.Context, q desk.InboxQuery, limit, offset int) ([]desk.InboxRow, error) {
	a := inboxArgsFor(q)
	search := strings.TrimSpace(q.Search)
	var rows []sqlcgen.ListInboxRow
	var err error
	switch {
	case search == "":
		rows, err = r.q.ListInbox(ctx, sqlcgen.ListInboxParams{
			OnlyKind: a.onlyKind, CouncillorID: a.councillorID, Kind: a.kind, Status: a.status, OpenOnly: a.openOnly,
			DepartmentID: a.departmentID, AssigneeID: a.assigneeID, Verified: a.verified, OverdueAt: a.overdueAt,
			Unread: a.unread, Lim: int64(limit), Off: int64(offset),
		})
	default:
		rows, err = r.searchPage(ctx, search, a, limit, offset)
	}
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

// searchPage reads a page of a search. It first fetches the hits for a cap a few times the
// rows it needs (most first pages are decided by them), then up to searchHitLimit, and walks the
// cases only when neither proves the page exact.
func (r queries) searchPage(ctx context.Context, search string, a inboxArgs, limit, offset int) ([]sqlcgen.ListInboxRow, error) {
	caps := []int{searchHitLimit}
	if c := max(4*(offset+limit), 64); c < searchHitLimit {
		caps = []int{c, searchHitLimit}
	}
	fts, err := r.searchMatch(ctx, search)
	if err != nil {
		return nil, err
	}
	var h searchHits
	for _, c := range caps {
		if h, err = r.findSearchHits(ctx, search, fts, c); err != nil {
			return nil, err
		}
		if h.complete {
			hits, err := r.q.ListInboxHits(ctx, sqlcgen.ListInboxHitsParams{
				Hits: h.rids, OnlyKind: a.onlyKind, CouncillorID: a.councillorID, Kind: a.kind, Status: a.status,
				OpenOnly: a.openOnly, DepartmentID: a.departmentID, AssigneeID: a.assigneeID, Verified: a.verified,
				OverdueAt: a.overdueAt, Unread: a.unread, Lim: int64(limit), Off: int64(offset),
			})
			return convertHitRows(hits), err
		}
		if !h.likeCut {
			page, exact, err := r.pageFromHits(ctx, h, a, limit, offset)
			if err != nil {
				return nil, err
			}
			if exact {
				return convertHitRows(page), nil
			}
		}
	}
	walk, err := r.q.ListInboxWalk(ctx, sqlcgen.ListInboxWalkParams{
		OnlyKind: a.onlyKind, CouncillorID: a.councillorID, Kind: a.kind, Status: a.status, OpenOnly: a.openOnly,
		DepartmentID: a.departmentID, AssigneeID: a.assigneeID, Verified: a.verified, OverdueAt: a.overdueAt,
		Unread: a.unread, Hits: h.rids, CaseFloor: h.caseFloor, Fts: h.fts.cases, MessageFloor: h.messageFloor,
		MessageFts: h.fts.messages, Like: h.like,
		Lim: int64(limit), Off: int64(offset),
	})
	return convertRows(walk), err
}

// pageFromHits reads a page of a search from the fetched hits alone when that is provably the
// page the whole register gives. It reads the first offset+limit hit cases in inbox order; let
// the last be L. Every case not in inbox_order_exceptions has an opened_at no older than any
// case inserted before it (0004), so every such case with a smaller rid than L comes after L in
// the inbox. So the page is exact when every matching case with L's rid or newer is among the
// hits: the cases out of order were all checked, L must not be one of them and must be within
// the cases' full-text hits (rid >= caseFloor), and the matching messages from the oldest
// message of the cases from L's rid on down to the messages' cut-off are fetched too (which
// can only move the last row to a newer case). Otherwise the caller fetches more or walks.
func (r queries) pageFromHits(ctx context.Context, h searchHits, a inboxArgs, limit, offset int) ([]sqlcgen.ListInboxHitsRow, bool, error) {
	n := offset + limit
	read := func(hits string) ([]sqlcgen.ListInboxHitsRow, bool, error) {
		rows, err := r.q.ListInboxHits(ctx, sqlcgen.ListInboxHitsParams{
			Hits: hits, OnlyKind: a.onlyKind, CouncillorID: a.councillorID, Kind: a.kind, Status: a.status,
			OpenOnly: a.openOnly, DepartmentID: a.departmentID, AssigneeID: a.assigneeID, Verified: a.verified,
			OverdueAt: a.overdueAt, Unread: a.unread, Lim: int64(n), Off: 0,
		})
		if err != nil || len(rows) < n || n == 0 {
			return nil, false, err
		}
		last := rows[n-1].Rid
		return rows, !h.outOfOrder[last] && (h.caseFloor == 0 || last >= h.caseFloor), nil
	}
	rows, ok, err := read(h.rids)
	if err != nil || !ok {
		return nil, false, err
	}
	if h.messageFloor > 0 {
		// Every message of the cases from L's rid on is at least first; the matching ones
		// below the cut-off are fetched too.
		first, err := r.q.InboxFirstMessageFrom(ctx, rows[n-1].Rid)
		if err != nil {
			return nil, false, err
		}
		if first > 0 && first < h.messageFloor {
			const most = 2000
			more, err := r.q.InboxMessageHitsBetween(ctx, sqlcgen.InboxMessageHitsBetweenParams{
				Fts: h.fts.messages, Lo: first, Hi: h.messageFloor, Lim: most})
			if err != nil || len(more) == most {
				return nil, false, err
			}
			if len(more) > 0 {
				b := []byte(strings.TrimSuffix(h.rids, "]"))
				for _, id := range more {
					if len(b) > 1 {
						b = append(b, ',')
					}
					b = strconv.AppendInt(b, id, 10)
				}
				if rows, ok, err = read(string(append(b, ']'))); err != nil || !ok {
					return nil, false, err
				}
			}
		}
	}
	return rows[offset:], true, nil
}

// convertHitRows turns the rows of ListInboxHits into ListInbox's.
func convertHitRows(rows []sqlcgen.ListInboxHitsRow) []sqlcgen.ListInboxRow {
	out := make([]sqlcgen.ListInboxRow, len(rows))
	for i, row := range rows {
		out[i] = sqlcgen.ListInboxRow{
			ID: row.ID, RegistryNumber: row.RegistryNumber, Kind: row.Kind, Status: row.Status, Priority: row.Priority,
			Title: row.Title, Body: row.Body, Unread: row.Unread, OpenedAt: row.OpenedAt, DueAt: row.DueAt,
			Channel: row.Channel, DepartmentID: row.DepartmentID, AssigneeID: row.AssigneeID,
			ResidentName: row.ResidentName, Handle: row.Handle, Level: row.Level, DepartmentName: row.DepartmentName,
			AssigneeName: row.AssigneeName, IdentityFlagged: row.IdentityFlagged,
		}
	}
	return out
}

// convertRows turns the rows of ListInboxWalk, which have ListInbox's
// columns, into ListInbox's.
func convertRows[T sqlcgen.ListInboxWalkRow](rows []T) []sqlcgen.ListInboxRow {
	out := make([]sqlcgen.ListInboxRow, len(rows))
	for i, row := range rows {
		out[i] = sqlcgen.ListInboxRow(row)
	}
	return out
}

func excerpt(s string, n int) string {
	s = strings.Join(strings.Fields(s), " ")
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}

// CountInbox counts the cases q selects. A search counts from every hit of every source (the
// walk the pages use would check old cases one by one).
func (r queries) CountInbox(ctx context.Context, q desk.InboxQuery) (int, error) {
	a := inboxArgsFor(q)
	search := strings.TrimSpace(q.Search)
	var n int64
	var err error
	if f := q.Filter; search == "" && q.CouncillorID == "" && f == (desk.Filter{Kind: f.Kind, Status: f.Status, OpenOnly: f.OpenOnly}) {
		// Kind, status and open only: from the counters.
		facets, err := r.InboxFacets(ctx, q.Scope, q.Now)
		if err != nil {
			return 0, err
		}
		total := 0
		for _, x := range facets {
			if (f.Kind == "" || x.Kind == f.Kind) && (f.Status == "" || x.Status == f.Status) && !(f.OpenOnly && x.Status.Closed()) {
				total += x.N
			}
		}
		return total, nil
	}
	if search == "" {
		n, err = r.q.CountInbox(ctx, sqlcgen.CountInboxParams{
			OnlyKind: a.onlyKind, CouncillorID: a.councillorID, Kind: a.kind, Status: a.status, OpenOnly: a.openOnly,
			DepartmentID: a.departmentID, AssigneeID: a.assigneeID, Verified: a.verified, OverdueAt: a.overdueAt,
			Unread: a.unread,
		})
	} else {
		var h searchHits
		var fts ftsMatch
		if fts, err = r.searchMatch(ctx, search); err != nil {
			return 0, err
		}
		if h, err = r.findSearchHits(ctx, search, fts, -1); err != nil {
			return 0, err
		}
		n, err = r.q.CountInboxHits(ctx, sqlcgen.CountInboxHitsParams{
			Hits: h.rids, OnlyKind: a.onlyKind, CouncillorID: a.councillorID, Kind: a.kind, Status: a.status,
			OpenOnly: a.openOnly, DepartmentID: a.departmentID, AssigneeID: a.assigneeID, Verified: a.verified,
			OverdueAt: a.overdueAt, Unread: a.unread,
		})
	}
	if err != nil {
		return 0, fmt.Errorf("count inbox: %w", err)
	}
	return int(n), nil
}

// InboxFacets counts, within scope, the cases per kind and status: from the counters the
// triggers keep (migration 0003), overdue from the open cases' due dates, and a councillor's
// own message cases live.
func (r queries) InboxFacets(ctx context.Context, scope desk.Scope, now time.Time) ([]desk.Facet, error) {
	at := formatTime(now)
	counted, err := r.q.InboxFacets(ctx, sqlcgen.InboxFacetsParams{OnlyKind: opt(scope.OnlyKind), CouncillorID: opt(scope.CouncillorID)})
	if err != nil {
		return nil, fmt.Errorf("count inbox facets: %w", err)
	}
	type key struct{ kind, status string }
	byKey := map[key]int{}
	var out []desk.Facet
	facet := func(kind, status string) *desk.Facet {
		k := key{kind, status}
		i, ok := byKey[k]
		if !ok {
			i = len(out)
			byKey[k] = i
			out = append(out, desk.Facet{Kind: app.CaseKind(kind), Status: app.CaseStatus(status)})
		}
		return &out[i]
	}
	for _, row := range counted {
		f := facet(row.Kind, row.Status)
		f.N, f.Unread, f.Unassigned = int(row.N), int(row.Unread), int(row.Unassigned)
	}
	overdue, err := r.q.InboxOverdueFacets(ctx, sqlcgen.InboxOverdueFacetsParams{
		Now: sql.NullString{String: at, Valid: true}, OnlyKind: opt(scope.OnlyKind), CouncillorID: opt(scope.CouncillorID)})
	if err != nil {
		return nil, fmt.Errorf("count overdue cases: %w", err)
	}
	for _, row := range overdue {
		facet(row.Kind, row.Status).Overdue = int(row.N)
	}
	if scope.CouncillorID != "" && (scope.OnlyKind == "" || scope.OnlyKind == app.KindMessage) {
		own, err := r.q.CouncillorMessageFacets(ctx, sqlcgen.CouncillorMessageFacetsParams{
			Now: sql.NullString{String: at, Valid: true}, CouncillorID: sql.NullString{String: scope.CouncillorID, Valid: true}})
		if err != nil {
			return nil, fmt.Errorf("count a councillor's messages: %w", err)
		}
		for _, row := range own {
			f := facet(row.Kind, row.Status)
			f.N, f.Unread, f.Overdue, f.Unassigned = f.N+int(row.N), f.Unread+int(row.Unread), f.Overdue+int(row.Overdue), f.Unassigned+int(row.Unassigned)
		}
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
