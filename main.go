// Command ventanilla is the town hall's counter on the social network: the staff desk (GUI),
// the kiosk and training modes, and the same services headless (sync, status, the simulated
// network, register administration).
package main

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"runtime"
	"syscall"
	"time"

	"ventanilla/app"
	"ventanilla/app/network"
	"ventanilla/app/network/sim"
	"ventanilla/app/network/x"
	"ventanilla/app/sync"
	"ventanilla/db"
)

const usage = `Ventanilla: the town hall's counter on the social network.

Usage:
  ventanilla [--data DIR] [--x-api URL]                 the desk (GUI)
  ventanilla status [--json]                            counts of cases, messages, outbox, residents
  ventanilla sync [--once] [--max-wait 2m]              sync with the network (pull, classify, send)
  ventanilla sim [--addr 127.0.0.1:8089] [--scenario F] [--state F]
                                                        run the simulated network

Global flags (before or after the subcommand):
  --data DIR    data directory (env VENTANILLA_DATA; default: the user's data directory/ventanilla)
  --x-api URL   send every X API call to this base URL, e.g. the simulator (env VENTANILLA_X_API)

Network credentials come from the environment: VENTANILLA_X_TOKEN (OAuth 2.0 user context), or
VENTANILLA_X_API_KEY, VENTANILLA_X_API_KEY_SECRET, VENTANILLA_X_ACCESS_TOKEN and
VENTANILLA_X_ACCESS_TOKEN_SECRET (OAuth 1.0a).
`

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := run(ctx, os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

// globals are the flags every subcommand accepts.
type globals struct {
	data string
	xAPI string
}

func (g *globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.data, "data", os.Getenv("VENTANILLA_DATA"), "data directory")
	fs.StringVar(&g.xAPI, "x-api", os.Getenv("VENTANILLA_X_API"), "base URL for X API calls")
}

func newFlagSet(name string, stderr io.Writer) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parse parses args; on a bad flag it prints the error and the usage, and returns false.
func parse(fs *flag.FlagSet, args []string, stderr io.Writer) bool {
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stderr, usage)
			return false
		}
		fmt.Fprintf(stderr, "ventanilla: %v\n\n%s", err, usage)
		return false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "ventanilla: unexpected argument %q\n\n%s", fs.Arg(0), usage)
		return false
	}
	return true
}

func run(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	var g globals
	root := newFlagSet("ventanilla", stderr)
	g.register(root)
	modes := registerModes(root)
	if err := root.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, usage)
			return 0
		}
		fmt.Fprintf(stderr, "ventanilla: %v\n\n%s", err, usage)
		return 2
	}
	rest := root.Args()
	if len(rest) == 0 {
		return runGUI(ctx, g, modes, stderr)
	}
	cmd, cmdArgs := rest[0], rest[1:]
	switch cmd {
	case "status":
		return runStatus(ctx, g, cmdArgs, stdout, stderr)
	case "sync":
		return runSync(ctx, g, cmdArgs, stdout, stderr)
	case "sim":
		return sim.Main(ctx, cmdArgs, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, usage)
		return 0
	}
	if code, ok := runAdmin(ctx, g, cmd, cmdArgs, stdout, stderr); ok {
		return code
	}
	fmt.Fprintf(stderr, "ventanilla: unknown command %q\n\n%s", cmd, usage)
	return 2
}

// dataDir is where the database lives: --data, VENTANILLA_DATA, or the user's data directory.
func (g globals) dataDir() (string, error) {
	if g.data != "" {
		return g.data, nil
	}
	return defaultDataDir()
}

func defaultDataDir() (string, error) {
	switch runtime.GOOS {
	case "windows":
		if d := os.Getenv("LOCALAPPDATA"); d != "" {
			return filepath.Join(d, "ventanilla"), nil
		}
	case "darwin":
		home, err := os.UserHomeDir()
		if err != nil {
			return "", err
		}
		return filepath.Join(home, "Library", "Application Support", "ventanilla"), nil
	}
	if d := os.Getenv("XDG_DATA_HOME"); d != "" {
		return filepath.Join(d, "ventanilla"), nil
	}
	home, err := os.UserHomeDir()
	if err != nil {
		return "", fmt.Errorf("no data directory: set --data or VENTANILLA_DATA: %w", err)
	}
	return filepath.Join(home, ".local", "share", "ventanilla"), nil
}

// openStore creates the data directory if needed and opens the database in it.
func openStore(ctx context.Context, g globals) (*db.Store, error) {
	dir, err := g.dataDir()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot use data directory %s: %w", dir, err)
	}
	return db.Open(ctx, filepath.Join(dir, "ventanilla.db"))
}

func runStatus(ctx context.Context, g globals, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("status", stderr)
	g.register(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	if !parse(fs, args, stderr) {
		return 2
	}
	store, err := openStore(ctx, g)
	if err != nil {
		fmt.Fprintf(stderr, "ventanilla status: %v\n", err)
		return 1
	}
	defer store.Close()
	st, err := store.Status(ctx)
	if err != nil {
		fmt.Fprintf(stderr, "ventanilla status: %v\n", err)
		return 1
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		if err := enc.Encode(st); err != nil {
			fmt.Fprintf(stderr, "ventanilla status: %v\n", err)
			return 1
		}
		return 0
	}
	fmt.Fprintf(stdout, "Cases: %d (", st.Cases.Total)
	for i, k := range app.CaseKinds {
		if i > 0 {
			fmt.Fprint(stdout, ", ")
		}
		fmt.Fprintf(stdout, "%s %d", k, st.Cases.ByKind[k])
	}
	fmt.Fprintf(stdout, ")\nMessages: %d\n", st.Messages.Total)
	fmt.Fprintf(stdout, "Outbox: %d pending, %d sending, %d sent, %d failed\n", st.Outbox.Pending, st.Outbox.Sending, st.Outbox.Sent, st.Outbox.Failed)
	fmt.Fprintf(stdout, "Residents: %d (%d verified)\n", st.Residents.Total, st.Residents.Verified)
	for _, c := range st.Cursors {
		last := "never"
		if !c.LastSuccessAt.IsZero() {
			last = c.LastSuccessAt.In(app.Madrid).Format("2006-01-02 15:04:05")
		}
		fmt.Fprintf(stdout, "Stream %s: since %s, last pull %s", c.Stream, c.SinceID, last)
		if c.LastError != "" {
			fmt.Fprintf(stdout, ", last error: %s", c.LastError)
		}
		fmt.Fprintln(stdout)
	}
	return 0
}

// networkClient builds the X client from the environment, with --x-api overriding the base URL.
func networkClient(ctx context.Context, g globals) (network.Client, error) {
	cfg := x.ConfigFromEnv()
	if g.xAPI != "" {
		cfg.BaseURL = g.xAPI
	}
	if !cfg.HasCredentials() {
		return nil, errors.New("no network credentials: set VENTANILLA_X_TOKEN, or the four VENTANILLA_X_API_KEY, VENTANILLA_X_API_KEY_SECRET, VENTANILLA_X_ACCESS_TOKEN, VENTANILLA_X_ACCESS_TOKEN_SECRET")
	}
	return x.New(ctx, cfg)
}

func runSync(ctx context.Context, g globals, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("sync", stderr)
	g.register(fs)
	once := fs.Bool("once", false, "sync until caught up and drained, then exit")
	maxWait := fs.Duration("max-wait", 2*time.Minute, "longest wait for a rate limit with --once")
	interval := fs.Duration("interval", 2*time.Minute, "time between rounds")
	if !parse(fs, args, stderr) {
		return 2
	}
	nc, err := networkClient(ctx, g)
	if err != nil {
		fmt.Fprintf(stderr, "ventanilla sync: %v\n", err)
		return 1
	}
	svc, err := openServices(ctx, g, nc)
	if err != nil {
		fmt.Fprintf(stderr, "ventanilla sync: %v\n", err)
		return 1
	}
	defer svc.Close()
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	engine := svc.engine(nc, sync.Config{MaxWait: *maxWait, Interval: *interval, Log: log})
	if !*once {
		fmt.Fprintf(stdout, "syncing every %s; Ctrl+C to stop\n", *interval)
		if err := engine.Run(ctx); err != nil && !errors.Is(err, context.Canceled) {
			fmt.Fprintf(stderr, "ventanilla sync: %v\n", err)
			return 1
		}
		return 0
	}
	res, err := engine.RunOnce(ctx)
	fmt.Fprintf(stdout, "stored %d messages, opened %d cases, sent %d, failed %d, pending %d\n", res.Stored, res.NewCases, res.Sent, res.Failed, res.Pending)
	if err != nil {
		fmt.Fprintf(stderr, "ventanilla sync: not complete: %v\n", err)
		return 1
	}
	return 0
}
