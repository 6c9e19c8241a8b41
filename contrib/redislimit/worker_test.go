package redislimit_test

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"log/slog"
	"os"
	"strconv"
	"time"

	"github.com/creatorkit/creatorkit-go/contrib/redislimit"
	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/redis/go-redis/v9"
)

// childEnv marks a re-executed test binary as a worker process; the other
// child* variables carry its job.
const (
	childEnv       = "REDISLIMIT_CHILD"
	childRedis     = "REDISLIMIT_CHILD_REDIS"
	childBaseURL   = "REDISLIMIT_CHILD_BASE_URL"
	childKey       = "REDISLIMIT_CHILD_KEY"
	childWindowN   = "REDISLIMIT_CHILD_WINDOW_N"
	childWindowPer = "REDISLIMIT_CHILD_WINDOW_PER"
	childStart     = "REDISLIMIT_CHILD_START"
	childEnd       = "REDISLIMIT_CHILD_END"
)

// job is what one worker does: audit handles against an EngageCheck (the
// fake) through a limiter shared in Redis, from start until end.
type job struct {
	ID         string
	RedisAddr  string
	BaseURL    string
	APIKey     string
	Window     redislimit.Window // scaled to the fake's time
	Start, End time.Time
	Options    []redislimit.Option
	MaxRetries int
	// StopOnUnavailable ends the worker at its first Redis-unavailable
	// error (the fail-closed test).
	StopOnUnavailable bool
}

// result is what a worker saw.
type result struct {
	OK          int      `json:"ok"`
	Limited     int      `json:"limited"`     // 429s that reached the caller
	Late        int      `json:"late"`        // the next slot was after End
	Unavailable int      `json:"unavailable"` // errors.Is(err, ErrRedisUnavailable)
	Errors      []string `json:"errors"`
	Stats       redislimit.Stats
}

// runJob audits handles w<ID>-<n> until End.
func runJob(ctx context.Context, j job, lim *redislimit.Limiter) result {
	var r result
	c, err := engagecheck.NewClient(engagecheck.WithBaseURL(j.BaseURL), engagecheck.WithAPIKey(j.APIKey),
		engagecheck.WithMaxRetries(j.MaxRetries), engagecheck.WithRetryWait(5*time.Millisecond, 50*time.Millisecond),
		engagecheck.WithLimiter(lim))
	if err != nil {
		r.Errors = append(r.Errors, err.Error())
		return r
	}
	ctx, cancel := context.WithDeadline(ctx, j.End)
	defer cancel()
	if err := sleepUntil(ctx, j.Start); err != nil {
		r.Errors = append(r.Errors, err.Error())
		return r
	}
	for n := 0; ctx.Err() == nil; n++ {
		_, err := c.Audits.Create(ctx, engagecheck.CreateAuditParams{Username: fmt.Sprintf("w%s_%d", j.ID, n)})
		var ae *engagecheck.Error
		switch {
		case err == nil:
			r.OK++
		case errors.As(err, &ae) && ae.StatusCode == 429:
			r.Limited++
		case errors.Is(err, redislimit.ErrRedisUnavailable):
			r.Unavailable++
			if j.StopOnUnavailable {
				r.Stats = lim.Stats()
				return r
			}
		case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
			r.Late++ // the slot, or the answer, came after End (or the test ended the run)
		default:
			r.Errors = append(r.Errors, err.Error())
		}
	}
	r.Stats = lim.Stats()
	return r
}

func sleepUntil(ctx context.Context, t time.Time) error {
	tm := time.NewTimer(time.Until(t))
	defer tm.Stop()
	select {
	case <-tm.C:
		return nil
	case <-ctx.Done():
		return ctx.Err()
	}
}

// jobEnv encodes a job for a child process.
func jobEnv(j job) []string {
	return []string{
		childEnv + "=" + j.ID,
		childRedis + "=" + j.RedisAddr,
		childBaseURL + "=" + j.BaseURL,
		childKey + "=" + j.APIKey,
		childWindowN + "=" + strconv.Itoa(j.Window.N),
		childWindowPer + "=" + j.Window.Per.String(),
		childStart + "=" + strconv.FormatInt(j.Start.UnixNano(), 10),
		childEnd + "=" + strconv.FormatInt(j.End.UnixNano(), 10),
	}
}

// childMain is a worker process: it reads its job from the environment,
// runs it with its own Redis connection and prints the result as JSON.
func childMain() int {
	n, err1 := strconv.Atoi(os.Getenv(childWindowN))
	per, err2 := time.ParseDuration(os.Getenv(childWindowPer))
	start, err3 := strconv.ParseInt(os.Getenv(childStart), 10, 64)
	end, err4 := strconv.ParseInt(os.Getenv(childEnd), 10, 64)
	if err := errors.Join(err1, err2, err3, err4); err != nil {
		fmt.Fprintln(os.Stderr, "bad child job:", err)
		return 2
	}
	j := job{ID: os.Getenv(childEnv), RedisAddr: os.Getenv(childRedis), BaseURL: os.Getenv(childBaseURL),
		APIKey: os.Getenv(childKey), Window: redislimit.Window{N: n, Per: per},
		Start: time.Unix(0, start), End: time.Unix(0, end)}
	rdb := redis.NewClient(&redis.Options{Addr: j.RedisAddr})
	defer rdb.Close()
	lim, err := redislimit.New(rdb, "shared-test", redislimit.WindowLimit(j.Window),
		redislimit.WithLogger(slog.New(slog.NewTextHandler(io.Discard, nil))))
	if err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	r := runJob(context.Background(), j, lim)
	if err := json.NewEncoder(os.Stdout).Encode(r); err != nil {
		fmt.Fprintln(os.Stderr, err)
		return 2
	}
	return 0
}
