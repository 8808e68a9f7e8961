package training

import (
	"context"
	"regexp"
	"strings"
	"testing"

	"fyne.io/fyne/v2/test"

	"ventanilla/app/demo"
	apptraining "ventanilla/app/training"
	"ventanilla/db"
	"ventanilla/ui"
)

var numberPattern = regexp.MustCompile(`E-\d{4}-\d{6}`)

// TestLessonsThroughThePhonePanel does every lesson by typing into the phone panel and
// tapping its buttons; each check must fail before the step and pass after it.
func TestLessonsThroughThePhonePanel(t *testing.T) {
	ctx := context.Background()
	sb := openSandbox(t)
	a := test.NewTempApp(t)
	w := New(a, Options{Sandbox: sb, NoDesk: true})
	defer w.Close()
	tr, err := sb.Trainee(ctx, "Ana Gómez")
	if err != nil {
		t.Fatal(err)
	}
	w.setTrainee(&tr)
	p := w.phone
	steps := []func(){
		func() { test.Tap(p.mention); test.Type(p.entry, "Hola, estoy aprendiendo"); test.Tap(p.post) },
		func() { test.Tap(p.example); test.Tap(p.post) },
		func() { test.Tap(p.code); test.Tap(p.dm) }, // the code is written in for the trainee
		func() { test.Tap(p.example); test.Tap(p.dm) },
		func() {
			num := ""
			for _, m := range sb.Phone(tr) {
				if n := numberPattern.FindString(m.Text); n != "" && !m.FromTrainee {
					num = n
				}
			}
			test.Type(p.entry, "¿Cómo va mi "+num+"?")
			test.Tap(p.dm)
		},
	}
	for i, do := range steps {
		w.startLesson(i)
		for range apptraining.Lessons[i].Steps {
			if apptraining.Lessons[i].Steps[w.step].Action != "" {
				break
			}
			w.Next()
		}
		if err := sb.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		if w.CheckNow() {
			t.Fatalf("lesson %d passed before the step", i+1)
		}
		do()
		if err := sb.Sync(ctx); err != nil {
			t.Fatal(err)
		}
		if !w.CheckNow() || !w.Passed() {
			t.Fatalf("lesson %d did not pass after the step; phone: %+v", i+1, sb.Phone(tr))
		}
	}
}

// TestWindowSpeaksTheDesksLanguage: the training window speaks the interface's language
// (ui.SetLanguage): English on an English system, Spanish otherwise.
func TestWindowSpeaksTheDesksLanguage(t *testing.T) {
	sb := openSandbox(t)
	defer ui.SetLanguage("es")
	for _, tc := range []struct{ language, want string }{
		{"en_US.UTF-8", "Ventanilla — Training"},
		{"es_ES.UTF-8", "Ventanilla — Formación"},
		{"C.UTF-8", "Ventanilla — Formación"},
	} {
		t.Setenv("LANGUAGE", "")
		t.Setenv("LC_ALL", "")
		t.Setenv("LANG", tc.language)
		ui.SetLanguage("")
		a := test.NewTempApp(t)
		w := New(a, Options{Sandbox: sb, NoDesk: true})
		if got := w.win.Title(); !strings.HasPrefix(got, tc.want) {
			t.Errorf("LANG=%s: window title %q, want it to start with %q", tc.language, got, tc.want)
		}
		w.Close()
	}
}

// openSandbox opens a training sandbox of its own, closed with the test.
func openSandbox(t *testing.T) *apptraining.Sandbox {
	t.Helper()
	sb, err := apptraining.Open(context.Background(), apptraining.Config{Dir: t.TempDir(), Manual: true,
		Open: func(ctx context.Context, p string) (demo.Store, error) { return db.Open(ctx, p) }})
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { sb.Close() })
	return sb
}
