package db

// SetSearchHitLimit lowers the first step's cap of an inbox search so that tests reach the
// walk over the cases with a small register; it returns the function that restores it.
func SetSearchHitLimit(n int) (restore func()) {
	old := searchHitLimit
	searchHitLimit = n
	return func() { searchHitLimit = old }
}
