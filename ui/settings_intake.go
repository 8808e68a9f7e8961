package ui

import (
	"context"
	"fmt"
	"slices"
	"strconv"
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
	"ventanilla/app/intake"
	"ventanilla/app/network"
)

// The settings that shape intake: classification rules, templates, the calendar and the
// procedure catalogue. The desk service reloads intake after each change.

var ruleKinds = []app.CaseKind{app.KindIncident, app.KindProposal, app.KindMessage, app.KindProcedure, app.KindQuery}

func channelName(c string) string {
	switch c {
	case "mention":
		return lang.L("Public posts")
	case "dm":
		return lang.L("Direct messages")
	}
	return lang.L("Posts and direct messages")
}

// ruleSummary says in a line what a rule looks for and what it does.
func (v *settingsView) ruleSummary(r app.IntakeRule) string {
	var cond []string
	if len(r.Hashtags) > 0 {
		var hs []string
		for _, h := range r.Hashtags {
			if h == intake.NoKindHashtag {
				hs = append(hs, lang.L("no kind hashtag"))
			} else {
				hs = append(hs, "#"+h)
			}
		}
		cond = append(cond, strings.Join(hs, " "))
	}
	if len(r.Mentions) > 0 {
		var ms []string
		for _, m := range r.Mentions {
			switch m {
			case intake.MentionPolice:
				ms = append(ms, lang.L("the police account"))
			case intake.MentionTownHall:
				ms = append(ms, lang.L("the town hall's account"))
			default:
				ms = append(ms, "@"+m)
			}
		}
		cond = append(cond, strings.Join(ms, " "))
	}
	if len(r.Keywords) > 0 {
		kw := strings.Join(r.Keywords, ", ")
		if rs := []rune(kw); len(rs) > 60 {
			kw = string(rs[:59]) + "…"
		}
		cond = append(cond, "«"+kw+"»")
	}
	if len(cond) == 0 {
		cond = append(cond, lang.L("every message"))
	}
	what := lang.L("ignore")
	if r.Action == "case" {
		what = kindName(r.Kind)
		if n := v.departmentName(r.DepartmentID); n != "" {
			what += " · " + n
		}
	}
	return channelName(r.Channel) + ": " + strings.Join(cond, " + ") + " → " + what
}

func (v *settingsView) rulesPanel() fyne.CanvasObject {
	list := container.NewVBox()
	v.reloadRules = func() {
		v.d.background(func(ctx context.Context) func() {
			rules, err := v.d.svc.IntakeRules(ctx, v.sess)
			return func() {
				if err != nil {
					v.d.showError(err)
					return
				}
				list.Objects = nil
				for i, r := range rules {
					r := r
					on := widget.NewCheck("", nil)
					on.Checked = r.Enabled
					on.OnChanged = func(b bool) {
						v.submit(newFieldErrors(), func(ctx context.Context) error {
							return v.d.svc.SetIntakeRuleEnabled(ctx, v.sess, r.ID, b)
						}, v.reloadRules)
					}
					name := bold(fmt.Sprintf("%d. %s", r.Priority, r.Name))
					if !r.Enabled {
						name.Importance = widget.LowImportance
					}
					summary := muted(v.ruleSummary(r))
					summary.Wrapping = fyne.TextWrapWord
					move := func(delta int) func() {
						return func() {
							v.submit(newFieldErrors(), func(ctx context.Context) error {
								return v.d.svc.MoveIntakeRule(ctx, v.sess, r.ID, delta)
							}, v.reloadRules)
						}
					}
					up := widget.NewButtonWithIcon("", theme.MoveUpIcon(), move(-1))
					down := widget.NewButtonWithIcon("", theme.MoveDownIcon(), move(1))
					if i == 0 {
						up.Disable()
					}
					if i == len(rules)-1 {
						down.Disable()
					}
					edit := widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), func() { v.editRule(r) })
					del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { v.deleteRule(r) })
					list.Add(container.NewBorder(nil, nil, on, container.NewHBox(up, down, edit, del), container.NewVBox(name, summary)))
					list.Add(widget.NewSeparator())
				}
				list.Refresh()
			}
		})
	}
	v.reloadRules()
	add := widget.NewButtonWithIcon(lang.L("New rule"), theme.ContentAddIcon(), func() {
		v.editRule(app.IntakeRule{Channel: "any", Action: "case", Kind: app.KindQuery, Enabled: true})
	})
	return widget.NewCard(lang.L("Classification rules"),
		lang.L("tried in order, the first that matches decides; within a rule, each filled list must match one of its items"),
		container.NewVBox(list, container.NewHBox(add)))
}

func (v *settingsView) editRule(r app.IntakeRule) {
	v.d.touch()
	name := widget.NewEntry()
	name.SetText(r.Name)
	channels := []string{"any", "mention", "dm"}
	var channelOpts []string
	for _, c := range channels {
		channelOpts = append(channelOpts, channelName(c))
	}
	channel := widget.NewSelect(channelOpts, nil)
	channel.SetSelectedIndex(max(slices.Index(channels, r.Channel), 0))
	hashtags := widget.NewEntry()
	hashtags.SetText(strings.Join(r.Hashtags, ", "))
	hashtags.SetPlaceHolder("incidencia, pleno")
	mentions := widget.NewEntry()
	mentions.SetText(strings.Join(r.Mentions, ", "))
	mentions.SetPlaceHolder("PoliciaLocalJun, $police")
	keywords := widget.NewMultiLineEntry()
	keywords.Wrapping = fyne.TextWrapWord
	keywords.SetMinRowsVisible(3)
	keywords.SetText(strings.Join(r.Keywords, ", "))
	var kindOpts []string
	for _, k := range ruleKinds {
		kindOpts = append(kindOpts, kindName(k))
	}
	kind := widget.NewSelect(kindOpts, nil)
	if i := slices.Index(ruleKinds, r.Kind); i >= 0 {
		kind.SetSelectedIndex(i)
	}
	actions := []string{"case", "ignore"}
	action := widget.NewSelect([]string{lang.L("Open a case"), lang.L("Ignore the message")}, nil)
	action.SetSelectedIndex(max(slices.Index(actions, r.Action), 0))
	dept := newDepartmentChoice(v.depts, r.DepartmentID)
	procIDs := []string{""}
	procOpts := []string{lang.L("None")}
	for _, p := range v.procs {
		procIDs = append(procIDs, p.ID)
		procOpts = append(procOpts, p.NameES)
	}
	proc := widget.NewSelect(procOpts, nil)
	proc.SetSelectedIndex(max(slices.Index(procIDs, r.ProcedureTypeID), 0))
	priority := widget.NewEntry()
	if r.Priority > 0 {
		priority.SetText(strconv.Itoa(r.Priority))
	}
	priority.SetPlaceHolder(lang.L("empty: after the others"))
	enabled := widget.NewCheck(lang.L("Enabled"), nil)
	enabled.SetChecked(r.Enabled)
	fe := newFieldErrors()
	form := widget.NewForm(
		fe.item("name", lang.L("Name"), name, ""),
		fe.item("channel", lang.L("Channel"), channel, ""),
		fe.item("hashtags", lang.L("Hashtags"), hashtags, lang.L("any of them, separated by commas; $nokind: no kind hashtag")),
		fe.item("mentions", lang.L("Mentions"), mentions, lang.L("any of these accounts; $police and $townhall stand for the official accounts")),
		fe.item("keywords", lang.L("Keywords"), keywords, lang.L("any of these words or phrases, accents and capitals ignored")),
		fe.item("action", lang.L("Action"), action, ""),
		fe.item("kind", lang.L("Kind of case"), kind, ""),
		fe.item("department", lang.L("Department"), dept, ""),
		fe.item("procedure", lang.L("Procedure"), proc, ""),
		fe.item("priority", lang.L("Order"), priority, lang.L("lower numbers are tried first")),
		&widget.FormItem{Widget: enabled},
	)
	title := lang.L("Edit rule")
	if r.ID == "" {
		title = lang.L("New rule")
	}
	v.editorDialog(title, form, func(close func()) {
		r.Name, r.Channel = name.Text, channels[max(channel.SelectedIndex(), 0)]
		r.Hashtags, r.Mentions, r.Keywords = splitComma(hashtags.Text), splitComma(mentions.Text), splitComma(keywords.Text)
		r.Action, r.Kind = actions[max(action.SelectedIndex(), 0)], ""
		if i := kind.SelectedIndex(); i >= 0 {
			r.Kind = ruleKinds[i]
		}
		r.DepartmentID, r.ProcedureTypeID = dept.id(), procIDs[max(proc.SelectedIndex(), 0)]
		r.Priority = 0
		if t := strings.TrimSpace(priority.Text); t != "" {
			n, err := strconv.Atoi(t)
			if err != nil {
				n = -1 // refused beside the field
			}
			r.Priority = n
		}
		r.Enabled = enabled.Checked
		v.submit(fe, func(ctx context.Context) error {
			_, err := v.d.svc.SaveIntakeRule(ctx, v.sess, r)
			return err
		}, func() {
			close()
			v.reloadRules()
		})
	})
}

func (v *settingsView) deleteRule(r app.IntakeRule) {
	v.d.touch()
	dialog.ShowConfirm(lang.L("Delete rule"), lang.X("Delete the rule «{{.Name}}»?", "Delete the rule «{{.Name}}»?", map[string]any{"Name": r.Name}),
		func(ok bool) {
			if ok {
				v.submit(newFieldErrors(), func(ctx context.Context) error { return v.d.svc.DeleteIntakeRule(ctx, v.sess, r.ID) }, v.reloadRules)
			}
		}, v.d.win)
}

// ---- Templates ----

// templateEditor edits one language's templates: the keys on the left, the text on the right
// with its length as the network will count it.
type templateEditor struct {
	v      *settingsView
	lang   string
	keys   []string
	bodies map[string]string
	key    string

	list    *widget.List
	title   *widget.Label
	body    *widget.Entry
	count   *widget.Label
	fe      *fieldErrors
	note    *widget.Label
	save    *widget.Button
	editing fyne.CanvasObject
}

func (v *settingsView) templatesPanel() fyne.CanvasObject {
	te := &templateEditor{v: v, lang: "es", bodies: map[string]string{}, fe: newFieldErrors(), note: savedNote()}
	te.title = heading("")
	te.body = widget.NewMultiLineEntry()
	te.body.Wrapping = fyne.TextWrapWord
	te.body.SetMinRowsVisible(6)
	te.body.OnChanged = func(string) { te.updateCount() }
	te.count = muted("")
	te.save = &widget.Button{Text: lang.L("Save template"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: te.doSave}
	te.list = widget.NewList(
		func() int { return len(te.keys) },
		func() fyne.CanvasObject { return widget.NewLabel("ack.procedure.unverified") },
		func(i widget.ListItemID, o fyne.CanvasObject) { o.(*widget.Label).SetText(te.keys[i]) },
	)
	te.list.OnSelected = func(i widget.ListItemID) { te.open(te.keys[i]) }
	language := widget.NewRadioGroup([]string{"Español", "English"}, func(s string) {
		te.lang = map[string]string{"Español": "es", "English": "en"}[s]
		te.load()
	})
	language.Horizontal = true
	language.Selected = "Español"
	placeholders := muted(lang.L("Placeholders:") + " {" + strings.Join(desk.TemplatePlaceholders, "} {") + "}. " +
		lang.L("An acknowledgement must contain {numero}."))
	placeholders.Wrapping = fyne.TextWrapWord
	te.editing = container.NewVBox(te.title, placeholders, te.fe.line("body", te.body), te.count, container.NewHBox(te.save, te.note))
	te.editing.Hide()
	left := container.NewBorder(container.NewVBox(heading(lang.L("Templates")), language), nil, nil, nil, te.list)
	split := container.NewHSplit(left, container.NewVScroll(container.NewPadded(te.editing)))
	split.Offset = 0.3
	te.load()
	return split
}

// load lists the language's templates: intake's own keys (with the built-in text where none
// was saved) and staff's reply templates.
func (te *templateEditor) load() {
	lg := te.lang
	te.v.d.background(func(ctx context.Context) func() {
		ts, err := te.v.d.svc.Templates(ctx, te.v.sess, lg)
		return func() {
			if err != nil {
				te.v.d.showError(err)
				return
			}
			te.bodies = map[string]string{}
			for k, b := range intake.DefaultTemplates(lg) {
				te.bodies[k] = b
			}
			for _, t := range ts {
				te.bodies[t.Key] = t.Body
			}
			te.keys = te.keys[:0]
			for k := range te.bodies {
				te.keys = append(te.keys, k)
			}
			slices.Sort(te.keys)
			te.list.UnselectAll()
			te.list.Refresh()
			te.editing.Hide()
		}
	})
}

func (te *templateEditor) open(key string) {
	te.v.d.touch()
	te.key = key
	te.fe.clear()
	te.note.SetText("")
	te.title.SetText(key + " (" + te.lang + ")")
	te.body.SetText(te.bodies[key])
	te.updateCount()
	te.editing.Show()
}

func (te *templateEditor) updateCount() {
	n := network.WeightedLength(desk.TemplateSample(te.body.Text, "", ""))
	te.count.SetText(lang.X("{{.N}} of {{.Max}} characters with a sample number and names", "{{.N}} of {{.Max}} characters with a sample number and names",
		map[string]any{"N": n, "Max": network.MaxWeightedLength}))
	te.count.Importance = widget.LowImportance
	if n > network.MaxWeightedLength {
		te.count.Importance = widget.DangerImportance
	}
	te.count.Refresh()
}

func (te *templateEditor) doSave() {
	te.note.SetText("")
	t := desk.Template{Key: te.key, Lang: te.lang, Body: te.body.Text}
	te.v.submit(te.fe, func(ctx context.Context) error { return te.v.d.svc.EditTemplate(ctx, te.v.sess, t) }, func() {
		te.bodies[t.Key] = strings.TrimSpace(t.Body)
		te.note.SetText("✓ " + lang.L("Saved."))
	})
}

// ---- Calendar ----

func scopeName(s string) string {
	switch s {
	case "national":
		return lang.L("National")
	case "regional":
		return lang.L("Regional")
	case "local":
		return lang.L("Local")
	}
	return s
}

func (v *settingsView) holidaysPanel() fyne.CanvasObject {
	list := container.NewVBox()
	year := widget.NewSelect(nil, nil)
	var all []app.Holiday
	var reload func()
	show := func() {
		list.Objects = nil
		for _, h := range all {
			h := h
			if !strings.HasPrefix(h.Day, year.Selected) {
				continue
			}
			date := h.Day
			if t, err := time.Parse(time.DateOnly, h.Day); err == nil {
				date = t.Format("02/01/2006")
			}
			c := colGrey
			switch h.Scope {
			case "national":
				c = colBlue
			case "regional":
				c = colTeal
			case "local":
				c = colPurple
			}
			del := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() {
				dialog.ShowConfirm(lang.L("Delete holiday"), lang.X("Delete {{.Name}} ({{.Day}})?", "Delete {{.Name}} ({{.Day}})?", map[string]any{"Name": h.Name, "Day": date}),
					func(ok bool) {
						if ok {
							v.submit(newFieldErrors(), func(ctx context.Context) error { return v.d.svc.DeleteHoliday(ctx, v.sess, h.Day, h.Scope) }, reload)
						}
					}, v.d.win)
			})
			list.Add(container.NewBorder(nil, nil, container.NewHBox(bold(date), container.NewCenter(newBadge(scopeName(h.Scope), c))), del, widget.NewLabel(h.Name)))
		}
		if len(list.Objects) == 0 {
			list.Add(muted(lang.L("No holidays this year.")))
		}
		list.Refresh()
	}
	reload = func() {
		v.d.background(func(ctx context.Context) func() {
			hs, err := v.d.svc.Holidays(ctx, v.sess)
			return func() {
				if err != nil {
					v.d.showError(err)
					return
				}
				all = hs
				years := []string{strconv.Itoa(time.Now().Year())}
				for _, h := range hs {
					if y := h.Day[:min(4, len(h.Day))]; !slices.Contains(years, y) {
						years = append(years, y)
					}
				}
				slices.Sort(years)
				year.Options = years
				if year.Selected == "" {
					year.Selected = strconv.Itoa(time.Now().Year())
				}
				year.Refresh()
				show()
			}
		})
	}
	year.OnChanged = func(string) { reload() }
	reload()

	day := widget.NewEntry()
	day.SetPlaceHolder(lang.L("YYYY-MM-DD"))
	name := widget.NewEntry()
	scopes := []string{"local", "regional", "national"}
	scope := widget.NewSelect([]string{scopeName("local"), scopeName("regional"), scopeName("national")}, nil)
	scope.SetSelectedIndex(0)
	fe := newFieldErrors()
	form := widget.NewForm(
		fe.item("day", lang.L("Date"), day, lang.L("for example 2026-09-08")),
		fe.item("name", lang.L("Name"), name, ""),
		fe.item("scope", lang.L("Scope"), scope, ""),
	)
	add := &widget.Button{Text: lang.L("Add holiday"), Icon: theme.ContentAddIcon(), Importance: widget.HighImportance}
	add.OnTapped = func() {
		h := app.Holiday{Day: day.Text, Name: name.Text, Scope: scopes[max(scope.SelectedIndex(), 0)]}
		v.submit(fe, func(ctx context.Context) error { return v.d.svc.AddHoliday(ctx, v.sess, h) }, func() {
			day.SetText("")
			name.SetText("")
			if len(h.Day) >= 4 {
				year.Selected = h.Day[:4]
			}
			reload()
		})
	}
	return container.NewVBox(
		widget.NewCard(lang.L("Holidays"), lang.L("non-working days: deadlines in working days skip them and weekends"),
			container.NewVBox(container.NewHBox(widget.NewLabel(lang.L("Year")), year), list)),
		widget.NewCard(lang.L("Add holiday"), "", container.NewVBox(form, container.NewHBox(add))),
	)
}

// ---- Procedure catalogue ----

func deadlineText(p app.ProcedureType) string {
	switch {
	case p.DeadlineValue == 0:
		return lang.L("general deadline")
	case p.DeadlineUnit == "months":
		return lang.X("{{.N}} months", "{{.N}} months", map[string]any{"N": p.DeadlineValue})
	}
	return lang.X("{{.N}} working days", "{{.N}} working days", map[string]any{"N": p.DeadlineValue})
}

func (v *settingsView) proceduresPanel() fyne.CanvasObject {
	list := container.NewVBox()
	v.reloadProcedures = func() {
		list.Objects = nil
		for _, p := range v.procs {
			p := p
			meta := p.Code + " · " + deadlineText(p)
			if n := v.departmentName(p.DepartmentID); n != "" {
				meta += " · " + n
			}
			kw := muted(lang.L("Keywords:") + " " + strings.Join(p.Keywords, ", "))
			kw.Wrapping = fyne.TextWrapWord
			edit := widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), func() { v.editProcedure(p) })
			list.Add(container.NewBorder(nil, nil, nil, edit, container.NewVBox(
				container.NewHBox(bold(p.NameES), muted(p.NameEN)), muted(meta), kw)))
			list.Add(widget.NewSeparator())
		}
		list.Refresh()
	}
	add := widget.NewButtonWithIcon(lang.L("New procedure"), theme.ContentAddIcon(), func() { v.editProcedure(app.ProcedureType{DeadlineUnit: "working_days"}) })
	return widget.NewCard(lang.L("Procedure catalogue"), lang.L("what residents can ask for, the words they use, who handles it and the deadline"),
		container.NewVBox(list, container.NewHBox(add)))
}

func (v *settingsView) editProcedure(p app.ProcedureType) {
	v.d.touch()
	code := widget.NewEntry()
	code.SetText(p.Code)
	code.SetPlaceHolder("licencia-vado")
	nameES := widget.NewEntry()
	nameES.SetText(p.NameES)
	nameEN := widget.NewEntry()
	nameEN.SetText(p.NameEN)
	keywords := widget.NewMultiLineEntry()
	keywords.Wrapping = fyne.TextWrapWord
	keywords.SetMinRowsVisible(3)
	keywords.SetText(strings.Join(p.Keywords, ", "))
	dept := newDepartmentChoice(v.depts, p.DepartmentID)
	value := widget.NewEntry()
	value.SetText(strconv.Itoa(p.DeadlineValue))
	units := []string{"working_days", "months"}
	unit := widget.NewSelect([]string{lang.L("working days"), lang.L("months")}, nil)
	unit.SetSelectedIndex(max(slices.Index(units, p.DeadlineUnit), 0))
	fe := newFieldErrors()
	deadline := container.NewGridWithColumns(2, fe.line("deadline_value", value), fe.line("deadline_unit", unit))
	form := widget.NewForm(
		fe.item("code", lang.L("Code"), code, lang.L("lower case and hyphens; residents may write it as a hashtag")),
		fe.item("name_es", lang.L("Name in Spanish"), nameES, ""),
		fe.item("name_en", lang.L("Name in English"), nameEN, ""),
		fe.item("keywords", lang.L("Keywords"), keywords, lang.L("separated by commas")),
		fe.item("department", lang.L("Department"), dept, ""),
		&widget.FormItem{Text: lang.L("Deadline"), Widget: deadline, HintText: lang.L("0: the general rule (three months)")},
	)
	title := lang.L("Edit procedure")
	if p.ID == "" {
		title = lang.L("New procedure")
	}
	v.editorDialog(title, form, func(close func()) {
		p.Code, p.NameES, p.NameEN, p.Keywords = code.Text, nameES.Text, nameEN.Text, splitComma(keywords.Text)
		p.DepartmentID, p.DeadlineUnit = dept.id(), units[max(unit.SelectedIndex(), 0)]
		n, err := strconv.Atoi(strings.TrimSpace(value.Text))
		if err != nil {
			n = -1 // refused beside the field
		}
		p.DeadlineValue = n
		v.submit(fe, func(ctx context.Context) error {
			_, err := v.d.svc.SaveProcedure(ctx, v.sess, p)
			return err
		}, func() {
			close()
			v.loadChoices()
		})
	})
}
