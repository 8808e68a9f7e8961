// Package intake decides what an inbound post or direct message is: the town hall's own
// message, one to ignore, or a new case of some kind for some department. The decision is a
// pure function of the message, the town hall's rules (hashtags, mentioned accounts, keywords,
// channel; lowest priority number first), its directory of official accounts and its
// catalogue of procedures, with built-in fallbacks after the rules: #tramite picks a
// procedure by its keywords, a mention of a councillor or employee becomes a message for
// them, and anything else is a general query for the citizen service desk. Service (in
// service.go) applies decisions inside the sync engine's transaction: verification codes
// (through app/verify), threading into existing cases, due dates and acknowledgements.
package intake

import (
	"sort"
	"strings"

	"ventanilla/app"
)

// Actions a rule or a decision can have.
const (
	ActionCase   = "case"   // open a case
	ActionIgnore = "ignore" // store the message, open nothing
	ActionOwn    = "own"    // the town hall's own message (decisions only)
)

// Channels a rule can apply to.
const (
	ChannelAny     = "any"
	ChannelMention = "mention" // public posts: mentions and hashtag-search results
	ChannelDM      = "dm"
)

// Sentinels a rule may list among its Mentions or Hashtags, so that the default rules work
// with whatever handles the town hall configures in its Directory.
const (
	// MentionPolice in Rule.Mentions matches a mention of any of Directory.Police.
	MentionPolice = "$police"
	// MentionTownHall in Rule.Mentions matches a mention of any of Directory.TownHall.
	MentionTownHall = "$townhall"
	// NoKindHashtag in Rule.Hashtags requires that the message carry none of the kind
	// hashtags (#incidencia, #pleno, #propuesta, #tramite, #consulta); the rule's other
	// hashtags, if any, are still required as usual.
	NoKindHashtag = "$nokind"
)

// DefaultDepartment receives what no rule routes: the citizen service desk.
const DefaultDepartment = "atencion"

// Rule routes messages to a case kind and department. A rule matches when the channel fits
// and, for each of Hashtags, Mentions and Keywords that is not empty, at least one of its
// entries is present. Hashtags are compared folded and without "#", a plural ("incidencias")
// counting as the singular; Mentions are handles without "@", compared case-insensitively;
// Keywords match whole words or word prefixes on folded text ("farola" matches "Farolas"),
// and may have several words ("luz de la calle").
type Rule struct {
	ID             string
	Priority       int
	Name           string
	Channel        string // "any" (or ""), "mention" or "dm"
	Hashtags       []string
	Mentions       []string
	Keywords       []string
	Action         string // "case" or "ignore"
	Kind           app.CaseKind
	DepartmentCode string
	ProcedureCode  string
	Enabled        bool
}

// Directory holds the accounts intake must recognise.
type Directory struct {
	TownHall []string // the town hall's own handles
	Police   []string // the local police's handles
	Members  []DirectoryMember
}

// DirectoryMember is an official account of a councillor, employee or department.
type DirectoryMember struct {
	EntryID        string
	Handle         string
	Name           string
	DepartmentCode string
}

// Procedure is an entry of the procedure catalogue, as intake needs it.
type Procedure struct {
	Code           string
	NameES         string
	Keywords       []string
	DepartmentCode string
}

// Message is an inbound post or direct message.
type Message struct {
	Channel      app.Channel
	Text         string
	AuthorHandle string
}

// Decision is what to do with a message.
type Decision struct {
	Action           string // "case", "ignore" or "own"
	Kind             app.CaseKind
	DepartmentCode   string
	ProcedureCode    string
	DirectoryEntryID string
	RuleName         string // the rule that matched, "" for the built-in logic
	Hashtags         []string
	Mentions         []string
	MentionsTownHall bool
	HasKindHashtag   bool
}

// kindHashtags are the hashtags that say what kind of case a resident wants.
var kindHashtags = map[string]bool{
	"incidencia": true, "pleno": true, "propuesta": true, "tramite": true, "consulta": true,
}

// sameHashtag compares folded hashtags, a plural counting as its singular.
func sameHashtag(got, want string) bool {
	return got == want || got == want+"s" || got == want+"es"
}

func isKindHashtag(tag string) bool {
	for k := range kindHashtags {
		if sameHashtag(tag, k) {
			return true
		}
	}
	return false
}

// facts is what Classify reads from a message once, for all rules.
type facts struct {
	channel  app.Channel
	hashtags []string
	mentions []string // folded to lower case
	words    []string
	kindTag  bool
}

// Classify decides what m is. The town hall's own posts (and the police's, which the town
// hall also runs) are "own". Otherwise the enabled rules are tried by ascending Priority (in
// the given order for equal priorities) and the first match decides; a matching rule of
// kind procedure without a procedure code gets one from the catalogue, and one of kind
// message gets the mentioned directory member. With no rule matching: #tramite opens a
// procedure chosen by the catalogue's keywords (the most specific keyword wins; none found
// leaves the code empty for staff to choose); a mention of a directory member, without a
// kind hashtag, opens a message for that member; anything else is a query for the citizen
// service desk.
func Classify(m Message, rules []Rule, dir Directory, procs []Procedure) Decision {
	f := facts{
		channel:  m.Channel,
		hashtags: Hashtags(m.Text),
		words:    words(m.Text),
	}
	mentions := Mentions(m.Text)
	for _, h := range mentions {
		f.mentions = append(f.mentions, strings.ToLower(h))
	}
	for _, tag := range f.hashtags {
		if isKindHashtag(tag) {
			f.kindTag = true
		}
	}
	d := Decision{
		Hashtags:         f.hashtags,
		Mentions:         mentions,
		MentionsTownHall: f.mentionsAny(dir.TownHall),
		HasKindHashtag:   f.kindTag,
	}

	author := strings.TrimPrefix(strings.TrimSpace(m.AuthorHandle), "@")
	if author != "" && (containsFold(dir.TownHall, author) || containsFold(dir.Police, author)) {
		d.Action = ActionOwn
		return d
	}

	if r, ok := firstMatch(f, rules, dir); ok {
		d.RuleName = r.Name
		if r.Action == ActionIgnore {
			d.Action = ActionIgnore
			return d
		}
		d.Action = ActionCase
		d.Kind = r.Kind
		if !d.Kind.Valid() {
			d.Kind = app.KindQuery
		}
		d.DepartmentCode = r.DepartmentCode
		d.ProcedureCode = r.ProcedureCode
		switch d.Kind {
		case app.KindProcedure:
			if d.ProcedureCode == "" {
				if p, ok := bestProcedure(f.words, procs); ok {
					d.ProcedureCode = p.Code
					if d.DepartmentCode == "" {
						d.DepartmentCode = p.DepartmentCode
					}
				}
			}
		case app.KindMessage:
			if mem, ok := f.member(dir); ok {
				d.DirectoryEntryID = mem.EntryID
				if d.DepartmentCode == "" {
					d.DepartmentCode = mem.DepartmentCode
				}
			}
		}
		if d.DepartmentCode == "" {
			d.DepartmentCode = DefaultDepartment
		}
		return d
	}

	d.Action = ActionCase
	if f.hasHashtag("tramite") {
		d.Kind = app.KindProcedure
		d.DepartmentCode = DefaultDepartment
		if p, ok := bestProcedure(f.words, procs); ok {
			d.ProcedureCode = p.Code
			if p.DepartmentCode != "" {
				d.DepartmentCode = p.DepartmentCode
			}
		}
		return d
	}
	if !f.kindTag {
		if mem, ok := f.member(dir); ok {
			d.Kind = app.KindMessage
			d.DirectoryEntryID = mem.EntryID
			d.DepartmentCode = mem.DepartmentCode
			if d.DepartmentCode == "" {
				d.DepartmentCode = DefaultDepartment
			}
			return d
		}
	}
	d.Kind = app.KindQuery
	d.DepartmentCode = DefaultDepartment
	return d
}

// firstMatch returns the first enabled rule, by ascending priority, that matches.
func firstMatch(f facts, rules []Rule, dir Directory) (Rule, bool) {
	order := make([]int, 0, len(rules))
	for i, r := range rules {
		if r.Enabled {
			order = append(order, i)
		}
	}
	sort.SliceStable(order, func(a, b int) bool { return rules[order[a]].Priority < rules[order[b]].Priority })
	for _, i := range order {
		if f.matches(rules[i], dir) {
			return rules[i], true
		}
	}
	return Rule{}, false
}

func (f facts) matches(r Rule, dir Directory) bool {
	switch strings.ToLower(strings.TrimSpace(r.Channel)) {
	case "", ChannelAny:
	case ChannelMention:
		if f.channel != app.ChannelMention && f.channel != app.ChannelSearch {
			return false
		}
	case ChannelDM:
		if f.channel != app.ChannelDM {
			return false
		}
	default:
		return false // a channel this version does not know: never guess
	}

	var tags []string
	for _, h := range r.Hashtags {
		h = strings.TrimSpace(h)
		if h == NoKindHashtag {
			if f.kindTag {
				return false
			}
			continue
		}
		if h = Fold(strings.TrimLeft(h, "#＃")); h != "" {
			tags = append(tags, h)
		}
	}
	if len(tags) > 0 && !f.anyHashtag(tags) {
		return false
	}

	if len(r.Mentions) > 0 {
		var handles []string
		for _, h := range r.Mentions {
			switch h = strings.TrimSpace(h); h {
			case MentionPolice:
				handles = append(handles, dir.Police...)
			case MentionTownHall:
				handles = append(handles, dir.TownHall...)
			default:
				handles = append(handles, h)
			}
		}
		if !f.mentionsAny(handles) {
			return false
		}
	}

	if len(r.Keywords) > 0 {
		found := false
		for _, k := range r.Keywords {
			if newPhrase(k).matchIn(f.words) > 0 {
				found = true
				break
			}
		}
		if !found {
			return false
		}
	}
	return true
}

func (f facts) hasHashtag(want string) bool {
	for _, got := range f.hashtags {
		if sameHashtag(got, want) {
			return true
		}
	}
	return false
}

func (f facts) anyHashtag(wants []string) bool {
	for _, w := range wants {
		if f.hasHashtag(w) {
			return true
		}
	}
	return false
}

func (f facts) mentionsAny(handles []string) bool {
	for _, h := range handles {
		h = strings.ToLower(strings.TrimPrefix(strings.TrimSpace(h), "@"))
		for _, m := range f.mentions {
			if h != "" && m == h {
				return true
			}
		}
	}
	return false
}

// member returns the first directory member mentioned in the text, in the text's order.
// The town hall's and the police's own accounts are not members for this purpose.
func (f facts) member(dir Directory) (DirectoryMember, bool) {
	for _, m := range f.mentions {
		if containsFold(dir.TownHall, m) || containsFold(dir.Police, m) {
			continue
		}
		for _, mem := range dir.Members {
			if strings.EqualFold(strings.TrimPrefix(strings.TrimSpace(mem.Handle), "@"), m) {
				return mem, true
			}
		}
	}
	return DirectoryMember{}, false
}

// bestProcedure returns the procedure with the most specific keyword present in ws (the
// longest; the catalogue's order breaks ties).
func bestProcedure(ws []string, procs []Procedure) (Procedure, bool) {
	best, bestLen := Procedure{}, 0
	for _, p := range procs {
		for _, k := range p.Keywords {
			if n := newPhrase(k).matchIn(ws); n > bestLen {
				best, bestLen = p, n
			}
		}
	}
	return best, bestLen > 0
}

func containsFold(handles []string, h string) bool {
	for _, x := range handles {
		if strings.EqualFold(strings.TrimPrefix(strings.TrimSpace(x), "@"), h) {
			return true
		}
	}
	return false
}
