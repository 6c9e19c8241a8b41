package creatorkit

import (
	"fmt"
	"maps"
	"time"
)

// Usage is what one client has done and spent, by its own count: every
// vendor package's Client.Usage returns it. It is a snapshot; take two and
// Sub them to account for one job.
//
// Spend is counted in the vendor's own unit (Unit). A paid call counts as
// Spent when its answer arrived and says what was charged, and as
// SpentUnknown when the answer was lost after the request may have reached
// the vendor (ErrOutcomeUnknown): the vendor may or may not have charged
// it. After any run,
//
//	Spent <= what the vendor charged <= Spent + SpentUnknown
//
// and the two are equal when SpentUnknown is 0. Refunds the vendor
// documents (EngageCheck's failed audits, HypeAuditor's failed reports)
// are taken off Spent when a call of this client sees the failure.
type Usage struct {
	// Calls counts the SDK calls that went to the transport (a call may
	// send several requests).
	Calls int64
	// Requests counts the HTTP requests that reached the vendor as far
	// as the client can tell (answered, or fully written before the
	// connection failed), retries and net/http's own resends of free
	// requests included. A request that failed before it was written (a
	// refused connection, a context that ended while dialing) is not
	// counted.
	Requests int64
	// Retries counts the requests that repeated an earlier one of the
	// same call.
	Retries int64
	// RateLimited counts 429 answers received.
	RateLimited int64
	// RateLimitWait is the time calls spent waiting before a request
	// could go out: the client-side limiter, the vendor's reported budget
	// and holds (Retry-After, X-RateLimit-Remaining 0), and the
	// concurrency cap. Waits between retries are not included.
	RateLimitWait time.Duration
	// Unit names what the vendor charges, as it names it ("credits",
	// "tokens", "report credits"); empty for a vendor that charges nothing
	// per call.
	Unit string
	// Spent is the spend, in Unit, that the vendor's answers confirmed,
	// net of the refunds the client saw.
	Spent int64
	// SpentUnknown is the spend, in Unit, of calls whose answer was lost
	// after the request may have reached the vendor, or whose answer does
	// not say whether it charged: the vendor may or may not have charged
	// it. It counts against a Budget.
	SpentUnknown int64
	// Operations holds the same counts per SDK operation
	// ("Audits.Create"). An operation that spends in another unit than
	// Unit (HypeAuditor's discovery queries) says so in its own Unit, and
	// its spend is not in the top-level Spent: see SpentIn.
	Operations map[string]OperationUsage
}

// OperationUsage is Usage for one SDK operation.
type OperationUsage struct {
	Calls         int64
	Requests      int64
	Retries       int64
	RateLimited   int64
	RateLimitWait time.Duration
	// Unit is what this operation spends in; empty when it is free.
	Unit         string
	Spent        int64
	SpentUnknown int64
}

// SpentIn sums Spent and SpentUnknown over the operations that spend in
// unit.
func (u Usage) SpentIn(unit string) (spent, unknown int64) {
	for _, op := range u.Operations {
		if op.Unit == unit {
			spent += op.Spent
			unknown += op.SpentUnknown
		}
	}
	return spent, unknown
}

// Sub returns u minus an earlier snapshot of the same client: what was
// done and spent in between. Operations absent from before are kept
// whole; operations with nothing new are left out.
func (u Usage) Sub(before Usage) Usage {
	d := Usage{
		Calls: u.Calls - before.Calls, Requests: u.Requests - before.Requests, Retries: u.Retries - before.Retries,
		RateLimited: u.RateLimited - before.RateLimited, RateLimitWait: u.RateLimitWait - before.RateLimitWait,
		Unit: u.Unit, Spent: u.Spent - before.Spent, SpentUnknown: u.SpentUnknown - before.SpentUnknown,
	}
	for name, op := range u.Operations {
		b := before.Operations[name]
		diff := OperationUsage{
			Calls: op.Calls - b.Calls, Requests: op.Requests - b.Requests, Retries: op.Retries - b.Retries,
			RateLimited: op.RateLimited - b.RateLimited, RateLimitWait: op.RateLimitWait - b.RateLimitWait,
			Unit: op.Unit, Spent: op.Spent - b.Spent, SpentUnknown: op.SpentUnknown - b.SpentUnknown,
		}
		if diff != (OperationUsage{Unit: op.Unit}) {
			if d.Operations == nil {
				d.Operations = map[string]OperationUsage{}
			}
			d.Operations[name] = diff
		}
	}
	return d
}

// Clone returns a copy whose Operations map is not shared.
func (u Usage) Clone() Usage {
	u.Operations = maps.Clone(u.Operations)
	return u
}

// String formats the totals: "12 requests (1 retry, 0 rate-limited,
// waited 1.2s), spent 10 credits (+2 unknown)".
func (u Usage) String() string {
	s := fmt.Sprintf("%d requests (%d retries, %d rate-limited, waited %s)", u.Requests, u.Retries, u.RateLimited, u.RateLimitWait.Round(time.Millisecond))
	if u.Unit != "" {
		s += fmt.Sprintf(", spent %d %s", u.Spent, u.Unit)
		if u.SpentUnknown > 0 {
			s += fmt.Sprintf(" (+%d unknown)", u.SpentUnknown)
		}
	}
	return s
}
