package creatorkit

import (
	"fmt"
	"sync"
)

// Budget caps what clients may spend, in one vendor's unit (credits,
// tokens, report credits). Give it to a client with the vendor package's
// WithBudget option; one Budget may be shared by any number of goroutines
// and by several clients of the same vendor (and unit), and then caps
// their sum.
//
// A paid call reserves its documented cost before anything is sent; when
// the budget cannot hold it the call fails at once with
// ErrBudgetExceeded and nothing is sent. When the answer arrives the
// reservation becomes what was charged (a call whose cost is only known
// afterwards, such as a page of paid items, reserves the most it can
// cost). Spend whose answer was lost (SpentUnknown) stays charged: the
// vendor may have taken it. Rosters, bulk helpers and paid pagers size
// their work to what remains and answer every input they did not start
// with ErrBudgetExceeded.
type Budget struct {
	mu    sync.Mutex
	limit int64
	used  int64 // charged: spent, and spent whose answer was lost
	held  int64 // reserved by calls in flight
}

// NewBudget returns a budget of limit units (a negative limit is taken as
// 0: nothing may be spent).
func NewBudget(limit int64) *Budget {
	return &Budget{limit: max(limit, 0)}
}

// Limit returns the budget's size.
func (b *Budget) Limit() int64 { return b.limit }

// Used returns what was charged against the budget: spent, plus spent
// whose answer was lost.
func (b *Budget) Used() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.used
}

// Remaining returns what calls may still reserve: the limit less what was
// charged and what calls in flight hold.
func (b *Budget) Remaining() int64 {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.limit - b.used - b.held
}

// Reserve holds n units for a call about to be sent. It fails with an
// *Error of kind ErrBudgetExceeded, and holds nothing, when fewer than n
// remain. The SDK's clients call it; call it yourself only to account for
// spend made outside them, and Settle every successful Reserve.
func (b *Budget) Reserve(n int64) error {
	if n <= 0 {
		return nil
	}
	b.mu.Lock()
	defer b.mu.Unlock()
	if left := b.limit - b.used - b.held; n > left {
		return &Error{Kinds: []error{ErrBudgetExceeded},
			Message: fmt.Sprintf("the call may cost %d, and %d of the budget's %d remain", n, max(left, 0), b.limit)}
	}
	b.held += n
	return nil
}

// Settle ends a reservation of reserved units: charged of them (which may
// be more than reserved, when the vendor charged more than documented)
// count as used, the rest is free again.
func (b *Budget) Settle(reserved, charged int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.held -= max(reserved, 0)
	b.used += max(charged, 0)
}

// Refund gives back n units the vendor refunded (a failed audit).
func (b *Budget) Refund(n int64) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.used = max(b.used-max(n, 0), 0)
}

// String formats the budget as "used 12 of 30 (2 held)".
func (b *Budget) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return fmt.Sprintf("used %d of %d (%d held)", b.used, b.limit, b.held)
}
