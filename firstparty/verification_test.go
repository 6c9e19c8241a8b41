package firstparty_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const connectPage = `{"redirectUrl":"https://connect.ylytic.com/c/abc123","state":"unique-string"}`

func TestCreateURLSendsTheDocumentedBody(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	// The documented request, with the redirect URL filled in (the
	// published copy leaves it blank) and the connector's case normalised.
	want := `{"connector":"instagram","redirectUrl":"https://app.example.com/callback","state":"unique-string"}`
	mt.RegisterResponder("POST", verifyBase+"/first_party/verification_url", expect(t, "POST", "", want, 200, []byte(connectPage)))
	v, err := c.Verification.CreateURL(ctx, firstparty.CreateVerificationURLParams{Platform: " Instagram", RedirectURL: "https://app.example.com/callback", State: "unique-string"})
	require.NoError(t, err)
	assert.Equal(t, "https://connect.ylytic.com/c/abc123", v.RedirectURL)
	assert.Equal(t, "unique-string", v.State)
	assert.Equal(t, 200, v.Response.StatusCode)
	assert.JSONEq(t, connectPage, string(v.Raw))
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

// The documented response (its redirectUrl is blank in the published
// copy) is decoded but refused: a browser must not be redirected to "".
func TestCreateURLRefusesABlankRedirect(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", verifyBase+"/first_party/verification_url", respond(200, load(t, "create_verification_url.json")))
	v, err := c.Verification.CreateURL(ctx, firstparty.CreateVerificationURLParams{Platform: firstparty.YouTube, RedirectURL: "http://localhost:8080/cb", State: "unique-string"})
	require.ErrorIs(t, err, firstparty.ErrUnexpectedResponse)
	require.NotNil(t, v)
	assert.Equal(t, "unique-string", v.State)

	mt.RegisterResponder("POST", verifyBase+"/first_party/verification_url", respond(200, []byte(`{"redirectUrl":"javascript:alert(1)","state":"unique-string"}`)))
	_, err = c.Verification.CreateURL(ctx, firstparty.CreateVerificationURLParams{Platform: firstparty.YouTube, RedirectURL: "http://localhost:8080/cb", State: "unique-string"})
	require.ErrorIs(t, err, firstparty.ErrUnexpectedResponse)
}

func TestVerifySendsTheDocumentedBody(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", verifyBase+"/first_party/verify", expect(t, "POST", "", string(load(t, "verify_creator_request.json")), 200, load(t, "verify_creator.json")))
	v, err := c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: "unique-string", Token: "token-string-from-verification-api-responce"})
	require.NoError(t, err)
	assert.True(t, v.Succeeded())
	assert.Equal(t, "4d94b100-750c-4d24-8380-861aaaa2c3a4", v.CreatorID)
	assert.Equal(t, firstparty.Instagram, v.Platform)
	assert.Equal(t, firstparty.VerificationSuccess, v.Status)
	require.NotNil(t, v.UserInfo)
	assert.Equal(t, "Creator Name", v.UserInfo.Name)
	assert.Equal(t, firstparty.ID("12384878793390"), v.UserInfo.IGUserID)
	assert.Equal(t, "creatorusername", v.UserInfo.IGUsername)
	assert.Equal(t, "null", string(v.ErrorInfo))
}

func TestVerifyFailureIsTypedAndCarriesStatusAndErrorInfo(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", verifyBase+"/first_party/verify", respond(200, load(t, "verify_creator_failed.json")))
	v, err := c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: "unique-string", Token: "t"})
	require.ErrorIs(t, err, firstparty.ErrVerificationFailed)
	var ve *firstparty.VerificationError
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, firstparty.VerificationStatus("failed"), ve.Status)
	assert.JSONEq(t, `{"code":"invalid_token","message":"The token is invalid or has expired."}`, string(ve.ErrorInfo))
	assert.Equal(t, "The token is invalid or has expired.", ve.Message())
	assert.Contains(t, err.Error(), `status "failed"`)
	require.NotNil(t, v, "the decoded response comes with the error")
	assert.Empty(t, v.CreatorID)
	assert.Nil(t, v.UserInfo)

	// "success" with a non-null error_info is a failure too.
	mt.RegisterResponder("POST", verifyBase+"/first_party/verify", respond(200, []byte(`{"state":"s","status":"success","creator_id":"c","error_info":"quota reached"}`)))
	_, err = c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: "s", Token: "t"})
	require.True(t, errors.As(err, &ve))
	assert.Equal(t, firstparty.VerificationSuccess, ve.Status)
	assert.Equal(t, "quota reached", ve.Message())
}

func TestVerifyChecksTheEchoedStateAndCreatorID(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", verifyBase+"/first_party/verify", respond(200, load(t, "verify_creator.json")))
	_, err := c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: "another-state", Token: "t"})
	require.ErrorIs(t, err, firstparty.ErrUnexpectedResponse)

	mt.RegisterResponder("POST", verifyBase+"/first_party/verify", respond(200, []byte(`{"status":"success","error_info":null}`)))
	_, err = c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: "s", Token: "t"})
	require.ErrorIs(t, err, firstparty.ErrUnexpectedResponse)
}

// Bad input fails with ErrInvalidParams before anything is sent.
func TestBadInputSendsNothing(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	ok := firstparty.CreateVerificationURLParams{Platform: firstparty.Instagram, RedirectURL: "https://app.example.com/cb", State: "s"}
	bad := map[string]func() error{
		"unknown connector": func() error {
			p := ok
			p.Platform = firstparty.TikTok
			_, err := c.Verification.CreateURL(ctx, p)
			return err
		},
		"empty connector": func() error {
			p := ok
			p.Platform = ""
			_, err := c.Verification.CreateURL(ctx, p)
			return err
		},
		"relative redirect": func() error {
			p := ok
			p.RedirectURL = "/callback"
			_, err := c.Verification.CreateURL(ctx, p)
			return err
		},
		"ftp redirect": func() error {
			p := ok
			p.RedirectURL = "ftp://example.com/cb"
			_, err := c.Verification.CreateURL(ctx, p)
			return err
		},
		"empty redirect": func() error {
			p := ok
			p.RedirectURL = " "
			_, err := c.Verification.CreateURL(ctx, p)
			return err
		},
		"empty state": func() error {
			p := ok
			p.State = ""
			_, err := c.Verification.CreateURL(ctx, p)
			return err
		},
		"state with a newline": func() error {
			p := ok
			p.State = "a\nb"
			_, err := c.Verification.CreateURL(ctx, p)
			return err
		},
		"verify without state": func() error {
			_, err := c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{Token: "t"})
			return err
		},
		"verify without token": func() error {
			_, err := c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: "s", Token: "  "})
			return err
		},
		"empty creator id": func() error {
			_, err := c.Insights.Get(ctx, firstparty.GetInsightsParams{})
			return err
		},
		"creator id with a slash": func() error {
			_, err := c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "../admin"})
			return err
		},
		"wait without creator id": func() error {
			_, err := c.Insights.GetAndWait(ctx, firstparty.GetInsightsParams{})
			return err
		},
		"bad poll interval": func() error {
			_, err := c.Insights.GetAndWait(ctx, firstparty.GetInsightsParams{CreatorID: "c"}, firstparty.WithPollInterval(0, 0))
			return err
		},
	}
	for name, call := range bad {
		err := call()
		assert.ErrorIs(t, err, firstparty.ErrInvalidParams, name)
		var e *firstparty.Error
		if assert.True(t, errors.As(err, &e), name) {
			assert.Zero(t, e.StatusCode, name)
		}
	}
	assert.Zero(t, mt.GetTotalCallCount(), "nothing was sent")
}

// Undocumented error bodies: the message is found in any of the usual
// shapes, and kinds follow the status.
func TestErrorBodies(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status int
		body   string
		kind   error
		msg    string
		calls  int
	}{
		{400, `{"error":"state is required"}`, firstparty.ErrInvalidParams, "state is required", 1},
		{401, `{"message":"Invalid token"}`, firstparty.ErrUnauthorized, "Invalid token", 1},
		{403, `{"detail":"Not allowed"}`, firstparty.ErrForbidden, "Not allowed", 1},
		{404, `{"status":"failed","error_info":{"message":"no such creator"}}`, firstparty.ErrNotFound, "no such creator", 1},
		{422, `{"status":"failed","status_reason":"Invalid Handle"}`, firstparty.ErrInvalidParams, "Invalid Handle", 1},
		{429, `{"error":"slow down"}`, firstparty.ErrRateLimited, "slow down", 4},
		{502, `<html>bad gateway</html>`, firstparty.ErrServer, "Bad Gateway", 4},
	}
	for _, tc := range cases {
		c, mt := newMockClient(t)
		mt.RegisterResponder("GET", insightBase+"/insights/creators/c1", func(r *http.Request) (*http.Response, error) {
			resp := httpmock.NewStringResponse(tc.status, tc.body)
			if tc.status == 429 {
				resp.Header.Set("Retry-After", "0")
			}
			return resp, nil
		})
		_, err := c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "c1"})
		require.ErrorIs(t, err, tc.kind, tc.body)
		var e *firstparty.Error
		require.True(t, errors.As(err, &e))
		assert.Equal(t, tc.msg, e.Message, tc.body)
		assert.Equal(t, tc.status, e.StatusCode)
		assert.Equal(t, tc.calls, mt.GetTotalCallCount(), tc.body)
		assert.NotContains(t, err.Error(), testToken)
	}
}
