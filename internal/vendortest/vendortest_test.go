package vendortest

import (
	"sync"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go"
	"github.com/stretchr/testify/assert"
)

func TestRetriesRunsEveryCountInABubble(t *testing.T) {
	var mu sync.Mutex
	seen := map[string]int{}
	t.Cleanup(func() { // after the parallel subtests
		assert.Equal(t, map[string]int{"group/retries=0": 0, "group/retries=2": 2}, seen)
	})
	t.Run("group", func(t *testing.T) {
		Retries(t, "retries=%d", []int{0, 2}, func(t *testing.T, retries int) {
			time.Sleep(time.Hour) // virtual: the bubble's clock
			mu.Lock()
			seen[t.Name()[len("TestRetriesRunsEveryCountInABubble/"):]] = retries
			mu.Unlock()
		})
	})
}

// A limiter that spaces requests 30 s apart passes the pacing test with
// either third request.
func TestPacingOnASpacedLimiter(t *testing.T) {
	Thirds(t, func(t *testing.T, third string) {
		next := time.Now()
		var u creatorkit.Usage
		u.Operations = map[string]creatorkit.OperationUsage{}
		send := func(op string) func() {
			return func() {
				o := u.Operations[op]
				if wait := time.Until(next); wait > 0 {
					time.Sleep(wait)
					o.RateLimitWait += wait
				}
				next = time.Now().Add(30 * time.Second)
				o.Requests++
				u.Operations[op] = o
			}
		}
		Pacing{Typed: send("Get"), TypedOp: "Get", Raw: send("Do"), Usage: func() creatorkit.Usage { return u }}.Run(t, third)
	})
}
