// Package verifycode makes and reads the short one-time codes a resident sends from their own
// network account to prove they control it. A code looks like "V-7K4Q9A": the prefix "V-" and
// six characters from an alphabet with no look-alike pairs (no 0/O, 1/I/L, 5/S, 2/Z, 8/B), so
// that a code read aloud at the counter or copied from a receipt survives being typed on a
// phone; every code has at least one digit so that it never reads as a Spanish word. Random
// sources are passed in so that tests are exact.
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

// New draws a fresh code from r (crypto/rand.Reader in production). Codes without a digit are
// drawn again, so the code space is 25^6 - 20^6, about 180 million.
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
		if hasDigit(string(body)) {
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
	if !hasDigit(body) {
		return "", false
	}
	return Prefix + body, true
}

func hasDigit(s string) bool {
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			return true
		}
	}
	return false
}
