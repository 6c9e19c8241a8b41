package infludata

import (
	"net/http"
	"sync/atomic"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// Unit is what influData charges in: tokens (its documentation also says
// "requests" for the same budget). Usage.Unit and the Budget are in it.
const Unit = "tokens"

// Spend accounting, in the root package's types so one import is enough.
type (
	// Usage is what a client has done and spent (Client.Usage), in tokens.
	Usage = creatorkit.Usage
	// OperationUsage is Usage for one operation ("Profiles.Get",
	// "Discovery.Search", "Content.Get", ...).
	OperationUsage = creatorkit.OperationUsage
	// Budget caps what clients may spend, in tokens (WithBudget).
	Budget = creatorkit.Budget
)

// NewBudget returns a budget of limit tokens, to give to one client or
// several with WithBudget: it then caps their sum.
func NewBudget(limit int64) *Budget { return creatorkit.NewBudget(limit) }

// WithBudget caps what the client may spend, in tokens. A paid call
// reserves the most it can cost before anything is sent (getUserData 1, or
// 20 with the audience report; discovery 1; getContent its page limit)
// and is refused with ErrBudgetExceeded, nothing sent, when the budget
// cannot hold it; once answered it is charged what it cost (tokensDeducted
// when influData reports it, else the documented table), and a call whose
// answer was lost after it may have been charged (ErrOutcomeUnknown)
// stays charged its reservation. GetAndWait, GetAndWaitAll and ContentAll
// size their work to what remains (see each). One Budget may be shared by
// several clients and goroutines.
func WithBudget(b *Budget) Option { return wrap(transport.WithBudget("", b)) }

// Usage returns what the client has done and spent so far, in tokens (see
// creatorkit.Usage). Spent counts what influData's answers say was
// charged: tokensDeducted when the answer reports it, else the documented
// cost table (getUserData 1, or 20 with includeAudienceReport; a 202
// costs 1 and a 201 nothing; discovery 1 per page; getContent 1 per item
// returned, a 404 nothing). influData charges no failed request, so an
// error answer adds nothing; an answer lost after the request may have
// been charged (ErrOutcomeUnknown, never resent) adds the call's most
// (20, 1, or the page's limit) to SpentUnknown. influData documents no
// refunds. After any run, Spent <= what influData charged <= Spent +
// SpentUnknown.
//
// The key's balance as influData last reported it is TokensRemaining.
func (c *Client) Usage() Usage { return c.t.Usage() }

// TokensRemaining returns the key's balance as influData last reported it
// to this client: tokensRemaining on a paid result, or getClientInfo's
// reportsLeft (Account.Get), whichever came last; -1 before any report.
func (c *Client) TokensRemaining() int64 { return c.balance.Load() }

// balance is the latest balance influData reported.
type balance struct{ atomic.Int64 }

func (b *balance) report(n *int) {
	if n != nil {
		b.Store(int64(*n))
	}
}

// budget returns the client's budget, or nil.
func (c *Client) budget() *Budget { return c.t.Budget("") }

// fits reports whether the client's budget (if any) can hold cost tokens
// now.
func (c *Client) fits(cost int64) bool {
	b := c.budget()
	return b == nil || b.Remaining() >= cost
}

// budgetError is the ErrBudgetExceeded error of a call the SDK did not
// make because the client's budget could not hold it.
func (c *Client) budgetError(op string, cost int64, what string) *Error {
	b := c.budget()
	return transport.NewError(vendor, op, ErrBudgetExceeded, "%s may cost %d tokens, and %d of the budget's %d remain; nothing was sent",
		what, cost, max(b.Remaining(), 0), b.Limit())
}

// profileCost is the most getUserData can cost: 20 tokens with the
// audience report, else 1 [DOC].
func profileCost(audience bool) int64 {
	if audience {
		return 20
	}
	return 1
}

// profileSpend is getUserData's spend [DOC]: tokensDeducted when the
// answer reports it; else a 201 (queued) costs nothing, a 202 (audience
// processing) 1, and a 200 1, or 20 with the audience report.
func profileSpend(audience bool) transport.Spend {
	cost := profileCost(audience)
	return transport.Spend{Cost: cost, Charged: func(a transport.Answer) transport.Charge {
		if pr, ok := a.Out.(*profileJSON); ok && pr.TokensDeducted != nil {
			return transport.Charge{Spent: int64(*pr.TokensDeducted)}
		}
		switch a.Status {
		case http.StatusCreated:
			return transport.Charge{}
		case http.StatusAccepted:
			return transport.Charge{Spent: 1}
		}
		return transport.Charge{Spent: cost}
	}}
}

// searchSpend is discovery's spend [DOC]: 1 token per page (of up to 20
// creators), or tokensDeducted when the answer reports it.
var searchSpend = transport.Spend{Cost: 1, Charged: func(a transport.Answer) transport.Charge {
	if pg, ok := a.Out.(*SearchPage); ok && pg.TokensDeducted != nil {
		return transport.Charge{Spent: int64(*pg.TokensDeducted)}
	}
	return transport.Charge{Spent: 1}
}}

// contentSpend is getContent's spend [DOC]: 1 token per item returned, or
// tokensDeducted when the answer reports it (it wins); a 404 (nothing
// matched) costs nothing. The call reserves its page limit, the most it
// can cost.
func contentSpend(limit int) transport.Spend {
	return transport.Spend{Cost: int64(limit), Charged: func(a transport.Answer) transport.Charge {
		pg, ok := a.Out.(*contentPageJSON)
		switch {
		case !ok:
			return transport.Charge{Spent: int64(limit)}
		case pg.TokensDeducted != nil:
			return transport.Charge{Spent: int64(*pg.TokensDeducted)}
		}
		return transport.Charge{Spent: int64(len(pg.Items))}
	}}
}
