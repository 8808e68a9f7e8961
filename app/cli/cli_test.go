package cli_test

import (
	"bytes"
	"context"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"syscall"
	"testing"
	"time"

	"ventanilla/app"
	"ventanilla/app/cli"
	"ventanilla/app/network/sim"
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

// TestSyncSurvivesKills runs `sync --once` over 500 resident messages, SIGKILLs it at random
// points at least 20 times, restarts it until it completes, and checks that nothing was lost or
// answered twice.
func TestSyncSurvivesKills(t *testing.T) {
	if testing.Short() {
		t.Skip("crash test is long")
	}
	s := sim.New(sim.Options{OwnerHandle: "AytoPrueba", OwnerName: "Ayuntamiento de Prueba"})
	url, err := s.Start("127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer s.Close()
	const residents = 50
	for i := 0; i < residents; i++ {
		if _, err := s.CreateAccount(fmt.Sprintf("vecino%02d", i), fmt.Sprintf("Vecino Prueba %d", i)); err != nil {
			t.Fatal(err)
		}
	}
	want, posts, dms := 0, 0, 0
	dmSenders := map[string]bool{}
	for i := 0; want < 500; i++ {
		h := fmt.Sprintf("vecino%02d", i%residents)
		if i%5 == 4 {
			// DMs in a conversation with an open case join it: one case per conversation.
			if _, err := s.SendDM(h, fmt.Sprintf("Consulta privada %d", i)); err != nil {
				t.Fatal(err)
			}
			dms++
			dmSenders[h] = true
		} else {
			posts++
			if _, err := s.Post(h, fmt.Sprintf("@AytoPrueba consulta pública %d", i), ""); err != nil {
				t.Fatal(err)
			}
		}
		want++
	}
	// Every send takes a little while, so that kills land in the middle of the work.
	s.InjectFault(sim.Fault{Kind: sim.FaultSlow, Method: "POST", Count: 1 << 30, Delay: 8 * time.Millisecond})
	data := t.TempDir()
	exe, _ := os.Executable()
	rng := rand.New(rand.NewPCG(42, 7))
	kills, runs := 0, 0
	start := time.Now()
	for {
		runs++
		cmd := exec.Command(exe, "sync", "--once", "--data", data, "--x-api", url)
		cmd.Env = append(os.Environ(), "VENTANILLA_TEST_CHILD=1", "VENTANILLA_X_TOKEN=t")
		var errb bytes.Buffer
		cmd.Stderr = &errb
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		done := make(chan error, 1)
		go func() { done <- cmd.Wait() }()
		if kills < 20 {
			delay := time.Duration(10+rng.IntN(250)) * time.Millisecond
			select {
			case err := <-done:
				if err == nil {
					t.Logf("run %d completed before its kill", runs)
				}
			case <-time.After(delay):
				cmd.Process.Signal(syscall.SIGKILL)
				<-done
				kills++
				continue
			}
		} else if err := <-done; err == nil {
			break
		} else {
			t.Logf("run %d: %v: %s", runs, err, errb.String())
		}
		if runs > 200 || time.Since(start) > 3*time.Minute {
			t.Fatalf("sync did not complete after %d runs (%d kills)", runs, kills)
		}
	}
	t.Logf("%d runs, %d kills", runs, kills)

	ctx := context.Background()
	store, err := db.Open(ctx, filepath.Join(data, "ventanilla.db"))
	if err != nil {
		t.Fatal(err)
	}
	defer store.Close()
	st, err := store.Status(ctx)
	if err != nil {
		t.Fatal(err)
	}
	if st.Messages.Total != int64(want) {
		t.Errorf("messages stored: got %d, want %d", st.Messages.Total, want)
	}
	if st.Outbox.Sent != st.Cases.Total || st.Outbox.Pending+st.Outbox.Sending+st.Outbox.Failed != 0 {
		t.Errorf("outbox: got %+v for %d cases, want one sent acknowledgement per case", st.Outbox, st.Cases.Total)
	}
	re := regexp.MustCompile(`E-\d{4}-\d{6}`)
	acks := map[string]int{}
	for _, p := range s.OwnerPosts() {
		acks[re.FindString(p.Text)]++
	}
	for _, d := range s.OwnerDMs() {
		acks[re.FindString(d.Text)]++
	}
	if int64(len(acks)) != st.Cases.Total {
		t.Errorf("acknowledged numbers: got %d, want %d (one per case)", len(acks), st.Cases.Total)
	}
	for n, c := range acks {
		if c != 1 {
			t.Errorf("%s acknowledged %d times", n, c)
		}
	}
	// One case per resident message, except DMs that continue an open conversation.
	var joined, opened int64
	for _, k := range app.CaseKinds {
		opened += st.Cases.ByKind[k]
	}
	joined = st.Messages.Total - opened
	wantCases := int64(posts + len(dmSenders))
	if opened != wantCases || joined != int64(dms-len(dmSenders)) {
		js, _ := json.Marshal(st)
		t.Errorf("got %d cases and %d joined messages, want %d and %d: %s", opened, joined, wantCases, dms-len(dmSenders), js)
	}
}
