package ui

import (
	"testing"

	"fyne.io/fyne/v2/lang"
)

// TestInterfaceLanguage: the interface is in Spanish unless the administrator chose English
// or the system's locale is English, whatever the locale says otherwise (C, unset, another
// language), and the administrator's choice wins over the system's.
func TestInterfaceLanguage(t *testing.T) {
	defer SetLanguage("es")
	for _, tc := range []struct {
		env, choice, want string
	}{
		{"", "", "Entrar"},
		{"C", "", "Entrar"},
		{"C.UTF-8", "", "Entrar"},
		{"POSIX", "", "Entrar"},
		{"fr_FR.UTF-8", "", "Entrar"},
		{"es_ES.UTF-8", "", "Entrar"},
		{"en_US.UTF-8", "", "Sign in"},
		{"en_GB.UTF-8", "es", "Entrar"},
		{"es_ES.UTF-8", "en", "Sign in"},
		{"C.UTF-8", "en", "Sign in"},
		{"", "es", "Entrar"},
	} {
		t.Setenv("LANGUAGE", "")
		t.Setenv("LC_ALL", "")
		t.Setenv("LC_MESSAGES", "")
		t.Setenv("LANG", tc.env)
		SetLanguage(tc.choice)
		if got := lang.L("Sign in"); got != tc.want {
			t.Errorf("LANG=%q, choice %q: %q, want %q", tc.env, tc.choice, got, tc.want)
		}
		wantCode := map[string]string{"Entrar": "es", "Sign in": "en"}[tc.want]
		if got := Language(); got != wantCode {
			t.Errorf("LANG=%q, choice %q: Language() %q, want %q", tc.env, tc.choice, got, wantCode)
		}
	}
}
