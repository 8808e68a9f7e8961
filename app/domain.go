package app

import (
	"time"
)

// CaseKind is what a resident asked for.
type CaseKind string

const (
	KindIncident  CaseKind = "incident"  // an incident for the local police or public works
	KindProposal  CaseKind = "proposal"  // an item proposed for the plenary session's agenda
	KindMessage   CaseKind = "message"   // a message to a councillor or employee
	KindProcedure CaseKind = "procedure" // an administrative procedure from the catalogue
	KindQuery     CaseKind = "query"     // anything else
)

// CaseKinds lists every kind in display order.
var CaseKinds = []CaseKind{KindIncident, KindProposal, KindMessage, KindProcedure, KindQuery}

// Valid reports whether k is a known kind.
func (k CaseKind) Valid() bool {
	for _, c := range CaseKinds {
		if c == k {
			return true
		}
	}
	return false
}

// CaseStatus is where a case stands.
type CaseStatus string

const (
	StatusReceived   CaseStatus = "received"
	StatusInProgress CaseStatus = "in_progress"
	StatusResolved   CaseStatus = "resolved"
	StatusRejected   CaseStatus = "rejected"
	StatusAdmitted   CaseStatus = "admitted"  // proposals
	StatusOnAgenda   CaseStatus = "on_agenda" // proposals
	StatusDebated    CaseStatus = "debated"   // proposals
)

// CaseStatuses lists every status in display order.
var CaseStatuses = []CaseStatus{StatusReceived, StatusInProgress, StatusAdmitted, StatusOnAgenda, StatusResolved, StatusDebated, StatusRejected}

// Closed reports whether no more work is expected on a case in this status.
func (s CaseStatus) Closed() bool {
	return s == StatusResolved || s == StatusRejected || s == StatusDebated
}

// CanMove reports whether a case of kind k may go from status s to next.
func (s CaseStatus) CanMove(k CaseKind, next CaseStatus) bool {
	if k == KindProposal {
		switch s {
		case StatusReceived:
			return next == StatusAdmitted || next == StatusRejected
		case StatusAdmitted:
			return next == StatusOnAgenda || next == StatusRejected
		case StatusOnAgenda:
			return next == StatusDebated || next == StatusAdmitted
		}
		return false
	}
	switch s {
	case StatusReceived:
		return next == StatusInProgress || next == StatusResolved || next == StatusRejected
	case StatusInProgress:
		return next == StatusResolved || next == StatusRejected
	case StatusResolved, StatusRejected:
		return next == StatusInProgress // reopen
	}
	return false
}

// Priority orders work.
type Priority string

const (
	PriorityLow    Priority = "low"
	PriorityNormal Priority = "normal"
	PriorityHigh   Priority = "high"
	PriorityUrgent Priority = "urgent"
)

// Channel is how a message reached the town hall.
type Channel string

const (
	ChannelMention Channel = "mention"
	ChannelDM      Channel = "dm"
	ChannelSearch  Channel = "search"
	ChannelDesk    Channel = "desk" // recorded by staff at the counter
)

// Level is how sure the town hall is about who controls a network account.
type Level string

const (
	LevelUnknown        Level = "unknown"         // nobody vouched for this account
	LevelLinked         Level = "linked"          // staff linked it to a resident, control not proven
	LevelVerified       Level = "verified"        // the resident proved control with a one-time code
	LevelVerifiedCensus Level = "verified_census" // verified, and the resident is in the census
)

// Rank orders levels: unknown < linked < verified < verified_census.
func (l Level) Rank() int {
	switch l {
	case LevelLinked:
		return 1
	case LevelVerified:
		return 2
	case LevelVerifiedCensus:
		return 3
	}
	return 0
}

// AtLeast reports whether l is at least min.
func (l Level) AtLeast(min Level) bool { return l.Rank() >= min.Rank() }

// Resident is a person in the town hall's register.
type Resident struct {
	ID        string
	FullName  string
	Document  string // normalised DNI/NIE
	Phone     string
	Email     string
	Address   string
	Notes     string
	InCensus  bool // derived: the document appears in the imported census
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Identity is a network account, bound to its immutable user id.
type Identity struct {
	ID                string
	Network           string
	UserID            string // "" while the handle waits to be resolved
	Handle            string
	DisplayName       string
	ResidentID        string
	Level             Level
	VerifiedAt        time.Time
	VerifiedBy        string
	VerifiedMethod    string
	VerifiedMessageID string
	HandleChanged     bool
	Takeover          bool
	Lookalike         bool
	CreatedAt         time.Time
	UpdatedAt         time.Time
}

// Case is a numbered, traceable exchange with a resident.
type Case struct {
	ID               string
	Number           RegistryNumber
	Kind             CaseKind
	Status           CaseStatus
	Priority         Priority
	DepartmentID     string
	AssigneeID       string
	DirectoryEntryID string
	ProcedureTypeID  string
	ResidentID       string
	IdentityID       string
	Channel          Channel
	Network          string
	ConversationID   string
	Title            string
	Body             string
	// TextInMessage: the title and body are the words of the case's first inbound message
	// (as intake opens a case), so the search finds the case through that message and the
	// store does not index the same words again. Editing the title or body clears it.
	TextInMessage    bool
	FlagUnverified   bool
	FlagPersonalData bool
	Unread           bool
	OpenedAt         time.Time
	DueAt            time.Time // zero when no deadline applies
	FirstAnswerAt    time.Time
	ClosedAt         time.Time
	MergedInto       string
	Version          int
	CreatedAt        time.Time
	UpdatedAt        time.Time
}

// Overdue reports whether the case is open past its due date at time now.
func (c Case) Overdue(now time.Time) bool {
	return !c.DueAt.IsZero() && !c.Status.Closed() && now.After(c.DueAt)
}

// EventKind is what happened on a case's timeline.
type EventKind string

const (
	EventInbound      EventKind = "inbound"
	EventOutbound     EventKind = "outbound"
	EventNote         EventKind = "note"
	EventStatus       EventKind = "status"
	EventAssignment   EventKind = "assignment"
	EventPriority     EventKind = "priority"
	EventDepartment   EventKind = "department"
	EventMerge        EventKind = "merge"
	EventFlag         EventKind = "flag"
	EventVerification EventKind = "verification"
)

// CaseEvent is one entry of a case's timeline.
type CaseEvent struct {
	ID               string
	CaseID           string
	Kind             EventKind
	ActorStaffID     string // "" for the system
	InboundMessageID string
	OutboxID         string
	Body             string
	OldValue         string
	NewValue         string
	CreatedAt        time.Time
}

// Disposition is what intake did with an inbound message.
type Disposition string

const (
	DispositionNewCase      Disposition = "new_case"
	DispositionJoinedCase   Disposition = "joined_case"
	DispositionVerification Disposition = "verification"
	DispositionOwn          Disposition = "own"
	DispositionIgnored      Disposition = "ignored"
)

// InboundMessage is a post or DM received from the network, stored once.
type InboundMessage struct {
	ID             string
	Network        string
	MessageID      string
	Channel        Channel
	AuthorUserID   string
	AuthorHandle   string
	AuthorName     string
	Text           string
	ConversationID string
	InReplyToID    string
	PostedAt       time.Time
	Raw            string
	CaseID         string
	IdentityID     string
	Disposition    Disposition
	CreatedAt      time.Time
}

// OutboxKind is the shape of an outgoing message.
type OutboxKind string

const (
	OutboxPost  OutboxKind = "post"
	OutboxReply OutboxKind = "reply"
	OutboxDM    OutboxKind = "dm"
)

// OutboxStatus is an outgoing message's delivery state.
type OutboxStatus string

const (
	OutboxPending OutboxStatus = "pending"
	OutboxSending OutboxStatus = "sending"
	OutboxSent    OutboxStatus = "sent"
	OutboxFailed  OutboxStatus = "failed"
)

// OutboxItem is an outgoing post, reply or DM, written in the same transaction as the case
// event that asked for it and sent in Seq order by the sync engine.
type OutboxItem struct {
	ID              string
	Seq             int64
	CaseID          string
	PublicationID   string
	Kind            OutboxKind
	Network         string
	InReplyToID     string
	RecipientUserID string
	Text            string
	Status          OutboxStatus
	NetworkID       string
	Attempts        int
	LastError       string
	NotBefore       time.Time
	SentAt          time.Time
	CreatedBy       string
	CreatedAt       time.Time
	UpdatedAt       time.Time
}

// Department is a unit of the town hall that cases are routed to.
type Department struct {
	ID        string
	Code      string
	Name      string
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Role is what a staff member may see and do.
type Role string

const (
	RoleAdmin      Role = "admin"
	RoleClerk      Role = "clerk"
	RolePolice     Role = "police"
	RoleCouncillor Role = "councillor"
)

// Staff is a town hall employee or councillor who signs in to the desk.
type Staff struct {
	ID           string
	Username     string
	FullName     string
	Role         Role
	PasswordHash string
	DepartmentID string
	Active       bool
	CreatedAt    time.Time
	UpdatedAt    time.Time
}

// StatusReport is what `ventanilla status` prints.
type StatusReport struct {
	Cases struct {
		Total  int64              `json:"total"`
		ByKind map[CaseKind]int64 `json:"by_kind"`
	} `json:"cases"`
	Messages struct {
		Total int64 `json:"total"`
	} `json:"messages"`
	Outbox struct {
		Pending int64 `json:"pending"`
		Sending int64 `json:"sending"`
		Sent    int64 `json:"sent"`
		Failed  int64 `json:"failed"`
	} `json:"outbox"`
	Residents struct {
		Total    int64 `json:"total"`
		Verified int64 `json:"verified"`
	} `json:"residents"`
	Cursors []CursorStatus `json:"cursors"`
}

// CursorStatus is one sync stream's position.
type CursorStatus struct {
	Stream        string    `json:"stream"`
	SinceID       string    `json:"since_id"`
	LastSuccessAt time.Time `json:"last_success_at,omitzero"`
	LastError     string    `json:"last_error,omitempty"`
}
