// Package gen generates a realistic register for trying the desk and for the benchmarks: a
// town hall's residents and their network accounts at every verification level, and years of
// cases opened from Spanish posts and DMs (hashtags, mentions, threads of replies), in every
// status, with their timelines, acknowledgements and outbox. The same seed gives the same
// data. `ventanilla gen` runs Main; benchmarks use BenchDatabase, which builds a database once
// per machine and reuses it, and Traffic, which writes messages as residents send them.
//
// It lives under db because it writes the SQLite store directly: the bulk of the history goes
// through db.BulkLoader, many times faster than one transaction per message.
package gen

import (
	"container/heap"
	"context"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/bcrypt"

	"ventanilla/app"
	"ventanilla/app/desk"
	"ventanilla/app/intake"
	"ventanilla/app/verify"
	"ventanilla/db"
)

// Config says how much to generate. Zero values take the defaults.
type Config struct {
	Residents int    // residents in the register, each with a network account; default 2,000, negative for none
	Messages  int    // inbound messages (about half open a case); default 20,000, negative for none
	Seed      uint64 // default 1
	// End is the time of the newest message; default DefaultEnd. History spreads over Years
	// before it.
	End   time.Time
	Years int // default 4
	// Progress, if set, is called now and then with the messages written so far.
	Progress func(done, total int)
}

// DefaultEnd is the fixed end of generated history, so that a seed always gives the same data.
var DefaultEnd = time.Date(2026, 11, 27, 13, 0, 0, 0, time.UTC)

// TownHallHandle is the town hall's account in generated data (and in the sim scenario the
// benchmarks build).
const TownHallHandle = "AytoVillaverde"

const (
	townHallUserID = "1000000000000000001"
	policeHandle   = "PoliciaVillaverde"
	policeUserID   = "1000000000000000002"
)

func (c Config) withDefaults() Config {
	if c.Residents == 0 {
		c.Residents = 2000
	}
	if c.Messages == 0 {
		c.Messages = 20000
	}
	if c.Seed == 0 {
		c.Seed = 1
	}
	if c.End.IsZero() {
		c.End = DefaultEnd
	}
	if c.Years <= 0 {
		c.Years = 4
	}
	return c
}

// Summary is what Generate wrote.
type Summary struct {
	Residents  int
	Identities int
	Cases      int
	Messages   int
	Events     int
	Outbox     int
	ByStatus   map[app.CaseStatus]int
	Took       time.Duration
}

// Staff accounts Generate creates; all have the password desk.DemoPassword.
var Staff = []app.Staff{
	{Username: "admin", FullName: "Administración", Role: app.RoleAdmin},
	{Username: "lucia", FullName: "Lucía Martín", Role: app.RoleClerk},
	{Username: "pablo", FullName: "Pablo Ortega", Role: app.RoleClerk},
	{Username: "agente", FullName: "Agente Ruiz", Role: app.RolePolice},
	{Username: "concejala", FullName: "Carmen Álvarez", Role: app.RoleCouncillor},
}

var staffDept = map[string]string{"admin": intake.DeptSecretary, "lucia": intake.DeptDesk, "pablo": intake.DeptPublicWork,
	"agente": intake.DeptPolice, "concejala": intake.DeptMayor}

// Account is a network account of the generated world.
type Account struct {
	UserID string
	Handle string
	Name   string
}

type account struct {
	Account
	identityID string
	residentID string
	level      app.Level
}

// Generator writes deterministic data from a seed.
type Generator struct {
	r      *rand.Rand
	lastID uint64
}

// New returns a generator for seed.
func New(seed uint64) *Generator {
	return &Generator{r: rand.New(rand.NewPCG(seed, 0x76656e74616e696c))}
}

// id is a UUIDv7 for time t whose random bits come from the generator.
func (g *Generator) id(t time.Time) string {
	var b [16]byte
	ms := uint64(t.UnixMilli())
	for i := 0; i < 6; i++ {
		b[i] = byte(ms >> (40 - 8*i))
	}
	x, y := g.r.Uint64(), g.r.Uint64()
	for i := 6; i < 16; i++ {
		if i < 14 {
			b[i] = byte(x >> (8 * (i - 6)))
		} else {
			b[i] = byte(y >> (8 * (i - 14)))
		}
	}
	b[6] = 0x70 | b[6]&0x0f
	b[8] = 0x80 | b[8]&0x3f
	h := hex.EncodeToString(b[:])
	return h[0:8] + "-" + h[8:12] + "-" + h[12:16] + "-" + h[16:20] + "-" + h[20:32]
}

// snowflake is a network message id for time t, increasing with every call.
func (g *Generator) snowflake(t time.Time) string {
	const epoch = 1288834974657
	id := uint64(max(t.UnixMilli()-epoch, 0)) << 22
	if id <= g.lastID {
		id = g.lastID + 1
	}
	g.lastID = id
	return strconv.FormatUint(id, 10)
}

var asciiFold = strings.NewReplacer("á", "a", "é", "e", "í", "i", "ó", "o", "ú", "u", "ñ", "n", "Á", "a", "É", "e", "Í", "i", "Ó", "o", "Ú", "u", "Ñ", "n", "ü", "u")

// person is the i-th person of the world: name, handle, DNI.
func (g *Generator) person(i int) (name, handle, document string) {
	first, s1, s2 := pick(g.r, firstNames), pick(g.r, surnames), pick(g.r, surnames)
	name = first + " " + s1 + " " + s2
	handle = strings.ToLower(asciiFold.Replace(first + s1))
	if len(handle) > 11 {
		handle = handle[:11]
	}
	handle += strconv.Itoa(i)
	return name, handle, dni(10_000_000 + i*37)
}

func userID(i int) string { return strconv.FormatInt(1_500_000_000_000_000_000+int64(i)*1_000_003, 10) }

// Traffic returns n messages as accounts residents (of a world of the given size) send them to
// the town hall, with the accounts that appear in them, in sending order: about half open a
// case (a kind hashtag, a mention or a DM asking for something), the rest are replies and
// follow-ups, some from residents who write often.
func (g *Generator) Traffic(n, accounts int, townHall string) ([]Account, []Incoming) {
	if accounts <= 0 {
		accounts = max(n/10, 1)
	}
	accs := make([]Account, accounts)
	for i := range accs {
		name, handle, _ := g.person(i)
		accs[i] = Account{UserID: userID(i), Handle: handle, Name: name}
	}
	out := make([]Incoming, 0, n)
	for len(out) < n {
		a := accs[heavyIndex(g.r, len(accs))]
		k := pickKind(g.r)
		ch := channelFor(g.r, k)
		out = append(out, Incoming{Account: a, Channel: ch, Kind: k, Text: caseText(g.r, k, ch, townHall, policeHandle, "CarmenAlvarezVV")})
		if g.r.IntN(2) == 0 && len(out) < n {
			out = append(out, Incoming{Account: a, Channel: ch, Kind: k, Text: replyText(g.r), FollowUp: true})
		}
	}
	return accs, out
}

// Incoming is a message from a resident's account to the town hall.
type Incoming struct {
	Account  Account
	Channel  app.Channel // mention or dm
	Kind     app.CaseKind
	Text     string
	FollowUp bool // a reply to the town hall's answer or a second DM
}

// heavyIndex picks among n accounts so that a few write often and most rarely.
func heavyIndex(r *rand.Rand, n int) int {
	u := r.Float64()
	return min(int(u*u*float64(n)), n-1)
}

func channelFor(r *rand.Rand, k app.CaseKind) app.Channel {
	dm := 35
	switch k {
	case app.KindProcedure:
		dm = 80
	case app.KindProposal:
		dm = 10
	}
	if r.IntN(100) < dm {
		return app.ChannelDM
	}
	return app.ChannelMention
}

// Generate fills the empty database at path (created if missing) with cfg's world. The staff
// accounts are Staff, with password desk.DemoPassword.
func Generate(ctx context.Context, path string, cfg Config) (Summary, error) {
	cfg = cfg.withDefaults()
	start := time.Now()
	clock := func() time.Time { return cfg.End }
	store, err := db.Open(ctx, path, db.WithClock(clock))
	if err != nil {
		return Summary{}, err
	}
	defer store.Close()
	if n, err := store.Status(ctx); err != nil {
		return Summary{}, err
	} else if n.Cases.Total > 0 || n.Residents.Total > 0 {
		return Summary{}, fmt.Errorf("generate: %s already holds a register; generate into a new data directory", path)
	}
	if err := intake.Seed(ctx, store, func() int { return app.RegistryYear(cfg.End) }); err != nil {
		return Summary{}, fmt.Errorf("generate: seed the configuration: %w", err)
	}
	w := &world{g: New(cfg.Seed), cfg: cfg, sum: Summary{ByStatus: map[app.CaseStatus]int{}}}
	if err := w.setup(ctx, store); err != nil {
		return Summary{}, fmt.Errorf("generate: %w", err)
	}
	if cfg.Messages < 0 {
		w.sum.Took = time.Since(start)
		return w.sum, nil
	}
	if len(w.accounts)+len(w.unknown) == 0 {
		return Summary{}, fmt.Errorf("generate: messages need at least one resident")
	}
	if err := store.BulkLoad(ctx, w.history); err != nil {
		return Summary{}, fmt.Errorf("generate: %w", err)
	}
	if err := store.Checkpoint(ctx); err != nil {
		return Summary{}, fmt.Errorf("generate: %w", err)
	}
	w.sum.Took = time.Since(start)
	return w.sum, nil
}

type world struct {
	g        *Generator
	cfg      Config
	sum      Summary
	accounts []account
	unknown  []account
	deptID   map[string]string
	deptName map[string]string
	staffIDs map[string][]string // by department code
	allStaff []string
	adminID  string
	rules    []intake.Rule
	dir      intake.Directory
	procs    []intake.Procedure
	procID   map[string]string
	acks     map[string]string
}

type censusWriter interface {
	PutCensusEntry(ctx context.Context, e verify.CensusEntry, batchID string) error
}

// setup writes staff, the directory, residents and their accounts through the ordinary store.
func (w *world) setup(ctx context.Context, store *db.Store) error {
	g, cfg := w.g, w.cfg
	hash, err := bcrypt.GenerateFromPassword([]byte(desk.DemoPassword), bcrypt.DefaultCost)
	if err != nil {
		return err
	}
	w.deptID, w.deptName, w.staffIDs, w.procID = map[string]string{}, map[string]string{}, map[string][]string{}, map[string]string{}
	depts, err := store.ListDepartments(ctx)
	if err != nil {
		return err
	}
	for _, d := range depts {
		w.deptID[d.Code], w.deptName[d.Code] = d.ID, d.Name
	}
	procs, err := store.ListProcedureTypes(ctx)
	if err != nil {
		return err
	}
	for _, p := range procs {
		w.procID[p.Code] = p.ID
	}
	w.rules, w.procs = intake.DefaultRules(), intake.DefaultProcedures()
	w.acks = intake.DefaultTemplates("es")
	err = store.InTx(ctx, func(atx app.Tx) error {
		tx, ok := atx.(desk.Tx)
		if !ok {
			return fmt.Errorf("the store cannot write the directory")
		}
		for _, s := range Staff {
			s.PasswordHash, s.Active, s.DepartmentID = string(hash), true, w.deptID[staffDept[s.Username]]
			s.ID = g.id(cfg.End.AddDate(-cfg.Years, 0, 0))
			if err := tx.CreateStaff(ctx, &s); err != nil {
				return err
			}
			w.staffIDs[staffDept[s.Username]] = append(w.staffIDs[staffDept[s.Username]], s.ID)
			w.allStaff = append(w.allStaff, s.ID)
			if s.Role == app.RoleAdmin {
				w.adminID = s.ID
			}
		}
		entries := []desk.DirectoryEntry{
			{Kind: "department", Name: "Ayuntamiento de Villaverde", Position: "Cuenta oficial", Handle: TownHallHandle, UserID: townHallUserID, Official: true},
			{Kind: "department", Name: "Policía Local", Position: "Cuenta oficial", DepartmentID: w.deptID[intake.DeptPolice], Handle: policeHandle, UserID: policeUserID, Official: true},
			{Kind: "councillor", Name: "Carmen Álvarez", Position: "Concejala de Participación", DepartmentID: w.deptID[intake.DeptMayor],
				StaffID: w.staffIDs[intake.DeptMayor][0], Handle: "CarmenAlvarezVV", UserID: "1000000000000000003"},
			{Kind: "councillor", Name: "Joaquín Pérez", Position: "Alcalde", DepartmentID: w.deptID[intake.DeptMayor], Handle: "AlcaldeVillaverde", UserID: "1000000000000000004"},
			{Kind: "employee", Name: "Lucía Martín", Position: "Registro y atención", DepartmentID: w.deptID[intake.DeptDesk],
				StaffID: w.staffIDs[intake.DeptDesk][0], Handle: "LuciaAytoVV", UserID: "1000000000000000005"},
		}
		for i := range entries {
			e := &entries[i]
			if err := tx.CreateDirectoryEntry(ctx, e); err != nil {
				return err
			}
			switch {
			case e.Handle == TownHallHandle:
				w.dir.TownHall = append(w.dir.TownHall, e.Handle)
			case e.Handle == policeHandle:
				w.dir.Police = append(w.dir.Police, e.Handle)
			default:
				w.dir.Members = append(w.dir.Members, intake.DirectoryMember{EntryID: e.ID, Handle: e.Handle, Name: e.Name})
			}
		}
		return tx.PutSetting(ctx, "network.owner_handle", TownHallHandle)
	})
	if err != nil {
		return err
	}
	// Residents with accounts at every level, in batches; then accounts nobody has linked.
	const batch = 2000
	people := max(cfg.Residents, 0)
	people += people / 2
	for lo := 0; lo < people; lo += batch {
		hi := min(lo+batch, people)
		err := store.InTx(ctx, func(tx app.Tx) error {
			for i := lo; i < hi; i++ {
				name, handle, doc := g.person(i)
				created := cfg.End.AddDate(-cfg.Years, 0, 0).Add(time.Duration(g.r.Int64N(int64(time.Duration(cfg.Years) * 365 * 24 * time.Hour))))
				a := account{Account: Account{UserID: userID(i), Handle: handle, Name: name}, level: app.LevelUnknown}
				if i < cfg.Residents {
					res := app.Resident{ID: g.id(created), FullName: name, Document: doc,
						Phone: fmt.Sprintf("6%08d", g.r.IntN(100_000_000)), Address: street(g.r)}
					if err := tx.CreateResident(ctx, &res, w.adminID); err != nil {
						return err
					}
					a.residentID = res.ID
					switch n := g.r.IntN(100); {
					case n < 25:
						a.level = app.LevelLinked
					case n < 70:
						a.level = app.LevelVerified
					default:
						a.level = app.LevelVerifiedCensus
						if cw, ok := tx.(censusWriter); ok {
							if err := cw.PutCensusEntry(ctx, verify.CensusEntry{Document: doc, FullName: strings.ToUpper(name), Address: res.Address}, "gen"); err != nil {
								return err
							}
						}
					}
				}
				ident := app.Identity{ID: g.id(created), Network: "x", UserID: a.UserID, Handle: handle, DisplayName: name,
					ResidentID: a.residentID, Level: a.level}
				if a.level.AtLeast(app.LevelVerified) {
					ident.VerifiedAt, ident.VerifiedBy, ident.VerifiedMethod = created.Add(time.Hour), w.adminID, "dm"
				}
				if g.r.IntN(200) == 0 {
					ident.HandleChanged = true
				}
				if err := tx.CreateIdentity(ctx, &ident); err != nil {
					return err
				}
				a.identityID = ident.ID
				if i < cfg.Residents {
					w.accounts = append(w.accounts, a)
				} else {
					w.unknown = append(w.unknown, a)
				}
				w.sum.Identities++
			}
			return nil
		})
		if err != nil {
			return err
		}
	}
	w.sum.Residents = max(cfg.Residents, 0)
	return nil
}

// followUp is a later message of a case, waiting for its time to come.
type followUp struct {
	at   time.Time
	c    *app.Case
	a    account
	ch   app.Channel
	conv string
	to   string // the post it answers
}

type followUps []followUp

func (h followUps) Len() int           { return len(h) }
func (h followUps) Less(i, j int) bool { return h[i].at.Before(h[j].at) }
func (h followUps) Swap(i, j int)      { h[i], h[j] = h[j], h[i] }
func (h *followUps) Push(x any)        { *h = append(*h, x.(followUp)) }
func (h *followUps) Pop() any {
	old := *h
	x := old[len(old)-1]
	*h = old[:len(old)-1]
	return x
}

// history writes the cases and messages in the order they happened, so that rids (the
// register's insertion order) follow time as they do in a real register.
func (w *world) history(l *db.BulkLoader) error {
	cfg, r := w.cfg, w.g.r
	begin := cfg.End.AddDate(-cfg.Years, 0, 0)
	span := cfg.End.Sub(begin)
	gap := time.Duration(float64(span) / (float64(cfg.Messages) / 2))
	budget := cfg.Messages
	var pending followUps
	t := begin
	for budget > 0 || pending.Len() > 0 {
		t = t.Add(time.Duration(float64(gap) * (0.5 + r.Float64())))
		if t.After(cfg.End) {
			t = cfg.End
		}
		for pending.Len() > 0 && (budget == 0 || !pending[0].at.After(t)) {
			f := heap.Pop(&pending).(followUp)
			if err := w.followUp(l, f); err != nil {
				return err
			}
		}
		if budget == 0 {
			break
		}
		extra := 0
		switch n := r.IntN(100); {
		case n < 15:
			extra = 3
		case n < 30:
			extra = 2
		case n < 55:
			extra = 1
		}
		extra = min(extra, budget-1)
		budget -= 1 + extra
		c, a, ch, conv, ackID, err := w.openCase(l, t)
		if err != nil {
			return err
		}
		at := t
		for i := 0; i < extra; i++ {
			at = at.Add(time.Duration(r.Int64N(int64(72 * time.Hour))))
			heap.Push(&pending, followUp{at: min64(at, cfg.End), c: c, a: a, ch: ch, conv: conv, to: ackID})
		}
		if cfg.Progress != nil && w.sum.Messages%50_000 < 1+extra {
			cfg.Progress(w.sum.Messages, cfg.Messages)
		}
	}
	return nil
}

func min64(a, b time.Time) time.Time {
	if a.After(b) {
		return b
	}
	return a
}

func (w *world) message(l *db.BulkLoader, c *app.Case, a account, ch app.Channel, text, conv, inReplyTo string, at time.Time, disp app.Disposition) (*app.InboundMessage, error) {
	g := w.g
	id := g.snowflake(at)
	if conv == "" {
		conv = id
	}
	raw, _ := json.Marshal(map[string]any{"id": id, "text": text, "author_id": a.UserID, "created_at": at.UTC().Format("2006-01-02T15:04:05.000Z"),
		"conversation_id": conv})
	m := &app.InboundMessage{ID: g.id(at), Network: "x", MessageID: id, Channel: ch, AuthorUserID: a.UserID, AuthorHandle: a.Handle,
		AuthorName: a.Name, Text: text, ConversationID: conv, InReplyToID: inReplyTo, PostedAt: at, Raw: string(raw),
		CaseID: c.ID, IdentityID: a.identityID, Disposition: disp, CreatedAt: at.Add(90 * time.Second)}
	if err := l.Message(m); err != nil {
		return nil, err
	}
	w.sum.Messages++
	return m, nil
}

func (w *world) event(l *db.BulkLoader, e app.CaseEvent) error {
	e.ID = w.g.id(e.CreatedAt)
	w.sum.Events++
	return l.Event(&e)
}

func (w *world) followUp(l *db.BulkLoader, f followUp) error {
	text := replyText(w.g.r)
	if f.ch == app.ChannelMention {
		text = "@" + TownHallHandle + " " + text
	}
	m, err := w.message(l, f.c, f.a, f.ch, text, f.conv, f.to, f.at, app.DispositionJoinedCase)
	if err != nil {
		return err
	}
	return w.event(l, app.CaseEvent{CaseID: f.c.ID, Kind: app.EventInbound, InboundMessageID: m.ID, Body: text, CreatedAt: m.CreatedAt})
}

// closedShare is, by the age of a case in days, the share (per cent) resolved, rejected and in
// progress; the rest are still as received.
var closedShare = []struct {
	days                           float64
	resolved, rejected, inProgress int
}{{90, 85, 8, 4}, {30, 70, 5, 15}, {0, 35, 3, 30}}

func (w *world) status(age time.Duration, k app.CaseKind) app.CaseStatus {
	r := w.g.r
	days := age.Hours() / 24
	s := closedShare[len(closedShare)-1]
	for _, x := range closedShare {
		if days >= x.days {
			s = x
			break
		}
	}
	n := r.IntN(100)
	st := app.StatusReceived
	switch {
	case n < s.resolved:
		st = app.StatusResolved
	case n < s.resolved+s.rejected:
		st = app.StatusRejected
	case n < s.resolved+s.rejected+s.inProgress:
		st = app.StatusInProgress
	}
	if k == app.KindProposal {
		switch st {
		case app.StatusResolved:
			st = []app.CaseStatus{app.StatusDebated, app.StatusDebated, app.StatusOnAgenda}[r.IntN(3)]
			if days < 30 {
				st = app.StatusOnAgenda
			}
		case app.StatusInProgress:
			st = app.StatusAdmitted
		}
	}
	return st
}

func (w *world) openCase(l *db.BulkLoader, t time.Time) (*app.Case, account, app.Channel, string, string, error) {
	g, r := w.g, w.g.r
	var a account
	if len(w.unknown) == 0 || (len(w.accounts) > 0 && r.IntN(100) < 75) {
		a = w.accounts[heavyIndex(r, len(w.accounts))]
	} else {
		a = w.unknown[r.IntN(len(w.unknown))]
	}
	k := pickKind(r)
	ch := channelFor(r, k)
	text := caseText(r, k, ch, TownHallHandle, policeHandle, "CarmenAlvarezVV")
	d := intake.Classify(intake.Message{Channel: ch, Text: text, AuthorHandle: a.Handle}, w.rules, w.dir, w.procs)
	if d.Kind == "" || d.Action != intake.ActionCase {
		d.Kind = app.KindQuery
	}
	if d.DepartmentCode == "" {
		d.DepartmentCode = intake.DefaultDepartment
	}
	opened := t.Add(90 * time.Second)
	c := &app.Case{ID: g.id(opened), Kind: d.Kind, Priority: app.PriorityNormal, DepartmentID: w.deptID[d.DepartmentCode],
		DirectoryEntryID: d.DirectoryEntryID, ProcedureTypeID: w.procID[d.ProcedureCode], ResidentID: a.residentID, IdentityID: a.identityID,
		Channel: ch, Network: "x", Title: title(text), Body: text, TextInMessage: true, FlagUnverified: !a.level.AtLeast(app.LevelVerified),
		OpenedAt: opened, CreatedAt: opened}
	switch n := r.IntN(100); {
	case n < 12:
		c.Priority = app.PriorityHigh
	case n < 15:
		c.Priority = app.PriorityUrgent
	case n < 30:
		c.Priority = app.PriorityLow
	}
	due := map[app.CaseKind]int{app.KindIncident: 7, app.KindQuery: 14, app.KindMessage: 14, app.KindProcedure: 30, app.KindProposal: 90}[c.Kind]
	c.DueAt = opened.AddDate(0, 0, due)
	age := w.cfg.End.Sub(opened)
	c.Status = w.status(age, c.Kind)
	c.FirstAnswerAt = opened.Add(time.Duration(r.Int64N(int64(48 * time.Hour))))
	if c.FirstAnswerAt.After(w.cfg.End) || (c.Status == app.StatusReceived && r.IntN(2) == 0) {
		c.FirstAnswerAt = time.Time{}
	}
	if c.Status != app.StatusReceived || r.IntN(10) < 3 {
		ids := w.staffIDs[d.DepartmentCode]
		if len(ids) == 0 {
			ids = w.allStaff
		}
		c.AssigneeID = ids[r.IntN(len(ids))]
	}
	if c.Status.Closed() {
		base := c.FirstAnswerAt
		if base.IsZero() {
			base = opened
		}
		c.ClosedAt = min64(base.Add(time.Duration(r.Int64N(int64(40*24*time.Hour)))), w.cfg.End)
		if c.FirstAnswerAt.IsZero() {
			c.FirstAnswerAt = c.ClosedAt
		}
	}
	c.Unread = (c.Status == app.StatusReceived && r.IntN(10) < 7) || (age < 7*24*time.Hour && r.IntN(10) < 3)
	c.FlagPersonalData = ch != app.ChannelDM && r.IntN(50) == 0
	c.UpdatedAt = c.OpenedAt
	if !c.ClosedAt.IsZero() {
		c.UpdatedAt = c.ClosedAt
	}
	conv := ""
	if ch == app.ChannelDM {
		conv = townHallUserID + "-" + a.UserID
	}
	// The message first (it is stored before intake decides), then its case.
	msgAt := t
	postID := g.snowflake(msgAt)
	g.lastID-- // message() takes this id again
	if conv == "" {
		conv = postID
	}
	c.ConversationID = conv
	if err := l.Case(c); err != nil {
		return nil, a, "", "", "", err
	}
	w.sum.Cases++
	w.sum.ByStatus[c.Status]++
	m, err := w.message(l, c, a, ch, text, conv, "", msgAt, app.DispositionNewCase)
	if err != nil {
		return nil, a, "", "", "", err
	}
	if err := w.event(l, app.CaseEvent{CaseID: c.ID, Kind: app.EventInbound, InboundMessageID: m.ID, Body: text, CreatedAt: opened}); err != nil {
		return nil, a, "", "", "", err
	}
	// The acknowledgement, sent.
	met := a.level.AtLeast(map[app.CaseKind]app.Level{app.KindProcedure: app.LevelVerified, app.KindProposal: app.LevelVerifiedCensus}[c.Kind])
	key := fmt.Sprintf("ack.%s.%s", c.Kind, map[bool]string{true: "ok", false: "unverified"}[met])
	ack := strings.NewReplacer("{numero}", c.Number.String(), "{departamento}", w.deptName[d.DepartmentCode], "{plazo}",
		c.DueAt.In(app.Madrid).Format("02/01/2006"), "{tramite}", "el trámite", "{destinatario}", "su destinatario").Replace(w.acks[key])
	sentAt := opened.Add(time.Duration(30+r.IntN(600)) * time.Second)
	o := &app.OutboxItem{ID: g.id(opened), CaseID: c.ID, Kind: app.OutboxReply, Network: "x", InReplyToID: m.MessageID, Text: ack,
		Status: app.OutboxSent, NetworkID: g.snowflake(sentAt), Attempts: 1, SentAt: sentAt, CreatedAt: opened, UpdatedAt: sentAt}
	if ch == app.ChannelDM || c.Kind == app.KindProcedure || c.FlagPersonalData {
		o.Kind, o.InReplyToID, o.RecipientUserID = app.OutboxDM, "", a.UserID
	}
	if err := l.Outbox(o); err != nil {
		return nil, a, "", "", "", err
	}
	w.sum.Outbox++
	if err := w.event(l, app.CaseEvent{CaseID: c.ID, Kind: app.EventOutbound, OutboxID: o.ID, Body: ack, CreatedAt: opened}); err != nil {
		return nil, a, "", "", "", err
	}
	if c.AssigneeID != "" {
		if err := w.event(l, app.CaseEvent{CaseID: c.ID, Kind: app.EventAssignment, ActorStaffID: w.adminID, NewValue: c.AssigneeID,
			CreatedAt: opened.Add(time.Hour)}); err != nil {
			return nil, a, "", "", "", err
		}
	}
	if c.Status != app.StatusReceived {
		at := c.ClosedAt
		if at.IsZero() {
			at = min64(opened.Add(2*time.Hour), w.cfg.End)
		}
		if err := w.event(l, app.CaseEvent{CaseID: c.ID, Kind: app.EventStatus, ActorStaffID: c.AssigneeID, OldValue: string(app.StatusReceived),
			NewValue: string(c.Status), CreatedAt: at}); err != nil {
			return nil, a, "", "", "", err
		}
	}
	replyTo := o.NetworkID
	if o.Kind == app.OutboxDM {
		replyTo = ""
	}
	return c, a, ch, conv, replyTo, nil
}
