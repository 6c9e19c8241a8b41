package transport

import (
	"context"
	"time"

	"github.com/creatorkit/creatorkit-go"
)

// The observer types are the root package's.
type (
	CallInfo       = creatorkit.CallInfo
	HeaderInjector = creatorkit.HeaderInjector
)

func (cl *call) startObserving() {
	cl.info = CallInfo{Vendor: cl.c.s.Vendor, Operation: cl.req.Op, Method: cl.req.Method, Route: cl.req.Route, Start: time.Now()}
	cl.ctx = cl.c.s.Observer.StartCall(cl.ctx, cl.info)
}

// observeAttempt reports the attempt that just ended.
func (cl *call) observeAttempt(a *Attempt, retried bool) {
	ev := creatorkit.AttemptEvent{CallInfo: cl.info, Attempt: cl.attempts, StatusCode: a.StatusCode,
		Wait: cl.prevWait + cl.ticket.waited, RateLimitWait: cl.ticket.waited, Duration: time.Since(cl.sent), Retried: retried}
	switch {
	case a.Error != nil:
		ev.ErrorKind = creatorkit.KindName(a.Error)
	case a.Err != nil:
		ev.ErrorKind = creatorkit.KindName(cl.finalErrorKind(a.Err))
	}
	cl.prevWait = 0
	if retried {
		cl.prevWait = cl.wait
	}
	cl.c.s.Observer.EndAttempt(cl.ctx, ev)
}

// finalErrorKind is the kind a failed attempt's transport error stands
// for: the context's error, or a network failure.
func (cl *call) finalErrorKind(err error) error {
	if cerr := cl.ctx.Err(); cerr != nil {
		return cerr
	}
	return ErrNetwork
}

func (cl *call) endObserving(err error) {
	ev := creatorkit.CallEvent{CallInfo: cl.info, Duration: time.Since(cl.info.Start), Attempts: cl.attempts,
		RateLimitWait: cl.tally.waited, StatusCode: cl.lastStatus, ErrorKind: creatorkit.KindName(err),
		Unit: cl.tally.unit, Spent: cl.tally.spent, SpentUnknown: cl.tally.unknown}
	cl.c.s.Observer.EndCall(cl.ctx, ev)
}

// Observe starts observing a wait or a roster (the SDK calls it makes are
// observed on their own): it returns the context to make those calls
// with, and the function to call when it ends. Without an observer it
// returns ctx and a no-op.
func (c *Client) Observe(ctx context.Context, op string) (context.Context, func(polls, items int, err error)) {
	o := c.s.Observer
	if o == nil {
		return ctx, func(int, int, error) {}
	}
	info := CallInfo{Vendor: c.s.Vendor, Operation: op, Start: time.Now()}
	ctx = o.StartCall(ctx, info)
	return ctx, func(polls, items int, err error) {
		o.EndCall(ctx, creatorkit.CallEvent{CallInfo: info, Duration: time.Since(info.Start), ErrorKind: creatorkit.KindName(err), Polls: polls, Items: items})
	}
}
