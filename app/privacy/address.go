package privacy

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// A street address is a street-type word ("calle", "c/", "avda.", "plaza", …), a name of at
// most a few words, and a house number ("12", "12B", "nº 12", "km 3", "s/n"), optionally a
// floor and door ("2º B"). Residents write these in lower case as often as not, so the name
// is recognised by what it is not: a verb or function word ("la calle está rota desde hace 3
// días") ends the attempt, as does a number that is a year or a quantity ("3 días", "2 €").

// streetTypes are folded street-type words; the value says whether a "." may follow.
var streetTypes = map[string]bool{
	"calle": false, "avenida": false, "avda": true, "av": true, "plaza": false, "pza": true,
	"pl": true, "camino": false, "cmno": true, "carretera": false, "ctra": true, "paseo": false,
	"pº": true, "po": true, "urbanizacion": false, "urb": true, "travesia": false, "trva": true,
	"ronda": false, "callejon": false, "glorieta": false, "barriada": false, "bda": true,
}

// connectors may appear inside a street name but do not make one on their own.
var connectors = set("de", "del", "la", "las", "los", "el", "y", "e", "d", "l")

// stopwords cannot be part of a street name: when one follows a street-type word, the
// resident is talking about the street, not giving an address.
var stopwords = set(
	"a", "al", "ante", "con", "contra", "desde", "durante", "en", "entre", "hacia", "hasta",
	"para", "por", "segun", "sin", "sobre", "tras", "que", "quien", "como", "cuando", "donde",
	"porque", "pero", "ni", "o", "u", "si", "no", "ya", "muy", "mas", "menos", "tan", "tambien",
	"aqui", "alli", "ahi", "hoy", "ayer", "manana", "siempre", "nunca", "todavia", "aun",
	"se", "me", "te", "le", "les", "lo", "nos", "os", "mi", "mis", "tu", "tus", "su", "sus",
	"nuestra", "nuestro", "un", "una", "unos", "unas", "esta", "este", "esto", "estas",
	"estos", "esa", "ese", "eso", "es", "son", "era", "fue", "esta", "estan", "estaba", "hay",
	"habia", "ha", "han", "he", "tiene", "tienen", "tenia", "lleva", "llevan", "llevamos",
	"sigue", "siguen", "necesita", "necesitan", "falta", "faltan", "queda", "quedan",
	"todo", "toda", "todos", "todas", "otra", "otro", "otras", "otros", "cada", "varios",
	"varias", "algun", "alguna", "ningun", "ninguna", "rota", "roto", "rotas", "rotos",
	"sucia", "sucio", "llena", "lleno", "cortada", "cortado", "sin", "please", "the", "is",
)

// units after a number make it a quantity, not a house number.
var units = set(
	"dia", "dias", "hora", "horas", "h", "min", "minuto", "minutos", "semana", "semanas", "mes",
	"meses", "ano", "anos", "vez", "veces", "euro", "euros", "eur", "€", "%", "metro", "metros",
	"m", "km", "kilometros", "kg", "kilos", "persona", "personas", "vecino", "vecinos", "coche",
	"coches", "farola", "farolas", "contenedor", "contenedores", "baches", "bache", "arboles",
	"of", "am", "pm",
)

var months = set("enero", "febrero", "marzo", "abril", "mayo", "junio", "julio", "agosto",
	"septiembre", "setiembre", "octubre", "noviembre", "diciembre")

func set(words ...string) map[string]bool {
	m := make(map[string]bool, len(words))
	for _, w := range words {
		m[w] = true
	}
	return m
}

// token is a word (letters, digits, º, ª) or one other non-space character.
type token struct {
	text       string // folded
	start, end int
	word       bool
}

func tokenize(text string) []token {
	var toks []token
	for i := 0; i < len(text); {
		r, size := utf8.DecodeRuneInString(text[i:])
		if unicode.IsSpace(r) {
			i += size
			continue
		}
		if !wordRune(r) {
			toks = append(toks, token{text: string(r), start: i, end: i + size})
			i += size
			continue
		}
		j := i
		for j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			if !wordRune(r) {
				break
			}
			j += size
		}
		toks = append(toks, token{text: fold(text[i:j]), start: i, end: j, word: true})
		i = j
	}
	return toks
}

func wordRune(r rune) bool {
	return unicode.IsLetter(r) || unicode.IsDigit(r) || r == 'º' || r == 'ª' || r == '°'
}

func addresses(text string) []Finding {
	toks := tokenize(text)
	var out []Finding
	for k := 0; k < len(toks); k++ {
		if end, next, ok := addressAt(toks, k); ok {
			out = append(out, Finding{Kind: KindAddress, Start: toks[k].start, End: end})
			k = next - 1
		}
	}
	return out
}

// addressAt tries to read an address starting at token k. It returns the byte offset where
// the address ends and the index of the first token after it.
func addressAt(toks []token, k int) (end, next int, ok bool) {
	t := toks[k]
	if !t.word {
		return 0, 0, false
	}
	i := k + 1
	dotOK, isType := streetTypes[t.text]
	switch {
	case t.text == "c" && i < len(toks) && toks[i].text == "/":
		i++
	case isType:
		if dotOK && i < len(toks) && toks[i].text == "." {
			i++
		}
	default:
		return 0, 0, false
	}

	names := 0
	for steps := 0; i < len(toks) && steps < 7; steps++ {
		w := toks[i]
		switch {
		case w.text == "," || w.text == "-":
			if names == 0 {
				return 0, 0, false
			}
			i++
			continue
		case !w.word:
			return 0, 0, false
		case names == 0 && isNumber(w.text) && i+2 < len(toks) && toks[i+1].text == "de" && months[toks[i+2].text]:
			// "Avenida 28 de Febrero": a date that is the street's name.
			names++
			i += 3
			continue
		case names > 0 && (w.text == "n" || w.text == "no" || w.text == "nº" || w.text == "n°" ||
			w.text == "num" || w.text == "numero" || w.text == "km"):
			j := i + 1
			if j < len(toks) && toks[j].text == "." {
				j++
			}
			if j < len(toks) && isHouseNumber(toks[j].text) {
				return houseNumberEnd(toks, j)
			}
			return 0, 0, false
		case names > 0 && w.text == "s" && i+2 < len(toks) && toks[i+1].text == "/" && toks[i+2].text == "n":
			return toks[i+2].end, i + 3, true // "s/n": no number
		case names > 0 && isHouseNumber(w.text):
			return houseNumberEnd(toks, i)
		case stopwords[w.text] || units[w.text]:
			return 0, 0, false
		case connectors[w.text]:
			i++
			continue
		case isNumber(w.text):
			return 0, 0, false
		}
		names++
		i++
	}
	return 0, 0, false
}

// houseNumberEnd accepts the house number at token i unless it is a year or a quantity, and
// extends the address over a floor and door that follow ("12, 2º B").
func houseNumberEnd(toks []token, i int) (end, next int, ok bool) {
	n := toks[i].text
	digits := strings.TrimRightFunc(n, unicode.IsLetter)
	if len(digits) == 4 && (strings.HasPrefix(digits, "19") || strings.HasPrefix(digits, "20")) {
		return 0, 0, false
	}
	if i+1 < len(toks) && units[toks[i+1].text] {
		return 0, 0, false
	}
	if i+1 < len(toks) && (toks[i+1].text == "/" || toks[i+1].text == ":") {
		return 0, 0, false // a date or a time
	}
	end, next = toks[i].end, i+1
	// Floor and door: "2º", "2ºB", "2º B", "bajo", "bajo A".
	j := next
	if j < len(toks) && toks[j].text == "," {
		j++
	}
	if j < len(toks) && (isFloor(toks[j].text) || toks[j].text == "bajo") {
		end, next = toks[j].end, j+1
		if next < len(toks) && toks[next].word && len(toks[next].text) == 1 && toks[next].text[0] >= 'a' && toks[next].text[0] <= 'h' {
			end, next = toks[next].end, next+1
		}
	}
	return end, next, true
}

func isNumber(s string) bool {
	if s == "" {
		return false
	}
	for i := 0; i < len(s); i++ {
		if !isDigit(s[i]) {
			return false
		}
	}
	return true
}

// isHouseNumber accepts "7", "123", "12b".
func isHouseNumber(s string) bool {
	d := strings.TrimRightFunc(s, unicode.IsLetter)
	return len(d) >= 1 && len(d) <= 4 && isNumber(d) && len(s)-len(d) <= 1
}

// isFloor accepts "2º", "3ª", "2ºb", "1°".
func isFloor(s string) bool {
	i := 0
	for i < len(s) && isDigit(s[i]) {
		i++
	}
	if i == 0 || i > 2 {
		return false
	}
	rest := s[i:]
	for _, mark := range []string{"º", "ª", "°"} {
		if strings.HasPrefix(rest, mark) {
			rest = rest[len(mark):]
			return len(rest) <= 1
		}
	}
	return false
}

// fold lower-cases s and strips the diacritics Spanish uses, so "Urbanización" reads
// "urbanizacion".
func fold(s string) string {
	var b strings.Builder
	for _, r := range strings.ToLower(s) {
		switch r {
		case 'á', 'à', 'â', 'ä':
			r = 'a'
		case 'é', 'è', 'ê', 'ë':
			r = 'e'
		case 'í', 'ì', 'î', 'ï':
			r = 'i'
		case 'ó', 'ò', 'ô', 'ö':
			r = 'o'
		case 'ú', 'ù', 'û', 'ü':
			r = 'u'
		case 'ñ':
			r = 'n'
		case 'ç':
			r = 'c'
		}
		b.WriteRune(r)
	}
	return b.String()
}
