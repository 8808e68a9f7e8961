package verify

import (
	"context"
	"errors"
	"time"

	"ventanilla/app"
)

// StatusView is what staff see about a handle: the account holding it, its level, the
// resident (document masked), the handles it was seen with, the warnings and the last code.
type StatusView struct {
	Handle         string             `json:"handle"`
	IdentityID     string             `json:"identity_id"`
	Network        string             `json:"network"`
	UserID         string             `json:"user_id"` // "" while waiting to be resolved
	Level          app.Level          `json:"level"`
	DisplayName    string             `json:"display_name"` // made safe by SafeText
	VerifiedAt     time.Time          `json:"verified_at,omitzero"`
	VerifiedBy     string             `json:"verified_by,omitempty"`
	VerifiedMethod string             `json:"verified_method,omitempty"`
	VerifiedMsgID  string             `json:"verified_message_id,omitempty"`
	Resident       *ResidentView      `json:"resident,omitempty"`
	History        []app.HandleChange `json:"history"`
	Flags          []string           `json:"flags"` // pending, handle_changed, takeover, lookalike, display_name_hidden_chars, locked
	LastChallenge  *ChallengeView     `json:"last_challenge,omitempty"`
	FailedLastHour int                `json:"failed_attempts_last_hour"`
	// Others are other accounts recorded with this handle now or before (earlier holders).
	Others []OtherView `json:"others,omitempty"`
}

// ResidentView is a resident as the status shows it.
type ResidentView struct {
	ID       string `json:"id"`
	Name     string `json:"name"`
	Document string `json:"document"` // masked
	InCensus bool   `json:"in_census"`
}

// ChallengeView is a code as the status shows it.
type ChallengeView struct {
	Code      string          `json:"code"`
	Status    ChallengeStatus `json:"status"`
	ExpiresAt time.Time       `json:"expires_at"`
	IssuedBy  string          `json:"issued_by,omitempty"`
	CreatedAt time.Time       `json:"created_at"`
}

// OtherView is another account seen with the handle.
type OtherView struct {
	IdentityID string    `json:"identity_id"`
	UserID     string    `json:"user_id"`
	Handle     string    `json:"handle"` // its current handle
	Level      app.Level `json:"level"`
}

// Status describes the account holding handle in the register (app.ErrNotFound if none was
// ever seen with it).
func (s *Service) Status(ctx context.Context, handle string) (StatusView, error) {
	h, err := NormalizeHandle(handle)
	if err != nil {
		return StatusView{}, err
	}
	ident, err := s.holder(ctx, s.store, h)
	if errors.Is(err, app.ErrNotFound) {
		// Not held by anyone we know now: show the last account seen with it.
		past, perr := s.store.ListIdentitiesWithPastHandle(ctx, Network, h)
		if perr != nil {
			return StatusView{}, perr
		}
		if len(past) == 0 {
			return StatusView{}, err
		}
		ident, err = past[len(past)-1], nil
	}
	if err != nil {
		return StatusView{}, err
	}
	return s.statusOf(ctx, h, ident)
}

func (s *Service) statusOf(ctx context.Context, h string, ident app.Identity) (StatusView, error) {
	v := StatusView{
		Handle: ident.Handle, IdentityID: ident.ID, Network: ident.Network, UserID: ident.UserID, Level: ident.Level,
		VerifiedAt: ident.VerifiedAt, VerifiedBy: ident.VerifiedBy, VerifiedMethod: ident.VerifiedMethod,
		VerifiedMsgID: ident.VerifiedMessageID, Flags: []string{},
	}
	var hidden bool
	v.DisplayName, hidden = SafeText(ident.DisplayName)
	if ident.UserID == "" {
		v.Flags = append(v.Flags, "pending")
	}
	if ident.HandleChanged {
		v.Flags = append(v.Flags, "handle_changed")
	}
	if ident.Takeover {
		v.Flags = append(v.Flags, "takeover")
	}
	if ident.Lookalike {
		v.Flags = append(v.Flags, "lookalike")
	}
	if hidden {
		v.Flags = append(v.Flags, "display_name_hidden_chars")
	}
	if ident.ResidentID != "" {
		res, err := s.store.GetResident(ctx, ident.ResidentID)
		if err != nil {
			return v, err
		}
		v.Resident = &ResidentView{ID: res.ID, Name: res.FullName, Document: app.MaskDocument(res.Document), InCensus: res.InCensus}
	}
	hist, err := s.store.ListHandleHistory(ctx, ident.ID)
	if err != nil {
		return v, err
	}
	v.History = append([]app.HandleChange{}, hist...)
	chs, err := s.store.ListChallenges(ctx, ident.ID)
	if err != nil {
		return v, err
	}
	if len(chs) > 0 {
		c := chs[0]
		st := c.Status
		if st == ChallengeOpen && !s.now().Before(c.ExpiresAt) {
			st = ChallengeExpired
		}
		v.LastChallenge = &ChallengeView{Code: c.Code, Status: st, ExpiresAt: c.ExpiresAt, IssuedBy: c.IssuedBy, CreatedAt: c.CreatedAt}
	}
	if v.FailedLastHour, err = s.store.CountFailedAttempts(ctx, ident.ID, s.now().Add(-AttemptWindow)); err != nil {
		return v, err
	}
	if v.FailedLastHour >= MaxFailedAttempts {
		v.Flags = append(v.Flags, "locked")
	}
	others, err := s.store.ListIdentitiesWithPastHandle(ctx, ident.Network, h)
	if err != nil {
		return v, err
	}
	for _, o := range others {
		if o.ID != ident.ID {
			v.Others = append(v.Others, OtherView{IdentityID: o.ID, UserID: o.UserID, Handle: o.Handle, Level: o.Level})
		}
	}
	return v, nil
}

// CheckAudit verifies the whole audit log's hash chain (see app.CheckAudit) and returns how
// many entries it checked.
func (s *Service) CheckAudit(ctx context.Context) (int, error) { return app.CheckAudit(ctx, s.store) }
