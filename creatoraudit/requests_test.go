package creatoraudit_test

import (
	"encoding/json"
	"fmt"
	"net/http"
	"regexp"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Ids of the fixtures.
const (
	crID  = "9b2e4d10-7a3c-4f8e-b1d2-0c5a6e7f8091"
	accID = "3f6c2a9e-1b7d-4c52-9a0e-6d1f2b8c4e71"
	vidID = "7c8d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f"
	other = "2d3e4f50-6a7b-4c8d-9e0f-1a2b3c4d5e6f"
)

var uuidRE = regexp.MustCompile(`^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$`)

func TestMetaEndpoints(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", base+"/health", expect(t, want{method: "GET", path: "/v2/health", noAuth: true}, reply(t, 200, "health.json")))
	mt.RegisterResponder("GET", base+"/meta", expect(t, want{method: "GET", path: "/v2/meta", noAuth: true}, reply(t, 200, "meta.json")))
	mt.RegisterResponder("GET", base+"/whoami", expect(t, want{method: "GET", path: "/v2/whoami"}, reply(t, 200, "whoami.json")))

	h, err := c.Meta.Health(ctx)
	require.NoError(t, err)
	assert.Equal(t, "ok", h.Status)
	m, err := c.Meta.Get(ctx)
	require.NoError(t, err)
	assert.Equal(t, "v2", m.APIVersion)
	assert.Equal(t, "current", m.Status)
	assert.Equal(t, "req-meta.json", m.Response.RequestID, "X-Request-ID on every result")
	w, err := c.Meta.WhoAmI(ctx)
	require.NoError(t, err)
	assert.Equal(t, "reporting-prod", w.APIKeyName)
	assert.JSONEq(t, readFixture(t, "whoami.json"), string(w.Raw), "Raw is the body as received")
}

func TestAccountsListSendsEveryFilter(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", base+"/accounts", expect(t, want{method: "GET", path: "/v2/accounts",
		query: "category=media&creator_id=9b2e4d10-7a3c-4f8e-b1d2-0c5a6e7f8091&include_total=true&is_active=true&limit=100&order_by=follower_count&order_direction=asc&platform=instagram&q=geo&sort=-added_at"},
		reply(t, 200, "accounts_list.json", "Link", `<https://api.creatoraudit.com/v2/accounts?limit=100>; rel="first", <https://api.creatoraudit.com/v2/accounts?cursor=eyJhIjoiYiJ9&limit=100>; rel="next"`)))
	l, err := c.Accounts.List(ctx, creatoraudit.ListAccountsParams{Limit: 100, IncludeTotal: true, Platform: "Instagram", Q: " geo ",
		IsActive: creatoraudit.Bool(true), Category: "media", CreatorID: "9b2e4d10-7a3c-4f8e-b1d2-0c5a6e7f8091", OrderBy: "follower_count", OrderDirection: "ASC", Sort: "-added_at"})
	require.NoError(t, err)
	require.Len(t, l.Data, 2)
	assert.Equal(t, "https://api.creatoraudit.com/v2/accounts?limit=100", l.Links.First)
	assert.Equal(t, "https://api.creatoraudit.com/v2/accounts?cursor=eyJhIjoiYiJ9&limit=100", l.Links.Next)
	assert.Equal(t, "eyJhIjoiYiJ9", l.NextCursor())
	assert.JSONEq(t, `{"platform":null,"q":null,"is_active":null,"category":null,"creator_id":null,"order_by":"added_at","order_direction":"desc"}`, string(l.Filters))
}

func TestAccountsCreateSendsIdempotencyKey(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	var keys []string
	mt.RegisterResponder("POST", base+"/accounts", expect(t, want{method: "POST", path: "/v2/accounts",
		body: `{"platform":"instagram","username":"nasa","category":"science","scrape_interval_hours":12,"metadata":{"team":"a"},"is_active":true}`},
		func(r *http.Request) (*http.Response, error) {
			keys = append(keys, r.Header.Get("Idempotency-Key"))
			return reply(t, 201, "account_created.json")(r)
		}))
	p := creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "@nasa", Category: "science", ScrapeIntervalHours: 12,
		Metadata: creatoraudit.Metadata{"team": "a"}, IsActive: creatoraudit.Bool(true)}
	a, err := c.Accounts.Create(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, "nasa", a.Username)
	assert.False(t, a.Scraped())
	assert.Equal(t, 201, a.Response.StatusCode)
	_, err = c.Accounts.Create(ctx, p)
	require.NoError(t, err)
	require.Len(t, keys, 2)
	assert.Regexp(t, uuidRE, keys[0], "generated with crypto/rand as a v4 UUID")
	assert.NotEqual(t, keys[0], keys[1], "a new key per call")
	assert.Equal(t, keys[0], a.Response.IdempotencyKey)

	p.IdempotencyKey = "order-4711"
	a, err = c.Accounts.Create(ctx, p)
	require.NoError(t, err)
	assert.Equal(t, "order-4711", keys[2], "a caller's key is sent as is")
	assert.Equal(t, "order-4711", a.Response.IdempotencyKey)
}

// A create retried after a 503 sends the same key every time.
func TestCreateRetriesWithTheSameKey(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t)
		var keys []string
		mt.RegisterResponder("POST", base+"/creators", func(r *http.Request) (*http.Response, error) {
			keys = append(keys, r.Header.Get("Idempotency-Key"))
			if len(keys) < 3 {
				return reply(t, 503, "error_503_service_unavailable.json", "Retry-After", "0")(r)
			}
			return reply(t, 201, "creator.json")(r)
		})
		cr, err := c.Creators.Create(ctx, creatoraudit.CreateCreatorParams{Name: "National Geographic"})
		require.NoError(t, err)
		assert.Equal(t, 3, cr.Response.Attempts)
		require.Len(t, keys, 3)
		assert.Equal(t, keys[0], keys[1])
		assert.Equal(t, keys[0], keys[2])
	})
}

func TestAccountsGetUpdateDelete(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	id := "5a7b9c1d-2e3f-4a5b-8c6d-7e8f9a0b1c2d"
	mt.RegisterResponder("GET", base+"/accounts/"+id, expect(t, want{method: "GET", path: "/v2/accounts/" + id}, reply(t, 200, "account_created.json", "ETag", `"v1"`)))
	mt.RegisterResponder("PATCH", base+"/accounts/"+id, expect(t, want{method: "PATCH", path: "/v2/accounts/" + id,
		body: `{"is_active":false,"category":"space","scrape_interval_hours":6,"creator_id":"9b2e4d10-7a3c-4f8e-b1d2-0c5a6e7f8091","post_lookback_days":14}`}, reply(t, 200, "account_created.json")))
	mt.RegisterResponder("DELETE", base+"/accounts/"+id, expect(t, want{method: "DELETE", path: "/v2/accounts/" + id}, httpmock.NewStringResponder(204, "")))

	a, err := c.Accounts.Get(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, id, a.ID)
	assert.Equal(t, `"v1"`, a.Response.GetHeader("ETag"))
	assert.False(t, creatoraudit.NotModified(a.Response))
	_, err = c.Accounts.Update(ctx, id, creatoraudit.UpdateAccountParams{IsActive: creatoraudit.Bool(false), Category: creatoraudit.String("space"),
		ScrapeIntervalHours: creatoraudit.Int(6), CreatorID: creatoraudit.String("9b2e4d10-7a3c-4f8e-b1d2-0c5a6e7f8091"), PostLookbackDays: creatoraudit.Int(14)})
	require.NoError(t, err)
	meta, err := c.Accounts.Delete(ctx, id)
	require.NoError(t, err)
	assert.Equal(t, 204, meta.StatusCode)
}

func TestIfNoneMatchGives304(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", base+"/creators/"+crID, expect(t, want{method: "GET", path: "/v2/creators/" + crID, header: map[string]string{"If-None-Match": `"abc"`}},
		httpmock.NewBytesResponder(304, nil)))
	cr, err := c.Creators.Get(ctx, crID, creatoraudit.IfNoneMatch(`"abc"`))
	require.NoError(t, err)
	assert.True(t, creatoraudit.NotModified(cr.Response))
	assert.Empty(t, cr.ID, "no cache: a 304 carries no data")
}

func TestETagCacheServesUnchangedBodies(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, creatoraudit.WithETagCache(8))
	var inm []string
	mt.RegisterResponder("GET", base+"/creators/"+crID, func(r *http.Request) (*http.Response, error) {
		inm = append(inm, r.Header.Get("If-None-Match"))
		if r.Header.Get("If-None-Match") == `"e1"` {
			return httpmock.NewBytesResponse(304, nil), nil
		}
		return reply(t, 200, "creator.json", "ETag", `"e1"`)(r)
	})
	first, err := c.Creators.Get(ctx, crID)
	require.NoError(t, err)
	second, err := c.Creators.Get(ctx, crID)
	require.NoError(t, err)
	assert.Equal(t, []string{"", `"e1"`}, inm, "the second GET revalidates")
	assert.True(t, creatoraudit.NotModified(second.Response))
	assert.Equal(t, first.Name, second.Name, "served from the cache")
	assert.Equal(t, first.AccountsSummary.Total, second.AccountsSummary.Total)
	assert.JSONEq(t, string(first.Raw), string(second.Raw))
}

func TestAccountsMetricsSplitsBy200(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	ids := make([]string, 450)
	for i := range ids {
		ids[i] = fmt.Sprintf("00000000-0000-4000-8000-%012d", i)
	}
	ids = append(ids, ids[0], ids[1]) // duplicates are dropped
	var sizes []int
	mt.RegisterResponder("POST", base+"/accounts/metrics", func(r *http.Request) (*http.Response, error) {
		var body struct {
			AccountIDs []string `json:"account_ids"`
			Period     string   `json:"period"`
			StartDate  string   `json:"start_date"`
			EndDate    string   `json:"end_date"`
		}
		require.NoError(t, decodeJSON(r, &body))
		assert.Equal(t, "custom", body.Period)
		assert.Equal(t, "2026-05-01", body.StartDate)
		assert.Equal(t, "2026-05-31", body.EndDate)
		assert.Empty(t, r.Header.Get("Idempotency-Key"), "a read needs no key")
		sizes = append(sizes, len(body.AccountIDs))
		data := map[string]any{}
		for _, id := range body.AccountIDs {
			data[id] = map[string]any{"views": 10, "followers": "2000"}
		}
		return httpmock.NewJsonResponse(200, map[string]any{"data": data, "meta": map[string]any{"count": len(body.AccountIDs)}})
	})
	m, err := c.Accounts.Metrics(ctx, creatoraudit.MetricsParams{IDs: ids, Period: creatoraudit.PeriodCustom, StartDate: "2026-05-01", EndDate: "2026-05-31"})
	require.NoError(t, err)
	assert.Equal(t, []int{200, 200, 50}, sizes)
	assert.Len(t, m.ByID, 450)
	assert.Equal(t, int64(2000), *m.ByID[ids[449]].Followers)
	require.Len(t, m.Pages, 3)
	assert.Equal(t, ids[400], m.Pages[2].IDs[0])
}

func TestVideosEndpoints(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	vid := "7c8d9e0f-1a2b-4c3d-9e4f-5a6b7c8d9e0f"
	mt.RegisterResponder("GET", base+"/videos", expect(t, want{method: "GET", path: "/v2/videos", query: "account_id=" + accID + "&limit=10&order_by=view_count&order_direction=desc&platform=tiktok"}, reply(t, 200, "videos_list.json")))
	mt.RegisterResponder("POST", base+"/videos", expect(t, want{method: "POST", path: "/v2/videos",
		body: `{"platform":"instagram","identifier":"https://www.instagram.com/p/C7xYz12AbCd/","metadata":{"campaign":"summer-26"},"is_active":true,"scrape_interval_hours":6}`},
		reply(t, 201, "video_created.json")))
	mt.RegisterResponder("GET", base+"/videos/"+vid, expect(t, want{method: "GET", path: "/v2/videos/" + vid}, reply(t, 200, "video_created.json")))
	mt.RegisterResponder("PATCH", base+"/videos/"+vid, expect(t, want{method: "PATCH", path: "/v2/videos/" + vid, body: `{"is_active":false}`}, reply(t, 200, "video_created.json")))
	mt.RegisterResponder("DELETE", base+"/videos/"+vid, expect(t, want{method: "DELETE", path: "/v2/videos/" + vid}, httpmock.NewStringResponder(204, "")))
	mt.RegisterResponder("POST", base+"/videos/metrics", expect(t, want{method: "POST", path: "/v2/videos/metrics", body: `{"video_ids":["` + vid + `","0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b"],"period":"7d"}`}, reply(t, 200, "videos_metrics.json")))
	mt.RegisterResponder("POST", base+"/videos/deltas", expect(t, want{method: "POST", path: "/v2/videos/deltas", body: `{"video_ids":["` + vid + `"],"windows":[1,7,30]}`}, reply(t, 200, "videos_deltas.json")))
	mt.RegisterResponder("GET", base+"/videos/"+vid+"/analytics", expect(t, want{method: "GET", path: "/v2/videos/" + vid + "/analytics", query: "period=90d"}, reply(t, 200, "creator_analytics.json")))
	mt.RegisterResponder("GET", base+"/videos/"+vid+"/timeseries", expect(t, want{method: "GET", path: "/v2/videos/" + vid + "/timeseries", query: "end_date=2026-06-14&period=custom&start_date=2026-05-16"}, reply(t, 200, "account_timeseries.json")))

	l, err := c.Videos.List(ctx, creatoraudit.ListVideosParams{Limit: 10, AccountID: accID, Platform: creatoraudit.TikTok, OrderBy: "view_count", OrderDirection: creatoraudit.Desc})
	require.NoError(t, err)
	assert.Len(t, l.Data, 2)
	v, err := c.Videos.Create(ctx, creatoraudit.CreateVideoParams{Platform: creatoraudit.Instagram, Identifier: "https://www.instagram.com/p/C7xYz12AbCd/",
		Metadata: creatoraudit.Metadata{"campaign": "summer-26"}, IsActive: creatoraudit.Bool(true), ScrapeIntervalHours: 6})
	require.NoError(t, err)
	assert.Equal(t, creatoraudit.ID(vid), v.ID)
	assert.Regexp(t, uuidRE, v.Response.IdempotencyKey)
	_, err = c.Videos.Get(ctx, vid)
	require.NoError(t, err)
	_, err = c.Videos.Update(ctx, vid, creatoraudit.UpdateVideoParams{IsActive: creatoraudit.Bool(false)})
	require.NoError(t, err)
	_, err = c.Videos.Delete(ctx, vid)
	require.NoError(t, err)
	m, err := c.Videos.Metrics(ctx, creatoraudit.MetricsParams{IDs: []string{vid, "0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b", vid}, Period: creatoraudit.Period7d})
	require.NoError(t, err)
	assert.Equal(t, int64(310000), *m.ByID[vid].Views)
	assert.Nil(t, m.ByID["0e1f2a3b-4c5d-4e6f-8a7b-9c0d1e2f3a4b"].SavedCount)
	d, err := c.Videos.Deltas(ctx, creatoraudit.DeltasParams{VideoIDs: []string{vid}, Windows: []int{30, 7, 1, 7}})
	require.NoError(t, err)
	assert.Equal(t, int64(95000), *d.ByVideo[vid][7].Views)
	assert.Equal(t, int64(12000), *d.ByVideo[vid][1].Views)
	an, err := c.Videos.Analytics(ctx, vid, creatoraudit.AnalyticsParams{Period: creatoraudit.Period90d})
	require.NoError(t, err)
	assert.Equal(t, 6.04, *an.Metrics.EngagementRate)
	ts, err := c.Videos.Timeseries(ctx, vid, creatoraudit.AnalyticsParams{Period: creatoraudit.PeriodCustom, StartDate: "2026-05-16", EndDate: "2026-06-14"})
	require.NoError(t, err)
	assert.Len(t, ts.Points, 1)
}

func TestAccountVideosEndpoints(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", base+"/account-videos", expect(t, want{method: "GET", path: "/v2/account-videos", query: "account_id=" + accID + "&order_by=create_time"}, reply(t, 200, "videos_list.json")))
	mt.RegisterResponder("GET", base+"/account-videos/48213", expect(t, want{method: "GET", path: "/v2/account-videos/48213"}, reply(t, 200, "video_created.json")))
	var bodies []string
	mt.RegisterResponder("POST", base+"/account-videos/metrics", func(r *http.Request) (*http.Response, error) {
		bodies = append(bodies, readAll(r.Body))
		return reply(t, 200, "videos_metrics_empty.json")(r)
	})
	mt.RegisterResponder("GET", base+"/account-videos/48213/analytics", expect(t, want{method: "GET", path: "/v2/account-videos/48213/analytics"}, reply(t, 200, "creator_analytics.json")))
	mt.RegisterResponder("GET", base+"/account-videos/48213/timeseries", expect(t, want{method: "GET", path: "/v2/account-videos/48213/timeseries", query: "period=7d"}, reply(t, 200, "account_timeseries.json")))

	_, err := c.AccountVideos.List(ctx, creatoraudit.ListVideosParams{AccountID: accID, OrderBy: "create_time"})
	require.NoError(t, err)
	_, err = c.AccountVideos.Get(ctx, "48213")
	require.NoError(t, err)
	ig := make([]int64, 150)
	tt := make([]int64, 100)
	for i := range ig {
		ig[i] = int64(1000 + i)
	}
	for i := range tt {
		tt[i] = int64(5000 + i)
	}
	m, err := c.AccountVideos.Metrics(ctx, creatoraudit.AccountVideoMetricsParams{InstagramPostIDs: ig, TiktokVideoIDs: tt})
	require.NoError(t, err)
	require.Len(t, bodies, 2, "250 ids: 200 then 50")
	assert.Contains(t, bodies[0], `"instagram_post_ids":[1000,`)
	assert.Contains(t, bodies[0], `"tiktok_video_ids":[5000,`)
	var first struct{ IG, TT []int64 }
	require.NoError(t, json.Unmarshal([]byte(strings.NewReplacer("instagram_post_ids", "IG", "tiktok_video_ids", "TT").Replace(bodies[0])), &first))
	assert.Len(t, first.IG, 150)
	assert.Len(t, first.TT, 50, "the first request is filled to 200 ids")
	assert.NotContains(t, bodies[1], "instagram_post_ids")
	assert.Len(t, m.Pages, 2)
	assert.Empty(t, m.ByID, "the documented empty data has no ids")
	_, err = c.AccountVideos.Analytics(ctx, "48213", creatoraudit.AnalyticsParams{})
	require.NoError(t, err)
	_, err = c.AccountVideos.Timeseries(ctx, "48213", creatoraudit.AnalyticsParams{Period: creatoraudit.Period7d})
	require.NoError(t, err)
}

func TestCreatorsEndpoints(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	cr := "9b2e4d10-7a3c-4f8e-b1d2-0c5a6e7f8091"
	acc := "c1d2e3f4-a5b6-4c7d-8e9f-0a1b2c3d4e5f"
	mt.RegisterResponder("GET", base+"/creators", expect(t, want{method: "GET", path: "/v2/creators", query: "is_active=false&order_by=name&order_direction=asc"}, reply(t, 200, "creators_list.json")))
	mt.RegisterResponder("POST", base+"/creators", expect(t, want{method: "POST", path: "/v2/creators", body: `{"name":"National Geographic","metadata":{"tier":"gold"}}`}, reply(t, 201, "creator.json")))
	mt.RegisterResponder("PATCH", base+"/creators/"+cr, expect(t, want{method: "PATCH", path: "/v2/creators/" + cr, body: `{"name":"Nat Geo","is_active":false}`}, reply(t, 200, "creator.json")))
	mt.RegisterResponder("DELETE", base+"/creators/"+cr, expect(t, want{method: "DELETE", path: "/v2/creators/" + cr}, httpmock.NewStringResponder(204, "")))
	links := 0
	mt.RegisterResponder("PUT", base+"/creators/"+cr+"/accounts/"+acc, expect(t, want{method: "PUT", path: "/v2/creators/" + cr + "/accounts/" + acc}, func(r *http.Request) (*http.Response, error) {
		links++
		if links == 1 {
			return reply(t, 201, "creator_link.json", "Location", "/v2/creators/"+cr+"/accounts/"+acc)(r)
		}
		return reply(t, 200, "creator_link.json")(r)
	}))
	mt.RegisterResponder("PUT", base+"/creators/"+cr+"/accounts/"+other, reply(t, 409, "error_409_conflict.json"))
	mt.RegisterResponder("DELETE", base+"/creators/"+cr+"/accounts/"+acc, expect(t, want{method: "DELETE", path: "/v2/creators/" + cr + "/accounts/" + acc}, httpmock.NewStringResponder(204, "")))
	mt.RegisterResponder("GET", base+"/creators/top", expect(t, want{method: "GET", path: "/v2/creators/top", query: "limit=25&metric=views&period=30d&platform=tiktok"}, reply(t, 200, "creators_top.json")))
	mt.RegisterResponder("GET", base+"/creators/"+cr+"/analytics", expect(t, want{method: "GET", path: "/v2/creators/" + cr + "/analytics", query: "end_date=2026-06-14&start_date=2026-05-16"}, reply(t, 200, "creator_analytics.json")))
	mt.RegisterResponder("GET", base+"/creators/"+cr+"/timeseries", expect(t, want{method: "GET", path: "/v2/creators/" + cr + "/timeseries", query: "period=30d"}, reply(t, 200, "account_timeseries.json")))
	mt.RegisterResponder("GET", base+"/accounts", expect(t, want{method: "GET", path: "/v2/accounts", query: "creator_id=" + cr + "&limit=200"}, reply(t, 200, "videos_list.json")))

	l, err := c.Creators.List(ctx, creatoraudit.ListCreatorsParams{IsActive: creatoraudit.Bool(false), OrderBy: "name", OrderDirection: creatoraudit.Asc})
	require.NoError(t, err)
	assert.Len(t, l.Data, 2)
	created, err := c.Creators.Create(ctx, creatoraudit.CreateCreatorParams{Name: " National Geographic ", Metadata: creatoraudit.Metadata{"tier": "gold"}})
	require.NoError(t, err)
	assert.Equal(t, cr, created.ID)
	_, err = c.Creators.Update(ctx, cr, creatoraudit.UpdateCreatorParams{Name: creatoraudit.String("Nat Geo"), IsActive: creatoraudit.Bool(false)})
	require.NoError(t, err)

	link, err := c.Creators.LinkAccount(ctx, cr, acc)
	require.NoError(t, err)
	assert.True(t, link.Created, "201 on the first link")
	assert.Equal(t, "/v2/creators/"+cr+"/accounts/"+acc, link.Location)
	again, err := c.Creators.LinkAccount(ctx, cr, acc)
	require.NoError(t, err)
	assert.False(t, again.Created, "200 when already linked")
	assert.Equal(t, acc, again.AccountID)
	_, err = c.Creators.LinkAccount(ctx, cr, other)
	require.ErrorIs(t, err, creatoraudit.ErrConflict)
	assert.Equal(t, creatoraudit.CodeConflict, creatoraudit.CodeOf(err))
	_, err = c.Creators.UnlinkAccount(ctx, cr, acc)
	require.NoError(t, err)

	top, err := c.Creators.Top(ctx, creatoraudit.TopCreatorsParams{Period: creatoraudit.Period30d, Limit: 25, Platform: creatoraudit.TikTok, Metric: "views"})
	require.NoError(t, err)
	assert.Equal(t, "NASA", top.Data[1].Name)
	_, err = c.Creators.Analytics(ctx, cr, creatoraudit.AnalyticsParams{StartDate: "2026-05-16", EndDate: "2026-06-14"})
	require.NoError(t, err)
	_, err = c.Creators.Timeseries(ctx, cr, creatoraudit.AnalyticsParams{Period: creatoraudit.Period30d})
	require.NoError(t, err)
	n := 0
	for _, err := range c.Creators.AccountsAll(ctx, cr, creatoraudit.ListAccountsParams{}) {
		require.NoError(t, err)
		n++
	}
	assert.Equal(t, 2, n)
	_, err = c.Creators.Delete(ctx, cr)
	require.NoError(t, err)
}

func TestOverviewAndSearch(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", base+"/overview", expect(t, want{method: "GET", path: "/v2/overview", query: "period=30d"}, reply(t, 200, "overview.json")))
	mt.RegisterResponder("GET", base+"/overview/timeseries", expect(t, want{method: "GET", path: "/v2/overview/timeseries", query: "period=90d"}, reply(t, 200, "account_timeseries.json")))
	mt.RegisterResponder("GET", base+"/search", expect(t, want{method: "GET", path: "/v2/search", query: "limit=25&q=nat+geo"}, reply(t, 200, "search.json")))
	o, err := c.Overview.Get(ctx, creatoraudit.OverviewParams{Period: creatoraudit.Period30d})
	require.NoError(t, err)
	assert.Equal(t, int64(48), o.Current.ActiveAccounts)
	_, err = c.Overview.Timeseries(ctx, creatoraudit.AnalyticsParams{Period: creatoraudit.Period90d})
	require.NoError(t, err)
	s, err := c.Search.Query(ctx, creatoraudit.SearchParams{Q: "nat geo", Limit: 25})
	require.NoError(t, err)
	assert.Equal(t, "National Geographic", s.Data.Creators[0].Name)
}

func TestWithPathsOverridesInferredPaths(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t, creatoraudit.WithPaths(creatoraudit.Paths{AccountTimeseries: "/accounts/{id}/series", Video: "individual-videos/{id}"}))
	mt.RegisterResponder("GET", base+"/accounts/"+accID+"/series", reply(t, 200, "account_timeseries.json"))
	mt.RegisterResponder("GET", base+"/individual-videos/"+vidID, reply(t, 200, "video_created.json"))
	_, err := c.Accounts.Timeseries(ctx, accID, creatoraudit.AnalyticsParams{})
	require.NoError(t, err)
	_, err = c.Videos.Get(ctx, vidID)
	require.NoError(t, err)
	assert.Equal(t, "accounts/{id}", c.Paths().Account, "other paths keep their defaults")

	_, err = creatoraudit.NewClient(creatoraudit.WithAPIKey(testKey), creatoraudit.WithPaths(creatoraudit.Paths{Video: "videos/by-id"}))
	require.ErrorIs(t, err, creatoraudit.ErrInvalidParams, "an override must keep {id}")
	_, err = creatoraudit.NewClient(creatoraudit.WithAPIKey(testKey), creatoraudit.WithPaths(creatoraudit.Paths{Search: "https://evil.example/search"}))
	require.ErrorIs(t, err, creatoraudit.ErrInvalidParams)
}

func TestListAllFollowsCursorsLazily(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		c, mt := newMockClient(t)
		var cursors []string
		mt.RegisterResponder("GET", base+"/accounts", func(r *http.Request) (*http.Response, error) {
			q := r.URL.Query()
			assert.Equal(t, "200", q.Get("limit"))
			assert.Equal(t, "tiktok", q.Get("platform"))
			cursors = append(cursors, q.Get("cursor"))
			switch q.Get("cursor") {
			case "":
				return httpmock.NewStringResponse(200, `{"data":[{"id":"a1","username":"x"},{"id":"a2","username":"y"}],"pagination":{"next_cursor":"c2","has_next":true,"limit":200}}`), nil
			case "c2":
				// Only the Link header names the next page.
				resp := httpmock.NewStringResponse(200, `{"data":[{"id":"a3","username":"z"}],"pagination":{"next_cursor":null,"has_next":true,"limit":200}}`)
				resp.Header.Set("Link", `<https://api.creatoraudit.com/v2/accounts?cursor=c3&limit=200&platform=tiktok>; rel="next"`)
				return resp, nil
			default:
				return httpmock.NewStringResponse(200, `{"data":[{"id":"a4","username":"w"}],"pagination":{"next_cursor":null,"has_next":false,"limit":200}}`), nil
			}
		})
		var ids []string
		for a, err := range c.Accounts.ListAll(ctx, creatoraudit.ListAccountsParams{Platform: creatoraudit.TikTok}) {
			require.NoError(t, err)
			ids = append(ids, a.ID)
		}
		assert.Equal(t, []string{"a1", "a2", "a3", "a4"}, ids)
		assert.Equal(t, []string{"", "c2", "c3"}, cursors)

		cursors = nil
		for range c.Accounts.ListAll(ctx, creatoraudit.ListAccountsParams{Platform: creatoraudit.TikTok}) {
			break
		}
		assert.Equal(t, []string{""}, cursors, "break stops before the next page")
	})
}

// A cursor is bound to the filters it was issued with; reusing it with
// others is refused before sending.
func TestCursorReuseWithOtherFiltersIsRefused(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", base+"/accounts", func(r *http.Request) (*http.Response, error) {
		return httpmock.NewStringResponse(200, `{"data":[{"id":"a1"}],"pagination":{"next_cursor":"cur-1","has_next":true,"limit":1}}`), nil
	})
	p := creatoraudit.ListAccountsParams{Limit: 1, Platform: creatoraudit.Instagram, OrderBy: "follower_count"}
	page, err := c.Accounts.List(ctx, p)
	require.NoError(t, err)
	calls := mt.GetTotalCallCount()

	bad := p
	bad.Cursor, bad.Platform = page.NextCursor(), creatoraudit.TikTok
	_, err = c.Accounts.List(ctx, bad)
	require.ErrorIs(t, err, creatoraudit.ErrInvalidParams)
	assert.Contains(t, err.Error(), "cursor")
	bad.Platform, bad.OrderDirection = creatoraudit.Instagram, creatoraudit.Asc
	_, err = c.Accounts.List(ctx, bad)
	require.ErrorIs(t, err, creatoraudit.ErrInvalidParams, "sort is part of the binding")
	assert.Equal(t, calls, mt.GetTotalCallCount(), "nothing sent")

	good := p
	good.Cursor, good.Limit = page.NextCursor(), 50 // the page size may change
	_, err = c.Accounts.List(ctx, good)
	require.NoError(t, err)
	assert.Equal(t, calls+1, mt.GetTotalCallCount())
	_, err = c.Accounts.List(ctx, creatoraudit.ListAccountsParams{Cursor: "from-another-process", Platform: creatoraudit.TikTok})
	require.NoError(t, err, "an unknown cursor is left to the server")
}

func TestRateLimitHeadersAreExposed(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", base+"/whoami", reply(t, 200, "whoami.json", "X-RateLimit-Limit", "600", "X-RateLimit-Remaining", "12", "X-RateLimit-Reset", "1718354400"))
	assert.False(t, c.RateLimit().Known)
	w, err := c.Meta.WhoAmI(ctx)
	require.NoError(t, err)
	rl := c.RateLimit()
	assert.True(t, rl.Known)
	assert.Equal(t, 600, rl.Limit)
	assert.Equal(t, 12, rl.Remaining)
	assert.Equal(t, int64(1718354400), rl.Reset.Unix())
	assert.Equal(t, 12, w.Response.RateLimit.Remaining)
}

func TestNewClientCredentialsAndString(t *testing.T) {
	t.Setenv("CREATORAUDIT_API_KEY", "")
	_, err := creatoraudit.NewClient()
	require.ErrorIs(t, err, creatoraudit.ErrInvalidParams)
	assert.Contains(t, err.Error(), "CREATORAUDIT_API_KEY")

	t.Setenv("CREATORAUDIT_API_KEY", "ca_live_fromenvSECRET")
	t.Setenv("CREATORAUDIT_BASE_URL", "http://127.0.0.1:1/v2")
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder("GET", "http://127.0.0.1:1/v2/whoami", func(r *http.Request) (*http.Response, error) {
		assert.Equal(t, "Bearer ca_live_fromenvSECRET", r.Header.Get("Authorization"))
		return reply(t, 200, "whoami.json")(r)
	})
	c, err := creatoraudit.NewClient(creatoraudit.WithHTTPClient(&http.Client{Transport: mt}))
	require.NoError(t, err)
	_, err = c.Meta.WhoAmI(ctx)
	require.NoError(t, err)
	for _, s := range []string{c.String(), fmt.Sprintf("%v", c), fmt.Sprintf("%#v", c)} {
		assert.NotContains(t, s, "fromenvSECRET")
	}
	_, err = creatoraudit.NewClient(creatoraudit.WithETagCache(-1))
	require.ErrorIs(t, err, creatoraudit.ErrInvalidParams)
}

func readFixture(t *testing.T, name string) string { return string(loadFixture(t, name)) }

// GetAndWait reads the state it waits on (last_scrape_time,
// is_unavailable): an answer where either cannot be read ends the wait
// with ErrUnexpectedResponse at once, instead of polling until the budget
// runs out on a state it cannot see. Elsewhere the same values only leave
// a DecodeIssue.
func TestGetAndWaitNeedsItsState(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		for _, body := range []string{
			`{"data":{"id":"` + accID + `","username":"natgeo","last_scrape_time":{"at":"2026-06-14T09:30:00Z"}}}`,
			`{"data":{"id":"` + accID + `","username":"natgeo","last_scrape_time":null,"is_unavailable":"no"}}`,
		} {
			c, mt := newMockClient(t)
			mt.RegisterResponder("GET", base+"/accounts/"+accID, httpmock.NewStringResponder(200, body))
			_, err := c.Accounts.GetAndWait(ctx, accID, creatoraudit.WithPollInterval(time.Millisecond, time.Millisecond))
			require.ErrorIs(t, err, creatoraudit.ErrUnexpectedResponse, body)
			assert.Contains(t, err.Error(), "cannot tell whether it was scraped")
			assert.Equal(t, 1, mt.GetTotalCallCount(), "one check")
			a, err := c.Accounts.Get(ctx, accID)
			require.NoError(t, err, "a plain Get keeps the rest of the answer")
			assert.Equal(t, "natgeo", a.Username)
			require.Len(t, a.Response.DecodeIssues, 1)
		}
	})
}
