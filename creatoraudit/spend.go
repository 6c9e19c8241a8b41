package creatoraudit

import (
	"context"
	"errors"
	"net/http"
	"strings"

	creatorkit "github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/internal/poll"
	"github.com/creatorkit/creatorkit-go/internal/transport"
)

// SpendUnit is what Usage and a Budget count for CreatorAudit: accounts
// the client started tracking.
//
// CreatorAudit publishes no price per call. What it does cap is tracking:
// an organization may have a cap on tracked accounts (none by default),
// and POST /accounts over it is 403 QUOTA_EXCEEDED. So the one call that
// spends is Accounts.Create, 1 unit for the account it starts tracking
// (inferred from the documented quota; the SDK does not know your cap):
//
//   - an answer that tracked the account (201): 1 spent;
//   - a duplicate (409 CONFLICT), the quota (403 QUOTA_EXCEEDED), bad
//     input (422) or any other error status: nothing;
//   - a 201 that replays the answer to an earlier request with the same
//     Idempotency-Key (marked Idempotent-Replayed: true; inferred): nothing,
//     the earlier request tracked the account; a 201 to your own
//     IdempotencyKey that is not marked either way counts as SpentUnknown,
//     since it may be such a replay;
//   - a create whose answer was lost after it may have reached CreatorAudit
//     (ErrOutcomeUnknown): 1 SpentUnknown, which stays SpentUnknown even
//     when Create's reconciliation then finds the account tracked (see
//     Accounts.Create).
//
// Every other call is free: reads, batch metrics, individual videos (no
// quota is documented for them), creators, links, updates and deletes.
//
// Untracking is not a refund. Accounts.Delete frees a place under
// CreatorAudit's cap, but the SDK gives nothing back to Usage or the
// Budget, so a Budget caps how many accounts a job starts tracking,
// however many it untracks: a job cannot track and untrack its way past
// it. A refund could not be counted exactly either: a DELETE whose answer
// is lost is asked again and then answers 404, the same answer as a
// DELETE of an account that was never there, and an account tracked
// before (or by someone else) would give back what this client never
// spent. To mirror the organization's cap instead, size the Budget to the
// places left under it and call Refund(1) on it after each successful
// Delete.
const SpendUnit = "tracked accounts"

// Usage, OperationUsage and Budget are package creatorkit's, so one import
// is enough.
type (
	// Usage is what the client has done and spent: requests, retries,
	// 429s and rate-limit waits, per operation, and tracked accounts
	// (SpendUnit) started. See Client.Usage.
	Usage = creatorkit.Usage
	// OperationUsage is Usage for one operation ("Accounts.Create").
	OperationUsage = creatorkit.OperationUsage
	// Budget caps the accounts clients may start tracking; see
	// WithBudget.
	Budget = creatorkit.Budget
)

// NewBudget returns a budget of limit tracked accounts, to share between
// goroutines and CreatorAudit clients with WithBudget.
func NewBudget(limit int64) *Budget { return creatorkit.NewBudget(limit) }

// WithBudget caps the accounts the client may start tracking (SpendUnit)
// with b, which may be shared by several clients and goroutines and then
// caps their sum. Accounts.Create holds 1 of it before sending; when b
// cannot hold it the call fails at once with ErrBudgetExceeded and nothing
// is sent. A create whose answer was lost keeps its 1 (it may have
// tracked the account); a refused or duplicate create gives it back.
// Accounts.Delete gives nothing back (see SpendUnit).
func WithBudget(b *Budget) Option { return wrap(transport.WithBudget("", b)) }

// Usage returns what the client has done so far: requests (retries and
// the SDK's reconciliation requests included), retries, 429 answers and
// rate-limit waits, per operation, and the accounts it started tracking
// (Spent, in SpendUnit), with SpentUnknown for creates whose answer was
// lost. Take two snapshots and Sub them to account for one job.
func (c *Client) Usage() Usage { return c.t.Usage() }

// replayedHeader marks an answer CreatorAudit replayed for a repeated
// Idempotency-Key (inferred: the name Stripe and the SDK's fake use).
const replayedHeader = "Idempotent-Replayed"

// createSpend is the spend of one POST /accounts: 1 tracked account, known
// from the answer. ownKey is true when the caller chose the
// Idempotency-Key (it may have been used before, so an unmarked 201 may be
// a replay).
func createSpend(ownKey bool) transport.Spend {
	return transport.Spend{Cost: 1, Charged: func(a transport.Answer) transport.Charge {
		switch {
		case a.Status >= 300:
			return transport.Charge{}
		case strings.EqualFold(a.Header.Get(replayedHeader), "true"):
			return transport.Charge{}
		case ownKey && a.Header.Get(replayedHeader) == "":
			return transport.Charge{Unknown: 1}
		}
		return transport.Charge{Spent: 1}
	}}
}

// reconcileCreate settles a create whose answer was lost (lost is its
// ErrOutcomeUnknown error): the account may or may not be tracked, and 1
// unit is already counted as SpentUnknown. It asks again with the same
// Idempotency-Key, at most the client's MaxRetries times with backoff
// between: CreatorAudit answers a repeated key with the original resource
// for 10 minutes, and tracks an account at most once (a duplicate is a
// 409), so asking again cannot track a second account. These requests
// are sent once each (never resent by the transport or by net/http) and
// count as free: the spend they may complete is the one already counted.
//
// The first answer decides: a 201 returns the account; an error status
// returns that error, also marked ErrOutcomeUnknown since the lost
// request may have tracked the account (a 409 means the account is
// tracked, by it or before it). If every request is lost, or ctx ends,
// the last ErrOutcomeUnknown error is returned.
func (s *AccountsService) reconcileCreate(ctx context.Context, req transport.Request, lost error) (*Account, error) {
	req.Spend = transport.Spend{}
	req.Retry = transport.RetryOnce
	for n := 0; n < s.c.maxRetries; n++ {
		if poll.Sleep(ctx, transport.Backoff(s.c.retryMin, s.c.retryMax, n)) != nil {
			return nil, lost
		}
		a, err := doData[Account](ctx, s.c, req, callConfig{})
		var e *Error
		switch {
		case err == nil:
			return a, nil
		case errors.Is(err, ErrOutcomeUnknown):
			lost = err // lost again: ask again
		case ctx.Err() != nil:
			return nil, lost
		case errors.As(err, &e) && e.StatusCode != 0 && e.StatusCode != http.StatusTooManyRequests:
			transport.AddKind(e, ErrOutcomeUnknown)
			e.Message = strings.TrimSpace(e.Message + " (an earlier request of this create, whose answer was lost, may have tracked the account)")
			return nil, e
		}
		// Otherwise nothing reached CreatorAudit (a 429 past the client's
		// waits, a connection that failed before sending): ask again.
	}
	return nil, lost
}
