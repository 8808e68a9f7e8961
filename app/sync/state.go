package sync

import (
	"time"
)

// Online is what the engine last learned about reaching the network.
type Online string

const (
	OnlineUnknown Online = "unknown" // no round has finished yet
	OnlineYes     Online = "online"
	OnlineNo      Online = "offline"
)

// StreamState is one pull stream as staff see it.
type StreamState struct {
	Stream        string
	SinceID       string
	LastSuccessAt time.Time
	LastError     string
}

// State is a snapshot of the engine for the desk's sync panel and status bar.
type State struct {
	Online         Online
	Running        bool      // a round is under way
	LastRoundAt    time.Time // when the last round ended, whatever its outcome
	LastCompleteAt time.Time // when the last round that pulled every stream and drained the outbox ended
	LastError      string
	Streams        []StreamState
	Pending        int64
	Sending        int64
	Sent           int64
	Failed         int64
	Failures       []FailedItem
	RateLimitUntil time.Time        // zero when no rate-limit wait is under way
	RateLimitOn    string           // endpoint that is rate limited
	CallsToday     map[string]int64 // API calls per endpoint, today (UTC)
	LookBackWarn   string           // set when the gap since the last complete round exceeds what the network lets us reach back
	NextRoundAt    time.Time
}

// FailedItem is an outbox row that failed for good, with the network's reason.
type FailedItem struct {
	OutboxID string
	CaseID   string
	Kind     string
	Text     string
	Reason   string
}

// EventKind says what changed.
type EventKind string

const (
	EventStateChanged  EventKind = "state_changed"  // online/offline or rate-limit wait changed
	EventRoundFinished EventKind = "round_finished" // a round ended; NewCases says how many cases it created
	EventItemSent      EventKind = "item_sent"
	EventItemFailed    EventKind = "item_failed"
	EventCaseChanged   EventKind = "case_changed" // a case got a new message or was created
)

// Event is published to subscribers; State is the snapshot right after the change.
type Event struct {
	Kind     EventKind
	CaseID   string
	OutboxID string
	NewCases int
	State    State
}
