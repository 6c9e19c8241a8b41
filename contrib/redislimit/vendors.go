package redislimit

import (
	"math"
	"time"

	"github.com/go-redis/redis_rate/v10"
	"github.com/redis/go-redis/v9"
)

// Limit is one GCRA limit: Rate requests per Period, with bursts of up to
// Burst requests when the key has been idle. It is redis_rate's type, so
// redis_rate.PerSecond and friends work too (but their Burst equals Rate:
// set it lower to keep sliding windows safe, see WindowLimit).
type Limit = redis_rate.Limit

// Window is a vendor's documented budget: N requests per Per.
type Window struct {
	N   int
	Per time.Duration
}

// SafetyMargin is the share of each documented window the vendor
// constructors keep in reserve, the same 5% as the SDK's own client-side
// limiter (transport.SafetyMargin): vendors count requests in sliding
// windows on their own clock, and pacing at exactly the limit lets jitter
// push the (N+1)-th request into a window.
const SafetyMargin = 1.0 / marginDen

const marginDen = 20 // 1/SafetyMargin, so rates stay integers

// WindowLimit turns a documented window into a GCRA limit that never lets
// more than N requests into any window of length Per: a sustained rate of
// N*(1-SafetyMargin) per Per and a burst of max(1, floor(N*SafetyMargin)).
// EngageCheck's 60 a minute becomes 57 a minute with a burst of 3.
func WindowLimit(w Window) Limit {
	burst := max(1, int(math.Floor(float64(w.N)*SafetyMargin)))
	// N*(1-1/20) per Per == N*19 per 20*Per, reduced to the smallest
	// integer rate.
	num, per := w.N*(marginDen-1), marginDen
	g := gcd(num, per)
	return Limit{Rate: num / g, Period: w.Per * time.Duration(per/g), Burst: burst}
}

func gcd(a, b int) int {
	for b != 0 {
		a, b = b, a%b
	}
	if a == 0 {
		return 1
	}
	return a
}

// Documented per-key windows of each vendor.
var (
	// EngageCheckWindow: 60 requests a minute per key.
	EngageCheckWindow = Window{N: 60, Per: time.Minute}
	// InfluDataTrialWindows: 2 a second and 60 a minute on a trial key.
	InfluDataTrialWindows = []Window{{N: 2, Per: time.Second}, {N: 60, Per: time.Minute}}
	// InfluDataProductionWindows: 25 a second and 1,000 a minute.
	InfluDataProductionWindows = []Window{{N: 25, Per: time.Second}, {N: 1000, Per: time.Minute}}
	// HypeAuditorWindow: HypeAuditor documents "less than 100 per minute"
	// (its docs say RPS but mean requests a minute), taken as 99 a minute.
	HypeAuditorWindow = Window{N: 99, Per: time.Minute}
)

// EngageCheck returns a limiter for EngageCheck's 60 requests a minute per
// key, shared by every process that passes the same name.
func EngageCheck(rdb redis.UniversalClient, name string, opts ...Option) (*Limiter, error) {
	return ForWindows(rdb, "engagecheck", name, []Window{EngageCheckWindow}, opts...)
}

// InfluDataTrial returns a limiter for an influData trial key: 2 requests
// a second and 60 a minute, both enforced.
func InfluDataTrial(rdb redis.UniversalClient, name string, opts ...Option) (*Limiter, error) {
	return ForWindows(rdb, "infludata", name, InfluDataTrialWindows, opts...)
}

// InfluDataProduction returns a limiter for an influData production key:
// 25 requests a second and 1,000 a minute, both enforced. (influData also
// caps a key at 10 connections; that is the client's MaxConcurrency, not a
// rate.)
func InfluDataProduction(rdb redis.UniversalClient, name string, opts ...Option) (*Limiter, error) {
	return ForWindows(rdb, "infludata", name, InfluDataProductionWindows, opts...)
}

// HypeAuditor returns a limiter for HypeAuditor's fewer than 100 requests
// a minute (taken as 99).
func HypeAuditor(rdb redis.UniversalClient, name string, opts ...Option) (*Limiter, error) {
	return ForWindows(rdb, "hypeauditor", name, []Window{HypeAuditorWindow}, opts...)
}

// ForWindows returns a limiter that keeps each documented window (see
// WindowLimit) for a vendor's key. vendor is part of the Redis key, so one
// name can be used for keys of different vendors. Use it for a raised or
// negotiated limit, e.g. ForWindows(rdb, "engagecheck", "agency",
// []Window{{N: 300, Per: time.Minute}}).
func ForWindows(rdb redis.UniversalClient, vendor, name string, windows []Window, opts ...Option) (*Limiter, error) {
	specs := make([]spec, 0, len(windows))
	for _, w := range windows {
		specs = append(specs, spec{limit: WindowLimit(w), suffix: w.Per})
	}
	return newLimiter(rdb, vendor, name, specs, opts)
}

// New returns a limiter for a limit of your own: Rate requests per Period
// with bursts of up to Burst, shared by every process that passes the same
// name. Add further limits with WithLimit. Mind that a Burst above 1 lets
// up to Burst + Rate requests into one Period; WindowLimit derives a limit
// that keeps a sliding window.
func New(rdb redis.UniversalClient, name string, l Limit, opts ...Option) (*Limiter, error) {
	return newLimiter(rdb, "", name, []spec{{limit: l, suffix: l.Period}}, opts)
}
