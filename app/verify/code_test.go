package verify

import (
	"ventanilla/app/verifycode"

	"bytes"
	"crypto/rand"
	"strings"
	"testing"
)

func TestFindCodes(t *testing.T) {
	tests := []struct {
		text string
		want string // "code/strong" joined by spaces
	}{
		{"V-7K4Q9X", "V-7K4Q9X/true"},
		{"mi código es v-7k4q9x, gracias", "V-7K4Q9X/true"},
		{"VERIFICAR 7K4Q9X", "V-7K4Q9X/true"},
		{"código: acdefg", "V-ACDEFG/true"},
		{"@AytoVillaverde 7k4q9x", "V-7K4Q9X/false"},
		{"v7k4q9x", "V-7K4Q9X/true"},
		{"la camara no va", ""},
		{"código postal 18370", ""},
		{"DNI 00000000T", ""},
		{"V-7K4Q9XX", ""},
	}
	for _, tc := range tests {
		var got []string
		for _, c := range findCodes(tc.text) {
			got = append(got, c.code+"/"+map[bool]string{true: "true", false: "false"}[c.strong])
		}
		if g := strings.Join(got, " "); g != tc.want {
			t.Errorf("findCodes(%q) = %q, want %q", tc.text, g, tc.want)
		}
	}
}

func TestNewCode(t *testing.T) {
	for range 200 {
		c, err := verifycode.New(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		if NormalizeCode(strings.ToLower(c)) != c || !hasDigitAndLetter(c[2:]) {
			t.Fatalf("got %q, want a V- code with a digit and a letter that reads back", c)
		}
	}
	if _, err := verifycode.New(bytes.NewReader(nil)); err == nil {
		t.Fatal("got no error from an empty random source")
	}
}

func TestLookalike(t *testing.T) {
	offs := []string{"AytoVillaverde", "PoliciaVillaverde"}
	tests := []struct {
		handle string
		want   string
	}{
		{"AytoVi11averde", "AytoVillaverde"},
		{"Ayto_Villaverde", "AytoVillaverde"},
		{"AytoVillaverde_ES", "AytoVillaverde"},
		{"Ayto\u0412illaverde", "AytoVillaverde"}, // Cyrillic Ve: one edit away
		{"Аytо" + "Villaverde", "AytoVillaverde"}, // Cyrillic А and о
		{"Po1iciaVillaverde", "PoliciaVillaverde"},
		{"aytovillaverde", ""}, // the official account itself
		{"vecina_prueba", ""},
	}
	for _, tc := range tests {
		got, _ := lookalikeOf(tc.handle, offs)
		if got != tc.want {
			t.Errorf("lookalikeOf(%q) = %q, want %q", tc.handle, got, tc.want)
		}
	}
}

func TestSafeText(t *testing.T) {
	tests := []struct {
		in, want string
		sus      bool
	}{
		{"Vecina Prueba", "Vecina Prueba", false},
		{"Ayto\u202Eedrevalli", "Ayto<U+202E>edrevalli", true},
		{"Ay\u200Bto", "Ay<U+200B>to", true},
	}
	for _, tc := range tests {
		got, sus := SafeText(tc.in)
		if got != tc.want || sus != tc.sus {
			t.Errorf("SafeText(%q) = %q, %v, want %q, %v", tc.in, got, sus, tc.want, tc.sus)
		}
	}
}
