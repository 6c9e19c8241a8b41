package hypeauditor_test

import (
	"bytes"
	"context"
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
	"time"

	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

// echoServer answers every request with the scenario set last, after
// writing the credentials the request carried (X-Auth-Id, X-Auth-Token or
// both, as placed) into every response header and into every string of
// the body: as "Header: value", percent-encoded, base64-encoded, and the
// pair as Basic auth would carry it. It also names a header after the
// token. This is what a misbehaving server or proxy that echoes the
// request does.
type echoServer struct {
	*fake.Server
	mu       sync.Mutex
	echo     []string // the headers whose values are echoed
	status   int
	body     []byte // a JSON template whose strings are replaced, or raw text
	raw      bool   // send body as it is, after appending the echoes
	keep     map[string]bool
	statuses []int // when set, one status per request in turn (the last repeats)
	served   int
}

// newEchoServer serves in memory, on the bubble's clock (call it inside
// synctest.Test); reach it with its HTTPClient.
func newEchoServer(t *testing.T) *echoServer {
	s := &echoServer{}
	s.Server = fake.NewBare("echo", http.HandlerFunc(s.serve))
	t.Cleanup(s.Close)
	return s
}

func (s *echoServer) set(echo []string, status int, body []byte, keep ...string) {
	s.mu.Lock()
	defer s.mu.Unlock()
	s.echo, s.status, s.body, s.raw, s.statuses, s.served = echo, status, body, false, nil, 0
	s.keep = map[string]bool{}
	for _, k := range keep {
		s.keep[k] = true
	}
}

// forms are the echoes of one request's credentials.
func echoForms(r *http.Request, headers []string) []string {
	var out []string
	for _, h := range headers {
		v := r.Header.Get(h)
		line := h + ": " + v
		out = append(out, line, url.QueryEscape(line), base64.StdEncoding.EncodeToString([]byte(v)), "x "+v+" y")
	}
	if len(headers) == 2 {
		pair := r.Header.Get("X-Auth-Id") + ":" + r.Header.Get("X-Auth-Token")
		out = append(out, "Basic "+base64.StdEncoding.EncodeToString([]byte(pair)))
	}
	return out
}

func (s *echoServer) serve(w http.ResponseWriter, r *http.Request) {
	s.mu.Lock()
	echo, status, body, raw, keep := s.echo, s.status, s.body, s.raw, s.keep
	if len(s.statuses) > 0 {
		status = s.statuses[min(s.served, len(s.statuses)-1)]
	}
	s.served++
	s.mu.Unlock()
	forms := echoForms(r, echo)
	for i, f := range forms {
		w.Header().Add("X-Echo", f)
		if i == 0 {
			w.Header().Set("X-Request-Id", f)
		}
	}
	for _, h := range echo {
		w.Header().Set("X-Echo-"+strings.Map(func(r rune) rune {
			if r >= 'a' && r <= 'z' || r >= 'A' && r <= 'Z' || r >= '0' && r <= '9' {
				return r
			}
			return '-'
		}, r.Header.Get(h)), "1")
	}
	w.Header().Set("Content-Type", "application/json")
	w.WriteHeader(status)
	if raw {
		_, _ = w.Write(append(append([]byte(nil), body...), []byte(strings.Join(forms, " | "))...))
		return
	}
	var doc any
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	if err := dec.Decode(&doc); err != nil {
		panic(err)
	}
	n := 0
	var replace func(key string, v any) any
	replace = func(key string, v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				x[k] = replace(k, e)
			}
		case []any:
			for i, e := range x {
				x[i] = replace(key, e)
			}
		case string:
			if keep[key] {
				return x
			}
			n++
			return forms[n%len(forms)]
		}
		return v
	}
	out, _ := json.Marshal(replace("", doc))
	_, _ = w.Write(out)
}

// secretForms are the forms of the credentials that must never appear:
// each value, percent-encoded, base64-encoded, and the pair.
func secretForms() []string {
	var out []string
	for _, v := range []string{testID, testToken} {
		out = append(out, v, url.QueryEscape(v), base64.StdEncoding.EncodeToString([]byte(v)), base64.RawURLEncoding.EncodeToString([]byte(v)))
	}
	return append(out, base64.StdEncoding.EncodeToString([]byte(testID+":"+testToken)))
}

// A server (or a proxy) that echoes the credentials into every response
// header and every string of every body, on success and on 4xx/5xx, never
// gets them into an error, a result, the response metadata or the log:
// for each of X-Auth-Id, X-Auth-Token and both, every call's error
// (Error(), %v, %+v, %#v, every exported field) and result (every
// exported field, its JSON, its Response headers and DecodeIssues) and
// the Debug log are searched for every form of both credentials.
func TestEchoedCredentialsNeverLeak(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv := newEchoServer(t)
		var logs vendortest.Buffer
		c, err := hypeauditor.NewClient(hypeauditor.WithCredentials(testID, testToken), hypeauditor.WithBaseURL(srv.URL), hypeauditor.WithHTTPClient(srv.HTTPClient()),
			hypeauditor.WithRateLimit(rate.Inf, 0), hypeauditor.WithRetryWait(time.Millisecond, 2*time.Millisecond),
			hypeauditor.WithLogger(slog.New(slog.NewJSONHandler(&logs, &slog.HandlerOptions{Level: slog.LevelDebug}))))
		require.NoError(t, err)

		type result = any
		tiktok := func() (result, error) {
			return c.Reports.TikTok(ctx, hypeauditor.TikTokParams{Channel: "littlebig"})
		}
		errBody := []byte(`{"error":{"code":"c","description":"d","message":"m","errors":["e"],"detail":"x","request_id":"r"}}`)
		type scenario struct {
			name   string
			status int
			body   []byte
			keep   []string
			call   func() (result, error)
		}
		scenarios := []scenario{
			{"instagram report", 200, fixture.Load(t, "instagram_report_full.json"), []string{"report_state"}, func() (result, error) {
				return c.Reports.Instagram(ctx, hypeauditor.InstagramParams{Username: "nasa"})
			}},
			{"twitch report", 200, fixture.Load(t, "twitch_report.json"), []string{"report_state"}, func() (result, error) {
				return c.Reports.Twitch(ctx, hypeauditor.ChannelParams{Channel: "nasa"})
			}},
			{"twitch history", 200, fixture.Load(t, "twitch_history.json"), []string{"report_state"}, func() (result, error) {
				return c.Reports.TwitchHistory(ctx, hypeauditor.ChannelParams{Channel: "nasa"})
			}},
			{"account media", 200, fixture.Load(t, "account_media.json"), nil, func() (result, error) {
				return c.Reports.Media(ctx, hypeauditor.MediaParams{Username: "nasa"})
			}},
			{"connections", 200, fixture.Load(t, "connections.json"), nil, func() (result, error) {
				return c.Connections.Get(ctx, hypeauditor.ConnectionsParams{Username: "nasa", Type: hypeauditor.Instagram})
			}},
			{"discovery, SearchAll", 200, fixture.Load(t, "search.json"), nil, func() (result, error) {
				var got []hypeauditor.SearchResult
				for r, err := range c.Discovery.SearchSandboxAll(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok}, hypeauditor.WithMaxPages(1)) {
					if err != nil {
						return got, err
					}
					got = append(got, r)
				}
				return got, nil
			}},
			{"unlocked", 200, fixture.Load(t, "reports_unlocked.json"), nil, func() (result, error) {
				return c.Unlocked.List(ctx, hypeauditor.UnlockedParams{})
			}},
			{"creators", 200, fixture.Load(t, "creators.json"), nil, func() (result, error) {
				return c.Creators.List(ctx, hypeauditor.CreatorsParams{})
			}},
			{"plan info", 200, fixture.Load(t, "plan_info.json"), nil, func() (result, error) { return c.Account.PlanInfo(ctx) }},
			{"creators, a repeated cursor", 200, []byte(`{"result":{"creators":[{"id":"1"}],"next_cursor":"c"}}`), nil, func() (result, error) {
				var got []hypeauditor.Creator
				for r, err := range c.Creators.ListAll(ctx, hypeauditor.CreatorsParams{}) {
					if err != nil {
						return got, err
					}
					got = append(got, r)
				}
				return got, nil
			}},
			{"suggester", 200, fixture.Load(t, "suggester.json"), nil, func() (result, error) {
				return c.Discovery.Suggest(ctx, hypeauditor.SuggestParams{Search: "nasa"})
			}},
			{"pdf export", 200, fixture.Load(t, "pdf_ready.json"), nil, func() (result, error) {
				return c.Reports.PDF(ctx, hypeauditor.PDFParams{Platform: hypeauditor.Instagram, Account: "nasa"})
			}},
			{"instagram history", 200, fixture.Load(t, "instagram_history.json"), []string{"report_state"}, func() (result, error) {
				return c.Reports.InstagramHistory(ctx, hypeauditor.InstagramHistoryParams{Username: "nasa"})
			}},
			{"brand mentions", 200, fixture.Load(t, "brand_mentions.json"), nil, func() (result, error) {
				return c.Reports.BrandMentions(ctx, hypeauditor.BrandMentionsParams{Platform: hypeauditor.TikTok, Channel: "littlebig"})
			}},
			{"youtube media", 200, fixture.Load(t, "youtube_media.json"), nil, func() (result, error) {
				return c.Reports.YouTubeMedia(ctx, hypeauditor.YouTubeMediaParams{Channel: "NASA"})
			}},
			{"taxonomy", 200, fixture.Load(t, "taxonomy.json"), nil, func() (result, error) { return c.Discovery.Taxonomy(ctx) }},
			{"keyword posts", 200, fixture.Load(t, "keywords_posts.json"), nil, func() (result, error) {
				return c.Discovery.SearchKeywordsPosts(ctx, hypeauditor.KeywordPostsParams{Platform: hypeauditor.Instagram, ContentIDs: []string{"1"}})
			}},
			{"lists", 200, fixture.Load(t, "lists.json"), nil, func() (result, error) { return c.Lists.List(ctx) }},
			{"list reports", 200, fixture.Load(t, "list_reports.json"), nil, func() (result, error) {
				return c.Lists.Reports(ctx, hypeauditor.ListReportsParams{ListID: "102"})
			}},
			{"list edit", 200, fixture.Load(t, "list_edit.json"), nil, func() (result, error) {
				return c.Lists.Add(ctx, hypeauditor.ListAddParams{ListID: "101", ChannelID: "1", Platform: hypeauditor.Instagram})
			}},
			{"market analysis", 200, fixture.Load(t, "competitor_analysis.json"), nil, func() (result, error) {
				return c.MarketAnalysis.Get(ctx, hypeauditor.CompetitorAnalysisIDParams{ReportID: "x1"})
			}},
			{"market analysis posts", 200, []byte(`{"posts":[{"id":"1","caption":"c"}]}`), nil, func() (result, error) {
				return c.MarketAnalysis.Posts(ctx, hypeauditor.CompetitorPostsParams{ReportID: "x1"})
			}},
			{"raw Do", 200, fixture.Load(t, "plan_info.json"), nil, func() (result, error) {
				return rawCall(c, "auditor.planInfo")
			}},
			{"raw Do, a report", 200, fixture.Load(t, "instagram_report_full.json"), []string{"report_state"}, func() (result, error) {
				return rawCall(c, "auditor.report")
			}},
			{"raw Do, 403", 403, errBody, nil, func() (result, error) { return rawCall(c, "auditor.planInfo") }},
			{"raw Do, 503", 503, errBody, nil, func() (result, error) { return rawCall(c, "auditor.newMethod") }},
			{"roster", 200, fixture.Load(t, "tiktok_report.json"), []string{"report_state"}, func() (result, error) {
				var got []any
				// The echo server answers planInfo with the report too (no
				// credits): go on anyway.
				for a, err := range c.Reports.GetAndWaitAll(ctx, []string{"tiktok/littlebig", "instagram/nasa"}, hypeauditor.WithAllowPartial()) {
					if err != nil {
						return got, err
					}
					got = append(got, a)
				}
				return got, nil
			}},
			{"roster, 404", 404, errBody, nil, func() (result, error) {
				var got []any
				var last error
				for a, err := range c.Reports.GetAndWaitAll(ctx, []string{"tiktok/littlebig", "https://instagram.com/nasa"}) {
					got = append(got, a)
					if err != nil {
						last = err
					}
				}
				return got, last
			}},
			{"echoed report_state: unavailable", 200, []byte(`{"result":{"report_state":"READY"}}`), nil, tiktok},
			{"echoed total_pages: control value", 200, []byte(`{"result":{"search_results":[],"total_pages":"1"}}`), nil, func() (result, error) {
				return c.Discovery.SearchSandbox(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok})
			}},
			{"400", 400, errBody, nil, tiktok},
			{"402", 402, errBody, nil, tiktok},
			{"403 invalid token", 403, []byte(`{"error":{"code":4,"description":"Invalid token"}}`), nil, tiktok},
			{"403 private", 403, errBody, nil, tiktok},
			{"404", 404, errBody, nil, tiktok},
			{"404 connections", 404, errBody, nil, func() (result, error) {
				return c.Connections.Get(ctx, hypeauditor.ConnectionsParams{Username: "nasa", Type: hypeauditor.Instagram})
			}},
			{"429", 429, errBody, nil, tiktok},
			{"500", 500, errBody, nil, tiktok},
			{"503 on a search", 503, errBody, nil, func() (result, error) {
				return c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok})
			}},
			{"wait ends on a 404", 0, errBody, nil, func() (result, error) {
				srv.mu.Lock()
				srv.statuses = []int{202, 404}
				srv.mu.Unlock()
				return c.Reports.TikTokAndWait(ctx, hypeauditor.TikTokParams{Channel: "littlebig"}, hypeauditor.WithPollInterval(time.Millisecond, 0))
			}},
			{"wait times out on 503s", 503, errBody, nil, func() (result, error) {
				wctx, cancel := context.WithTimeout(ctx, 50*time.Millisecond)
				defer cancel()
				return c.Reports.TikTokAndWait(wctx, hypeauditor.TikTokParams{Channel: "littlebig"}, hypeauditor.WithPollInterval(5*time.Millisecond, 0))
			}},
		}
		// HypeAuditor's published samples, read from
		// ../shared/fixtures/hypeauditor/ (their subtest skips where it is
		// absent); the YouTube one with its lists cut to three entries.
		published := []struct {
			file string
			trim int
			sc   scenario
		}{
			{"tiktok_report.json", 0, scenario{"tiktok report", 200, nil, []string{"report_state"}, tiktok}},
			{"youtube_report.json", 3, scenario{"youtube report", 200, nil, []string{"report_state"}, func() (result, error) {
				return c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "NASA"})
			}}},
			{"discovery_tiktok.json", 0, scenario{"discovery", 200, nil, nil, func() (result, error) {
				return c.Discovery.SearchSandbox(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok})
			}}},
		}
		forms := secretForms()
		checks, leaks, ran := 0, 0, 0
		check := func(t *testing.T, where, text string) {
			for _, f := range forms {
				checks++
				if i := leakAt(text, f); i >= 0 {
					leaks++
					t.Errorf("%s leaks %q: …%s…", where, f, text[max(0, i-200):min(len(text), i+len(f)+50)])
				}
			}
		}
		runAll := func(t *testing.T, scenarios []scenario) {
			ran += len(scenarios)
			for _, mode := range [][]string{{"X-Auth-Id"}, {"X-Auth-Token"}, {"X-Auth-Id", "X-Auth-Token"}} {
				for _, sc := range scenarios {
					where := fmt.Sprintf("%v, %s", mode, sc.name)
					srv.set(mode, sc.status, sc.body, sc.keep...)
					if sc.name == "echoed report_state: unavailable" {
						srv.set(mode, sc.status, sc.body) // the state itself is echoed
					}
					res, err := sc.call()
					if sc.status == 200 && !strings.HasPrefix(sc.name, "echoed") && !strings.Contains(sc.name, "repeated") {
						require.NoError(t, err, where)
					} else {
						require.Error(t, err, where)
					}
					if err != nil {
						check(t, where+": Error()", err.Error())
						check(t, where+": %v", fmt.Sprintf("%v", err))
						check(t, where+": %+v", fmt.Sprintf("%+v", err))
						check(t, where+": %#v", fmt.Sprintf("%#v", err))
						fields := map[string]string{}
						vendortest.Walk(err, func(p, text string) { fields["err"+p] = text })
						for p, v := range fields {
							check(t, where+": "+p, v)
						}
					}
					if res != nil && !reflect.ValueOf(res).IsZero() {
						fields := map[string]string{}
						vendortest.Walk(res, func(p, text string) { fields["result"+p] = text })
						require.NotEmpty(t, fields, where)
						for p, v := range fields {
							check(t, where+": "+p, v)
						}
						js, jerr := json.Marshal(res)
						require.NoError(t, jerr, where)
						check(t, where+": result JSON", string(js))
					}
				}
			}
		}
		// The project's fixtures, then the published samples (no
		// subtests: t.Run cannot be called in a bubble).
		runAll(t, scenarios)
		var scs []scenario
		for _, p := range published {
			sc := p.sc
			sc.body = fixture.Shared(t, "hypeauditor", p.file)
			if p.trim > 0 {
				sc.body = trimLists(t, sc.body, p.trim)
			}
			scs = append(scs, sc)
		}
		runAll(t, scs)
		check(t, "the Debug log", logs.String())
		require.NotEmpty(t, logs.String())
		t.Logf("%d secret checks over %d scenarios x 3 placements (X-Auth-Id, X-Auth-Token, both) x %d forms: %d leaks", checks, ran, len(forms), leaks)
	})
}

// leakAt returns where text holds the secret form f, or -1. A form made
// only of digits (the numeric client id) counts only where it is not part
// of a longer number: a logged wait of 1770312 ns does not leak the
// client id 770312.
func leakAt(text, f string) int {
	if strings.Trim(f, "0123456789") != "" {
		return strings.Index(text, f)
	}
	digit := func(i int) bool { return i >= 0 && i < len(text) && text[i] >= '0' && text[i] <= '9' }
	for from := 0; ; {
		i := strings.Index(text[from:], f)
		if i < 0 {
			return -1
		}
		i += from
		if !digit(i-1) && !digit(i+len(f)) {
			return i
		}
		from = i + 1
	}
}

// rawCall is a raw Do of method, its result and metadata together.
func rawCall(c *hypeauditor.Client, method string) (any, error) {
	var out struct {
		Result   json.RawMessage `json:"result"`
		Raw      json.RawMessage `json:"-"`
		Response *hypeauditor.ResponseMeta
	}
	_, err := c.Do(ctx, http.MethodGet, method, url.Values{"v": {hypeauditor.APIVersion}, "username": {"nasa"}}, nil, &out)
	return &out, err
}
