package ui

import (
	"context"
	"strings"
	"testing"
	"time"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"

	"ventanilla/app"
	"ventanilla/app/desk"
	appsync "ventanilla/app/sync"
)

// joinDM files a resident's direct message under the case, as intake does when a DM arrives
// (another process: the sync engine, or another desktop's).
func joinDM(t *testing.T, f *fixture, caseID, id, text string, at time.Time) {
	t.Helper()
	ctx := context.Background()
	err := f.store.InTx(ctx, func(tx app.Tx) error {
		c, err := tx.GetCase(ctx, caseID)
		if err != nil {
			return err
		}
		m := app.InboundMessage{Network: "x", MessageID: id, Channel: app.ChannelDM, AuthorUserID: "u-vecina",
			AuthorHandle: "vecina_jun", Text: text, PostedAt: at, Raw: "{}"}
		return appsync.JoinCase(ctx, tx, &m, c)
	})
	if err != nil {
		t.Fatal(err)
	}
}

// TestConflictKeepsDraftAndShowsWhatChanged: the resident writes again while the clerk is
// typing; Send is refused, the screen says why, shows the new message and keeps the draft,
// and a second Send goes through.
func TestConflictKeepsDraftAndShowsWhatChanged(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, Options{})
	f.signIn(t, "lucia")
	cv := f.openCase(t, caseNumber(t, f.store, app.KindQuery))
	caseID := cv.detail.Case.ID
	before, _ := f.store.ListOutboxForCase(ctx, caseID)
	if !cv.conflict.Hidden {
		t.Fatal("a conflict notice shows on a freshly opened case")
	}

	cv.mode.SetSelected(lang.L("Direct message"))
	draft := "Le confirmamos que la oficina abre a las 9:00."
	test.Type(cv.text, draft)
	newDM := "Perdone, es la oficina de la plaza, no la del mercado."
	joinDM(t, f, caseID, "dm-conflict-1", newDM, t0.Add(time.Hour))
	test.Tap(cv.send)
	f.desk.Wait()

	if after, _ := f.store.ListOutboxForCase(ctx, caseID); len(after) != len(before) {
		t.Fatalf("outbox %d rows, want %d: the refused answer was queued", len(after), len(before))
	}
	if cv.conflict.Hidden || !strings.Contains(cv.conflict.Text, lang.L("the resident wrote again")) {
		t.Fatalf("conflict notice %q (hidden %v), want it to say the resident wrote again", cv.conflict.Text, cv.conflict.Hidden)
	}
	if cv.text.Text != draft {
		t.Fatalf("composer holds %q, want the draft %q", cv.text.Text, draft)
	}
	if !hasText(cv.timeline, newDM) {
		t.Fatal("the timeline does not show the resident's new message after the refusal")
	}

	test.Tap(cv.send)
	f.desk.Wait()
	after, _ := f.store.ListOutboxForCase(ctx, caseID)
	if len(after) != len(before)+1 || !strings.HasPrefix(after[len(after)-1].Text, draft) {
		t.Fatalf("outbox %d rows, want %d ending with the draft", len(after), len(before)+1)
	}
	if !cv.conflict.Hidden || cv.text.Text != "" {
		t.Fatalf("after sending: notice hidden %v, composer %q; want hidden and empty", cv.conflict.Hidden, cv.text.Text)
	}
}

// TestConflictOnStatusChange: a colleague answers while the clerk's screen is open; the
// clerk's status change is refused, says another person answered, and keeps its note.
func TestConflictOnStatusChange(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t, Options{})
	f.signIn(t, "lucia")
	cv := f.openCase(t, caseNumber(t, f.store, app.KindQuery))
	caseID := cv.detail.Case.ID

	admin, err := f.svc.SignIn(ctx, "admin", desk.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	d, err := f.svc.Case(ctx, admin, caseID)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Reply(ctx, admin, desk.ReplyRequest{CaseID: caseID, Mode: desk.ReplyDM, Text: "Ya está resuelto.", Seen: d.Token}); err != nil {
		t.Fatal(err)
	}

	// What the status dialog does on "Change".
	was := cv.detail.Case.Status
	seen, note, next := cv.detail.Token, "Hablado por teléfono", desk.NextStatuses(cv.detail.Case)[0]
	cv.statusDraft = note
	cv.run(func(ctx context.Context) error {
		return f.svc.ChangeStatus(ctx, cv.sess, caseID, seen, next, note)
	})
	f.desk.Wait()
	if got, _ := f.store.GetCase(ctx, caseID); got.Status != was {
		t.Fatalf("the stale status change went through: %s → %s", was, got.Status)
	}
	if cv.conflict.Hidden || !strings.Contains(cv.conflict.Text, lang.L("another person answered")) {
		t.Fatalf("conflict notice %q, want it to say another person answered", cv.conflict.Text)
	}
	if cv.statusDraft != note {
		t.Fatalf("status note %q lost, want %q kept for the next try", cv.statusDraft, note)
	}
	if !hasText(cv.timeline, "Ya está resuelto.") {
		t.Fatal("the timeline does not show the colleague's answer")
	}
}
