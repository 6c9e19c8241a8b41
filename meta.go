package creatorkit

import (
	"fmt"
	"net/http"
	"time"
)

// ResponseMeta is what the SDK keeps of a successful response besides its
// body. Every top-level result carries it as its Response field.
type ResponseMeta struct {
	// StatusCode of the response (200, 201, 202, ...).
	StatusCode int
	// RequestID from X-Request-ID / Request-Id, when the vendor sends one.
	RequestID string
	// RateLimit is the X-RateLimit-* state the response reported.
	RateLimit RateLimit
	// Attempts is how many times the request was sent (1 without retries).
	Attempts int
	// IdempotencyKey sent with the request, if any.
	IdempotencyKey string
	// Header holds the response headers (secrets redacted).
	Header http.Header
	// Redacted is true when the response echoed a credential (in its
	// body or headers) and the SDK removed it from everything it kept:
	// the result's values, Raw, Header and DecodeIssues. A server or proxy
	// that echoes credentials deserves a look.
	Redacted bool
	// DecodeIssues lists the values of the body that did not fit the SDK's
	// types. Each was left at its zero value; every other value was
	// decoded. Empty when the body fitted. With WithStrictDecoding any
	// issue is an error instead.
	DecodeIssues []DecodeIssue
}

// RateLimit is the rate-limit state a response reported in its
// X-RateLimit-Limit, X-RateLimit-Remaining and X-RateLimit-Reset headers.
type RateLimit struct {
	// Known is false when the response carried none of the headers.
	Known bool
	// Limit and Remaining are -1 when not sent.
	Limit     int
	Remaining int
	// Reset is when the window renews; zero when not sent.
	Reset time.Time
	// Observed is when the response arrived.
	Observed time.Time
}

// DecodeIssue is one value of a response that did not fit its Go type:
// the SDK left it at its zero value and decoded the rest.
type DecodeIssue struct {
	// Path is the JSON path of the value, e.g.
	// "result.report.features.most_media.data.last_media" or "data[3].id".
	Path string
	// Got is the JSON kind received: "string", "number", "bool", "object"
	// or "array".
	Got string
	// Want is the Go type the SDK expected there, e.g. "int64".
	Want string
	// Detail is the decoder's explanation, when it gave one.
	Detail string
	// Control is true when the value is one the SDK itself needs to go on
	// (a state, an id, a cursor, a total): then the call fails with
	// ErrUnexpectedResponse instead of returning a result.
	Control bool
}

// String formats the issue as "path: got string, want int64 (detail)".
func (i DecodeIssue) String() string {
	s := fmt.Sprintf("%s: got %s, want %s", i.Path, i.Got, i.Want)
	if i.Detail != "" {
		s += " (" + i.Detail + ")"
	}
	if i.Control {
		s += " [control field]"
	}
	return s
}

// The getters below read a result's Response without a nil check
// (a.Response.GetRequestID()): a result built by hand, or by a fake's
// helper, may carry none.

// GetStatusCode returns StatusCode, 0 for a nil ResponseMeta.
func (m *ResponseMeta) GetStatusCode() int {
	if m == nil {
		return 0
	}
	return m.StatusCode
}

// GetRequestID returns RequestID, "" for a nil ResponseMeta.
func (m *ResponseMeta) GetRequestID() string {
	if m == nil {
		return ""
	}
	return m.RequestID
}

// GetRateLimit returns RateLimit, the zero RateLimit for a nil ResponseMeta.
func (m *ResponseMeta) GetRateLimit() RateLimit {
	if m == nil {
		return RateLimit{}
	}
	return m.RateLimit
}

// GetDecodeIssues returns DecodeIssues, nil for a nil ResponseMeta.
func (m *ResponseMeta) GetDecodeIssues() []DecodeIssue {
	if m == nil {
		return nil
	}
	return m.DecodeIssues
}

// GetHeader returns the first value of a response header ("ETag"), ""
// when absent or for a nil ResponseMeta.
func (m *ResponseMeta) GetHeader(key string) string {
	if m == nil {
		return ""
	}
	return m.Header.Get(key)
}
