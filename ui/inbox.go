package ui

import (
	"context"
	"fmt"
	"sync"
	"time"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/canvas"
	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/theme"
	"fyne.io/fyne/v2/widget"

	"ventanilla/app"
	"ventanilla/app/desk"
)

// inboxView is the Bandeja: filters, a virtual list that pages from the store, and the
// selected case beside it.
type inboxView struct {
	d    *Desk
	sess *desk.Session

	content fyne.CanvasObject
	search  *widget.Entry
	kind    *widget.Select
	status  *widget.Select
	dept    *widget.Select
	assign  *widget.Select
	verif   *widget.Select
	overdue *widget.Check
	unread  *widget.Check
	open    *widget.Check
	summary *widget.Label
	list    *widget.List
	detail  *fyne.Container
	caseV   *caseView

	filter desk.Filter
	gen    int // bumped when the filter changes; stale pages are dropped

	mu         sync.Mutex
	total      int
	countedGen int // the gen whose count total holds
	pages      map[int][]desk.InboxRow
	loading    map[int]bool
	selected   int

	kindValues   map[string]app.CaseKind
	statusValues map[string]app.CaseStatus
	deptValues   map[string]string
	assignValues map[string]string
	debounce     *time.Timer
}

func newInboxView(d *Desk, sess *desk.Session) *inboxView {
	v := &inboxView{d: d, sess: sess, pages: map[int][]desk.InboxRow{}, loading: map[int]bool{}, selected: -1}
	v.search = widget.NewEntry()
	v.search.SetPlaceHolder(lang.L("Search words, E-2026-…, name or @handle  (Ctrl+F)"))
	v.search.ActionItem = widget.NewIcon(theme.SearchIcon())
	v.search.OnChanged = func(string) {
		d.touch()
		if v.debounce != nil {
			v.debounce.Stop()
		}
		v.debounce = time.AfterFunc(200*time.Millisecond, func() { v.d.do(v.applyFilter) })
	}
	v.search.OnSubmitted = func(string) { v.applyFilter() }
	changed := func(string) { d.touch(); v.applyFilter() }
	v.kind = widget.NewSelect(nil, changed)
	v.status = widget.NewSelect(nil, changed)
	v.dept = widget.NewSelect(nil, changed)
	v.assign = widget.NewSelect(nil, changed)
	v.verif = widget.NewSelect([]string{lang.L("Any account"), lang.L("Verified"), lang.L("Not verified")}, nil)
	v.verif.SetSelectedIndex(0)
	v.verif.OnChanged = changed
	checked := func(bool) { d.touch(); v.applyFilter() }
	v.overdue = widget.NewCheck(lang.L("Overdue"), checked)
	v.unread = widget.NewCheck(lang.L("Unread"), checked)
	v.open = widget.NewCheck(lang.L("Open only"), checked)
	v.summary = muted("")
	v.list = widget.NewList(v.length, v.createRow, v.updateRow)
	v.list.OnSelected = v.onSelected
	v.detail = container.NewStack(v.placeholder())

	filters := container.NewVBox(
		v.search,
		container.NewGridWithColumns(3, v.kind, v.status, v.verif),
		container.NewGridWithColumns(2, v.dept, v.assign),
		container.NewHBox(v.overdue, v.unread, v.open, spacer(), v.summary),
	)
	left := container.NewBorder(container.NewPadded(filters), nil, nil, nil, v.list)
	split := container.NewHSplit(left, v.detail)
	split.Offset = 0.42
	v.content = split
	v.setOptions(desk.Counts{ByKind: map[app.CaseKind]int{}, ByStatus: map[app.CaseStatus]int{}}, nil, nil)
	v.loadChoices()
	v.refresh(true)
	return v
}

func (v *inboxView) placeholder() fyne.CanvasObject {
	l := muted(lang.L("Choose a case on the left. Ctrl+J and Ctrl+K move to the next and previous case."))
	l.Alignment = fyne.TextAlignCenter
	l.Wrapping = fyne.TextWrapWord
	return container.NewCenter(container.NewGridWrap(fyne.NewSize(360, 80), l))
}

// loadChoices fills the department and assignee filters.
func (v *inboxView) loadChoices() {
	v.d.background(func(ctx context.Context) func() {
		deps, err1 := v.d.svc.Departments(ctx, v.sess)
		staff, err2 := v.d.svc.Colleagues(ctx, v.sess)
		counts, err3 := v.d.svc.InboxCounts(ctx, v.sess)
		return func() {
			for _, err := range []error{err1, err2, err3} {
				if err != nil {
					v.d.showError(err)
					return
				}
			}
			v.setOptions(counts, deps, staff)
		}
	})
}

func withCount(label string, n int) string {
	return fmt.Sprintf("%s (%d)", label, n)
}

// setOptions rebuilds the filter choices with the counts beside them, keeping the selection.
func (v *inboxView) setOptions(c desk.Counts, deps []app.Department, staff []desk.StaffMember) {
	keep := func(s *widget.Select, values []string, selected int) {
		s.Options = values
		if selected < 0 || selected >= len(values) {
			selected = 0
		}
		s.SetSelectedIndex(selected)
	}
	sel := func(s *widget.Select) int { return s.SelectedIndex() }
	quiet := v.kind.OnChanged
	for _, s := range []*widget.Select{v.kind, v.status, v.dept, v.assign} {
		s.OnChanged = nil
	}
	v.kindValues = map[string]app.CaseKind{}
	kinds := []string{withCount(lang.L("All kinds"), c.Total)}
	v.kindValues[kinds[0]] = ""
	for _, k := range app.CaseKinds {
		if v.sess.CanSeeKind(k) {
			o := withCount(kindName(k), c.ByKind[k])
			kinds = append(kinds, o)
			v.kindValues[o] = k
		}
	}
	keep(v.kind, kinds, sel(v.kind))
	v.statusValues = map[string]app.CaseStatus{}
	statuses := []string{lang.L("Any status")}
	v.statusValues[statuses[0]] = ""
	for _, s := range app.CaseStatuses {
		o := withCount(statusName(s), c.ByStatus[s])
		statuses = append(statuses, o)
		v.statusValues[o] = s
	}
	keep(v.status, statuses, sel(v.status))
	if deps != nil {
		v.deptValues = map[string]string{lang.L("All departments"): ""}
		opts := []string{lang.L("All departments")}
		for _, d := range deps {
			opts = append(opts, d.Name)
			v.deptValues[d.Name] = d.ID
		}
		keep(v.dept, opts, sel(v.dept))
	} else if v.deptValues == nil {
		v.deptValues = map[string]string{lang.L("All departments"): ""}
		keep(v.dept, []string{lang.L("All departments")}, 0)
	}
	if staff != nil {
		un := withCount(lang.L("Unassigned"), c.Unassigned)
		v.assignValues = map[string]string{lang.L("Anyone"): "", lang.L("Assigned to me"): v.sess.Staff().ID, un: desk.Unassigned}
		opts := []string{lang.L("Anyone"), lang.L("Assigned to me"), un}
		for _, s := range staff {
			opts = append(opts, s.FullName)
			v.assignValues[s.FullName] = s.ID
		}
		keep(v.assign, opts, sel(v.assign))
	} else if v.assignValues == nil {
		v.assignValues = map[string]string{lang.L("Anyone"): ""}
		keep(v.assign, []string{lang.L("Anyone")}, 0)
	}
	v.overdue.Text = withCount(lang.L("Overdue"), c.Overdue)
	v.overdue.Refresh()
	v.unread.Text = withCount(lang.L("Unread"), c.Unread)
	v.unread.Refresh()
	v.open.Text = withCount(lang.L("Open only"), c.Open)
	v.open.Refresh()
	for _, s := range []*widget.Select{v.kind, v.status, v.dept, v.assign} {
		s.OnChanged = quiet
	}
}

// currentFilter reads the widgets.
func (v *inboxView) currentFilter() desk.Filter {
	f := desk.Filter{
		Kind:         v.kindValues[v.kind.Selected],
		Status:       v.statusValues[v.status.Selected],
		DepartmentID: v.deptValues[v.dept.Selected],
		AssigneeID:   v.assignValues[v.assign.Selected],
		Overdue:      v.overdue.Checked,
		UnreadOnly:   v.unread.Checked,
		OpenOnly:     v.open.Checked,
		Search:       v.search.Text,
	}
	switch v.verif.SelectedIndex() {
	case 1:
		f.Verified = desk.Yes
	case 2:
		f.Verified = desk.No
	}
	return f
}

func (v *inboxView) applyFilter() {
	if v.list == nil || v.summary == nil {
		return // still being built
	}
	f := v.currentFilter()
	if f == v.filter {
		return
	}
	v.filter = f
	v.refresh(true)
}

// refresh drops the cached pages and loads the first one, then the count: the first page shows
// as soon as it is read, and the list grows to its full length when the count (slower for a
// common word over years of cases) arrives. A reset also scrolls to the top and forgets the
// selection.
func (v *inboxView) refresh(reset bool) {
	v.mu.Lock()
	v.gen++
	gen := v.gen
	v.mu.Unlock()
	f := v.filter
	current := func() bool { // under v.mu
		return gen == v.gen
	}
	v.d.background(func(ctx context.Context) func() {
		first, err := v.d.svc.Inbox(ctx, v.sess, f, desk.InboxPageSize, 0)
		return func() {
			if err != nil {
				v.d.showError(err)
				return
			}
			v.mu.Lock()
			if !current() {
				v.mu.Unlock()
				return
			}
			if v.countedGen != gen { // the count may have come first
				v.total = len(first)
			}
			v.pages = map[int][]desk.InboxRow{0: first}
			v.loading = map[int]bool{}
			v.mu.Unlock()
			if len(first) < desk.InboxPageSize {
				v.summary.SetText(lang.X("{{.N}} cases", "{{.N}} cases", map[string]any{"N": len(first)}))
			} else {
				v.summary.SetText(lang.L("Counting…"))
			}
			if reset {
				v.selected = -1
				v.list.UnselectAll()
				if v.list.Size().Height > 0 { // laid out already
					v.list.ScrollToTop()
				}
			}
			v.list.Refresh()
		}
	})
	v.d.background(func(ctx context.Context) func() {
		n, err := v.d.svc.CountInbox(ctx, v.sess, f)
		counts, cerr := v.d.svc.InboxCounts(ctx, v.sess)
		return func() {
			if err != nil {
				v.d.showError(err)
				return
			}
			v.mu.Lock()
			if !current() {
				v.mu.Unlock()
				return
			}
			v.total, v.countedGen = n, gen
			v.mu.Unlock()
			if cerr == nil {
				v.setOptions(counts, nil, nil)
			}
			v.summary.SetText(lang.X("{{.N}} cases", "{{.N}} cases", map[string]any{"N": n}))
			v.list.Refresh()
			if v.d.status != nil && cerr == nil {
				v.d.status.setInbox(counts)
			}
		}
	})
}

func (v *inboxView) length() int {
	v.mu.Lock()
	defer v.mu.Unlock()
	return v.total
}

// row returns the cached row i, asking for its page when it is not loaded yet.
func (v *inboxView) row(i int) (desk.InboxRow, bool) {
	page := i / desk.InboxPageSize
	v.mu.Lock()
	rows, ok := v.pages[page]
	if !ok && !v.loading[page] {
		v.loading[page] = true
		gen := v.gen
		f := v.filter
		v.mu.Unlock()
		v.d.background(func(ctx context.Context) func() {
			rows, err := v.d.svc.Inbox(ctx, v.sess, f, desk.InboxPageSize, page*desk.InboxPageSize)
			return func() {
				if err != nil {
					v.d.showError(err)
					return
				}
				v.mu.Lock()
				if gen == v.gen {
					v.pages[page] = rows
					delete(v.loading, page)
				}
				v.mu.Unlock()
				v.list.Refresh()
			}
		})
		return desk.InboxRow{}, false
	}
	v.mu.Unlock()
	if !ok || i%desk.InboxPageSize >= len(rows) {
		return desk.InboxRow{}, false
	}
	return rows[i%desk.InboxPageSize], true
}

// inboxRow is the template of a list line.
type inboxRow struct {
	widget.BaseWidget
	dot      *canvas.Circle
	number   *widget.Label
	kind     *badge
	level    *badge
	status   *widget.Label
	due      *widget.Label
	resident *widget.Label
	title    *widget.Label
	meta     *widget.Label
}

func newInboxRow() *inboxRow {
	r := &inboxRow{
		dot:      canvas.NewCircle(theme.Color(theme.ColorNamePrimary)),
		number:   bold("E-0000-000000"),
		kind:     newBadge("", colGrey),
		level:    newBadge("", colGrey),
		status:   widget.NewLabel(""),
		due:      widget.NewLabel(""),
		resident: widget.NewLabel(""),
		title:    widget.NewLabel(""),
		meta:     muted(""),
	}
	r.title.Truncation = fyne.TextTruncateEllipsis
	r.resident.Truncation = fyne.TextTruncateEllipsis
	r.meta.Truncation = fyne.TextTruncateEllipsis
	r.status.Importance = widget.LowImportance
	r.ExtendBaseWidget(r)
	return r
}

func (r *inboxRow) CreateRenderer() fyne.WidgetRenderer {
	dot := container.NewCenter(container.NewGridWrap(fyne.NewSize(10, 10), r.dot))
	top := container.NewBorder(nil, nil, container.NewHBox(r.number, container.NewCenter(r.kind)), container.NewHBox(r.status, r.due))
	mid := container.NewBorder(nil, nil, nil, container.NewCenter(r.level), r.resident)
	body := container.NewVBox(top, mid, r.title, r.meta)
	return widget.NewSimpleRenderer(container.NewBorder(nil, nil, container.NewGridWrap(fyne.NewSize(14, 14), dot), nil, tight(body)))
}

// tight removes the VBox's spacing between the lines of a row.
func tight(b *fyne.Container) fyne.CanvasObject {
	return container.New(&stackLayout{gap: -8}, b.Objects...)
}

type stackLayout struct{ gap float32 }

func (s *stackLayout) MinSize(objs []fyne.CanvasObject) fyne.Size {
	var w, h float32
	for i, o := range objs {
		m := o.MinSize()
		if m.Width > w {
			w = m.Width
		}
		h += m.Height
		if i > 0 {
			h += s.gap
		}
	}
	return fyne.NewSize(w, h)
}

func (s *stackLayout) Layout(objs []fyne.CanvasObject, size fyne.Size) {
	var y float32
	for _, o := range objs {
		m := o.MinSize()
		o.Move(fyne.NewPos(0, y))
		o.Resize(fyne.NewSize(size.Width, m.Height))
		y += m.Height + s.gap
	}
}

func (v *inboxView) createRow() fyne.CanvasObject { return newInboxRow() }

func (v *inboxView) updateRow(i widget.ListItemID, o fyne.CanvasObject) {
	r := o.(*inboxRow)
	row, ok := v.row(i)
	if !ok {
		r.number.SetText("…")
		r.kind.set("", colGrey)
		r.level.set("", colGrey)
		r.status.SetText("")
		r.due.SetText("")
		r.resident.SetText("")
		r.title.SetText("")
		r.meta.SetText("")
		r.dot.Hidden = true
		return
	}
	now := time.Now()
	r.dot.Hidden = !row.Unread
	r.dot.Refresh()
	r.number.SetText(row.Number)
	r.kind.set(kindName(row.Kind), kindColor(row.Kind))
	r.status.SetText(statusName(row.Status))
	switch {
	case row.Overdue(now):
		r.due.Importance = widget.DangerImportance
		r.due.SetText("⚠ " + lang.X("due {{.Date}}", "due {{.Date}}", map[string]any{"Date": day(row.DueAt)}))
	case !row.DueAt.IsZero() && !row.Status.Closed():
		r.due.Importance = widget.MediumImportance
		r.due.SetText(lang.X("due {{.Date}}", "due {{.Date}}", map[string]any{"Date": day(row.DueAt)}))
	default:
		r.due.SetText(when(row.OpenedAt, now))
		r.due.Importance = widget.LowImportance
		r.due.Refresh()
	}
	who := row.ResidentName
	if row.Handle != "" {
		if who != "" {
			who += "  "
		}
		who += "@" + row.Handle
	}
	if who == "" {
		who = lang.L("Unknown sender")
	}
	if row.IdentityFlag {
		who = "⚠ " + who
	}
	r.resident.SetText(who)
	r.level.set(levelName(row.Level), levelColor(row.Level))
	r.title.TextStyle.Bold = row.Unread
	r.title.SetText(row.Title)
	meta := row.DepartmentName
	if meta == "" {
		meta = lang.L("No department")
	}
	if row.AssigneeName != "" {
		meta += " · " + row.AssigneeName
	} else {
		meta += " · " + lang.L("Unassigned")
	}
	if row.Priority == app.PriorityHigh || row.Priority == app.PriorityUrgent {
		meta += " · " + priorityName(row.Priority)
	}
	r.meta.SetText(meta)
}

func (v *inboxView) onSelected(i widget.ListItemID) {
	v.d.touch()
	row, ok := v.row(i)
	if !ok {
		return
	}
	v.selected = i
	v.openCase(row.CaseID)
}

// openCase shows a case beside the list and marks it read.
func (v *inboxView) openCase(caseID string) {
	v.caseV = newCaseView(v.d, v.sess, caseID, func() { v.refresh(false) })
	v.detail.Objects = []fyne.CanvasObject{v.caseV.content}
	v.detail.Refresh()
}

// step selects the next (1) or previous (-1) case.
func (v *inboxView) step(delta int) {
	n := v.length()
	if n == 0 {
		return
	}
	i := v.selected + delta
	if i < 0 {
		i = 0
	}
	if i >= n {
		i = n - 1
	}
	v.list.Select(i)
	if v.list.Size().Height > 0 {
		v.list.ScrollTo(i)
	}
}
