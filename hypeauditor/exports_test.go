package hypeauditor_test

import (
	"context"
	"fmt"
	"log"
	"net/http"
	"net/url"
	"strings"
	"testing"
	"testing/synctest"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/hypeauditor/hypeauditortest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The PDF exports, histories, brand mentions and YouTube media pages:
// exact requests, validation, identifiers, drift, and the fake.

func TestPDFRequests(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	for _, tc := range []struct {
		net     hypeauditor.Platform
		account string
		path    string
		query   url.Values
	}{
		{hypeauditor.Instagram, "@nasa", "auditor.instagramPdf", url.Values{"username": {"nasa"}}},
		{hypeauditor.TikTok, "littlebig", "auditor.tiktokPdf", url.Values{"channel": {"littlebig"}}},
		{hypeauditor.YouTube, "UCLA_DiR1FfKNvjuUpBHmylQ", "auditor.youtubePdf", url.Values{"channel": {"UCLA_DiR1FfKNvjuUpBHmylQ"}}},
		{hypeauditor.Twitter, "nasa", "auditor.twitterPdf", url.Values{"channel": {"nasa"}}},
		{hypeauditor.Twitch, "nasa", "auditor.twitchPdf", url.Values{"channel": {"nasa"}}},
		{hypeauditor.Snapchat, "nasa", "auditor.snapchatPdf", url.Values{"channel": {"nasa"}}},
	} {
		expect(t, mt, "GET", tc.path, want{query: tc.query}, 200, "pdf_ready.json")
		p, err := c.Reports.PDF(ctx, hypeauditor.PDFParams{Platform: tc.net, Account: tc.account})
		require.NoError(t, err, tc.path)
		assert.True(t, p.Ready(), tc.path)
		assert.Equal(t, tc.net, p.Platform)
		assert.True(t, strings.HasPrefix(p.PDFURL, "https://cdn.hypeauditor.com/pdf/"), p.PDFURL)
		assert.Equal(t, hypeauditor.Int(1208), *p.RestTokens)
	}
	assert.Equal(t, 6, mt.GetTotalCallCount())

	mt.Reset()
	expect(t, mt, "GET", "auditor.instagramPdf", want{query: url.Values{"username": {"nasa"}}}, 200, "pdf_not_ready.json")
	p, err := c.Reports.PDF(ctx, hypeauditor.PDFParams{Platform: hypeauditor.Instagram, Account: "nasa"})
	require.NoError(t, err, "not made yet is a state, not an error")
	assert.True(t, p.NotReady())
	assert.False(t, p.Ready())
	assert.Equal(t, 30*time.Second, p.RetryAfter())

	respond(mt, "GET", "auditor.tiktokPdf", 404, `{"error":{"code":16,"description":"CHANNEL_NOT_FOUND"}}`)
	_, err = c.Reports.PDF(ctx, hypeauditor.PDFParams{Platform: hypeauditor.TikTok, Account: "nobody"})
	var ie *hypeauditor.ItemError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, "CHANNEL_NOT_FOUND", ie.State)
	assert.ErrorIs(t, err, hypeauditor.ErrNotFound)
}

func TestHistoryMentionsMediaRequests(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	expect(t, mt, "GET", "auditor.instagramHistory", want{query: url.Values{"username": {"nasa"}}}, 200, "instagram_history.json")
	expect(t, mt, "GET", "auditor.tiktokHistory", want{query: url.Values{"channel": {"littlebig"}}}, 200, "instagram_history.json")
	expect(t, mt, "GET", "auditor.twitterHistory", want{query: url.Values{"channel": {"nasa"}}}, 200, "instagram_history.json")
	expect(t, mt, "GET", "auditor.tiktokBrandMentions", want{query: url.Values{"channel": {"littlebig"}}}, 200, "brand_mentions.json")
	expect(t, mt, "GET", "auditor.youtubeBrandMentions", want{query: url.Values{"channel": {"UCLA_DiR1FfKNvjuUpBHmylQ"}}}, 200, "brand_mentions.json")
	expect(t, mt, "GET", "auditor.youtubeMedia", want{query: url.Values{"channel": {"NASA"}, "page": {"2"}}}, 200, "youtube_media.json")

	h, err := c.Reports.InstagramHistory(ctx, hypeauditor.InstagramHistoryParams{Username: "@nasa"})
	require.NoError(t, err)
	assert.Equal(t, hypeauditor.Instagram, h.Platform)
	assert.Len(t, h.Metric("followers_count").History, 2)
	assert.Nil(t, h.Metric("absent"))
	assert.True(t, h.Ready())
	h, err = c.Reports.TikTokHistory(ctx, hypeauditor.ChannelParams{Channel: "littlebig"})
	require.NoError(t, err)
	assert.Equal(t, hypeauditor.TikTok, h.Platform)
	_, err = c.Reports.TwitterHistory(ctx, hypeauditor.ChannelParams{Channel: "nasa"})
	require.NoError(t, err)

	m, err := c.Reports.BrandMentions(ctx, hypeauditor.BrandMentionsParams{Platform: hypeauditor.TikTok, Channel: "@littlebig"})
	require.NoError(t, err)
	var users map[string]struct {
		Title string `json:"title"`
	}
	assert.True(t, m.Decode("users", &users))
	assert.Equal(t, "Space Brand", users["spacebrand"].Title)
	assert.False(t, m.Decode("other", &users))
	m, err = c.Reports.BrandMentions(ctx, hypeauditor.BrandMentionsParams{Platform: hypeauditor.YouTube, Channel: "UCLA_DiR1FfKNvjuUpBHmylQ"})
	require.NoError(t, err)
	assert.Equal(t, hypeauditor.YouTube, m.Platform)

	yp, err := c.Reports.YouTubeMedia(ctx, hypeauditor.YouTubeMediaParams{Channel: "NASA", Page: 2})
	require.NoError(t, err)
	require.Len(t, yp.Media, 2)
	assert.Equal(t, hypeauditor.ID("dQw4w9WgXcQ"), yp.Media[0].ID)
	assert.Equal(t, "good", yp.Media[0].Metrics.CPM.Mark("30d"))
	assert.Equal(t, 6, mt.GetTotalCallCount())
}

// Bad input fails with ErrInvalidParams before anything is sent.
func TestExportsValidationSendsNothing(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	refusedBeforeSending(t, map[string]func() error{
		"pdf: no network": func() error { _, err := c.Reports.PDF(ctx, hypeauditor.PDFParams{Account: "nasa"}); return err },
		"pdf: bad network": func() error {
			_, err := c.Reports.PDF(ctx, hypeauditor.PDFParams{Platform: "myspace", Account: "nasa"})
			return err
		},
		"pdf: bad instagram": func() error {
			_, err := c.Reports.PDF(ctx, hypeauditor.PDFParams{Platform: hypeauditor.Instagram, Account: "nasa-gov"})
			return err
		},
		"pdf: bad youtube": func() error {
			_, err := c.Reports.PDF(ctx, hypeauditor.PDFParams{Platform: hypeauditor.YouTube, Account: "NASA'"})
			return err
		},
		"pdf wait: no account": func() error {
			_, err := c.Reports.PDFAndWait(ctx, hypeauditor.PDFParams{Platform: hypeauditor.Twitch})
			return err
		},
		"pdf wait: bad interval": func() error {
			_, err := c.Reports.PDFAndWait(ctx, hypeauditor.PDFParams{Platform: hypeauditor.Twitch, Account: "nasa"}, hypeauditor.WithPollInterval(0, 0))
			return err
		},
		"history: no username": func() error {
			_, err := c.Reports.InstagramHistory(ctx, hypeauditor.InstagramHistoryParams{})
			return err
		},
		"history: no channel": func() error {
			_, err := c.Reports.TikTokHistoryAndWait(ctx, hypeauditor.ChannelParams{})
			return err
		},
		"mentions: instagram": func() error {
			_, err := c.Reports.BrandMentions(ctx, hypeauditor.BrandMentionsParams{Platform: hypeauditor.Instagram, Channel: "nasa"})
			return err
		},
		"mentions: no channel": func() error {
			_, err := c.Reports.BrandMentions(ctx, hypeauditor.BrandMentionsParams{Platform: hypeauditor.TikTok})
			return err
		},
		"yt media: page": func() error {
			_, err := c.Reports.YouTubeMedia(ctx, hypeauditor.YouTubeMediaParams{Channel: "NASA", Page: -1})
			return err
		},
		"YouTubeMediaAll: no channel": func() error {
			for _, err := range c.Reports.YouTubeMediaAll(ctx, hypeauditor.YouTubeMediaParams{}) {
				return err
			}
			return nil
		},
	})
	assert.Equal(t, 0, mt.GetTotalCallCount(), "nothing was sent")
}

func TestExportsBadIdentifiersAreRefused(t *testing.T) {
	t.Parallel()
	c, err := hypeauditor.NewClient(hypeauditor.WithCredentials(testID, testToken), hypeauditor.WithHTTPClient(&http.Client{Transport: refuseTransport{t}}))
	require.NoError(t, err)
	calls := map[string]func(v string) error{
		"Reports.InstagramHistory": func(v string) error {
			_, err := c.Reports.InstagramHistory(ctx, hypeauditor.InstagramHistoryParams{Username: v})
			return err
		},
		"Reports.InstagramHistoryAndWait": func(v string) error {
			_, err := c.Reports.InstagramHistoryAndWait(ctx, hypeauditor.InstagramHistoryParams{Username: v})
			return err
		},
		"Reports.BrandMentions tiktok": func(v string) error {
			_, err := c.Reports.BrandMentions(ctx, hypeauditor.BrandMentionsParams{Platform: hypeauditor.TikTok, Channel: v})
			return err
		},
		"Reports.BrandMentions youtube": func(v string) error {
			_, err := c.Reports.BrandMentions(ctx, hypeauditor.BrandMentionsParams{Platform: hypeauditor.YouTube, Channel: v})
			return err
		},
		"Reports.YouTubeMedia": func(v string) error {
			_, err := c.Reports.YouTubeMedia(ctx, hypeauditor.YouTubeMediaParams{Channel: v})
			return err
		},
		"Reports.YouTubeMediaAll": func(v string) error {
			for _, err := range c.Reports.YouTubeMediaAll(ctx, hypeauditor.YouTubeMediaParams{Channel: v}) {
				return err
			}
			return nil
		},
	}
	for _, n := range hypeauditor.Platforms() {
		calls["Reports.PDF "+string(n)] = func(v string) error {
			_, err := c.Reports.PDF(ctx, hypeauditor.PDFParams{Platform: n, Account: v})
			return err
		}
		calls["Reports.PDFAndWait "+string(n)] = func(v string) error {
			_, err := c.Reports.PDFAndWait(ctx, hypeauditor.PDFParams{Platform: n, Account: v})
			return err
		}
	}
	for name, fn := range map[string]func(p hypeauditor.ChannelParams) error{
		"Reports.TikTokHistory":         func(p hypeauditor.ChannelParams) error { _, err := c.Reports.TikTokHistory(ctx, p); return err },
		"Reports.TwitterHistory":        func(p hypeauditor.ChannelParams) error { _, err := c.Reports.TwitterHistory(ctx, p); return err },
		"Reports.TikTokHistoryAndWait":  func(p hypeauditor.ChannelParams) error { _, err := c.Reports.TikTokHistoryAndWait(ctx, p); return err },
		"Reports.TwitterHistoryAndWait": func(p hypeauditor.ChannelParams) error { _, err := c.Reports.TwitterHistoryAndWait(ctx, p); return err },
	} {
		calls[name] = func(v string) error { return fn(hypeauditor.ChannelParams{Channel: v}) }
	}
	badIdentifiersRefused(t, calls)
}

func TestDriftExports(t *testing.T) {
	t.Parallel()
	runDrift(t, []driftSpec{
		{"Reports.PDF", "result", `result|result\.(pdfUrl|retryTtl|report_state)`, local("pdf_ready.json"), func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error) {
			r, err := c.Reports.PDF(ctx, hypeauditor.PDFParams{Platform: hypeauditor.Instagram, Account: "nasa"})
			if err != nil {
				return nil, nil, err
			}
			return r, r.Response, nil
		}},
		{"Reports.PDF not ready", "result", `result|result\.(pdfUrl|retryTtl|report_state)`, local("pdf_not_ready.json"), func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error) {
			r, err := c.Reports.PDF(ctx, hypeauditor.PDFParams{Platform: hypeauditor.Twitch, Account: "nasa"})
			if err != nil {
				return nil, nil, err
			}
			return r, r.Response, nil
		}},
		{"Reports.InstagramHistory", "result", reportControl, local("instagram_history.json"), func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error) {
			r, err := c.Reports.InstagramHistory(ctx, hypeauditor.InstagramHistoryParams{Username: "nasa"})
			if err != nil {
				return nil, nil, err
			}
			return r, r.Response, nil
		}},
		{"Reports.BrandMentions", "result", `result`, local("brand_mentions.json"), func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error) {
			r, err := c.Reports.BrandMentions(ctx, hypeauditor.BrandMentionsParams{Platform: hypeauditor.TikTok, Channel: "littlebig"})
			if err != nil {
				return nil, nil, err
			}
			return r, r.Response, nil
		}},
		{"Reports.YouTubeMedia", "result", `result|result\.media`, local("youtube_media.json"), func(c *hypeauditor.Client) (any, *hypeauditor.ResponseMeta, error) {
			r, err := c.Reports.YouTubeMedia(ctx, hypeauditor.YouTubeMediaParams{Channel: "NASA"})
			if err != nil {
				return nil, nil, err
			}
			return r, r.Response, nil
		}},
	})
}

// A PDF export unlocks the report (one credit) when it is not unlocked,
// waits out retryTtl while the report and then the PDF are made, and
// costs nothing once the report is unlocked.
func TestFakePDFAndWait(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t)
		ctx := testCtx(t)

		var progress []hypeauditor.Progress
		p, err := c.Reports.PDFAndWait(ctx, hypeauditor.PDFParams{Platform: hypeauditor.Instagram, Account: "natgeo"},
			append(srv.PollOptions(), hypeauditor.WithProgress(func(p hypeauditor.Progress) { progress = append(progress, p) }))...)
		require.NoError(t, err)
		assert.True(t, p.Ready())
		assert.True(t, strings.HasPrefix(p.PDFURL, srv.URL+"/pdf/instagram/"), p.PDFURL)
		assert.Equal(t, http.StatusOK, p.Response.StatusCode)
		assert.Equal(t, 999, srv.Credits(), "the export unlocked the report")
		require.NotEmpty(t, progress)
		assert.Equal(t, "Reports.PDFAndWait", progress[0].Op)
		assert.Equal(t, hypeauditor.StateNotReady, progress[0].State)
		assert.Equal(t, 30*time.Second, progress[0].Next, "retryTtl 30 s")
		checks := srv.Snapshot().Requests[hypeauditortest.RouteInstagramPDF]
		assert.Greater(t, checks, 2, "the report, then the PDF, were waited for")

		// The report is unlocked now: its PDF is free, and so is a report.
		_, err = c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{Username: "natgeo"}, srv.PollOptions()...)
		require.NoError(t, err)
		tt, err := c.Reports.TikTokAndWait(ctx, hypeauditor.TikTokParams{Channel: "khaby.lame"}, srv.PollOptions()...)
		require.NoError(t, err)
		assert.Equal(t, 998, srv.Credits())
		p, err = c.Reports.PDFAndWait(ctx, hypeauditor.PDFParams{Platform: hypeauditor.TikTok, Account: tt.Report.Basic.Username}, srv.PollOptions()...)
		require.NoError(t, err)
		assert.True(t, p.Ready())
		assert.Equal(t, hypeauditor.TikTok, p.Platform)
		assert.Equal(t, 998, srv.Credits(), "the PDF of an unlocked report is free")

		// An account without a report is an ItemError, refunded.
		_, err = c.Reports.PDFAndWait(ctx, hypeauditor.PDFParams{Platform: hypeauditor.YouTube, Account: "privatechannel"}, srv.PollOptions()...)
		var ie *hypeauditor.ItemError
		require.ErrorAs(t, err, &ie)
		assert.Equal(t, "PRIVATE", ie.State)
		assert.ErrorIs(t, err, hypeauditor.ErrReportUnavailable)
		synctest.Wait()
		assert.Equal(t, 998, srv.Credits(), "refunded")
		assert.Zero(t, srv.MissingVersion())
	})
}

// A PDF wait stops with a TimeoutError and the last not-ready answer when
// retryTtl is longer than allowed, as the report waits do.
func TestFakePDFRetryTTLTooLong(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		_, c := newFake(t, hypeauditortest.WithRetryTTL(time.Hour))
		p, err := c.Reports.PDFAndWait(testCtx(t), hypeauditor.PDFParams{Platform: hypeauditor.Twitch, Account: "nasa"},
			hypeauditor.WithMaxRetryTTL(time.Minute))
		var te *hypeauditor.TimeoutError
		require.ErrorAs(t, err, &te)
		assert.ErrorIs(t, err, hypeauditor.ErrRetryTTLTooLong)
		var ie *hypeauditor.ItemError
		require.ErrorAs(t, err, &ie)
		assert.Equal(t, "twitch/@nasa", ie.Item)
		assert.Equal(t, "NOT_READY", ie.State)
		require.NotNil(t, p)
		assert.True(t, p.NotReady())
		assert.Equal(t, 1, te.Checks)
	})
}

func TestFakeHistoriesMentionsMedia(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := newFake(t)
		ctx := testCtx(t)

		h, err := c.Reports.InstagramHistoryAndWait(ctx, hypeauditor.InstagramHistoryParams{Username: "natgeo"}, srv.PollOptions()...)
		require.NoError(t, err)
		assert.True(t, h.Ready())
		assert.Len(t, h.Metric("subscribers_count").History, 3)
		assert.Equal(t, 999, srv.Credits(), "a history unlocks the report")
		for _, call := range []func() (*hypeauditor.MetricsHistory, error){
			func() (*hypeauditor.MetricsHistory, error) {
				return c.Reports.TikTokHistoryAndWait(ctx, hypeauditor.ChannelParams{Channel: "littlebig"}, srv.PollOptions()...)
			},
			func() (*hypeauditor.MetricsHistory, error) {
				return c.Reports.TwitterHistoryAndWait(ctx, hypeauditor.ChannelParams{Channel: "nasa"}, srv.PollOptions()...)
			},
		} {
			h, err := call()
			require.NoError(t, err)
			assert.NotNil(t, h.Metric("er"))
		}
		assert.Equal(t, 997, srv.Credits())

		// Brand mentions and YouTube media need the report unlocked.
		_, err = c.Reports.BrandMentions(ctx, hypeauditor.BrandMentionsParams{Platform: hypeauditor.YouTube, Channel: "veritasium"})
		assert.ErrorIs(t, err, hypeauditor.ErrForbidden)
		assert.Equal(t, hypeauditor.CodeAccessDenied, hypeauditor.CodeOf(err))
		m, err := c.Reports.BrandMentions(ctx, hypeauditor.BrandMentionsParams{Platform: hypeauditor.TikTok, Channel: "littlebig"})
		require.NoError(t, err)
		var users map[string]any
		assert.True(t, m.Decode("users", &users))
		assert.Len(t, users, 1)

		_, err = c.Reports.YouTubeAndWait(ctx, hypeauditor.YouTubeParams{Channel: "veritasium", Type: hypeauditor.YouTubeAdvancedReport}, srv.PollOptions()...)
		require.NoError(t, err)
		page, err := c.Reports.YouTubeMedia(ctx, hypeauditor.YouTubeMediaParams{Channel: "veritasium", Page: 3})
		require.NoError(t, err)
		assert.Len(t, page.Media, 2, "12 videos, 5 a page")
		var ids []hypeauditor.ID
		for v, err := range c.Reports.YouTubeMediaAll(ctx, hypeauditor.YouTubeMediaParams{Channel: "veritasium"}) {
			require.NoError(t, err)
			ids = append(ids, v.ID)
		}
		assert.Len(t, ids, 12)
		assert.Equal(t, 4, srv.Snapshot().Requests[hypeauditortest.RouteYouTubeMedia]-1, "three pages and the empty one")
		n := 0
		for _, err := range c.Reports.YouTubeMediaAll(ctx, hypeauditor.YouTubeMediaParams{Channel: "veritasium"}, hypeauditor.WithMaxItems(7)) {
			require.NoError(t, err)
			n++
		}
		assert.Equal(t, 7, n)
	})
}

// Export a report as a PDF for a client: the first export unlocks the
// report (one credit) when it is not unlocked yet; the wait honours
// retryTtl like the report waits.
func ExampleReportsService_PDFAndWait() {
	srv := hypeauditortest.NewServer(hypeauditortest.WithTimeScale(0.001))
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		log.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 30*time.Second)
	defer cancel()
	pdf, err := c.Reports.PDFAndWait(ctx, hypeauditor.PDFParams{Platform: hypeauditor.YouTube, Account: "UCLA_DiR1FfKNvjuUpBHmylQ"}, srv.PollOptions()...)
	if err != nil {
		log.Fatal(err)
	}
	fmt.Println(pdf.Ready(), strings.Contains(pdf.PDFURL, "/pdf/youtube/UCLA_DiR1FfKNvjuUpBHmylQ.pdf"), "credits left:", *pdf.RestTokens)
	// Output:
	// true true credits left: 999
}
