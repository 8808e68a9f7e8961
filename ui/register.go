package ui

import (
	"context"
	"fmt"
	"os"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"ventanilla/app"
	"ventanilla/app/desk"
	"ventanilla/app/verify"
)

// registerView is the Vecinos tab: search, a resident's detail, add, verify, import.
type registerView struct {
	d       *Desk
	sess    *desk.Session
	content fyne.CanvasObject
	search  *widget.Entry
	list    *widget.List
	results []app.Resident
	detail  *fyne.Container
}

func newRegisterView(d *Desk, sess *desk.Session) *registerView {
	v := &registerView{d: d, sess: sess, detail: container.NewStack()}
	v.search = widget.NewEntry()
	v.search.SetPlaceHolder(lang.L("Name, DNI/NIE or @handle"))
	v.search.OnChanged = func(string) { d.touch(); v.load() }
	v.list = widget.NewList(func() int { return len(v.results) },
		func() fyne.CanvasObject { return container.NewVBox(bold(""), muted("")) },
		func(i widget.ListItemID, o fyne.CanvasObject) {
			r := v.results[i]
			c := o.(*fyne.Container)
			c.Objects[0].(*widget.Label).SetText(r.FullName)
			sub := app.MaskDocument(r.Document)
			if r.InCensus {
				sub += " · " + lang.L("in the census")
			}
			c.Objects[1].(*widget.Label).SetText(sub)
		})
	v.list.OnSelected = func(i widget.ListItemID) { d.touch(); v.show(v.results[i].ID) }
	add := widget.NewButtonWithIcon(lang.L("New resident"), theme.ContentAddIcon(), v.addResident)
	verifyB := widget.NewButtonWithIcon(lang.L("Verify an account"), theme.ConfirmIcon(), func() { v.wizard("", "") })
	imp := widget.NewButtonWithIcon(lang.L("Import census…"), theme.UploadIcon(), v.importCensus)
	if !sess.Can(desk.PermVerify) || d.opts.Verify == nil {
		verifyB.Disable()
		imp.Disable()
		add.Disable()
	}
	left := container.NewBorder(container.NewVBox(v.search, container.NewGridWithColumns(3, add, verifyB, imp)), nil, nil, nil, v.list)
	hint := muted(lang.L("Search a resident, or add one."))
	if d.opts.Verify == nil {
		hint.SetText(lang.L("The verification service is not available in this session: you can search, not add or verify."))
	}
	hint.Wrapping = fyne.TextWrapWord
	v.detail.Objects = []fyne.CanvasObject{container.NewCenter(container.NewGridWrap(fyne.NewSize(360, 80), hint))}
	split := container.NewHSplit(container.NewPadded(left), v.detail)
	split.Offset = 0.35
	v.content = split
	v.load()
	return v
}

func (v *registerView) load() {
	q := v.search.Text
	v.d.background(func(ctx context.Context) func() {
		rs, err := v.d.svc.SearchResidents(ctx, v.sess, q, 200, 0)
		return func() {
			if err != nil {
				v.d.showError(err)
				return
			}
			if q != v.search.Text {
				return
			}
			v.results = rs
			v.list.UnselectAll()
			v.list.Refresh()
		}
	})
}

func (v *registerView) show(id string) {
	v.d.background(func(ctx context.Context) func() {
		rd, err := v.d.svc.Resident(ctx, v.sess, id)
		return func() {
			if err != nil {
				v.d.showError(err)
				return
			}
			v.detail.Objects = []fyne.CanvasObject{v.residentCard(rd)}
			v.detail.Refresh()
		}
	})
}

func (v *registerView) residentCard(rd desk.ResidentDetail) fyne.CanvasObject {
	r := rd.Resident
	now := time.Now()
	info := widget.NewForm(
		widget.NewFormItem(lang.L("DNI/NIE"), widget.NewLabel(app.MaskDocument(r.Document)+"  ("+strings.ToUpper(app.DocumentKind(r.Document))+")")),
		widget.NewFormItem(lang.L("Phone"), widget.NewLabel(orDash(r.Phone))),
		widget.NewFormItem(lang.L("E-mail"), widget.NewLabel(orDash(r.Email))),
		widget.NewFormItem(lang.L("Address"), widget.NewLabel(orDash(r.Address))),
		widget.NewFormItem(lang.L("Census"), widget.NewLabel(map[bool]string{true: lang.L("Yes"), false: lang.L("No")}[r.InCensus])),
	)
	ids := container.NewVBox()
	for _, idd := range rd.Identities {
		i := idd.Identity
		var hist []string
		for _, h := range idd.Handles {
			hist = append(hist, "@"+h.Handle+" ("+day(h.SeenAt)+")")
		}
		line := container.NewHBox(bold("@"+i.Handle), container.NewCenter(newBadge(levelName(i.Level), levelColor(i.Level))), muted(lang.L("user id")+" "+orDash(i.UserID)))
		ids.Add(line)
		if len(hist) > 1 {
			ids.Add(muted(lang.L("Handles seen:") + " " + strings.Join(hist, ", ")))
		}
		if !i.VerifiedAt.IsZero() {
			ids.Add(muted(lang.X("Verified on {{.Date}} by {{.Method}}", "Verified on {{.Date}} by {{.Method}}", map[string]any{"Date": day(i.VerifiedAt), "Method": i.VerifiedMethod})))
		}
		handle := i.Handle
		if !i.Level.AtLeast(app.LevelVerified) && v.d.opts.Verify != nil && v.sess.Can(desk.PermVerify) {
			ids.Add(widget.NewButton(lang.X("Verify @{{.H}}", "Verify @{{.H}}", map[string]any{"H": handle}), func() { v.wizard(r.ID, handle) }))
		}
	}
	if len(rd.Identities) == 0 {
		ids.Add(muted(lang.L("No network account linked yet.")))
	}
	if v.d.opts.Verify != nil && v.sess.Can(desk.PermVerify) {
		ids.Add(widget.NewButtonWithIcon(lang.L("Link and verify an account"), theme.ContentAddIcon(), func() { v.wizard(r.ID, "") }))
	}
	cases := container.NewVBox()
	for _, c := range rd.Cases {
		cases.Add(container.NewHBox(bold(c.Number.String()), newBadge(kindName(c.Kind), kindColor(c.Kind)), widget.NewLabel(statusName(c.Status)), muted(when(c.OpenedAt, now)+" · "+truncate(c.Title, 60))))
	}
	if len(rd.Cases) == 0 {
		cases.Add(muted(lang.L("No cases.")))
	}
	head := fyne.CanvasObject(heading(r.FullName))
	if v.sess.Can(desk.PermRegister) {
		edit := widget.NewButtonWithIcon(lang.L("Edit"), theme.DocumentCreateIcon(), func() { v.residentForm(&r) })
		head = container.NewBorder(nil, nil, nil, edit, heading(r.FullName))
	}
	return container.NewVScroll(container.NewPadded(container.NewVBox(
		head, info,
		widget.NewCard(lang.L("Network accounts"), "", ids),
		widget.NewCard(lang.L("Cases"), "", cases),
	)))
}

// documentEntry validates a DNI/NIE as it is typed.
func documentEntry() (*widget.Entry, *widget.Label) {
	e := widget.NewEntry()
	e.SetPlaceHolder("00000000T")
	hint := muted(lang.L("8 digits and a letter, or X/Y/Z, 7 digits and a letter"))
	hint.Wrapping = fyne.TextWrapWord
	e.Validator = func(s string) error {
		_, err := app.NormalizeDocument(s)
		return err
	}
	e.OnChanged = func(s string) {
		if strings.TrimSpace(s) == "" {
			hint.Importance = widget.LowImportance
			hint.SetText(lang.L("8 digits and a letter, or X/Y/Z, 7 digits and a letter"))
			return
		}
		doc, err := app.NormalizeDocument(s)
		if err != nil {
			hint.Importance = widget.DangerImportance
			what, _ := explain(err)
			hint.SetText(what)
			return
		}
		hint.Importance = widget.SuccessImportance
		hint.SetText("✓ " + strings.ToUpper(app.DocumentKind(doc)) + " " + doc)
	}
	return e, hint
}

func (v *registerView) addResident() { v.residentForm(nil) }

// residentForm adds a resident, or edits r when it is not nil; the DNI/NIE is checked as it is
// typed and again by the service.
func (v *registerView) residentForm(r *app.Resident) {
	v.d.touch()
	name := widget.NewEntry()
	doc, hint := documentEntry()
	phone := widget.NewEntry()
	email := widget.NewEntry()
	addr := widget.NewEntry()
	title := lang.L("New resident")
	if r != nil {
		title = lang.L("Edit resident")
		name.SetText(r.FullName)
		doc.SetText(r.Document)
		phone.SetText(r.Phone)
		email.SetText(r.Email)
		addr.SetText(r.Address)
	}
	items := []*widget.FormItem{
		widget.NewFormItem(lang.L("Full name"), name),
		widget.NewFormItem(lang.L("DNI/NIE"), container.NewVBox(doc, hint)),
		widget.NewFormItem(lang.L("Phone"), phone),
		widget.NewFormItem(lang.L("E-mail"), email),
		widget.NewFormItem(lang.L("Address"), addr),
	}
	dlg := dialog.NewForm(title, lang.L("Save"), lang.L("Cancel"), items, func(ok bool) {
		if !ok {
			return
		}
		actor, err := v.d.svc.Actor(v.sess, desk.PermRegister)
		if err != nil {
			v.d.showError(err)
			return
		}
		n, dn, ph, em, ad := name.Text, doc.Text, phone.Text, email.Text, addr.Text
		v.d.background(func(ctx context.Context) func() {
			var saved app.Resident
			var err error
			if r == nil {
				saved, err = v.d.opts.Verify.AddResident(ctx, actor, n, dn, ph, em, ad)
			} else {
				saved = *r
				saved.FullName, saved.Document, saved.Phone, saved.Email, saved.Address = n, dn, ph, em, ad
				err = v.d.svc.UpdateResident(ctx, v.sess, saved)
			}
			return func() {
				if err != nil {
					v.d.showError(err)
					return
				}
				v.search.SetText(strings.TrimSpace(saved.FullName))
				v.show(saved.ID)
			}
		})
	}, v.d.win)
	dlg.Resize(fyne.NewSize(520, 420))
	dlg.Show()
}

// wizard links a handle (when residentID is set) and runs the verification: the resolved
// account, a big code with its expiry, and a wait that turns green when the code arrives.
func (v *registerView) wizard(residentID, handle string) {
	v.d.touch()
	actor, err := v.d.svc.Actor(v.sess, desk.PermVerify)
	if err != nil {
		v.d.showError(err)
		return
	}
	w := newVerifyWizard(v.d, actor, residentID, handle)
	w.show()
}

type verifyWizard struct {
	d          *Desk
	actor      string
	residentID string
	handle     *widget.Entry
	step       *fyne.Container
	dlg        dialog.Dialog
	stop       chan struct{}
}

func newVerifyWizard(d *Desk, actor, residentID, handle string) *verifyWizard {
	w := &verifyWizard{d: d, actor: actor, residentID: residentID, handle: widget.NewEntry(), step: container.NewVBox(), stop: make(chan struct{})}
	w.handle.SetText(handle)
	w.handle.SetPlaceHolder("@usuario")
	return w
}

func (w *verifyWizard) show() {
	intro := widget.NewLabel(lang.L("1. Enter the resident's handle. Ventanilla finds the account's permanent user id and issues a one-time code."))
	intro.Wrapping = fyne.TextWrapWord
	start := &widget.Button{Text: lang.L("Issue code"), Importance: widget.HighImportance, OnTapped: w.start}
	w.handle.OnSubmitted = func(string) { w.start() }
	w.step.Objects = []fyne.CanvasObject{intro, w.handle, start}
	w.dlg = dialog.NewCustom(lang.L("Verify an account"), lang.L("Close"), container.NewPadded(w.step), w.d.win)
	w.dlg.SetOnClosed(func() { close(w.stop) })
	w.dlg.Resize(fyne.NewSize(560, 460))
	w.dlg.Show()
}

func (w *verifyWizard) start() {
	h := strings.TrimPrefix(strings.TrimSpace(w.handle.Text), "@")
	if h == "" {
		return
	}
	w.step.Objects = []fyne.CanvasObject{widget.NewLabel(lang.L("Looking up the account…")), widget.NewProgressBarInfinite()}
	w.step.Refresh()
	w.d.background(func(ctx context.Context) func() {
		if w.residentID != "" {
			if _, err := w.d.opts.Verify.Link(ctx, w.actor, w.residentID, h); err != nil {
				return func() { w.fail(err) }
			}
		}
		ch, err := w.d.opts.Verify.Start(ctx, w.actor, h, 30*time.Minute)
		return func() {
			if err != nil {
				w.fail(err)
				return
			}
			w.showCode(ch)
		}
	})
}

func (w *verifyWizard) fail(err error) {
	what, todo := explain(err)
	l := widget.NewLabel(what + "\n" + todo)
	l.Wrapping = fyne.TextWrapWord
	l.Importance = widget.DangerImportance
	w.step.Objects = []fyne.CanvasObject{l, w.handle, widget.NewButton(lang.L("Try again"), w.start)}
	w.step.Refresh()
}

// codeText is the one-time code, big enough to read across the counter.
func codeText(code string) *canvas.Text {
	t := canvas.NewText(strings.Join(strings.Split(code, ""), " "), theme.Color(theme.ColorNameForeground))
	t.TextSize = 56
	t.TextStyle = fyne.TextStyle{Monospace: true}
	t.Alignment = fyne.TextAlignCenter
	return t
}

func (w *verifyWizard) showCode(ch verify.Challenge) {
	acct := bold(lang.X("@{{.H}} · user id {{.ID}}", "@{{.H}} · user id {{.ID}}", map[string]any{"H": ch.Handle, "ID": ch.UserID}))
	ask := widget.NewLabel(lang.L("2. Ask the resident to send this code from that account, by direct message or mentioning the town hall:"))
	ask.Wrapping = fyne.TextWrapWord
	expires := muted(lang.X("Valid until {{.When}}", "Valid until {{.When}}", map[string]any{"When": ch.ExpiresAt.In(app.Madrid).Format("15:04")}))
	expires.Alignment = fyne.TextAlignCenter
	state := widget.NewLabel(lang.L("3. Waiting for the code… (it arrives with the next sync)"))
	state.Alignment = fyne.TextAlignCenter
	bar := widget.NewProgressBarInfinite()
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	bg.CornerRadius = 12
	codeBox := container.NewStack(bg, container.NewPadded(codeText(ch.Code)))
	w.step.Objects = []fyne.CanvasObject{acct, ask, codeBox, expires, state, bar}
	w.step.Refresh()
	go w.poll(ch, func(ok bool, msg string) {
		bar.Stop()
		bar.Hide()
		state.SetText(msg)
		if ok {
			bg.FillColor = colGreen
			bg.Refresh()
			state.Importance = widget.SuccessImportance
		} else {
			state.Importance = widget.DangerImportance
		}
		state.Refresh()
	})
}

// poll asks for the handle's status every two seconds until it is verified, the code
// expires or the wizard closes. While it waits it asks the sync engine for a round 20 s after
// the code is shown and then every minute, so the code is picked up soon without spending
// more direct-message reads than the network allows (15 per 15 minutes).
func (w *verifyWizard) poll(ch verify.Challenge, done func(ok bool, msg string)) {
	t := time.NewTicker(2 * time.Second)
	defer t.Stop()
	for tick := 1; ; tick++ {
		select {
		case <-w.stop:
			return
		case <-w.d.ctx.Done():
			return
		case <-t.C:
		}
		if w.d.opts.Sync != nil && (tick == 10 || tick%30 == 0) {
			w.d.opts.Sync.SyncNow()
		}
		st, err := w.d.opts.Verify.Status(w.d.ctx, ch.Handle)
		if err == nil && st.Level.AtLeast(app.LevelVerified) {
			w.d.do(func() {
				done(true, "✓ "+lang.X("Verified: @{{.H}} is {{.Name}}'s account.", "Verified: @{{.H}} is {{.Name}}'s account.", map[string]any{"H": ch.Handle, "Name": residentName(st)}))
			})
			return
		}
		if time.Now().After(ch.ExpiresAt) {
			w.d.do(func() { done(false, lang.L("The code expired. Issue a new one.")) })
			return
		}
	}
}

func residentName(st verify.StatusView) string {
	if st.Resident != nil {
		return st.Resident.Name
	}
	return "—"
}

// importCensus reads a census CSV with a progress bar and reports rejected lines.
func (v *registerView) importCensus() {
	v.d.touch()
	actor, err := v.d.svc.Actor(v.sess, desk.PermVerify)
	if err != nil {
		v.d.showError(err)
		return
	}
	dialog.ShowFileOpen(func(rc fyne.URIReadCloser, err error) {
		if err != nil || rc == nil {
			if err != nil {
				v.d.showError(err)
			}
			return
		}
		v.runImport(actor, rc.URI().Path(), rc)
	}, v.d.win)
}

func (v *registerView) runImport(actor, name string, rc interface {
	Read([]byte) (int, error)
	Close() error
}) {
	bar := widget.NewProgressBar()
	status := widget.NewLabel(lang.L("Reading the file…"))
	dlg := dialog.NewCustomWithoutButtons(lang.L("Census import"), container.NewVBox(muted(name), bar, status), v.d.win)
	dlg.Resize(fyne.NewSize(460, 160))
	dlg.Show()
	v.d.background(func(ctx context.Context) func() {
		defer rc.Close()
		report, err := v.d.opts.Verify.ImportCensus(ctx, actor, rc, func(done, total int) {
			v.d.do(func() {
				if total > 0 {
					bar.SetValue(float64(done) / float64(total))
					status.SetText(lang.X("{{.Done}} of {{.Total}} rows", "{{.Done}} of {{.Total}} rows", map[string]any{"Done": done, "Total": total}))
				}
			})
		})
		return func() {
			dlg.Hide()
			v.censusReport(report, err)
			v.load()
		}
	})
}

func (v *registerView) censusReport(r verify.CensusReport, err error) {
	var lines []string
	if r.Rejected() {
		lines = append(lines, lang.X("The file was not imported: {{.N}} lines are wrong. Correct them and import it again.", "The file was not imported: {{.N}} lines are wrong. Correct them and import it again.", map[string]any{"N": len(r.Problems)}))
		for _, p := range r.Problems {
			lines = append(lines, fmt.Sprintf("  %s %d: %s", lang.L("line"), p.Line, p.Reason))
		}
	} else if err != nil {
		v.d.showError(err)
		return
	} else {
		lines = append(lines, lang.X("{{.Rows}} rows read, {{.Imported}} imported, {{.Promoted}} verified accounts now marked as in the census.", "{{.Rows}} rows read, {{.Imported}} imported, {{.Promoted}} verified accounts now marked as in the census.",
			map[string]any{"Rows": r.Rows, "Imported": r.Imported, "Promoted": r.Promoted}))
	}
	text := widget.NewLabel(strings.Join(lines, "\n"))
	text.Wrapping = fyne.TextWrapWord
	dlg := dialog.NewCustom(lang.L("Census import"), lang.L("Close"), container.NewVScroll(text), v.d.win)
	dlg.Resize(fyne.NewSize(560, 360))
	dlg.Show()
}

var _ = os.Open
