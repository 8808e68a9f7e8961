package main

import (
	"ventanilla/app/sync"
	"ventanilla/db"
)

// newIntake builds the intake the sync engine hands each new message to.
func newIntake(store *db.Store) sync.Intake {
	return sync.BasicIntake{}
}
