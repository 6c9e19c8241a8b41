package engagechecktest

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/fake/faketest"
)

type ecScript struct {
	t   *testing.T
	srv *Server
	tr  *faketest.Transcript
}

func (c *ecScript) record(method, path, body string) map[string]any {
	c.t.Helper()
	var b []byte
	if body != "" {
		b = []byte(body)
	}
	rec := faketest.Serve(c.srv.Handler(), method, "/api/v1"+path, b, "Authorization", "Bearer "+c.srv.APIKey)
	c.tr.Add(method+" "+path+" "+body, rec)
	var out map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &out)
	return out
}

// walk lists every audit, newest first, limit at a time.
func (c *ecScript) walk(limit int) {
	c.t.Helper()
	for off := 0; off < 10000; off += limit {
		rec := faketest.Serve(c.srv.Handler(), "GET", fmt.Sprintf("/api/v1/audits?limit=%d&offset=%d", limit, off), nil, "Authorization", "Bearer "+c.srv.APIKey)
		var out struct {
			Data []map[string]any `json:"data"`
		}
		_ = json.Unmarshal(rec.Body.Bytes(), &out)
		var rows []string
		for _, d := range out.Data {
			rows = append(rows, fmt.Sprint(d["id"], ":", d["username"], ":", d["status"], ":", d["aqs"]))
		}
		c.tr.Note("list limit=%d offset=%d: %d %s", limit, off, rec.Code, strings.Join(rows, " "))
		if len(out.Data) < limit {
			return
		}
	}
}

// hooks collects webhook bodies, served by the fake (ServeWebhooks).
type hooks struct {
	mu     sync.Mutex
	bodies []string
	url    string
}

func newHooks(srv *Server) *hooks {
	h := &hooks{}
	h.url = srv.ServeWebhooks(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		b, _ := io.ReadAll(r.Body)
		h.mu.Lock()
		h.bodies = append(h.bodies, string(b))
		h.mu.Unlock()
	}))
	return h
}

// TestTranscript pins the list, inline fresh reports, refunds and the
// webhooks' bodies (credits_remaining shows the order of settlement) over
// a scripted run where every audit ends at once.
func TestTranscript(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := NewServer(WithVirtualTime(), WithRateLimit(0, 0), WithCredits(100000), WithDurations(Durations{}))
		h := newHooks(srv)
		c := &ecScript{t: t, srv: srv, tr: &faketest.Transcript{Replace: strings.NewReplacer(h.url, "<hook>")}}

		var batch []string
		for i := 0; i < 40; i++ {
			name := fmt.Sprintf("handle_%02d", i%33)
			switch i % 9 {
			case 3:
				name += "_private"
			case 5:
				name = "notfound_" + name
			}
			batch = append(batch, name)
		}
		for i := 0; i < len(batch); i += 17 {
			b, _ := json.Marshal(map[string]any{"usernames": batch[i:min(i+17, len(batch))], "webhook_url": h.url})
			c.record("POST", "/audits/batch", string(b))
		}
		for _, u := range []string{"natgeo", "handle_01", "handle_03_private", "@Handle_02", "someone_new"} {
			c.record("POST", "/audits", fmt.Sprintf(`{"username":%q,"webhook_url":%q}`, u, h.url))
		}
		srv.AddAudits("seeded_one", "seeded_two_private", "handle_04")
		c.record("POST", "/audits/batch", fmt.Sprintf(`{"usernames":["seeded_one","seeded_two_private","handle_04","handle_40"],"webhook_url":%q}`, h.url))
		for _, l := range []int{1, 7, 100} {
			c.walk(l)
		}
		for _, id := range []string{"142", "150", "180", "199", "nope"} {
			c.record("GET", "/audits/"+id, "")
		}
		c.record("GET", "/credits", "")
		srv.Close()
		sort.Strings(h.bodies)
		for _, b := range h.bodies {
			c.tr.Note("webhook %s", c.tr.Normalize([]byte(b)))
		}
		c.tr.Note("deliveries=%d audits=%d credits=%d", len(srv.Deliveries()), srv.AuditCount(), srv.Credits())
		c.tr.Check(t, "transcript")
	})
}

// Fresh reports with audits still running: the newest complete audit of
// a handle within freshFor is served inline, a running one is not.
func TestTranscriptFresh(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := NewServer(WithVirtualTime(), WithRateLimit(0, 0), WithCredits(1000),
			WithDurations(Durations{Pending: time.Hour}), WithFreshFor(time.Hour))
		defer srv.Close()
		c := &ecScript{t: t, srv: srv, tr: &faketest.Transcript{}}
		srv.AddAudits("x_one", "y_two", "x_one")
		c.record("POST", "/audits", `{"username":"y_two"}`)
		c.record("POST", "/audits", `{"username":"z_three"}`)
		c.record("POST", "/audits", `{"username":"z_three"}`)
		c.record("POST", "/audits/batch", `{"usernames":["x_one","z_three","y_two","w_four"]}`)
		c.record("POST", "/audits", `{"username":"x_one"}`)
		c.walk(4)
		c.record("GET", "/credits", "")

		short := NewServer(WithVirtualTime(), WithRateLimit(0, 0), WithFreshFor(time.Millisecond))
		defer short.Close()
		c.srv = short
		short.AddAudits("gone_stale")
		time.Sleep(time.Millisecond + time.Nanosecond) // longer than freshFor
		c.record("POST", "/audits", `{"username":"gone_stale"}`)
		c.tr.Check(t, "transcript_fresh")
	})
}
