package transport

import (
	"context"
	"net/http"
	"testing"
	"testing/synctest"
	"time"

	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Three hosts, two of them the same: two Clients on one limiter; Usage
// counts each Client once, and RateLimit is the latest any host reported.
func TestPerHostClients(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		mt := httpmock.NewMockTransport()
		mt.RegisterResponder("GET", "https://a.example/x", status(200, `{}`, "X-RateLimit-Limit", "10", "X-RateLimit-Remaining", "9"))
		mt.RegisterResponder("GET", "https://b.example/x", status(200, `{}`, "X-RateLimit-Limit", "10", "X-RateLimit-Remaining", "3"))
		s := Defaults("v", "https://unused.example")
		s.HTTPClient = &http.Client{Transport: mt}
		byHost, all, err := NewPerHost(s, "https://a.example", "https://b.example", "https://a.example")
		require.NoError(t, err)
		require.Len(t, byHost, 3)
		assert.Same(t, byHost[0], byHost[2])
		assert.Equal(t, []*Client{byHost[0], byHost[1]}, all)
		assert.True(t, byHost[0].limiter == byHost[1].limiter, "one limiter for every host")
		assert.False(t, LatestRateLimit(all...).Known)

		for _, c := range byHost {
			time.Sleep(time.Second) // each answer observed later than the one before
			_, err := c.Do(context.Background(), Request{Op: "Get", Method: "GET", Path: "x"}, nil)
			require.NoError(t, err)
		}
		u := TotalUsage(byHost...)
		assert.EqualValues(t, 3, u.Requests, "each Client counted once")
		assert.EqualValues(t, 3, u.Operations["Get"].Requests)
		assert.Equal(t, 9, LatestRateLimit(byHost[1], byHost[0]).Remaining, "host a answered last")
		assert.Equal(t, byHost[0].Usage(), TotalUsage(byHost[0]))

		_, _, err = NewPerHost(s, "https://a.example", "not a url")
		assert.Error(t, err)
	})
}
