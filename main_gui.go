package main

import (
	"context"
	"flag"
	"fmt"
	"io"

	"fyne.io/fyne/v2"
	fyneapp "fyne.io/fyne/v2/app"
	"fyne.io/fyne/v2/widget"
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

func runGUI(ctx context.Context, g globals, m modes, stderr io.Writer) int {
	store, err := openStore(ctx, g)
	if err != nil {
		fmt.Fprintf(stderr, "ventanilla: %v\n", err)
		return 1
	}
	defer store.Close()
	a := fyneapp.NewWithID("es.ventanilla.desk")
	w := a.NewWindow("Ventanilla")
	w.Resize(fyne.NewSize(1366, 768))
	w.SetContent(widget.NewLabel("Ventanilla"))
	w.ShowAndRun()
	return 0
}
