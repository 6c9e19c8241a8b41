package infludata_test

import (
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/creatorkit/creatorkit-go/internal/paging"
	"github.com/jarcoal/httpmock"
)

// fuzzClient is a client whose every request is answered with status and
// body, without retries.
func fuzzClient(t *testing.T, status int, body []byte) (*infludata.Client, *httpmock.MockTransport) {
	t.Helper()
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(*http.Request) (*http.Response, error) {
		resp := httpmock.NewBytesResponse(status, body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	})
	c, err := infludata.NewClient(infludata.WithAPIKey(testKey), infludata.WithBaseURL(base), infludata.WithHTTPClient(&http.Client{Transport: mt}),
		infludata.WithMaxRetries(0), infludata.WithRateLimit(1e9, 1000), infludata.WithFairUsage(0, 0))
	if err != nil {
		t.Fatal(err)
	}
	return c, mt
}

// seedFixtures adds every JSON fixture whose name matches one of the
// prefixes to the corpus: those of testdata and, where it is there, of
// ../shared/fixtures/infludata/.
func seedFixtures(f *testing.F, prefixes ...string) {
	files, _ := filepath.Glob("testdata/*.json")
	if dir, ok := fixture.SharedDirIfPresent(f, "infludata"); ok {
		shared, _ := filepath.Glob(filepath.Join(dir, "*.json"))
		files = append(files, shared...)
	}
	for _, file := range files {
		name := filepath.Base(file)
		for _, p := range prefixes {
			if strings.HasPrefix(name, p) || strings.Contains(name, "_"+p) {
				b, err := os.ReadFile(file)
				if err != nil {
					f.Fatal(err)
				}
				f.Add(b)
				break
			}
		}
	}
	f.Add([]byte(`null`))
	f.Add([]byte(`"a string"`))
	f.Add([]byte(`[]`))
	f.Add([]byte(`{`))
	f.Add([]byte(`<html>bad gateway</html>`))
}

// requireSDKError: a call either succeeds or fails with the SDK's *Error
// (or, for waits, a *TimeoutError); anything else is a defect.
func requireSDKError(t *testing.T, err error) {
	t.Helper()
	if err == nil {
		return
	}
	var e *infludata.Error
	var te *infludata.TimeoutError
	if !errors.As(err, &e) && !errors.As(err, &te) {
		t.Fatalf("not an *Error: %T %v", err, err)
	}
}

// FuzzProfileResponse: getUserData answered 200, 201 or 202 with any body.
func FuzzProfileResponse(f *testing.F) {
	seedFixtures(f, "user_data")
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, status := range []int{200, 201, 202} {
			c, _ := fuzzClient(t, status, body)
			p, err := c.Profiles.Get(context.Background(), infludata.GetProfileParams{Platform: infludata.Instagram, Username: "adidas", IncludeAudienceReport: true})
			requireSDKError(t, err)
			if err == nil {
				if _, err := json.Marshal(p); err != nil {
					t.Fatalf("a decoded profile does not encode: %v", err)
				}
				_ = p.String()
				_ = p.HasAudienceReport()
			}
		}
	})
}

// FuzzDataStatusResponse: checkDataStatus answered with any body.
func FuzzDataStatusResponse(f *testing.F) {
	seedFixtures(f, "data_status")
	f.Fuzz(func(t *testing.T, body []byte) {
		c, _ := fuzzClient(t, 200, body)
		d, err := c.Profiles.CheckStatus(context.Background(), infludata.DataStatusParams{Platform: infludata.Instagram, Username: "adidas"})
		requireSDKError(t, err)
		if err == nil {
			_ = d.Describe()
			_ = d.AudienceReady()
			if _, err := json.Marshal(d); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// FuzzSearchResponse: a discovery page with any body.
func FuzzSearchResponse(f *testing.F) {
	seedFixtures(f, "discovery")
	f.Fuzz(func(t *testing.T, body []byte) {
		c, _ := fuzzClient(t, 200, body)
		p, err := c.Discovery.Search(context.Background(), infludata.SearchParams{Platform: infludata.Instagram})
		requireSDKError(t, err)
		if err == nil {
			_, _ = p.Next()
			if _, err := json.Marshal(p); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// FuzzContentResponse: a getContent page (ContentPage's own decoding, both
// shapes) with any body, through Get and through a pull's watermark
// handling.
func FuzzContentResponse(f *testing.F) {
	seedFixtures(f, "content")
	f.Fuzz(func(t *testing.T, body []byte) {
		c, _ := fuzzClient(t, 200, body)
		pg, err := c.Content.Get(context.Background(), infludata.ContentParams{Limit: 10})
		requireSDKError(t, err)
		if err == nil {
			if _, err := json.Marshal(pg); err != nil {
				t.Fatal(err)
			}
		}
		pull := c.Content.Pull(infludata.ContentParams{Limit: 10}, infludata.WithMaxPages(2))
		for _, err := range pull.All(context.Background()) {
			if errors.Is(err, paging.ErrStuck) {
				continue // every page answers the same cursor here
			}
			requireSDKError(t, err)
		}
		_ = pull.Watermark()
		_ = pull.Stats()
	})
}

// FuzzCitiesResponse: getCitiesForCountry (CityList's own decoding).
func FuzzCitiesResponse(f *testing.F) {
	seedFixtures(f, "cities")
	f.Fuzz(func(t *testing.T, body []byte) {
		c, _ := fuzzClient(t, 200, body)
		l, err := c.Discovery.Cities(context.Background(), infludata.CitiesParams{Country: "Germany"})
		requireSDKError(t, err)
		if err == nil {
			if _, err := json.Marshal(l); err != nil {
				t.Fatal(err)
			}
		}
	})
}

// FuzzClientInfoResponse: getClientInfo with any body.
func FuzzClientInfoResponse(f *testing.F) {
	seedFixtures(f, "client_info")
	f.Fuzz(func(t *testing.T, body []byte) {
		c, _ := fuzzClient(t, 200, body)
		_, err := c.Account.Get(context.Background(), infludata.ClientInfoParams{})
		requireSDKError(t, err)
	})
}

// FuzzErrorResponse: influData's error decoding, for every status it
// documents, with any body: always an *Error, and a quota answer is never
// retried.
func FuzzErrorResponse(f *testing.F) {
	seedFixtures(f, "error_")
	f.Add([]byte(`{"error":{"code":7,"message":null,"details":"x","resetDate":{"a":1}},"resetDate":"2026-13-45"}`))
	f.Fuzz(func(t *testing.T, body []byte) {
		for _, status := range []int{400, 401, 403, 404, 409, 410, 429, 500} {
			c, mt := fuzzClient(t, status, body)
			_, err := c.Profiles.Get(context.Background(), infludata.GetProfileParams{Platform: infludata.Instagram, Username: "adidas"})
			var e *infludata.Error
			if !errors.As(err, &e) {
				t.Fatalf("%d: not an *Error: %v", status, err)
			}
			if e.StatusCode != status {
				t.Fatalf("status %d, want %d", e.StatusCode, status)
			}
			_ = e.Error()
			if mt.GetTotalCallCount() != 1 {
				t.Fatalf("%d: %d requests with retries off", status, mt.GetTotalCallCount())
			}
		}
	})
}

// FuzzCursor: any cursor a caller (or a previous page) hands back is
// either refused before sending or sent unchanged as the X-Cursor header,
// alone with the limit.
func FuzzCursor(f *testing.F) {
	for _, s := range []string{"eyJwaXRJZCI6IkZHbHVZ...", "abc", "a\r\nX-Injected: 1", "", " x", "é", "a\u202eb"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, cursor string) {
		var got *http.Request
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
			got = r
			return httpmock.NewStringResponse(404, `{"error":"No content found"}`), nil
		})
		c, err := infludata.NewClient(infludata.WithAPIKey(testKey), infludata.WithBaseURL(base), infludata.WithHTTPClient(&http.Client{Transport: mt}), infludata.WithMaxRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		_, err = c.Content.Get(context.Background(), infludata.ContentParams{Limit: 10, Cursor: cursor})
		if errors.Is(err, infludata.ErrInvalidParams) {
			if got != nil {
				t.Fatal("a refused cursor was sent")
			}
			return
		}
		requireSDKError(t, err)
		if cursor == "" {
			return
		}
		if got == nil {
			t.Fatal("nothing sent")
		}
		if h := got.Header.Values("X-Cursor"); len(h) != 1 || h[0] != cursor {
			t.Fatalf("X-Cursor %q, want %q", h, cursor)
		}
		if q := got.URL.Query(); len(q) != 1 || q.Get("limit") != "10" {
			t.Fatalf("query %v alongside a cursor", q)
		}
	})
}

// FuzzWatermark: a watermark decoded from any JSON (a saved sync state, or
// a page's) drives the next incremental pull without a panic, and the
// created_at_gte it sends parses back to the start of the watermark's
// second (upload times are whole seconds): never after the watermark, so
// nothing uploaded in its second is skipped.
func FuzzWatermark(f *testing.F) {
	f.Add([]byte(`{"created_at_max":"2025-01-15T10:30:00Z","last_id":"65abc123def456789"}`))
	f.Add([]byte(`{"created_at_max":"2025-01-15 10:30:00","last_id":""}`))
	f.Add([]byte(`{"created_at_max":1736937000,"last_id":"x"}`))
	f.Add([]byte(`{"created_at_max":"15/01/2025"}`))
	f.Add([]byte(`{"created_at_max":"2025-01-15T10:30:00.500Z","last_id":"b","seen_ids":["a","b"]}`))
	f.Fuzz(func(t *testing.T, raw []byte) {
		var wm infludata.Watermark
		if json.Unmarshal(raw, &wm) != nil {
			return
		}
		var got *http.Request
		mt := httpmock.NewMockTransport()
		mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
			got = r
			return httpmock.NewStringResponse(404, `{"error":"No content found"}`), nil
		})
		c, err := infludata.NewClient(infludata.WithAPIKey(testKey), infludata.WithBaseURL(base), infludata.WithHTTPClient(&http.Client{Transport: mt}), infludata.WithMaxRetries(0))
		if err != nil {
			t.Fatal(err)
		}
		pull := c.Content.Pull(infludata.ContentParams{Since: &wm})
		for _, err := range pull.All(context.Background()) {
			if errors.Is(err, infludata.ErrInvalidParams) {
				return
			}
			requireSDKError(t, err)
		}
		if got == nil {
			t.Fatal("nothing sent")
		}
		sent := got.URL.Query().Get("created_at_gte")
		var back infludata.Time
		w := wm.CreatedAtMax.Time
		want := w.Truncate(time.Second)
		if err := json.Unmarshal([]byte(`"`+strings.ReplaceAll(sent, `"`, `\"`)+`"`), &back); err == nil && (!back.Equal(want) || back.After(w)) {
			t.Fatalf("created_at_gte %q is %v, want %v: the start of the watermark's second %v", sent, back.Time, want, w)
		}
	})
}
