// Package verifycode makes and reads the short one-time codes a resident sends from their own
// network account to prove they control it. A code looks like "V-7K4Q9A": the prefix "V-" and
// six characters from an alphabet with no look-alike pairs (no 0/O, 1/I/L, 5/S, 2/Z, 8/B), so
// that a code read aloud at the counter or copied from a receipt survives being typed on a
// phone; every code has a digit and a letter so that it never reads as a Spanish word or a
// number. Random sources are passed in so that tests are exact.
package verifycode

import (
	"fmt"
	"io"
	"strings"
)

// Alphabet holds the characters a code's body is drawn from.
const Alphabet = "ACDEFGHJKMNPQRTUVWXY34679"

// Prefix starts every code; it tells a code apart from an ordinary word in a message.
const Prefix = "V-"

// Length is the number of characters after the prefix.
const Length = 6

// maxUnbiased is the largest multiple of len(Alphabet) that fits in a byte: bytes at or above
// it are thrown away so that every character is equally likely.
const maxUnbiased = 256 - 256%len(Alphabet)

// New draws a fresh code from r (crypto/rand.Reader in production). Bodies without both a
// digit and a letter are drawn again: about 180 million codes remain.
func New(r io.Reader) (string, error) {
	var buf [16]byte
	body := make([]byte, 0, Length)
	for {
		body = body[:0]
		for len(body) < Length {
			if _, err := io.ReadFull(r, buf[:]); err != nil {
				return "", fmt.Errorf("read random bytes for a verification code: %w", err)
			}
			for _, b := range buf {
				if int(b) >= maxUnbiased || len(body) == Length {
					continue
				}
				body = append(body, Alphabet[int(b)%len(Alphabet)])
			}
		}
		if mixed(string(body)) {
			return Prefix + string(body), nil
		}
	}
}

// Normalize reads a code as a resident may type it: any case, spaces or dots anywhere, the
// dash missing or doubled ("v 7k4q9a", "V7K4Q9A", "v-7k4-q9a"). It returns the canonical form
// ("V-7K4Q9A") and whether s was a well-formed code at all; it does not say whether the code
// was ever issued.
func Normalize(s string) (string, bool) {
	var b strings.Builder
	for _, r := range s {
		switch r {
		case ' ', '\t', '-', '.', '_', '\u00a0', '\u2010', '\u2011', '\u2012', '\u2013', '\u2014':
			continue
		}
		if r >= 'a' && r <= 'z' {
			r -= 'a' - 'A'
		}
		b.WriteRune(r)
		if b.Len() > 1+Length {
			return "", false
		}
	}
	compact := b.String()
	if len(compact) != 1+Length || compact[0] != Prefix[0] {
		return "", false
	}
	body := compact[1:]
	for i := 0; i < len(body); i++ {
		if strings.IndexByte(Alphabet, body[i]) < 0 {
			return "", false
		}
	}
	if !mixed(body) {
		return "", false
	}
	return Prefix + body, true
}

// mixed reports whether s has both a digit and a letter: such a body never reads as a word
// or as a number (a date, a phone fragment) in a resident's message.
func mixed(s string) bool {
	var digit, letter bool
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			digit = true
		} else {
			letter = true
		}
	}
	return digit && letter
}
