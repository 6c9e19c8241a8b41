package creatoraudittest

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"reflect"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/internal/fake/faketest"
)

// The store's kept answers and totals stay what a scan of every record
// gives, through random writes, scrapes coming in and reads: the lists
// and leaderboards are compared with fresh scans on each read
// (fake.CheckViews), the totals with sums over every record after each
// step.
func TestStoreStaysConsistent(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake.CheckViews(true)
		defer fake.CheckViews(false)
		rng := rand.New(rand.NewPCG(4, 2))
		srv := NewServer(WithVirtualTime(), WithRateLimit(0, 0), WithScrapeDelay(5*time.Second), WithSearchCap(5))
		defer srv.Close()
		call := func(method, path, body string) map[string]any {
			var b []byte
			if body != "" {
				b = []byte(body)
			}
			rec := faketest.Serve(srv.Handler(), method, "/v2"+path, b, "Authorization", "Bearer "+srv.APIKey)
			if rec.Code >= 500 {
				t.Fatalf("%s %s: %d %s", method, path, rec.Code, rec.Body.String())
			}
			var m map[string]any
			_ = json.Unmarshal(rec.Body.Bytes(), &m)
			return m
		}
		id := func(m map[string]any) string {
			d, _ := m["data"].(map[string]any)
			s, _ := d["id"].(string)
			return s
		}
		var accounts, creators, videos []string
		pick := func(l []string) string {
			if len(l) == 0 {
				return "none"
			}
			return l[rng.IntN(len(l))]
		}
		accounts = append(accounts, srv.AddAccounts(creatoraudit.Instagram, "seed_a", "seed_b", "seed_private", "Seed_C")...)
		reads := []string{
			"/accounts?limit=3", "/accounts?limit=3&order_by=follower_count&platform=tiktok", "/accounts?limit=3&order_by=username&is_active=true",
			"/account-videos?limit=3", "/account-videos?limit=3&order_by=view_count&order_direction=asc",
			"/videos?limit=3&is_active=false", "/creators?limit=3", "/creators?limit=3&is_active=true&order_direction=desc",
			"/creators/top?metric=likes", "/creators/top?metric=followers&platform=instagram&period=7d", "/creators/top?metric=engagement_rate&period=90d",
			"/overview?period=30d", "/overview/timeseries?period=7d", "/search?q=ac", "/search?q=acct_1",
		}
		for step := 0; step < 600; step++ {
			switch op := rng.IntN(20); {
			case op < 3:
				p := []string{"instagram", "tiktok"}[rng.IntN(2)]
				name := fmt.Sprintf("acct_%d", step)
				if rng.IntN(8) == 0 {
					name += "_private"
				}
				accounts = append(accounts, id(call("POST", "/accounts", fmt.Sprintf(`{"platform":%q,"username":%q}`, p, name))))
			case op == 3:
				accounts = append(accounts, srv.AddAccounts(creatoraudit.TikTok, fmt.Sprintf("added_%d", step))...)
			case op == 4:
				creators = append(creators, id(call("POST", "/creators", fmt.Sprintf(`{"name":"Creator %d","is_active":%v}`, rng.IntN(50), rng.IntN(4) > 0))))
			case op == 5:
				call("PUT", "/creators/"+pick(creators)+"/accounts/"+pick(accounts), "")
			case op == 6:
				call("DELETE", "/creators/"+pick(creators)+"/accounts/"+pick(accounts), "")
			case op == 7:
				call("PATCH", "/accounts/"+pick(accounts), fmt.Sprintf(`{"is_active":%v,"creator_id":%q}`, rng.IntN(2) == 0, pick(creators)))
			case op == 8:
				call("PATCH", "/creators/"+pick(creators), fmt.Sprintf(`{"is_active":%v,"name":"Renamed %d"}`, rng.IntN(2) == 0, rng.IntN(50)))
			case op == 9 && rng.IntN(3) == 0:
				call("DELETE", "/accounts/"+pick(accounts), "")
			case op == 10 && rng.IntN(3) == 0:
				call("DELETE", "/creators/"+pick(creators), "")
			case op == 11:
				videos = append(videos, id(call("POST", "/videos", fmt.Sprintf(`{"platform":"tiktok","identifier":"v/%d","is_active":%v}`, step, rng.IntN(2) == 0))))
			case op == 12:
				call("PATCH", "/videos/"+pick(videos), fmt.Sprintf(`{"is_active":%v}`, rng.IntN(2) == 0))
			case op == 13 && rng.IntN(2) == 0:
				call("DELETE", "/videos/"+pick(videos), "")
			case op == 14:
				time.Sleep(time.Duration(rng.IntN(3)) * time.Second) // let scrapes come
			default:
				call("GET", reads[rng.IntN(len(reads))], "")
			}
			checkTotals(t, srv, step)
		}
		if !t.Failed() {
			t.Logf("%d accounts, %d creators, %d videos", srv.AccountCount(), srv.CreatorCount(), srv.VideoCount())
		}
	})
}

// checkTotals compares the kept totals with sums over every record.
func checkTotals(t *testing.T, s *Server, step int) {
	t.Helper()
	s.begin()
	defer s.mu.Unlock()
	var org orgTotals
	creators := map[*creator]*creatorTotals{}
	linked := map[*creator]int{}
	s.creators.all(func(c *creator) bool { creators[c] = &creatorTotals{}; return true })
	s.accounts.all(func(a *account) bool {
		if a.counted() {
			org.add(a, 1)
		}
		if c := s.creatorByID[a.creatorID]; c != nil {
			linked[c]++
			if a.counted() {
				creators[c].add(a, 1)
			}
		} else if a.creatorID != "" {
			t.Fatalf("step %d: account %s names creator %s, which does not exist", step, a.id, a.creatorID)
		}
		return true
	})
	s.avideos.all(func(v *video) bool {
		if v.visible {
			org.visibleAV++
		}
		return true
	})
	if !reflect.DeepEqual(org, s.org) {
		t.Fatalf("step %d: overview totals %+v, a scan gives %+v", step, s.org, org)
	}
	for c, want := range creators {
		if c.totals != *want || len(c.accounts) != linked[c] {
			t.Fatalf("step %d: creator %s totals %+v (%d accounts), a scan gives %+v (%d)", step, c.id, c.totals, len(c.accounts), *want, linked[c])
		}
	}
}
