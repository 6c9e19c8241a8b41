package infludatatest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"os"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/infludata/infludatatest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) {
	code := m.Run()
	closeBenchFakes()
	if code == 0 {
		if err := goleak.Find(); err != nil {
			fmt.Fprintln(os.Stderr, "goleak:", err)
			code = 1
		}
	}
	os.Exit(code)
}

// call makes a raw request to the fake and decodes the JSON answer.
func call(t *testing.T, srv *infludatatest.Server, method, path string, q url.Values, header map[string]string, body string) (int, map[string]any, http.Header) {
	t.Helper()
	u := srv.BaseURL() + "/" + path
	if len(q) > 0 {
		u += "?" + q.Encode()
	}
	var rd io.Reader
	if body != "" {
		rd = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, u, rd)
	require.NoError(t, err)
	if _, ok := header["Authorization"]; !ok {
		req.Header.Set("Authorization", "Bearer "+srv.APIKey)
	}
	for k, v := range header {
		if v != "" {
			req.Header.Set(k, v)
		}
	}
	resp, err := srv.HTTPClient().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	var m map[string]any
	if len(b) > 0 && b[0] == '{' {
		require.NoError(t, json.Unmarshal(b, &m), string(b))
	} else if len(b) > 0 {
		var arr []any
		require.NoError(t, json.Unmarshal(b, &arr), string(b))
		m = map[string]any{"array": arr}
	}
	return resp.StatusCode, m, resp.Header
}

func q(kv ...string) url.Values {
	v := url.Values{}
	for i := 0; i+1 < len(kv); i += 2 {
		v.Set(kv[i], kv[i+1])
	}
	return v
}

func TestAuth(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := infludatatest.NewServer(infludatatest.WithVirtualTime(), infludatatest.WithRateLimit(false))
		defer srv.Close()
		st, m, _ := call(t, srv, "GET", "getClientInfo", nil, map[string]string{"Authorization": ""}, "")
		assert.Equal(t, 401, st)
		assert.IsType(t, "", m["error"], "the error field is a string")
		st, _, _ = call(t, srv, "GET", "getClientInfo", nil, map[string]string{"Authorization": "Bearer wrong"}, "")
		assert.Equal(t, 401, st)
		st, m, _ = call(t, srv, "GET", "getClientInfo", q("accessToken", srv.APIKey), map[string]string{"Authorization": ""}, "")
		assert.Equal(t, 200, st, "the README's accessToken parameter")
		assert.Equal(t, infludatatest.DefaultClientID, m["clientId"])
		assert.EqualValues(t, 10000, m["reportsLeft"])
		st, _, _ = call(t, srv, "GET", "getClientInfo", q("clientId", "someone-else"), nil, "")
		assert.Equal(t, 404, st)
		st, _, _ = call(t, srv, "POST", "createTrialKey", nil, map[string]string{"Authorization": ""}, `{"email":"a@b.io"}`)
		assert.Equal(t, 200, st, "signup is public")
	})
}

func TestUserDataValidationAndCost(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := infludatatest.NewServer(infludatatest.WithVirtualTime(), infludatatest.WithRateLimit(false), infludatatest.WithTokens(21))
		defer srv.Close()
		for _, bad := range []url.Values{
			q("platform", "instagram"),
			q("platform", "instagram", "username", "a", "userId", "1"),
			q("username", "adidas"),
			q("platform", "myspace", "username", "tom"),
			q("platform", "instagram", "username", "adidas", "includeAudienceReport", "maybe"),
		} {
			st, _, _ := call(t, srv, "GET", "getUserData", bad, nil, "")
			assert.Equal(t, 400, st, bad.Encode())
		}
		st, m, _ := call(t, srv, "GET", "getUserData", q("_id", "507f1f77bcf86cd799439011"), nil, "")
		assert.Equal(t, 200, st)
		assert.Equal(t, "adidas", m["username"])
		assert.NotContains(t, m, "audienceReport")
		st, m, _ = call(t, srv, "GET", "checkDataStatus", q("_id", "507f1f77bcf86cd799439011"), nil, "")
		assert.Equal(t, 200, st, "an _id lookup needs no platform (the README's example)")
		assert.Equal(t, "adidas", m["username"])
		st, m, _ = call(t, srv, "GET", "getUserData", q("platform", "instagram", "username", "adidas", "includeAudienceReport", "true"), nil, "")
		assert.Equal(t, 200, st)
		assert.Contains(t, m, "audienceReport")
		assert.Equal(t, 0, srv.Tokens())
		assert.EqualValues(t, 21, srv.Snapshot().Credits[infludatatest.RouteUserData])
		st, m, _ = call(t, srv, "GET", "getUserData", q("platform", "instagram", "username", "adidas"), nil, "")
		assert.Equal(t, 429, st, "a spent production key")
		assert.NotEmpty(t, m["resetDate"])
		st, _, _ = call(t, srv, "GET", "getUserData", q("platform", "twitch", "username", "tw_creator_001", "includeAudienceReport", "true"), nil, "")
		assert.Equal(t, 403, st, "no audience reports on twitch")
		st, _, _ = call(t, srv, "GET", "getUserData", q("platform", "instagram", "username", "ghost_notfound"), nil, "")
		assert.Equal(t, 404, st)
	})
}

func TestEnrichmentQueueAndAudience(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := infludatatest.NewServer(infludatatest.WithVirtualTime(), infludatatest.WithRateLimit(false),
			infludatatest.WithDelays(infludatatest.Delays{Enrich: time.Minute, Audience: 5 * time.Minute}))
		defer srv.Close()
		who := q("platform", "tiktok", "username", "fresh_face")
		// The check below queues the creator: it is in the database a minute
		// later, its audience ready 5 minutes after that.
		st, m, _ := call(t, srv, "GET", "checkDataStatus", who, nil, "")
		assert.Equal(t, 200, st)
		assert.Equal(t, false, m["isInDatabase"])
		assert.Equal(t, true, m["isBeingProcessed"])
		who.Set("includeAudienceReport", "true")
		st, _, _ = call(t, srv, "GET", "getUserData", who, nil, "")
		assert.Equal(t, 201, st, "still queued")
		time.Sleep(time.Minute - time.Nanosecond)
		st, _, _ = call(t, srv, "GET", "getUserData", who, nil, "")
		assert.Equal(t, 201, st, "still queued a nanosecond before the minute")
		time.Sleep(time.Nanosecond)
		st, _, _ = call(t, srv, "GET", "getUserData", who, nil, "")
		assert.Equal(t, 202, st, "enriched, audience processing")
		st, m, _ = call(t, srv, "GET", "checkDataStatus", q("platform", "tiktok", "username", "fresh_face"), nil, "")
		assert.Equal(t, 200, st)
		assert.Equal(t, true, m["isInDatabase"])
		assert.Equal(t, false, m["hasAudienceData"])
		assert.Nil(t, m["lastAudienceDataRefresh"])
		time.Sleep(5*time.Minute - time.Nanosecond)
		st, _, _ = call(t, srv, "GET", "getUserData", who, nil, "")
		assert.Equal(t, 202, st, "a nanosecond before the analysis ends")
		time.Sleep(time.Nanosecond)
		st, _, _ = call(t, srv, "GET", "getUserData", who, nil, "")
		assert.Equal(t, 200, st)
		snap := srv.Snapshot()
		assert.Equal(t, map[int]int{201: 2, 202: 2, 200: 1}, snap.Statuses[infludatatest.RouteUserData])
		assert.EqualValues(t, 22, snap.Credits[infludatatest.RouteUserData], "201 free, 202 one, 200 twenty")
		assert.Zero(t, snap.Credits[infludatatest.RouteDataStatus])

		st, m, _ = call(t, srv, "GET", "checkDataStatus", q("platform", "facebook", "username", "x"), nil, "")
		assert.Equal(t, 400, st)
		assert.Contains(t, m["error"], "platform")
	})
}

func TestBulkLimits(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := infludatatest.NewServer(infludatatest.WithVirtualTime(), infludatatest.WithRateLimit(false))
		defer srv.Close()
		many, _ := json.Marshal(map[string]any{"platform": "instagram", "usernames": make([]string, 101)})
		st, _, _ := call(t, srv, "POST", "bulkAddToEnrich", nil, nil, string(many))
		assert.Equal(t, 400, st)
		st, _, _ = call(t, srv, "POST", "bulkAddToEnrich", nil, nil, `{"platform":"instagram"}`)
		assert.Equal(t, 400, st)
		st, m, _ := call(t, srv, "POST", "bulkAddToEnrich", nil, nil, `{"platform":"instagram","usernames":["cristiano","leomessi"],"addToWeeklyEnrichment":false}`)
		assert.Equal(t, 200, st)
		assert.Equal(t, map[string]any{"total": 2.0, "existingInDatabase": 2.0, "newlyAdded": 0.0, "addedToInstant": 2.0, "addedToWeekly": 0.0, "failed": 0.0}, m["summary"], "the seed's example")

		trial := infludatatest.NewServer(infludatatest.WithVirtualTime(), infludatatest.WithRateLimit(false), infludatatest.WithPlan(infludata.Trial))
		defer trial.Close()
		eleven, _ := json.Marshal(map[string]any{"platform": "instagram", "usernames": strings.Split("a,b,c,d,e,f,g,h,i,j,k", ",")})
		st, _, _ = call(t, trial, "POST", "bulkAddToEnrich", nil, nil, string(eleven))
		assert.Equal(t, 400, st, "10 for trial keys")
		st, _, _ = call(t, trial, "GET", "checkDataStatus", q("platform", "instagram", "username", "adidas", "addToWeeklyEnrichment", "true"), nil, "")
		assert.Equal(t, 403, st, "no weekly enrichment on trial keys")
	})
}

func TestContentPaging(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := infludatatest.NewServer(infludatatest.WithVirtualTime(), infludatatest.WithRateLimit(false))
		defer srv.Close()
		st, m, _ := call(t, srv, "GET", "getContent", q("tags", "fashion", "limit", "10"), nil, "")
		require.Equal(t, 200, st)
		assert.Len(t, m["items"], 10)
		assert.EqualValues(t, 10, m["tokensDeducted"])
		assert.EqualValues(t, 9990, m["tokensRemaining"])
		wm := m["watermark"].(map[string]any)
		assert.Equal(t, "2026-05-15T10:30:00.000Z", wm["created_at_max"])
		cur := m["next_cursor"].(string)

		st, viaHeader, _ := call(t, srv, "GET", "getContent", q("limit", "10"), map[string]string{"X-Cursor": cur}, "")
		require.Equal(t, 200, st)
		st, viaQuery, _ := call(t, srv, "GET", "getContent", q("limit", "10", "cursor", cur), nil, "")
		require.Equal(t, 200, st)
		assert.Equal(t, viaHeader["items"], viaQuery["items"], "header and parameter are the same cursor")
		assert.NotEqual(t, m["items"], viaHeader["items"])

		st, _, _ = call(t, srv, "GET", "getContent", q("limit", "10"), map[string]string{"X-Cursor": "bogus"}, "")
		assert.Equal(t, 400, st)
		st, big, _ := call(t, srv, "GET", "getContent", q("platform", "instagram,tiktok,youtube", "min_followers", "1", "limit", "1000"), nil, "")
		require.Equal(t, 200, st)
		assert.Len(t, big["items"], 100, "the seed's maximum is 100")
		st, legacy, _ := call(t, srv, "GET", "getContent", q("tags", "fashion", "skipCount", "10", "limit", "10"), nil, "")
		require.Equal(t, 200, st)
		assert.Equal(t, viaHeader["items"], legacy["content"], "legacy paging by skipCount")
		assert.EqualValues(t, 10, legacy["offset"])
		st, m, _ = call(t, srv, "GET", "getContent", q("tags", "nothing_matches", "limit", "10"), nil, "")
		assert.Equal(t, 404, st)
		assert.NotEmpty(t, m["error"])
		st, _, _ = call(t, srv, "GET", "getContent", q("platform", "twitch", "limit", "10"), nil, "")
		assert.Equal(t, 400, st)

		before := srv.Snapshot().Credits[infludatatest.RouteContent]
		ids := srv.Publish(infludata.TikTok, "tt_creator_001", 2)
		st, m, _ = call(t, srv, "GET", "getContent", q("platform", "tiktok", "min_followers", "1", "created_at_gte", "2026-05-15T10:30:00Z", "limit", "10"), nil, "")
		require.Equal(t, 200, st)
		var got []string
		for _, it := range m["items"].([]any) {
			got = append(got, it.(map[string]any)["_id"].(string))
		}
		assert.Equal(t, []string{ids[1], ids[0]}, got, "newest first")
		assert.EqualValues(t, 2, srv.Snapshot().Credits[infludatatest.RouteContent]-before)
	})
}

func TestDiscoveryPages(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := infludatatest.NewServer(infludatatest.WithVirtualTime(), infludatatest.WithRateLimit(false))
		defer srv.Close()
		var all []string
		for skip := 0; ; skip += 20 {
			st, m, _ := call(t, srv, "GET", "discovery", q("platform", "snapchat", "skipCount", fmt.Sprint(skip), "sorting", "ascUsername"), nil, "")
			require.Equal(t, 200, st)
			users := m["users"].([]any)
			for _, u := range users {
				all = append(all, u.(map[string]any)["username"].(string))
			}
			assert.EqualValues(t, 95, m["count"])
			if len(users) < 20 {
				break
			}
		}
		require.Len(t, all, 95)
		assert.Equal(t, "sc_creator_001", all[0])
		assert.Equal(t, "sc_creator_095", all[94])
		assert.EqualValues(t, 5, srv.Snapshot().Credits[infludatatest.RouteDiscovery])
		st, m, _ := call(t, srv, "GET", "discovery", q("platform", "instagram", "country", "Germany", "followerMin", "10000", "categories", "fitness"), nil, "")
		require.Equal(t, 200, st)
		for _, u := range m["users"].([]any) {
			assert.Equal(t, "Germany", u.(map[string]any)["country"])
		}
		st, m, _ = call(t, srv, "GET", "getCitiesForCountry", q("country", "Germany"), nil, "")
		assert.Equal(t, 200, st)
		assert.Contains(t, m["array"], "Berlin")
	})
}

func TestBurstLimits(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := infludatatest.NewServer(infludatatest.WithVirtualTime(), infludatatest.WithPlan(infludata.Trial))
		defer srv.Close()
		var statuses []int
		var last map[string]any
		for i := 0; i < 3; i++ {
			st, m, _ := call(t, srv, "GET", "getClientInfo", nil, nil, "")
			statuses = append(statuses, st)
			last = m
		}
		assert.Equal(t, []int{200, 200, 429}, statuses, "2 a second on a trial key")
		assert.NotContains(t, last, "resetDate", "a burst 429 is not a quota error")
	})
}

func TestTrialQuotaBody(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := infludatatest.NewServer(infludatatest.WithVirtualTime(), infludatatest.WithRateLimit(false), infludatatest.WithPlan(infludata.Trial), infludatatest.WithTokens(5))
		defer srv.Close()
		st, _, _ := call(t, srv, "GET", "discovery", q("platform", "instagram"), nil, "")
		require.Equal(t, 200, st)
		st, m, _ := call(t, srv, "GET", "getUserData", q("platform", "instagram", "username", "adidas", "includeAudienceReport", "true"), nil, "")
		assert.Equal(t, 403, st)
		assert.Equal(t, map[string]any{"code": "INSUFFICIENT_TOKENS", "message": "Insufficient tokens for this request",
			"details": map[string]any{"required": 20.0, "available": 4.0}}, m["error"])
	})
}

func TestFaultKnobs(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := infludatatest.NewServer(infludatatest.WithVirtualTime(), infludatatest.WithRateLimit(false), infludatatest.WithFaults(infludatatest.Faults{Routes: []string{infludatatest.RouteCities}, ErrorRate: map[int]float64{500: 1}}))
		defer srv.Close()
		st, _, _ := call(t, srv, "GET", "getCitiesForCountry", q("country", "Germany"), nil, "")
		assert.Equal(t, 500, st)
		st, _, _ = call(t, srv, "GET", "getClientInfo", nil, nil, "")
		assert.Equal(t, 200, st, "other routes are untouched")
		srv.SetFaults(infludatatest.Faults{})
		st, _, _ = call(t, srv, "GET", "getCitiesForCountry", q("country", "Germany"), nil, "")
		assert.Equal(t, 200, st)
	})
}

func TestAddCreatorAndLegacyStatus(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := infludatatest.NewServer(infludatatest.WithVirtualTime(), infludatatest.WithRateLimit(false), infludatatest.WithLegacyDataStatus())
		defer srv.Close()
		srv.AddCreator(infludatatest.Creator{Platform: infludata.YouTube, Username: "late_joiner", AudienceIn: time.Hour})
		for user, want := range map[string]string{"late_joiner": "NOT READY", "@MrBeast": "READY", "unknown_channel": "NOT FOUND"} {
			st, m, _ := call(t, srv, "GET", "checkDataStatus", q("platform", "youtube", "username", user), nil, "")
			assert.Equal(t, 200, st)
			assert.Equal(t, map[string]any{"status": want}, m, user)
		}
	})
}
