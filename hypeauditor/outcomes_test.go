package hypeauditor_test

import (
	"errors"
	"net/http"
	"testing"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Accounts HypeAuditor cannot report on are typed outcomes, however the
// API carries them.
func TestUnavailableOutcomes(t *testing.T) {
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
			r, err := c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "somechannel"})
			assert.Nil(t, r)
			require.ErrorIs(t, err, hypeauditor.ErrReportUnavailable)
			var ue *hypeauditor.UnavailableError
			require.True(t, errors.As(err, &ue))
			assert.Equal(t, tc.state, ue.State)
			assert.Equal(t, hypeauditor.NetworkYouTube, ue.Network)
			assert.Equal(t, "somechannel", ue.Account)
			assert.Equal(t, tc.state == hypeauditor.StateReportCalculating, ue.Temporary())
			assert.Contains(t, err.Error(), string(tc.state))
			if tc.kind != nil {
				assert.ErrorIs(t, err, tc.kind, "the HTTP kind is still there")
				require.NotNil(t, ue.Err)
			} else {
				assert.Nil(t, ue.Unwrap())
			}
			assert.Equal(t, 1, mt.GetTotalCallCount())
		})
	}
}

// Errors that are not about the account stay plain errors.
func TestNotUnavailable(t *testing.T) {
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
		assert.Equal(t, 1, mt.GetTotalCallCount(), "%s: not retried", name)
	}
}

func TestRetries(t *testing.T) {
	// A report GET is safe to repeat: 5xx and 429 are retried.
	c, mt := newMockClient(t)
	n := 0
	mt.RegisterResponder("GET", base+"auditor.twitch", func(r *http.Request) (*http.Response, error) {
		n++
		switch n {
		case 1:
			return str(500, `{"error":{"description":"Internal error"}}`), nil
		case 2:
			return str(429, `{"error":{"description":"Too many requests"}}`), nil
		}
		return str(200, `{"result":{"report_state":"READY","report":{"basic":{"username":"nasa"}}}}`), nil
	})
	r, err := c.Reports.Twitch(ctx, hypeauditor.ChannelParams{Channel: "nasa"})
	require.NoError(t, err)
	assert.Equal(t, 3, r.Response.Attempts)

	// A live search spends a discovery request: a 500 after sending is not
	// resent, and says so.
	c, mt = newMockClient(t)
	respond(mt, "POST", "auditor.search", 500, `{"error":{"description":"Internal error"}}`)
	_, err = c.Discovery.Search(ctx, hypeauditor.SearchParams{SocialNetwork: hypeauditor.NetworkInstagram})
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
	_, err = c.Discovery.Search(ctx, hypeauditor.SearchParams{SocialNetwork: hypeauditor.NetworkInstagram})
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
	_, err = c.Discovery.Search(ctx, hypeauditor.SearchParams{SocialNetwork: hypeauditor.NetworkInstagram}, hypeauditor.WithSandbox())
	require.NoError(t, err)
	assert.Equal(t, 2, mt.GetTotalCallCount())
}
