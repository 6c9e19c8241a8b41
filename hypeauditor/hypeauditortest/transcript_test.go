package hypeauditortest_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/internal/fake/faketest"
)

type haScript struct {
	t   *testing.T
	srv *hypeauditortest.Server
	tr  *faketest.Transcript
}

func (c *haScript) do(method, route string, q url.Values, body string) (int, map[string]any) {
	c.t.Helper()
	if q == nil {
		q = url.Values{}
	}
	q.Set("v", "2")
	var b []byte
	if body != "" {
		b = []byte(body)
	}
	rec := faketest.Serve(c.srv.Handler(), method, "/api/method/"+route+"?"+q.Encode(), b, "X-Auth-Id", c.srv.ClientID, "X-Auth-Token", c.srv.Token)
	// A request takes a nanosecond of the bubble's clock, as it takes some
	// time on a real one: reports unlocked one after another get distinct
	// times, and the quick ones (1 ns) are ready by the next request.
	time.Sleep(time.Nanosecond)
	var out map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	return rec.Code, out
}

func (c *haScript) record(method, route string, q url.Values, body string) {
	c.t.Helper()
	if q == nil {
		q = url.Values{}
	}
	q.Set("v", "2")
	var b []byte
	if body != "" {
		b = []byte(body)
	}
	rec := faketest.Serve(c.srv.Handler(), method, "/api/method/"+route+"?"+q.Encode(), b, "X-Auth-Id", c.srv.ClientID, "X-Auth-Token", c.srv.Token)
	c.tr.Add(method+" "+route+"?"+q.Encode()+" "+body, rec)
}

// search walks a discovery query page by page, one past the last.
func (c *haScript) search(route string, body map[string]any) {
	c.t.Helper()
	for page := 1; page < 200; page++ {
		body["page"] = page
		b, _ := json.Marshal(body)
		if page == 1 && len(body) == 2 {
			c.record("POST", route, nil, string(b))
			continue
		}
		st, m := c.do("POST", route, nil, string(b))
		res, _ := m["result"].(map[string]any)
		var names []string
		list, _ := res["search_results"].([]any)
		for _, r := range list {
			bs := r.(map[string]any)["basic"].(map[string]any)
			names = append(names, fmt.Sprint(bs["username"], "/", bs["id"]))
		}
		c.tr.Note("%s %s: %d pages=%v left=%v %s %v", route, b, st, res["total_pages"], res["queries_left"], strings.Join(names, ","), m["error"])
		if len(list) == 0 {
			return
		}
	}
}

// TestTranscript pins discovery pages, unlocked reports, connections and
// the suggester over a scripted run (report bodies are left out: they
// have tests of their own).
func TestTranscript(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		fake.CheckViews(true) // every cached view is compared with a fresh scan on each use
		defer fake.CheckViews(false)
		outcome := func(n hypeauditor.Platform, account string) hypeauditortest.Outcome {
			o := hypeauditortest.DefaultOutcome(n, account)
			if strings.Contains(account, "quick") {
				o.Generation = time.Nanosecond
			}
			return o
		}
		srv := hypeauditortest.NewServer(hypeauditortest.WithVirtualTime(), hypeauditortest.WithRateLimit(0, 0), hypeauditortest.WithCredits(100000),
			hypeauditortest.WithDiscoveryRequests(100000), hypeauditortest.WithSearchResults(150), hypeauditortest.WithOutcome(outcome))
		defer srv.Close()
		c := &haScript{t: t, srv: srv, tr: &faketest.Transcript{Drop: []string{"time_add", "time_pay", "time_completed", "validUntil"}}}

		f := func(v float64) *float64 { return &v }
		for _, n := range hypeauditor.DiscoveryPlatforms() {
			c.search(hypeauditortest.RouteSearch, map[string]any{"social_network": n})
		}
		for _, body := range []map[string]any{
			{"sort": hypeauditor.Sort{Field: "subscribers_count", Order: "desc"}},
			{"sort": hypeauditor.Sort{Field: "er", Order: "asc"}},
			{"sort": hypeauditor.Sort{Field: "er", Order: "desc"}, "er": hypeauditor.Range{From: f(2), To: f(5)}},
			{"subscribers_count": hypeauditor.Range{From: f(100000)}},
			{"subscribers_count": hypeauditor.Range{To: f(1e6)}, "er": hypeauditor.Range{From: f(3)}, "sort": hypeauditor.Sort{Field: "subscribers_count", Order: "asc"}},
			{"er": hypeauditor.Range{From: f(99)}},
		} {
			for _, n := range []hypeauditor.Platform{hypeauditor.Instagram, hypeauditor.YouTube} {
				body["social_network"] = n
				c.search(hypeauditortest.RouteSearch, body)
			}
		}
		c.search(hypeauditortest.RouteSearchSandbox, map[string]any{"social_network": hypeauditor.TikTok, "sort": hypeauditor.Sort{Field: "er", Order: "desc"}})
		c.record("POST", hypeauditortest.RouteSearch, nil, `{"social_network":"instagram","page":0}`)
		c.record("POST", hypeauditortest.RouteSearch, nil, `{"social_network":"myspace","page":1}`)

		// Reports: quick ones are ready (or failed and refunded) at once.
		users := []string{"quick_a", "slow_b", "quick_private_c", "quick_deleted_d", "slow_private_e", "quick_f", "nasa", "slow_g", "quick_lowconf_h", "quick_noposts_i"}
		for round := 0; round < 2; round++ {
			for i, u := range users {
				st, m := c.do("GET", hypeauditortest.RouteReport, url.Values{"username": {u}}, "")
				res, _ := m["result"].(map[string]any)
				c.tr.Note("report %s: %d %v %v", u, st, res["report_state"], m["error"])
				if i%3 == 0 {
					st, m = c.do("GET", hypeauditortest.RouteTikTok, url.Values{"channel": {u + "_tt"}}, "")
					c.tr.Note("tiktok %s: %d %v", u, st, m["error"])
				}
			}
			// The same queries before and after reports settle: a refunded
			// report leaves the list.
			c.record("GET", hypeauditortest.RouteUnlocked, url.Values{}, "")
			c.record("GET", hypeauditortest.RouteUnlocked, url.Values{"limit": {"3"}, "offset": {"1"}, "date_from": {"2000-01-01"}}, "")
			time.Sleep(5 * time.Millisecond) // the quick ones (1 ns) are done
		}
		c.record("GET", hypeauditortest.RoutePlanInfo, nil, "")
		for _, q := range []url.Values{
			{}, {"limit": {"3"}}, {"limit": {"4"}, "offset": {"2"}}, {"offset": {"100"}}, {"date_from": {"2000-01-01"}},
			{"date_to": {"2000-01-01 00:00:00"}}, {"date_from": {"2999-01-01"}}, {"limit": {"0"}}, {"date_from": {"yesterday"}},
		} {
			c.record("GET", hypeauditortest.RouteUnlocked, q, "")
		}
		for _, q := range []url.Values{
			{"type": {"instagram"}, "username": {"nasa"}}, {"type": {"youtube"}, "id": {"UCLA_DiR1FfKNvjuUpBHmylQ"}},
			{"type": {"instagram"}, "username": {"quick_a"}}, {"type": {"tiktok"}, "username": {"quick_a_tt"}},
			{"type": {"instagram"}, "username": {"notfound_x"}}, {"type": {"twitter"}, "id": {"nope"}},
		} {
			c.record("GET", hypeauditortest.RouteConnections, q, "")
		}
		for _, q := range []url.Values{
			{"search": {"nasa"}}, {"search": {"quick"}}, {"search": {"Quick_A"}, "st": {"instagram"}}, {"search": {"slow"}, "exclSt": {"tiktok,youtube"}},
			{"search": {"two words"}}, {"search": {"q"}},
		} {
			c.record("GET", hypeauditortest.RouteSuggester, q, "")
		}
		for _, u := range []string{"quick_a", "slow_b", "quick_private_c", "never_seen"} {
			st, m := c.do("GET", hypeauditortest.RouteMedia, url.Values{"username": {u}}, "")
			c.tr.Note("media %s: %d %v", u, st, m["error"])
		}
		c.record("GET", hypeauditortest.RouteCreators, url.Values{"limit": {"2"}, "cursor": {"43"}}, "")
		c.tr.Note("credits=%d unlocks=%d queries=%d", srv.Credits(), srv.Unlocks(), srv.DiscoveryRequests())
		c.tr.Check(t, "transcript")
	})
}
