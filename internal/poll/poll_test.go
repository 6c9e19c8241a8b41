package poll

import (
	"context"
	"errors"
	"fmt"
	"testing"
	"testing/synctest"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

var fast = Config{Initial: time.Millisecond, Max: 8 * time.Millisecond, Multiplier: 2, Jitter: -1}

func TestUntilReturnsWhenDone(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		n := 0
		v, err := Until(context.Background(), "v", "Op", fast, func(context.Context) (int, Status, error) {
			n++
			return n, Status{Done: n == 4, Describe: "running"}, nil
		})
		require.NoError(t, err)
		assert.Equal(t, 4, v)
	})
}

func TestIntervalGrowsAndCaps(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var stamps []time.Time
		_, err := Until(context.Background(), "v", "Op", Config{Initial: 10 * time.Millisecond, Max: 40 * time.Millisecond, Multiplier: 2, Jitter: -1},
			func(context.Context) (int, Status, error) {
				stamps = append(stamps, time.Now())
				return 0, Status{Done: len(stamps) == 6}, nil
			})
		require.NoError(t, err)
		var gaps []time.Duration
		for i := 1; i < len(stamps); i++ {
			gaps = append(gaps, stamps[i].Sub(stamps[i-1]))
		}
		want := []time.Duration{10, 20, 40, 40, 40}
		for i, g := range gaps {
			assert.GreaterOrEqual(t, g, want[i]*time.Millisecond, "gap %d", i)
		}
	})
}

func TestServerHintWins(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var stamps []time.Time
		_, err := Until(context.Background(), "v", "Op", fast, func(context.Context) (int, Status, error) {
			stamps = append(stamps, time.Now())
			return 0, Status{Done: len(stamps) == 2, Hint: 60 * time.Millisecond}, nil
		})
		require.NoError(t, err)
		assert.GreaterOrEqual(t, stamps[1].Sub(stamps[0]), 60*time.Millisecond, "never polls faster than the server asks")

		stamps = nil
		_, err = Until(context.Background(), "v", "Op", Config{Initial: time.Millisecond, MaxHint: 20 * time.Millisecond}, func(context.Context) (int, Status, error) {
			stamps = append(stamps, time.Now())
			return 0, Status{Done: len(stamps) == 2, Hint: time.Hour}, nil
		})
		require.NoError(t, err)
		assert.Less(t, stamps[1].Sub(stamps[0]), time.Second, "a hint is capped")
	})
}

func TestTimeoutCarriesLastState(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), 50*time.Millisecond)
		defer cancel()
		n := 0
		v, err := Until(ctx, "engagecheck", "Audits.Wait", fast, func(context.Context) (int, Status, error) {
			n++
			return n, Status{Describe: "audit 142 is analyzing"}, nil
		})
		var te *TimeoutError
		require.ErrorAs(t, err, &te)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.Equal(t, "audit 142 is analyzing", te.Last)
		assert.Equal(t, n, v, "the last value comes back with the error")
		assert.Equal(t, n, te.Checks)
		assert.Contains(t, err.Error(), "engagecheck: Audits.Wait: gave up after")
	})
}

func TestLastWaitShrinksToFitBudget(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// A budget far longer than any scheduler stall on a busy machine: the
		// second check comes at 90% of it.
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		n := 0
		_, err := Until(ctx, "v", "Op", Config{Initial: time.Hour, Jitter: -1}, func(context.Context) (int, Status, error) {
			n++
			return n, Status{}, nil
		})
		require.Error(t, err)
		assert.GreaterOrEqual(t, n, 2, "a check ran near the end of the budget instead of sleeping past it")
	})
}

func TestCheckErrorStops(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		boom := errors.New("boom")
		_, err := Until(context.Background(), "v", "Op", fast, func(context.Context) (int, Status, error) { return 0, Status{}, boom })
		assert.Equal(t, boom, err)
	})
}

func TestCheckFailingOnDeadlineIsATimeout(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		n := 0
		_, err := Until(ctx, "v", "Op", fast, func(ctx context.Context) (int, Status, error) {
			n++
			if n == 3 {
				cancel()
				return 0, Status{}, ctx.Err()
			}
			return n, Status{Describe: "pending"}, nil
		})
		var te *TimeoutError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, "pending", te.Last)
	})
}

func TestIntervals(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := NewIntervals(Config{Initial: time.Second, Max: 4 * time.Second, Multiplier: 2, Jitter: -1})
		assert.Equal(t, []time.Duration{time.Second, 2 * time.Second, 4 * time.Second, 4 * time.Second}, []time.Duration{s.Next(), s.Next(), s.Next(), s.Next()})
		s.Reset()
		assert.Equal(t, time.Second, s.Next())
		for i := 0; i < 100; i++ {
			d := Jitter(time.Second, 0.2)
			require.True(t, d >= 800*time.Millisecond && d <= 1200*time.Millisecond)
		}
	})
}

func TestStrictHintIsAMinimum(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// Checks at 0, 400 and 800 ms; a fourth at 1,200 ms would not fit a
		// one-second budget, so the wait stops at about 800 ms: before the
		// deadline, with 200 ms to spare for a busy scheduler.
		ctx, cancel := context.WithTimeout(context.Background(), time.Second)
		defer cancel()
		var stamps []time.Time
		_, err := Until(ctx, "v", "Op", Config{StrictHint: true}, func(context.Context) (int, Status, error) {
			stamps = append(stamps, time.Now())
			return len(stamps), Status{Hint: 400 * time.Millisecond, Describe: "not ready"}, nil
		})
		endedEarly := ctx.Err() == nil
		var te *TimeoutError
		require.ErrorAs(t, err, &te)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		assert.True(t, len(stamps) == 2 || len(stamps) == 3, "checks: %d", len(stamps))
		for i := 1; i < len(stamps); i++ {
			assert.GreaterOrEqual(t, stamps[i].Sub(stamps[i-1]), 400*time.Millisecond, "never sooner than hinted")
		}
		assert.True(t, endedEarly, "stopped before the deadline instead of sleeping into it")

		_, err = Until(context.Background(), "v", "Op", Config{StrictHint: true, MaxHint: time.Second}, func(context.Context) (int, Status, error) {
			return 0, Status{Hint: time.Hour, Describe: "not ready"}, nil
		})
		require.ErrorAs(t, err, &te)
		assert.ErrorIs(t, err, ErrHintTooLong)
		assert.Equal(t, 1, te.Checks)
	})
}

type tempErr struct{ temp bool }

func (e tempErr) Error() string   { return "status check failed" }
func (e tempErr) Temporary() bool { return e.temp }

func TestTransientCheckErrorsAreWaitedOut(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		n := 0
		tolerant := fast
		tolerant.Tolerate = 1
		v, err := Until(context.Background(), "v", "Op", tolerant, func(context.Context) (int, Status, error) {
			n++
			if n%2 == 1 && n < 7 { // checks 1, 3 and 5 get a 429 / 5xx: never two in a row
				return 0, Status{}, fmt.Errorf("wrapped: %w", tempErr{temp: true})
			}
			return n, Status{Done: n == 8, Describe: "running"}, nil
		})
		require.NoError(t, err)
		assert.Equal(t, 8, v, "three transient failures, none in a row, did not end the wait")
	})
}

func TestNonTransientCheckErrorStops(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		n := 0
		_, err := Until(context.Background(), "v", "Op", fast, func(context.Context) (int, Status, error) {
			n++
			return 0, Status{}, tempErr{temp: false}
		})
		assert.Equal(t, tempErr{temp: false}, err)
		assert.Equal(t, 1, n)
	})
}

func TestTimeoutAfterTransientErrorsNamesThem(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		n := 0
		tolerant := fast
		tolerant.Tolerate = 10
		v, err := Until(ctx, "hypeauditor", "Reports.Wait", tolerant, func(context.Context) (int, Status, error) {
			n++
			switch {
			case n == 1:
				return 7, Status{Describe: "report is generating"}, nil
			case n == 5:
				cancel()
			}
			return 0, Status{}, tempErr{temp: true}
		})
		var te *TimeoutError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, 7, v, "the last state seen comes back, not the zero value of a failed check")
		assert.Equal(t, "report is generating", te.Last)
		assert.Equal(t, 4, te.TransientErrors)
		assert.ErrorIs(t, err, context.Canceled)
		assert.Contains(t, err.Error(), "checks failed transiently")
	})
}

// The one wait policy: at most Tolerate transient failures in a row are
// waited out; one more ends the wait with that failure (not a timeout),
// even without a deadline. An answer in between starts the count again.
func TestTransientFailuresInARowAreBounded(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		for tolerate := 0; tolerate <= 3; tolerate++ {
			cfg := fast
			cfg.Tolerate = tolerate
			n := 0
			_, err := Until(context.Background(), "v", "Op", cfg, func(context.Context) (int, Status, error) {
				n++
				return 0, Status{}, tempErr{temp: true}
			})
			assert.Equal(t, tempErr{temp: true}, err, "the failure itself, not a timeout")
			assert.Equal(t, tolerate+1, n, "Tolerate %d: %d checks", tolerate, n)
		}
		cfg := fast
		cfg.Tolerate = 1
		n := 0
		v, err := Until(context.Background(), "v", "Op", cfg, func(context.Context) (int, Status, error) {
			n++
			if n%2 == 1 && n < 9 {
				return 0, Status{}, tempErr{temp: true}
			}
			return n, Status{Done: n == 10}, nil
		})
		require.NoError(t, err, "an answer between failures starts the count again")
		assert.Equal(t, 10, v)
	})
}

// On a virtual clock a check takes no time: the wait shrunk to fit the
// deadline is followed by one last check, then the wait ends (it used to
// check forever at the deadline's last nanosecond).
func TestWaitEndsAtTheDeadlineOnAVirtualClock(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
		defer cancel()
		n := 0
		_, err := Until(ctx, "v", "Op", Config{Initial: 7 * time.Second, Multiplier: 1, Jitter: -1}, func(context.Context) (int, Status, error) {
			n++
			return n, Status{Describe: "running"}, nil
		})
		var te *TimeoutError
		require.ErrorAs(t, err, &te)
		assert.Equal(t, 10, n, "checks at 0, 7, ... 56 s, then one in the last 4 s")
	})
}
