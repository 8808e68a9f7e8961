// Package training is the training mode's window: a simulated phone (the resident's side:
// posts with mentions and hashtags, direct messages, the town hall's replies) next to guided
// lessons checked against the sandbox, with the trainer's tools (reset, printable summary,
// progress). The desk (the town hall's side) runs in its own window on the sandbox's services.
package training

import (
	"context"
	"os"
	"path/filepath"
	"strconv"
	gosync "sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	apptraining "ventanilla/app/training"
	"ventanilla/ui"
	"ventanilla/ui/kiosk"
)

// Options is what the training window needs.
type Options struct {
	Sandbox *apptraining.Sandbox
	// NoDesk leaves the desk window closed (tests).
	NoDesk bool
	// Poll is how often the phone and the lesson check refresh; 0 means 2 seconds.
	Poll time.Duration
}

// Run opens the training window and the sandbox desk, and runs the app until the training
// window closes. main calls it for --training:
//
//	sb, err := apptraining.Open(ctx, apptraining.Config{Dir: filepath.Join(dataDir, "training"), Open: openDemoStore})
//	training.Run(a, training.Options{Sandbox: sb}); sb.Close()
func Run(a fyne.App, opts Options) {
	w := New(a, opts)
	w.win.ShowAndRun()
	w.Close()
}

// Window is the training window.
type Window struct {
	app  fyne.App
	win  fyne.Window
	opts Options
	sb   *apptraining.Sandbox

	ctx    context.Context
	cancel context.CancelFunc

	mu      gosync.Mutex
	trainee *apptraining.Trainee
	lesson  int
	step    int
	since   time.Time
	passed  bool
	desk    *ui.Desk

	left  *fyne.Container
	phone *phone
}

// t is the training window's text in the desk's language (ui.SetLanguage).
func t(key string, data ...string) string {
	return kiosk.Translate(kiosk.Lang(ui.Language()), key, data...)
}

// New builds the training window (and, unless NoDesk, the desk window).
func New(a fyne.App, opts Options) *Window {
	if opts.Poll <= 0 {
		opts.Poll = 2 * time.Second
	}
	w := &Window{app: a, opts: opts, sb: opts.Sandbox}
	w.ctx, w.cancel = context.WithCancel(context.Background())
	w.win = a.NewWindow(t("training.window"))
	w.win.Resize(fyne.NewSize(1280, 720)) // fits a 1366×768 screen with its taskbar
	w.win.SetMaster()
	w.left = container.NewStack()
	w.phone = newPhone(w)
	banner := canvas.NewText(t("training.banner"), theme.Color(theme.ColorNameForegroundOnPrimary))
	banner.TextStyle.Bold = true
	bannerBG := canvas.NewRectangle(theme.Color(theme.ColorNamePrimary))
	tools := container.NewHBox(
		widget.NewButtonWithIcon(t("training.change"), theme.AccountIcon(), func() { w.setTrainee(nil) }),
		widget.NewButtonWithIcon(t("training.print"), theme.DocumentPrintIcon(), w.printSummary),
		widget.NewButtonWithIcon(t("training.progress"), theme.ListIcon(), w.showProgress),
		widget.NewButtonWithIcon(t("training.reset"), theme.DeleteIcon(), w.askReset),
	)
	top := container.NewVBox(container.NewStack(bannerBG, container.NewPadded(banner)),
		container.NewBorder(nil, nil, widget.NewLabelWithStyle(t("training.trainer"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true}), nil, tools))
	split := container.NewHSplit(container.NewPadded(w.left), container.NewPadded(w.phone.view()))
	split.Offset = 0.55
	w.win.SetContent(container.NewBorder(top, nil, nil, nil, split))
	w.sb.OnReset(func() { fyne.Do(w.afterReset) })
	w.setTrainee(nil)
	if !opts.NoDesk {
		w.openDesk()
	}
	go w.refreshLoop()
	return w
}

// TrainingWindow is the Fyne window.
func (w *Window) TrainingWindow() fyne.Window { return w.win }

// Close stops the window's background work and the desk.
func (w *Window) Close() {
	w.cancel()
	w.mu.Lock()
	d := w.desk
	w.mu.Unlock()
	if d != nil {
		d.Close()
	}
}

func (w *Window) openDesk() {
	env := w.sb.Env()
	d := ui.NewDesk(w.app, ui.Options{Desk: env.Desk, Sync: env.Engine, Verify: env.Verify, DataDir: env.Dir, Demo: true})
	w.mu.Lock()
	w.desk = d
	w.mu.Unlock()
	d.Window().Show()
}

func (w *Window) afterReset() {
	w.mu.Lock()
	d := w.desk
	w.desk = nil
	w.mu.Unlock()
	if d != nil {
		d.Close()
		d.Window().Close()
	}
	if tr := w.current(); tr != nil {
		w.setTrainee(tr) // recreates the account on the fresh network
	}
	if !w.opts.NoDesk {
		w.openDesk()
	}
	w.win.SetMaster()
	w.phone.refresh()
}

func (w *Window) current() *apptraining.Trainee {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.trainee
}

// refreshLoop updates the phone and rechecks the lesson every Poll. It ends with Close.
func (w *Window) refreshLoop() {
	tick := time.NewTicker(w.opts.Poll)
	defer tick.Stop()
	for {
		select {
		case <-w.ctx.Done():
			return
		case <-tick.C:
		}
		passed := w.CheckNow()
		fyne.Do(func() {
			w.phone.refresh()
			if passed {
				w.showLesson()
			}
		})
	}
}

// CheckNow checks the current lesson against the sandbox, and reports whether it just passed.
func (w *Window) CheckNow() bool {
	w.mu.Lock()
	tr, l, since, already := w.trainee, w.lesson, w.since, w.passed
	onLast := w.trainee != nil && w.step == len(apptraining.Lessons[l].Steps)-1
	w.mu.Unlock()
	if tr == nil || already || !onLast && apptraining.Lessons[l].Steps[w.step].Action == "" {
		return false
	}
	ok, err := w.sb.Check(w.ctx, *tr, apptraining.Lessons[l].ID, since)
	if err != nil || !ok {
		return false
	}
	w.mu.Lock()
	w.passed = true
	w.step = len(apptraining.Lessons[l].Steps) - 1
	w.mu.Unlock()
	return true
}

// Passed reports whether the current lesson's check passed.
func (w *Window) Passed() bool {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.passed
}

// Lesson is the current lesson's index.
func (w *Window) Lesson() int {
	w.mu.Lock()
	defer w.mu.Unlock()
	return w.lesson
}

func (w *Window) setTrainee(tr *apptraining.Trainee) {
	w.mu.Lock()
	w.trainee = tr
	w.mu.Unlock()
	if tr == nil {
		name := widget.NewEntry()
		name.SetPlaceHolder(t("training.who.placeholder"))
		start := func() {
			got, err := w.sb.Trainee(w.ctx, name.Text)
			if err != nil {
				dialog.ShowError(err, w.win)
				return
			}
			w.setTrainee(&got)
		}
		name.OnSubmitted = func(string) { start() }
		b := widget.NewButtonWithIcon(t("training.who.go"), theme.NavigateNextIcon(), start)
		b.Importance = widget.HighImportance
		h := widget.NewLabelWithStyle(t("training.who"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
		w.left.Objects = []fyne.CanvasObject{container.NewVBox(h, name, b)}
		w.left.Refresh()
		w.phone.refresh()
		return
	}
	if _, err := w.sb.Trainee(w.ctx, tr.Name); err != nil {
		fyne.LogError("training: trainee", err)
	}
	first := 0
	for _, p := range w.sb.Trainees() {
		if p.Name == tr.Name {
			for first < len(apptraining.Lessons)-1 {
				if _, done := p.Completed[apptraining.Lessons[first].ID]; !done {
					break
				}
				first++
			}
		}
	}
	w.startLesson(first)
}

// StartLesson begins lesson i (0-based) for the current trainee: only what they send from now
// on counts for its check.
func (w *Window) StartLesson(i int) { w.startLesson(i) }

func (w *Window) startLesson(i int) {
	w.mu.Lock()
	w.lesson, w.step, w.passed, w.since = i, 0, false, w.sb.Now()
	w.mu.Unlock()
	w.showLesson()
	w.phone.refresh()
}

// Next goes to the next step.
func (w *Window) Next() {
	w.mu.Lock()
	if w.step < len(apptraining.Lessons[w.lesson].Steps)-1 {
		w.step++
	}
	w.mu.Unlock()
	w.showLesson()
}

func (w *Window) showLesson() {
	w.mu.Lock()
	l, step, passed := apptraining.Lessons[w.lesson], w.step, w.passed
	w.mu.Unlock()
	total := strconv.Itoa(len(apptraining.Lessons))
	head := widget.NewLabel(t("training.lesson", "N", strconv.Itoa(l.Number), "Total", total))
	title := canvas.NewText(t(l.TitleKey), theme.Color(theme.ColorNameForeground))
	title.TextSize = theme.TextHeadingSize() * 1.4
	title.TextStyle.Bold = true
	aim := widget.NewLabel(t(l.AimKey))
	aim.Wrapping = fyne.TextWrapWord
	aim.TextStyle.Italic = true
	st := l.Steps[step]
	stepHead := widget.NewLabelWithStyle(t("training.step", "N", strconv.Itoa(step+1), "Total", strconv.Itoa(len(l.Steps))), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	body := widget.NewLabel(t(st.Key))
	body.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(head, title, aim, widget.NewSeparator(), stepHead, body)
	if st.Example != "" {
		ex := widget.NewLabel(t(st.Example))
		ex.TextStyle.Monospace = true
		ex.Wrapping = fyne.TextWrapWord
		box.Add(ex)
	}
	prev := widget.NewButtonWithIcon(t("training.prev"), theme.NavigateBackIcon(), func() {
		w.mu.Lock()
		if w.step > 0 {
			w.step--
		}
		w.mu.Unlock()
		w.showLesson()
	})
	next := widget.NewButtonWithIcon(t("training.next"), theme.NavigateNextIcon(), w.Next)
	next.Importance = widget.HighImportance
	if step == len(l.Steps)-1 {
		next.Disable()
	}
	switch {
	case passed:
		ok := widget.NewLabel(t("training.passed") + " " + t(l.DoneKey))
		ok.Wrapping = fyne.TextWrapWord
		ok.Importance = widget.SuccessImportance
		ok.TextStyle.Bold = true
		box.Add(ok)
		if w.lesson < len(apptraining.Lessons)-1 {
			nl := widget.NewButtonWithIcon(t("training.nextlesson"), theme.NavigateNextIcon(), func() { w.startLesson(w.Lesson() + 1) })
			nl.Importance = widget.SuccessImportance
			box.Add(nl)
		}
	case st.Action != "":
		wait := widget.NewLabel(t("training.checking"))
		wait.Wrapping = fyne.TextWrapWord
		wait.Importance = widget.WarningImportance
		box.Add(wait)
	}
	box.Add(container.NewGridWithColumns(2, prev, next))
	// Lesson picker: any lesson may be repeated.
	picker := container.NewGridWithColumns(len(apptraining.Lessons))
	for i, x := range apptraining.Lessons {
		i := i
		b := widget.NewButton(strconv.Itoa(x.Number), func() { w.startLesson(i) })
		if i == w.Lesson() {
			b.Importance = widget.HighImportance
		}
		picker.Add(b)
	}
	w.left.Objects = []fyne.CanvasObject{container.NewBorder(nil, picker, nil, nil, container.NewVScroll(box))}
	w.left.Refresh()
	w.phone.setAction(st)
}

func (w *Window) printSummary() {
	var p *apptraining.Progress
	if tr := w.current(); tr != nil {
		for _, x := range w.sb.Trainees() {
			if x.Name == tr.Name {
				x := x
				p = &x
			}
		}
	}
	path := filepath.Join(os.TempDir(), "ventanilla-resumen-formacion.html")
	f, err := os.Create(path)
	if err != nil {
		dialog.ShowError(err, w.win)
		return
	}
	err = apptraining.WriteSummary(f, func(k string) string { return t(k) }, p)
	f.Close()
	if err != nil {
		dialog.ShowError(err, w.win)
		return
	}
	u, _ := storageURL(path)
	if u == nil || w.app.OpenURL(u) != nil {
		dialog.ShowInformation(t("training.print"), path, w.win)
	}
}

func (w *Window) showProgress() {
	box := container.NewVBox()
	for _, p := range w.sb.Trainees() {
		marks := ""
		for _, l := range apptraining.Lessons {
			if _, ok := p.Completed[l.ID]; ok {
				marks += " ✔" + strconv.Itoa(l.Number)
			} else {
				marks += " ·" + strconv.Itoa(l.Number)
			}
		}
		box.Add(widget.NewLabel(p.Name + " (@" + p.Handle + "):" + marks))
	}
	dialog.ShowCustom(t("training.progress"), "OK", container.NewVScroll(box), w.win)
}

func (w *Window) askReset() {
	dialog.ShowConfirm(t("training.reset"), t("training.reset.confirm"), func(ok bool) {
		if !ok {
			return
		}
		go func() {
			if err := w.sb.Reset(w.ctx); err != nil {
				fyne.Do(func() { dialog.ShowError(err, w.win) })
			}
		}()
	}, w.win)
}
