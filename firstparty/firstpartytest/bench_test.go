package firstpartytest_test

import (
	"encoding/json"
	"fmt"
	"net/url"
	"strings"
	"testing"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/firstparty/firstpartytest"
	"github.com/creatorkit/creatorkit-go/internal/fake/faketest"
)

// The benchmarks serve requests in-process (no socket) against 1x, 10x
// and 100x a base number of verified creators, and report the time per
// request or flow: the figures must stay flat as the dataset grows.

const benchBase = 1000

func post(b testing.TB, s *firstpartytest.Server, path string, body any) map[string]any {
	raw, _ := json.Marshal(body)
	rec := faketest.Serve(s.Handler(), "POST", firstpartytest.APIPrefix+"/"+path, raw, "Authorization", "Bearer "+s.Token)
	if rec.Code != 200 {
		b.Fatalf("%s: %d %s", path, rec.Code, rec.Body.String())
	}
	var m map[string]any
	_ = json.Unmarshal(rec.Body.Bytes(), &m)
	return m
}

// flow runs one creator through create URL, the connect page and verify;
// it returns the creator's id.
func flow(b testing.TB, s *firstpartytest.Server, state string) string {
	p := firstparty.DefaultPaths()
	v := post(b, s, p.CreateVerificationURL, map[string]string{"connector": "instagram", "redirectUrl": "https://app.example/cb", "state": state})
	u, _ := url.Parse(v["redirectUrl"].(string))
	rec := faketest.Serve(s.Handler(), "GET", u.Path, nil)
	back, _ := url.Parse(rec.Header().Get("Location"))
	m := post(b, s, p.VerifyCreator, map[string]string{"state": state, "token": back.Query().Get("token")})
	return m["creator_id"].(string)
}

// Insights of a creator whose insights are still processing (202), with n
// creators verified; ns/request.
func BenchmarkInsightsPoll(b *testing.B) {
	for _, n := range faketest.Sizes(benchBase) {
		s := firstpartytest.NewServer(firstpartytest.WithTimeScale(1), firstpartytest.WithInsightsDelay(24*time.Hour))
		ids := make([]string, n)
		for i := range ids {
			ids[i] = flow(b, s, fmt.Sprintf("state-%06d", i))
		}
		path := firstpartytest.APIPrefix + "/" + strings.ReplaceAll(firstparty.DefaultPaths().Insights, "{creator_id}", "")
		b.Run(faketest.Name(n), func(b *testing.B) {
			for i := 0; i < b.N; i++ {
				rec := faketest.Serve(s.Handler(), "GET", path+ids[(i*7919)%n], nil, "Authorization", "Bearer "+s.Token)
				if rec.Code != 202 {
					b.Fatal(rec.Code, rec.Body.String())
				}
			}
			faketest.ReportPer(b, "request", 1)
		})
		s.Close()
	}
}
