package lookalike

import (
	"testing"
	"unicode"
	"unicode/utf8"
)

func TestSkeleton(t *testing.T) {
	tests := []struct{ in, want string }{
		{"AytoJun", "aytojun"},
		{"@AytoJun", "aytojun"},
		{"Ayt0Jun", "aytojun"},
		{"Ayto_Jun", "aytojun"},
		{"Ayto.Jun", "aytojun"},
		{"Aytо Jun", "ayto jun"}, // Cyrillic о; a space is not a handle character, kept as is
		{"Аyto\u200bJun", "aytojun"},
		{"Po1iciaLocalJun", "policialocaljun"},
		{"PoIiciaLocalJun", "policialocaljun"}, // capital I for l
		{"PoliciaLocalJun", "policialocaljun"},
		{"ΑytοJun", "aytojun"}, // Greek Alpha and omicron
		{"ＡｙｔｏＪｕｎ", "aytojun"}, // full-width
		{"AlcaldíaJún", "alcaldiajun"},
		{"Ayuntamiento", "ayuntamiento"},
		{"AyuntarnientoJun", "ayuntamientojun"}, // rn for m
		{"5ecretaria", "secretaria"},
		{"", ""},
	}
	for _, tt := range tests {
		if got := Skeleton(tt.in); got != tt.want {
			t.Errorf("Skeleton(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestLooksLike(t *testing.T) {
	tests := []struct {
		handle, official string
		want             bool
	}{
		{"Ayt0Jun", "AytoJun", true},
		{"Ayto_Jun", "AytoJun", true},
		{"\u0410ytoJun", "AytoJun", true}, // Cyrillic capital А
		{"Aytо\u0408un", "AytoJun", true}, // Cyrillic о and Ј
		{"Po1iciaLocalJun", "PoliciaLocalJun", true},
		{"PoliciaLocaIJun", "PoliciaLocalJun", true},
		{"PoliciaLocalJun_", "PoliciaLocalJun", true},
		{"PoliciaLocalJunn", "PoliciaLocalJun", true}, // one insertion
		{"PolicaLocalJun", "PoliciaLocalJun", true},   // one deletion
		{"AytoJum", "AytoJun", true},                  // one substitution, 7 letters
		{"aytojun", "AytoJun", false},                 // same account: handles are case-insensitive
		{"@AytoJun", "AytoJun", false},                // same account
		{"AytoJun", "AytoJun", false},                 // same account
		{"VecinaDeJun", "AytoJun", false},             // a different account
		{"AytoJunio", "AytoJun", false},               // two edits
		{"PeñaFlamencaJun", "PoliciaLocalJun", false}, // different
		{"AytoGranada", "AytoJun", false},             // a real, different town hall
		{"Jun", "Jum", false},                         // too short for the one-edit rule
		{"Juri", "Jun", false},                        // different skeletons, too short for one edit
		{"", "AytoJun", false},
	}
	for _, tt := range tests {
		if got := LooksLike(tt.handle, tt.official); got != tt.want {
			t.Errorf("LooksLike(%q, %q) = %v, want %v (skeletons %q, %q)", tt.handle, tt.official, got, tt.want, Skeleton(tt.handle), Skeleton(tt.official))
		}
	}
}

func TestFlag(t *testing.T) {
	officials := []string{"AytoJun", "PoliciaLocalJun", "AlcaldeJun"}
	tests := []struct {
		handle string
		want   string
		ok     bool
	}{
		{"Ayt0Jun", "AytoJun", true},
		{"Po1iciaLocalJun", "PoliciaLocalJun", true},
		{"AIcaldeJun", "AlcaldeJun", true},
		{"AytoJun", "", false},
		{"policialocaljun", "", false},
		{"MariaVecina77", "", false},
		{"Alcalde_Jun", "AlcaldeJun", true},
	}
	for _, tt := range tests {
		got, ok := Flag(tt.handle, officials)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Flag(%q) = %q, %v; want %q, %v", tt.handle, got, ok, tt.want, tt.ok)
		}
	}
}

func TestFlagPrefersExactSkeleton(t *testing.T) {
	// "AytoJuns" is one edit from "AytoJun" but a skeleton match for "AytoJun5".
	got, ok := Flag("AytoJuns_", []string{"AytoJun", "AytoJun5"})
	if !ok || got != "AytoJun5" {
		t.Errorf("Flag = %q, %v; want %q, true", got, ok, "AytoJun5")
	}
}

func TestSafeDisplay(t *testing.T) {
	tests := []struct{ in, want string }{
		{"Ayuntamiento de Jun", "Ayuntamiento de Jun"},
		{"\u202Enuj ed otneimatnuyA", "nuj ed otneimatnuyA"},
		{"Ayto\u200b Jun\u2066\u2069", "Ayto Jun"},
		{"Policía\u200dLocal", "PolicíaLocal"},
		{"\ufeffMaría\u200e", "María"},
		{"Línea1\nLínea2\tfin", "Línea1 Línea2 fin"},
		{"bell\x07ring\x00", "bellring"},
		{"bad\xffbyte", "bad\uFFFDbyte"},
		{"  😀 Peña Flamenca 🎸  ", "😀 Peña Flamenca 🎸"},
	}
	for _, tt := range tests {
		if got := SafeDisplay(tt.in); got != tt.want {
			t.Errorf("SafeDisplay(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func FuzzSafeDisplay(f *testing.F) {
	f.Add("\u202EAyto\u200bJun")
	f.Add("María\n")
	f.Fuzz(func(t *testing.T, s string) {
		got := SafeDisplay(s)
		if !utf8.ValidString(got) {
			t.Fatalf("SafeDisplay(%q) = %q: invalid UTF-8", s, got)
		}
		for _, r := range got {
			if Invisible(r) || unicode.IsControl(r) {
				t.Fatalf("SafeDisplay(%q) = %q: keeps %U", s, got, r)
			}
		}
		_ = Skeleton(s)
		_ = LooksLike(s, "AytoJun")
	})
}
