package hypeauditor_test

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"net/http"
	"strings"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"golang.org/x/time/rate"
)

// Fuzz targets for every parser of untrusted bytes in the package: the
// response decoding of each main read (report per network, connections in
// both shapes, discovery, the list calls) through a real client, and the
// error bodies. Each call must never panic; it must succeed, with a result
// that encodes again, or fail with an *Error (or an *ItemError for a
// report), and a report's Summary keeps its source and platform, a quality
// on 0-100 and shares sorted largest first. Seeds are the fixtures; the corpora run as plain tests in go
// test. Run one for a while with:
//
//	go test -run '^$' -fuzz '^FuzzTikTokReport$' -fuzztime 10s -fuzzminimizetime 200x ./hypeauditor/
//
// (-fuzzminimizetime keeps the minimization of each new input short: its
// default of 60 s would spend a 10-second run minimizing the large seeds.)

// fuzzTransport answers every request with the status and body it holds.
type fuzzTransport struct {
	status int
	body   []byte
}

func (f *fuzzTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_ = r.Body.Close()
	}
	return &http.Response{StatusCode: f.status, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(f.body)), ContentLength: int64(len(f.body)), Request: r}, nil
}

// fuzzClient returns a client over ft without pacing or retries.
func fuzzClient(f *testing.F, ft *fuzzTransport) *hypeauditor.Client {
	c, err := hypeauditor.NewClient(hypeauditor.WithCredentials(testID, testToken), hypeauditor.WithHTTPClient(&http.Client{Transport: ft}),
		hypeauditor.WithRateLimit(rate.Inf, 0), hypeauditor.WithMaxRetries(0), hypeauditor.WithRetryWait(time.Millisecond, time.Millisecond))
	if err != nil {
		f.Fatal(err)
	}
	return c
}

// seed adds each testdata file as a seed body; a "shared:<file>" name is a
// published sample of ../shared/fixtures/hypeauditor/, left out where that
// folder is absent.
func seed(f *testing.F, files ...string) {
	for _, name := range files {
		if rest, ok := strings.CutPrefix(name, fixture.SharedPrefix); ok {
			if b, ok := fixture.SharedIfPresent(f, "hypeauditor", rest); ok {
				f.Add(b)
			}
			continue
		}
		f.Add(fixture.Load(f, name))
	}
	f.Add([]byte(`{"result":null}`))
	f.Add([]byte(`{"result":{}}`))
	f.Add([]byte(`<html>502</html>`))
}

// checkOutcome fails t unless the call succeeded with a result that
// encodes again, or failed with the SDK's error types.
func checkOutcome(t *testing.T, res any, err error) {
	t.Helper()
	if err != nil {
		var e *hypeauditor.Error
		var ie *hypeauditor.ItemError
		if !errors.As(err, &e) && !errors.As(err, &ie) {
			t.Fatalf("an error of type %T: %v", err, err)
		}
		if ie != nil && (ie.Reason == "" || !errors.Is(err, hypeauditor.ErrReportUnavailable)) {
			t.Fatalf("an ItemError without a reason or ErrReportUnavailable: %#v", ie)
		}
		return
	}
	if _, jerr := json.Marshal(res); jerr != nil {
		t.Fatalf("a result that does not encode again: %v", jerr)
	}
}

// checkSummary fails t unless s is a well-formed summary of platform.
func checkSummary(t *testing.T, s hypeauditor.Summary, platform string) {
	t.Helper()
	if s.Source != "hypeauditor" || s.Platform != platform {
		t.Fatalf("summary of %s/%s, want hypeauditor/%s", s.Source, s.Platform, platform)
	}
	if q := s.Quality; q != nil && (q.Score < 0 || q.Score > 100 || q.Name == "") {
		t.Fatalf("quality %+v", *q)
	}
	for _, shares := range [][]hypeauditor.Share{s.AudienceCountries, s.AudienceGenders, s.AudienceAges} {
		for i := 1; i < len(shares); i++ {
			if shares[i].Percent > shares[i-1].Percent {
				t.Fatalf("shares not largest first: %v", shares)
			}
		}
	}
	for _, c := range s.AudienceCountries {
		if len(c.Code) != 2 || strings.ToUpper(c.Code) != c.Code {
			t.Fatalf("country %q is not ISO 3166-1 alpha-2", c.Code)
		}
	}
}

// smallYouTube adds the published YouTube sample with its lists cut to two
// entries: a seed the fuzzer can mutate quickly (none where
// ../shared/fixtures/hypeauditor/ is absent).
func smallYouTube(f *testing.F) {
	b, ok := fixture.SharedIfPresent(f, "hypeauditor", "youtube_report.json")
	if !ok {
		return
	}
	var doc map[string]any
	if err := json.Unmarshal(b, &doc); err != nil {
		f.Fatal(err)
	}
	var trim func(v any) any
	trim = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				x[k] = trim(e)
			}
		case []any:
			x = x[:min(len(x), 2)]
			for i, e := range x {
				x[i] = trim(e)
			}
			return x
		}
		return v
	}
	out, _ := json.Marshal(trim(doc))
	f.Add(out)
}

func FuzzInstagramReport(f *testing.F) {
	seed(f, "instagram_report.json", "instagram_report_full.json", "instagram_report_client.json", "instagram_report_alt.json", "instagram_not_ready.json")
	ft := &fuzzTransport{status: 200}
	c := fuzzClient(f, ft)
	f.Fuzz(func(t *testing.T, body []byte) {
		ft.body = body
		r, err := c.Reports.Instagram(ctx, hypeauditor.InstagramParams{Username: "nasa"})
		checkOutcome(t, r, err)
		if err == nil {
			checkSummary(t, r.Summary(), "instagram")
			_ = r.MissingBlocks()
		}
	})
}

func FuzzTikTokReport(f *testing.F) {
	seed(f, "shared:tiktok_report.json", "tiktok_report.json", "tiktok_report_full.json")
	ft := &fuzzTransport{status: 200}
	c := fuzzClient(f, ft)
	f.Fuzz(func(t *testing.T, body []byte) {
		ft.body = body
		r, err := c.Reports.TikTok(ctx, hypeauditor.TikTokParams{Channel: "littlebig"})
		checkOutcome(t, r, err)
		if err == nil {
			checkSummary(t, r.Summary(), "tiktok")
		}
	})
}

func FuzzYouTubeReport(f *testing.F) {
	seed(f, "youtube_report.json", "youtube_report_full.json")
	smallYouTube(f)
	ft := &fuzzTransport{status: 200}
	c := fuzzClient(f, ft)
	f.Fuzz(func(t *testing.T, body []byte) {
		ft.body = body
		r, err := c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "NASA"})
		checkOutcome(t, r, err)
		if err == nil {
			checkSummary(t, r.Summary(), "youtube")
			if r.Report != nil {
				_ = r.Report.IntegrationPrice()
			}
			for _, v := range r.Media {
				if v.Metrics != nil {
					_ = v.Metrics.CPM.Mark("7d")
				}
			}
		}
	})
}

// FuzzNetworkReport covers Twitch, Twitter, Snapchat and the Twitch
// history, which share their decoding.
func FuzzNetworkReport(f *testing.F) {
	seed(f, "twitch_report.json", "snapchat_report.json", "twitch_history.json")
	ft := &fuzzTransport{status: 200}
	c := fuzzClient(f, ft)
	f.Fuzz(func(t *testing.T, body []byte) {
		ft.body = body
		r, err := c.Reports.Twitch(ctx, hypeauditor.ChannelParams{Channel: "nasa"})
		checkOutcome(t, r, err)
		if err == nil {
			checkSummary(t, r.Summary(), "twitch")
		}
		h, err := c.Reports.TwitchHistory(ctx, hypeauditor.ChannelParams{Channel: "nasa"})
		checkOutcome(t, h, err)
	})
}

// FuzzConnections covers both shapes of reportConnections: the documented
// list and {"data": [...]}.
func FuzzConnections(f *testing.F) {
	seed(f, "connections.json", "connections_data.json")
	ft := &fuzzTransport{status: 200}
	c := fuzzClient(f, ft)
	f.Fuzz(func(t *testing.T, body []byte) {
		ft.body = body
		r, err := c.Connections.Get(ctx, hypeauditor.ConnectionsParams{Username: "nasa", Type: hypeauditor.Instagram})
		checkOutcome(t, r, err)
		if err == nil {
			_ = r.ByPlatform(hypeauditor.YouTube)
		}
	})
}

func FuzzDiscovery(f *testing.F) {
	seed(f, "shared:discovery_youtube.json", "shared:discovery_tiktok.json", "shared:discovery_instagram.json", "search.json")
	ft := &fuzzTransport{status: 200}
	c := fuzzClient(f, ft)
	f.Fuzz(func(t *testing.T, body []byte) {
		ft.body = body
		p, err := c.Discovery.SearchSandbox(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok})
		checkOutcome(t, p, err)
		if err == nil {
			for _, r := range p.Items() {
				_ = r.SocialNetworks()
				var aqs hypeauditor.AQS
				_ = r.Feature("aqs", &aqs)
				_ = r.Metric("er")
			}
		}
		if err != nil {
			return // the iterator would wait out a transient answer until its context ends
		}
		ictx, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
		defer cancel()
		for r, err := range c.Discovery.SearchSandboxAll(ictx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok}, hypeauditor.WithMaxPages(2)) {
			checkOutcome(t, r, err)
		}
	})
}

// FuzzListReads covers the other reads: unlocked reports, creators, plan
// info, the suggester and Account Media.
func FuzzListReads(f *testing.F) {
	seed(f, "reports_unlocked.json", "creators.json", "plan_info.json", "suggester.json", "account_media.json")
	ft := &fuzzTransport{status: 200}
	c := fuzzClient(f, ft)
	f.Fuzz(func(t *testing.T, body []byte) {
		ft.body = body
		u, err := c.Unlocked.List(ctx, hypeauditor.UnlockedParams{})
		checkOutcome(t, u, err)
		cr, err := c.Creators.List(ctx, hypeauditor.CreatorsParams{})
		checkOutcome(t, cr, err)
		if err == nil { // else the iterator would wait out a transient answer until its context ends
			ictx, cancel := context.WithTimeout(ctx, 10*time.Millisecond)
			defer cancel()
			for x, err := range c.Creators.ListAll(ictx, hypeauditor.CreatorsParams{}) {
				checkOutcome(t, x, err)
			}
		}
		p, err := c.Account.PlanInfo(ctx)
		checkOutcome(t, p, err)
		s, err := c.Discovery.Suggest(ctx, hypeauditor.SuggestParams{Search: "nasa"})
		checkOutcome(t, s, err)
		m, err := c.Reports.Media(ctx, hypeauditor.MediaParams{Username: "nasa"})
		checkOutcome(t, m, err)
	})
}

// FuzzErrorBody covers HypeAuditor's error bodies and the report
// outcomes read from them, on every status the API answers with.
func FuzzErrorBody(f *testing.F) {
	statuses := []int{400, 402, 403, 404, 429, 500, 502, 503, 202, 200}
	for i, name := range []string{"error_400_invalid_request.json", "error_402_no_api_access.json", "error_403_invalid_token.json",
		"error_404_object_not_found.json", "error_400_unknown_method.json", "error_403_access_denied.json"} {
		f.Add(uint8(i), fixture.Load(f, name))
	}
	f.Add(uint8(2), []byte(`{"error":{"code":0,"description":"Account is private"}}`))
	f.Add(uint8(3), []byte(`{"error":{"description":"CHANNEL_NOT_FOUND"}}`))
	f.Add(uint8(8), []byte(`{"result":{"report_state":"REPORT_CALCULATING"}}`))
	f.Add(uint8(0), []byte(`{"error":"plain"}`))
	ft := &fuzzTransport{}
	c := fuzzClient(f, ft)
	f.Fuzz(func(t *testing.T, status uint8, body []byte) {
		ft.status, ft.body = statuses[int(status)%len(statuses)], body
		r, err := c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "NASA"})
		checkOutcome(t, r, err)
		_ = hypeauditor.CodeOf(err)
		if err != nil {
			_ = err.Error()
		}
		conns, err := c.Connections.Get(ctx, hypeauditor.ConnectionsParams{Username: "nasa", Type: hypeauditor.Instagram})
		checkOutcome(t, conns, err)
	})
}
