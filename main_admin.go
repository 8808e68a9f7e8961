package main

import (
	"context"
	"io"
)

// runAdmin runs the register administration commands (resident, verify, census, audit). It
// reports false when cmd is none of them.
func runAdmin(ctx context.Context, g globals, cmd string, args []string, stdout, stderr io.Writer) (int, bool) {
	return 0, false
}
