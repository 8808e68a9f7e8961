package desk

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"ventanilla/app"
	"ventanilla/app/network"
	"ventanilla/app/verify"
)

// The administrator's settings: the municipality, its official accounts, the network
// credentials, intake's configuration (rules, templates, calendar, procedure catalogue), the
// sync interval and the interface language. Every change needs PermSettings and is audited in
// its own transaction; changes to intake's configuration call the WithOnConfigChanged hook
// after they commit, so that the intake service stops using its cached copy.
//
// Validation errors are *app.InvalidError whose Field names the form field and whose Message
// is a fixed English sentence (the desk translates it), so the UI can show it beside the field.

// Setting keys written here.
const (
	SettingMunicipalityName  = "municipality.name"
	SettingSyncInterval      = "sync.interval_minutes"
	SettingLanguage          = "ui.language"
	SettingXBearerToken      = "x.bearer_token"
	SettingXAPIKey           = "x.api_key"
	SettingXAPIKeySecret     = "x.api_key_secret"
	SettingXAccessToken      = "x.access_token"
	SettingXAccessSecret     = "x.access_token_secret"
	SettingXBaseURL          = "x.base_url"
	DefaultSyncInterval      = 2 * time.Minute
	minSyncMinutes           = 1
	maxSyncMinutes           = 60
	maxMunicipalityNameRunes = 100
)

// SettingsReader is what the settings read, inside and outside a transaction.
type SettingsReader interface {
	ListIntakeRules(ctx context.Context) ([]app.IntakeRule, error)
	ListProcedureTypes(ctx context.Context) ([]app.ProcedureType, error)
	ListHolidays(ctx context.Context) ([]app.Holiday, error)
	ListDirectoryEntries(ctx context.Context) ([]DirectoryEntry, error)
}

// SettingsWriter is what the settings write besides app.Tx.
type SettingsWriter interface {
	// ReplaceIntakeRules replaces every rule with rules, keeping their ids.
	ReplaceIntakeRules(ctx context.Context, rules []app.IntakeRule) error
	CreateProcedureType(ctx context.Context, p *app.ProcedureType) error
	// UpdateProcedureType rewrites p (ErrNotFound if its id is unknown, ErrConflict if its
	// code is taken).
	UpdateProcedureType(ctx context.Context, p *app.ProcedureType) error
	AddHoliday(ctx context.Context, h app.Holiday) error
	// DeleteHoliday removes the day of that scope (ErrNotFound if there is none).
	DeleteHoliday(ctx context.Context, day, scope string) error
	UpdateDirectoryEntry(ctx context.Context, e *DirectoryEntry) error
	DeleteDirectoryEntry(ctx context.Context, id string) error
}

// WithOnConfigChanged sets a function called after a change to intake's configuration (rules,
// templates, holidays, procedures, official accounts) has committed; main passes the intake
// service's Reload. It runs on the caller's goroutine and must not block.
func WithOnConfigChanged(f func()) Option { return func(s *Service) { s.onConfig = f } }

func (s *Service) configChanged() {
	if s.onConfig != nil {
		s.onConfig()
	}
}

// setting reads a setting, "" when unset.
func setting(ctx context.Context, r app.Reader, key string) (string, error) {
	v, err := r.GetSetting(ctx, key)
	if errors.Is(err, app.ErrNotFound) {
		return "", nil
	}
	return v, err
}

// ---- General ----

// GeneralSettings are the municipality's name, how often the network is synced and the
// interface language (applied at the next start).
type GeneralSettings struct {
	MunicipalityName    string
	SyncIntervalMinutes int
	Language            string // es, en, or "" to follow the system
}

// General returns the general settings, with defaults for what was never set.
func (s *Service) General(ctx context.Context, sess *Session) (GeneralSettings, error) {
	if err := s.require(sess, PermSettings); err != nil {
		return GeneralSettings{}, err
	}
	g := GeneralSettings{}
	var err error
	if g.MunicipalityName, err = setting(ctx, s.store, SettingMunicipalityName); err != nil {
		return g, err
	}
	iv, err := s.SyncInterval(ctx)
	if err != nil {
		return g, err
	}
	g.SyncIntervalMinutes = int(iv / time.Minute)
	g.Language, err = s.InterfaceLanguage(ctx)
	return g, err
}

// SaveGeneral validates and saves the general settings.
func (s *Service) SaveGeneral(ctx context.Context, sess *Session, g GeneralSettings) error {
	if err := s.require(sess, PermSettings); err != nil {
		return err
	}
	g.MunicipalityName = strings.Join(strings.Fields(g.MunicipalityName), " ")
	switch {
	case g.MunicipalityName == "":
		return app.Invalid("municipality_name", "The municipality's name is required.")
	case utf8.RuneCountInString(g.MunicipalityName) > maxMunicipalityNameRunes:
		return app.Invalid("municipality_name", "The name is too long (at most 100 characters).")
	case g.SyncIntervalMinutes < minSyncMinutes || g.SyncIntervalMinutes > maxSyncMinutes:
		return app.Invalid("sync_interval", "The sync interval is between 1 and 60 minutes.")
	case g.Language != "" && g.Language != "es" && g.Language != "en":
		return app.Invalid("language", "The language is Spanish or English.")
	}
	return s.inTx(ctx, func(tx Tx) error {
		for _, kv := range [][2]string{
			{SettingMunicipalityName, g.MunicipalityName},
			{SettingSyncInterval, strconv.Itoa(g.SyncIntervalMinutes)},
			{SettingLanguage, g.Language},
		} {
			old, err := setting(ctx, tx, kv[0])
			if err != nil {
				return err
			}
			if old == kv[1] {
				continue
			}
			if err := tx.PutSetting(ctx, kv[0], kv[1]); err != nil {
				return err
			}
			if err := audit(ctx, tx, sess.actor(), "setting.put", kv[0], kv[1]); err != nil {
				return err
			}
		}
		return nil
	})
}

// SyncInterval is the time between sync rounds the administrator chose, DefaultSyncInterval
// if none. It needs no session: main reads it at start-up.
func (s *Service) SyncInterval(ctx context.Context) (time.Duration, error) {
	v, err := setting(ctx, s.store, SettingSyncInterval)
	if err != nil {
		return 0, err
	}
	n, perr := strconv.Atoi(v)
	if perr != nil || n < minSyncMinutes || n > maxSyncMinutes {
		return DefaultSyncInterval, nil
	}
	return time.Duration(n) * time.Minute, nil
}

// MunicipalityName is the town hall's name as Settings has it ("" until an administrator sets
// it); anyone may read it: the desk shows it in its title.
func (s *Service) MunicipalityName(ctx context.Context) (string, error) {
	return setting(ctx, s.store, SettingMunicipalityName)
}

// InterfaceLanguage is the interface language the administrator chose ("es" or "en"), ""
// when none was chosen (follow the system). It needs no session: main reads it at start-up.
func (s *Service) InterfaceLanguage(ctx context.Context) (string, error) {
	v, err := setting(ctx, s.store, SettingLanguage)
	if err != nil || (v != "es" && v != "en") {
		return "", err
	}
	return v, nil
}

// ---- Official accounts ----

// OfficialAccounts lists the town hall's own accounts: directory entries marked official.
func (s *Service) OfficialAccounts(ctx context.Context, sess *Session) ([]DirectoryEntry, error) {
	if err := s.require(sess, PermSettings); err != nil {
		return nil, err
	}
	all, err := s.store.ListDirectoryEntries(ctx)
	if err != nil {
		return nil, err
	}
	var out []DirectoryEntry
	for _, e := range all {
		if e.Official {
			out = append(out, e)
		}
	}
	return out, nil
}

var handlePattern = regexp.MustCompile(`^[A-Za-z0-9_]{1,15}$`)

// SaveOfficialAccount adds (empty ID) or changes one of the town hall's own accounts. The
// account whose department is the local police's (code "policia") is the police account that
// intake routes mentions of to the police. The verification service's list of official
// handles (for lookalike warnings) is rewritten in the same transaction.
func (s *Service) SaveOfficialAccount(ctx context.Context, sess *Session, e DirectoryEntry) (DirectoryEntry, error) {
	if err := s.require(sess, PermSettings); err != nil {
		return e, err
	}
	e.Name = strings.TrimSpace(e.Name)
	e.Handle = strings.TrimPrefix(strings.TrimSpace(e.Handle), "@")
	e.UserID = strings.TrimSpace(e.UserID)
	e.Official = true
	if e.Kind == "" {
		e.Kind = "department"
	}
	switch {
	case e.Name == "":
		return e, app.Invalid("name", "The name is required.")
	case !handlePattern.MatchString(e.Handle):
		return e, app.Invalid("handle", "A handle has 1 to 15 letters, digits or underscores.")
	case e.UserID != "" && strings.Trim(e.UserID, "0123456789") != "":
		return e, app.Invalid("user_id", "The user id is a number.")
	case e.Kind != "councillor" && e.Kind != "employee" && e.Kind != "department":
		return e, app.Invalid("kind", "Unknown kind of account.")
	}
	err := s.inTx(ctx, func(tx Tx) error {
		if e.DepartmentID != "" {
			if err := departmentExists(ctx, tx, e.DepartmentID); err != nil {
				return err
			}
		}
		all, err := tx.ListDirectoryEntries(ctx)
		if err != nil {
			return err
		}
		for _, o := range all {
			if o.ID != e.ID && o.Official && strings.EqualFold(o.Handle, e.Handle) {
				return app.Invalid("handle", "That handle is already one of the official accounts.")
			}
		}
		action := "directory.official.update"
		if e.ID == "" {
			action = "directory.official.add"
			err = tx.CreateDirectoryEntry(ctx, &e)
		} else {
			err = tx.UpdateDirectoryEntry(ctx, &e)
		}
		if err != nil {
			return err
		}
		if err := syncOfficialHandles(ctx, tx); err != nil {
			return err
		}
		return audit(ctx, tx, sess.actor(), action, e.ID, "@"+e.Handle)
	})
	if err == nil {
		s.configChanged()
	}
	return e, err
}

// RemoveOfficialAccount deletes one of the town hall's own accounts from the directory.
func (s *Service) RemoveOfficialAccount(ctx context.Context, sess *Session, id string) error {
	if err := s.require(sess, PermSettings); err != nil {
		return err
	}
	err := s.inTx(ctx, func(tx Tx) error {
		all, err := tx.ListDirectoryEntries(ctx)
		if err != nil {
			return err
		}
		i := slices.IndexFunc(all, func(e DirectoryEntry) bool { return e.ID == id })
		if i < 0 || !all[i].Official {
			return fmt.Errorf("official account %s: %w", id, app.ErrNotFound)
		}
		if err := tx.DeleteDirectoryEntry(ctx, id); err != nil {
			return err
		}
		if err := syncOfficialHandles(ctx, tx); err != nil {
			return err
		}
		return audit(ctx, tx, sess.actor(), "directory.official.remove", id, "@"+all[i].Handle)
	})
	if err == nil {
		s.configChanged()
	}
	return err
}

// syncOfficialHandles rewrites the verification service's list of official handles from the
// directory.
func syncOfficialHandles(ctx context.Context, tx Tx) error {
	all, err := tx.ListDirectoryEntries(ctx)
	if err != nil {
		return err
	}
	var hs []string
	for _, e := range all {
		if e.Official && e.Handle != "" {
			hs = append(hs, e.Handle)
		}
	}
	return tx.PutSetting(ctx, verify.SettingOfficialHandles, strings.Join(hs, ","))
}

func departmentExists(ctx context.Context, r app.Reader, id string) error {
	ds, err := r.ListDepartments(ctx)
	if err != nil {
		return err
	}
	if !slices.ContainsFunc(ds, func(d app.Department) bool { return d.ID == id }) {
		return app.Invalid("department", "Unknown department.")
	}
	return nil
}

// ---- Network credentials ----

// Credentials are the town hall's X API credentials: a bearer token (OAuth 2.0 user context)
// or the four OAuth 1.0a values, and an optional base URL (another server speaking the same
// API, such as the simulator). It mirrors the X adapter's configuration without importing it.
type Credentials struct {
	BearerToken       string
	APIKey            string
	APIKeySecret      string
	AccessToken       string
	AccessTokenSecret string
	BaseURL           string
}

// HasAny reports whether any secret is set.
func (c Credentials) HasAny() bool {
	return c.BearerToken != "" || c.APIKey != "" || c.APIKeySecret != "" || c.AccessToken != "" || c.AccessTokenSecret != ""
}

// SecretState is what the desk may show of a stored secret: whether it is set and, for a
// secret long enough that it gives little away, its last four characters.
type SecretState struct {
	Set   bool
	Last4 string
}

// CredentialsView is what the settings screen shows of the stored credentials: never a
// secret in clear.
type CredentialsView struct {
	BearerToken       SecretState
	APIKey            SecretState
	APIKeySecret      SecretState
	AccessToken       SecretState
	AccessTokenSecret SecretState
	BaseURL           string // not secret
}

// minRevealLength is the shortest secret whose last four characters are shown.
const minRevealLength = 16

func secretState(v string) SecretState {
	st := SecretState{Set: v != ""}
	if r := []rune(v); len(r) >= minRevealLength {
		st.Last4 = string(r[len(r)-4:])
	}
	return st
}

var credentialKeys = []string{SettingXBearerToken, SettingXAPIKey, SettingXAPIKeySecret, SettingXAccessToken, SettingXAccessSecret}

func (c *Credentials) field(key string) *string {
	switch key {
	case SettingXBearerToken:
		return &c.BearerToken
	case SettingXAPIKey:
		return &c.APIKey
	case SettingXAPIKeySecret:
		return &c.APIKeySecret
	case SettingXAccessToken:
		return &c.AccessToken
	case SettingXAccessSecret:
		return &c.AccessTokenSecret
	case SettingXBaseURL:
		return &c.BaseURL
	}
	return nil
}

func readCredentials(ctx context.Context, r app.Reader) (Credentials, error) {
	var c Credentials
	for _, k := range append(slices.Clone(credentialKeys), SettingXBaseURL) {
		v, err := setting(ctx, r, k)
		if err != nil {
			return c, err
		}
		*c.field(k) = v
	}
	return c, nil
}

// NetworkCredentials returns the stored credentials for main to build the network client at
// start-up. It needs no session: it is never reachable from the desk's screens.
func (s *Service) NetworkCredentials(ctx context.Context) (Credentials, error) {
	return readCredentials(ctx, s.store)
}

// CredentialsStatus tells which credentials are stored, without revealing them.
func (s *Service) CredentialsStatus(ctx context.Context, sess *Session) (CredentialsView, error) {
	if err := s.require(sess, PermSettings); err != nil {
		return CredentialsView{}, err
	}
	c, err := readCredentials(ctx, s.store)
	if err != nil {
		return CredentialsView{}, err
	}
	return CredentialsView{
		BearerToken: secretState(c.BearerToken), APIKey: secretState(c.APIKey), APIKeySecret: secretState(c.APIKeySecret),
		AccessToken: secretState(c.AccessToken), AccessTokenSecret: secretState(c.AccessTokenSecret), BaseURL: c.BaseURL,
	}, nil
}

// CredentialsChange is what the administrator typed: an empty secret keeps the stored one;
// Clear lists the setting keys (SettingXBearerToken, …) to remove. BaseURL is always saved as
// given ("" for the real API).
type CredentialsChange struct {
	Credentials
	Clear []string
}

// SaveCredentials stores the network credentials (used from the next start). The result
// must be a bearer token, the four OAuth 1.0a values, both, or nothing; the audit log records
// which keys changed, never their values.
func (s *Service) SaveCredentials(ctx context.Context, sess *Session, ch CredentialsChange) error {
	if err := s.require(sess, PermSettings); err != nil {
		return err
	}
	ch.BaseURL = strings.TrimSpace(ch.BaseURL)
	if ch.BaseURL != "" {
		u, err := url.Parse(ch.BaseURL)
		if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" {
			return app.Invalid("base_url", "The address must start with http:// or https://.")
		}
	}
	for _, k := range credentialKeys {
		v := ch.field(k)
		*v = strings.TrimSpace(*v)
		if strings.ContainsAny(*v, " \t\r\n") {
			return app.Invalid(k, "A credential has no spaces.")
		}
	}
	return s.inTx(ctx, func(tx Tx) error {
		old, err := readCredentials(ctx, tx)
		if err != nil {
			return err
		}
		next := old
		next.BaseURL = ch.BaseURL
		for _, k := range credentialKeys {
			if slices.Contains(ch.Clear, k) {
				*next.field(k) = ""
			}
			if v := *ch.field(k); v != "" {
				*next.field(k) = v
			}
		}
		n := 0
		for _, v := range []string{next.APIKey, next.APIKeySecret, next.AccessToken, next.AccessTokenSecret} {
			if v != "" {
				n++
			}
		}
		if n != 0 && n != 4 {
			for _, k := range credentialKeys[1:] {
				if *next.field(k) == "" {
					return app.Invalid(k, "The four OAuth 1.0a values go together: fill in all four or none.")
				}
			}
		}
		var changed []string
		for _, k := range append(slices.Clone(credentialKeys), SettingXBaseURL) {
			if *next.field(k) == *old.field(k) {
				continue
			}
			if err := tx.PutSetting(ctx, k, *next.field(k)); err != nil {
				return err
			}
			changed = append(changed, k)
		}
		if len(changed) == 0 {
			return nil
		}
		// The keys only: a value would put the secret in the (readable) audit log.
		return audit(ctx, tx, sess.actor(), "setting.credentials", "x", strings.Join(changed, ","))
	})
}

// ---- Intake rules ----

// IntakeRules lists the classification rules in evaluation order.
func (s *Service) IntakeRules(ctx context.Context, sess *Session) ([]app.IntakeRule, error) {
	if err := s.require(sess, PermSettings); err != nil {
		return nil, err
	}
	return s.store.ListIntakeRules(ctx)
}

// Special values in a rule's lists (app/intake's NoKindHashtag, MentionPolice,
// MentionTownHall), kept as they are.
var ruleTokens = map[string]bool{"$nokind": true, "$police": true, "$townhall": true}

func cleanList(in []string, prefix string) []string {
	var out []string
	for _, v := range in {
		for _, p := range strings.Split(v, ",") {
			p = strings.TrimSpace(p)
			if !ruleTokens[p] {
				p = strings.TrimSpace(strings.TrimLeft(p, prefix))
			}
			if p != "" && !slices.Contains(out, p) {
				out = append(out, p)
			}
		}
	}
	return out
}

// normalizeRule cleans r and checks it on its own.
func normalizeRule(r *app.IntakeRule) error {
	r.Name = strings.TrimSpace(r.Name)
	r.Channel = strings.ToLower(strings.TrimSpace(r.Channel))
	if r.Channel == "" {
		r.Channel = "any"
	}
	r.Hashtags = cleanList(r.Hashtags, "#＃")
	r.Mentions = cleanList(r.Mentions, "@")
	r.Keywords = cleanList(r.Keywords, "")
	switch {
	case r.Name == "":
		return app.Invalid("name", "The rule needs a name.")
	case r.Channel != "any" && r.Channel != "mention" && r.Channel != "dm":
		return app.Invalid("channel", "The channel is any, mention or dm.")
	case r.Action != "case" && r.Action != "ignore":
		return app.Invalid("action", "The action is case or ignore.")
	case r.Action == "case" && !r.Kind.Valid():
		return app.Invalid("kind", "Choose the kind of case the rule opens.")
	case r.Action == "ignore" && r.Kind != "" && !r.Kind.Valid():
		return app.Invalid("kind", "Choose the kind of case the rule opens.")
	case r.Priority < 0:
		return app.Invalid("priority", "The priority is a number from 0 up.")
	}
	if r.Action == "ignore" {
		r.DepartmentID, r.ProcedureTypeID = "", ""
	}
	return nil
}

// catchAll reports whether a rule has no condition besides its channel: it takes every message
// of its channel that reaches it.
func catchAll(r app.IntakeRule) bool {
	return len(r.Hashtags) == 0 && len(r.Mentions) == 0 && len(r.Keywords) == 0
}

func channelsOverlap(a, b string) bool { return a == "any" || b == "any" || a == b }

// checkRules checks the rules as a whole: references exist, and a catch-all rule comes after
// every enabled rule it would otherwise hide.
func checkRules(ctx context.Context, tx Tx, rules []app.IntakeRule) error {
	ds, err := tx.ListDepartments(ctx)
	if err != nil {
		return err
	}
	ps, err := tx.ListProcedureTypes(ctx)
	if err != nil {
		return err
	}
	for _, r := range rules {
		if r.DepartmentID != "" && !slices.ContainsFunc(ds, func(d app.Department) bool { return d.ID == r.DepartmentID }) {
			return app.Invalid("department", "Unknown department.")
		}
		if r.ProcedureTypeID != "" && !slices.ContainsFunc(ps, func(p app.ProcedureType) bool { return p.ID == r.ProcedureTypeID }) {
			return app.Invalid("procedure", "Unknown procedure.")
		}
	}
	for _, r := range rules {
		if !r.Enabled || !catchAll(r) {
			continue
		}
		for _, o := range rules {
			if o.Enabled && o.ID != r.ID && o.Priority >= r.Priority && channelsOverlap(r.Channel, o.Channel) {
				return &app.InvalidError{Field: "hashtags", Message: "A rule without hashtags, mentions or keywords catches every message: give it a higher priority number than every other rule so it is tried last."}
			}
		}
	}
	return nil
}

// editRules reads the rules, lets edit change them, checks and saves the result in one
// transaction, and audits it.
func (s *Service) editRules(ctx context.Context, sess *Session, action, target string, edit func([]app.IntakeRule) ([]app.IntakeRule, error)) error {
	if err := s.require(sess, PermSettings); err != nil {
		return err
	}
	err := s.inTx(ctx, func(tx Tx) error {
		rules, err := tx.ListIntakeRules(ctx)
		if err != nil {
			return err
		}
		if rules, err = edit(rules); err != nil {
			return err
		}
		if err := checkRules(ctx, tx, rules); err != nil {
			return err
		}
		if err := tx.ReplaceIntakeRules(ctx, rules); err != nil {
			return err
		}
		return audit(ctx, tx, sess.actor(), action, target, fmt.Sprintf("%d rules", len(rules)))
	})
	if err == nil {
		s.configChanged()
	}
	return err
}

func ruleIndex(rules []app.IntakeRule, id string) (int, error) {
	i := slices.IndexFunc(rules, func(r app.IntakeRule) bool { return r.ID == id })
	if i < 0 {
		return -1, fmt.Errorf("intake rule %s: %w", id, app.ErrNotFound)
	}
	return i, nil
}

// SaveIntakeRule adds r (empty ID; a zero Priority puts it last) or replaces the rule with
// its ID. It returns the rule as saved.
func (s *Service) SaveIntakeRule(ctx context.Context, sess *Session, r app.IntakeRule) (app.IntakeRule, error) {
	if err := s.require(sess, PermSettings); err != nil {
		return r, err
	}
	if err := normalizeRule(&r); err != nil {
		return r, err
	}
	action := "intake_rule.update"
	if r.ID == "" {
		action = "intake_rule.add"
		r.ID = app.NewID()
	}
	err := s.editRules(ctx, sess, action, r.ID, func(rules []app.IntakeRule) ([]app.IntakeRule, error) {
		if action == "intake_rule.add" {
			if r.Priority == 0 {
				for _, o := range rules {
					r.Priority = max(r.Priority, o.Priority+10)
				}
			}
			return append(rules, r), nil
		}
		i, err := ruleIndex(rules, r.ID)
		if err != nil {
			return nil, err
		}
		rules[i] = r
		return rules, nil
	})
	return r, err
}

// DeleteIntakeRule removes a rule.
func (s *Service) DeleteIntakeRule(ctx context.Context, sess *Session, id string) error {
	return s.editRules(ctx, sess, "intake_rule.delete", id, func(rules []app.IntakeRule) ([]app.IntakeRule, error) {
		i, err := ruleIndex(rules, id)
		if err != nil {
			return nil, err
		}
		return slices.Delete(rules, i, i+1), nil
	})
}

// SetIntakeRuleEnabled turns a rule on or off.
func (s *Service) SetIntakeRuleEnabled(ctx context.Context, sess *Session, id string, enabled bool) error {
	return s.editRules(ctx, sess, "intake_rule.enable", id, func(rules []app.IntakeRule) ([]app.IntakeRule, error) {
		i, err := ruleIndex(rules, id)
		if err != nil {
			return nil, err
		}
		rules[i].Enabled = enabled
		return rules, nil
	})
}

// MoveIntakeRule moves a rule up (delta < 0, tried earlier) or down in the evaluation order by
// |delta| places; the priorities are then renumbered 10, 20, 30…
func (s *Service) MoveIntakeRule(ctx context.Context, sess *Session, id string, delta int) error {
	return s.editRules(ctx, sess, "intake_rule.move", id, func(rules []app.IntakeRule) ([]app.IntakeRule, error) {
		i, err := ruleIndex(rules, id)
		if err != nil {
			return nil, err
		}
		j := min(max(i+delta, 0), len(rules)-1)
		r := rules[i]
		rules = slices.Insert(slices.Delete(rules, i, i+1), j, r)
		for k := range rules {
			rules[k].Priority = (k + 1) * 10
		}
		return rules, nil
	})
}

// ---- Templates ----

// TemplateKeys are the templates intake sends; other keys are staff's reply templates.
var TemplateKeys = []string{
	"ack.incident.ok", "ack.incident.unverified", "ack.proposal.ok", "ack.proposal.unverified",
	"ack.procedure.ok", "ack.procedure.unverified", "ack.message.ok", "ack.message.unverified",
	"ack.query.ok", "ack.query.unverified", "ack.privacy", "verify.ok", "verify.expired",
}

// TemplatePlaceholders are the placeholders a template may use.
var TemplatePlaceholders = []string{"numero", "departamento", "plazo", "tramite", "destinatario", "handle"}

var placeholderPattern = regexp.MustCompile(`\{([^{}\s]*)\}`)

// TemplateSample is the text a template becomes with long sample values: what the length
// check measures.
func TemplateSample(body string, longestDepartment, longestProcedure string) string {
	vars := map[string]string{
		"numero": "E-2026-000123", "departamento": longestDepartment, "plazo": "31/12/2026",
		"tramite": longestProcedure, "destinatario": "Carmen Álvarez Fernández", "handle": "vecina_de_jun15",
	}
	if vars["departamento"] == "" {
		vars["departamento"] = "Atención ciudadana"
	}
	if vars["tramite"] == "" {
		vars["tramite"] = "Certificado de empadronamiento"
	}
	out := placeholderPattern.ReplaceAllStringFunc(body, func(m string) string {
		if v, ok := vars[m[1:len(m)-1]]; ok {
			return v
		}
		return m
	})
	return strings.Join(strings.Fields(out), " ")
}

// checkTemplate validates a template body for key.
func checkTemplate(key, body, longestDepartment, longestProcedure string) error {
	if body == "" {
		return app.Invalid("body", "The text is required.")
	}
	for _, m := range placeholderPattern.FindAllStringSubmatch(body, -1) {
		if !slices.Contains(TemplatePlaceholders, m[1]) {
			return app.Invalid("body", "Unknown placeholder: use {numero}, {departamento}, {plazo}, {tramite}, {destinatario} or {handle}.")
		}
	}
	if strings.HasPrefix(key, "ack.") && key != "ack.privacy" && !strings.Contains(body, "{numero}") {
		return app.Invalid("body", "An acknowledgement must contain {numero}, the registry number.")
	}
	if network.WeightedLength(TemplateSample(body, longestDepartment, longestProcedure)) > network.MaxWeightedLength {
		return app.Invalid("body", "Too long: with the number and names filled in it exceeds 280 characters.")
	}
	return nil
}

func longestNames(ctx context.Context, tx Tx) (dept, proc string, err error) {
	ds, err := tx.ListDepartments(ctx)
	if err != nil {
		return "", "", err
	}
	for _, d := range ds {
		if network.WeightedLength(d.Name) > network.WeightedLength(dept) {
			dept = d.Name
		}
	}
	ps, err := tx.ListProcedureTypes(ctx)
	if err != nil {
		return "", "", err
	}
	for _, p := range ps {
		for _, n := range []string{p.NameES, p.NameEN} {
			if network.WeightedLength(n) > network.WeightedLength(proc) {
				proc = n
			}
		}
	}
	return dept, proc, nil
}

// EditTemplate validates and saves a template: an acknowledgement (ack.*, except the privacy
// note appended to one) must contain {numero}; only known placeholders; and filled in with
// the longest department and procedure names it must fit in a post (280 weighted characters).
// A refused template changes nothing.
func (s *Service) EditTemplate(ctx context.Context, sess *Session, t Template) error {
	if err := s.require(sess, PermSettings); err != nil {
		return err
	}
	t.Key, t.Body = strings.TrimSpace(t.Key), strings.TrimSpace(t.Body)
	if t.Key == "" || strings.ContainsAny(t.Key, " \t\n") {
		return app.Invalid("key", "The template needs a name without spaces.")
	}
	if t.Lang != "es" && t.Lang != "en" {
		return app.Invalid("lang", "The language is Spanish or English.")
	}
	err := s.inTx(ctx, func(tx Tx) error {
		dept, proc, err := longestNames(ctx, tx)
		if err != nil {
			return err
		}
		if err := checkTemplate(t.Key, t.Body, dept, proc); err != nil {
			return err
		}
		if err := tx.PutTemplate(ctx, &t); err != nil {
			return err
		}
		return audit(ctx, tx, sess.actor(), "template.save", t.Key, t.Lang)
	})
	if err == nil {
		s.configChanged()
	}
	return err
}

// ---- Holidays ----

// Holidays lists the calendar's non-working days by date.
func (s *Service) Holidays(ctx context.Context, sess *Session) ([]app.Holiday, error) {
	if err := s.require(sess, PermSettings); err != nil {
		return nil, err
	}
	return s.store.ListHolidays(ctx)
}

func validScope(scope string) bool {
	return scope == "national" || scope == "regional" || scope == "local"
}

// AddHoliday adds a non-working day (date YYYY-MM-DD; scope national, regional or local).
// The same day and scope twice is ErrConflict.
func (s *Service) AddHoliday(ctx context.Context, sess *Session, h app.Holiday) error {
	if err := s.require(sess, PermSettings); err != nil {
		return err
	}
	h.Day, h.Name, h.Scope = strings.TrimSpace(h.Day), strings.TrimSpace(h.Name), strings.TrimSpace(h.Scope)
	if _, err := time.Parse(time.DateOnly, h.Day); err != nil {
		return app.Invalid("day", "The date is written YYYY-MM-DD, for example 2026-09-08.")
	}
	if h.Name == "" {
		return app.Invalid("name", "The holiday needs a name.")
	}
	if !validScope(h.Scope) {
		return app.Invalid("scope", "The scope is national, regional or local.")
	}
	err := s.inTx(ctx, func(tx Tx) error {
		hs, err := tx.ListHolidays(ctx)
		if err != nil {
			return err
		}
		if slices.ContainsFunc(hs, func(o app.Holiday) bool { return o.Day == h.Day && o.Scope == h.Scope }) {
			return fmt.Errorf("holiday %s (%s): already in the calendar: %w", h.Day, h.Scope, app.ErrConflict)
		}
		if err := tx.AddHoliday(ctx, h); err != nil {
			return err
		}
		return audit(ctx, tx, sess.actor(), "holiday.add", h.Day, h.Scope+" "+h.Name)
	})
	if err == nil {
		s.configChanged()
	}
	return err
}

// DeleteHoliday removes the non-working day of that date and scope.
func (s *Service) DeleteHoliday(ctx context.Context, sess *Session, day, scope string) error {
	if err := s.require(sess, PermSettings); err != nil {
		return err
	}
	err := s.inTx(ctx, func(tx Tx) error {
		if err := tx.DeleteHoliday(ctx, day, scope); err != nil {
			return err
		}
		return audit(ctx, tx, sess.actor(), "holiday.delete", day, scope)
	})
	if err == nil {
		s.configChanged()
	}
	return err
}

// ---- Procedure catalogue ----

// Procedures lists the procedure catalogue.
func (s *Service) Procedures(ctx context.Context, sess *Session) ([]app.ProcedureType, error) {
	if err := s.require(sess, PermSettings); err != nil {
		return nil, err
	}
	return s.store.ListProcedureTypes(ctx)
}

var procedureCodePattern = regexp.MustCompile(`^[a-z0-9]+(-[a-z0-9]+)*$`)

// SaveProcedure adds (empty ID) or changes an entry of the procedure catalogue. The code is
// lower case words joined by hyphens; the deadline is a number of working days or months (0:
// the general rule applies).
func (s *Service) SaveProcedure(ctx context.Context, sess *Session, p app.ProcedureType) (app.ProcedureType, error) {
	if err := s.require(sess, PermSettings); err != nil {
		return p, err
	}
	p.Code, p.NameES, p.NameEN = strings.TrimSpace(p.Code), strings.TrimSpace(p.NameES), strings.TrimSpace(p.NameEN)
	p.Keywords = cleanList(p.Keywords, "")
	if p.DeadlineUnit == "" {
		p.DeadlineUnit = "working_days"
	}
	switch {
	case !procedureCodePattern.MatchString(p.Code) || len(p.Code) > 40:
		return p, app.Invalid("code", "The code is lower-case letters and digits joined by hyphens, like obra-menor.")
	case p.NameES == "":
		return p, app.Invalid("name_es", "The Spanish name is required.")
	case p.NameEN == "":
		return p, app.Invalid("name_en", "The English name is required.")
	case len(p.Keywords) == 0:
		return p, app.Invalid("keywords", "Give at least one keyword residents use for it.")
	case p.DeadlineUnit != "working_days" && p.DeadlineUnit != "months":
		return p, app.Invalid("deadline_unit", "The deadline is in working days or months.")
	case p.DeadlineValue < 0 || (p.DeadlineUnit == "working_days" && p.DeadlineValue > 365) || (p.DeadlineUnit == "months" && p.DeadlineValue > 24):
		return p, app.Invalid("deadline_value", "The deadline is 0 (the general rule) up to 365 working days or 24 months.")
	}
	err := s.inTx(ctx, func(tx Tx) error {
		if p.DepartmentID != "" {
			if err := departmentExists(ctx, tx, p.DepartmentID); err != nil {
				return err
			}
		}
		action := "procedure.update"
		var err error
		if p.ID == "" {
			action = "procedure.add"
			err = tx.CreateProcedureType(ctx, &p)
		} else {
			err = tx.UpdateProcedureType(ctx, &p)
		}
		if errors.Is(err, app.ErrConflict) {
			return app.Invalid("code", "Another procedure has that code.")
		}
		if err != nil {
			return err
		}
		return audit(ctx, tx, sess.actor(), action, p.ID, p.Code)
	})
	if err == nil {
		s.configChanged()
	}
	return p, err
}
