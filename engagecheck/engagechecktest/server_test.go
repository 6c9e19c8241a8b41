package engagechecktest

import (
	"encoding/json"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

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
	resp, err := http.DefaultClient.Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	raw, _ := io.ReadAll(resp.Body)
	var m map[string]any
	_ = json.Unmarshal(raw, &m)
	return resp.StatusCode, m
}

func TestLifecycleCreditsAndRefunds(t *testing.T) {
	// An audit is pending for 100 ms, then runs 40 ms; a batch's audits run
	// one after another.
	s := NewServer(WithTimeScale(0.001), WithCredits(3), WithRateLimit(0, 0),
		WithDurations(Durations{Pending: 100 * time.Second, Scraping: 20 * time.Second, Analyzing: 20 * time.Second}))
	defer s.Close()
	submitted := time.Now()
	code, m := call(t, s, "POST", "/audits/batch", `{"usernames":["natgeo","natgeo"," ","someprivate"]}`)
	require.Equal(t, 202, code)
	assert.Len(t, m["results"], 2, "duplicates and blanks dropped")
	assert.Equal(t, 1.0, m["credits_remaining"])

	code, m = call(t, s, "POST", "/audits/batch", `{"usernames":["a1","b2"]}`)
	assert.Equal(t, 402, code, "the batch cannot be covered")
	assert.Contains(t, m["error"], "needs 2 credits and 1 remain")

	code, m = call(t, s, "GET", "/audits/142", "")
	require.Equal(t, 200, code)
	if time.Since(submitted) < s.Scale(100*time.Second) {
		assert.Equal(t, "pending", m["status"])
	} else { // a loaded machine took longer than the pending phase
		assert.Contains(t, []any{"pending", "scraping", "analyzing", "complete"}, m["status"])
	}
	time.Sleep(400 * time.Millisecond) // both audits (140 ms each, one after another) have settled
	code, m = call(t, s, "GET", "/audits/143", "")
	require.Equal(t, 200, code)
	assert.Equal(t, "error", m["status"])
	assert.Equal(t, "Account is private.", m["error_message"])
	assert.Equal(t, 2, s.Credits(), "the failed audit was refunded")

	code, m = call(t, s, "POST", "/audits", `{"username":"@NatGeo"}`)
	assert.Equal(t, 200, code, "a fresh report comes back inline")
	assert.Equal(t, "complete", m["status"])
	assert.NotNil(t, m["report"])
}

func TestValidationAuthAndErrors(t *testing.T) {
	s := NewServer(WithRateLimit(0, 0))
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
}
