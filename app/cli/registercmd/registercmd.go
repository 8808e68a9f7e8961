// Package registercmd is the command line of the residents' register: recording residents,
// issuing verification codes, showing an account's verification status, importing the census
// and checking the audit log. main wires it in; every command goes through app/verify, so
// the CLI does nothing the desk could not.
package registercmd

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	_ "time/tzdata" // Madrid time on machines without a zone database (Windows)

	"ventanilla/app"
	"ventanilla/app/verify"
)

// Actor is how the audit log names whoever runs these commands.
const Actor = "cli"

const usage = `usage:
  resident add --name NAME --dni DNI/NIE [--handle @HANDLE] [--phone P] [--email E] [--address A]
  verify start @HANDLE [--ttl 30m]
  verify status @HANDLE [--json]
  census import FILE.csv
  audit verify
`

// errUsage marks bad arguments: exit 2, nothing changed.
type errUsage struct{ msg string }

func (e errUsage) Error() string { return e.msg }

func usageErr(format string, args ...any) error { return errUsage{fmt.Sprintf(format, args...)} }

// Main runs one command. It returns 0 on success, 1 when the command failed or was refused
// (a duplicate document, a rejected census file, a broken audit log) and 2 on bad arguments,
// in which case nothing was changed.
func Main(ctx context.Context, svc *verify.Service, args []string, stdout, stderr io.Writer) int {
	err := run(ctx, svc, args, stdout)
	var ue errUsage
	switch {
	case err == nil:
		return 0
	case errors.As(err, &ue):
		fmt.Fprintf(stderr, "%s\n\n%s", ue.msg, usage)
		return 2
	case app.IsInvalid(err):
		fmt.Fprintln(stderr, err)
		return 2
	}
	fmt.Fprintln(stderr, err)
	return 1
}

func run(ctx context.Context, svc *verify.Service, args []string, stdout io.Writer) error {
	if len(args) < 2 {
		return usageErr("a command needs a subject and a verb, e.g. \"verify status @handle\"")
	}
	cmd, rest := args[0]+" "+args[1], args[2:]
	switch cmd {
	case "resident add":
		return residentAdd(ctx, svc, rest, stdout)
	case "verify start":
		return verifyStart(ctx, svc, rest, stdout)
	case "verify status":
		return verifyStatus(ctx, svc, rest, stdout)
	case "census import":
		return censusImport(ctx, svc, rest, stdout)
	case "audit verify":
		if len(rest) != 0 {
			return usageErr("audit verify takes no arguments")
		}
		n, err := svc.CheckAudit(ctx)
		if err != nil {
			return fmt.Errorf("%w (%d entries read)", err, n)
		}
		fmt.Fprintf(stdout, "audit log intact: %d entries checked\n", n)
		return nil
	}
	return usageErr("unknown command %q", cmd)
}

// parse parses flags wherever they are among the positional arguments.
func parse(fs *flag.FlagSet, args []string) ([]string, error) {
	fs.SetOutput(io.Discard)
	var pos []string
	for {
		if err := fs.Parse(args); err != nil {
			return nil, usageErr("%s: %v", fs.Name(), err)
		}
		if fs.NArg() == 0 {
			return pos, nil
		}
		pos = append(pos, fs.Arg(0))
		args = fs.Args()[1:]
	}
}

func residentAdd(ctx context.Context, svc *verify.Service, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("resident add", flag.ContinueOnError)
	name := fs.String("name", "", "full name")
	dni := fs.String("dni", "", "DNI or NIE with its check letter")
	handle := fs.String("handle", "", "the resident's @handle")
	phone := fs.String("phone", "", "phone")
	email := fs.String("email", "", "email")
	address := fs.String("address", "", "address")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 0 {
		return usageErr("resident add: unexpected %q", pos[0])
	}
	if strings.TrimSpace(*name) == "" || strings.TrimSpace(*dni) == "" {
		return usageErr("resident add: --name and --dni are required")
	}
	// Check everything before writing anything, so that a bad handle leaves no half-done resident.
	if _, err := app.NormalizeDocument(*dni); err != nil {
		return err
	}
	if *handle != "" {
		if _, err := verify.NormalizeHandle(*handle); err != nil {
			return err
		}
	}
	res, err := svc.AddResident(ctx, Actor, *name, *dni, *phone, *email, *address)
	if err != nil {
		return err
	}
	census := "not in the census"
	if res.InCensus {
		census = "in the census"
	}
	fmt.Fprintf(stdout, "resident %s: %s, %s, %s\n", res.ID, res.FullName, app.MaskDocument(res.Document), census)
	if *handle == "" {
		return nil
	}
	ident, err := svc.Link(ctx, Actor, res.ID, *handle)
	if err != nil {
		return fmt.Errorf("the resident was recorded, but linking %s failed: %v", *handle, err)
	}
	if ident.UserID == "" {
		fmt.Fprintf(stdout, "@%s linked, level %s; offline: its user id will be resolved when the network is reachable\n", ident.Handle, ident.Level)
	} else {
		fmt.Fprintf(stdout, "@%s (user id %s) linked, level %s\n", ident.Handle, ident.UserID, ident.Level)
	}
	return nil
}

func madrid(t time.Time) string {
	loc, err := time.LoadLocation("Europe/Madrid")
	if err != nil {
		return t.UTC().Format("02/01/2006 15:04 UTC")
	}
	return t.In(loc).Format("02/01/2006 15:04") + " (Madrid time)"
}

func verifyStart(ctx context.Context, svc *verify.Service, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("verify start", flag.ContinueOnError)
	ttl := fs.Duration("ttl", verify.DefaultTTL, "how long the code is valid")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("verify start needs exactly one @handle")
	}
	if *ttl <= 0 {
		return usageErr("verify start: --ttl must be positive")
	}
	ch, err := svc.Start(ctx, Actor, pos[0], *ttl)
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "code:        %s\n", ch.Code)
	fmt.Fprintf(stdout, "account:     @%s (user id %s)\n", ch.Handle, ch.UserID)
	fmt.Fprintf(stdout, "valid until: %s\n", madrid(ch.ExpiresAt))
	fmt.Fprintf(stdout, "The resident must send %s from @%s, by direct message to the town hall or in a post mentioning it, before it expires.\n", ch.Code, ch.Handle)
	return nil
}

func verifyStatus(ctx context.Context, svc *verify.Service, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("verify status", flag.ContinueOnError)
	asJSON := fs.Bool("json", false, "print JSON")
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("verify status needs exactly one @handle")
	}
	st, err := svc.Status(ctx, pos[0])
	if errors.Is(err, app.ErrNotFound) {
		return fmt.Errorf("%s: no account with that handle in the register", pos[0])
	}
	if err != nil {
		return err
	}
	if *asJSON {
		enc := json.NewEncoder(stdout)
		enc.SetIndent("", "  ")
		return enc.Encode(st)
	}
	userID := st.UserID
	if userID == "" {
		userID = "(not resolved yet)"
	}
	fmt.Fprintf(stdout, "account:  @%s\n", st.Handle)
	fmt.Fprintf(stdout, "user id:  %s\n", userID)
	fmt.Fprintf(stdout, "level:    %s\n", st.Level)
	if st.DisplayName != "" {
		fmt.Fprintf(stdout, "name:     %s\n", st.DisplayName)
	}
	if !st.VerifiedAt.IsZero() {
		fmt.Fprintf(stdout, "verified: %s by %s, message %s\n", madrid(st.VerifiedAt), st.VerifiedMethod, st.VerifiedMsgID)
	}
	if st.Resident != nil {
		census := "not in the census"
		if st.Resident.InCensus {
			census = "in the census"
		}
		fmt.Fprintf(stdout, "resident: %s, %s, %s\n", st.Resident.Name, st.Resident.Document, census)
	}
	flags := "none"
	if len(st.Flags) > 0 {
		flags = strings.Join(st.Flags, ", ")
	}
	fmt.Fprintf(stdout, "flags:    %s\n", flags)
	fmt.Fprintln(stdout, "handles:")
	for _, h := range st.History {
		fmt.Fprintf(stdout, "  @%s since %s\n", h.Handle, madrid(h.SeenAt))
	}
	if c := st.LastChallenge; c != nil {
		fmt.Fprintf(stdout, "last code: %s, %s, expires %s\n", c.Code, c.Status, madrid(c.ExpiresAt))
	}
	for _, o := range st.Others {
		fmt.Fprintf(stdout, "also seen with this handle: user id %s (now @%s), level %s\n", o.UserID, o.Handle, o.Level)
	}
	return nil
}

func censusImport(ctx context.Context, svc *verify.Service, args []string, stdout io.Writer) error {
	fs := flag.NewFlagSet("census import", flag.ContinueOnError)
	pos, err := parse(fs, args)
	if err != nil {
		return err
	}
	if len(pos) != 1 {
		return usageErr("census import needs exactly one CSV file")
	}
	f, err := os.Open(pos[0])
	if err != nil {
		return usageErr("census import: %v", err)
	}
	defer f.Close()
	rep, err := svc.ImportCensus(ctx, Actor, f, nil)
	if rep.Rejected() {
		fmt.Fprintf(stdout, "%s rejected: %d of %d rows are bad; nothing was imported\n", pos[0], len(rep.Problems), rep.Rows)
		for _, p := range rep.Problems {
			fmt.Fprintf(stdout, "  line %d: %s\n", p.Line, p.Reason)
		}
		return errors.New("census import rejected")
	}
	if err != nil {
		return err
	}
	fmt.Fprintf(stdout, "%s imported: %d rows; %d verified accounts now verified and in the census\n", pos[0], rep.Imported, rep.Promoted)
	return nil
}
