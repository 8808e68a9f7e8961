package network

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// MaxWeightedLength is the longest post X accepts, in weighted characters.
const MaxWeightedLength = 280

// The twitter-text v3 configuration: every code point weighs defaultWeight unless it falls in one
// of lightRanges; a URL weighs urlLength characters whatever its length; an emoji (including a
// ZWJ sequence, a flag or a keycap) weighs two characters.
const (
	weightScale   = 100
	defaultWeight = 200
	lightWeight   = 100
	urlLength     = 23
	emojiWeight   = 200
)

var lightRanges = [][2]rune{
	{0x0000, 0x10FF},
	{0x2000, 0x200D},
	{0x2010, 0x201F},
	{0x2032, 0x2037},
}

// urlPattern approximates twitter-text's URL extraction: explicit http(s) URLs and www. hosts.
// Trailing punctuation is not part of the URL, as in twitter-text.
var urlPattern = regexp.MustCompile(`(?i)\b(?:https?://|www\.)[^\s]+`)

// WeightedLength is the length X counts for text (twitter-text v3): the text is NFC-normalised,
// code points weigh 1 or 2, each URL counts 23 and each emoji 2. A post is accepted when
// WeightedLength(text) <= MaxWeightedLength.
func WeightedLength(text string) int {
	text = norm.NFC.String(text)
	total := 0
	last := 0
	for _, loc := range urlPattern.FindAllStringIndex(text, -1) {
		start, end := loc[0], loc[1]
		end = start + len(strings.TrimRight(text[start:end], ".,;:!?)]}'\"…"))
		total += weightOf(text[last:start])
		if end > start {
			total += urlLength * weightScale
		}
		last = end
	}
	total += weightOf(text[last:])
	return total / weightScale
}

func weightOf(s string) int {
	total := 0
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if n := emojiSequenceLen(s[i:]); n > 0 {
			total += emojiWeight
			i += n
			continue
		}
		total += runeWeight(r)
		i += size
	}
	return total
}

func runeWeight(r rune) int {
	for _, rg := range lightRanges {
		if r >= rg[0] && r <= rg[1] {
			return lightWeight
		}
	}
	return defaultWeight
}

// emojiSequenceLen returns the byte length of the emoji sequence at the start of s, or 0.
func emojiSequenceLen(s string) int {
	r, size := utf8.DecodeRuneInString(s)
	switch {
	case isRegionalIndicator(r):
		if r2, size2 := utf8.DecodeRuneInString(s[size:]); isRegionalIndicator(r2) {
			return size + size2
		}
		return size
	case isKeycapBase(r):
		// A keycap is base, optional VS16, U+20E3.
		n := size
		if r2, s2 := utf8.DecodeRuneInString(s[n:]); r2 == 0xFE0F {
			n += s2
		}
		if r2, s2 := utf8.DecodeRuneInString(s[n:]); r2 == 0x20E3 {
			return n + s2
		}
		return 0
	case isEmojiBase(r):
	case r < 0x2000:
		// Text-default symbols such as © become emoji only with VS16.
		if r == 0x00A9 || r == 0x00AE {
			if r2, s2 := utf8.DecodeRuneInString(s[size:]); r2 == 0xFE0F {
				return size + s2
			}
		}
		return 0
	default:
		return 0
	}
	n := size
	for n < len(s) {
		r2, s2 := utf8.DecodeRuneInString(s[n:])
		switch {
		case r2 == 0xFE0F || r2 == 0xFE0E || (r2 >= 0x1F3FB && r2 <= 0x1F3FF) || (r2 >= 0xE0020 && r2 <= 0xE007F) || r2 == 0x20E3:
			n += s2
		case r2 == 0x200D:
			r3, s3 := utf8.DecodeRuneInString(s[n+s2:])
			if !isEmojiBase(r3) {
				return n
			}
			n += s2 + s3
		default:
			return n
		}
	}
	return n
}

func isRegionalIndicator(r rune) bool { return r >= 0x1F1E6 && r <= 0x1F1FF }

func isKeycapBase(r rune) bool { return r == '#' || r == '*' || (r >= '0' && r <= '9') }

func isEmojiBase(r rune) bool {
	switch {
	case r >= 0x1F000 && r <= 0x1FAFF:
		return true
	case r >= 0x2600 && r <= 0x27BF:
		return true
	case r >= 0x2300 && r <= 0x23FF:
		return true
	case r >= 0x2B00 && r <= 0x2BFF:
		return true
	case r == 0x203C || r == 0x2049 || r == 0x2122 || r == 0x2139 || (r >= 0x2194 && r <= 0x21AA) || r == 0x3030 || r == 0x303D || r == 0x3297 || r == 0x3299:
		return true
	}
	return false
}
