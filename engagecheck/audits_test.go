package engagecheck_test

import (
	"context"
	"net/http"
	"testing"

	"github.com/creatorkit/creatorkit-go"
	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var ctx = context.Background()

// expect checks the exact request and answers with a fixture.
func expect(t *testing.T, method, query, body string, status int, fixtureName string) httpmock.Responder {
	return vendortest.Expect(t, testKey, method, query, body, fixtureResponder(t, status, fixtureName))
}

func TestCreateSendsNormalizedHandle(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", base+"/audits", expect(t, "POST", "", `{"username":"natgeo","webhook_url":"https://hooks.example.com/ec"}`, 202, "audit_created.json"))
	a, err := c.Audits.Create(ctx, engagecheck.CreateAuditParams{Username: "@NatGeo", WebhookURL: "https://hooks.example.com/ec"})
	require.NoError(t, err)
	assert.Equal(t, int64(142), a.ID)
	assert.Equal(t, engagecheck.StatusPending, a.Status)
	assert.Equal(t, int64(249), *a.CreditsRemaining)
	assert.Equal(t, 202, a.Response.StatusCode)
	assert.JSONEq(t, string(mustFixture(t, "audit_created.json")), string(a.Raw))
}

func TestCreateBatchDropsBlanksAndDuplicates(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", base+"/audits/batch", expect(t, "POST", "", `{"usernames":["natgeo","nasa"]}`, 202, "batch_accepted.json"))
	b, err := c.Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: []string{"natgeo", " ", "@NASA", "NatGeo", ""}})
	require.NoError(t, err)
	require.Len(t, b.Results, 2)
	assert.Equal(t, engagecheck.BatchRow{ID: 144, Username: "nasa", Status: engagecheck.StatusPending, PollURL: "/api/v1/audits/144"}, b.Results[1])
	assert.Equal(t, int64(247), b.CreditsRemaining)
	assert.Equal(t, []string{" ", "NatGeo", ""}, b.Dropped)
}

func TestGetListCredits(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", base+"/audits/142", expect(t, "GET", "", "", 200, "audit_complete.json"))
	mt.RegisterResponder("GET", base+"/audits", expect(t, "GET", "limit=25&offset=50", "", 200, "audits_list.json"))
	mt.RegisterResponder("GET", base+"/credits", expect(t, "GET", "", "", 200, "credits.json"))

	a, err := c.Audits.Get(ctx, 142)
	require.NoError(t, err)
	assert.Equal(t, 88.0, a.Report.AQS)

	l, err := c.Audits.List(ctx, engagecheck.ListAuditsParams{Limit: 25, Offset: 50})
	require.NoError(t, err)
	require.Len(t, l.Data, 1)
	assert.Equal(t, "nasa", l.Data[0].Username)
	assert.Equal(t, 91.0, *l.Data[0].AQS)

	cr, err := c.Credits.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, engagecheck.Credits{CreditsRemaining: 247, RateLimitPerMin: 60, KeyPrefix: "ec_live_8Fq2Zx"}, engagecheck.Credits{CreditsRemaining: cr.CreditsRemaining, RateLimitPerMin: cr.RateLimitPerMin, KeyPrefix: cr.KeyPrefix})
}

func TestListAllWalksPagesLazily(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	var offsets []string
	mt.RegisterResponder("GET", base+"/audits", func(r *http.Request) (*http.Response, error) {
		offsets = append(offsets, r.URL.Query().Get("offset"))
		assert.Equal(t, "2", r.URL.Query().Get("limit"))
		switch r.URL.Query().Get("offset") {
		case "":
			return httpmock.NewStringResponse(200, `{"data":[{"id":5,"username":"a","status":"complete","created_at":"2026-06-25 17:00:00"},{"id":4,"username":"b","status":"pending","created_at":"2026-06-25 17:00:00"}],"count":2,"limit":2,"offset":0}`), nil
		default:
			return httpmock.NewStringResponse(200, `{"data":[{"id":3,"username":"c","status":"error","created_at":"2026-06-25 17:00:00"}],"count":1,"limit":2,"offset":2}`), nil
		}
	})
	var ids []int64
	for s, err := range c.Audits.ListAll(ctx, engagecheck.ListAuditsParams{Limit: 2}) {
		require.NoError(t, err)
		ids = append(ids, s.ID)
	}
	assert.Equal(t, []int64{5, 4, 3}, ids)
	assert.Equal(t, []string{"", "2"}, offsets)
}

func TestAPIKeyHeaderOption(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, engagecheck.WithAPIKeyHeader("ec_live_headerkey"))
	mt.RegisterResponder("GET", base+"/credits", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "ec_live_headerkey", r.Header.Get("X-API-Key"))
		assert.Empty(t, r.Header.Get("Authorization"))
		return fixtureResponder(t, 200, "credits.json")(r)
	})
	_, err := c.Credits.Get(ctx)
	require.NoError(t, err)
}

func TestNewClientCredentials(t *testing.T) {
	t.Setenv("ENGAGECHECK_API_KEY", "")
	_, err := engagecheck.NewClient()
	require.ErrorIs(t, err, engagecheck.ErrInvalidParams)
	assert.Contains(t, err.Error(), "ENGAGECHECK_API_KEY")

	t.Setenv("ENGAGECHECK_API_KEY", "ec_live_fromenv")
	t.Setenv("ENGAGECHECK_BASE_URL", "http://127.0.0.1:1/api/v1")
	c, err := engagecheck.NewClient()
	require.NoError(t, err)
	assert.Contains(t, c.String(), "127.0.0.1:1")
	assert.NotContains(t, c.String(), "fromenv")

	_, err = engagecheck.NewClient(engagecheck.WithBaseURL("engagecheck.com"))
	assert.ErrorIs(t, err, engagecheck.ErrInvalidParams)
}

// Documented errors come back typed, with the vendor's message.
func TestDocumentedErrors(t *testing.T) {
	t.Parallel()
	cases := []struct {
		status  int
		fixture string
		kind    error
		calls   int
	}{
		{400, "error_400.json", engagecheck.ErrInvalidParams, 1},
		{401, "error_401.json", engagecheck.ErrUnauthorized, 1},
		{402, "error_402.json", engagecheck.ErrQuotaExceeded, 1},
		{404, "error_404.json", engagecheck.ErrNotFound, 1},
		{429, "error_429.json", engagecheck.ErrRateLimited, 4},
		{502, "error_502.json", engagecheck.ErrServer, 4},
	}
	for _, tc := range cases {
		c, mt := newMockClient(t)
		mt.RegisterResponder("GET", base+"/audits/142", func(r *http.Request) (*http.Response, error) {
			resp, _ := fixtureResponder(t, tc.status, tc.fixture)(r)
			if tc.status == 429 {
				resp.Header.Set("Retry-After", "0")
			}
			return resp, nil
		})
		_, err := c.Audits.Get(ctx, 142)
		require.ErrorIs(t, err, tc.kind, tc.fixture)
		for _, other := range creatorkit.Kinds() {
			if other != tc.kind {
				assert.NotErrorIs(t, err, other, "%s has one kind (a spent quota is never also ErrForbidden)", tc.fixture)
			}
		}
		var e *engagecheck.Error
		require.ErrorAs(t, err, &e)
		assert.Equal(t, tc.status, e.StatusCode)
		assert.NotEmpty(t, e.Message)
		assert.Contains(t, string(mustFixture(t, tc.fixture)), e.Message)
		assert.Equal(t, tc.calls, mt.GetTotalCallCount(), "%d: retried only when it should be", tc.status)
	}
}

// A GET that meets a transient 502 is retried and succeeds.
func TestGet502IsRetried(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	n := 0
	mt.RegisterResponder("GET", base+"/audits/142", func(r *http.Request) (*http.Response, error) {
		if n++; n == 1 {
			return fixtureResponder(t, 502, "error_502.json")(r)
		}
		return fixtureResponder(t, 200, "audit_complete.json")(r)
	})
	a, err := c.Audits.Get(ctx, 142)
	require.NoError(t, err)
	assert.Equal(t, 2, a.Response.Attempts)
}

// A 402 on a credit-spending POST is final: no retry, no reconcile.
func TestCreate402IsNotRetried(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("POST", base+"/audits", fixtureResponder(t, 402, "error_402.json"))
	_, err := c.Audits.Create(ctx, engagecheck.CreateAuditParams{Username: "natgeo"})
	require.ErrorIs(t, err, engagecheck.ErrQuotaExceeded)
	assert.NotErrorIs(t, err, engagecheck.ErrOutcomeUnknown)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

// Bad input fails before anything is sent.
func TestInvalidParamsSendNothing(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	many := make([]string, 51)
	for i := range many {
		many[i] = "user" + string(rune('a'+i%26)) + string(rune('a'+i/26))
	}
	calls := []func() error{
		func() error {
			_, err := c.Audits.Create(ctx, engagecheck.CreateAuditParams{Username: "  "})
			return err
		},
		func() error {
			_, err := c.Audits.Create(ctx, engagecheck.CreateAuditParams{Username: "no spaces"})
			return err
		},
		func() error {
			_, err := c.Audits.Create(ctx, engagecheck.CreateAuditParams{Username: "natgeo", WebhookURL: "ftp://x"})
			return err
		},
		func() error {
			_, err := c.Audits.Create(ctx, engagecheck.CreateAuditParams{Username: "natgeo", WebhookURL: "/relative"})
			return err
		},
		func() error {
			_, err := c.Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: many})
			return err
		},
		func() error {
			_, err := c.Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: []string{"", " "}})
			return err
		},
		func() error { _, err := c.Audits.Get(ctx, 0); return err },
		func() error { _, err := c.Audits.List(ctx, engagecheck.ListAuditsParams{Limit: 101}); return err },
		func() error { _, err := c.Audits.List(ctx, engagecheck.ListAuditsParams{Limit: -1}); return err },
		func() error { _, err := c.Audits.List(ctx, engagecheck.ListAuditsParams{Offset: -5}); return err },
		func() error {
			for _, err := range c.Audits.ListAll(ctx, engagecheck.ListAuditsParams{Limit: 500}) {
				return err
			}
			return nil
		},
		func() error { _, err := c.Audits.GetAndWait(ctx, -1); return err },
		func() error {
			_, err := c.Audits.CreateAndWait(ctx, engagecheck.CreateAuditParams{Username: "natgeo"}, engagecheck.WithPollInterval(0, 0))
			return err
		},
		func() error {
			_, err := c.Audits.CreateAndWait(ctx, engagecheck.CreateAuditParams{Username: "natgeo"}, engagecheck.WithWebhookURL("mailto:x"))
			return err
		},
	}
	for i, call := range calls {
		err := call()
		require.ErrorIs(t, err, engagecheck.ErrInvalidParams, "call %d", i)
		var e *engagecheck.Error
		require.ErrorAs(t, err, &e, "call %d", i)
		assert.Zero(t, e.StatusCode)
	}
	assert.Equal(t, 0, mt.GetTotalCallCount(), "nothing was sent")
	_, err := c.Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: many})
	assert.Contains(t, err.Error(), "at most 50 handles per batch, got 51")
}

func mustFixture(t *testing.T, name string) []byte {
	t.Helper()
	return fixtureLoad(t, name)
}
