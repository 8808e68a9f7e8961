package network

import (
	"strings"
	"testing"
)

func TestWeightedLength(t *testing.T) {
	tests := []struct {
		name string
		text string
		want int
	}{
		{"empty", "", 0},
		{"plain ASCII", "Hola, vecinos", 13},
		{"accented Spanish", "Trámite de empadronamiento: ¿cuándo?", 36},
		{"decomposed accent is normalised", "Tra\u0301mite", 7},
		{"CJK weighs two", "日本", 4},
		{"emoji", "Gracias 🙏", 10},
		{"emoji with skin tone", "👍🏽", 2},
		{"ZWJ family emoji", "👨‍👩‍👧‍👦", 2},
		{"flag", "🇪🇸", 2},
		{"keycap", "1️⃣", 2},
		{"URL counts 23", "Más info: https://www.example.org/a/very/long/path/that/goes/on/and/on?x=1", 10 + 23},
		{"URL with trailing dot", "Ver https://a.es.", 4 + 23 + 1},
		{"exactly 280", strings.Repeat("a", 280), 280},
		{"281", strings.Repeat("a", 281), 281},
		{"140 CJK is 280", strings.Repeat("字", 140), 280},
		{"curly quotes are light", "\u201chola\u201d", 6},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			if got := WeightedLength(tt.text); got != tt.want {
				t.Errorf("WeightedLength(%q) = %d, want %d", tt.text, got, tt.want)
			}
		})
	}
	if WeightedLength(strings.Repeat("a", 280)) > MaxWeightedLength {
		t.Error("280 ASCII characters should fit")
	}
	if WeightedLength(strings.Repeat("a", 281)) <= MaxWeightedLength {
		t.Error("281 ASCII characters should not fit")
	}
}
