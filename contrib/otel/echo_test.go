package creatorkitotel

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/ylytic"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

// echoStatuses are the answers the echo server cycles through: successes,
// the retried failures and the final ones.
var echoStatuses = []int{429, 503, 200, 500, 201, 404, 200, 400, 401, 409, 402, 502}

// echoServer answers every request with everything it heard (each header
// line and value, the URL, its path and query, the body), percent- and
// base64-encoded too, in its response headers and in every member of a
// JSON body that vendors and proxies use for ids, states, messages and
// errors. An observer that took anything from an answer would record a
// credential, an id or a query value.
type echoServer struct {
	n        atomic.Int64
	mu       sync.Mutex
	requests map[string]int // by vendor: the first path segment
}

func (e *echoServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	body, _ := io.ReadAll(r.Body)
	e.n.Add(1)
	e.mu.Lock()
	vendor := strings.SplitN(strings.TrimPrefix(r.URL.Path, "/"), "/", 2)[0]
	e.requests[vendor]++
	status := echoStatuses[(e.requests[vendor]-1)%len(echoStatuses)]
	e.mu.Unlock()
	var heard []string
	for k, vs := range r.Header {
		for _, v := range vs {
			heard = append(heard, k+": "+v, v, strings.TrimPrefix(v, "Bearer "))
		}
	}
	heard = append(heard, r.URL.String(), r.URL.Path, r.URL.RawQuery, string(body))
	for _, vs := range r.URL.Query() {
		heard = append(heard, vs...)
	}
	forms := make([]string, 0, 4*len(heard))
	for _, h := range heard {
		forms = append(forms, h, url.QueryEscape(h), base64.StdEncoding.EncodeToString([]byte(h)), base64.RawURLEncoding.EncodeToString([]byte(h)))
	}
	for i, f := range forms {
		w.Header().Add(fmt.Sprintf("X-Echo-%d", i), headerSafe(f))
	}
	all := strings.Join(forms, " ")
	for _, h := range []string{"X-Request-Id", "Request-Id", "X-Amzn-Requestid", "Etag", "Location", "X-Cursor", "Link"} {
		w.Header().Set(h, headerSafe(all))
	}
	if status == http.StatusTooManyRequests || status == http.StatusServiceUnavailable {
		w.Header().Set("Retry-After", "0")
	}
	v := forms[0]
	echoed := map[string]any{"echo": forms, "message": v, "detail": v, "title": v, "type": v, "instance": v,
		"description": v, "code": v, "request_id": v, "id": v, "_id": v, "status": v, "state": v, "username": v,
		"next_cursor": v, "report_id": v, "creator_id": v, "token": v, "url": v}
	doc := map[string]any{"error": echoed, "errors": []any{echoed}, "data": echoed, "result": echoed, "response": echoed}
	for k, x := range echoed {
		doc[k] = x
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(doc)
}

// headerSafe keeps a header value on one line.
func headerSafe(s string) string {
	return strings.NewReplacer("\r", " ", "\n", " ", "\x00", " ").Replace(s)
}

// Every vendor's client against a server that echoes everything it hears
// back in every answer, on the real clock (httptest's socket cannot serve
// a synctest bubble; the retries wait a millisecond): calls, retries and
// waits are recorded, and no credential, handle, id or query value they
// sent is in any span, event or metric attribute.
func TestEchoedValuesNeverRecorded(t *testing.T) {
	t.Parallel()
	echo := &echoServer{requests: map[string]int{}}
	srv := httptest.NewServer(echo)
	t.Cleanup(srv.Close)
	hc := srv.Client()
	t.Cleanup(hc.CloseIdleConnections)
	h := newHarness(t, tracing)
	ctx, cancel := context.WithTimeout(t.Context(), time.Minute)
	defer cancel()
	// A wait's budget: each ends sooner, on a final answer of the echo's
	// cycle, so that every request sent is answered.
	short := func() context.Context {
		c, cancel := context.WithTimeout(ctx, 10*time.Second)
		t.Cleanup(cancel)
		return c
	}
	const retryWait = time.Millisecond

	// Credentials with characters that change under percent-encoding.
	values := []string{
		"ec_live_Zk9+q/Xy=EchoSecret42", "ca_live_Echo+Key/7=", "id_live_EchoKey+9/x=", "ha_client_7731", "ha_token_Echo+Tok/3=",
		"fp_token_Echo+Tok/5=", "yl_token_Echo+Tok/8=",
		// what the calls send: handles, ids, query values
		"echo_probe_handle", "918273", "918274", "4711", "echo_probe_account", "7e1c0b5e-3a4f-4b6c-9d2e-1f0a9b8c7d61", "0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f", "echo_probe_query",
		"echo_probe_creator", "echo_probe_ig", "echo_probe_conn", "echo_state_5d1c", "cr_echo_31415", "echo-probe-key",
		"echo.probe.ylytic", "req_echo_2718", "req_echo_wait1",
	}

	ec, err := engagecheck.NewClient(engagecheck.WithAPIKey(values[0]), engagecheck.WithBaseURL(srv.URL+"/engagecheck"), engagecheck.WithHTTPClient(hc),
		engagecheck.WithObserver(h.obs), engagecheck.WithRateLimit(rate.Inf, 0), engagecheck.WithRetryWait(retryWait, retryWait))
	require.NoError(t, err)
	_, _ = ec.Credits.Get(ctx)
	_, _ = ec.Audits.Create(ctx, engagecheck.CreateAuditParams{Username: "echo_probe_handle"})
	_, _ = ec.Audits.Get(ctx, 918273)
	_, _ = ec.Audits.List(ctx, engagecheck.ListAuditsParams{Limit: 13, Offset: 4711})
	_, _ = ec.Audits.GetAndWait(short(), 918274, engagecheck.WithPollInterval(5*time.Millisecond, 10*time.Millisecond))

	ca, err := creatoraudit.NewClient(creatoraudit.WithAPIKey(values[1]), creatoraudit.WithBaseURL(srv.URL+"/creatoraudit"), creatoraudit.WithHTTPClient(hc),
		creatoraudit.WithObserver(h.obs), creatoraudit.WithRateLimit(rate.Inf, 0), creatoraudit.WithRetryWait(retryWait, retryWait))
	require.NoError(t, err)
	_, _ = ca.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "echo_probe_account"})
	_, _ = ca.Accounts.Get(ctx, "7e1c0b5e-3a4f-4b6c-9d2e-1f0a9b8c7d61")
	_, _ = ca.Search.Query(ctx, creatoraudit.SearchParams{Q: "echo_probe_query"})
	_, _ = ca.Accounts.GetAndWait(short(), "0c9d8e7f-6a5b-4c3d-8e2f-1a0b9c8d7e6f", creatoraudit.WithPollInterval(5*time.Millisecond, 10*time.Millisecond))

	id, err := infludata.NewClient(infludata.WithAPIKey(values[2]), infludata.WithBaseURL(srv.URL+"/infludata"), infludata.WithHTTPClient(hc),
		infludata.WithObserver(h.obs), infludata.WithRateLimit(rate.Inf, 0), infludata.WithRetryWait(retryWait, retryWait))
	require.NoError(t, err)
	_, _ = id.Profiles.Get(ctx, infludata.GetProfileParams{Platform: infludata.Instagram, Username: "echo_probe_creator"})
	_, _ = id.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: infludata.Instagram, Username: "echo_probe_creator"})
	_, _ = id.Profiles.GetAndWait(short(), infludata.GetProfileParams{Platform: infludata.Instagram, Username: "echo_probe_creator"},
		infludata.WithPollInterval(5*time.Millisecond, 10*time.Millisecond))

	ha, err := hypeauditor.NewClient(hypeauditor.WithCredentials(values[3], values[4]), hypeauditor.WithBaseURL(srv.URL+"/hypeauditor"),
		hypeauditor.WithMarketAnalysisBaseURL(srv.URL+"/hypeauditor-market"), hypeauditor.WithHTTPClient(hc),
		hypeauditor.WithObserver(h.obs), hypeauditor.WithRateLimit(rate.Inf, 0), hypeauditor.WithRetryWait(retryWait, retryWait))
	require.NoError(t, err)
	_, _ = ha.Account.PlanInfo(ctx)
	_, _ = ha.Connections.Get(ctx, hypeauditor.ConnectionsParams{Username: "echo_probe_conn", Type: hypeauditor.Instagram})
	_, _ = ha.Reports.InstagramAndWait(short(), hypeauditor.InstagramParams{Username: "echo_probe_ig"},
		hypeauditor.WithPollInterval(5*time.Millisecond, 10*time.Millisecond))

	fp, err := firstparty.NewClient(firstparty.WithToken(values[5]), firstparty.WithBaseURL(srv.URL+"/firstparty"), firstparty.WithHTTPClient(hc),
		firstparty.WithObserver(h.obs), firstparty.WithRateLimit(rate.Inf, 0), firstparty.WithRetryWait(retryWait, retryWait))
	require.NoError(t, err)
	_, _ = fp.Verification.CreateURL(ctx, firstparty.CreateVerificationURLParams{Platform: firstparty.Instagram,
		RedirectURL: "https://app.example/callback", State: "echo_state_5d1c"})
	_, _ = fp.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "cr_echo_31415", Key: "echo-probe-key"})
	_, _ = fp.Insights.GetAndWait(short(), firstparty.GetInsightsParams{CreatorID: "cr_echo_31415"},
		firstparty.WithPollInterval(5*time.Millisecond, 10*time.Millisecond))

	yl, err := ylytic.NewClient(ylytic.WithToken(values[6]), ylytic.WithBaseURL(srv.URL+"/ylytic"), ylytic.WithHTTPClient(hc),
		ylytic.WithObserver(h.obs), ylytic.WithRateLimit(rate.Inf, 0), ylytic.WithRetryWait(retryWait, retryWait))
	require.NoError(t, err)
	_, _ = yl.Creators.Add(ctx, ylytic.AddCreatorsParams{Handles: []string{ylytic.ProfileURL(ylytic.Instagram, "echo.probe.ylytic")}})
	_, _ = yl.Refresh.Get(ctx, "req_echo_2718")
	_, _ = yl.Refresh.GetAndWait(short(), "req_echo_wait1", ylytic.WithPollInterval(5*time.Millisecond, 10*time.Millisecond))

	// Every vendor reached the echo, with retries; every span ended.
	echo.mu.Lock()
	reached := echo.requests
	echo.mu.Unlock()
	for _, v := range []string{"engagecheck", "creatoraudit", "infludata", "hypeauditor", "firstparty", "ylytic"} {
		assert.GreaterOrEqual(t, reached[v], 3, "%s reached the echo server", v)
	}
	ended := h.spans.Ended()
	require.Len(t, h.spans.Started(), len(ended))
	events, kinds := 0, map[string]int{}
	for _, s := range ended {
		events += len(s.Events())
		if k, ok := attrs(s.Attributes())["error.type"].(string); ok {
			kinds[k]++
		}
	}
	assert.Zero(t, kinds["deadline_exceeded"], "the waits ended on the echo's answers")
	assert.Equal(t, int(echo.n.Load()), events, "an attempt event per request the echo server answered")
	assert.Positive(t, total(h.metrics(t), "creatorkit.retry.count"))
	t.Logf("%d requests by vendor %v, %d spans; error kinds %v", echo.n.Load(), reached, len(ended), kinds)

	h.assertNoValue(t, values)
}
