package hypeauditor_test

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/internal/check"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/time/rate"
)

// refuseTransport fails the test on any request: a refused identifier must
// never reach the network.
type refuseTransport struct{ t *testing.T }

func (r refuseTransport) RoundTrip(req *http.Request) (*http.Response, error) {
	r.t.Errorf("a request was sent: %s %s", req.Method, req.URL)
	return nil, errors.New("no request may be sent")
}

// Every public method that takes a username, channel, id, cursor or search
// value refuses each bad value of the identifier policy with
// ErrInvalidParams before anything is sent: check.BadPathParams for
// handles and ids (HypeAuditor takes them as query values, but a handle
// is held to the path rules too), check.BadIDs for free text and the
// cursor.
func TestBadIdentifiersAreRefusedBeforeSending(t *testing.T) {
	t.Parallel()
	c, err := hypeauditor.NewClient(hypeauditor.WithCredentials(testID, testToken), hypeauditor.WithHTTPClient(&http.Client{Transport: refuseTransport{t}}))
	require.NoError(t, err)
	type call func(v string) error
	handles := map[string]call{
		"Reports.Instagram username": func(v string) error {
			_, err := c.Reports.Instagram(ctx, hypeauditor.InstagramParams{Username: v})
			return err
		},
		"Reports.Instagram user_id": func(v string) error {
			_, err := c.Reports.Instagram(ctx, hypeauditor.InstagramParams{UserID: v})
			return err
		},
		"Reports.InstagramAndWait username": func(v string) error {
			_, err := c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{Username: v})
			return err
		},
		"Reports.InstagramAndWait user_id": func(v string) error {
			_, err := c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{UserID: v})
			return err
		},
		"Reports.Instagram features": func(v string) error {
			_, err := c.Reports.Instagram(ctx, hypeauditor.InstagramParams{Username: "nasa", Features: []hypeauditor.InstagramFeature{hypeauditor.InstagramFeature(v)}})
			return err
		},
		"Reports.TikTok channel": func(v string) error {
			_, err := c.Reports.TikTok(ctx, hypeauditor.TikTokParams{Channel: v})
			return err
		},
		"Reports.TikTok user_id": func(v string) error {
			_, err := c.Reports.TikTok(ctx, hypeauditor.TikTokParams{UserID: v})
			return err
		},
		"Reports.TikTok features": func(v string) error {
			_, err := c.Reports.TikTok(ctx, hypeauditor.TikTokParams{Channel: "littlebig", Features: []string{v}})
			return err
		},
		"Reports.TikTokAndWait channel": func(v string) error {
			_, err := c.Reports.TikTokAndWait(ctx, hypeauditor.TikTokParams{Channel: v})
			return err
		},
		"Reports.TikTokAndWait user_id": func(v string) error {
			_, err := c.Reports.TikTokAndWait(ctx, hypeauditor.TikTokParams{UserID: v})
			return err
		},
		"Reports.YouTube channel": func(v string) error {
			_, err := c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: v})
			return err
		},
		"Reports.YouTube features": func(v string) error {
			_, err := c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "NASA", Features: []string{v}})
			return err
		},
		"Reports.YouTubeAndWait channel": func(v string) error {
			_, err := c.Reports.YouTubeAndWait(ctx, hypeauditor.YouTubeParams{Channel: v})
			return err
		},
		"Reports.Media username": func(v string) error {
			_, err := c.Reports.Media(ctx, hypeauditor.MediaParams{Username: v})
			return err
		},
		"Discovery.Search username_exclude": func(v string) error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.Instagram, UsernameExclude: []string{"ok", v}})
			return err
		},
		"Discovery.Search account_mentions": func(v string) error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.Instagram, AccountMentions: &hypeauditor.MentionsFilter{Include: []string{v}}})
			return err
		},
	}
	channel := map[string]func(p hypeauditor.ChannelParams) error{
		"Reports.Twitch":               func(p hypeauditor.ChannelParams) error { _, err := c.Reports.Twitch(ctx, p); return err },
		"Reports.Twitter":              func(p hypeauditor.ChannelParams) error { _, err := c.Reports.Twitter(ctx, p); return err },
		"Reports.Snapchat":             func(p hypeauditor.ChannelParams) error { _, err := c.Reports.Snapchat(ctx, p); return err },
		"Reports.TwitchHistory":        func(p hypeauditor.ChannelParams) error { _, err := c.Reports.TwitchHistory(ctx, p); return err },
		"Reports.TwitchAndWait":        func(p hypeauditor.ChannelParams) error { _, err := c.Reports.TwitchAndWait(ctx, p); return err },
		"Reports.TwitterAndWait":       func(p hypeauditor.ChannelParams) error { _, err := c.Reports.TwitterAndWait(ctx, p); return err },
		"Reports.SnapchatAndWait":      func(p hypeauditor.ChannelParams) error { _, err := c.Reports.SnapchatAndWait(ctx, p); return err },
		"Reports.TwitchHistoryAndWait": func(p hypeauditor.ChannelParams) error { _, err := c.Reports.TwitchHistoryAndWait(ctx, p); return err },
	}
	for name, fn := range channel {
		handles[name+" channel"] = func(v string) error { return fn(hypeauditor.ChannelParams{Channel: v}) }
	}
	for _, n := range hypeauditor.Platforms() {
		handles[fmt.Sprintf("Connections.Get %s username", n)] = func(v string) error {
			_, err := c.Connections.Get(ctx, hypeauditor.ConnectionsParams{Username: v, Type: n})
			return err
		}
		handles[fmt.Sprintf("Connections.Get %s id", n)] = func(v string) error {
			_, err := c.Connections.Get(ctx, hypeauditor.ConnectionsParams{ID: v, Type: n})
			return err
		}
	}
	texts := map[string]call{
		"Discovery.Suggest search": func(v string) error {
			_, err := c.Discovery.Suggest(ctx, hypeauditor.SuggestParams{Search: v})
			return err
		},
		"Discovery.Search search": func(v string) error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.YouTube, Search: []string{v}})
			return err
		},
		"Discovery.Search search_content": func(v string) error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.YouTube, SearchContent: []string{v}})
			return err
		},
		"Discovery.Search search_description": func(v string) error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.YouTube, SearchDescription: []string{v}})
			return err
		},
	}
	// Optional values: "" leaves the filter out, or asks for the first
	// page.
	optionalHandles := map[string]call{
		"Discovery.Search similar": func(v string) error {
			_, err := c.Discovery.Search(ctx, hypeauditor.SearchParams{Platform: hypeauditor.Instagram, Similar: v})
			return err
		},
		"Discovery.SearchAll similar": func(v string) error {
			for _, err := range c.Discovery.SearchAll(ctx, hypeauditor.SearchParams{Platform: hypeauditor.TikTok, Similar: v}) {
				return err
			}
			return nil
		},
	}
	optional := map[string]call{
		"Creators.List cursor": func(v string) error {
			_, err := c.Creators.List(ctx, hypeauditor.CreatorsParams{Cursor: v})
			return err
		},
		"Creators.ListAll cursor": func(v string) error {
			for _, err := range c.Creators.ListAll(ctx, hypeauditor.CreatorsParams{Cursor: v}) {
				return err
			}
			return nil
		},
	}

	pairs := 0
	try := func(calls map[string]call, values []string) {
		for name, fn := range calls {
			for _, v := range values {
				pairs++
				err := fn(v)
				if !assert.ErrorIs(t, err, hypeauditor.ErrInvalidParams, "%s %q", name, v) {
					continue
				}
				var e *hypeauditor.Error
				if assert.ErrorAs(t, err, &e) {
					assert.Zero(t, e.StatusCode, "%s %q: nothing was sent", name, v)
				}
			}
		}
	}
	nonEmpty := func(values []string) []string {
		var out []string
		for _, v := range values {
			if v != "" {
				out = append(out, v)
			}
		}
		return out
	}
	try(handles, check.BadPathParams())
	try(texts, check.BadIDs())
	try(optionalHandles, nonEmpty(check.BadPathParams()))
	try(optional, nonEmpty(check.BadIDs()))
	t.Logf("%d (method, value) pairs refused before sending: %d handle and id parameters x %d bad values, %d text parameters x %d, %d optional handles x %d, %d optional ids x %d",
		pairs, len(handles), len(check.BadPathParams()), len(texts), len(check.BadIDs()), len(optionalHandles), len(nonEmpty(check.BadPathParams())), len(optional), len(nonEmpty(check.BadIDs())))
}

// Documented shapes on top of the policy: numeric user ids, Instagram's
// username shape, YouTube channel ids and handles.
func TestDocumentedIdentifierShapes(t *testing.T) {
	t.Parallel()
	c, err := hypeauditor.NewClient(hypeauditor.WithCredentials(testID, testToken), hypeauditor.WithHTTPClient(&http.Client{Transport: refuseTransport{t}}))
	require.NoError(t, err)
	bad := map[string]func() error{
		"instagram user id with letters": func() error {
			_, err := c.Reports.Instagram(ctx, hypeauditor.InstagramParams{UserID: "52881x"})
			return err
		},
		"instagram username with a dash": func() error {
			_, err := c.Reports.Instagram(ctx, hypeauditor.InstagramParams{Username: "nasa-gov"})
			return err
		},
		"instagram username of 31": func() error {
			_, err := c.Reports.Instagram(ctx, hypeauditor.InstagramParams{Username: "abcdefghijklmnopqrstuvwxyz12345"})
			return err
		},
		"instagram username of dots": func() error {
			_, err := c.Reports.Media(ctx, hypeauditor.MediaParams{Username: "..."})
			return err
		},
		"tiktok user id of 21 digits": func() error {
			_, err := c.Reports.TikTok(ctx, hypeauditor.TikTokParams{UserID: "655782175343837184512"})
			return err
		},
		"youtube channel with a quote": func() error {
			_, err := c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "NASA'"})
			return err
		},
		"youtube channel of 31": func() error {
			_, err := c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "UCLA_DiR1FfKNvjuUpBHmylQ1234567"})
			return err
		},
		"connections instagram id with letters": func() error {
			_, err := c.Connections.Get(ctx, hypeauditor.ConnectionsParams{ID: "UCLA_DiR1FfKNvjuUpBHmylQ", Type: hypeauditor.Instagram})
			return err
		},
		"url as a channel": func() error {
			_, err := c.Reports.Twitch(ctx, hypeauditor.ChannelParams{Channel: "https://twitch.tv/nasa"})
			return err
		},
		"query as a channel": func() error {
			_, err := c.Reports.Snapchat(ctx, hypeauditor.ChannelParams{Channel: "nasa&v=1"})
			return err
		},
	}
	for name, fn := range bad {
		assert.ErrorIs(t, fn(), hypeauditor.ErrInvalidParams, name)
	}

	// And the documented good shapes pass: each request reaches the
	// transport (which fails it without sending).
	good := []func() error{
		func() error {
			_, err := c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "UCLA_DiR1FfKNvjuUpBHmylQ"})
			return err
		},
		func() error {
			_, err := c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "@NASA"})
			return err
		},
		func() error {
			_, err := c.Reports.YouTube(ctx, hypeauditor.YouTubeParams{Channel: "Мастерская_Настроения"})
			return err
		},
		func() error {
			_, err := c.Reports.Instagram(ctx, hypeauditor.InstagramParams{Username: "@nat.geo_travel"})
			return err
		},
		func() error {
			_, err := c.Reports.TikTok(ctx, hypeauditor.TikTokParams{UserID: "6557821753438371845"})
			return err
		},
		func() error {
			_, err := c.Discovery.Suggest(ctx, hypeauditor.SuggestParams{Search: "space agency"})
			return err
		},
	}
	counter := &countRefusals{}
	c, err = hypeauditor.NewClient(hypeauditor.WithCredentials(testID, testToken), hypeauditor.WithMaxRetries(0), hypeauditor.WithRateLimit(rate.Inf, 0),
		hypeauditor.WithHTTPClient(&http.Client{Transport: counter}))
	require.NoError(t, err)
	for i, fn := range good {
		err := fn()
		assert.NotErrorIs(t, err, hypeauditor.ErrInvalidParams, "good value %d", i)
	}
	assert.Equal(t, len(good), counter.n, "every good value was sent")
}

// countRefusals counts requests and fails each without sending it.
type countRefusals struct{ n int }

func (c *countRefusals) RoundTrip(*http.Request) (*http.Response, error) {
	c.n++
	return nil, errors.New("not sent")
}

// Credentials with control, invisible or space characters inside are
// refused by NewClient, without echoing them.
func TestCredentialsPolicy(t *testing.T) {
	t.Parallel()
	for _, bad := range []string{"a\x00b", "a\nb", "a\rb", "a\u202eb", "a\u200bb", "a\x7fb"} {
		_, err := hypeauditor.NewClient(hypeauditor.WithCredentials(bad, testToken))
		require.ErrorIs(t, err, hypeauditor.ErrInvalidParams, "%q", bad)
		_, err = hypeauditor.NewClient(hypeauditor.WithCredentials(testID, "tok"+bad))
		require.ErrorIs(t, err, hypeauditor.ErrInvalidParams, "%q", bad)
		assert.NotContains(t, err.Error(), "tok"+bad)
	}
}
