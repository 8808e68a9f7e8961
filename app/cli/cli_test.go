package cli_test

import (
	"bytes"
	"context"
	"os"
	"strings"
	"testing"

	"ventanilla/app/cli"
	"ventanilla/db"
)

// program is the headless program: the real store, no window.
func program() cli.Program {
	return cli.Program{Open: func(ctx context.Context, path string) (cli.Store, error) { return db.Open(ctx, path) }}
}

// TestMain lets the test binary act as the ventanilla command, so the crash test can run
// `ventanilla sync --once` as a child process and kill it.
func TestMain(m *testing.M) {
	if os.Getenv("VENTANILLA_TEST_CHILD") == "1" {
		os.Exit(cli.Main(context.Background(), program(), os.Args[1:], os.Stdout, os.Stderr))
	}
	os.Exit(m.Run())
}

func runCLI(t *testing.T, args ...string) (int, string, string) {
	t.Helper()
	var out, errb bytes.Buffer
	code := cli.Main(context.Background(), program(), args, &out, &errb)
	return code, out.String(), errb.String()
}

func TestStatusJSONOnEmptyDataDir(t *testing.T) {
	code, out, errOut := runCLI(t, "status", "--json", "--data", t.TempDir())
	if code != 0 {
		t.Fatalf("exit %d: %s", code, errOut)
	}
	want := `{"cases":{"total":0,"by_kind":{"incident":0,"message":0,"procedure":0,"proposal":0,"query":0}},"messages":{"total":0},"outbox":{"pending":0,"sending":0,"sent":0,"failed":0},"residents":{"total":0,"verified":0}`
	if !strings.HasPrefix(out, want) {
		t.Errorf("got %s\nwant prefix %s", out, want)
	}
}

func TestBadDataDirAndUsage(t *testing.T) {
	code, _, errOut := runCLI(t, "status", "--data", "/proc/nope")
	if code == 0 || !strings.Contains(errOut, "/proc/nope") {
		t.Errorf("bad data dir: exit %d, %q", code, errOut)
	}
	for _, args := range [][]string{{"bogus"}, {"--nope"}, {"status", "--nope"}, {"sync", "extra"}} {
		code, _, errOut := runCLI(t, args...)
		if code != 2 || !strings.Contains(errOut, "Usage:") {
			t.Errorf("%v: exit %d, want 2 with usage; stderr %q", args, code, errOut)
		}
	}
}

func TestSyncWithoutCredentialsSaysWhatToSet(t *testing.T) {
	t.Setenv("VENTANILLA_X_TOKEN", "")
	code, _, errOut := runCLI(t, "sync", "--once", "--data", t.TempDir())
	if code != 1 || !strings.Contains(errOut, "VENTANILLA_X_TOKEN") {
		t.Errorf("exit %d, stderr %q", code, errOut)
	}
}
