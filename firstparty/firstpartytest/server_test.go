package firstpartytest_test

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/firstparty/firstpartytest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func call(t *testing.T, srv *firstpartytest.Server, method, path, token, body string) (int, map[string]any, http.Header) {
	t.Helper()
	req, err := http.NewRequest(method, srv.BaseURL()+path, strings.NewReader(body))
	require.NoError(t, err)
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	resp, err := srv.HTTPClient().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(b, &m)
	return resp.StatusCode, m, resp.Header
}

func TestValidationAndAuth(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := firstpartytest.NewServer(firstpartytest.WithVirtualTime(), firstpartytest.WithToken("tok"))
		defer srv.Close()
		for _, tc := range []struct {
			path, token, body string
			want              int
		}{
			{"/first_party/verification_url", "", `{"connector":"instagram","redirectUrl":"https://a.b/c","state":"s"}`, 401},
			{"/first_party/verification_url", "nope", `{"connector":"instagram","redirectUrl":"https://a.b/c","state":"s"}`, 401},
			{"/first_party/verification_url", "tok", `{`, 400},
			{"/first_party/verification_url", "tok", `{"connector":"tiktok","redirectUrl":"https://a.b/c","state":"s"}`, 400},
			{"/first_party/verification_url", "tok", `{"connector":"instagram","redirectUrl":"/c","state":"s"}`, 400},
			{"/first_party/verification_url", "tok", `{"connector":"instagram","redirectUrl":"https://a.b/c"}`, 400},
			{"/first_party/verification_url", "tok", `{"connector":"YouTube","redirectUrl":"https://a.b/c","state":"s"}`, 200},
			{"/first_party/verify", "tok", `{"state":"s"}`, 400},
		} {
			code, body, _ := call(t, srv, "POST", tc.path, tc.token, tc.body)
			assert.Equal(t, tc.want, code, tc.body)
			if code >= 400 {
				assert.NotEmpty(t, body["error"], tc.body)
			}
		}
		// An unknown token: the documented response shape, status failed.
		code, body, _ := call(t, srv, "POST", "/first_party/verify", "tok", `{"state":"s","token":"forged"}`)
		assert.Equal(t, 200, code)
		assert.Equal(t, "failed", body["status"])
		assert.Nil(t, body["creator_id"])
		assert.Equal(t, "invalid_token", body["error_info"].(map[string]any)["code"])
	})
}

func TestInsightsLifecycle(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := firstpartytest.NewServer(firstpartytest.WithVirtualTime(), firstpartytest.WithInsightsDelay(20*time.Second))
		defer srv.Close()
		_, body, _ := call(t, srv, "POST", "/first_party/verification_url", srv.Token, `{"connector":"instagram","redirectUrl":"http://localhost/cb","state":"st"}`)
		loc, err := srv.Connect(body["redirectUrl"].(string))
		require.NoError(t, err)
		require.True(t, strings.HasPrefix(loc, "http://localhost/cb?"), loc)
		tok := strings.Split(strings.Split(loc, "token=")[1], "&")[0]
		beforeVerify := time.Now()
		_, ver, _ := call(t, srv, "POST", "/first_party/verify", srv.Token, `{"state":"st","token":"`+tok+`"}`)
		require.Equal(t, "success", ver["status"], ver)
		id := ver["creator_id"].(string)
		assert.Regexp(t, `^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$`, id)

		// Processing until the delay has passed, to the nanosecond.
		time.Sleep(20*time.Second - time.Since(beforeVerify) - 1)
		code, pending, h := call(t, srv, "GET", "/insights/creators/"+id, srv.Token, "")
		assert.Equal(t, 202, code)
		assert.Equal(t, "processing", pending["status"])
		assert.NotEmpty(t, h.Get("Retry-After"))

		// Verifying again returns the same creator.
		_, again, _ := call(t, srv, "POST", "/first_party/verify", srv.Token, `{"state":"st","token":"`+tok+`"}`)
		assert.Equal(t, id, again["creator_id"])
		assert.Equal(t, 1, srv.CreatorCount())

		time.Sleep(time.Nanosecond) // to the delay's end, exactly
		code, ready, _ := call(t, srv, "GET", "/insights/creators/"+id, srv.Token, "")
		assert.Equal(t, 200, code)
		assert.Contains(t, ready, "profile_overview")
		assert.Empty(t, srv.Deliveries(), "no webhook URL set: nothing delivered")
	})
}

func TestCustomInsightsBody(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := firstpartytest.NewServer(firstpartytest.WithVirtualTime(), firstpartytest.WithInsightsDelay(0), firstpartytest.WithOutcome(func(firstparty.Platform, string) firstpartytest.Outcome {
			return firstpartytest.Outcome{Insights: json.RawMessage(`{"profile_overview":{"handle":"custom"}}`)}
		}))
		defer srv.Close()
		c, err := srv.NewClient()
		require.NoError(t, err)
		ctx := t.Context()
		v, err := c.Verification.CreateURL(ctx, firstparty.CreateVerificationURLParams{Platform: firstparty.Instagram, RedirectURL: "http://localhost/cb", State: "st"})
		require.NoError(t, err)
		loc, err := srv.Connect(v.RedirectURL)
		require.NoError(t, err)
		tok := strings.Split(strings.Split(loc, "token=")[1], "&")[0]
		ver, err := c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: "st", Token: tok})
		require.NoError(t, err)
		in, err := c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: ver.CreatorID})
		require.NoError(t, err)
		assert.Equal(t, "custom", in.ProfileOverview.Handle)
	})
}
