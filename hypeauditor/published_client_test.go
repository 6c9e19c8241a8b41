package hypeauditor_test

import (
	"bytes"
	"encoding/json"
	"net/http"
	"net/url"
	"testing"
	"testing/synctest"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The report calls decode HypeAuditor's published samples end to end, from
// the HTTP response to the typed report. The samples are read from
// ../shared/fixtures/hypeauditor/ (never copied into the project); the test
// skips where that folder is absent.
func TestReportsDecodePublishedSamples(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	expect(t, mt, "GET", "auditor.youtube", want{query: url.Values{"channel": {"UCLA_DiR1FfKNvjuUpBHmylQ"}}}, 200, "shared:youtube_report.json")
	expect(t, mt, "GET", "auditor.tiktok", want{query: url.Values{"channel": {"littlebig"}, "features": {"blogger_emv,blogger_prices"}}}, 200, "shared:tiktok_report.json")
	expect(t, mt, "GET", "auditor.tiktokByUserId", want{query: url.Values{"user_id": {"6557821753438371845"}}}, 200, "shared:tiktok_report.json")

	yt, err := c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "UCLA_DiR1FfKNvjuUpBHmylQ"})
	require.NoError(t, err)
	assert.Equal(t, fixture.Shared(t, "hypeauditor", "youtube_report.json"), []byte(yt.Raw), "Raw is the body as received")
	assert.Equal(t, "NASA", yt.Report.Basic.Title)
	assert.Equal(t, hypeauditor.Float(11454597), *yt.Report.Metrics.SubscribersCount.Value)
	assert.Equal(t, "poor", yt.Media[0].Metrics.CPM.Mark("7d"))
	assert.Equal(t, hypeauditor.ID("5wjsVp3kDO8"), yt.Report.Features.MostMedia.Data["last_media"].MediaID)
	assert.Equal(t, hypeauditor.Float(1490), *yt.Report.IntegrationPrice().Price)
	ys := yt.Summary()
	assert.Equal(t, 46.0, ys.GetQuality().Score)
	assert.Len(t, ys.AudienceCountries, 5)

	tt, err := c.Reports.TikTok(ctx, hypeauditor.TikTokParams{Channel: "littlebig", Features: []string{"blogger_emv", "blogger_prices"}})
	require.NoError(t, err)
	assert.Equal(t, "littlebig", tt.Report.Basic.Username)
	geo := tt.Report.Features.AudienceGeo.Data
	require.NotNil(t, geo)
	assert.Equal(t, "ru", geo.Countries[0].Code)
	assert.Equal(t, hypeauditor.Float(2.58), geo.Groups["dach"])
	assert.Equal(t, "good", tt.Report.Features.BloggerEMV.Data.EMVMark)
	ts := tt.Summary()
	assert.Equal(t, []string{"RU", "UA", "KZ", "PL", "DE"}, shareCodes(ts.AudienceCountries))
	assert.Equal(t, 7.05, ts.GetEngagementRate())

	byID, err := c.Reports.TikTokAndWait(ctx, hypeauditor.TikTokParams{UserID: "6557821753438371845"})
	require.NoError(t, err)
	assert.Equal(t, ts, byID.Summary())
	assert.Equal(t, 3, mt.GetTotalCallCount(), "one request per call: nothing retried")
}

// Over HTTP too (a server in memory): the 580 KB YouTube sample.
func TestYouTubePublishedSampleOverHTTP(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		body := fixture.Shared(t, "hypeauditor", "youtube_report.json")
		srv := fake.NewBare("youtube", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			assert.Equal(t, "/auditor.youtube", r.URL.Path)
			w.Header().Set("Content-Type", "application/json")
			_, _ = w.Write(body)
		}))
		defer srv.Close()
		c, err := hypeauditor.NewClient(hypeauditor.WithCredentials(testID, testToken), hypeauditor.WithBaseURL(srv.URL), hypeauditor.WithHTTPClient(srv.HTTPClient()))
		require.NoError(t, err)
		r, err := c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "NASA"})
		require.NoError(t, err)
		assert.Len(t, r.Media, 44)
		assert.Empty(t, fixture.LostLeaves(body, mustJSON(t, struct {
			Result *hypeauditor.YouTubeReport `json:"result"`
		}{r})))
	})
}

// The published discovery request examples (every filter of each page's
// "JSON Example") decode into SearchParams with no unknown member, pass
// validation, and are sent exactly; the published answers decode.
func TestSearchAcceptsPublishedExamples(t *testing.T) {
	t.Parallel()
	for _, network := range []string{"youtube", "tiktok", "instagram"} {
		t.Run(network, func(t *testing.T) {
			example := fixture.Shared(t, "hypeauditor", "discovery_request_"+network+".json")
			var p hypeauditor.SearchParams
			dec := json.NewDecoder(bytes.NewReader(example))
			dec.DisallowUnknownFields()
			require.NoError(t, dec.Decode(&p), "every published filter has a typed field")

			c, mt := newMockClient(t)
			expect(t, mt, "POST", "auditor.searchSandbox", want{body: string(example)}, 200, "shared:discovery_"+network+".json")
			page, err := c.Discovery.SearchSandbox(ctx, p)
			require.NoError(t, err)
			require.Len(t, page.Items(), 1)
			assert.Equal(t, hypeauditor.NetworkType(network), page.Items()[0].SocialNetworks()[0].Type)
			assert.Equal(t, 1, mt.GetTotalCallCount())
		})
	}
}

// The new filters, built in Go, render as the published examples spell
// them.
func TestSearchNewFilters(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	expect(t, mt, "POST", "auditor.searchSandbox", want{body: `{"social_network":"tiktok","page":1,
		"thematics":{"include":[25,15]},"reactions_rate":{"marks":["average","good"]},"likes_avg":{"from":10000},
		"likes_growth_prc":{"from":1},"growth":{"period":"7d","from":10,"to":30}}`}, 200, "shared:discovery_tiktok.json")
	_, err := c.Discovery.SearchSandbox(ctx, hypeauditor.SearchParams{
		Platform:       hypeauditor.TikTok,
		Thematics:      &hypeauditor.CategoryFilter{Include: []int{25, 15}},
		ReactionsRate:  &hypeauditor.MarksFilter{Marks: []string{"average", "good"}},
		LikesAvg:       hypeauditor.AtLeast(10000),
		LikesGrowthPrc: &hypeauditor.GrowthFilter{From: ptr(1.0)},
		Growth:         &hypeauditor.GrowthFilter{Period: "7d", From: ptr(10.0), To: ptr(30.0)},
	})
	require.NoError(t, err)

	c, mt = newMockClient(t)
	respond(mt, "POST", "auditor.searchSandbox", 200, `{"result":{"search_results":[],"current_page":1,"total_pages":0}}`)
	for _, period := range hypeauditor.GrowthPeriods() {
		for _, p := range []hypeauditor.SearchParams{
			{Platform: hypeauditor.TikTok, LikesGrowthPrc: &hypeauditor.GrowthFilter{Period: period, From: ptr(1.0)}},
			{Platform: hypeauditor.YouTube, Growth: &hypeauditor.GrowthFilter{Period: period, To: ptr(50.0)}},
		} {
			_, err := c.Discovery.SearchSandbox(ctx, p)
			assert.NoError(t, err, period)
		}
	}
	assert.Equal(t, 2*len(hypeauditor.GrowthPeriods()), mt.GetTotalCallCount())
}

func shareCodes(s []hypeauditor.Share) []string {
	out := make([]string, len(s))
	for i, x := range s {
		out[i] = x.Code
	}
	return out
}

func mustJSON(t *testing.T, v any) []byte { return vendortest.MustJSON(t, v) }
