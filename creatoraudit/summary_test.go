package creatoraudit_test

import (
	"strings"
	"testing"
	"testing/synctest"

	"github.com/creatorkit/creatorkit-go/creatoraudit"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func i64(n int64) *int64 { return &n }

// Account.Summary on the accounts of the list fixture: followers, and the
// engagement rate derived with CreatorAudit's documented formula,
// (likes + comments + shares) / views, in percent. No averages, no
// quality score, no audience: CreatorAudit gives none.
func TestAccountSummaryOnFixtures(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	mt.RegisterResponder("GET", base+"/accounts", reply(t, 200, "accounts_list.json"))
	mt.RegisterResponder("POST", base+"/accounts", reply(t, 201, "account_created.json"))
	l, err := c.Accounts.List(ctx, creatoraudit.ListAccountsParams{})
	require.NoError(t, err)
	require.Len(t, l.Data, 2)

	ig := l.Data[0].Summary()
	assert.Equal(t, "creatoraudit", ig.Source)
	assert.Equal(t, "instagram", ig.Platform)
	assert.Equal(t, "natgeo", ig.Username)
	assert.Equal(t, "National Geographic", ig.DisplayName)
	assert.Equal(t, int64(283000000), ig.GetFollowers())
	require.NotNil(t, ig.EngagementRate)
	// (5,400,000 + 41,000 + 120,000) / 91,000,000 = 6.1110 %
	assert.InDelta(t, 6.110989, *ig.EngagementRate, 1e-6)
	assert.Nil(t, ig.AvgLikes, "like_count is a total over an unreported number of posts")
	assert.Nil(t, ig.AvgComments)
	assert.Nil(t, ig.Quality, "CreatorAudit has no audience-quality score")
	assert.Empty(t, ig.AudienceCountries)
	assert.Empty(t, ig.AudienceGenders)
	assert.Empty(t, ig.AudienceAges)

	tt := l.Data[1].Summary()
	assert.Equal(t, "tiktok", tt.Platform)
	assert.Equal(t, int64(9100000), tt.GetFollowers())
	// (2,100,000 + 18,000 + 64,000) / 24,000,000 = 9.0917 %
	assert.InDelta(t, 9.091667, tt.GetEngagementRate(), 1e-6)

	// Before the first scrape every count is null: nothing is reported as 0.
	a, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "nasa"})
	require.NoError(t, err)
	s := a.Summary()
	assert.Equal(t, creatoraudit.Summary{Source: "creatoraudit", Platform: "instagram", Username: "nasa"}, s)

	var none *creatoraudit.Account
	assert.Equal(t, creatoraudit.Summary{Source: "creatoraudit"}, none.Summary())
}

// The engagement rate needs all four counts and views above 0; a count
// that did not fit (a DecodeIssue) is nil, never 0.
func TestAccountSummaryEngagementRate(t *testing.T) {
	t.Parallel()
	sample := func() creatoraudit.Account {
		return creatoraudit.Account{Platform: "TikTok", Username: "@x", LikeCount: i64(30), CommentCount: i64(5), ShareCount: i64(15), ViewCount: i64(1000)}
	}
	a := sample()
	s := a.Summary()
	assert.Equal(t, "tiktok", s.Platform, "lower case")
	assert.Equal(t, "x", s.Username)
	assert.InDelta(t, 5.0, s.GetEngagementRate(), 1e-9)
	for name, change := range map[string]func(*creatoraudit.Account){
		"no views":    func(a *creatoraudit.Account) { a.ViewCount = nil },
		"zero views":  func(a *creatoraudit.Account) { a.ViewCount = i64(0) },
		"no likes":    func(a *creatoraudit.Account) { a.LikeCount = nil },
		"no comments": func(a *creatoraudit.Account) { a.CommentCount = nil },
		"no shares":   func(a *creatoraudit.Account) { a.ShareCount = nil },
		"negative":    func(a *creatoraudit.Account) { a.LikeCount = i64(-1) },
	} {
		a := sample()
		change(&a)
		assert.Nil(t, a.Summary().EngagementRate, name)
	}

	c, mt := newMockClient(t)
	body := strings.Replace(readFixture(t, "accounts_list.json"), `"follower_count": 283000000`, `"follower_count": "lots"`, 1)
	body = strings.Replace(body, `"view_count": 91000000`, `"view_count": {}`, 1)
	mt.RegisterResponder("GET", base+"/accounts", httpmock.NewStringResponder(200, body))
	l, err := c.Accounts.List(ctx, creatoraudit.ListAccountsParams{})
	require.NoError(t, err)
	require.Len(t, l.Response.DecodeIssues, 2)
	s = l.Data[0].Summary()
	assert.Nil(t, s.Followers, "a follower_count that did not fit is not 0")
	assert.Nil(t, s.EngagementRate)
	assert.NotNil(t, l.Data[1].Summary().EngagementRate, "the other row is whole")
}

// On the fake, a scraped account's summary carries its counts.
func TestAccountSummaryOnTheFake(t *testing.T) {
	t.Parallel()
	synctest.Test(t, func(t *testing.T) {
		srv, c := fastFake(t)
		ctx := testCtx(t)
		a, err := c.Accounts.Create(ctx, creatoraudit.CreateAccountParams{Platform: creatoraudit.Instagram, Username: "natgeo"})
		require.NoError(t, err)
		a, err = c.Accounts.GetAndWait(ctx, a.ID, srv.PollOptions()...)
		require.NoError(t, err)
		s := a.Summary()
		assert.Equal(t, a.GetFollowerCount(), s.GetFollowers())
		require.NotNil(t, s.EngagementRate)
		want := float64(a.GetLikeCount()+a.GetCommentCount()+a.GetShareCount()) / float64(a.GetViewCount()) * 100
		assert.InDelta(t, want, *s.EngagementRate, 1e-9)
	})
}
