package engagecheck_test

import (
	"context"
	"encoding/base64"
	"encoding/json"
	"errors"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

// echoKey has characters that change under percent-encoding, so the
// encoded forms differ from the key.
const echoKey = "ec_live_Zk9+q/Xy=EchoSecret42"

// echoForms are the ways the echo server repeats a credential header.
func echoForms(name, value string) (plain, encoded []string) {
	line := name + ": " + value
	b64 := func(s string) []string {
		return []string{base64.StdEncoding.EncodeToString([]byte(s)), base64.RawURLEncoding.EncodeToString([]byte(s))}
	}
	plain = []string{line, value, strings.TrimPrefix(value, "Bearer ")}
	encoded = append([]string{url.QueryEscape(line), url.PathEscape(value), url.QueryEscape(strings.TrimPrefix(value, "Bearer "))}, b64(line)...)
	encoded = append(encoded, b64(value)...)
	encoded = append(encoded, b64(strings.TrimPrefix(value, "Bearer "))...)
	encoded = append(encoded, b64("user:"+strings.TrimPrefix(value, "Bearer "))...)
	return plain, encoded
}

// Placements of the echo.
const (
	inHeaders     = "response headers"
	inBody        = "body fields"
	inBodyEncoded = "body fields, percent- and base64-encoded"
)

// echoAnswer is what the echo server answers on one route.
type echoAnswer struct {
	status int
	// fixture is the success body whose string values are replaced by
	// echoes; "" answers with the vendor's error shape, every field an echo.
	fixture string
	// keep names members left as they are (so the answer stays usable).
	keep map[string]bool
}

// echoServer repeats every credential header it receives in the chosen
// placement. It is served in memory (fake.NewBare): start it inside a
// synctest bubble and reach it with its HTTPClient.
type echoServer struct {
	*fake.Server
	mu        sync.Mutex
	placement string
	routes    map[string]echoAnswer
}

func newEchoServer(t *testing.T) *echoServer {
	s := &echoServer{}
	s.Server = fake.NewBare("engagecheck", http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *echoServer) set(placement string, routes map[string]echoAnswer) {
	s.mu.Lock()
	s.placement, s.routes = placement, routes
	s.mu.Unlock()
}

func (s *echoServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	placement, routes := s.placement, s.routes
	s.mu.Unlock()
	var plain, encoded []string
	for _, h := range []string{"Authorization", "X-API-Key"} {
		if v := r.Header.Get(h); v != "" {
			p, e := echoForms(h, v)
			plain, encoded = append(plain, p...), append(encoded, e...)
		}
	}
	forms := plain
	switch placement {
	case inHeaders:
		for i, f := range append(plain, encoded...) {
			w.Header().Add("X-Echo-"+strconv.Itoa(i), f)
		}
		w.Header().Set("X-Request-ID", plain[0])
		w.Header().Set("Request-Id", plain[1])
		forms = nil
	case inBodyEncoded:
		forms = encoded
	}
	route := r.Method + " " + strings.TrimPrefix(r.URL.Path, "/api/v1")
	if strings.HasPrefix(route, "GET /audits/") {
		route = "GET /audits/{id}"
	}
	ans, ok := routes[route]
	if !ok {
		ans = echoAnswer{status: http.StatusNotFound}
	}
	var body []byte
	if ans.fixture == "" {
		body = errorEcho(forms)
	} else {
		body = successEcho(ans.fixture, forms, ans.keep)
	}
	w.Header().Set("Content-Type", "application/json")
	if ans.status == http.StatusTooManyRequests {
		w.Header().Set("Retry-After", "0")
	}
	w.WriteHeader(ans.status)
	_, _ = w.Write(body)
}

// errorEcho is EngageCheck's error shape plus every field other vendors
// and proxies use, each an echo.
func errorEcho(forms []string) []byte {
	pick := func(i int) string {
		if len(forms) == 0 {
			return "An error happened."
		}
		return forms[i%len(forms)]
	}
	m := map[string]any{"error": pick(0), "code": pick(1), "message": pick(2), "detail": pick(3), "title": pick(4),
		"request_id": pick(5), "errors": forms, "details": map[string]any{"auth": pick(6)}}
	b, _ := json.Marshal(m)
	return b
}

// successEcho is a fixture with every string value replaced by an echo.
func successEcho(file string, forms []string, keep map[string]bool) []byte {
	body, err := fixtureBytes(file)
	if err != nil {
		panic(err)
	}
	var doc any
	_ = json.Unmarshal(body, &doc)
	i := 0
	var visit func(key string, v any) any
	visit = func(key string, v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				x[k] = visit(k, c)
			}
		case []any:
			for j, c := range x {
				x[j] = visit(key, c)
			}
		case string:
			if keep[key] || len(forms) == 0 {
				return x
			}
			i++
			return forms[i%len(forms)]
		}
		return v
	}
	doc = visit("", doc)
	out, _ := json.Marshal(doc)
	return out
}

// echoCall is one call driven against the echo server.
type echoCall struct {
	name   string
	routes map[string]echoAnswer
	run    func(c *engagecheck.Client) (any, error)
}

// sdkErrorCalls end with an error of the SDK's own that holds nothing
// from a response body.
var sdkErrorCalls = map[string]bool{"Audits.CreateBatch 202, every string echoed": true}

// usable members: the control values and timestamps stay real so the
// success path is reached; every other string is an echo.
var usable = map[string]bool{"status": true, "username": true, "created_at": true, "completed_at": true, "generatedAt": true, "event": true}

func echoCalls() []echoCall {
	get := func(c *engagecheck.Client) (any, error) { return c.Audits.Get(ctx, 142) }
	create := func(c *engagecheck.Client) (any, error) {
		return c.Audits.Create(ctx, engagecheck.CreateAuditParams{Username: "natgeo"})
	}
	batch := func(c *engagecheck.Client) (any, error) {
		return c.Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: []string{"natgeo", "nasa"}})
	}
	list := func(c *engagecheck.Client) (any, error) { return c.Audits.List(ctx, engagecheck.ListAuditsParams{}) }
	credits := func(c *engagecheck.Client) (any, error) { return c.Credits.Get(ctx) }
	listOK := echoAnswer{status: 200, fixture: "audits_list.json", keep: usable}
	raw := func(method, path string, opts ...engagecheck.DoOption) func(c *engagecheck.Client) (any, error) {
		return func(c *engagecheck.Client) (any, error) {
			var out struct {
				ID       int64           `json:"id"`
				Username string          `json:"username"`
				Report   json.RawMessage `json:"report"`
				Raw      json.RawMessage `json:"-"`
				Response *engagecheck.ResponseMeta
			}
			_, err := c.Do(ctx, method, path, url.Values{"fields": {"report"}}, nil, &out, opts...)
			return &out, err
		}
	}
	return []echoCall{
		{"Do GET 200, every string echoed", map[string]echoAnswer{"GET /audits/{id}": {status: 200, fixture: "audit_complete.json"}}, raw("GET", "audits/142")},
		{"Do GET 404", map[string]echoAnswer{"GET /audits/{id}": {status: 404}}, raw("GET", "audits/142")},
		{"Do POST 402", map[string]echoAnswer{"POST /audits": {status: 402}}, raw("POST", "audits", engagecheck.Costs(1))},
		{"Audits.Get 200, every string echoed", map[string]echoAnswer{"GET /audits/{id}": {status: 200, fixture: "audit_complete.json"}}, get},
		{"Audits.Get 200", map[string]echoAnswer{"GET /audits/{id}": {status: 200, fixture: "audit_complete.json", keep: usable}}, get},
		{"Audits.Get 404", map[string]echoAnswer{"GET /audits/{id}": {status: 404}}, get},
		{"Audits.Get 422", map[string]echoAnswer{"GET /audits/{id}": {status: 422}}, get},
		{"Audits.Get 500", map[string]echoAnswer{"GET /audits/{id}": {status: 500}}, get},
		{"Audits.Get 429", map[string]echoAnswer{"GET /audits/{id}": {status: 429}}, get},
		{"Audits.List 200, every string echoed", map[string]echoAnswer{"GET /audits": {status: 200, fixture: "audits_list.json"}}, list},
		{"Audits.List 200", map[string]echoAnswer{"GET /audits": listOK}, list},
		{"Credits.Get 200", map[string]echoAnswer{"GET /credits": {status: 200, fixture: "credits.json"}}, credits},
		{"Credits.Get 401", map[string]echoAnswer{"GET /credits": {status: 401}}, credits},
		{"Audits.Create 202, every string echoed", map[string]echoAnswer{"POST /audits": {status: 202, fixture: "audit_created.json"}, "GET /audits": listOK}, create},
		{"Audits.Create 202", map[string]echoAnswer{"POST /audits": {status: 202, fixture: "audit_created.json", keep: usable}}, create},
		{"Audits.Create 200 inline", map[string]echoAnswer{"POST /audits": {status: 200, fixture: "audit_complete_inline.json", keep: usable}}, create},
		{"Audits.Create 400", map[string]echoAnswer{"POST /audits": {status: 400}}, create},
		{"Audits.Create 402", map[string]echoAnswer{"POST /audits": {status: 402}}, create},
		{"Audits.Create 502, list down", map[string]echoAnswer{"POST /audits": {status: 502}, "GET /audits": {status: 503}}, create},
		// The rows name handles that were not sent: the answer is
		// unusable, the list it is reconciled against cannot be read
		// either, and the error says so in the SDK's own words.
		{"Audits.CreateBatch 202, every string echoed", map[string]echoAnswer{"POST /audits/batch": {status: 202, fixture: "batch_accepted.json"}, "GET /audits": {status: 200, fixture: "audits_list.json"}}, batch},
		{"Audits.CreateBatch 202", map[string]echoAnswer{"POST /audits/batch": {status: 202, fixture: "batch_accepted.json", keep: usable}}, batch},
		{"Audits.CreateBatch 402", map[string]echoAnswer{"POST /audits/batch": {status: 402}}, batch},
		{"Audits.CreateAndWait", map[string]echoAnswer{"POST /audits": {status: 202, fixture: "audit_created.json", keep: usable},
			"GET /audits/{id}": {status: 200, fixture: "audit_complete.json", keep: usable}}, func(c *engagecheck.Client) (any, error) {
			return c.Audits.CreateAndWait(ctx, engagecheck.CreateAuditParams{Username: "natgeo"}, engagecheck.WithPollInterval(time.Millisecond, 2*time.Millisecond))
		}},
		{"Audits.GetAndWait, failed audit", map[string]echoAnswer{"GET /audits/{id}": {status: 200, fixture: "audit_analyzing.json",
			keep: map[string]bool{"username": true, "created_at": true}}}, func(c *engagecheck.Client) (any, error) {
			// status is echoed too: the audit never settles, the wait
			// ends with its context and names the last state.
			cctx, cancel := contextWithTimeout(50 * time.Millisecond)
			defer cancel()
			return c.Audits.GetAndWait(cctx, 142, engagecheck.WithPollInterval(time.Millisecond, 2*time.Millisecond))
		}},
		{"Audits.CreateAndWaitAll", map[string]echoAnswer{"GET /credits": {status: 200, fixture: "credits.json", keep: map[string]bool{"credits_remaining": true}},
			"POST /audits/batch": {status: 402}}, func(c *engagecheck.Client) (any, error) {
			var errs []error
			var audits []*engagecheck.Audit
			for ans, err := range c.Audits.CreateAndWaitAll(ctx, []string{"natgeo", "nasa"}, engagecheck.WithAllowPartial(), engagecheck.WithPollInterval(time.Millisecond, 2*time.Millisecond)) {
				a := ans.Value
				audits, errs = append(audits, a), append(errs, err)
			}
			return audits, errors.Join(errs...)
		}},
	}
}

// No key a server echoes reaches an error, a result or a log line, for
// either auth scheme, in any placement or format. It runs on the bubble's
// clock: one call ends its poll with a 50 ms deadline, and the check after
// a wait shrunk to fit a deadline is the last one (poll.Until), so the
// wait ends there.
func TestEchoedKeyNeverLeaks(t *testing.T) {
	t.Parallel()
	synctest.Test(t, testEchoedKeyNeverLeaks)
}

func testEchoedKeyNeverLeaks(t *testing.T) {
	srv := newEchoServer(t)
	schemes := map[string]engagecheck.Option{
		"Bearer":    engagecheck.WithAPIKey(echoKey),
		"X-API-Key": engagecheck.WithAPIKeyHeader(echoKey),
	}
	checks := 0
	for scheme, auth := range schemes {
		for _, placement := range []string{inHeaders, inBody, inBodyEncoded} {
			for _, call := range echoCalls() {
				var logs vendortest.Buffer
				c, err := engagecheck.NewClient(auth, engagecheck.WithBaseURL(srv.URL+"/api/v1"), engagecheck.WithHTTPClient(srv.HTTPClient()),
					engagecheck.WithRateLimit(rate.Inf, 0), engagecheck.WithRetryWait(time.Millisecond, 2*time.Millisecond), engagecheck.WithMaxRetries(1),
					engagecheck.WithLogger(slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
				require.NoError(t, err)
				srv.set(placement, call.routes)
				res, err := call.run(c)
				where := fmt.Sprintf("%s, %s, %s", scheme, call.name, placement)
				if err != nil {
					for format, s := range map[string]string{
						"err.Error()": err.Error(), "%v": fmt.Sprintf("%v", err), "%+v": fmt.Sprintf("%+v", err), "%#v": fmt.Sprintf("%#v", err),
					} {
						checks++
						if vendortest.Holds(s, echoKey) {
							t.Errorf("%s: the key leaks through %s of the error: %s", where, format, s)
						}
					}
					checks++
					for _, s := range vendortest.Strings(err) {
						if vendortest.Holds(s, echoKey) {
							t.Errorf("%s: the key leaks through a field of the error: %q", where, s)
						}
					}
				}
				if res != nil && !reflect.ValueOf(res).IsNil() {
					checks += 2
					for _, s := range append(vendortest.Strings(res), fmt.Sprintf("%+v", res)) {
						if vendortest.Holds(s, echoKey) {
							t.Errorf("%s: the key leaks through the result: %q", where, s)
						}
					}
					if b, merr := json.Marshal(res); merr == nil && vendortest.Holds(string(b), echoKey) {
						t.Errorf("%s: the key leaks through the result's JSON: %s", where, b)
					}
				}
				all := strings.Join(append(vendortest.Strings(err), vendortest.Strings(res)...), " ")
				if !strings.Contains(all, "[REDACTED]") && !(sdkErrorCalls[call.name] && placement != inHeaders) {
					t.Errorf("%s: no echo reached the error or the result: the check proved nothing", where)
				}
				checks++
				if vendortest.Holds(logs.String(), echoKey) {
					t.Errorf("%s: the key leaks through the log: %s", where, logs.String())
				}
				if logs.String() == "" {
					t.Errorf("%s: nothing was logged at Debug", where)
				}
			}
		}
	}
	require.Positive(t, checks)
	t.Logf("%d (scheme, call, placement, format) checks: the echoed key never leaked", checks)
}

// The leak detector itself finds every form the server echoes.
func TestLeakDetectorFindsEveryEchoForm(t *testing.T) {
	t.Parallel()
	for _, name := range []string{"Authorization", "X-API-Key"} {
		value := echoKey
		if name == "Authorization" {
			value = "Bearer " + echoKey
		}
		plain, encoded := echoForms(name, value)
		for _, f := range append(plain, encoded...) {
			require.True(t, vendortest.Holds("request id "+f+" (after 2 attempts)", echoKey), f)
		}
	}
	require.False(t, vendortest.Holds("request id [REDACTED]", echoKey))
}

func fixtureBytes(name string) ([]byte, error) { return os.ReadFile(filepath.Join("testdata", name)) }

func contextWithTimeout(d time.Duration) (context.Context, context.CancelFunc) {
	return context.WithTimeout(context.Background(), d)
}
