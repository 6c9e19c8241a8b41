package hypeauditor_test

import (
	"bytes"
	"encoding/json"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/hypeauditor"
	"github.com/creatorkit/creatorkit-go/internal/fixture"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Answers seen in the wild (../shared/fixtures/hypeauditor/, skipped where
// that folder is absent): a live Instagram report of 2018 in the pre-v2
// shape, and three fixtures another client wrote. Each is served through
// a real client by the call that answers it and must come back without
// an error, with what does not fit its typed field listed in
// Response.DecodeIssues (issues below), and nothing else lost: every
// leaf the re-encoded result does not give back must sit under one of
// those issues. The typed coverage (non-null leaves held in typed fields,
// not in raw JSON kept beside them) is logged and must not fall below the
// figure reached (go test -run WildAnswers -v ./hypeauditor/).
//
// The taxonomy answers and the keyword post search answer of the same
// folder belong to calls the SDK does not have (auditor.taxonomy,
// auditor.searchKeywordsPosts) and are not used here.
func TestWildAnswers(t *testing.T) {
	t.Parallel()
	// answer is a call's result, and the result in a typed envelope for
	// TypedCoverage (which counts nothing behind an interface).
	type answer struct {
		result, env any
		meta        *hypeauditor.ResponseMeta
	}
	instagram := func(user string) func(c *hypeauditor.Client) (answer, error) {
		return func(c *hypeauditor.Client) (answer, error) {
			r, err := c.Reports.Instagram(ctx, hypeauditor.InstagramParams{Username: user})
			if err != nil {
				return answer{}, err
			}
			return answer{r, envelope[hypeauditor.InstagramReport]{r}, r.Response}, nil
		}
	}
	for _, tc := range []struct {
		file, path string
		query      url.Values
		call       func(c *hypeauditor.Client) (answer, error)
		issues     []string // the DecodeIssues paths expected
		covered    int      // typed leaves reached (of all non-null leaves)
		check      func(t *testing.T, res any)
	}{
		{
			// The pre-v2 shape: no report_state, audience_interests and
			// top3_blogger_topics as [name, score] pairs, genders "M"/"F",
			// global_rank, and post_frequency as a bare number where the
			// documentation of today has {value}.
			file: "instagram_report_eyalgolan1_2018.json", path: "auditor.report", query: url.Values{"username": {"eyalgolan1"}},
			call:    instagram("eyalgolan1"),
			issues:  []string{"result.user.post_frequency"},
			covered: 1220,
			check: func(t *testing.T, res any) {
				r := res.(*hypeauditor.InstagramReport)
				assert.Empty(t, r.State, "no report_state in the pre-v2 shape")
				assert.False(t, r.NotReady())
				assert.Equal(t, hypeauditor.Int(2), *r.RestTokens)
				assert.Equal(t, time.Unix(1548308721, 0).UTC(), r.ValidUntil.UTC())
				u := r.User
				require.NotNil(t, u)
				assert.Equal(t, "eyalgolan1", u.Username)
				assert.Equal(t, hypeauditor.Int(590287), *u.FollowersCount)
				assert.Equal(t, hypeauditor.Int(18540), *u.GlobalRank)
				assert.Equal(t, "Average", u.CommentsAuthenticity.Title)
				assert.Equal(t, []hypeauditor.InterestWeight{{Name: "Fitness", Weight: 1}}, u.Top3BloggerTopics)
				assert.Equal(t, "Beauty & Fashion", u.AudienceInterests[0].Name)
				assert.Equal(t, "M", u.Demography[0].Gender)
				assert.Equal(t, hypeauditor.Float(3), *u.AdvertisingData.BrandsMentionsCount)
				assert.Nil(t, u.PostFrequency, "a bare number where {value} is documented: listed in DecodeIssues")
				s := r.Summary()
				assert.Equal(t, int64(590287), s.GetFollowers())
				assert.Equal(t, 81.0, s.GetQuality().Score)
			},
		},
		{
			// A client's hand-written Instagram report in the
			// result.report.{basic,metrics,features} shape: its features
			// stay raw JSON (ReportBody), so they count as untyped.
			file: "velari_instagram_report_result_report_shape.json", path: "auditor.report", query: url.Values{"username": {"examplecreator"}},
			call:    instagram("examplecreator"),
			covered: 10,
			check: func(t *testing.T, res any) {
				r := res.(*hypeauditor.InstagramReport)
				assert.True(t, r.Ready())
				require.NotNil(t, r.Report)
				assert.Equal(t, "examplecreator", r.Report.Basic.Username)
				assert.Equal(t, hypeauditor.Float(500000), *r.Report.Metric("subscribers_count").Value)
				var prices hypeauditor.Prices
				assert.True(t, r.Report.Feature("blogger_prices", &prices))
			},
		},
		{
			// A client's hand-written result.user (inside the usual
			// envelope, so it needs no wrapping): id as a string,
			// blogger_hashtags as {"data": []} (kept raw).
			file: "velari_instagram_report_user_mrbeast.json", path: "auditor.report", query: url.Values{"username": {"mrbeast"}},
			call:    instagram("mrbeast"),
			covered: 19,
			check: func(t *testing.T, res any) {
				u := res.(*hypeauditor.InstagramReport).User
				require.NotNil(t, u)
				assert.Equal(t, hypeauditor.ID("2278169415"), u.ID)
				assert.Equal(t, hypeauditor.Int(86954423), *u.FollowersCount)
				assert.Equal(t, []hypeauditor.Int{1017, 1036}, u.BloggerCategories)
			},
		},
		{
			// A client's TikTok fixture: restTokens and validUntil beside
			// result, social_networks beside the features, and its
			// entries' type a number in one and a name in the other.
			file: "velari_tiktok_report_mrbeast.json", path: "auditor.tiktok", query: url.Values{"channel": {"mrbeast"}},
			call: func(c *hypeauditor.Client) (answer, error) {
				r, err := c.Reports.TikTok(ctx, hypeauditor.TikTokParams{Channel: "mrbeast"})
				if err != nil {
					return answer{}, err
				}
				return answer{r, envelope[hypeauditor.TikTokReport]{r}, r.Response}, nil
			},
			covered: 52,
			check: func(t *testing.T, res any) {
				r := res.(*hypeauditor.TikTokReport)
				assert.Equal(t, "NO_POSTS_7D", r.QualityString())
				assert.Equal(t, hypeauditor.Int(967), *r.RestTokens, "read beside result")
				assert.Equal(t, time.Unix(1801962361, 0).UTC(), r.ValidUntil.UTC(), "read beside result")
				require.NotNil(t, r.Report.SocialNetworks)
				sn := r.Report.SocialNetworks.Data
				require.Len(t, sn, 2)
				assert.Equal(t, hypeauditor.YouTube, sn[0].Type.Platform(), "type 2")
				assert.Equal(t, hypeauditor.Instagram, sn[1].Type.Platform(), `type "instagram"`)
				assert.Equal(t, "us", r.Report.Features.AudienceGeo.Data.Countries[0].Code)
				assert.Equal(t, hypeauditor.Float(204139), *r.Report.Features.BloggerPrices.Data.PostPrice)
				s := r.Summary()
				assert.Equal(t, 6.83, s.GetEngagementRate())
			},
		},
	} {
		t.Run(tc.file, func(t *testing.T) {
			body := fixture.Shared(t, "hypeauditor", tc.file)
			c, mt := newMockClient(t)
			expect(t, mt, "GET", tc.path, want{query: tc.query}, 200, fixture.SharedPrefix+tc.file)
			a, err := tc.call(c)
			require.NoError(t, err)
			assert.Equal(t, 1, mt.GetTotalCallCount())

			var issues []string
			for _, is := range a.meta.DecodeIssues {
				issues = append(issues, is.Path)
				t.Logf("decode issue: %s", is)
			}
			assert.Equal(t, tc.issues, issues, "DecodeIssues")

			// The result re-encoded in its envelope gives back every leaf
			// of the answer but those the issues name. restTokens and
			// validUntil sent beside result are compared where the SDK
			// keeps them, in result.
			orig := intoResult(t, body, "restTokens", "validUntil")
			for _, lost := range fixture.LostLeaves(orig, mustJSON(t, a.env)) {
				assert.True(t, under(lost, issues), "%s was lost without a decode issue", lost)
			}
			covered, total, missing := fixture.TypedCoverage(orig, a.env)
			t.Logf("typed coverage %s: %d/%d non-null leaves (%.1f%%); not typed: %v", tc.file, covered, total, 100*fixture.Ratio(covered, total), missing)
			assert.GreaterOrEqual(t, covered, tc.covered, "typed leaves; not typed: %v", missing)
			tc.check(t, a.result)
		})
	}
}

// The pre-v2 answer has no report_state: the waiting call takes it as
// done after one request.
func TestWildAnswerWithoutStateEndsTheWait(t *testing.T) {
	t.Parallel()
	c, mt := newMockClient(t)
	expect(t, mt, "GET", "auditor.report", want{query: url.Values{"username": {"eyalgolan1"}}}, 200, "shared:instagram_report_eyalgolan1_2018.json")
	r, err := c.Reports.InstagramAndWait(ctx, hypeauditor.InstagramParams{Username: "eyalgolan1"}, hypeauditor.WithPollInterval(time.Millisecond, time.Second))
	require.NoError(t, err)
	assert.Equal(t, "eyalgolan1", r.User.Username)
	assert.Equal(t, 1, mt.GetTotalCallCount())
}

// envelope is a report in HypeAuditor's {"result": ...}.
type envelope[T any] struct {
	Result *T `json:"result"`
}

// intoResult moves the named top-level members of a {"result": {...}}
// document into result, where result does not have them.
func intoResult(t *testing.T, body []byte, names ...string) []byte {
	t.Helper()
	var doc map[string]json.RawMessage
	dec := json.NewDecoder(bytes.NewReader(body))
	dec.UseNumber()
	require.NoError(t, dec.Decode(&doc))
	var result map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(doc["result"], &result))
	for _, n := range names {
		if v, ok := doc[n]; ok {
			if _, inside := result[n]; !inside {
				result[n] = v
			}
			delete(doc, n)
		}
	}
	doc["result"] = mustJSON(t, result)
	return mustJSON(t, doc)
}

// under reports whether path is one of paths or inside one of them.
func under(path string, paths []string) bool {
	for _, p := range paths {
		if path == p || strings.HasPrefix(path, p+".") || strings.HasPrefix(path, p+"[") {
			return true
		}
	}
	return false
}
