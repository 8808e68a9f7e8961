package db

import (
	"context"
	"database/sql"
	"fmt"
	"sort"
	"strings"

	"ventanilla/app"
	"ventanilla/db/internal/sqlcgen"
)

// queries implements app.Reader on either the read pool or a transaction.
type queries struct {
	q  *sqlcgen.Queries
	db sqlcgen.DBTX
}

func (r queries) GetCase(ctx context.Context, id string) (app.Case, error) {
	row, err := r.q.GetCase(ctx, id)
	if err != nil {
		return app.Case{}, notFound(err, "get case "+id)
	}
	return caseFromRow(row), nil
}

func (r queries) GetCaseByNumber(ctx context.Context, n app.RegistryNumber) (app.Case, error) {
	row, err := r.q.GetCaseByNumber(ctx, n.String())
	if err != nil {
		return app.Case{}, notFound(err, "get case "+n.String())
	}
	return caseFromRow(row), nil
}

func (r queries) FindOpenCaseByConversation(ctx context.Context, network, conversationID string) (app.Case, error) {
	row, err := r.q.FindOpenCaseByConversation(ctx, sqlcgen.FindOpenCaseByConversationParams{Network: network, ConversationID: conversationID})
	if err != nil {
		return app.Case{}, notFound(err, "find open case in conversation "+conversationID)
	}
	return caseFromRow(row), nil
}

func (r queries) FindCaseByMessage(ctx context.Context, network, messageID string) (app.Case, error) {
	row, err := r.q.FindCaseByInboundMessage(ctx, sqlcgen.FindCaseByInboundMessageParams{Network: network, MessageID: messageID})
	if err == nil {
		return caseFromRow(row), nil
	}
	if err != sql.ErrNoRows {
		return app.Case{}, fmt.Errorf("find case of message %s: %w", messageID, err)
	}
	row, err = r.q.FindCaseBySentMessage(ctx, sqlcgen.FindCaseBySentMessageParams{Network: network, NetworkID: messageID})
	if err != nil {
		return app.Case{}, notFound(err, "find case of message "+messageID)
	}
	return caseFromRow(row), nil
}

func (r queries) ListCaseEvents(ctx context.Context, caseID string) ([]app.CaseEvent, error) {
	rows, err := r.q.ListCaseEvents(ctx, caseID)
	if err != nil {
		return nil, fmt.Errorf("list events of case %s: %w", caseID, err)
	}
	out := make([]app.CaseEvent, len(rows))
	for i, row := range rows {
		out[i] = eventFromRow(row)
	}
	return out, nil
}

// FTSQuery turns what a person typed into an FTS5 query: every word must appear (as a prefix
// for the last one, so results follow typing), punctuation and FTS syntax are neutralised.
func FTSQuery(input string) string {
	words := ftsWords(input)
	if len(words) == 0 {
		return ""
	}
	parts := make([]string, len(words))
	for i, w := range words {
		parts[i] = `"` + w + `"`
		if i == len(words)-1 {
			parts[i] += "*"
		}
	}
	return strings.Join(parts, " ")
}

// SearchCases finds cases whose title, body or any inbound message matches query, newest first
// (the last word a prefix, expanded per index as the inbox's search does: ftsMatches).
func (r queries) SearchCases(ctx context.Context, query string, limit int) ([]app.Case, error) {
	fq, err := r.ftsMatches(ctx, query)
	if err != nil {
		return nil, fmt.Errorf("search cases for %q: %w", query, err)
	}
	if fq.cases == "" {
		return nil, nil
	}
	byCase, err := r.q.SearchCases(ctx, sqlcgen.SearchCasesParams{Query: fq.cases, Lim: int64(limit)})
	if err != nil {
		return nil, fmt.Errorf("search cases for %q: %w", query, err)
	}
	msgs, err := r.q.SearchMessages(ctx, sqlcgen.SearchMessagesParams{Query: fq.messages, Lim: int64(limit)})
	if err != nil {
		return nil, fmt.Errorf("search messages for %q: %w", query, err)
	}
	seen := make(map[string]bool, len(byCase))
	rows := byCase
	for _, c := range byCase {
		seen[c.ID] = true
	}
	for _, m := range msgs {
		if !m.CaseID.Valid || seen[m.CaseID.String] {
			continue
		}
		c, err := r.q.GetCase(ctx, m.CaseID.String)
		if err != nil {
			return nil, fmt.Errorf("search: case %s of message: %w", m.CaseID.String, err)
		}
		seen[c.ID] = true
		rows = append(rows, c)
	}
	sort.Slice(rows, func(i, j int) bool { return rows[i].Rid > rows[j].Rid })
	if len(rows) > limit {
		rows = rows[:limit]
	}
	return casesFromRows(rows), nil
}

func (r queries) GetInboundMessage(ctx context.Context, network, messageID string) (app.InboundMessage, error) {
	row, err := r.q.GetInboundMessageByNetworkID(ctx, sqlcgen.GetInboundMessageByNetworkIDParams{Network: network, MessageID: messageID})
	if err != nil {
		return app.InboundMessage{}, notFound(err, "get inbound message "+messageID)
	}
	return messageFromRow(row), nil
}

func (r queries) GetOutboxItem(ctx context.Context, id string) (app.OutboxItem, error) {
	row, err := r.q.GetOutbox(ctx, id)
	if err != nil {
		return app.OutboxItem{}, notFound(err, "get outbox item "+id)
	}
	return outboxFromRow(row), nil
}

func (r queries) ListOutbox(ctx context.Context, status app.OutboxStatus, limit int) ([]app.OutboxItem, error) {
	rows, err := r.q.ListOutboxByStatus(ctx, sqlcgen.ListOutboxByStatusParams{Status: string(status), Lim: int64(limit)})
	if err != nil {
		return nil, fmt.Errorf("list %s outbox: %w", status, err)
	}
	return outboxFromRows(rows), nil
}

func (r queries) ListOutboxForCase(ctx context.Context, caseID string) ([]app.OutboxItem, error) {
	rows, err := r.q.ListOutboxForCase(ctx, nullStr(caseID))
	if err != nil {
		return nil, fmt.Errorf("list outbox of case %s: %w", caseID, err)
	}
	return outboxFromRows(rows), nil
}

func (r queries) GetResident(ctx context.Context, id string) (app.Resident, error) {
	x, err := r.q.GetResident(ctx, id)
	if err != nil {
		return app.Resident{}, notFound(err, "get resident "+id)
	}
	return residentFrom(x.ID, x.FullName, x.Document, x.Phone, x.Email, x.Address, x.Notes, x.CreatedAt, x.UpdatedAt, x.InCensus), nil
}

func (r queries) GetResidentByDocument(ctx context.Context, document string) (app.Resident, error) {
	x, err := r.q.GetResidentByDocument(ctx, nullStr(document))
	if err != nil {
		return app.Resident{}, notFound(err, "get resident by document")
	}
	return residentFrom(x.ID, x.FullName, x.Document, x.Phone, x.Email, x.Address, x.Notes, x.CreatedAt, x.UpdatedAt, x.InCensus), nil
}

func (r queries) SearchResidents(ctx context.Context, query string, limit, offset int) ([]app.Resident, error) {
	rows, err := r.q.SearchResidents(ctx, sqlcgen.SearchResidentsParams{Q: strings.TrimSpace(query), Lim: int64(limit), Off: int64(offset)})
	if err != nil {
		return nil, fmt.Errorf("search residents: %w", err)
	}
	out := make([]app.Resident, len(rows))
	for i, x := range rows {
		out[i] = residentFrom(x.ID, x.FullName, x.Document, x.Phone, x.Email, x.Address, x.Notes, x.CreatedAt, x.UpdatedAt, x.InCensus)
	}
	return out, nil
}

func (r queries) GetIdentity(ctx context.Context, id string) (app.Identity, error) {
	row, err := r.q.GetIdentity(ctx, id)
	if err != nil {
		return app.Identity{}, notFound(err, "get identity "+id)
	}
	return identityFromRow(row), nil
}

func (r queries) GetIdentityByUserID(ctx context.Context, network, userID string) (app.Identity, error) {
	row, err := r.q.GetIdentityByUserID(ctx, sqlcgen.GetIdentityByUserIDParams{Network: network, UserID: nullStr(userID)})
	if err != nil {
		return app.Identity{}, notFound(err, "get identity of user "+userID)
	}
	return identityFromRow(row), nil
}

func (r queries) ListIdentitiesByHandle(ctx context.Context, network, handle string) ([]app.Identity, error) {
	rows, err := r.q.ListIdentitiesByHandle(ctx, sqlcgen.ListIdentitiesByHandleParams{Network: network, Handle: strings.TrimPrefix(handle, "@")})
	if err != nil {
		return nil, fmt.Errorf("list identities with handle %s: %w", handle, err)
	}
	out := make([]app.Identity, len(rows))
	for i, row := range rows {
		out[i] = identityFromRow(row)
	}
	return out, nil
}

func (r queries) ListIdentitiesForResident(ctx context.Context, residentID string) ([]app.Identity, error) {
	rows, err := r.q.ListIdentitiesForResident(ctx, nullStr(residentID))
	if err != nil {
		return nil, fmt.Errorf("list identities of resident %s: %w", residentID, err)
	}
	out := make([]app.Identity, len(rows))
	for i, row := range rows {
		out[i] = identityFromRow(row)
	}
	return out, nil
}

func (r queries) ListHandleHistory(ctx context.Context, identityID string) ([]app.HandleChange, error) {
	rows, err := r.q.ListHandleHistory(ctx, identityID)
	if err != nil {
		return nil, fmt.Errorf("list handle history of %s: %w", identityID, err)
	}
	out := make([]app.HandleChange, len(rows))
	for i, row := range rows {
		out[i] = app.HandleChange{Handle: row.Handle, SeenAt: parseTime(row.SeenAt)}
	}
	return out, nil
}

func (r queries) GetCursor(ctx context.Context, stream string) (app.Cursor, error) {
	row, err := r.q.GetCursor(ctx, stream)
	if err != nil {
		return app.Cursor{}, notFound(err, "get cursor "+stream)
	}
	return app.Cursor{Stream: row.Stream, SinceID: row.SinceID, LastSuccessAt: fromNullTime(row.LastSuccessAt), LastError: row.LastError}, nil
}

func (r queries) ListAPICalls(ctx context.Context, day string) (map[string]int64, error) {
	rows, err := r.q.ListAPICalls(ctx, day)
	if err != nil {
		return nil, fmt.Errorf("list API calls of %s: %w", day, err)
	}
	out := make(map[string]int64, len(rows))
	for _, row := range rows {
		out[row.Endpoint] = row.Calls
	}
	return out, nil
}

func (r queries) GetStaff(ctx context.Context, id string) (app.Staff, error) {
	row, err := r.q.GetStaff(ctx, id)
	if err != nil {
		return app.Staff{}, notFound(err, "get staff "+id)
	}
	return staffFromRow(row), nil
}

func (r queries) GetStaffByUsername(ctx context.Context, username string) (app.Staff, error) {
	row, err := r.q.GetStaffByUsername(ctx, username)
	if err != nil {
		return app.Staff{}, notFound(err, "get staff "+username)
	}
	return staffFromRow(row), nil
}

func (r queries) ListStaff(ctx context.Context) ([]app.Staff, error) {
	rows, err := r.q.ListStaff(ctx)
	if err != nil {
		return nil, fmt.Errorf("list staff: %w", err)
	}
	out := make([]app.Staff, len(rows))
	for i, row := range rows {
		out[i] = staffFromRow(row)
	}
	return out, nil
}

func (r queries) ListDepartments(ctx context.Context) ([]app.Department, error) {
	rows, err := r.q.ListDepartments(ctx)
	if err != nil {
		return nil, fmt.Errorf("list departments: %w", err)
	}
	out := make([]app.Department, len(rows))
	for i, row := range rows {
		out[i] = app.Department{ID: row.ID, Code: row.Code, Name: row.Name, CreatedAt: parseTime(row.CreatedAt), UpdatedAt: parseTime(row.UpdatedAt)}
	}
	return out, nil
}

func (r queries) GetSetting(ctx context.Context, key string) (string, error) {
	v, err := r.q.GetSetting(ctx, key)
	if err != nil {
		return "", notFound(err, "get setting "+key)
	}
	return v, nil
}

func (r queries) ListAuditEntries(ctx context.Context) ([]app.AuditEntry, error) {
	rows, err := r.q.ListAuditEntries(ctx)
	if err != nil {
		return nil, fmt.Errorf("list audit log: %w", err)
	}
	out := make([]app.AuditEntry, len(rows))
	for i, row := range rows {
		out[i] = auditFromRow(row)
	}
	return out, nil
}

// Status counts cases, messages, the outbox and residents.
func (r queries) Status(ctx context.Context) (app.StatusReport, error) {
	var rep app.StatusReport
	rep.Cases.ByKind = make(map[app.CaseKind]int64, len(app.CaseKinds))
	for _, k := range app.CaseKinds {
		rep.Cases.ByKind[k] = 0
	}
	kinds, err := r.q.CountCasesByKind(ctx)
	if err != nil {
		return rep, fmt.Errorf("status: count cases: %w", err)
	}
	for _, k := range kinds {
		rep.Cases.ByKind[app.CaseKind(k.Kind)] = k.N
		rep.Cases.Total += k.N
	}
	if rep.Messages.Total, err = r.q.CountInboundMessages(ctx); err != nil {
		return rep, fmt.Errorf("status: count messages: %w", err)
	}
	ob, err := r.q.CountOutboxByStatus(ctx)
	if err != nil {
		return rep, fmt.Errorf("status: count outbox: %w", err)
	}
	for _, o := range ob {
		switch app.OutboxStatus(o.Status) {
		case app.OutboxPending:
			rep.Outbox.Pending = o.N
		case app.OutboxSending:
			rep.Outbox.Sending = o.N
		case app.OutboxSent:
			rep.Outbox.Sent = o.N
		case app.OutboxFailed:
			rep.Outbox.Failed = o.N
		}
	}
	if rep.Residents.Total, err = r.q.CountResidents(ctx); err != nil {
		return rep, fmt.Errorf("status: count residents: %w", err)
	}
	if rep.Residents.Verified, err = r.q.CountVerifiedResidents(ctx); err != nil {
		return rep, fmt.Errorf("status: count verified residents: %w", err)
	}
	cursors, err := r.q.ListCursors(ctx)
	if err != nil {
		return rep, fmt.Errorf("status: list cursors: %w", err)
	}
	rep.Cursors = []app.CursorStatus{}
	for _, c := range cursors {
		rep.Cursors = append(rep.Cursors, app.CursorStatus{Stream: c.Stream, SinceID: c.SinceID, LastSuccessAt: fromNullTime(c.LastSuccessAt), LastError: c.LastError})
	}
	return rep, nil
}

// AuditHighWater is the highest audit sequence ever issued (SQLite's AUTOINCREMENT record), so
// that deleting the newest rows is detected too.
func (r queries) AuditHighWater(ctx context.Context) (int64, error) {
	var n int64
	err := r.db.QueryRowContext(ctx, "SELECT IFNULL((SELECT seq FROM sqlite_sequence WHERE name = 'audit_log'), 0)").Scan(&n)
	if err != nil {
		return 0, fmt.Errorf("read audit high-water mark: %w", err)
	}
	return n, nil
}
