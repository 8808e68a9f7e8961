package verifycode

import (
	"bytes"
	"crypto/rand"
	"errors"
	"io"
	mrand "math/rand/v2"
	"strings"
	"testing"
)

func TestAlphabetHasNoLookalikes(t *testing.T) {
	for _, c := range "0O1IL5S2Z8B" {
		if strings.ContainsRune(Alphabet, c) {
			t.Errorf("Alphabet contains %q, want it left out", c)
		}
	}
	seen := map[rune]bool{}
	for _, c := range Alphabet {
		if seen[c] {
			t.Errorf("Alphabet repeats %q", c)
		}
		seen[c] = true
	}
}

func TestNewShape(t *testing.T) {
	for i := 0; i < 1000; i++ {
		code, err := New(rand.Reader)
		if err != nil {
			t.Fatal(err)
		}
		got, ok := Normalize(code)
		if !ok || got != code {
			t.Fatalf("Normalize(%q) = %q, %v; want %q, true", code, got, ok, code)
		}
		if len(code) != len(Prefix)+Length || !strings.HasPrefix(code, Prefix) {
			t.Fatalf("New = %q, want %q and %d characters", code, Prefix, Length)
		}
	}
}

// Six characters make about 1.8e8 codes, so 10,000 independent draws repeat a code with
// probability about 0.25 (the birthday bound): uniqueness among the challenges still open is
// the store's to enforce, by drawing again on a conflict. What New must guarantee is that
// repeats are as rare as chance allows, not rarer than arithmetic permits.
func TestNewUnique(t *testing.T) {
	const n = 10000
	count := func(r io.Reader) (dups int, perChar map[byte]int) {
		seen := make(map[string]bool, n)
		perChar = map[byte]int{}
		for i := 0; i < n; i++ {
			code, err := New(r)
			if err != nil {
				t.Fatal(err)
			}
			if seen[code] {
				dups++
			}
			seen[code] = true
			for j := len(Prefix); j < len(code); j++ {
				perChar[code[j]]++
			}
		}
		return dups, perChar
	}

	// Poisson(0.25): five or more repeats happen about once in 100,000 runs.
	dups, perChar := count(rand.Reader)
	if dups > 4 {
		t.Errorf("crypto/rand: %d repeated codes in %d, want at most 4", dups, n)
	}
	if len(perChar) != len(Alphabet) {
		t.Errorf("crypto/rand: %d distinct characters used, want %d", len(perChar), len(Alphabet))
	}
	// Each character is expected 2,400 times (digits a little more, because codes without a
	// digit are drawn again); far outside that means a biased mapping.
	for c, k := range perChar {
		if k < 1800 || k > 3600 {
			t.Errorf("crypto/rand: character %q drawn %d times in %d codes, want about 2,400", c, k, n)
		}
	}

	// A seeded reader is exact: the same seed always gives these 10,000 codes, all distinct.
	if dups, _ := count(mrand.NewChaCha8([32]byte{42})); dups != 0 {
		t.Errorf("seeded reader: %d repeated codes in %d, want 0", dups, n)
	}
}

func TestNewDeterministic(t *testing.T) {
	draw := func() []string {
		r := mrand.NewChaCha8([32]byte{1, 2, 3})
		var codes []string
		for i := 0; i < 5; i++ {
			c, err := New(r)
			if err != nil {
				t.Fatal(err)
			}
			codes = append(codes, c)
		}
		return codes
	}
	a, b := draw(), draw()
	for i := range a {
		if a[i] != b[i] {
			t.Errorf("code %d: got %q then %q from the same seed, want equal", i, a[i], b[i])
		}
	}
	// A fixed byte stream gives a fixed code: bytes 0..5 map to the first six letters, which
	// has no digit, so New draws again; the stream then yields digit-bearing characters.
	stream := append(bytes.Repeat([]byte{0, 1, 2, 3, 4, 5}, 3)[:16], []byte{20, 21, 22, 23, 24, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0}...)
	got, err := New(bytes.NewReader(stream))
	if err != nil {
		t.Fatal(err)
	}
	if want := "V-34679A"; got != want {
		t.Errorf("New(fixed stream) = %q, want %q", got, want)
	}
}

func TestNewRejectsBiasedBytes(t *testing.T) {
	// 250..255 are thrown away; 250 would otherwise map to Alphabet[0].
	stream := append(bytes.Repeat([]byte{255}, 10), 20, 21, 22, 23, 24, 1)
	stream = append(stream, make([]byte, 32)...)
	got, err := New(bytes.NewReader(stream))
	if err != nil {
		t.Fatal(err)
	}
	if want := "V-34679C"; got != want {
		t.Errorf("New = %q, want %q", got, want)
	}
}

func TestNewReaderError(t *testing.T) {
	_, err := New(bytes.NewReader([]byte{1, 2}))
	if err == nil {
		t.Fatal("New(short reader): got nil error, want one")
	}
	if !errors.Is(err, io.ErrUnexpectedEOF) {
		t.Errorf("New(short reader) error = %v, want it to wrap io.ErrUnexpectedEOF", err)
	}
}

func TestNormalize(t *testing.T) {
	tests := []struct {
		in   string
		want string
		ok   bool
	}{
		{"V-7K4Q9A", "V-7K4Q9A", true},
		{"v-7k4q9a", "V-7K4Q9A", true},
		{"V7K4Q9A", "V-7K4Q9A", true},
		{"v 7k4 q9a", "V-7K4Q9A", true},
		{"  V-7K4-Q9A ", "V-7K4Q9A", true},
		{"V–7K4Q9A", "V-7K4Q9A", true}, // en dash from a phone keyboard
		{"V-7K4Q9", "", false},         // too short
		{"V-7K4Q9AA", "", false},       // too long
		{"7K4Q9A", "", false},          // no prefix
		{"X-7K4Q9A", "", false},        // wrong prefix
		{"V-7K0Q9A", "", false},        // 0 is not in the alphabet
		{"V-7KOQ9A", "", false},        // nor O
		{"V-ACDEFG", "", false},        // no digit: never issued
		{"V-7K4Q9Ñ", "", false},
		{"", "", false},
		{"VACUNAR", "", false}, // a word, not a code
	}
	for _, tt := range tests {
		got, ok := Normalize(tt.in)
		if got != tt.want || ok != tt.ok {
			t.Errorf("Normalize(%q) = %q, %v; want %q, %v", tt.in, got, ok, tt.want, tt.ok)
		}
	}
}

func FuzzNormalize(f *testing.F) {
	f.Add("V-7K4Q9A")
	f.Add("v 7k4 q9a")
	f.Add("ñ")
	f.Fuzz(func(t *testing.T, s string) {
		got, ok := Normalize(s)
		if !ok {
			return
		}
		again, ok2 := Normalize(got)
		if !ok2 || again != got {
			t.Fatalf("Normalize(%q) = %q, but Normalize(%q) = %q, %v", s, got, got, again, ok2)
		}
	})
}
