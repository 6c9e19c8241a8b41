package firstparty_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/firstparty/firstpartytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// app is a web app on the fake: /callback is the flow's handler, /hooks
// receives webhooks. Its callback answers 200 with the creator id, or 403
// with the error.
type app struct {
	srv    *firstpartytest.Server
	client *firstparty.Client
	flow   *firstparty.ConnectFlow
	web    string // the app's root URL, on the fake's in-memory network

	mu     sync.Mutex
	events []*firstparty.WebhookEvent
	hooks  chan *firstparty.WebhookEvent
}

// newApp starts the fake on the bubble's clock (call it inside
// synctest.Test) and serves the app beside it, on the fake's in-memory
// network: the fake's webhooks and the creator's browser (browse, the
// fake's HTTPClient) reach it.
func newApp(t *testing.T, fakeOpts []firstpartytest.Option, cfg firstparty.ConnectConfig, clientOpts ...firstparty.Option) *app {
	t.Helper()
	a := &app{hooks: make(chan *firstparty.WebhookEvent, 16)}
	a.srv = fastFake(t, fakeOpts...)
	mux := http.NewServeMux()
	a.web = a.srv.ServeWebhooks(mux)
	a.srv.SetWebhookURL(a.web + "/hooks")
	var err error
	a.client, err = a.srv.NewClient(clientOpts...)
	require.NoError(t, err)
	cfg.RedirectURL = a.web + "/callback"
	a.flow, err = firstparty.NewConnectFlow(a.client, cfg)
	require.NoError(t, err)
	mux.Handle("/callback", a.flow.CallbackHandler(func(w http.ResponseWriter, r *http.Request, res *firstparty.CallbackResult, err error) {
		if err != nil {
			http.Error(w, err.Error(), http.StatusForbidden)
			return
		}
		fmt.Fprintf(w, "%s|%s|%s", res.Creator.CreatorID, res.Creator.UserInfo.IGUsername, res.Issued.Data)
	}))
	mux.Handle("/hooks", firstparty.WebhookHandler(func(_ context.Context, ev *firstparty.WebhookEvent) error {
		a.mu.Lock()
		a.events = append(a.events, ev)
		a.mu.Unlock()
		a.hooks <- ev
		return nil
	}))
	return a
}

// browse follows redirects like a browser (hc, else the fake's client)
// and returns the final page.
func (a *app) browse(t *testing.T, hc *http.Client, u string) (int, string) {
	t.Helper()
	if hc == nil {
		hc = a.srv.HTTPClient()
	}
	resp, err := hc.Get(u)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	return resp.StatusCode, string(b)
}

func (a *app) verifyCalls() int { return a.srv.Snapshot().Requests[firstpartytest.RouteVerify] }

func TestConsentFlowEndToEnd(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		a := newApp(t, nil, firstparty.ConnectConfig{})
		started := time.Now() // before the creator is verified
		ctx := testCtx(t)
		v, err := a.flow.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram, Data: "user-42"})
		require.NoError(t, err)
		assert.Contains(t, v.RedirectURL, a.srv.URL+"/connect/")

		// The creator's browser: Ylytic's connect page, then back to us.
		code, page := a.browse(t, nil, v.RedirectURL)
		require.Equal(t, 200, code, page)
		var creatorID, handle, data string
		_, err = fmt.Sscanf(replaceBars(page), "%s %s %s", &creatorID, &handle, &data)
		require.NoError(t, err, page)
		assert.Equal(t, firstpartytest.SampleHandle, handle)
		assert.Equal(t, "user-42", data)
		assert.Equal(t, 1, a.srv.CreatorCount())

		// Not ready at first: the insights take a (virtual) minute.
		in, err := a.client.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: creatorID})
		require.NoError(t, err)
		assert.False(t, in.Ready())
		assert.Equal(t, firstparty.InsightsProcessing, in.Status)
		assert.Equal(t, 202, in.Response.StatusCode)

		// Then ready, on the fake's clock.
		cx, cancel := context.WithCancel(testCtx(t))
		defer cancel()
		in, err = a.client.Insights.GetAndWait(cx, firstparty.GetInsightsParams{CreatorID: creatorID}, a.srv.PollOptions()...)
		require.NoError(t, err)
		require.True(t, in.Ready())
		assert.GreaterOrEqual(t, time.Since(started), time.Minute, "ready after the insights delay")
		assert.Equal(t, firstparty.Int(1257), in.ProfileOverview.FollowersCount)
		assert.Len(t, in.Posts.Top(3), 3)

		// And the webhook names the state we issued.
		select {
		case ev := <-a.hooks:
			assert.Equal(t, firstparty.EventCreatorInsights1P, ev.Type)
			assert.True(t, ev.Succeeded())
			assert.Equal(t, v.State, ev.State)
			assert.Equal(t, firstpartytest.SampleHandle, ev.Identifier)
		case <-cx.Done():
			t.Fatal("no webhook")
		}
		snap := a.srv.Snapshot()
		assert.Equal(t, 1, snap.Requests[firstpartytest.RouteCreateURL])
		assert.Equal(t, 1, snap.Requests[firstpartytest.RouteConnect])
		assert.Equal(t, 1, snap.Requests[firstpartytest.RouteVerify])
		// The fake records a delivery once the POST has returned, which can be
		// just after our handler saw the event.
		synctest.Wait()
		require.Len(t, a.srv.Deliveries(), 1)
		assert.Equal(t, http.StatusNoContent, a.srv.Deliveries()[0].Status)
	})
}

func replaceBars(s string) string {
	out := []byte(s)
	for i := range out {
		if out[i] == '|' {
			out[i] = ' '
		}
	}
	return string(out)
}

// Forged callbacks are refused, and never reach Verify Creator.
func TestForgedCallbacksAreRefused(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		now := time.Now()
		var mu sync.Mutex
		clock := now
		a := newApp(t, nil, firstparty.ConnectConfig{TTL: 10 * time.Minute, Now: func() time.Time { mu.Lock(); defer mu.Unlock(); return clock }})
		cb := func(q url.Values) string { return a.web + "/callback?" + q.Encode() }

		// A real flow, whose callback URL we capture instead of following.
		v, err := a.flow.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram})
		require.NoError(t, err)
		loc, err := a.srv.Connect(v.RedirectURL)
		require.NoError(t, err)
		back, err := url.Parse(loc)
		require.NoError(t, err)
		token := back.Query().Get("token")
		require.NotEmpty(t, token)
		assert.Equal(t, v.State, back.Query().Get("state"))

		// 1. A real token with a state we never issued.
		code, page := a.browse(t, nil, cb(url.Values{"token": {token}, "state": {firstparty.NewState()}}))
		assert.Equal(t, 403, code)
		assert.Contains(t, page, "unknown or already used")
		// 2. No state at all.
		code, _ = a.browse(t, nil, cb(url.Values{"token": {token}}))
		assert.Equal(t, 403, code)
		assert.Zero(t, a.verifyCalls(), "refused before Verify Creator")

		// The genuine callback works once...
		code, page = a.browse(t, nil, loc)
		require.Equal(t, 200, code, page)
		assert.Equal(t, 1, a.verifyCalls())
		// 3. ...and is refused when replayed.
		code, page = a.browse(t, nil, loc)
		assert.Equal(t, 403, code)
		assert.Contains(t, page, "unknown or already used")
		assert.Equal(t, 1, a.verifyCalls())

		// 4. An expired state.
		v, err = a.flow.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram})
		require.NoError(t, err)
		loc, err = a.srv.Connect(v.RedirectURL)
		require.NoError(t, err)
		mu.Lock()
		clock = clock.Add(11 * time.Minute)
		mu.Unlock()
		code, page = a.browse(t, nil, loc)
		assert.Equal(t, 403, code)
		assert.Contains(t, page, "expired")
		assert.Equal(t, 1, a.verifyCalls())
	})
}

// With session binding, a callback URL captured by one browser cannot be
// completed in another (login CSRF).
func TestCallbackFromAnotherSessionIsRefused(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		session := func(r *http.Request) string {
			c, err := r.Cookie("sid")
			if err != nil {
				return ""
			}
			return c.Value
		}
		a := newApp(t, nil, firstparty.ConnectConfig{Session: session})
		_, err := a.flow.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram})
		require.ErrorIs(t, err, firstparty.ErrInvalidParams, "a session is required once the flow binds them")

		browser := func(sid string) *http.Client {
			jar, _ := cookiejar.New(nil)
			u, _ := url.Parse(a.web)
			jar.SetCookies(u, []*http.Cookie{{Name: "sid", Value: sid}})
			return &http.Client{Transport: a.srv.HTTPClient().Transport, Jar: jar}
		}
		// The attacker starts a flow in their own session and captures the
		// callback URL; the victim's browser opens it.
		v, err := a.flow.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram, Session: "attacker"})
		require.NoError(t, err)
		loc, err := a.srv.Connect(v.RedirectURL)
		require.NoError(t, err)
		code, page := a.browse(t, browser("victim"), loc)
		assert.Equal(t, 403, code)
		assert.Contains(t, page, "issued to another session")
		assert.Zero(t, a.verifyCalls())

		// The same flow in one browser, start to finish, works.
		v, err = a.flow.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram, Session: "alice"})
		require.NoError(t, err)
		code, page = a.browse(t, browser("alice"), v.RedirectURL)
		assert.Equal(t, 200, code, page)
	})
}

func TestFlowOutcomes(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		outcomes := map[string]firstpartytest.Outcome{
			"declined": {Decline: true},
			"refused":  {VerifyError: "The creator's account could not be connected."},
			"private":  {Handle: "private_person", InsightsFail: firstparty.ReasonPrivateAccount},
			"other":    {Handle: "another_creator", Name: "Another Creator"},
		}
		var mu sync.Mutex
		byState := map[string]string{}
		pick := func(_ firstparty.Platform, state string) firstpartytest.Outcome {
			mu.Lock()
			defer mu.Unlock()
			return outcomes[byState[state]]
		}
		a := newApp(t, []firstpartytest.Option{firstpartytest.WithOutcome(pick), firstpartytest.WithInsightsDelay(10 * time.Second), firstpartytest.WithTokenTTL(time.Hour)}, firstparty.ConnectConfig{})
		// The fake decides the outcome when the verification URL is created,
		// from its state: make the state first, then the URL.
		run := func(name string) (string, *firstparty.VerificationURL) {
			st := firstparty.NewState()
			mu.Lock()
			byState[st] = name
			mu.Unlock()
			v, err := a.client.Verification.CreateURL(ctx, firstparty.CreateVerificationURLParams{Platform: firstparty.Instagram, RedirectURL: a.web + "/callback", State: st})
			require.NoError(t, err)
			return st, v
		}

		// Declined: no token comes back.
		st, v := run("declined")
		loc, err := a.srv.Connect(v.RedirectURL)
		require.NoError(t, err)
		q := mustQuery(t, loc)
		assert.Empty(t, q.Get("token"))
		assert.Equal(t, "access_denied", q.Get("error"))
		assert.Equal(t, st, q.Get("state"))

		// Refused by Verify Creator: a typed error with status and error_info.
		st, v = run("refused")
		loc, err = a.srv.Connect(v.RedirectURL)
		require.NoError(t, err)
		ver, err := a.client.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: st, Token: mustQuery(t, loc).Get("token")})
		var ve *firstparty.VerificationError
		require.True(t, errors.As(err, &ve), "%v", err)
		assert.Equal(t, "The creator's account could not be connected.", ve.Message())
		assert.Equal(t, firstparty.VerificationStatus("failed"), ver.Status)

		// A token for another state is refused by the fake too.
		_, err = a.client.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: "someone-else", Token: mustQuery(t, loc).Get("token")})
		require.ErrorIs(t, err, firstparty.ErrVerificationFailed)

		// Private account: verified, then insights fail and the webhook says why.
		st, v = run("private")
		loc, err = a.srv.Connect(v.RedirectURL)
		require.NoError(t, err)
		ver, err = a.client.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: st, Token: mustQuery(t, loc).Get("token")})
		require.NoError(t, err)
		assert.Equal(t, "private_person", ver.UserInfo.IGUsername)
		cx, cancel := context.WithCancel(testCtx(t))
		defer cancel()
		_, err = a.client.Insights.GetAndWait(cx, firstparty.GetInsightsParams{CreatorID: ver.CreatorID}, a.srv.PollOptions()...)
		var ie *firstparty.ItemError
		require.True(t, errors.As(err, &ie), "%v", err)
		assert.Equal(t, firstparty.ReasonPrivateAccount, ie.Reason)
		assert.Equal(t, "instagram/id:"+ver.CreatorID, ie.Item)
		assert.Equal(t, ver.CreatorID, ie.Input)
		assert.ErrorIs(t, err, firstparty.ErrInsightsFailed)
		ev := <-a.hooks
		assert.False(t, ev.Succeeded())
		assert.Equal(t, firstparty.ReasonPrivateAccount, ev.StatusReason)
		assert.Equal(t, st, ev.State)

		// Another creator: the creator universe's another_creator, in the sample's shape.
		st, v = run("other")
		loc, err = a.srv.Connect(v.RedirectURL)
		require.NoError(t, err)
		ver, err = a.client.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: st, Token: mustQuery(t, loc).Get("token")})
		require.NoError(t, err)
		in, err := a.client.Insights.GetAndWait(cx, firstparty.GetInsightsParams{CreatorID: ver.CreatorID}, a.srv.PollOptions()...)
		require.NoError(t, err)
		assert.Equal(t, "another_creator", in.ProfileOverview.Handle)
		assert.Equal(t, "Another Creator", in.ProfileDetails.FullName)
		assert.Equal(t, ver.UserInfo.IGUserID, in.ProfileOverview.IGUserID)
		assert.Equal(t, firstparty.Int(3736), in.ProfileOverview.FollowersCount, "the creator universe's another_creator")
	})
}

func mustQuery(t *testing.T, u string) url.Values {
	p, err := url.Parse(u)
	require.NoError(t, err)
	return p.Query()
}

func TestFakeChecksTokensAndIDs(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := fastFake(t, firstpartytest.WithTokenTTL(time.Second))
		bad, err := firstparty.NewClient(firstparty.WithBaseURL(srv.BaseURL()), firstparty.WithToken("wrong"), firstparty.WithHTTPClient(srv.HTTPClient()))
		require.NoError(t, err)
		_, err = bad.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "x"})
		require.ErrorIs(t, err, firstparty.ErrUnauthorized)

		c, err := srv.NewClient()
		require.NoError(t, err)
		_, err = c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "no-such-creator"})
		require.ErrorIs(t, err, firstparty.ErrNotFound)

		// An expired token (1 virtual second).
		st := firstparty.NewState()
		v, err := c.Verification.CreateURL(ctx, firstparty.CreateVerificationURLParams{Platform: firstparty.YouTube, RedirectURL: "https://app.example/cb?x=1", State: st})
		require.NoError(t, err)
		loc, err := srv.Connect(v.RedirectURL)
		require.NoError(t, err)
		q := mustQuery(t, loc)
		assert.Equal(t, "1", q.Get("x"), "the redirect URL's own query is kept")
		time.Sleep(time.Second)
		_, err = c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: st, Token: q.Get("token")})
		var ve *firstparty.VerificationError
		require.True(t, errors.As(err, &ve))
		assert.Contains(t, ve.Message(), "expired")

		// The same state again gets the same connect page.
		v2, err := c.Verification.CreateURL(ctx, firstparty.CreateVerificationURLParams{Platform: firstparty.YouTube, RedirectURL: "https://app.example/cb?x=1", State: st})
		require.NoError(t, err)
		assert.Equal(t, v.RedirectURL, v2.RedirectURL)

		_, err = srv.Connect(srv.URL + "/connect/nope")
		assert.Error(t, err)
	})
}

// Faults: retried where safe, and the flow still completes exactly once.
func TestFlowSurvivesFaults(t *testing.T) {
	cases := map[string]firstpartytest.Faults{
		"429 storm":        {Storm429: 3, StormRetryAfter: 100 * time.Millisecond},
		"5xx":              {ErrorRate: map[int]float64{500: 0.3, 503: 0.2}, Routes: []string{firstpartytest.RouteCreateURL, firstpartytest.RouteVerify, firstpartytest.RouteInsights}},
		"dropped":          {DropRate: 0.3, Routes: []string{firstpartytest.RouteCreateURL, firstpartytest.RouteVerify, firstpartytest.RouteInsights}},
		"dropped after":    {DropAfterRate: 0.4, Routes: []string{firstpartytest.RouteCreateURL, firstpartytest.RouteVerify}},
		"truncated bodies": {TruncateRate: 0.4, Routes: []string{firstpartytest.RouteVerify, firstpartytest.RouteInsights}},
		"malformed bodies": {MalformRate: 0.4, Routes: []string{firstpartytest.RouteVerify, firstpartytest.RouteInsights}},
	}
	for name, f := range cases {
		t.Run(name, func(t *testing.T) {
			t.Parallel()
			synctest.Test(t, func(t *testing.T) { flowSurvives(t, f) })
		})
	}
}

// flowSurvives runs one creator through the flow and waits for the
// insights on a fake injecting f, with the default 3 retries: the
// transport's retries absorb the faults (a call fails only when 4
// attempts in a row fail).
func flowSurvives(t *testing.T, f firstpartytest.Faults) {
	a := newApp(t, []firstpartytest.Option{firstpartytest.WithFaults(f), firstpartytest.WithSeed(7), firstpartytest.WithInsightsDelay(10 * time.Second), firstpartytest.WithTokenTTL(time.Hour)}, firstparty.ConnectConfig{})
	v, err := a.flow.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram})
	require.NoError(t, err)
	code, page := a.browse(t, nil, v.RedirectURL)
	require.Equal(t, 200, code, page)
	cx, cancel := context.WithCancel(testCtx(t))
	defer cancel()
	id := page[:36]
	in, err := a.client.Insights.GetAndWait(cx, firstparty.GetInsightsParams{CreatorID: id}, a.srv.PollOptions()...)
	require.NoError(t, err)
	assert.True(t, in.Ready())
	assert.Equal(t, 1, a.srv.CreatorCount(), "a repeated verify finds the same creator")
	snap := a.srv.Snapshot()
	injected := snap.Count(429) + snap.Count(500) + snap.Count(503)
	for _, n := range snap.Dropped {
		injected += n
	}
	for _, n := range snap.Faulted {
		injected += n
	}
	assert.Positive(t, injected, "faults were injected")
}

// With the fake's rate limit, the client paces itself and sees no 429.
func TestPacedUnderTheFakesLimit(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := fastFake(t, firstpartytest.WithRateLimit(5, time.Minute))
		c, err := srv.NewClient()
		require.NoError(t, err)
		for range 8 {
			_, err := c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "nobody"})
			require.ErrorIs(t, err, firstparty.ErrNotFound)
		}
		snap := srv.Snapshot()
		assert.Zero(t, snap.RateLimited)
		assert.Equal(t, 8, snap.Requests[firstpartytest.RouteInsights])
	})
}
