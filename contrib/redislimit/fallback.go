package redislimit

import (
	"context"
	"time"

	"golang.org/x/time/rate"
)

// localBucket is the fallback while Redis is unreachable: one token bucket
// per limit, each at 1/workers of the shared rate and burst.
type localBucket struct{ buckets []*rate.Limiter }

func newLocalBucket(specs []spec, workers int) *localBucket {
	b := &localBucket{}
	for _, s := range specs {
		r := rate.Limit(float64(s.limit.Rate) / s.limit.Period.Seconds() / float64(workers))
		b.buckets = append(b.buckets, rate.NewLimiter(r, max(1, s.limit.Burst/workers)))
	}
	return b
}

// drain empties every bucket, so a process that just lost Redis starts
// from nothing rather than adding a fresh burst to the requests Redis
// granted moments before.
func (b *localBucket) drain(now time.Time) {
	for _, bk := range b.buckets {
		bk.ReserveN(now, bk.Burst())
	}
}

// wait takes a token from every bucket. It reserves from all at once, so a
// request that cannot be granted before the deadline gives every token
// back and fails at once with a *DelayError.
func (b *localBucket) wait(ctx context.Context, name string) error {
	now := time.Now()
	res := make([]*rate.Reservation, 0, len(b.buckets))
	var delay time.Duration
	for _, bk := range b.buckets {
		r := bk.ReserveN(now, 1)
		res = append(res, r)
		delay = max(delay, r.DelayFrom(now))
	}
	cancel := func(at time.Time) {
		for _, r := range res {
			r.CancelAt(at)
		}
	}
	if delay == 0 {
		return nil
	}
	if dl, ok := ctx.Deadline(); ok && now.Add(delay).After(dl) {
		cancel(now)
		return &DelayError{Name: name, Delay: delay, Local: true}
	}
	if err := sleep(ctx, delay); err != nil {
		cancel(time.Now())
		return err
	}
	return nil
}
