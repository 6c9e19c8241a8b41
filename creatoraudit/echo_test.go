package creatoraudit_test

import (
	"bytes"
	"context"
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"sort"
	"strings"
	"sync"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/stretchr/testify/require"
)

// echoKey has characters that every encoding changes: '&' (escaped by
// Go's JSON encoder), '+', '/', '=' and ':' (percent-encoded).
const echoKey = "ca_live_9f8e&7d6c+5b4a/3c2d=1e0f:Zq"

// echoFormats are the forms in which the echo server writes back what it
// received: the Authorization header's value ("Bearer <key>"), the whole
// header line, the key alone, percent-encoded (query and path), base64
// (every alphabet) of the key and of the Basic-auth pairs "key:" and
// ":key", and a JSON string whose every character is a \u escape.
var echoFormats = map[string]func(header, key string) string{
	"header value":       func(h, _ string) string { return h },
	"header line":        func(h, _ string) string { return "Authorization: " + h },
	"key":                func(_, k string) string { return "leaked " + k + " here" },
	"query-escaped":      func(_, k string) string { return "k=" + url.QueryEscape(k) },
	"path-escaped":       func(_, k string) string { return "/keys/" + url.PathEscape(k) },
	"base64":             func(_, k string) string { return base64.StdEncoding.EncodeToString([]byte(k)) },
	"base64url raw":      func(_, k string) string { return base64.RawURLEncoding.EncodeToString([]byte(k)) },
	"basic auth user":    func(_, k string) string { return "Basic " + base64.StdEncoding.EncodeToString([]byte(k+":")) },
	"basic auth pass":    func(_, k string) string { return "Basic " + base64.StdEncoding.EncodeToString([]byte(":"+k)) },
	"json \\u escaped":   func(h, _ string) string { return h }, // written as \u escapes, see unicodeEscaped
	"header value twice": func(h, _ string) string { return h + " / " + h },
}

// forbidden are the forms of the key that must appear nowhere the caller
// can see.
func forbidden(key string) []string {
	jsonEsc, _ := json.Marshal(key)
	out := []string{key, url.QueryEscape(key), url.PathEscape(key), string(jsonEsc[1 : len(jsonEsc)-1])}
	for _, enc := range []*base64.Encoding{base64.StdEncoding, base64.URLEncoding, base64.RawStdEncoding, base64.RawURLEncoding} {
		for _, v := range []string{key, key + ":", ":" + key} {
			out = append(out, enc.EncodeToString([]byte(v)))
		}
	}
	return out
}

// unicodeEscaped writes s as a JSON string of \u escapes only.
func unicodeEscaped(s string) string {
	var b strings.Builder
	b.WriteByte('"')
	for _, r := range s {
		fmt.Fprintf(&b, `\u%04x`, r)
	}
	b.WriteByte('"')
	return b.String()
}

// echoServer answers with a configurable status and body, and echoes the
// credentials it received into every response header and every string of
// the body.
type echoServer struct {
	mu        sync.Mutex
	status    int
	success   []byte // the body of a success answer (a fixture)
	placement string // "headers" or "body"
	format    string
}

func (e *echoServer) set(status int, success []byte, placement, format string) {
	e.mu.Lock()
	defer e.mu.Unlock()
	e.status, e.success, e.placement, e.format = status, success, placement, format
}

func (e *echoServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	status, success, placement, format := e.status, e.success, e.placement, e.format
	e.mu.Unlock()
	h := r.Header.Get("Authorization")
	if h == "" { // /health and /meta send no key: echo the one the test uses
		h = "Bearer " + echoKey
	}
	echo := echoFormats[format](h, strings.TrimPrefix(h, "Bearer "))
	if placement == "headers" {
		for _, name := range []string{"X-Request-ID", "ETag", "Location", "X-Echo", "Warning", "X-RateLimit-Limit", "Retry-After"} {
			w.Header().Set(name, echo)
		}
		w.Header().Set("Link", `<https://api.creatoraudit.com/v2/accounts?cursor=`+url.QueryEscape(echo)+`>; rel="next"`)
		w.Header().Set(echo, "as a header name")
	}
	var body []byte
	if status >= 400 {
		w.Header().Set("Content-Type", "application/problem+json")
		body = []byte(`{"type":"urn:creatoraudit:error:x","title":"T","status":` + fmt.Sprint(status) + `,"detail":"D","code":"` +
			string(codeForStatus(status)) + `","instance":"/v2/x","request_id":"R","errors":[{"field":"F","message":"M"}],"echo":"E"}`)
	} else {
		w.Header().Set("Content-Type", "application/json")
		body = success
	}
	if placement == "body" {
		body = echoIntoStrings(body, echo, format == "json \\u escaped")
	}
	w.WriteHeader(status)
	_, _ = w.Write(body)
}

// rawResult is what a raw call (Do) gives back: what it decoded and the
// response's metadata.
type rawResult[T any] struct {
	Out  T
	Meta *creatoraudit.ResponseMeta
}

// rawWhoAmI is a struct of the caller's own for a raw call, with the Raw
// and Response fields the typed results have.
type rawWhoAmI struct {
	Data struct {
		OrganizationID string `json:"organization_id"`
		APIKeyName     string `json:"api_key_name"`
	} `json:"data"`
	Raw      json.RawMessage            `json:"-"`
	Response *creatoraudit.ResponseMeta `json:"-"`
}

func codeForStatus(status int) creatoraudit.Code {
	for _, c := range creatoraudit.Codes() {
		if c.Status() == status {
			return c
		}
	}
	return creatoraudit.CodeInternalError
}

// echoIntoStrings replaces every string of a JSON document (keys left
// alone) with echo, and adds an "echo" member to every object.
func echoIntoStrings(body []byte, echo string, escaped bool) []byte {
	d := json.NewDecoder(bytes.NewReader(body))
	d.UseNumber()
	var v any
	if d.Decode(&v) != nil {
		return body
	}
	const mark = "\x00ECHO\x00"
	var walk func(v any) any
	walk = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, c := range x {
				x[k] = walk(c)
			}
			x["echo"] = mark
			return x
		case []any:
			for i, c := range x {
				x[i] = walk(c)
			}
			return x
		case string:
			return mark
		}
		return v
	}
	out, _ := json.Marshal(walk(v))
	enc := unicodeEscaped(echo)
	if !escaped {
		b, _ := json.Marshal(echo)
		enc = string(b)
	}
	markJSON, _ := json.Marshal(mark)
	return bytes.ReplaceAll(out, markJSON, []byte(enc))
}

// An echo server writes the key back in every response header and every
// string of every body (error and success), in every form a server or a
// proxy might use; the key must reach none of: err.Error(), %v, %+v and %#v
// of the error, any exported field of the error or of the result (Raw and
// Response.Header included, byte slices decoded), the JSON encoding and
// %v/%+v of the result, and the Debug log.
func TestEchoedCredentialsNeverReachTheCaller(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		es := &echoServer{}
		srv := fake.NewBare("creatoraudit", es)
		defer srv.Close()
		var logs bytes.Buffer
		logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		c, err := creatoraudit.NewClient(creatoraudit.WithAPIKey(echoKey), creatoraudit.WithBaseURL(srv.URL+"/v2"), creatoraudit.WithHTTPClient(srv.HTTPClient()), creatoraudit.WithLogger(logger),
			creatoraudit.WithMaxRetries(1), creatoraudit.WithRetryWait(time.Millisecond, 2*time.Millisecond), creatoraudit.WithMaxRetryAfter(10*time.Millisecond))
		require.NoError(t, err)

		bad := forbidden(echoKey)
		check := func(where string, texts ...string) int {
			t.Helper()
			for _, s := range texts {
				for _, f := range bad {
					if strings.Contains(s, f) {
						t.Errorf("%s: the key leaked as %q in %q", where, f, s)
						return len(texts)
					}
				}
			}
			return len(texts)
		}

		id := "3f6c2a9e-1b7d-4c52-9a0e-6d1f2b8c4e71"
		type call struct {
			fixture string
			status  int // the success status
			run     func(ctx context.Context) (any, error)
		}
		// edits change a fixture's body before it is served, by call.
		unavailable := func(b []byte) []byte {
			return bytes.Replace(b, []byte(`"is_unavailable": false`), []byte(`"is_unavailable": true`), 1)
		}
		edits := map[string]func([]byte) []byte{"Accounts.GetAndWait unavailable": unavailable, "Videos.GetAndWait unavailable": unavailable}
		calls := map[string]call{
			"Meta.WhoAmI": {"whoami.json", 200, func(ctx context.Context) (any, error) { return c.Meta.WhoAmI(ctx) }},
			"Meta.Get":    {"meta.json", 200, func(ctx context.Context) (any, error) { return c.Meta.Get(ctx) }},
			"Accounts.Get": {"account_created.json", 200, func(ctx context.Context) (any, error) {
				return c.Accounts.Get(ctx, id)
			}},
			"Accounts.List": {"accounts_list.json", 200, func(ctx context.Context) (any, error) {
				return c.Accounts.List(ctx, creatoraudit.ListAccountsParams{})
			}},
			"Accounts.ListAll": {"accounts_list.json", 200, func(ctx context.Context) (any, error) {
				var got []creatoraudit.Account
				for a, err := range c.Accounts.ListAll(ctx, creatoraudit.ListAccountsParams{}) {
					if err != nil {
						return got, err
					}
					if got = append(got, a); len(got) >= 3 {
						break
					}
				}
				return got, nil
			}},
			"Accounts.Create": {"account_created.json", 201, func(ctx context.Context) (any, error) {
				return c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "nasa"})
			}},
			"Accounts.GetAndWait": {"account_created.json", 200, func(ctx context.Context) (any, error) {
				ctx, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
				defer cancel()
				return c.Accounts.GetAndWait(ctx, id, creatoraudit.WithPollInterval(time.Millisecond, 2*time.Millisecond))
			}},
			// The *ItemError of an unavailable account or video is built from
			// the answer (its username, shortcode, platform, id).
			"Accounts.GetAndWait unavailable": {"account_created.json", 200, func(ctx context.Context) (any, error) {
				return c.Accounts.GetAndWait(ctx, id, creatoraudit.WithPollInterval(time.Millisecond, 2*time.Millisecond))
			}},
			"Videos.GetAndWait unavailable": {"video_created.json", 200, func(ctx context.Context) (any, error) {
				return c.Videos.GetAndWait(ctx, id, creatoraudit.WithPollInterval(time.Millisecond, 2*time.Millisecond))
			}},
			"Accounts.Metrics": {"videos_metrics.json", 200, func(ctx context.Context) (any, error) {
				return c.Accounts.Metrics(ctx, creatoraudit.MetricsParams{IDs: []string{id}})
			}},
			"Videos.Deltas": {"videos_deltas.json", 200, func(ctx context.Context) (any, error) {
				return c.Videos.Deltas(ctx, creatoraudit.DeltasParams{VideoIDs: []string{id}, Windows: []int{7}})
			}},
			"Creators.LinkAccount": {"creator_link.json", 201, func(ctx context.Context) (any, error) {
				return c.Creators.LinkAccount(ctx, id, id)
			}},
			"Creators.Top": {"creators_top.json", 200, func(ctx context.Context) (any, error) {
				return c.Creators.Top(ctx, creatoraudit.TopCreatorsParams{})
			}},
			"Creators.Analytics": {"creator_analytics.json", 200, func(ctx context.Context) (any, error) {
				return c.Creators.Analytics(ctx, id, creatoraudit.AnalyticsParams{})
			}},
			"Overview.Get": {"overview.json", 200, func(ctx context.Context) (any, error) {
				return c.Overview.Get(ctx, creatoraudit.OverviewParams{})
			}},
			"Search.Query": {"search.json", 200, func(ctx context.Context) (any, error) {
				return c.Search.Query(ctx, creatoraudit.SearchParams{Q: "natgeo"})
			}},
			"Accounts.Analytics": {"account_analytics.json", 200, func(ctx context.Context) (any, error) {
				return c.Accounts.Analytics(ctx, id, creatoraudit.AnalyticsParams{})
			}},
			"Meta.OpenAPI": {"openapi.json", 200, func(ctx context.Context) (any, error) { return c.Meta.OpenAPI(ctx) }},
			// The raw call (Do), into a typed result, a struct of its own
			// and a map: redacted like the typed calls.
			"Do into an Analytics": {"account_analytics.json", 200, func(ctx context.Context) (any, error) {
				out := &rawResult[struct {
					Data creatoraudit.Analytics `json:"data"`
				}]{}
				meta, err := c.Do(ctx, http.MethodGet, "accounts/"+id+"/analytics", url.Values{"period": {"30d"}}, nil, &out.Out, creatoraudit.Route("accounts/{id}/analytics"))
				out.Meta = meta
				return out, err
			}},
			"Do into a struct": {"whoami.json", 200, func(ctx context.Context) (any, error) {
				out := &rawResult[rawWhoAmI]{}
				meta, err := c.Do(ctx, http.MethodGet, "whoami", nil, nil, &out.Out)
				out.Meta = meta
				return out, err
			}},
			"Do into a map": {"account_created.json", 201, func(ctx context.Context) (any, error) {
				out := &rawResult[map[string]any]{}
				meta, err := c.Do(ctx, http.MethodPost, "accounts", nil, map[string]any{"platform": "instagram", "username": "nasa"}, &out.Out, creatoraudit.Costs(1))
				out.Meta = meta
				return out, err
			}},
		}
		names := make([]string, 0, len(calls))
		for n := range calls {
			names = append(names, n)
		}
		sort.Strings(names)
		formats := make([]string, 0, len(echoFormats))
		for f := range echoFormats {
			formats = append(formats, f)
		}
		sort.Strings(formats)

		checks, runs := 0, 0
		for _, name := range names {
			cl := calls[name]
			success := fixture.Load(t, cl.fixture)
			if edit := edits[name]; edit != nil {
				edited := edit(success)
				require.NotEqual(t, success, edited, name)
				success = edited
			}
			for _, status := range []int{cl.status, 404, 422, 503} {
				for _, placement := range []string{"headers", "body"} {
					for _, format := range formats {
						where := fmt.Sprintf("%s %d %s %s", name, status, placement, format)
						es.set(status, success, placement, format)
						// The context bounds the helpers that wait out 503s.
						ctx, cancel := context.WithTimeout(context.Background(), 25*time.Millisecond)
						res, err := cl.run(ctx)
						cancel()
						runs++
						if status >= 400 {
							require.Error(t, err, where)
						}
						if err != nil {
							checks += check(where+" error", err.Error(), fmt.Sprintf("%v", err), fmt.Sprintf("%+v", err), fmt.Sprintf("%#v", err))
							checks += check(where+" error fields", vendortest.Strings(err)...)
						}
						if res != nil {
							enc, _ := json.Marshal(res)
							checks += check(where+" result", string(enc), fmt.Sprintf("%v", res), fmt.Sprintf("%+v", res))
							checks += check(where+" result fields", vendortest.Strings(res)...)
						}
					}
				}
			}
		}
		checks += check("debug log", logs.String())
		require.NotEmpty(t, logs.String(), "the Debug log was written")
		t.Logf("%d checks over %d runs: %d calls x 4 statuses (success, 404, 422, 503) x 2 placements (every response header, every string of the body) x %d formats, each checked in err.Error, %%v, %%+v, %%#v, every exported field of the error and the result (byte slices decoded), the result's JSON, and the Debug log",
			checks, runs, len(calls), len(formats))
	})
}
