package db

import (
	"context"
	"fmt"
	"strings"
	"time"

	"ventanilla/app"
	"ventanilla/app/verify"
	"ventanilla/db/internal/sqlcgen"
)

// The verification tables (challenges, attempts, census) for app/verify: reads on queries, so
// both the read pool and transactions have them, writes on txStore.

var (
	_ verify.Store = (*Store)(nil)
	_ verify.Tx    = (*txStore)(nil)
)

func challengeFromRow(r sqlcgen.VerificationChallenge) verify.ChallengeRecord {
	return verify.ChallengeRecord{
		ID: r.ID, IdentityID: r.IdentityID, Code: r.Code, Status: verify.ChallengeStatus(r.Status),
		ExpiresAt: parseTime(r.ExpiresAt), IssuedBy: r.IssuedBy.String, UsedMessageID: r.UsedMessageID,
		CreatedAt: parseTime(r.CreatedAt), UpdatedAt: parseTime(r.UpdatedAt),
	}
}

func challengesFromRows(rows []sqlcgen.VerificationChallenge) []verify.ChallengeRecord {
	out := make([]verify.ChallengeRecord, len(rows))
	for i, r := range rows {
		out[i] = challengeFromRow(r)
	}
	return out
}

func identitiesFromRows(rows []sqlcgen.Identity) []app.Identity {
	out := make([]app.Identity, len(rows))
	for i, r := range rows {
		out[i] = identityFromRow(r)
	}
	return out
}

func (r queries) ListChallenges(ctx context.Context, identityID string) ([]verify.ChallengeRecord, error) {
	rows, err := r.q.ListChallengesForIdentity(ctx, identityID)
	if err != nil {
		return nil, fmt.Errorf("list verification codes of identity %s: %w", identityID, err)
	}
	return challengesFromRows(rows), nil
}

func (r queries) FindChallengesByCode(ctx context.Context, code string) ([]verify.ChallengeRecord, error) {
	rows, err := r.q.FindChallengesByCode(ctx, code)
	if err != nil {
		return nil, fmt.Errorf("find verification code: %w", err)
	}
	return challengesFromRows(rows), nil
}

func (r queries) CountFailedAttempts(ctx context.Context, identityID string, since time.Time) (int, error) {
	n, err := r.q.CountFailedAttemptsSince(ctx, sqlcgen.CountFailedAttemptsSinceParams{IdentityID: nullStr(identityID), Since: formatTime(since)})
	if err != nil {
		return 0, fmt.Errorf("count failed verification attempts of identity %s: %w", identityID, err)
	}
	return int(n), nil
}

func (r queries) ListAttempts(ctx context.Context, identityID string) ([]verify.Attempt, error) {
	rows, err := r.q.ListVerificationAttempts(ctx, nullStr(identityID))
	if err != nil {
		return nil, fmt.Errorf("list verification attempts of identity %s: %w", identityID, err)
	}
	out := make([]verify.Attempt, len(rows))
	for i, a := range rows {
		out[i] = verify.Attempt{
			ID: a.ID, IdentityID: a.IdentityID.String, UserID: a.UserID, MessageID: a.MessageID,
			Outcome: verify.Outcome(a.Outcome), CreatedAt: parseTime(a.CreatedAt),
		}
	}
	return out, nil
}

func (r queries) ListIdentitiesWithPastHandle(ctx context.Context, network, handle string) ([]app.Identity, error) {
	rows, err := r.q.ListIdentitiesWithPastHandle(ctx, sqlcgen.ListIdentitiesWithPastHandleParams{Network: network, Handle: strings.TrimPrefix(handle, "@")})
	if err != nil {
		return nil, fmt.Errorf("list identities seen with handle @%s: %w", strings.TrimPrefix(handle, "@"), err)
	}
	return identitiesFromRows(rows), nil
}

func (r queries) ListPendingIdentities(ctx context.Context, network string) ([]app.Identity, error) {
	rows, err := r.q.ListPendingIdentities(ctx, network)
	if err != nil {
		return nil, fmt.Errorf("list identities waiting for their user id: %w", err)
	}
	return identitiesFromRows(rows), nil
}

func (r queries) ListVerifiedIdentitiesInCensus(ctx context.Context) ([]app.Identity, error) {
	rows, err := r.q.ListVerifiedIdentitiesInCensus(ctx)
	if err != nil {
		return nil, fmt.Errorf("list verified identities of residents in the census: %w", err)
	}
	return identitiesFromRows(rows), nil
}

func (t *txStore) CreateChallenge(ctx context.Context, c *verify.ChallengeRecord) error {
	if c.ID == "" {
		c.ID = app.NewID()
	}
	if c.Status == "" {
		c.Status = verify.ChallengeOpen
	}
	now := t.clock()
	c.CreatedAt, c.UpdatedAt = now, now
	err := t.q.InsertChallenge(ctx, sqlcgen.InsertChallengeParams{
		ID: c.ID, IdentityID: c.IdentityID, Code: c.Code, Status: string(c.Status), ExpiresAt: formatTime(c.ExpiresAt),
		IssuedBy: nullStr(c.IssuedBy), UsedMessageID: c.UsedMessageID, CreatedAt: formatTime(now), UpdatedAt: formatTime(now),
	})
	if err != nil {
		return fmt.Errorf("issue verification code for identity %s: %w", c.IdentityID, err)
	}
	return nil
}

func (t *txStore) UpdateChallenge(ctx context.Context, c *verify.ChallengeRecord) error {
	c.UpdatedAt = t.clock()
	err := t.q.UpdateChallenge(ctx, sqlcgen.UpdateChallengeParams{
		Status: string(c.Status), UsedMessageID: c.UsedMessageID, UpdatedAt: formatTime(c.UpdatedAt), ID: c.ID,
	})
	if err != nil {
		return fmt.Errorf("mark verification code %s %s: %w", c.ID, c.Status, err)
	}
	return nil
}

func (t *txStore) AddAttempt(ctx context.Context, a *verify.Attempt) error {
	if a.ID == "" {
		a.ID = app.NewID()
	}
	if a.CreatedAt.IsZero() {
		a.CreatedAt = t.clock()
	}
	err := t.q.InsertVerificationAttempt(ctx, sqlcgen.InsertVerificationAttemptParams{
		ID: a.ID, IdentityID: nullStr(a.IdentityID), UserID: a.UserID, MessageID: a.MessageID,
		Outcome: string(a.Outcome), CreatedAt: formatTime(a.CreatedAt),
	})
	if err != nil {
		return fmt.Errorf("record verification attempt from message %s: %w", a.MessageID, err)
	}
	return nil
}

func (t *txStore) PutCensusEntry(ctx context.Context, e verify.CensusEntry, batchID string) error {
	now := t.now()
	err := t.q.InsertCensusEntry(ctx, sqlcgen.InsertCensusEntryParams{
		ID: app.NewID(), Document: e.Document, FullName: e.FullName, Address: e.Address, BirthDate: e.BirthDate,
		BatchID: batchID, CreatedAt: now, UpdatedAt: now,
	})
	if err != nil {
		return fmt.Errorf("store census entry %s: %w", app.MaskDocument(e.Document), err)
	}
	return nil
}

func (t *txStore) DeletePendingIdentity(ctx context.Context, id string) error {
	t.idents = nil
	n, err := t.q.DeletePendingIdentity(ctx, id)
	if err != nil {
		return fmt.Errorf("delete unresolved identity %s: %w", id, err)
	}
	if n == 0 {
		return fmt.Errorf("delete unresolved identity %s: no such identity without a user id: %w", id, app.ErrNotFound)
	}
	return nil
}
