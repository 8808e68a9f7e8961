package app

import (
	"time"

	"github.com/google/uuid"
)

// NewID returns a new UUIDv7 as text: unique across desktops and roughly time-ordered, so that
// records made on different machines can be merged later.
func NewID() string {
	return uuid.Must(uuid.NewV7()).String()
}

// Clock is the source of the current time; services take one so that tests are exact.
type Clock func() time.Time

// SystemClock is the real clock, in UTC.
func SystemClock() time.Time { return time.Now().UTC() }
