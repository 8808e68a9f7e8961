// Package kiosk is the lobby kiosk's Fyne interface: full screen, large type and touch
// targets, an on-screen keyboard, Spanish and English, a high-contrast option, and five
// screens (check my case, verify my account, plenary, directory, learn) built only on
// app/kiosk's services, so it has no path to staff screens or resident data. It goes back
// to the welcome screen, clearing every field, after a spell without touches; leaving it needs
// the staff PIN.
package kiosk

import (
	"context"
	"errors"
	"image/color"
	"strconv"
	"strings"
	gosync "sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"ventanilla/app"
	appkiosk "ventanilla/app/kiosk"
)

// Options is what the kiosk needs. Only Service is required.
type Options struct {
	Service *appkiosk.Service
	// IdleReset is how long without a touch before the kiosk returns to the welcome screen,
	// clearing every field; 0 means 90 seconds.
	IdleReset time.Duration
	// Scale multiplies every size of the theme; 0 means 1.6.
	Scale float32
	// Windowed keeps a normal window (tests, screenshots); the kiosk is full screen otherwise.
	Windowed bool
	// OnExit runs once staff typed the right PIN; nil quits the app.
	OnExit func()
	// Clock drives the idle reset and the dates shown; nil is the system clock.
	Clock app.Clock
	// Poll is how often the verification screen checks whether the code arrived; 0 means 3 s.
	Poll time.Duration
}

// Run shows the kiosk full screen and runs the app until staff leave kiosk mode with the PIN.
// Call it instead of ui.RunDesk when --kiosk is given:
//
//	kiosk.Run(a, kiosk.Options{Service: appkiosk.New(appkiosk.Config{Store: store, Verify: v, Desk: deskSvc})})
func Run(a fyne.App, opts Options) {
	k := New(a, opts)
	k.win.ShowAndRun()
	k.Close()
}

// Kiosk is the kiosk window and its screens.
type Kiosk struct {
	app  fyne.App
	win  fyne.Window
	opts Options
	svc  *appkiosk.Service
	th   *Theme

	ctx    context.Context
	cancel context.CancelFunc

	mu        gosync.Mutex
	lang      Lang
	lastTouch time.Time
	screen    string
	pollStop  context.CancelFunc

	body *fyne.Container
	// fields, kept so that the idle reset can clear them
	lookupEntry  *widget.Entry
	lookupResult *fyne.Container
	verifyEntry  *widget.Entry
	verifyResult *fyne.Container
	pinEntry     *widget.Entry
	pinDialog    *widget.PopUp
	pinMessage   *widget.Label
	exited       bool
}

// New builds the kiosk window on the welcome screen. Tests drive it through Window; Run
// shows it.
func New(a fyne.App, opts Options) *Kiosk {
	loadCatalogs()
	if opts.IdleReset <= 0 {
		opts.IdleReset = 90 * time.Second
	}
	if opts.Scale <= 0 {
		opts.Scale = 1.6
	}
	if opts.Clock == nil {
		opts.Clock = app.SystemClock
	}
	if opts.Poll <= 0 {
		opts.Poll = 3 * time.Second
	}
	k := &Kiosk{app: a, opts: opts, svc: opts.Service, lang: Spanish, th: &Theme{Scale: opts.Scale}}
	k.ctx, k.cancel = context.WithCancel(context.Background())
	a.Settings().SetTheme(k.th)
	k.win = a.NewWindow(k.t("kiosk.title"))
	k.win.SetPadded(false)
	if !opts.Windowed {
		k.win.SetFullScreen(true)
	} else {
		k.win.Resize(fyne.NewSize(1080, 1920).Subtract(fyne.NewSize(0, 0)))
	}
	k.win.SetMaster()
	k.win.SetCloseIntercept(k.askExit)
	k.lastTouch = opts.Clock()
	k.body = container.NewStack()
	k.win.SetContent(k.body)
	k.show("welcome")
	go k.watchIdle()
	return k
}

// Window is the kiosk's window.
func (k *Kiosk) Window() fyne.Window { return k.win }

// Screen names the screen shown: welcome, lookup, verify, plenary, directory or learn.
func (k *Kiosk) Screen() string {
	k.mu.Lock()
	defer k.mu.Unlock()
	return k.screen
}

// Close stops the kiosk's background work.
func (k *Kiosk) Close() {
	k.cancel()
	k.stopPoll()
}

func (k *Kiosk) t(key string, data ...string) string {
	k.mu.Lock()
	l := k.lang
	k.mu.Unlock()
	return Translate(l, key, data...)
}

// touch records activity; every button and field calls it.
func (k *Kiosk) touch() {
	k.mu.Lock()
	k.lastTouch = k.opts.Clock()
	k.mu.Unlock()
}

// watchIdle checks once a second whether the kiosk has been left alone. It ends with Close.
func (k *Kiosk) watchIdle() {
	tick := time.NewTicker(time.Second)
	defer tick.Stop()
	for {
		select {
		case <-k.ctx.Done():
			return
		case <-tick.C:
			fyne.Do(func() { k.CheckIdle() })
		}
	}
}

// CheckIdle returns to the welcome screen, clearing every field, when nobody touched the kiosk
// for IdleReset. It runs on the Fyne thread (watchIdle calls it every second; tests directly).
func (k *Kiosk) CheckIdle() {
	k.mu.Lock()
	idle := k.opts.Clock().Sub(k.lastTouch) >= k.opts.IdleReset
	home := k.screen == "welcome" && k.lang == Spanish && !k.th.HighContrast
	k.mu.Unlock()
	if idle && !home {
		k.Reset()
	} else if idle {
		k.clearFields()
	}
}

// Reset clears every field, closes the PIN dialog, goes back to Spanish and the normal
// contrast, and shows the welcome screen.
func (k *Kiosk) Reset() {
	k.clearFields()
	k.mu.Lock()
	k.lang = Spanish
	k.lastTouch = k.opts.Clock()
	changed := k.th.HighContrast
	k.th.HighContrast = false
	k.mu.Unlock()
	if changed {
		k.app.Settings().SetTheme(&Theme{Scale: k.th.Scale})
		k.th = k.app.Settings().Theme().(*Theme)
	}
	k.show("welcome")
}

func (k *Kiosk) clearFields() {
	k.stopPoll()
	for _, e := range []*widget.Entry{k.lookupEntry, k.verifyEntry, k.pinEntry} {
		if e != nil {
			e.SetText("")
		}
	}
	for _, c := range []*fyne.Container{k.lookupResult, k.verifyResult} {
		if c != nil {
			c.Objects = nil
			c.Refresh()
		}
	}
	if k.pinDialog != nil {
		k.pinDialog.Hide()
		k.pinDialog = nil
	}
}

func (k *Kiosk) stopPoll() {
	k.mu.Lock()
	stop := k.pollStop
	k.pollStop = nil
	k.mu.Unlock()
	if stop != nil {
		stop()
	}
}

// show builds and shows a screen. Screens are rebuilt on every visit so that they follow the
// language and never keep what the previous resident typed.
func (k *Kiosk) show(name string) {
	k.stopPoll()
	k.mu.Lock()
	k.screen = name
	k.mu.Unlock()
	var content fyne.CanvasObject
	switch name {
	case "lookup":
		content = k.lookupScreen()
	case "verify":
		content = k.verifyScreen()
	case "plenary":
		content = k.plenaryScreen()
	case "directory":
		content = k.directoryScreen()
	case "learn":
		content = k.learnScreen()
	default:
		content = k.welcomeScreen()
	}
	k.body.Objects = []fyne.CanvasObject{content}
	k.body.Refresh()
	k.win.SetTitle(k.t("kiosk.title"))
}

// bigButton is a touch target with a title and a line of explanation.
func (k *Kiosk) bigButton(icon fyne.Resource, title, sub string, tapped func()) fyne.CanvasObject {
	b := widget.NewButton("", func() { k.touch(); tapped() })
	b.Importance = widget.HighImportance
	t := canvas.NewText(title, theme.Color(theme.ColorNameForegroundOnPrimary))
	t.TextSize = theme.TextHeadingSize()
	t.TextStyle.Bold = true
	s := canvas.NewText(sub, theme.Color(theme.ColorNameForegroundOnPrimary))
	s.TextSize = theme.TextSize()
	ic := canvas.NewImageFromResource(theme.NewColoredResource(icon, theme.ColorNameForegroundOnPrimary))
	ic.FillMode = canvas.ImageFillContain
	ic.SetMinSize(fyne.NewSquareSize(theme.IconInlineSize() * 2))
	return container.NewStack(b, container.NewPadded(container.NewBorder(nil, nil, container.NewCenter(ic), nil,
		container.NewCenter(container.NewVBox(t, s)))))
}

func (k *Kiosk) heading(text string) fyne.CanvasObject {
	t := canvas.NewText(text, theme.Color(theme.ColorNameForeground))
	t.TextSize = theme.TextHeadingSize() * 1.3
	t.TextStyle.Bold = true
	return t
}

func (k *Kiosk) para(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	return l
}

func (k *Kiosk) topBar() fyne.CanvasObject {
	langB := widget.NewButton(k.t("kiosk.language"), func() {
		k.touch()
		k.mu.Lock()
		if k.lang == Spanish {
			k.lang = English
		} else {
			k.lang = Spanish
		}
		screen := k.screen
		k.mu.Unlock()
		k.show(screen)
	})
	ck := "kiosk.contrast"
	if k.th.HighContrast {
		ck = "kiosk.contrast.off"
	}
	contrastB := widget.NewButtonWithIcon(k.t(ck), theme.VisibilityIcon(), func() {
		k.touch()
		k.mu.Lock()
		hc := !k.th.HighContrast
		screen := k.screen
		k.mu.Unlock()
		k.th = &Theme{Scale: k.th.Scale, HighContrast: hc}
		k.app.Settings().SetTheme(k.th)
		k.show(screen)
	})
	return container.NewHBox(langB, contrastB)
}

func (k *Kiosk) frame(title string, body fyne.CanvasObject) fyne.CanvasObject {
	back := widget.NewButtonWithIcon(k.t("kiosk.back"), theme.HomeIcon(), func() { k.touch(); k.show("welcome") })
	back.Importance = widget.HighImportance
	top := container.NewBorder(nil, nil, back, k.topBar())
	return container.NewPadded(container.NewBorder(container.NewVBox(top, widget.NewSeparator(), k.heading(title)), nil, nil, nil, body))
}

func (k *Kiosk) welcomeScreen() fyne.CanvasObject {
	buttons := container.NewGridWithColumns(1,
		k.bigButton(theme.SearchIcon(), k.t("kiosk.lookup"), k.t("kiosk.lookup.sub"), func() { k.show("lookup") }),
		k.bigButton(theme.ConfirmIcon(), k.t("kiosk.verify"), k.t("kiosk.verify.sub"), func() { k.show("verify") }),
		k.bigButton(theme.ListIcon(), k.t("kiosk.plenary"), k.t("kiosk.plenary.sub"), func() { k.show("plenary") }),
		k.bigButton(theme.AccountIcon(), k.t("kiosk.directory"), k.t("kiosk.directory.sub"), func() { k.show("directory") }),
		k.bigButton(theme.InfoIcon(), k.t("kiosk.learn"), k.t("kiosk.learn.sub"), func() { k.show("learn") }),
	)
	staff := widget.NewButtonWithIcon(k.t("kiosk.staff"), theme.LoginIcon(), func() { k.touch(); k.askExit() })
	staff.Importance = widget.LowImportance
	title := k.heading(k.t("kiosk.welcome"))
	sub := k.para(k.t("kiosk.welcome.sub"))
	foot := container.NewBorder(nil, nil, nil, staff, k.para(k.t("kiosk.idle")))
	return container.NewPadded(container.NewBorder(
		container.NewVBox(container.NewBorder(nil, nil, nil, k.topBar()), title, sub),
		foot, nil, nil, buttons))
}

func (k *Kiosk) lookupScreen() fyne.CanvasObject {
	k.lookupEntry = widget.NewEntry()
	k.lookupEntry.SetPlaceHolder(k.t("kiosk.lookup.placeholder"))
	k.lookupEntry.OnChanged = func(string) { k.touch() }
	k.lookupResult = container.NewVBox()
	do := func() {
		k.touch()
		k.lookup(k.lookupEntry.Text)
	}
	k.lookupEntry.OnSubmitted = func(string) { do() }
	goB := widget.NewButtonWithIcon(k.t("kiosk.lookup.go"), theme.SearchIcon(), do)
	goB.Importance = widget.HighImportance
	kb := k.keyboard(k.lookupEntry, []string{"1234567890", "E-"}, do)
	form := container.NewVBox(k.para(k.t("kiosk.lookup.help")), container.NewBorder(nil, nil, nil, goB, k.lookupEntry), kb, k.lookupResult)
	return k.frame(k.t("kiosk.lookup"), container.NewVScroll(form))
}

func (k *Kiosk) result(box *fyne.Container, objs ...fyne.CanvasObject) {
	box.Objects = objs
	box.Refresh()
}

func (k *Kiosk) notice(text string, c color.Color) fyne.CanvasObject {
	bg := canvas.NewRectangle(c)
	bg.CornerRadius = theme.InputRadiusSize()
	l := widget.NewLabel(text)
	l.Wrapping = fyne.TextWrapWord
	l.TextStyle.Bold = true
	return container.NewStack(bg, container.NewPadded(l))
}

var (
	warnColor = color.NRGBA{0xff, 0xd8, 0x80, 0xff}
	okColor   = color.NRGBA{0x7c, 0xd9, 0x8a, 0xff}
	cardColor = color.NRGBA{0x80, 0x80, 0x80, 0x30}
)

func (k *Kiosk) lookup(number string) {
	st, err := k.svc.LookupCase(k.ctx, number)
	var we *appkiosk.WaitError
	switch {
	case err == nil:
		k.result(k.lookupResult, k.caseCard(st))
	case errors.As(err, &we):
		msg := k.t("kiosk.lookup.wait", "Time", we.Until.In(app.Madrid).Format("15:04:05"))
		if errors.Is(err, appkiosk.ErrNoSuchCase) {
			msg = k.t("kiosk.lookup.none") + "\n" + msg
		}
		k.result(k.lookupResult, k.notice(msg, warnColor))
	case errors.Is(err, appkiosk.ErrNoSuchCase):
		k.result(k.lookupResult, k.notice(k.t("kiosk.lookup.none"), warnColor))
	case app.IsInvalid(err):
		k.result(k.lookupResult, k.notice(k.t("kiosk.lookup.bad"), warnColor))
	default:
		fyne.LogError("kiosk lookup", err)
		k.result(k.lookupResult, k.notice(k.t("kiosk.lookup.error"), warnColor))
	}
}

func (k *Kiosk) date(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(app.Madrid).Format("02/01/2006")
}

// caseCard shows a case's public status: number, kind, status, department and dates only.
func (k *Kiosk) caseCard(st appkiosk.CaseStatus) fyne.CanvasObject {
	due := k.t("kiosk.case.nodue")
	if !st.DueAt.IsZero() {
		due = k.date(st.DueAt)
	}
	row := func(key, value string) fyne.CanvasObject {
		l := widget.NewLabel(k.t(key))
		v := widget.NewLabel(value)
		v.TextStyle.Bold = true
		v.Wrapping = fyne.TextWrapWord
		return container.NewBorder(nil, nil, l, nil, v)
	}
	rows := container.NewVBox(
		row("kiosk.case.number", st.Number),
		row("kiosk.case.status", k.t("kiosk.status."+string(st.Status))),
		row("kiosk.case.kind", k.t("kiosk.kind."+string(st.Kind))),
		row("kiosk.case.department", st.Department),
		row("kiosk.case.opened", k.date(st.OpenedAt)),
		row("kiosk.case.updated", k.date(st.LastUpdate)),
		row("kiosk.case.due", due),
	)
	if st.MergedInto != "" {
		rows.Add(k.para(k.t("kiosk.case.merged", "Number", st.MergedInto)))
	}
	if st.Overdue {
		rows.Add(k.notice(k.t("kiosk.case.overdue"), warnColor))
	}
	rows.Add(k.para(k.t("kiosk.case.privacy")))
	bg := canvas.NewRectangle(cardColor)
	bg.CornerRadius = theme.InputRadiusSize()
	return container.NewStack(bg, container.NewPadded(rows))
}

// keyboard is an on-screen keyboard writing into e: the lobby screen has no keys of its own.
func (k *Kiosk) keyboard(e *widget.Entry, rows []string, enter func()) fyne.CanvasObject {
	box := container.NewVBox()
	for _, r := range rows {
		line := container.NewGridWithColumns(len([]rune(r)))
		for _, ch := range r {
			ch := ch
			line.Add(widget.NewButton(string(ch), func() {
				k.touch()
				e.SetText(e.Text + string(ch))
			}))
		}
		box.Add(line)
	}
	del := widget.NewButtonWithIcon(k.t("kiosk.lookup.clear"), theme.ContentClearIcon(), func() {
		k.touch()
		if r := []rune(e.Text); len(r) > 0 {
			e.SetText(string(r[:len(r)-1]))
		}
	})
	ok := widget.NewButtonWithIcon("", theme.ConfirmIcon(), func() { k.touch(); enter() })
	ok.Importance = widget.HighImportance
	box.Add(container.NewGridWithColumns(2, del, ok))
	return box
}

func (k *Kiosk) plenaryScreen() fyne.CanvasObject {
	box := container.NewVBox()
	ag, err := k.svc.NextAgenda(k.ctx)
	owner := k.ownerHandle()
	switch {
	case err != nil:
		fyne.LogError("kiosk agenda", err)
		box.Add(k.para(k.t("kiosk.lookup.error")))
	case ag.Session == nil:
		box.Add(k.para(k.t("kiosk.plenary.none")))
	default:
		when := ag.Session.ScheduledAt.In(app.Madrid).Format("02/01/2006 15:04")
		h := widget.NewLabel(k.t("kiosk.plenary.when", "Title", ag.Session.Title, "Date", when))
		h.TextStyle.Bold = true
		h.Wrapping = fyne.TextWrapWord
		box.Add(h)
		for _, it := range ag.Items {
			text := widget.NewLabel(it.Title)
			text.Wrapping = fyne.TextWrapWord
			n := widget.NewLabel(itoa(it.Position) + ".")
			n.TextStyle.Bold = true
			row := container.NewVBox(text)
			if it.FromResident() {
				// White on dark green: readable on the cream background and in high contrast.
				bg := canvas.NewRectangle(color.NRGBA{R: 0x1b, G: 0x5e, B: 0x20, A: 0xff})
				bg.CornerRadius = 6
				txt := canvas.NewText(k.t("kiosk.plenary.resident", "Number", it.RegistryNumber), color.White)
				txt.TextStyle.Bold = true
				row.Add(container.NewHBox(container.NewStack(bg, container.NewPadded(txt))))
			}
			box.Add(container.NewBorder(nil, nil, n, nil, row))
			box.Add(widget.NewSeparator())
		}
	}
	if err == nil {
		box.Add(k.para(k.t("kiosk.plenary.admitted", "Count", itoa(ag.AdmittedProposals))))
	}
	if owner != "" {
		box.Add(k.para(k.t("kiosk.plenary.howto", "Owner", owner)))
	}
	return k.frame(k.t("kiosk.plenary"), container.NewVScroll(box))
}

func (k *Kiosk) ownerHandle() string { return k.svc.OwnerHandle(k.ctx) }

func (k *Kiosk) directoryScreen() fyne.CanvasObject {
	box := container.NewVBox(k.para(k.t("kiosk.directory.help")))
	cs, err := k.svc.Directory(k.ctx)
	if err != nil {
		fyne.LogError("kiosk directory", err)
	}
	if len(cs) == 0 {
		box.Add(k.para(k.t("kiosk.directory.empty")))
	}
	for _, c := range cs {
		h := widget.NewLabel("@" + c.Handle)
		h.TextStyle.Bold = true
		name := c.Name
		if c.Position != "" {
			name += " — " + c.Position
		}
		box.Add(container.NewBorder(nil, nil, nil, h, k.para(name)))
		box.Add(widget.NewSeparator())
	}
	return k.frame(k.t("kiosk.directory"), container.NewVScroll(box))
}

func itoa(n int) string { return strconv.Itoa(n) }

func trimHandle(s string) string { return strings.TrimPrefix(strings.TrimSpace(s), "@") }

// ShowScreen shows a screen by name (welcome, lookup, verify, plenary, directory, learn).
func (k *Kiosk) ShowScreen(name string) { k.touch(); k.show(name) }
