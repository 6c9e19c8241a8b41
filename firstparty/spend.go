package firstparty

import (
	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// Usage, OperationUsage and Budget are package creatorkit's, so one import
// is enough.
type (
	// Usage is what the client has done: requests, retries, 429s and
	// rate-limit waits, per operation. First Party charges nothing per
	// call, so its Unit is empty and nothing is ever Spent. See
	// Client.Usage.
	Usage = creatorkit.Usage
	// OperationUsage is Usage for one operation ("Verification.Verify").
	OperationUsage = creatorkit.OperationUsage
	// Budget caps spend in a vendor's unit. First Party has no unit, so no
	// Budget applies to it: see WithBudget.
	Budget = creatorkit.Budget
)

// NewBudget returns a budget of limit units (creatorkit.NewBudget), here
// so that every creatorkit-go package offers the same names. A First
// Party client takes none: see WithBudget.
func NewBudget(limit int64) *Budget { return creatorkit.NewBudget(limit) }

// WithBudget exists so every creatorkit-go package offers the same
// options, but First Party charges nothing per call: Ylytic documents no
// price, credit or quota for its First Party API, so no call of this
// package spends and a budget would never be used. NewClient therefore
// refuses it with an ErrInvalidParams error ("charges nothing per call")
// rather than accept a cap that caps nothing, which would pass for a
// limit on cost where there is none. Usage still counts every request.
func WithBudget(b *Budget) Option { return wrap(transport.WithBudget("", b)) }

// Usage returns what the client has done so far, over both hosts:
// requests (retries, ConnectFlow's repeats of a Verify Creator whose
// answer was lost, and the copies net/http itself sends of a free GET
// whose reused connection failed, all included), retries, 429 answers and
// rate-limit waits, per operation. Unit is empty and Spent and
// SpentUnknown are 0: First Party charges nothing per call. Take two
// snapshots and Sub them to account for one job.
func (c *Client) Usage() Usage { return transport.TotalUsage(c.t, c.ins) }
