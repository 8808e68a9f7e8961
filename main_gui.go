package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"log/slog"

	fyneapp "fyne.io/fyne/v2/app"

	"ventanilla/app/desk"
	"ventanilla/app/sync"
	"ventanilla/ui"
)

// modes are the GUI's mode flags.
type modes struct {
	kiosk, training, demo *bool
}

func registerModes(fs *flag.FlagSet) modes {
	return modes{
		kiosk:    fs.Bool("kiosk", false, "the lobby kiosk for residents"),
		training: fs.Bool("training", false, "the training mode: a sandbox and a simulated phone"),
		demo:     fs.Bool("demo", false, "the desk against a built-in simulated network"),
	}
}

// runGUI opens the desk. With network credentials the sync engine runs beside it, owned here
// and stopped when the window closes; without them the desk works offline.
func runGUI(ctx context.Context, g globals, m modes, stderr io.Writer) int {
	nc, netErr := networkClient(ctx, g)
	svc, err := openServices(ctx, g, nc)
	if err != nil {
		fmt.Fprintf(stderr, "ventanilla: %v\n", err)
		return 1
	}
	defer svc.Close()
	dir, _ := g.dataDir()
	opts := ui.Options{Desk: desk.New(svc.store), Verify: svc.verify, DataDir: dir, Backup: svc.store.Backup}
	ctx, cancel := context.WithCancel(ctx)
	done := make(chan struct{})
	if netErr == nil {
		engine := svc.engine(nc, sync.Config{Log: slog.New(slog.NewTextHandler(stderr, &slog.HandlerOptions{Level: slog.LevelWarn}))})
		opts.Sync = engine
		go func() {
			defer close(done)
			engine.Run(ctx) // returns when ctx is cancelled, after the window closed
		}()
	} else {
		close(done)
		fmt.Fprintf(stderr, "ventanilla: working offline: %v\n", netErr)
	}
	ui.RunDesk(fyneapp.NewWithID("es.ventanilla.desk"), opts)
	cancel()
	<-done
	return 0
}
