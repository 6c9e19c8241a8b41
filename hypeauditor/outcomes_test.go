package hypeauditor_test

import (
	"errors"
	"net/http"
	"testing"
	"testing/synctest"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Accounts HypeAuditor cannot report on are typed outcomes, however the
// API carries them.
func TestUnavailableOutcomes(t *testing.T) {
	t.Parallel()
	cases := []struct {
		name   string
		status int
		body   string
		state  hypeauditor.ReportState
		kind   error
	}{
		{"403 private", 403, `{"error":{"code":7,"description":"Account is private"}}`, hypeauditor.StatePrivate, hypeauditor.ErrForbidden},
		{"403 no posts", 403, `{"error":{"description":"Account has no posts"}}`, hypeauditor.StateNoPosts, hypeauditor.ErrForbidden},
		{"403 unknown", 403, `{"error":{"code":99,"description":"Forbidden"}}`, hypeauditor.StateUnavailable, hypeauditor.ErrForbidden},
		{"404 token", 404, `{"error":{"code":16,"description":"CHANNEL_NOT_FOUND"}}`, hypeauditor.StateChannelNotFound, hypeauditor.ErrNotFound},
		{"404 plain", 404, `{"error":{"code":16,"description":"Object not found"}}`, hypeauditor.StateChannelNotFound, hypeauditor.ErrNotFound},
		{"400 token", 400, `{"error":{"code":8,"description":"NO_VIDEOS"}}`, hypeauditor.StateNoVideos, hypeauditor.ErrInvalidParams},
		{"200 state", 200, `{"result":{"report_state":"DELETED"}}`, hypeauditor.StateDeleted, nil},
		{"202 calculating", 202, `{"result":{"report_state":"REPORT_CALCULATING"}}`, hypeauditor.StateReportCalculating, nil},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt := newMockClient(t)
			respond(mt, "GET", "auditor.youtube", tc.status, tc.body)
			r, err := c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "@somechannel"})
			assert.Nil(t, r)
			require.ErrorIs(t, err, hypeauditor.ErrReportUnavailable)
			var ie *hypeauditor.ItemError
			require.True(t, errors.As(err, &ie))
			assert.Equal(t, "hypeauditor", ie.Vendor)
			assert.Equal(t, string(tc.state), ie.State)
			assert.Equal(t, "@somechannel", ie.Input, "as given")
			assert.Equal(t, "youtube/@somechannel", ie.Item, "as HypeAuditor knows it")
			assert.Empty(t, ie.ID, "a report has no id of its own")
			assert.NotEmpty(t, ie.Reason)
			assert.NotContains(t, ie.Reason, "somechannel", "Item names the account")
			assert.Contains(t, err.Error(), "youtube/@somechannel")
			var e *hypeauditor.Error
			if tc.kind != nil {
				assert.ErrorIs(t, err, tc.kind, "the HTTP kind is still there")
				require.True(t, errors.As(err, &e), "the HTTP error is still there")
				assert.Equal(t, tc.status, e.StatusCode)
			} else {
				assert.Equal(t, hypeauditor.ErrReportUnavailable, ie.Err, "a state in a success body: the sentinel itself")
				assert.False(t, errors.As(err, &e))
			}
			assert.Equal(t, 1, mt.GetTotalCallCount())
		})
	}
}

// A report asked for by id names it in ItemError.Item as
// "<platform>/id:<id>"; the error says each thing once: the item, why
// (HypeAuditor's description only where it says more), and the cause.
func TestUnavailableByID(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	respond(mt, "GET", "auditor.tiktokByUserId", 403, `{"error":{"description":"Account is private"}}`)
	_, err := c.Reports.TikTok(ctx, hypeauditor.TikTokParams{UserID: "6557821753438371845"})
	var ie *hypeauditor.ItemError
	require.True(t, errors.As(err, &ie))
	assert.Equal(t, "tiktok/id:6557821753438371845", ie.Item)
	assert.Empty(t, ie.ID, "a report has no id of its own")
	assert.Equal(t, "6557821753438371845", ie.Input)
	assert.Equal(t, `the account is private`, ie.Reason)
	assert.Equal(t, `hypeauditor: tiktok/id:6557821753438371845: the account is private: report unavailable (HTTP 403)`, err.Error())

	respond(mt, "GET", "auditor.youtube", 404, `{"error":{"code":16,"description":"Object not found"}}`)
	_, err = c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "UCLA_DiR1FfKNvjuUpBHmylQ"})
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "youtube/id:UCLA_DiR1FfKNvjuUpBHmylQ", ie.Item, "a channel id")
	assert.Equal(t, `hypeauditor: youtube/id:UCLA_DiR1FfKNvjuUpBHmylQ: HypeAuditor found no such account (HypeAuditor: "Object not found"): report unavailable (HTTP 404)`, err.Error())
}

// Errors that are not about the account stay plain errors.
func TestNotUnavailable(t *testing.T) {
	t.Parallel()
	for name, tc := range map[string]struct {
		status int
		body   string
		kind   error
	}{
		"invalid token": {403, `{"error":{"code":4,"description":"Invalid token"}}`, hypeauditor.ErrUnauthorized},
		"no api access": {402, `{"error":{"code":27,"description":"No API access"}}`, hypeauditor.ErrQuotaExceeded},
		"no credits":    {402, `{"error":{"description":"Not enough credits"}}`, hypeauditor.ErrQuotaExceeded},
		"bad request":   {400, `{"error":{"code":8,"description":"Invalid request"}}`, hypeauditor.ErrInvalidParams},
		"access denied": {403, `{"error":{"code":15,"description":"Access denied"}}`, hypeauditor.ErrForbidden},
	} {
		c, mt := newMockClient(t)
		respond(mt, "GET", "auditor.report", tc.status, tc.body)
		_, err := c.Reports.Instagram(ctx, hypeauditor.InstagramParams{Username: "nasa"})
		assert.ErrorIs(t, err, tc.kind, name)
		assert.NotErrorIs(t, err, hypeauditor.ErrReportUnavailable, name)
		if tc.kind == hypeauditor.ErrQuotaExceeded {
			assert.NotErrorIs(t, err, hypeauditor.ErrForbidden, "%s: a spent quota is ErrQuotaExceeded only", name)
		}
		assert.Equal(t, 1, mt.GetTotalCallCount(), "%s: not retried", name)
	}
}

func TestRetries(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// The first report request for an account may unlock it (a credit):
		// a 5xx after sending is not resent, and says so.
		c, mt := newMockClient(t)
		n := 0
		mt.RegisterResponder("GET", base+"auditor.twitch", func(r *http.Request) (*http.Response, error) {
			n++
			switch n {
			case 1, 2:
				return str(500, `{"error":{"description":"Internal error"}}`), nil
			case 3:
				return str(429, `{"error":{"description":"Too many requests"}}`), nil
			}
			return str(200, `{"result":{"report_state":"READY","report":{"basic":{"username":"nasa"}}}}`), nil
		})
		_, err := c.Reports.Twitch(ctx, hypeauditor.ChannelParams{Channel: "nasa"})
		assert.ErrorIs(t, err, hypeauditor.ErrOutcomeUnknown)
		assert.ErrorIs(t, err, hypeauditor.ErrServer)
		assert.Equal(t, 1, mt.GetTotalCallCount())
		u := c.Usage()
		assert.Equal(t, int64(1), u.SpentUnknown, "the 500 may have come after the unlock")
		// Asking again is a re-poll, free if that request unlocked the report
		// (and covered by its SpentUnknown if it did not): 5xx and 429 are
		// retried like any GET.
		r, err := c.Reports.Twitch(ctx, hypeauditor.ChannelParams{Channel: "nasa"})
		require.NoError(t, err)
		assert.Equal(t, 3, r.Response.Attempts)
		assert.Equal(t, u.Spent+u.SpentUnknown, c.Usage().Spent+c.Usage().SpentUnknown, "the re-poll spends nothing more")

		// A live search spends a discovery request: a 500 after sending is not
		// resent, and says so.
		c, mt = newMockClient(t)
		respond(mt, "POST", "auditor.search", 500, `{"error":{"description":"Internal error"}}`)
		_, err = c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.Instagram})
		assert.ErrorIs(t, err, hypeauditor.ErrOutcomeUnknown)
		assert.ErrorIs(t, err, hypeauditor.ErrServer)
		assert.Equal(t, 1, mt.GetTotalCallCount())

		// ... but a 429 (refused, nothing spent) is retried.
		c, mt = newMockClient(t)
		n = 0
		mt.RegisterResponder("POST", base+"auditor.search", func(r *http.Request) (*http.Response, error) {
			n++
			if n == 1 {
				return str(429, `{"error":{"description":"Too many requests"}}`), nil
			}
			return str(200, `{"result":{"search_results":[],"current_page":1,"total_pages":0,"queries_left":5}}`), nil
		})
		_, err = c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.Instagram})
		require.NoError(t, err)
		assert.Equal(t, 2, mt.GetTotalCallCount())

		// The sandbox is free: a 500 is retried.
		c, mt = newMockClient(t)
		n = 0
		mt.RegisterResponder("POST", base+"auditor.searchSandbox", func(r *http.Request) (*http.Response, error) {
			n++
			if n == 1 {
				return str(502, `bad gateway`), nil
			}
			return str(200, `{"result":{"search_results":[],"current_page":1,"total_pages":0}}`), nil
		})
		_, err = c.Discovery.SearchSandbox(ctx, hypeauditor.SearchParams{Platform: hypeauditor.Instagram})
		require.NoError(t, err)
		assert.Equal(t, 2, mt.GetTotalCallCount())
	})
}
