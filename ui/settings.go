package ui

import (
	"context"
	"fmt"
	"path/filepath"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"ventanilla/app"
	"ventanilla/app/desk"
)

// settingsView is the administrator's tab, in sections listed on the left: general settings,
// official accounts and network credentials, intake rules, templates, the holiday calendar,
// the procedure catalogue, staff accounts, and backup with the audit check. Every change goes
// through the desk service, which checks the permission, validates and audits it; a refused
// value is shown beside its field.
type settingsView struct {
	d       *Desk
	sess    *desk.Session
	content fyne.CanvasObject
	tabs    *container.AppTabs
	staff   *fyne.Container
	audit   *widget.Label

	// Departments and procedures for the editors' choices, loaded once and after changes.
	depts []app.Department
	procs []app.ProcedureType

	reloadAccounts, reloadRules, reloadProcedures func()
}

func newSettingsView(d *Desk, sess *desk.Session) *settingsView {
	v := &settingsView{d: d, sess: sess, staff: container.NewVBox(), audit: widget.NewLabel("")}
	v.audit.Wrapping = fyne.TextWrapWord
	scroll := func(o fyne.CanvasObject) fyne.CanvasObject { return container.NewVScroll(container.NewPadded(o)) }
	v.tabs = container.NewAppTabs(
		container.NewTabItem(lang.L("General"), scroll(v.generalPanel())),
		container.NewTabItem(lang.L("Accounts and credentials"), scroll(v.accountsPanel())),
		container.NewTabItem(lang.L("Classification rules"), scroll(v.rulesPanel())),
		container.NewTabItem(lang.L("Templates"), v.templatesPanel()),
		container.NewTabItem(lang.L("Calendar"), scroll(v.holidaysPanel())),
		container.NewTabItem(lang.L("Procedures"), scroll(v.proceduresPanel())),
		container.NewTabItem(lang.L("Staff"), scroll(v.staffPanel())),
		container.NewTabItem(lang.L("Backup"), scroll(v.backupPanel())),
	)
	v.tabs.SetTabLocation(container.TabLocationLeading)
	v.tabs.OnSelected = func(*container.TabItem) { d.touch() }
	v.content = v.tabs
	v.loadChoices()
	v.loadStaff()
	return v
}

// loadChoices loads the departments and procedures the editors offer, then redraws the lists
// that name them.
func (v *settingsView) loadChoices() {
	v.d.background(func(ctx context.Context) func() {
		depts, err := v.d.svc.Departments(ctx, v.sess)
		var procs []app.ProcedureType
		if err == nil {
			procs, err = v.d.svc.Procedures(ctx, v.sess)
		}
		return func() {
			if err != nil {
				v.d.showError(err)
				return
			}
			v.depts, v.procs = depts, procs
			for _, f := range []func(){v.reloadAccounts, v.reloadRules, v.reloadProcedures} {
				if f != nil {
					f()
				}
			}
		}
	})
}

func (v *settingsView) staffPanel() fyne.CanvasObject {
	addStaff := widget.NewButtonWithIcon(lang.L("New staff account"), theme.ContentAddIcon(), v.newStaff)
	addDept := widget.NewButtonWithIcon(lang.L("New department"), theme.ContentAddIcon(), v.newDepartment)
	return container.NewVBox(
		widget.NewCard(lang.L("Staff accounts"), lang.L("who can sign in, and with which role"), container.NewVBox(v.staff, container.NewHBox(addStaff))),
		widget.NewCard(lang.L("Departments"), "", addDept),
	)
}

func (v *settingsView) backupPanel() fyne.CanvasObject {
	backup := &widget.Button{Text: lang.L("Back up now"), Icon: theme.DocumentSaveIcon(), Importance: widget.HighImportance, OnTapped: v.backup}
	if v.d.opts.Backup == nil {
		backup.Disable()
	}
	check := widget.NewButtonWithIcon(lang.L("Check the audit log"), theme.ConfirmIcon(), v.checkAudit)
	note := muted(lang.L("The copy is saved in the data directory (see General). Copy it to a safe place. It does not carry the network credentials: after restoring it, enter them again under Accounts and credentials."))
	note.Wrapping = fyne.TextWrapWord
	return container.NewVBox(
		widget.NewCard(lang.L("Backup"), lang.L("a consistent copy of the database, while the desk runs"),
			container.NewVBox(note, container.NewHBox(backup))),
		widget.NewCard(lang.L("Audit log"), lang.L("every staff action, hash-chained"), container.NewVBox(container.NewHBox(check), v.audit)),
	)
}

func (v *settingsView) loadStaff() {
	v.d.background(func(ctx context.Context) func() {
		staff, err := v.d.svc.ListStaff(ctx, v.sess)
		return func() {
			if err != nil {
				v.d.showError(err)
				return
			}
			var rows []fyne.CanvasObject
			for _, s := range staff {
				s := s
				state := newBadge(lang.L("Active"), colGreen)
				if !s.Active {
					state.set(lang.L("Inactive"), colGrey)
				}
				toggle := widget.NewButton(lang.L("Deactivate"), nil)
				if !s.Active {
					toggle.SetText(lang.L("Activate"))
				}
				toggle.OnTapped = func() {
					v.d.touch()
					c := desk.StaffChange{ID: s.ID, FullName: s.FullName, Role: s.Role, DepartmentID: s.DepartmentID, Active: !s.Active}
					v.d.background(func(ctx context.Context) func() {
						err := v.d.svc.UpdateStaff(ctx, v.sess, c)
						return func() {
							if err != nil {
								v.d.showError(err)
							}
							v.loadStaff()
						}
					})
				}
				if s.ID == v.sess.Staff().ID {
					toggle.Disable()
				}
				rows = append(rows, container.NewBorder(nil, nil,
					container.NewHBox(bold(s.FullName), muted(s.Username+" · "+roleName(s.Role))),
					container.NewHBox(container.NewCenter(state), toggle)))
			}
			v.staff.Objects = rows
			v.staff.Refresh()
		}
	})
}

func (v *settingsView) newStaff() {
	v.d.touch()
	user := widget.NewEntry()
	name := widget.NewEntry()
	pass := widget.NewPasswordEntry()
	roles := map[string]app.Role{}
	var opts []string
	for _, r := range desk.Roles {
		roles[roleName(r)] = r
		opts = append(opts, roleName(r))
	}
	role := widget.NewSelect(opts, nil)
	role.SetSelectedIndex(0)
	dialog.ShowForm(lang.L("New staff account"), lang.L("Create"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("Username"), user),
		widget.NewFormItem(lang.L("Full name"), name),
		widget.NewFormItem(lang.L("Role"), role),
		&widget.FormItem{Text: lang.L("Password"), Widget: pass, HintText: lang.L("at least 8 characters; they change it later")},
	}, func(ok bool) {
		if !ok {
			return
		}
		n := desk.NewStaff{Username: user.Text, FullName: name.Text, Role: roles[role.Selected], Password: pass.Text}
		v.d.background(func(ctx context.Context) func() {
			_, err := v.d.svc.CreateStaff(ctx, v.sess, n)
			return func() {
				if err != nil {
					v.d.showError(err)
				}
				v.loadStaff()
			}
		})
	}, v.d.win)
}

func (v *settingsView) newDepartment() {
	code := widget.NewEntry()
	name := widget.NewEntry()
	dialog.ShowForm(lang.L("New department"), lang.L("Create"), lang.L("Cancel"), []*widget.FormItem{
		widget.NewFormItem(lang.L("Code"), code), widget.NewFormItem(lang.L("Name"), name),
	}, func(ok bool) {
		if !ok {
			return
		}
		c, n := code.Text, name.Text
		v.d.background(func(ctx context.Context) func() {
			_, err := v.d.svc.AddDepartment(ctx, v.sess, c, n)
			return func() {
				v.d.showError(err)
				v.loadChoices()
			}
		})
	}, v.d.win)
}

func (v *settingsView) backup() {
	v.d.touch()
	dir := v.d.opts.DataDir
	if dir == "" {
		dir = "."
	}
	path := filepath.Join(dir, "backup-"+time.Now().Format("20060102-150405")+".db")
	v.d.background(func(ctx context.Context) func() {
		err := v.d.svc.Backup(ctx, v.sess, path, v.d.opts.Backup)
		return func() {
			if err != nil {
				v.d.showError(err)
				return
			}
			dialog.ShowInformation(lang.L("Backup"), lang.X("Backup saved to {{.Path}}. Copy it to a safe place.", "Backup saved to {{.Path}}. Copy it to a safe place.", map[string]any{"Path": path}), v.d.win)
		}
	})
}

func (v *settingsView) checkAudit() {
	v.d.background(func(ctx context.Context) func() {
		entries, chainErr, err := v.d.svc.AuditLog(ctx, v.sess)
		return func() {
			if err != nil {
				v.d.showError(err)
				return
			}
			if chainErr != nil {
				v.audit.Importance = widget.DangerImportance
				v.audit.SetText(chainErr.Error())
				return
			}
			v.audit.Importance = widget.SuccessImportance
			v.audit.SetText("✓ " + lang.X("{{.N}} entries, chain intact.", "{{.N}} entries, chain intact.", map[string]any{"N": fmt.Sprint(len(entries))}))
		}
	})
}
