package infludata_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"strconv"
	"testing"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/jarcoal/httpmock"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Where influData's two documentations conflict rather than forbid, the
// SDK sends what either allows (the README's examples, readme_test.go):
// showDatalogAndScore on any platform, checkDataStatus by _id without a
// platform, and getContent pages of up to 1,000.
func TestConflictingDocsAllowBoth(t *testing.T) {
	t.Parallel()
	ctx := context.Background()
	c, mt, rec := mock(t)
	mt.RegisterResponder("GET", base+"/getUserData", reply(t, rec, 200, "user_data.json"))
	mt.RegisterResponder("GET", base+"/checkDataStatus", reply(t, rec, 200, "data_status.json"))
	mt.RegisterResponder("GET", base+"/getContent", reply(t, rec, 200, "content_cursor.json"))

	for _, pl := range []infludata.Platform{infludata.YouTube, infludata.Twitch} {
		_, err := c.Profiles.Get(ctx, infludata.GetProfileParams{Platform: pl, Username: "ninja", ShowDatalogAndScore: true})
		require.NoError(t, err, pl)
	}
	_, err := c.Profiles.CheckStatus(ctx, infludata.DataStatusParams{ID: "507f1f77bcf86cd799439011"})
	require.NoError(t, err)
	_, err = c.Content.Get(ctx, infludata.ContentParams{Limit: infludata.MaxContentLimit})
	require.NoError(t, err)

	r := rec.all()
	require.Len(t, r, 4)
	assertGET(t, r[0], "getUserData", url.Values{"platform": {"youtube"}, "username": {"ninja"}, "showDatalogAndScore": {"true"}})
	assertGET(t, r[1], "getUserData", url.Values{"platform": {"twitch"}, "username": {"ninja"}, "showDatalogAndScore": {"true"}})
	assertGET(t, r[2], "checkDataStatus", url.Values{"_id": {"507f1f77bcf86cd799439011"}})
	assertGET(t, r[3], "getContent", url.Values{"limit": {"1000"}})
	assert.Equal(t, 1000, infludata.MaxContentLimit)
	assert.Equal(t, 100, infludata.DefaultContentLimit)
}

// A legacy offset walk asking for pages larger than the server serves
// (the Social API documents 100 as the maximum, the README 1,000) goes on
// while the count says more are left, and ends on a short page when the
// answer has no count, as before.
func TestLegacyWalkWithShortPages(t *testing.T) {
	t.Parallel()
	page := func(from, n int, count *int) []byte {
		items := make([]map[string]any, n)
		for i := range items {
			items[i] = map[string]any{"_id": fmt.Sprintf("c%04d", from+i), "platform": "instagram", "reach": 1, "likes": 1,
				"comments": 0, "engagementRate": 0.01, "viralFactor": 1, "followers": 20000}
		}
		body := map[string]any{"content": items, "offset": from, "limit": 100, "tokensDeducted": n}
		if count != nil {
			body["count"] = *count
		}
		b, _ := json.Marshal(body)
		return b
	}
	for _, tc := range []struct {
		name     string
		count    *int
		want     int
		requests int
	}{
		{"with a count", ptr(250), 250, 3},
		{"without a count", nil, 100, 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c, mt, _ := mock(t)
			var asked []url.Values
			mt.RegisterResponder("GET", base+"/getContent", func(r *http.Request) (*http.Response, error) {
				q := r.URL.Query()
				asked = append(asked, q)
				off, _ := strconv.Atoi(q.Get("offset"))
				resp := httpmock.NewBytesResponse(200, page(off, min(100, 250-off), tc.count))
				resp.Header.Set("Content-Type", "application/json")
				return resp, nil
			})
			pull := c.Content.Pull(infludata.ContentParams{Limit: 500, LegacyOffset: true}, infludata.WithMaxItems(-1))
			n := 0
			for _, err := range pull.All(context.Background()) {
				require.NoError(t, err)
				n++
			}
			assert.Equal(t, tc.want, n)
			require.Len(t, asked, tc.requests)
			for i, q := range asked {
				assert.Equal(t, "500", q.Get("limit"))
				assert.Equal(t, strconv.Itoa(100*i), q.Get("offset"))
			}
			assert.True(t, pull.Complete())
		})
	}
}
