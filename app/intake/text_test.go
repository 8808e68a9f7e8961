package intake

import (
	"fmt"
	"testing"
)

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Trámite", "tramite"},
		{"TUBERÍA", "tuberia"},
		{"España", "espana"},
		{"Pingüino", "pinguino"},
		{"Ca\u0301mara", "camara"}, // combining acute accent
		{"#Incidéncia", "#incidencia"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Fold(tt.in); got != tt.want {
			t.Errorf("Fold(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestHashtags(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"#incidencia farola rota", []string{"incidencia"}},
		{"farola rota #Incidencia", []string{"incidencia"}},
		{"hay una farola #incidencia rota", []string{"incidencia"}},
		{"#Trámite, quiero cita", []string{"tramite"}},
		{"fuga de agua!#incidencia.", []string{"incidencia"}},
		{"#incidencia💡 farola", []string{"incidencia"}},
		{"#incidencia #Jun #INCIDENCIA #pleno", []string{"incidencia", "jun", "pleno"}},
		{"＃pleno full-width", []string{"pleno"}},
		{"C# y F#", nil},
		{"&#38; html", nil},
		{"#1 en ventas", nil},
		{"#Jun2026", []string{"jun2026"}},
		{"#mal_aparcado", []string{"mal_aparcado"}},
		{"# incidencia", nil},
		{"##incidencia", nil},
		{"", nil},
	}
	for _, tt := range tests {
		if got := Hashtags(tt.in); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("Hashtags(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestMentions(t *testing.T) {
	tests := []struct {
		in   string
		want []string
	}{
		{"@AytoJun hola", []string{"AytoJun"}},
		{"hola @AytoJun, @PoliciaLocalJun.", []string{"AytoJun", "PoliciaLocalJun"}},
		{"@aytojun y @AytoJun", []string{"aytojun"}},
		{"escribe a vecina@example.com", nil},
		{"@ solo", nil},
		{"@Un_Nombre_Largo_16", nil}, // 18 characters: not a handle
		{"@Quince_Letras15 ok", []string{"Quince_Letras15"}},
		{"(@AlcaldeJun)", []string{"AlcaldeJun"}},
		{"@AytoJun🙏", []string{"AytoJun"}},
		{"@Ayto@Jun", nil},
		{"＠AytoJun", []string{"AytoJun"}},
	}
	for _, tt := range tests {
		if got := Mentions(tt.in); fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("Mentions(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestPhraseMatch(t *testing.T) {
	tests := []struct {
		keyword, text string
		want          bool
	}{
		{"farola", "Las FAROLAS de mi calle", true},
		{"farola", "la bombilla", false},
		{"tubería", "tuberia rota", true},
		{"luz de la calle", "no hay luz de la calle desde ayer", true},
		{"luz de la calle", "luz desde la calle", false},
		{"agua", "@AguasDeJun responde", false}, // handles are not words
		{"agua", "#agua", true},
		{"cita previa", "quiero cita previa", true},
		{"cita previa", "cita para el previo", false},
		{"obra menor", "una obra", false},
	}
	for _, tt := range tests {
		if got := newPhrase(tt.keyword).matchIn(words(tt.text)) > 0; got != tt.want {
			t.Errorf("keyword %q in %q: got %v, want %v", tt.keyword, tt.text, got, tt.want)
		}
	}
}

// FuzzFoldFastPath: the ASCII fast path folds exactly as the rune-by-rune fold.
func FuzzFoldFastPath(f *testing.F) {
	for _, s := range []string{"farola", "FAROLA", "Calle Real 12", "#Incidencia", "a_b-C.d", ""} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		if got, want := Fold(s), foldRunes(s); got != want {
			t.Fatalf("Fold(%q) = %q, rune by rune %q", s, got, want)
		}
	})
}
