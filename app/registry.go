package app

import (
	"context"
	"fmt"
	"strconv"
	"time"
	_ "time/tzdata" // Europe/Madrid on Windows desktops without a zoneinfo database
)

// Madrid is the town hall's legal time zone: registry years and working days follow it.
var Madrid = mustLoad("Europe/Madrid")

func mustLoad(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// RegistryNumber is a case's entry number in the town hall's register: E-YYYY-NNNNNN,
// sequential per calendar year (Europe/Madrid) and never reused.
type RegistryNumber struct {
	Year int
	Seq  int
}

// MaxRegistrySeq is the largest sequence a year can hold (six digits).
const MaxRegistrySeq = 999999

func (n RegistryNumber) String() string { return fmt.Sprintf("E-%04d-%06d", n.Year, n.Seq) }

// ParseRegistryNumber reads "E-2026-000123" (case-insensitive, surrounding spaces ignored).
func ParseRegistryNumber(s string) (RegistryNumber, error) {
	bad := Invalid("registry_number", "a registry number looks like E-2026-000123")
	if len(s) > 0 {
		for len(s) > 0 && (s[0] == ' ' || s[0] == '\t') {
			s = s[1:]
		}
		for len(s) > 0 && (s[len(s)-1] == ' ' || s[len(s)-1] == '\t' || s[len(s)-1] == '\n') {
			s = s[:len(s)-1]
		}
	}
	if len(s) != 13 || (s[0] != 'E' && s[0] != 'e') || s[1] != '-' || s[6] != '-' {
		return RegistryNumber{}, bad
	}
	y, err1 := strconv.Atoi(s[2:6])
	q, err2 := strconv.Atoi(s[7:])
	if err1 != nil || err2 != nil || y < 2000 || q < 1 || s[7] == '+' || s[7] == '-' {
		return RegistryNumber{}, bad
	}
	return RegistryNumber{Year: y, Seq: q}, nil
}

// RegistryYear is the register's year for an official time: the calendar year in Madrid.
func RegistryYear(t time.Time) int { return t.In(Madrid).Year() }

// RegistryAllocator hands out the next registry number of a year. It is called inside the
// transaction that creates the case, so a rolled-back case gives its number back and a
// committed one never shares it. A future shared server may issue provisional numbers here.
type RegistryAllocator interface {
	NextRegistryNumber(ctx context.Context, year int) (RegistryNumber, error)
}
