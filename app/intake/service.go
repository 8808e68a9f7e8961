package intake

import (
	"context"
	"fmt"
	"maps"
	"strings"
	gosync "sync"
	"time"
	"unicode/utf8"

	"ventanilla/app"
	"ventanilla/app/calendar"
	"ventanilla/app/network"
	"ventanilla/app/privacy"
	"ventanilla/app/sync"
)

// Store is what the intake service reads besides app.Store: the town hall's rules, catalogue,
// calendar, directory and message templates.
type Store interface {
	app.Store
	CatalogReader
}

// CatalogReader reads the editable configuration intake works from.
type CatalogReader interface {
	ListIntakeRules(ctx context.Context) ([]app.IntakeRule, error)
	ListProcedureTypes(ctx context.Context) ([]app.ProcedureType, error)
	ListHolidays(ctx context.Context) ([]app.Holiday, error)
	ListDirectoryEntries(ctx context.Context) ([]app.DirectoryEntry, error)
	TemplatesByKey(ctx context.Context, lang string) (map[string]string, error)
}

// Verifier is the verification service as intake uses it, inside intake's transaction.
type Verifier interface {
	ObserveHandle(ctx context.Context, tx app.Tx, network, userID, handle, displayName string) (app.Identity, error)
	HandleMessage(ctx context.Context, tx app.Tx, m app.InboundMessage) (handled bool, outcome string, err error)
	// MayVerify reports whether HandleMessage could handle a message with this text; it reads
	// only the text.
	MayVerify(text string) bool
}

// Service turns each new inbound message into what it should be: a verification step, a
// message joining an existing case, a new case of the right kind for the right department
// with its due date and acknowledgement, or nothing (the town hall's own posts). It
// implements sync.Intake.
type Service struct {
	store    Store
	verifier Verifier
	clock    app.Clock

	mu     gosync.Mutex
	cfg    *config
	loaded time.Time

	// prepared holds what Prepare read from messages not accepted yet, by network and id.
	prepMu   gosync.Mutex
	prepared map[string]analysis
}

var (
	_ sync.Intake   = (*Service)(nil)
	_ sync.Preparer = (*Service)(nil)
)

// New builds the intake service; verifier may be nil (no verification, authors unknown).
func New(store Store, verifier Verifier, clock app.Clock) *Service {
	if clock == nil {
		clock = app.SystemClock
	}
	return &Service{store: store, verifier: verifier, clock: clock}
}

// config is the configuration loaded from the store, cached for a short while: rules, the
// catalogue and templates change rarely and are read for every message.
type config struct {
	rules      []Rule
	procs      []Procedure
	procByCode map[string]app.ProcedureType
	deptByCode map[string]app.Department
	deptByID   map[string]app.Department
	dir        Directory
	officialID map[string]bool
	calendar   *calendar.Calendar
	templates  map[string]map[string]string // language → key → body
}

const configTTL = 30 * time.Second

// Reload drops the cached configuration, after staff edited rules, templates or the calendar.
func (s *Service) Reload() {
	s.mu.Lock()
	s.cfg = nil
	s.mu.Unlock()
}

func (s *Service) config(ctx context.Context, r app.Reader, owner network.User) (*config, error) {
	s.mu.Lock()
	defer s.mu.Unlock()
	if s.cfg != nil && s.clock().Sub(s.loaded) < configTTL && containsFold(s.cfg.dir.TownHall, owner.Handle) {
		return s.cfg, nil
	}
	c := &config{procByCode: map[string]app.ProcedureType{}, deptByCode: map[string]app.Department{}, deptByID: map[string]app.Department{}, officialID: map[string]bool{}}
	depts, err := r.ListDepartments(ctx)
	if err != nil {
		return nil, err
	}
	for _, d := range depts {
		c.deptByCode[d.Code], c.deptByID[d.ID] = d, d
	}
	procs, err := s.store.ListProcedureTypes(ctx)
	if err != nil {
		return nil, err
	}
	procByID := map[string]app.ProcedureType{}
	for _, p := range procs {
		c.procByCode[p.Code], procByID[p.ID] = p, p
		c.procs = append(c.procs, Procedure{Code: p.Code, NameES: p.NameES, Keywords: p.Keywords, DepartmentCode: c.deptByID[p.DepartmentID].Code})
	}
	rules, err := s.store.ListIntakeRules(ctx)
	if err != nil {
		return nil, err
	}
	for _, r := range rules {
		c.rules = append(c.rules, Rule{ID: r.ID, Priority: r.Priority, Name: r.Name, Channel: r.Channel, Hashtags: r.Hashtags,
			Mentions: r.Mentions, Keywords: r.Keywords, Action: r.Action, Kind: r.Kind,
			DepartmentCode: c.deptByID[r.DepartmentID].Code, ProcedureCode: procByID[r.ProcedureTypeID].Code, Enabled: r.Enabled})
	}
	entries, err := s.store.ListDirectoryEntries(ctx)
	if err != nil {
		return nil, err
	}
	if owner.Handle != "" {
		c.dir.TownHall = append(c.dir.TownHall, owner.Handle)
		c.officialID[owner.ID] = true
	}
	for _, e := range entries {
		dept := c.deptByID[e.DepartmentID].Code
		switch {
		case e.Official && dept == DeptPolice:
			c.dir.Police = append(c.dir.Police, e.Handle)
		case e.Official:
			c.dir.TownHall = append(c.dir.TownHall, e.Handle)
		default:
			c.dir.Members = append(c.dir.Members, DirectoryMember{EntryID: e.ID, Handle: e.Handle, Name: e.Name, DepartmentCode: dept})
		}
		if e.Official && e.UserID != "" {
			c.officialID[e.UserID] = true
		}
	}
	hs, err := s.store.ListHolidays(ctx)
	if err != nil {
		return nil, err
	}
	c.calendar = calendar.New(hs)
	c.templates = map[string]map[string]string{}
	for _, lang := range []string{"es", "en"} {
		if c.templates[lang], err = s.store.TemplatesByKey(ctx, lang); err != nil {
			return nil, err
		}
	}
	s.cfg, s.loaded = c, s.clock()
	return c, nil
}

// analysis is what intake reads from a message's text and channel alone, with the
// configuration it was read with: the classification, whether a public message carries
// personal data, the case title, the language of the answer, and whether it may carry a
// verification code. It needs no transaction.
type analysis struct {
	cfg      *config
	decision Decision
	personal bool
	title    string
	lang     string
	mayCode  bool
}

func (s *Service) analyse(cfg *config, m *app.InboundMessage) analysis {
	return analysis{
		cfg:      cfg,
		decision: Classify(Message{Channel: m.Channel, Text: m.Text, AuthorHandle: m.AuthorHandle}, cfg.rules, cfg.dir, cfg.procs),
		personal: m.Channel != app.ChannelDM && len(privacy.Detect(m.Text)) > 0,
		title:    title(m.Text),
		lang:     Language(m.Text),
		mayCode:  s.verifier != nil && s.verifier.MayVerify(m.Text),
	}
}

// preparedCap bounds what Prepare keeps for messages that never reach Accept (a page whose
// transaction failed is fetched and prepared again).
const preparedCap = 10_000

// Prepare implements sync.Preparer: it reads the messages' text (classification, personal
// data, title, language, verification codes) ahead of the transaction that accepts them, so
// the sync engine can do it for the next page while the current one is written. Accept uses
// what it finds here and reads the text itself otherwise; the result is the same.
func (s *Service) Prepare(ctx context.Context, msgs []app.InboundMessage, owner network.User) {
	cfg, err := s.config(ctx, s.store, owner)
	if err != nil {
		return // Accept loads the configuration itself, and reports the error
	}
	out := make(map[string]analysis, len(msgs))
	for i := range msgs {
		if ctx.Err() != nil {
			return
		}
		out[prepKey(&msgs[i])] = s.analyse(cfg, &msgs[i])
	}
	s.prepMu.Lock()
	defer s.prepMu.Unlock()
	if s.prepared == nil || len(s.prepared)+len(out) > preparedCap {
		s.prepared = make(map[string]analysis, len(out))
	}
	maps.Copy(s.prepared, out)
}

func prepKey(m *app.InboundMessage) string { return m.Network + "\x00" + m.MessageID }

// analysisOf returns what Prepare read from m with cfg, or reads it now.
func (s *Service) analysisOf(cfg *config, m *app.InboundMessage) analysis {
	key := prepKey(m)
	s.prepMu.Lock()
	a, ok := s.prepared[key]
	delete(s.prepared, key)
	s.prepMu.Unlock()
	if ok && a.cfg == cfg {
		return a
	}
	return s.analyse(cfg, m)
}

// Accept implements sync.Intake.
func (s *Service) Accept(ctx context.Context, tx app.Tx, m *app.InboundMessage, owner network.User) (bool, error) {
	cfg, err := s.config(ctx, tx, owner)
	if err != nil {
		return false, fmt.Errorf("load intake configuration: %w", err)
	}
	if cfg.officialID[m.AuthorUserID] {
		m.Disposition = app.DispositionOwn
		return false, sync.StoreMessage(ctx, tx, m)
	}
	a := s.analysisOf(cfg, m)
	var ident app.Identity
	if s.verifier != nil {
		if ident, err = s.verifier.ObserveHandle(ctx, tx, m.Network, m.AuthorUserID, m.AuthorHandle, m.AuthorName); err != nil {
			return false, err
		}
		m.IdentityID = ident.ID
		if a.mayCode {
			handled, outcome, err := s.verifier.HandleMessage(ctx, tx, *m)
			if err != nil {
				return false, err
			}
			if handled {
				m.Disposition = app.DispositionVerification
				if err := sync.StoreMessage(ctx, tx, m); err != nil {
					return false, err
				}
				return false, s.answerVerification(ctx, tx, cfg, *m, outcome)
			}
		}
	}
	d := a.decision
	switch d.Action {
	case ActionOwn:
		m.Disposition = app.DispositionOwn
		return false, sync.StoreMessage(ctx, tx, m)
	case ActionIgnore:
		m.Disposition = app.DispositionIgnored
		return false, sync.StoreMessage(ctx, tx, m)
	}
	// A reply in a case's thread joins it; so does a DM without a kind hashtag in a
	// conversation that has an open case.
	if m.InReplyToID != "" || (m.Channel == app.ChannelDM && !d.HasKindHashtag) {
		c, ok, err := sync.ThreadCase(ctx, tx, *m)
		if err != nil {
			return false, err
		}
		if ok {
			return false, sync.JoinCase(ctx, tx, m, c)
		}
	}
	return true, s.openCase(ctx, tx, cfg, m, a, ident)
}

// requirement is the identity level a kind of case needs to go ahead.
func requirement(k app.CaseKind) app.Level {
	switch k {
	case app.KindProcedure:
		return app.LevelVerified
	case app.KindProposal:
		return app.LevelVerifiedCensus
	}
	return app.LevelUnknown
}

func (s *Service) openCase(ctx context.Context, tx app.Tx, cfg *config, m *app.InboundMessage, a analysis, ident app.Identity) error {
	d, public, personal := a.decision, m.Channel != app.ChannelDM, a.personal
	c := app.Case{
		Kind: d.Kind, Channel: m.Channel, Network: m.Network, ConversationID: m.ConversationID,
		Title: a.title, Body: m.Text, TextInMessage: true, Unread: true, OpenedAt: s.clock(),
		DepartmentID: cfg.deptByCode[d.DepartmentCode].ID, DirectoryEntryID: d.DirectoryEntryID,
		IdentityID: ident.ID, ResidentID: ident.ResidentID,
		FlagUnverified:   !ident.Level.AtLeast(app.LevelVerified) || ident.Takeover,
		FlagPersonalData: personal,
	}
	if c.Kind == "" || !c.Kind.Valid() {
		c.Kind = app.KindQuery
	}
	if c.DepartmentID == "" {
		c.DepartmentID = cfg.deptByCode[DefaultDepartment].ID
	}
	proc, hasProc := cfg.procByCode[d.ProcedureCode]
	if hasProc {
		c.ProcedureTypeID = proc.ID
		if proc.DepartmentID != "" {
			c.DepartmentID = proc.DepartmentID
		}
	}
	c.DueAt = dueDate(cfg.calendar, c.Kind, proc, hasProc, c.OpenedAt)
	if err := tx.CreateCase(ctx, &c); err != nil {
		return err
	}
	m.CaseID, m.Disposition = c.ID, app.DispositionNewCase
	// The message itself is the timeline's entry (the desk lists a case's messages with its
	// events): no event row repeating its text.
	if err := sync.StoreMessage(ctx, tx, m); err != nil {
		return err
	}
	if personal {
		if err := tx.AddCaseEvent(ctx, &app.CaseEvent{CaseID: c.ID, Kind: app.EventFlag, NewValue: "personal_data"}); err != nil {
			return err
		}
	}
	met := !ident.Takeover && ident.Level.AtLeast(requirement(c.Kind))
	key := fmt.Sprintf("ack.%s.%s", c.Kind, map[bool]string{true: "ok", false: "unverified"}[met])
	vars := map[string]string{
		"numero":       c.Number.String(),
		"departamento": cfg.deptByID[c.DepartmentID].Name,
		"plazo":        "",
		"tramite":      proc.NameES,
		"destinatario": "",
	}
	if !c.DueAt.IsZero() {
		vars["plazo"] = c.DueAt.In(app.Madrid).Format("02/01/2006")
	}
	for _, mem := range cfg.dir.Members {
		if mem.EntryID == c.DirectoryEntryID {
			vars["destinatario"] = mem.Name
		}
	}
	text := s.render(cfg, a.lang, key, vars)
	if personal {
		text += " " + s.render(cfg, a.lang, "ack.privacy", vars)
	}
	// A public reply only where the resident mentioned the town hall; procedures and anything
	// with personal data by DM.
	byDM := !public || personal || c.Kind == app.KindProcedure || !d.MentionsTownHall
	return sync.QueueAck(ctx, tx, c, *m, fitLength(text, c.Number.String()), byDM)
}

// answerVerification tells the resident, by DM, that the account is now verified or that the
// code had expired. Other refusals get no answer, so guessing learns nothing.
func (s *Service) answerVerification(ctx context.Context, tx app.Tx, cfg *config, m app.InboundMessage, outcome string) error {
	var key string
	switch outcome {
	case "verified":
		key = "verify.ok"
	case "expired":
		key = "verify.expired"
	default:
		return nil
	}
	text := s.render(cfg, Language(m.Text), key, map[string]string{"handle": m.AuthorHandle})
	if text == "" {
		return nil
	}
	return tx.EnqueueOutbox(ctx, &app.OutboxItem{Kind: app.OutboxDM, Network: m.Network, RecipientUserID: m.AuthorUserID,
		Text: text + " (" + m.MessageID + ")"})
}

// render fills a template's {placeholders}; a missing template falls back to the built-in one.
func (s *Service) render(cfg *config, lang, key string, vars map[string]string) string {
	body, ok := cfg.templates[lang][key]
	if !ok {
		body = DefaultTemplates(lang)[key]
	}
	for k, v := range vars {
		body = strings.ReplaceAll(body, "{"+k+"}", v)
	}
	return strings.Join(strings.Fields(body), " ")
}

// fitLength keeps text within the network's weighted limit, always keeping the registry number.
func fitLength(text, number string) string {
	if network.WeightedLength(text) <= network.MaxWeightedLength {
		return text
	}
	suffix := " (" + number + ")"
	r := []rune(text)
	for len(r) > 0 && network.WeightedLength(string(r)+"…"+suffix) > network.MaxWeightedLength {
		r = r[:len(r)-1]
	}
	return string(r) + "…" + suffix
}

// dueDate applies the deadline of the procedure type, or the kind's general rule.
func dueDate(cal *calendar.Calendar, k app.CaseKind, proc app.ProcedureType, hasProc bool, opened time.Time) time.Time {
	if hasProc && proc.DeadlineValue > 0 {
		if proc.DeadlineUnit == "months" {
			return cal.AddMonths(opened, proc.DeadlineValue)
		}
		return cal.AddWorkingDays(opened, proc.DeadlineValue)
	}
	switch k {
	case app.KindIncident:
		return cal.AddWorkingDays(opened, 5)
	case app.KindQuery, app.KindMessage:
		return cal.AddWorkingDays(opened, 10)
	}
	// Procedures and proposals with nothing set: the general administrative limit.
	return cal.AddMonths(opened, 3)
}

// title is the first line of text, shortened for the inbox.
func title(text string) string {
	line, _, _ := strings.Cut(strings.TrimSpace(text), "\n")
	line = strings.Join(strings.Fields(line), " ")
	if utf8.RuneCountInString(line) > 90 {
		line = string([]rune(line)[:89]) + "…"
	}
	return line
}

var (
	englishWords = set("the", "is", "are", "my", "your", "please", "thanks", "thank", "you", "i", "we", "when", "where", "what", "how", "can", "hello", "hi", "street", "there", "have", "not", "and", "with")
	spanishWords = set("el", "la", "los", "las", "es", "mi", "su", "por", "favor", "gracias", "hola", "que", "qué", "cuando", "cuándo", "donde", "dónde", "calle", "hay", "no", "y", "con", "de", "en", "un", "una")
)

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// Language guesses whether a resident wrote in English; everything else is answered in
// Spanish, the town hall's language.
func Language(text string) string {
	var en, es int
	for _, w := range strings.FieldsFunc(strings.ToLower(text), func(r rune) bool {
		return !(r >= 'a' && r <= 'z') && !strings.ContainsRune("áéíóúüñ'", r)
	}) {
		if englishWords[w] {
			en++
		}
		if spanishWords[w] {
			es++
		}
	}
	if en >= 2 && en > es {
		return "en"
	}
	return "es"
}
