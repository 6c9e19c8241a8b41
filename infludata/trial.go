package infludata

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"net/mail"
	"strings"
	"unicode/utf8"

	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// TrialService is the self-serve trial signup: createTrialKey emails a
// 6-digit code, verifyTrialKey exchanges it for a key (250 requests, 14
// days). Both calls are free and unauthenticated.
type TrialService struct{ t *transport.Client }

// NewSignup returns the trial signup without needing a key: the options
// that make sense are WithBaseURL, WithHTTPClient, WithUserAgent,
// WithLogger and the retry and rate options.
//
//	tr, _ := infludata.NewSignup()
//	_, err := tr.Create(ctx, infludata.CreateTrialKeyParams{Email: "you@company.com"})
//	key, err := tr.Verify(ctx, infludata.VerifyTrialKeyParams{Email: "you@company.com", Code: "123456"})
//	c, err := infludata.NewClient(key.Options()...)
func NewSignup(opts ...Option) (*TrialService, error) {
	s, err := settings(opts)
	if err != nil {
		return nil, err
	}
	c, err := newClient(s)
	if err != nil {
		return nil, err
	}
	return c.Trial, nil
}

// CreateTrialKeyParams are the inputs of Create.
type CreateTrialKeyParams struct {
	// Email is your work email (required), as an identifier: not padded,
	// no control or invisible characters. Disposable domains are
	// rejected; one trial per inbox, plus-aliases included.
	Email string `json:"email"`
	// Company is optional, at most 120 characters.
	Company string `json:"company,omitempty"`
}

// TrialCode is createTrialKey's answer: a code was emailed.
//
// It has Raw (the response body as received) and Response (the
// response's metadata: status, request id, headers, decode issues).
type TrialCode struct {
	Success bool   `json:"success"`
	Message string `json:"message"`
	// NextStep describes the verifyTrialKey call.
	NextStep *TrialNextStep `json:"nextStep,omitempty"`
	// CodeExpiresInMinutes is how long the code is valid (15).
	CodeExpiresInMinutes int `json:"codeExpiresInMinutes"`

	Raw      json.RawMessage `json:"-"`
	Response *ResponseMeta   `json:"-"`
}

// TrialNextStep is the documented next request.
type TrialNextStep struct {
	Method string `json:"method"`
	URL    string `json:"url"`
	Body   struct {
		Email string `json:"email"`
		Code  string `json:"code"`
	} `json:"body"`
}

// VerifyTrialKeyParams are the inputs of Verify.
type VerifyTrialKeyParams struct {
	// Email is the address used with Create.
	Email string `json:"email"`
	// Code is the 6-digit code from the email. At most 5 attempts per
	// code.
	Code string `json:"code"`
}

// TrialKey is an issued trial key. Printing it (any fmt verb) never shows
// the key, and Raw has it redacted; use APIKey or Options. Any value but
// APIKey and ClientID that does not fit its type is left zero and listed
// in Response.DecodeIssues.
//
// It has Raw (the body as received, the key redacted) and Response (the
// response's metadata).
type TrialKey struct {
	Success bool `json:"success"`
	// APIKey is the key; keep it secret. It and ClientID are control
	// fields: a value of the wrong type fails Verify with
	// ErrUnexpectedResponse.
	APIKey   string `json:"apiKey" creatorkit:"control"`
	ClientID string `json:"clientId" creatorkit:"control"`
	// ExpiresAt is when the key stops working (14 days).
	ExpiresAt        *Time `json:"expiresAt,omitempty"`
	RequestsIncluded int   `json:"requestsIncluded"`
	// RateLimit is the key's burst limit (2 a second, 60 a minute).
	RateLimit struct {
		PerSecond int `json:"perSecond"`
		PerMinute int `json:"perMinute"`
	} `json:"rateLimit"`
	BaseURL    string `json:"baseUrl"`
	Quickstart string `json:"quickstart"`

	// Raw is the response body with the key redacted.
	Raw      json.RawMessage `json:"-"`
	Response *ResponseMeta   `json:"-"`
}

// Options returns the client options for the key: WithAPIKey,
// WithPlan(Trial) and, when the answer named one, WithBaseURL.
func (k *TrialKey) Options() []Option {
	opts := []Option{WithAPIKey(k.APIKey), WithPlan(Trial)}
	if k.BaseURL != "" {
		opts = append(opts, WithBaseURL(k.BaseURL))
	}
	return opts
}

// String describes the key without it.
func (k TrialKey) String() string {
	exp := "unknown expiry"
	if k.ExpiresAt != nil {
		exp = "expires " + k.ExpiresAt.String()
	}
	return fmt.Sprintf("infludata trial key [REDACTED] (client %s, %d requests, %s)", k.ClientID, k.RequestsIncluded, exp)
}

// GoString is String.
func (k TrialKey) GoString() string { return k.String() }

// Format makes every fmt verb print String, so the key never leaks.
func (k TrialKey) Format(f fmt.State, _ rune) { _, _ = f.Write([]byte(k.String())) }

// TrialOutcome names a documented non-success answer of the signup calls.
type TrialOutcome string

// Signup outcomes, by call and status.
const (
	// createTrialKey 400: invalid or disposable email address.
	TrialInvalidEmail TrialOutcome = "invalid_email"
	// createTrialKey 409: a trial key was already issued for this email.
	TrialAlreadyIssued TrialOutcome = "already_issued"
	// createTrialKey 429: per-IP or signup rate limit reached.
	TrialSignupRateLimited TrialOutcome = "signup_rate_limited"
	// createTrialKey 503: global trial signup caps reached; retry later.
	TrialSignupClosed TrialOutcome = "signup_closed"
	// verifyTrialKey 400: missing or malformed email or code.
	TrialBadRequest TrialOutcome = "bad_request"
	// verifyTrialKey 401: incorrect code; see AttemptsRemaining.
	TrialWrongCode TrialOutcome = "wrong_code"
	// verifyTrialKey 404: no pending verification; request a code first.
	TrialNoPendingCode TrialOutcome = "no_pending_code"
	// verifyTrialKey 410: the code expired; request a new one.
	TrialCodeExpired TrialOutcome = "code_expired"
	// verifyTrialKey 429: too many incorrect attempts or verify rate
	// limit reached.
	TrialTooManyAttempts TrialOutcome = "too_many_attempts"
)

var trialOutcomes = map[string]map[int]TrialOutcome{
	opCreateTrial: {400: TrialInvalidEmail, 409: TrialAlreadyIssued, 429: TrialSignupRateLimited, 503: TrialSignupClosed},
	opVerifyTrial: {400: TrialBadRequest, 401: TrialWrongCode, 404: TrialNoPendingCode, 410: TrialCodeExpired, 429: TrialTooManyAttempts},
}

// TrialError is a documented non-success answer of Create or Verify.
type TrialError struct {
	// Outcome names the answer.
	Outcome TrialOutcome
	// AttemptsRemaining is set on a wrong code (401).
	AttemptsRemaining *int
	// Err is the underlying *Error (status, message, body).
	Err *Error
}

// Error names the call, the outcome and influData's message.
func (e *TrialError) Error() string {
	s := fmt.Sprintf("infludata: %s: %s", e.Err.Op, e.Outcome)
	if e.AttemptsRemaining != nil {
		s += fmt.Sprintf(" (%d attempts remaining)", *e.AttemptsRemaining)
	}
	if e.Err.Message != "" {
		s += ": " + e.Err.Message
	}
	return s
}

// Unwrap returns the *Error, so errors.Is sees its kinds.
func (e *TrialError) Unwrap() error { return e.Err }

func (s *TrialService) trialError(op string, err error) error {
	var e *Error
	if !errors.As(err, &e) {
		return err
	}
	out, ok := trialOutcomes[op][e.StatusCode]
	if !ok {
		return err
	}
	te := &TrialError{Outcome: out, Err: e}
	var b errorBody
	if json.Unmarshal(e.Body, &b) == nil {
		te.AttemptsRemaining = b.AttemptsRemaining
	}
	s.t.RedactValue(te) // built from a response: no credential echoed back may survive in it
	return te
}

func checkEmail(op, email string) error {
	if msg := check.ID(email); msg != "" {
		return invalidParams(op, "email", "email %s", msg)
	}
	a, err := mail.ParseAddress(email)
	if err != nil || a.Address != email || !strings.Contains(email[strings.LastIndex(email, "@")+1:], ".") {
		return invalidParams(op, "email", "%q is not an email address", email)
	}
	return nil
}

// Create starts the trial signup (createTrialKey): influData emails a
// 6-digit code, valid 15 minutes; calling it again sends a fresh code.
// Free, unauthenticated. A documented refusal is a *TrialError (409 already
// issued, 400 invalid email, 429 signup rate limit, 503 signup caps); the
// 429 and 503 are not retried.
func (s *TrialService) Create(ctx context.Context, p CreateTrialKeyParams) (*TrialCode, error) {
	if err := checkEmail(opCreateTrial, p.Email); err != nil {
		return nil, err
	}
	if n := utf8.RuneCountInString(p.Company); n > 120 {
		return nil, invalidParams(opCreateTrial, "company", "company is at most 120 characters, got %d", n)
	}
	var tc TrialCode
	if _, err := s.t.Do(ctx, transport.Request{Op: opCreateTrial, Method: "POST", Path: "createTrialKey", Route: "createTrialKey", Body: p, NoAuth: true, Retry: transport.RetryIdempotent}, &tc); err != nil {
		return nil, s.trialError(opCreateTrial, err)
	}
	return &tc, nil
}

// Verify exchanges the emailed code for a trial key (verifyTrialKey; the
// key is also emailed). Free, unauthenticated, at most 5 attempts per code.
// A documented refusal is a *TrialError: 401 wrong code (with
// AttemptsRemaining), 410 expired, 404 no pending code, 429 too many
// attempts. Verify is never resent once it may have reached influData (a
// resent correct code would find the code used): if the answer is lost
// the error is ErrOutcomeUnknown, and the key is in your inbox.
func (s *TrialService) Verify(ctx context.Context, p VerifyTrialKeyParams) (*TrialKey, error) {
	if err := checkEmail(opVerifyTrial, p.Email); err != nil {
		return nil, err
	}
	if check.Digits(p.Code) != "" || len(p.Code) != 6 {
		return nil, invalidParams(opVerifyTrial, "code", "the code is the 6 digits from the email, got %q", p.Code)
	}
	var k TrialKey
	if _, err := s.t.Do(ctx, transport.Request{Op: opVerifyTrial, Method: "POST", Path: "verifyTrialKey", Route: "verifyTrialKey", Body: p, NoAuth: true, Retry: transport.RetryOnce}, &k); err != nil {
		return nil, s.trialError(opVerifyTrial, err)
	}
	if k.APIKey != "" && len(k.APIKey) >= 4 {
		k.Raw = bytes.ReplaceAll(k.Raw, []byte(k.APIKey), []byte("[REDACTED]"))
	}
	return &k, nil
}
