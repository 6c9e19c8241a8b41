// Package creatorkit holds the types every creatorkit-go vendor package
// shares and every user handles: the one error type and its kinds, the
// response metadata (request id, rate-limit state, decode issues), the
// rate limiter interface, caps for paid pagination, the wait timeout, the
// per-item error of roster and bulk helpers, and the common creator
// summary.
//
// You rarely import it directly: each vendor package re-exports these
// types under its own name (engagecheck.Error is creatorkit.Error), so one
// import is enough, and code that merges several vendors can use either
// name. The vendor packages are:
//
//	github.com/creatorkit/creatorkit-go/engagecheck   EngageCheck audience-quality audits
//	github.com/creatorkit/creatorkit-go/creatoraudit  CreatorAudit tracked accounts and metrics
//	github.com/creatorkit/creatorkit-go/infludata     influData creator database
//	github.com/creatorkit/creatorkit-go/hypeauditor   HypeAuditor reports and discovery
//	github.com/creatorkit/creatorkit-go/firstparty    Ylytic First Party consent and insights
//
// This package imports nothing of the module; the vendor packages build on
// it.
package creatorkit

// Version is the SDK version, sent in the User-Agent header.
const Version = "0.2.0"

//go:generate go run ./internal/cmd/gengetters .
