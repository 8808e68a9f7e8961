// Command ventanilla is the town hall's counter on the social network: the staff desk (GUI),
// the kiosk, training and demo modes, and the same services headless (sync, status, the
// simulated network, register administration). This file is the composition root: it opens
// the SQLite store for app/cli and runs the Fyne window.
package main

import (
	"context"
	"fmt"
	"log/slog"
	"os"
	"os/signal"
	"syscall"

	fyneapp "fyne.io/fyne/v2/app"

	"ventanilla/app/cli"
	"ventanilla/app/desk"
	"ventanilla/app/sync"
	"ventanilla/db"
	"ventanilla/ui"
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
	}
}

// runGUI opens the desk. With network credentials the sync engine runs beside it, owned here
// and stopped when the window closes; without them the desk works offline.
func runGUI(ctx context.Context, env cli.GUIEnv) int {
	if env.Modes.Kiosk || env.Modes.Training || env.Modes.Demo {
		fmt.Fprintln(env.Stderr, "ventanilla: this mode is not available yet")
		return 1
	}
	svc := env.Services
	dir, _ := env.Globals.DataDir()
	opts := ui.Options{Desk: desk.New(svc.Store), Verify: svc.Verify, DataDir: dir, Backup: svc.Store.Backup}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	if env.NetErr == nil {
		engine := svc.Engine(env.Net, sync.Config{Log: slog.New(slog.NewTextHandler(env.Stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
		opts.Sync = engine
		go func() {
			defer close(done)
			engine.Run(ctx) // returns when ctx is cancelled, after the window closed
		}()
	} else {
		close(done)
		fmt.Fprintf(env.Stderr, "ventanilla: working offline: %v\n", env.NetErr)
	}
	ui.RunDesk(fyneapp.NewWithID(appID), opts)
	cancel()
	<-done
	return 0
}
