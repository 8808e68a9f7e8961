// Package cli is Ventanilla's command line: global flags, the headless commands (status,
// sync, sim, the register administration of registercmd) and the services they share. The
// program's main package is the composition root: it hands Main a way to open the store and
// the function that runs the window, so this package stays free of Fyne and of SQL.
package cli

import (
	"context"
	"crypto/rand"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"log/slog"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"ventanilla/app"
	"ventanilla/app/cli/registercmd"
	"ventanilla/app/desk"
	"ventanilla/app/intake"
	"ventanilla/app/kiosk"
	"ventanilla/app/network"
	"ventanilla/app/network/sim"
	"ventanilla/app/network/x"
	"ventanilla/app/sync"
	"ventanilla/app/verify"
)

// Usage is printed for -h and for bad arguments.
const Usage = `Ventanilla: the town hall's counter on the social network.

Usage:
  ventanilla [--data DIR] [--x-api URL]                 the desk (GUI)
  ventanilla --kiosk | --training | --demo              the lobby kiosk, training mode, demo
  ventanilla status [--json]                            counts of cases, messages, outbox, residents
  ventanilla sync [--once] [--max-wait 2m] [--interval 2m]
                                                        sync with the network (pull, classify, send)
  ventanilla sim [--addr 127.0.0.1:8089] [--scenario F] [--state F]
                                                        run the simulated network
  ventanilla resident add --name N --dni D [--handle @h]
  ventanilla verify start @handle | verify status @handle [--json]
  ventanilla census import FILE.csv
  ventanilla audit verify
  ventanilla gen --data DIR [--residents N] [--messages M] [--seed S]
                                                        generate a realistic register (benchmarks, trials)

Global flags (before or after the subcommand):
  --data DIR    data directory (env VENTANILLA_DATA; default: the user's data directory/ventanilla)
  --x-api URL   send every X API call to this base URL, e.g. the simulator (env VENTANILLA_X_API)

Network credentials come from the environment: VENTANILLA_X_TOKEN (OAuth 2.0 user context), or
VENTANILLA_X_API_KEY, VENTANILLA_X_API_KEY_SECRET, VENTANILLA_X_ACCESS_TOKEN and
VENTANILLA_X_ACCESS_TOKEN_SECRET (OAuth 1.0a).
`

// Store is what the commands need from the database.
type Store interface {
	app.Store
	verify.Reader
	intake.CatalogReader
	desk.Store
	kiosk.Store
	Backup(ctx context.Context, path string, omitSettings []string) error
	Close() error
}

// Opener opens (creating and migrating if needed) the database file at path.
type Opener func(ctx context.Context, path string) (Store, error)

// Modes are the window's mode flags.
type Modes struct {
	Kiosk, Training, Demo bool
}

// GUIEnv is what the window runner gets: the parsed flags, and the services on the store
// (Net is nil, and NetErr says why, when there are no credentials).
type GUIEnv struct {
	Globals  Globals
	Modes    Modes
	Services *Services
	Net      network.Client
	NetErr   error
	Stderr   io.Writer
}

// GUI runs the window until it closes and returns the exit code.
type GUI func(ctx context.Context, env GUIEnv) int

// Command is an extra subcommand, run with its arguments (global flags removed).
type Command func(ctx context.Context, g Globals, args []string, stdout, stderr io.Writer) int

// Program is everything Main needs from the composition root.
type Program struct {
	Open Opener
	GUI  GUI
	// Commands are further subcommands by name (e.g. "gen").
	Commands map[string]Command
}

// Globals are the flags every subcommand accepts.
type Globals struct {
	Data string
	XAPI string
}

func (g *Globals) register(fs *flag.FlagSet) {
	fs.StringVar(&g.Data, "data", os.Getenv("VENTANILLA_DATA"), "data directory")
	fs.StringVar(&g.XAPI, "x-api", os.Getenv("VENTANILLA_X_API"), "base URL for X API calls")
}

func newFlagSet(name string) *flag.FlagSet {
	fs := flag.NewFlagSet(name, flag.ContinueOnError)
	fs.SetOutput(io.Discard)
	return fs
}

// parse parses args; on a bad flag or argument it prints the error and the usage.
func parse(fs *flag.FlagSet, args []string, stderr io.Writer) bool {
	if err := fs.Parse(args); err != nil {
		fmt.Fprintf(stderr, "ventanilla: %v\n\n%s", err, Usage)
		return false
	}
	if fs.NArg() > 0 {
		fmt.Fprintf(stderr, "ventanilla: unexpected argument %q\n\n%s", fs.Arg(0), Usage)
		return false
	}
	return true
}

// adminCommands are run by registercmd.
var adminCommands = map[string]bool{"resident": true, "verify": true, "census": true, "audit": true}

// Main runs the command line args and returns the exit code: 0 done, 1 failed, 2 bad usage.
func Main(ctx context.Context, p Program, args []string, stdout, stderr io.Writer) int {
	var g Globals
	var m Modes
	root := newFlagSet("ventanilla")
	g.register(root)
	root.BoolVar(&m.Kiosk, "kiosk", false, "the lobby kiosk")
	root.BoolVar(&m.Training, "training", false, "training mode")
	root.BoolVar(&m.Demo, "demo", false, "demo")
	if err := root.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			fmt.Fprint(stdout, Usage)
			return 0
		}
		fmt.Fprintf(stderr, "ventanilla: %v\n\n%s", err, Usage)
		return 2
	}
	rest := root.Args()
	if len(rest) == 0 {
		return p.runGUI(ctx, g, m, stderr)
	}
	cmd, cmdArgs := rest[0], rest[1:]
	switch cmd {
	case "status":
		return p.status(ctx, g, cmdArgs, stdout, stderr)
	case "sync":
		return p.sync(ctx, g, cmdArgs, stdout, stderr)
	case "sim":
		return sim.Main(ctx, cmdArgs, stdout, stderr)
	case "help":
		fmt.Fprint(stdout, Usage)
		return 0
	}
	if c, ok := p.Commands[cmd]; ok {
		cmdArgs, err := takeGlobals(&g, cmdArgs)
		if err != nil {
			fmt.Fprintf(stderr, "ventanilla %s: %v\n\n%s", cmd, err, Usage)
			return 2
		}
		return c(ctx, g, cmdArgs, stdout, stderr)
	}
	if adminCommands[cmd] {
		return p.admin(ctx, g, cmd, cmdArgs, stdout, stderr)
	}
	fmt.Fprintf(stderr, "ventanilla: unknown command %q\n\n%s", cmd, Usage)
	return 2
}

// DataDir is where the database lives: --data, VENTANILLA_DATA, or the user's data directory.
func (g Globals) DataDir() (string, error) {
	if g.Data != "" {
		return g.Data, nil
	}
	return DefaultDataDir()
}

// DefaultDataDir is the per-user data directory: %LOCALAPPDATA%\ventanilla on Windows,
// ~/Library/Application Support/ventanilla on macOS, $XDG_DATA_HOME/ventanilla or
// ~/.local/share/ventanilla elsewhere.
func DefaultDataDir() (string, error) {
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

// DatabaseFile is the database's name inside the data directory.
const DatabaseFile = "ventanilla.db"

func (p Program) openStore(ctx context.Context, g Globals) (Store, error) {
	dir, err := g.DataDir()
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(dir, 0o700); err != nil {
		return nil, fmt.Errorf("cannot use data directory %s: %w", dir, err)
	}
	return p.Open(ctx, filepath.Join(dir, DatabaseFile))
}

// Services are the core services a command works with, on one store, and the network they
// reach: Net is nil, and NetErr says why, when there are no credentials.
type Services struct {
	Store  Store
	Verify *verify.Service
	Intake *intake.Service
	Desk   *desk.Service
	Net    network.Client
	NetErr error
}

// OpenServices opens the store in g's data directory, gives an empty register its default
// configuration, finds the network credentials (the environment first, then those an
// administrator saved in Settings) and builds the services.
func (p Program) OpenServices(ctx context.Context, g Globals) (*Services, error) {
	store, err := p.openStore(ctx, g)
	if err != nil {
		return nil, err
	}
	if err := intake.Seed(ctx, store, func() int { return app.RegistryYear(app.SystemClock()) }); err != nil {
		store.Close()
		return nil, fmt.Errorf("prepare the register: %w", err)
	}
	svc := &Services{Store: store}
	stored, err := desk.New(store).NetworkCredentials(ctx)
	if err != nil {
		store.Close()
		return nil, err
	}
	svc.Net, svc.NetErr = NetworkClient(ctx, g, stored)
	svc.Verify = verify.New(store, svc.Net, app.SystemClock, rand.Reader)
	svc.Intake = intake.New(store, svc.Verify, app.SystemClock)
	svc.Desk = desk.New(store, desk.WithOnConfigChanged(svc.Intake.Reload))
	return svc, nil
}

// Close closes the store.
func (s *Services) Close() error { return s.Store.Close() }

// Engine builds the sync engine on these services and their network: their intake, and
// handles entered offline resolved as soon as the network answers. Net must not be nil.
func (s *Services) Engine(cfg sync.Config) *sync.Engine {
	cfg.Store, cfg.Net, cfg.Intake = s.Store, s.Net, s.Intake
	cfg.Online = func(ctx context.Context) error {
		_, err := s.Verify.ResolvePending(ctx)
		return err
	}
	return sync.New(cfg)
}

// NetworkClient builds the X client: credentials from the environment or, when it has none,
// those stored in Settings; the base URL from --x-api / VENTANILLA_X_API, else Settings.
func NetworkClient(ctx context.Context, g Globals, stored desk.Credentials) (network.Client, error) {
	cfg := x.ConfigFromEnv()
	if !cfg.HasCredentials() {
		cfg.BearerToken, cfg.APIKey, cfg.APIKeySecret = stored.BearerToken, stored.APIKey, stored.APIKeySecret
		cfg.AccessToken, cfg.AccessTokenSecret = stored.AccessToken, stored.AccessTokenSecret
	}
	switch {
	case g.XAPI != "":
		cfg.BaseURL = g.XAPI
	case cfg.BaseURL == "":
		cfg.BaseURL = stored.BaseURL
	}
	if !cfg.HasCredentials() {
		return nil, errors.New("no network credentials: set VENTANILLA_X_TOKEN (or the four VENTANILLA_X_API_KEY, VENTANILLA_X_API_KEY_SECRET, VENTANILLA_X_ACCESS_TOKEN, VENTANILLA_X_ACCESS_TOKEN_SECRET), or save them in Settings")
	}
	return x.New(ctx, cfg)
}

func (p Program) runGUI(ctx context.Context, g Globals, m Modes, stderr io.Writer) int {
	if p.GUI == nil {
		fmt.Fprintln(stderr, "ventanilla: this build has no window")
		return 1
	}
	env := GUIEnv{Globals: g, Modes: m, Stderr: stderr}
	if m.Demo || m.Training {
		// These modes bring their own data directory and simulated network.
		return p.GUI(ctx, env)
	}
	svc, err := p.OpenServices(ctx, g)
	if err != nil {
		fmt.Fprintf(stderr, "ventanilla: %v\n", err)
		return 1
	}
	defer svc.Close()
	env.Services, env.Net, env.NetErr = svc, svc.Net, svc.NetErr
	return p.GUI(ctx, env)
}

func (p Program) status(ctx context.Context, g Globals, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("status")
	g.register(fs)
	asJSON := fs.Bool("json", false, "print JSON")
	if !parse(fs, args, stderr) {
		return 2
	}
	store, err := p.openStore(ctx, g)
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
		if err := json.NewEncoder(stdout).Encode(st); err != nil {
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

func (p Program) sync(ctx context.Context, g Globals, args []string, stdout, stderr io.Writer) int {
	fs := newFlagSet("sync")
	g.register(fs)
	once := fs.Bool("once", false, "sync until caught up and drained, then exit")
	maxWait := fs.Duration("max-wait", 2*time.Minute, "longest wait for a rate limit with --once")
	interval := fs.Duration("interval", 2*time.Minute, "time between rounds")
	if !parse(fs, args, stderr) {
		return 2
	}
	svc, err := p.OpenServices(ctx, g)
	if err != nil {
		fmt.Fprintf(stderr, "ventanilla sync: %v\n", err)
		return 1
	}
	defer svc.Close()
	if svc.NetErr != nil {
		fmt.Fprintf(stderr, "ventanilla sync: %v\n", svc.NetErr)
		return 1
	}
	if !flagSet(fs, "interval") {
		if d, err := svc.Desk.SyncInterval(ctx); err == nil {
			*interval = d
		}
	}
	log := slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	engine := svc.Engine(sync.Config{MaxWait: *maxWait, Interval: *interval, Log: log})
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

// admin runs the register administration commands through registercmd.
func (p Program) admin(ctx context.Context, g Globals, cmd string, args []string, stdout, stderr io.Writer) int {
	args, err := takeGlobals(&g, args)
	if err != nil {
		fmt.Fprintf(stderr, "ventanilla %s: %v\n\n%s", cmd, err, Usage)
		return 2
	}
	svc, err := p.OpenServices(ctx, g) // without credentials the register works offline
	if err != nil {
		fmt.Fprintf(stderr, "ventanilla %s: %v\n", cmd, err)
		return 1
	}
	defer svc.Close()
	return registercmd.Main(ctx, svc.Verify, append([]string{cmd}, args...), stdout, stderr)
}

// flagSet reports whether the flag name was given on the command line.
func flagSet(fs *flag.FlagSet, name string) bool {
	set := false
	fs.Visit(func(f *flag.Flag) { set = set || f.Name == name })
	return set
}

// takeGlobals moves --data and --x-api (with their values) from args into g, so that the
// global flags may come anywhere on the command line.
func takeGlobals(g *Globals, args []string) ([]string, error) {
	var rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		name, value, hasValue := strings.Cut(strings.TrimLeft(a, "-"), "=")
		if !strings.HasPrefix(a, "-") || (name != "data" && name != "x-api") {
			rest = append(rest, a)
			continue
		}
		if !hasValue {
			if i+1 >= len(args) {
				return nil, fmt.Errorf("flag --%s needs a value", name)
			}
			i++
			value = args[i]
		}
		if name == "data" {
			g.Data = value
		} else {
			g.XAPI = value
		}
	}
	return rest, nil
}
