package firstparty_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/firstparty/firstpartytest"
	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// First Party charges nothing per call: WithBudget is refused, clearly,
// instead of accepting a cap that would never cap anything.
func TestWithBudgetIsRefused(t *testing.T) {
	t.Setenv("FIRSTPARTY_TOKEN", "")
	_, err := firstparty.NewClient(firstparty.WithToken(testToken), firstparty.WithBudget(firstparty.NewBudget(10)))
	require.ErrorIs(t, err, firstparty.ErrInvalidParams)
	assert.Contains(t, err.Error(), "charges nothing per call")
	_, err = firstparty.NewClient(firstparty.WithToken(testToken), firstparty.WithBudget(nil))
	require.ErrorIs(t, err, firstparty.ErrInvalidParams)

	c, _ := newMockClient(t)
	u := c.Usage()
	assert.Empty(t, u.Unit)
	assert.Zero(t, u.Requests)
}

// connClient returns an http.Client to the fake on a transport of its own
// (a clone of the fake's, closed when the test ends), keeping a
// connection alive between requests (reused) or not.
func connClient(t testing.TB, srv *firstpartytest.Server, reused bool) (*http.Client, *vendortest.ConnLog) {
	return vendortest.ConnClient(t, srv.HTTPClient(), reused)
}

var connModes = []struct {
	name   string
	reused bool
}{{"reused connection", true}, {"fresh connection", false}}

type roundTripFunc func(*http.Request) (*http.Response, error)

func (f roundTripFunc) RoundTrip(r *http.Request) (*http.Response, error) { return f(r) }

// clientRequests is what the fake saw from the client: every route but
// the connect page, which the creator's browser loads.
func clientRequests(s firstpartytest.Snapshot) int {
	return s.TotalRequests() - s.Requests[firstpartytest.RouteConnect]
}

// startAndConnect runs Start and the creator's visit to the connect page,
// and returns the callback's state and token.
func startAndConnect(t *testing.T, srv *firstpartytest.Server, flow *firstparty.ConnectFlow) (state, token string) {
	t.Helper()
	v, err := flow.Start(testCtx(t), firstparty.StartParams{Platform: firstparty.Instagram})
	require.NoError(t, err)
	loc, err := srv.Connect(v.RedirectURL)
	require.NoError(t, err)
	u, err := url.Parse(loc)
	require.NoError(t, err)
	return u.Query().Get("state"), u.Query().Get("token")
}

// Verify Creator's answer lost after Ylytic verified the creator: the
// request is not resent, by the transport or by net/http, on a reused or
// a fresh connection; Verify reports ErrOutcomeUnknown. ConnectFlow's
// Complete then asks again, deliberately, with the same state and token,
// and the fake's answer to the repeat (the same creator) completes the
// flow: one creator verified, every request counted. Create Verification
// URL, keyed by the state, is safe to repeat and is retried.
func TestVerifyLostAnswerIsNotResent(t *testing.T) {
	t.Parallel()
	for _, mode := range connModes {
		t.Run(mode.name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) { verifyLostAnswerIsNotResent(t, mode.reused) })
		})
	}
}

func verifyLostAnswerIsNotResent(t *testing.T, reused bool) {
	srv := fastFake(t, firstpartytest.WithTokenTTL(time.Hour))
	hc, log := connClient(t, srv, reused)
	var verifies atomic.Int32
	var dropFirst atomic.Bool // drop the answer to the next verify only
	hc.Transport = roundTripFunc(func(r *http.Request) (*http.Response, error) {
		if strings.HasSuffix(r.URL.Path, "/first_party/verify") && verifies.Add(1) > 0 && dropFirst.CompareAndSwap(true, false) {
			srv.SetFaults(firstpartytest.Faults{Routes: []string{firstpartytest.RouteVerify}, DropAfterRate: 1})
			defer srv.SetFaults(firstpartytest.Faults{})
		}
		return log.RoundTrip(r)
	})
	c, err := srv.NewClient(firstparty.WithHTTPClient(hc))
	require.NoError(t, err)
	flow, err := firstparty.NewConnectFlow(c, firstparty.ConnectConfig{RedirectURL: "https://app.example/callback"})
	require.NoError(t, err)

	// The lower-level call: sent once, outcome unknown.
	state, token := startAndConnect(t, srv, flow) // warms the connection
	dropFirst.Store(true)
	_, err = c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: state, Token: token})
	require.ErrorIs(t, err, firstparty.ErrOutcomeUnknown)
	assert.Equal(t, 1, srv.Snapshot().Requests[firstpartytest.RouteVerify], "not resent")
	assert.Equal(t, 1, srv.CreatorCount(), "the fake verified the creator; the answer was lost")
	uses := log.Uses(http.MethodPost, "/first_party/verify")
	require.Len(t, uses, 1)
	assert.Len(t, uses[0].Reused, 1, "net/http did not try it on a second connection")
	if reused {
		assert.Equal(t, []bool{true}, uses[0].Reused, "it went out on the warmed connection")
	}

	// The flow reconciles: it asks again and gets the same creator.
	state, token = startAndConnect(t, srv, flow)
	dropFirst.Store(true)
	res, err := flow.Complete(ctx, firstparty.CallbackParams{State: state, Token: token})
	require.NoError(t, err)
	assert.NotEmpty(t, res.Creator.CreatorID)
	assert.Equal(t, 2, srv.CreatorCount(), "one creator per flow")
	assert.Equal(t, int32(3), verifies.Load(), "Verify's lost request, then Complete's lost one and the one that asked again")
	for _, u := range log.Uses(http.MethodPost, "/first_party/verify") {
		assert.Len(t, u.Reused, 1, "net/http never tried a verify on a second connection")
	}

	snap := srv.Snapshot()
	u := c.Usage()
	assert.Equal(t, int64(clientRequests(snap)), u.Requests, "Usage counts every request the fake saw from the client")
	assert.Equal(t, int64(3), u.Operations["Verification.Verify"].Requests)
	assert.Zero(t, u.Spent+u.SpentUnknown)
	assert.Zero(t, snap.TotalCredits())
}

// Create Verification URL is safe to repeat: its answer lost after the
// fake set the connect page up, the transport asks again and gets the
// same page for the same state.
func TestCreateURLLostAnswerIsAskedAgain(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := fastFake(t)
		c, err := srv.NewClient()
		require.NoError(t, err)
		p := firstparty.CreateVerificationURLParams{Platform: firstparty.Instagram, RedirectURL: "https://app.example/cb", State: "state-lost-once"}
		first, err := c.Verification.CreateURL(ctx, p)
		require.NoError(t, err)
		srv.SetFaults(firstpartytest.Faults{Routes: []string{firstpartytest.RouteCreateURL}, DropAfterRate: 1})
		_, err = c.Verification.CreateURL(ctx, p)
		require.ErrorIs(t, err, firstparty.ErrNetwork)
		assert.NotErrorIs(t, err, firstparty.ErrOutcomeUnknown, "a repeat is safe: it was asked again")
		srv.SetFaults(firstpartytest.Faults{})
		again, err := c.Verification.CreateURL(ctx, p)
		require.NoError(t, err)
		assert.Equal(t, first.RedirectURL, again.RedirectURL, "the same state gets the same connect page")
		assert.Equal(t, 1+4+1, srv.Snapshot().Requests[firstpartytest.RouteCreateURL])
		assert.Equal(t, int64(6), c.Usage().Operations["Verification.CreateURL"].Requests)
	})
}

// A repeat of a Verify Creator whose answer was lost that Ylytic refuses
// (a single-use token, say) is not taken for a refused verification: the
// lost request may have verified the creator, so Complete's error is also
// ErrOutcomeUnknown.
func TestCompleteLostThenRefusedIsOutcomeUnknown(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var verifies atomic.Int32
		srv := fake.NewBare("firstparty", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			var body map[string]string
			_ = json.NewDecoder(r.Body).Decode(&body)
			w.Header().Set("Content-Type", "application/json")
			switch {
			case strings.HasSuffix(r.URL.Path, "/first_party/verification_url"):
				fmt.Fprintf(w, `{"redirectUrl":"https://connect.example/s","state":%q}`, body["state"])
			case verifies.Add(1) == 1: // verified, then the answer is lost
				conn, _, err := w.(http.Hijacker).Hijack()
				if err == nil {
					conn.Close()
				}
			default:
				fmt.Fprintf(w, `{"state":%q,"status":"failed","connector":"instagram","creator_id":null,"user_info":null,"error_info":{"code":"token_used","message":"The token was already used."}}`, body["state"])
			}
		}))
		t.Cleanup(srv.Close)
		c, err := firstparty.NewClient(firstparty.WithToken(testToken), firstparty.WithBaseURL(srv.URL), firstparty.WithHTTPClient(srv.HTTPClient()),
			firstparty.WithRetryWait(time.Millisecond, 2*time.Millisecond))
		require.NoError(t, err)
		flow, err := firstparty.NewConnectFlow(c, firstparty.ConnectConfig{RedirectURL: "https://app.example/callback"})
		require.NoError(t, err)
		v, err := flow.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram})
		require.NoError(t, err)
		res, err := flow.Complete(ctx, firstparty.CallbackParams{State: v.State, Token: "tok"})
		require.ErrorIs(t, err, firstparty.ErrVerificationFailed)
		require.ErrorIs(t, err, firstparty.ErrOutcomeUnknown)
		var ve *firstparty.VerificationError
		require.ErrorAs(t, err, &ve)
		assert.Contains(t, ve.Message(), "already used")
		require.NotNil(t, res)
		assert.Equal(t, int32(2), verifies.Load(), "asked again once, deliberately")
		assert.Equal(t, int64(2), c.Usage().Operations["Verification.Verify"].Requests)
	})
}

// Usage counts every request the fake saw from the client (both hosts
// when insights are on another), retries, the flow's deliberate repeats
// and net/http's own resends of free GETs included, under 429 storms, 5xx
// answers and answers dropped after the fake acted.
func TestUsageCountsEveryRequest(t *testing.T) {
	t.Parallel()
	for _, mode := range connModes {
		for _, hosts := range []int{1, 2} {
			t.Run(fmt.Sprintf("%s, %d host(s)", mode.name, hosts), func(t *testing.T) {
				t.Parallel()
				synctest.Test(t, func(t *testing.T) { usageCountsEveryRequest(t, mode.reused, hosts) })
			})
		}
	}
}

func usageCountsEveryRequest(t *testing.T, reused bool, hosts int) {
	srv := fastFake(t, firstpartytest.WithSeed(5),
		firstpartytest.WithTokenTTL(time.Hour), firstpartytest.WithInsightsDelay(10*time.Second))
	hc, log := connClient(t, srv, reused)
	opts := []firstparty.Option{firstparty.WithHTTPClient(hc), firstparty.WithMaxRetries(8)}
	if hosts == 2 {
		// The same fake under another name: a second host, and
		// a second transport client.
		opts = append(opts, firstparty.WithInsightsBaseURL(srv.ServeWebhooks(srv.Handler())+firstpartytest.APIPrefix))
	}
	c, err := srv.NewClient(opts...)
	require.NoError(t, err)
	if hosts == 2 {
		require.Contains(t, c.String(), "insights base", "two hosts")
	}
	flow, err := firstparty.NewConnectFlow(c, firstparty.ConnectConfig{RedirectURL: "https://app.example/callback"})
	require.NoError(t, err)
	srv.SetFaults(firstpartytest.Faults{
		Routes:    []string{firstpartytest.RouteCreateURL, firstpartytest.RouteVerify, firstpartytest.RouteInsights},
		Storm429:  4,
		ErrorRate: map[int]float64{500: 0.1, 503: 0.1}, DropAfterRate: 0.1,
	})
	cx := testCtx(t)
	for range 4 {
		state, token := startAndConnect(t, srv, flow)
		res, err := flow.Complete(cx, firstparty.CallbackParams{State: state, Token: token})
		require.NoError(t, err)
		in, err := c.Insights.GetAndWait(cx, firstparty.GetInsightsParams{CreatorID: res.Creator.CreatorID}, srv.PollOptions()...)
		require.NoError(t, err)
		require.True(t, in.Ready())
	}
	assert.Equal(t, 4, srv.CreatorCount(), "one creator per flow")
	snap := srv.Snapshot()
	u := c.Usage()
	assert.Equal(t, int64(clientRequests(snap)), u.Requests, "Usage.Requests is what the fake saw from the client")
	assert.Equal(t, int64(snap.Count(429)), u.RateLimited)
	assert.Positive(t, u.Retries)
	var opRequests int64
	for _, o := range u.Operations {
		opRequests += o.Requests
	}
	assert.Equal(t, u.Requests, opRequests)
	assert.Equal(t, int64(snap.Requests[firstpartytest.RouteInsights]), u.Operations["Insights.Get"].Requests+u.Operations["Insights.GetAndWait"].Requests)
	assert.Empty(t, u.Unit)
	assert.Zero(t, u.Spent+u.SpentUnknown)
	t.Logf("%s: %d requests (%d retries, %d rate-limited); net/http itself sent %d of them again on a second connection; ops %v",
		t.Name(), u.Requests, u.Retries, u.RateLimited, log.Resent(), opNames(u))
}

func opNames(u firstparty.Usage) string {
	var b strings.Builder
	for name, o := range u.Operations {
		fmt.Fprintf(&b, "%s=%d ", name, o.Requests)
	}
	return strings.TrimSpace(b.String())
}
