// Package transport is the one HTTP request pipeline shared by every
// creatorkit-go vendor package.
//
// A call goes through a single path, written and tested once:
//
//	Client.Do
//	  -> reserve the call's documented cost in its unit's Budget (or fail with ErrBudgetExceeded, nothing sent)
//	  -> go-retryablehttp's loop, its hooks bound to the call (call.go):
//	       admit, before every attempt (admit.go, on internal/limit's parts): the
//	         server's hold (limit.Gate: Retry-After, X-RateLimit-Remaining 0)
//	         -> the Limiter -> the pace group's windows -> a concurrency slot
//	         -> the vendor's reported budget (limit.Pacer)
//	       send (a request that may spend is one net/http will not resend by itself)
//	       CheckRetry, once per attempt (attempt.go): read the body, release the
//	         admission, record X-RateLimit-*, decode a success body, classify with
//	         the vendor rules and the default policy (retry.go), plan the wait
//	       Backoff returns the planned wait (Retry-After, reset, or jittered backoff)
//	  -> settle the spend (Spent, SpentUnknown) and add the call to Usage (usage.go)
//	  -> the result with its metadata, or one *Error (final.go)
//
// Vendor packages wrap Settings in their own Option type and re-export
// Error, the sentinel kinds and Limiter under their own names.
package transport

import "github.com/creatorkit/creatorkit-go"

// Version is the SDK version sent in the User-Agent header.
const Version = creatorkit.Version
