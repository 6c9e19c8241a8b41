package hypeauditortest_test

import (
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
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

// call sends a raw request to the fake (over its HTTPClient, in memory
// inside a bubble) and returns the status and body.
func call(t *testing.T, srv *hypeauditortest.Server, method, path, token string, body string) (int, string) {
	t.Helper()
	var r io.Reader
	if body != "" {
		r = strings.NewReader(body)
	}
	req, err := http.NewRequest(method, srv.BaseURL()+path, r)
	require.NoError(t, err)
	req.Header.Set("X-Auth-Id", srv.ClientID)
	req.Header.Set("X-Auth-Token", token)
	resp, err := srv.HTTPClient().Do(req)
	require.NoError(t, err)
	defer resp.Body.Close()
	b, err := io.ReadAll(resp.Body)
	require.NoError(t, err)
	return resp.StatusCode, string(b)
}

func doc(t *testing.T, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join("..", "testdata", name))
	require.NoError(t, err)
	return string(b)
}

// The fake's error bodies are the documented ones.
func TestDocumentedErrorBodies(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := hypeauditortest.NewServer(hypeauditortest.WithVirtualTime())
		defer srv.Close()
		status, body := call(t, srv, "GET", "auditor.planInfo?v=2", "wrong", "")
		assert.Equal(t, 403, status)
		assert.JSONEq(t, doc(t, "error_403_invalid_token.json"), body)

		status, body = call(t, srv, "GET", "auditor.reportConnections?v=2&type=instagram", srv.Token, "")
		assert.Equal(t, 400, status, "neither username nor id")
		assert.JSONEq(t, doc(t, "error_400_invalid_request.json"), body)

		status, body = call(t, srv, "GET", "auditor.reportConnections?v=2&type=tiktok&id=42", srv.Token, "")
		assert.Equal(t, 404, status)
		assert.JSONEq(t, doc(t, "error_404_object_not_found.json"), body)

		status, body = call(t, srv, "GET", "auditor.nope?v=2", srv.Token, "")
		assert.Equal(t, 400, status)
		assert.JSONEq(t, doc(t, "error_400_unknown_method.json"), body)

		noAccess := hypeauditortest.NewServer(hypeauditortest.WithVirtualTime(), hypeauditortest.WithNoAPIAccess())
		defer noAccess.Close()
		status, body = call(t, noAccess, "GET", "auditor.planInfo?v=2", noAccess.Token, "")
		assert.Equal(t, 402, status)
		assert.JSONEq(t, doc(t, "error_402_no_api_access.json"), body)

		status, body = call(t, srv, "GET", "auditor.reportMedia?v=2&username=nobody", srv.Token, "")
		assert.Equal(t, 403, status)
		assert.JSONEq(t, doc(t, "error_403_access_denied.json"), body)
		assert.Equal(t, 0, srv.MissingVersion())
		call(t, srv, "GET", "auditor.planInfo", srv.Token, "")
		assert.Equal(t, 1, srv.MissingVersion())
	})
}

// The seeded nasa connections are the documented sample.
func TestConnectionsSample(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := hypeauditortest.NewServer(hypeauditortest.WithVirtualTime())
		defer srv.Close()
		status, body := call(t, srv, "GET", "auditor.reportConnections?v=2&username=nasa&type=instagram", srv.Token, "")
		require.Equal(t, 200, status)
		assert.JSONEq(t, doc(t, "connections.json"), body)
	})
}

// Generation: 202 {report_state NOT_READY, retryTtl} until ready, one
// credit on first unlock, then the report with restTokens and validUntil.
func TestReportGeneration(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := hypeauditortest.NewServer(hypeauditortest.WithVirtualTime(), hypeauditortest.WithGeneration(50*time.Second), hypeauditortest.WithRetryTTL(20*time.Second))
		defer srv.Close()
		status, body := call(t, srv, "GET", "auditor.tiktok?v=2&channel=khaby.lame", srv.Token, "")
		assert.Equal(t, 202, status)
		assert.JSONEq(t, `{"result":{"report_state":"NOT_READY","retryTtl":20}}`, body)
		assert.Equal(t, 999, srv.Credits())
		time.Sleep(50*time.Second - time.Nanosecond)
		status, _ = call(t, srv, "GET", "auditor.tiktok?v=2&channel=khaby.lame", srv.Token, "")
		assert.Equal(t, 202, status, "a nanosecond before the generation ends")
		time.Sleep(time.Nanosecond)
		status, body = call(t, srv, "GET", "auditor.tiktok?v=2&channel=khaby.lame", srv.Token, "")
		require.Equal(t, 200, status)
		var v struct {
			Result struct {
				State      string `json:"report_state"`
				RestTokens int    `json:"restTokens"`
				ValidUntil int64  `json:"validUntil"`
				Report     struct {
					Basic struct {
						Username string `json:"username"`
					} `json:"basic"`
				} `json:"report"`
			} `json:"result"`
		}
		require.NoError(t, json.Unmarshal([]byte(body), &v))
		assert.Equal(t, "READY", v.Result.State)
		assert.Equal(t, 999, v.Result.RestTokens)
		assert.Equal(t, "khaby.lame", v.Result.Report.Basic.Username)
		assert.Greater(t, v.Result.ValidUntil, time.Now().Unix())
		snap := srv.Snapshot()
		assert.EqualValues(t, 1, snap.Credits[hypeauditortest.RouteTikTok])
		assert.Equal(t, 3, snap.Requests[hypeauditortest.RouteTikTok])
	})
}

// At the vendor's durations (time scale 1) retryTtl is whole seconds.
func TestRetryTTLIsWholeSeconds(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := hypeauditortest.NewServer(hypeauditortest.WithVirtualTime())
		defer srv.Close()
		_, body := call(t, srv, "GET", "auditor.twitch?v=2&channel=nasa", srv.Token, "")
		assert.JSONEq(t, `{"result":{"report_state":"NOT_READY","retryTtl":30}}`, body)
	})
}

func TestSearchValidationAndCost(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := hypeauditortest.NewServer(hypeauditortest.WithVirtualTime(), hypeauditortest.WithDiscoveryRequests(1))
		defer srv.Close()
		status, _ := call(t, srv, "POST", "auditor.search?v=2", srv.Token, `{"social_network":"snapchat"}`)
		assert.Equal(t, 400, status)
		status, _ = call(t, srv, "POST", "auditor.search?v=2", srv.Token, `not json`)
		assert.Equal(t, 400, status)
		status, body := call(t, srv, "POST", "auditor.search?v=2", srv.Token, `{"social_network":"youtube","page":7}`)
		require.Equal(t, 200, status)
		assert.Contains(t, body, `"current_page":7`)
		assert.Contains(t, body, `"search_results":[{`, "page 7 holds the last 17 of 137")
		assert.Contains(t, body, `"queries_left":0`)
		status, _ = call(t, srv, "POST", "auditor.search?v=2", srv.Token, `{"social_network":"youtube"}`)
		assert.Equal(t, 402, status)
		status, _ = call(t, srv, "POST", "auditor.searchSandbox?v=2", srv.Token, `{"social_network":"youtube"}`)
		assert.Equal(t, 200, status, "the sandbox is free")
		assert.EqualValues(t, 1, srv.Snapshot().Credits[hypeauditortest.RouteSearch])
	})
}

func TestDefaultOutcome(t *testing.T) {
	t.Parallel()
	assert.Equal(t, hypeauditor.StatePrivate, hypeauditortest.DefaultOutcome(hypeauditor.Instagram, "SomePrivateGuy").State)
	assert.Equal(t, hypeauditor.StateReady, hypeauditortest.DefaultOutcome(hypeauditor.Instagram, "nasa").State)
	assert.Equal(t, hypeauditor.StateReportCalculating, hypeauditortest.DefaultOutcome(hypeauditor.Twitch, "calculating").State)
}
