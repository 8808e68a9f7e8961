package training_test

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"ventanilla/app/demo"
	"ventanilla/app/training"
	"ventanilla/db"
)

func openStore(ctx context.Context, path string) (demo.Store, error) { return db.Open(ctx, path) }

func newSandbox(t *testing.T) *training.Sandbox {
	t.Helper()
	sb, err := training.Open(context.Background(), training.Config{Dir: t.TempDir(), Open: openStore, Manual: true})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	return sb
}

var numberPattern = regexp.MustCompile(`E-\d{4}-\d{6}`)

// TestLessonsPassOnlyAfterTheStep does each lesson's step as the trainee and checks that the
// lesson passes only once the message has reached the sandbox's register.
func TestLessonsPassOnlyAfterTheStep(t *testing.T) {
	ctx := context.Background()
	sb := newSandbox(t)
	tr, err := sb.Trainee(ctx, "Encarnación Ruiz")
	if err != nil {
		t.Fatal(err)
	}
	if tr.Handle != "encarnacion" {
		t.Errorf("handle: got %q, want encarnacion", tr.Handle)
	}
	steps := []struct {
		id training.LessonID
		do func() error
	}{
		{training.LessonMention, func() error {
			_, err := sb.Post(ctx, tr, "@ayuntamiento Hola, estoy aprendiendo a usar la red")
			return err
		}},
		{training.LessonIncident, func() error {
			_, err := sb.Post(ctx, tr, "@ayuntamiento #incidencia La farola de la plaza está apagada")
			return err
		}},
		{training.LessonVerify, func() error {
			ch, err := sb.RequestCode(ctx, tr)
			if err != nil {
				return err
			}
			_, err = sb.SendDM(ctx, tr, ch.Code)
			return err
		}},
		{training.LessonProcedure, func() error {
			_, err := sb.SendDM(ctx, tr, "#tramite Quiero pedir un certificado de empadronamiento")
			return err
		}},
		{training.LessonFollow, func() error {
			var num string
			for _, m := range sb.Phone(tr) {
				if !m.FromTrainee && m.Kind == training.ActionDM {
					if n := numberPattern.FindString(m.Text); n != "" {
						num = n
					}
				}
			}
			if num == "" {
				t.Fatalf("no case number on the phone: %+v", sb.Phone(tr))
			}
			_, err := sb.SendDM(ctx, tr, "Hola, ¿cómo va mi "+num+"?")
			return err
		}},
	}
	for _, st := range steps {
		since := sb.Now()
		if err := sb.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		if ok, err := sb.Check(ctx, tr, st.id, since); err != nil || ok {
			t.Fatalf("%s before the step: got %v, %v; want not done", st.id, ok, err)
		}
		if err := st.do(); err != nil {
			t.Fatalf("%s: %v", st.id, err)
		}
		if ok, err := sb.Check(ctx, tr, st.id, since); err != nil || ok {
			t.Fatalf("%s before sync: got %v, %v; want not done until the register has the message", st.id, ok, err)
		}
		if err := sb.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		if ok, err := sb.Check(ctx, tr, st.id, since); err != nil || !ok {
			t.Fatalf("%s after the step: got %v, %v; want done (phone: %+v)", st.id, ok, err, sb.Phone(tr))
		}
	}
	ps := sb.Trainees()
	if len(ps) != 1 || len(ps[0].Completed) != len(training.Lessons) {
		t.Errorf("progress: got %+v, want all %d lessons done", ps, len(training.Lessons))
	}
}

func TestWrongStepDoesNotPass(t *testing.T) {
	ctx := context.Background()
	sb := newSandbox(t)
	tr, _ := sb.Trainee(ctx, "Pepe")
	since := sb.Now()
	sb.Post(ctx, tr, "Hoy hace un día precioso") // no mention, no hashtag
	sb.SendDM(ctx, tr, "V-AAAAAA")               // not a code anyone issued
	if err := sb.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	for _, id := range []training.LessonID{training.LessonMention, training.LessonIncident, training.LessonVerify} {
		if ok, err := sb.Check(ctx, tr, id, since); err != nil || ok {
			t.Errorf("%s: got %v, %v; want not done", id, ok, err)
		}
	}
}

func TestResetEmptiesTheSandbox(t *testing.T) {
	ctx := context.Background()
	sb := newSandbox(t)
	tr, _ := sb.Trainee(ctx, "Lola")
	if _, err := sb.Post(ctx, tr, "@ayuntamiento #incidencia Bache en la calle Real"); err != nil {
		t.Fatal(err)
	}
	if err := sb.Sync(ctx); err != nil {
		t.Fatal(err)
	}
	st, err := sb.Env().Store.Status(ctx)
	if err != nil || st.Cases.Total != 1 {
		t.Fatalf("before reset: got %d cases, %v; want 1", st.Cases.Total, err)
	}
	resets := 0
	sb.OnReset(func() { resets++ })
	if err := sb.Reset(ctx); err != nil {
		t.Fatal(err)
	}
	st, err = sb.Env().Store.Status(ctx)
	if err != nil || st.Cases.Total != 0 || st.Messages.Total != 0 || st.Residents.Total != 0 {
		t.Fatalf("after reset: got %+v, %v; want an empty register", st, err)
	}
	if len(sb.Phone(tr)) != 0 {
		t.Errorf("phone after reset: got %+v, want empty", sb.Phone(tr))
	}
	for _, a := range sb.Env().Sim.Accounts() {
		if a.Handle == tr.Handle {
			t.Errorf("the trainee's account survived the reset")
		}
	}
	if resets != 1 {
		t.Errorf("OnReset ran %d times, want 1", resets)
	}
	if len(sb.Trainees()) != 1 {
		t.Errorf("progress should survive a reset")
	}
	// The trainer can still sign in to the fresh desk.
	if _, err := sb.Env().Desk.SignIn(ctx, training.TrainerUsername, training.TrainerPassword); err != nil {
		t.Errorf("trainer sign-in after reset: %v", err)
	}
}

func TestSummary(t *testing.T) {
	var b strings.Builder
	if err := training.WriteSummary(&b, func(k string) string { return "«" + k + "»" }, nil); err != nil {
		t.Fatal(err)
	}
	for _, l := range training.Lessons {
		if !strings.Contains(b.String(), "«"+l.TitleKey+"»") {
			t.Errorf("summary lacks %s", l.TitleKey)
		}
	}
	_ = os.WriteFile(filepath.Join(t.TempDir(), "s.html"), []byte(b.String()), 0o600)
}
