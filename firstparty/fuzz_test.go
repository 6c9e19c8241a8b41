package firstparty_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"net/http"
	"net/http/httptest"
	"net/url"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/jarcoal/httpmock"
)

// Fuzz targets for every parser of untrusted bytes in the package. The
// seeds come from the fixtures; the corpora under testdata/fuzz run as
// plain tests with go test. Run one for real with, e.g.:
//
//	go test -run '^$' -fuzz '^FuzzInsightsDecode$' -fuzztime 10s ./firstparty/

// fuzzClient is a client on its own mock transport that serves whatever
// body the fuzz input is; calls are serialized.
type fuzzClient struct {
	mu   sync.Mutex
	c    *firstparty.Client
	body []byte
}

func newFuzzClient(f *testing.F) *fuzzClient {
	fc := &fuzzClient{}
	mt := httpmock.NewMockTransport()
	mt.RegisterNoResponder(func(r *http.Request) (*http.Response, error) {
		resp := httpmock.NewBytesResponse(200, fc.body)
		resp.Header.Set("Content-Type", "application/json")
		return resp, nil
	})
	c, err := firstparty.NewClient(firstparty.WithToken(testToken), firstparty.WithHTTPClient(&http.Client{Transport: mt}),
		firstparty.WithBaseURL(verifyBase), firstparty.WithInsightsBaseURL(insightBase), firstparty.WithMaxRetries(0))
	if err != nil {
		f.Fatal(err)
	}
	fc.c = c
	return fc
}

// serve runs call with body as Ylytic's answer.
func (fc *fuzzClient) serve(body []byte, call func(c *firstparty.Client)) {
	fc.mu.Lock()
	defer fc.mu.Unlock()
	fc.body = body
	call(fc.c)
}

// answerOrError fails unless err is nil, an *Error, or one of the
// package's own answer errors.
func answerOrError(t *testing.T, body []byte, res any, err error, answers ...any) {
	t.Helper()
	var e *firstparty.Error
	if err != nil && !errors.As(err, &e) {
		ok := false
		for _, a := range answers {
			ok = ok || errors.As(err, a)
		}
		if !ok {
			t.Fatalf("body %q: error %T is neither an answer nor an *Error: %v", body, err, err)
		}
	}
	if err == nil {
		if _, merr := json.Marshal(res); merr != nil {
			t.Fatalf("body %q: the result does not encode: %v", body, merr)
		}
	}
}

// FuzzInsightsDecode: Insights.Get on any body never panics, and either
// succeeds (with a result that encodes) or returns an *Error or an
// *ItemError.
func FuzzInsightsDecode(f *testing.F) {
	f.Add(fixture.Load(f, "insights_instagram.json"))
	for _, s := range []string{`{"creator_id":"c1","status":"processing"}`, `{"status":"failed","status_reason":"Private Account"}`,
		`{"profile_overview":"x"}`, `{"get_growth_trends":{"engagement_trends":[{"2024-01-26":{"engagement":"x","m":{}}}]}}`, `null`, `[]`, `<html>`, ``} {
		f.Add([]byte(s))
	}
	fc := newFuzzClient(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		fc.serve(body, func(c *firstparty.Client) {
			in, err := c.Insights.Get(ctx, firstparty.GetInsightsParams{CreatorID: "c1"})
			answerOrError(t, body, in, err, new(*firstparty.ItemError))
			if ie := (*firstparty.ItemError)(nil); errors.As(err, &ie) && (strings.TrimSpace(ie.Reason) == "" || !errors.Is(err, firstparty.ErrInsightsFailed)) {
				t.Fatalf("body %q: an ItemError without a reason or without ErrInsightsFailed: %#v", body, ie)
			}
			if err == nil && in.Response == nil {
				t.Fatalf("body %q: no ResponseMeta", body)
			}
			if s := in.Summary(); s.Source != "firstparty" || s.Platform != "instagram" || (s.Quality != nil && (s.Quality.Score < 0 || s.Quality.Score > 100)) {
				t.Fatalf("body %q: summary %+v", body, s)
			}
		})
	})
}

// FuzzVerifyDecode: Verify on any body never panics, and either succeeds
// with a creator id or returns an *Error or a *VerificationError.
func FuzzVerifyDecode(f *testing.F) {
	f.Add(fixture.Load(f, "verify_creator.json"))
	f.Add(fixture.Load(f, "verify_creator_failed.json"))
	for _, s := range []string{`{"state":"unique-string","status":"success","creator_id":"c","user_info":"x","error_info":null}`,
		`{"status":"success","creator_id":7}`, `{"user_info":{"name":{}}}`, `null`, `"x"`} {
		f.Add([]byte(s))
	}
	fc := newFuzzClient(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		fc.serve(body, func(c *firstparty.Client) {
			v, err := c.Verification.Verify(ctx, firstparty.VerifyCreatorParams{State: "unique-string", Token: "t"})
			answerOrError(t, body, v, err, new(*firstparty.VerificationError))
			if err == nil && v.CreatorID == "" {
				t.Fatalf("body %q: a verification without a creator id succeeded", body)
			}
		})
	})
}

// FuzzCreateURLDecode: CreateURL on any body never panics, and never
// returns a redirect that is not an absolute http(s) URL without an
// error.
func FuzzCreateURLDecode(f *testing.F) {
	f.Add([]byte(`{"redirectUrl":"https://connect.ylytic.com/c/abc123","state":"unique-string"}`))
	f.Add(fixture.Load(f, "create_verification_url.json"))
	f.Add([]byte(`{"redirectUrl":"javascript:alert(1)","state":"unique-string"}`))
	fc := newFuzzClient(f)
	f.Fuzz(func(t *testing.T, body []byte) {
		fc.serve(body, func(c *firstparty.Client) {
			v, err := c.Verification.CreateURL(ctx, firstparty.CreateVerificationURLParams{Platform: firstparty.Instagram, RedirectURL: "https://app.example.com/cb", State: "unique-string"})
			answerOrError(t, body, v, err)
			if err == nil {
				u, perr := url.Parse(v.RedirectURL)
				if perr != nil || (u.Scheme != "https" && u.Scheme != "http") || u.Host == "" {
					t.Fatalf("body %q: redirect %q accepted", body, v.RedirectURL)
				}
			}
		})
	})
}

// FuzzParseWebhookBody: any body is an event with a type or an error
// wrapping ErrWebhook, never a panic; an event encodes.
func FuzzParseWebhookBody(f *testing.F) {
	f.Add(fixture.Load(f, "webhook_creator_insights_1p_success.json"))
	f.Add(fixture.Load(f, "webhook_creator_insights_1p_failed.json"))
	for _, s := range []string{`{"type":"creator_insights","identifier":7}`, `{"type":{}}`, `{}`, `[]`, `{`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		ev, err := firstparty.ParseWebhookBody(body)
		if err != nil {
			if !errors.Is(err, firstparty.ErrWebhook) {
				t.Fatalf("body %q: %v does not wrap ErrWebhook", body, err)
			}
			return
		}
		if ev.Type == "" {
			t.Fatalf("body %q: an event without a type", body)
		}
		if (ev.Reason == "") != ev.Succeeded() {
			t.Fatalf("body %q: Reason %q with Succeeded %t", body, ev.Reason, ev.Succeeded())
		}
		if _, err := json.Marshal(ev); err != nil {
			t.Fatalf("body %q: %v", body, err)
		}
	})
}

// FuzzWebhookHandler: the handler answers any delivery with one of its
// documented statuses, and calls fn exactly for the 204s.
func FuzzWebhookHandler(f *testing.F) {
	f.Add("POST", fixture.Load(f, "webhook_creator_insights_1p_success.json"))
	f.Add("POST", []byte(`{"type":"creator_insights_1p","identifier":"boom"}`))
	f.Add("GET", []byte(``))
	f.Add("POST", []byte(`{"status":"success"}`))
	calls := 0
	h := firstparty.WebhookHandler(func(_ context.Context, ev *firstparty.WebhookEvent) error {
		calls++
		if ev.Identifier == "boom" {
			return errors.New("handler failed")
		}
		return nil
	}, firstparty.WithMaxWebhookBytes(4096))
	f.Fuzz(func(t *testing.T, method string, body []byte) {
		before := calls
		rec := httptest.NewRecorder()
		req := httptest.NewRequest("POST", "/hooks", bytes.NewReader(body))
		req.Method = method // any method a server may be handed, valid or not
		h.ServeHTTP(rec, req)
		switch rec.Code {
		case http.StatusNoContent, http.StatusInternalServerError:
			if calls != before+1 {
				t.Fatalf("%s %q: %d without one call of fn", method, body, rec.Code)
			}
		case http.StatusBadRequest, http.StatusMethodNotAllowed, http.StatusRequestEntityTooLarge:
			if calls != before {
				t.Fatalf("%s %q: %d after calling fn", method, body, rec.Code)
			}
		default:
			t.Fatalf("%s %q: undocumented status %d", method, body, rec.Code)
		}
	})
}

// FuzzCallbackQuery: the callback handler, on any query string, never
// panics, always calls fn once, and reaches Verify Creator only for a state
// the flow issued and a token the identifier policy accepts; a success
// names an issued state.
func FuzzCallbackQuery(f *testing.F) {
	c, mt := fuzzFlowClient(f)
	flow, err := firstparty.NewConnectFlow(c, firstparty.ConnectConfig{RedirectURL: "https://app.example.com/cb", TTL: time.Hour})
	if err != nil {
		f.Fatal(err)
	}
	issued := map[string]bool{}
	for range 4 {
		v, err := flow.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram})
		if err != nil {
			f.Fatal(err)
		}
		issued[v.State] = true
		f.Add(url.Values{"state": {v.State}, "token": {"good"}}.Encode())
		f.Add(url.Values{"state": {v.State}, "token": {"bad\u202e"}}.Encode())
	}
	for _, s := range []string{"", "state=", "token=good", "state=%zz", "state=a%00b&token=good", "state=x&state=y&token=good&error=access_denied"} {
		f.Add(s)
	}
	var got struct {
		calls int
		res   *firstparty.CallbackResult
		err   error
	}
	h := flow.CallbackHandler(func(_ http.ResponseWriter, _ *http.Request, res *firstparty.CallbackResult, err error) {
		got.calls++
		got.res, got.err = res, err
	})
	f.Fuzz(func(t *testing.T, query string) {
		req, err := http.NewRequest("GET", "https://app.example.com/cb", nil)
		if err != nil {
			t.Fatal(err)
		}
		req.URL.RawQuery = query
		got.calls, got.res, got.err = 0, nil, nil
		before := mt.GetTotalCallCount()
		h.ServeHTTP(httptest.NewRecorder(), req)
		if got.calls != 1 {
			t.Fatalf("query %q: fn called %d times", query, got.calls)
		}
		q, _ := url.ParseQuery(query)
		state := q.Get("state")
		if mt.GetTotalCallCount() > before && !issued[state] {
			t.Fatalf("query %q: Verify Creator reached with a state the flow did not issue", query)
		}
		if got.err == nil && (got.res == nil || got.res.Creator == nil || !issued[got.res.Issued.State]) {
			t.Fatalf("query %q: success without a verified, issued state", query)
		}
	})
}

// fuzzFlowClient is a client whose Ylytic echoes the state in a
// verification URL and verifies token "good".
func fuzzFlowClient(f *testing.F) (*firstparty.Client, *httpmock.MockTransport) {
	mt := httpmock.NewMockTransport()
	mt.RegisterResponder("POST", verifyBase+"/first_party/verification_url", func(r *http.Request) (*http.Response, error) {
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		return httpmock.NewJsonResponse(200, map[string]string{"redirectUrl": "https://connect.ylytic.com/c/1", "state": body["state"]})
	})
	mt.RegisterResponder("POST", verifyBase+"/first_party/verify", func(r *http.Request) (*http.Response, error) {
		var body map[string]string
		_ = json.NewDecoder(r.Body).Decode(&body)
		if body["token"] != "good" {
			return httpmock.NewJsonResponse(200, map[string]any{"state": body["state"], "status": "failed", "error_info": map[string]string{"message": "bad token"}})
		}
		return httpmock.NewJsonResponse(200, map[string]any{"state": body["state"], "status": "success", "connector": "instagram", "creator_id": "c-1", "error_info": nil})
	})
	c, err := firstparty.NewClient(firstparty.WithToken(testToken), firstparty.WithHTTPClient(&http.Client{Transport: mt}),
		firstparty.WithBaseURL(verifyBase), firstparty.WithMaxRetries(0))
	if err != nil {
		f.Fatal(err)
	}
	return c, mt
}

// FuzzLenientTypes: the package's own JSON types (Trend, UserInfo, Section,
// Item) decode any value tolerantly without a panic and re-encode valid
// JSON; what encoding/json accepts re-encodes as it was sent.
func FuzzLenientTypes(f *testing.F) {
	for _, s := range []string{
		`{"t":[{"2024-01-26":{"followers":1257}}],"u":{"name":"n","ig_user_id":1},"s":{"status":"locked"},"i":["a",{"name":"b"}]}`,
		`{"t":{"2024-01-26":5,"x":{}},"u":"x","s":[],"i":{}}`, `{"t":"x"}`, `{"t":[null,{"":1}]}`,
	} {
		f.Add([]byte(s))
	}
	type all struct {
		T firstparty.Trend     `json:"t"`
		U *firstparty.UserInfo `json:"u"`
		S *firstparty.Section  `json:"s"`
		I []firstparty.Item    `json:"i"`
	}
	f.Fuzz(func(t *testing.T, body []byte) {
		var v all
		if _, err := jsonx.Decode(body, &v); err != nil {
			return // not JSON
		}
		out, err := json.Marshal(v)
		if err != nil || !json.Valid(out) {
			t.Fatalf("%q: re-encoding failed: %v %q", body, err, out)
		}
		var tr firstparty.Trend
		if json.Unmarshal(body, &tr) == nil {
			again, err := json.Marshal(tr)
			var sent bytes.Buffer
			_ = json.Compact(&sent, body) // encoding/json compacts what a Marshaler writes
			if err != nil || !bytes.Equal(again, sent.Bytes()) {
				t.Fatalf("%q: a strict trend does not re-encode as sent: %v %q", body, err, again)
			}
		}
	})
}
