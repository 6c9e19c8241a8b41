package ylytic

import (
	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// Usage, OperationUsage and Budget are package creatorkit's, so one import
// is enough.
type (
	// Usage is what the client has done: requests, retries, 429s and
	// rate-limit waits, per operation. Ylytic prices none of these calls
	// in its API pages, so Unit is empty and nothing is ever Spent. See
	// Client.Usage.
	Usage = creatorkit.Usage
	// OperationUsage is Usage for one operation ("Refresh.Create").
	OperationUsage = creatorkit.OperationUsage
	// Budget caps spend in a vendor's unit. No Ylytic call is priced, so
	// no Budget applies: see WithBudget.
	Budget = creatorkit.Budget
)

// NewBudget returns a budget of limit units (creatorkit.NewBudget), here
// so that every creatorkit-go package offers the same names. A Ylytic
// client takes none: see WithBudget.
func NewBudget(limit int64) *Budget { return creatorkit.NewBudget(limit) }

// WithBudget exists so every creatorkit-go package offers the same
// options, but Ylytic's API pages document no price, credit or quota per
// call (an account's plan may cap creators or refreshes; the API does not
// say), so no call of this package spends and a budget would never be
// used. NewClient therefore refuses it with an ErrInvalidParams error
// ("charges nothing per call") rather than accept a cap that caps
// nothing. Usage still counts every request.
func WithBudget(b *Budget) Option { return wrap(transport.WithBudget("", b)) }

// Usage returns what the client has done so far, over every host:
// requests (retries included), retries, 429 answers and rate-limit
// waits, per operation. Unit is empty and Spent and SpentUnknown are 0.
// Take two snapshots and Sub them to account for one job.
func (c *Client) Usage() Usage { return transport.TotalUsage(c.all...) }
