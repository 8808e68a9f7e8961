package ui

import (
	"image/color"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/layout"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"ventanilla/app"
)

func centered(o fyne.CanvasObject) fyne.CanvasObject {
	return container.NewCenter(o)
}

func heading(text string) *widget.Label {
	l := widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
	l.SizeName = theme.SizeNameSubHeadingText
	return l
}

func bold(text string) *widget.Label {
	return widget.NewLabelWithStyle(text, fyne.TextAlignLeading, fyne.TextStyle{Bold: true})
}

func muted(text string) *widget.Label {
	l := widget.NewLabel(text)
	l.Importance = widget.LowImportance
	return l
}

// badge is a small coloured pill with a label.
type badge struct {
	widget.BaseWidget
	bg   *canvas.Rectangle
	text *canvas.Text
}

func newBadge(text string, c color.Color) *badge {
	b := &badge{bg: canvas.NewRectangle(c), text: canvas.NewText(text, color.White)}
	b.bg.CornerRadius = 6
	b.text.TextSize = theme.CaptionTextSize() + 1
	b.text.TextStyle.Bold = true
	b.ExtendBaseWidget(b)
	return b
}

func (b *badge) set(text string, c color.Color) {
	b.text.Text = text
	b.bg.FillColor = c
	b.Hidden = text == ""
	b.Refresh()
}

func (b *badge) CreateRenderer() fyne.WidgetRenderer {
	return widget.NewSimpleRenderer(container.New(&padLayout{h: 7, v: 2}, b.bg, b.text))
}

// padLayout stretches the first object and centres the rest with padding.
type padLayout struct{ h, v float32 }

func (p *padLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	m := objs[1].MinSize()
	return fyne.NewSize(m.Width+2*p.h, m.Height+2*p.v)
}

func (p *padLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	objs[0].Resize(size)
	objs[0].Move(fyne.NewPos(0, 0))
	m := objs[1].MinSize()
	objs[1].Resize(m)
	objs[1].Move(fyne.NewPos((size.Width-m.Width)/2, (size.Height-m.Height)/2))
}

var (
	colBlue   = color.NRGBA{R: 0x1F, G: 0x5F, B: 0x8B, A: 0xFF}
	colGreen  = color.NRGBA{R: 0x2E, G: 0x7D, B: 0x32, A: 0xFF}
	colAmber  = color.NRGBA{R: 0xB2, G: 0x6A, B: 0x00, A: 0xFF}
	colRed    = color.NRGBA{R: 0xC6, G: 0x28, B: 0x28, A: 0xFF}
	colGrey   = color.NRGBA{R: 0x6B, G: 0x72, B: 0x80, A: 0xFF}
	colPurple = color.NRGBA{R: 0x6A, G: 0x3D, B: 0x9A, A: 0xFF}
	colTeal   = color.NRGBA{R: 0x00, G: 0x79, B: 0x6B, A: 0xFF}
)

func kindColor(k app.CaseKind) color.Color {
	switch k {
	case app.KindIncident:
		return colRed
	case app.KindProposal:
		return colPurple
	case app.KindMessage:
		return colTeal
	case app.KindProcedure:
		return colBlue
	}
	return colGrey
}

func levelColor(l app.Level) color.Color {
	switch l {
	case app.LevelVerifiedCensus, app.LevelVerified:
		return colGreen
	case app.LevelLinked:
		return colAmber
	}
	return colGrey
}

func kindName(k app.CaseKind) string {
	switch k {
	case app.KindIncident:
		return lang.L("Incident")
	case app.KindProposal:
		return lang.L("Proposal")
	case app.KindMessage:
		return lang.L("Message")
	case app.KindProcedure:
		return lang.L("Procedure")
	case app.KindQuery:
		return lang.L("Query")
	}
	return string(k)
}

func statusName(s app.CaseStatus) string {
	switch s {
	case app.StatusReceived:
		return lang.L("Received")
	case app.StatusInProgress:
		return lang.L("In progress")
	case app.StatusResolved:
		return lang.L("Resolved")
	case app.StatusRejected:
		return lang.L("Rejected")
	case app.StatusAdmitted:
		return lang.L("Admitted")
	case app.StatusOnAgenda:
		return lang.L("On the agenda")
	case app.StatusDebated:
		return lang.L("Debated")
	}
	return string(s)
}

func priorityName(p app.Priority) string {
	switch p {
	case app.PriorityLow:
		return lang.L("Low")
	case app.PriorityNormal:
		return lang.L("Normal")
	case app.PriorityHigh:
		return lang.L("High")
	case app.PriorityUrgent:
		return lang.L("Urgent")
	}
	return string(p)
}

func levelName(l app.Level) string {
	switch l {
	case app.LevelLinked:
		return lang.L("Linked")
	case app.LevelVerified:
		return lang.L("Verified")
	case app.LevelVerifiedCensus:
		return lang.L("Verified · census")
	}
	return lang.L("Unverified")
}

func roleName(r app.Role) string {
	switch r {
	case app.RoleAdmin:
		return lang.L("Administrator")
	case app.RoleClerk:
		return lang.L("Clerk")
	case app.RolePolice:
		return lang.L("Local police")
	case app.RoleCouncillor:
		return lang.L("Councillor")
	}
	return string(r)
}

// when formats a time in the town hall's zone, short for today.
func when(t time.Time, now time.Time) string {
	if t.IsZero() {
		return ""
	}
	lt, ln := t.In(app.Madrid), now.In(app.Madrid)
	if lt.Year() == ln.Year() && lt.YearDay() == ln.YearDay() {
		return lt.Format("15:04")
	}
	return lt.Format("02/01/2006 15:04")
}

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.In(app.Madrid).Format("02/01/2006")
}

func spacer() fyne.CanvasObject { return layout.NewSpacer() }
