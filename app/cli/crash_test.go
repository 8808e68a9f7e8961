//go:build linux

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
	"syscall"
	"testing"
	"time"

	"ventanilla/app"
	"ventanilla/app/network/sim"
	"ventanilla/db"
)

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
		// A child never outlives the test: killed with it if the test process dies.
		cmd.SysProcAttr = &syscall.SysProcAttr{Pdeathsig: syscall.SIGKILL}
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
