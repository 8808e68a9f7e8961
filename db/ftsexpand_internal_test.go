package db

import (
	"database/sql"
	"testing"
)

// TestFoldTermMatchesTokenizer checks foldTerm against the full-text tokenizer: every letter
// it folds, in a word, is indexed as foldTerm says.
func TestFoldTermMatchesTokenizer(t *testing.T) {
	conn, err := sql.Open("sqlite", "file::memory:")
	if err != nil {
		t.Fatal(err)
	}
	defer conn.Close()
	conn.SetMaxOpenConns(1)
	for _, q := range []string{
		`CREATE VIRTUAL TABLE f USING fts5 (x, tokenize = 'unicode61 remove_diacritics 2')`,
		`CREATE VIRTUAL TABLE v USING fts5vocab(f, instance)`,
	} {
		if _, err := conn.Exec(q); err != nil {
			t.Fatal(err)
		}
	}
	words := []string{"Calle", "CALLEJÓN", "callé", "Ñandú", "pingüino", "AÑO2026", "x9"}
	for r := range latinFold {
		words = append(words, "q"+string(r)+"z")
	}
	for i, w := range words {
		if _, err := conn.Exec(`INSERT INTO f (rowid, x) VALUES (?, ?)`, i+1, w); err != nil {
			t.Fatal(err)
		}
	}
	for i, w := range words {
		var term string
		if err := conn.QueryRow(`SELECT term FROM v WHERE doc = ?`, i+1).Scan(&term); err != nil {
			t.Fatalf("%q: %v", w, err)
		}
		if got, ok := foldTerm(w); !ok || got != term {
			t.Errorf("foldTerm(%q) = %q, %v; the tokenizer indexes %q", w, got, ok, term)
		}
	}
	for _, w := range []string{"straße", "søren", "æble", "ŀa", "Ωmega", "١٢٣"} {
		if got, ok := foldTerm(w); ok {
			t.Errorf("foldTerm(%q) = %q, want no fold", w, got)
		}
	}
}
