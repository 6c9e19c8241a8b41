package firstparty_test

import (
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Every public method that takes an id, key, state or token refuses each
// value of the identifier policy's bad tables with ErrInvalidParams, and
// sends nothing.
func TestBadIdentifiersAreRefusedBeforeSending(t *testing.T) {
	t.Setenv("FIRSTPARTY_TOKEN", "")
	t.Setenv("FIRSTPARTY_BASE_URL", "")
	t.Setenv("FIRSTPARTY_INSIGHTS_BASE_URL", "")
	rt := &vendortest.RefuseAll{T: t}
	c, err := firstparty.NewClient(firstparty.WithToken(testToken), firstparty.WithHTTPClient(&http.Client{Transport: rt}))
	require.NoError(t, err)
	store := firstparty.NewMemoryStateStore(0)
	flow, err := firstparty.NewConnectFlow(c, firstparty.ConnectConfig{RedirectURL: "https://app.example.com/cb", Store: store})
	require.NoError(t, err)
	issued := 0
	issue := func() string { // a state the flow issued, for the token checks
		issued++
		s := fmt.Sprintf("issued-%d", issued)
		require.NoError(t, store.Save(ctx, firstparty.IssuedState{State: s, Platform: firstparty.Instagram, Expires: time.Now().Add(time.Hour)}))
		return s
	}
	var callbackErr error
	handler := flow.CallbackHandler(func(_ http.ResponseWriter, _ *http.Request, _ *firstparty.CallbackResult, err error) {
		callbackErr = err
	})
	callback := func(q url.Values) error {
		callbackErr = nil
		handler.ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/cb?"+q.Encode(), nil))
		return callbackErr
	}
	blank := func(v string) bool { return strings.TrimSpace(v) == "" }

	methods := []struct {
		name   string
		values []string
		skip   func(v string) bool // values that mean "absent" for this parameter
		call   func(v string) error
	}{
		{"Verification.CreateURL state", check.BadIDs(), nil, func(v string) error {
			_, err := c.Verification.CreateURL(ctx, firstparty.CreateVerificationURLParams{Platform: firstparty.Instagram, RedirectURL: "https://app.example.com/cb", State: v})
			return err
		}},
		{"Verification.Verify state", check.BadIDs(), nil, func(v string) error {
			_, err := c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: v, Token: "t"})
			return err
		}},
		{"Verification.Verify token", check.BadIDs(), nil, func(v string) error {
			_, err := c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: "s", Token: v})
			return err
		}},
		{"Insights.Get creator_id", check.BadPathParams(), nil, func(v string) error {
			_, err := c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: v})
			return err
		}},
		{"Insights.Get key", check.BadIDs(), func(v string) bool { return v == "" }, func(v string) error {
			_, err := c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "c1", Key: v})
			return err
		}},
		{"Insights.GetAndWait creator_id", check.BadPathParams(), nil, func(v string) error {
			_, err := c.Insights.GetAndWait(ctx, firstparty.GetInsightsParams{CreatorID: v})
			return err
		}},
		{"Insights.GetAndWait key", check.BadIDs(), func(v string) bool { return v == "" }, func(v string) error {
			_, err := c.Insights.GetAndWait(ctx, firstparty.GetInsightsParams{CreatorID: "c1", Key: v})
			return err
		}},
		{"ConnectFlow.Complete state", check.BadIDs(), nil, func(v string) error {
			_, err := flow.Complete(ctx, firstparty.CallbackParams{State: v, Token: "t"})
			return err
		}},
		{"ConnectFlow.Complete token", check.BadIDs(), blank, func(v string) error {
			s := issue()
			_, err := flow.Complete(ctx, firstparty.CallbackParams{State: s, Token: v})
			// A refused token does not use up the state.
			_, found, _ := store.Consume(ctx, s)
			assert.True(t, found, "token %q used up the state", v)
			return err
		}},
		{"CallbackHandler state", check.BadIDs(), nil, func(v string) error {
			return callback(url.Values{"state": {v}, "token": {"t"}})
		}},
		{"CallbackHandler token", check.BadIDs(), blank, func(v string) error {
			return callback(url.Values{"state": {issue()}, "token": {v}})
		}},
	}
	pairs := 0
	for _, m := range methods {
		for _, v := range m.values {
			if m.skip != nil && m.skip(v) {
				continue
			}
			pairs++
			err := m.call(v)
			assert.ErrorIs(t, err, firstparty.ErrInvalidParams, "%s %q", m.name, v)
		}
	}
	// A blank token is a declined consent, not a bad value: ErrMissingToken,
	// nothing sent either.
	for _, v := range []string{"", " ", "\t"} {
		_, err := flow.Complete(ctx, firstparty.CallbackParams{State: issue(), Token: v})
		assert.ErrorIs(t, err, firstparty.ErrMissingToken)
	}
	assert.Zero(t, rt.Sent(), "requests sent")
	t.Logf("%d (method, bad value) pairs refused with ErrInvalidParams and 0 requests sent, over %d methods", pairs, len(methods))
}

// Values the policy accepts still go out, escaped: a creator id with an
// inner space, a long token.
func TestGoodIdentifiersAreSent(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", insightBase+"/insights/creators/c%20d", expect(t, "GET", "key=k%2F1", "", 200, load(t, "insights_instagram.json")))
	_, err := c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "c d", Key: "k/1"})
	require.NoError(t, err)
	long := strings.Repeat("eyJhbGciOi.", 60)
	mt.RegisterResponder("POST", verifyBase+"/first_party/verify", respond(200, load(t, "verify_creator.json")))
	_, err = c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: "unique-string", Token: long})
	require.NoError(t, err, "a token longer than an id (660 bytes) is accepted")
	assert.Equal(t, 2, mt.GetTotalCallCount())
}
