package infludatatest_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/infludata/infludatatest"
	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/internal/fake/faketest"
)

type idScript struct {
	t   *testing.T
	srv *infludatatest.Server
	tr  *faketest.Transcript
}

func (c *idScript) get(path string, q url.Values, header ...string) (int, map[string]any) {
	c.t.Helper()
	rec := faketest.Serve(c.srv.Handler(), "GET", "/api/externalAPI/"+path+"?"+q.Encode(), nil,
		append([]string{"Authorization", "Bearer " + c.srv.APIKey}, header...)...)
	var out map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	if out == nil {
		c.tr.Add("GET "+path+"?"+q.Encode(), rec)
	}
	return rec.Code, out
}

func (c *idScript) record(path string, q url.Values, header ...string) map[string]any {
	c.t.Helper()
	rec := faketest.Serve(c.srv.Handler(), "GET", "/api/externalAPI/"+path+"?"+q.Encode(), nil,
		append([]string{"Authorization", "Bearer " + c.srv.APIKey}, header...)...)
	c.tr.Add("GET "+path+"?"+q.Encode()+" "+strings.Join(header, " "), rec)
	var out map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	return out
}

func ids(list any, key string) string {
	var out []string
	l, _ := list.([]any)
	for _, e := range l {
		m, _ := e.(map[string]any)
		id := fmt.Sprint(m[key])
		out = append(out, id[:min(len(id), 8)]) // short: the transcript stays small
	}
	return strings.Join(out, ",")
}

// discover walks every page of a discovery query.
func (c *idScript) discover(params ...string) {
	c.t.Helper()
	for skip := 0; skip < 2000; skip += infludata.SearchPageSize {
		q := url.Values{}
		for i := 0; i+1 < len(params); i += 2 {
			q.Set(params[i], params[i+1])
		}
		q.Set("skipCount", fmt.Sprint(skip))
		if skip == 0 && len(params) == 2 {
			c.record("discovery", q)
			continue
		}
		st, m := c.get("discovery", q)
		c.tr.Note("discovery %s: %d count=%v %s", q.Encode(), st, m["count"], ids(m["users"], "_id"))
		if l, _ := m["users"].([]any); len(l) < infludata.SearchPageSize {
			return
		}
	}
}

// pull walks a getContent query by cursor, recording each page's ids.
func (c *idScript) pull(q url.Values, pages int) string {
	c.t.Helper()
	cur := ""
	for p := 0; p < pages; p++ {
		var st int
		var m map[string]any
		if cur == "" {
			st, m = c.get("getContent", q)
		} else {
			st, m = c.get("getContent", url.Values{"limit": q["limit"]}, "X-Cursor", cur)
		}
		c.tr.Note("content %s page %d: %d %s wm=%v left=%v %s", q.Encode(), p, st, ids(m["items"], "_id"), m["watermark"], m["tokensRemaining"], m["error"])
		cur, _ = m["next_cursor"].(string)
		if cur == "" {
			return ""
		}
	}
	return cur
}

func creators(rng *rand.Rand, n int) []infludatatest.Creator {
	pls := []infludata.Platform{infludata.Instagram, infludata.TikTok, infludata.YouTube, infludata.Twitch}
	var out []infludatatest.Creator
	for i := 0; i < n; i++ {
		c := infludatatest.Creator{Platform: pls[rng.IntN(len(pls))], Username: fmt.Sprintf("gen_%s_%03d", []string{"fit", "cook", "Style", "tech"}[rng.IntN(4)], i)}
		switch rng.IntN(10) {
		case 0:
			c.NotInDatabase = true
		case 1:
			c.Missing = true
		case 2:
			c.Business = true
			c.Followers = int64(rng.IntN(5)) * 1000
		case 3:
			c.Posts = -1
		case 4:
			c.Posts = 1 + rng.IntN(8)
		case 5:
			c.EngagementMean = 3.5 // ties
			c.GrowthRate = 1.5
			c.ProfileScore = 50
			c.Followers = 50000
		}
		out = append(out, c)
	}
	return out
}

// TestTranscript pins discovery and getContent (orders, pages, cursors,
// watermarks, tokens) over a scripted mix of reads and writes.
func TestTranscript(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake.CheckViews(true) // every cached view is compared with a fresh scan on each use
		defer fake.CheckViews(false)
		rng := rand.New(rand.NewPCG(3, 5))
		srv := infludatatest.NewServer(infludatatest.WithVirtualTime(), infludatatest.WithRateLimit(false), infludatatest.WithTokens(1_000_000),
			infludatatest.WithDelays(infludatatest.Delays{Enrich: 0, Audience: time.Hour}), infludatatest.WithCreators(creators(rng, 150)...))
		defer srv.Close()
		c := &idScript{t: t, srv: srv, tr: &faketest.Transcript{}}

		reads := func(round string) {
			c.tr.Note("reads: %s", round)
			for _, pl := range []string{"instagram", "tiktok", "youtube", "twitch", "snapchat"} {
				c.discover("platform", pl)
			}
			for _, sort := range []string{"descFollowers", "ascFollowers", "ascUsername", "username", "descUsername", "engagementMean", "ascGrowthRate", "nonsense"} {
				c.discover("platform", "tiktok", "sorting", sort)
			}
			for _, f := range [][]string{
				{"country", "Germany"}, {"city", "Berlin"}, {"language", "en", "gender", "female"}, {"gender", "m"}, {"businessSearch", "true"},
				{"followerMin", "100000", "followerMax", "2000000"}, {"engagementRate", "3.5"}, {"growthRate", "1.5", "sorting", "ascEngagementMean"},
				{"categories", "fitness,food"}, {"keywords", "fit, cook"}, {"keywords", "style", "sorting", "relevance"}, {"keywords", "gen,tech", "sorting", "ascRelevance"},
				{"followerMin", "x"},
			} {
				c.discover(append([]string{"platform", "instagram"}, f...)...)
			}
			base := url.Values{"limit": {"40"}}
			c.pull(base, 100)
			for _, f := range [][]string{
				{"platform", "tiktok"}, {"platform", "instagram,youtube", "sorting", "reach"}, {"sorting", "viral"}, {"min_followers", "1"},
				{"followerMin", "1", "followerMax", "900000"}, {"viewsMin", "100000", "viewsMax", "600000"},
				{"created_at_gte", "2026-05-01T00:00:00Z", "uploadedTo", "2026-05-10"}, {"username", "gen_fit_010,Adidas,fashioninfluencer"},
				{"keywords", "routine,#fitness"}, {"tags", "style"}, {"contentTypes", "reel,short"}, {"country", "Germany", "city", "Munich"},
				{"language", "en"}, {"gender", "female", "min_followers", "1"}, {"sorting", "bogus"}, {"platform", "twitch"}, {"tags", "nothing"},
			} {
				q := url.Values{"limit": {"30"}}
				for i := 0; i+1 < len(f); i += 2 {
					q.Set(f[i], f[i+1])
				}
				c.pull(q, 100)
				q.Set("skipCount", "18")
				st, m := c.get("getContent", q)
				c.tr.Note("legacy %s: %d %s count=%v offset=%v left=%v", q.Encode(), st, ids(m["content"], "_id"), m["count"], m["offset"], m["tokensRemaining"])
			}
			c.record("getContent", url.Values{"limit": {"3"}, "offset": {"5"}, "min_followers": {"1"}})
		}
		reads("seeded")

		// A cursor opened before new content and creators arrive.
		open := c.pull(url.Values{"limit": {"5"}, "min_followers": {"1"}}, 2)
		srv.Publish(infludata.Instagram, "gen_fit_010", 3)
		srv.Publish(infludata.TikTok, "brand_new_tt", 2)
		srv.AddCreator(infludatatest.Creator{Platform: infludata.Instagram, Username: "late_fit_star", Followers: 777000, Posts: 6})
		srv.AddCreator(infludatatest.Creator{Platform: infludata.Instagram, Username: "later_one", NotInDatabase: true})
		c.tr.Note("old cursor after writes")
		for p := 0; p < 3 && open != ""; p++ {
			st, m := c.get("getContent", url.Values{"limit": {"5"}}, "X-Cursor", open)
			c.tr.Note("old cursor page %d: %d %s %v", p, st, ids(m["items"], "_id"), m["watermark"])
			open, _ = m["next_cursor"].(string)
		}
		// Creators entering the database: queued by a status check, a bulk
		// add and a profile request (Enrich is 0: they are in at once).
		for _, cr := range creators(rand.New(rand.NewPCG(3, 5)), 150) {
			if cr.NotInDatabase && cr.Platform != infludata.Twitch {
				c.record("checkDataStatus", url.Values{"platform": {string(cr.Platform)}, "username": {cr.Username}})
				break
			}
		}
		body := `{"platform":"instagram","usernames":["bulk_one","bulk_two","gen_fit_010"]}`
		rec := faketest.Serve(srv.Handler(), "POST", "/api/externalAPI/bulkAddToEnrich", []byte(body), "Authorization", "Bearer "+srv.APIKey)
		c.tr.Add("POST bulkAddToEnrich", rec)
		c.record("getUserData", url.Values{"platform": {"instagram"}, "username": {"fresh_face"}})
		c.record("getUserData", url.Values{"platform": {"instagram"}, "username": {"fresh_face"}})
		reads("after writes")
		c.tr.Check(t, "transcript")
	})
}

// A creator queued for enrichment stays out of discovery until it is in
// the database.
func TestTranscriptLateEnrichment(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake.CheckViews(true) // every cached view is compared with a fresh scan on each use
		defer fake.CheckViews(false)
		srv := infludatatest.NewServer(infludatatest.WithVirtualTime(), infludatatest.WithRateLimit(false),
			infludatatest.WithDelays(infludatatest.Delays{Enrich: time.Hour, Audience: time.Hour}))
		defer srv.Close()
		c := &idScript{t: t, srv: srv, tr: &faketest.Transcript{}}
		c.discover("platform", "youtube", "sorting", "ascUsername")
		c.record("checkDataStatus", url.Values{"platform": {"youtube"}, "username": {"aaa_first"}})
		srv.AddCreator(infludatatest.Creator{Platform: infludata.YouTube, Username: "aab_second"})
		srv.AddCreator(infludatatest.Creator{Platform: infludata.YouTube, Username: "aac_third", NotInDatabase: true})
		c.discover("platform", "youtube", "sorting", "ascUsername")
		c.tr.Check(t, "transcript_late")
	})
}
