package verify

import (
	"fmt"
	"io"
	"strings"
	"unicode"
)

// codeAlphabet leaves out characters people confuse when reading a code aloud or copying it
// from paper: 0/O/Q-less pairs, 1/I/L, 2/Z, 5/S, 8/B.
const codeAlphabet = "ACDEFGHJKMNPQRTUVWXY34679"

// codeLen is the length of a code's body; 25^6 is about 2.4e8 codes, and attempts are limited.
const codeLen = 6

// codePrefix starts every code as shown to people; it makes a code easy to tell apart in text.
const codePrefix = "V-"

// newCode draws a code like "V-7K4Q9X" from rand. The body always has a digit and a letter,
// so that an ordinary word is never mistaken for a code.
func newCode(rand io.Reader) (string, error) {
	var buf [32]byte
	for {
		body := make([]byte, 0, codeLen)
		for len(body) < codeLen {
			if _, err := io.ReadFull(rand, buf[:]); err != nil {
				return "", fmt.Errorf("draw verification code: %w", err)
			}
			for _, b := range buf {
				// 250 = 10 × 25: dropping bytes above it keeps every character equally likely.
				if b < 250 && len(body) < codeLen {
					body = append(body, codeAlphabet[int(b)%len(codeAlphabet)])
				}
			}
		}
		if hasDigitAndLetter(string(body)) {
			return codePrefix + string(body), nil
		}
	}
}

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

// findCodes lists the code-shaped tokens of text, in order.
func findCodes(text string) []candidate {
	fields := strings.FieldsFunc(strings.ToUpper(text), func(r rune) bool {
		return !unicode.IsLetter(r) && !unicode.IsDigit(r) && r != '-' && r != '‐' && r != '–'
	})
	var out []candidate
	prev := ""
	for _, f := range fields {
		f = strings.NewReplacer("‐", "-", "–", "-").Replace(strings.Trim(f, "-‐–"))
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
