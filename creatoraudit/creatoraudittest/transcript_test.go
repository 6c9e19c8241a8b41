package creatoraudittest_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/creatoraudit/creatoraudittest"
	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/internal/fake/faketest"
)

// caScript drives a fake in-process and records every answer.
type caScript struct {
	t   *testing.T
	srv *creatoraudittest.Server
	tr  *faketest.Transcript
}

func (c *caScript) call(method, path, body string) map[string]any {
	c.t.Helper()
	var b []byte
	if body != "" {
		b = []byte(body)
	}
	rec := faketest.Serve(c.srv.Handler(), method, "/v2"+path, b, "Authorization", "Bearer "+c.srv.APIKey)
	var out map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	c.tr.Add(method+" "+path+" "+body, rec)
	return out
}

// walk follows a list's cursors to the end, recording each page as its
// ids (and, when full, the whole first page).
func (c *caScript) walk(path string, full bool) {
	c.t.Helper()
	cursor := ""
	for page := 0; page < 100; page++ {
		p := path
		if cursor != "" {
			p += "&cursor=" + url.QueryEscape(cursor)
		}
		rec := faketest.Serve(c.srv.Handler(), "GET", "/v2"+p, nil, "Authorization", "Bearer "+c.srv.APIKey)
		var out struct {
			Data       []map[string]any `json:"data"`
			Pagination map[string]any   `json:"pagination"`
		}
		_ = json.Unmarshal(rec.Body.Bytes(), &out)
		if (page == 0 && full) || rec.Code != 200 {
			c.tr.Add("GET "+p, rec, "Link")
		} else {
			ids := make([]string, len(out.Data))
			for i, d := range out.Data {
				id := fmt.Sprint(d["id"])
				ids[i] = id[max(0, len(id)-6):] // the sequence part: the transcript stays small
			}
			c.tr.Note("page %d of %s: %d %s %v", page, path, rec.Code, strings.Join(ids, ","), out.Pagination["has_next"])
		}
		next, _ := out.Pagination["next_cursor"].(string)
		if next == "" {
			return
		}
		cursor = next
	}
}

func names(rng *rand.Rand, n int, prefix string) []string {
	syl := []string{"fit", "Run", "cook", "art", "tech", "Style", "go", "zen", "pro", "daily"}
	out := make([]string, n)
	for i := range out {
		out[i] = fmt.Sprintf("%s%s%s_%02d", prefix, syl[rng.IntN(len(syl))], syl[rng.IntN(len(syl))], i)
		switch rng.IntN(12) {
		case 0:
			out[i] += "_private"
		case 1:
			out[i] = "Unavailable" + out[i]
		}
	}
	return out
}

// TestTranscript pins the fake's answers (orders, cursors, filters,
// aggregates) over a scripted mix of reads and writes, so that an index or
// a cache can be shown to answer exactly as a scan did.
func TestTranscript(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake.CheckViews(true) // every cached view is compared with a fresh scan on each use
		defer fake.CheckViews(false)
		srv := creatoraudittest.NewServer(creatoraudittest.WithVirtualTime(), creatoraudittest.WithRateLimit(0, 0))
		defer srv.Close()
		c := &caScript{t: t, srv: srv, tr: &faketest.Transcript{Drop: []string{"request_id"}}}
		rng := rand.New(rand.NewPCG(7, 11))

		ig := srv.AddAccounts(creatoraudit.Instagram, names(rng, 30, "ig")...)
		tt := srv.AddAccounts(creatoraudit.TikTok, names(rng, 20, "tt")...)
		// Accounts added by requests: not scraped for the next 30 s.
		var posted []string
		for i, n := range names(rng, 10, "new") {
			body := fmt.Sprintf(`{"platform":%q,"username":%q}`, []string{"instagram", "tiktok"}[i%2], n)
			if i%3 == 0 {
				body = fmt.Sprintf(`{"platform":"instagram","username":%q,"category":"sport","scrape_interval_hours":6}`, n)
			}
			m := c.call("POST", "/accounts", body)
			posted = append(posted, m["data"].(map[string]any)["id"].(string))
		}
		c.call("POST", "/accounts", fmt.Sprintf(`{"platform":"instagram","username":%q}`, strings.ToUpper(names(rand.New(rand.NewPCG(7, 11)), 1, "ig")[0])))
		vids := srv.AddVideos(creatoraudit.Instagram, names(rng, 12, "https://instagram.com/p/")...)
		vids = append(vids, srv.AddVideos(creatoraudit.TikTok, names(rng, 8, "tiktok.com/v/")...)...)
		for i := 0; i < 4; i++ {
			m := c.call("POST", "/videos", fmt.Sprintf(`{"platform":"tiktok","identifier":"https://tiktok.com/@x/video/%d","is_active":%v}`, i, i%2 == 0))
			vids = append(vids, m["data"].(map[string]any)["id"].(string))
		}
		c.call("POST", "/videos", `{"platform":"tiktok","identifier":"https://tiktok.com/@x/video/1"}`)

		cr := []string{
			srv.AddCreator("Zed", ig[0], ig[1], tt[0], posted[0]),
			srv.AddCreator("alpha", ig[2], tt[1], tt[2]),
			srv.AddCreator("Alpha", ig[3]),
		}
		for _, n := range []string{"mid", "Beta", "omega"} {
			m := c.call("POST", "/creators", fmt.Sprintf(`{"name":%q}`, n))
			cr = append(cr, m["data"].(map[string]any)["id"].(string))
		}
		c.call("PUT", "/creators/"+cr[3]+"/accounts/"+ig[4], "")
		c.call("PUT", "/creators/"+cr[3]+"/accounts/"+ig[5], "")
		c.call("PUT", "/creators/"+cr[4]+"/accounts/"+ig[4], "")
		c.call("PATCH", "/accounts/"+ig[6], `{"creator_id":"`+cr[4]+`","category":"food"}`)
		c.call("PATCH", "/accounts/"+tt[3], `{"category":"food","is_active":false}`)
		c.call("PATCH", "/creators/"+cr[1], `{"is_active":false}`)

		reads := func(round string) {
			c.tr.Note("reads: %s", round)
			for _, order := range []string{"", "order_by=added_at", "order_by=follower_count", "order_by=username", "sort=-username", "sort=follower_count&order_direction=desc", "order_direction=asc"} {
				for _, f := range []string{"", "platform=tiktok", "is_active=false", "q=FIT", "category=food", "creator_id=" + cr[0]} {
					c.walk("/accounts?limit=7&"+order+"&"+f, order == "" && f == "")
				}
			}
			for _, route := range []string{"/videos", "/account-videos"} {
				for _, order := range []string{"", "order_by=create_time", "order_by=view_count&order_direction=asc", "order_by=like_count", "order_by=play_count", "order_by=added_at&order_direction=asc"} {
					for _, f := range []string{"", "platform=instagram", "is_active=true", "q=post%201", "q=video", "account_id=" + ig[7]} {
						c.walk(route+"?limit=9&include_total=true&"+order+"&"+f, order == "" && f == "")
					}
				}
			}
			for _, f := range []string{"", "is_active=true", "order_direction=desc", "is_active=false&order_direction=asc"} {
				c.walk("/creators?limit=2&"+f, f == "")
			}
			for _, id := range append([]string{ig[0], ig[9], tt[4], posted[1], "nope"}, "") {
				if id != "" {
					c.call("GET", "/accounts/"+id, "")
					c.call("GET", "/accounts/"+id+"/analytics?period=7d", "")
				}
			}
			for _, id := range []string{vids[0], vids[13], vids[len(vids)-1], "nope"} {
				c.call("GET", "/videos/"+id, "")
				c.call("GET", "/videos/"+id+"/timeseries?start_date=2026-01-01&end_date=2026-01-05", "")
			}
			for _, id := range cr {
				c.call("GET", "/creators/"+id, "")
				c.call("GET", "/creators/"+id+"/analytics?period=7d", "")
				c.call("GET", "/creators/"+id+"/timeseries?period=custom&start_date=2026-02-01&end_date=2026-02-04", "")
			}
			all := append(append(append([]string{}, ig...), tt...), posted...)
			c.call("POST", "/accounts/metrics", fmt.Sprintf(`{"account_ids":["nope",%q,%q,%q,%q],"period":"7d"}`, all[0], all[31], all[55], all[12]))
			b, _ := json.Marshal(map[string]any{"video_ids": append(vids[:5:5], "nope", vids[20]), "period": "90d"})
			c.call("POST", "/videos/metrics", string(b))
			b, _ = json.Marshal(map[string]any{"video_ids": append(vids[:3:3], "nope"), "windows": []int{7, 1, 30, 7}})
			c.call("POST", "/videos/deltas", string(b))
			c.call("POST", "/account-videos/metrics", `{"instagram_post_ids":[48002,48003,48010,1],"tiktok_video_ids":[48150],"period":"30d"}`)
			c.call("GET", "/account-videos/48002", "")
			c.call("GET", "/account-videos/48002/analytics?period=7d", "")
			for _, p := range []string{"period=7d", "period=30d", "period=90d"} {
				c.call("GET", "/overview?"+p, "")
			}
			c.call("GET", "/overview/timeseries?period=custom&start_date=2026-03-01&end_date=2026-03-05", "")
			c.call("GET", "/overview/timeseries", "")
			for _, q := range []string{"metric=views", "metric=likes&platform=tiktok", "metric=followers&period=90d&limit=2", "metric=engagement_rate&platform=instagram&period=7d"} {
				c.call("GET", "/creators/top?"+q, "")
			}
			for _, q := range []string{"fit", "a", "ALPHA", "post", "zz", "video&limit=3"} {
				c.call("GET", "/search?q="+q, "")
			}
		}
		reads("seeded")

		// A cursor issued before writes, used after them.
		first := c.call("GET", "/accounts?limit=5", "")
		next := first["pagination"].(map[string]any)["next_cursor"].(string)
		c.call("DELETE", "/accounts/"+ig[8], "")
		c.call("DELETE", "/accounts/"+posted[2], "")
		c.call("DELETE", "/videos/"+vids[1], "")
		c.call("DELETE", "/creators/"+cr[2], "")
		c.call("DELETE", "/creators/"+cr[3]+"/accounts/"+ig[5], "")
		c.call("PATCH", "/creators/"+cr[0], `{"name":"aaa first","is_active":false}`)
		c.call("PATCH", "/creators/"+cr[1], `{"is_active":true}`)
		c.call("PATCH", "/videos/"+vids[2], `{"is_active":false}`)
		for _, n := range names(rng, 4, "late") {
			c.call("POST", "/accounts", fmt.Sprintf(`{"platform":"tiktok","username":%q,"creator_id":%q}`, n, cr[4]))
		}
		srv.AddAccounts(creatoraudit.Instagram, names(rng, 5, "more")...)
		c.call("POST", "/creators", `{"name":"alpha"}`)
		c.call("GET", "/accounts?limit=5&cursor="+url.QueryEscape(next), "")
		reads("after writes")
		c.tr.Check(t, "transcript")
	})
}
