package verify

import (
	"bufio"
	"bytes"
	"context"
	"encoding/csv"
	"errors"
	"fmt"
	"io"
	"strings"
	"time"

	"ventanilla/app"
)

// CensusProblem is a bad line of a census file.
type CensusProblem struct {
	Line   int    `json:"line"`
	Reason string `json:"reason"`
}

// CensusReport says what an import did, or why it did nothing.
type CensusReport struct {
	Rows     int             `json:"rows"`     // data rows read
	Imported int             `json:"imported"` // rows written (0 when rejected)
	Promoted int             `json:"promoted"` // identities raised from verified to verified_census
	Problems []CensusProblem `json:"problems,omitempty"`
}

// Rejected reports whether the file was refused.
func (r CensusReport) Rejected() bool { return len(r.Problems) > 0 }

var censusColumns = map[string]string{
	"documento": "documento", "dni": "documento", "nie": "documento",
	"nombre": "nombre", "direccion": "direccion", "dirección": "direccion",
	"fecha_nacimiento": "fecha_nacimiento",
}

// ImportCensus reads a census CSV (see the package doc) and, only if every row is good,
// upserts all of it in one transaction and raises verified identities of residents now in
// the census to verified_census. Any bad row rejects the whole file: the report lists every
// bad line and the error is an *app.InvalidError. progress, if not nil, is called as rows are
// written.
func (s *Service) ImportCensus(ctx context.Context, actor string, r io.Reader, progress func(done, total int)) (CensusReport, error) {
	if err := checkActor(actor); err != nil {
		return CensusReport{}, err
	}
	entries, rep, err := parseCensus(r)
	if err != nil {
		return rep, err
	}
	if rep.Rejected() {
		// Nothing is written but the attempt, which is a staff action.
		if err := s.inTx(ctx, func(tx Tx) error {
			return s.audit(ctx, tx, actor, "census.import_rejected", "", map[string]string{
				"rows": fmt.Sprint(rep.Rows), "bad_rows": fmt.Sprint(len(rep.Problems))})
		}); err != nil {
			return rep, err
		}
		return rep, &app.InvalidError{Field: "census", Message: fmt.Sprintf("%d of %d rows are bad; nothing was imported", len(rep.Problems), rep.Rows)}
	}
	batch := app.NewID()
	err = s.inTx(ctx, func(tx Tx) error {
		for i, e := range entries {
			if err := tx.PutCensusEntry(ctx, e, batch); err != nil {
				return err
			}
			if progress != nil && ((i+1)%100 == 0 || i+1 == len(entries)) {
				progress(i+1, len(entries))
			}
		}
		ids, err := tx.ListVerifiedIdentitiesInCensus(ctx)
		if err != nil {
			return err
		}
		for _, id := range ids {
			id.Level = app.LevelVerifiedCensus
			if err := tx.UpdateIdentity(ctx, &id); err != nil {
				return err
			}
			if err := s.audit(ctx, tx, "system", "identity.level", id.ID, map[string]string{
				"from": string(app.LevelVerified), "to": string(app.LevelVerifiedCensus), "reason": "census import " + batch}); err != nil {
				return err
			}
		}
		rep.Imported, rep.Promoted = len(entries), len(ids)
		return s.audit(ctx, tx, actor, "census.import", batch, map[string]string{
			"rows": fmt.Sprint(len(entries)), "promoted": fmt.Sprint(len(ids))})
	})
	if err != nil {
		rep.Imported, rep.Promoted = 0, 0
		return rep, err
	}
	return rep, nil
}

// parseCensus reads and checks the whole file. The error is for a file that cannot be read at all.
func parseCensus(r io.Reader) ([]CensusEntry, CensusReport, error) {
	var rep CensusReport
	br := bufio.NewReader(r)
	first, err := br.Peek(4096)
	if err != nil && !errors.Is(err, io.EOF) && !errors.Is(err, bufio.ErrBufferFull) {
		return nil, rep, fmt.Errorf("read census file: %w", err)
	}
	first = bytes.TrimPrefix(first, []byte("\xef\xbb\xbf"))
	headerLine, _, _ := bytes.Cut(first, []byte("\n"))
	sep := ';'
	if !bytes.ContainsRune(headerLine, ';') && bytes.ContainsRune(headerLine, ',') {
		sep = ','
	}
	cr := csv.NewReader(br)
	cr.Comma = sep
	cr.FieldsPerRecord = -1
	cr.TrimLeadingSpace = true

	header, err := cr.Read()
	if errors.Is(err, io.EOF) {
		rep.Problems = append(rep.Problems, CensusProblem{Line: 1, Reason: "the file is empty; it needs a header row: documento;nombre;direccion;fecha_nacimiento"})
		return nil, rep, nil
	}
	if err != nil {
		rep.Problems = append(rep.Problems, CensusProblem{Line: 1, Reason: "unreadable header: " + err.Error()})
		return nil, rep, nil
	}
	col := map[string]int{}
	for i, h := range header {
		h = strings.ToLower(strings.TrimSpace(strings.TrimPrefix(h, "\ufeff")))
		if name, ok := censusColumns[h]; ok {
			col[name] = i
		}
	}
	for _, need := range []string{"documento", "nombre"} {
		if _, ok := col[need]; !ok {
			rep.Problems = append(rep.Problems, CensusProblem{Line: 1, Reason: fmt.Sprintf("the header has no %q column (expected documento;nombre;direccion;fecha_nacimiento)", need)})
		}
	}
	if rep.Rejected() {
		return nil, rep, nil
	}
	field := func(rec []string, name string) string {
		i, ok := col[name]
		if !ok || i >= len(rec) {
			return ""
		}
		return strings.TrimSpace(rec[i])
	}
	var entries []CensusEntry
	seen := map[string]int{}
	for {
		rec, err := cr.Read()
		if errors.Is(err, io.EOF) {
			break
		}
		line, _ := cr.FieldPos(0)
		if err != nil {
			var pe *csv.ParseError
			if errors.As(err, &pe) {
				rep.Rows++
				rep.Problems = append(rep.Problems, CensusProblem{Line: pe.StartLine, Reason: pe.Err.Error()})
				continue
			}
			return nil, rep, fmt.Errorf("read census file: %w", err)
		}
		rep.Rows++
		var why []string
		if len(rec) > len(header) {
			why = append(why, fmt.Sprintf("%d fields, the header has %d", len(rec), len(header)))
		}
		doc, derr := app.NormalizeDocument(field(rec, "documento"))
		if derr != nil {
			why = append(why, derr.Error())
		} else if prev, dup := seen[doc]; dup {
			why = append(why, fmt.Sprintf("document %s is also on line %d", app.MaskDocument(doc), prev))
		} else {
			seen[doc] = line
		}
		name := field(rec, "nombre")
		if name == "" {
			why = append(why, "nombre is empty")
		}
		birth, berr := parseBirthDate(field(rec, "fecha_nacimiento"))
		if berr != nil {
			why = append(why, berr.Error())
		}
		if len(why) > 0 {
			rep.Problems = append(rep.Problems, CensusProblem{Line: line, Reason: strings.Join(why, "; ")})
			continue
		}
		entries = append(entries, CensusEntry{Document: doc, FullName: name, Address: field(rec, "direccion"), BirthDate: birth})
	}
	return entries, rep, nil
}

func parseBirthDate(s string) (string, error) {
	if s == "" {
		return "", nil
	}
	for _, layout := range []string{"2006-01-02", "02/01/2006", "2/1/2006"} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("2006-01-02"), nil
		}
	}
	return "", fmt.Errorf("fecha_nacimiento %q is not a date (YYYY-MM-DD or DD/MM/YYYY)", s)
}
