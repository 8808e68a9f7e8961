package ui

import (
	"context"
	"errors"
	"strconv"
	"strings"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"ventanilla/app"
	"ventanilla/app/desk"
)

// fieldErrors shows a service's validation error (an *app.InvalidError naming a field) on a
// line under that field, in the staff member's language.
type fieldErrors struct {
	labels map[string]*widget.Label
}

func newFieldErrors() *fieldErrors { return &fieldErrors{labels: map[string]*widget.Label{}} }

// line returns w with the (hidden) error line of field under it.
func (fe *fieldErrors) line(field string, w fyne.CanvasObject) fyne.CanvasObject {
	l := widget.NewLabel("")
	l.Importance = widget.DangerImportance
	l.Wrapping = fyne.TextWrapWord
	l.Hide()
	fe.labels[field] = l
	return container.NewVBox(w, l)
}

// item is a form row for field.
func (fe *fieldErrors) item(field, label string, w fyne.CanvasObject, hint string) *widget.FormItem {
	return &widget.FormItem{Text: label, Widget: fe.line(field, w), HintText: hint}
}

func (fe *fieldErrors) clear() {
	for _, l := range fe.labels {
		l.SetText("")
		l.Hide()
	}
}

// show puts err beside its field and reports whether it could.
func (fe *fieldErrors) show(err error) bool {
	var ie *app.InvalidError
	if !errors.As(err, &ie) {
		return false
	}
	l, ok := fe.labels[ie.Field]
	if !ok {
		return false
	}
	l.SetText(lang.L(ie.Message))
	l.Show()
	return true
}

// submit runs work off the UI thread; a validation error goes beside its field, any other
// error to the error dialog, and done runs on success.
func (v *settingsView) submit(fe *fieldErrors, work func(ctx context.Context) error, done func()) {
	v.d.touch()
	fe.clear()
	v.d.background(func(ctx context.Context) func() {
		err := work(ctx)
		return func() {
			if err != nil {
				if !fe.show(err) {
					v.d.showError(err)
				}
				return
			}
			if done != nil {
				done()
			}
		}
	})
}

// editorDialog shows a form in a dialog that stays open while its fields are refused.
func (v *settingsView) editorDialog(title string, form fyne.CanvasObject, save func(close func())) {
	var dlg dialog.Dialog
	saveBtn := &widget.Button{Text: lang.L("Save"), Icon: theme.ConfirmIcon(), Importance: widget.HighImportance}
	cancel := widget.NewButtonWithIcon(lang.L("Cancel"), theme.CancelIcon(), func() { dlg.Hide() })
	saveBtn.OnTapped = func() { save(dlg.Hide) }
	body := container.NewBorder(nil, container.NewHBox(spacer(), cancel, saveBtn), nil, nil, container.NewVScroll(form))
	dlg = dialog.NewCustomWithoutButtons(title, body, v.d.win)
	dlg.Resize(fyne.NewSize(620, 560))
	dlg.Show()
}

// savedNote is a label that confirms a save.
func savedNote() *widget.Label {
	l := widget.NewLabel("")
	l.Importance = widget.SuccessImportance
	return l
}

func splitComma(s string) []string {
	var out []string
	for _, p := range strings.FieldsFunc(s, func(r rune) bool { return r == ',' || r == '\n' }) {
		if p = strings.TrimSpace(p); p != "" {
			out = append(out, p)
		}
	}
	return out
}

// departmentChoice is a select of the departments, with "none" first.
type departmentChoice struct {
	*widget.Select
	ids []string
}

func newDepartmentChoice(depts []app.Department, selectedID string) *departmentChoice {
	dc := &departmentChoice{ids: []string{""}}
	opts := []string{lang.L("None")}
	for _, d := range depts {
		opts = append(opts, d.Name)
		dc.ids = append(dc.ids, d.ID)
	}
	dc.Select = widget.NewSelect(opts, nil)
	dc.SetSelectedIndex(0)
	for i, id := range dc.ids {
		if id == selectedID {
			dc.SetSelectedIndex(i)
		}
	}
	return dc
}

func (dc *departmentChoice) id() string {
	if i := dc.SelectedIndex(); i >= 0 {
		return dc.ids[i]
	}
	return ""
}

func (v *settingsView) departmentName(id string) string {
	for _, d := range v.depts {
		if d.ID == id {
			return d.Name
		}
	}
	return ""
}

func (v *settingsView) departmentCode(id string) string {
	for _, d := range v.depts {
		if d.ID == id {
			return d.Code
		}
	}
	return ""
}

// ---- General ----

func (v *settingsView) generalPanel() fyne.CanvasObject {
	name := widget.NewEntry()
	name.SetPlaceHolder("Ayuntamiento de Jun")
	interval := widget.NewEntry()
	languages := []string{lang.L("Follow the system"), "Español", "English"}
	codes := []string{"", "es", "en"}
	language := widget.NewSelect(languages, nil)
	language.SetSelectedIndex(0)
	fe := newFieldErrors()
	form := widget.NewForm(
		fe.item("municipality_name", lang.L("Municipality"), name, lang.L("the town hall's name as residents know it")),
		fe.item("sync_interval", lang.L("Sync every (minutes)"), interval, lang.L("from 1 to 60; used from the next start")),
		fe.item("language", lang.L("Interface language"), language, lang.L("used from the next start")),
	)
	note := savedNote()
	save := &widget.Button{Text: lang.L("Save"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance}
	save.OnTapped = func() {
		note.SetText("")
		minutes, err := strconv.Atoi(strings.TrimSpace(interval.Text))
		if err != nil {
			minutes = -1 // refused by the service, beside the field
		}
		g := desk.GeneralSettings{MunicipalityName: name.Text, SyncIntervalMinutes: minutes, Language: codes[max(language.SelectedIndex(), 0)]}
		v.submit(fe, func(ctx context.Context) error { return v.d.svc.SaveGeneral(ctx, v.sess, g) },
			func() {
				note.SetText("✓ " + lang.L("Saved."))
				v.d.showMunicipality()
			})
	}
	dir := v.d.opts.DataDir
	if dir == "" {
		dir = lang.L("(not known in this mode)")
	}
	dirLabel := widget.NewLabel(dir)
	dirLabel.Wrapping = fyne.TextWrapBreak
	dirLabel.TextStyle.Monospace = true
	v.d.background(func(ctx context.Context) func() {
		g, err := v.d.svc.General(ctx, v.sess)
		return func() {
			if err != nil {
				v.d.showError(err)
				return
			}
			name.SetText(g.MunicipalityName)
			interval.SetText(strconv.Itoa(g.SyncIntervalMinutes))
			for i, c := range codes {
				if c == g.Language {
					language.SetSelectedIndex(i)
				}
			}
		}
	})
	return container.NewVBox(
		widget.NewCard(lang.L("General"), lang.L("the town hall, how often to sync, the language"), container.NewVBox(form, container.NewHBox(save, note))),
		widget.NewCard(lang.L("Data directory"), lang.L("where the database and its backups are; read-only here"),
			container.NewVBox(dirLabel, muted(lang.L("To use another directory, start Ventanilla with --data DIR or set VENTANILLA_DATA.")))),
	)
}

// ---- Official accounts and credentials ----

func (v *settingsView) accountsPanel() fyne.CanvasObject {
	list := container.NewVBox()
	v.reloadAccounts = func() {
		v.d.background(func(ctx context.Context) func() {
			accs, err := v.d.svc.OfficialAccounts(ctx, v.sess)
			return func() {
				if err != nil {
					v.d.showError(err)
					return
				}
				list.Objects = nil
				for _, e := range accs {
					e := e
					title := container.NewHBox(bold(e.Name), muted("@"+e.Handle))
					if v.departmentCode(e.DepartmentID) == "policia" {
						title.Add(container.NewCenter(newBadge(lang.L("Police account"), colBlue)))
					}
					meta := directoryKind(e.Kind)
					if e.DepartmentName != "" {
						meta += " · " + e.DepartmentName
					}
					if e.UserID != "" {
						meta += " · " + lang.L("user id") + " " + e.UserID
					}
					edit := widget.NewButtonWithIcon("", theme.DocumentCreateIcon(), func() { v.editAccount(e) })
					remove := widget.NewButtonWithIcon("", theme.DeleteIcon(), func() { v.removeAccount(e) })
					list.Add(container.NewBorder(nil, nil, nil, container.NewHBox(edit, remove), container.NewVBox(title, muted(meta))))
				}
				if len(accs) == 0 {
					list.Add(muted(lang.L("No official account yet: add the town hall's own account and the local police's.")))
				}
				list.Refresh()
			}
		})
	}
	v.reloadAccounts()
	add := widget.NewButtonWithIcon(lang.L("Add official account"), theme.ContentAddIcon(), func() { v.editAccount(desk.DirectoryEntry{Kind: "department"}) })
	accounts := widget.NewCard(lang.L("Official accounts"), lang.L("the town hall's own accounts: the main one and the local police's"),
		container.NewVBox(list, container.NewHBox(add)))
	return container.NewVBox(accounts, v.credentialsCard())
}

func (v *settingsView) editAccount(e desk.DirectoryEntry) {
	v.d.touch()
	name := widget.NewEntry()
	name.SetText(e.Name)
	handle := widget.NewEntry()
	handle.SetText(e.Handle)
	handle.SetPlaceHolder("@AytoJun")
	userID := widget.NewEntry()
	userID.SetText(e.UserID)
	dept := newDepartmentChoice(v.depts, e.DepartmentID)
	fe := newFieldErrors()
	form := widget.NewForm(
		fe.item("name", lang.L("Name"), name, ""),
		fe.item("handle", lang.L("Handle"), handle, lang.L("without spaces, up to 15 characters")),
		fe.item("user_id", lang.L("User id"), userID, lang.L("optional: the network's permanent number for the account")),
		fe.item("department", lang.L("Department"), dept, lang.L("Policía Local makes it the police account, to which mentions are routed")),
	)
	title := lang.L("Edit official account")
	if e.ID == "" {
		title = lang.L("Add official account")
	}
	v.editorDialog(title, form, func(close func()) {
		e.Name, e.Handle, e.UserID, e.DepartmentID = name.Text, handle.Text, userID.Text, dept.id()
		v.submit(fe, func(ctx context.Context) error {
			_, err := v.d.svc.SaveOfficialAccount(ctx, v.sess, e)
			return err
		}, func() {
			close()
			v.reloadAccounts()
		})
	})
}

func (v *settingsView) removeAccount(e desk.DirectoryEntry) {
	v.d.touch()
	dialog.ShowConfirm(lang.L("Remove official account"),
		lang.X("Remove @{{.Handle}} from the official accounts?", "Remove @{{.Handle}} from the official accounts?", map[string]any{"Handle": e.Handle}),
		func(ok bool) {
			if !ok {
				return
			}
			v.submit(newFieldErrors(), func(ctx context.Context) error { return v.d.svc.RemoveOfficialAccount(ctx, v.sess, e.ID) }, v.reloadAccounts)
		}, v.d.win)
}

// secretText is what the desk shows of a stored secret.
func secretText(s desk.SecretState) string {
	switch {
	case !s.Set:
		return lang.L("not set")
	case s.Last4 != "":
		return "••••" + s.Last4 + " " + lang.L("(set)")
	}
	return "•••• " + lang.L("(set)")
}

func (v *settingsView) credentialsCard() fyne.CanvasObject {
	keys := []string{desk.SettingXBearerToken, desk.SettingXAPIKey, desk.SettingXAPIKeySecret, desk.SettingXAccessToken, desk.SettingXAccessSecret}
	labels := []string{lang.L("Bearer token"), lang.L("API key"), lang.L("API key secret"), lang.L("Access token"), lang.L("Access token secret")}
	entries := make([]*widget.Entry, len(keys))
	states := make([]*widget.Label, len(keys))
	fe := newFieldErrors()
	form := widget.NewForm()
	for i, k := range keys {
		entries[i] = widget.NewPasswordEntry()
		entries[i].SetPlaceHolder(lang.L("leave empty to keep it"))
		states[i] = muted("")
		hint := ""
		if i == 0 {
			hint = lang.L("OAuth 2.0 user context; or else the four OAuth 1.0a values below")
		}
		form.AppendItem(fe.item(k, labels[i], container.NewBorder(nil, nil, nil, states[i], entries[i]), hint))
	}
	baseURL := widget.NewEntry()
	baseURL.SetPlaceHolder("https://api.x.com")
	form.AppendItem(fe.item("base_url", lang.L("API address"), baseURL, lang.L("empty for X itself; another address only for a test server")))
	load := func() {
		v.d.background(func(ctx context.Context) func() {
			st, err := v.d.svc.CredentialsStatus(ctx, v.sess)
			return func() {
				if err != nil {
					v.d.showError(err)
					return
				}
				for i, s := range []desk.SecretState{st.BearerToken, st.APIKey, st.APIKeySecret, st.AccessToken, st.AccessTokenSecret} {
					states[i].SetText(secretText(s))
					entries[i].SetText("")
				}
				baseURL.SetText(st.BaseURL)
			}
		})
	}
	load()
	note := savedNote()
	save := &widget.Button{Text: lang.L("Save credentials"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance}
	save.OnTapped = func() {
		note.SetText("")
		var ch desk.CredentialsChange
		ch.BearerToken, ch.APIKey, ch.APIKeySecret = entries[0].Text, entries[1].Text, entries[2].Text
		ch.AccessToken, ch.AccessTokenSecret, ch.BaseURL = entries[3].Text, entries[4].Text, baseURL.Text
		v.submit(fe, func(ctx context.Context) error { return v.d.svc.SaveCredentials(ctx, v.sess, ch) }, func() {
			note.SetText("✓ " + lang.L("Saved. Used from the next start."))
			load()
		})
	}
	clear := widget.NewButtonWithIcon(lang.L("Remove all"), theme.DeleteIcon(), func() {
		dialog.ShowConfirm(lang.L("Remove the credentials"), lang.L("The desk will work offline from the next start. Remove them?"), func(ok bool) {
			if !ok {
				return
			}
			ch := desk.CredentialsChange{Clear: keys}
			ch.BaseURL = baseURL.Text
			v.submit(fe, func(ctx context.Context) error { return v.d.svc.SaveCredentials(ctx, v.sess, ch) }, load)
		}, v.d.win)
	})
	return widget.NewCard(lang.L("Network credentials (X)"), lang.L("kept in the database; never shown again, only their last four characters"),
		container.NewVBox(form, container.NewHBox(save, clear, note)))
}
