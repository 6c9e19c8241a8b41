package hypeauditor_test

import (
	"bytes"
	"errors"
	"log/slog"
	"strings"
	"testing"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// One value that does not fit costs nothing but itself: the call succeeds
// with one request, every other value decoded, the value listed in
// Response.DecodeIssues and logged once at Warn.
func TestOneBadValueIsReportedNotFatal(t *testing.T) {
	t.Parallel()
	var logs bytes.Buffer
	c, mt := newMockClient(t, hypeauditor.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelWarn}))))
	respond(mt, "GET", "auditor.tiktok", 200, `{"result":{"report_state":"READY","report":{"basic":{"username":"littlebig","title":{"t":"x"}},
		"metrics":{"subscribers_count":{"value":"4.6M"},"er":{"value":7.05}}}}}`)
	r, err := c.Reports.TikTok(ctx, hypeauditor.TikTokParams{Channel: "littlebig"})
	require.NoError(t, err)
	assert.Equal(t, 1, mt.GetTotalCallCount(), "a body with a bad value costs exactly one request")
	assert.Equal(t, "littlebig", r.Report.Basic.Username)
	assert.Equal(t, 7.05, float64(*r.Report.Metrics.ER.Value))
	assert.Nil(t, r.Report.Metrics.SubscribersCount.Value)
	paths := []string{}
	for _, is := range r.Response.DecodeIssues {
		paths = append(paths, is.Path)
	}
	assert.ElementsMatch(t, []string{"result.report.basic.title", "result.report.metrics.subscribers_count.value"}, paths)
	assert.Equal(t, 1, strings.Count(logs.String(), "did not fit"), logs.String())
}

// WithStrictDecoding turns any mismatch into ErrUnexpectedResponse, final
// (one request).
func TestWithStrictDecoding(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, hypeauditor.WithStrictDecoding())
	respond(mt, "GET", "auditor.tiktok", 200, `{"result":{"report_state":"READY","report":{"basic":{"title":5}}}}`)
	_, err := c.Reports.TikTok(ctx, hypeauditor.TikTokParams{Channel: "littlebig"})
	require.ErrorIs(t, err, hypeauditor.ErrUnexpectedResponse)
	assert.Contains(t, err.Error(), "result.report.basic.title")
	assert.Equal(t, 1, mt.GetTotalCallCount())

	respond(mt, "GET", "auditor.tiktok", 200, `{"result":{"report_state":"READY","report":{"basic":{"title":"ok"}}}}`)
	_, err = c.Reports.TikTok(ctx, hypeauditor.TikTokParams{Channel: "littlebig"})
	assert.NoError(t, err)
}

// Control values the SDK needs to go on (report_state, retryTtl, the
// result envelope, a page's list and total_pages, next_cursor, a
// connection's state and id) that do not fit are ErrUnexpectedResponse
// after one request, never a result with the value left zero and never a
// retry.
func TestControlValuesAreFinal(t *testing.T) {
	t.Parallel()
	calls := []struct {
		name, path, body string
		call             func(c *hypeauditor.Client) error
	}{
		{"report_state", "auditor.tiktok", `{"result":{"report_state":{"s":"READY"}}}`, func(c *hypeauditor.Client) error {
			_, err := c.Reports.TikTok(ctx, hypeauditor.TikTokParams{Channel: "a"})
			return err
		}},
		{"retryTtl", "auditor.youtube", `{"result":{"report_state":"NOT_READY","retryTtl":[30]}}`, func(c *hypeauditor.Client) error {
			_, err := c.Reports.YouTubeAndWait(ctx, hypeauditor.YouTubeParams{Channel: "a"})
			return err
		}},
		{"no result", "auditor.report", `{"status":"ok"}`, func(c *hypeauditor.Client) error {
			_, err := c.Reports.Instagram(ctx, hypeauditor.InstagramParams{Username: "a"})
			return err
		}},
		{"result not an object", "auditor.twitch", `{"result":"READY"}`, func(c *hypeauditor.Client) error {
			_, err := c.Reports.Twitch(ctx, hypeauditor.ChannelParams{Channel: "a"})
			return err
		}},
		{"null result", "auditor.planInfo", `{"result":null}`, func(c *hypeauditor.Client) error {
			_, err := c.Account.PlanInfo(ctx)
			return err
		}},
		{"list as an object", "auditor.reportsUnlocked", `{"result":{"data":{"0":{}},"total":1}}`, func(c *hypeauditor.Client) error {
			_, err := c.Unlocked.List(ctx, hypeauditor.UnlockedParams{})
			return err
		}},
		{"search_results as a string", "auditor.searchSandbox", `{"result":{"search_results":"none","total_pages":1}}`, func(c *hypeauditor.Client) error {
			_, err := c.Discovery.SearchSandbox(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok})
			return err
		}},
		{"total_pages", "auditor.searchSandbox", `{"result":{"search_results":[],"total_pages":"many"}}`, func(c *hypeauditor.Client) error {
			_, err := c.Discovery.SearchSandbox(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok})
			return err
		}},
		{"next_cursor", "auditor.creators", `{"result":{"creators":[],"next_cursor":[1]}}`, func(c *hypeauditor.Client) error {
			_, err := c.Creators.List(ctx, hypeauditor.CreatorsParams{})
			return err
		}},
		{"creators list", "auditor.creators", `{"result":{"creators":7}}`, func(c *hypeauditor.Client) error {
			_, err := c.Creators.List(ctx, hypeauditor.CreatorsParams{})
			return err
		}},
		{"connections list", "auditor.reportConnections", `{"result":"nasa"}`, func(c *hypeauditor.Client) error {
			_, err := c.Connections.Get(ctx, hypeauditor.ConnectionsParams{Username: "nasa", Type: hypeauditor.Instagram})
			return err
		}},
		{"connections data", "auditor.reportConnections", `{"result":{"data":"nasa"}}`, func(c *hypeauditor.Client) error {
			_, err := c.Connections.Get(ctx, hypeauditor.ConnectionsParams{Username: "nasa", Type: hypeauditor.Instagram})
			return err
		}},
		{"connection state", "auditor.reportConnections", `{"result":[{"social_id":"1","state":{"s":1}}]}`, func(c *hypeauditor.Client) error {
			_, err := c.Connections.Get(ctx, hypeauditor.ConnectionsParams{Username: "nasa", Type: hypeauditor.Instagram})
			return err
		}},
		{"suggestions list", "auditor.suggester", `{"result":{"list":{"a":1}}}`, func(c *hypeauditor.Client) error {
			_, err := c.Discovery.Suggest(ctx, hypeauditor.SuggestParams{Search: "nasa"})
			return err
		}},
	}
	for _, tc := range calls {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMockClient(t)
			method := "GET"
			if strings.HasPrefix(tc.path, "auditor.search") {
				method = "POST"
			}
			respond(mt, method, tc.path, 200, tc.body)
			err := tc.call(c)
			require.ErrorIs(t, err, hypeauditor.ErrUnexpectedResponse)
			var e *hypeauditor.Error
			require.True(t, errors.As(err, &e))
			assert.Equal(t, 200, e.StatusCode)
			assert.False(t, e.Temporary(), "asking again gets the same answer")
			assert.Equal(t, 1, mt.GetTotalCallCount(), "not retried")
		})
	}
}
