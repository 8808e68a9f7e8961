package intake

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// diacritics maps accented lower-case letters to their base letter.
var diacritics = map[rune]rune{
	'à': 'a', 'á': 'a', 'â': 'a', 'ã': 'a', 'ä': 'a', 'å': 'a',
	'ç': 'c', 'è': 'e', 'é': 'e', 'ê': 'e', 'ë': 'e',
	'ì': 'i', 'í': 'i', 'î': 'i', 'ï': 'i', 'ñ': 'n',
	'ò': 'o', 'ó': 'o', 'ô': 'o', 'õ': 'o', 'ö': 'o',
	'ù': 'u', 'ú': 'u', 'û': 'u', 'ü': 'u', 'ý': 'y', 'ÿ': 'y',
}

// Fold prepares text for matching: lower case, Spanish (and neighbouring) diacritics
// stripped, so "Tubería", "TUBERIA" and "tuberia" are equal, as are "Trámite" and "tramite".
// ñ folds to n: residents on phones without the key write "espana" as often as "España".
func Fold(s string) string {
	// Most words are plain ASCII: lower-casing is all they need, and nothing when they are
	// lower case already (intake folds every word of every message).
	upper := false
	for i := 0; i < len(s); i++ {
		c := s[i]
		if c >= utf8.RuneSelf {
			return foldRunes(s)
		}
		upper = upper || ('A' <= c && c <= 'Z')
	}
	if upper {
		return strings.ToLower(s)
	}
	return s
}

func foldRunes(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r = unicode.ToLower(r)
		if d, ok := diacritics[r]; ok {
			r = d
		}
		if unicode.Is(unicode.Mn, r) { // a combining accent typed separately
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// hashtagRune reports whether r may continue a hashtag, as X reads them: letters, digits,
// underscores and combining marks; punctuation, spaces and emoji end it.
func hashtagRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' || unicode.Is(unicode.Mn, r)
}

// Hashtags returns the hashtags in text, folded and without the #, in order of first
// appearance and without repeats. A hashtag starts with # (or the full-width ＃) not glued to
// a word ("C#" and "&#38;" are not hashtags), runs over letters, digits and underscores, and
// needs at least one letter ("#1" is not one).
func Hashtags(text string) []string {
	var out []string
	seen := map[string]bool{}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if (r != '#' && r != '＃') || glued(text, i) {
			i += size
			continue
		}
		j := i + size
		letter := false
		for j < len(text) {
			c, n := utf8.DecodeRuneInString(text[j:])
			if !hashtagRune(c) {
				break
			}
			letter = letter || unicode.IsLetter(c)
			j += n
		}
		if letter {
			tag := Fold(text[i+size : j])
			if !seen[tag] {
				seen[tag] = true
				out = append(out, tag)
			}
		}
		i = j
	}
	return out
}

// glued reports whether the character before byte i is part of a word, so that a # or @ at
// i is inside a token rather than starting one.
func glued(text string, i int) bool {
	if i == 0 {
		return false
	}
	p, _ := utf8.DecodeLastRuneInString(text[:i])
	return unicode.IsLetter(p) || unicode.IsDigit(p) || p == '_' || p == '&' || p == '#' || p == '@'
}

func handleByte(c byte) bool {
	return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '_'
}

// maxHandle is X's longest handle.
const maxHandle = 15

// Mentions returns the handles mentioned in text, without the @ and in the case written, in
// order of first appearance and without repeats (compared case-insensitively, as X does). A
// mention is @ (or ＠) not glued to a word, so an e-mail address is not one, followed by 1–15
// of [A-Za-z0-9_] and then not by another such character.
func Mentions(text string) []string {
	var out []string
	seen := map[string]bool{}
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if (r != '@' && r != '＠') || glued(text, i) {
			i += size
			continue
		}
		j := i + size
		for j < len(text) && handleByte(text[j]) {
			j++
		}
		h := text[i+size : j]
		next, _ := utf8.DecodeRuneInString(text[j:])
		if len(h) >= 1 && len(h) <= maxHandle && next != '@' && next != '＠' {
			if key := strings.ToLower(h); !seen[key] {
				seen[key] = true
				out = append(out, h)
			}
		}
		i = j
	}
	return out
}

// words splits folded text into words of letters and digits. Mentions and links are left
// out, so that "@AguasDeJun" does not read as "agua"; hashtags stay in, since "#basura" is
// as much about rubbish as "basura".
func words(text string) []string {
	var out []string
	for _, field := range strings.Fields(text) {
		if strings.HasPrefix(field, "http://") || strings.HasPrefix(field, "https://") || strings.HasPrefix(field, "www.") {
			continue
		}
		for i := 0; i < len(field); {
			r, size := utf8.DecodeRuneInString(field[i:])
			if r == '@' || r == '＠' {
				j := i + size
				for j < len(field) && handleByte(field[j]) {
					j++
				}
				i = j
				continue
			}
			if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
				i += size
				continue
			}
			j := i
			for j < len(field) {
				c, n := utf8.DecodeRuneInString(field[j:])
				if !unicode.IsLetter(c) && !unicode.IsDigit(c) && !unicode.Is(unicode.Mn, c) {
					break
				}
				j += n
			}
			out = append(out, Fold(field[i:j]))
			i = j
		}
	}
	return out
}

// phrase is a keyword prepared for matching: its folded words.
type phrase []string

func newPhrase(keyword string) phrase { return phrase(words(keyword)) }

// matchIn reports whether p occurs in ws: all words equal, except the last, which may be the
// start of a longer word ("farola" matches "farolas", "luz de la calle" matches "luz de la
// calles"). It returns the phrase's length in bytes, as a measure of how specific the match
// is, or 0.
func (p phrase) matchIn(ws []string) int {
	if len(p) == 0 {
		return 0
	}
	last := len(p) - 1
outer:
	for i := 0; i+len(p) <= len(ws); i++ {
		for k, w := range p {
			if k == last {
				if !strings.HasPrefix(ws[i+k], w) {
					continue outer
				}
			} else if ws[i+k] != w {
				continue outer
			}
		}
		n := 0
		for _, w := range p {
			n += len(w) + 1
		}
		return n
	}
	return 0
}
