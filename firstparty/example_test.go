package firstparty_test

import (
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/http/httptest"
	"time"

	"github.com/creatorkit/creatorkit-go/firstparty"
	"github.com/creatorkit/creatorkit-go/firstparty/firstpartytest"
)

// The whole consent flow against the fake: issue a state, send the creator
// to the verification URL, take the callback, verify, and wait for the
// insights.
func Example() {
	ctx := context.Background()
	// The fake at a thousandth of real time: Ylytic's minute of insights
	// processing takes 60 ms.
	srv := firstpartytest.NewServer(firstpartytest.WithTimeScale(0.001))
	defer srv.Close()
	c, err := srv.NewClient()
	if err != nil {
		panic(err)
	}

	// Your app's callback.
	var flow *firstparty.ConnectFlow
	verified := make(chan *firstparty.CallbackResult, 1)
	app := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		flow.CallbackHandler(func(w http.ResponseWriter, r *http.Request, res *firstparty.CallbackResult, err error) {
			if err != nil {
				http.Error(w, "could not connect your account", http.StatusForbidden)
				return
			}
			verified <- res
			fmt.Fprintln(w, "connected")
		}).ServeHTTP(w, r)
	}))
	defer app.Close()

	flow, err = firstparty.NewConnectFlow(c, firstparty.ConnectConfig{RedirectURL: app.URL + "/callback"})
	if err != nil {
		panic(err)
	}
	v, err := flow.Start(ctx, firstparty.StartParams{Platform: firstparty.Instagram, Data: "user-42"})
	if err != nil {
		panic(err)
	}
	// The creator's browser follows the redirects: connect page, callback.
	resp, err := http.Get(v.RedirectURL)
	if err != nil {
		panic(err)
	}
	resp.Body.Close()
	res := <-verified
	fmt.Println("verified:", res.Creator.UserInfo.IGUsername, "for", res.Issued.Data)

	in, err := c.Insights.GetAndWait(ctx, firstparty.GetInsightsParams{CreatorID: res.Creator.CreatorID}, srv.PollOptions()...)
	if err != nil {
		panic(err)
	}
	o := in.ProfileOverview
	fmt.Printf("@%s: %s tier, %d followers, %.2f%% engagement\n", o.Handle, o.InfluencerTier, o.FollowersCount, o.Engagement)
	// Output:
	// verified: a_poetic_storyteller for user-42
	// @a_poetic_storyteller: Nano tier, 1257 followers, 43.64% engagement
}

// Reading the sections of a ready body.
func ExampleInsights() {
	var in firstparty.Insights
	if err := json.Unmarshal(firstpartytest.SampleInsights(), &in); err != nil {
		panic(err)
	}
	q := in.ProfileDetails.Quality
	fmt.Printf("quality %.0f/100, consistency %.0f, authentic audience %.0f\n", q.ProfileQualityScore, q.Consistency, q.AuthenticAudience)
	fmt.Println("last processed", in.ProfileOverview.LastProcessedAt.Format(time.DateOnly))
	for _, p := range in.Posts.Top(3) {
		fmt.Printf("%s %-5s ER %6.2f%% views %6.0f posted %s\n", p.Shortcode, p.PostType, p.ER, p.Views, p.PostedAt.Format(time.DateOnly))
	}
	for _, pt := range in.GrowthTrends.CumulativeFollowersTrends.Points {
		fmt.Println(pt.Date.Format(time.DateOnly), pt.Metric, pt.Value)
	}
	fmt.Println("audience available:", in.AudienceAvailable(), "| unrelated data locked:", in.UnrelatedData.Locked())
	// Output:
	// quality 92/100, consistency 3, authentic audience 0
	// last processed 2024-01-26
	// C2GyN6aIGbs REEL  ER 214.96% views 122938 posted 2024-01-15
	// C2i51IIITd4 REEL  ER 172.00% views  35761 posted 2024-01-26
	// CxiMJ6EIcKL REEL  ER  36.60% views   4358 posted 2023-09-23
	// 2024-01-26 followers 1257
	// audience available: false | unrelated data locked: true
}

// The common creator summary, the same shape as every creatorkit-go
// package's: nil figures are ones the insights do not carry.
func ExampleInsights_Summary() {
	var in firstparty.Insights
	if err := json.Unmarshal(firstpartytest.SampleInsights(), &in); err != nil {
		panic(err)
	}
	s := in.Summary()
	fmt.Printf("%s %s @%s (%s): %d followers, ER %.2f%%, %.0f likes and %.0f comments a post\n",
		s.Source, s.Platform, s.Username, s.DisplayName, *s.Followers, *s.EngagementRate, *s.AvgLikes, *s.AvgComments)
	fmt.Printf("%s %.0f/100; audience countries known: %t\n", s.Quality.Name, s.Quality.Score, len(s.AudienceCountries) > 0)
	// Output:
	// firstparty instagram @a_poetic_storyteller (Ratnadeep Mahadev Shinde): 1257 followers, ER 43.64%, 534 likes and 14 comments a post
	// Profile Quality Score 92/100; audience countries known: false
}

func ExampleParseWebhookBody() {
	ev, err := firstparty.ParseWebhookBody([]byte(`{"type":"creator_insights_1p","status":"failed","status_reason":"Private Account","identifier":"minimuffin8888","connector":"instagram","state":"unique-string"}`))
	if err != nil {
		panic(err)
	}
	fmt.Println(ev.Type, ev.Succeeded(), ev.Reason, ev.State)
	// Output: creator_insights_1p false Private Account unique-string
}

func ExampleNewState() {
	s := firstparty.NewState()
	fmt.Println(len(s), s != firstparty.NewState())
	// Output: 43 true
}
