package verify

import (
	"fmt"
	"strings"
	"unicode"

	"ventanilla/app/lookalike"
)

// confusables maps characters that look alike in a handle to one skeleton character. X
// handles are ASCII, but display names and other networks are not, so Cyrillic and Greek
// look-alikes are folded too.
var confusables = map[rune]string{
	'0': "o", '1': "l", 'i': "l", '|': "l", '!': "l", '3': "e", '4': "a", '5': "s", '7': "t", '8': "b", '9': "g",
	'а': "a", 'е': "e", 'о': "o", 'р': "p", 'с': "c", 'у': "y", 'х': "x", 'і': "l", 'ј': "l", 'ѕ': "s", 'ԁ': "d",
	'ο': "o", 'α': "a", 'ε': "e", 'ι': "l", 'κ': "k", 'ν': "v", 'ρ': "p", 'τ': "t", 'υ': "u", 'χ': "x",
}

// skeleton reduces a handle to what a reader sees: lower case, confusables folded, separators
// dropped, "rn" read as "m" and "vv" as "w".
func skeleton(handle string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(strings.TrimPrefix(handle, "@")) {
		if r == '_' || r == '.' || r == '-' || isInvisible(r) {
			continue
		}
		if s, ok := confusables[r]; ok {
			b.WriteString(s)
			continue
		}
		b.WriteRune(r)
	}
	return strings.NewReplacer("rn", "m", "vv", "w").Replace(b.String())
}

// lookalikeOf reports the official handle that handle imitates, if any: what app/lookalike
// flags (same skeleton, or one edit away), or the official's skeleton inside it
// ("AytoVillaverde_ES"), without being that account.
func lookalikeOf(handle string, officials []string) (string, bool) {
	h := strings.TrimPrefix(handle, "@")
	if o, ok := lookalike.Flag(h, officials); ok {
		return strings.TrimPrefix(strings.TrimSpace(o), "@"), true
	}
	sk := skeleton(h)
	for _, o := range officials {
		o = strings.TrimPrefix(strings.TrimSpace(o), "@")
		if o == "" || strings.EqualFold(o, h) {
			continue
		}
		osk := skeleton(o)
		if sk == osk || (len(osk) >= 5 && strings.Contains(sk, osk)) {
			return o, true
		}
	}
	return "", false
}

// isInvisible reports bidirectional controls and zero-width characters: they can reorder or
// hide parts of a name on screen.
func isInvisible(r rune) bool {
	switch {
	case r >= 0x200B && r <= 0x200F, r >= 0x202A && r <= 0x202E, r >= 0x2060 && r <= 0x2069,
		r == 0xFEFF, r == 0x061C, r == 0x180E, r == 0x00AD:
		return true
	}
	return false
}

// SafeText makes a name from the network safe to show: bidirectional controls, zero-width
// characters and other control characters are replaced by a visible <U+XXXX>, and suspicious
// reports whether there were any.
func SafeText(s string) (safe string, suspicious bool) {
	var b strings.Builder
	for _, r := range s {
		if isInvisible(r) || (unicode.IsControl(r) && r != ' ') {
			fmt.Fprintf(&b, "<U+%04X>", r)
			suspicious = true
			continue
		}
		b.WriteRune(r)
	}
	return b.String(), suspicious
}
