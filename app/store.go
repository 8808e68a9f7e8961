package app

import (
	"context"
	"time"
)

// Store is the persistence the services need. Reads outside a transaction go to a read pool;
// InTx runs fn on the single writer connection and commits only if fn returns nil.
type Store interface {
	Reader
	InTx(ctx context.Context, fn func(tx Tx) error) error
}

// Reader is every read the services make. Not-found is ErrNotFound.
type Reader interface {
	GetCase(ctx context.Context, id string) (Case, error)
	GetCaseByNumber(ctx context.Context, n RegistryNumber) (Case, error)
	// FindOpenCaseByConversation returns the newest open case in a network conversation.
	FindOpenCaseByConversation(ctx context.Context, network, conversationID string) (Case, error)
	// FindCaseByMessage returns the case a network message id belongs to, whether the
	// resident sent it (inbound) or the town hall did (outbox).
	FindCaseByMessage(ctx context.Context, network, messageID string) (Case, error)
	ListCaseEvents(ctx context.Context, caseID string) ([]CaseEvent, error)
	SearchCases(ctx context.Context, query string, limit int) ([]Case, error)

	GetInboundMessage(ctx context.Context, network, messageID string) (InboundMessage, error)

	GetOutboxItem(ctx context.Context, id string) (OutboxItem, error)
	ListOutbox(ctx context.Context, status OutboxStatus, limit int) ([]OutboxItem, error)
	ListOutboxForCase(ctx context.Context, caseID string) ([]OutboxItem, error)

	GetResident(ctx context.Context, id string) (Resident, error)
	GetResidentByDocument(ctx context.Context, document string) (Resident, error)
	SearchResidents(ctx context.Context, query string, limit, offset int) ([]Resident, error)

	GetIdentity(ctx context.Context, id string) (Identity, error)
	GetIdentityByUserID(ctx context.Context, network, userID string) (Identity, error)
	ListIdentitiesByHandle(ctx context.Context, network, handle string) ([]Identity, error)
	ListIdentitiesForResident(ctx context.Context, residentID string) ([]Identity, error)
	ListHandleHistory(ctx context.Context, identityID string) ([]HandleChange, error)

	GetCursor(ctx context.Context, stream string) (Cursor, error)
	ListAPICalls(ctx context.Context, day string) (map[string]int64, error)

	GetStaff(ctx context.Context, id string) (Staff, error)
	GetStaffByUsername(ctx context.Context, username string) (Staff, error)
	ListStaff(ctx context.Context) ([]Staff, error)
	ListDepartments(ctx context.Context) ([]Department, error)
	GetSetting(ctx context.Context, key string) (string, error)

	ListAuditEntries(ctx context.Context) ([]AuditEntry, error)
	// AuditHighWater is the highest audit sequence number ever issued.
	AuditHighWater(ctx context.Context) (int64, error)
	Status(ctx context.Context) (StatusReport, error)
}

// Tx is a transaction: every read, and the writes.
type Tx interface {
	Reader
	RegistryAllocator

	// CreateCase allocates c's registry number for the year of c.OpenedAt, fills c.ID when
	// empty, and inserts it.
	CreateCase(ctx context.Context, c *Case) error
	// UpdateCase writes c if nobody changed it since c.Version was read (else ErrConflict),
	// and bumps c.Version.
	UpdateCase(ctx context.Context, c *Case) error
	AddCaseEvent(ctx context.Context, e *CaseEvent) error

	// InsertInboundMessage stores m once: it reports false, and changes nothing, when the
	// network message id is already stored.
	InsertInboundMessage(ctx context.Context, m *InboundMessage) (bool, error)
	// KnownInboundMessages returns which of a network's message ids are already stored, for a
	// page at a time (intake then stores each new one once, with what it made of it).
	KnownInboundMessages(ctx context.Context, network string, ids []string) (map[string]bool, error)
	// PrefetchIdentities reads the identities of a page's authors in one query; until the
	// transaction writes an identity, GetIdentityByUserID answers for them without reading
	// each one. It changes no result.
	PrefetchIdentities(ctx context.Context, network string, userIDs []string) error

	EnqueueOutbox(ctx context.Context, o *OutboxItem) error
	UpdateOutbox(ctx context.Context, o *OutboxItem) error

	// CreateResident refuses (ErrConflict) a document that another resident already has.
	CreateResident(ctx context.Context, r *Resident, createdBy string) error
	UpdateResident(ctx context.Context, r *Resident) error
	CreateIdentity(ctx context.Context, i *Identity) error
	UpdateIdentity(ctx context.Context, i *Identity) error
	AddHandleChange(ctx context.Context, identityID, handle string, seenAt time.Time) error

	SetCursor(ctx context.Context, c Cursor) error
	// CountAPICalls adds n calls to endpoint's count for day.
	CountAPICalls(ctx context.Context, day, endpoint string, n int64) error

	CreateStaff(ctx context.Context, s *Staff) error
	CreateDepartment(ctx context.Context, d *Department) error
	PutSetting(ctx context.Context, key, value string) error

	AppendAudit(ctx context.Context, e *AuditEntry) error
}

// HandleChange is a handle an identity was seen with, and when.
type HandleChange struct {
	Handle string
	SeenAt time.Time
}

// Cursor is a sync stream's position, saved in the transaction that stored what it produced.
type Cursor struct {
	Stream        string
	SinceID       string
	LastSuccessAt time.Time
	LastError     string
}

// AuditEntry is one line of the append-only, hash-chained audit log.
type AuditEntry struct {
	Seq      int64
	ID       string
	At       time.Time
	Actor    string // staff id, "system", or "kiosk"
	Action   string // e.g. "resident.create", "verify.start"
	Target   string
	Details  string
	PrevHash string
	Hash     string
}
