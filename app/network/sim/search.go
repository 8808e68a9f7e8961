package sim

import (
	"errors"
	"strings"
	"unicode"

	"golang.org/x/text/unicode/norm"
)

// fold lowercases s and strips diacritics, as X search matching does.
func fold(s string) string {
	var b strings.Builder
	for _, r := range norm.NFD.String(s) {
		if unicode.Is(unicode.Mn, r) {
			continue
		}
		b.WriteRune(unicode.ToLower(r))
	}
	return b.String()
}

// searchDoc is a post as the search operators see it, every string folded.
type searchDoc struct {
	words    map[string]bool
	hashtags map[string]bool
	mentions map[string]bool // handles mentioned in the text or, for replies, the parent's author
	from     string
}

func isWordRune(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) || r == '_' }

func (s *Server) searchable(p *Post) searchDoc {
	d := searchDoc{words: map[string]bool{}, hashtags: map[string]bool{}, mentions: map[string]bool{}}
	text := fold(p.Text)
	for _, w := range strings.FieldsFunc(text, func(r rune) bool { return !isWordRune(r) }) {
		d.words[w] = true
	}
	for _, f := range strings.Fields(text) {
		for i, part := range strings.Split(f, "#") {
			if i == 0 {
				continue
			}
			if tag := strings.FieldsFunc(part, func(r rune) bool { return !isWordRune(r) }); len(tag) > 0 && strings.HasPrefix(part, tag[0]) {
				d.hashtags[tag[0]] = true
			}
		}
	}
	for _, m := range mentionPattern.FindAllStringSubmatch(p.Text, -1) {
		d.mentions[fold(m[1])] = true
	}
	for _, id := range p.MentionIDs {
		if a := s.st.Accounts[id]; a != nil {
			d.mentions[fold(a.Handle)] = true
		}
	}
	if a := s.st.Accounts[p.AuthorID]; a != nil {
		d.from = fold(a.Handle)
	}
	return d
}

// queryExpr is a parsed search query: OR of ANDs of possibly negated terms or groups.
type queryExpr interface{ match(searchDoc) bool }

type orExpr []queryExpr
type andExpr []queryExpr
type notExpr struct{ e queryExpr }
type termExpr struct{ kind, value string } // kind: word, phrase, hashtag, mention, from

func (o orExpr) match(d searchDoc) bool {
	for _, e := range o {
		if e.match(d) {
			return true
		}
	}
	return false
}

func (a andExpr) match(d searchDoc) bool {
	for _, e := range a {
		if !e.match(d) {
			return false
		}
	}
	return true
}

func (n notExpr) match(d searchDoc) bool { return !n.e.match(d) }

func (t termExpr) match(d searchDoc) bool {
	switch t.kind {
	case "hashtag":
		return d.hashtags[t.value]
	case "mention":
		return d.mentions[t.value]
	case "from":
		return d.from == t.value
	case "is":
		return false // no retweets, quotes or replies flags are simulated; "-is:retweet" is true
	case "phrase":
		words := strings.FieldsFunc(t.value, func(r rune) bool { return !isWordRune(r) })
		for _, w := range words {
			if !d.words[w] {
				return false
			}
		}
		return len(words) > 0
	}
	return d.words[t.value]
}

// parseQuery parses the X search operators the simulator supports: keywords, "phrases",
// #hashtag, @user, from:user, is:…, a leading - to negate, space for AND, OR, and parentheses.
func parseQuery(q string) (queryExpr, error) {
	toks, err := tokenize(q)
	if err != nil {
		return nil, err
	}
	p := &queryParser{toks: toks}
	e, err := p.or()
	if err != nil {
		return nil, err
	}
	if p.i != len(p.toks) {
		return nil, errors.New("unbalanced parentheses")
	}
	if !hasPositive(e) {
		return nil, errors.New("a query needs at least one operator that is not negated")
	}
	return e, nil
}

func hasPositive(e queryExpr) bool {
	switch v := e.(type) {
	case orExpr:
		for _, x := range v {
			if !hasPositive(x) {
				return false
			}
		}
		return true
	case andExpr:
		for _, x := range v {
			if hasPositive(x) {
				return true
			}
		}
		return false
	case notExpr:
		return false
	case termExpr:
		return v.kind != "is"
	}
	return false
}

func tokenize(q string) ([]string, error) {
	var toks []string
	rs := []rune(q)
	for i := 0; i < len(rs); {
		r := rs[i]
		switch {
		case unicode.IsSpace(r):
			i++
		case r == '(' || r == ')':
			toks = append(toks, string(r))
			i++
		default:
			start := i
			if r == '-' {
				i++
			}
			if i < len(rs) && rs[i] == '"' {
				end := i + 1
				for end < len(rs) && rs[end] != '"' {
					end++
				}
				if end == len(rs) {
					return nil, errors.New("unterminated quote")
				}
				toks = append(toks, string(rs[start:end+1]))
				i = end + 1
				continue
			}
			for i < len(rs) && !unicode.IsSpace(rs[i]) && rs[i] != '(' && rs[i] != ')' {
				i++
			}
			toks = append(toks, string(rs[start:i]))
		}
	}
	return toks, nil
}

type queryParser struct {
	toks []string
	i    int
}

func (p *queryParser) or() (queryExpr, error) {
	var alts orExpr
	for {
		a, err := p.and()
		if err != nil {
			return nil, err
		}
		alts = append(alts, a)
		if p.i < len(p.toks) && p.toks[p.i] == "OR" {
			p.i++
			continue
		}
		break
	}
	if len(alts) == 1 {
		return alts[0], nil
	}
	return alts, nil
}

func (p *queryParser) and() (queryExpr, error) {
	var all andExpr
	for p.i < len(p.toks) && p.toks[p.i] != "OR" && p.toks[p.i] != ")" {
		tok := p.toks[p.i]
		p.i++
		if tok == "(" {
			e, err := p.or()
			if err != nil {
				return nil, err
			}
			if p.i >= len(p.toks) || p.toks[p.i] != ")" {
				return nil, errors.New("unbalanced parentheses")
			}
			p.i++
			all = append(all, e)
			continue
		}
		neg := strings.HasPrefix(tok, "-") && len(tok) > 1
		if neg {
			tok = tok[1:]
		}
		t, err := term(tok)
		if err != nil {
			return nil, err
		}
		if neg {
			all = append(all, notExpr{t})
		} else {
			all = append(all, t)
		}
	}
	if len(all) == 0 {
		return nil, errors.New("empty clause")
	}
	if len(all) == 1 {
		return all[0], nil
	}
	return all, nil
}

func term(tok string) (termExpr, error) {
	switch {
	case strings.HasPrefix(tok, "\""):
		return termExpr{"phrase", fold(strings.Trim(tok, "\""))}, nil
	case strings.HasPrefix(tok, "#") && len(tok) > 1:
		return termExpr{"hashtag", fold(tok[1:])}, nil
	case strings.HasPrefix(tok, "@") && len(tok) > 1:
		return termExpr{"mention", fold(tok[1:])}, nil
	case strings.HasPrefix(strings.ToLower(tok), "from:") && len(tok) > 5:
		return termExpr{"from", fold(strings.TrimPrefix(tok[5:], "@"))}, nil
	case strings.HasPrefix(strings.ToLower(tok), "is:"):
		return termExpr{"is", fold(tok[3:])}, nil
	}
	words := strings.FieldsFunc(fold(tok), func(r rune) bool { return !isWordRune(r) })
	if len(words) == 0 {
		return termExpr{}, errors.New("empty term " + tok)
	}
	if len(words) > 1 {
		return termExpr{"phrase", strings.Join(words, " ")}, nil
	}
	return termExpr{"word", words[0]}, nil
}
