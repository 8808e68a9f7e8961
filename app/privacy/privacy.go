// Package privacy finds personal data that residents put in public posts — DNI/NIE numbers,
// phone numbers, e-mail addresses, bank accounts (IBAN) and street addresses — so that the
// desk can flag the case, answer by DM instead of in public, and show staff a redacted text.
// Detection leans towards precision on the things a town hall writes every day: registry
// numbers (E-2026-000123), dates, years, prices and hashtags are not personal data and are
// not flagged; documents and IBANs are only flagged when their check characters are right.
package privacy

import (
	"math/big"
	"regexp"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"ventanilla/app"
)

// Kinds of finding.
const (
	KindDocument = "document"
	KindPhone    = "phone"
	KindEmail    = "email"
	KindIBAN     = "iban"
	KindAddress  = "address"
)

// Finding is one piece of personal data in a text: its kind and its byte offsets, text[Start:End].
type Finding struct {
	Kind       string
	Start, End int
}

// Placeholder replaces each finding in Redact.
const Placeholder = "[…]"

var (
	// A DNI (8 digits) or NIE (X/Y/Z and 7 digits), then the check letter, with the
	// separators people type: "12345678Z", "12.345.678-Z", "X-1234567-L".
	documentRE = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}_])((?:[XYZ][ .-]?\d{7}|\d{8}|\d{2}\.\d{3}\.\d{3})[ .-]?[A-Z])(?:$|[^\p{L}\p{N}_])`)
	emailRE    = regexp.MustCompile(`[A-Za-z0-9._%+\-]+@[A-Za-z0-9\-]+(?:\.[A-Za-z0-9\-]+)*\.[A-Za-z]{2,}`)
	// ES, two check digits and twenty digits, optionally grouped by spaces or dashes.
	ibanRE = regexp.MustCompile(`(?i)(?:^|[^\p{L}\p{N}_])(ES(?:[ -]?\d){22})(?:$|[^\p{L}\p{N}_])`)
)

// Detect returns the personal data found in text, sorted by Start and without overlaps (when
// two findings overlap, the one that starts first, or else the longer, is kept).
func Detect(text string) []Finding { return detect(text, true) }

// detect is Detect; with skip, a detector only runs when text has what it needs to match
// (intake checks every message, and most have no document, account, e-mail, phone or
// address): ASCII digits for documents (7), bank accounts (22) and phone numbers (\d is
// ASCII, and so are a phone's digits), '@' for e-mail, and a digit or the "/" of "s/n" for
// an address (its house number). FuzzDetectSkips checks that skipping changes nothing.
func detect(text string, skip bool) []Finding {
	var all []Finding
	digits := 0
	for i := 0; i < len(text); i++ {
		if isDigit(text[i]) {
			digits++
		}
	}
	if !skip || digits >= 7 {
		all = append(all, submatches(text, documentRE, KindDocument, validDocument)...)
	}
	if !skip || digits >= 22 {
		all = append(all, submatches(text, ibanRE, KindIBAN, validIBAN)...)
	}
	if !skip || strings.IndexByte(text, '@') >= 0 {
		for _, loc := range emailRE.FindAllStringIndex(text, -1) {
			all = append(all, Finding{Kind: KindEmail, Start: loc[0], End: loc[1]})
		}
	}
	if !skip || digits > 0 {
		all = append(all, phones(text)...)
	}
	if !skip || digits > 0 || strings.IndexByte(text, '/') >= 0 {
		all = append(all, addresses(text)...)
	}

	sort.SliceStable(all, func(i, j int) bool {
		if all[i].Start != all[j].Start {
			return all[i].Start < all[j].Start
		}
		return all[i].End > all[j].End
	})
	var out []Finding
	for _, f := range all {
		if n := len(out); n > 0 && f.Start < out[n-1].End {
			continue
		}
		out = append(out, f)
	}
	return out
}

// Redact returns text with every finding replaced by Placeholder.
func Redact(text string) string {
	findings := Detect(text)
	if len(findings) == 0 {
		return text
	}
	var b strings.Builder
	last := 0
	for _, f := range findings {
		b.WriteString(text[last:f.Start])
		b.WriteString(Placeholder)
		last = f.End
	}
	b.WriteString(text[last:])
	return b.String()
}

// submatches returns group 1 of every match of re for which valid holds.
func submatches(text string, re *regexp.Regexp, kind string, valid func(string) bool) []Finding {
	var out []Finding
	for start := 0; start < len(text); {
		loc := re.FindStringSubmatchIndex(text[start:])
		if loc == nil {
			break
		}
		s, e := start+loc[2], start+loc[3]
		if valid(text[s:e]) {
			out = append(out, Finding{Kind: kind, Start: s, End: e})
		}
		// The boundary character after a match may be the one before the next.
		start = e
	}
	return out
}

func validDocument(s string) bool {
	_, err := app.NormalizeDocument(s)
	return err == nil
}

// validIBAN checks a Spanish IBAN's mod-97 check digits (ISO 13616).
func validIBAN(s string) bool {
	var digits []byte
	for i := 0; i < len(s); i++ {
		if s[i] >= '0' && s[i] <= '9' {
			digits = append(digits, s[i])
		}
	}
	if len(digits) != 22 {
		return false
	}
	// Move "ES" and the check digits to the end; E = 14, S = 28.
	rearranged := string(digits[2:]) + "1428" + string(digits[:2])
	n, ok := new(big.Int).SetString(rearranged, 10)
	return ok && new(big.Int).Mod(n, big.NewInt(97)).Int64() == 1
}

// phones finds Spanish phone numbers: nine digits starting with 6, 7, 8 or 9, optionally
// after +34 or 0034, grouped by spaces, dots or dashes as people write them. Digit runs that
// are part of something else — a registry number, a date, a price — do not qualify.
func phones(text string) []Finding {
	var out []Finding
	i := 0
	for i < len(text) {
		c := text[i]
		startsNumber := isDigit(c) || (c == '+' && i+1 < len(text) && isDigit(text[i+1])) ||
			(c == '(' && i+2 < len(text) && text[i+1] == '+' && isDigit(text[i+2]))
		if !startsNumber || attachedBefore(text, i) {
			i++
			continue
		}
		end, found := phoneAt(text, i)
		if found {
			out = append(out, Finding{Kind: KindPhone, Start: i, End: end})
		}
		if end <= i {
			end = i + 1
		}
		i = end
	}
	return out
}

// phoneAt reads the run of digit groups that starts at i and returns where it ends and
// whether it is a phone number. The run may hold a phone number followed by other digits
// separated by a space ("600 123 456 2026"); then the phone number alone is reported.
func phoneAt(text string, i int) (end int, found bool) {
	type group struct{ start, end int }
	var groups []group
	plus := false
	j := i
	if text[j] == '(' {
		j++
	}
	if text[j] == '+' {
		plus = true
		j++
	}
	for {
		gs := j
		for j < len(text) && isDigit(text[j]) {
			j++
		}
		if j == gs {
			break
		}
		groups = append(groups, group{gs, j})
		// Up to two separators (") ", " - ") between groups, and a digit after them.
		k := j
		for n := 0; n < 2 && k < len(text) && strings.IndexByte(" .-()", text[k]) >= 0; n++ {
			k++
		}
		if k == j || k >= len(text) || !isDigit(text[k]) {
			break
		}
		j = k
	}
	runEnd := groups[len(groups)-1].end
	if runEnd < len(text) && attachedAfter(text, runEnd) {
		return runEnd, false
	}
	var digits strings.Builder
	for g := 0; g < len(groups); g++ {
		digits.WriteString(text[groups[g].start:groups[g].end])
		d := digits.String()
		if len(d) > 13 {
			break
		}
		ok := false
		switch {
		case len(d) == 9:
			ok = !plus && isMobileOrFixed(d[0])
		case len(d) == 11 && plus:
			ok = strings.HasPrefix(d, "34") && isMobileOrFixed(d[2])
		case len(d) == 13 && !plus:
			ok = strings.HasPrefix(d, "0034") && isMobileOrFixed(d[4])
		}
		if !ok {
			continue
		}
		stop := groups[g].end
		if g+1 < len(groups) {
			// Groups joined by '.' or '-' belong to one number ("2026-000123"): only a space
			// may part a phone number from the digits after it.
			if sep := text[stop:groups[g+1].start]; strings.Trim(sep, " ") != "" {
				return runEnd, false
			}
		}
		if priceAfter(text, stop) {
			return runEnd, false
		}
		return stop, true
	}
	return runEnd, false
}

func isDigit(c byte) bool { return c >= '0' && c <= '9' }

func isMobileOrFixed(c byte) bool { return c >= '6' && c <= '9' }

// attachedBefore reports whether the character before i makes a digit run part of a larger
// token: a word ("E-2026…", "ref123"), a date or a decimal ("12/05", "1.234,50"), a hashtag.
func attachedBefore(text string, i int) bool {
	if i == 0 {
		return false
	}
	r, size := utf8.DecodeLastRuneInString(text[:i])
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return true
	}
	switch r {
	case '_', '/', '#', '@', ',', '€', '$', '%', '+':
		return true
	case '-', '.':
		// "E-2026", "v.2": joined to what comes before.
		if i-size > 0 {
			p, _ := utf8.DecodeLastRuneInString(text[:i-size])
			return unicode.IsLetter(p) || unicode.IsDigit(p)
		}
	}
	return false
}

// attachedAfter reports whether the character at i glues a digit run to what follows.
func attachedAfter(text string, i int) bool {
	r, size := utf8.DecodeRuneInString(text[i:])
	if unicode.IsLetter(r) || unicode.IsDigit(r) {
		return true
	}
	switch r {
	case '_', '/', '%', '€':
		return true
	case '.', '-', ',':
		if i+size < len(text) {
			n, _ := utf8.DecodeRuneInString(text[i+size:])
			return unicode.IsDigit(n)
		}
	}
	return false
}

// priceAfter reports whether an amount of money follows position i ("600 €", "600 euros").
func priceAfter(text string, i int) bool {
	rest := strings.TrimLeft(text[i:], " \u00a0")
	lower := strings.ToLower(rest)
	return strings.HasPrefix(rest, "€") || strings.HasPrefix(lower, "euro") || strings.HasPrefix(lower, "eur ")
}
