package engagecheck

import (
	"errors"

	"github.com/creatorkit/creatorkit-go"
)

// Sentinel kinds, the same values as package creatorkit's (and every other
// creatorkit-go package's): test an error with errors.Is.
var (
	// ErrInvalidParams: the SDK refused the input before sending anything
	// (no request, no credit), or EngageCheck answered 400.
	ErrInvalidParams = creatorkit.ErrInvalidParams
	// ErrUnauthorized: the key is missing, invalid or revoked (401).
	ErrUnauthorized = creatorkit.ErrUnauthorized
	// ErrForbidden: the key may not do this (403).
	ErrForbidden = creatorkit.ErrForbidden
	// ErrNotFound: no report with that id (404).
	ErrNotFound = creatorkit.ErrNotFound
	// ErrConflict: the request conflicts with the resource's state (409).
	// EngageCheck documents no 409; the kind is here so every package
	// names the same kinds.
	ErrConflict = creatorkit.ErrConflict
	// ErrRateLimited: 429 after the SDK's retries, or the client-side
	// limiter could not grant a slot before the context's deadline.
	ErrRateLimited = creatorkit.ErrRateLimited
	// ErrQuotaExceeded: the key has not enough credits (402). Never
	// retried; nothing was spent.
	ErrQuotaExceeded = creatorkit.ErrQuotaExceeded
	// ErrServer: EngageCheck failed (5xx) after the SDK's retries.
	ErrServer = creatorkit.ErrServer
	// ErrNetwork: the connection failed or was lost.
	ErrNetwork = creatorkit.ErrNetwork
	// ErrOutcomeUnknown: a credit-spending submit may have reached
	// EngageCheck, but no usable answer came back and the recent-audits
	// list could not tell whether it created an audit. The SDK did not
	// resend it.
	ErrOutcomeUnknown = creatorkit.ErrOutcomeUnknown
	// ErrUnexpectedResponse: a success status with a body the SDK cannot
	// use (not a JSON object, or a control field that does not fit).
	ErrUnexpectedResponse = creatorkit.ErrUnexpectedResponse
	// ErrBudgetExceeded: the client's Budget (WithBudget) cannot hold
	// what the call may cost; nothing was sent. Never retried.
	ErrBudgetExceeded = creatorkit.ErrBudgetExceeded
)

// ErrAuditFailed is the cause (ItemError.Err) of an audit EngageCheck
// finished with status "error" (private, not found, failed scrape). Its
// credit is refunded automatically.
var ErrAuditFailed = errors.New("audit failed")
