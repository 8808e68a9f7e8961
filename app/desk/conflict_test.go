package desk_test

import (
	"context"
	"errors"
	"strings"
	"testing"
	"time"

	"ventanilla/app"
	"ventanilla/app/desk"
	appsync "ventanilla/app/sync"
)

// counts is what an action may leave behind: the case's outbox rows, its timeline events, and
// the audit log.
type counts struct{ outbox, events, audit int }

func (f *fixture) counts(t *testing.T, caseID string) counts {
	t.Helper()
	ctx := context.Background()
	out, err := f.store.ListOutboxForCase(ctx, caseID)
	if err != nil {
		t.Fatal(err)
	}
	ev, err := f.store.ListCaseEvents(ctx, caseID)
	if err != nil {
		t.Fatal(err)
	}
	au, err := f.store.ListAuditEntries(ctx)
	if err != nil {
		t.Fatal(err)
	}
	return counts{len(out), len(ev), len(au)}
}

// conflict checks that err is a ConflictError (wrapping app.ErrConflict) naming want.
func conflict(t *testing.T, what string, err error, want ...desk.Change) {
	t.Helper()
	var ce *desk.ConflictError
	if !errors.Is(err, app.ErrConflict) || !errors.As(err, &ce) {
		t.Fatalf("%s: got %v, want a conflict", what, err)
	}
	for _, w := range want {
		if !ce.Has(w) {
			t.Fatalf("%s: conflict %v does not name %q", what, ce.Changes, w)
		}
	}
}

// joinDM files a resident's direct message under case c the way intake does (app/sync JoinCase).
func (f *fixture) joinDM(t *testing.T, c app.Case, id, text string) {
	t.Helper()
	ctx := context.Background()
	err := f.store.InTx(ctx, func(tx app.Tx) error {
		cur, err := tx.GetCase(ctx, c.ID)
		if err != nil {
			return err
		}
		m := app.InboundMessage{Network: "x", MessageID: id, Channel: app.ChannelDM, AuthorUserID: "u-resident",
			AuthorHandle: "vecina", Text: text, PostedAt: f.now, Raw: "{}"}
		return appsync.JoinCase(ctx, tx, &m, cur)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestTwoClerksAnswerOnce: two people open the same case; the first answer goes out, the
// second is refused and queues nothing until its author has reloaded the case.
func TestTwoClerksAnswerOnce(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.demo(t)
	a, b := f.signIn(t, app.RoleClerk), f.signIn(t, app.RoleAdmin)
	c := f.caseOfKind(t, app.KindQuery)
	other := f.caseOfKind(t, app.KindIncident) // (signs in: an audit entry)
	colleagues, _ := f.svc.Colleagues(ctx, b)
	deps, _ := f.svc.Departments(ctx, b)
	seenA, seenB := f.seen(t, a, c.ID), f.seen(t, b, c.ID)
	// Both screens mark the case read as they open it: that alone is not a change.
	if err := f.svc.MarkRead(ctx, a, c.ID, true); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.MarkRead(ctx, b, c.ID, false); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Reply(ctx, a, desk.ReplyRequest{CaseID: c.ID, Mode: desk.ReplyDM, Text: "Abrimos a las 9:00.", Seen: seenA}); err != nil {
		t.Fatalf("first answer: %v", err)
	}
	before := f.counts(t, c.ID)
	_, err := f.svc.Reply(ctx, b, desk.ReplyRequest{CaseID: c.ID, Mode: desk.ReplyPublic, Text: "Abrimos a las nueve.", Seen: seenB})
	conflict(t, "second answer", err, desk.ChangeAnswered)
	if after := f.counts(t, c.ID); after != before {
		t.Fatalf("the refused answer left %+v, want %+v (nothing queued, no event, no audit)", after, before)
	}
	// The same person in a second window is told it was them.
	_, err = f.svc.Reply(ctx, a, desk.ReplyRequest{CaseID: c.ID, Mode: desk.ReplyDM, Text: "Otra vez", Seen: seenA})
	conflict(t, "answer from a stale second window", err, desk.ChangeAnsweredByYou)
	// Every other action of B's stale screen is refused too, and changes nothing.
	conflict(t, "status", f.svc.ChangeStatus(ctx, b, c.ID, seenB, app.StatusResolved, ""), desk.ChangeAnswered)
	conflict(t, "assign", f.svc.Assign(ctx, b, c.ID, seenB, colleagues[0].ID))
	conflict(t, "priority", f.svc.SetPriority(ctx, b, c.ID, seenB, app.PriorityUrgent))
	conflict(t, "department", f.svc.SetDepartment(ctx, b, c.ID, seenB, deps[0].ID))
	conflict(t, "merge", f.svc.Merge(ctx, b, c.ID, seenB, other.Number.String()))
	got, _ := f.store.GetCase(ctx, c.ID)
	if got.Status != c.Status || got.MergedInto != "" || got.Priority != c.Priority || got.AssigneeID != c.AssigneeID || got.DepartmentID != c.DepartmentID {
		t.Fatalf("refused actions changed the case: %+v", got)
	}
	if after := f.counts(t, c.ID); after != before {
		t.Fatalf("refused actions left %+v, want %+v", after, before)
	}
	// After reloading, B sees A's answer and may still answer.
	d, err := f.svc.Case(ctx, b, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if last := d.Timeline[len(d.Timeline)-1]; last.Event.Kind != app.EventOutbound || last.Event.ActorStaffID != a.Staff().ID {
		t.Fatalf("the reloaded timeline ends with %+v, want A's answer", last.Event)
	}
	if _, err := f.svc.Reply(ctx, b, desk.ReplyRequest{CaseID: c.ID, Mode: desk.ReplyDM, Text: "Y los sábados a las 10:00.", Seen: d.Token}); err != nil {
		t.Fatalf("answer after reloading: %v", err)
	}
	if after := f.counts(t, c.ID); after.outbox != before.outbox+1 {
		t.Fatalf("outbox %d, want %d", after.outbox, before.outbox+1)
	}
	if _, err := app.CheckAudit(ctx, f.store); err != nil {
		t.Fatal(err)
	}
}

// TestResidentWroteAfterOpening: a DM that joins the case after the clerk opened it makes
// closing and answering wait until the clerk has seen it.
func TestResidentWroteAfterOpening(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.demo(t)
	b := f.signIn(t, app.RoleClerk)
	c := f.caseOfKind(t, app.KindQuery)
	seen := f.seen(t, b, c.ID)
	if err := f.svc.MarkRead(ctx, b, c.ID, true); err != nil { // what the screen does on opening
		t.Fatal(err)
	}
	f.now = f.now.Add(time.Minute)
	f.joinDM(t, c, "dm-join-1", "Perdone, olvidé decir que es en la calle Real 3.")
	before := f.counts(t, c.ID)
	if m, err := f.store.GetInboundMessage(ctx, "x", "dm-join-1"); err != nil || f.seen(t, b, c.ID).Newest() != "msg:"+m.ID {
		t.Fatalf("a fresh token's newest entry is not the new DM (%v)", err)
	}

	conflict(t, "close", f.svc.ChangeStatus(ctx, b, c.ID, seen, app.StatusResolved, "resuelto"), desk.ChangeResidentWrote)
	_, err := f.svc.Reply(ctx, b, desk.ReplyRequest{CaseID: c.ID, Mode: desk.ReplyDM, Text: "Gracias, lo cerramos.", Seen: seen})
	conflict(t, "answer", err, desk.ChangeResidentWrote)
	if err.Error() == "" || !strings.Contains(err.Error(), "the resident wrote again") {
		t.Fatalf("the error says %q, want the words a clerk understands", err)
	}
	if after := f.counts(t, c.ID); after != before {
		t.Fatalf("refused actions left %+v, want %+v", after, before)
	}
	if got, _ := f.store.GetCase(ctx, c.ID); got.Status != c.Status || !got.Unread {
		t.Fatalf("got status %s unread %v, want %s and unread (the new DM)", got.Status, got.Unread, c.Status)
	}
	// A note is exempt: it answers nobody and changes nothing.
	if err := f.svc.AddNote(ctx, b, c.ID, "Llamar a la vecina"); err != nil {
		t.Fatalf("note: %v", err)
	}

	d, err := f.svc.Case(ctx, b, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	found := false
	for _, e := range d.Timeline {
		found = found || (e.Inbound != nil && e.Inbound.MessageID == "dm-join-1")
	}
	if !found {
		t.Fatal("the reloaded timeline lacks the resident's new DM")
	}
	if _, err := f.svc.Reply(ctx, b, desk.ReplyRequest{CaseID: c.ID, Mode: desk.ReplyDM, Text: "Gracias, lo cerramos.", Seen: d.Token}); err != nil {
		t.Fatalf("answer after reloading: %v", err)
	}
	d, _ = f.svc.Case(ctx, b, c.ID)
	if err := f.svc.ChangeStatus(ctx, b, c.ID, d.Token, app.StatusResolved, "resuelto"); err != nil {
		t.Fatalf("close after reloading: %v", err)
	}
	if got, _ := f.store.GetCase(ctx, c.ID); got.Status != app.StatusResolved {
		t.Fatalf("got %s, want resolved", got.Status)
	}
}

// TestConflictNamesWhatChanged: a colleague's note, a status change, or a message stored
// under the case directly (no JoinCase, no change to the case row) each refuse a stale
// screen, in words.
func TestConflictNamesWhatChanged(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.demo(t)
	a, b := f.signIn(t, app.RoleClerk), f.signIn(t, app.RoleAdmin)
	c := f.caseOfKind(t, app.KindIncident)

	seen := f.seen(t, b, c.ID)
	if err := f.svc.AddNote(ctx, a, c.ID, "Ya he llamado a la Policía Local"); err != nil {
		t.Fatal(err)
	}
	conflict(t, "after a note", f.svc.SetPriority(ctx, b, c.ID, seen, app.PriorityHigh), desk.ChangeNote)

	seen = f.seen(t, b, c.ID)
	if err := f.svc.ChangeStatus(ctx, a, c.ID, f.seen(t, a, c.ID), app.StatusInProgress, ""); err != nil {
		t.Fatal(err)
	}
	conflict(t, "after a status change", f.svc.Assign(ctx, b, c.ID, seen, b.Staff().ID), desk.ChangeStatus)

	seen = f.seen(t, b, c.ID)
	err := f.store.InTx(ctx, func(tx app.Tx) error {
		m := app.InboundMessage{Network: "x", MessageID: "bare-1", Channel: app.ChannelMention, AuthorUserID: "u-1", Text: "¿Hay novedades?",
			PostedAt: f.now, Raw: "{}", CaseID: c.ID, Disposition: app.DispositionJoinedCase}
		_, err := tx.InsertInboundMessage(ctx, &m)
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	conflict(t, "after a message without an event", f.svc.ChangeStatus(ctx, b, c.ID, seen, app.StatusResolved, ""), desk.ChangeResidentWrote)
	if err := f.svc.ChangeStatus(ctx, b, c.ID, f.seen(t, b, c.ID), app.StatusResolved, ""); err != nil {
		t.Fatalf("after reloading: %v", err)
	}
}

// TestTokenRequired: no token is refused (the screens always pass one); the explicit
// NoConflictCheck of seeding and scripts goes through; a token of another case is refused.
func TestTokenRequired(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	f.demo(t)
	clerk := f.signIn(t, app.RoleClerk)
	c := f.caseOfKind(t, app.KindIncident)
	other := f.caseOfKind(t, app.KindQuery)
	before := f.counts(t, c.ID)
	if err := f.svc.ChangeStatus(ctx, clerk, c.ID, desk.CaseToken{}, app.StatusInProgress, ""); !app.IsInvalid(err) {
		t.Fatalf("no token: got %v, want invalid", err)
	}
	if _, err := f.svc.Reply(ctx, clerk, desk.ReplyRequest{CaseID: c.ID, Mode: desk.ReplyDM, Text: "Hola"}); !app.IsInvalid(err) {
		t.Fatalf("reply without token: got %v, want invalid", err)
	}
	if err := f.svc.SetPriority(ctx, clerk, c.ID, f.seen(t, clerk, other.ID), app.PriorityHigh); !app.IsInvalid(err) {
		t.Fatalf("another case's token: got %v, want invalid", err)
	}
	if after := f.counts(t, c.ID); after != before {
		t.Fatalf("refused actions left %+v, want %+v", after, before)
	}
	if err := f.svc.ChangeStatus(ctx, clerk, c.ID, desk.NoConflictCheck(), app.StatusInProgress, ""); err != nil {
		t.Fatalf("explicit no check: %v", err)
	}
}
