package kiosk

import (
	"encoding/json"
	"strings"
	gosync "sync"
	"text/template"

	"fyne.io/fyne/v2"
	"fyne.io/fyne/v2/lang"

	"ventanilla/assets"
)

// Lang is a language the kiosk speaks.
type Lang string

const (
	Spanish Lang = "es"
	English Lang = "en"
)

var (
	catalogOnce gosync.Once
	catalogs    map[Lang]map[string]string
)

// loadCatalogs reads the kiosk's and training's strings. Fyne's lang package picks one
// language for the whole process, while residents switch the kiosk between Spanish and
// English at will, so the kiosk keeps both catalogs; they are also registered with lang.
func loadCatalogs() {
	catalogOnce.Do(func() {
		catalogs = map[Lang]map[string]string{Spanish: {}, English: {}}
		for _, dir := range []string{"kiosk", "training"} {
			for l := range catalogs {
				b, err := assets.KioskTranslations.ReadFile(dir + "/" + string(l) + ".json")
				if err != nil {
					fyne.LogError("read kiosk strings", err)
					continue
				}
				var m map[string]string
				if err := json.Unmarshal(b, &m); err != nil {
					fyne.LogError("parse kiosk strings", err)
					continue
				}
				for k, v := range m {
					catalogs[l][k] = v
				}
			}
			if err := lang.AddTranslationsFS(assets.KioskTranslations, dir); err != nil {
				fyne.LogError("load kiosk translations", err)
			}
		}
	})
}

// Translate returns the text of key in language l, filling {{.Name}} placeholders from data
// (pairs of name, value).
func Translate(l Lang, key string, data ...string) string {
	loadCatalogs()
	s, ok := catalogs[l][key]
	if !ok {
		s = lang.L(key)
	}
	if len(data) < 2 || !strings.Contains(s, "{{") {
		return s
	}
	vars := map[string]string{}
	for i := 0; i+1 < len(data); i += 2 {
		vars[data[i]] = data[i+1]
	}
	t, err := template.New("").Parse(s)
	if err != nil {
		return s
	}
	var b strings.Builder
	if err := t.Execute(&b, vars); err != nil {
		return s
	}
	return b.String()
}
