package privacy

import (
	"fmt"
	"strings"
	"testing"
	"unicode/utf8"
)

// found renders findings as "kind:text" for readable comparisons.
func found(text string, fs []Finding) []string {
	var out []string
	for _, f := range fs {
		out = append(out, f.Kind+":"+text[f.Start:f.End])
	}
	return out
}

func TestDetect(t *testing.T) {
	tests := []struct {
		text string
		want []string
	}{
		// Documents: only with the right check letter.
		{"Mi DNI es 12345678Z, gracias", []string{"document:12345678Z"}},
		{"dni 12.345.678-Z", []string{"document:12.345.678-Z"}},
		{"NIE X1234567L", []string{"document:X1234567L"}},
		{"nie x-1234567-l por favor", []string{"document:x-1234567-l"}},
		{"DNI 12345678 Z", []string{"document:12345678 Z"}},
		{"DNI 12345678A", nil}, // wrong check letter
		{"referencia 12345678Z9", nil},

		// Phones.
		{"Llamadme al 600123456", []string{"phone:600123456"}},
		{"tlf: 600 12 34 56.", []string{"phone:600 12 34 56"}},
		{"móvil 612-345-678 o fijo 958.123.456", []string{"phone:612-345-678", "phone:958.123.456"}},
		{"mi número +34 600 123 456", []string{"phone:+34 600 123 456"}},
		{"(+34) 700123456", []string{"phone:(+34) 700123456"}},
		{"0034 612345678 por whatsapp", []string{"phone:0034 612345678"}},
		{"llamar al 600 123 456 antes de las 14:00", []string{"phone:600 123 456"}},
		{"600123456 2026", []string{"phone:600123456"}},
		{"número 500123456", nil}, // Spanish numbers start with 6-9
		{"60012345", nil},         // eight digits

		// E-mail.
		{"escribidme a vecina.falsa@example.com ya", []string{"email:vecina.falsa@example.com"}},
		{"correo: JUAN_NADIE+jun@correo-falso.es", []string{"email:JUAN_NADIE+jun@correo-falso.es"}},
		{"hola @AytoJun y @PoliciaLocalJun", nil},

		// IBAN.
		{"IBAN ES91 2100 0418 4502 0005 1332", []string{"iban:ES91 2100 0418 4502 0005 1332"}},
		{"cuenta es9121000418450200051332.", []string{"iban:es9121000418450200051332"}},
		{"ES91-2100-0418-4502-0005-1332", []string{"iban:ES91-2100-0418-4502-0005-1332"}},
		{"IBAN ES92 2100 0418 4502 0005 1332", nil}, // bad check digits

		// Addresses.
		{"Vivo en Calle Falsa 123", []string{"address:Calle Falsa 123"}},
		{"en la c/ Inventada, 7", []string{"address:c/ Inventada, 7"}},
		{"C/Inventada nº 7 bajo", []string{"address:C/Inventada nº 7 bajo"}},
		{"Avda. de la Ficción 45, 2º B, Jun", []string{"address:Avda. de la Ficción 45, 2º B"}},
		{"plaza de la constitución 1", []string{"address:plaza de la constitución 1"}},
		{"Camino de las Eras Imaginarias 12b", []string{"address:Camino de las Eras Imaginarias 12b"}},
		{"Ctra. de Nolugar km 3", []string{"address:Ctra. de Nolugar km 3"}},
		{"Paseo del Inventado s/n", []string{"address:Paseo del Inventado s/n"}},
		{"Urbanización Los Pinos Falsos 14", []string{"address:Urbanización Los Pinos Falsos 14"}},
		{"Avenida 28 de Febrero 9", []string{"address:Avenida 28 de Febrero 9"}},

		// Several at once, in order.
		{"Soy María, DNI 12345678Z, Calle Falsa 123, tlf 600123456, maria@example.org",
			[]string{"document:12345678Z", "address:Calle Falsa 123", "phone:600123456", "email:maria@example.org"}},

		// Not personal data.
		{"Mi caso es el E-2026-000123", nil},
		{"caso E-2026-000123 y E-2025-999999", nil},
		{"El 12/05/2026 a las 10:30", nil},
		{"desde el 2026-05-12", nil},
		{"en 2025 y 2026", nil},
		{"cuesta 600.000 € la obra", nil},
		{"el presupuesto: 612345678 €", nil},
		{"1.234.567,89 euros", nil},
		{"#incidencia #Jun2026 #600123456", nil},
		{"La calle está sin luz desde hace 3 días", nil},
		{"La calle Mayor tiene 2 farolas fundidas", nil},
		{"la plaza lleva 2 semanas sucia", nil},
		{"la Plaza Mayor, 2026", nil},
		{"calle cortada hasta las 14:00", nil},
		{"Calle Real 3 días sin agua", nil},
		{"", nil},
	}
	for _, tt := range tests {
		got := found(tt.text, Detect(tt.text))
		if fmt.Sprint(got) != fmt.Sprint(tt.want) {
			t.Errorf("Detect(%q) = %q, want %q", tt.text, got, tt.want)
		}
	}
}

func TestRedact(t *testing.T) {
	tests := []struct{ in, want string }{
		{"DNI 12345678Z y tlf 600 123 456", "DNI […] y tlf […]"},
		{"Vivo en Calle Falsa 123. Gracias", "Vivo en […]. Gracias"},
		{"Caso E-2026-000123 #incidencia", "Caso E-2026-000123 #incidencia"},
		{"escribid a nadie@example.com", "escribid a […]"},
	}
	for _, tt := range tests {
		if got := Redact(tt.in); got != tt.want {
			t.Errorf("Redact(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestValidIBAN(t *testing.T) {
	tests := []struct {
		in   string
		want bool
	}{
		{"ES9121000418450200051332", true},
		{"ES7921000813610123456789", true},
		{"ES7921000813610123456788", false},
		{"ES79", false},
	}
	for _, tt := range tests {
		if got := validIBAN(tt.in); got != tt.want {
			t.Errorf("validIBAN(%q) = %v, want %v", tt.in, got, tt.want)
		}
	}
}

func FuzzDetect(f *testing.F) {
	for _, s := range []string{
		"DNI 12345678Z, Calle Falsa 123, 600 123 456, a@b.es, ES91 2100 0418 4502 0005 1332",
		"E-2026-000123", "c/", "calle", "+", "(+", "+34 6", "Avda. 28 de", "s/n", "\xff600123456",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		fs := Detect(s)
		prev := 0
		for _, x := range fs {
			if x.Start < prev || x.End <= x.Start || x.End > len(s) {
				t.Fatalf("Detect(%q): finding %+v out of order or range (prev end %d)", s, x, prev)
			}
			prev = x.End
		}
		r := Redact(s)
		if utf8.ValidString(s) && !utf8.ValidString(r) {
			t.Fatalf("Redact(%q) = %q: invalid UTF-8", s, r)
		}
		if len(fs) == 0 && r != s {
			t.Fatalf("Redact(%q) = %q with no findings, want unchanged", s, r)
		}
		if len(fs) > 0 && !strings.Contains(r, Placeholder) {
			t.Fatalf("Redact(%q) = %q, want a placeholder", s, r)
		}
	})
}

// FuzzDetectSkips: skipping the detectors that cannot match finds exactly what running them
// all finds.
func FuzzDetectSkips(f *testing.F) {
	for _, s := range []string{
		"Vivo en calle Real 12, 2º B", "calle Mayor s/n", "Mi DNI es 12345678Z", "X-1234567-L",
		"ES91 2100 0418 4502 0005 1332", "escribidme a vecina@example.org", "llamad al 600 123 456",
		"Avenida 28 de Febrero, 3", "la farola de la calle Real está fundida", "",
	} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, s string) {
		got, want := detect(s, true), detect(s, false)
		if len(got) != len(want) {
			t.Fatalf("%q: with skips %v, without %v", s, got, want)
		}
		for i := range got {
			if got[i] != want[i] {
				t.Fatalf("%q: with skips %v, without %v", s, got, want)
			}
		}
	})
}
