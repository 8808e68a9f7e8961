package sim

import (
	"net/http"
	"strings"
	"time"
)

// FaultKind names a failure the simulator can inject.
type FaultKind string

const (
	Fault429               FaultKind = "429"                 // rate limited, with reset headers
	Fault5xx               FaultKind = "5xx"                 // Status (default 503)
	FaultSlow              FaultKind = "slow"                // wait Delay, then answer normally
	FaultDrop              FaultKind = "drop"                // close the connection without a response
	FaultPartial           FaultKind = "partial"             // add an errors[] item to a 200
	FaultUsageCapped       FaultKind = "usage_capped"        // 403 usage-capped problem
	FaultClientNotEnrolled FaultKind = "client_not_enrolled" // 403 client-forbidden problem
	FaultDuplicate         FaultKind = "duplicate"           // 403 duplicate content
)

// Fault is one entry in the fault queue. The first queued fault whose Method and PathPrefix
// match a request (empty matches all) applies to it, Count times (0 means once). Control API
// calls under /_sim/ never match.
//
// A drop on a reused keep-alive connection may be retried once, transparently, by Go's HTTP
// client for idempotent requests; queue Count 2 to make a GET fail for certain.
type Fault struct {
	Kind       FaultKind     `json:"kind"`
	Method     string        `json:"method,omitempty"`
	PathPrefix string        `json:"path,omitempty"`
	Count      int           `json:"count,omitempty"`
	Status     int           `json:"status,omitempty"`   // 5xx
	ResetIn    int           `json:"reset_in,omitempty"` // 429: seconds from the sim clock (default 900)
	Delay      time.Duration `json:"-"`                  // slow
	DelayMS    int           `json:"delay_ms,omitempty"` // slow, in the control API
	// RawReset, if set, is sent verbatim as x-rate-limit-reset (to test odd values).
	RawReset string `json:"raw_reset,omitempty"`
}

// InjectFault queues f.
func (s *Server) InjectFault(f Fault) {
	if f.Count <= 0 {
		f.Count = 1
	}
	if f.Delay == 0 && f.DelayMS > 0 {
		f.Delay = time.Duration(f.DelayMS) * time.Millisecond
	}
	s.mu.Lock()
	s.faults = append(s.faults, f)
	s.mu.Unlock()
}

// ClearFaults empties the fault queue.
func (s *Server) ClearFaults() {
	s.mu.Lock()
	s.faults = nil
	s.mu.Unlock()
}

// Faults returns the pending faults.
func (s *Server) Faults() []Fault {
	s.mu.Lock()
	defer s.mu.Unlock()
	return append([]Fault(nil), s.faults...)
}

// takeFault removes one use of the first fault matching r.
func (s *Server) takeFault(r *http.Request) (Fault, bool) {
	s.mu.Lock()
	defer s.mu.Unlock()
	for i := range s.faults {
		f := &s.faults[i]
		if f.Method != "" && !strings.EqualFold(f.Method, r.Method) {
			continue
		}
		if f.PathPrefix != "" && !strings.HasPrefix(r.URL.Path, f.PathPrefix) {
			continue
		}
		got := *f
		f.Count--
		if f.Count <= 0 {
			s.faults = append(s.faults[:i], s.faults[i+1:]...)
		}
		return got, true
	}
	return Fault{}, false
}
