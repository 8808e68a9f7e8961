// Package app is Ventanilla's core: the domain of a town hall's counter on a social network
// (residents and their verified network identities, numbered cases and their timelines, inbound
// messages and the outbox) and the persistence contract the services need. It knows neither
// Fyne nor database/sql; the db package implements Store, the ui package calls the services.
package app

import (
	"errors"
	"fmt"
)

// ErrNotFound is returned by stores and services when the record asked for does not exist.
var ErrNotFound = errors.New("not found")

// ErrConflict is returned when a write collides with existing data (a duplicate document, a
// case edited since it was read).
var ErrConflict = errors.New("conflict")

// ErrForbidden is returned when the acting staff member or session may not do what it asked.
var ErrForbidden = errors.New("forbidden")

// InvalidError is bad input, with a message fit to show to the person who typed it.
type InvalidError struct {
	Field   string
	Message string
}

func (e *InvalidError) Error() string {
	if e.Field == "" {
		return e.Message
	}
	return fmt.Sprintf("%s: %s", e.Field, e.Message)
}

// Invalid builds an *InvalidError.
func Invalid(field, format string, args ...any) error {
	return &InvalidError{Field: field, Message: fmt.Sprintf(format, args...)}
}

// IsInvalid reports whether err is (or wraps) an *InvalidError.
func IsInvalid(err error) bool {
	var ie *InvalidError
	return errors.As(err, &ie)
}
