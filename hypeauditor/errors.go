package hypeauditor

import (
	"encoding/json"
	"errors"
	"fmt"
	"net/http"
	"strconv"
	"strings"

	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// Error is the SDK's error type: HTTP status, HypeAuditor's numeric code
// (Code, as a decimal string) and description (Message), request method
// and URL (credentials redacted), attempts and the raw body. Test its kind
// with errors.Is, and read the numeric code with CodeOf.
type Error = transport.Error

// Sentinel kinds; see the transport documentation of each.
var (
	ErrInvalidParams      = transport.ErrInvalidParams      // bad input, nothing sent; or 400 (code 8 Invalid request)
	ErrUnauthorized       = transport.ErrUnauthorized       // 403 with code 4: invalid client id or token
	ErrForbidden          = transport.ErrForbidden          // other 403s, e.g. code 15 Access denied (Account Media before unlock)
	ErrNotFound           = transport.ErrNotFound           // 404 (code 16 Object not found)
	ErrRateLimited        = transport.ErrRateLimited        // 429 after retries, or no slot before the deadline
	ErrQuotaExceeded      = transport.ErrQuotaExceeded      // 402: out of credits or discovery requests, or no API access (code 27); never retried
	ErrServer             = transport.ErrServer             // 5xx after retries
	ErrNetwork            = transport.ErrNetwork            // connection failed or lost
	ErrOutcomeUnknown     = transport.ErrOutcomeUnknown     // a discovery search may have reached the server; not resent
	ErrUnexpectedResponse = transport.ErrUnexpectedResponse // success status, undecodable body
)

// Code is one of HypeAuditor's numeric error codes.
type Code int

// Known error codes. 4 and 27 are documented on the planInfo page, 8 and
// 16 in the reportConnections documentation; 3 and 15 come from
// developers' notes on the live API.
const (
	CodeUnknownMethod  Code = 3  // "Unknown method"
	CodeInvalidToken   Code = 4  // "Invalid token" (HTTP 403)
	CodeInvalidRequest Code = 8  // "Invalid request" (HTTP 400)
	CodeAccessDenied   Code = 15 // "Access denied": resource not unlocked (HTTP 403)
	CodeObjectNotFound Code = 16 // "Object not found" (HTTP 404)
	CodeNoAPIAccess    Code = 27 // "No API access" (HTTP 402)
)

// CodeOf returns HypeAuditor's numeric error code carried by err (an
// *Error or an *UnavailableError), or 0 when there is none.
func CodeOf(err error) Code {
	var e *Error
	if !errors.As(err, &e) || e.Code == "" {
		return 0
	}
	n, convErr := strconv.Atoi(e.Code)
	if convErr != nil {
		return 0
	}
	return Code(n)
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
	if status == http.StatusForbidden && e.Code == strconv.Itoa(int(CodeInvalidToken)) {
		transport.SetKind(e, ErrUnauthorized)
	}
}

// ErrReportUnavailable is the kind of an *UnavailableError: HypeAuditor
// cannot (or cannot yet) produce the report for that account.
var ErrReportUnavailable = errors.New("report unavailable")

// UnavailableError is the typed outcome of a report request for an account
// HypeAuditor cannot report on: private (403), deleted, restricted, too
// few views, no videos, channel not found (404), no posts (403), or a
// report still being calculated ("come back later"). State names which.
// The credit of a report that fails this way is refunded by HypeAuditor.
//
// errors.Is(err, ErrReportUnavailable) matches it; errors.As gives the
// State. It also unwraps to the HTTP *Error when the outcome came as an
// error response, so errors.Is(err, ErrNotFound) and friends still work.
//
// Where the outcome is carried is not documented [INFERRED]: the SDK reads
// a state name (PRIVATE, CHANNEL_NOT_FOUND, ...) from error.description or
// from result.report_state, treats a 403 other than code 4, 15 or 27 on a
// report method as a private account or one without posts, and a 404 on a
// report method as CHANNEL_NOT_FOUND.
type UnavailableError struct {
	// Op is the SDK call, e.g. "Reports.TikTok".
	Op string
	// Network and Account name the report asked for (the username,
	// channel or id as sent).
	Network Network
	Account string
	// State is why there is no report.
	State ReportState
	// Description is HypeAuditor's text, when it sent one.
	Description string
	// Err is the HTTP error the outcome came with; nil when it came in a
	// success body's report_state.
	Err *Error
}

// Error names the report asked for and the state.
func (e *UnavailableError) Error() string {
	msg := fmt.Sprintf("%s: %s: no %s report for %q: %s", vendor, e.Op, e.Network, e.Account, e.State)
	if e.Description != "" && e.Description != string(e.State) {
		msg += " (" + e.Description + ")"
	}
	if e.Err != nil && e.Err.StatusCode != 0 {
		msg += fmt.Sprintf(" [HTTP %d]", e.Err.StatusCode)
	}
	return msg
}

// Is matches ErrReportUnavailable.
func (e *UnavailableError) Is(target error) bool { return target == ErrReportUnavailable }

// Unwrap returns the HTTP error, if any.
func (e *UnavailableError) Unwrap() error {
	if e.Err == nil {
		return nil
	}
	return e.Err
}

// Temporary reports whether asking again later may succeed
// (REPORT_CALCULATING: "come back later"). The AndWait helpers keep
// polling in that case.
func (e *UnavailableError) Temporary() bool { return e.State == StateReportCalculating }

// WaitTimeoutError is returned by the AndWait helpers when the context
// ends before the report is ready, or when the server asks for a wait that
// would end after the context's deadline or exceeds the cap
// (WithMaxRetryTTL). It names the last state seen; the last (not ready)
// report is returned next to it.
type WaitTimeoutError = poll.TimeoutError

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

// asUnavailable turns a report method's error into an *UnavailableError
// when it names (or implies) a state; otherwise it returns err unchanged.
func (c *Client) asUnavailable(op string, net Network, account string, err error) error {
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
	ue := &UnavailableError{Op: op, Network: net, Account: account, State: st, Description: e.Message, Err: e}
	c.t.RedactValue(ue)
	return ue
}
