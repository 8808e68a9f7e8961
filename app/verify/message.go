package verify

import (
	"context"
	"strings"
	"time"

	"ventanilla/app"
	"ventanilla/app/network"
)

// HandleMessage is called by intake, inside its transaction, for every inbound message. When
// the text is a verification attempt it records the outcome (verified, wrong code, expired,
// reused, wrong user, locked) in verification_attempts and the audit log and reports
// handled=true, so that intake does not open a case for it. A code proves control only when it
// comes from the user id it was issued to, before it expires (by the network's timestamp, so a
// code sent in time while the desk was offline still counts), and once.
func (s *Service) HandleMessage(ctx context.Context, atx app.Tx, m app.InboundMessage) (handled bool, outcome string, err error) {
	cands := findCodes(m.Text)
	if len(cands) == 0 {
		return false, "", nil
	}
	tx, err := asTx(atx)
	if err != nil {
		return false, "", err
	}
	var (
		ch     ChallengeRecord
		found  bool
		strong bool
	)
	for _, c := range cands {
		strong = strong || c.strong
		if found {
			continue
		}
		chs, err := tx.FindChallengesByCode(ctx, c.code)
		if err != nil {
			return false, "", err
		}
		for i, x := range chs {
			owner, err := tx.GetIdentity(ctx, x.IdentityID)
			if err != nil {
				return false, "", err
			}
			if i == 0 || owner.UserID == m.AuthorUserID {
				ch, found = x, true
			}
			if owner.UserID == m.AuthorUserID {
				break
			}
		}
	}
	if !found && !strong {
		return false, "", nil // six code-like characters that are nobody's code: an ordinary message
	}
	if m.AuthorUserID == "" {
		return false, "", app.Invalid("author", "message %s has no author user id", m.MessageID)
	}
	netName := m.Network
	if netName == "" {
		netName = Network
	}
	sender, err := s.observe(ctx, tx, netName, network.User{ID: m.AuthorUserID, Handle: m.AuthorHandle, DisplayName: m.AuthorName})
	if err != nil {
		return false, "", err
	}

	now := s.now()
	sentAt := now
	if !m.PostedAt.IsZero() && m.PostedAt.Before(now) {
		sentAt = m.PostedAt.UTC()
	}
	details := map[string]string{"message_id": m.MessageID, "user_id": m.AuthorUserID, "handle": m.AuthorHandle, "channel": string(m.Channel)}
	if found {
		details["challenge"] = ch.ID
	}
	failed, err := tx.CountFailedAttempts(ctx, sender.ID, now.Add(-AttemptWindow))
	if err != nil {
		return false, "", err
	}
	var out Outcome
	var target app.Identity
	switch {
	case failed >= MaxFailedAttempts:
		out = OutcomeLocked
	case !found:
		out = OutcomeWrongCode
	default:
		if target, err = tx.GetIdentity(ctx, ch.IdentityID); err != nil {
			return false, "", err
		}
		switch {
		case target.UserID != m.AuthorUserID:
			out = OutcomeWrongUser
			details["issued_to_user_id"] = target.UserID
			details["issued_to_handle"] = target.Handle
		case ch.Status == ChallengeUsed:
			out = OutcomeReused
		case ch.Status == ChallengeRevoked:
			out = OutcomeExpired
			details["reason"] = "superseded or revoked"
		case ch.Status == ChallengeExpired || !sentAt.Before(ch.ExpiresAt):
			out = OutcomeExpired
			if ch.Status == ChallengeOpen {
				ch.Status = ChallengeExpired
				if err := tx.UpdateChallenge(ctx, &ch); err != nil {
					return false, "", err
				}
			}
		default:
			out = OutcomeVerified
		}
	}
	details["outcome"] = string(out)

	if err := tx.AddAttempt(ctx, &Attempt{IdentityID: sender.ID, UserID: m.AuthorUserID, MessageID: m.MessageID, Outcome: out, CreatedAt: now}); err != nil {
		return false, "", err
	}
	if err := s.audit(ctx, tx, "system", "verify.attempt", sender.ID, details); err != nil {
		return false, "", err
	}
	switch out {
	case OutcomeVerified:
		if err := s.verified(ctx, tx, &target, ch, m, now); err != nil {
			return false, "", err
		}
	case OutcomeWrongUser:
		if err := s.flagWrongUser(ctx, tx, &sender, target); err != nil {
			return false, "", err
		}
	}
	return true, string(out), nil
}

// verified raises ident to verified (verified_census when its resident is in the census) and
// uses up ch and the identity's other open codes.
func (s *Service) verified(ctx context.Context, tx Tx, ident *app.Identity, ch ChallengeRecord, m app.InboundMessage, now time.Time) error {
	old := ident.Level
	ident.Level = app.LevelVerified
	if ident.ResidentID != "" {
		res, err := tx.GetResident(ctx, ident.ResidentID)
		if err != nil {
			return err
		}
		if res.InCensus {
			ident.Level = app.LevelVerifiedCensus
		}
	}
	ident.VerifiedAt, ident.VerifiedBy, ident.VerifiedMessageID = now, ch.IssuedBy, m.MessageID
	ident.VerifiedMethod = "mention"
	if m.Channel == app.ChannelDM {
		ident.VerifiedMethod = "dm"
	}
	if err := tx.UpdateIdentity(ctx, ident); err != nil {
		return err
	}
	chs, err := tx.ListChallenges(ctx, ident.ID)
	if err != nil {
		return err
	}
	for _, c := range chs {
		switch {
		case c.ID == ch.ID:
			c.Status, c.UsedMessageID = ChallengeUsed, m.MessageID
		case c.Status == ChallengeOpen:
			c.Status = ChallengeRevoked
		default:
			continue
		}
		if err := tx.UpdateChallenge(ctx, &c); err != nil {
			return err
		}
	}
	issuer := ch.IssuedBy
	if issuer == "" {
		issuer = "cli/kiosk"
	}
	return s.audit(ctx, tx, "system", "verify.verified", ident.ID, map[string]string{
		"handle": ident.Handle, "user_id": ident.UserID, "from": string(old), "to": string(ident.Level),
		"method": ident.VerifiedMethod, "message_id": m.MessageID, "challenge": ch.ID, "issued_by": issuer})
}

// flagWrongUser flags the sender of someone else's code as a takeover when it now carries the
// handle the code was issued under: the handle changed hands.
func (s *Service) flagWrongUser(ctx context.Context, tx Tx, sender *app.Identity, target app.Identity) error {
	same := strings.EqualFold(sender.Handle, target.Handle)
	if !same {
		hist, err := tx.ListHandleHistory(ctx, target.ID)
		if err != nil {
			return err
		}
		for _, h := range hist {
			same = same || strings.EqualFold(h.Handle, sender.Handle)
		}
	}
	if !same || sender.Takeover {
		return nil
	}
	sender.Takeover = true
	if err := tx.UpdateIdentity(ctx, sender); err != nil {
		return err
	}
	return s.auditFlags(ctx, tx, *sender, []string{"takeover: sent the code issued to user id " + target.UserID + " under the same handle"})
}

// MayVerify reports whether text carries something that could be a verification code: for
// any other message HandleMessage reads nothing and returns false. It reads only the text,
// so intake can ask it before the write transaction (intake.Service.Prepare).
func (s *Service) MayVerify(text string) bool {
	return len(findCodes(text)) > 0
}
