package sim

import (
	"context"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"strconv"
	"strings"
	"time"
)

// Scenario is the JSON file format described in the package documentation.
type Scenario struct {
	Owner    *ScenarioAccount  `json:"owner,omitempty"`
	Accounts []ScenarioAccount `json:"accounts"`
	Posts    []ScenarioPost    `json:"posts"`
	DMs      []ScenarioDM      `json:"dms"`
}

// ScenarioAccount is an account to create (or, for the owner, to rename to).
type ScenarioAccount struct {
	Handle string `json:"handle"`
	Name   string `json:"name"`
}

// ScenarioPost is a post; Key names it for later replies, ReplyTo is a key or a post id.
type ScenarioPost struct {
	Key     string `json:"key,omitempty"`
	Author  string `json:"author"`
	Text    string `json:"text"`
	Age     string `json:"age,omitempty"`
	ReplyTo string `json:"reply_to,omitempty"`
}

// ScenarioDM is a direct message from a resident to the owner, or from the owner To a resident.
type ScenarioDM struct {
	From string `json:"from"`
	To   string `json:"to,omitempty"`
	Text string `json:"text"`
	Age  string `json:"age,omitempty"`
}

// parseAge reads "-2h", "-90m", "-3d" (or without the sign; an age is always in the past).
func parseAge(s string) (time.Duration, error) {
	s = strings.TrimSpace(s)
	if s == "" {
		return 0, nil
	}
	s = strings.TrimPrefix(strings.TrimPrefix(s, "-"), "+")
	if strings.HasSuffix(s, "d") {
		n, err := strconv.ParseFloat(strings.TrimSuffix(s, "d"), 64)
		if err != nil {
			return 0, fmt.Errorf("invalid age %q", s)
		}
		return time.Duration(n * float64(24*time.Hour)), nil
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("invalid age %q", s)
	}
	return d, nil
}

// LoadScenario adds the accounts, posts and DMs of a scenario to the current state. Accounts
// that already exist by handle are reused.
func (s *Server) LoadScenario(r io.Reader) error {
	var sc Scenario
	dec := json.NewDecoder(r)
	dec.DisallowUnknownFields()
	if err := dec.Decode(&sc); err != nil {
		return fmt.Errorf("sim: read scenario: %w", err)
	}
	s.mu.Lock()
	defer s.mu.Unlock()
	now := s.clock()
	if sc.Owner != nil && sc.Owner.Handle != "" {
		owner := s.st.Accounts[s.st.OwnerID]
		if other := s.byHandleLocked(sc.Owner.Handle); other != nil && other.ID != owner.ID {
			return fmt.Errorf("%w: owner @%s", ErrHandleTaken, sc.Owner.Handle)
		}
		owner.Handle = strings.TrimPrefix(sc.Owner.Handle, "@")
		if sc.Owner.Name != "" {
			owner.Name = sc.Owner.Name
		}
	}
	for _, a := range sc.Accounts {
		if s.byHandleLocked(a.Handle) != nil {
			continue
		}
		if _, err := s.createAccountLocked(a.Handle, a.Name, now); err != nil {
			return err
		}
	}
	keys := map[string]string{}
	for i, p := range sc.Posts {
		age, err := parseAge(p.Age)
		if err != nil {
			return fmt.Errorf("sim: post %d: %w", i, err)
		}
		a := s.byHandleLocked(p.Author)
		if a == nil {
			return fmt.Errorf("sim: post %d: %w: @%s", i, ErrNoAccount, p.Author)
		}
		parent := p.ReplyTo
		if id, ok := keys[parent]; ok {
			parent = id
		}
		post, err := s.postLocked(a.ID, p.Text, parent, now.Add(-age))
		if err != nil {
			return fmt.Errorf("sim: post %d: %w", i, err)
		}
		if p.Key != "" {
			keys[p.Key] = post.ID
		}
	}
	for i, d := range sc.DMs {
		age, err := parseAge(d.Age)
		if err != nil {
			return fmt.Errorf("sim: dm %d: %w", i, err)
		}
		from := s.byHandleLocked(d.From)
		if from == nil {
			return fmt.Errorf("sim: dm %d: %w: @%s", i, ErrNoAccount, d.From)
		}
		to := s.st.OwnerID
		if from.ID == s.st.OwnerID {
			a := s.byHandleLocked(d.To)
			if a == nil {
				return fmt.Errorf("sim: dm %d: %w: @%s", i, ErrNoAccount, d.To)
			}
			to = a.ID
		}
		s.dmLocked(from.ID, to, d.Text, now.Add(-age))
	}
	return nil
}

// Main runs `ventanilla sim [--addr 127.0.0.1:8089] [--scenario FILE] [--state FILE]`: it
// prints the base URL, serves until ctx is done and then saves the state if --state was given.
func Main(ctx context.Context, args []string, stdout, stderr io.Writer) int {
	fs := flag.NewFlagSet("sim", flag.ContinueOnError)
	fs.SetOutput(stderr)
	addr := fs.String("addr", "127.0.0.1:8089", "address to listen on")
	scenario := fs.String("scenario", "", "scenario JSON file to load")
	stateFile := fs.String("state", "", "state file: loaded at start if it exists, saved at exit")
	owner := fs.String("owner", "", "owner handle when there is no scenario or state")
	if err := fs.Parse(args); err != nil {
		if errors.Is(err, flag.ErrHelp) {
			return 0
		}
		return 2
	}
	s := New(Options{StateFile: *stateFile, OwnerHandle: *owner})
	if *scenario != "" {
		f, err := os.Open(*scenario)
		if err != nil {
			fmt.Fprintf(stderr, "sim: %v\n", err)
			return 1
		}
		err = s.LoadScenario(f)
		f.Close()
		if err != nil {
			fmt.Fprintf(stderr, "%v\n", err)
			return 1
		}
	}
	url, err := s.Start(*addr)
	if err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		return 1
	}
	fmt.Fprintln(stdout, url)
	<-ctx.Done()
	if err := s.Close(); err != nil {
		fmt.Fprintf(stderr, "%v\n", err)
		return 1
	}
	return 0
}
