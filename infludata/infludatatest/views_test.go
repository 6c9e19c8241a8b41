package infludatatest_test

import (
	"fmt"
	"math/rand/v2"
	"net/url"
	"testing"
	"testing/synctest"

	"github.com/creatorkit/creatorkit-go/infludata"
	"github.com/creatorkit/creatorkit-go/infludata/infludatatest"
	"github.com/creatorkit/creatorkit-go/internal/fake"
	"github.com/creatorkit/creatorkit-go/internal/fake/faketest"
	"github.com/stretchr/testify/require"
)

// The discovery and getContent answers the fake keeps are the answers a
// fresh scan gives, however creators and content come in between reads
// (fake.CheckViews panics on the first difference).
func TestKeptAnswersStayFresh(t *testing.T) {
	synctest.Test(t, func(t *testing.T) {
		fake.CheckViews(true)
		defer fake.CheckViews(false)
		rng := rand.New(rand.NewPCG(9, 9))
		srv := infludatatest.NewServer(infludatatest.WithVirtualTime(), infludatatest.WithRateLimit(false), infludatatest.WithTokens(1<<40),
			infludatatest.WithDelays(infludatatest.Delays{}), infludatatest.WithCreators(creators(rng, 120)...))
		defer srv.Close()
		get := func(path string, q url.Values) {
			rec := faketest.Serve(srv.Handler(), "GET", "/api/externalAPI/"+path+"?"+q.Encode(), nil, "Authorization", "Bearer "+srv.APIKey)
			require.Contains(t, []int{200, 404}, rec.Code, rec.Body.String())
		}
		discovery := []url.Values{
			{"platform": {"instagram"}},
			{"platform": {"instagram"}, "sorting": {"ascUsername"}},
			{"platform": {"tiktok"}, "sorting": {"descFollowers"}, "followerMin": {"20000"}},
			{"platform": {"instagram"}, "keywords": {"fit,cook"}, "sorting": {"relevance"}},
		}
		content := []url.Values{
			{"limit": {"5"}},
			{"limit": {"5"}, "sorting": {"reach"}, "min_followers": {"1"}},
			{"limit": {"5"}, "platform": {"instagram,youtube"}, "sorting": {"viral"}, "offset": {"3"}},
			{"limit": {"5"}, "tags": {"style"}},
		}
		for step := 0; step < 400; step++ {
			switch rng.IntN(8) {
			case 0:
				srv.AddCreator(infludatatest.Creator{Platform: infludata.Instagram, Username: fmt.Sprintf("late_fit_%d", step), Posts: 1 + rng.IntN(3)})
			case 1: // replaces a creator the fake holds
				srv.AddCreator(infludatatest.Creator{Platform: infludata.Instagram, Username: fmt.Sprintf("gen_fit_%03d", rng.IntN(120)), Followers: 12345})
			case 2: // a status check queues a new creator; it is in at once
				get("checkDataStatus", url.Values{"platform": {"tiktok"}, "username": {fmt.Sprintf("queued_%d", step)}})
			case 3:
				srv.Publish(infludata.Instagram, fmt.Sprintf("gen_fit_%03d", rng.IntN(120)), 1+rng.IntN(2))
			case 4, 5:
				q := discovery[rng.IntN(len(discovery))]
				q.Set("skipCount", fmt.Sprint(20*rng.IntN(3)))
				get("discovery", q)
			default:
				get("getContent", content[rng.IntN(len(content))])
			}
		}
	})
}
