// Package transport is the one HTTP request pipeline shared by every
// creatorkit-go vendor package.
//
// A call goes through a single path, written and tested once:
//
//	Client.Do
//	  -> go-retryablehttp retry loop (our CheckRetry and Backoff)
//	       -> attempt transport, per attempt:
//	            rate-limit gate (server said Remaining=0 or sent Retry-After)
//	            -> Limiter.Wait (client-side token bucket, or a shared one)
//	            -> concurrency slot
//	            -> auth headers + User-Agent
//	            -> send, note whether the request was written
//	            -> read the whole body, remember the last response
//	            -> record X-RateLimit-* headers
//	  -> classify (vendor error decoder + retry rules)
//	  -> decode JSON into the result, keeping the raw body
//
// Vendor packages wrap Settings in their own Option type and re-export
// Error, the sentinel kinds and Limiter under their own names.
package transport

import "github.com/creatorkit/creatorkit-go"

// Version is the SDK version sent in the User-Agent header.
const Version = creatorkit.Version
