package vendortest

import (
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go"
	"github.com/stretchr/testify/assert"
)

// Thirds is Each over the third request of a raw call's pacing test:
// "raw" and "typed" (subtests "third raw" and "third typed").
func Thirds(t *testing.T, body func(t *testing.T, third string)) {
	Each(t, []string{"raw", "typed"}, func(third string) string { return "third " + third }, body)
}

// Pacing is one vendor's raw call (Do) paced with its typed calls on the
// client's one limiter, in a window of 2 requests a minute: the typed
// call goes at once, the raw call is spaced behind it, and the third
// request, raw or typed, waits for the window's first slot to come free
// (a minute after the first answer).
type Pacing struct {
	// Typed is a typed call: the first request, and the third in "third
	// typed". TypedOp is its operation.
	Typed   func()
	TypedOp string
	// Raw is a raw call: the second request, and the third in "third raw"
	// unless ThirdRaw is set.
	Raw, ThirdRaw func()
	// Usage is the client's Usage.
	Usage func() creatorkit.Usage
	// RawWhere says where Raw goes when not on the typed call's host
	// (" on the other host"), and Hosts the hosts the window spans when
	// more than one ("both hosts"), as the assertions say them.
	RawWhere, Hosts string
}

// Run sends the three requests of third's run, and checks their times and
// what Usage counts under Do and TypedOp.
func (p Pacing) Run(t *testing.T, third string) {
	start := time.Now()
	p.Typed()
	assert.Less(t, time.Since(start), time.Second, "the first request goes at once")
	p.Raw()
	// The window's pacing spreads its two requests over the minute: the
	// raw call waits behind the typed one, as a second typed call would.
	assert.GreaterOrEqual(t, time.Since(start), 30*time.Second, "the raw call"+p.RawWhere+" was paced behind the typed one")
	switch {
	case third == "typed":
		p.Typed()
	case p.ThirdRaw != nil:
		p.ThirdRaw()
	default:
		p.Raw()
	}
	waited := time.Since(start)
	hosts, counted := "", ""
	if p.Hosts != "" {
		hosts, counted = " and "+p.Hosts, ", "+p.Hosts
	}
	assert.GreaterOrEqual(t, waited, 59*time.Second, "the third request waited for the window shared by both kinds"+hosts)
	assert.Less(t, waited, 2*time.Minute)
	u := p.Usage()
	assert.Equal(t, map[string]int{"raw": 2, "typed": 1}[third], int(u.Operations["Do"].Requests), "raw calls count in Usage under Do"+counted)
	assert.Positive(t, u.Operations[map[string]string{"raw": "Do", "typed": p.TypedOp}[third]].RateLimitWait)
}
