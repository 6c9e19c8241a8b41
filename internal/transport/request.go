package transport

import (
	"net/http"
	"net/url"
	"time"
)

// RetryMode says whether a request may be sent again after it may have
// reached the server.
type RetryMode int

const (
	// RetryAuto: GET, HEAD, PUT, DELETE and OPTIONS are idempotent; POST and
	// PATCH are not. A paid request (Spend.Cost > 0) is never idempotent.
	RetryAuto RetryMode = iota
	// RetryIdempotent: safe to resend (a free POST such as a search, or a
	// POST with an idempotency key the vendor honours).
	RetryIdempotent
	// RetryOnce: never resend after the request may have reached the
	// server (credit-spending POSTs). 429s and failures before the request
	// was written are still retried.
	RetryOnce
)

// Request is one API call.
type Request struct {
	// Op names the SDK call for errors, logs and Usage, e.g. "Audits.Create".
	Op string
	// Method is the HTTP method.
	Method string
	// Path is resolved against the base URL ("audits/142"; a leading slash
	// is ignored so base paths such as /api/v1 are kept).
	Path string
	// Route is Path's template with ids replaced by placeholders
	// ("audits/{id}"; Path itself when it holds no id), for observers.
	// When empty, observers name the call by Op only: a path is never
	// passed on unless a vendor package says it holds no id.
	Route string
	// Query parameters.
	Query url.Values
	// Body is JSON-encoded when non-nil; a json.RawMessage or []byte is
	// sent as is.
	Body any
	// Header adds request headers.
	Header http.Header
	// Retry overrides the method's default retry mode.
	Retry RetryMode
	// IdempotencyKey is sent as the Idempotency-Key header when set. It
	// never makes a paid request resendable: net/http's own resend of such
	// requests is turned off, and only the vendor packages' reconcile
	// paths ask again.
	IdempotencyKey string
	// NoAuth sends the request without credentials.
	NoAuth bool
	// Secrets are values this request carries that must never appear in
	// an error, a log line, a result or its metadata, besides the
	// client's own credentials: a third party's credential sent in the
	// body (Ylytic's Shopify access token). The call redacts them in
	// every form the client's credentials are redacted in.
	Secrets []string
	// ErrorsHaveNoEffect declares that the vendor neither acts on nor
	// charges a request it answers with an error status (influData: "failed
	// requests are not charged"). A 5xx is then retried even under
	// RetryOnce, and an error response never makes the outcome unknown;
	// a lost or garbled answer still does.
	ErrorsHaveNoEffect bool
	// Spend is what the call may cost; the zero value is a free call.
	Spend Spend
	// Pace names an extra group of windows (Settings.PaceWindows) the call
	// is paced by besides the client's own limiter: influData's hourly
	// fair-usage limits on discovery and profile requests.
	Pace string
}

// Spend is what one call may cost, in the client's unit (Settings.Unit)
// unless Unit says otherwise.
type Spend struct {
	// Cost is the most the call can cost by the vendor's documentation.
	// The client's budget for the unit must hold it before anything is
	// sent (ErrBudgetExceeded otherwise). 0 makes the call free.
	Cost int64
	// Unit is the unit of an operation that spends in another unit than
	// the client's (HypeAuditor's discovery queries); empty for the
	// client's own.
	Unit string
	// Charged tells from an answer what the call was charged. nil means
	// Cost for a success status and nothing for an error status.
	Charged func(a Answer) Charge
}

// Answer is what Spend.Charged reads: the final answer of a call.
type Answer struct {
	// Status is the HTTP status of the answer.
	Status int
	// Header holds its headers.
	Header http.Header
	// Out is the decoded result (the pointer given to Do), nil for an
	// error status.
	Out any
	// Sent is when the attempt that got this answer was sent, Received
	// when its answer was read.
	Sent, Received time.Time
}

// Charge is what an answered call was charged: Spent for certain, and
// Unknown when the answer does not say whether the vendor charged.
type Charge struct {
	Spent, Unknown int64
}

func (r *Request) idempotent() bool {
	if r.Spend.Cost > 0 {
		return false
	}
	switch r.Retry {
	case RetryIdempotent:
		return true
	case RetryOnce:
		return false
	}
	switch r.Method {
	case http.MethodGet, http.MethodHead, http.MethodPut, http.MethodDelete, http.MethodOptions:
		return true
	}
	return false
}
