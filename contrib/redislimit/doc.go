// Package redislimit is a rate limiter kept in Redis, so that several
// processes using one API key (pods, cron jobs, queue consumers) share the
// vendor's per-key limit instead of each pacing itself as if it were alone.
//
// Vendors count requests per key: EngageCheck allows 60 a minute, influData
// 2 a second and 60 a minute on a trial key (25 a second and 1,000 a minute
// in production), HypeAuditor fewer than 100 a minute. Four workers that
// each pace themselves at 60 a minute send 240. A *Limiter keeps the pace in
// Redis with the GCRA algorithm of github.com/go-redis/redis_rate, so all of
// them together stay under the key's limit.
//
// A *Limiter implements the SDK's limiter interface (Wait(ctx) error) and
// plugs into every vendor client through its WithLimiter option:
//
//	rdb := redis.NewClient(&redis.Options{Addr: "redis:6379"})
//	lim, err := redislimit.EngageCheck(rdb, "agency-main")
//	if err != nil { ... }
//	c, err := engagecheck.NewClient(engagecheck.WithLimiter(lim))
//
// Give every process that uses the same API key the same name. The name,
// never the key, goes into Redis ("rate:creatorkit:engagecheck:agency-main:1m0s");
// HashedName derives a name from the key when no name is at hand, and only
// a truncated SHA-256 of the key lands in Redis then.
//
// # Pacing
//
// The vendor constructors (EngageCheck, InfluDataTrial, InfluDataProduction,
// HypeAuditor) turn each documented window into a GCRA limit with the same
// 5% reserve the SDK's own client-side limiter keeps (see SafetyMargin and
// WindowLimit): no window of the vendor's length sees more than N requests
// in total, and a saturated key runs at about 95% of its limit. New takes a
// limit of your own (rate, burst, period); WithLimit adds more limits that
// must all hold, as influData's two windows do.
//
// Waits are context-aware: when Redis says the next slot is d away, Wait
// sleeps d or until the context ends, and when the slot lies past the
// context's deadline it fails at once with a *DelayError.
//
// # When Redis is unreachable
//
// By default the limiter fails closed: Wait returns an *UnavailableError
// (errors.Is(err, ErrRedisUnavailable)) that says Redis is unreachable and
// that nothing was sent. WithLocalFallback(workers) instead falls back to a
// local token bucket (golang.org/x/time/rate) paced at 1/workers of the
// shared limit, so that the workers together still stay under it; the
// limiter logs that it did (WithLogger), retries Redis every few seconds
// (WithRecheck) and logs again when the shared limit is restored.
//
// The SDK's clients never send a request the limiter did not grant. An
// *UnavailableError is retried within the client's MaxRetries and backoff
// (a blink of Redis heals itself), then comes back in the chain of the
// client's *Error (errors.Is(err, ErrRedisUnavailable)); a *DelayError is
// final and makes the error ErrRateLimited with Error.RetryAfter set to
// the wait.
//
// Each Redis call is bounded by WithCallTimeout (1 s). go-redis's own
// settings decide how fast an outage is noticed: by default it dials 5
// times, 100 ms apart, before giving up on a refused connection, and it
// applies the context's deadline to reads only with ContextTimeoutEnabled.
// For a limiter that fails (or falls back) quickly, use for example
//
//	redis.NewClient(&redis.Options{Addr: addr, DialerRetries: 1, ContextTimeoutEnabled: true})
//
// Package redistest starts a throwaway redis-server for tests and examples.
package redislimit
