package db

import (
	"context"
	"fmt"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The search's last word is a prefix ("calle" finds "calles" and "callejón"). FTS5 serves a
// prefix of 2 to 4 characters from the prefix indexes (migration 0005); a longer one it answers
// only after reading and merging the whole list of every term with that prefix, whatever the
// LIMIT: at a million messages that was most of a search's time for a common word. So a longer
// prefix is expanded into the indexed terms that start with it, read from the index's
// vocabulary (migration 0006), and searched as ("calle" OR "calles" OR "callejon"), which FTS5
// reads lazily, newest first. The matches are the same: a prefix query matches exactly the
// documents of the terms with that prefix. Each index has its own vocabulary, so the
// expression differs per index.

// ftsExpandMin is the shortest prefix (in characters, once folded) that is expanded; shorter
// ones have a prefix index.
const ftsExpandMin = 5

// ftsExpandCap is the most terms a prefix is expanded into; a prefix with more is searched as a
// prefix. At a million messages stepping through a vocabulary costs 0.07 to 0.1 ms a term, and
// an OR of 38 terms (some in most messages) reads its newest 64 rows in 0.6 ms where the
// prefix query of those terms takes 170 ms; the cap bounds what a prefix with more terms costs
// before it falls back to the prefix query (about 3 ms an index).
var ftsExpandCap = 32

// ftsMatch is a search's match expression for each full-text index; "" when the input has no
// words.
type ftsMatch struct {
	cases, messages string
}

// vocabSQL steps through the terms of a vocabulary from lo (included) to hi (excluded), at
// most ?3 of them, each with one seek: an instance table returns a term's first occurrence
// without reading its list, and `term >= previous || char(0)` is the next term (fts5vocab
// treats > as >=, which would read every occurrence of the previous term).
const vocabSQL = `WITH RECURSIVE t(term) AS (
    SELECT (SELECT v.term FROM %[1]s v WHERE v.term >= ?1 AND v.term < ?2 LIMIT 1)
    UNION ALL
    SELECT (SELECT v.term FROM %[1]s v WHERE v.term >= t.term || char(0) AND v.term < ?2 LIMIT 1)
    FROM t WHERE t.term IS NOT NULL
    LIMIT ?3)
SELECT term FROM t WHERE term IS NOT NULL`

var (
	casesVocabSQL    = fmt.Sprintf(vocabSQL, "cases_fts_vocab")
	messagesVocabSQL = fmt.Sprintf(vocabSQL, "messages_fts_vocab")
)

// ftsWords are the words of a search as FTSQuery reads them.
func ftsWords(input string) []string {
	return strings.FieldsFunc(input, func(r rune) bool { return !unicode.IsLetter(r) && !unicode.IsDigit(r) })
}

// ftsMatches is FTSQuery for each index, with the last word's prefix expanded into the terms
// of that index when it is long enough, can be folded as the tokenizer folds it, and has at
// most ftsExpandCap terms; otherwise it is FTSQuery's.
func (r queries) ftsMatches(ctx context.Context, input string) (ftsMatch, error) {
	plain := FTSQuery(input)
	m := ftsMatch{cases: plain, messages: plain}
	words := ftsWords(input)
	if len(words) == 0 {
		return m, nil
	}
	prefix, ok := foldTerm(words[len(words)-1])
	if !ok || utf8.RuneCountInString(prefix) < ftsExpandMin {
		return m, nil
	}
	var head strings.Builder
	for _, w := range words[:len(words)-1] {
		head.WriteString(`"` + w + `" AND `)
	}
	for _, t := range []struct {
		sql string
		out *string
	}{{casesVocabSQL, &m.cases}, {messagesVocabSQL, &m.messages}} {
		terms, err := r.vocabTerms(ctx, t.sql, prefix)
		if err != nil {
			return m, fmt.Errorf("expand %q: %w", prefix, err)
		}
		switch {
		case len(terms) > ftsExpandCap:
			// Too many terms: the prefix query.
		case len(terms) == 0:
			*t.out = `""` // no term has the prefix: nothing matches
		default:
			var b strings.Builder
			b.WriteString(head.String())
			b.WriteByte('(')
			for i, term := range terms {
				if i > 0 {
					b.WriteString(" OR ")
				}
				b.WriteString(`"` + strings.ReplaceAll(term, `"`, `""`) + `"`)
			}
			b.WriteByte(')')
			*t.out = b.String()
		}
	}
	return m, nil
}

// vocabTerms reads the terms that start with prefix (folded, ASCII), at most ftsExpandCap+1 (more than the cap).
func (r queries) vocabTerms(ctx context.Context, query, prefix string) ([]string, error) {
	hi := prefix[:len(prefix)-1] + string(prefix[len(prefix)-1]+1)
	rows, err := r.db.QueryContext(ctx, query, prefix, hi, ftsExpandCap+1)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var terms []string
	for rows.Next() {
		var t string
		if err := rows.Scan(&t); err != nil {
			return nil, err
		}
		terms = append(terms, t)
	}
	return terms, rows.Err()
}

// latinFold is how the unicode61 tokenizer with remove_diacritics 2 folds the Latin letters
// with diacritics that this program folds (TestFoldTermMatchesTokenizer checks it against the
// tokenizer); any other letter beyond ASCII makes foldTerm give up.
var latinFold = map[rune]byte{}

func init() {
	for base, letters := range map[byte]string{
		'a': "àáâãäåÀÁÂÃÄÅāĀăĂąĄ", 'c': "çÇćĆčČ", 'd': "ďĎ", 'e': "èéêëÈÉÊËēĒėĖęĘěĚ", 'g': "ğĞ",
		'i': "ìíîïÌÍÎÏīĪįĮ", 'l': "ĺĹľĽ", 'n': "ñÑńŃňŇ", 'o': "òóôõöÒÓÔÕÖōŌőŐ", 'r': "ŕŔřŘ",
		's': "śŚšŠşŞ", 't': "ťŤ", 'u': "ùúûüÙÚÛÜūŪůŮűŰųŲ", 'y': "ýÿÝŸ", 'z': "źŹżŻžŽ",
	} {
		for _, l := range letters {
			latinFold[l] = base
		}
	}
}

// foldTerm folds a word as the full-text tokenizer does (lower case, without diacritics), for
// ASCII letters and digits and the letters of latinFold; ok is false for anything else.
func foldTerm(w string) (string, bool) {
	b := make([]byte, 0, len(w))
	for _, r := range w {
		switch {
		case r >= 'a' && r <= 'z', r >= '0' && r <= '9':
			b = append(b, byte(r))
		case r >= 'A' && r <= 'Z':
			b = append(b, byte(r)+'a'-'A')
		default:
			f, ok := latinFold[r]
			if !ok {
				return "", false
			}
			b = append(b, f)
		}
	}
	return string(b), len(b) > 0
}
