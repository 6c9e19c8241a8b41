package engagecheck

import (
	"context"
	"fmt"
	"net/http"
	"sync/atomic"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/fake"
	"golang.org/x/time/rate"
)

// The servers here are bare handlers served in memory (fake.NewBare), so
// the tests run inside synctest bubbles: the slow page's 3 s pass on the
// bubble's clock.

// A list page that arrives late (it waited for the rate limiter behind
// other requests, or the server was slow) must not move the search window
// past the submit: the audit the submit created would look older than it,
// the list would seem to prove it was not created, and the handle would be
// paid for twice.
func TestReconcileWindowIsMeasuredWhenThePageArrives(t *testing.T) {
	// Not parallel: it sets reconcileSlack, which every test reads.
	synctest.Test(t, func(t *testing.T) {
		defer func(s time.Duration) { reconcileSlack = s }(reconcileSlack)
		// The window at its tightest that still covers created_at's one-second
		// resolution; the page's delay below is longer than it by more than a
		// second, so a window measured before the page would miss the audit.
		reconcileSlack = time.Second
		var posts atomic.Int32
		var created atomic.Value
		srv := fake.NewBare("engagecheck", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			switch {
			case r.Method == "POST":
				posts.Add(1)
				created.Store(time.Now().UTC())
				// The audit is created, then the connection drops.
				conn, _, _ := w.(http.Hijacker).Hijack()
				conn.Close()
			case r.URL.Path == "/api/v1/audits":
				time.Sleep(3 * time.Second) // a slow page
				at := created.Load().(time.Time).Format("2006-01-02 15:04:05")
				w.Header().Set("Date", time.Now().UTC().Format(http.TimeFormat))
				fmt.Fprintf(w, `{"data":[{"id":142,"username":"natgeo","status":"pending","created_at":%q}],"count":1,"limit":100,"offset":0}`, at)
			default:
				fmt.Fprint(w, `{"id":142,"username":"natgeo","status":"pending"}`)
			}
		}))
		defer srv.Close()
		c, err := NewClient(WithAPIKey("ec_test_key_1234"), WithBaseURL(srv.URL+"/api/v1"), WithHTTPClient(srv.HTTPClient()), WithRateLimit(rate.Inf, 0), WithRetryWait(time.Millisecond, time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		a, err := c.Audits.Create(context.Background(), CreateAuditParams{Username: "natgeo"})
		if err != nil {
			t.Fatal(err)
		}
		if a.ID != 142 || posts.Load() != 1 {
			t.Fatalf("audit %d after %d submits: the lost answer was not reconciled", a.ID, posts.Load())
		}
	})
}

// CreateAndWait finds an audit whose submit answer was lost even when more audits
// were created since than one reconciliation reads (other jobs on the
// key, or the caller's own concurrent runs): its loop walks deeper, and
// never resends on a walk that could not reach the submit's time.
func TestCreateAndWaitFindsALostSubmitDeepInTheList(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		var posts atomic.Int32
		const newer = 650 // rows created after the submit, above ours
		srv := fake.NewBare("engagecheck", http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			now := time.Now().UTC().Format("2006-01-02 15:04:05")
			switch {
			case r.Method == "POST":
				posts.Add(1)
				conn, _, _ := w.(http.Hijacker).Hijack()
				conn.Close()
			case r.URL.Path == "/api/v1/audits":
				var off int
				fmt.Sscan(r.URL.Query().Get("offset"), &off)
				fmt.Fprint(w, `{"data":[`)
				for i := off; i < off+100 && i <= newer; i++ {
					if i > off {
						fmt.Fprint(w, ",")
					}
					name := fmt.Sprintf("other_%04d", i)
					if i == newer {
						name = "natgeo"
					}
					fmt.Fprintf(w, `{"id":%d,"username":%q,"status":"pending","created_at":%q}`, 5000-i, name, now)
				}
				fmt.Fprintf(w, `],"count":100,"limit":100,"offset":%d}`, off)
			case r.URL.Path == fmt.Sprintf("/api/v1/audits/%d", 5000-newer):
				fmt.Fprintf(w, `{"id":%d,"username":"natgeo","status":"complete","aqs":88}`, 5000-newer)
			default:
				w.WriteHeader(http.StatusNotFound)
				fmt.Fprint(w, `{"error":"No report exists for the requested id."}`)
			}
		}))
		defer srv.Close()
		c, err := NewClient(WithAPIKey("ec_test_key_1234"), WithBaseURL(srv.URL+"/api/v1"), WithHTTPClient(srv.HTTPClient()), WithRateLimit(rate.Inf, 0), WithRetryWait(time.Millisecond, time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
		defer cancel()
		a, err := c.Audits.CreateAndWait(ctx, CreateAuditParams{Username: "natgeo"}, WithPollInterval(time.Millisecond, 2*time.Millisecond))
		if err != nil {
			t.Fatal(err)
		}
		if a.ID != 5000-newer || a.Status != StatusComplete || posts.Load() != 1 {
			t.Fatalf("audit %d (%s) after %d submits", a.ID, a.Status, posts.Load())
		}
	})
}
