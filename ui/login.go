package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"ventanilla/app"
	"ventanilla/app/desk"
	"ventanilla/assets"
)

func brand(subtitle string) fyne.CanvasObject {
	icon := canvas.NewImageFromResource(assets.Icon)
	icon.SetMinSize(fyne.NewSize(72, 72))
	icon.FillMode = canvas.ImageFillContain
	title := heading(lang.L("Ventanilla"))
	title.Alignment = fyne.TextAlignCenter
	sub := muted(subtitle)
	sub.Alignment = fyne.TextAlignCenter
	return container.NewVBox(container.NewCenter(icon), title, sub)
}

func card(o fyne.CanvasObject, width float32) fyne.CanvasObject {
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(width, o.MinSize().Height), o))
}

// firstRunScreen asks for the administrator's account on a database without staff.
func (d *Desk) firstRunScreen() fyne.CanvasObject {
	user := widget.NewEntry()
	user.SetPlaceHolder(lang.L("e.g. admin"))
	name := widget.NewEntry()
	pass := widget.NewPasswordEntry()
	pass2 := widget.NewPasswordEntry()
	msg := widget.NewLabel("")
	msg.Importance = widget.DangerImportance
	msg.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Username"), user),
		widget.NewFormItem(lang.L("Full name"), name),
		widget.NewFormItem(lang.L("Password"), pass),
		widget.NewFormItem(lang.L("Repeat password"), pass2),
	)
	form.SubmitText = lang.L("Create administrator")
	form.OnSubmit = func() {
		if pass.Text != pass2.Text {
			msg.SetText(lang.L("The two passwords are different."))
			return
		}
		n := desk.NewStaff{Username: user.Text, FullName: name.Text, Password: pass.Text}
		d.background(func(ctx context.Context) func() {
			sess, err := d.svc.CreateFirstAdmin(ctx, n)
			return func() {
				if err != nil {
					what, todo := explain(err)
					msg.SetText(what + " " + todo)
					return
				}
				d.signedIn(sess)
			}
		})
	}
	intro := widget.NewLabel(lang.L("This is the first time Ventanilla runs with this database. Create the administrator's account: it manages staff accounts and settings."))
	intro.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(brand(lang.L("First run")), intro, form, msg)
	return card(box, 460)
}

// signInScreen asks for a username and password.
func (d *Desk) signInScreen() fyne.CanvasObject {
	user := widget.NewEntry()
	pass := widget.NewPasswordEntry()
	msg := widget.NewLabel("")
	msg.Importance = widget.DangerImportance
	msg.Wrapping = fyne.TextWrapWord
	form := widget.NewForm(
		widget.NewFormItem(lang.L("Username"), user),
		widget.NewFormItem(lang.L("Password"), pass),
	)
	form.SubmitText = lang.L("Sign in")
	submit := func() {
		u, p := user.Text, pass.Text
		d.background(func(ctx context.Context) func() {
			sess, err := d.svc.SignIn(ctx, u, p)
			return func() {
				if err != nil {
					what, todo := explain(err)
					msg.SetText(what + " " + todo)
					pass.SetText("")
					return
				}
				d.signedIn(sess)
			}
		})
	}
	form.OnSubmit = submit
	pass.OnSubmitted = func(string) { submit() }
	user.OnSubmitted = func(string) { d.win.Canvas().Focus(pass) }
	box := container.NewVBox(brand(lang.L("Town hall desk")), form, msg)
	if d.opts.Demo {
		hint := widget.NewLabel(lang.X("Demo: sign in as {{.Admin}} (or {{.Clerk}}, {{.Police}}, {{.Councillor}}) with the password {{.Password}}.",
			"Demo: sign in as {{.Admin}} (or {{.Clerk}}, {{.Police}}, {{.Councillor}}) with the password {{.Password}}.",
			map[string]any{"Admin": desk.DemoStaff[app.RoleAdmin], "Clerk": desk.DemoStaff[app.RoleClerk], "Police": desk.DemoStaff[app.RolePolice],
				"Councillor": desk.DemoStaff[app.RoleCouncillor], "Password": desk.DemoPassword}))
		hint.Wrapping = fyne.TextWrapWord
		hint.Importance = widget.WarningImportance
		box.Add(hint)
	}
	d.focusNext = user
	return card(box, 400)
}

// lockScreen hides what was on screen until the password is typed again.
func (d *Desk) lockScreen(sess *desk.Session, behind fyne.CanvasObject) fyne.CanvasObject {
	pass := widget.NewPasswordEntry()
	msg := widget.NewLabel("")
	msg.Importance = widget.DangerImportance
	unlock := func() {
		p := pass.Text
		d.background(func(ctx context.Context) func() {
			err := d.svc.Unlock(ctx, sess, p)
			return func() {
				if err != nil {
					what, _ := explain(err)
					msg.SetText(what)
					pass.SetText("")
					return
				}
				d.touch()
				d.win.SetContent(behind)
			}
		})
	}
	pass.OnSubmitted = func(string) { unlock() }
	st := sess.Staff()
	info := widget.NewLabel(lang.X("Locked after inactivity. {{.Name}}, type your password to continue.", "Locked after inactivity. {{.Name}}, type your password to continue.", map[string]any{"Name": st.FullName}))
	info.Wrapping = fyne.TextWrapWord
	box := container.NewVBox(brand(lang.L("Desk locked")), info, pass,
		container.NewGridWithColumns(2,
			widget.NewButton(lang.L("Sign out"), d.signOut),
			&widget.Button{Text: lang.L("Unlock"), Importance: widget.HighImportance, OnTapped: unlock}),
		msg)
	d.focusNext = pass
	return card(box, 420)
}
