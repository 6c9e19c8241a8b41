package hypeauditor_test

import (
	"net/url"
	"testing"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The options real clients send: type=advanced_report on auditor.youtube
// and a type on auditor.reportMedia, each only when set and only when
// well formed.
func TestReportTypeOptions(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	expect(t, mt, "GET", "auditor.youtube", want{query: url.Values{"channel": {"NASA"}, "type": {"advanced_report"}}}, 200, "youtube_report.json")
	expect(t, mt, "GET", "auditor.reportMedia", want{query: url.Values{"username": {"nasa"}, "type": {"reels"}}}, 200, "account_media.json")
	_, err := c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "NASA", Type: hypeauditor.YouTubeAdvancedReport})
	require.NoError(t, err)
	_, err = c.Reports.Media(ctx, hypeauditor.MediaParams{Username: "nasa", Type: "reels"})
	require.NoError(t, err)

	refusedBeforeSending(t, map[string]func() error{
		"youtube: bad type": func() error {
			_, err := c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "NASA", Type: "Advanced Report"})
			return err
		},
		"youtube wait: bad type": func() error {
			_, err := c.Reports.YouTubeAndWait(ctx, hypeauditor.YouTubeParams{Channel: "NASA", Type: "a&b"})
			return err
		},
		"media: bad type": func() error {
			_, err := c.Reports.Media(ctx, hypeauditor.MediaParams{Username: "nasa", Type: "a&b"})
			return err
		},
	})
	assert.Equal(t, 2, mt.GetTotalCallCount())
}
