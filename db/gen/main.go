package gen

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"time"

	"ventanilla/app"
	"ventanilla/app/desk"
)

// Main runs `ventanilla gen --data DIR [--residents N] [--messages M] [--seed S] [--end DATE]
// [--years Y]`: it creates DIR/ventanilla.db with a generated register and prints what it
// wrote and how to sign in. It refuses a data directory that already has a database.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("gen", flag.ContinueOnError)
	fs.SetOutput(stderr)
	data := fs.String("data", os.Getenv("VENTANILLA_DATA"), "data directory to create the database in (must not hold one)")
	residents := fs.Int("residents", 2000, "residents in the register, each with a network account")
	messages := fs.Int("messages", 20000, "inbound messages (about half open a case)")
	seed := fs.Uint64("seed", 1, "random seed: the same seed gives the same data")
	end := fs.String("end", DefaultEnd.Format("2006-01-02"), "date of the newest message (YYYY-MM-DD)")
	years := fs.Int("years", 4, "years of history before --end")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	if *data == "" || fs.NArg() > 0 || *residents <= 0 || *messages <= 0 || *years <= 0 {
		fmt.Fprintln(stderr, "usage: ventanilla gen --data DIR [--residents N] [--messages M] [--seed S] [--end YYYY-MM-DD] [--years Y]")
		return 2
	}
	endDay, err := time.ParseInLocation("2006-01-02", *end, app.Madrid)
	if err != nil {
		fmt.Fprintf(stderr, "gen: --end: %v\n", err)
		return 2
	}
	if err := os.MkdirAll(*data, 0o700); err != nil {
		fmt.Fprintf(stderr, "gen: %v\n", err)
		return 1
	}
	path := filepath.Join(*data, "ventanilla.db")
	if _, err := os.Stat(path); err == nil {
		fmt.Fprintf(stderr, "gen: %s already exists; choose an empty data directory\n", path)
		return 1
	}
	cfg := Config{Residents: *residents, Messages: *messages, Seed: *seed, Years: *years,
		End:      endDay.Add(13 * time.Hour).UTC(),
		Progress: func(done, total int) { fmt.Fprintf(stderr, "\r%d/%d messages", done, total) }}
	sum, err := Generate(ctx, path, cfg)
	fmt.Fprintln(stderr)
	if err != nil {
		fmt.Fprintf(stderr, "gen: %v\n", err)
		return 1
	}
	fmt.Fprintf(stdout, "%s: %d residents, %d accounts, %d cases, %d messages, %d timeline events, %d sent messages (%s)\n",
		path, sum.Residents, sum.Identities, sum.Cases, sum.Messages, sum.Events, sum.Outbox, sum.Took.Round(time.Second))
	for _, s := range app.CaseStatuses {
		fmt.Fprintf(stdout, "  %-12s %d\n", s, sum.ByStatus[s])
	}
	fmt.Fprintf(stdout, "Sign in as admin (or lucia, pablo, agente, concejala) with the password %q.\n", desk.DemoPassword)
	fmt.Fprintf(stdout, "The town hall's account is @%s.\n", TownHallHandle)
	return 0
}
