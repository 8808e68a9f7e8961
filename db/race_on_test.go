//go:build race

package db_test

// raceDetector says the tests run under -race, where the exhaustive comparisons against the
// reference queries are sampled (they are single-goroutine and ~20× slower there).
const raceDetector = true
