package engagecheck_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"math"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/engagecheck"
	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/jarcoal/httpmock"
	"golang.org/x/time/rate"
)

// The fuzz targets run their seeds as plain tests in `go test ./...`; run
// one for real with, e.g.:
//
//	go test -run '^$' -fuzz '^FuzzParseWebhook$' -fuzztime 10s ./engagecheck/

const fuzzSecret = "whsec_Fz9+k/Qp=FuzzSecret7"

// seedFixtures adds each fixture, and a few damaged forms of it, as seeds.
func seedFixtures(f *testing.F, names ...string) {
	for _, n := range names {
		b := fixture.Load(f, n)
		f.Add(b)
		f.Add(b[:len(b)/2])
		f.Add(bytes.ReplaceAll(b, []byte(`"`), []byte(`'`)))
	}
	for _, s := range []string{"", "null", "[]", "{}", `"x"`, "7", `{"id":"142"}`, `{"data":{}}`, `{"results":[null]}`, "<html>502</html>"} {
		f.Add([]byte(s))
	}
}

func FuzzParseWebhook(f *testing.F) {
	seedFixtures(f, "webhook_audit_completed.json", "webhook_audit_failed.json")
	for _, b := range hookBodies() {
		f.Add([]byte(b))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		r := httptest.NewRequest("POST", "/hooks/engagecheck?secret="+url.QueryEscape(fuzzSecret), bytes.NewReader(body))
		r.Header.Set("X-Webhook-Token", fuzzSecret)
		ev, err := engagecheck.ParseWebhook(r)
		if err != nil {
			if !errors.Is(err, engagecheck.ErrWebhook) {
				t.Fatalf("error of another kind: %v", err)
			}
			if vendortest.Holds(err.Error(), fuzzSecret) {
				t.Fatalf("the error repeats the secret: %v", err)
			}
			return
		}
		if ev.Type == "" || !bytes.Equal(ev.Raw, body) {
			t.Fatalf("accepted an event without a type or its body: %+v", ev)
		}
		if ev.Succeeded() == (ev.Reason != "") {
			t.Fatalf("an event has a Reason exactly when it did not succeed: %+v", ev)
		}
		checkSummary(t, ev.Summary())
		for _, is := range ev.DecodeIssues {
			if is.Control || vendortest.Holds(is.String(), fuzzSecret) {
				t.Fatalf("issue %v", is)
			}
		}
		if _, err := json.Marshal(ev); err != nil {
			t.Fatalf("the event does not re-encode: %v", err)
		}
	})
}

func FuzzWebhookHandler(f *testing.F) {
	seedFixtures(f, "webhook_audit_completed.json", "webhook_audit_failed.json")
	var calls int
	h := engagecheck.WebhookHandler(func(_ context.Context, ev *engagecheck.WebhookEvent) error {
		calls++
		if ev == nil || ev.Type == "" {
			return errors.New("handler got an event without a type")
		}
		return nil
	}, engagecheck.WithMaxWebhookBytes(1<<16))
	f.Fuzz(func(t *testing.T, body []byte) {
		before := calls
		rec := httptest.NewRecorder()
		r := httptest.NewRequest("POST", "/hooks/"+url.PathEscape(fuzzSecret)+"?token="+url.QueryEscape(fuzzSecret), bytes.NewReader(body))
		r.Header.Set("Authorization", "Bearer "+fuzzSecret)
		h.ServeHTTP(rec, r)
		switch rec.Code {
		case http.StatusNoContent:
			if calls != before+1 {
				t.Fatal("204 without calling the handler")
			}
		case http.StatusBadRequest, http.StatusRequestEntityTooLarge:
			if calls != before {
				t.Fatal("the handler ran for a refused delivery")
			}
		default:
			t.Fatalf("unexpected status %d: %s", rec.Code, rec.Body)
		}
		if vendortest.Holds(rec.Body.String(), fuzzSecret) {
			t.Fatalf("the answer repeats the secret: %s", rec.Body)
		}
	})
}

// fuzzClient answers every request to path with body and status (the
// recent-audits list, which a submit is reconciled against, is empty).
func fuzzClient(t *testing.T, method, path string, status int, body []byte) *engagecheck.Client {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder(method, base+path, func(*http.Request) (*http.Response, error) {
		return httpmock.NewBytesResponse(status, body), nil
	})
	if path != "/audits" {
		mt.RegisterResponder("GET", base+"/audits", httpmock.NewStringResponder(200, `{"data":[],"count":0,"limit":100,"offset":0}`))
	}
	c, err := engagecheck.NewClient(engagecheck.WithAPIKey(testKey), engagecheck.WithHTTPClient(&http.Client{Transport: mt}),
		engagecheck.WithRateLimit(rate.Inf, 0), engagecheck.WithRetryWait(time.Microsecond, time.Microsecond), engagecheck.WithMaxRetries(1))
	if err != nil {
		t.Fatal(err)
	}
	return c
}

// checkOutcome holds a call to its contract: a result that re-encodes, or
// an *Error.
func checkOutcome(t *testing.T, res any, err error) {
	t.Helper()
	if err != nil {
		var e *engagecheck.Error
		if !errors.As(err, &e) {
			t.Fatalf("not an *Error: %T %v", err, err)
		}
		return
	}
	if _, err := json.Marshal(res); err != nil {
		t.Fatalf("the result does not re-encode: %v", err)
	}
}

// statuses a fuzzed answer comes with: success ones and the documented
// errors.
var fuzzStatuses = []int{200, 202, 400, 402, 404, 429, 502}

func fuzzStatus(b byte) int { return fuzzStatuses[int(b)%len(fuzzStatuses)] }

func FuzzAuditsGet(f *testing.F) {
	seedFixtures(f, "audit_complete.json", "audit_analyzing.json", "error_404.json")
	f.Fuzz(func(t *testing.T, body []byte) {
		a, err := fuzzClient(t, "GET", "/audits/142", 200, body).Audits.Get(ctx, 142)
		checkOutcome(t, a, err)
		if err == nil && (a.Response == nil || !isJSONObject(a.Raw)) {
			t.Fatalf("a result without its answer: %+v", a)
		}
		if err == nil {
			checkSummary(t, a.Summary())
			if r := a.Report; r != nil && r.EngagementRate != nil {
				if s := r.Signal(engagecheck.SignalEngagementRate); s == nil {
					t.Fatalf("an engagement rate without its signal: %+v", r)
				} else if v, ok := engagecheck.ParseEngagementRate(s.Value); !ok || v != *r.EngagementRate {
					t.Fatalf("engagement rate %v is not the signal's %q", *r.EngagementRate, s.Value)
				}
			}
		}
	})
}

// checkSummary holds for every summary: its source and platform, a quality
// on 0-100 named AQS with a verdict, and no negative figure.
func checkSummary(t *testing.T, s engagecheck.Summary) {
	t.Helper()
	if s.Source != "engagecheck" || s.Platform != "instagram" {
		t.Fatalf("summary without its source or platform: %+v", s)
	}
	if q := s.Quality; q != nil && (q.Name != engagecheck.QualityName || q.Score < 0 || q.Score > 100 || q.Verdict == "") {
		t.Fatalf("quality off its scale: %+v", *q)
	}
	if s.EngagementRate != nil && (*s.EngagementRate < 0 || math.IsNaN(*s.EngagementRate) || math.IsInf(*s.EngagementRate, 0)) {
		t.Fatalf("engagement rate %v", *s.EngagementRate)
	}
}

// ParseEngagementRate never panics and reads a non-negative finite number
// that the text shows.
func FuzzParseEngagementRate(f *testing.F) {
	for _, s := range []string{"3.10% ER", "ER 3,25 %", "n/a", "", "-2%", "1e308%", "99999999999999999999999999999999999999"} {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, text string) {
		v, ok := engagecheck.ParseEngagementRate(text)
		if !ok {
			if v != 0 {
				t.Fatalf("%q: not ok but %v", text, v)
			}
			return
		}
		if v < 0 || math.IsNaN(v) || math.IsInf(v, 0) {
			t.Fatalf("%q read as %v", text, v)
		}
	})
}

func FuzzAuditsList(f *testing.F) {
	seedFixtures(f, "audits_list.json")
	f.Fuzz(func(t *testing.T, body []byte) {
		l, err := fuzzClient(t, "GET", "/audits", 200, body).Audits.List(ctx, engagecheck.ListAuditsParams{})
		checkOutcome(t, l, err)
	})
}

func FuzzCreditsGet(f *testing.F) {
	seedFixtures(f, "credits.json")
	f.Fuzz(func(t *testing.T, body []byte) {
		cr, err := fuzzClient(t, "GET", "/credits", 200, body).Credits.Get(ctx)
		checkOutcome(t, cr, err)
	})
}

func FuzzAuditsCreate(f *testing.F) {
	for _, n := range []string{"audit_created.json", "audit_complete_inline.json", "error_402.json", "error_400.json"} {
		b := fixture.Load(f, n)
		f.Add(b, byte(1))
		f.Add(b, byte(0))
		f.Add(b[:len(b)/2], byte(1))
	}
	f.Fuzz(func(t *testing.T, body []byte, status byte) {
		a, err := fuzzClient(t, "POST", "/audits", fuzzStatus(status), body).Audits.Create(ctx, engagecheck.CreateAuditParams{Username: "natgeo"})
		checkOutcome(t, a, err)
		if err == nil && (a.ID <= 0 || a.Status == "") {
			t.Fatalf("a created audit without an id or a status: %+v", a)
		}
	})
}

func FuzzAuditsCreateBatch(f *testing.F) {
	for _, n := range []string{"batch_accepted.json", "error_402.json"} {
		b := fixture.Load(f, n)
		f.Add(b, byte(1))
		f.Add(b[:len(b)/2], byte(1))
	}
	f.Fuzz(func(t *testing.T, body []byte, status byte) {
		b, err := fuzzClient(t, "POST", "/audits/batch", fuzzStatus(status), body).Audits.CreateBatch(ctx, engagecheck.CreateBatchParams{Usernames: []string{"natgeo", "nasa"}})
		checkOutcome(t, b, err)
		if err == nil {
			for _, row := range b.Results {
				if row.ID <= 0 || (row.Username != "natgeo" && row.Username != "nasa") {
					t.Fatalf("a row the SDK cannot follow: %+v", row)
				}
			}
		}
	})
}

func FuzzNormalizeUsername(f *testing.F) {
	for _, s := range append(append(check.BadPathParams(), extraBadHandles...), "natgeo", "@NatGeo", "https://www.instagram.com/nat.geo_1/?hl=en", "instagram.com/x", " nasa ") {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, in string) {
		out, err := engagecheck.NormalizeUsername(in)
		switch {
		case err != nil:
			if !errors.Is(err, engagecheck.ErrInvalidParams) {
				t.Fatalf("error of another kind: %v", err)
			}
		case out == "":
			if strings.TrimSpace(in) != "" {
				t.Fatalf("%q normalized to nothing without an error", in)
			}
		default:
			if msg := check.InstagramHandle(out); msg != "" {
				t.Fatalf("%q normalized to %q, not a handle: %s", in, out, msg)
			}
			if again, err := engagecheck.NormalizeUsername(out); err != nil || again != out {
				t.Fatalf("not idempotent: %q -> %q -> %q, %v", in, out, again, err)
			}
		}
	})
}

func isJSONObject(b []byte) bool {
	b = bytes.TrimSpace(b)
	return len(b) > 0 && b[0] == '{' && json.Valid(b)
}
