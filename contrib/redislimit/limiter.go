package redislimit

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// Defaults of the options.
const (
	// DefaultCallTimeout bounds each Redis call Wait makes.
	DefaultCallTimeout = time.Second
	// DefaultRecheck is how long a limiter that fell back to its local
	// bucket waits before trying Redis again.
	DefaultRecheck = 5 * time.Second
)

// spec is one limit and the suffix of its Redis key.
type spec struct {
	limit  Limit
	suffix time.Duration
	key    string
}

// Limiter is a rate limiter shared through Redis by every process that
// uses the same name. It implements the SDK's Limiter interface (Wait) and
// is safe for concurrent use. Build it with a vendor constructor
// (EngageCheck, InfluDataTrial, InfluDataProduction, HypeAuditor),
// ForWindows or New.
type Limiter struct {
	name   string
	specs  []spec // slowest sustained rate first
	rl     *redis_rate.Limiter
	cfg    config
	local  *localBucket // nil: fail closed
	logger *slog.Logger

	mu        sync.Mutex
	down      bool      // Redis failed on the last try
	downUntil time.Time // fallback: skip Redis until then

	granted, retries, refunds, fallback, failures atomic.Int64
}

type config struct {
	prefix      string
	callTimeout time.Duration
	recheck     time.Duration
	workers     int // > 0: fall back to a local bucket of 1/workers
	logger      *slog.Logger
	extra       []Limit
}

// Option configures a Limiter.
type Option func(*config) error

// WithLocalFallback makes the limiter fall back to a local token bucket
// (golang.org/x/time/rate) while Redis is unreachable, instead of failing
// closed. The bucket paces this process at 1/workers of the shared limit,
// so that workers processes falling back together still stay under it:
// pass the number of processes that share the key. The bucket starts
// empty, so a process that just lost Redis does not add a fresh burst to
// what Redis granted moments before; still, around the switch the total is
// approximate (the vendor may answer a rare 429, which the client retries).
// The limiter logs the fallback and the recovery (WithLogger) and retries
// Redis every WithRecheck.
func WithLocalFallback(workers int) Option {
	return func(c *config) error {
		if workers < 1 {
			return fmt.Errorf("redislimit: WithLocalFallback: workers must be >= 1, got %d", workers)
		}
		c.workers = workers
		return nil
	}
}

// WithFailClosed makes Wait return an *UnavailableError while Redis is
// unreachable (the default): no request goes out unpaced.
func WithFailClosed() Option {
	return func(c *config) error { c.workers = 0; return nil }
}

// WithRecheck sets how long a limiter that fell back to its local bucket
// uses it before trying Redis again (default 5 s).
func WithRecheck(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("redislimit: WithRecheck: must be > 0, got %s", d)
		}
		c.recheck = d
		return nil
	}
}

// WithCallTimeout bounds each Redis call (default 1 s). A call that runs
// out counts as Redis being unreachable. go-redis applies it to the socket
// only when redis.Options.ContextTimeoutEnabled is true; set that, or keep
// ReadTimeout short, so a frozen Redis cannot hold Wait longer.
func WithCallTimeout(d time.Duration) Option {
	return func(c *config) error {
		if d <= 0 {
			return fmt.Errorf("redislimit: WithCallTimeout: must be > 0, got %s", d)
		}
		c.callTimeout = d
		return nil
	}
}

// WithPrefix replaces DefaultPrefix ("creatorkit:") in front of the keys.
func WithPrefix(prefix string) Option {
	return func(c *config) error { c.prefix = prefix; return nil }
}

// WithLogger logs the switch to the local fallback (Warn), each Redis
// failure while failing closed (Warn, once per outage) and recovery
// (Info). The default is slog.Default(); pass a logger with a discarding
// handler to silence it.
func WithLogger(l *slog.Logger) Option {
	return func(c *config) error {
		if l == nil {
			return errors.New("redislimit: WithLogger: logger is nil")
		}
		c.logger = l
		return nil
	}
}

// WithLimit adds a limit that must hold as well, e.g. a per-second cap on
// top of a per-minute budget. Its key ends in its Period, so two limits
// need different periods.
func WithLimit(l Limit) Option {
	return func(c *config) error { c.extra = append(c.extra, l); return nil }
}

func checkLimit(l Limit) error {
	if l.Rate < 1 || l.Burst < 1 || l.Period <= 0 {
		return fmt.Errorf("redislimit: limit %v: Rate and Burst must be >= 1 and Period > 0", l)
	}
	return nil
}

func newLimiter(rdb redis.UniversalClient, vendor, name string, specs []spec, opts []Option) (*Limiter, error) {
	if rdb == nil {
		return nil, errors.New("redislimit: Redis client is nil")
	}
	if err := checkName(name); err != nil {
		return nil, err
	}
	cfg := config{prefix: DefaultPrefix, callTimeout: DefaultCallTimeout, recheck: DefaultRecheck}
	for _, o := range opts {
		if o == nil {
			continue
		}
		if err := o(&cfg); err != nil {
			return nil, err
		}
	}
	for _, l := range cfg.extra {
		specs = append(specs, spec{limit: l, suffix: l.Period})
	}
	if len(specs) == 0 {
		return nil, errors.New("redislimit: no limit given")
	}
	seen := map[time.Duration]bool{}
	for i := range specs {
		if err := checkLimit(specs[i].limit); err != nil {
			return nil, err
		}
		if seen[specs[i].suffix] {
			return nil, fmt.Errorf("redislimit: two limits over %s: their keys would collide", specs[i].suffix)
		}
		seen[specs[i].suffix] = true
		specs[i].key = redisKey(cfg.prefix, vendor, name, specs[i].suffix)
	}
	// Consult the slowest sustained rate first: under load it is the one
	// that says no, and a no from the first limit costs no refund.
	sort.SliceStable(specs, func(i, j int) bool { return interval(specs[i].limit) > interval(specs[j].limit) })
	l := &Limiter{name: name, specs: specs, rl: redis_rate.NewLimiter(rdb), cfg: cfg, logger: cfg.logger}
	if l.logger == nil {
		l.logger = slog.Default()
	}
	if cfg.workers > 0 {
		l.local = newLocalBucket(specs, cfg.workers)
	}
	return l, nil
}

// interval is the time between two requests at the sustained rate.
func interval(l Limit) time.Duration { return l.Period / time.Duration(l.Rate) }

// Name returns the caller-given name.
func (l *Limiter) Name() string { return l.name }

// Keys returns the Redis keys the limiter writes, with redis_rate's
// "rate:" prefix, slowest limit first.
func (l *Limiter) Keys() []string {
	out := make([]string, len(l.specs))
	for i, s := range l.specs {
		out[i] = "rate:" + s.key
	}
	return out
}

// Limits returns the limits, slowest sustained rate first.
func (l *Limiter) Limits() []Limit {
	out := make([]Limit, len(l.specs))
	for i, s := range l.specs {
		out[i] = s.limit
	}
	return out
}

// String describes the limiter: its name, limits and failure mode.
func (l *Limiter) String() string {
	parts := make([]string, len(l.specs))
	for i, s := range l.specs {
		parts[i] = s.limit.String()
	}
	mode := "fail closed"
	if l.local != nil {
		mode = fmt.Sprintf("local fallback at 1/%d", l.cfg.workers)
	}
	return fmt.Sprintf("redislimit %q: %s; %s", l.name, strings.Join(parts, " + "), mode)
}

// Stats are a limiter's counters since it was built.
type Stats struct {
	// Granted counts requests Redis let through.
	Granted int64
	// Retries counts times Redis said "not yet" and Wait slept.
	Retries int64
	// Refunds counts slots given back to a slower limit because a faster
	// one said no.
	Refunds int64
	// Fallback counts requests the local bucket let through while Redis
	// was unreachable.
	Fallback int64
	// Failures counts Redis failures (unreachable, timed out, error).
	Failures int64
}

// Stats returns the counters.
func (l *Limiter) Stats() Stats {
	return Stats{Granted: l.granted.Load(), Retries: l.retries.Load(), Refunds: l.refunds.Load(),
		Fallback: l.fallback.Load(), Failures: l.failures.Load()}
}

// Degraded reports whether the last attempt to reach Redis failed (the
// limiter is failing closed or using its local bucket).
func (l *Limiter) Degraded() bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.down
}

// Wait blocks until the shared limit lets one request through, the context
// ends, or Redis fails. When the next slot lies past the context's
// deadline it returns a *DelayError at once. When Redis is unreachable it
// returns an *UnavailableError (fail closed, the default) or waits on the
// local bucket (WithLocalFallback).
func (l *Limiter) Wait(ctx context.Context) error {
	for {
		if err := ctx.Err(); err != nil {
			return err
		}
		if l.useLocal() {
			return l.waitLocal(ctx)
		}
		delay, err := l.allow(ctx)
		if err != nil {
			if cerr := ctx.Err(); cerr != nil {
				return cerr
			}
			return l.redisFailed(ctx, err)
		}
		l.redisOK()
		if delay <= 0 {
			l.granted.Add(1)
			return nil
		}
		if dl, ok := ctx.Deadline(); ok && time.Now().Add(delay).After(dl) {
			return &DelayError{Name: l.name, Delay: delay}
		}
		l.retries.Add(1)
		if err := sleep(ctx, delay); err != nil {
			return err
		}
	}
}

// allow asks every limit for one slot, slowest first. It returns 0 when
// all granted one; otherwise how long to wait, after giving back the slots
// already taken from slower limits.
func (l *Limiter) allow(ctx context.Context) (time.Duration, error) {
	cctx, cancel := context.WithTimeout(ctx, l.cfg.callTimeout)
	defer cancel()
	for i, s := range l.specs {
		res, err := l.rl.Allow(cctx, s.key, s.limit)
		if err != nil {
			l.refund(cctx, i)
			return 0, err
		}
		if res.Allowed == 0 {
			l.refund(cctx, i)
			return max(res.RetryAfter, time.Millisecond), nil
		}
	}
	return 0, nil
}

// refund gives back the slots taken from the first n limits. A GCRA slot
// is an advance of the key's theoretical arrival time by one emission
// interval; redis_rate's AllowN with n = -1 moves it back by one, and is
// always admitted because the slot was taken moments ago. A refund that
// fails only costs throughput, never lets too many requests through.
func (l *Limiter) refund(ctx context.Context, n int) {
	for _, s := range l.specs[:n] {
		if _, err := l.rl.AllowN(ctx, s.key, s.limit, -1); err == nil {
			l.refunds.Add(1)
		}
	}
}

func sleep(ctx context.Context, d time.Duration) error {
	t := time.NewTimer(d)
	defer t.Stop()
	select {
	case <-t.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// useLocal reports whether a fallback limiter is inside its recheck
// period.
func (l *Limiter) useLocal() bool {
	if l.local == nil {
		return false
	}
	l.mu.Lock()
	defer l.mu.Unlock()
	return l.down && time.Now().Before(l.downUntil)
}

func (l *Limiter) waitLocal(ctx context.Context) error {
	if err := l.local.wait(ctx, l.name); err != nil {
		return err
	}
	l.fallback.Add(1)
	return nil
}

// redisFailed records a failure and applies the failure mode.
func (l *Limiter) redisFailed(ctx context.Context, err error) error {
	l.failures.Add(1)
	l.mu.Lock()
	first := !l.down
	l.down = true
	l.downUntil = time.Now().Add(l.cfg.recheck)
	l.mu.Unlock()
	if l.local == nil {
		if first {
			l.logger.WarnContext(ctx, "redislimit: Redis unreachable; failing closed: requests wait for Redis and return an error meanwhile",
				"name", l.name, "error", err.Error())
		}
		return &UnavailableError{Name: l.name, Err: err}
	}
	if first {
		l.local.drain(time.Now())
		l.logger.WarnContext(ctx, "redislimit: Redis unreachable; falling back to the local token bucket",
			"name", l.name, "share", fmt.Sprintf("1/%d of the shared limit", l.cfg.workers), "recheck", l.cfg.recheck.String(), "error", err.Error())
	}
	return l.waitLocal(ctx)
}

// redisOK records a successful Redis call and logs a recovery.
func (l *Limiter) redisOK() {
	l.mu.Lock()
	was := l.down
	l.down = false
	l.mu.Unlock()
	if was {
		l.logger.Info("redislimit: Redis reachable again; shared limit restored", "name", l.name)
	}
}
