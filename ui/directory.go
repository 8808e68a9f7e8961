package ui

import (
	"context"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/widget"

	"ventanilla/app/desk"
)

type directoryView struct {
	content fyne.CanvasObject
}

func directoryKind(k string) string {
	switch k {
	case "councillor":
		return lang.L("Councillor")
	case "employee":
		return lang.L("Employee")
	case "department":
		return lang.L("Department")
	}
	return k
}

func newDirectoryView(d *Desk, sess *desk.Session) *directoryView {
	v := &directoryView{}
	box := container.NewVBox(heading(lang.L("Official accounts")), muted(lang.L("Residents can write to any of these accounts; lookalike handles are flagged on their cases.")))
	d.background(func(ctx context.Context) func() {
		entries, err := d.svc.Directory(ctx, sess)
		return func() {
			if err != nil {
				d.showError(err)
				return
			}
			for _, e := range entries {
				title := bold(e.Name)
				handle := muted("@" + e.Handle)
				if e.Handle == "" {
					handle.SetText("—")
				}
				meta := directoryKind(e.Kind)
				if e.Position != "" {
					meta += " · " + e.Position
				}
				if e.DepartmentName != "" {
					meta += " · " + e.DepartmentName
				}
				row := container.NewHBox(title, handle)
				if e.Official {
					row.Add(container.NewCenter(newBadge(lang.L("Official"), colBlue)))
				}
				box.Add(widget.NewCard("", "", container.NewVBox(row, muted(meta))))
			}
			if len(entries) == 0 {
				box.Add(muted(lang.L("The directory is empty. The administrator adds entries in Settings.")))
			}
			box.Refresh()
		}
	})
	v.content = container.NewVScroll(container.NewPadded(box))
	return v
}
