package db

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"time"

	"ventanilla/app"
	"ventanilla/db/internal/sqlcgen"
)

// txStore implements app.Tx inside one writer transaction.
type txStore struct {
	queries
	clock app.Clock
	// newCases and newMessages say the transaction inserted rows the full-text indexes do not
	// have yet; indexPending adds them before the commit.
	newCases, newMessages bool
	// seqs holds the registry numbers handed out in this transaction, per year: the counter
	// row is incremented in the database for the first and written once, before the commit,
	// for the rest (one statement per case less). Only this transaction can change it.
	seqs map[int]*txSeq
	// idents holds identities PrefetchIdentities read, by network and user id, as they are in
	// the database: cleared when the transaction updates or deletes an identity (a new one
	// cannot change them).
	idents map[string]app.Identity
}

type txSeq struct{ stored, last int64 }

// beforeCommit writes what the transaction kept in memory (registry counters) and indexes
// the new rows for search.
func (t *txStore) beforeCommit(ctx context.Context) error {
	for year, c := range t.seqs {
		if c.last == c.stored {
			continue
		}
		if err := t.q.SetRegistrySeq(ctx, sqlcgen.SetRegistrySeqParams{LastSeq: c.last, Now: t.now(), Year: int64(year)}); err != nil {
			return fmt.Errorf("save registry counter for %d: %w", year, err)
		}
		c.stored = c.last
	}
	return t.indexPending(ctx)
}

// indexPending adds the rows this transaction inserted to the full-text indexes, with one
// statement per index: FTS5 then writes one segment per transaction instead of one per row.
func (t *txStore) indexPending(ctx context.Context) error {
	if t.newCases {
		if err := t.settleNewCases(ctx); err != nil {
			return err
		}
	}
	if t.newMessages {
		if err := t.q.IndexPendingMessages(ctx); err != nil {
			return fmt.Errorf("index new messages for search: %w", err)
		}
		if err := t.q.MarkMessagesIndexed(ctx); err != nil {
			return fmt.Errorf("index new messages for search: %w", err)
		}
	}
	t.newCases, t.newMessages = false, false
	return nil
}

// settleNewCases does for the cases this transaction inserted what a trigger on every insert
// would (0011): counts them in the inbox's counters, records those that break the inbox's
// opening-time order, and indexes for search those whose text is not their first message's.
// They are the cases above the 'cases' watermark, counted in the state they commit with.
func (t *txStore) settleNewCases(ctx context.Context) error {
	if err := t.q.CountPendingCases(ctx); err != nil {
		return fmt.Errorf("count new cases: %w", err)
	}
	if err := t.q.OrderPendingCases(ctx); err != nil {
		return fmt.Errorf("check new cases' order: %w", err)
	}
	if err := t.q.IndexPendingCases(ctx); err != nil {
		return fmt.Errorf("index new cases for search: %w", err)
	}
	if err := t.q.MarkCasesIndexed(ctx); err != nil {
		return fmt.Errorf("index new cases for search: %w", err)
	}
	return nil
}

func (t *txStore) now() string { return formatTime(t.clock()) }

// NextRegistryNumber increments the year's counter; the counter row is only ever incremented,
// so a committed number is never handed out again.
func (t *txStore) NextRegistryNumber(ctx context.Context, year int) (app.RegistryNumber, error) {
	if c := t.seqs[year]; c != nil {
		if c.last >= app.MaxRegistrySeq {
			return app.RegistryNumber{}, fmt.Errorf("allocate registry number for %d: the year's %d numbers are used up", year, app.MaxRegistrySeq)
		}
		c.last++
		return app.RegistryNumber{Year: year, Seq: int(c.last)}, nil
	}
	seq, err := t.q.NextRegistrySeq(ctx, sqlcgen.NextRegistrySeqParams{Year: int64(year), Now: t.now()})
	if err != nil {
		if strings.Contains(err.Error(), "CHECK constraint failed") {
			return app.RegistryNumber{}, fmt.Errorf("allocate registry number for %d: the year's %d numbers are used up", year, app.MaxRegistrySeq)
		}
		return app.RegistryNumber{}, fmt.Errorf("allocate registry number for %d: %w", year, err)
	}
	if t.seqs == nil {
		t.seqs = map[int]*txSeq{}
	}
	t.seqs[year] = &txSeq{stored: seq, last: seq}
	return app.RegistryNumber{Year: year, Seq: int(seq)}, nil
}

func (t *txStore) CreateCase(ctx context.Context, c *app.Case) error {
	if !c.Kind.Valid() {
		return app.Invalid("kind", "unknown case kind %q", c.Kind)
	}
	now := t.clock()
	if c.ID == "" {
		c.ID = app.NewID()
	}
	if c.OpenedAt.IsZero() {
		c.OpenedAt = now
	}
	if c.Status == "" {
		c.Status = app.StatusReceived
	}
	if c.Priority == "" {
		c.Priority = app.PriorityNormal
	}
	if c.Network == "" {
		c.Network = "x"
	}
	n, err := t.NextRegistryNumber(ctx, app.RegistryYear(c.OpenedAt))
	if err != nil {
		return err
	}
	c.Number = n
	c.Version = 1
	c.CreatedAt, c.UpdatedAt = now, now
	err = t.q.InsertCase(ctx, sqlcgen.InsertCaseParams{
		ID: c.ID, RegistryNumber: n.String(), Kind: string(c.Kind), Status: string(c.Status),
		Priority: string(c.Priority), DepartmentID: nullStr(c.DepartmentID), AssigneeID: nullStr(c.AssigneeID),
		DirectoryEntryID: nullStr(c.DirectoryEntryID), ProcedureTypeID: nullStr(c.ProcedureTypeID),
		ResidentID: nullStr(c.ResidentID), IdentityID: nullStr(c.IdentityID), Channel: string(c.Channel),
		Network: c.Network, ConversationID: c.ConversationID, Title: c.Title, Body: c.Body,
		FlagUnverified: b2i(c.FlagUnverified), FlagPersonalData: b2i(c.FlagPersonalData), Unread: b2i(c.Unread),
		OpenedAt: formatTime(c.OpenedAt), DueAt: nullTime(c.DueAt), FirstAnswerAt: nullTime(c.FirstAnswerAt),
		ClosedAt: nullTime(c.ClosedAt), MergedInto: nullStr(c.MergedInto),
		CreatedAt: formatTime(now), UpdatedAt: formatTime(now), TextInMessage: b2i(c.TextInMessage),
	})
	if err != nil {
		return fmt.Errorf("create case %s: %w", n, err)
	}
	t.newCases = true
	return nil
}

func (t *txStore) UpdateCase(ctx context.Context, c *app.Case) error {
	now := t.clock()
	n, err := t.q.UpdateCase(ctx, sqlcgen.UpdateCaseParams{
		Kind: string(c.Kind), Status: string(c.Status), Priority: string(c.Priority),
		DepartmentID: nullStr(c.DepartmentID), AssigneeID: nullStr(c.AssigneeID),
		DirectoryEntryID: nullStr(c.DirectoryEntryID), ProcedureTypeID: nullStr(c.ProcedureTypeID),
		ResidentID: nullStr(c.ResidentID), IdentityID: nullStr(c.IdentityID), Title: c.Title, Body: c.Body,
		FlagUnverified: b2i(c.FlagUnverified), FlagPersonalData: b2i(c.FlagPersonalData), Unread: b2i(c.Unread),
		DueAt: nullTime(c.DueAt), FirstAnswerAt: nullTime(c.FirstAnswerAt), ClosedAt: nullTime(c.ClosedAt),
		MergedInto: nullStr(c.MergedInto), UpdatedAt: formatTime(now), ID: c.ID, Version: int64(c.Version),
	})
	if err != nil {
		return fmt.Errorf("update case %s: %w", c.Number, err)
	}
	if n == 0 {
		if _, err := t.GetCase(ctx, c.ID); err != nil {
			return err
		}
		return fmt.Errorf("update case %s: changed by someone else since version %d: %w", c.Number, c.Version, app.ErrConflict)
	}
	c.Version++
	c.UpdatedAt = now
	return nil
}

func (t *txStore) AddCaseEvent(ctx context.Context, e *app.CaseEvent) error {
	if e.ID == "" {
		e.ID = app.NewID()
	}
	if e.CreatedAt.IsZero() {
		e.CreatedAt = t.clock()
	}
	err := t.q.InsertCaseEvent(ctx, sqlcgen.InsertCaseEventParams{
		ID: e.ID, CaseID: e.CaseID, Kind: string(e.Kind), ActorStaffID: nullStr(e.ActorStaffID),
		InboundMessageID: nullStr(e.InboundMessageID), OutboxID: nullStr(e.OutboxID), Body: e.Body,
		OldValue: e.OldValue, NewValue: e.NewValue, CreatedAt: formatTime(e.CreatedAt),
	})
	if err != nil {
		return fmt.Errorf("add %s event to case %s: %w", e.Kind, e.CaseID, err)
	}
	return nil
}

func (t *txStore) InsertInboundMessage(ctx context.Context, m *app.InboundMessage) (bool, error) {
	if m.ID == "" {
		m.ID = app.NewID()
	}
	if m.Network == "" {
		m.Network = "x"
	}
	now := t.clock()
	m.CreatedAt = now
	if m.Disposition == "" {
		m.Disposition = app.DispositionIgnored
	}
	n, err := t.q.InsertInboundMessage(ctx, sqlcgen.InsertInboundMessageParams{
		ID: m.ID, Network: m.Network, MessageID: m.MessageID, Channel: string(m.Channel),
		AuthorUserID: m.AuthorUserID, AuthorHandle: m.AuthorHandle, AuthorName: m.AuthorName, Text: m.Text,
		ConversationID: m.ConversationID, InReplyToID: m.InReplyToID, PostedAt: formatTime(m.PostedAt),
		Raw: m.Raw, CaseID: nullStr(m.CaseID), IdentityID: nullStr(m.IdentityID), Disposition: string(m.Disposition),
		CreatedAt: formatTime(now), UpdatedAt: formatTime(now),
	})
	if err != nil {
		return false, fmt.Errorf("store message %s: %w", m.MessageID, err)
	}
	if n == 1 {
		t.newMessages = true
	}
	return n == 1, nil
}

// KnownInboundMessages returns which of the network's message ids are already stored.
func (t *txStore) KnownInboundMessages(ctx context.Context, network string, ids []string) (map[string]bool, error) {
	if network == "" {
		network = "x"
	}
	if len(ids) == 0 {
		return map[string]bool{}, nil
	}
	js, err := json.Marshal(ids)
	if err != nil {
		return nil, err
	}
	rows, err := t.q.KnownInboundMessages(ctx, sqlcgen.KnownInboundMessagesParams{Network: network, Ids: string(js)})
	if err != nil {
		return nil, fmt.Errorf("look up %d messages: %w", len(ids), err)
	}
	known := make(map[string]bool, len(rows))
	for _, id := range rows {
		known[id] = true
	}
	return known, nil
}

func (t *txStore) EnqueueOutbox(ctx context.Context, o *app.OutboxItem) error {
	if strings.TrimSpace(o.Text) == "" {
		return app.Invalid("text", "an outgoing message cannot be empty")
	}
	if o.ID == "" {
		o.ID = app.NewID()
	}
	if o.Network == "" {
		o.Network = "x"
	}
	if o.Status == "" {
		o.Status = app.OutboxPending
	}
	now := t.clock()
	o.CreatedAt, o.UpdatedAt = now, now
	res, err := t.q.InsertOutbox(ctx, sqlcgen.InsertOutboxParams{
		ID: o.ID, CaseID: nullStr(o.CaseID), PublicationID: nullStr(o.PublicationID), Kind: string(o.Kind),
		Network: o.Network, InReplyToID: o.InReplyToID, RecipientUserID: o.RecipientUserID, Text: o.Text,
		Status: string(o.Status), NetworkID: o.NetworkID, Attempts: int64(o.Attempts), LastError: o.LastError,
		NotBefore: nullTime(o.NotBefore), SentAt: nullTime(o.SentAt), CreatedBy: nullStr(o.CreatedBy),
		CreatedAt: formatTime(now), UpdatedAt: formatTime(now),
	})
	if err != nil {
		return fmt.Errorf("queue %s for case %s: %w", o.Kind, o.CaseID, err)
	}
	// seq is the rowid: no RETURNING, which costs an ephemeral table per statement.
	if o.Seq, err = res.LastInsertId(); err != nil {
		return fmt.Errorf("queue %s for case %s: %w", o.Kind, o.CaseID, err)
	}
	return nil
}

func (t *txStore) UpdateOutbox(ctx context.Context, o *app.OutboxItem) error {
	o.UpdatedAt = t.clock()
	err := t.q.UpdateOutbox(ctx, sqlcgen.UpdateOutboxParams{
		Status: string(o.Status), NetworkID: o.NetworkID, Attempts: int64(o.Attempts), LastError: o.LastError,
		NotBefore: nullTime(o.NotBefore), SentAt: nullTime(o.SentAt), Text: o.Text,
		UpdatedAt: formatTime(o.UpdatedAt), ID: o.ID,
	})
	if err != nil {
		return fmt.Errorf("update outbox item %s: %w", o.ID, err)
	}
	return nil
}

func (t *txStore) CreateResident(ctx context.Context, r *app.Resident, createdBy string) error {
	if strings.TrimSpace(r.FullName) == "" {
		return app.Invalid("name", "the resident's name is empty")
	}
	doc, err := app.NormalizeDocument(r.Document)
	if err != nil {
		return err
	}
	r.Document = doc
	if r.ID == "" {
		r.ID = app.NewID()
	}
	now := t.clock()
	r.CreatedAt, r.UpdatedAt = now, now
	err = t.q.InsertResident(ctx, sqlcgen.InsertResidentParams{
		ID: r.ID, FullName: strings.TrimSpace(r.FullName), Document: nullStr(doc), Phone: r.Phone, Email: r.Email,
		Address: r.Address, Notes: r.Notes, CreatedBy: nullStr(createdBy), CreatedAt: formatTime(now), UpdatedAt: formatTime(now),
	})
	if isUnique(err) {
		return fmt.Errorf("create resident: document %s already belongs to another resident: %w", app.MaskDocument(doc), app.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create resident: %w", err)
	}
	return nil
}

func (t *txStore) UpdateResident(ctx context.Context, r *app.Resident) error {
	doc, err := app.NormalizeDocument(r.Document)
	if err != nil {
		return err
	}
	r.Document = doc
	r.UpdatedAt = t.clock()
	n, err := t.q.UpdateResident(ctx, sqlcgen.UpdateResidentParams{
		FullName: r.FullName, Document: nullStr(doc), Phone: r.Phone, Email: r.Email, Address: r.Address,
		Notes: r.Notes, UpdatedAt: formatTime(r.UpdatedAt), ID: r.ID,
	})
	if isUnique(err) {
		return fmt.Errorf("update resident: document %s already belongs to another resident: %w", app.MaskDocument(doc), app.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("update resident %s: %w", r.ID, err)
	}
	if n == 0 {
		return fmt.Errorf("update resident %s: %w", r.ID, app.ErrNotFound)
	}
	return nil
}

func identityParams(i *app.Identity) sqlcgen.InsertIdentityParams {
	return sqlcgen.InsertIdentityParams{
		ID: i.ID, Network: i.Network, UserID: nullStr(i.UserID), Handle: strings.TrimPrefix(i.Handle, "@"),
		DisplayName: i.DisplayName, ResidentID: nullStr(i.ResidentID), Level: string(i.Level),
		VerifiedAt: nullTime(i.VerifiedAt), VerifiedBy: nullStr(i.VerifiedBy), VerifiedMethod: i.VerifiedMethod,
		VerifiedMessageID: i.VerifiedMessageID, FlagHandleChanged: b2i(i.HandleChanged),
		FlagTakeover: b2i(i.Takeover), FlagLookalike: b2i(i.Lookalike),
	}
}

func (t *txStore) CreateIdentity(ctx context.Context, i *app.Identity) error {
	if i.ID == "" {
		i.ID = app.NewID()
	}
	if i.Network == "" {
		i.Network = "x"
	}
	if i.Level == "" {
		i.Level = app.LevelUnknown
	}
	now := t.clock()
	i.CreatedAt, i.UpdatedAt = now, now
	p := identityParams(i)
	p.CreatedAt, p.UpdatedAt = formatTime(now), formatTime(now)
	err := t.q.InsertIdentity(ctx, p)
	if isUnique(err) {
		return fmt.Errorf("create identity for user %s: already registered: %w", i.UserID, app.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create identity @%s: %w", i.Handle, err)
	}
	return nil
}

// PrefetchIdentities implements app.Tx.
func (t *txStore) PrefetchIdentities(ctx context.Context, network string, userIDs []string) error {
	if len(userIDs) == 0 {
		return nil
	}
	js, err := json.Marshal(userIDs)
	if err != nil {
		return err
	}
	rows, err := t.q.ListIdentitiesByUserIDs(ctx, sqlcgen.ListIdentitiesByUserIDsParams{Network: network, UserIds: string(js)})
	if err != nil {
		return fmt.Errorf("read the identities of %d authors: %w", len(userIDs), err)
	}
	if t.idents == nil {
		t.idents = make(map[string]app.Identity, len(rows))
	}
	for _, r := range rows {
		t.idents[network+"\x00"+r.UserID.String] = identityFromRow(r)
	}
	return nil
}

// GetIdentityByUserID answers from what PrefetchIdentities read, or reads the identity.
func (t *txStore) GetIdentityByUserID(ctx context.Context, network, userID string) (app.Identity, error) {
	if i, ok := t.idents[network+"\x00"+userID]; ok {
		return i, nil
	}
	return t.queries.GetIdentityByUserID(ctx, network, userID)
}

func (t *txStore) UpdateIdentity(ctx context.Context, i *app.Identity) error {
	t.idents = nil
	i.UpdatedAt = t.clock()
	p := identityParams(i)
	err := t.q.UpdateIdentity(ctx, sqlcgen.UpdateIdentityParams{
		UserID: p.UserID, Handle: p.Handle, DisplayName: p.DisplayName, ResidentID: p.ResidentID, Level: p.Level,
		VerifiedAt: p.VerifiedAt, VerifiedBy: p.VerifiedBy, VerifiedMethod: p.VerifiedMethod,
		VerifiedMessageID: p.VerifiedMessageID, FlagHandleChanged: p.FlagHandleChanged, FlagTakeover: p.FlagTakeover,
		FlagLookalike: p.FlagLookalike, UpdatedAt: formatTime(i.UpdatedAt), ID: i.ID,
	})
	if isUnique(err) {
		return fmt.Errorf("update identity @%s: user %s is registered on another identity: %w", i.Handle, i.UserID, app.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("update identity @%s: %w", i.Handle, err)
	}
	return nil
}

func (t *txStore) AddHandleChange(ctx context.Context, identityID, handle string, seenAt time.Time) error {
	err := t.q.InsertHandleHistory(ctx, sqlcgen.InsertHandleHistoryParams{
		ID: app.NewID(), IdentityID: identityID, Handle: strings.TrimPrefix(handle, "@"), SeenAt: formatTime(seenAt), CreatedAt: t.now(),
	})
	if err != nil {
		return fmt.Errorf("record handle @%s: %w", handle, err)
	}
	return nil
}

func (t *txStore) SetCursor(ctx context.Context, c app.Cursor) error {
	err := t.q.UpsertCursor(ctx, sqlcgen.UpsertCursorParams{
		Stream: c.Stream, SinceID: c.SinceID, LastSuccessAt: nullTime(c.LastSuccessAt), LastError: c.LastError, Now: t.now(),
	})
	if err != nil {
		return fmt.Errorf("save cursor %s: %w", c.Stream, err)
	}
	return nil
}

func (t *txStore) CountAPICalls(ctx context.Context, day, endpoint string, n int64) error {
	if err := t.q.CountAPICalls(ctx, sqlcgen.CountAPICallsParams{Day: day, Endpoint: endpoint, Calls: n}); err != nil {
		return fmt.Errorf("count API call %s: %w", endpoint, err)
	}
	return nil
}

func (t *txStore) CreateStaff(ctx context.Context, s *app.Staff) error {
	if s.ID == "" {
		s.ID = app.NewID()
	}
	now := t.clock()
	s.CreatedAt, s.UpdatedAt = now, now
	err := t.q.InsertStaff(ctx, sqlcgen.InsertStaffParams{
		ID: s.ID, Username: s.Username, FullName: s.FullName, Role: string(s.Role), PasswordHash: s.PasswordHash,
		DepartmentID: nullStr(s.DepartmentID), Active: b2i(s.Active), CreatedAt: formatTime(now), UpdatedAt: formatTime(now),
	})
	if isUnique(err) {
		return fmt.Errorf("create staff %s: username taken: %w", s.Username, app.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create staff %s: %w", s.Username, err)
	}
	return nil
}

func (t *txStore) CreateDepartment(ctx context.Context, d *app.Department) error {
	if d.ID == "" {
		d.ID = app.NewID()
	}
	now := t.clock()
	d.CreatedAt, d.UpdatedAt = now, now
	err := t.q.InsertDepartment(ctx, sqlcgen.InsertDepartmentParams{ID: d.ID, Code: d.Code, Name: d.Name, CreatedAt: formatTime(now), UpdatedAt: formatTime(now)})
	if isUnique(err) {
		return fmt.Errorf("create department %s: code taken: %w", d.Code, app.ErrConflict)
	}
	if err != nil {
		return fmt.Errorf("create department %s: %w", d.Code, err)
	}
	return nil
}

func (t *txStore) PutSetting(ctx context.Context, key, value string) error {
	if err := t.q.PutSetting(ctx, sqlcgen.PutSettingParams{Key: key, Value: value, Now: t.now()}); err != nil {
		return fmt.Errorf("save setting %s: %w", key, err)
	}
	return nil
}

// AppendAudit chains e to the last entry. It runs on the single writer connection, so two
// appends cannot read the same previous hash.
func (t *txStore) AppendAudit(ctx context.Context, e *app.AuditEntry) error {
	prev := app.AuditGenesis
	last, err := t.q.LastAuditEntry(ctx)
	switch {
	case err == nil:
		prev = last.Hash
	case !errors.Is(err, errNoRows):
		return fmt.Errorf("append audit %s: %w", e.Action, err)
	}
	if e.ID == "" {
		e.ID = app.NewID()
	}
	if e.At.IsZero() {
		e.At = t.clock()
	}
	e.At = e.At.UTC()
	e.PrevHash = prev
	e.Hash = app.AuditHash(prev, *e)
	err = t.q.InsertAuditEntry(ctx, sqlcgen.InsertAuditEntryParams{
		ID: e.ID, At: e.At.Format(time.RFC3339Nano), Actor: e.Actor, Action: e.Action, Target: e.Target,
		Details: e.Details, PrevHash: e.PrevHash, Hash: e.Hash,
	})
	if err != nil {
		return fmt.Errorf("append audit %s: %w", e.Action, err)
	}
	return nil
}

var errNoRows = sql.ErrNoRows
