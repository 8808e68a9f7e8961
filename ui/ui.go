// Package ui is the desk's Fyne interface: first-run and sign-in, the inbox and the case with
// its composer, the register of residents and the verification wizard, the directory, the
// sync status and the settings. It calls the app services (app/desk, app/verify, the sync
// engine through SyncService) and never the database. Long work runs off the UI thread and
// its results are applied through Desk.do (fyne.Do), the one way back to the widgets.
package ui

import (
	"image/color"

	"context"
	"errors"
	"io"
	"strings"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/driver/desktop"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"
	"github.com/jeandeaual/go-locale"

	"ventanilla/app"
	"ventanilla/app/desk"
	appsync "ventanilla/app/sync"
	"ventanilla/app/verify"
	"ventanilla/assets"
)

// SyncService is what the desk needs from the sync engine.
type SyncService interface {
	State() appsync.State
	Subscribe() (<-chan appsync.Event, func())
	SyncNow()
}

// VerifyService is what the register needs from the verification service (*verify.Service).
// The actor passed is the signed-in staff member's id, after desk.Service.Actor checked the
// session may verify.
type VerifyService interface {
	AddResident(ctx context.Context, actor, name, document, phone, email, address string) (app.Resident, error)
	Link(ctx context.Context, actor, residentID, handle string) (app.Identity, error)
	Start(ctx context.Context, actor, handle string, ttl time.Duration) (verify.Challenge, error)
	Status(ctx context.Context, handle string) (verify.StatusView, error)
	ImportCensus(ctx context.Context, actor string, r io.Reader, progress func(done, total int)) (verify.CensusReport, error)
}

var _ VerifyService = (*verify.Service)(nil)

// Options is what RunDesk needs. Sync and Verify may be nil (leave the interface nil, not a
// nil pointer): the screens that need them say they are unavailable.
type Options struct {
	Desk    *desk.Service
	Sync    SyncService
	Verify  VerifyService
	DataDir string
	Demo    bool
	Backup  func(ctx context.Context, path string, omitSettings []string) error
	// AutoLock is the inactivity after which the desk locks; 0 means 10 minutes.
	AutoLock time.Duration

	// queueUI (tests) keeps the widget updates of background work for Wait to apply on the
	// caller's goroutine: the test driver has no UI thread and would apply them on the
	// background goroutines, beside the test's own taps and reads.
	queueUI bool
}

// The interface language: "es" or "en" (SetLanguage).
var (
	langMu     sync.Mutex
	uiLang     = "es"
	langLoaded string // the language last registered for the system's locale
)

// SetLanguage chooses the language of the desk and the training window: code when it is "es"
// or "en" (the administrator's choice in Settings); otherwise English when the system's
// locale is English, and Spanish in every other case (Spanish, another language, C or none).
// Call it before building a window.
func SetLanguage(code string) {
	if code != "es" && code != "en" {
		code = "es"
		if sys, _ := locale.GetLocale(); strings.HasPrefix(strings.ToLower(sys), "en") {
			code = "en"
		}
	}
	langMu.Lock()
	uiLang = code
	langMu.Unlock()
	LoadTranslations()
}

// Language is the interface language SetLanguage chose ("es" until it is called).
func Language() string {
	langMu.Lock()
	defer langMu.Unlock()
	return uiLang
}

// LoadTranslations registers the Spanish and English strings, the chosen language's also
// under the system's locale: Fyne translates into the language closest to the system's, and
// falls back to English when the locale is C or unset or on Windows ignores LANGUAGE, so
// this is what makes the chosen language win. It is safe to call repeatedly.
func LoadTranslations() {
	langMu.Lock()
	defer langMu.Unlock()
	if langLoaded == "" {
		if err := lang.AddTranslationsFS(assets.Translations, "translations"); err != nil {
			fyne.LogError("load translations", err)
		}
	}
	if langLoaded == uiLang {
		return
	}
	data, err := assets.Translations.ReadFile("translations/" + uiLang + ".json")
	if err == nil {
		err = lang.AddTranslationsForLocale(data, lang.SystemLocale())
	}
	if err != nil {
		fyne.LogError("load translations", err)
	}
	langLoaded = uiLang
}

// RunDesk builds the desk's main window and runs the app until the window closes.
func RunDesk(a fyne.App, opts Options) {
	d := NewDesk(a, opts)
	d.win.ShowAndRun()
	d.Close()
}

// Desk is the main window and what it shows.
type Desk struct {
	app  fyne.App
	win  fyne.Window
	opts Options
	svc  *desk.Service

	ctx     context.Context
	cancel  context.CancelFunc
	jobs    sync.WaitGroup
	applyMu sync.Mutex
	queueMu sync.Mutex
	queued  []func() // widget updates for Wait (Options.queueUI)

	mu           sync.Mutex
	sess         *desk.Session
	lastActivity time.Time
	unsubscribe  func()

	focusNext fyne.Focusable // focused once the screen that set it is on the window

	tabs   *container.AppTabs
	inbox  *inboxView
	status *statusBar
	syncV  *syncView
}

// NewDesk creates the main window with the first-run or sign-in screen. Tests drive it
// through Window; RunDesk shows it.
func NewDesk(a fyne.App, opts Options) *Desk {
	LoadTranslations()
	if opts.AutoLock == 0 {
		opts.AutoLock = 10 * time.Minute
	}
	d := &Desk{app: a, opts: opts, svc: opts.Desk}
	d.ctx, d.cancel = context.WithCancel(context.Background())
	d.win = a.NewWindow(lang.L("Ventanilla"))
	d.win.SetIcon(assets.Icon)
	d.win.Resize(fyne.NewSize(1280, 740))
	d.win.SetMaster()
	if opts.Demo {
		if err := d.svc.SeedDemo(d.ctx); err != nil {
			fyne.LogError("seed demo data", err)
		}
	}
	d.showStart()
	go d.watchIdle()
	return d
}

// Window is the main window.
func (d *Desk) Window() fyne.Window { return d.win }

// Session is the signed-in session, nil before sign-in.
func (d *Desk) Session() *desk.Session {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.sess
}

// Close stops the desk's background work.
func (d *Desk) Close() {
	d.cancel()
	d.mu.Lock()
	if d.unsubscribe != nil {
		d.unsubscribe()
		d.unsubscribe = nil
	}
	d.mu.Unlock()
}

// Wait blocks until the background work started so far has been applied to the widgets
// (and, with Options.queueUI, applies it, and what that starts, on the caller's goroutine).
func (d *Desk) Wait() {
	for {
		d.jobs.Wait()
		d.queueMu.Lock()
		fns := d.queued
		d.queued = nil
		d.queueMu.Unlock()
		if len(fns) == 0 {
			return
		}
		for _, fn := range fns {
			fn()
		}
	}
}

// do applies fn to the widgets on the UI thread, one update at a time; every goroutine
// other than the UI's goes through it.
func (d *Desk) do(fn func()) { d.apply(fn, fyne.Do) }

// apply hands fn to run (fyne.Do, or fyne.DoAndWait for background work, which Wait waits
// for), or with Options.queueUI queues it for Wait.
func (d *Desk) apply(fn func(), run func(func())) {
	if d.opts.queueUI {
		d.queueMu.Lock()
		d.queued = append(d.queued, fn)
		d.queueMu.Unlock()
		return
	}
	run(func() {
		// The GL driver runs these one at a time on its thread; the test driver runs them on
		// the calling goroutine, so keep them one at a time here too.
		d.applyMu.Lock()
		defer d.applyMu.Unlock()
		fn()
	})
}

// background runs work off the UI thread and applies what it returns on the UI thread.
func (d *Desk) background(work func(ctx context.Context) func()) {
	d.jobs.Add(1)
	go func() {
		defer d.jobs.Done()
		if apply := work(d.ctx); apply != nil && d.ctx.Err() == nil {
			d.apply(apply, fyne.DoAndWait)
		}
	}()
}

// touch records activity, for the auto-lock.
func (d *Desk) touch() {
	d.mu.Lock()
	d.lastActivity = time.Now()
	d.mu.Unlock()
}

// watchIdle locks the desk after opts.AutoLock without activity. It exits when the desk closes.
func (d *Desk) watchIdle() {
	t := time.NewTicker(15 * time.Second)
	defer t.Stop()
	for {
		select {
		case <-d.ctx.Done():
			return
		case <-t.C:
			d.mu.Lock()
			idle := d.sess != nil && !d.svc.Locked(d.sess) && time.Since(d.lastActivity) > d.opts.AutoLock
			d.mu.Unlock()
			if idle {
				d.do(d.lock)
			}
		}
	}
}

// setContent shows a screen and focuses the field it asked for.
func (d *Desk) setContent(o fyne.CanvasObject) {
	d.win.SetContent(o)
	if f := d.focusNext; f != nil {
		d.focusNext = nil
		d.win.Canvas().Focus(f)
	}
}

// showStart shows first-run admin creation or the sign-in form.
func (d *Desk) showStart() {
	d.win.SetContent(centered(widget.NewLabel(lang.L("Loading…"))))
	d.background(func(ctx context.Context) func() {
		need, err := d.svc.NeedsFirstAdmin(ctx)
		return func() {
			if err != nil {
				d.showError(err)
			}
			if need {
				d.win.SetContent(d.firstRunScreen())
			} else {
				d.setContent(d.signInScreen())
			}
		}
	})
}

// signedIn builds the desk for sess.
func (d *Desk) signedIn(sess *desk.Session) {
	d.mu.Lock()
	d.sess = sess
	d.lastActivity = time.Now()
	d.mu.Unlock()
	d.win.SetContent(d.deskScreen(sess))
	d.addShortcuts()
	d.subscribe()
	d.showMunicipality()
}

// showMunicipality puts the town hall's name (Settings) in the window's title.
func (d *Desk) showMunicipality() {
	d.background(func(ctx context.Context) func() {
		name, err := d.svc.MunicipalityName(ctx)
		return func() {
			if err != nil {
				fyne.LogError("read the municipality's name", err)
				return
			}
			d.win.SetTitle(windowTitle(name))
		}
	})
}

// windowTitle is "Ventanilla", or "Ventanilla — <municipality>" once it is set.
func windowTitle(municipality string) string {
	if municipality = strings.TrimSpace(municipality); municipality == "" {
		return lang.L("Ventanilla")
	}
	return lang.L("Ventanilla") + " — " + municipality
}

func (d *Desk) signOut() {
	sess := d.Session()
	d.mu.Lock()
	d.sess = nil
	if d.unsubscribe != nil {
		d.unsubscribe()
		d.unsubscribe = nil
	}
	d.mu.Unlock()
	d.inbox, d.status, d.syncV, d.tabs = nil, nil, nil, nil
	d.background(func(ctx context.Context) func() {
		err := d.svc.SignOut(ctx, sess)
		return func() {
			if err != nil {
				d.showError(err)
			}
			d.setContent(d.signInScreen())
		}
	})
}

// lock hides the desk behind the password screen.
func (d *Desk) lock() {
	sess := d.Session()
	if sess == nil {
		return
	}
	d.svc.Lock(sess)
	content := d.win.Content()
	d.setContent(d.lockScreen(sess, content))
}

func (d *Desk) deskScreen(sess *desk.Session) fyne.CanvasObject {
	d.status = newStatusBar(d)
	d.inbox = newInboxView(d, sess)
	d.tabs = container.NewAppTabs(container.NewTabItem(lang.L("Inbox"), d.inbox.content))
	if sess.Can(desk.PermRegister) {
		d.tabs.Append(container.NewTabItem(lang.L("Residents"), newRegisterView(d, sess).content))
	}
	if sess.Can(desk.PermDirectory) {
		d.tabs.Append(container.NewTabItem(lang.L("Directory"), newDirectoryView(d, sess).content))
	}
	if sess.Can(desk.PermSync) {
		d.syncV = newSyncView(d, sess)
		d.tabs.Append(container.NewTabItem(lang.L("Sync"), d.syncV.content))
	}
	if sess.Can(desk.PermSettings) {
		d.tabs.Append(container.NewTabItem(lang.L("Settings"), newSettingsView(d, sess).content))
	}
	d.tabs.OnSelected = func(*container.TabItem) { d.touch() }
	var top fyne.CanvasObject
	if d.opts.Demo {
		top = demoBanner()
	}
	return container.NewBorder(top, d.status.content, nil, nil, d.tabs)
}

// addShortcuts binds the desk's keyboard shortcuts: Ctrl+F search, Ctrl+N new note, Ctrl+R
// reply, Ctrl+J / Ctrl+K next and previous case, Ctrl+L lock.
func (d *Desk) addShortcuts() {
	c := d.win.Canvas()
	bind := func(k fyne.KeyName, fn func()) {
		c.AddShortcut(&desktop.CustomShortcut{KeyName: k, Modifier: fyne.KeyModifierShortcutDefault}, func(fyne.Shortcut) {
			d.touch()
			fn()
		})
	}
	bind(fyne.KeyF, func() {
		if d.inbox != nil {
			d.tabs.SelectIndex(0)
			c.Focus(d.inbox.search)
		}
	})
	bind(fyne.KeyN, func() {
		if d.inbox != nil && d.inbox.caseV != nil {
			d.inbox.caseV.focusComposer(modeNote)
		}
	})
	bind(fyne.KeyR, func() {
		if d.inbox != nil && d.inbox.caseV != nil {
			d.inbox.caseV.focusComposer(modeReply)
		}
	})
	bind(fyne.KeyJ, func() {
		if d.inbox != nil {
			d.inbox.step(1)
		}
	})
	bind(fyne.KeyK, func() {
		if d.inbox != nil {
			d.inbox.step(-1)
		}
	})
	bind(fyne.KeyL, d.lock)
}

// subscribe follows the sync engine: the status bar and sync tab show its state, and the
// inbox and the open case refresh when a round brings or sends something.
func (d *Desk) subscribe() {
	if d.opts.Sync == nil {
		return
	}
	ch, stop := d.opts.Sync.Subscribe()
	d.mu.Lock()
	d.unsubscribe = stop
	d.mu.Unlock()
	st := d.opts.Sync.State()
	d.applySyncState(st)
	go func() {
		for ev := range ch {
			ev := ev
			d.do(func() { d.onSyncEvent(ev) })
		}
	}()
}

func (d *Desk) applySyncState(st appsync.State) {
	if d.status != nil {
		d.status.set(st)
	}
	if d.syncV != nil {
		d.syncV.set(st)
	}
}

func (d *Desk) onSyncEvent(ev appsync.Event) {
	if d.Session() == nil {
		return
	}
	d.applySyncState(ev.State)
	switch ev.Kind {
	case appsync.EventRoundFinished, appsync.EventCaseChanged, appsync.EventItemSent, appsync.EventItemFailed:
		if d.inbox != nil {
			d.inbox.refresh(false)
			if cv := d.inbox.caseV; cv != nil && (ev.CaseID == "" || ev.CaseID == cv.caseID) {
				cv.reload()
			}
		}
	}
}

// showError tells what happened and what to do.
func (d *Desk) showError(err error) {
	if err == nil {
		return
	}
	showErrorIn(d.win, err)
	if errors.Is(err, desk.ErrSessionEnded) && d.Session() != nil {
		d.lock()
	}
}

// demoBanner says, on every screen of the demo, that nothing here is real.
func demoBanner() fyne.CanvasObject {
	bg := canvas.NewRectangle(colAmber)
	l := canvas.NewText(lang.L("DEMO — simulated network and invented residents: nothing is sent to the real network"), color.Black)
	l.TextStyle.Bold = true
	l.Alignment = fyne.TextAlignCenter
	return container.NewStack(bg, container.NewPadded(l))
}
