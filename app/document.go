package app

import (
	"strings"
)

// dniLetters is the check-letter table of the Spanish DNI: letter = table[number mod 23].
const dniLetters = "TRWAGMYFPDXBNJZSQVHLCKE"

// NormalizeDocument validates a Spanish DNI (8 digits + check letter) or NIE (X, Y or Z +
// 7 digits + check letter) and returns it in canonical form: upper case, no spaces, dots or
// dashes. The error says what is wrong in words a clerk can act on.
func NormalizeDocument(s string) (string, error) {
	var b strings.Builder
	for _, r := range strings.TrimSpace(s) {
		switch r {
		case ' ', '.', '-':
			continue
		}
		b.WriteRune(r)
	}
	doc := strings.ToUpper(b.String())
	if doc == "" {
		return "", Invalid("document", "DNI/NIE is empty")
	}
	if len(doc) != 9 {
		return "", Invalid("document", "a DNI/NIE has 9 characters (8 digits and a letter, or X/Y/Z, 7 digits and a letter); got %d", len([]rune(doc)))
	}
	digits := doc[:8]
	switch doc[0] {
	case 'X':
		digits = "0" + doc[1:8]
	case 'Y':
		digits = "1" + doc[1:8]
	case 'Z':
		digits = "2" + doc[1:8]
	}
	n := 0
	for i := 0; i < len(digits); i++ {
		c := digits[i]
		if c < '0' || c > '9' {
			return "", Invalid("document", "a DNI/NIE must have digits where %q is", string(c))
		}
		n = n*10 + int(c-'0')
	}
	want := dniLetters[n%23]
	if doc[8] != want {
		if doc[8] < 'A' || doc[8] > 'Z' {
			return "", Invalid("document", "a DNI/NIE ends in a letter")
		}
		return "", Invalid("document", "the check letter does not match the number (check for a typo)")
	}
	return doc, nil
}

// DocumentKind tells "dni" from "nie" for a normalised document.
func DocumentKind(doc string) string {
	if doc != "" && (doc[0] == 'X' || doc[0] == 'Y' || doc[0] == 'Z') {
		return "nie"
	}
	return "dni"
}

// MaskDocument hides all but the last three characters, for screens and logs that must not
// show a full document number.
func MaskDocument(doc string) string {
	if len(doc) <= 3 {
		return strings.Repeat("•", len(doc))
	}
	return strings.Repeat("•", len(doc)-3) + doc[len(doc)-3:]
}
