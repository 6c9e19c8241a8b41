package infludata_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// assertGET checks an authenticated GET with exactly the given query.
func assertGET(t *testing.T, s sent, path string, query url.Values) {
	t.Helper()
	assert.Equal(t, http.MethodGet, s.Method)
	assert.Equal(t, "/api/externalAPI/"+path, s.Path)
	assert.Equal(t, query, s.Query)
	assert.Equal(t, "Bearer "+testKey, s.Header.Get("Authorization"))
	assert.Equal(t, "application/json", s.Header.Get("Accept"))
	assert.True(t, strings.HasPrefix(s.Header.Get("User-Agent"), "creatorkit-go/"), s.Header.Get("User-Agent"))
	assert.Empty(t, s.Body)
}

func TestProfilesRequests(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("get with audience report", func(t *testing.T) {
		c, mt, rec := mock(t)
		mt.RegisterResponder("GET", base+"/getUserData", reply(t, rec, 200, "user_data.json"))
		p, err := c.Profiles.Get(ctx, infludata.GetProfileParams{Platform: infludata.Instagram, Username: "adidas", IncludeAudienceReport: true, ShowDatalogAndScore: true})
		require.NoError(t, err)
		require.Len(t, rec.all(), 1)
		assertGET(t, rec.all()[0], "getUserData", url.Values{"platform": {"instagram"}, "username": {"adidas"},
			"includeAudienceReport": {"true"}, "showDatalogAndScore": {"true"}})
		assert.Equal(t, infludata.ProfileReady, p.State)
		assert.True(t, p.Ready())
		assert.True(t, p.HasAudienceReport())
		assert.Equal(t, 200, p.Response.StatusCode)
		assert.JSONEq(t, string(fixture.Load(t, "user_data.json")), string(p.Raw))
		u := c.Usage()
		assert.Equal(t, "tokens", u.Unit)
		assert.EqualValues(t, 1, u.Operations["Profiles.Get"].Calls)
		assert.EqualValues(t, 20, u.Spent)
		assert.Zero(t, u.SpentUnknown)
		assert.EqualValues(t, -1, c.TokensRemaining())
	})
	t.Run("get by _id needs no platform", func(t *testing.T) {
		c, mt, rec := mock(t)
		mt.RegisterResponder("GET", base+"/getUserData", reply(t, rec, 200, "user_data.json"))
		_, err := c.Profiles.Get(ctx, infludata.GetProfileParams{ID: "507f1f77bcf86cd799439011"})
		require.NoError(t, err)
		assertGET(t, rec.all()[0], "getUserData", url.Values{"_id": {"507f1f77bcf86cd799439011"}})
		assert.EqualValues(t, 1, c.Usage().Spent)
	})
	t.Run("userId and handles with @", func(t *testing.T) {
		c, mt, rec := mock(t)
		mt.RegisterResponder("GET", base+"/getUserData", reply(t, rec, 200, "user_data.json"))
		_, err := c.Profiles.Get(ctx, infludata.GetProfileParams{Platform: infludata.YouTube, Username: "@MrBeast"})
		require.NoError(t, err)
		_, err = c.Profiles.Get(ctx, infludata.GetProfileParams{Platform: infludata.TikTok, UserID: "MS4wLjABAAAA"})
		require.NoError(t, err)
		assertGET(t, rec.all()[0], "getUserData", url.Values{"platform": {"youtube"}, "username": {"@MrBeast"}})
		assertGET(t, rec.all()[1], "getUserData", url.Values{"platform": {"tiktok"}, "userId": {"MS4wLjABAAAA"}})
	})
	t.Run("201 queued and 202 processing are states", func(t *testing.T) {
		c, mt, rec := mock(t)
		mt.RegisterResponder("GET", base+"/getUserData", sequence(reply(t, rec, 201, "user_data_queued.json"), reply(t, rec, 202, "user_data_processing.json")))
		p, err := c.Profiles.Get(ctx, infludata.GetProfileParams{Platform: infludata.Instagram, Username: "newcreator", IncludeAudienceReport: true})
		require.NoError(t, err)
		assert.Equal(t, infludata.ProfileQueued, p.State)
		assert.Equal(t, 201, p.Response.StatusCode)
		assert.False(t, p.Ready())
		assert.EqualValues(t, 0, c.Usage().Spent, "a 201 is not charged")
		p, err = c.Profiles.Get(ctx, infludata.GetProfileParams{Platform: infludata.Instagram, Username: "adidas", IncludeAudienceReport: true})
		require.NoError(t, err)
		assert.Equal(t, infludata.ProfileProcessing, p.State)
		assert.Contains(t, p.Message, "processing")
		assert.EqualValues(t, 1, c.Usage().Spent, "a 202 costs 1")
		assert.Len(t, rec.all(), 2, "neither state is retried")
	})
	t.Run("check status", func(t *testing.T) {
		c, mt, rec := mock(t)
		mt.RegisterResponder("GET", base+"/checkDataStatus", reply(t, rec, 200, "data_status.json"))
		d, err := c.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: infludata.Twitch, UserID: "12826", AddToWeeklyEnrichment: true})
		require.NoError(t, err)
		assertGET(t, rec.all()[0], "checkDataStatus", url.Values{"platform": {"twitch"}, "userId": {"12826"}, "addToWeeklyEnrichment": {"true"}})
		assert.True(t, d.AudienceReady())
		u := c.Usage()
		assert.Zero(t, u.Spent+u.SpentUnknown, "free")
		assert.Equal(t, "", u.Operations["Profiles.CheckStatus"].Unit, "free")
		assert.EqualValues(t, -1, c.TokensRemaining())
	})
	t.Run("legacy BAD REQUEST status is an error", func(t *testing.T) {
		c, mt, rec := mock(t)
		mt.RegisterResponder("GET", base+"/checkDataStatus", reply(t, rec, 200, "data_status_legacy_bad_request.json"))
		d, err := c.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: infludata.Instagram, Username: "x"})
		assert.ErrorIs(t, err, infludata.ErrInvalidParams)
		require.NotNil(t, d)
		assert.Equal(t, infludata.StatusBadRequest, d.Status)
	})
}

func names(prefix string, n int) []string {
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%03d", prefix, i)
	}
	return out
}

func TestEnrichmentSplitsAndMerges(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("production: 100 per call", func(t *testing.T) {
		c, mt, rec := mock(t)
		mt.RegisterResponder("POST", base+"/bulkAddToEnrich", reply(t, rec, 200, "bulk_add_to_enrich_partial.json"))
		users := append(names("user", 250), "USER001", "@user002") // duplicates
		ids := names("1", 30)                                      // instagramIds are numeric
		res, err := c.Enrichment.Add(ctx, infludata.EnrichParams{Platform: infludata.Instagram, Usernames: users, UserIDs: ids, AddToWeeklyEnrichment: true})
		require.NoError(t, err)
		reqs := rec.all()
		require.Len(t, reqs, 3)
		for i, want := range []map[string]any{
			{"platform": "instagram", "usernames": names("user", 250)[:100], "addToWeeklyEnrichment": true},
			{"platform": "instagram", "usernames": names("user", 250)[100:200], "addToWeeklyEnrichment": true},
			{"platform": "instagram", "usernames": names("user", 250)[200:], "userIds": ids, "addToWeeklyEnrichment": true},
		} {
			assert.Equal(t, "POST", reqs[i].Method)
			assert.Equal(t, "/api/externalAPI/bulkAddToEnrich", reqs[i].Path)
			assert.Equal(t, "application/json", reqs[i].Header.Get("Content-Type"))
			assert.Equal(t, "Bearer "+testKey, reqs[i].Header.Get("Authorization"))
			wb, _ := json.Marshal(want)
			assert.JSONEq(t, string(wb), reqs[i].Body, "call %d", i)
		}
		assert.Equal(t, 3, res.Calls)
		assert.Len(t, res.Processed, 6)
		assert.Len(t, res.Failed, 3)
		assert.Equal(t, infludata.EnrichSummary{Total: 9, ExistingInDatabase: 3, NewlyAdded: 3, AddedToInstant: 6, AddedToWeekly: 3, Failed: 3}, res.Summary)
		assert.Equal(t, []string{"USER001", "@user002"}, res.Dropped)
		var raws []json.RawMessage
		require.NoError(t, json.Unmarshal(res.Raw, &raws), "split calls keep every body")
		assert.Len(t, raws, 3)
	})
	t.Run("trial: 10 per call", func(t *testing.T) {
		c, mt, rec := mock(t, infludata.WithPlan(infludata.Trial))
		mt.RegisterResponder("POST", base+"/bulkAddToEnrich", reply(t, rec, 200, "bulk_add_to_enrich.json"))
		res, err := c.Enrichment.Add(ctx, infludata.EnrichParams{Platform: infludata.TikTok, Usernames: names("u", 25)})
		require.NoError(t, err)
		require.Len(t, rec.all(), 3)
		var last struct{ Usernames []string }
		require.NoError(t, json.Unmarshal([]byte(rec.all()[2].Body), &last))
		assert.Equal(t, names("u", 25)[20:], last.Usernames)
		assert.Equal(t, 6, res.Summary.Total)
		assert.NotContains(t, rec.all()[0].Body, "userIds", "an empty list is not sent")
	})
	t.Run("a failed call returns what was done and what was not sent", func(t *testing.T) {
		c, mt, rec := mock(t, infludata.WithMaxRetries(1))
		mt.RegisterResponder("POST", base+"/bulkAddToEnrich", sequence(reply(t, rec, 200, "bulk_add_to_enrich.json"), reply(t, rec, 400, "error_400.json")))
		res, err := c.Enrichment.Add(ctx, infludata.EnrichParams{Platform: infludata.Instagram, Usernames: names("u", 150), BatchSize: 100})
		assert.ErrorIs(t, err, infludata.ErrInvalidParams)
		require.NotNil(t, res)
		assert.Equal(t, 1, res.Calls)
		assert.Len(t, res.Processed, 1)
		assert.Equal(t, names("u", 150)[100:], res.UnsentUsernames)
		assert.Len(t, rec.all(), 2, "a 400 is not retried")
	})
	t.Run("a free POST is retried after a 5xx", func(t *testing.T) {
		t.Parallel()
		synctest.Test(t, func(t *testing.T) {
			c, mt, rec := mock(t)
			mt.RegisterResponder("POST", base+"/bulkAddToEnrich", sequence(reply(t, rec, 502, "error_500.json"), reply(t, rec, 200, "bulk_add_to_enrich.json")))
			_, err := c.Enrichment.Add(ctx, infludata.EnrichParams{Platform: infludata.Instagram, Usernames: []string{"a"}})
			require.NoError(t, err)
			assert.Len(t, rec.all(), 2)
			assert.Equal(t, rec.all()[0].Body, rec.all()[1].Body)
		})
	})
}

func TestDiscoveryRequests(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("every filter", func(t *testing.T) {
		c, mt, rec := mock(t)
		mt.RegisterResponder("GET", base+"/discovery", reply(t, rec, 200, "discovery.json"))
		pg, err := c.Discovery.Search(ctx, infludata.SearchParams{
			Platform: infludata.Instagram, SkipCount: 40,
			Keywords: []string{"personal trainer", "fitness coach"}, KeywordFields: []infludata.KeywordField{infludata.FieldBio, infludata.FieldWebsite},
			Categories: []infludata.Category{infludata.CategoryFitness, infludata.CategoryDiet}, Country: "Germany", City: "Berlin", Language: "de",
			Gender: infludata.Female, FollowerMin: 10000, FollowerMax: 500000, EngagementRate: 2.5, GrowthRate: 1, ViewsMin: 1000, ViewsMax: 90000,
			ReelPlaysMin: 500, AgeMin: 18, AgeMax: 35, BusinessSearch: true,
			Sorting: infludata.Sort{Field: infludata.SortFollowers, Direction: infludata.Desc},
		})
		require.NoError(t, err)
		assertGET(t, rec.all()[0], "discovery", url.Values{
			"platform": {"instagram"}, "skipCount": {"40"}, "keywords": {"personal trainer,fitness coach"}, "keywordFields": {"bio,website"},
			"categories": {"fitness,diet"}, "country": {"Germany"}, "city": {"Berlin"}, "language": {"de"}, "gender": {"w"},
			"followerMin": {"10000"}, "followerMax": {"500000"}, "engagementRate": {"2.5"}, "growthRate": {"1"}, "viewsMin": {"1000"},
			"viewsMax": {"90000"}, "reelPlaysMin": {"500"}, "ageMin": {"18"}, "ageMax": {"35"}, "businessSearch": {"true"}, "sorting": {"descFollowers"},
		})
		assert.Equal(t, 40, pg.SkipCount)
		assert.EqualValues(t, 1, c.Usage().Spent)
	})
	t.Run("the seed's examples", func(t *testing.T) {
		c, mt, rec := mock(t)
		mt.RegisterResponder("GET", base+"/discovery", reply(t, rec, 200, "discovery.json"))
		_, err := c.Discovery.Search(ctx, infludata.SearchParams{Platform: infludata.Instagram, Country: "Germany", FollowerMin: 10000, Categories: []infludata.Category{infludata.CategoryFitness}})
		require.NoError(t, err)
		_, err = c.Discovery.Search(ctx, infludata.SearchParams{Platform: infludata.TikTok, Keywords: []string{"personal trainer", "fitness coach"},
			KeywordFields: []infludata.KeywordField{infludata.FieldBio}, Sorting: infludata.Sort{Field: infludata.SortFollowers, Direction: infludata.Desc}})
		require.NoError(t, err)
		_, err = c.Discovery.Search(ctx, infludata.SearchParams{Platform: infludata.Twitch, AverageViewersMin: 100, Sorting: infludata.Sort{Field: infludata.SortAverageViewers}})
		require.NoError(t, err)
		r := rec.all()
		assert.Equal(t, "categories=fitness&country=Germany&followerMin=10000&platform=instagram&skipCount=0", r[0].Query.Encode())
		assert.Equal(t, "keywordFields=bio&keywords=personal+trainer%2Cfitness+coach&platform=tiktok&skipCount=0&sorting=descFollowers", r[1].Query.Encode())
		assert.Equal(t, "averageViewersMin=100&platform=twitch&skipCount=0&sorting=averageViewers", r[2].Query.Encode(), "a bare field is the README form")
	})
	t.Run("cities", func(t *testing.T) {
		c, mt, rec := mock(t)
		mt.RegisterResponder("GET", base+"/getCitiesForCountry", reply(t, rec, 200, "cities.json"))
		l, err := c.Discovery.Cities(ctx, infludata.CitiesParams{Country: "United States"})
		require.NoError(t, err)
		assertGET(t, rec.all()[0], "getCitiesForCountry", url.Values{"country": {"United States"}})
		assert.Equal(t, "United States", l.Country)
		assert.Len(t, l.Cities, 5)
		assert.JSONEq(t, `["Berlin", "Munich", "Hamburg", "Cologne", "Frankfurt am Main"]`, string(l.Raw))
	})
}

// discoveryPages answers skipCount pages of a result of total creators.
func discoveryPages(rec *recorder, total int) httpmock.Responder {
	return func(req *http.Request) (*http.Response, error) {
		rec.add(req)
		var skip int
		fmt.Sscan(req.URL.Query().Get("skipCount"), &skip)
		users := []map[string]any{}
		for i := skip; i < total && i < skip+20; i++ {
			users = append(users, map[string]any{"_id": fmt.Sprint("id", i), "username": fmt.Sprint("user", i), "followers": 1000 + i, "platform": "instagram"})
		}
		return httpmock.NewJsonResponse(200, map[string]any{"users": users, "count": total, "dataSuccess": true})
	}
}

func lo(opts ...infludata.ListOption) []infludata.ListOption { return opts }

func TestSearchAllFetchesOnlyWhatIsConsumed(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	p := infludata.SearchParams{Platform: infludata.Instagram}
	cases := []struct {
		name    string
		total   int
		lim     []infludata.ListOption
		consume int // -1: all
		items   int
		pages   int
	}{
		{"break inside page 2", 95, lo(infludata.WithMaxPages(-1)), 25, 25, 2},
		{"break at the end of page 1", 95, lo(infludata.WithMaxPages(-1)), 20, 20, 1},
		{"to the end, count known", 60, lo(infludata.WithMaxPages(-1)), -1, 60, 3},
		{"short last page", 95, lo(infludata.WithMaxPages(-1)), -1, 95, 5},
		{"page cap", 95, lo(infludata.WithMaxPages(2)), -1, 40, 2},
		{"item cap", 95, lo(infludata.WithMaxItems(30)), -1, 30, 2},
		{"default cap of 5 pages", 500, nil, -1, 100, 5},
		{"empty result", 0, nil, -1, 0, 1},
		// Limits: a zero field keeps the default for paid pages, a
		// negative one lifts the cap, field by field.
		{"zero page cap keeps the default", 500, lo(infludata.WithMaxPages(0)), -1, 100, 5},
		{"an item cap alone keeps the page default", 500, lo(infludata.WithMaxItems(200)), -1, 100, 5},
		{"an item cap without a page cap", 500, lo(infludata.WithMaxItems(200), infludata.WithMaxPages(-1)), -1, 200, 10},
		{"no item cap keeps the page default", 500, lo(infludata.WithMaxItems(-1)), -1, 100, 5},
		{"no cap at all", 500, lo(infludata.WithMaxItems(-1), infludata.WithMaxPages(-1)), -1, 500, 25},
		{"the later option wins", 500, lo(infludata.WithMaxPages(1), infludata.WithMaxPages(3)), -1, 60, 3},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c, mt, rec := mock(t)
			mt.RegisterResponder("GET", base+"/discovery", discoveryPages(rec, tc.total))
			n := 0
			for cr, err := range c.Discovery.SearchAll(ctx, p, tc.lim...) {
				require.NoError(t, err)
				assert.Equal(t, fmt.Sprint("user", n), cr.Username)
				n++
				if n == tc.consume {
					break
				}
			}
			assert.Equal(t, tc.items, n)
			assert.Len(t, rec.all(), tc.pages, "pages fetched")
			for i, r := range rec.all() {
				assert.Equal(t, fmt.Sprint(i*20), r.Query.Get("skipCount"))
			}
			assert.EqualValues(t, tc.pages, c.Usage().Spent)
		})
	}
	t.Run("starts at SkipCount and does not touch the params", func(t *testing.T) {
		c, mt, rec := mock(t)
		mt.RegisterResponder("GET", base+"/discovery", discoveryPages(rec, 95))
		p := infludata.SearchParams{Platform: infludata.Instagram, SkipCount: 60}
		n := 0
		for range c.Discovery.SearchAll(ctx, p) {
			n++
		}
		assert.Equal(t, 35, n)
		assert.Equal(t, 60, p.SkipCount)
		assert.Len(t, rec.all(), 2)
	})
	t.Run("an error is yielded once and ends the walk", func(t *testing.T) {
		c, mt, rec := mock(t)
		mt.RegisterResponder("GET", base+"/discovery", sequence(discoveryPages(rec, 95), reply(t, rec, 403, "error_403_insufficient_tokens.json")))
		n, errs := 0, 0
		for _, err := range c.Discovery.SearchAll(ctx, p) {
			if err != nil {
				errs++
				assert.ErrorIs(t, err, infludata.ErrQuotaExceeded)
				continue
			}
			n++
		}
		assert.Equal(t, 20, n)
		assert.Equal(t, 1, errs)
		assert.Len(t, rec.all(), 2)
	})
}

func TestContentRequests(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("first page: every filter and an explicit limit", func(t *testing.T) {
		c, mt, rec := mock(t)
		mt.RegisterResponder("GET", base+"/getContent", reply(t, rec, 200, "content_cursor.json"))
		from := time.Date(2026, 5, 1, 0, 0, 0, 0, time.UTC)
		pg, err := c.Content.Get(ctx, infludata.ContentParams{Limit: 100, Platforms: []infludata.Platform{infludata.Instagram, infludata.TikTok},
			Usernames: []string{"a", "b"}, Keywords: []string{"summer outfit"}, Tags: []string{"fashion", "style"}, FollowerMin: 10000, FollowerMax: 900000,
			ViewsMin: 5, ViewsMax: 50000, UploadedFrom: from, UploadedTo: from.Add(24 * time.Hour), ContentTypes: []infludata.ContentType{infludata.ContentReel, infludata.ContentVideo},
			Country: "Germany", City: "Berlin", Gender: infludata.Female, Language: "de", AudienceCountry: "DE", Sorting: infludata.ContentByViral})
		require.NoError(t, err)
		s := rec.all()[0]
		assertGET(t, s, "getContent", url.Values{"limit": {"100"}, "platform": {"instagram,tiktok"}, "username": {"a,b"}, "keywords": {"summer outfit"},
			"tags": {"fashion,style"}, "min_followers": {"10000"}, "followerMax": {"900000"}, "viewsMin": {"5"}, "viewsMax": {"50000"},
			"created_at_gte": {"2026-05-01T00:00:00Z"}, "created_at_lte": {"2026-05-02T00:00:00Z"}, "contentTypes": {"reel,video"},
			"country": {"Germany"}, "city": {"Berlin"}, "gender": {"w"}, "language": {"de"}, "user_country": {"DE"}, "sorting": {"viral"}})
		assert.Empty(t, s.Header.Get("X-Cursor"))
		assert.Equal(t, "eyJwaXRJZCI6...", pg.NextCursor)
		u := c.Usage()
		assert.EqualValues(t, 1, u.Operations["Content.Get"].Calls)
		assert.EqualValues(t, 100, u.Spent, "tokensDeducted wins over the item count")
		assert.EqualValues(t, 9900, c.TokensRemaining())
	})
	t.Run("the seed's examples", func(t *testing.T) {
		c, mt, rec := mock(t)
		mt.RegisterResponder("GET", base+"/getContent", reply(t, rec, 200, "content_cursor.json"))
		_, err := c.Content.Get(ctx, infludata.ContentParams{Limit: 100, Platforms: []infludata.Platform{infludata.Instagram, infludata.TikTok}, Tags: []string{"fashion", "style"}, FollowerMin: 10000})
		require.NoError(t, err)
		_, err = c.Content.Get(ctx, infludata.ContentParams{Limit: 100, Cursor: "eyJwaXRJZCI6..."})
		require.NoError(t, err)
		r := rec.all()
		assert.Equal(t, "limit=100&min_followers=10000&platform=instagram%2Ctiktok&tags=fashion%2Cstyle", r[0].Query.Encode())
		assertGET(t, r[1], "getContent", url.Values{"limit": {"100"}})
		assert.Equal(t, "eyJwaXRJZCI6...", r[1].Header.Get("X-Cursor"), "the cursor goes in the header")
	})
	t.Run("404 is an empty page, free", func(t *testing.T) {
		c, mt, rec := mock(t)
		mt.RegisterResponder("GET", base+"/getContent", reply(t, rec, 404, "error_404.json"))
		pg, err := c.Content.Get(ctx, infludata.ContentParams{Limit: 10, Tags: []string{"nothing"}})
		require.NoError(t, err)
		assert.True(t, pg.Empty)
		assert.Empty(t, pg.Items)
		assert.Equal(t, 404, pg.Response.StatusCode)
		assert.Len(t, rec.all(), 1, "not retried")
		assert.EqualValues(t, 0, c.Usage().Spent)
		n := 0
		for _, err := range c.Content.ContentAll(ctx, infludata.ContentParams{Tags: []string{"nothing"}}) {
			require.NoError(t, err)
			n++
		}
		assert.Zero(t, n)
	})
	t.Run("legacy offset mode", func(t *testing.T) {
		c, mt, rec := mock(t)
		mt.RegisterResponder("GET", base+"/getContent", reply(t, rec, 200, "content_legacy.json"))
		pg, err := c.Content.Get(ctx, infludata.ContentParams{Limit: 10, LegacyOffset: true, Offset: 20, Tags: []string{"fashion"}})
		require.NoError(t, err)
		assertGET(t, rec.all()[0], "getContent", url.Values{"limit": {"10"}, "offset": {"20"}, "tags": {"fashion"}})
		assert.True(t, pg.Legacy)
		assert.Len(t, pg.Items, 1)
		assert.EqualValues(t, 10, c.Usage().Spent)
	})
	t.Run("incremental sync asks from the watermark and drops its item", func(t *testing.T) {
		c, mt, rec := mock(t)
		mt.RegisterResponder("GET", base+"/getContent", reply(t, rec, 200, `{"items":[{"_id":"65abc123def456789","uploaded":"2026-05-15T10:30:00Z"},{"_id":"new1","uploaded":"2026-05-15T11:00:00Z"}],
			"watermark":{"created_at_max":"2026-05-15T11:00:00Z","last_id":"new1"},"tokensDeducted":2,"tokensRemaining":10}`))
		var since infludata.Watermark
		require.NoError(t, json.Unmarshal([]byte(`{"created_at_max":"2026-05-15T10:30:00Z","last_id":"65abc123def456789"}`), &since))
		pull := c.Content.Pull(infludata.ContentParams{Tags: []string{"fashion"}, Since: &since})
		var got []string
		for it, err := range pull.All(ctx) {
			require.NoError(t, err)
			got = append(got, it.ID)
		}
		assert.Equal(t, []string{"new1"}, got, "the watermark item is dropped")
		assertGET(t, rec.all()[0], "getContent", url.Values{"limit": {"100"}, "tags": {"fashion"}, "created_at_gte": {"2026-05-15T10:30:00Z"}, "sorting": {"uploaded"}})
		assert.True(t, pull.Complete())
		assert.Equal(t, "new1", pull.Watermark().LastID)
		assert.Equal(t, []string{"new1"}, pull.Watermark().SeenIDs)
		assert.Equal(t, infludata.PullStats{Pages: 1, Items: 2, Tokens: 2, Reread: 1}, pull.Stats())
	})
	t.Run("every id the watermark saw at its second is dropped", func(t *testing.T) {
		c, mt, rec := mock(t)
		mt.RegisterResponder("GET", base+"/getContent", reply(t, rec, 200, `{"items":[{"_id":"late","uploaded":"2026-05-15T10:30:00Z"},{"_id":"a","uploaded":"2026-05-15T10:30:00Z"},{"_id":"b","uploaded":"2026-05-15T10:30:00Z"}],
			"watermark":{"created_at_max":"2026-05-15T10:30:00Z","last_id":"late"},"tokensDeducted":3,"tokensRemaining":10}`))
		since := &infludata.Watermark{CreatedAtMax: infludata.NewTime(time.Date(2026, 5, 15, 10, 30, 0, 0, time.UTC)), LastID: "b", SeenIDs: []string{"a", "b"}}
		pull := c.Content.Pull(infludata.ContentParams{Since: since})
		var got []string
		for it, err := range pull.All(ctx) {
			require.NoError(t, err)
			got = append(got, it.ID)
		}
		assert.Equal(t, []string{"late"}, got, "a (not only the last, b) is dropped too")
		assert.Equal(t, []string{"a", "b", "late"}, pull.Watermark().SeenIDs, "the same second: every id")
		assert.Equal(t, 2, pull.Stats().Reread)
	})
	t.Run("a watermark with a fraction is sent from its second", func(t *testing.T) {
		for wm, want := range map[string]string{
			"2026-05-15T10:30:00.250Z":       "2026-05-15T10:30:00Z",
			"2026-05-15T12:30:00.2504+02:00": "2026-05-15T10:30:00Z",
			"2026-05-15T23:59:59Z":           "2026-05-15T23:59:59Z",
		} {
			c, mt, rec := mock(t)
			mt.RegisterResponder("GET", base+"/getContent", reply(t, rec, 404, "error_404.json"))
			var since infludata.Watermark
			require.NoError(t, json.Unmarshal([]byte(`{"created_at_max":"`+wm+`","last_id":"x"}`), &since))
			for _, err := range c.Content.ContentAll(ctx, infludata.ContentParams{Since: &since}) {
				require.NoError(t, err)
			}
			require.Len(t, rec.all(), 1)
			assert.Equal(t, want, rec.all()[0].Query.Get("created_at_gte"), wm)
		}
	})
}

func TestAccountAndTrialRequests(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	t.Run("client info", func(t *testing.T) {
		c, mt, rec := mock(t)
		mt.RegisterResponder("GET", base+"/getClientInfo", reply(t, rec, 200, "client_info.json"))
		ci, err := c.Account.Get(ctx, infludata.ClientInfoParams{ClientID: "YOUR_CLIENT_ID"})
		require.NoError(t, err)
		assertGET(t, rec.all()[0], "getClientInfo", url.Values{"clientId": {"YOUR_CLIENT_ID"}})
		assert.Equal(t, 230, ci.ReportsLeft)
		assert.EqualValues(t, 230, c.TokensRemaining())
		_, err = c.Account.Get(ctx, infludata.ClientInfoParams{})
		require.NoError(t, err)
		assertGET(t, rec.all()[1], "getClientInfo", url.Values{})
	})
	t.Run("create and verify are unauthenticated JSON POSTs", func(t *testing.T) {
		c, mt, rec := mock(t)
		mt.RegisterResponder("POST", base+"/createTrialKey", reply(t, rec, 200, "create_trial_key.json"))
		mt.RegisterResponder("POST", base+"/verifyTrialKey", reply(t, rec, 201, "verify_trial_key.json"))
		code, err := c.Trial.Create(ctx, infludata.CreateTrialKeyParams{Email: "you@company.com", Company: "Your Company"})
		require.NoError(t, err)
		assert.Equal(t, 15, code.CodeExpiresInMinutes)
		assert.Equal(t, "you@company.com", code.NextStep.Body.Email)
		key, err := c.Trial.Verify(ctx, infludata.VerifyTrialKeyParams{Email: "you@company.com", Code: "123456"})
		require.NoError(t, err)
		r := rec.all()
		require.Len(t, r, 2)
		for i, want := range []string{`{"email":"you@company.com","company":"Your Company"}`, `{"email":"you@company.com","code":"123456"}`} {
			assert.Equal(t, "POST", r[i].Method)
			assert.Empty(t, r[i].Header.Get("Authorization"), "the signup sends no key")
			assert.Equal(t, "application/json", r[i].Header.Get("Content-Type"))
			assert.JSONEq(t, want, r[i].Body)
		}
		assert.Equal(t, "/api/externalAPI/createTrialKey", r[0].Path)
		assert.Equal(t, "/api/externalAPI/verifyTrialKey", r[1].Path)
		assert.Equal(t, "your-trial-api-key", key.APIKey)
		assert.NotContains(t, string(key.Raw), "your-trial-api-key", "Raw is redacted")
		assert.Equal(t, 201, key.Response.StatusCode)
		assert.Len(t, key.Options(), 3)
	})
}
