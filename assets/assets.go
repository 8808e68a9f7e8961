// Package assets embeds the files the desk ships with: the translations (Spanish, the
// default, and English) and the application icon.
package assets

import (
	"embed"
	_ "embed"

	"fyne.io/fyne/v2"
)

// Translations holds translations/es.json and translations/en.json, for lang.AddTranslationsFS.
//
//go:embed translations/*.json
var Translations embed.FS

//go:embed icon.png
var iconPNG []byte

// Icon is the application icon.
var Icon = fyne.NewStaticResource("icon.png", iconPNG)
