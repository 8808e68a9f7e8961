package assets

import "embed"

// KioskTranslations holds the kiosk's and the training mode's strings: kiosk/es.json,
// kiosk/en.json, training/es.json and training/en.json. The kiosk switches language at run
// time, so ui/kiosk also reads these files directly.
//
//go:embed kiosk/*.json training/*.json
var KioskTranslations embed.FS
