package db

import "context"

// FTSMatches is the match expression a search gives each full-text index (cases_fts,
// messages_fts), with the last word's prefix expanded when it can be.
func (s *Store) FTSMatches(ctx context.Context, input string) (cases, messages string, err error) {
	m, err := s.queries.ftsMatches(ctx, input)
	return m.cases, m.messages, err
}

// SetFTSExpandCap changes how many terms a prefix may be expanded into; it returns the function
// that restores it.
func SetFTSExpandCap(n int) (restore func()) {
	old := ftsExpandCap
	ftsExpandCap = n
	return func() { ftsExpandCap = old }
}
