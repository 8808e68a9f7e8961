// Package network is the port through which Ventanilla talks to a social network: who the town
// hall's account is, who a handle belongs to, what residents posted or sent, and how the town
// hall answers. Adapters (x for X API v2, sim for the simulated network in tests and training)
// implement Client; the core never sees a network library's types.
package network

import (
	"context"
	"errors"
	"fmt"
	"time"
)

// User is an account on the network. ID is immutable; Handle (without "@") can change.
type User struct {
	ID          string
	Handle      string
	DisplayName string
}

// Post is a public post (or a reply) as the network returns it.
type Post struct {
	ID             string
	Text           string
	AuthorID       string
	Author         User // filled when the network expanded the author
	CreatedAt      time.Time
	ConversationID string
	InReplyToID    string // id of the post this one replies to, "" if none
	Raw            []byte // the network's JSON for this post, kept verbatim
}

// DirectMessage is a direct message event of kind MessageCreate.
type DirectMessage struct {
	ID             string
	Text           string
	SenderID       string
	Sender         User
	ConversationID string
	CreatedAt      time.Time
	Raw            []byte
}

// Page is one page of a listing. NextToken is "" on the last page. NewestID is the network's
// meta.newest_id when it sends one.
type PostPage struct {
	Posts     []Post
	NextToken string
	NewestID  string
	Partial   []PartialError
}

// DMPage is one page of direct message events, newest first.
type DMPage struct {
	Messages  []DirectMessage
	NextToken string
	Partial   []PartialError
}

// ListMentionsParams selects mentions of the account UserID. SinceID is exclusive.
type ListMentionsParams struct {
	UserID          string
	SinceID         string
	PaginationToken string
	MaxResults      int
}

// SearchParams selects recent posts matching Query (X search operators). SinceID is exclusive.
type SearchParams struct {
	Query      string
	SinceID    string
	NextToken  string
	MaxResults int
}

// ListDMParams selects direct message events, newest first.
type ListDMParams struct {
	PaginationToken string
	MaxResults      int
}

// CreatePostParams is a new post; InReplyToID makes it a reply.
type CreatePostParams struct {
	Text        string
	InReplyToID string
}

// SentDM is what the network answers when a DM was sent.
type SentDM struct {
	EventID        string
	ConversationID string
}

// Client is what Ventanilla needs from a social network. Every method may return *Error.
type Client interface {
	Me(ctx context.Context) (User, error)
	UserByHandle(ctx context.Context, handle string) (User, error)
	UserByID(ctx context.Context, id string) (User, error)
	ListMentions(ctx context.Context, p ListMentionsParams) (PostPage, error)
	SearchRecent(ctx context.Context, p SearchParams) (PostPage, error)
	ListDMEvents(ctx context.Context, p ListDMParams) (DMPage, error)
	// RecentPosts lists the authenticated account's own recent posts (newest first), used by
	// the outbox to reconcile a post that may have gone out before a crash.
	RecentPosts(ctx context.Context, userID string, maxResults int) ([]Post, error)
	CreatePost(ctx context.Context, p CreatePostParams) (Post, error)
	DeletePost(ctx context.Context, id string) error
	SendDM(ctx context.Context, participantID, text string) (SentDM, error)
}

// Reason names why the network refused or failed a call, in the network's terms.
type Reason string

const (
	ReasonTransport        Reason = "transport"         // connection refused, reset, timeout
	ReasonServer           Reason = "server"            // 5xx
	ReasonRateLimited      Reason = "rate_limited"      // 429
	ReasonDuplicateContent Reason = "duplicate_content" // 403 duplicate text
	ReasonReplyNotAllowed  Reason = "reply_not_allowed" // 403 reply restriction
	ReasonUnauthorized     Reason = "unauthorized"      // 401 or app-only on a user endpoint
	ReasonNotEnrolled      Reason = "not_enrolled"      // 403 client-forbidden (tier)
	ReasonUsageCapped      Reason = "usage_capped"      // 429/403 usage-capped
	ReasonNotFound         Reason = "not_found"         // 404 or resource-not-found
	ReasonInvalid          Reason = "invalid_request"   // 400
	ReasonTooLong          Reason = "too_long"          // text over the weighted limit
	ReasonForbidden        Reason = "forbidden"         // other 403
	ReasonUnknown          Reason = "unknown"
)

// Error is a failed network call. Retryable tells the caller whether the same call may
// succeed later; ResetAt (rate limits) says when, if the network said so.
type Error struct {
	Op        string // e.g. "GET /2/users/:id/mentions"
	Status    int    // HTTP status, 0 for transport errors
	Reason    Reason
	Detail    string // the network's own words, for staff
	Retryable bool
	ResetAt   time.Time // zero when unknown
	Err       error     // underlying error, if any
}

func (e *Error) Error() string {
	s := fmt.Sprintf("%s: %s", e.Op, e.Reason)
	if e.Status != 0 {
		s += fmt.Sprintf(" (HTTP %d)", e.Status)
	}
	if e.Detail != "" {
		s += ": " + e.Detail
	}
	if e.Err != nil && e.Detail == "" {
		s += ": " + e.Err.Error()
	}
	return s
}

func (e *Error) Unwrap() error { return e.Err }

// PartialError is an error object inside a successful response.
type PartialError struct {
	Title      string
	Detail     string
	Type       string
	ResourceID string
}

// ErrNotFound is returned (wrapped in *Error with ReasonNotFound) when a user or post does not exist.
var ErrNotFound = errors.New("not found on the network")

// AsError returns the *Error inside err, if any.
func AsError(err error) (*Error, bool) {
	var ne *Error
	if errors.As(err, &ne) {
		return ne, true
	}
	return nil, false
}

// IsRetryable reports whether err is worth retrying later. Errors that are not *Error (context
// cancellation aside) are treated as transport failures.
func IsRetryable(err error) bool {
	if err == nil {
		return false
	}
	if errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return false
	}
	if ne, ok := AsError(err); ok {
		return ne.Retryable
	}
	return true
}

// HasReason reports whether err is an *Error with reason r.
func HasReason(err error, r Reason) bool {
	ne, ok := AsError(err)
	return ok && ne.Reason == r
}
