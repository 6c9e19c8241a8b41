package hypeauditor

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strings"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// Sentinel kinds, the same values as package creatorkit's (and every
// other creatorkit-go package's): test an error with errors.Is.
var (
	// ErrInvalidParams: the SDK refused the input before sending anything
	// (no request, no credit), or HypeAuditor answered 400 (code 8
	// Invalid request, code 3 Unknown method).
	ErrInvalidParams = creatorkit.ErrInvalidParams
	// ErrUnauthorized: 403 with code 4, an invalid client id or token.
	ErrUnauthorized = creatorkit.ErrUnauthorized
	// ErrForbidden: any other 403, e.g. code 15 Access denied (Account
	// Media before the report is unlocked). A spent balance is never
	// ErrForbidden.
	ErrForbidden = creatorkit.ErrForbidden
	// ErrNotFound: 404 (code 16 Object not found).
	ErrNotFound = creatorkit.ErrNotFound
	// ErrConflict: the request conflicts with the resource's state (409).
	// HypeAuditor documents no 409; the kind is here so every package
	// names the same kinds.
	ErrConflict = creatorkit.ErrConflict
	// ErrRateLimited: 429 after the SDK's retries, or the client-side
	// limiter could not grant a slot before the context's deadline.
	ErrRateLimited = creatorkit.ErrRateLimited
	// ErrQuotaExceeded: 402, out of report credits or discovery requests,
	// or no API access (code 27). Only that kind (never also
	// ErrForbidden); never retried.
	ErrQuotaExceeded = creatorkit.ErrQuotaExceeded
	// ErrServer: HypeAuditor failed (5xx) after the SDK's retries.
	ErrServer = creatorkit.ErrServer
	// ErrNetwork: the connection failed or was lost.
	ErrNetwork = creatorkit.ErrNetwork
	// ErrOutcomeUnknown: a request that may spend (a live discovery page, a
	// keyword post search, a report, metrics history or PDF export request
	// that may unlock a report) or create (a market analysis) may have
	// reached HypeAuditor, but no usable answer came back (a lost
	// connection, a 5xx, a garbled body, or a success status whose body
	// the SDK cannot use, then also ErrUnexpectedResponse); the SDK did not
	// resend it, and Usage counts its cost as SpentUnknown (a discovery
	// query answered with a success status as spent: every request served
	// is charged). Asking for a report again is free if the lost request
	// unlocked it.
	ErrOutcomeUnknown = creatorkit.ErrOutcomeUnknown
	// ErrUnexpectedResponse: a success status with a body the SDK cannot
	// use (not JSON, or a control field that does not fit).
	ErrUnexpectedResponse = creatorkit.ErrUnexpectedResponse
	// ErrBudgetExceeded: the client's Budget (WithBudget) cannot hold
	// what the call may cost; nothing was sent. Never retried.
	ErrBudgetExceeded = creatorkit.ErrBudgetExceeded
)

// Code is one of HypeAuditor's error codes. HypeAuditor sends them as
// numbers ({"error":{"code":8,...}}); the SDK keeps them as decimal
// strings, as Error.Code holds them.
type Code string

// Known error codes. 4 and 27 are documented on the planInfo page, 8 and
// 16 in the reportConnections documentation; 3 and 15 come from
// developers' notes on the live API.
const (
	CodeUnknownMethod  Code = "3"  // "Unknown method" (HTTP 400)
	CodeInvalidToken   Code = "4"  // "Invalid token" (HTTP 403)
	CodeInvalidRequest Code = "8"  // "Invalid request" (HTTP 400)
	CodeAccessDenied   Code = "15" // "Access denied": resource not unlocked (HTTP 403)
	CodeObjectNotFound Code = "16" // "Object not found" (HTTP 404)
	CodeNoAPIAccess    Code = "27" // "No API access" (HTTP 402)
)

// CodeOf returns HypeAuditor's error code carried by err (an *Error
// anywhere in its chain, including the one an *ItemError wraps), or ""
// when there is none.
func CodeOf(err error) Code {
	var e *Error
	if errors.As(err, &e) {
		return Code(e.Code)
	}
	return ""
}

// decodeError reads {"error":{"code":N,"description":"..."}}. 402 keeps
// its default kind ErrQuotaExceeded (out of credits, or code 27 No API
// access); a 403 with code 4 is ErrUnauthorized.
func decodeError(e *Error, status int, h http.Header, body []byte) {
	var v struct {
		Error json.RawMessage `json:"error"`
	}
	var obj struct {
		Code        json.RawMessage `json:"code"`
		Description string          `json:"description"`
		Message     string          `json:"message"`
	}
	if json.Unmarshal(body, &v) != nil || len(v.Error) == 0 || json.Unmarshal(v.Error, &obj) != nil {
		transport.DecodeSimpleError(e, status, h, body)
		return
	}
	e.Code = transport.RawCode(obj.Code)
	e.Message = obj.Description
	if e.Message == "" {
		e.Message = obj.Message
	}
	if e.Message == "" {
		e.Message = http.StatusText(status)
	}
	if status == http.StatusForbidden && Code(e.Code) == CodeInvalidToken {
		transport.SetKind(e, ErrUnauthorized)
	}
}

// ErrReportUnavailable is the cause (ItemError.Err) of a report request
// for an account HypeAuditor cannot (or cannot yet) report on: private,
// deleted, restricted, too few views, no videos, no posts, channel not
// found, or a report still being calculated ("come back later"). The
// *ItemError's State names which.
var ErrReportUnavailable = errors.New("report unavailable")

// ErrRetryTTLTooLong is the cause (TimeoutError.Err) when HypeAuditor
// asked the AndWait helpers for a wait (retryTtl) longer than
// WithMaxRetryTTL allows: they never ask sooner than HypeAuditor said, so
// they stop at once and return the not-ready report for the caller to
// decide. It is the value the SDK's poller wraps, so errors.Is
// matches every wait that stopped for it.
var ErrRetryTTLTooLong = hintTooLong()

// hintTooLong is the poller's own sentinel for a server wait over the cap.
func hintTooLong() error { return poll.ErrHintTooLong }

// unavailableStates are the state names the SDK looks for in an error's
// description, longest first so CHANNEL_NOT_FOUND wins over a shorter
// name inside it.
var unavailableStates = []ReportState{
	StateReportCalculating, StateChannelNotFound, StateRestricted, StateLowViews,
	StateNoVideos, StateNoViews, StateNoPosts, StateDeleted, StatePrivate,
}

// stateIn finds a documented state name as a whole word in s.
func stateIn(s string) ReportState {
	for _, st := range unavailableStates {
		i := strings.Index(s, string(st))
		for i >= 0 {
			end := i + len(st)
			if (i == 0 || !wordByte(s[i-1])) && (end == len(s) || !wordByte(s[end])) {
				return st
			}
			next := strings.Index(s[i+1:], string(st))
			if next < 0 {
				break
			}
			i += 1 + next
		}
	}
	return ""
}

func wordByte(b byte) bool {
	return b == '_' || (b >= 'A' && b <= 'Z') || (b >= 'a' && b <= 'z') || (b >= '0' && b <= '9')
}

// asUnavailable turns a report method's error into an *ItemError when it
// names (or implies) a state; otherwise it returns err unchanged.
func (c *Client) asUnavailable(rc reportCall, err error) error {
	var e *Error
	if !errors.As(err, &e) || e.StatusCode == 0 {
		return err
	}
	st := stateIn(e.Message)
	code := CodeOf(e)
	if st == "" {
		switch {
		case e.StatusCode == http.StatusForbidden && code != CodeInvalidToken && code != CodeAccessDenied && code != CodeNoAPIAccess:
			lower := strings.ToLower(e.Message)
			switch {
			case strings.Contains(lower, "private"):
				st = StatePrivate
			case strings.Contains(lower, "post"):
				st = StateNoPosts
			default:
				st = StateUnavailable
			}
		case e.StatusCode == http.StatusNotFound:
			st = StateChannelNotFound
		}
	}
	if st == "" {
		return err
	}
	return c.unavailable(rc, st, e.Message, e)
}

// unavailable builds the *ItemError of a report request that ended in
// state st without a report. desc is HypeAuditor's text; resp is the HTTP
// error the outcome came with, nil when it came in a success body's
// report_state.
func (c *Client) unavailable(rc reportCall, st ReportState, desc string, resp *Error) *ItemError {
	var cause error = ErrReportUnavailable
	if resp != nil {
		cause = &unavailableCause{resp: resp}
	}
	ie := rc.itemError(string(st), unavailableReason(st, desc), cause)
	c.t.RedactValue(ie)
	return ie
}

// unavailableCause is the ItemError.Err of an outcome that came as an HTTP
// error: errors.Is sees ErrReportUnavailable and the *Error's kinds
// (ErrNotFound for a 404, ...), errors.As the *Error itself.
type unavailableCause struct{ resp *Error }

func (u *unavailableCause) Error() string {
	return fmt.Sprintf("%s (HTTP %d)", ErrReportUnavailable, u.resp.StatusCode)
}

func (u *unavailableCause) Unwrap() []error { return []error{ErrReportUnavailable, u.resp} }

// stateReasons say in words why a state has no report.
var stateReasons = map[ReportState]string{
	StatePrivate:           "the account is private",
	StateDeleted:           "the account was deleted",
	StateRestricted:        "the account is restricted",
	StateLowViews:          "the account has too few views",
	StateChannelNotFound:   "HypeAuditor found no such account",
	StateNoVideos:          "the channel has no videos",
	StateNoViews:           "the channel's videos have no views",
	StateNoPosts:           "the account has no posts",
	StateReportCalculating: "HypeAuditor is still calculating the report: ask again later (the AndWait helpers do)",
	StateUnavailable:       "HypeAuditor cannot report on the account",
}

// unavailableReason is ItemError.Reason: why in words, never empty. It
// names neither the account (Item does) nor the missing report (Err,
// ErrReportUnavailable, does), and quotes HypeAuditor's description only
// where it says more than the reason.
func unavailableReason(st ReportState, desc string) string {
	why, ok := stateReasons[st]
	if !ok {
		why = fmt.Sprintf("HypeAuditor cannot report on the account (state %s)", st)
	}
	desc = strings.TrimSpace(desc)
	if desc != "" && desc != string(st) && !strings.EqualFold(strings.TrimPrefix(why, "the "), desc) {
		why += fmt.Sprintf(" (HypeAuditor: %q)", desc)
	}
	return why
}
