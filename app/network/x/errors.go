package x

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"

	"github.com/michimani/gotwi"

	"ventanilla/app/network"
)

// problem is the union of the error bodies X sends: RFC 7807 problems (with the extra fields
// of client-forbidden and usage-capped) and the legacy errors[] form.
type problem struct {
	Title  string `json:"title"`
	Detail string `json:"detail"`
	Type   string `json:"type"`
	Reason string `json:"reason"`
	Period string `json:"period"`
	Errors []struct {
		Message string `json:"message"`
		Detail  string `json:"detail"`
	} `json:"errors"`
}

func (p problem) text() string {
	switch {
	case len(p.Errors) > 0 && p.Errors[0].Message != "":
		return p.Errors[0].Message
	case p.Detail != "" && p.Detail != p.Title:
		return p.Detail
	case len(p.Errors) > 0 && p.Errors[0].Detail != "":
		return p.Errors[0].Detail
	}
	return p.Title
}

// mapError turns whatever gotwi returned for one call into *network.Error. The exchange
// recorded by the transport is preferred over gotwi's view, because gotwi drops bodies it
// cannot decode (problem+json) and fails outright on odd rate-limit headers.
func mapError(ctx context.Context, op string, ex *exchange, err error) error {
	if err == nil {
		return nil
	}
	if ctx.Err() != nil {
		// The caller gave up; our own http.Client timeout, by contrast, is a transport failure
		// worth retrying.
		return &network.Error{Op: op, Reason: network.ReasonTransport, Err: errors.Join(ctx.Err(), err)}
	}
	var ge *gotwi.GotwiError
	isAPI := errors.As(err, &ge) && ge.OnAPI
	status := ex.status
	if status == 0 && isAPI {
		status = ge.StatusCode
	}
	if status == 0 {
		return &network.Error{Op: op, Reason: network.ReasonTransport, Retryable: true, Err: err}
	}
	if status >= 200 && status < 300 {
		// A success gotwi could not decode.
		return &network.Error{Op: op, Status: status, Reason: network.ReasonUnknown, Detail: "undecodable response", Err: err}
	}

	var p problem
	body := ex.body
	if len(body) == 0 && isAPI {
		if len(ge.APIErrors) > 0 && strings.HasPrefix(strings.TrimSpace(ge.APIErrors[0].Message), "{") {
			body = []byte(ge.APIErrors[0].Message)
		}
		p.Title, p.Detail, p.Type = ge.Title, ge.Detail, ge.Type
	}
	_ = json.Unmarshal(body, &p)
	ne := &network.Error{Op: op, Status: status, Detail: p.text(), Err: err}
	lower := strings.ToLower(p.Type + " " + p.Detail + " " + p.Reason + " " + p.text())

	switch {
	case status == http.StatusUnauthorized:
		ne.Reason = network.ReasonUnauthorized
	case strings.Contains(lower, "usage-capped"):
		ne.Reason = network.ReasonUsageCapped
	case status == http.StatusTooManyRequests:
		ne.Reason = network.ReasonRateLimited
		ne.Retryable = true
		if isAPI && ge.RateLimitInfo != nil && ge.RateLimitInfo.ResetAt != nil {
			ne.ResetAt = *ge.RateLimitInfo.ResetAt
		} else if t, ok := parseReset(ex.header.Get("x-rate-limit-reset")); ok {
			ne.ResetAt = t
		}
	case status >= 500:
		ne.Reason = network.ReasonServer
		ne.Retryable = true
	case status == http.StatusForbidden:
		switch {
		case strings.Contains(lower, "duplicate content"):
			ne.Reason = network.ReasonDuplicateContent
		case strings.Contains(lower, "reply to this conversation is not allowed"),
			strings.Contains(lower, "reply") && strings.Contains(lower, "not allowed"):
			ne.Reason = network.ReasonReplyNotAllowed
		case strings.Contains(lower, "client-forbidden"), strings.Contains(lower, "client-not-enrolled"):
			ne.Reason = network.ReasonNotEnrolled
		case strings.Contains(lower, "unsupported-authentication"):
			ne.Reason = network.ReasonUnauthorized
		default:
			ne.Reason = network.ReasonForbidden
		}
	case status == http.StatusNotFound:
		ne.Reason = network.ReasonNotFound
		ne.Err = errors.Join(network.ErrNotFound, err)
	case status == http.StatusBadRequest:
		if strings.Contains(lower, "too long") {
			ne.Reason = network.ReasonTooLong
		} else {
			ne.Reason = network.ReasonInvalid
		}
	case status == http.StatusRequestTimeout:
		ne.Reason = network.ReasonTransport
		ne.Retryable = true
	default:
		ne.Reason = network.ReasonUnknown
	}
	return ne
}

// notFound is the error for a lookup answered with 200 and only errors[].
func notFound(op, detail string) error {
	return &network.Error{Op: op, Status: http.StatusOK, Reason: network.ReasonNotFound, Detail: detail, Err: network.ErrNotFound}
}
