package verify

import (
	"context"
	"time"

	"ventanilla/app"
)

// ChallengeStatus is where a one-time code stands.
type ChallengeStatus string

const (
	ChallengeOpen    ChallengeStatus = "open"
	ChallengeUsed    ChallengeStatus = "used"
	ChallengeExpired ChallengeStatus = "expired"
	ChallengeRevoked ChallengeStatus = "revoked" // superseded by a newer code, or the identity was revoked
)

// ChallengeRecord is a one-time code as stored, bound to one identity (and so to one user id).
type ChallengeRecord struct {
	ID            string
	IdentityID    string
	Code          string
	Status        ChallengeStatus
	ExpiresAt     time.Time
	IssuedBy      string // staff id, "" when issued by the CLI or the kiosk
	UsedMessageID string // the network message id that proved control
	CreatedAt     time.Time
	UpdatedAt     time.Time
}

// Outcome is what became of a verification attempt.
type Outcome string

const (
	OutcomeVerified  Outcome = "verified"
	OutcomeWrongCode Outcome = "wrong_code" // no such code
	OutcomeExpired   Outcome = "expired"    // past its expiry, or superseded by a newer code
	OutcomeReused    Outcome = "reused"     // already used once
	OutcomeWrongUser Outcome = "wrong_user" // a real code sent from another user id than the one it was issued to
	OutcomeLocked    Outcome = "locked"     // too many failed attempts in the last hour
)

// Attempt is one verification attempt, kept for the brute-force limit and for staff.
type Attempt struct {
	ID         string
	IdentityID string // the sender's identity
	UserID     string
	MessageID  string
	Outcome    Outcome
	CreatedAt  time.Time
}

// CensusEntry is one person of the municipal census (padrón).
type CensusEntry struct {
	Document  string // normalised DNI/NIE
	FullName  string
	Address   string
	BirthDate string // YYYY-MM-DD or ""
}

// Reader is what the service reads beyond app.Reader: the verification tables.
type Reader interface {
	app.Reader
	// ListChallenges lists an identity's codes, newest first.
	ListChallenges(ctx context.Context, identityID string) ([]ChallengeRecord, error)
	// FindChallengesByCode lists every code equal to code (normalised), newest first.
	FindChallengesByCode(ctx context.Context, code string) ([]ChallengeRecord, error)
	// CountFailedAttempts counts an identity's attempts other than verified since since.
	CountFailedAttempts(ctx context.Context, identityID string, since time.Time) (int, error)
	ListAttempts(ctx context.Context, identityID string) ([]Attempt, error)
	// ListIdentitiesWithPastHandle lists identities that hold handle now or were seen with it.
	ListIdentitiesWithPastHandle(ctx context.Context, network, handle string) ([]app.Identity, error)
	// ListPendingIdentities lists identities whose handle is still to be resolved to a user id.
	ListPendingIdentities(ctx context.Context, network string) ([]app.Identity, error)
	// ListVerifiedIdentitiesInCensus lists identities at level verified whose resident is in
	// the census, i.e. those that should be at verified_census.
	ListVerifiedIdentitiesInCensus(ctx context.Context) ([]app.Identity, error)
}

// Tx is a transaction with the verification writes. The db package's transactions implement
// it; the service asserts the app.Tx it is handed (by Store.InTx or by intake) to Tx.
type Tx interface {
	app.Tx
	Reader
	CreateChallenge(ctx context.Context, c *ChallengeRecord) error
	UpdateChallenge(ctx context.Context, c *ChallengeRecord) error
	AddAttempt(ctx context.Context, a *Attempt) error
	// PutCensusEntry inserts e, or replaces the entry with the same document.
	PutCensusEntry(ctx context.Context, e CensusEntry, batchID string) error
	// DeletePendingIdentity removes an identity never bound to a user id (merged into the
	// identity its handle resolved to); it refuses (ErrNotFound) any other.
	DeletePendingIdentity(ctx context.Context, id string) error
}

// Store is the persistence the service needs: app.Store whose transactions are Tx, and the
// verification reads on the read pool.
type Store interface {
	app.Store
	Reader
}
