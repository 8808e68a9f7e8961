// Command ventanilla is the town hall's counter on the social network: the staff desk (GUI),
// the kiosk, training and demo modes, and the same services headless (sync, status, the
// simulated network, register administration). This file is the composition root: it opens
// the SQLite store for app/cli and runs the Fyne window.
package main

import (
	"context"
	"fmt"
	"io"
	"log/slog"
	"os"
	"os/signal"
	"path/filepath"
	"syscall"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"

	"ventanilla/app/cli"
	"ventanilla/app/demo"
	appkiosk "ventanilla/app/kiosk"
	"ventanilla/app/sync"
	apptraining "ventanilla/app/training"
	"ventanilla/db"
	"ventanilla/db/gen"
	"ventanilla/ui"
	"ventanilla/ui/kiosk"
	"ventanilla/ui/training"
)

// appID identifies the program to the desktop (preferences, notifications); it matches
// FyneApp.toml.
const appID = "es.ventanilla.desk"

func main() {
	ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
	code := cli.Main(ctx, program(), os.Args[1:], os.Stdout, os.Stderr)
	stop()
	os.Exit(code)
}

func program() cli.Program {
	return cli.Program{
		Open: func(ctx context.Context, path string) (cli.Store, error) { return db.Open(ctx, path) },
		GUI:  runGUI,
		Commands: map[string]cli.Command{
			"gen": func(ctx context.Context, g cli.Globals, args []string, stdout, stderr io.Writer) int {
				if g.Data != "" {
					args = append(args, "--data", g.Data)
				}
				return gen.Main(ctx, args, stdout, stderr)
			},
		},
	}
}

// openDemoStore opens a sandbox or demo database; app packages cannot import db.
func openDemoStore(ctx context.Context, path string) (demo.Store, error) { return db.Open(ctx, path) }

// runGUI runs the window of the chosen mode until it closes. A sync engine, when there is
// one, is owned here: started beside the window and stopped when it closes.
func runGUI(ctx context.Context, env cli.GUIEnv) int {
	a := fyneapp.NewWithID(appID)
	dir, err := env.Globals.DataDir()
	if err != nil {
		fmt.Fprintf(env.Stderr, "ventanilla: %v\n", err)
		return 1
	}
	log := slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))
	// Spanish unless the system speaks English; the desk applies the administrator's choice
	// below, before its window is built.
	ui.SetLanguage("")
	switch {
	case env.Modes.Training:
		sb, err := apptraining.Open(ctx, apptraining.Config{Dir: filepath.Join(dir, "training"), Open: openDemoStore})
		if err != nil {
			fmt.Fprintf(env.Stderr, "ventanilla --training: %v\n", err)
			return 1
		}
		defer sb.Close()
		training.Run(a, training.Options{Sandbox: sb})
		return 0
	case env.Modes.Demo:
		return runDemo(ctx, a, dir, env)
	}
	svc := env.Services
	if env.Modes.Kiosk {
		service := appkiosk.New(appkiosk.Config{Store: svc.Store, Verify: svc.Verify, Desk: svc.Desk})
		stop := startEngine(ctx, svc, env, log)
		kiosk.Run(a, kiosk.Options{Service: service})
		stop()
		return 0
	}
	if lang, err := svc.Desk.InterfaceLanguage(ctx); err == nil && lang != "" {
		ui.SetLanguage(lang) // the administrator's choice wins over the system's
	}
	opts := ui.Options{Desk: svc.Desk, Verify: svc.Verify, DataDir: dir, Backup: svc.Store.Backup}
	var engine *sync.Engine
	if env.NetErr == nil {
		engine = svc.Engine(syncConfig(ctx, svc, log))
		opts.Sync = engine // left a nil interface without a network
	}
	stop := runEngine(ctx, engine, env)
	ui.RunDesk(a, opts)
	stop()
	return 0
}

// runDemo opens the desk on a town hall of its own (its own directory) against the in-process
// simulated network: what `make run` opens when there are no credentials.
func runDemo(ctx context.Context, a fyne.App, dir string, env cli.GUIEnv) int {
	e, err := demo.Prepare(ctx, filepath.Join(dir, "demo"), openDemoStore)
	if err != nil {
		fmt.Fprintf(env.Stderr, "ventanilla --demo: %v\n", err)
		return 1
	}
	defer e.Close()
	stop := runEngine(ctx, e.Engine, env)
	ui.RunDesk(a, ui.Options{Desk: e.Desk, Sync: e.Engine, Verify: e.Verify, DataDir: e.Dir, Demo: true, Backup: e.Store.Backup})
	stop()
	return 0
}

// startEngine runs the register's sync engine for the kiosk, when there is a network.
func startEngine(ctx context.Context, svc *cli.Services, env cli.GUIEnv, log *slog.Logger) (stop func()) {
	if env.NetErr != nil {
		return runEngine(ctx, nil, env)
	}
	return runEngine(ctx, svc.Engine(syncConfig(ctx, svc, log)), env)
}

// syncConfig is the engine's configuration from Settings (the interval between rounds).
func syncConfig(ctx context.Context, svc *cli.Services, log *slog.Logger) sync.Config {
	cfg := sync.Config{Log: log}
	if d, err := svc.Desk.SyncInterval(ctx); err == nil {
		cfg.Interval = d
	}
	return cfg
}

// runEngine runs engine (if any) until stop is called; stop returns once it has ended.
func runEngine(ctx context.Context, engine *sync.Engine, env cli.GUIEnv) (stop func()) {
	if engine == nil {
		fmt.Fprintf(env.Stderr, "ventanilla: working offline: %v\n", env.NetErr)
		return func() {}
	}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	go func() {
		defer close(done)
		engine.Run(ctx) // returns when ctx is cancelled
	}()
	return func() { cancel(); <-done }
}
