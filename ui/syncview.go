package ui

import (
	"fmt"
	"sort"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"ventanilla/app/desk"
	appsync "ventanilla/app/sync"
)

// statusBar is the line at the bottom: who is signed in, the inbox's numbers and the sync.
type statusBar struct {
	d       *Desk
	content fyne.CanvasObject
	light   *canvas.Circle
	sync    *widget.Label
	inbox   *widget.Label
}

func newStatusBar(d *Desk) *statusBar {
	b := &statusBar{d: d, light: canvas.NewCircle(colGrey), sync: widget.NewLabel(lang.L("Sync not running")), inbox: muted("")}
	sess := d.Session()
	who := muted("")
	if sess != nil {
		st := sess.Staff()
		who.SetText(st.FullName + " · " + roleName(st.Role))
	}
	lock := widget.NewButtonWithIcon(lang.L("Lock"), theme.VisibilityOffIcon(), d.lock)
	lock.Importance = widget.LowImportance
	out := widget.NewButtonWithIcon(lang.L("Sign out"), theme.LogoutIcon(), d.signOut)
	out.Importance = widget.LowImportance
	now := widget.NewButtonWithIcon("", theme.ViewRefreshIcon(), func() {
		if d.opts.Sync != nil && sess != nil && sess.Can(desk.PermSyncNow) {
			d.opts.Sync.SyncNow()
		}
	})
	now.Importance = widget.LowImportance
	if d.opts.Sync == nil || sess == nil || !sess.Can(desk.PermSyncNow) {
		now.Hide()
	}
	light := container.NewCenter(container.NewGridWrap(fyne.NewSize(10, 10), b.light))
	b.content = container.NewVBox(widget.NewSeparator(),
		container.NewHBox(light, b.sync, now, widget.NewSeparator(), b.inbox, spacer(), who, lock, out))
	return b
}

func (b *statusBar) set(st appsync.State) {
	b.light.FillColor = colGrey
	text := lang.L("Connecting…")
	switch st.Online {
	case appsync.OnlineYes:
		b.light.FillColor = colGreen
		text = lang.L("Online")
	case appsync.OnlineNo:
		b.light.FillColor = colRed
		text = lang.L("Offline")
	}
	if st.Running {
		text += " · " + lang.L("syncing…")
	} else if !st.LastRoundAt.IsZero() {
		text += " · " + lang.X("last sync {{.When}}", "last sync {{.When}}", map[string]any{"When": when(st.LastRoundAt, time.Now())})
	}
	if st.Pending+st.Sending > 0 {
		text += " · " + lang.X("{{.N}} to send", "{{.N}} to send", map[string]any{"N": st.Pending + st.Sending})
	}
	if st.Failed > 0 {
		text += " · " + lang.X("{{.N}} failed", "{{.N}} failed", map[string]any{"N": st.Failed})
		b.light.FillColor = colAmber
	}
	if !st.RateLimitUntil.IsZero() && st.RateLimitUntil.After(time.Now()) {
		text += " · " + lang.X("waiting for the network until {{.When}}", "waiting for the network until {{.When}}", map[string]any{"When": when(st.RateLimitUntil, time.Now())})
	}
	b.light.Refresh()
	b.sync.SetText(text)
}

func (b *statusBar) setInbox(c desk.Counts) {
	b.inbox.SetText(lang.X("{{.Open}} open · {{.Unread}} unread · {{.Overdue}} overdue", "{{.Open}} open · {{.Unread}} unread · {{.Overdue}} overdue",
		map[string]any{"Open": c.Open, "Unread": c.Unread, "Overdue": c.Overdue}))
}

// syncView is the Sincronización tab.
type syncView struct {
	d       *Desk
	content fyne.CanvasObject
	online  *widget.Label
	rounds  *widget.Label
	warn    *widget.Label
	rate    *widget.Label
	outbox  *widget.Label
	streams *fyne.Container
	fails   *fyne.Container
	calls   *fyne.Container
}

func newSyncView(d *Desk, sess *desk.Session) *syncView {
	v := &syncView{d: d, online: heading(""), rounds: widget.NewLabel(""), warn: widget.NewLabel(""), rate: widget.NewLabel(""),
		outbox: widget.NewLabel(""), streams: container.NewVBox(), fails: container.NewVBox(), calls: container.NewVBox()}
	v.warn.Importance = widget.WarningImportance
	v.warn.Wrapping = fyne.TextWrapWord
	v.rate.Importance = widget.WarningImportance
	// Long lines (errors, cursors) wrap so that the panel fits a 1366×768 screen.
	v.rounds.Wrapping = fyne.TextWrapWord
	v.rate.Wrapping = fyne.TextWrapWord
	now := &widget.Button{Text: lang.L("Sync now"), Icon: theme.ViewRefreshIcon(), Importance: widget.HighImportance, OnTapped: func() {
		d.touch()
		if d.opts.Sync != nil {
			d.opts.Sync.SyncNow()
		}
	}}
	if d.opts.Sync == nil || !sess.Can(desk.PermSyncNow) {
		now.Disable()
	}
	if d.opts.Sync == nil {
		v.online.SetText(lang.L("Sync is not running in this session"))
		v.rounds.SetText(lang.L("Start Ventanilla with network credentials or the simulator to send and receive."))
	}
	left := container.NewVBox(
		container.NewHBox(v.online, spacer(), now), v.rounds, v.warn, v.rate,
		widget.NewCard(lang.L("Streams"), lang.L("last pull and position of each stream"), v.streams),
		widget.NewCard(lang.L("Outbox"), "", container.NewVBox(v.outbox, v.fails)),
	)
	right := widget.NewCard(lang.L("API calls today"), lang.L("per endpoint"), v.calls)
	v.content = container.NewVScroll(container.NewPadded(container.NewGridWithColumns(2, left, container.NewVBox(right))))
	return v
}

func (v *syncView) set(st appsync.State) {
	now := time.Now()
	switch st.Online {
	case appsync.OnlineYes:
		v.online.SetText("● " + lang.L("Online"))
	case appsync.OnlineNo:
		v.online.SetText("● " + lang.L("Offline"))
	default:
		v.online.SetText(lang.L("Connecting…"))
	}
	r := lang.X("Last round: {{.When}}", "Last round: {{.When}}", map[string]any{"When": orDash(when(st.LastRoundAt, now))}) + " · " +
		lang.X("last complete: {{.When}}", "last complete: {{.When}}", map[string]any{"When": orDash(when(st.LastCompleteAt, now))})
	if !st.NextRoundAt.IsZero() {
		r += " · " + lang.X("next: {{.When}}", "next: {{.When}}", map[string]any{"When": when(st.NextRoundAt, now)})
	}
	if st.LastError != "" {
		r += "\n" + lang.L("Last error:") + " " + st.LastError
	}
	v.rounds.SetText(r)
	v.warn.SetText(lookBackText(st.LookBackWarn))
	if !st.RateLimitUntil.IsZero() && st.RateLimitUntil.After(now) {
		v.rate.SetText(lang.X("Rate limited on {{.E}} until {{.When}}", "Rate limited on {{.E}} until {{.When}}", map[string]any{"E": st.RateLimitOn, "When": when(st.RateLimitUntil, now)}))
	} else {
		v.rate.SetText("")
	}
	var streams []fyne.CanvasObject
	for _, s := range st.Streams {
		line := fmt.Sprintf("%s — %s · %s %s", s.Stream, orDash(when(s.LastSuccessAt, now)), lang.L("cursor"), orDash(s.SinceID))
		l := widget.NewLabel(line)
		l.Wrapping = fyne.TextWrapBreak
		if s.LastError != "" {
			l.Importance = widget.DangerImportance
			l.SetText(line + " · " + s.LastError)
		}
		streams = append(streams, l)
	}
	v.streams.Objects = streams
	v.streams.Refresh()
	v.outbox.SetText(lang.X("{{.P}} pending · {{.S}} sending · {{.OK}} sent · {{.F}} failed", "{{.P}} pending · {{.S}} sending · {{.OK}} sent · {{.F}} failed",
		map[string]any{"P": st.Pending, "S": st.Sending, "OK": st.Sent, "F": st.Failed}))
	var fails []fyne.CanvasObject
	for _, f := range st.Failures {
		l := widget.NewLabel(fmt.Sprintf("%s: %s — %s", f.Kind, truncate(f.Text, 60), f.Reason))
		l.Wrapping = fyne.TextWrapWord
		l.Importance = widget.DangerImportance
		fails = append(fails, l)
	}
	v.fails.Objects = fails
	v.fails.Refresh()
	keys := make([]string, 0, len(st.CallsToday))
	for k := range st.CallsToday {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	var calls []fyne.CanvasObject
	for _, k := range keys {
		name := widget.NewLabel(k)
		name.Wrapping = fyne.TextWrapBreak
		calls = append(calls, container.NewBorder(nil, nil, nil, bold(fmt.Sprint(st.CallsToday[k])), name))
	}
	v.calls.Objects = calls
	v.calls.Refresh()
}

// lookBackText says what a look-back warning of the sync engine means for staff.
func lookBackText(code string) string {
	switch code {
	case "":
		return ""
	case appsync.WarnSearchReach:
		return lang.L("More than 7 days without a complete sync: searches cannot reach further back, some public posts may be missing.")
	case appsync.WarnDMReach:
		return lang.L("More than 30 days without a complete sync: older direct messages can no longer be fetched.")
	case appsync.WarnMentionCap:
		return lang.L("More than 800 mentions arrived since the last sync: the network only gives the newest 800, some may be missing.")
	}
	return code
}

func orDash(s string) string {
	if strings.TrimSpace(s) == "" {
		return "—"
	}
	return s
}

func truncate(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n-1]) + "…"
	}
	return s
}
