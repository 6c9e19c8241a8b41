package hypeauditor_test

import (
	"bytes"
	"encoding/json"
	"errors"
	"hash/fnv"
	"io"
	"net/http"
	"os"
	"regexp"
	"sync/atomic"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/creatorkit/creatorkit-go/internal/jsonx"
	"github.com/creatorkit/creatorkit-go/internal/vendortest"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

// bodyTransport answers every request with the body it holds now.
type bodyTransport struct{ body atomic.Pointer[[]byte] }

func (b *bodyTransport) RoundTrip(r *http.Request) (*http.Response, error) {
	if r.Body != nil {
		_ = r.Body.Close()
	}
	body := *b.body.Load()
	return &http.Response{StatusCode: http.StatusOK, Header: http.Header{"Content-Type": {"application/json"}},
		Body: io.NopCloser(bytes.NewReader(body)), ContentLength: int64(len(body)), Request: r}, nil
}

// driftRead is one main read: it runs the call and returns the part of the
// result that the DriftSpec's Root names, and the result's metadata.
type driftRead func(c *hypeauditor.Client) (result any, meta *hypeauditor.ResponseMeta, err error)

// driftCall serves each body through a real client (the whole pipeline:
// retry loop, tolerant decoding, envelope and control checks) and
// re-encodes what the call returned.
func driftCall(t *testing.T, read driftRead) fixture.DriftCall {
	bt := &bodyTransport{}
	c, err := hypeauditor.NewClient(hypeauditor.WithCredentials(testID, testToken), hypeauditor.WithHTTPClient(&http.Client{Transport: bt}),
		hypeauditor.WithRateLimit(rate.Inf, 0), hypeauditor.WithRetryWait(time.Millisecond, 2*time.Millisecond))
	require.NoError(t, err)
	return func(body []byte) ([]byte, []jsonx.Issue, error) {
		bt.body.Store(&body)
		res, meta, err := read(c)
		if err != nil {
			return nil, nil, err
		}
		out, err := json.Marshal(res)
		return out, meta.DecodeIssues, err
	}
}

// trimLists cuts every list of a JSON document to its first n entries:
// each member path of the document is still there to mutate, without the
// thousands of entries that repeat the same paths (the published YouTube
// sample has 44 videos and histories of 1,608 points).
func trimLists(t *testing.T, body []byte, n int) []byte {
	t.Helper()
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	var doc any
	require.NoError(t, dec.Decode(&doc))
	var trim func(v any) any
	trim = func(v any) any {
		switch x := v.(type) {
		case map[string]any:
			for k, e := range x {
				x[k] = trim(e)
			}
		case []any:
			if len(x) > n {
				x = x[:n]
			}
			for i, e := range x {
				x[i] = trim(e)
			}
			return x
		}
		return v
	}
	out, err := json.Marshal(trim(doc))
	require.NoError(t, err)
	return out
}

// controlOf says a failed mutation is the refusal of a control value when
// the call failed with ErrUnexpectedResponse and the mutated path is one
// of the values the SDK needs to go on.
func controlOf(paths string) func(m fixture.Mutation, err error) bool {
	re := regexp.MustCompile(`^(` + paths + `)$`)
	return func(m fixture.Mutation, err error) bool {
		return errors.Is(err, hypeauditor.ErrUnexpectedResponse) && re.MatchString(m.Path)
	}
}

const reportControl = `result|result\.report_state|result\.retryTtl`

// Every main read survives every single-field change of its fixture
// outside the control values: the call succeeds, every untouched value
// comes back as it did, the changed value is kept or listed in
// Response.DecodeIssues, and an extra unknown member anywhere changes
// nothing. Control values (report_state, retryTtl, the envelope, page
// lists, total_pages, next_cursor, a connection's social_id and state)
// are refused with ErrUnexpectedResponse instead.
//
// The two published reports are mutated with every list cut to its first
// entry (trimLists): every member path of the sample is still there (the
// 931 of the TikTok sample and the 716 of the YouTube one, indices aside),
// without the entries that repeat the same paths. The fixtures over 4 KB
// (the reports) run a fixed sample of their mutations, chosen by a hash
// of the path and the kind (see driftSample: an eighth in CI, a
// thirty-second in a user's go test ./... and under the race detector),
// so the sweep takes a second at most; HYPEAUDITOR_DRIFT_FULL=1 runs every mutation
// and mutates the whole TikTok sample (the YouTube one, 580 KB, would
// need some 45,000 mutated copies of itself).
func TestDrift(t *testing.T) {
	t.Parallel()
	report := func(read func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error)) driftRead { return read }
	specs := []struct {
		name, file, root, control string
		trim                      int
		read                      driftRead
	}{
		{"Reports.Instagram", "instagram_report_full.json", "result", reportControl, 0, report(func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error) {
			r, err := c.Reports.Instagram(ctx, hypeauditor.InstagramParams{Username: "nasa"})
			if err != nil {
				return nil, nil, err
			}
			return r, r.Response, nil
		})},
		{"Reports.TikTok", "shared:tiktok_report.json", "result", reportControl, 1, report(func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error) {
			r, err := c.Reports.TikTok(ctx, hypeauditor.TikTokParams{Channel: "littlebig"})
			if err != nil {
				return nil, nil, err
			}
			return r, r.Response, nil
		})},
		{"Reports.YouTube", "shared:youtube_report.json", "result", reportControl, 1, report(func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error) {
			r, err := c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "UCLA_DiR1FfKNvjuUpBHmylQ"})
			if err != nil {
				return nil, nil, err
			}
			return r, r.Response, nil
		})},
		{"Reports.Twitch", "twitch_report.json", "result", reportControl, 0, report(func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error) {
			r, err := c.Reports.Twitch(ctx, hypeauditor.ChannelParams{Channel: "nasa"})
			if err != nil {
				return nil, nil, err
			}
			return r, r.Response, nil
		})},
		// No Twitter report is published; its answer has the Twitch shape.
		{"Reports.Twitter", "twitch_report.json", "result", reportControl, 0, report(func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error) {
			r, err := c.Reports.Twitter(ctx, hypeauditor.ChannelParams{Channel: "nasa"})
			if err != nil {
				return nil, nil, err
			}
			return r, r.Response, nil
		})},
		{"Reports.Snapchat", "snapchat_report.json", "result", reportControl, 0, report(func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error) {
			r, err := c.Reports.Snapchat(ctx, hypeauditor.ChannelParams{Channel: "nasa"})
			if err != nil {
				return nil, nil, err
			}
			return r, r.Response, nil
		})},
		{"Reports.TwitchHistory", "twitch_history.json", "result", reportControl, 0, report(func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error) {
			r, err := c.Reports.TwitchHistory(ctx, hypeauditor.ChannelParams{Channel: "nasa"})
			if err != nil {
				return nil, nil, err
			}
			return r, r.Response, nil
		})},
		{"Reports.Media", "account_media.json", "result", `result|result\.media`, 0, report(func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error) {
			r, err := c.Reports.Media(ctx, hypeauditor.MediaParams{Username: "nasa"})
			if err != nil {
				return nil, nil, err
			}
			return r, r.Response, nil
		})},
		{"Connections.Get", "connections.json", "result", `result|result\[\d+\]\.(social_id|state)`, 0, report(func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error) {
			r, err := c.Connections.Get(ctx, hypeauditor.ConnectionsParams{Username: "nasa", Type: hypeauditor.Instagram})
			if err != nil {
				return nil, nil, err
			}
			return r.Accounts, r.Response, nil
		})},
		{"Connections.Get {data}", "connections_data.json", "result.data", `result|result\.data|result\.data\[\d+\]\.(social_id|state)`, 0, report(func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error) {
			r, err := c.Connections.Get(ctx, hypeauditor.ConnectionsParams{Username: "nasa", Type: hypeauditor.Instagram})
			if err != nil {
				return nil, nil, err
			}
			return r.Accounts, r.Response, nil
		})},
		{"Unlocked.List", "reports_unlocked.json", "result", `result|result\.data`, 0, report(func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error) {
			r, err := c.Unlocked.List(ctx, hypeauditor.UnlockedParams{})
			if err != nil {
				return nil, nil, err
			}
			return r, r.Response, nil
		})},
		{"Account.PlanInfo", "plan_info.json", "result", `result`, 0, report(func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error) {
			r, err := c.Account.PlanInfo(ctx)
			if err != nil {
				return nil, nil, err
			}
			return r, r.Response, nil
		})},
		{"Discovery.Suggest", "suggester.json", "result", `result|result\.list`, 0, report(func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error) {
			r, err := c.Discovery.Suggest(ctx, hypeauditor.SuggestParams{Search: "nasa"})
			if err != nil {
				return nil, nil, err
			}
			return r, r.Response, nil
		})},
		{"Creators.List", "creators.json", "result", `result|result\.creators|result\.next_cursor`, 0, report(func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error) {
			r, err := c.Creators.List(ctx, hypeauditor.CreatorsParams{})
			if err != nil {
				return nil, nil, err
			}
			return r, r.Response, nil
		})},
	}
	for _, file := range []string{"shared:discovery_youtube.json", "shared:discovery_tiktok.json", "shared:discovery_instagram.json", "search.json"} {
		specs = append(specs, struct {
			name, file, root, control string
			trim                      int
			read                      driftRead
		}{"Discovery.Search " + file, file, "result", `result|result\.(search_results|list|total_pages)`, 0, func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error) {
			r, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.YouTube})
			if err != nil {
				return nil, nil, err
			}
			return r, r.Response, nil
		}})
	}
	for _, s := range specs {
		t.Run(s.name, func(t *testing.T) {
			t.Parallel()
			full := os.Getenv("HYPEAUDITOR_DRIFT_FULL") != ""
			body := fixture.Named(t, "hypeauditor", s.file)
			if s.trim > 0 && !(full && len(body) < 100<<10) {
				body = trimLists(t, body, s.trim)
			}
			spec := fixture.DriftSpec{Name: s.name, Fixture: body, Root: s.root, Call: driftCall(t, s.read), Control: controlOf(s.control)}
			if sample := driftSample(full); len(body) > 4<<10 && sample > 1 {
				spec.Skip = func(m fixture.Mutation) string {
					h := fnv.New32a()
					_, _ = h.Write([]byte(m.Path + m.Kind))
					if h.Sum32()%sample != 0 {
						return "sampled out"
					}
					return ""
				}
			}
			r := fixture.Drift(spec)
			fixture.RequireDrift(t, r)
			require.Equal(t, r.Mutations-r.Control, r.Survived)
			require.Equal(t, r.Unknown, r.UnknownSurvived)
		})
	}
}

// driftSample is one in how many mutations of a big fixture run: all with
// HYPEAUDITOR_DRIFT_FULL; a thirty-second under the race detector (which
// slows decoding tenfold and looks for data races, not drift); an eighth
// with CREATORKIT_FULL_TESTS (CI); a thirty-second by default, to keep a
// user's go test ./... fast.
func driftSample(full bool) uint32 {
	switch {
	case full:
		return 1
	case raceEnabled, !vendortest.Full():
		return 32
	}
	return 8
}
