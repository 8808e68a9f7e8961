// Package verify binds residents to their network accounts and proves that they control them.
// Staff record a resident (name and a DNI/NIE, one resident per document), link a handle,
// which is resolved to the network's immutable user id (or queued while offline), and issue a
// short one-time code; when that code comes back by DM or mention from that user id, the
// account is verified. Levels go unknown < linked < verified < verified_census (verified, and
// the resident's document is in the municipal census imported by ImportCensus).
//
// The binding is always the user id, never the handle. A verified account whose handle changes
// keeps its level and the history is kept for staff; a handle now held by another user id than
// the one linked or verified under it is flagged as a takeover and inherits nothing; handles
// that look like an official account's (setting "official_handles", comma-separated) are
// flagged as lookalikes. Every staff action and every verification step is appended to the
// audit log.
//
// Codes look like "V-7K4Q9X": six characters from an alphabet without look-alike characters,
// always with a digit and a letter. Residents may send them in any case, with or without the
// prefix, after a word such as "código" or "VERIFICAR". A sender gets at most five failed
// attempts per hour.
//
// The census CSV has a header row naming its columns, separated by ";" (or ","), in any order:
//
//	documento;nombre;direccion;fecha_nacimiento
//	00000000T;Vecina Prueba;Calle Falsa 123;1980-01-31
//
// documento (DNI/NIE with its check letter) and nombre are required; direccion and
// fecha_nacimiento (YYYY-MM-DD or DD/MM/YYYY) may be empty. A file with any bad row imports
// nothing: the report names every bad line.
package verify

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"regexp"
	"strings"
	"time"

	"ventanilla/app"
	"ventanilla/app/network"
	"ventanilla/app/verifycode"
)

// DefaultTTL is how long a code stays valid unless staff choose otherwise.
const DefaultTTL = 30 * time.Minute

// MaxFailedAttempts is how many failed attempts a sender may make per AttemptWindow.
const (
	MaxFailedAttempts = 5
	AttemptWindow     = time.Hour
)

// Network is the network name identities are recorded under by Link and Start.
const Network = "x"

// SettingOfficialHandles is the setting listing the town hall's official handles.
const SettingOfficialHandles = "official_handles"

// ErrOffline means the handle could not be resolved because the network is unreachable.
var ErrOffline = errors.New("the network is unreachable")

// Service is the register's verification: residents, identities, codes and the census.
type Service struct {
	store Store
	net   network.Client // nil when offline
	clock app.Clock
	rand  io.Reader
}

// New builds the service. net may be nil (offline): Link then queues handles for ResolvePending.
func New(store Store, net network.Client, clock app.Clock, rand io.Reader) *Service {
	if clock == nil {
		clock = app.SystemClock
	}
	return &Service{store: store, net: net, clock: clock, rand: rand}
}

// Challenge is an issued code, to give to the resident.
type Challenge struct {
	Code       string
	ExpiresAt  time.Time
	Handle     string
	UserID     string
	IdentityID string
}

func (s *Service) now() time.Time { return s.clock().UTC() }

// inTx runs fn in a transaction that has the verification tables.
func (s *Service) inTx(ctx context.Context, fn func(tx Tx) error) error {
	return s.store.InTx(ctx, func(atx app.Tx) error {
		tx, err := asTx(atx)
		if err != nil {
			return err
		}
		return fn(tx)
	})
}

func asTx(atx app.Tx) (Tx, error) {
	tx, ok := atx.(Tx)
	if !ok {
		return nil, fmt.Errorf("verification: the store's transaction (%T) lacks the verification tables", atx)
	}
	return tx, nil
}

// audit appends one entry; details are a JSON object so that they stay machine-readable.
func (s *Service) audit(ctx context.Context, tx app.Tx, actor, action, target string, details map[string]string) error {
	b, err := json.Marshal(details)
	if err != nil {
		return err
	}
	return tx.AppendAudit(ctx, &app.AuditEntry{At: s.now(), Actor: actor, Action: action, Target: target, Details: string(b)})
}

// staffRef is actor when it names a staff member, else "" (the CLI, the kiosk): the columns
// that say who issued or verified reference the staff table.
func staffRef(ctx context.Context, r app.Reader, actor string) (string, error) {
	if actor == "" {
		return "", nil
	}
	_, err := r.GetStaff(ctx, actor)
	if errors.Is(err, app.ErrNotFound) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	return actor, nil
}

func checkActor(actor string) error {
	if strings.TrimSpace(actor) == "" {
		return app.Invalid("actor", "who is acting must be known (a staff id, \"cli\" or \"kiosk\")")
	}
	return nil
}

var handlePattern = regexp.MustCompile(`^[A-Za-z0-9_]{1,15}$`)

// NormalizeHandle strips "@" and spaces and checks the handle's shape.
func NormalizeHandle(h string) (string, error) {
	h = strings.TrimPrefix(strings.TrimSpace(h), "@")
	if h == "" {
		return "", app.Invalid("handle", "the handle is empty")
	}
	if !handlePattern.MatchString(h) {
		return "", app.Invalid("handle", "@%s is not a valid handle (1 to 15 letters, digits or _)", h)
	}
	return h, nil
}

// resolve asks the network who holds handle. Unreachable (or no client) is ErrOffline; a
// handle nobody holds is *app.InvalidError.
func (s *Service) resolve(ctx context.Context, handle string) (network.User, error) {
	if s.net == nil {
		return network.User{}, fmt.Errorf("resolve @%s: %w", handle, ErrOffline)
	}
	u, err := s.net.UserByHandle(ctx, handle)
	switch {
	case err == nil:
		return u, nil
	case network.HasReason(err, network.ReasonNotFound) || errors.Is(err, network.ErrNotFound):
		return network.User{}, app.Invalid("handle", "@%s does not exist on the network", handle)
	case network.IsRetryable(err):
		return network.User{}, fmt.Errorf("resolve @%s: %w: %w", handle, ErrOffline, err)
	}
	return network.User{}, fmt.Errorf("resolve @%s: %w", handle, err)
}

// AddResident records a resident. The document must be a valid DNI/NIE that no other resident
// has (else app.ErrConflict).
func (s *Service) AddResident(ctx context.Context, actor, name, document, phone, email, address string) (app.Resident, error) {
	if err := checkActor(actor); err != nil {
		return app.Resident{}, err
	}
	name = strings.TrimSpace(name)
	if name == "" {
		return app.Resident{}, app.Invalid("name", "the resident's name is empty")
	}
	doc, err := app.NormalizeDocument(document)
	if err != nil {
		return app.Resident{}, err
	}
	r := app.Resident{FullName: name, Document: doc, Phone: strings.TrimSpace(phone), Email: strings.TrimSpace(email), Address: strings.TrimSpace(address)}
	err = s.inTx(ctx, func(tx Tx) error {
		if other, err := tx.GetResidentByDocument(ctx, doc); err == nil {
			return fmt.Errorf("add resident: document %s is already registered to resident %s (%s); one document belongs to one resident: %w",
				app.MaskDocument(doc), other.FullName, other.ID, app.ErrConflict)
		} else if !errors.Is(err, app.ErrNotFound) {
			return err
		}
		by, err := staffRef(ctx, tx, actor)
		if err != nil {
			return err
		}
		if err := tx.CreateResident(ctx, &r, by); err != nil {
			return err
		}
		if got, err := tx.GetResident(ctx, r.ID); err == nil {
			r.InCensus = got.InCensus
		}
		return s.audit(ctx, tx, actor, "resident.create", r.ID, map[string]string{
			"document": app.MaskDocument(doc), "kind": app.DocumentKind(doc), "in_census": fmt.Sprint(r.InCensus)})
	})
	if err != nil {
		return app.Resident{}, err
	}
	return r, nil
}

// officials reads the official handles setting.
func officials(ctx context.Context, r app.Reader) ([]string, error) {
	v, err := r.GetSetting(ctx, SettingOfficialHandles)
	if errors.Is(err, app.ErrNotFound) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var out []string
	for _, h := range strings.Split(v, ",") {
		if h = strings.TrimPrefix(strings.TrimSpace(h), "@"); h != "" {
			out = append(out, h)
		}
	}
	return out, nil
}

// checkHandle sets ident's lookalike and takeover flags for its current handle (it never
// clears a takeover: staff clear it by looking). Other identities still recorded with this
// handle have lost it: they are marked handle_changed. It reports what it flagged.
func (s *Service) checkHandle(ctx context.Context, tx Tx, ident *app.Identity) ([]string, error) {
	if ident.Handle == "" {
		return nil, nil // the network did not say (no author expansion): nothing to compare
	}
	var flagged []string
	offs, err := officials(ctx, tx)
	if err != nil {
		return nil, err
	}
	if of, ok := lookalikeOf(ident.Handle, offs); ok {
		if !ident.Lookalike {
			flagged = append(flagged, "lookalike of @"+of)
		}
		ident.Lookalike = true
	} else {
		ident.Lookalike = false
	}
	if ident.UserID == "" {
		return flagged, nil
	}
	others, err := tx.ListIdentitiesWithPastHandle(ctx, ident.Network, ident.Handle)
	if err != nil {
		return nil, err
	}
	for _, o := range others {
		if o.ID == ident.ID || o.UserID == "" || o.UserID == ident.UserID {
			continue
		}
		if o.Level.AtLeast(app.LevelLinked) && !ident.Takeover {
			ident.Takeover = true
			flagged = append(flagged, fmt.Sprintf("takeover: @%s was %s under user id %s", ident.Handle, o.Level, o.UserID))
		}
		if strings.EqualFold(o.Handle, ident.Handle) && !o.HandleChanged {
			o.HandleChanged = true
			if err := tx.UpdateIdentity(ctx, &o); err != nil {
				return nil, err
			}
			if err := s.audit(ctx, tx, "system", "identity.handle_lost", o.ID, map[string]string{
				"handle": o.Handle, "user_id": o.UserID, "now_held_by": ident.UserID}); err != nil {
				return nil, err
			}
		}
	}
	return flagged, nil
}

// observe finds or creates the identity of user u and brings its handle up to date: a changed
// handle is recorded in the history and flagged, the level stays.
func (s *Service) observe(ctx context.Context, tx Tx, netName string, u network.User) (app.Identity, error) {
	if netName == "" {
		netName = Network
	}
	u.Handle = strings.TrimPrefix(u.Handle, "@")
	at := s.now()
	ident, err := tx.GetIdentityByUserID(ctx, netName, u.ID)
	switch {
	case errors.Is(err, app.ErrNotFound):
		ident = app.Identity{Network: netName, UserID: u.ID, Handle: u.Handle, DisplayName: u.DisplayName, Level: app.LevelUnknown}
		flags, err := s.checkHandle(ctx, tx, &ident)
		if err != nil {
			return app.Identity{}, err
		}
		if err := tx.CreateIdentity(ctx, &ident); err != nil {
			return app.Identity{}, err
		}
		if err := tx.AddHandleChange(ctx, ident.ID, ident.Handle, at); err != nil {
			return app.Identity{}, err
		}
		if err := s.audit(ctx, tx, "system", "identity.create", ident.ID, map[string]string{
			"handle": ident.Handle, "user_id": u.ID}); err != nil {
			return app.Identity{}, err
		}
		return ident, s.auditFlags(ctx, tx, ident, flags)
	case err != nil:
		return app.Identity{}, err
	}
	changed := false
	if u.DisplayName != "" && u.DisplayName != ident.DisplayName {
		ident.DisplayName, changed = u.DisplayName, true
	}
	var flags []string
	if u.Handle != "" && u.Handle != ident.Handle {
		old := ident.Handle
		ident.Handle, changed = u.Handle, true
		if !strings.EqualFold(old, u.Handle) { // a change of case only is the same handle
			ident.HandleChanged = true
			if err := tx.AddHandleChange(ctx, ident.ID, u.Handle, at); err != nil {
				return app.Identity{}, err
			}
			if err := s.audit(ctx, tx, "system", "identity.handle_changed", ident.ID, map[string]string{
				"from": old, "to": u.Handle, "user_id": u.ID, "level": string(ident.Level)}); err != nil {
				return app.Identity{}, err
			}
			if flags, err = s.checkHandle(ctx, tx, &ident); err != nil {
				return app.Identity{}, err
			}
		}
	}
	if changed {
		if err := tx.UpdateIdentity(ctx, &ident); err != nil {
			return app.Identity{}, err
		}
	}
	return ident, s.auditFlags(ctx, tx, ident, flags)
}

func (s *Service) auditFlags(ctx context.Context, tx Tx, ident app.Identity, flags []string) error {
	for _, f := range flags {
		if err := s.audit(ctx, tx, "system", "identity.flag", ident.ID, map[string]string{
			"handle": ident.Handle, "user_id": ident.UserID, "flag": f}); err != nil {
			return err
		}
	}
	return nil
}

// ObserveHandle is called by intake, inside its transaction, for the author of every message:
// it finds or creates the identity bound to userID and records a changed handle (level kept),
// flags a takeover when another user id was linked or verified under this handle, and flags
// lookalikes of the official handles.
func (s *Service) ObserveHandle(ctx context.Context, atx app.Tx, netName, userID, handle, displayName string) (app.Identity, error) {
	tx, err := asTx(atx)
	if err != nil {
		return app.Identity{}, err
	}
	if userID == "" {
		return app.Identity{}, app.Invalid("user_id", "a message author without a user id")
	}
	return s.observe(ctx, tx, netName, network.User{ID: userID, Handle: handle, DisplayName: displayName})
}

// Link binds the account holding handle to a resident at level linked (a verified account
// keeps its level). Offline, the identity is recorded without a user id, for ResolvePending.
// An account already linked to another resident is app.ErrConflict.
func (s *Service) Link(ctx context.Context, actor, residentID, handle string) (app.Identity, error) {
	if err := checkActor(actor); err != nil {
		return app.Identity{}, err
	}
	h, err := NormalizeHandle(handle)
	if err != nil {
		return app.Identity{}, err
	}
	u, err := s.resolve(ctx, h)
	offline := errors.Is(err, ErrOffline)
	if err != nil && !offline {
		return app.Identity{}, err
	}
	var ident app.Identity
	err = s.inTx(ctx, func(tx Tx) error {
		res, err := tx.GetResident(ctx, residentID)
		if err != nil {
			return err
		}
		if offline {
			ident, err = s.linkPending(ctx, tx, actor, res, h)
			return err
		}
		ident, err = s.observe(ctx, tx, Network, u)
		if err != nil {
			return err
		}
		return s.attach(ctx, tx, actor, &ident, res)
	})
	return ident, err
}

// attach links ident to resident res.
func (s *Service) attach(ctx context.Context, tx Tx, actor string, ident *app.Identity, res app.Resident) error {
	if ident.ResidentID != "" && ident.ResidentID != res.ID {
		return fmt.Errorf("link @%s: the account (user id %s) is already linked to another resident: %w", ident.Handle, ident.UserID, app.ErrConflict)
	}
	old := ident.Level
	ident.ResidentID = res.ID
	if !ident.Level.AtLeast(app.LevelLinked) {
		ident.Level = app.LevelLinked
	}
	if ident.Level == app.LevelVerified && res.InCensus {
		ident.Level = app.LevelVerifiedCensus
	}
	if err := tx.UpdateIdentity(ctx, ident); err != nil {
		return err
	}
	return s.audit(ctx, tx, actor, "identity.link", ident.ID, map[string]string{
		"resident": res.ID, "handle": ident.Handle, "user_id": ident.UserID, "from": string(old), "to": string(ident.Level)})
}

func (s *Service) linkPending(ctx context.Context, tx Tx, actor string, res app.Resident, h string) (app.Identity, error) {
	pending, err := tx.ListPendingIdentities(ctx, Network)
	if err != nil {
		return app.Identity{}, err
	}
	for _, p := range pending {
		if strings.EqualFold(p.Handle, h) && p.ResidentID == res.ID {
			return p, nil
		}
	}
	ident := app.Identity{Network: Network, Handle: h, ResidentID: res.ID, Level: app.LevelLinked}
	flags, err := s.checkHandle(ctx, tx, &ident)
	if err != nil {
		return app.Identity{}, err
	}
	if err := tx.CreateIdentity(ctx, &ident); err != nil {
		return app.Identity{}, err
	}
	if err := tx.AddHandleChange(ctx, ident.ID, h, s.now()); err != nil {
		return app.Identity{}, err
	}
	if err := s.audit(ctx, tx, actor, "identity.link_pending", ident.ID, map[string]string{
		"resident": res.ID, "handle": h, "reason": "offline: the user id will be resolved later"}); err != nil {
		return app.Identity{}, err
	}
	return ident, s.auditFlags(ctx, tx, ident, flags)
}

// ResolvePending resolves the handles linked while offline. It stops at the first network
// failure that may pass (returning ErrOffline) and skips handles that cannot be resolved now
// (gone, or already linked to another resident), which stay pending and are audited.
func (s *Service) ResolvePending(ctx context.Context) (resolved int, err error) {
	pending, err := s.store.ListPendingIdentities(ctx, Network)
	if err != nil {
		return 0, err
	}
	var errs []error
	for _, p := range pending {
		u, err := s.resolve(ctx, p.Handle)
		if errors.Is(err, ErrOffline) {
			return resolved, err
		}
		if err != nil {
			errs = append(errs, err)
			continue
		}
		err = s.inTx(ctx, func(tx Tx) error {
			p, err := tx.GetIdentity(ctx, p.ID)
			if err != nil || p.UserID != "" {
				return err // resolved meanwhile
			}
			existing, err := tx.GetIdentityByUserID(ctx, Network, u.ID)
			if errors.Is(err, app.ErrNotFound) {
				p.UserID, p.DisplayName = u.ID, u.DisplayName
				if u.Handle != p.Handle {
					p.Handle = u.Handle
					if err := tx.AddHandleChange(ctx, p.ID, u.Handle, s.now()); err != nil {
						return err
					}
				}
				flags, err := s.checkHandle(ctx, tx, &p)
				if err != nil {
					return err
				}
				if err := tx.UpdateIdentity(ctx, &p); err != nil {
					return err
				}
				if err := s.audit(ctx, tx, "system", "identity.resolve", p.ID, map[string]string{"handle": p.Handle, "user_id": u.ID}); err != nil {
					return err
				}
				return s.auditFlags(ctx, tx, p, flags)
			}
			if err != nil {
				return err
			}
			res, err := tx.GetResident(ctx, p.ResidentID)
			if err != nil {
				return err
			}
			if err := s.attach(ctx, tx, "system", &existing, res); err != nil {
				return err
			}
			if err := tx.DeletePendingIdentity(ctx, p.ID); err != nil {
				return err
			}
			return s.audit(ctx, tx, "system", "identity.resolve", existing.ID, map[string]string{
				"handle": p.Handle, "user_id": u.ID, "merged_pending": p.ID})
		})
		if errors.Is(err, app.ErrConflict) {
			errs = append(errs, err)
			if aerr := s.inTx(ctx, func(tx Tx) error {
				return s.audit(ctx, tx, "system", "identity.resolve_conflict", p.ID, map[string]string{"handle": p.Handle, "user_id": u.ID, "error": err.Error()})
			}); aerr != nil {
				return resolved, aerr
			}
			continue
		}
		if err != nil {
			return resolved, err
		}
		resolved++
	}
	return resolved, errors.Join(errs...)
}

// Start issues a one-time code for the account holding handle, revoking its older open codes.
// The account need not be linked to a resident (the kiosk starts verifications on its own).
// Offline, a code can still be issued for an account whose user id is already known.
func (s *Service) Start(ctx context.Context, actor, handle string, ttl time.Duration) (Challenge, error) {
	if err := checkActor(actor); err != nil {
		return Challenge{}, err
	}
	h, err := NormalizeHandle(handle)
	if err != nil {
		return Challenge{}, err
	}
	if ttl <= 0 {
		ttl = DefaultTTL
	}
	if ttl > 7*24*time.Hour {
		return Challenge{}, app.Invalid("ttl", "a code may be valid for at most 7 days")
	}
	u, err := s.resolve(ctx, h)
	offline := errors.Is(err, ErrOffline)
	if err != nil && !offline {
		return Challenge{}, err
	}
	var ch Challenge
	err = s.inTx(ctx, func(tx Tx) error {
		var ident app.Identity
		if offline {
			holder, err := s.holder(ctx, tx, h)
			if errors.Is(err, app.ErrNotFound) || (err == nil && holder.UserID == "") {
				return fmt.Errorf("start verification of @%s: its user id is not known yet and the network is unreachable; try again when online: %w", h, ErrOffline)
			}
			if err != nil {
				return err
			}
			ident = holder
		} else {
			if ident, err = s.observe(ctx, tx, Network, u); err != nil {
				return err
			}
		}
		olds, err := tx.ListChallenges(ctx, ident.ID)
		if err != nil {
			return err
		}
		for _, o := range olds {
			if o.Status == ChallengeOpen {
				o.Status = ChallengeRevoked
				if err := tx.UpdateChallenge(ctx, &o); err != nil {
					return err
				}
			}
		}
		code, err := s.uniqueCode(ctx, tx)
		if err != nil {
			return err
		}
		by, err := staffRef(ctx, tx, actor)
		if err != nil {
			return err
		}
		rec := ChallengeRecord{IdentityID: ident.ID, Code: code, ExpiresAt: s.now().Add(ttl), IssuedBy: by}
		if err := tx.CreateChallenge(ctx, &rec); err != nil {
			return err
		}
		ch = Challenge{Code: code, ExpiresAt: rec.ExpiresAt, Handle: ident.Handle, UserID: ident.UserID, IdentityID: ident.ID}
		return s.audit(ctx, tx, actor, "verify.start", ident.ID, map[string]string{
			"handle": ident.Handle, "user_id": ident.UserID, "challenge": rec.ID,
			"expires_at": rec.ExpiresAt.Format(time.RFC3339), "offline": fmt.Sprint(offline)})
	})
	return ch, err
}

// uniqueCode draws codes until one is not in use by an open challenge.
func (s *Service) uniqueCode(ctx context.Context, tx Tx) (string, error) {
	for range 20 {
		code, err := verifycode.New(s.rand)
		if err != nil {
			return "", err
		}
		same, err := tx.FindChallengesByCode(ctx, code)
		if err != nil {
			return "", err
		}
		if len(same) == 0 {
			return code, nil
		}
	}
	return "", errors.New("draw verification code: the random source keeps repeating itself")
}

// holder is the identity that, as far as the register knows, holds handle now: of those
// recorded with it, the one that took it most recently.
func (s *Service) holder(ctx context.Context, r Reader, handle string) (app.Identity, error) {
	ids, err := r.ListIdentitiesByHandle(ctx, Network, handle)
	if err != nil {
		return app.Identity{}, err
	}
	var best app.Identity
	var bestSeen time.Time
	for _, id := range ids {
		hist, err := r.ListHandleHistory(ctx, id.ID)
		if err != nil {
			return app.Identity{}, err
		}
		var seen time.Time
		for _, hc := range hist {
			if strings.EqualFold(hc.Handle, handle) {
				seen = hc.SeenAt
			}
		}
		if best.ID == "" || seen.After(bestSeen) || (seen.Equal(bestSeen) && id.CreatedAt.After(best.CreatedAt)) {
			best, bestSeen = id, seen
		}
	}
	if best.ID == "" {
		return app.Identity{}, fmt.Errorf("no account with handle @%s in the register: %w", handle, app.ErrNotFound)
	}
	return best, nil
}

// Revoke takes an identity's verification away (back to linked, or unknown without a
// resident) and voids its open codes.
func (s *Service) Revoke(ctx context.Context, actor, identityID, reason string) error {
	if err := checkActor(actor); err != nil {
		return err
	}
	reason = strings.TrimSpace(reason)
	if reason == "" {
		return app.Invalid("reason", "say why the verification is revoked")
	}
	return s.inTx(ctx, func(tx Tx) error {
		ident, err := tx.GetIdentity(ctx, identityID)
		if err != nil {
			return err
		}
		old := ident.Level
		ident.Level = app.LevelUnknown
		if ident.ResidentID != "" {
			ident.Level = app.LevelLinked
		}
		ident.VerifiedAt, ident.VerifiedBy, ident.VerifiedMethod, ident.VerifiedMessageID = time.Time{}, "", "", ""
		if err := tx.UpdateIdentity(ctx, &ident); err != nil {
			return err
		}
		chs, err := tx.ListChallenges(ctx, ident.ID)
		if err != nil {
			return err
		}
		for _, c := range chs {
			if c.Status == ChallengeOpen {
				c.Status = ChallengeRevoked
				if err := tx.UpdateChallenge(ctx, &c); err != nil {
					return err
				}
			}
		}
		return s.audit(ctx, tx, actor, "verify.revoke", ident.ID, map[string]string{
			"handle": ident.Handle, "user_id": ident.UserID, "from": string(old), "to": string(ident.Level), "reason": reason})
	})
}
