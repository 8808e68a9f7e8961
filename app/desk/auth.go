package desk

import (
	"context"
	"errors"
	"fmt"
	"strings"
	"time"
	"unicode/utf8"

	"golang.org/x/crypto/bcrypt"

	"ventanilla/app"
)

// ErrBadCredentials means the username or the password is wrong; which one is not said.
var ErrBadCredentials = errors.New("wrong username or password")

// ErrLockedOut means too many wrong passwords were typed for a username; the caller should
// wait until the time in the *LockedOutError.
var ErrLockedOut = errors.New("too many failed sign-ins")

// ErrSessionEnded means the session was signed out, or is locked until its password is typed.
var ErrSessionEnded = errors.New("session ended or locked")

// LockedOutError says until when sign-in is refused for a username.
type LockedOutError struct{ Until time.Time }

func (e *LockedOutError) Error() string {
	return fmt.Sprintf("too many failed sign-ins: try again after %s", e.Until.Format("15:04:05"))
}
func (e *LockedOutError) Unwrap() error { return ErrLockedOut }

const (
	maxFailures     = 5
	lockOutDuration = time.Minute
	minPassword     = 8
	maxPassword     = 72 // bcrypt's limit, in bytes
)

// SessionKind tells a staff member's session from the lobby kiosk's.
type SessionKind string

const (
	SessionStaff SessionKind = "staff"
	SessionKiosk SessionKind = "kiosk"
)

// Session is a signed-in staff member (or the kiosk). Only this package makes them, so a
// session cannot be forged; services refuse ended, locked and kiosk sessions.
type Session struct {
	id        string
	kind      SessionKind
	staff     app.Staff
	startedAt time.Time
	ended     bool
	locked    bool
}

// Kind is staff or kiosk.
func (s *Session) Kind() SessionKind { return s.kind }

// Staff is the signed-in staff member, without the password hash.
func (s *Session) Staff() app.Staff {
	st := s.staff
	st.PasswordHash = ""
	return st
}

// Role is the staff member's role ("" for the kiosk).
func (s *Session) Role() app.Role { return s.staff.Role }

// StartedAt is when the session began.
func (s *Session) StartedAt() time.Time { return s.startedAt }

// actor is what the audit log records for the session.
func (s *Session) actor() string {
	if s == nil || s.kind == SessionKiosk {
		return "kiosk"
	}
	return s.staff.ID
}

// Permission is something a role may see or do.
type Permission string

const (
	PermCases     Permission = "cases"     // the inbox and case actions, within the role's scope
	PermRegister  Permission = "register"  // residents and their identities
	PermVerify    Permission = "verify"    // run verifications, import the census
	PermDirectory Permission = "directory" // read the directory
	PermSync      Permission = "sync"      // see the sync status
	PermSyncNow   Permission = "sync_now"  // start a sync round
	PermSettings  Permission = "settings"  // settings, templates, directory edits, backup
	PermStaff     Permission = "staff"     // staff accounts
)

var rolePermissions = map[app.Role][]Permission{
	app.RoleAdmin:      {PermCases, PermRegister, PermVerify, PermDirectory, PermSync, PermSyncNow, PermSettings, PermStaff},
	app.RoleClerk:      {PermCases, PermRegister, PermVerify, PermDirectory, PermSync, PermSyncNow},
	app.RolePolice:     {PermCases, PermDirectory, PermSync},
	app.RoleCouncillor: {PermCases, PermDirectory, PermSync},
}

// Roles lists every staff role in display order.
var Roles = []app.Role{app.RoleClerk, app.RolePolice, app.RoleCouncillor, app.RoleAdmin}

// Can reports whether the session's role has permission p. Kiosk sessions have none.
func (s *Session) Can(p Permission) bool {
	if s == nil || s.kind != SessionStaff {
		return false
	}
	for _, q := range rolePermissions[s.staff.Role] {
		if q == p {
			return true
		}
	}
	return false
}

// Scope is the part of the cases a role may see: police only incidents; councillors plenary
// proposals and the messages addressed to them; clerks and admins everything.
type Scope struct {
	OnlyKind     app.CaseKind // "" for any kind
	CouncillorID string       // set for councillors
}

// Scope is the session's view of the cases.
func (s *Session) Scope() Scope {
	switch s.staff.Role {
	case app.RolePolice:
		return Scope{OnlyKind: app.KindIncident}
	case app.RoleCouncillor:
		return Scope{CouncillorID: s.staff.ID}
	}
	return Scope{}
}

// CanSeeKind reports whether the role sees cases of kind k at all.
func (s *Session) CanSeeKind(k app.CaseKind) bool {
	if !s.Can(PermCases) {
		return false
	}
	sc := s.Scope()
	switch {
	case sc.OnlyKind != "":
		return k == sc.OnlyKind
	case sc.CouncillorID != "":
		return k == app.KindProposal || k == app.KindMessage
	}
	return true
}

// require checks that sess is a live staff session with permission p.
func (s *Service) require(sess *Session, p Permission) error {
	if sess == nil {
		return fmt.Errorf("no session: %w", app.ErrForbidden)
	}
	if sess.kind != SessionStaff {
		return fmt.Errorf("the kiosk cannot use staff services: %w", app.ErrForbidden)
	}
	s.mu.Lock()
	live, ok := s.sessions[sess.id]
	ended := !ok || live != sess || sess.ended
	locked := sess.locked
	s.mu.Unlock()
	if ended || locked {
		return ErrSessionEnded
	}
	if !sess.Can(p) {
		return fmt.Errorf("%s may not use %s: %w", sess.staff.Role, p, app.ErrForbidden)
	}
	return nil
}

// NewStaff is what is asked to create a staff account.
type NewStaff struct {
	Username     string
	FullName     string
	Role         app.Role
	Password     string
	DepartmentID string
}

func (n *NewStaff) validate() error {
	n.Username = strings.ToLower(strings.TrimSpace(n.Username))
	n.FullName = strings.TrimSpace(n.FullName)
	if n.Username == "" || strings.ContainsAny(n.Username, " \t@") || utf8.RuneCountInString(n.Username) > 40 {
		return app.Invalid("username", "a username is one word of up to 40 characters, without spaces or @")
	}
	if n.FullName == "" {
		return app.Invalid("full_name", "the full name is required")
	}
	if _, ok := rolePermissions[n.Role]; !ok {
		return app.Invalid("role", "unknown role %q", n.Role)
	}
	return checkPassword(n.Password)
}

func checkPassword(p string) error {
	if utf8.RuneCountInString(p) < minPassword {
		return app.Invalid("password", "the password needs at least %d characters", minPassword)
	}
	if len(p) > maxPassword {
		return app.Invalid("password", "the password may have at most %d bytes", maxPassword)
	}
	return nil
}

func (s *Service) hash(password string) (string, error) {
	h, err := bcrypt.GenerateFromPassword([]byte(password), s.cost)
	if err != nil {
		return "", fmt.Errorf("hash password: %w", err)
	}
	return string(h), nil
}

// NeedsFirstAdmin reports whether no staff account exists yet: the desk must then ask for the
// administrator before anything else.
func (s *Service) NeedsFirstAdmin(ctx context.Context) (bool, error) {
	n, err := s.store.CountStaff(ctx)
	if err != nil {
		return false, err
	}
	return n == 0, nil
}

// CreateFirstAdmin creates the administrator on a database without staff and signs them in.
// It is refused once any staff account exists.
func (s *Service) CreateFirstAdmin(ctx context.Context, n NewStaff) (*Session, error) {
	n.Role = app.RoleAdmin
	if err := n.validate(); err != nil {
		return nil, err
	}
	h, err := s.hash(n.Password)
	if err != nil {
		return nil, err
	}
	st := app.Staff{Username: n.Username, FullName: n.FullName, Role: app.RoleAdmin, PasswordHash: h, Active: true}
	err = s.inTx(ctx, func(tx Tx) error {
		all, err := tx.ListStaff(ctx)
		if err != nil {
			return err
		}
		if len(all) > 0 {
			return fmt.Errorf("create first administrator: staff accounts already exist: %w", app.ErrForbidden)
		}
		if err := tx.CreateStaff(ctx, &st); err != nil {
			return err
		}
		return audit(ctx, tx, st.ID, "staff.create_first_admin", st.ID, st.Username)
	})
	if err != nil {
		return nil, err
	}
	return s.startSession(st), nil
}

func (s *Service) startSession(st app.Staff) *Session {
	sess := &Session{id: app.NewID(), kind: SessionStaff, staff: st, startedAt: s.clock()}
	s.mu.Lock()
	s.sessions[sess.id] = sess
	s.mu.Unlock()
	return sess
}

// dummyHash keeps the time of a sign-in with an unknown username close to a wrong password's.
var dummyHash, _ = bcrypt.GenerateFromPassword([]byte("ventanilla-dummy-password"), bcrypt.MinCost)

// SignIn checks a username and password. After five wrong passwords in a row a username is
// refused for a minute (*LockedOutError). Successes and failures are audited.
func (s *Service) SignIn(ctx context.Context, username, password string) (*Session, error) {
	username = strings.ToLower(strings.TrimSpace(username))
	now := s.clock()
	s.mu.Lock()
	f := s.failures[username]
	s.mu.Unlock()
	if now.Before(f.until) {
		return nil, &LockedOutError{Until: f.until}
	}
	st, err := s.store.GetStaffByUsername(ctx, username)
	if err != nil && !errors.Is(err, app.ErrNotFound) {
		return nil, err
	}
	ok := false
	if err == nil && st.Active {
		ok = bcrypt.CompareHashAndPassword([]byte(st.PasswordHash), []byte(password)) == nil
	} else {
		bcrypt.CompareHashAndPassword(dummyHash, []byte(password))
	}
	if !ok {
		s.mu.Lock()
		f = s.failures[username]
		f.n++
		if f.n >= maxFailures {
			f = failureCount{until: now.Add(lockOutDuration)}
		}
		s.failures[username] = f
		s.mu.Unlock()
		aerr := s.inTx(ctx, func(tx Tx) error {
			return audit(ctx, tx, "system", "staff.sign_in_failed", "", username)
		})
		if aerr != nil {
			return nil, aerr
		}
		return nil, ErrBadCredentials
	}
	s.mu.Lock()
	delete(s.failures, username)
	s.mu.Unlock()
	if err := s.inTx(ctx, func(tx Tx) error {
		return audit(ctx, tx, st.ID, "staff.sign_in", st.ID, "")
	}); err != nil {
		return nil, err
	}
	return s.startSession(st), nil
}

// SignOut ends the session; every later call with it is refused.
func (s *Service) SignOut(ctx context.Context, sess *Session) error {
	if sess == nil || sess.kind != SessionStaff {
		return nil
	}
	s.mu.Lock()
	_, live := s.sessions[sess.id]
	delete(s.sessions, sess.id)
	sess.ended = true
	s.mu.Unlock()
	if !live {
		return nil
	}
	return s.inTx(ctx, func(tx Tx) error {
		return audit(ctx, tx, sess.staff.ID, "staff.sign_out", sess.staff.ID, "")
	})
}

// Lock suspends the session (the desk locks itself after inactivity); services refuse it until
// Unlock is given the staff member's password.
func (s *Service) Lock(sess *Session) {
	if sess == nil {
		return
	}
	s.mu.Lock()
	sess.locked = true
	s.mu.Unlock()
}

// Locked reports whether the session is locked.
func (s *Service) Locked(sess *Session) bool {
	s.mu.Lock()
	defer s.mu.Unlock()
	return sess != nil && sess.locked
}

// Unlock resumes a locked session when password is the staff member's.
func (s *Service) Unlock(ctx context.Context, sess *Session, password string) error {
	if sess == nil || sess.kind != SessionStaff {
		return app.ErrForbidden
	}
	s.mu.Lock()
	ended := sess.ended
	s.mu.Unlock()
	if ended {
		return ErrSessionEnded
	}
	st, err := s.store.GetStaff(ctx, sess.staff.ID)
	if err != nil {
		return err
	}
	if !st.Active || bcrypt.CompareHashAndPassword([]byte(st.PasswordHash), []byte(password)) != nil {
		return ErrBadCredentials
	}
	s.mu.Lock()
	sess.locked = false
	s.mu.Unlock()
	return nil
}

// KioskSession is the session of the lobby kiosk: it may use the kiosk's services, and every
// staff service refuses it.
func (s *Service) KioskSession() *Session {
	return &Session{id: app.NewID(), kind: SessionKiosk, startedAt: s.clock()}
}

// ListStaff lists the staff accounts (admins see all; others only need names, which
// StaffNames gives).
func (s *Service) ListStaff(ctx context.Context, sess *Session) ([]app.Staff, error) {
	if err := s.require(sess, PermStaff); err != nil {
		return nil, err
	}
	all, err := s.store.ListStaff(ctx)
	if err != nil {
		return nil, err
	}
	for i := range all {
		all[i].PasswordHash = ""
	}
	return all, nil
}

// StaffMember is a colleague as any signed-in staff member sees them: enough to assign work.
type StaffMember struct {
	ID       string
	FullName string
	Role     app.Role
}

// Colleagues lists the active staff members a case can be assigned to.
func (s *Service) Colleagues(ctx context.Context, sess *Session) ([]StaffMember, error) {
	if err := s.require(sess, PermCases); err != nil {
		return nil, err
	}
	all, err := s.store.ListStaff(ctx)
	if err != nil {
		return nil, err
	}
	var out []StaffMember
	for _, st := range all {
		if st.Active {
			out = append(out, StaffMember{ID: st.ID, FullName: st.FullName, Role: st.Role})
		}
	}
	return out, nil
}

// CreateStaff adds a staff account (admin only).
func (s *Service) CreateStaff(ctx context.Context, sess *Session, n NewStaff) (app.Staff, error) {
	if err := s.require(sess, PermStaff); err != nil {
		return app.Staff{}, err
	}
	if err := n.validate(); err != nil {
		return app.Staff{}, err
	}
	h, err := s.hash(n.Password)
	if err != nil {
		return app.Staff{}, err
	}
	st := app.Staff{Username: n.Username, FullName: n.FullName, Role: n.Role, PasswordHash: h, DepartmentID: n.DepartmentID, Active: true}
	err = s.inTx(ctx, func(tx Tx) error {
		if err := tx.CreateStaff(ctx, &st); err != nil {
			return err
		}
		return audit(ctx, tx, sess.actor(), "staff.create", st.ID, fmt.Sprintf("%s (%s)", st.Username, st.Role))
	})
	st.PasswordHash = ""
	return st, err
}

// StaffChange edits an account (admin only). An empty Password keeps the current one.
type StaffChange struct {
	ID           string
	FullName     string
	Role         app.Role
	DepartmentID string
	Active       bool
	Password     string
}

// UpdateStaff changes a staff account. An admin cannot demote or deactivate themselves, so
// the desk always keeps an administrator.
func (s *Service) UpdateStaff(ctx context.Context, sess *Session, c StaffChange) error {
	if err := s.require(sess, PermStaff); err != nil {
		return err
	}
	if _, ok := rolePermissions[c.Role]; !ok {
		return app.Invalid("role", "unknown role %q", c.Role)
	}
	if strings.TrimSpace(c.FullName) == "" {
		return app.Invalid("full_name", "the full name is required")
	}
	if c.ID == sess.staff.ID && (c.Role != app.RoleAdmin || !c.Active) {
		return app.Invalid("role", "you cannot remove your own administrator access")
	}
	var hash string
	if c.Password != "" {
		if err := checkPassword(c.Password); err != nil {
			return err
		}
		h, err := s.hash(c.Password)
		if err != nil {
			return err
		}
		hash = h
	}
	return s.inTx(ctx, func(tx Tx) error {
		st, err := tx.GetStaff(ctx, c.ID)
		if err != nil {
			return err
		}
		st.FullName, st.Role, st.DepartmentID, st.Active = strings.TrimSpace(c.FullName), c.Role, c.DepartmentID, c.Active
		details := fmt.Sprintf("role=%s active=%v", st.Role, st.Active)
		if hash != "" {
			st.PasswordHash = hash
			details += " password reset"
		}
		if err := tx.UpdateStaff(ctx, &st); err != nil {
			return err
		}
		return audit(ctx, tx, sess.actor(), "staff.update", st.ID, details)
	})
}

// ChangePassword lets any staff member change their own password.
func (s *Service) ChangePassword(ctx context.Context, sess *Session, old, new string) error {
	if err := s.require(sess, PermDirectory); err != nil {
		return err
	}
	if err := checkPassword(new); err != nil {
		return err
	}
	h, err := s.hash(new)
	if err != nil {
		return err
	}
	return s.inTx(ctx, func(tx Tx) error {
		st, err := tx.GetStaff(ctx, sess.staff.ID)
		if err != nil {
			return err
		}
		if bcrypt.CompareHashAndPassword([]byte(st.PasswordHash), []byte(old)) != nil {
			return ErrBadCredentials
		}
		st.PasswordHash = h
		if err := tx.UpdateStaff(ctx, &st); err != nil {
			return err
		}
		return audit(ctx, tx, sess.actor(), "staff.change_password", st.ID, "")
	})
}
