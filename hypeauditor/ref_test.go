package hypeauditor_test

import (
	"testing"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// ParseReportRef reads both forms an agency's list holds a creator in,
// "<platform>/<account>" and a profile URL; String writes the first, as
// ItemError.Item does, and reads back to the same reference.
func TestParseReportRef(t *testing.T) {
	t.Parallel()
	ig := func(a string) hypeauditor.ReportRef {
		return hypeauditor.ReportRef{Platform: hypeauditor.Instagram, Account: a}
	}
	for in, want := range map[string]hypeauditor.ReportRef{
		"instagram/@natgeo":                            ig("@natgeo"),
		"  Instagram/natgeo ":                          ig("natgeo"),
		"instagram/id:787132":                          {Platform: hypeauditor.Instagram, UserID: "787132"},
		"tiktok/id:6557821753438371845":                {Platform: hypeauditor.TikTok, UserID: "6557821753438371845"},
		"TikTok/@littlebig":                            {Platform: hypeauditor.TikTok, Account: "@littlebig"},
		"youtube/id:UCLA_DiR1FfKNvjuUpBHmylQ":          {Platform: hypeauditor.YouTube, Account: "UCLA_DiR1FfKNvjuUpBHmylQ"},
		"youtube/@NASA":                                {Platform: hypeauditor.YouTube, Account: "@NASA"},
		"twitch/nasa":                                  {Platform: hypeauditor.Twitch, Account: "nasa"},
		"x/nasa":                                       {Platform: hypeauditor.Twitter, Account: "nasa"},
		"twitter/@NASA":                                {Platform: hypeauditor.Twitter, Account: "@NASA"},
		"snapchat/nasa":                                {Platform: hypeauditor.Snapchat, Account: "nasa"},
		"https://www.instagram.com/natgeo/":            ig("natgeo"),
		"instagram.com/natgeo?hl=en":                   ig("natgeo"),
		"http://m.instagram.com/natgeo#top":            ig("natgeo"),
		"https://www.tiktok.com/@littlebig?lang":       {Platform: hypeauditor.TikTok, Account: "@littlebig"},
		"https://www.youtube.com/@NASA/videos":         {Platform: hypeauditor.YouTube, Account: "@NASA"},
		"youtube.com/channel/UCLA_DiR1FfKNvjuUpBHmylQ": {Platform: hypeauditor.YouTube, Account: "UCLA_DiR1FfKNvjuUpBHmylQ"},
		"https://www.youtube.com/user/NASAtelevision":  {Platform: hypeauditor.YouTube, Account: "NASAtelevision"},
		"https://www.twitch.tv/nasa":                   {Platform: hypeauditor.Twitch, Account: "nasa"},
		"https://x.com/NASA":                           {Platform: hypeauditor.Twitter, Account: "NASA"},
		"https://twitter.com/NASA/status/1":            {Platform: hypeauditor.Twitter, Account: "NASA"},
		"https://www.snapchat.com/add/nasa":            {Platform: hypeauditor.Snapchat, Account: "nasa"},
		"snapchat.com/@nasa":                           {Platform: hypeauditor.Snapchat, Account: "@nasa"},
	} {
		got, err := hypeauditor.ParseReportRef(in)
		require.NoError(t, err, "%q", in)
		assert.Equal(t, want, got, "%q", in)
		back, err := hypeauditor.ParseReportRef(got.String())
		require.NoError(t, err, "%q -> %q", in, got.String())
		assert.Equal(t, got.String(), back.String(), "%q", in)
	}
	assert.Equal(t, "instagram/@natgeo", ig("@natgeo").String())
	assert.Equal(t, "tiktok/id:655", hypeauditor.ReportRef{Platform: hypeauditor.TikTok, UserID: "655"}.String())
	assert.Equal(t, "youtube/id:UCLA_DiR1FfKNvjuUpBHmylQ", hypeauditor.ReportRef{Platform: hypeauditor.YouTube, Account: "UCLA_DiR1FfKNvjuUpBHmylQ"}.String())

	for _, in := range []string{
		"", "   ", "natgeo", "@natgeo", "facebook/natgeo", "instagram/", "instagram/nat geo", "instagram/a/b",
		"instagram/id:abc", "twitch/id:123", "youtube/id:NASA", "instagram/" + string(make([]byte, 40)),
		"https://www.instagram.com/", "https://www.instagram.com/p/Cxyz/", "https://www.tiktok.com/littlebig",
		"https://www.youtube.com/c/NASA", "https://www.youtube.com/watch?v=x", "https://x.com/i/lists/1",
		"https://www.snapchat.com/discover/x", "instagram/natgeo\x00", "instagram/%2e%2e",
	} {
		_, err := hypeauditor.ParseReportRef(in)
		require.Error(t, err, "%q", in)
		assert.ErrorIs(t, err, hypeauditor.ErrInvalidParams, "%q", in)
	}
}

// A connection's Ref is the account by the id reportConnections gave
// (Instagram, TikTok: user id; YouTube: channel id), else its username.
func TestConnectionRef(t *testing.T) {
	t.Parallel()
	for _, tc := range []struct {
		c    hypeauditor.Connection
		want string
	}{
		{hypeauditor.Connection{Type: hypeauditor.Instagram, SocialID: "528817151", Username: "nasa"}, "instagram/id:528817151"},
		{hypeauditor.Connection{Type: hypeauditor.TikTok, SocialID: "655", Username: "littlebig"}, "tiktok/id:655"},
		{hypeauditor.Connection{Type: hypeauditor.YouTube, SocialID: "UCLA_DiR1FfKNvjuUpBHmylQ", Username: "NASA"}, "youtube/id:UCLA_DiR1FfKNvjuUpBHmylQ"},
		{hypeauditor.Connection{Type: hypeauditor.Twitter, SocialID: "11348282", Username: "nasa"}, "twitter/@nasa"},
		{hypeauditor.Connection{Type: hypeauditor.Instagram, Username: "nasa"}, "instagram/@nasa"},
	} {
		assert.Equal(t, tc.want, tc.c.Ref().String())
		_, err := hypeauditor.ParseReportRef(tc.want)
		assert.NoError(t, err, tc.want)
	}
}
