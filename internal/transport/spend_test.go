package transport

import (
	"context"
	"net/http"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/internal/limit"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chargingServer charges one unit for every request it handles and, when
// drop says so, closes the connection instead of answering: the charge
// stays, the answer is lost. Connections are kept alive between answers,
// so later requests go out on reused connections.
type chargingServer struct {
	*fake.Server
	charged atomic.Int64
	handled atomic.Int64
	drop    func(n int64) bool
}

func newChargingServer(t *testing.T, drop func(n int64) bool) *chargingServer {
	s := &chargingServer{drop: drop}
	s.Server = fake.NewBare("charging", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		n := s.handled.Add(1)
		s.charged.Add(1)
		if s.drop(n) {
			conn, _, err := w.(http.Hijacker).Hijack()
			if err == nil {
				conn.Close()
			}
			return
		}
		w.Header().Set("Content-Type", "application/json")
		_, _ = w.Write([]byte(`{"ok":true}`))
	}))
	t.Cleanup(s.Close)
	return s
}

func newServerClient(t *testing.T, srv *chargingServer, opts ...Option) *Client {
	t.Helper()
	s := Defaults("testvendor", srv.URL)
	s.Unit = "credits"
	s.Auth = Bearer(secret)
	s.RetryWaitMin, s.RetryWaitMax = time.Millisecond, 2*time.Millisecond
	s.Limiter = limit.Unlimited()
	s.HTTPClient = srv.HTTPClient() // in memory, with keep-alive: a later request reuses the connection
	require.NoError(t, Apply(&s, opts))
	c, err := New(s)
	require.NoError(t, err)
	return c
}

// A paid call whose answer is lost after the vendor charged it is never
// sent again, by the SDK or by net/http behind its back (net/http resends
// a GET, or any request with an Idempotency-Key header, when a reused
// keep-alive connection fails under it): the vendor charges once, and
// Usage brackets the charge.
func TestPaidCallIsNeverResentByNetHTTP(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		name   string
		method string
		key    string
	}{
		{"GET", "GET", ""},
		{"POST with an Idempotency-Key", "POST", "key-1"},
		{"POST", "POST", ""},
	} {
		for _, reused := range []bool{true, false} {
			name := tc.name + map[bool]string{true: ", reused connection", false: ", fresh connection"}[reused]
			t.Run(name, func(t *testing.T) {
				t.Parallel()
				// Request 1 warms a keep-alive connection (when reused);
				// the paid request after it is charged and its answer lost.
				paidAt := int64(1)
				if reused {
					paidAt = 2
				}
				srv := newChargingServer(t, func(n int64) bool { return n == paidAt })
				c := newServerClient(t, srv)
				if reused {
					_, err := c.Do(context.Background(), Request{Op: "Warm", Method: "GET", Path: "warm"}, nil)
					require.NoError(t, err)
					srv.charged.Store(0)
				}
				var body any
				if tc.method == "POST" {
					body = map[string]string{"username": "natgeo"}
				}
				_, err := c.Do(context.Background(), Request{Op: "Paid", Method: tc.method, Path: "paid", Body: body,
					IdempotencyKey: tc.key, Spend: Spend{Cost: 1}}, nil)
				require.ErrorIs(t, err, ErrOutcomeUnknown)
				assert.Equal(t, int64(1), srv.charged.Load(), "charged once: never resent")
				u := c.Usage()
				op := u.Operations["Paid"]
				assert.Equal(t, int64(1), op.Requests)
				assert.Zero(t, op.Spent)
				assert.Equal(t, int64(1), op.SpentUnknown, "the lost answer may have been charged")
				assert.LessOrEqual(t, u.Spent, srv.charged.Load())
				assert.LessOrEqual(t, srv.charged.Load(), u.Spent+u.SpentUnknown)
			})
		}
	}
}

// A free GET whose reused connection fails is still resent (by net/http
// or by the SDK): it costs nothing, and the answer is worth having.
func TestFreeGETIsAskedAgain(t *testing.T) {
	t.Parallel()
	srv := newChargingServer(t, func(n int64) bool { return n == 2 })
	c := newServerClient(t, srv)
	for range 2 {
		_, err := c.Do(context.Background(), Request{Op: "List", Method: "GET", Path: "list"}, nil)
		require.NoError(t, err)
	}
	assert.Equal(t, int64(3), srv.handled.Load())
	u := c.Usage()
	assert.Equal(t, int64(3), u.Requests, "the copy net/http or the SDK sent counts")
	assert.Equal(t, int64(2), u.Calls)
	assert.Zero(t, u.Spent+u.SpentUnknown)
}

func TestUsageCountsAndSettlesSpend(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, func(s *Settings) error { s.Unit = "tokens"; return nil })
	mt.RegisterResponder("GET", "https://api.example.com/v1/profile", sequence(
		status(429, `{}`, "Retry-After", "0"),
		status(200, `{"tokensDeducted":20}`)))
	mt.RegisterResponder("GET", "https://api.example.com/v1/queued", status(201, `{}`))
	mt.RegisterResponder("GET", "https://api.example.com/v1/broken", status(400, `{}`))
	charged := func(a Answer) Charge { // influData's rule: tokensDeducted, and nothing on a 201
		if a.Status == 201 {
			return Charge{}
		}
		n, _ := (*a.Out.(*map[string]any))["tokensDeducted"].(float64)
		return Charge{Spent: int64(n)}
	}
	ctx := context.Background()
	var out map[string]any
	_, err := c.Do(ctx, Request{Op: "Profiles.Get", Method: "GET", Path: "profile", Spend: Spend{Cost: 20, Charged: charged}}, &out)
	require.NoError(t, err)
	_, err = c.Do(ctx, Request{Op: "Profiles.Get", Method: "GET", Path: "queued", Spend: Spend{Cost: 20, Charged: charged}}, &out)
	require.NoError(t, err)
	_, err = c.Do(ctx, Request{Op: "Profiles.Get", Method: "GET", Path: "broken", Spend: Spend{Cost: 20}}, nil)
	require.ErrorIs(t, err, ErrInvalidParams)
	_, err = c.Do(ctx, Request{Op: "Free", Method: "GET", Path: "queued"}, nil)
	require.NoError(t, err)

	u := c.Usage()
	assert.Equal(t, "tokens", u.Unit)
	assert.Equal(t, int64(4), u.Calls)
	assert.Equal(t, int64(5), u.Requests)
	assert.Equal(t, int64(1), u.Retries)
	assert.Equal(t, int64(1), u.RateLimited)
	assert.Equal(t, int64(20), u.Spent, "429 and 400 charge nothing, 201 nothing, 200 what it reports")
	assert.Zero(t, u.SpentUnknown)
	p := u.Operations["Profiles.Get"]
	assert.Equal(t, creatorkit.OperationUsage{Calls: 3, Requests: 4, Retries: 1, RateLimited: 1, Unit: "tokens", Spent: 20,
		RateLimitWait: p.RateLimitWait}, p)
	assert.Equal(t, "", u.Operations["Free"].Unit)

	before := u
	_, err = c.Do(ctx, Request{Op: "Profiles.Get", Method: "GET", Path: "profile", Spend: Spend{Cost: 20, Charged: charged}}, &out)
	require.NoError(t, err)
	d := c.Usage().Sub(before)
	assert.Equal(t, int64(1), d.Calls)
	assert.Equal(t, int64(20), d.Spent)
	assert.Len(t, d.Operations, 1)

	c.Refund("Profiles.Get", "", 20)
	assert.Equal(t, int64(20), c.Usage().Spent)
}

func TestBudgetRefusesBeforeSendingAndIsShared(t *testing.T) {
	t.Parallel()
	b := creatorkit.NewBudget(5)
	c1, mt1 := newMockClient(t, func(s *Settings) error { s.Unit = "credits"; return nil }, WithBudget("", b))
	c2, mt2 := newMockClient(t, func(s *Settings) error { s.Unit = "credits"; return nil }, WithBudget("", b))
	for _, mt := range []*httpmock.MockTransport{mt1, mt2} {
		mt.RegisterResponder("POST", "https://api.example.com/v1/audits", status(201, `{}`))
	}
	ctx := context.Background()
	var wg sync.WaitGroup
	var ok, refused atomic.Int32
	for i := range 20 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			c := []*Client{c1, c2}[i%2]
			_, err := c.Do(ctx, Request{Op: "Audits.Create", Method: "POST", Path: "audits", Body: map[string]int{"i": i}, Spend: Spend{Cost: 1}}, nil)
			switch {
			case err == nil:
				ok.Add(1)
			case assert.ErrorIs(t, err, ErrBudgetExceeded):
				refused.Add(1)
				assert.NotContains(t, err.Error(), "POST", "nothing was sent")
			}
		}()
	}
	wg.Wait()
	assert.Equal(t, int32(5), ok.Load())
	assert.Equal(t, int32(15), refused.Load())
	assert.Equal(t, 5, mt1.GetTotalCallCount()+mt2.GetTotalCallCount(), "no request for a refused call")
	assert.Equal(t, int64(5), b.Used())
	assert.Zero(t, b.Remaining())
	assert.Equal(t, int64(5), c1.Usage().Spent+c2.Usage().Spent)

	c1.Refund("Audits.Create", "", 1)
	assert.Equal(t, int64(1), b.Remaining(), "a refund frees budget")
}

// A lost answer's cost stays charged against the budget.
func TestBudgetKeepsUnknownSpend(t *testing.T) {
	t.Parallel()
	b := creatorkit.NewBudget(3)
	srv := newChargingServer(t, func(int64) bool { return true })
	c := newServerClient(t, srv, WithBudget("", b))
	_, err := c.Do(context.Background(), Request{Op: "Paid", Method: "POST", Path: "x", Body: map[string]int{}, Spend: Spend{Cost: 2}}, nil)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, int64(2), b.Used())
	_, err = c.Do(context.Background(), Request{Op: "Paid", Method: "POST", Path: "x", Body: map[string]int{}, Spend: Spend{Cost: 2}}, nil)
	require.ErrorIs(t, err, ErrBudgetExceeded)
	assert.Equal(t, int64(1), srv.handled.Load())
}

func TestWithBudgetNeedsAUnit(t *testing.T) {
	s := Defaults("free", "https://x.example")
	err := WithBudget("", creatorkit.NewBudget(1))(&s)
	assert.ErrorIs(t, err, ErrInvalidParams)
	assert.ErrorIs(t, WithBudget("credits", nil)(&s), ErrInvalidParams)
}

// A pace group's windows pace only the requests that name it.
func TestPaceWindows(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, WithPaceWindows("discovery", Window{N: 2, Per: time.Hour}))
	mt.RegisterResponder("GET", "https://api.example.com/v1/d", status(200, `{}`))
	ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
	defer cancel()
	for range 2 {
		_, err := c.Do(ctx, Request{Op: "Search", Method: "GET", Path: "d", Pace: "discovery"}, nil)
		require.NoError(t, err)
	}
	for range 5 {
		_, err := c.Do(ctx, Request{Op: "Other", Method: "GET", Path: "d"}, nil)
		require.NoError(t, err, "other calls are not held by the group")
	}
	_, err := c.Do(ctx, Request{Op: "Search", Method: "GET", Path: "d", Pace: "discovery"}, nil)
	require.ErrorIs(t, err, ErrRateLimited, "the third search of the hour would wait past the deadline")
	var e *Error
	require.ErrorAs(t, err, &e)
	assert.Greater(t, e.RetryAfter, 50*time.Minute, "2 an hour, both at once: the next an hour after the first answer")
	assert.Equal(t, 7, mt.GetTotalCallCount())
}

func TestResolveMovesUnknownSpend(t *testing.T) {
	t.Parallel()
	b := creatorkit.NewBudget(10)
	srv := newChargingServer(t, func(int64) bool { return true })
	c := newServerClient(t, srv, WithBudget("", b))
	_, err := c.Do(context.Background(), Request{Op: "Batch", Method: "POST", Path: "x", Body: map[string]int{}, Spend: Spend{Cost: 3}}, nil)
	require.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, int64(3), c.Usage().SpentUnknown)
	// A reconcile path found two of the three charged, one never made.
	c.Resolve("Batch", "", 2, 1)
	u := c.Usage()
	assert.Equal(t, int64(2), u.Spent)
	assert.Zero(t, u.SpentUnknown)
	assert.Equal(t, int64(2), u.Operations["Batch"].Spent)
	assert.Equal(t, int64(2), b.Used(), "the uncharged one is given back")
	c.Resolve("Batch", "", 5, 5)
	assert.Equal(t, int64(2), c.Usage().Spent, "never more than was unknown")
}

// A paid call answered 2xx with a body the SDK cannot use was acted on:
// its cost is unknown, not nothing.
func TestUnreadablePaidAnswerIsUnknownSpend(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, func(s *Settings) error { s.Unit = "credits"; return nil })
	mt.RegisterResponder("POST", "https://api.example.com/v1/audits", status(201, `{"id":"not-a-number"}`))
	var out struct {
		ID int64 `json:"id" creatorkit:"control"`
	}
	_, err := c.Do(context.Background(), Request{Op: "Audits.Create", Method: "POST", Path: "audits", Body: map[string]string{}, Spend: Spend{Cost: 1}}, &out)
	require.ErrorIs(t, err, ErrUnexpectedResponse)
	assert.ErrorIs(t, err, ErrOutcomeUnknown)
	assert.Equal(t, int64(1), c.Usage().SpentUnknown)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

// SumUsage adds two clients' snapshots, per operation and in the totals,
// without touching the first's map.
func TestSumUsage(t *testing.T) {
	a := Usage{Calls: 2, Requests: 3, Retries: 1, RateLimited: 1, RateLimitWait: time.Second, Unit: "credits", Spent: 1, SpentUnknown: 1,
		Operations: map[string]OperationUsage{"A.Get": {Calls: 2, Requests: 3, Retries: 1, RateLimited: 1, RateLimitWait: time.Second, Unit: "credits", Spent: 1, SpentUnknown: 1}}}
	b := Usage{Calls: 3, Requests: 4, Retries: 1, RateLimitWait: time.Second, Unit: "credits", Spent: 2,
		Operations: map[string]OperationUsage{
			"A.Get":    {Calls: 1, Requests: 1, Unit: "credits", Spent: 2},
			"B.Create": {Calls: 2, Requests: 3, Retries: 1, RateLimitWait: time.Second},
		}}
	before := a.Clone()
	s := SumUsage(a, b)
	assert.Equal(t, Usage{Calls: 5, Requests: 7, Retries: 2, RateLimited: 1, RateLimitWait: 2 * time.Second, Unit: "credits", Spent: 3, SpentUnknown: 1,
		Operations: map[string]OperationUsage{
			"A.Get":    {Calls: 3, Requests: 4, Retries: 1, RateLimited: 1, RateLimitWait: time.Second, Unit: "credits", Spent: 3, SpentUnknown: 1},
			"B.Create": {Calls: 2, Requests: 3, Retries: 1, RateLimitWait: time.Second},
		}}, s)
	assert.Equal(t, before, a, "a's map is not modified")
	assert.Equal(t, b.Operations, SumUsage(Usage{}, b).Operations)
}
