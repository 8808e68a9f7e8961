package desk

import (
	"context"
	"errors"
	"fmt"
	"sort"
	"strings"
	"time"
	"unicode/utf8"

	"ventanilla/app"
	"ventanilla/app/network"
)

// MaxDMLength is the longest direct message the network accepts, in characters.
const MaxDMLength = 10000

// ReplyMode says how an answer travels.
type ReplyMode string

const (
	ReplyPublic ReplyMode = "public" // a public reply to the resident's post
	ReplyDM     ReplyMode = "dm"     // a direct message
)

// ErrPersonalData means a public reply contains personal data; the staff member must confirm
// (ReplyRequest.ConfirmPersonalData) or send it by DM.
var ErrPersonalData = errors.New("a public reply contains personal data")

// TimelineEntry is one line of a case's timeline, with the message or outbox row it refers to.
type TimelineEntry struct {
	Event     app.CaseEvent
	ActorName string              // "" for the system
	Inbound   *app.InboundMessage // for inbound events
	Outbox    *app.OutboxItem     // for outbound events: the delivery state
}

// CaseDetail is everything the case screen shows.
type CaseDetail struct {
	Case           app.Case
	Resident       *app.Resident // nil when the case has no resident yet
	Identity       *app.Identity // nil when unknown
	DepartmentName string
	AssigneeName   string
	MergedInto     string // registry number of the case this one was merged into
	Timeline       []TimelineEntry
	// ReplyToID is the resident's post a public reply answers; "" when a public reply is not
	// possible (a DM case, or a procedure, which goes by DM only).
	ReplyToID string
	// DMRecipient is the network user id a DM goes to; "" when unknown.
	DMRecipient string
	// Token is what this detail shows of the case; actions hand it back so that the service
	// refuses them when the case changed since (see CaseToken).
	Token CaseToken
}

// CanReply reports whether mode is possible on this case.
func (d CaseDetail) CanReply(mode ReplyMode) bool {
	if mode == ReplyPublic {
		return d.ReplyToID != ""
	}
	return d.DMRecipient != ""
}

// WithRegistryNumber returns text carrying the case's registry number, appending
// " (E-2026-000012)" when it is absent: the engine reconciles re-sends by it.
func WithRegistryNumber(text string, n app.RegistryNumber) string {
	text = strings.TrimSpace(text)
	num := n.String()
	if strings.Contains(strings.ToUpper(text), num) {
		return text
	}
	return text + " (" + num + ")"
}

// caseFor loads a case and checks the session may see it: police only incidents, councillors
// plenary proposals and the messages addressed to them.
func (s *Service) caseFor(ctx context.Context, r app.Reader, sess *Session, id string) (app.Case, error) {
	if err := s.require(sess, PermCases); err != nil {
		return app.Case{}, err
	}
	c, err := r.GetCase(ctx, id)
	if err != nil {
		return app.Case{}, err
	}
	if !sess.CanSeeKind(c.Kind) {
		return app.Case{}, fmt.Errorf("case %s (%s) is outside what a %s sees: %w", c.Number, c.Kind, sess.staff.Role, app.ErrForbidden)
	}
	if sc := sess.Scope(); sc.CouncillorID != "" && c.Kind == app.KindMessage && c.AssigneeID != sc.CouncillorID {
		to, err := s.store.CaseAddressee(ctx, c.ID)
		if err != nil {
			return app.Case{}, err
		}
		if to != sc.CouncillorID {
			return app.Case{}, fmt.Errorf("case %s is addressed to someone else: %w", c.Number, app.ErrForbidden)
		}
	}
	return c, nil
}

// Case returns the case with its resident, identity and timeline.
func (s *Service) Case(ctx context.Context, sess *Session, id string) (CaseDetail, error) {
	c, err := s.caseFor(ctx, s.store, sess, id)
	if err != nil {
		return CaseDetail{}, err
	}
	d := CaseDetail{Case: c}
	names := map[string]string{}
	if staff, err := s.store.ListStaff(ctx); err == nil {
		for _, st := range staff {
			names[st.ID] = st.FullName
		}
	} else {
		return d, err
	}
	d.AssigneeName = names[c.AssigneeID]
	if c.DepartmentID != "" {
		deps, err := s.store.ListDepartments(ctx)
		if err != nil {
			return d, err
		}
		for _, dep := range deps {
			if dep.ID == c.DepartmentID {
				d.DepartmentName = dep.Name
			}
		}
	}
	if c.MergedInto != "" {
		if m, err := s.store.GetCase(ctx, c.MergedInto); err == nil {
			d.MergedInto = m.Number.String()
		}
	}
	if c.ResidentID != "" {
		r, err := s.store.GetResident(ctx, c.ResidentID)
		if err != nil && !errors.Is(err, app.ErrNotFound) {
			return d, err
		}
		if err == nil {
			d.Resident = &r
		}
	}
	if c.IdentityID != "" {
		i, err := s.store.GetIdentity(ctx, c.IdentityID)
		if err != nil && !errors.Is(err, app.ErrNotFound) {
			return d, err
		}
		if err == nil {
			d.Identity = &i
			d.DMRecipient = i.UserID
		}
	}
	msgs, err := s.store.ListInboundForCase(ctx, c.ID)
	if err != nil {
		return d, err
	}
	byID := map[string]*app.InboundMessage{}
	for i := range msgs {
		m := &msgs[i]
		byID[m.ID] = m
		if m.Channel != app.ChannelDM && c.Kind != app.KindProcedure {
			d.ReplyToID = m.MessageID // the newest public post wins
		}
		if d.DMRecipient == "" {
			d.DMRecipient = m.AuthorUserID
		}
	}
	out, err := s.store.ListOutboxForCase(ctx, c.ID)
	if err != nil {
		return d, err
	}
	outByID := map[string]*app.OutboxItem{}
	for i := range out {
		outByID[out[i].ID] = &out[i]
	}
	events, err := s.store.ListCaseEvents(ctx, c.ID)
	if err != nil {
		return d, err
	}
	seenMsg, seenOut := map[string]bool{}, map[string]bool{}
	for _, e := range events {
		te := TimelineEntry{Event: e, ActorName: names[e.ActorStaffID]}
		if e.InboundMessageID != "" {
			te.Inbound = byID[e.InboundMessageID]
			seenMsg[e.InboundMessageID] = true
		}
		if e.OutboxID != "" {
			te.Outbox = outByID[e.OutboxID]
			seenOut[e.OutboxID] = true
		}
		d.Timeline = append(d.Timeline, te)
	}
	// Messages that joined the case without an event of their own still belong on it.
	for _, m := range msgs {
		if !seenMsg[m.ID] {
			d.Timeline = append(d.Timeline, TimelineEntry{
				Event:   app.CaseEvent{ID: "msg-" + m.ID, CaseID: c.ID, Kind: app.EventInbound, InboundMessageID: m.ID, Body: m.Text, CreatedAt: m.PostedAt},
				Inbound: byID[m.ID],
			})
		}
	}
	// So do the automatic acknowledgements intake queues (the outbox row is the record).
	for i := range out {
		if o := &out[i]; !seenOut[o.ID] {
			d.Timeline = append(d.Timeline, TimelineEntry{
				Event:  app.CaseEvent{ID: "out-" + o.ID, CaseID: c.ID, Kind: app.EventOutbound, OutboxID: o.ID, Body: o.Text, CreatedAt: o.CreatedAt},
				Outbox: o,
			})
		}
	}
	sort.SliceStable(d.Timeline, func(i, j int) bool {
		return d.Timeline[i].Event.CreatedAt.Before(d.Timeline[j].Event.CreatedAt)
	})
	d.Token = newCaseToken(c, events, msgs)
	return d, nil
}

// CaseByNumber finds a case by its registry number, within what the session may see.
func (s *Service) CaseByNumber(ctx context.Context, sess *Session, number string) (app.Case, error) {
	if err := s.require(sess, PermCases); err != nil {
		return app.Case{}, err
	}
	n, err := app.ParseRegistryNumber(number)
	if err != nil {
		return app.Case{}, err
	}
	c, err := s.store.GetCaseByNumber(ctx, n)
	if err != nil {
		return app.Case{}, err
	}
	return s.caseFor(ctx, s.store, sess, c.ID)
}

// act runs one staff action on a case: the case is read again inside the transaction and the
// session's right to it checked there, then compared with what the staff member saw (a
// ConflictError when it changed since; see CaseToken), fn changes it, and the audit entry is
// written.
func (s *Service) act(ctx context.Context, sess *Session, caseID string, seen CaseToken, action string, fn func(tx Tx, c *app.Case) (details string, err error)) error {
	if err := s.require(sess, PermCases); err != nil {
		return err
	}
	return s.inTx(ctx, func(tx Tx) error {
		c, err := s.caseFor(ctx, tx, sess, caseID)
		if err != nil {
			return err
		}
		if err := s.checkSeen(ctx, tx, sess, c, seen); err != nil {
			return err
		}
		details, err := fn(tx, &c)
		if err != nil {
			return err
		}
		return audit(ctx, tx, sess.actor(), action, c.ID, c.Number.String()+" "+details)
	})
}

// AddNote adds an internal note to a case's timeline; it is never sent to the resident. It
// takes no CaseToken: a note neither answers the resident nor changes the case, notes only
// add to the timeline (two never collide), and refusing one would only make the staff member
// type it again. A note does count as a change for the other actions (see CaseToken).
func (s *Service) AddNote(ctx context.Context, sess *Session, caseID, text string) error {
	text = strings.TrimSpace(text)
	if text == "" {
		return app.Invalid("note", "the note is empty")
	}
	return s.act(ctx, sess, caseID, NoConflictCheck(), "case.note", func(tx Tx, c *app.Case) (string, error) {
		return "", tx.AddCaseEvent(ctx, &app.CaseEvent{CaseID: c.ID, Kind: app.EventNote, ActorStaffID: sess.staff.ID, Body: text})
	})
}

// ReplyRequest is an answer to the resident.
type ReplyRequest struct {
	CaseID              string
	Mode                ReplyMode
	Text                string
	ConfirmPersonalData bool // send a public reply even though it contains personal data
	// Seen is CaseDetail.Token of the screen the answer was written on: the answer is
	// refused (ConflictError) when the case changed since. Required.
	Seen CaseToken
}

// PersonalData returns the kinds of personal data found in text ("document", "phone", …).
func (s *Service) PersonalData(text string) []string { return s.personalData(text) }

// Reply queues an answer: the outbound event and the outbox row are written in one
// transaction, and the text always carries the case's registry number. It is refused, and
// nothing queued, when the case changed since req.Seen was taken (another answer, a new
// message from the resident, a status change…).
func (s *Service) Reply(ctx context.Context, sess *Session, req ReplyRequest) (app.OutboxItem, error) {
	var item app.OutboxItem
	if strings.TrimSpace(req.Text) == "" {
		return item, app.Invalid("text", "the answer is empty")
	}
	if req.Mode != ReplyPublic && req.Mode != ReplyDM {
		return item, app.Invalid("mode", "unknown reply mode %q", req.Mode)
	}
	d, err := s.Case(ctx, sess, req.CaseID)
	if err != nil {
		return item, err
	}
	if d.Case.MergedInto != "" {
		return item, app.Invalid("case", "this case was merged into %s: answer there", d.MergedInto)
	}
	text := WithRegistryNumber(req.Text, d.Case.Number)
	switch req.Mode {
	case ReplyPublic:
		if d.ReplyToID == "" {
			return item, app.Invalid("mode", "this case has no public post to reply to: send a direct message")
		}
		if n := network.WeightedLength(text); n > network.MaxWeightedLength {
			return item, app.Invalid("text", "the reply is %d characters long as the network counts them; the limit is %d", n, network.MaxWeightedLength)
		}
		if found := s.personalData(text); len(found) > 0 && !req.ConfirmPersonalData {
			return item, fmt.Errorf("%w: %s", ErrPersonalData, strings.Join(found, ", "))
		}
		item = app.OutboxItem{Kind: app.OutboxReply, InReplyToID: d.ReplyToID}
	case ReplyDM:
		if d.DMRecipient == "" {
			return item, app.Invalid("mode", "the resident's network account is not known: a direct message cannot be sent")
		}
		if n := utf8.RuneCountInString(text); n > MaxDMLength {
			return item, app.Invalid("text", "the message is %d characters long; the limit is %d", n, MaxDMLength)
		}
		item = app.OutboxItem{Kind: app.OutboxDM, RecipientUserID: d.DMRecipient}
	}
	item.CaseID, item.Network, item.Text, item.CreatedBy = d.Case.ID, d.Case.Network, text, sess.staff.ID
	err = s.act(ctx, sess, req.CaseID, req.Seen, "case.reply", func(tx Tx, c *app.Case) (string, error) {
		if err := tx.EnqueueOutbox(ctx, &item); err != nil {
			return "", err
		}
		if err := tx.AddCaseEvent(ctx, &app.CaseEvent{CaseID: c.ID, Kind: app.EventOutbound, ActorStaffID: sess.staff.ID, OutboxID: item.ID, Body: text, NewValue: string(req.Mode)}); err != nil {
			return "", err
		}
		changed := false
		if c.FirstAnswerAt.IsZero() {
			c.FirstAnswerAt, changed = s.clock(), true
		}
		if c.Unread {
			c.Unread, changed = false, true
		}
		if changed {
			if err := tx.UpdateCase(ctx, c); err != nil {
				return "", err
			}
		}
		return string(req.Mode) + " " + item.ID, nil
	})
	return item, err
}

// NextStatuses lists the statuses case c may move to.
func NextStatuses(c app.Case) []app.CaseStatus {
	var out []app.CaseStatus
	for _, st := range app.CaseStatuses {
		if c.Status.CanMove(c.Kind, st) {
			out = append(out, st)
		}
	}
	return out
}

// ChangeStatus moves a case to next if its kind allows the move; note, if any, is added to
// the timeline with the change. It is refused when the case changed since seen was taken.
func (s *Service) ChangeStatus(ctx context.Context, sess *Session, caseID string, seen CaseToken, next app.CaseStatus, note string) error {
	return s.act(ctx, sess, caseID, seen, "case.status", func(tx Tx, c *app.Case) (string, error) {
		if !c.Status.CanMove(c.Kind, next) {
			return "", app.Invalid("status", "a %s case cannot go from %s to %s", c.Kind, c.Status, next)
		}
		old := c.Status
		c.Status = next
		if next.Closed() {
			c.ClosedAt = s.clock()
		} else {
			c.ClosedAt = time.Time{}
		}
		c.Unread = false
		if err := tx.UpdateCase(ctx, c); err != nil {
			return "", err
		}
		return fmt.Sprintf("%s -> %s", old, next), tx.AddCaseEvent(ctx, &app.CaseEvent{CaseID: c.ID, Kind: app.EventStatus, ActorStaffID: sess.staff.ID,
			OldValue: string(old), NewValue: string(next), Body: strings.TrimSpace(note)})
	})
}
