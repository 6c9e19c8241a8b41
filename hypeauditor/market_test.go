package hypeauditor_test

import (
	"context"
	"errors"
	"fmt"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The Market Analysis API: exact requests, validation, identifiers,
// drift, and the fake.

const marketBase = "https://hypeauditor.com/api/marketanalysis/"

// expectMarket registers a Market Analysis responder that asserts the
// exact request: credentials, no query at all (no v), and the JSON body.
func expectMarket(t *testing.T, mt *httpmock.MockTransport, method, path, body string, status int, file string) {
	t.Helper()
	resp := fixture.Load(t, file)
	mt.RegisterResponder(method, marketBase+path, func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, testID, r.Header.Get("X-Auth-Id"))
		assert.Equal(t, testToken, r.Header.Get("X-Auth-Token"))
		assert.Empty(t, r.URL.RawQuery, "market analysis calls send no v")
		got := ""
		if r.Body != nil {
			b, _ := io.ReadAll(r.Body)
			got = string(b)
		}
		if body == "" {
			assert.Empty(t, got)
		} else {
			assert.Equal(t, "application/json", r.Header.Get("Content-Type"))
			assert.JSONEq(t, body, got)
		}
		return str(status, string(resp)), nil
	})
}

func TestMarketAnalysisRequests(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	expectMarket(t, mt, "POST", "instagramCompetitorAnalysis",
		`{"date_from":"2022-08-14","date_to":"2022-09-13","audience_geo":["us"],"username":"gucci","hashtags":["gucci"]}`, 200, "competitor_analysis.json")
	a, err := c.MarketAnalysis.Create(ctx, hypeauditor.CompetitorAnalysisParams{Username: "@gucci", DateFrom: "2022-08-14", DateTo: "2022-09-13",
		AudienceGeo: []string{"us"}, Hashtags: []string{"#gucci"}})
	require.NoError(t, err)
	assert.True(t, a.Calculating())
	assert.False(t, a.Ready())
	assert.Equal(t, "16fc27a0b7e34c1d9a8f5e2b3c4d5e6f", a.ReportID())
	assert.Equal(t, "ig_mentions", a.Report.Config.Type)
	assert.Equal(t, "8306591", string(a.Report.Basic.SocialID))

	expectMarket(t, mt, "GET", "instagramCompetitorAnalysis/16fc27a0b7e34c1d9a8f5e2b3c4d5e6f", "", 200, "competitor_analysis.json")
	a, err = c.MarketAnalysis.Get(ctx, hypeauditor.CompetitorAnalysisIDParams{ReportID: a.ReportID()})
	require.NoError(t, err)
	assert.Equal(t, "gucci", a.Report.Basic.Username)

	mt.RegisterResponder("POST", marketBase+"instagramCompetitorAnalysis/posts", func(r *http.Request) (*http.Response, error) {
		b, _ := io.ReadAll(r.Body)
		assert.JSONEq(t, `{"report_id":"16fc27a0b7e34c1d9a8f5e2b3c4d5e6f","from":2,"size":20}`, string(b))
		return str(200, `{"posts": [{"id": "1"}], "total": 1}`), nil
	})
	ps, err := c.MarketAnalysis.Posts(ctx, hypeauditor.CompetitorPostsParams{ReportID: "16fc27a0b7e34c1d9a8f5e2b3c4d5e6f", From: 2, Size: 20})
	require.NoError(t, err)
	var posts struct {
		Total int `json:"total"`
	}
	require.NoError(t, ps.Decode(&posts))
	assert.Equal(t, 1, posts.Total)

	// A creation is never resent once it may have reached HypeAuditor.
	mt.Reset()
	mt.RegisterResponder("POST", marketBase+"instagramCompetitorAnalysis", httpmock.NewStringResponder(500, `{"error":{"description":"oops"}}`))
	_, err = c.MarketAnalysis.Create(ctx, hypeauditor.CompetitorAnalysisParams{Username: "gucci", DateFrom: "2022-08-14", DateTo: "2022-09-13"})
	assert.ErrorIs(t, err, hypeauditor.ErrOutcomeUnknown)
	assert.Equal(t, 1, mt.GetTotalCallCount())

	// An answer without a report cannot be used.
	mt.RegisterResponder("GET", marketBase+"instagramCompetitorAnalysis/x1", httpmock.NewStringResponder(200, `{"other": 1}`))
	_, err = c.MarketAnalysis.Get(ctx, hypeauditor.CompetitorAnalysisIDParams{ReportID: "x1"})
	assert.ErrorIs(t, err, hypeauditor.ErrUnexpectedResponse)

	// WithMarketAnalysisBaseURL moves the root.
	c2, mt2 := newMockClient(t, hypeauditor.WithMarketAnalysisBaseURL("https://proxy.example/ma/"))
	mt2.RegisterResponder("GET", "https://proxy.example/ma/instagramCompetitorAnalysis/x1", httpmock.NewStringResponder(200, string(fixture.Load(t, "competitor_analysis.json"))))
	_, err = c2.MarketAnalysis.Get(ctx, hypeauditor.CompetitorAnalysisIDParams{ReportID: "x1"})
	require.NoError(t, err)
	_, err = hypeauditor.NewClient(hypeauditor.WithCredentials(testID, testToken), hypeauditor.WithMarketAnalysisBaseURL("not a url"))
	assert.ErrorIs(t, err, hypeauditor.ErrInvalidParams)
}

func TestMarketAnalysisValidation(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	ma := hypeauditor.CompetitorAnalysisParams{Username: "gucci", DateFrom: "2022-08-14", DateTo: "2022-09-13"}
	refusedBeforeSending(t, map[string]func() error{
		"market: no dates": func() error {
			_, err := c.MarketAnalysis.Create(ctx, hypeauditor.CompetitorAnalysisParams{Username: "gucci"})
			return err
		},
		"market: dates reversed": func() error {
			p := ma
			p.DateFrom, p.DateTo = p.DateTo, p.DateFrom
			_, err := c.MarketAnalysis.CreateAndWait(ctx, p)
			return err
		},
		"market: country": func() error {
			p := ma
			p.AudienceGeo = []string{"USA"}
			_, err := c.MarketAnalysis.Create(ctx, p)
			return err
		},
		"market: hashtag": func() error {
			p := ma
			p.Hashtags = []string{"two words"}
			_, err := c.MarketAnalysis.Create(ctx, p)
			return err
		},
		"market posts: from": func() error {
			_, err := c.MarketAnalysis.Posts(ctx, hypeauditor.CompetitorPostsParams{ReportID: "x", From: -1})
			return err
		},
		"market wait: bad option": func() error {
			_, err := c.MarketAnalysis.GetAndWait(ctx, hypeauditor.CompetitorAnalysisIDParams{ReportID: "x"}, hypeauditor.WithPollInterval(0, 0))
			return err
		},
		"market wait: an option it cannot use": func() error {
			_, err := c.MarketAnalysis.CreateAndWait(ctx, hypeauditor.CompetitorAnalysisParams{Username: "gucci", DateFrom: "2022-08-14", DateTo: "2022-09-13"}, hypeauditor.WithMaxRetryTTL(time.Minute))
			if err == nil || !strings.Contains(err.Error(), "WithMaxRetryTTL applies to the waits HypeAuditor sends a retryTtl to") {
				return fmt.Errorf("the refusal names the option and the calls it applies to: %v", err)
			}
			return err
		},
	})
	assert.Equal(t, 0, mt.GetTotalCallCount())

	c, err := hypeauditor.NewClient(hypeauditor.WithCredentials(testID, testToken), hypeauditor.WithHTTPClient(&http.Client{Transport: refuseTransport{t}}))
	require.NoError(t, err)
	badIdentifiersRefused(t, map[string]func(v string) error{
		"MarketAnalysis.Create": func(v string) error {
			_, err := c.MarketAnalysis.Create(ctx, hypeauditor.CompetitorAnalysisParams{Username: v, DateFrom: "2022-08-14", DateTo: "2022-09-13"})
			return err
		},
		"MarketAnalysis.Create hashtags": func(v string) error {
			_, err := c.MarketAnalysis.Create(ctx, hypeauditor.CompetitorAnalysisParams{Username: "gucci", DateFrom: "2022-08-14", DateTo: "2022-09-13", Hashtags: []string{v}})
			return err
		},
		"MarketAnalysis.CreateAndWait": func(v string) error {
			_, err := c.MarketAnalysis.CreateAndWait(ctx, hypeauditor.CompetitorAnalysisParams{Username: v, DateFrom: "2022-08-14", DateTo: "2022-09-13"})
			return err
		},
		"MarketAnalysis.Get": func(v string) error {
			_, err := c.MarketAnalysis.Get(ctx, hypeauditor.CompetitorAnalysisIDParams{ReportID: v})
			return err
		},
		"MarketAnalysis.GetAndWait": func(v string) error {
			_, err := c.MarketAnalysis.GetAndWait(ctx, hypeauditor.CompetitorAnalysisIDParams{ReportID: v})
			return err
		},
		"MarketAnalysis.Posts": func(v string) error {
			_, err := c.MarketAnalysis.Posts(ctx, hypeauditor.CompetitorPostsParams{ReportID: v})
			return err
		},
	})
}

func TestDriftMarketAnalysis(t *testing.T) {
	t.Parallel()
	runDrift(t, []driftSpec{
		{"MarketAnalysis.Get", "", `\$|report|report\.basic\.(report_id|state)`, local("competitor_analysis.json"), func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error) {
			r, err := c.MarketAnalysis.Get(ctx, hypeauditor.CompetitorAnalysisIDParams{ReportID: "x1"})
			if err != nil {
				return nil, nil, err
			}
			return r, r.Response, nil
		}},
	})
}

// A market analysis is created once and read until it is ready; its
// creation is never resent once it may have reached HypeAuditor.
func TestFakeMarketAnalysis(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t)
		ctx := testCtx(t)
		p := hypeauditor.CompetitorAnalysisParams{Username: "gucci", DateFrom: "2022-08-14", DateTo: "2022-09-13", AudienceGeo: []string{"us"}, Hashtags: []string{"gucci"}}

		var progress []hypeauditor.Progress
		a, err := c.MarketAnalysis.CreateAndWait(ctx, p, append(srv.PollOptions(), hypeauditor.WithProgress(func(p hypeauditor.Progress) { progress = append(progress, p) }))...)
		require.NoError(t, err)
		assert.True(t, a.Ready())
		assert.Equal(t, []string{"gucci"}, a.Report.Config.Hashtags)
		assert.NotNil(t, a.Report.TimeUpdated)
		require.NotEmpty(t, progress)
		snap := srv.Snapshot()
		assert.Equal(t, 1, snap.Requests[hypeauditortest.RouteMarketCreate], "created once")
		assert.Positive(t, snap.Requests[hypeauditortest.RouteMarketGet])

		got, err := c.MarketAnalysis.GetAndWait(ctx, hypeauditor.CompetitorAnalysisIDParams{ReportID: a.ReportID()}, srv.PollOptions()...)
		require.NoError(t, err)
		assert.Equal(t, a.ReportID(), got.ReportID())
		posts, err := c.MarketAnalysis.Posts(ctx, hypeauditor.CompetitorPostsParams{ReportID: a.ReportID(), Size: 5})
		require.NoError(t, err)
		var body struct {
			Posts []map[string]any `json:"posts"`
			Total int              `json:"total"`
		}
		require.NoError(t, posts.Decode(&body))
		assert.Len(t, body.Posts, 5)
		assert.Equal(t, 7, body.Total)

		created, err := c.MarketAnalysis.Create(ctx, p)
		require.NoError(t, err)
		assert.True(t, created.Calculating())
		_, err = c.MarketAnalysis.Get(ctx, hypeauditor.CompetitorAnalysisIDParams{ReportID: "nope"})
		assert.ErrorIs(t, err, hypeauditor.ErrNotFound)

		before := srv.Snapshot().Requests[hypeauditortest.RouteMarketCreate]
		srv.SetFaults(hypeauditortest.Faults{Routes: []string{hypeauditortest.RouteMarketCreate}, DropAfterRate: 1})
		_, err = c.MarketAnalysis.CreateAndWait(ctx, p, srv.PollOptions()...)
		assert.ErrorIs(t, err, hypeauditor.ErrOutcomeUnknown)
		assert.Equal(t, before+1, srv.Snapshot().Requests[hypeauditortest.RouteMarketCreate], "not resent")
		srv.SetFaults(hypeauditortest.Faults{})
		assert.Zero(t, srv.MissingVersion(), "market analysis calls are not method calls")

		// A wait whose context ends first (the analysis takes 120 s)
		// returns a TimeoutError and the last analysis seen: checks at 0,
		// 30 and 60 s, and the next would come after the 75 s deadline.
		start := time.Now()
		a, err = c.MarketAnalysis.CreateAndWait(timeout(t, 75*time.Second), p, srv.PollOptions()...)
		var te *hypeauditor.TimeoutError
		require.True(t, errors.As(err, &te), "%v", err)
		assert.ErrorIs(t, err, context.DeadlineExceeded)
		require.NotNil(t, a)
		assert.True(t, a.Calculating())
		assert.Equal(t, 3, te.Checks)
		assert.Less(t, time.Since(start), 75*time.Second, "stopped at the last check")
	})
}
