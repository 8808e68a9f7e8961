package ui

import (
	"context"
	"errors"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"ventanilla/app"
	"ventanilla/app/desk"
)

// explain turns an error into what happened and what to do, in the staff member's language.
func explain(err error) (what, todo string) {
	var le *desk.LockedOutError
	var ie *app.InvalidError
	var ce *desk.ConflictError
	switch {
	case errors.As(err, &le):
		return lang.L("Too many wrong passwords."), lang.X("Wait until {{.Time}} and try again, or ask the administrator.", "Wait until {{.Time}} and try again, or ask the administrator.", map[string]any{"Time": le.Until.Local().Format("15:04")})
	case errors.Is(err, desk.ErrBadCredentials):
		return lang.L("The username or the password is wrong."), lang.L("Check them (capital letters count) and try again.")
	case errors.Is(err, desk.ErrSessionEnded):
		return lang.L("Your session is locked or has ended."), lang.L("Type your password to continue.")
	case errors.Is(err, desk.ErrPersonalData):
		return lang.L("The public reply contains personal data."), lang.L("Remove it, send the answer as a direct message, or confirm that it may be public.")
	case errors.Is(err, app.ErrForbidden):
		return lang.L("Your role does not allow this."), lang.L("Ask a clerk or the administrator if you need it.")
	case errors.As(err, &ce):
		return conflictText(ce), lang.L("Read what is new and try again.")
	case errors.Is(err, app.ErrConflict):
		return lang.L("Someone else changed this at the same time, or it already exists."), lang.L("Reload and try again.")
	case errors.Is(err, app.ErrNotFound):
		return lang.L("It was not found."), lang.L("Check the number or the name and try again.")
	case errors.As(err, &ie):
		return ie.Message, lang.L("Correct it and try again.")
	case errors.Is(err, context.Canceled):
		return lang.L("The operation was cancelled."), ""
	}
	return err.Error(), lang.L("Try again. If it keeps happening, note the message and tell the administrator.")
}

func showErrorIn(w fyne.Window, err error) {
	what, todo := explain(err)
	body := widget.NewLabel(what)
	body.Wrapping = fyne.TextWrapWord
	hint := widget.NewLabel(todo)
	hint.Wrapping = fyne.TextWrapWord
	hint.Importance = widget.LowImportance
	content := container.NewVBox(body, hint)
	d := dialog.NewCustom(lang.L("Something went wrong"), lang.L("Close"), container.NewGridWrap(fyne.NewSize(420, 120), content), w)
	d.Show()
}
