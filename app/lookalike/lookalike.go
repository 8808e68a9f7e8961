// Package lookalike defends residents and staff against accounts that impersonate the town
// hall: it folds a handle to a skeleton in which characters that look alike are the same
// (0 and o, 1 and l, Cyrillic а and Latin a, an underscore and nothing), flags handles whose
// skeleton equals or nearly equals an official account's, and strips from display names the
// invisible and direction-changing characters that make a fake name read like a real one.
package lookalike

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// confusables maps a rune to the Latin letter it is mistaken for. Keys are checked before
// lower-casing, so that a capital I (which looks like l) and a lower-case i stay apart.
var confusables = map[rune]rune{
	// digits and symbols
	'0': 'o', '1': 'l', '|': 'l', '!': 'l', '3': 'e', '4': 'a', '5': 's', '7': 't', '8': 'b', '9': 'g',
	'$': 's', '@': 'a',
	'I': 'l', 'ı': 'i', 'ǀ': 'l',
	// Cyrillic
	'а': 'a', 'А': 'a', 'в': 'b', 'В': 'b', 'е': 'e', 'Е': 'e', 'ё': 'e', 'Ё': 'e', 'к': 'k', 'К': 'k',
	'м': 'm', 'М': 'm', 'н': 'h', 'Н': 'h', 'о': 'o', 'О': 'o', 'р': 'p', 'Р': 'p', 'с': 'c', 'С': 'c',
	'т': 't', 'Т': 't', 'у': 'y', 'У': 'y', 'х': 'x', 'Х': 'x', 'і': 'i', 'І': 'l', 'ї': 'i', 'ј': 'j',
	'Ј': 'j', 'ѕ': 's', 'Ѕ': 's', 'ԁ': 'd', 'ӏ': 'l', 'Ӏ': 'l', 'һ': 'h', 'ԛ': 'q', 'ԝ': 'w', 'п': 'n',
	// Greek
	'α': 'a', 'Α': 'a', 'β': 'b', 'Β': 'b', 'ε': 'e', 'Ε': 'e', 'η': 'n', 'Η': 'h', 'ι': 'i', 'Ι': 'l',
	'κ': 'k', 'Κ': 'k', 'μ': 'u', 'Μ': 'm', 'ν': 'v', 'Ν': 'n', 'ο': 'o', 'Ο': 'o', 'ρ': 'p', 'Ρ': 'p',
	'τ': 't', 'Τ': 't', 'υ': 'u', 'Υ': 'y', 'χ': 'x', 'Χ': 'x', 'Ζ': 'z', 'ς': 's',
	'ω': 'w', 'Ϲ': 'c', 'ϲ': 'c',
}

// diacritics maps accented Latin letters (already lower case) to their base letter.
var diacritics = map[rune]rune{
	'à': 'a', 'á': 'a', 'â': 'a', 'ã': 'a', 'ä': 'a', 'å': 'a', 'ā': 'a', 'ă': 'a', 'ą': 'a',
	'ç': 'c', 'ć': 'c', 'č': 'c', 'ď': 'd', 'đ': 'd',
	'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e', 'ē': 'e', 'ę': 'e', 'ě': 'e',
	'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i', 'ī': 'i', 'į': 'i',
	'ñ': 'n', 'ń': 'n', 'ň': 'n',
	'ò': 'o', 'ó': 'o', 'ô': 'o', 'õ': 'o', 'ö': 'o', 'ø': 'o', 'ō': 'o', 'ő': 'o',
	'ù': 'u', 'ú': 'u', 'û': 'u', 'ü': 'u', 'ū': 'u', 'ů': 'u', 'ű': 'u',
	'ý': 'y', 'ÿ': 'y', 'ś': 's', 'š': 's', 'ş': 's', 'ź': 'z', 'ż': 'z', 'ž': 'z', 'ł': 'l',
	'ŕ': 'r', 'ř': 'r', 'ť': 't', 'ţ': 't',
}

// Skeleton folds a handle to the form in which look-alike handles are equal: a leading @
// dropped, full-width forms made ASCII, digits and foreign letters that look Latin mapped to
// the Latin letter, capital I to l, diacritics stripped, lower case, separators (_ . -) and
// invisible characters removed, and "rn" read as "m", "vv" as "w".
func Skeleton(handle string) string {
	handle = strings.TrimPrefix(strings.TrimSpace(handle), "@")
	var b strings.Builder
	for _, r := range handle {
		if r >= 0xFF01 && r <= 0xFF5E { // full-width ASCII
			r -= 0xFEE0
		}
		if Invisible(r) || r == '_' || r == '.' || r == '-' || unicode.Is(unicode.Mn, r) {
			continue
		}
		if c, ok := confusables[r]; ok {
			r = c
		}
		r = unicode.ToLower(r)
		if c, ok := diacritics[r]; ok {
			r = c
		}
		b.WriteRune(r)
	}
	s := b.String()
	s = strings.ReplaceAll(s, "rn", "m")
	s = strings.ReplaceAll(s, "vv", "w")
	return s
}

// minFuzzyLength is the shortest skeleton for which a one-character difference still counts
// as a look-alike: below it, a single edit turns one short name into another real one.
const minFuzzyLength = 6

// LooksLike reports whether handle could pass for official without being it: the handles
// differ (X handles are case-insensitive, so "aytojun" is the same account as "AytoJun") but
// their skeletons are equal, or differ by one edit when the official skeleton has at least six
// characters.
func LooksLike(handle, official string) bool {
	h := strings.TrimPrefix(strings.TrimSpace(handle), "@")
	o := strings.TrimPrefix(strings.TrimSpace(official), "@")
	if h == "" || o == "" || strings.EqualFold(h, o) {
		return false
	}
	sh, so := Skeleton(h), Skeleton(o)
	if sh == "" || so == "" {
		return false
	}
	if sh == so {
		return true
	}
	return utf8.RuneCountInString(so) >= minFuzzyLength && withinOneEdit(sh, so)
}

// Flag returns the official account that handle imitates, if any. An official handle itself
// is never flagged. When handle imitates several, an exact skeleton match wins over a
// one-edit one, and earlier officials over later ones.
func Flag(handle string, officials []string) (official string, ok bool) {
	h := strings.TrimPrefix(strings.TrimSpace(handle), "@")
	for _, o := range officials {
		if strings.EqualFold(h, strings.TrimPrefix(strings.TrimSpace(o), "@")) {
			return "", false
		}
	}
	sh := Skeleton(h)
	for _, o := range officials {
		if LooksLike(h, o) && Skeleton(o) == sh {
			return o, true
		}
	}
	for _, o := range officials {
		if LooksLike(h, o) {
			return o, true
		}
	}
	return "", false
}

// withinOneEdit reports whether a and b are at Levenshtein distance of at most one.
func withinOneEdit(a, b string) bool {
	ra, rb := []rune(a), []rune(b)
	if len(ra) > len(rb) {
		ra, rb = rb, ra
	}
	if len(rb)-len(ra) > 1 {
		return false
	}
	i := 0
	for i < len(ra) && ra[i] == rb[i] {
		i++
	}
	if len(ra) == len(rb) {
		return i == len(ra) || string(ra[i+1:]) == string(rb[i+1:])
	}
	return string(ra[i:]) == string(rb[i+1:])
}

// Invisible reports bidirectional controls and zero-width characters: they can reorder or
// hide parts of a name on screen.
func Invisible(r rune) bool {
	switch {
	case r >= 0x202A && r <= 0x202E, r >= 0x2066 && r <= 0x2069, r == 0x200E, r == 0x200F, r == 0x061C:
		return true
	case r >= 0x200B && r <= 0x200D, r == 0x2060, r == 0xFEFF, r == 0x180E, r == 0x00AD:
		return true
	}
	return false
}

// SafeDisplay makes a display name safe to show next to official names: bidirectional
// controls (which can reverse "nuJotyA" into "AytoJun" on screen), zero-width characters and
// control characters are removed, line breaks and tabs become spaces, invalid UTF-8 becomes
// U+FFFD and surrounding space is trimmed.
func SafeDisplay(name string) string {
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(name, "\uFFFD") {
		switch {
		case Invisible(r):
			continue
		case r == '\n' || r == '\r' || r == '\t' || r == '\u2028' || r == '\u2029':
			b.WriteRune(' ')
		case unicode.IsControl(r):
			continue
		default:
			b.WriteRune(r)
		}
	}
	return strings.TrimSpace(b.String())
}
