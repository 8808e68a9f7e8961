package ui

import (
	"os"
	"testing"
)

// TestMain pins the interface to Spanish, the product's default, so that the goldens and
// texts do not depend on the machine's locale.
func TestMain(m *testing.M) {
	SetLanguage("es")
	os.Exit(m.Run())
}
