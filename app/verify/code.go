package verify

import (
	"strings"
	"unicode"

	"ventanilla/app/verifycode"
)

// The code's shape comes from verifycode: a prefix and a body from an alphabet without
// look-alike characters.
const (
	codeAlphabet = verifycode.Alphabet
	codeLen      = verifycode.Length
	codePrefix   = verifycode.Prefix
)

func hasDigitAndLetter(s string) bool {
	var d, l bool
	for _, r := range s {
		if r >= '0' && r <= '9' {
			d = true
		} else {
			l = true
		}
	}
	return d && l
}

func inAlphabet(s string) bool {
	if len(s) != codeLen {
		return false
	}
	for i := 0; i < len(s); i++ {
		if strings.IndexByte(codeAlphabet, s[i]) < 0 {
			return false
		}
	}
	return true
}

// codeWords are words residents put before a code ("código V-7K4Q9X", "VERIFICAR 7K4Q9X").
var codeWords = map[string]bool{
	"CODIGO": true, "CÓDIGO": true, "COD": true, "CODE": true, "VERIFICAR": true, "VERIFICACION": true,
	"VERIFICACIÓN": true, "VERIFY": true, "VERIFICO": true, "V": true,
}

// candidate is a code-shaped token found in a message. A strong one was marked as a code by
// the resident (the V- prefix or a word such as "código") and is always a verification
// attempt; a weak one (six code characters, letters and digits, alone) is an attempt only if
// such a code was issued.
type candidate struct {
	code   string // canonical: "V-" + body
	strong bool
}

// dashes turns the dashes phones put in place of "-" into "-".
var dashes = strings.NewReplacer("‐", "-", "–", "-")

// findCodes lists the code-shaped tokens of text, in order.
func findCodes(text string) []candidate {
	fields := strings.FieldsFunc(strings.ToUpper(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '‐' && r != '–'
	})
	var out []candidate
	prev := ""
	for _, f := range fields {
		f = dashes.Replace(strings.Trim(f, "-‐–"))
		switch {
		case strings.HasPrefix(f, "V-") && inAlphabet(f[2:]):
			out = append(out, candidate{code: codePrefix + f[2:], strong: true})
		case len(f) == codeLen+1 && f[0] == 'V' && inAlphabet(f[1:]) && hasDigitAndLetter(f[1:]):
			out = append(out, candidate{code: codePrefix + f[1:], strong: true})
		case inAlphabet(f) && (codeWords[prev] || hasDigitAndLetter(f)):
			out = append(out, candidate{code: codePrefix + f, strong: codeWords[prev]})
		}
		prev = strings.TrimRight(f, ":")
	}
	return out
}

// LooksLikeCode reports whether text carries something shaped like a verification code, with
// or without the "V-" prefix or a word such as "código" before it, in any case.
func LooksLikeCode(text string) bool { return len(findCodes(text)) > 0 }

// NormalizeCode returns the canonical form ("V-7K4Q9X") of a code typed in any case, with or
// without its prefix, or "" when s is not a code.
func NormalizeCode(s string) string {
	c := findCodes(s)
	if len(c) != 1 {
		return ""
	}
	return c[0].code
}
