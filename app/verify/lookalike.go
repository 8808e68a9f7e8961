package verify

import (
	"fmt"
	"strings"
	"unicode"

	"ventanilla/app/lookalike"
)

// lookalikeOf reports the official handle that handle imitates, if any: what app/lookalike
// flags (same skeleton, or one edit away), or the official's skeleton inside it
// ("AytoVillaverde_ES"), without being that account.
func lookalikeOf(handle string, officials []string) (string, bool) {
	h := strings.TrimPrefix(handle, "@")
	if o, ok := lookalike.Flag(h, officials); ok {
		return strings.TrimPrefix(strings.TrimSpace(o), "@"), true
	}
	sk := lookalike.Skeleton(h)
	for _, o := range officials {
		o = strings.TrimPrefix(strings.TrimSpace(o), "@")
		if o == "" || strings.EqualFold(o, h) {
			continue
		}
		osk := lookalike.Skeleton(o)
		if sk == osk || (len(osk) >= 5 && strings.Contains(sk, osk)) {
			return o, true
		}
	}
	return "", false
}

// SafeText makes a name from the network safe to show: bidirectional controls, zero-width
// characters and other control characters are replaced by a visible <U+XXXX>, and suspicious
// reports whether there were any.
func SafeText(s string) (safe string, suspicious bool) {
	var b strings.Builder
	for _, r := range s {
		if lookalike.Invisible(r) || (unicode.IsControl(r) && r != ' ') {
			fmt.Fprintf(&b, "<U+%04X>", r)
			suspicious = true
			continue
		}
		b.WriteRune(r)
	}
	return b.String(), suspicious
}
