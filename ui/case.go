package ui

import (
	"context"
	"errors"
	"fmt"
	"net/url"
	"strings"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"ventanilla/app"
	"ventanilla/app/desk"
	"ventanilla/app/network"
)

type composerMode int

const (
	modeReply composerMode = iota
	modeNote
)

// caseView is one case: header and actions, the resident card, the timeline and the composer.
type caseView struct {
	d       *Desk
	sess    *desk.Session
	caseID  string
	changed func() // the inbox refreshes after an action
	detail  desk.CaseDetail

	content  *fyne.Container
	header   *fyne.Container
	resident *fyne.Container
	timeline *fyne.Container
	scroll   *container.Scroll

	mode      *widget.RadioGroup
	templates *widget.Select
	text      *widget.Entry
	counter   *widget.Label
	warning   *widget.Label
	send      *widget.Button
	note      *widget.Button
	tplBodies map[string]string

	// conflict says why the last action was refused (the case changed since it was shown);
	// hidden otherwise. statusDraft keeps the note of a refused status change for the next try.
	conflict    *widget.Label
	statusDraft string
}

func newCaseView(d *Desk, sess *desk.Session, caseID string, changed func()) *caseView {
	v := &caseView{d: d, sess: sess, caseID: caseID, changed: changed}
	v.header = container.NewVBox()
	v.resident = container.NewVBox()
	v.timeline = container.NewVBox()
	v.scroll = container.NewVScroll(v.timeline)
	v.buildComposer()
	composer := container.NewVBox(widget.NewSeparator(),
		v.conflict,
		container.NewHBox(v.mode, spacer(), v.templates),
		v.text,
		container.NewBorder(nil, nil, v.counter, container.NewHBox(v.note, v.send), v.warning))
	// The resident card stays in view with the header; only the timeline scrolls.
	top := container.NewVBox(container.NewPadded(v.header), container.NewPadded(v.resident), widget.NewSeparator())
	v.content = container.NewBorder(top, container.NewPadded(composer), nil, nil, v.scroll)
	v.header.Add(muted(lang.L("Loading…")))
	v.reload()
	v.markRead()
	return v
}

func (v *caseView) markRead() {
	v.d.background(func(ctx context.Context) func() {
		err := v.d.svc.MarkRead(ctx, v.sess, v.caseID, true)
		return func() {
			if err == nil && v.changed != nil {
				v.changed()
			}
		}
	})
}

// reload reads the case again and redraws it.
func (v *caseView) reload() {
	v.d.background(func(ctx context.Context) func() {
		d, err := v.d.svc.Case(ctx, v.sess, v.caseID)
		return func() {
			if err != nil {
				v.header.Objects = []fyne.CanvasObject{widget.NewLabel(func() string { w, t := explain(err); return w + " " + t }())}
				v.header.Refresh()
				v.timeline.Objects = nil
				v.resident.Objects = nil
				v.timeline.Refresh()
				v.send.Disable()
				v.note.Disable()
				return
			}
			v.detail = d
			v.render()
		}
	})
}

func (v *caseView) render() {
	d := v.detail
	c := d.Case
	now := time.Now()
	title := heading(c.Number.String())
	kind := newBadge(kindName(c.Kind), kindColor(c.Kind))
	status := newBadge(statusName(c.Status), colGrey)
	if c.Status.Closed() {
		status.set(statusName(c.Status), colGreen)
	}
	facts := []string{}
	if d.DepartmentName != "" {
		facts = append(facts, d.DepartmentName)
	}
	if d.AssigneeName != "" {
		facts = append(facts, lang.X("assigned to {{.Name}}", "assigned to {{.Name}}", map[string]any{"Name": d.AssigneeName}))
	} else {
		facts = append(facts, lang.L("Unassigned"))
	}
	facts = append(facts, lang.X("priority {{.P}}", "priority {{.P}}", map[string]any{"P": strings.ToLower(priorityName(c.Priority))}))
	facts = append(facts, lang.X("opened {{.When}}", "opened {{.When}}", map[string]any{"When": when(c.OpenedAt, now)}))
	due := widget.NewLabel("")
	if !c.DueAt.IsZero() {
		due.SetText(lang.X("due {{.Date}}", "due {{.Date}}", map[string]any{"Date": day(c.DueAt)}))
		if c.Overdue(now) {
			due.SetText("⚠ " + lang.X("overdue since {{.Date}}", "overdue since {{.Date}}", map[string]any{"Date": day(c.DueAt)}))
			due.Importance = widget.DangerImportance
		}
	}
	factsL := muted(strings.Join(facts, " · "))
	factsL.Wrapping = fyne.TextWrapWord
	subject := widget.NewLabel(c.Title)
	subject.Wrapping = fyne.TextWrapWord
	subject.TextStyle.Bold = true

	actions := container.NewHBox(
		widget.NewButtonWithIcon(lang.L("Status…"), theme.MediaSkipNextIcon(), v.changeStatus),
		widget.NewButtonWithIcon(lang.L("Assign…"), theme.AccountIcon(), v.assign),
		widget.NewButtonWithIcon(lang.L("Priority…"), theme.WarningIcon(), v.priority),
		widget.NewButtonWithIcon(lang.L("Merge…"), theme.ContentPasteIcon(), v.merge),
		widget.NewButtonWithIcon(lang.L("Mark unread"), theme.MailComposeIcon(), v.markUnread),
	)
	top := container.NewBorder(nil, nil, container.NewHBox(title, container.NewCenter(kind), container.NewCenter(status)), due)
	v.header.Objects = []fyne.CanvasObject{top, factsL, subject, actions}
	if d.MergedInto != "" {
		m := widget.NewLabel(lang.X("Merged into {{.N}}: answer there.", "Merged into {{.N}}: answer there.", map[string]any{"N": d.MergedInto}))
		m.Importance = widget.WarningImportance
		v.header.Add(m)
	}
	v.header.Refresh()
	v.renderResident()
	v.renderTimeline()
	v.updateComposer()
	v.content.Refresh() // the header's height changed: lay the border out again
	v.scroll.ScrollToBottom()
}

func (v *caseView) renderResident() {
	d := v.detail
	name := lang.L("Resident not identified")
	doc := ""
	if d.Resident != nil {
		name = d.Resident.FullName
		doc = app.MaskDocument(d.Resident.Document)
		if d.Resident.InCensus {
			doc += " · " + lang.L("in the census")
		}
	}
	handle := ""
	level := app.LevelUnknown
	var flags []string
	if d.Identity != nil {
		handle = "@" + d.Identity.Handle
		level = d.Identity.Level
		if d.Identity.HandleChanged {
			flags = append(flags, lang.L("handle changed"))
		}
		if d.Identity.Takeover {
			flags = append(flags, lang.L("possible takeover"))
		}
		if d.Identity.Lookalike {
			flags = append(flags, lang.L("looks like an official account"))
		}
	}
	if !level.AtLeast(app.LevelVerified) {
		flags = append(flags, lang.L("unverified"))
	}
	line := container.NewHBox(widget.NewIcon(theme.AccountIcon()), bold(name), muted(handle), container.NewCenter(newBadge(levelName(level), levelColor(level))))
	objs := []fyne.CanvasObject{line}
	if doc != "" {
		objs = append(objs, muted(doc))
	}
	if len(flags) > 0 {
		w := widget.NewLabel("⚠ " + strings.Join(flags, " · "))
		w.Importance = widget.WarningImportance
		objs = append(objs, w)
	}
	v.resident.Objects = objs
	v.resident.Refresh()
}

func (v *caseView) renderTimeline() {
	now := time.Now()
	var objs []fyne.CanvasObject
	for _, e := range v.detail.Timeline {
		objs = append(objs, v.entry(e, now))
	}
	v.timeline.Objects = objs
	v.timeline.Refresh()
}

// entry draws one timeline line.
func (v *caseView) entry(e desk.TimelineEntry, now time.Time) fyne.CanvasObject {
	ev := e.Event
	stamp := muted(when(ev.CreatedAt, now))
	actor := e.ActorName
	body := widget.NewLabel(ev.Body)
	body.Wrapping = fyne.TextWrapWord
	switch ev.Kind {
	case app.EventInbound:
		who := lang.L("Resident")
		if e.Inbound != nil {
			who = "@" + e.Inbound.AuthorHandle
			if e.Inbound.Channel == app.ChannelDM {
				who += " · " + lang.L("direct message")
			}
			body.SetText(e.Inbound.Text)
		}
		return bubble(theme.MailReplyIcon(), who, stamp, body, nil)
	case app.EventOutbound:
		title := lang.L("Answer")
		var state fyne.CanvasObject
		if o := e.Outbox; o != nil {
			if o.Kind == app.OutboxDM {
				title = lang.L("Direct message")
			} else {
				title = lang.L("Public reply")
			}
			state = v.deliveryState(*o)
		}
		if actor != "" {
			title += " · " + actor
		}
		return bubble(theme.MailSendIcon(), title, stamp, body, state)
	case app.EventNote:
		return bubble(theme.DocumentIcon(), lang.X("Internal note · {{.Name}}", "Internal note · {{.Name}}", map[string]any{"Name": actor}), stamp, body, nil)
	}
	text := ""
	switch ev.Kind {
	case app.EventStatus:
		text = lang.X("{{.Name}} changed the status: {{.Old}} → {{.New}}", "{{.Name}} changed the status: {{.Old}} → {{.New}}",
			map[string]any{"Name": actorOrSystem(actor), "Old": statusName(app.CaseStatus(ev.OldValue)), "New": statusName(app.CaseStatus(ev.NewValue))})
		if ev.Body != "" {
			text += " — " + ev.Body
		}
	case app.EventAssignment:
		text = lang.X("{{.Name}} changed the assignee", "{{.Name}} changed the assignee", map[string]any{"Name": actorOrSystem(actor)})
	case app.EventPriority:
		text = lang.X("{{.Name}} set the priority to {{.P}}", "{{.Name}} set the priority to {{.P}}", map[string]any{"Name": actorOrSystem(actor), "P": priorityName(app.Priority(ev.NewValue))})
	case app.EventDepartment:
		text = lang.X("{{.Name}} changed the department", "{{.Name}} changed the department", map[string]any{"Name": actorOrSystem(actor)})
	case app.EventMerge:
		if ev.NewValue != "" {
			text = lang.X("Merged into {{.N}}", "Merged into {{.N}}", map[string]any{"N": ev.NewValue})
		} else {
			text = lang.X("{{.N}} was merged into this case", "{{.N}} was merged into this case", map[string]any{"N": ev.OldValue})
		}
	case app.EventFlag:
		text = flagText(ev.NewValue)
		if ev.Body != "" {
			text += " — " + ev.Body
		}
	case app.EventVerification:
		text = lang.L("Verification") + ": " + ev.Body
	default:
		text = ev.Body
	}
	l := muted(text)
	l.Wrapping = fyne.TextWrapWord
	return container.NewBorder(nil, nil, nil, stamp, l)
}

// flagText says in words what a warning recorded on a case means.
func flagText(code string) string {
	switch code {
	case "personal_data":
		return lang.L("The public message contains personal data: answer by direct message, without quoting it.")
	case "unverified":
		return lang.L("The account is not verified.")
	case "takeover":
		return lang.L("This handle now belongs to a different account than the one verified under it.")
	case "lookalike":
		return lang.L("The handle looks like an official account's.")
	}
	return lang.X("Warning: {{.Code}}", "Warning: {{.Code}}", map[string]any{"Code": code})
}

func actorOrSystem(name string) string {
	if name == "" {
		return lang.L("Ventanilla")
	}
	return name
}

// deliveryState shows pending, sending, sent (with a link) or failed (with the reason and a
// retry button).
func (v *caseView) deliveryState(o app.OutboxItem) fyne.CanvasObject {
	switch o.Status {
	case app.OutboxPending:
		return container.NewHBox(newBadge(lang.L("Pending"), colAmber), muted(lang.L("waiting for the next sync")))
	case app.OutboxSending:
		return container.NewHBox(newBadge(lang.L("Sending"), colBlue))
	case app.OutboxSent:
		objs := []fyne.CanvasObject{newBadge(lang.L("Sent"), colGreen), muted(when(o.SentAt, time.Now()))}
		if o.Kind != app.OutboxDM && o.NetworkID != "" {
			if u, err := url.Parse("https://x.com/i/web/status/" + o.NetworkID); err == nil {
				objs = append(objs, widget.NewHyperlink(lang.L("Open the post"), u))
			}
		}
		return container.NewHBox(objs...)
	case app.OutboxFailed:
		reason := widget.NewLabel(o.LastError)
		reason.Wrapping = fyne.TextWrapWord
		reason.Importance = widget.DangerImportance
		id := o.ID
		retry := widget.NewButtonWithIcon(lang.L("Retry"), theme.ViewRefreshIcon(), func() {
			v.d.touch()
			v.run(func(ctx context.Context) error { return v.d.svc.RetryOutbox(ctx, v.sess, id) })
		})
		return container.NewBorder(nil, nil, container.NewCenter(newBadge(lang.L("Failed"), colRed)), retry, reason)
	}
	return nil
}

func bubble(icon fyne.Resource, title string, stamp *widget.Label, body fyne.CanvasObject, foot fyne.CanvasObject) fyne.CanvasObject {
	head := container.NewBorder(nil, nil, container.NewHBox(widget.NewIcon(icon), bold(title)), stamp)
	inner := container.NewVBox(head, body)
	if foot != nil {
		inner.Add(foot)
	}
	return widget.NewCard("", "", inner)
}

// run does an action off the UI thread, then reloads the case and the inbox.
func (v *caseView) run(action func(ctx context.Context) error) {
	v.d.background(func(ctx context.Context) func() {
		err := action(ctx)
		return func() {
			if v.refused(err) {
				return
			}
			if err != nil {
				v.d.showError(err)
				return
			}
			v.setConflict("")
			v.reload()
			if v.changed != nil {
				v.changed()
			}
		}
	})
}

func (v *caseView) changeStatus() {
	v.d.touch()
	next := desk.NextStatuses(v.detail.Case)
	if len(next) == 0 {
		dialog.ShowInformation(lang.L("Status"), lang.L("This case cannot change status."), v.d.win)
		return
	}
	names := map[string]app.CaseStatus{}
	var opts []string
	for _, s := range next {
		names[statusName(s)] = s
		opts = append(opts, statusName(s))
	}
	sel := widget.NewRadioGroup(opts, nil)
	sel.SetSelected(opts[0])
	note := widget.NewMultiLineEntry()
	note.SetPlaceHolder(lang.L("Optional note"))
	note.SetText(v.statusDraft) // a change refused because the case had changed keeps its note
	dialog.ShowForm(lang.L("Change status"), lang.L("Change"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("New status"), sel), widget.NewFormItem(lang.L("Note"), note),
	}, func(ok bool) {
		if !ok {
			return
		}
		to, text, seen := names[sel.Selected], note.Text, v.detail.Token
		v.statusDraft = text
		v.run(func(ctx context.Context) error {
			err := v.d.svc.ChangeStatus(ctx, v.sess, v.caseID, seen, to, text)
			if err == nil {
				v.d.do(func() { v.statusDraft = "" })
			}
			return err
		})
	}, v.d.win)
}

func (v *caseView) assign() {
	v.d.touch()
	v.d.background(func(ctx context.Context) func() {
		staff, err := v.d.svc.Colleagues(ctx, v.sess)
		return func() {
			if err != nil {
				v.d.showError(err)
				return
			}
			ids := map[string]string{lang.L("Nobody"): ""}
			opts := []string{lang.L("Nobody")}
			for _, s := range staff {
				label := s.FullName + " (" + roleName(s.Role) + ")"
				ids[label] = s.ID
				opts = append(opts, label)
			}
			sel := widget.NewSelect(opts, nil)
			sel.SetSelectedIndex(0)
			dialog.ShowForm(lang.L("Assign case"), lang.L("Assign"), lang.L("Cancel"), []*widget.FormItem{
				widget.NewFormItem(lang.L("Assignee"), sel),
			}, func(ok bool) {
				if ok {
					id, seen := ids[sel.Selected], v.detail.Token
					v.run(func(ctx context.Context) error { return v.d.svc.Assign(ctx, v.sess, v.caseID, seen, id) })
				}
			}, v.d.win)
		}
	})
}

func (v *caseView) priority() {
	v.d.touch()
	names := map[string]app.Priority{}
	var opts []string
	for _, p := range desk.Priorities {
		names[priorityName(p)] = p
		opts = append(opts, priorityName(p))
	}
	sel := widget.NewRadioGroup(opts, nil)
	sel.Horizontal = true
	sel.SetSelected(priorityName(v.detail.Case.Priority))
	dialog.ShowForm(lang.L("Priority"), lang.L("Save"), lang.L("Cancel"), []*widget.FormItem{widget.NewFormItem(lang.L("Priority"), sel)}, func(ok bool) {
		if ok {
			p, seen := names[sel.Selected], v.detail.Token
			v.run(func(ctx context.Context) error { return v.d.svc.SetPriority(ctx, v.sess, v.caseID, seen, p) })
		}
	}, v.d.win)
}

func (v *caseView) merge() {
	v.d.touch()
	into := widget.NewEntry()
	into.SetPlaceHolder("E-2026-000123")
	dialog.ShowForm(lang.L("Merge into another case"), lang.L("Merge"), lang.L("Cancel"), []*widget.FormItem{
		&widget.FormItem{Text: lang.L("Registry number"), Widget: into, HintText: lang.L("This case leaves the inbox; its timeline is kept.")},
	}, func(ok bool) {
		if ok {
			n, seen := into.Text, v.detail.Token
			v.run(func(ctx context.Context) error { return v.d.svc.Merge(ctx, v.sess, v.caseID, seen, n) })
		}
	}, v.d.win)
}

func (v *caseView) markUnread() {
	v.d.touch()
	v.run(func(ctx context.Context) error { return v.d.svc.MarkRead(ctx, v.sess, v.caseID, false) })
}

func (v *caseView) buildComposer() {
	v.mode = widget.NewRadioGroup([]string{lang.L("Public reply"), lang.L("Direct message"), lang.L("Internal note")}, func(string) { v.updateComposer() })
	v.mode.Horizontal = true
	v.templates = widget.NewSelect(nil, func(key string) {
		if body, ok := v.tplBodies[key]; ok {
			v.text.SetText(body)
		}
	})
	v.templates.PlaceHolder = lang.L("Templates")
	v.text = widget.NewMultiLineEntry()
	v.text.Wrapping = fyne.TextWrapWord
	v.text.SetMinRowsVisible(3)
	v.text.SetPlaceHolder(lang.L("Write the answer… (Ctrl+R reply, Ctrl+N note)"))
	v.text.OnChanged = func(string) { v.d.touch(); v.updateComposer() }
	v.counter = muted("")
	v.warning = widget.NewLabel("")
	v.warning.Importance = widget.WarningImportance
	v.warning.Wrapping = fyne.TextWrapWord
	v.conflict = widget.NewLabel("")
	v.conflict.Importance = widget.DangerImportance
	v.conflict.Wrapping = fyne.TextWrapWord
	v.conflict.Hide()
	v.send = &widget.Button{Text: lang.L("Send"), Icon: theme.MailSendIcon(), Importance: widget.HighImportance, OnTapped: v.submit}
	v.note = widget.NewButtonWithIcon(lang.L("Add note"), theme.DocumentCreateIcon(), func() {
		v.mode.SetSelected(lang.L("Internal note"))
		v.submit()
	})
	v.loadTemplates()
}

func (v *caseView) loadTemplates() {
	code := Language()
	v.d.background(func(ctx context.Context) func() {
		tpls, err := v.d.svc.Templates(ctx, v.sess, code)
		return func() {
			if err != nil {
				return
			}
			v.tplBodies = map[string]string{}
			var keys []string
			for _, t := range tpls {
				v.tplBodies[t.Key] = t.Body
				keys = append(keys, t.Key)
			}
			v.templates.Options = keys
			v.templates.Refresh()
		}
	})
}

func (v *caseView) currentMode() (desk.ReplyMode, bool) {
	switch v.mode.Selected {
	case lang.L("Public reply"):
		return desk.ReplyPublic, true
	case lang.L("Direct message"):
		return desk.ReplyDM, true
	}
	return "", false
}

// updateComposer shows the network's weighted count of the text as it will be sent (with the
// registry number) and warns about personal data in public.
func (v *caseView) updateComposer() {
	if v.detail.Case.ID == "" {
		return
	}
	if v.mode.Selected == "" {
		switch {
		case v.detail.CanReply(desk.ReplyPublic):
			v.mode.SetSelected(lang.L("Public reply"))
		case v.detail.CanReply(desk.ReplyDM):
			v.mode.SetSelected(lang.L("Direct message"))
		default:
			v.mode.SetSelected(lang.L("Internal note"))
		}
		return // SetSelected calls back
	}
	mode, reply := v.currentMode()
	text := v.text.Text
	v.warning.SetText("")
	v.send.Enable()
	if !reply {
		v.counter.SetText(lang.L("Only staff see notes."))
		v.send.SetText(lang.L("Add note"))
		return
	}
	v.send.SetText(lang.L("Send"))
	if !v.detail.CanReply(mode) {
		v.send.Disable()
		if mode == desk.ReplyPublic {
			v.warning.SetText(lang.L("There is no public post to reply to (or this kind of case goes by direct message only)."))
		} else {
			v.warning.SetText(lang.L("The resident's account is not known: a direct message cannot be sent."))
		}
	}
	final := text
	if strings.TrimSpace(text) != "" {
		final = desk.WithRegistryNumber(text, v.detail.Case.Number)
	}
	if mode == desk.ReplyPublic {
		n := network.WeightedLength(final)
		v.counter.SetText(fmt.Sprintf("%d / %d", n, network.MaxWeightedLength))
		if n > network.MaxWeightedLength {
			v.counter.Importance = widget.DangerImportance
			v.send.Disable()
		} else {
			v.counter.Importance = widget.LowImportance
		}
		v.counter.Refresh()
		if found := v.d.svc.PersonalData(text); len(found) > 0 {
			v.warning.SetText("⚠ " + lang.X("Personal data in a public reply: {{.Kinds}}. Consider a direct message.", "Personal data in a public reply: {{.Kinds}}. Consider a direct message.", map[string]any{"Kinds": strings.Join(found, ", ")}))
		}
	} else {
		v.counter.Importance = widget.LowImportance
		v.counter.SetText(fmt.Sprintf("%d / %d", len([]rune(final)), desk.MaxDMLength))
	}
	if strings.TrimSpace(text) != "" && !strings.Contains(strings.ToUpper(text), v.detail.Case.Number.String()) {
		v.counter.SetText(v.counter.Text + "  " + lang.X("(+ {{.N}})", "(+ {{.N}})", map[string]any{"N": v.detail.Case.Number.String()}))
	}
}

// submit sends the reply or adds the note.
func (v *caseView) submit() {
	v.d.touch()
	text := v.text.Text
	mode, reply := v.currentMode()
	if strings.TrimSpace(text) == "" {
		return
	}
	if !reply {
		v.run(func(ctx context.Context) error { return v.d.svc.AddNote(ctx, v.sess, v.caseID, text) })
		v.text.SetText("")
		return
	}
	send := func(confirm bool) {
		// Seen is the case as this screen shows it: the answer is refused if it changed since.
		req := desk.ReplyRequest{CaseID: v.caseID, Mode: mode, Text: text, ConfirmPersonalData: confirm, Seen: v.detail.Token}
		v.d.background(func(ctx context.Context) func() {
			_, err := v.d.svc.Reply(ctx, v.sess, req)
			return func() {
				if errors.Is(err, desk.ErrPersonalData) && !confirm {
					dialog.ShowConfirm(lang.L("Personal data in public"),
						lang.L("The reply seems to contain personal data and would be public. Send it anyway?"),
						func(ok bool) {
							if ok {
								v.sendConfirmed(req)
							}
						}, v.d.win)
					return
				}
				if v.refused(err) {
					return // the draft stays in the composer
				}
				if err != nil {
					v.d.showError(err)
					return
				}
				v.setConflict("")
				v.text.SetText("")
				v.reload()
				if v.changed != nil {
					v.changed()
				}
			}
		})
	}
	send(false)
}

func (v *caseView) sendConfirmed(req desk.ReplyRequest) {
	req.ConfirmPersonalData = true
	v.run(func(ctx context.Context) error {
		_, err := v.d.svc.Reply(ctx, v.sess, req)
		if err == nil {
			v.d.do(func() { v.text.SetText("") })
		}
		return err
	})
}

func (v *caseView) focusComposer(m composerMode) {
	if m == modeNote {
		v.mode.SetSelected(lang.L("Internal note"))
	} else if v.detail.CanReply(desk.ReplyPublic) {
		v.mode.SetSelected(lang.L("Public reply"))
	} else {
		v.mode.SetSelected(lang.L("Direct message"))
	}
	v.d.win.Canvas().Focus(v.text)
}

// refused handles an action the service refused because the case changed since this screen
// loaded it: it says what changed above the composer, reloads the case so that the new
// entries show, and leaves the draft where it is. It reports whether err was such a refusal.
func (v *caseView) refused(err error) bool {
	var ce *desk.ConflictError
	if !errors.As(err, &ce) {
		return false
	}
	hint := lang.L("Read what is new and try again.")
	if strings.TrimSpace(v.text.Text) != "" {
		hint = lang.L("Your text is kept: read what is new and send it again if it still applies.")
	}
	v.setConflict("⚠ " + conflictText(ce) + " " + hint)
	v.reload()
	if v.changed != nil {
		v.changed()
	}
	return true
}

func (v *caseView) setConflict(text string) {
	v.conflict.SetText(text)
	if text == "" {
		v.conflict.Hide()
	} else {
		v.conflict.Show()
	}
	v.content.Refresh()
}

// conflictText says in words what changed on a case since it was shown.
func conflictText(ce *desk.ConflictError) string {
	words := make([]string, 0, len(ce.Changes))
	for _, c := range ce.Changes {
		words = append(words, lang.L(c.Words()))
	}
	return lang.X("The case changed since you opened it: {{.What}}.", "The case changed since you opened it: {{.What}}.", map[string]any{"What": strings.Join(words, ", ")})
}
