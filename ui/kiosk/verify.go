package kiosk

import (
	"bytes"
	"context"
	"errors"
	"image/png"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"
	qrcode "github.com/skip2/go-qrcode"

	"ventanilla/app"
	appkiosk "ventanilla/app/kiosk"
	"ventanilla/app/training"
	"ventanilla/app/verify"
)

func (k *Kiosk) verifyScreen() fyne.CanvasObject {
	k.verifyEntry = widget.NewEntry()
	k.verifyEntry.SetPlaceHolder(k.t("kiosk.verify.placeholder"))
	k.verifyEntry.OnChanged = func(string) { k.touch() }
	k.verifyResult = container.NewVBox()
	do := func() { k.touch(); k.startVerification(k.verifyEntry.Text) }
	k.verifyEntry.OnSubmitted = func(string) { do() }
	goB := widget.NewButtonWithIcon(k.t("kiosk.verify.go"), theme.ConfirmIcon(), do)
	goB.Importance = widget.HighImportance
	kb := k.keyboard(k.verifyEntry, []string{"1234567890", "qwertyuiop", "asdfghjkl_", "zxcvbnm@"}, do)
	form := container.NewVBox(k.para(k.t("kiosk.verify.help")), container.NewBorder(nil, nil, nil, goB, k.verifyEntry), kb,
		k.verifyResult, k.notice(k.t("kiosk.verify.staff"), cardColor))
	return k.frame(k.t("kiosk.verify"), container.NewVScroll(form))
}

func (k *Kiosk) startVerification(handle string) {
	v, err := k.svc.StartVerification(k.ctx, trimHandle(handle))
	var we *appkiosk.WaitError
	switch {
	case err == nil:
	case errors.As(err, &we):
		k.result(k.verifyResult, k.notice(k.t("kiosk.verify.wait", "Time", we.Until.In(app.Madrid).Format("15:04")), warnColor))
		return
	case errors.Is(err, appkiosk.ErrUnavailable), errors.Is(err, verify.ErrOffline):
		k.result(k.verifyResult, k.notice(k.t("kiosk.verify.unavailable"), warnColor))
		return
	case app.IsInvalid(err):
		k.result(k.verifyResult, k.notice(k.t("kiosk.verify.bad"), warnColor))
		return
	default:
		k.result(k.verifyResult, k.notice(k.t("kiosk.verify.unknown"), warnColor))
		return
	}
	code := canvas.NewText(v.Code, theme.Color(theme.ColorNameForeground))
	code.TextSize = theme.TextHeadingSize() * 2.2
	code.TextStyle = fyne.TextStyle{Bold: true, Monospace: true}
	code.Alignment = fyne.TextAlignCenter
	owner := v.OwnerHandle
	if owner == "" {
		owner = "ayuntamiento"
	}
	status := k.notice(k.t("kiosk.verify.waiting"), warnColor)
	statusBox := container.NewStack(status)
	objs := []fyne.CanvasObject{
		widget.NewLabelWithStyle(k.t("kiosk.verify.code"), fyne.TextAlignCenter, fyne.TextStyle{}),
		code,
		k.para(k.t("kiosk.verify.send", "Owner", owner, "Handle", v.Handle)),
		k.para(k.t("kiosk.verify.expires", "Time", v.ExpiresAt.In(app.Madrid).Format("15:04"))),
	}
	if v.DMLink != "" {
		if img := qrImage(v.DMLink); img != nil {
			objs = append(objs, k.para(k.t("kiosk.verify.qr")), container.NewCenter(img))
		}
	}
	objs = append(objs, statusBox)
	k.result(k.verifyResult, objs...)
	k.pollVerification(v, statusBox)
}

// pollVerification checks every Poll whether the code arrived, and turns the status green
// when it did. It stops when the code expires, the screen changes or the kiosk resets.
func (k *Kiosk) pollVerification(v appkiosk.VerificationStart, statusBox *fyne.Container) {
	k.stopPoll()
	ctx, cancel := context.WithCancel(k.ctx)
	k.mu.Lock()
	k.pollStop = cancel
	k.mu.Unlock()
	go func() {
		defer cancel()
		t := time.NewTicker(k.opts.Poll)
		defer t.Stop()
		for {
			select {
			case <-ctx.Done():
				return
			case <-t.C:
			}
			if k.opts.Clock().After(v.ExpiresAt) {
				return
			}
			done, err := k.svc.VerificationDone(ctx, v.Handle, v.Code)
			if err != nil || !done {
				continue
			}
			fyne.Do(func() {
				if ctx.Err() != nil {
					return
				}
				k.touch()
				statusBox.Objects = []fyne.CanvasObject{k.notice(k.t("kiosk.verify.done"), okColor)}
				statusBox.Refresh()
			})
			return
		}
	}()
}

func qrImage(link string) fyne.CanvasObject {
	q, err := qrcode.New(link, qrcode.Medium)
	if err != nil {
		fyne.LogError("kiosk QR code", err)
		return nil
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, q.Image(512)); err != nil {
		return nil
	}
	img := canvas.NewImageFromResource(fyne.NewStaticResource("dm-qr.png", buf.Bytes()))
	img.FillMode = canvas.ImageFillContain
	img.ScaleMode = canvas.ImageScalePixels
	img.SetMinSize(fyne.NewSize(320, 320))
	return img
}

func (k *Kiosk) learnScreen() fyne.CanvasObject {
	box := container.NewVBox(k.para(k.t("kiosk.learn.help")))
	for _, l := range training.Lessons {
		h := widget.NewLabel(itoa(l.Number) + ". " + k.t(l.TitleKey))
		h.TextStyle.Bold = true
		h.Wrapping = fyne.TextWrapWord
		steps := container.NewVBox(k.para(k.t(l.AimKey)))
		for i, st := range l.Steps {
			line := k.para(itoa(i+1) + ") " + k.t(st.Key))
			steps.Add(line)
			if st.Example != "" {
				ex := widget.NewLabel(k.t(st.Example))
				ex.TextStyle.Monospace = true
				ex.Wrapping = fyne.TextWrapWord
				steps.Add(ex)
			}
		}
		box.Add(widget.NewAccordion(widget.NewAccordionItem(h.Text, steps)))
	}
	return k.frame(k.t("kiosk.learn"), container.NewVScroll(box))
}

// askExit asks for the staff PIN (or, while none is set, an administrator's password). The
// dialog has its own keypad; a wrong PIN keeps the kiosk as it was.
func (k *Kiosk) askExit() {
	k.touch()
	if k.pinDialog != nil {
		return
	}
	hasPIN, _ := k.svc.HasExitPIN(k.ctx)
	prompt := k.t("kiosk.exit.pin")
	if !hasPIN {
		prompt = k.t("kiosk.exit.nopin")
	}
	k.pinEntry = widget.NewPasswordEntry()
	k.pinEntry.OnChanged = func(string) { k.touch() }
	k.pinMessage = widget.NewLabel("")
	k.pinMessage.Importance = widget.DangerImportance
	var pop *widget.PopUp
	submit := func() { k.touch(); k.submitExit(k.pinEntry.Text) }
	k.pinEntry.OnSubmitted = func(string) { submit() }
	cancel := widget.NewButton(k.t("kiosk.exit.cancel"), func() { k.touch(); pop.Hide(); k.pinDialog = nil; k.pinEntry.SetText("") })
	ok := widget.NewButton(k.t("kiosk.exit.ok"), submit)
	ok.Importance = widget.HighImportance
	pad := k.keyboard(k.pinEntry, []string{"123", "456", "789", "0"}, submit)
	content := container.NewVBox(k.heading(k.t("kiosk.exit.title")), widget.NewLabel(prompt), k.pinEntry, pad, k.pinMessage,
		container.NewGridWithColumns(2, cancel, ok))
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameBackground))
	pop = widget.NewModalPopUp(container.NewStack(bg, container.NewPadded(content)), k.win.Canvas())
	k.pinDialog = pop
	pop.Show()
}

// ExitRequested reports whether the PIN dialog is open.
func (k *Kiosk) ExitRequested() bool { return k.pinDialog != nil }

func (k *Kiosk) submitExit(secret string) {
	err := k.svc.CheckExit(k.ctx, secret)
	var we *appkiosk.WaitError
	switch {
	case err == nil:
		if k.pinDialog != nil {
			k.pinDialog.Hide()
			k.pinDialog = nil
		}
		k.exited = true
		if k.opts.OnExit != nil {
			k.opts.OnExit()
		} else {
			k.app.Quit()
		}
		return
	case errors.As(err, &we):
		k.pinMessage.SetText(k.t("kiosk.exit.wait", "Time", we.Until.In(app.Madrid).Format("15:04:05")))
	case errors.Is(err, appkiosk.ErrNoExitSecret):
		k.pinMessage.SetText(k.t("kiosk.exit.none"))
	default:
		k.pinMessage.SetText(k.t("kiosk.exit.wrong"))
	}
	k.pinEntry.SetText("")
}

// Exited reports whether staff left kiosk mode with the right PIN.
func (k *Kiosk) Exited() bool { return k.exited }
