package ui

import (
	"context"
	"testing"

	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"
)

// A clerk corrects a resident's details from the resident's card; a wrong DNI/NIE is refused
// and changes nothing.
func TestEditResident(t *testing.T) {
	f := newFixture(t, Options{})
	f.signIn(t, "lucia")
	ctx := context.Background()
	found, err := f.store.SearchResidents(ctx, "María", 10, 0)
	if err != nil || len(found) == 0 {
		t.Fatalf("demo resident: %v %v", found, err)
	}
	r := found[0]
	v := newRegisterView(f.desk, f.desk.Session())
	f.win.SetContent(v.content)
	v.show(r.ID)
	f.desk.Wait()

	edit := func(phone, document string) {
		t.Helper()
		test.Tap(button(t, f.win.Content(), lang.L("Edit")))
		form := f.win.Canvas().Overlays().Top()
		if form == nil {
			t.Fatal("no edit form")
		}
		entries := all[*widget.Entry](form)
		if len(entries) < 5 || entries[0].Text != r.FullName {
			t.Fatalf("edit form: %d entries, first %q", len(entries), entries[0].Text)
		}
		entries[1].SetText(document)
		entries[2].SetText(phone)
		test.Tap(button(t, form, lang.L("Save")))
		f.desk.Wait()
	}
	edit("600 000 001", r.Document)
	got, err := f.store.GetResident(ctx, r.ID)
	if err != nil || got.Phone != "600 000 001" || got.Document != r.Document {
		t.Fatalf("after edit: %+v %v", got, err)
	}
	if !hasText(f.win.Content(), "600 000 001") {
		t.Error("the card does not show the new phone")
	}
	// A document with a wrong check letter: the dialog's Save stays disabled (validation), so
	// the service is never asked; the register is unchanged.
	test.Tap(button(t, f.win.Content(), lang.L("Edit")))
	form := f.win.Canvas().Overlays().Top()
	entries := all[*widget.Entry](form)
	entries[1].SetText("00000000A")
	save := button(t, form, lang.L("Save"))
	if !save.Disabled() {
		test.Tap(save)
		f.desk.Wait()
	}
	after, _ := f.store.GetResident(ctx, r.ID)
	if after.Document != r.Document {
		t.Errorf("a wrong document changed the register: got %q, want %q", after.Document, r.Document)
	}
}
