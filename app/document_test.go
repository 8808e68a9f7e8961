package app

import "testing"

func TestNormalizeDocument(t *testing.T) {
	for _, tc := range []struct {
		in, want string
		ok       bool
	}{
		{"00000000T", "00000000T", true},
		{"00000001R", "00000001R", true},
		{" 12345678-z ", "12345678Z", true},
		{"12.345.678-Z", "12345678Z", true},
		{"12345678A", "", false}, // wrong letter
		{"X0000000T", "X0000000T", true},
		{"Y0000000Z", "Y0000000Z", true},
		{"Z0000000M", "Z0000000M", true},
		{"X0000000A", "", false},
		{"W0000000T", "", false},
		{"1234567Z", "", false},
		{"", "", false},
		{"hola", "", false},
		{"123456789", "", false},
		{"ÑÑÑÑÑÑÑÑT", "", false},
	} {
		got, err := NormalizeDocument(tc.in)
		if (err == nil) != tc.ok || got != tc.want {
			t.Errorf("NormalizeDocument(%q): got %q, %v; want %q, ok=%v", tc.in, got, err, tc.want, tc.ok)
		}
	}
}

func FuzzNormalizeDocument(f *testing.F) {
	for _, s := range []string{"00000000T", "X0000000T", "12.345.678-Z", "", "ZZZZZZZZZ", "ñ"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, err := NormalizeDocument(s)
		if err != nil {
			return
		}
		again, err := NormalizeDocument(got)
		if err != nil || again != got {
			t.Fatalf("normalised %q to %q, which re-normalises to %q, %v", s, got, again, err)
		}
		if len(got) != 9 {
			t.Fatalf("normalised %q to %q: not 9 characters", s, got)
		}
	})
}

func TestRegistryNumber(t *testing.T) {
	n := RegistryNumber{Year: 2026, Seq: 42}
	if n.String() != "E-2026-000042" {
		t.Errorf("got %s", n)
	}
	for _, s := range []string{"E-2026-000042", " e-2026-000042\n"} {
		if got, err := ParseRegistryNumber(s); err != nil || got != n {
			t.Errorf("parse %q: got %v %v", s, got, err)
		}
	}
	for _, s := range []string{"", "E-2026-42", "E-2026-0000-1", "X-2026-000042", "E-2026-000000", "E-20A6-000001"} {
		if _, err := ParseRegistryNumber(s); err == nil {
			t.Errorf("parse %q: accepted", s)
		}
	}
}
