package ylytic_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"log/slog"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/creatorkit/creatorkit-go/ylytic"
	"github.com/stretchr/testify/require"
)

// shopToken is the Shopify access token the echo test sends.
const shopToken = "shpat_ECHO_SHOP_TOKEN_0042"

// Echo formats: how the echoing server writes what it received.
var echoFormats = []vendortest.Format{
	{"plain", func(s string) string { return "echo: " + s }},
	{"percent-encoded", func(s string) string { return url.QueryEscape("echo: " + s) }},
	{"base64", func(s string) string { return base64.StdEncoding.EncodeToString([]byte("echo: " + s)) }},
	{"base64url of the value", func(s string) string { return base64.RawURLEncoding.EncodeToString([]byte(s)) }},
}

// newEchoServer is a Ylytic (or a proxy in front of it) that echoes the
// bearer token and the request's body (with its Shopify access token) back
// in every response header, in a header name, and in every string of
// every body, success or error, in the format the test picks.
func newEchoServer(t *testing.T) *vendortest.EchoServer {
	success := func(path string) []byte {
		switch {
		case strings.HasSuffix(path, "/creators"), strings.HasSuffix(path, "/shopify_shop"), strings.Contains(path, "/campaigns/"):
			return load(t, "creators_add.json")
		case strings.HasSuffix(path, "/creators/status"):
			return load(t, "creators_status.json")
		case strings.HasSuffix(path, "/rt_tracking/creators"):
			return load(t, "rt_tracking.json")
		case strings.HasSuffix(path, "/requests/failed"):
			return load(t, "data_refresh_failed.json")
		case strings.Contains(path, "/data_refresh/requests"):
			return load(t, "data_refresh_pending.json")
		case strings.HasSuffix(path, "/shortlinks"):
			return load(t, "shortlink_create.json")
		}
		return load(t, "shortlink_insights.json")
	}
	return vendortest.NewEchoServer(t, vendortest.EchoConfig{
		Name:    "ylytic",
		Formats: echoFormats,
		Echo: func(r *http.Request, body []byte, enc func(string) string) string {
			cred := strings.TrimPrefix(r.Header.Get("Authorization"), "Bearer ")
			e := enc(cred) + " " + enc(string(body))
			if strings.Contains(string(body), shopToken) {
				e += " " + enc(shopToken)
			}
			return e
		},
		RetryAfter: func(status int) bool { return status == http.StatusTooManyRequests || status >= 500 },
		Answer: func(r *http.Request, status int, e string) []byte {
			if status >= 300 {
				return mustJSON(t, map[string]any{"error": e, "message": e, "detail": e, "status": e, e: e})
			}
			out := vendortest.EchoInto(t, success(r.URL.Path), e)
			if strings.Contains(r.URL.Path, "/data_refresh/") || strings.HasSuffix(r.URL.Path, "/shortlinks") {
				// Keep the control fields usable, so the call builds its
				// result (and its ItemError) out of the echoing body.
				var doc map[string]any
				require.NoError(t, json.Unmarshal(out, &doc))
				if st, ok := doc["status"].(map[string]any); ok {
					st["message"] = "pending"
					if strings.HasSuffix(r.URL.Path, "/failed") {
						st["message"] = "failed"
					}
				}
				if _, ok := doc["short_link"]; ok {
					doc["short_link"] = "https://app.ylytic.com/sl/" + url.PathEscape(e)
				}
				out = mustJSON(t, doc)
			}
			return out
		},
	})
}

// TestEchoedSecretsNeverLeak drives every call against a server that
// echoes the bearer token and the request body (and so the Shopify access
// token) everywhere, in four encodings, on success and on every error
// path, with a Debug logger: neither secret is in err.Error(), %v, %+v,
// %#v, any exported field of any error in the chain or of any result, the
// JSON of a result, or the log.
func TestEchoedSecretsNeverLeak(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := newEchoServer(t)
		var logs vendortest.Buffer
		logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		c, err := ylytic.NewClient(ylytic.WithBaseURL(srv.URL), ylytic.WithToken(testToken), ylytic.WithHTTPClient(srv.HTTPClient()),
			ylytic.WithLogger(logger), ylytic.WithMaxRetries(1), ylytic.WithRetryWait(time.Millisecond, 2*time.Millisecond))
		require.NoError(t, err)

		leaks := vendortest.NewChecker(t, vendortest.Quoted(testToken), vendortest.Quoted(shopToken))
		bounded := func() (context.Context, context.CancelFunc) { return context.WithTimeout(ctx, 50*time.Millisecond) }
		wait := ylytic.WithPollInterval(20*time.Millisecond, 0)

		calls := []vendortest.Call{
			{"Creators.Add", func() (any, error) {
				return c.Creators.Add(ctx, ylytic.AddCreatorsParams{Handles: []string{"https://www.instagram.com/a/"}})
			}},
			{"Creators.Status", func() (any, error) {
				return c.Creators.Status(ctx, ylytic.CreatorsStatusParams{Handles: []string{"https://www.instagram.com/a/"}})
			}},
			{"Tracking.Create", func() (any, error) {
				return c.Tracking.Create(ctx, ylytic.TrackingParams{Platform: ylytic.Instagram, Handle: "a"})
			}},
			{"Refresh.Create", func() (any, error) {
				return c.Refresh.Create(ctx, ylytic.RefreshParams{Type: ylytic.RefreshInstagram, Handle: "a"})
			}},
			{"Refresh.Get", func() (any, error) { return c.Refresh.Get(ctx, "r1") }},
			{"Refresh.Get failed", func() (any, error) { return c.Refresh.Get(ctx, "failed") }},
			{"Refresh.GetAndWait", func() (any, error) {
				cx, cancel := bounded()
				defer cancel()
				return c.Refresh.GetAndWait(cx, "r1", wait)
			}},
			{"Refresh.CreateAndWait", func() (any, error) {
				cx, cancel := bounded()
				defer cancel()
				return c.Refresh.CreateAndWait(cx, ylytic.RefreshParams{Type: ylytic.RefreshInstagram, Handle: "a"}, wait)
			}},
			{"ShortLinks.Create", func() (any, error) {
				return c.ShortLinks.Create(ctx, ylytic.CreateShortLinkParams{TargetURL: "https://example.com/"})
			}},
			{"ShortLinks.Insights", func() (any, error) { return c.ShortLinks.Insights(ctx, "l1") }},
			{"Shopify.Connect", func() (any, error) {
				return c.Shopify.Connect(ctx, ylytic.ConnectShopParams{Shop: "a.myshopify.com", AccessToken: shopToken})
			}},
			{"Campaigns.UpdateShortLinks", func() (any, error) {
				return c.Campaigns.UpdateShortLinks(ctx, "c1", ylytic.UpdateShortLinksParams{Add: []ylytic.PostShortLinks{{PostURL: "https://www.instagram.com/p/x/", ShortLinks: []string{"l1"}}}})
			}},
			// The raw calls (Do, DoThirdParty, DoInsights), into a struct
			// of the caller's own and a map: redacted like the typed calls.
			// (A secret of the caller's own in a raw call's body, such as a
			// Shopify access token, is not known to the client: only
			// Shopify.Connect redacts that one; see Do.)
			{"Do into a struct", func() (any, error) {
				out := &struct {
					RequestID string               `json:"request_id"`
					Raw       json.RawMessage      `json:"-"`
					Response  *ylytic.ResponseMeta `json:"-"`
				}{}
				_, err := c.Do(ctx, http.MethodGet, "ylytic/api/v1/data_refresh/requests/r1", nil, nil, out)
				return out, err
			}},
			{"DoThirdParty into a map", func() (any, error) {
				out := map[string]any{}
				meta, err := c.DoThirdParty(ctx, http.MethodPost, "ylytic/admin/api/v1/creators/status", nil, map[string]any{"handles": []string{"https://www.instagram.com/a/"}}, &out)
				return &struct {
					Out  map[string]any
					Meta *ylytic.ResponseMeta
				}{out, meta}, err
			}},
			{"DoInsights", func() (any, error) {
				return c.DoInsights(ctx, http.MethodGet, "ylytic/admin/api/v1/shortlinks/l1/insights", nil, nil, nil)
			}},
		}
		statuses := []int{200, 400, 401, 404, 429, 503} // each error path once: 4xx decoded, 429 and 5xx retried
		srv.Sweep(leaks, statuses, calls, nil)
		require.NotEmpty(t, logs.String())
		leaks.Text("all calls", "the Debug log", logs.String())
		t.Logf("%d secret checks (%d calls x %d statuses x %d echo formats, the log): 0 leaks", leaks.Checks(), len(calls), len(statuses), len(echoFormats))
		if t.Failed() {
			return
		}
		// The checker itself finds each format unredacted.
		for _, f := range echoFormats {
			require.True(t, vendortest.Holds(f.Enc(testToken), testToken), f.Name)
			require.True(t, vendortest.Holds(f.Enc(`{"access_token":"`+shopToken+`"}`), shopToken), f.Name)
		}
	})
}
