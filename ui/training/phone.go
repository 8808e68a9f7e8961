package training

import (
	"net/url"
	"ventanilla/app"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/dialog"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	apptraining "ventanilla/app/training"
)

// phone is the resident's side: a conversation with the town hall and a box to write in.
type phone struct {
	w        *Window
	who      *widget.Label
	messages *fyne.Container
	scroll   *container.Scroll
	entry    *widget.Entry
	post     *widget.Button
	dm       *widget.Button
	code     *widget.Button
	mention  *widget.Button
	example  *widget.Button
	codeNote *widget.Label
	exampleK string
	shown    int
}

func newPhone(w *Window) *phone {
	p := &phone{w: w}
	p.who = widget.NewLabelWithStyle("", fyne.TextAlignCenter, fyne.TextStyle{Bold: true})
	p.messages = container.NewVBox()
	p.scroll = container.NewVScroll(p.messages)
	p.entry = widget.NewMultiLineEntry()
	p.entry.Wrapping = fyne.TextWrapWord
	p.entry.SetPlaceHolder(t("training.phone.write"))
	p.entry.SetMinRowsVisible(3)
	p.post = widget.NewButtonWithIcon(t("training.phone.post"), theme.MailSendIcon(), func() { p.send(apptraining.ActionPost) })
	p.dm = widget.NewButtonWithIcon(t("training.phone.dm"), theme.MailComposeIcon(), func() { p.send(apptraining.ActionDM) })
	p.code = widget.NewButtonWithIcon(t("training.phone.code"), theme.ConfirmIcon(), p.requestCode)
	p.mention = widget.NewButton(t("training.phone.mention"), func() {
		p.setText("@ayuntamiento " + p.entry.Text)
	})
	p.example = widget.NewButton(t("training.phone.example"), func() {
		if p.exampleK != "" {
			p.setText(t(p.exampleK))
		}
	})
	p.codeNote = widget.NewLabel("")
	p.codeNote.Wrapping = fyne.TextWrapWord
	p.codeNote.Importance = widget.HighImportance
	p.codeNote.TextStyle.Bold = true
	return p
}

func (p *phone) view() fyne.CanvasObject {
	frame := canvas.NewRectangle(theme.Color(theme.ColorNameInputBackground))
	frame.StrokeColor = theme.Color(theme.ColorNameForeground)
	frame.StrokeWidth = 6
	frame.CornerRadius = 28
	head := container.NewVBox(widget.NewLabelWithStyle(t("training.phone"), fyne.TextAlignCenter, fyne.TextStyle{Bold: true}), p.who, widget.NewSeparator())
	bottom := container.NewVBox(p.codeNote, container.NewGridWithColumns(2, p.mention, p.example), p.entry,
		container.NewGridWithColumns(2, p.post, p.dm), p.code)
	inner := container.NewBorder(head, bottom, nil, nil, p.scroll)
	return container.NewStack(frame, container.NewPadded(container.NewPadded(inner)))
}

// setAction shows what the current step needs.
func (p *phone) setAction(st apptraining.Step) {
	p.exampleK = st.Example
	if st.Example == "" {
		p.example.Disable()
	} else {
		p.example.Enable()
	}
	if st.Action == apptraining.ActionRequestCode || st.Action == apptraining.ActionDM && p.codeNote.Text != "" {
		p.code.Show()
	} else {
		p.code.Hide()
	}
	for _, b := range []*widget.Button{p.post, p.dm} {
		b.Importance = widget.MediumImportance
	}
	switch st.Action {
	case apptraining.ActionPost:
		p.post.Importance = widget.HighImportance
	case apptraining.ActionDM:
		p.dm.Importance = widget.HighImportance
	}
	p.post.Refresh()
	p.dm.Refresh()
}

func (p *phone) send(kind apptraining.Action) {
	tr := p.w.current()
	if tr == nil {
		return
	}
	var err error
	if kind == apptraining.ActionPost {
		_, err = p.w.sb.Post(p.w.ctx, *tr, p.entry.Text)
	} else {
		_, err = p.w.sb.SendDM(p.w.ctx, *tr, p.entry.Text)
	}
	if err != nil {
		dialog.ShowError(err, p.w.win)
		return
	}
	p.entry.SetText("")
	p.refresh()
}

func (p *phone) requestCode() {
	tr := p.w.current()
	if tr == nil {
		return
	}
	ch, err := p.w.sb.RequestCode(p.w.ctx, *tr)
	if err != nil {
		dialog.ShowError(err, p.w.win)
		return
	}
	p.codeNote.SetText(t("training.phone.codeis", "Code", ch.Code))
	p.setText(ch.Code)
	p.w.Next()
}

// refresh redraws the conversation when it changed.
func (p *phone) refresh() {
	tr := p.w.current()
	if tr == nil {
		p.who.SetText("")
		p.messages.Objects = nil
		p.messages.Refresh()
		p.shown = 0
		p.codeNote.SetText("")
		return
	}
	p.who.SetText(t("training.phone.as", "Handle", tr.Handle))
	msgs := p.w.sb.Phone(*tr)
	if len(msgs) == p.shown && len(p.messages.Objects) > 0 {
		return
	}
	p.shown = len(msgs)
	p.messages.Objects = nil
	if len(msgs) == 0 {
		p.messages.Add(widget.NewLabel(t("training.phone.empty")))
	}
	for _, m := range msgs {
		p.messages.Add(bubble(m))
	}
	p.messages.Refresh()
	p.scroll.ScrollToBottom()
}

func bubble(m apptraining.PhoneMessage) fyne.CanvasObject {
	who := t("training.phone.townhall")
	if m.FromTrainee {
		who = t("training.phone.you")
	}
	kind := t("training.phone.public")
	if m.Kind == apptraining.ActionDM {
		kind = t("training.phone.private")
	}
	head := widget.NewLabelWithStyle(who+" · "+kind+" · "+m.At.In(app.Madrid).Format("15:04"), fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	text := widget.NewLabel(m.Text)
	text.Wrapping = fyne.TextWrapWord
	bg := canvas.NewRectangle(theme.Color(theme.ColorNameHover))
	if m.FromTrainee {
		bg.FillColor = theme.Color(theme.ColorNameSelection)
	}
	bg.CornerRadius = 12
	b := container.NewStack(bg, container.NewVBox(head, text))
	if m.FromTrainee {
		return container.NewBorder(nil, nil, widget.NewLabel("    "), nil, b)
	}
	return container.NewBorder(nil, nil, nil, widget.NewLabel("    "), b)
}

func storageURL(path string) (*url.URL, error) {
	return url.Parse("file://" + path)
}

// setText fills the box and puts the cursor at the end, where the trainee goes on typing.
func (p *phone) setText(s string) {
	p.entry.SetText(s)
	p.entry.CursorRow = 0
	p.entry.CursorColumn = len([]rune(s))
	p.entry.Refresh()
}
