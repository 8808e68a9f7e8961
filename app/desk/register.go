package desk

import (
	"context"
	"errors"
	"strings"

	"ventanilla/app"
	"ventanilla/app/privacy"
)

func isNotFound(err error) bool { return errors.Is(err, app.ErrNotFound) }

// ResidentDetail is what the register shows about one resident.
type ResidentDetail struct {
	Resident   app.Resident
	Identities []IdentityDetail
	Cases      []app.Case
}

// IdentityDetail is one of a resident's network accounts with the handles it had.
type IdentityDetail struct {
	Identity app.Identity
	Handles  []app.HandleChange
}

// SearchResidents finds residents by name, document or handle, a page at a time.
func (s *Service) SearchResidents(ctx context.Context, sess *Session, query string, limit, offset int) ([]app.Resident, error) {
	if err := s.require(sess, PermRegister); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 500 {
		limit = 100
	}
	return s.store.SearchResidents(ctx, strings.TrimSpace(query), limit, offset)
}

// Resident returns a resident with identities, handle history and cases.
func (s *Service) Resident(ctx context.Context, sess *Session, id string) (ResidentDetail, error) {
	if err := s.require(sess, PermRegister); err != nil {
		return ResidentDetail{}, err
	}
	r, err := s.store.GetResident(ctx, id)
	if err != nil {
		return ResidentDetail{}, err
	}
	d := ResidentDetail{Resident: r}
	ids, err := s.store.ListIdentitiesForResident(ctx, id)
	if err != nil {
		return d, err
	}
	for _, i := range ids {
		h, err := s.store.ListHandleHistory(ctx, i.ID)
		if err != nil {
			return d, err
		}
		d.Identities = append(d.Identities, IdentityDetail{Identity: i, Handles: h})
	}
	d.Cases, err = s.store.ListCasesForResident(ctx, id)
	return d, err
}

// UpdateResident saves changes to a resident's contact details and notes; the document is
// validated and normalised.
func (s *Service) UpdateResident(ctx context.Context, sess *Session, r app.Resident) error {
	if err := s.require(sess, PermRegister); err != nil {
		return err
	}
	r.FullName = strings.TrimSpace(r.FullName)
	if r.FullName == "" {
		return app.Invalid("full_name", "the name is required")
	}
	doc, err := app.NormalizeDocument(r.Document)
	if err != nil {
		return err
	}
	r.Document = doc
	return s.inTx(ctx, func(tx Tx) error {
		if err := tx.UpdateResident(ctx, &r); err != nil {
			return err
		}
		return audit(ctx, tx, sess.actor(), "resident.update", r.ID, app.MaskDocument(r.Document))
	})
}

// detectPersonalData names the kinds of personal data privacy.Detect finds in text.
func detectPersonalData(text string) []string {
	var kinds []string
	seen := map[string]bool{}
	for _, f := range privacy.Detect(text) {
		if !seen[f.Kind] {
			seen[f.Kind] = true
			kinds = append(kinds, f.Kind)
		}
	}
	return kinds
}

// Actor returns the staff id to record as the actor of a call into another service (the
// verification service), after checking the session has permission p: the check lives here
// even when the work is done elsewhere.
func (s *Service) Actor(sess *Session, p Permission) (string, error) {
	if err := s.require(sess, p); err != nil {
		return "", err
	}
	return sess.staff.ID, nil
}
