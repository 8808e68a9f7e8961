package desk

import (
	"context"
	"time"

	"ventanilla/app"
)

// Unassigned as Filter.AssigneeID selects cases nobody is assigned to.
const Unassigned = "-"

// Filter is what staff narrow the inbox by. Zero values mean "any".
type Filter struct {
	Kind         app.CaseKind
	Status       app.CaseStatus
	OpenOnly     bool
	DepartmentID string
	AssigneeID   string // a staff id, or Unassigned
	Verified     Tristate
	Overdue      bool
	UnreadOnly   bool
	Search       string // words, a registry number, a name or a handle
}

// Tristate is a yes/no filter that can also be off.
type Tristate int

const (
	Any Tristate = iota
	Yes
	No
)

// InboxQuery is what the store selects: the staff member's filter within their role's scope.
type InboxQuery struct {
	Scope
	Filter
	Now time.Time // for "overdue"
}

// InboxRow is one line of the inbox.
type InboxRow struct {
	CaseID         string
	Number         string
	Kind           app.CaseKind
	Status         app.CaseStatus
	Priority       app.Priority
	Title          string
	Excerpt        string
	Unread         bool
	OpenedAt       time.Time
	DueAt          time.Time
	Channel        app.Channel
	DepartmentID   string
	DepartmentName string
	AssigneeID     string
	AssigneeName   string
	ResidentName   string
	Handle         string
	Level          app.Level
	IdentityFlag   bool // handle changed, takeover or lookalike
}

// Overdue reports whether the row is open past its due date.
func (r InboxRow) Overdue(now time.Time) bool {
	return !r.DueAt.IsZero() && !r.Status.Closed() && now.After(r.DueAt)
}

// Facet is the number of cases of one kind in one status.
type Facet struct {
	Kind       app.CaseKind
	Status     app.CaseStatus
	N          int
	Unread     int
	Overdue    int
	Unassigned int
}

// Counts are the numbers the filter bar shows beside each choice.
type Counts struct {
	Total      int
	Open       int
	Unread     int
	Overdue    int
	Unassigned int
	ByKind     map[app.CaseKind]int
	ByStatus   map[app.CaseStatus]int
}

// InboxPageSize is how many rows the desk asks for at a time.
const InboxPageSize = 50

// Inbox returns the page of cases f selects that the session may see, newest first.
func (s *Service) Inbox(ctx context.Context, sess *Session, f Filter, limit, offset int) ([]InboxRow, error) {
	if err := s.require(sess, PermCases); err != nil {
		return nil, err
	}
	if limit <= 0 || limit > 500 {
		limit = InboxPageSize
	}
	return s.store.ListInbox(ctx, InboxQuery{Scope: sess.Scope(), Filter: f, Now: s.clock()}, limit, offset)
}

// CountInbox counts the cases f selects that the session may see.
func (s *Service) CountInbox(ctx context.Context, sess *Session, f Filter) (int, error) {
	if err := s.require(sess, PermCases); err != nil {
		return 0, err
	}
	return s.store.CountInbox(ctx, InboxQuery{Scope: sess.Scope(), Filter: f, Now: s.clock()})
}

// InboxCounts counts the session's cases per kind and status, unread, overdue and unassigned.
func (s *Service) InboxCounts(ctx context.Context, sess *Session) (Counts, error) {
	if err := s.require(sess, PermCases); err != nil {
		return Counts{}, err
	}
	facets, err := s.store.InboxFacets(ctx, sess.Scope(), s.clock())
	if err != nil {
		return Counts{}, err
	}
	c := Counts{ByKind: map[app.CaseKind]int{}, ByStatus: map[app.CaseStatus]int{}}
	for _, f := range facets {
		c.Total += f.N
		if !f.Status.Closed() {
			c.Open += f.N
		}
		c.Unread += f.Unread
		c.Overdue += f.Overdue
		c.Unassigned += f.Unassigned
		c.ByKind[f.Kind] += f.N
		c.ByStatus[f.Status] += f.N
	}
	return c, nil
}
