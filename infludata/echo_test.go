package infludata_test

import (
	"encoding/base64"
	"encoding/json"
	"fmt"
	"log/slog"
	"net/http"
	"net/url"
	"reflect"
	"strings"
	"sync"
	"testing"
	"testing/synctest"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// echoKey has characters that percent-encoding and JSON escaping change.
const echoKey = "sk<live>+key/0123456789="

// secretForms are the forms of the key that must never come back: as
// given, percent-encoded (query and path), JSON-escaped and base64 (alone
// and as Basic auth's user:password).
func secretForms() []string {
	j, _ := json.Marshal(echoKey)
	return []string{echoKey, url.QueryEscape(echoKey), url.PathEscape(echoKey), string(j[1 : len(j)-1]),
		base64.StdEncoding.EncodeToString([]byte(echoKey)), base64.StdEncoding.EncodeToString([]byte(echoKey + ":")),
		base64.URLEncoding.EncodeToString([]byte(echoKey))}
}

// echoFormats turn the Authorization header a server received into what
// it echoes back.
var echoFormats = map[string]func(auth string) string{
	"header line": func(a string) string { return "Authorization: " + a },
	"percent":     func(a string) string { return url.QueryEscape("Authorization: " + a) },
	"base64 key": func(a string) string {
		return base64.StdEncoding.EncodeToString([]byte(strings.TrimPrefix(a, "Bearer ")))
	},
	"basic auth": func(a string) string {
		return "Basic " + base64.StdEncoding.EncodeToString([]byte(strings.TrimPrefix(a, "Bearer ")+":"))
	},
	"json-escaped":   func(a string) string { return a }, // json.Marshal escapes < and > in the body
	"path-escaped":   func(a string) string { return url.PathEscape(a) },
	"bare key token": func(a string) string { return strings.TrimPrefix(a, "Bearer ") },
}

// echoServer answers every request with status, echoing the request's
// Authorization header (in the current format) into every response header
// it sets and into every string of the body.
type echoServer struct {
	mu     sync.Mutex
	status int
	format func(string) string
}

func (e *echoServer) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	e.mu.Lock()
	status, format := e.status, e.format
	e.mu.Unlock()
	echo := format(r.Header.Get("Authorization"))
	for _, h := range []string{"X-Request-ID", "X-Echo", "Www-Authenticate", "X-RateLimit-Policy"} {
		w.Header().Set(h, echo)
	}
	w.Header().Set("Content-Type", "application/json")
	var body any
	if status >= 400 {
		body = map[string]any{"error": map[string]any{"code": echo, "message": echo, "details": map[string]any{"echo": echo, "list": []string{echo}}},
			"message": echo, "code": echo}
		if status == http.StatusNotFound {
			body = map[string]any{"error": echo} // the string form
		}
	} else {
		body = echoSuccess(r.URL.Path, echo)
	}
	w.WriteHeader(status)
	_ = json.NewEncoder(w).Encode(body)
}

// echoSuccess is a success body of each endpoint with the echo in every
// string.
func echoSuccess(path, echo string) any {
	switch {
	case strings.HasSuffix(path, "/getCitiesForCountry"):
		return []string{echo, echo}
	case strings.HasSuffix(path, "/discovery"):
		return map[string]any{"users": []any{map[string]any{"_id": echo, "username": echo, "displayName": echo, "platform": "instagram", "country": echo}}, "count": 1, "dataSuccess": true}
	case strings.HasSuffix(path, "/getContent"):
		return map[string]any{"items": []any{map[string]any{"_id": echo, "username": echo, "captions": echo, "hashtags": []string{echo}}}, "tokensDeducted": 1}
	case strings.HasSuffix(path, "/bulkAddToEnrich"):
		return map[string]any{"processed": []any{map[string]any{"identifier": echo, "type": "username", "creatorId": echo}},
			"failed": []any{map[string]any{"identifier": echo, "type": "username", "error": echo}}, "summary": map[string]any{"total": 1}}
	case strings.HasSuffix(path, "/getClientInfo"):
		return map[string]any{"clientId": echo, "reportsLeft": 5, "reports": []any{map[string]any{"package": echo}}}
	case strings.HasSuffix(path, "/checkDataStatus"):
		return map[string]any{"isInDatabase": true, "hasAudienceData": false, "creatorId": echo, "username": echo, "displayName": echo}
	}
	return map[string]any{"_id": echo, "username": echo, "displayName": echo, "bio": echo, "audienceReport": map[string]any{"note": echo}, "message": echo}
}

// rawResult is what a raw call (Do) gives back: what it decoded and the
// response's metadata.
type rawResult[T any] struct {
	Out  T
	Meta *infludata.ResponseMeta
}

// leaks lists where a secret form appears in v: every exported field,
// reached by reflection, and its fmt and JSON renderings.
func leaks(v any, forms []string) []string {
	var out []string
	check := func(where, s string) {
		for _, f := range forms {
			if strings.Contains(s, f) {
				out = append(out, fmt.Sprintf("%s holds %q", where, f))
			}
		}
	}
	for _, verb := range []string{"%v", "%+v", "%#v", "%s"} {
		check(verb, fmt.Sprintf(verb, v))
	}
	if err, ok := v.(error); ok {
		check("Error()", err.Error())
	}
	if b, err := json.Marshal(v); err == nil {
		check("json", string(b))
	}
	vendortest.Walk(v, check)
	return out
}

// TestEchoedCredentialsNeverLeak: a server (or a proxy) that echoes the
// Bearer key back, in every response header and every string of the body,
// as a header line, percent-encoded, base64 (alone and as Basic auth),
// JSON-escaped or path-escaped, on success and on 400, 403, 404, 429 and
// 500 answers. The key must not reach any error, result, response header
// or Debug log line.
func TestEchoedCredentialsNeverLeak(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		es := &echoServer{}
		srv := fake.NewBare("echo", es)
		defer srv.Close()
		var logs vendortest.Buffer
		logger := slog.New(slog.NewTextHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))
		c, err := infludata.NewClient(infludata.WithAPIKey(echoKey), infludata.WithBaseURL(srv.URL), infludata.WithLogger(logger), infludata.WithHTTPClient(srv.HTTPClient()),
			infludata.WithMaxRetries(0), infludata.WithRateLimit(1e9, 1000), infludata.WithFairUsage(0, 0))
		require.NoError(t, err)
		ctx := t.Context()
		calls := map[string]func() (any, error){
			"Profiles.Get": func() (any, error) {
				return c.Profiles.Get(ctx, infludata.GetProfileParams{Platform: infludata.Instagram, Username: "adidas"})
			},
			"Profiles.CheckStatus": func() (any, error) {
				return c.Profiles.CheckStatus(ctx, infludata.DataStatusParams{Platform: infludata.Instagram, Username: "adidas"})
			},
			"Discovery.Search": func() (any, error) {
				return c.Discovery.Search(ctx, infludata.SearchParams{Platform: infludata.Instagram})
			},
			"Discovery.Cities": func() (any, error) {
				return c.Discovery.Cities(ctx, infludata.CitiesParams{Country: "Germany"})
			},
			"Content.Get": func() (any, error) {
				return c.Content.Get(ctx, infludata.ContentParams{Limit: 10})
			},
			"Enrichment.Add": func() (any, error) {
				return c.Enrichment.Add(ctx, infludata.EnrichParams{Platform: infludata.Instagram, Usernames: []string{"adidas"}})
			},
			"Account.Get": func() (any, error) {
				return c.Account.Get(ctx, infludata.ClientInfoParams{})
			},
			// The raw call (Do), into a typed result, a struct of its own
			// and a map: redacted like the typed calls.
			"Do into a Profile": func() (any, error) {
				out := &rawResult[infludata.Profile]{}
				meta, err := c.Do(ctx, http.MethodGet, "getUserData", url.Values{"platform": {"instagram"}, "username": {"adidas"}}, nil, &out.Out, infludata.Costs(1))
				out.Meta = meta
				return out, err
			},
			"Do into a struct": func() (any, error) {
				out := &rawResult[rawStatus]{}
				meta, err := c.Do(ctx, http.MethodGet, "checkDataStatus", url.Values{"platform": {"instagram"}, "username": {"adidas"}}, nil, &out.Out)
				out.Meta = meta
				return out, err
			},
			"Do into a map": func() (any, error) {
				out := &rawResult[map[string]any]{}
				meta, err := c.Do(ctx, http.MethodPost, "bulkAddToEnrich", nil, map[string]any{"platform": "instagram", "usernames": []string{"adidas"}}, &out.Out)
				out.Meta = meta
				return out, err
			},
		}
		forms := secretForms()
		checks := 0
		for name, call := range calls {
			for fname, format := range echoFormats {
				for _, status := range []int{200, 400, 403, 404, 429, 500} {
					es.mu.Lock()
					es.status, es.format = status, format
					es.mu.Unlock()
					res, err := call()
					where := fmt.Sprintf("%s, %s, %d", name, fname, status)
					if status == 200 || (status == 404 && name == "Content.Get") {
						require.NoError(t, err, where)
						assert.Empty(t, leaks(res, forms), "%s: result", where)
					} else {
						require.Error(t, err, where)
						assert.Empty(t, leaks(err, forms), "%s: error", where)
						if res != nil && !reflect.ValueOf(res).IsNil() {
							assert.Empty(t, leaks(res, forms), "%s: partial result", where)
						}
					}
					checks += 4 + 2 + 1 // fmt verbs, Error() and JSON, exported fields
				}
			}
		}
		out := logs.String()
		require.NotEmpty(t, out, "Debug logging ran")
		for _, f := range forms {
			assert.NotContains(t, out, f, "the log")
		}
		checks += len(forms)
		t.Logf("%d echo checks: %d calls x %d echo formats x 6 answers (success, 400, 403, 404, 429, 500) x 7 renderings, plus the Debug log against %d secret forms; 0 leaks",
			checks, len(calls), len(echoFormats), len(forms))
	})
}
