package engagechecktest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/engagecheck"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"go.uber.org/goleak"
)

func TestMain(m *testing.M) { goleak.VerifyTestMain(m) }

func call(t *testing.T, s *Server, method, path, body string, hdr ...string) (int, map[string]any) {
	t.Helper()
	req, _ := http.NewRequest(method, s.BaseURL()+path, strings.NewReader(body))
	req.Header.Set("Authorization", "Bearer "+s.APIKey)
	for i := 0; i+1 < len(hdr); i += 2 {
		req.Header.Del("Authorization")
		req.Header.Set(hdr[i], hdr[i+1])
	}
	resp, err := s.HTTPClient().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return resp.StatusCode, m
}

// The tests run inside testing/synctest bubbles on fakes started
// WithVirtualTime: the documented durations pass on the bubble's clock in
// no real time, and each phase is checked at its exact boundary.

func TestLifecycleCreditsAndRefunds(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		// An audit is pending for 100 s, then runs 40 s; a batch's audits
		// run one after another.
		s := NewServer(WithVirtualTime(), WithCredits(3), WithRateLimit(0, 0),
			WithDurations(Durations{Pending: 100 * time.Second, Scraping: 20 * time.Second, Analyzing: 20 * time.Second}))
		defer s.Close()
		code, m := call(t, s, "POST", "/audits/batch", `{"usernames":["natgeo","natgeo"," ","someprivate"]}`)
		require.Equal(t, 202, code)
		assert.Len(t, m["results"], 2, "duplicates and blanks dropped")
		assert.Equal(t, 1.0, m["credits_remaining"])

		code, m = call(t, s, "POST", "/audits/batch", `{"usernames":["a1","b2"]}`)
		assert.Equal(t, 402, code, "the batch cannot be covered")
		assert.Contains(t, m["error"], "needs 2 credits and 1 remain")

		status := func(id string) any {
			t.Helper()
			code, m := call(t, s, "GET", "/audits/"+id, "")
			require.Equal(t, 200, code)
			return m["status"]
		}
		for _, step := range []struct {
			at            time.Duration // since the submit
			first, second engagecheck.AuditStatus
			credits       int
		}{
			{0, "pending", "pending", 1},
			{100*time.Second - 1, "pending", "pending", 1},
			{100 * time.Second, "scraping", "pending", 1},
			{120 * time.Second, "analyzing", "pending", 1},
			{140*time.Second - 1, "analyzing", "pending", 1},
			{140 * time.Second, "complete", "pending", 1}, // the second one's turn
			{240 * time.Second, "complete", "scraping", 1},
			{280*time.Second - 1, "complete", "analyzing", 1},
			{280 * time.Second, "complete", "error", 2}, // failed, so refunded
		} {
			time.Sleep(step.at - time.Since(t0(s)))
			assert.Equal(t, string(step.first), status("142"), "natgeo at %s", step.at)
			assert.Equal(t, string(step.second), status("143"), "someprivate at %s", step.at)
			assert.Equal(t, step.credits, s.Credits(), "at %s", step.at)
		}
		code, m = call(t, s, "GET", "/audits/143", "")
		require.Equal(t, 200, code)
		assert.Equal(t, "Account is private.", m["error_message"])

		code, m = call(t, s, "POST", "/audits", `{"username":"@NatGeo"}`)
		assert.Equal(t, 200, code, "a fresh report comes back inline")
		assert.Equal(t, "complete", m["status"])
		assert.NotNil(t, m["report"])
	})
}

// t0 is when the first audit was created.
func t0(s *Server) time.Time {
	s.mu.Lock()
	defer s.mu.Unlock()
	return s.audits[0].created
}

func TestValidationAuthAndErrors(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		s := NewServer(WithVirtualTime(), WithRateLimit(0, 0))
		defer s.Close()
		names := make([]string, 51)
		for i := range names {
			names[i] = "h" + strings.Repeat("x", i%5) + string(rune('a'+i%26)) + string(rune('a'+i/26))
		}
		b, _ := json.Marshal(map[string]any{"usernames": names})
		code, _ := call(t, s, "POST", "/audits/batch", string(b))
		assert.Equal(t, 400, code)
		code, _ = call(t, s, "POST", "/audits", `{"username":""}`)
		assert.Equal(t, 400, code)
		code, _ = call(t, s, "POST", "/audits", `{"username":"x","webhook_url":"ftp://x"}`)
		assert.Equal(t, 400, code)
		code, _ = call(t, s, "GET", "/audits?limit=0", "")
		assert.Equal(t, 400, code)
		code, _ = call(t, s, "GET", "/audits/999", "")
		assert.Equal(t, 404, code)
		code, _ = call(t, s, "GET", "/credits", "", "X-API-Key", s.APIKey)
		assert.Equal(t, 200, code, "X-API-Key works too")
		code, m := call(t, s, "GET", "/credits", "", "Authorization", "Bearer wrong")
		assert.Equal(t, 401, code)
		assert.Equal(t, "The API key is missing, invalid, or revoked.", m["error"])
	})
}
