package main

import (
	"context"
	"fmt"
	"io"
	"strings"

	"ventanilla/app/cli/registercmd"
	"ventanilla/app/network"
)

// adminCommands are the register administration commands, run by registercmd.
var adminCommands = map[string]bool{"resident": true, "verify": true, "census": true, "audit": true}

// runAdmin runs the register administration commands (resident, verify, census, audit). It
// reports false when cmd is none of them.
func runAdmin(ctx context.Context, g globals, cmd string, args []string, stdout, stderr io.Writer) (int, bool) {
	if !adminCommands[cmd] {
		return 0, false
	}
	args, err := takeGlobals(&g, args)
	if err != nil {
		fmt.Fprintf(stderr, "ventanilla %s: %v\n\n%s", cmd, err, usage)
		return 2, true
	}
	var nc network.Client
	if c, err := networkClient(ctx, g); err == nil {
		nc = c // without credentials the register works offline
	}
	svc, err := openServices(ctx, g, nc)
	if err != nil {
		fmt.Fprintf(stderr, "ventanilla %s: %v\n", cmd, err)
		return 1, true
	}
	defer svc.Close()
	return registercmd.Main(ctx, svc.verify, append([]string{cmd}, args...), stdout, stderr), true
}

// takeGlobals removes --data and --x-api (with their values) from args into g, so that the
// global flags may come anywhere on the command line.
func takeGlobals(g *globals, args []string) ([]string, error) {
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
			g.data = value
		} else {
			g.xAPI = value
		}
	}
	return rest, nil
}
