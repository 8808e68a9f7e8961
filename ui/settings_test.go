package ui

import (
	"context"
	"slices"
	"testing"

	"fyne.io/fyne/v2/container"
	"fyne.io/fyne/v2/lang"
	"fyne.io/fyne/v2/test"
	"fyne.io/fyne/v2/widget"

	"ventanilla/app"
	"ventanilla/app/desk"
)

// tabNamed selects the tab called text in the first AppTabs on screen that has one.
func tabNamed(t *testing.T, f *fixture, text string) {
	t.Helper()
	for _, tabs := range all[*container.AppTabs](f.win.Content()) {
		for i, it := range tabs.Items {
			if it.Text == text {
				tabs.SelectIndex(i)
				f.desk.Wait()
				return
			}
		}
	}
	t.Fatalf("no tab %q on screen", text)
}

func hasTab(f *fixture, text string) bool {
	for _, tabs := range all[*container.AppTabs](f.win.Content()) {
		if slices.ContainsFunc(tabs.Items, func(it *container.TabItem) bool { return it.Text == text }) {
			return true
		}
	}
	return false
}

func TestSettingsEditTemplate(t *testing.T) {
	f := newFixture(t, Options{})
	f.signIn(t, desk.DemoStaff[app.RoleAdmin])
	tabNamed(t, f, lang.L("Settings"))
	tabNamed(t, f, lang.L("Templates"))

	lists := all[*widget.List](f.win.Content())
	if len(lists) == 0 {
		t.Fatal("no template list on screen")
	}
	// Open ack.incident.ok from the list of keys.
	var body *widget.Entry
	list := lists[0]
	for i := 0; i < list.Length(); i++ {
		list.Select(i)
		f.desk.Wait()
		entries := all[*widget.Entry](f.win.Content())
		for _, e := range entries {
			if e.MultiLine && e.Text != "" && hasText(f.win.Content(), "ack.incident.ok (es)") {
				body = e
			}
		}
		if body != nil {
			break
		}
	}
	if body == nil {
		t.Fatal("could not open ack.incident.ok")
	}
	ctx := context.Background()
	before, err := f.store.TemplatesByKey(ctx, "es")
	if err != nil {
		t.Fatal(err)
	}

	// Without the registry number: refused beside the field, nothing saved.
	body.SetText("Hemos registrado su incidencia. Gracias.")
	test.Tap(button(t, f.win.Content(), lang.L("Save template")))
	f.desk.Wait()
	if !hasText(f.win.Content(), lang.L("An acknowledgement must contain {numero}, the registry number.")) {
		t.Error("no error beside the template text")
	}
	if after, _ := f.store.TemplatesByKey(ctx, "es"); after["ack.incident.ok"] != before["ack.incident.ok"] {
		t.Errorf("a refused template was saved: %q", after["ack.incident.ok"])
	}

	const text = "Incidencia {numero} registrada y enviada a {departamento}. ¡Gracias!"
	body.SetText(text)
	test.Tap(button(t, f.win.Content(), lang.L("Save template")))
	f.desk.Wait()
	if after, _ := f.store.TemplatesByKey(ctx, "es"); after["ack.incident.ok"] != text {
		t.Errorf("saved template: got %q, want %q", after["ack.incident.ok"], text)
	}
	if hasText(f.win.Content(), lang.L("An acknowledgement must contain {numero}, the registry number.")) {
		t.Error("the error is still shown after a successful save")
	}
}

func TestSettingsHiddenFromClerk(t *testing.T) {
	f := newFixture(t, Options{})
	f.signIn(t, desk.DemoStaff[app.RoleClerk])
	if !hasTab(f, lang.L("Inbox")) {
		t.Fatal("the clerk's desk has no inbox tab")
	}
	if hasTab(f, lang.L("Settings")) {
		t.Error("a clerk sees the Settings tab")
	}
}

func TestSettingsCredentialsShownMasked(t *testing.T) {
	f := newFixture(t, Options{})
	const token = "AAAAAAAAAAAAAAAAAAAAAsecret-token-9f3c"
	admin, err := f.svc.SignIn(context.Background(), desk.DemoStaff[app.RoleAdmin], desk.DemoPassword)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.svc.SaveCredentials(context.Background(), admin, desk.CredentialsChange{Credentials: desk.Credentials{BearerToken: token}}); err != nil {
		t.Fatal(err)
	}
	f.signIn(t, desk.DemoStaff[app.RoleAdmin])
	tabNamed(t, f, lang.L("Settings"))
	tabNamed(t, f, lang.L("Accounts and credentials"))
	if !hasText(f.win.Content(), "••••9f3c "+lang.L("(set)")) {
		t.Error("the bearer token is not shown as ••••9f3c (set)")
	}
	if hasText(f.win.Content(), token) {
		t.Error("the bearer token is shown in clear")
	}
}

// The window's title carries the town hall's name once an administrator saves it in Settings.
func TestWindowTitleShowsMunicipality(t *testing.T) {
	f := newFixture(t, Options{})
	f.signIn(t, desk.DemoStaff[app.RoleAdmin])
	if got := f.win.Title(); got != lang.L("Ventanilla") {
		t.Fatalf("title before a name is set: %q", got)
	}
	tabNamed(t, f, lang.L("Settings"))
	tabNamed(t, f, lang.L("General"))
	var name *widget.Entry
	for _, e := range all[*widget.Entry](f.win.Content()) {
		if e.Text == "" && !e.MultiLine && name == nil {
			name = e // the first field of the panel: the municipality's name
		}
	}
	if name == nil {
		t.Fatal("no municipality field on screen")
	}
	name.SetText("Ayuntamiento de Pueblo Inventado")
	test.Tap(button(t, f.win.Content(), lang.L("Save")))
	f.desk.Wait()
	if got, want := f.win.Title(), lang.L("Ventanilla")+" — Ayuntamiento de Pueblo Inventado"; got != want {
		t.Errorf("title after saving: %q, want %q", got, want)
	}
}
