package creatoraudit_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/jarcoal/httpmock"
)

// Fuzz targets for every parser of untrusted bytes: the response decoding
// of each main read, problem+json errors, and cursor handling (the Link
// header parser is fuzzed in internal/paging). Each runs its seed
// corpus (the fixtures) in go test; to fuzz one:
//
//	go test -run '^$' -fuzz '^FuzzAccountsList$' -fuzztime 10s ./creatoraudit/

// fuzzClient is a client whose every request is answered with status and
// body, with no retries and millisecond waits.
func fuzzClient(t *testing.T, status int, body []byte, header http.Header) *creatoraudit.Client {
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewBytesResponse(status, body)
		for k, vs := range header {
			resp.Header[k] = vs
		}
		return resp, nil
	})
	c, err := creatoraudit.NewClient(creatoraudit.WithAPIKey(testKey), creatoraudit.WithBaseURL(base),
		creatoraudit.WithHTTPClient(&http.Client{Transport: mt}), creatoraudit.WithMaxRetries(0),
		creatoraudit.WithRetryWait(time.Millisecond, time.Millisecond))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// mustBeSDKError fails unless err is nil or an *Error.
func mustBeSDKError(t *testing.T, err error) {
	t.Helper()
	var e *creatoraudit.Error
	if err != nil && !errors.As(err, &e) {
		t.Fatalf("not an *Error: %T %v", err, err)
	}
}

// fuzzRead fuzzes the decoding of one read: seeded with fixtures, every
// body is served as a 200 answer; the call never panics, fails only with
// an *Error, and a result it returns encodes as JSON.
func fuzzRead(f *testing.F, fixtures []string, call func(ctx context.Context, c *creatoraudit.Client) (any, error)) {
	for _, name := range fixtures {
		f.Add(fixture.Load(f, name))
	}
	for _, s := range []string{``, `null`, `{}`, `{"data":null}`, `{"data":[]}`, `{"data":{}}`, `[1,2]`, `"x"`, `{"data":[null,1,"a",{}]}`,
		`{"data":{"id":{"a":1},"views":"1e400","series":[{"date":7}]}}`, `<html>`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		c := fuzzClient(t, 200, body, http.Header{"Content-Type": {"application/json"}})
		// Batch helpers wait out unreadable bodies (they are transient):
		// the deadline ends that.
		ctx, cancel := context.WithTimeout(context.Background(), 5*time.Millisecond)
		defer cancel()
		res, err := call(ctx, c)
		mustBeSDKError(t, err)
		if err == nil {
			if _, err := json.Marshal(res); err != nil {
				t.Fatalf("the result does not encode: %v", err)
			}
		}
	})
}

func FuzzAccountsList(f *testing.F) {
	fuzzRead(f, []string{"accounts_list.json", "creators_list.json"}, func(ctx context.Context, c *creatoraudit.Client) (any, error) {
		return c.Accounts.List(ctx, creatoraudit.ListAccountsParams{})
	})
}

func FuzzAccountsGet(f *testing.F) {
	fuzzRead(f, []string{"account_created.json", "video_created.json"}, func(ctx context.Context, c *creatoraudit.Client) (any, error) {
		return c.Accounts.Get(ctx, accID)
	})
}

func FuzzVideosList(f *testing.F) {
	fuzzRead(f, []string{"videos_list.json"}, func(ctx context.Context, c *creatoraudit.Client) (any, error) {
		return c.Videos.List(ctx, creatoraudit.ListVideosParams{})
	})
}

func FuzzVideosGet(f *testing.F) {
	fuzzRead(f, []string{"video_created.json"}, func(ctx context.Context, c *creatoraudit.Client) (any, error) {
		return c.Videos.Get(ctx, vidID)
	})
}

func FuzzCreatorsList(f *testing.F) {
	fuzzRead(f, []string{"creators_list.json", "creator.json"}, func(ctx context.Context, c *creatoraudit.Client) (any, error) {
		return c.Creators.List(ctx, creatoraudit.ListCreatorsParams{})
	})
}

func FuzzCreatorsTop(f *testing.F) {
	fuzzRead(f, []string{"creators_top.json"}, func(ctx context.Context, c *creatoraudit.Client) (any, error) {
		return c.Creators.Top(ctx, creatoraudit.TopCreatorsParams{})
	})
}

func FuzzBatchMetrics(f *testing.F) {
	fuzzRead(f, []string{"videos_metrics.json", "videos_metrics_empty.json"}, func(ctx context.Context, c *creatoraudit.Client) (any, error) {
		return c.Accounts.Metrics(ctx, creatoraudit.MetricsParams{IDs: []string{accID, vidID}})
	})
}

func FuzzDeltas(f *testing.F) {
	fuzzRead(f, []string{"videos_deltas.json"}, func(ctx context.Context, c *creatoraudit.Client) (any, error) {
		return c.Videos.Deltas(ctx, creatoraudit.DeltasParams{VideoIDs: []string{vidID}, Windows: []int{1, 7}})
	})
}

func FuzzAnalytics(f *testing.F) {
	fuzzRead(f, []string{"creator_analytics.json", "account_analytics.json", "account_timeseries.json"}, func(ctx context.Context, c *creatoraudit.Client) (any, error) {
		return c.Creators.Analytics(ctx, crID, creatoraudit.AnalyticsParams{})
	})
}

func FuzzTimeseries(f *testing.F) {
	fuzzRead(f, []string{"account_timeseries.json", "creator_analytics.json"}, func(ctx context.Context, c *creatoraudit.Client) (any, error) {
		return c.Accounts.Timeseries(ctx, accID, creatoraudit.AnalyticsParams{})
	})
}

func FuzzOverview(f *testing.F) {
	fuzzRead(f, []string{"overview.json"}, func(ctx context.Context, c *creatoraudit.Client) (any, error) {
		return c.Overview.Get(ctx, creatoraudit.OverviewParams{})
	})
}

func FuzzOpenAPI(f *testing.F) {
	fuzzRead(f, []string{"openapi.json", "meta.json"}, func(ctx context.Context, c *creatoraudit.Client) (any, error) {
		d, err := c.Meta.OpenAPI(ctx)
		_ = d.Operations()
		return d, err
	})
}

func FuzzSearch(f *testing.F) {
	fuzzRead(f, []string{"search.json"}, func(ctx context.Context, c *creatoraudit.Client) (any, error) {
		return c.Search.Query(ctx, creatoraudit.SearchParams{Q: "natgeo"})
	})
}

func FuzzWhoAmI(f *testing.F) {
	fuzzRead(f, []string{"whoami.json", "meta.json", "health.json"}, func(ctx context.Context, c *creatoraudit.Client) (any, error) {
		return c.Meta.WhoAmI(ctx)
	})
}

// FuzzProblemJSON: any error body with any status decodes into an *Error
// without a panic; CodeOf, ProblemOf and FieldErrors read it without one,
// and the kind follows the status when the body names no known code.
func FuzzProblemJSON(f *testing.F) {
	for _, code := range creatoraudit.Codes() {
		name := "error_" + itoa(code.Status()) + "_" + strings.ToLower(string(code)) + ".json"
		f.Add(code.Status(), fixture.Load(f, name))
	}
	f.Add(404, fixture.Load(f, "error_doc_example.json"))
	for _, s := range []string{``, `<html>bad gateway</html>`, `{"code":7}`, `{"status":"422","code":"VALIDATION_ERROR","errors":"x"}`,
		`{"errors":[null,{"field":1}],"detail":"d"}`, `{"code":"NOPE","title":"t"}`, `{"detail":"\u0061\u005c"}`, `{"error":"plain"}`} {
		f.Add(422, []byte(s))
	}
	f.Fuzz(func(t *testing.T, status int, body []byte) {
		if status < 400 || status > 599 {
			status = 400 + (status%200+200)%200
		}
		c := fuzzClient(t, status, body, http.Header{"Content-Type": {"application/problem+json"}})
		_, err := c.Meta.WhoAmI(context.Background())
		var e *creatoraudit.Error
		if !errors.As(err, &e) {
			t.Fatalf("status %d: not an *Error: %v", status, err)
		}
		if e.StatusCode != status {
			t.Fatalf("status %d reported as %d", status, e.StatusCode)
		}
		_ = creatoraudit.CodeOf(err)
		_, _ = creatoraudit.ProblemOf(err)
		_ = creatoraudit.FieldErrors(err)
		_ = err.Error()
		if status == 404 && creatoraudit.CodeOf(err) == "" && !errors.Is(err, creatoraudit.ErrNotFound) {
			t.Fatalf("a 404 without a code is not ErrNotFound: %v", err)
		}
	})
}

// FuzzCursor: a cursor a caller hands List is either refused before
// sending (ErrInvalidParams) or sent as the cursor query parameter
// exactly; a cursor a page names (next_cursor, or the Link header's next
// URL) is what NextCursor returns and what ListAll asks for next.
func FuzzCursor(f *testing.F) {
	f.Add("eyJhIjoiYiJ9", "c2", "")
	f.Add("a b", "", `<https://api.creatoraudit.com/v2/accounts?cursor=c%2B3>; rel="next"`)
	f.Add("../x", "\x00", `<::>; rel="next"`)
	f.Add("%2e%2e", "c&d=e", "")
	f.Fuzz(func(t *testing.T, given, next, link string) {
		var sent []string
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
			sent = append(sent, r.URL.Query().Get("cursor"))
			page := map[string]any{"data": []any{map[string]any{"id": accID}}, "pagination": map[string]any{"next_cursor": nil, "has_next": false}}
			if len(sent) == 1 && (next != "" || link != "") {
				page["pagination"] = map[string]any{"next_cursor": next, "has_next": true}
			}
			b, _ := json.Marshal(page)
			resp := httpmock.NewBytesResponse(200, b)
			if len(sent) == 1 && link != "" {
				resp.Header.Set("Link", link)
			}
			return resp, nil
		})
		c, err := creatoraudit.NewClient(creatoraudit.WithAPIKey(testKey), creatoraudit.WithBaseURL(base),
			creatoraudit.WithHTTPClient(&http.Client{Transport: mt}), creatoraudit.WithMaxRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		p, err := c.Accounts.List(context.Background(), creatoraudit.ListAccountsParams{Cursor: given})
		if err != nil {
			if !errors.Is(err, creatoraudit.ErrInvalidParams) || len(sent) != 0 {
				t.Fatalf("cursor %q: %v after %d requests", given, err, len(sent))
			}
			return
		}
		if len(sent) != 1 || sent[0] != given {
			t.Fatalf("cursor %q was sent as %q", given, sent)
		}
		nc := p.NextCursor()
		// What the server sent is next as JSON carries it (invalid UTF-8
		// becomes U+FFFD on the way).
		var onWire string
		b, _ := json.Marshal(next)
		_ = json.Unmarshal(b, &onWire)
		if next != "" && nc != onWire {
			t.Fatalf("next_cursor %q read as %q", onWire, nc)
		}
		sent = nil
		var items int
		for _, err := range c.Accounts.ListAll(context.Background(), creatoraudit.ListAccountsParams{}) {
			if err != nil {
				if !errors.Is(err, creatoraudit.ErrInvalidParams) {
					mustBeSDKError(t, err)
				}
				break
			}
			if items++; items > 3 {
				t.Fatalf("the walk does not end: sent %q", sent)
			}
		}
		if len(sent) > 1 && sent[1] != nc {
			t.Fatalf("the second page asked for cursor %q, the first named %q", sent[1], nc)
		}
	})
}

func itoa(n int) string {
	b, _ := json.Marshal(n)
	return string(b)
}
