package desk

import (
	"context"
	"fmt"
	"strings"
	"time"

	"ventanilla/app"
)

// CaseToken is what a staff member saw of a case: taken when the case screen loads
// (CaseDetail.Token) and handed back with every action that answers or changes the case.
//
// It records the case row's version with the fields the screen shows (status, priority,
// assignee, department, merge, kind, resident) and every entry of the timeline: the inbound
// messages filed under the case (intake writes no event for them: a message is its own
// entry) and the case events (answers, notes, status and other changes, and the inbound
// events older registers have). The action's transaction reads the case and its timeline
// again and refuses (ConflictError) when anything the staff member did not see has happened.
//
// The check is read-side only: intake, which files a resident's message under an open case,
// writes nothing more than before. A change of the version alone (the case marked read or
// unread, by this screen or by a colleague opening it) is not a conflict.
//
// The zero CaseToken is refused: a caller that means to act without looking (seeding, a
// script) says so with NoConflictCheck.
type CaseToken struct {
	caseID     string
	version    int
	status     app.CaseStatus
	priority   app.Priority
	assignee   string
	department string
	mergedInto string
	kind       app.CaseKind
	resident   string
	identity   string
	entries    map[string]bool // case event ids, and "msg:"+inbound message id
	newest     string          // the newest timeline entry seen: event id, or "msg:"+id
	noCheck    bool
}

// NoConflictCheck is the token of a caller that acts without having shown the case to anyone
// (demo and training seeding, scripts). The staff screens never use it.
func NoConflictCheck() CaseToken { return CaseToken{noCheck: true} }

// CaseID is the case the token was taken on ("" for the zero token and NoConflictCheck).
func (t CaseToken) CaseID() string { return t.caseID }

// Newest is the id of the newest timeline entry the token covers ("" when the timeline was
// empty): a case event id, or "msg:" and an inbound message id.
func (t CaseToken) Newest() string { return t.newest }

func newCaseToken(c app.Case, events []app.CaseEvent, msgs []app.InboundMessage) CaseToken {
	t := CaseToken{caseID: c.ID, version: c.Version, status: c.Status, priority: c.Priority,
		assignee: c.AssigneeID, department: c.DepartmentID, mergedInto: c.MergedInto, kind: c.Kind,
		resident: c.ResidentID, identity: c.IdentityID, entries: make(map[string]bool, len(events)+len(msgs))}
	var at time.Time
	for _, e := range events {
		t.entries[e.ID] = true
		if t.newest == "" || !e.CreatedAt.Before(at) {
			t.newest, at = e.ID, e.CreatedAt
		}
	}
	for _, m := range msgs {
		t.entries["msg:"+m.ID] = true
		if t.newest == "" || m.CreatedAt.After(at) {
			t.newest, at = "msg:"+m.ID, m.CreatedAt
		}
	}
	return t
}

// Change is one kind of thing that happened on a case since a staff member looked at it.
type Change string

const (
	ChangeResidentWrote Change = "resident_wrote"  // the resident sent another message
	ChangeAnswered      Change = "answered"        // another staff member answered the resident
	ChangeAnsweredByYou Change = "answered_by_you" // the same staff member answered, from another window or twice from this one
	ChangeAutoAnswered  Change = "auto_answered"   // Ventanilla queued an automatic answer
	ChangeStatus        Change = "status"
	ChangeAssignee      Change = "assignee"
	ChangePriority      Change = "priority"
	ChangeDepartment    Change = "department"
	ChangeMerged        Change = "merged"
	ChangeNote          Change = "note"     // someone added an internal note
	ChangeWarning       Change = "warning"  // a warning (flag) was recorded
	ChangeResident      Change = "resident" // the resident, the account or its verification changed
	ChangeOther         Change = "other"
)

// Words says the change in English; the desk's screens translate it (it is their key).
func (c Change) Words() string {
	if w, ok := changeWords[c]; ok {
		return w
	}
	return changeWords[ChangeOther]
}

var changeWords = map[Change]string{
	ChangeResidentWrote: "the resident wrote again",
	ChangeAnswered:      "another person answered",
	ChangeAnsweredByYou: "you have already answered it (here or in another window)",
	ChangeAutoAnswered:  "an automatic answer was queued",
	ChangeStatus:        "the status changed",
	ChangeAssignee:      "the assignee changed",
	ChangePriority:      "the priority changed",
	ChangeDepartment:    "the department changed",
	ChangeMerged:        "the case was merged into another",
	ChangeNote:          "someone added a note",
	ChangeWarning:       "a warning was added",
	ChangeResident:      "the resident's identity or verification changed",
	ChangeOther:         "the case changed",
}

// ConflictError refuses an action on a case that changed since the staff member's screen
// loaded it; nothing was written. It wraps app.ErrConflict. Changes is in order of
// importance, each kind once.
type ConflictError struct {
	Number  app.RegistryNumber
	Changes []Change
}

func (e *ConflictError) Error() string {
	words := make([]string, len(e.Changes))
	for i, c := range e.Changes {
		words[i] = c.Words()
	}
	return fmt.Sprintf("case %s changed since you opened it (%s): reload it, review it and try again", e.Number, strings.Join(words, "; "))
}

func (e *ConflictError) Unwrap() error { return app.ErrConflict }

// Has reports whether c is among the changes.
func (e *ConflictError) Has(c Change) bool {
	for _, x := range e.Changes {
		if x == c {
			return true
		}
	}
	return false
}

// checkSeen compares what the staff member saw (seen) with case c as read inside the action's
// transaction, and the timeline as it is now.
func (s *Service) checkSeen(ctx context.Context, tx Tx, sess *Session, c app.Case, seen CaseToken) error {
	if seen.noCheck {
		return nil
	}
	if seen.caseID == "" {
		return app.Invalid("case", "the action does not say what the case looked like on screen: reload the case and try again")
	}
	if seen.caseID != c.ID {
		return app.Invalid("case", "the action was taken on another case's screen: reload the case and try again")
	}
	found := map[Change]bool{}
	if c.Version != seen.version {
		// The version also moves when the case is only marked read or unread: only the fields
		// the screen shows count.
		found[ChangeStatus] = c.Status != seen.status
		found[ChangePriority] = c.Priority != seen.priority
		found[ChangeAssignee] = c.AssigneeID != seen.assignee
		found[ChangeDepartment] = c.DepartmentID != seen.department
		found[ChangeMerged] = c.MergedInto != seen.mergedInto
		found[ChangeResident] = c.ResidentID != seen.resident || c.IdentityID != seen.identity
		found[ChangeOther] = c.Kind != seen.kind
	}
	events, err := tx.ListCaseEvents(ctx, c.ID)
	if err != nil {
		return err
	}
	inEvents := map[string]bool{}
	for _, e := range events {
		if e.InboundMessageID != "" {
			inEvents[e.InboundMessageID] = true
		}
		if seen.entries[e.ID] {
			continue
		}
		switch e.Kind {
		case app.EventInbound:
			found[ChangeResidentWrote] = true
		case app.EventOutbound:
			switch e.ActorStaffID {
			case "":
				found[ChangeAutoAnswered] = true
			case sess.staff.ID:
				found[ChangeAnsweredByYou] = true
			default:
				found[ChangeAnswered] = true
			}
		case app.EventNote:
			found[ChangeNote] = true
		case app.EventStatus:
			found[ChangeStatus] = true
		case app.EventAssignment:
			found[ChangeAssignee] = true
		case app.EventPriority:
			found[ChangePriority] = true
		case app.EventDepartment:
			found[ChangeDepartment] = true
		case app.EventMerge:
			found[ChangeMerged] = true
		case app.EventFlag:
			found[ChangeWarning] = true
		case app.EventVerification:
			found[ChangeResident] = true
		default:
			found[ChangeOther] = true
		}
	}
	// The resident's messages filed under the case since (intake writes no event for them).
	msgs, err := tx.ListInboundForCase(ctx, c.ID)
	if err != nil {
		return err
	}
	for _, m := range msgs {
		if !seen.entries["msg:"+m.ID] && !inEvents[m.ID] {
			found[ChangeResidentWrote] = true
		}
	}
	var changes []Change
	for _, ch := range []Change{ChangeResidentWrote, ChangeAnswered, ChangeAnsweredByYou, ChangeAutoAnswered, ChangeStatus,
		ChangeMerged, ChangeAssignee, ChangeDepartment, ChangePriority, ChangeNote, ChangeWarning, ChangeResident, ChangeOther} {
		if found[ch] {
			changes = append(changes, ch)
		}
	}
	if len(changes) == 0 {
		return nil
	}
	return &ConflictError{Number: c.Number, Changes: changes}
}
