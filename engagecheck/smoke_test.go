package engagecheck_test

import (
	"context"
	"testing"
	"time"

	_ "github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/engagecheck/engagechecktest"
)

func TestSmoke(t *testing.T) {
	srv := engagechecktest.NewServer(engagechecktest.WithTimeScale(0.001))
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	a, err := c.Audits.Run(ctx, "@NatGeo", srv.PollOptions()...)
	t.Logf("run: %+v err=%v", a, err)
	var roster []string
	for i := 0; i < 120; i++ {
		roster = append(roster, "user_"+string(rune('a'+i%26))+string(rune('a'+i/26)))
	}
	roster = append(roster, "someprivate", "bad handle!", "")
	n := 0
	start := time.Now()
	for a, err := range c.Audits.RunAll(ctx, roster, srv.PollOptions()...) {
		n++
		if err != nil {
			t.Logf("err: %v", err)
		}
		_ = a
	}
	snap := srv.Snapshot()
	t.Logf("yielded %d in %s; requests %v total %d; credits %d; 429s %d", n, time.Since(start), snap.Requests, snap.TotalRequests(), srv.Credits(), snap.Count(429))
}

func TestSmokeBench(t *testing.T) {
	srv := engagechecktest.NewServer(engagechecktest.WithTimeScale(0.01), engagechecktest.WithDurations(engagechecktest.Durations{Pending: 100 * time.Millisecond, Scraping: 400 * time.Millisecond, Analyzing: 500 * time.Millisecond}))
	defer srv.Close()
	c, _ := srv.NewClient()
	var roster []string
	for i := 0; i < 500; i++ {
		roster = append(roster, "creator_"+string(rune('a'+i%26))+string(rune('a'+(i/26)%26)))
	}
	start := time.Now()
	n := 0
	for _, err := range c.Audits.RunAll(context.Background(), roster, srv.PollOptions()...) {
		n++
		if err != nil {
			t.Log(err)
		}
	}
	el := time.Since(start)
	snap := srv.Snapshot()
	req := snap.TotalRequests()
	ideal := time.Duration(float64(req) / 60 * float64(600*time.Millisecond))
	t.Logf("n=%d requests=%d (%.3f/handle) %v 429=%d wall=%s ideal=%s ratio=%.3f", n, req, float64(req)/500, snap.Requests, snap.Count(429), el, ideal, float64(el)/float64(ideal))
}
